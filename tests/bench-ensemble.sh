#!/bin/bash
# Ensemble throughput against threads (issue 16's figure): gradients per second of a ROBER population
# on 1, 2, 4 and 8 threads, a plain sequential loop as the baseline, and the ensemble's own cost per
# member (members that do no work). JMH, brief runs sized for a 2-core machine; raw output in
# target/bench/ensemble.txt.
#   usage: tests/bench-ensemble.sh [--no-build]   (BENCH_JMH_ARGS overrides the JMH run options)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [[ "${1:-}" != "--no-build" ]]; then mvn -q -B -o process-test-classes -DskipCReferences=true; fi
[[ -e target/test-classes/META-INF/BenchmarkList ]] || { echo "bench-ensemble: build first (run without --no-build)" >&2; exit 1; }
mkdir -p target/bench
jmh_args=(${BENCH_JMH_ARGS:--f 1 -wi 3 -w 2s -i 5 -r 2s})
cp="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
{
  java -cp "$cp" org.openjdk.jmh.Main 'EnsembleBenchmark\.(gradients|overheadPerMember)' "${jmh_args[@]}"
  java -cp "$cp" org.openjdk.jmh.Main 'EnsembleBenchmark\.sequentialLoop' -p threads=1 "${jmh_args[@]}"
} | tee target/bench/ensemble.txt | grep -E '^(Benchmark|EnsembleBenchmark)'
echo "cores: $(nproc); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
