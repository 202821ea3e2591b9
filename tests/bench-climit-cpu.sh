#!/bin/bash
# sundials4j against the C limit (tests/c/climit*.c) in thread CPU time, interleaved round by round:
# on a loaded shared machine the bench's wall-clock C-limit table scatters by 2-4x between runs,
# thread CPU time by a few percent. Prints native / C and Java replay / C for solve and adjoint.
#   usage: tests/bench-climit-cpu.sh [--no-build] [--rounds R] [problem...]   (~1 minute per problem)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [[ "${1:-}" == "--no-build" ]]; then
  shift
else
  mvn -q -B -o process-test-classes
fi
sun="$root/target/sundials"
out="$root/target/c-cpu"
mkdir -p "$out"
libs=(sundials_cvodes sundials_sunnonlinsolfixedpoint sundials_sunlinsoldense sundials_sunmatrixdense sundials_nvecserial sundials_core)
archives=$(printf "$sun/lib/lib%s.a " "${libs[@]}")
for p in rober pollu lotka_volterra; do
  # the same programs and flags as tests/c/build.sh, timing themselves in thread CPU time
  gcc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -DCLIMIT_THREAD_CPU -Wall -Wextra -I"$sun/include" \
    tests/c/climit.c "tests/c/climit_$p.c" -o "$out/climit_$p" $archives -lm
done
echo "sundials4j / C limit in thread CPU time ($(java -version 2>&1 | head -1); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg))"
java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  org.sundials4j.bench.CLimitCpuBenchmark --c-dir "$out" "$@"
