#!/bin/bash
# JDK 22+ callback crossing: is a Foreign Function & Memory path at least 3x cheaper than the shipped
# JavaCPP/JNI crossing? Times ns per RHS evaluation at n = 3 (ROBER) and n = 1000 (1-D diffusion):
#   (a) shipped: coroutine + JavaCPP JNI s4j_resume_at (CallbackCrossingBenchmark), JDK 17 and JDK 25;
#       plus its upcall fallback (JavaCPP FunctionPointer) and the parts alone;
#   (b) FFM upcall stub as the shim's entry point, and a bare (t, y*, ydot*) FFM upcall, JDK 25;
#   (c) FFM downcall of s4j_resume_at on the same coroutine, plain and Linker.Option.critical, JDK 25;
#   and the same RHS in C (the floor) on each.
# The FFM side (tests/ffm/) compiles the shipped glue headers into its own small library
# (target/ffm/libs4jffmbench.so) and the benchmark with JDK 25's javac at --release 22, so both
# sides run the same C shim, staging copies, coroutine and Java callback code (ModelCallbacks).
# Results are medians and minima over all JMH iterations of all forks (the machine is shared: the
# minimum is the load-proof figure). Raw JMH output: target/bench-ffm/.
# --focus: only n = 3 and the paths that decide (shipped coroutine on JDK 25 before and after the FFM
# run, then on JDK 17; FFM upcalls and downcall resumes), 3 forks each: about 3 minutes.
#   usage: tests/bench-ffm.sh [--no-build] [--focus]
#   env:   JAVA17 (default: java on PATH), JDK25 (default: /usr/lib/jvm/temurin-25-jdk-amd64),
#          BENCH_JMH_ARGS (default: -f 2 -wi 3 -w 1s -i 5 -r 1s)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="$root/target/bench-ffm"
java17="${JAVA17:-java}"
jdk25="${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[[ -x "$jdk25/bin/javac" ]] || { echo "bench-ffm: no JDK 22+ at $jdk25 (set JDK25)" >&2; exit 1; }
command -v jq >/dev/null || { echo "bench-ffm: jq not found (apt-get install jq)" >&2; exit 1; }

build=1 focus=0
for a in "$@"; do
  case "$a" in
    --no-build) build=0 ;;
    --focus) focus=1 ;;
    *) echo "usage: tests/bench-ffm.sh [--no-build] [--focus]" >&2; exit 2 ;;
  esac
done
if (( build )); then
  mvn -q -B -o process-test-classes
fi
[[ -e target/test-classpath.txt && -d target/sundials/include ]] || { echo "bench-ffm: run without --no-build" >&2; exit 1; }
cp_test="target/test-classes:target/classes:$(cat target/test-classpath.txt)"

# the FFM library: the shipped glue with a C ABI, SUNDIALS linked statically as in the JNI library
mkdir -p target/ffm "$out"
S=target/sundials
# the JNI library's flags as JavaCPP passes them (linux-x86_64)
g++ -O3 -march=x86-64 -m64 -pthread -fPIC -shared -std=c++11 -Wall -Wno-unused-function -I"$S/include" -Inative/include \
  tests/ffm/ffm_bench.cpp -o target/ffm/libs4jffmbench.so -Wl,-Bsymbolic -Wl,--no-undefined -L"$S/lib" \
  -lsundials_cvodes -lsundials_sunnonlinsolnewton -lsundials_sunnonlinsolfixedpoint -lsundials_sunmatrixdense \
  -lsundials_sunmatrixband -lsundials_sunmatrixsparse -lsundials_nvecserial -lsundials_core -lm
# the FFM benchmark: JDK 25's javac at --release 22, JMH's annotation processor from the test classpath
rm -rf target/ffm/classes target/ffm/gen && mkdir -p target/ffm/classes target/ffm/gen
"$jdk25/bin/javac" --release 22 -proc:full -cp "$cp_test" -processorpath "$cp_test" -d target/ffm/classes \
  -s target/ffm/gen $(find tests/ffm/java -name '*.java')

