#!/bin/bash
# Gradient benchmarks of issue 4 ("Speed", and the AUTO crossover behind GradientSolver.choose):
# adjoint vs forward vs finite differences on every problem, neural-ode H in {16, 64, 256, 1024},
# brusselator-2d N in {8, 16, 32}, reverse sweeps per backward pair, and forward vs adjoint as the
# number of selected sensitivities s grows. Brief settings sized for a 2-core machine (~4 minutes).
#   usage: tests/bench-gradients.sh [--no-build] [harness args: --budget-ms B --cap-ms C --only speed|crossover]
# The table is printed and kept in target/bench/gradients.txt. Timings are never asserted: on a
# shared machine they are noise-prone, and the harness reports medians of interleaved runs instead.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="$root/target/bench"

if [[ "${1:-}" == "--no-build" ]]; then
  shift
else
  mvn -q -B -o process-test-classes
fi
for f in target/test-classpath.txt target/test-classes/org/sundials4j/bench/GradientBenchmark.class; do
  [[ -e "$f" ]] || { echo "bench-gradients: $f missing; run without --no-build" >&2; exit 1; }
done
mkdir -p "$out"

echo "sundials4j gradient benchmarks ($(java -version 2>&1 | head -1); $(nproc) cores)"
echo "columns: median ms of one gradient on a reused GradientSolver; '(1)' = a single run (capped), '-' = not run;"
echo "fwd/adj > 1 means the adjoint is faster; sweeps/pair = tape reverse sweeps per backward fB/fQB pair (goal 1)"
java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  org.sundials4j.bench.GradientBenchmark --budget-ms 600 --cap-ms 4000 "$@" | tee "$out/gradients.txt"
