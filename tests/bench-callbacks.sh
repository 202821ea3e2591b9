#!/bin/bash
# Measures what issue 2 item 7 asks for, on the default java (JDK 17) or on $JAVA (e.g. Temurin 25):
#   - ns per C->Java RHS crossing at n = 3 and n = 1000, against the same RHS in C;
#   - ROBER (Java RHS + Jacobian) create+solve+close and reused-solver solve, against tests/c/rober_c.c.
# Brief runs sized for a 2-core machine; raw JMH/C output goes to target/bench/.
#   usage: [JAVA=/path/to/bin/java] tests/bench-callbacks.sh [--no-build]
#          (BENCH_JMH_ARGS overrides the JMH run options, BENCH_OUT the output dir)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="${BENCH_OUT:-$root/target/bench}"

if [[ "${1:-}" != "--no-build" ]]; then
  mvn -q -B -o process-test-classes
  tests/c/build.sh
fi
for f in target/test-classpath.txt target/test-classes/META-INF/BenchmarkList target/c/rober_c; do
  [[ -e "$f" ]] || { echo "bench-callbacks: $f missing; run without --no-build" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "bench-callbacks: jq not found (apt-get install jq)" >&2; exit 1; }
mkdir -p "$out"

# Other work on a 2-core machine shifts timings by up to 2x, so C runs just before and just after
# the Java ROBER run and the quieter of the two is the reference.
run_c() { # <file>
  echo "== C ROBER (tests/c/rober_c.c)" >&2
  target/c/rober_c target/sundials/share/examples/cvodes-serial/cvsRoberts_dns.out 2000 | tee "$1" >&2
}

java="${JAVA:-java}"
# JDK 22+ warns when JavaCPP's Loader calls System.load unless native access is enabled (JDK 17
# accepts the flag too); JMH's forks inherit it.
jvm_opts=(--enable-native-access=ALL-UNNAMED)
# JDK 24+ also warns that JMH 1.37 calls sun.misc.Unsafe (JMH's own use, not ours; option from JDK 23)
spec=$("$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
if (( ${spec%%.*} >= 23 )); then jvm_opts+=(--sun-misc-unsafe-memory-access=allow); fi
jmh_args=(${BENCH_JMH_ARGS:--f 1 -wi 3 -w 1s -i 5 -r 1s})
run_jmh() { # <name> <regex>
  echo "== JMH $1" >&2
  "$java" "${jvm_opts[@]}" -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" org.openjdk.jmh.Main "$2" \
    "${jmh_args[@]}" -rf json -rff "$out/$1.json" > "$out/$1.txt"
  if grep -q '<failure>' "$out/$1.txt"; then
    grep -m1 -A3 '<failure>' "$out/$1.txt" >&2
    echo "bench-callbacks: a $1 benchmark failed; see $out/$1.txt" >&2
    exit 1
  fi
  grep -A20 '^Benchmark' "$out/$1.txt" | grep -v ':p[01]\.[0-9]*' | grep -v '^$' >&2
}
run_jmh crossing 'CallbackCrossingBenchmark'
run_c "$out/rober_c.before.json"
run_jmh rober 'RoberSolveBenchmark'
run_c "$out/rober_c.after.json"
jq -s 'min_by(.median_us)' "$out/rober_c.before.json" "$out/rober_c.after.json" > "$out/rober_c.json"

# score of a JMH result: mean for avgt, a percentile (default the median) for sampled modes
score() { # <file> <method> [n] [percentile]
  jq -r --arg m "$2" --arg n "${3:-}" --arg p "${4:-50.0}" '.[] | select(.benchmark | endswith("." + $m))
    | select($n == "" or .params.n == $n)
    | if .mode == "sample" then .primaryMetric.scorePercentiles[$p] else .primaryMetric.score end' "$1"
}
c_full=$(jq -r .median_us "$out/rober_c.json")
c_solve=$(jq -r .solve_only_median_us "$out/rober_c.json")
j_full=$(score "$out/rober.json" createSolveClose)
j_solve=$(score "$out/rober.json" reusedSolve)
c_full_min=$(jq -s 'map(.min_us) | min' "$out"/rober_c.{before,after}.json)
c_solve_min=$(jq -s 'map(.solve_only_min_us) | min' "$out"/rober_c.{before,after}.json)
j_full_min=$(score "$out/rober.json" createSolveClose "" 0.0)
j_solve_min=$(score "$out/rober.json" reusedSolve "" 0.0)

echo
echo "sundials4j callback benchmarks ($("$java" -version 2>&1 | head -1))"
printf '%-34s %10s %10s %8s\n' "crossing, ns per RHS call (mean)" Java C "Java-C"
for n in 3 1000; do
  j=$(score "$out/crossing.json" javaRhsCoroutine "$n"); c=$(score "$out/crossing.json" cRhs "$n")
  printf '%-34s %10.1f %10.1f %8.1f\n' "  n = $n, coroutine (solves)" "$j" "$c" "$(echo "$j - $c" | bc -l)"
  j=$(score "$out/crossing.json" javaRhs "$n")
  printf '%-34s %10.1f %10.1f %8.1f\n' "  n = $n, upcall (fallback)" "$j" "$c" "$(echo "$j - $c" | bc -l)"
done
for n in 3 1000; do
  printf '  n = %-5s split: JavaCPP transition alone %.1f, Java side alone %.1f, Java->C downcall %.1f ns\n' "$n" \
    "$(score "$out/crossing.json" emptyCallback "$n")" "$(score "$out/crossing.json" javaSideOnly "$n")" \
    "$(score "$out/crossing.json" downcall "$n")"
done
printf '%-34s %10s %10s %8s\n' "ROBER to 4e10, median us" Java C ratio
printf '%-34s %10.1f %10.1f %8.3f\n' "  create+solve+close" "$j_full" "$c_full" "$(echo "$j_full / $c_full" | bc -l)"
printf '%-34s %10.1f %10.1f %8.3f\n' "  solve only (reused solver)" "$j_solve" "$c_solve" "$(echo "$j_solve / $c_solve" | bc -l)"
printf '%-34s %10s %10s %8s\n' "ROBER to 4e10, min us (load-proof)" Java C ratio
printf '%-34s %10.1f %10.1f %8.3f\n' "  create+solve+close" "$j_full_min" "$c_full_min" "$(echo "$j_full_min / $c_full_min" | bc -l)"
printf '%-34s %10.1f %10.1f %8.3f\n' "  solve only (reused solver)" "$j_solve_min" "$c_solve_min" "$(echo "$j_solve_min / $c_solve_min" | bc -l)"
calls=$(jq -r '.rhs_evals + .jac_evals' "$out/rober_c.json")
printf 'ROBER extra time over C per callback (%s callbacks), solve only: median %.1f ns, min %.1f ns\n' "$calls" \
  "$(echo "($j_solve - $c_solve) * 1000 / $calls" | bc -l)" "$(echo "($j_solve_min - $c_solve_min) * 1000 / $calls" | bc -l)"
echo "goals: crossing <= ~200 ns at n = 3; ROBER ratio <= 1.25"
