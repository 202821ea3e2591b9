#!/usr/bin/env bash
# Builds and checks the sundials4j image with podman by running the README's image commands as
# written (read from README.md's "Docker image" block, so the two cannot drift), then checks the
# result: the demo (a stiff solve, and the adjoint gradient against cvsRoberts_ASAi_dns and against
# forward sensitivities), `solve rober --json` against cvsRoberts_dns, `fit lotka-volterra` writing
# valid PNGs (headless JFreeChart), a runtime image with a JRE and
# nothing else (no native package: OpenBLAS comes from the preset jar, KLU and SUNDIALS are linked
# in), and the JNI library's dependencies as the JVM resolved them.
#
#   docker/test-image.sh            (root, or passwordless sudo to install podman the first time)
#
# The image lands in podman's default storage as `sundials4j`, so `podman run --rm sundials4j`
# works afterwards. No registry is pulled from: the base `debian:bookworm` is made here with
# debootstrap from this machine's Debian mirror and stored under that name (with this machine's apt
# sources and locally trusted CA certificates inside, as a host's own base image has them). Hosts
# whose podman defaults cannot run containers (this CI host: hybrid cgroups, no CAP_SYS_RESOURCE for
# the default ulimits) get the containers.conf written below; the script says when it uses it.
#
# Environment: SUNDIALS4J_PODMAN_DIR (default ~/.cache/sundials4j/podman): that config and logs.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
work="${SUNDIALS4J_PODMAN_DIR:-$HOME/.cache/sundials4j/podman}"
sources=/etc/apt/sources.list.d/debian.sources
base=docker.io/library/debian:bookworm
image=localhost/sundials4j:latest

current="start"
step() { current="$1"; echo "test-image: == $1" >&2; }
fail() { echo "test-image: $*" >&2; exit 1; }
trap 'rc=$?; [ $rc -eq 0 ] || echo "test-image: FAILED in step \"$current\" (exit $rc)" >&2' EXIT
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

