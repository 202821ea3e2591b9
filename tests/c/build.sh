#!/bin/bash
# Builds the C reference programs of tests/c against the same SUNDIALS the JNI library links
# (target/sundials, made by cmake/build-sundials.sh), never against a system libsundials.
# Output: target/c/<program>, or $CLIMIT_OUT/<program>. The climit programs choose their clock at run
# time (CLIMIT_CLOCK=cpu: thread CPU time, see climit.h).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
sun="$root/target/sundials"
if [[ ! -f "$sun/include/cvodes/cvodes.h" || ! -f "$sun/lib/libsundials_cvodes.a" ]]; then
  echo "tests/c/build.sh: $sun is missing or incomplete; run cmake/build-sundials.sh (or mvn process-classes) first" >&2
  exit 1
fi
command -v gcc >/dev/null || { echo "tests/c/build.sh: gcc not found (apt-get install gcc)" >&2; exit 1; }
out="${CLIMIT_OUT:-$root/target/c}"
mkdir -p "$out"
# Static archives resolve left to right: users before what they use, core last. Our -I comes
# before /usr/include, so a Debian libsundials-dev there cannot shadow these headers.
libs=(sundials_arkode sundials_cvodes sundials_sunnonlinsolfixedpoint sundials_sunlinsoldense sundials_sunmatrixdense sundials_nvecserial sundials_core)
archives=$(printf "$sun/lib/lib%s.a " "${libs[@]}")
cc() { # <output> <sources...>
  local o="$1"; shift
  gcc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -I"$sun/include" "$@" -o "$out/$o" $archives -lm
}
cc rober_c "$root/tests/c/rober_c.c"
# The C limit of the benchmark comparison: one driver (climit.c) linked with each problem's model.
for p in rober pollu lotka_volterra; do
  cc "climit_$p" "$root/tests/c/climit.c" "$root/tests/c/climit_$p.c"
done
# The go/no-go measurement of ARKODE's explicit Runge-Kutta tables on the non-stiff problem.
cc erk_lotka_volterra "$root/tests/c/erk_climit.c" "$root/tests/c/climit_lotka_volterra.c"
