#!/usr/bin/env bash
# Builds the pinned native dependencies of the JNI library from Debian's source packages and caches
# them outside target/, keyed by versions and build flags:
#   - KLU with AMD, COLAMD, BTF and SuiteSparse_config (SuiteSparse 5.12.0), static and PIC, so the
#     JNI library carries them (Debian's own libklu.a is not position-independent);
#   - SUNDIALS 7.1.1: CVODES and ARKODE (its explicit Runge-Kutta ERKStep), static, PIC, LAPACK
#     solvers (resolved at run time against the OpenBLAS of JavaCPP's openblas preset), KLU from the
#     build above.
#
#   cmake/build-sundials.sh [--print-prefix] [--link DIR]
#
# Prints the install prefix on its last line (stdout). With --link DIR, also points DIR/sundials at
# it, which is how the Maven build finds it (target/sundials), so `mvn clean` costs a symlink, not a
# rebuild (DIR/sundials.stamp names the prefix and changes only with it). Progress is one line per stage on stderr; each stage's full log is in
# $cache/logs (named in the line, printed in full if the stage fails).
# Environment: SUNDIALS4J_CACHE (default ~/.cache/sundials4j).
set -euo pipefail

SUNDIALS_VERSION=7.1.1
SUNDIALS_SPEC=sundials=7.1.1+dfsg1-10
SUNDIALS_SUITE=trixie
SUNDIALS_TARBALL=sundials_7.1.1+dfsg1.orig.tar.xz
SUNDIALS_SHA256=8ed409272af77e958d0ac02fd72199d8643063faf2aa61811e5c615d7db5cf8e
SUITESPARSE_VERSION=5.12.0
SUITESPARSE_SPEC=suitesparse=1:5.12.0+dfsg-2
SUITESPARSE_SUITE=bookworm
SUITESPARSE_TARBALL=suitesparse_5.12.0+dfsg.orig.tar.xz
SUITESPARSE_SHA256=bb106c43049138c19675cd70322e72ff8e4fd8bdcab3a096307fd78488913faf
# KLU and what it links, in dependency order (each one's Makefile builds lib<name>.a).
SUITESPARSE_PARTS=(SuiteSparse_config AMD COLAMD BTF KLU)

tag=build-sundials
link_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --link) link_dir="${2:?--link needs a directory}"; shift 2 ;;
    --print-prefix) shift ;;
    *) echo "$tag: error: unknown argument '$1'" >&2; exit 1 ;;
  esac
done

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${SUNDIALS4J_CACHE:-$HOME/.cache/sundials4j}"
logs="$cache/logs"
# shellcheck source=cmake/lib.sh
. "$here/lib.sh"
multiarch="$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)"
libdir="/usr/lib/$multiarch"

# OpenMP off: KLU does not use it, and -fopenmp would add libgomp to what the JNI library needs.
suitesparse_make=(static CUDA=no CFOPENMP= "OPTIMIZATION=-O3")
cmake_flags=(
  -DCMAKE_BUILD_TYPE=Release
  -DBUILD_SHARED_LIBS=OFF -DBUILD_STATIC_LIBS=ON
  -DCMAKE_POSITION_INDEPENDENT_CODE=ON
  -DBUILD_ARKODE=ON -DBUILD_CVODE=OFF -DBUILD_CVODES=ON
  -DBUILD_IDA=OFF -DBUILD_IDAS=OFF -DBUILD_KINSOL=OFF
  -DBUILD_FORTRAN_MODULE_INTERFACE=OFF -DBUILD_NVECTOR_MANYVECTOR=OFF
  -DEXAMPLES_ENABLE_C=OFF -DEXAMPLES_ENABLE_CXX=OFF -DEXAMPLES_INSTALL=OFF
  -DBUILD_TESTING=OFF -DSUNDIALS_TEST_UNITTESTS=OFF
  -DENABLE_MPI=OFF -DENABLE_OPENMP=OFF -DENABLE_PTHREAD=OFF
  -DSUNDIALS_INDEX_SIZE=64 -DSUNDIALS_PRECISION=double
  # CMake's LAPACK check links a test program against Debian's libopenblas (libopenblas-dev, a build
  # dependency only): the static SUNDIALS archives record no library, and the JNI library takes
  # libopenblas.so.0 from JavaCPP's openblas preset.
  -DENABLE_LAPACK=ON "-DLAPACK_LIBRARIES=$libdir/libopenblas.so"
  # Name mangling of OpenBLAS' Fortran symbols, stated so that no Fortran compiler is needed to probe it.
  -DSUNDIALS_LAPACK_CASE=lower -DSUNDIALS_LAPACK_UNDERSCORES=one
  -DENABLE_KLU=ON
)
# Our fixes to the SUNDIALS source (fix_source below); a new one changes the cache key.
SOURCE_FIXES="s4j-1: cvAdjustAdams zeroes the new quadrature-sensitivity column on an order increase
s4j-2: CVApolynomialGetY uses no more points than the interval stores
s4j-3: cvYddNorm predicts the sensitivities whenever the quadrature sensitivities are error-tested
s4j-4: the three CV_BAD_T messages that printed no arguments print t and the interval"
key="$(printf '%s\n' "$SUNDIALS_VERSION" "$SUNDIALS_SHA256" "${cmake_flags[@]}" "$SOURCE_FIXES" \
  "$SUITESPARSE_SHA256" "${SUITESPARSE_PARTS[@]}" "${suitesparse_make[@]}" | sha256sum | cut -c1-12)"