step "tools"
sudo_cmd=()
[ "$(id -u)" = 0 ] || sudo_cmd=(sudo -n)
missing=()
for tool in podman buildah debootstrap runc python3; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  mkdir -p "$work"
  { "${sudo_cmd[@]}" apt-get update -q \
    && DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"; } \
    >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; fail "apt-get install ${missing[*]} failed"; }
fi
# podman here is rootful: the cgroupfs/runc set-up below does not work rootless.
[ "$(id -u)" = 0 ] || fail "run as root (rootful podman)"
[ -f "$sources" ] || fail "$sources not found: apt inside the build needs this machine's Debian sources"

step "base image"
mkdir -p "$work/tmp"
export TMPDIR="$work/tmp"
if podman image exists "$base" 2>/dev/null; then
  echo "test-image: $base exists (made here earlier)" >&2
else
  mirror="$(grep -m1 '^URIs:' "$sources" | awk '{print $2}')"
  [ -n "$mirror" ] || fail "no URIs: line in $sources"
  t0="$(now)"
  rootfs="$work/rootfs-bookworm"
  rm -rf "$rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { cat "$work/debootstrap.log" >&2; fail "debootstrap failed (log: $work/debootstrap.log)"; }
  # This machine's apt sources and local CA anchors (its TLS-inspecting proxy's CA; the
  # ca-certificates postinst in the image's apt steps adds them to the system and Java stores).
  rm -f "$rootfs/etc/apt/sources.list"
  cp "$sources" "$rootfs$sources"
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    mkdir -p "$rootfs/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
  fi
  rm -rf "$rootfs/var/cache/apt/archives/"*.deb "$rootfs/var/lib/apt/lists/"*
  tar -C "$rootfs" -c . | podman import - "$base" >/dev/null
  rm -rf "$rootfs"
  echo "test-image: made $base in $(since "$t0") s" >&2
fi

step "podman config"
if podman run --rm "$base" true >/dev/null 2>&1; then
  echo "test-image: podman's defaults run containers here" >&2
else
  # crun fails on hybrid cgroups, and the default ulimits need CAP_SYS_RESOURCE.
  cat >"$work/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
netns = "host"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
  export CONTAINERS_CONF="$work/containers.conf"
  podman run --rm "$base" true >"$work/probe.log" 2>&1 || { cat "$work/probe.log" >&2; fail "podman cannot run a container here"; }
  echo "test-image: podman's defaults cannot run containers here; using CONTAINERS_CONF=$CONTAINERS_CONF" \
       "(export it to run the README's podman commands on this host)" >&2
fi

step "the README's image commands"
# The commands of the README's block that builds and runs the image, exactly as written.
mapfile -t commands < <(awk '/^```bash$/ {on = 1; block = ""; next} /^```$/ {if (on && block ~ /podman build/) {printf "%s", block; exit} on = 0; next}
  on {sub(/[ \t]+#.*$/, ""); block = block $0 "\n"}' "$root/README.md")
[ ${#commands[@]} -ge 3 ] || fail "README.md has no bash block with the podman build/run commands"
printf 'test-image:   $ %s\n' "${commands[@]}" >&2
cd "$root"
# Build stages of earlier runs (untagged) are dropped after a successful build; this one's stay as
# the layer cache of the next.
stale="$(podman images -q --filter dangling=true | sort -u)"
out="$work/out"
mkdir -p "$out"
declare -a took
for i in "${!commands[@]}"; do
  t0="$(now)"
  bash -c "${commands[$i]}" >"$out/cmd$i.out" 2>"$out/cmd$i.err" \
    || { tail -n 60 "$out/cmd$i.err" >&2; fail "'${commands[$i]}' failed (stderr: $out/cmd$i.err)"; }
  took[$i]="$(since "$t0")"
done
grep -q '^podman build' <<<"${commands[0]}" || fail "the README block does not start with podman build"
[ "${commands[1]}" = "podman run --rm sundials4j" ] || fail "the README block's second command is not 'podman run --rm sundials4j'"
used="$(cat "$out/cmd0.out" "$out/cmd0.err" | grep -oE '[0-9a-f]{12,64}' | cut -c1-12 | sort -u)"
for id in $stale; do grep -qx "${id:0:12}" <<<"$used" || podman rmi "$id" >/dev/null 2>&1 || true; done
size_mb="$(podman image inspect --format '{{.Size}}' "$image" | awk '{printf "%.0f", $1 / 1e6}')"

step "demo: solve and adjoint gradient"
python3 - "$out/cmd1.out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
# cvsRoberts_dns.out at t = 0.4 and cvsRoberts_ASAi_dns.out (SUNDIALS' own examples, same settings)
row = re.search(r"^\s*4\.0000e-01\s+(\S+)\s+(\S+)\s+(\S+)", text, re.M)
assert row, "no t = 0.4 row in the demo output"
for a, b in zip(map(float, row.groups()), [9.851641e-01, 3.386242e-05, 1.480205e-02]):
    assert abs(a - b) <= 1e-4 * abs(b), f"y(0.4) = {row.groups()}"
ref = {"dG/dp1": 7.6842e+05, "dG/dp2": -3.0691e+00, "dG/dp3": 5.1144e-04}
for name, want in ref.items():
    m = re.search(r"^" + re.escape(name) + r"\s+(\S+)\s+(\S+)", text, re.M)
    assert m, f"no {name} row"
    adj, fwd = float(m.group(1)), float(m.group(2))
    # the reference is printed to 5 digits
    assert abs(adj - want) <= 1e-3 * abs(want), f"{name}: adjoint {adj}, cvsRoberts_ASAi_dns {want}"
    assert abs(adj - fwd) <= 1e-3 * abs(fwd), f"{name}: adjoint {adj} vs forward {fwd}"
g = re.search(r"^G\s+(\S+)", text, re.M)
assert g and abs(float(g.group(1)) - 3.9983e7) <= 1e-4 * 3.9983e7, "G"
print("test-image: demo ok: y(0.4) and dG/dp (adjoint) match cvsRoberts_dns / cvsRoberts_ASAi_dns", file=sys.stderr)
PY

step "solve rober --json"
python3 - "$out/cmd2.out" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).read())
assert r["problem"] == "rober", r["problem"]
assert len(r["times"]) == 12, f"{len(r['times'])} output times, expected 12"
# cvsRoberts_dns.out at t = 0.4 (SUNDIALS' own example, same tolerances)
ref = [9.851641e-01, 3.386242e-05, 1.480205e-02]
y = r["states"][0]
assert abs(r["times"][0] - 0.4) < 1e-12, r["times"][0]
for i, (a, b) in enumerate(zip(y, ref)):
    assert abs(a - b) <= 1e-4 * abs(b), f"y{i+1}(0.4) = {a}, reference {b}"
for t, s in zip(r["times"], r["states"]):
    assert abs(sum(s) - 1) < 1e-6, f"mass not conserved at t={t}: {sum(s)}"
print(f"test-image: rober ok: y(0.4) = {y}, {r['stats']['steps']} steps", file=sys.stderr)
PY

step "fit lotka-volterra: pictures"
# JFreeChart draws headless with the fonts the JRE's own dependencies bring (libfontconfig1 ->
# fontconfig-config -> fonts-dejavu-core): nothing is installed for it. The quick example runs in a
# container, its PNGs are copied out and decoded whole (signature, chunk CRCs, IHDR/IDAT sizes,
# not one flat colour), and its estimates are checked against the problem set's parameters.
t0="$(now)"
cid="$(podman create "$image" fit lotka-volterra --out /tmp/fit --json)"
if ! podman start -a "$cid" >"$out/fit.json" 2>"$out/fit.err"; then
  podman rm "$cid" >/dev/null 2>&1 || true
  tail -n 30 "$out/fit.err" >&2
  fail "fit lotka-volterra failed in the image (stderr: $out/fit.err)"
fi
rm -rf "$out/fit" && mkdir -p "$out/fit"
podman cp "$cid:/tmp/fit/lotka-volterra/." "$out/fit/" && podman rm "$cid" >/dev/null
fit_took="$(since "$t0")"
python3 - "$out/fit.json" "$out/fit" <<'PY'
import json, os, struct, sys, zlib
r = json.loads(open(sys.argv[1]).read())
pictures = [os.path.join(sys.argv[2], os.path.basename(p)) for p in r["pictures"]]
assert sorted(map(os.path.basename, pictures)) == ["lv-fit.png", "lv-loss.png"], r["pictures"]
for path in pictures:
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path}: not a PNG"
    pos, kinds, idat = 8, [], b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"{path}: bad CRC in chunk {kind}"
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        kinds.append(kind)
        pos += 12 + length
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND" and b"IDAT" in kinds, f"{path}: chunks {kinds}"
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    raw = zlib.decompress(idat)
    assert len(raw) == height * (1 + (width * channels * depth + 7) // 8), f"{path}: IDAT holds {len(raw)} bytes"
    assert width >= 400 and height >= 300 and len(set(raw)) > 32, f"{path}: {width}x{height}, {len(set(raw))} distinct bytes"
truth = {"alpha": 2 / 3, "beta": -4 / 3, "gamma": -1.0, "delta": 1.0}
for name, want in truth.items():
    got, se = r["parameters"][name], r["standardErrors"][name]
    assert abs(got - want) <= 5 * se, f"{name} = {got} ± {se}, true {want}"
print(f"test-image: fit ok: {r['iterations']} iterations, final loss {r['finalLoss']:.6g}, "
      f"{', '.join(os.path.basename(p) + ' ' + str(os.path.getsize(p)) + ' B' for p in pictures)} in {sys.argv[2]}", file=sys.stderr)
PY

step "runs as non-root"
uid="$(podman run --rm --entrypoint id "$image" -u)"
[ "$uid" != 0 ] || fail "the runtime image runs as root"

step "a JRE and nothing else"
# Packages the runtime stage added to the base: the JRE and what it depends on, and no native
# library of ours (no BLAS/LAPACK, SuiteSparse, gfortran, libsundials).
podman run --rm --entrypoint dpkg-query "$base" -W -f '${Package}\n' | sort >"$out/base.pkgs"
podman run --rm --entrypoint dpkg-query "$image" -W -f '${Package}\n' | sort >"$out/image.pkgs"
added="$(comm -13 "$out/base.pkgs" "$out/image.pkgs")"
grep -qx openjdk-17-jre-headless <<<"$added" || fail "openjdk-17-jre-headless is not installed"
natives="$(grep -E 'blas|lapack|klu|suitesparse|amd|colamd|btf|gfortran|sundials' <<<"$added" || true)"
[ -z "$natives" ] || fail "the runtime image has native packages the jars should make unnecessary: $natives"
! podman run --rm --entrypoint sh "$image" -c 'find / -xdev \( -name "libsundials*" -o -name "libklu*" -o -name "libopenblas*" \) -not -path "*/.javacpp/*" 2>/dev/null' \
  | grep . >/dev/null || fail "libsundials/libklu/libopenblas files in the image outside the JavaCPP cache"
echo "test-image: $(wc -l <<<"$added") packages added to the base, none native to sundials4j" >&2

step "the JNI library's dependencies"
# The copies JavaCPP's Loader extracted from the jars, i.e. the ones the JVM really loads; only the
# preset's directory is added to the search path, so anything else must come from the base.
ldd_out="$(podman run --rm --entrypoint sh "$image" -c \
  'sundials4j solve rober >/dev/null && c="$HOME/.javacpp/cache" \
   && LD_LIBRARY_PATH="$(dirname "$(find "$c" -name libopenblas.so.0 | head -n1)")" ldd "$(find "$c" -name libjnicvodes.so | head -n1)"')" \
  || fail "could not run ldd on the extracted JNI library"
echo "$ldd_out" | sed 's/^/test-image:   /' >&2
! grep -q 'not found' <<<"$ldd_out" || fail "unresolved libraries: $(grep 'not found' <<<"$ldd_out")"
grep -q 'libopenblas.so.0 => .*/\.javacpp/cache/openblas-' <<<"$ldd_out" || fail "libopenblas.so.0 does not come from the openblas preset jar"
! grep -qE 'libsundials|libklu|libamd|libcolamd|libbtf|libsuitesparse' <<<"$ldd_out" || fail "the JNI library loads a shared SUNDIALS/KLU library"

step "natives jar"
cid="$(podman create "$image")"
jars="$work/jars"
rm -rf "$jars" && mkdir -p "$jars"
podman cp "$cid:/opt/sundials4j/lib/." "$jars/" && podman rm "$cid" >/dev/null
for j in javacpp- openblas- sundials4j-; do ls "$jars" | grep -q "^$j" || fail "no $j jar in /opt/sundials4j/lib"; done
! ls "$jars" | grep -qE -- '-(sources|javadoc)\.jar$|^sundials4j-cli\.jar$' || fail "sources, javadoc or CLI jars in /opt/sundials4j/lib"
bash "$root/docker/check-natives.sh" "$(ls "$jars"/sundials4j-*.jar | grep -v linux-x86_64)" "$(ls "$jars"/sundials4j-*-linux-x86_64.jar)" >&2
echo "test-image: jars: $(ls "$jars" | tr '\n' ' ')" >&2

current="done"
echo "test-image: ok: image ${size_mb} MB; build ${took[0]} s, demo ${took[1]} s, solve rober --json ${took[2]} s, fit lotka-volterra ${fit_took} s" >&2