jmh_args=(${BENCH_JMH_ARGS:--f 2 -wi 3 -w 1s -i 5 -r 1s})
# JDK 22+: JavaCPP's System.load and FFM are restricted methods (a warning without this flag);
# JMH 1.37 itself calls sun.misc.Unsafe, which JDK 24+ warns about: allowed quietly here.
opts25=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
# JMH hands the host JVM's options (those after the classpath here) to its forks.
run_jmh() { # <name> <java> <classpath> <regex> [jvm options...]
  local name=$1 java=$2 cp=$3 regex=$4; shift 4
  echo "== JMH $name ($("$java" -version 2>&1 | head -1))" >&2
  "$java" "$@" -cp "$cp" org.openjdk.jmh.Main "$regex" "${jmh_args[@]}" \
    -rf json -rff "$out/$name.json" > "$out/$name.txt" 2> "$out/$name.err" || true
  if grep -q '<failure>' "$out/$name.txt" || [[ ! -s "$out/$name.json" ]]; then
    grep -m1 -A5 '<failure>' "$out/$name.txt" >&2 || tail -5 "$out/$name.err" >&2
    echo "bench-ffm: a $name benchmark failed; see $out/$name.txt" >&2
    exit 1
  fi
  if grep -q '^WARNING' "$out/$name.err" "$out/$name.txt"; then
    echo "bench-ffm: $name printed JVM warnings:" >&2; grep -h '^WARNING' "$out/$name.err" "$out/$name.txt" | sort -u >&2
  fi
}
# median and min over every iteration of every fork
stats() { # <file> <method> <n> -> "median min"
  jq -r --arg m "$2" --arg n "$3" '.[] | select((.benchmark | endswith("." + $m)) and .params.n == $n)
    | [.primaryMetric.rawData[][]] | sort | "\(if length % 2 == 1 then .[length / 2 | floor]
      else (.[length / 2 - 1] + .[length / 2]) / 2 end) \(.[0])"' "$1"
}
ffm_opts=("${opts25[@]}" -Ds4j.ffm.lib="$root/target/ffm/libs4jffmbench.so")

if (( focus )); then
  jmh_args=(-p n=3 ${BENCH_JMH_ARGS:--f 3 -wi 3 -w 1s -i 5 -r 1s})
  coro='CallbackCrossingBenchmark.javaRhsCoroutine$'
  run_jmh focus-jni-jdk25-before "$jdk25/bin/java" "$cp_test" "$coro" "${opts25[@]}"
  run_jmh focus-ffm-jdk25 "$jdk25/bin/java" "target/ffm/classes:$cp_test" \
    'FfmCrossingBenchmark.(ffmDowncallCoroutine|ffmDowncallCoroutineCritical|ffmUpcallPointers|ffmUpcall)$' "${ffm_opts[@]}"
  run_jmh focus-jni-jdk25-after "$jdk25/bin/java" "$cp_test" "$coro" "${opts25[@]}"
  run_jmh focus-jni-jdk17 "$java17" "$cp_test" "$coro" --enable-native-access=ALL-UNNAMED
  focus_row() { # <label> <file> <method>
    read -r med min <<<"$(stats "$out/$2.json" "$3" 3)"
    printf '| %-58s | %8.1f | %8.1f |\n' "$1" "$med" "$min"
  }
  {
    echo "ns per RHS evaluation at n = 3 (JMH avgt, ${jmh_args[*]}; median and min over all iterations)"
    echo
    printf '| %-58s | %8s | %8s |\n' path median min
    echo "|------------------------------------------------------------|----------|----------|"
    focus_row "(a) shipped: coroutine + JavaCPP JNI resume, JDK 25, before" focus-jni-jdk25-before javaRhsCoroutine
    focus_row "(c) coroutine + FFM downcall resume, JDK 25" focus-ffm-jdk25 ffmDowncallCoroutine
    focus_row "(c) coroutine + FFM downcall resume, critical, JDK 25" focus-ffm-jdk25 ffmDowncallCoroutineCritical
    focus_row "(b) shim + staging, FFM upcall stub entry point, JDK 25" focus-ffm-jdk25 ffmUpcall
    focus_row "(b) bare FFM upcall (t, y*, ydot*), MemorySegment, JDK 25" focus-ffm-jdk25 ffmUpcallPointers
    focus_row "(a) shipped: coroutine + JavaCPP JNI resume, JDK 25, after" focus-jni-jdk25-after javaRhsCoroutine
    focus_row "(a) shipped: coroutine + JavaCPP JNI resume, JDK 17" focus-jni-jdk17 javaRhsCoroutine
  } | tee "$out/focus-summary.md"
  exit 0