prefix="$cache/sundials-$SUNDIALS_VERSION-$key"

finish() {
  if [ -n "$link_dir" ]; then
    mkdir -p "$link_dir"
    ln -sfn "$prefix" "$link_dir/sundials"
    # Changes only when the prefix does: the Maven build's up-to-date checks of the parsed bindings
    # and of the JNI library take it as an input.
    [ "$(cat "$link_dir/sundials.stamp" 2>/dev/null || true)" = "$prefix" ] || echo "$prefix" >"$link_dir/sundials.stamp"
  fi
  echo "$prefix"
}

if [ -f "$prefix/.complete" ]; then
  finish
  exit 0
fi

mkdir -p "$cache"
work="$(mktemp -d "$cache/build.XXXXXX")"
trap 'rm -rf "$work"' EXIT

need_packages cmake g++ make xz-utils libopenblas-dev dpkg-dev
[ -f "$libdir/libopenblas.so" ] || die "libopenblas.so not found in $libdir (package libopenblas-dev)"
fetch_source "$SUITESPARSE_SPEC" "$SUITESPARSE_SUITE" "$SUITESPARSE_TARBALL" "$SUITESPARSE_SHA256"
fetch_source "$SUNDIALS_SPEC" "$SUNDIALS_SUITE" "$SUNDIALS_TARBALL" "$SUNDIALS_SHA256"
rm -rf "$prefix"
mkdir -p "$prefix/include/suitesparse" "$prefix/lib"

