#!/usr/bin/env bash
# Builds the container image's base without a Docker daemon or a registry: a Java runtime linked
# with jlink from the build's JDK, the few shared libraries it loads (glibc, libz, libstdc++,
# libgcc_s) copied from the build machine, CA certificates, and a non-root user (65532), written as
# a docker-save tarball. Jib builds the application image on it (from.image = tar://...), so
# `./mvnw verify` makes a runnable image offline, in CI too. Releases use a registry base instead
# (the pom's `release` profile).
#
#   deploy/image/build-base-image.sh OUTPUT_DIR [JDK_HOME]
#
# Writes OUTPUT_DIR/base.tar (and OUTPUT_DIR/rootfs, the tree it packs). Needs Linux (x86_64 or
# aarch64), the JDK's jmods (Debian: openjdk-17-jdk-headless ships them), GNU tar, sha256sum, ldd.
# The result depends only on the build machine's JDK and libraries: the same machine gives the
# same bytes (fixed timestamps, owners and file order).
set -euo pipefail

out="${1:?usage: build-base-image.sh OUTPUT_DIR [JDK_HOME]}"
jdk="${2:-${JAVA_HOME:-}}"
here="$(cd "$(dirname "$0")" && pwd)"

# What the application needs of the JDK (jdeps over its runtime classpath, plus the modules loaded
# by name at run time: JAAS/SASL for Kafka, EC and PKCS#11 providers for TLS, zipfs, jdk.unsupported
# for Netty and Kafka, jdk.httpserver for the rehearsal twin, jdk.management for the actuator).
modules=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,\
java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,\
java.sql.rowset,java.transaction.xa,java.xml,java.xml.crypto,jdk.charsets,jdk.crypto.cryptoki,jdk.crypto.ec,\
jdk.httpserver,jdk.jfr,jdk.management,jdk.management.jfr,jdk.naming.dns,jdk.net,jdk.security.auth,\
jdk.security.jgss,jdk.unsupported,jdk.zipfs

case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) arch=amd64 ;;
  Linux/aarch64) arch=arm64 ;;
  *) echo "build-base-image.sh: the offline image base is built from this machine's Linux JDK and libraries;" \
       "this is $(uname -s)/$(uname -m). Build the image with -Prelease (registry base) instead." >&2
     exit 1 ;;
esac
if [[ -z "$jdk" ]]; then
  jdk="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
fi
if [[ ! -x "$jdk/bin/jlink" || ! -d "$jdk/jmods" ]]; then
  echo "build-base-image.sh: $jdk is not a JDK with jmods (jlink needs them); set JAVA_HOME" >&2
  exit 1
fi
version="$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$jdk/release")"

rm -rf "$out"
rootfs="$out/rootfs"
java_home="$rootfs/opt/java/openjdk"
mkdir -p "$rootfs"

"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
  --output "$java_home"
# desktop natives a headless server never loads; they would pull in X11, ALSA and font libraries
rm -f "$java_home"/lib/{libawt_xawt,libjawt,libsplashscreen,libjsound,libfontmanager,libjavajpeg,liblcms}.so
# a distribution may link cacerts to its own store: the image needs the file itself
cp -L "$jdk/lib/security/cacerts" "$java_home/lib/security/cacerts"

# the shared libraries the runtime's executables and libraries load, from this machine
libs="$(find "$java_home" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper \) -print0 \
  | xargs -0 ldd 2>/dev/null | awk '
      /=> not found/ && $1 != "libjvm.so" { print "MISSING " $1; next }
      /=> \// { print $3; next }
      /^[[:space:]]*\/.*ld-linux/ { print $1 }' | sort -u)"
if grep -q '^MISSING' <<<"$libs"; then
  echo "build-base-image.sh: the runtime needs libraries this machine lacks: $(grep '^MISSING' <<<"$libs" | tr '\n' ' ')" >&2
  exit 1
fi
while read -r lib; do
  [[ "$lib" == "$java_home"* || -z "$lib" ]] && continue
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done <<<"$libs"

# users, name resolution, a writable /tmp and the non-root user's home
cp -r "$here/rootfs/." "$rootfs/"
mkdir -p "$rootfs/tmp" "$rootfs/home/nonroot"
chmod 1777 "$rootfs/tmp"
chmod 755 "$rootfs/home/nonroot"
find "$rootfs" -exec touch -h -d @0 {} +

# one layer, reproducible: sorted names, epoch timestamps, numeric owners (root, the home 65532)
tar --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 --format=gnu -C "$rootfs" \
  --exclude=./home/nonroot -cf "$out/layer.tar" .
tar --sort=name --mtime=@0 --numeric-owner --owner=65532 --group=65532 --format=gnu -C "$rootfs" \
  -rf "$out/layer.tar" ./home/nonroot
diff_id="sha256:$(sha256sum "$out/layer.tar" | cut -d' ' -f1)"

cat >"$out/config.json" <<EOF
{"architecture":"$arch","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=/opt/java/openjdk/bin:/usr/bin:/bin","JAVA_HOME=/opt/java/openjdk","LANG=C.UTF-8"],
  "Labels":{"org.lsst.ts.upgrade.base.java":"jlink of JDK $version ($arch)"}},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"deploy/image/build-base-image.sh (JDK $version)"}]}
EOF
config="$(sha256sum "$out/config.json" | cut -d' ' -f1).json"
mv "$out/config.json" "$out/$config"
printf '[{"Config":"%s","RepoTags":["upgrade-orchestrator-base:local"],"Layers":["layer.tar"]}]\n' "$config" \
  >"$out/manifest.json"
tar --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 -C "$out" -cf "$out/base.tar" \
  manifest.json "$config" layer.tar
rm -f "$out/layer.tar" "$out/$config" "$out/manifest.json"
echo "build-base-image.sh: $out/base.tar (JDK $version, $arch, $(du -sh "$rootfs" | cut -f1) unpacked)"
