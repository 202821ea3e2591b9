# Shared by the build scripts of cmake/ (sourced, not run): one line per stage on stderr with the
# stage's full log in a file, build packages from apt, and Debian source packages fetched through a
# private apt configuration that leaves the machine's own untouched.
#
# The caller sets: tag (message prefix), cache (root of the cache), logs (directory of stage logs),
# work (a scratch directory it removes on exit).

die() { echo "$tag: error: $*" >&2; exit 1; }

# stage NAME LOG CMD...: announces NAME on one line naming LOG, runs CMD with all its output in LOG,
# and on failure prints LOG in full before stopping.
stage() {
  local name="$1" log="$2"; shift 2
  mkdir -p "$(dirname "$log")"
  echo "$tag: $name (log: $log)" >&2
  # In the background, not under `if`: errexit stays in force inside CMD, so its first failing
  # command ends it (bash ignores set -e in a command whose status is tested).
  "$@" >"$log" 2>&1 &
  local rc=0
  wait $! || rc=$?
  if [ $rc != 0 ]; then
    echo "$tag: --- $log ---" >&2
    cat "$log" >&2
    die "$name failed (log: $log)"
  fi
}

sudo_cmd=()
if [ "$(id -u)" != 0 ]; then sudo_cmd=(sudo -n); fi

# need_packages PKG...: installs the ones dpkg does not list as installed (root or passwordless sudo).
need_packages() {
  local missing=() p
  for p in "$@"; do
    [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ] || missing+=("$p")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  if [ ${#sudo_cmd[@]} -gt 0 ] && ! command -v sudo >/dev/null; then
    die "not root and no sudo: install ${missing[*]} by hand (apt-get install ${missing[*]})"
  fi
  install_packages() {
    "${sudo_cmd[@]}" apt-get update -q \
      && DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "$@"
  }
  stage "installing build packages: ${missing[*]}" "$logs/apt-install.log" install_packages "${missing[@]}"
}

# The first Debian mirror of this machine's apt sources (deb822 first, then one-line format): the
# private source list below points at the same mirror, so no host name is ever written in this repo.
debian_mirror() {
  local uri
  uri="$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {print $2; exit}' || true)"
  [ -n "$uri" ] || uri="$(cat /etc/apt/sources.list 2>/dev/null | awk '/^deb / {print $2; exit}' || true)"
  [ -n "$uri" ] || die "cannot derive a Debian mirror from this machine's apt sources"
  echo "$uri"
}

# fetch_source PACKAGE=VERSION SUITE TARBALL SHA256: puts TARBALL (checked against SHA256) into
# $cache/src. apt-get gets a sources list, lists directory and cache of its own (a temporary
# directory, removed afterwards), so /etc/apt and /var/lib/apt are neither read for sources nor
# written; as root it runs unsandboxed on purpose (its _apt user could not write into the cache).
# The list (this machine's mirror) lives in $work, which the caller removes.
fetch_source() {
  local spec="$1" suite="$2" tarball="$3" sha="$4" src="$cache/src"
  mkdir -p "$src"
  if [ ! -f "$src/$tarball" ]; then
    local apt_dir="$work/apt"
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/parts"
    printf 'deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' \
      "$(debian_mirror)" "$suite" >"$apt_dir/sources.list"
    local opts=(-q -o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=$apt_dir/parts"
      -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o Debug::NoLocking=1)
    [ "$(id -u)" != 0 ] || opts+=(-o APT::Sandbox::User=root)
    fetch() { apt-get "${opts[@]}" update && (cd "$src" && apt-get "${opts[@]}" source --download-only "$spec"); }
    stage "fetching the source package $spec ($suite)" "$logs/fetch-${spec%%=*}.log" fetch
    [ -f "$src/$tarball" ] || die "apt-get source $spec did not produce $tarball"
  fi
  local actual
  actual="$(sha256sum "$src/$tarball" | cut -d' ' -f1)"
  [ "$actual" = "$sha" ] || die "checksum mismatch for $src/$tarball: expected $sha, got $actual"
}
