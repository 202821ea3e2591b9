#!/usr/bin/env bash
# Checks the two jars `mvn package` ships: the API jar carries no native code, and the natives jar
# carries a self-contained JNI library: SUNDIALS and KLU (with AMD, COLAMD, BTF, SuiteSparse_config)
# linked in statically, OpenBLAS only through libopenblas.so.0 (which JavaCPP's Loader loads from
# the org.bytedeco:openblas platform jar first), otherwise only the C/C++ runtime every Linux has;
# and a RUNPATH that names no absolute directory (a build tree or ~/.cache would only exist on the
# machine that built it).
#
#   docker/check-natives.sh API_JAR NATIVES_JAR
set -euo pipefail
api_jar="${1:?API jar}"
natives_jar="${2:?natives jar}"
entry=org/sundials4j/linux-x86_64/libjnicvodes.so
# What the JNI library may ask the dynamic loader for. libopenblas.so.0 is the preset's (see above).
allowed=(libopenblas.so.0 libstdc++.so.6 libm.so.6 libgcc_s.so.1 libc.so.6)

die() { echo "check-natives: error: $*" >&2; exit 1; }
command -v readelf >/dev/null || die "readelf not found (apt-get install binutils)"
command -v unzip >/dev/null || command -v jar >/dev/null || die "neither unzip nor jar found"

list() { if command -v unzip >/dev/null; then unzip -Z1 "$1"; else jar tf "$1"; fi; }
[ -f "$api_jar" ] || die "$api_jar missing"
[ -f "$natives_jar" ] || die "$natives_jar missing"
# The listings are read whole before they are searched: `list | grep -q` under pipefail fails at
# random, because grep -q exits at its first match and the lister then dies of SIGPIPE (status 141).
api_entries="$(list "$api_jar")"
natives_entries="$(list "$natives_jar")"
api_libs="$(grep -E '\.so(\.[0-9]+)*$' <<<"$api_entries" || true)"
[ -z "$api_libs" ] || die "$api_jar contains native libraries: $(tr '\n' ' ' <<<"$api_libs")"
grep -qx "$entry" <<<"$natives_entries" || die "$natives_jar lacks $entry"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if command -v unzip >/dev/null; then
  unzip -q -o "$natives_jar" "$entry" -d "$tmp"
else
  (cd "$tmp" && jar xf "$(readlink -f "$natives_jar")" "$entry")
fi
dyn="$(readelf -d "$tmp/$entry")"
# Only loader-relative entries ($ORIGIN) may remain; anything absolute is a build machine's path.
paths="$(sed -n 's/.*(\(RUNPATH\|RPATH\)).*\[\(.*\)\]/\2/p' <<<"$dyn" | tr ':' '\n' | sed '/^$/d')"
bad="$(grep -v '^\$ORIGIN' <<<"$paths" || true)"
[ -z "$bad" ] || die "RUNPATH of $entry points at build-machine directories: $bad"
needed="$(sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' <<<"$dyn")"
for lib in $needed; do
  ok=0
  for a in "${allowed[@]}"; do [ "$lib" != "$a" ] || ok=1; done
  [ $ok = 1 ] || die "$entry needs $lib from the system (allowed: ${allowed[*]}); link it statically or take it from a JavaCPP preset"
done
grep -qx libopenblas.so.0 <<<"$needed" || die "$entry does not link libopenblas.so.0: the LAPACK solvers would be unresolved"
# Static KLU and SUNDIALS: their symbols are defined inside, not left for a shared library to bring.
undefined="$(nm -D --undefined-only "$tmp/$entry" | awk '{print $2}' | grep -E '^(klu_|amd_|colamd|btf_|SuiteSparse_|SUN|N_V|CVode)' || true)"
[ -z "$undefined" ] || die "$entry leaves KLU/SUNDIALS symbols undefined: $(head -n5 <<<"$undefined" | tr '\n' ' ')"
echo "check-natives: ok ($(wc -c <"$tmp/$entry") bytes; RUNPATH: ${paths:-none}; NEEDED: $(tr '\n' ' ' <<<"$needed"))"
