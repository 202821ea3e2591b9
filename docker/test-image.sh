#!/usr/bin/env bash
# Builds the sundials4j image with podman from a locally made Debian base (no registry is pulled
# from) and checks it: the demo, `solve rober --json` against cvsRoberts_dns, no libsundials in
# the runtime root, ldd of the JNI library the JVM actually loaded, a clean RUNPATH.
#
#   docker/test-image.sh            (root, or passwordless sudo to install podman the first time)
#
# Environment: SUNDIALS4J_PODMAN_DIR (default ~/.cache/sundials4j/podman) holds podman's config,
# storage and layer cache, so a second run rebuilds only what changed.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
work="${SUNDIALS4J_PODMAN_DIR:-$HOME/.cache/sundials4j/podman}"
sources=/etc/apt/sources.list.d/debian.sources
base=localhost/debian:bookworm
image=localhost/sundials4j:test

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
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
# podman here is rootful: the cgroupfs/runc set-up below does not work rootless.
[ "$(id -u)" = 0 ] || fail "run as root (rootful podman)"
[ -f "$sources" ] || fail "$sources not found: apt inside the build needs this machine's Debian sources"

step "podman config"
mkdir -p "$work/storage" "$work/run" "$work/tmp"
# crun fails on this host's hybrid cgroups, and the default ulimits need CAP_SYS_RESOURCE.
cat >"$work/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
netns = "host"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
cat >"$work/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$work/storage"
runroot = "$work/run"
CONF
export CONTAINERS_CONF="$work/containers.conf" CONTAINERS_STORAGE_CONF="$work/storage.conf" TMPDIR="$work/tmp"

step "base image"
if podman image exists "$base"; then
  echo "test-image: $base exists (cached)" >&2
else
  mirror="$(grep -m1 '^URIs:' "$sources" | awk '{print $2}')"
  [ -n "$mirror" ] || fail "no URIs: line in $sources"
  t0="$(now)"
  rootfs="$work/rootfs-bookworm"
  rm -rf "$rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log" >&2; fail "debootstrap failed"; }
  # The mirror debootstrap wrote stays on this machine: builds mount the host's sources file instead.
  rm -f "$rootfs/etc/apt/sources.list"
  rm -rf "$rootfs/var/cache/apt/archives/"*.deb "$rootfs/var/lib/apt/lists/"*
  tar -C "$rootfs" -c . | podman import - "$base" >/dev/null
  rm -rf "$rootfs"
  echo "test-image: made $base in $(since "$t0") s" >&2
fi

step "build context"
# Only the working tree's sources: target/ of concurrent builds and .git stay out.
ctx="$work/context"
mkdir -p "$ctx"
rsync -a --delete --exclude target --exclude .git "$root/" "$ctx/" 2>/dev/null \
  || { rm -rf "$ctx" && mkdir -p "$ctx" && tar -C "$root" --exclude ./target --exclude ./.git -c . | tar -C "$ctx" -x; }

step "image build"
mounts=(-v "$sources:$sources:ro")
# Egress here passes a TLS-inspecting proxy whose CA this machine trusts through its local anchors;
# mounted, ca-certificates' postinst (in the apt RUN steps) adds them to the system and Java stores
# of the test image. Images built elsewhere without the mount are unaffected.
cas=/usr/local/share/ca-certificates
if compgen -G "$cas/*.crt" >/dev/null; then mounts+=(-v "$cas:$cas:ro"); fi
t0="$(now)"
podman build --network host --build-arg "BASE=$base" "${mounts[@]}" \
  -f "$ctx/docker/Dockerfile" -t "$image" "$ctx" >"$work/build.log" 2>&1 \
  || { tail -n 40 "$work/build.log" >&2; fail "podman build failed (full log: $work/build.log)"; }
build_s="$(since "$t0")"
size_mb="$(podman image inspect --format '{{.Size}}' "$image" | awk '{printf "%.0f", $1 / 1e6}')"

step "runs as non-root"
uid="$(podman run --rm --entrypoint id "$image" -u)"
[ "$uid" != 0 ] || fail "the runtime image runs as root"

step "demo"
t0="$(now)"
podman run --rm "$image" >"$work/demo.out" 2>"$work/demo.err" || { cat "$work/demo.err" >&2; fail "demo failed"; }
demo_s="$(since "$t0")"
[ -s "$work/demo.out" ] || fail "demo printed nothing"

step "solve rober --json"
t0="$(now)"
podman run --rm "$image" solve rober --json >"$work/rober.json" || fail "solve rober --json failed"
rober_s="$(since "$t0")"
python3 - "$work/rober.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
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

step "no libsundials in the runtime image"
n="$(podman run --rm --entrypoint sh "$image" -c 'dpkg -l | grep -c libsundials || true')"
[ "$n" = 0 ] || fail "dpkg lists $n libsundials packages"
files="$(podman run --rm --entrypoint sh "$image" -c 'find / -xdev -name "libsundials*" 2>/dev/null || true')"
[ -z "$files" ] || fail "libsundials files in the image: $files"

step "ldd of the JNI library"
# The copy JavaCPP's Loader extracted from the natives jar, i.e. the one the JVM really loads.
ldd_out="$(podman run --rm --entrypoint sh "$image" -c \
  'sundials4j solve rober >/dev/null && ldd "$(find "$HOME/.javacpp/cache" -name libjnicvodes.so | head -n1)"')" \
  || fail "could not run ldd on the extracted JNI library"
echo "$ldd_out" | sed 's/^/test-image:   /' >&2
! grep -q 'not found' <<<"$ldd_out" || fail "unresolved libraries: $(grep 'not found' <<<"$ldd_out")"
! grep -q libsundials <<<"$ldd_out" || fail "the JNI library loads a shared libsundials"

step "natives jar RUNPATH"
cid="$(podman create "$image")"
out="$work/jars"
rm -rf "$out" && mkdir -p "$out"
podman cp "$cid:/opt/sundials4j/lib/." "$out/" && podman rm "$cid" >/dev/null
bash "$root/docker/check-natives.sh" "$(ls "$out"/sundials4j-*.jar | grep -v linux-x86_64)" "$(ls "$out"/sundials4j-*-linux-x86_64.jar)" >&2

current="done"
echo "test-image: ok: image ${size_mb} MB, build ${build_s} s, demo ${demo_s} s, solve rober ${rober_s} s" >&2
