#!/usr/bin/env bash
# Checks the two ways of taking sundials4j to a machine that did not build it, as a user there would
# use them (run by `mvn verify` after the jars are made):
#   1. target/sundials4j-cli.jar: `java -jar sundials4j-cli.jar demo` from an empty directory with an
#      empty JavaCPP cache; its adjoint gradient must match cvsRoberts_ASAi_dns and the forward one;
#   2. target/maven-repo: tests/dist/consumer, a separate Maven project that declares the folder as a
#      repository, built with a local repository that holds Maven's plugins but no org.sundials4j or
#      org.bytedeco artifact and with every other repository mirrored onto the folder, so the jars
#      can only come from the folder and nothing from the network; it runs an adjoint gradient.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
target="$root/target"
repo="$target/maven-repo"
die() { echo "test-dist: error: $*" >&2; exit 1; }
[ -f "$target/sundials4j-cli.jar" ] || die "$target/sundials4j-cli.jar missing (mvn package makes it)"
[ -d "$repo/org/sundials4j" ] || die "$repo missing (mvn package makes it)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# --- 1. the CLI jar ------------------------------------------------------------------------------
mkdir "$tmp/cli"
(cd "$tmp/cli" && java -Dorg.bytedeco.javacpp.cachedir="$tmp/cli/javacpp" -jar "$target/sundials4j-cli.jar" demo >demo.out 2>demo.err) \
  || { cat "$tmp/cli/demo.err" >&2; die "java -jar sundials4j-cli.jar demo failed"; }
awk '
  /^dG\/dp1 / { a[1] = $2 } /^dG\/dp2 / { a[2] = $2 } /^dG\/dp3 / { a[3] = $2 }
  /^largest relative difference/ { d = $NF }
  END {
    split("7.6842e+05 -3.0691e+00 5.1144e-04", ref, " ")  # cvsRoberts_ASAi_dns.out
    for (i = 1; i <= 3; i++) if (a[i] == "" || (a[i] - ref[i]) ^ 2 > (1e-3 * ref[i]) ^ 2) { print "dG/dp" i " = " a[i] ", reference " ref[i]; exit 1 }
    if (d == "" || d + 0 > 1e-3) { print "adjoint and forward differ by " d; exit 1 }
  }' "$tmp/cli/demo.out" >&2 || die "the CLI jar's demo gradient is wrong (output: $tmp/cli/demo.out)"
echo "test-dist: java -jar sundials4j-cli.jar demo ok ($(du -k "$target/sundials4j-cli.jar" | cut -f1) KiB)" >&2

# --- 2. a separate Maven project against the repository folder -----------------------------------
m2="$tmp/m2"
mkdir -p "$m2/org"
local_repo="$HOME/.m2/repository"
for d in "$local_repo"/*; do [ "$(basename "$d")" = org ] || ln -s "$d" "$m2/"; done
for d in "$local_repo"/org/*; do
  case "$(basename "$d")" in sundials4j|bytedeco) ;; *) ln -s "$d" "$m2/org/" ;; esac
done
# The mirror is called central so that the plugins already in the local repository (recorded as
# downloaded from central) stay usable; anything missing would be looked for in the folder only.
cat >"$tmp/settings.xml" <<XML
<settings>
  <mirrors>
    <mirror><id>central</id><mirrorOf>*,!sundials4j</mirrorOf><url>file://$repo</url></mirror>
  </mirrors>
</settings>
XML
cp -r "$root/tests/dist/consumer" "$tmp/consumer"
mvn() { command mvn -B -q -Dstyle.color=never -s "$tmp/settings.xml" -Dmaven.repo.local="$m2" "-Dsundials4j.repo=file://$repo" "$@"; }
(cd "$tmp/consumer" && mvn compile org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.outputFile=cp.txt -Dmdep.includeScope=runtime >"$tmp/consumer.log" 2>&1) \
  || { cat "$tmp/consumer.log" >&2; die "the consumer project did not build against $repo"; }
grep -q "$m2/org/sundials4j/sundials4j/0.1.0-SNAPSHOT/sundials4j-0.1.0-SNAPSHOT-linux-x86_64.jar" "$tmp/consumer/cp.txt" \
  || die "the natives jar is not on the consumer's classpath: $(cat "$tmp/consumer/cp.txt")"
(cd "$tmp/consumer" && java -Dorg.bytedeco.javacpp.cachedir="$tmp/consumer/javacpp" -cp "target/classes:$(cat cp.txt)" example.Consumer) >&2 \
  || die "the consumer's gradient failed"
echo "test-dist: a Maven project built against target/maven-repo alone ok" >&2
