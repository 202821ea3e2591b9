#!/usr/bin/env bash
# Reruns the tests that cross JNI under -Xcheck:jni and fails on any JNI warning or error.
#
# Which tests: org.sundials4j.ode and org.sundials4j.tape (about 50 s, against 2.5 min for the whole
# suite under the checks on two cores). Between them they drive every native path of the library:
# plain solves with every linear solver, forward and adjoint sensitivities, the coroutine and upcall
# crossings, errors from every callback, cancellation, close/re-entry refusals, the reliability
# property tests, and the tape's native replay; the other packages reach the natives only through
# these same calls.
#
# Where the warnings go: the JVM prints "WARNING in native method: ..." (and "FATAL ERROR in native
# method: ..." before aborting) on the forked test JVM's native stdout, which surefire does not show:
# it reports a "corrupted channel" and keeps those bytes in target/surefire-reports/*.dumpstream. So
# both the Maven log and the dump files are searched.
set -euo pipefail
cd "$(dirname "$0")/.."
reports=target/surefire-reports
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
rm -f "$reports"/*.dumpstream
rc=0
mvn -B surefire:test -DargLine=-Xcheck:jni -Dtest='org.sundials4j.ode.**,org.sundials4j.tape.**' \
  -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1 || rc=$?
grep -E '^\[(INFO|ERROR|WARNING)\] (Tests run:|BUILD|Corrupted)' "$log" || true
if [ "$rc" -ne 0 ]; then
  tail -n 60 "$log"
  echo "check-jni: the tests failed under -Xcheck:jni (exit $rc)" >&2
  exit 1
fi
found=0
for f in "$log" "$reports"/*.dumpstream; do
  [ -f "$f" ] || continue
  if grep -E 'WARNING in native method|FATAL ERROR in native method' "$f" >/dev/null; then
    grep -E -A3 'WARNING in native method|FATAL ERROR in native method' "$f" | head -n 40 >&2
    found=1
  fi
done
if [ "$found" -ne 0 ]; then
  echo "check-jni: -Xcheck:jni reported JNI misuse (above)" >&2
  exit 1
fi
echo "check-jni: no JNI warnings"
