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
  mvn -q -B -o process-test-classes -DskipCReferences=true # the C programs are built below, with their CPU clock
fi
out="$root/target/c-cpu"
# the same programs and flags as the C references, timing themselves in thread CPU time
CLIMIT_OUT="$out" CLIMIT_CFLAGS=-DCLIMIT_THREAD_CPU tests/c/build.sh
echo "sundials4j / C limit in thread CPU time ($(java -version 2>&1 | head -1); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg))"
java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  org.sundials4j.bench.CLimitCpuBenchmark --c-dir "$out" "$@"
