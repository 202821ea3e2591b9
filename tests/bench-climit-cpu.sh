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
# the C references, run with CLIMIT_CLOCK=cpu by the benchmark: they time themselves in thread CPU time
[[ -x target/c/climit_rober ]] || tests/c/build.sh
out="$root/target/c"
echo "sundials4j / C limit in thread CPU time ($(java -version 2>&1 | head -1); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg))"
java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  org.sundials4j.bench.CLimitCpuBenchmark --c-dir "$out" "$@"
