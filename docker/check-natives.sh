#!/usr/bin/env bash
# Checks the two jars `mvn package` ships: the API jar carries no native code, and the natives jar
# carries the JNI library with SUNDIALS inside (no libsundials NEEDED) and a RUNPATH that names no
# absolute directory (a build tree or ~/.cache would only exist on the machine that built it).
#
#   docker/check-natives.sh API_JAR NATIVES_JAR
set -euo pipefail
api_jar="${1:?API jar}"
natives_jar="${2:?natives jar}"
entry=org/sundials4j/linux-x86_64/libjnicvodes.so

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
api_libs="$(grep '\.so$' <<<"$api_entries" || true)"
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
! grep -q 'NEEDED.*libsundials' <<<"$dyn" || die "$entry depends on a shared libsundials"
echo "check-natives: ok ($(wc -c <"$tmp/$entry") bytes; RUNPATH: ${paths:-none}; NEEDED: $(sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p' <<<"$dyn" | tr '\n' ' '))"