# --- KLU and its ordering libraries (static, PIC) into $prefix/{include/suitesparse,lib} -----------
build_klu() {
  local ss="SuiteSparse-$SUITESPARSE_VERSION" part dir
  tar -C "$work" -xJf "$cache/src/$SUITESPARSE_TARBALL" "${SUITESPARSE_PARTS[@]/#/$ss/}"
  for part in "${SUITESPARSE_PARTS[@]}"; do
    dir="$work/$ss/$part"
    [ "$part" = SuiteSparse_config ] || dir="$dir/Lib"
    make -C "$dir" -j"$(nproc)" "${suitesparse_make[@]}"
    cp "$dir"/lib*.a "$prefix/lib/"
    if [ "$part" = SuiteSparse_config ]; then cp "$work/$ss/$part"/*.h "$prefix/include/suitesparse/"
    else cp "$work/$ss/$part"/Include/*.h "$prefix/include/suitesparse/"; fi
  done
  # Every object must be position-independent, or the JNI library cannot take it in.
  # grep reads the whole listing (no -q): under pipefail an early exit would SIGPIPE readelf, and
  # the negated status of 141 would pass the check exactly when a relocation was found.
  ! readelf -r "$prefix"/lib/lib{klu,amd,colamd,btf,suitesparseconfig}.a | grep -E 'R_X86_64_(32|32S) ' >/dev/null \
    || { echo "non-PIC relocations in the SuiteSparse archives"; return 1; }
}
stage "building KLU, AMD, COLAMD, BTF (SuiteSparse $SUITESPARSE_VERSION, static, PIC)" "$logs/build-klu.log" build_klu

# --- SUNDIALS --------------------------------------------------------------------------------------
# s4j-1: on an Adams order increase CVODES zeroes the new Nordsieck column of the states, the
# quadratures and the sensitivities (cvAdjustAdams) but not of the quadrature sensitivities, whose
# column then holds whatever the memory held: the last run's values in a reused solver, uninitialised
# memory in a fresh one. Forward-mode gradients of an integral with Adams depended on history.
fix_source() {
  local f="$1/src/cvodes/cvodes.c"
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
    || { echo "source fix s4j-1 did not apply to $f"; return 1; }
}
# s4j-2: the adjoint's polynomial interpolation (CVApolynomialGetY, forward in time) takes the
# order of the stored point and reads that many earlier points, moving its base up to dt_mem[order]
# when too few precede it. In a checkpoint interval with fewer stored points than the order (the
# last one is often short) that reads entries no point of this interval wrote: stale or
# uninitialised vectors. The order is capped by the points the interval holds.
fix_polynomial() {
  local f="$1/src/cvodes/cvodea.c"
  awk '
    /^  if \(dir == 1\)$/ { indir = 1 }
    { print }
    indir && $0 == "    order   = content->order;" && !done {
      print "    if (order > ca_mem->ca_np - 1) { order = (int)(ca_mem->ca_np - 1); }"
      done = 1; indir = 0
    }' "$f" >"$f.fixed" && mv "$f.fixed" "$f"
  [ "$(grep -c 'if (order > ca_mem->ca_np - 1)' "$f")" = 1 ] || { echo "source fix s4j-2 did not apply to $f"; return 1; }
}
# s4j-3: the initial step estimate (cvYddNorm) predicts y and, only when the sensitivities are in
# the error test (errconS), yS; with errconS off but the quadrature sensitivities error-tested
# (errconQS) it then evaluates fQS at whatever yS last held: the previous run's final
# sensitivities in a reused solver, uninitialised memory in a fresh one. Forward-mode gradients of
# an integral with withErrorControl(false) depended on history (HistoryIndependenceTest).
fix_yddnorm() {
  local f="$1/src/cvodes/cvodes.c"
  awk '
    /^static int cvYddNorm\(CVodeMem cv_mem, sunrealtype hg, sunrealtype\* yddnrm\)$/ { infn = 1 }
    infn && $0 == "  if (cv_mem->cv_sensi && cv_mem->cv_errconS)" && !done {
      print "  if (cv_mem->cv_sensi && (cv_mem->cv_errconS || (cv_mem->cv_quadr_sensi && cv_mem->cv_errconQS)))"
      done = 1; infn = 0; next
    }
    { print }' "$f" >"$f.fixed" && mv "$f.fixed" "$f"
  [ "$(grep -c 'cv_sensi && (cv_mem->cv_errconS || (cv_mem->cv_quadr_sensi && cv_mem->cv_errconQS))' "$f")" = 1 ] \
    || { echo "source fix s4j-3 did not apply to $f"; return 1; }
}
# s4j-4: CVodeGetQuadDky, CVodeGetSensDky1 and CVodeGetQuadSensDky1 report CV_BAD_T with a format
# of three %lg ("t = .. is not between tcur - hu = .. and tcur = ..") but pass no arguments, so the
# message quoted whatever the registers and stack held. They pass the ones CVodeGetDky passes.
fix_bad_t_messages() {
  local f="$1/src/cvodes/cvodes.c"
  awk '
    $0 == "    cvProcessError(cv_mem, CV_BAD_T, __LINE__, __func__, __FILE__, MSGCV_BAD_T);" {
      print "    cvProcessError(cv_mem, CV_BAD_T, __LINE__, __func__, __FILE__, MSGCV_BAD_T,"
      print "                   t, cv_mem->cv_tn - cv_mem->cv_hu, cv_mem->cv_tn);"
      fixed++; next
    }
    { print }' "$f" >"$f.fixed" && mv "$f.fixed" "$f"
  [ "$(grep -c 'MSGCV_BAD_T,$' "$f")" = 4 ] || { echo "source fix s4j-4 did not apply to $f"; return 1; }
}
build_sundials() {
  tar -C "$work" -xf "$cache/src/$SUNDIALS_TARBALL"
  local srcdir
  srcdir="$(find "$work" -maxdepth 1 -mindepth 1 -type d -name 'sundials*' | head -n1)"
  [ -f "$srcdir/CMakeLists.txt" ] || { echo "unexpected tarball layout"; return 1; }
  fix_source "$srcdir"
  fix_polynomial "$srcdir"
  fix_yddnorm "$srcdir"
  fix_bad_t_messages "$srcdir"
  cmake -S "$srcdir" -B "$work/build" -G "Unix Makefiles" "-DCMAKE_INSTALL_PREFIX=$prefix" -DCMAKE_INSTALL_LIBDIR=lib \
    "${cmake_flags[@]}" "-DKLU_INCLUDE_DIR=$prefix/include/suitesparse" "-DKLU_LIBRARY_DIR=$prefix/lib"
  cmake --build "$work/build" -j"$(nproc)"
  cmake --install "$work/build"
  local lib
  for lib in sundials_cvodes sundials_arkode sundials_sunlinsolklu sundials_sunlinsollapackdense sundials_sunlinsollapackband; do
    [ -f "$prefix/lib/lib$lib.a" ] || { echo "expected $prefix/lib/lib$lib.a was not built"; return 1; }
  done
  # The reference outputs of SUNDIALS' own examples are the test oracle: keep them with the build.
  mkdir -p "$prefix/share/examples"
  cp -r "$srcdir/examples/cvodes/serial" "$prefix/share/examples/cvodes-serial"
}
stage "building SUNDIALS $SUNDIALS_VERSION (CVODES, ARKODE, static, PIC) into $prefix" "$logs/build-sundials.log" build_sundials
touch "$prefix/.complete"
finish
