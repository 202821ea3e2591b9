#!/usr/bin/env bash
# Soak: N create/solve/close cycles of each mode (plain solve, forward and adjoint gradients, and the
# refused close-from-callback path), checking that resident memory and the mapping count stay flat.
# Not part of CI (a few minutes at the default N). Needs a build with test classes (mvn test-compile).
#
#   tests/soak.sh [N=10000] [max RSS growth MiB=16] [max mapping growth=16]
#
# Exit status: the number of modes that grew past a limit (0 = all flat). JAVA= selects another JDK.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/test-classpath.txt ] && [ -d target/test-classes/org/sundials4j/ode ] \
  || { echo "soak: build the tests first (mvn -B test-compile)" >&2; exit 2; }
java="${JAVA:-java}"
# the heap is committed up front (AlwaysPreTouch), so that RSS growth is native memory, not heap growth;
# two malloc arenas instead of one per thread: JVM threads that come and go left freed chunks resident
# in their own arenas, which moved RSS by ±20 MiB between runs (a leak still shows: it is live memory)
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
exec "$java" -Xms192m -Xmx192m -XX:+AlwaysPreTouch --enable-native-access=ALL-UNNAMED \
  -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" \
  org.sundials4j.ode.Soak "${1:-10000}" "${2:-16}" "${3:-16}"
