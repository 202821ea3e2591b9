#!/usr/bin/env bash
# Builds the pinned SUNDIALS (CVODES only, static, PIC, LAPACK on OpenBLAS, KLU) from Debian's source
# package and caches the install outside target/, keyed by version and build flags.
#
#   cmake/build-sundials.sh [--print-prefix] [--link DIR]
#
# Prints the install prefix on its last line. With --link DIR, also points DIR/sundials at it, which
# is how the Maven build finds it (target/sundials), so `mvn clean` costs a symlink, not a rebuild.
# Environment: SUNDIALS4J_CACHE (default ~/.cache/sundials4j).
set -euo pipefail

SUNDIALS_VERSION=7.1.1
DEBIAN_VERSION=7.1.1+dfsg1-10
DEBIAN_SUITE=trixie
TARBALL=sundials_7.1.1+dfsg1.orig.tar.xz
# SHA-256 of the dfsg tarball, checked before anything is unpacked.
TARBALL_SHA256=8ed409272af77e958d0ac02fd72199d8643063faf2aa61811e5c615d7db5cf8e

die() { echo "build-sundials: error: $*" >&2; exit 1; }
log() { echo "build-sundials: $*" >&2; }

link_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --link) link_dir="${2:?--link needs a directory}"; shift 2 ;;
    --print-prefix) shift ;;
    *) die "unknown argument '$1'" ;;
  esac
done

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${SUNDIALS4J_CACHE:-$HOME/.cache/sundials4j}"
multiarch="$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)"
libdir="/usr/lib/$multiarch"

cmake_flags=(
  -DCMAKE_BUILD_TYPE=Release
  -DBUILD_SHARED_LIBS=OFF -DBUILD_STATIC_LIBS=ON
  -DCMAKE_POSITION_INDEPENDENT_CODE=ON
  -DBUILD_ARKODE=OFF -DBUILD_CVODE=OFF -DBUILD_CVODES=ON
  -DBUILD_IDA=OFF -DBUILD_IDAS=OFF -DBUILD_KINSOL=OFF
  -DBUILD_FORTRAN_MODULE_INTERFACE=OFF -DBUILD_NVECTOR_MANYVECTOR=OFF
  -DEXAMPLES_ENABLE_C=OFF -DEXAMPLES_ENABLE_CXX=OFF -DEXAMPLES_INSTALL=OFF
  -DBUILD_TESTING=OFF -DSUNDIALS_TEST_UNITTESTS=OFF
  -DENABLE_MPI=OFF -DENABLE_OPENMP=OFF -DENABLE_PTHREAD=OFF
  -DSUNDIALS_INDEX_SIZE=64 -DSUNDIALS_PRECISION=double
  -DENABLE_LAPACK=ON "-DLAPACK_LIBRARIES=$libdir/libopenblas.so"
  # Name mangling of OpenBLAS' Fortran symbols, stated so that no Fortran compiler is needed to probe it.
  -DSUNDIALS_LAPACK_CASE=lower -DSUNDIALS_LAPACK_UNDERSCORES=one
  -DENABLE_KLU=ON -DKLU_INCLUDE_DIR=/usr/include/suitesparse "-DKLU_LIBRARY_DIR=$libdir"
)
# Our fixes to the SUNDIALS source (fix_source below); a new one changes the cache key.
SOURCE_FIXES="s4j-1: cvAdjustAdams zeroes the new quadrature-sensitivity column on an order increase
s4j-2: CVApolynomialGetY uses no more points than the interval stores"
key="$(printf '%s\n' "$SUNDIALS_VERSION" "$TARBALL_SHA256" "${cmake_flags[@]}" "$SOURCE_FIXES" | sha256sum | cut -c1-12)"
prefix="$cache/sundials-$SUNDIALS_VERSION-$key"

finish() {
  if [ -n "$link_dir" ]; then
    mkdir -p "$link_dir"
    ln -sfn "$prefix" "$link_dir/sundials"
  fi
  echo "$prefix"
}

if [ -f "$prefix/.complete" ]; then
  finish
  exit 0
fi

# --- system packages -------------------------------------------------------------------------------
need_pkgs=()
for p in cmake g++ make xz-utils libopenblas-dev libsuitesparse-dev dpkg-dev; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ] || need_pkgs+=("$p")
done
sudo_cmd=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || die "not root and no sudo: install ${need_pkgs[*]:-nothing} and the SUNDIALS source by hand"
  sudo_cmd=(sudo -n)
fi
apt_updated=0
apt_update() { [ $apt_updated = 1 ] || { "${sudo_cmd[@]}" apt-get update -qq >&2 || die "apt-get update failed"; apt_updated=1; }; }
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing ${need_pkgs[*]}"
  apt_update
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >&2 \
    || die "apt-get install ${need_pkgs[*]} failed"
fi
[ -f "$libdir/libopenblas.so" ] || die "libopenblas.so not found in $libdir (package libopenblas-dev)"
[ -f /usr/include/suitesparse/klu.h ] || die "klu.h not found (package libsuitesparse-dev)"