fi

shipped='CallbackCrossingBenchmark.(javaRhsCoroutine|javaRhs|cRhs|emptyCallback|downcall|javaSideOnly)$'
run_jmh jni-jdk17 "$java17" "$cp_test" "$shipped"
run_jmh jni-jdk25 "$jdk25/bin/java" "$cp_test" "$shipped" "${opts25[@]}"
run_jmh ffm-jdk25 "$jdk25/bin/java" "target/ffm/classes:$cp_test" 'FfmCrossingBenchmark' "${ffm_opts[@]}"
row() { # <label> <file> <method>
  read -r a_med a_min <<<"$(stats "$out/$2.json" "$3" 3)"
  read -r b_med b_min <<<"$(stats "$out/$2.json" "$3" 1000)"
  printf '| %-58s | %8.1f | %8.1f | %8.1f | %8.1f |\n' "$1" "$a_med" "$a_min" "$b_med" "$b_min"
}
{
  echo "ns per RHS evaluation (JMH avgt, ${jmh_args[*]}; median and min over all iterations)"
  echo
  printf '| %-58s | %8s | %8s | %8s | %8s |\n' "path" "n=3 med" "n=3 min" "n=1k med" "n=1k min"
  echo "|------------------------------------------------------------|----------|----------|----------|----------|"
  row "pure C RHS through a function pointer (floor), JDK 17 run" jni-jdk17 cRhs
  row "(a) shipped: coroutine + JavaCPP JNI resume, JDK 17" jni-jdk17 javaRhsCoroutine
  row "(a) shipped: coroutine + JavaCPP JNI resume, JDK 25" jni-jdk25 javaRhsCoroutine
  row "(c) coroutine + FFM downcall resume, JDK 25" ffm-jdk25 ffmDowncallCoroutine
  row "(c) coroutine + FFM downcall resume, critical, JDK 25" ffm-jdk25 ffmDowncallCoroutineCritical
  row "    upcall fallback: JavaCPP FunctionPointer, JDK 17" jni-jdk17 javaRhs
  row "    upcall fallback: JavaCPP FunctionPointer, JDK 25" jni-jdk25 javaRhs
  row "(b) shim + staging, FFM upcall stub entry point, JDK 25" ffm-jdk25 ffmUpcall
  row "(b) bare FFM upcall (t, y*, ydot*), MemorySegment, JDK 25" ffm-jdk25 ffmUpcallPointers
  row "pure C RHS (floor), JDK 25 run" ffm-jdk25 cRhs
  echo
  echo "parts alone (ns per call):"
  echo
  printf '| %-58s | %8s | %8s | %8s | %8s |\n' "part" "n=3 med" "n=3 min" "n=1k med" "n=1k min"
  echo "|------------------------------------------------------------|----------|----------|----------|----------|"
  row "Java side only (ModelCallbacks.onEvent), JDK 17" jni-jdk17 javaSideOnly
  row "Java side only (ModelCallbacks.onEvent), JDK 25" jni-jdk25 javaSideOnly
  row "Java side only (ModelCallbacks.onEvent), FFM run JDK 25" ffm-jdk25 javaSideOnly
  row "Java->C downcall, JavaCPP JNI, JDK 17" jni-jdk17 downcall
  row "Java->C downcall, JavaCPP JNI, JDK 25" jni-jdk25 downcall
  row "Java->C downcall, FFM, JDK 25" ffm-jdk25 downcall
  row "Java->C downcall, FFM critical, JDK 25" ffm-jdk25 downcallCritical
  row "shim + staging + empty upcall, JavaCPP, JDK 17" jni-jdk17 emptyCallback
  row "shim + staging + empty upcall, JavaCPP, JDK 25" jni-jdk25 emptyCallback
  row "shim + staging + empty upcall, FFM stub, JDK 25" ffm-jdk25 emptyUpcall
} | tee "$out/summary.md"