# --- source tarball: Debian's source package, from a deb-src entry derived from this machine's sources
src_cache="$cache/src"
mkdir -p "$src_cache"
if [ ! -f "$src_cache/$TARBALL" ]; then
  srcfile=/etc/apt/sources.list.d/sundials4j-src.sources
  if [ ! -f "$srcfile" ]; then
    uri="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)"
    [ -n "$uri" ] || uri="$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)"
    [ -n "$uri" ] || die "cannot derive a Debian mirror from this machine's apt sources"
    keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    log "adding a deb-src entry for suite $DEBIAN_SUITE (derived from the existing sources)"
    printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n' "$uri" "$DEBIAN_SUITE" "$keyring" \
      | "${sudo_cmd[@]}" tee "$srcfile" >/dev/null
    apt_updated=0
  fi
  apt_update
  ( cd "$src_cache" && apt-get source --download-only "sundials=$DEBIAN_VERSION" >&2 ) \
    || die "apt-get source sundials=$DEBIAN_VERSION failed"
  [ -f "$src_cache/$TARBALL" ] || die "apt-get source did not produce $TARBALL"
fi
actual="$(sha256sum "$src_cache/$TARBALL" | cut -d' ' -f1)"
[ "$actual" = "$TARBALL_SHA256" ] || die "checksum mismatch for $TARBALL: expected $TARBALL_SHA256, got $actual"

# --- build ----------------------------------------------------------------------------------------
work="$(mktemp -d "$cache/build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xf "$src_cache/$TARBALL"
srcdir="$(find "$work" -maxdepth 1 -mindepth 1 -type d | head -n1)"
[ -f "$srcdir/CMakeLists.txt" ] || die "unexpected tarball layout"

# s4j-1: on an Adams order increase CVODES zeroes the new Nordsieck column of the states, the
# quadratures and the sensitivities (cvAdjustAdams) but not of the quadrature sensitivities, whose
# column then holds whatever the memory held: the last run's values in a reused solver, uninitialised
# memory in a fresh one. Forward-mode gradients of an integral with Adams depended on history.
fix_source() {
  local f="$srcdir/src/cvodes/cvodes.c"
  awk '
    prev ~ /^                                cv_mem->cv_znS\[cv_mem->cv_L\]\);$/ && $0 == "    }" && !done {
      print
      print "    if (cv_mem->cv_quadr_sensi)"
      print "    {"
      print "      (void)N_VConstVectorArray(cv_mem->cv_Ns, ZERO, cv_mem->cv_znQS[cv_mem->cv_L]);"
      print "    }"
      done = 1; prev = $0; next
    }
    { print; prev = $0 }' "$f" >"$f.fixed" && mv "$f.fixed" "$f"
  [ "$(grep -c 'N_VConstVectorArray(cv_mem->cv_Ns, ZERO, cv_mem->cv_znQS\[cv_mem->cv_L\])' "$f")" = 1 ] \
    || die "source fix s4j-1 did not apply to $f"
}
# s4j-2: the adjoint's polynomial interpolation (CVApolynomialGetY, forward in time) takes the
# order of the stored point and reads that many earlier points, moving its base up to dt_mem[order]
# when too few precede it. In a checkpoint interval with fewer stored points than the order (the
# last one is often short) that reads entries no point of this interval wrote: stale or
# uninitialised vectors. The order is capped by the points the interval holds.
fix_polynomial() {
  local f="$srcdir/src/cvodes/cvodea.c"
  awk '
    /^  if \(dir == 1\)$/ { indir = 1 }
    { print }
    indir && $0 == "    order   = content->order;" && !done {
      print "    if (order > ca_mem->ca_np - 1) { order = (int)(ca_mem->ca_np - 1); }"
      done = 1; indir = 0
    }' "$f" >"$f.fixed" && mv "$f.fixed" "$f"
  [ "$(grep -c 'if (order > ca_mem->ca_np - 1)' "$f")" = 1 ] || die "source fix s4j-2 did not apply to $f"
}
fix_source
fix_polynomial
rm -rf "$prefix"
log "configuring SUNDIALS $SUNDIALS_VERSION into $prefix"
cmake -S "$srcdir" -B "$work/build" -G "Unix Makefiles" "-DCMAKE_INSTALL_PREFIX=$prefix" -DCMAKE_INSTALL_LIBDIR=lib \
  "${cmake_flags[@]}" >"$work/cmake.log" 2>&1 || { tail -n 40 "$work/cmake.log" >&2; die "cmake configure failed"; }
cmake --build "$work/build" -j"$(nproc)" >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log" >&2; die "cmake build failed"; }
cmake --install "$work/build" >"$work/install.log" 2>&1 || { tail -n 20 "$work/install.log" >&2; die "cmake install failed"; }
for lib in sundials_cvodes sundials_sunlinsolklu sundials_sunlinsollapackdense sundials_sunlinsollapackband; do
  [ -f "$prefix/lib/lib$lib.a" ] || die "expected $prefix/lib/lib$lib.a was not built"
done
# The reference outputs of SUNDIALS' own examples are the test oracle: keep them with the build.
mkdir -p "$prefix/share/examples"
cp -r "$srcdir/examples/cvodes/serial" "$prefix/share/examples/cvodes-serial"
touch "$prefix/.complete"
log "done"
finish
