#!/usr/bin/env bash
# Builds the recsys container images locally, without any registry:
#   recsys/jre:TAG          jlink'd Java runtime + the glibc/libstdc++ TensorFlow needs, made with `docker import`
#   recsys/copy:TAG         just cp and its libraries: the init container that copies a bundle into a pod
#   recsys/redis:TAG        Debian's redis-server and its libraries (the gateways' shared user history);
#                           needs redis-server on this machine (apt-get install redis-server)
#   recsys/retrieval:TAG, recsys/ranking:TAG, recsys/gateway:TAG   the servers (Dockerfile beside this script)
#   recsys/bundle:VERSION   with --bundle DIR: a model bundle as an image, for the pods' init container;
#                           also tagged recsys/bundle:TAG, the tag k8s/base names for a first deploy
#
# usage: deployment/images/build.sh [--lib DIR] [--tag TAG] [--bundle DIR] [--rebuild-base]
#   --lib     the servers' runtime jars (default deployment/target/image/lib, made by
#             `./mvnw -B install -DskipTests`, or `./mvnw -B package -pl deployment` after an install)
#   --tag     image tag (default $RECSYS_IMAGE_TAG or 0.1.0)
#   --rebuild-base   re-import recsys/jre and recsys/copy even when they were made by this same script
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
LIB="$ROOT/deployment/target/image/lib"
TAG="${RECSYS_IMAGE_TAG:-0.1.0}"
BUNDLE=""
REBUILD_BASE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --lib) LIB="$2"; shift 2 ;;
    --tag) TAG="$2"; shift 2 ;;
    --bundle) BUNDLE="$2"; shift 2 ;;
    --rebuild-base) REBUILD_BASE=yes; shift ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done

JDK="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
# Legacy builder: Debian's docker.io has no buildx, and the Dockerfiles need nothing BuildKit adds
export DOCKER_BUILDKIT=0
# jdeps over the server jars (see deployment/README-deploy.md); jdk.incubator.vector vectorizes Lucene
# jdk.httpserver serves /metrics; java.net.http carries OTLP traces when an exporter is configured
MODULES="java.base,java.logging,java.naming,java.sql,java.management,jdk.management,jdk.unsupported,jdk.incubator.vector,jdk.crypto.ec,jdk.httpserver,java.net.http"
UID_GID=10001

[ -d "$LIB" ] && ls "$LIB"/recsys-*.jar >/dev/null 2>&1 || {
  echo "no server jars in $LIB: run ./mvnw -B install -DskipTests first" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "no Docker engine reachable (start dockerd)" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# runs a command, printing its output only when it fails (the legacy builder's deprecation notice is noise)
quiet() {
  local out
  if ! out="$("$@" 2>&1)"; then echo "$out" >&2; return 1; fi
}

# base images carry the hash of this script: a changed recipe rebuilds them, an unchanged one reuses them
RECIPE="$(sha256sum "$0" | cut -c1-16)"
current_base() {
  [ "$(docker image inspect -f '{{ index .Config.Labels "io.recsys.recipe" }}' "$1" 2>/dev/null)" = "$RECIPE" ]
}

# copies each file and every shared library ldd finds for it into rootfs, keeping paths
add_with_libs() {
  local rootfs="$1"; shift
  local f lib
  for f in "$@"; do
    mkdir -p "$rootfs$(dirname "$f")"
    cp -L "$f" "$rootfs$f"
    for lib in $(ldd "$f" 2>/dev/null | awk '/=> \//{print $3} /^\t\/lib/{print $1}'); do
      [ -e "$rootfs$lib" ] && continue
      mkdir -p "$rootfs$(dirname "$lib")"
      cp -L "$lib" "$rootfs$lib"
    done
  done
}

# users, a sticky /tmp, and the loader link every dynamically linked binary needs
base_rootfs() {
  local rootfs="$1"
  mkdir -p "$rootfs"/{etc,tmp,lib64}
  chmod 1777 "$rootfs/tmp"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nrecsys:x:%s:%s:recsys:/tmp:/sbin/nologin\n' $UID_GID $UID_GID > "$rootfs/etc/passwd"
  printf 'root:x:0:\nrecsys:x:%s:\n' $UID_GID > "$rootfs/etc/group"
  add_with_libs "$rootfs" /lib64/ld-linux-x86-64.so.2
}

import_rootfs() { # rootfs image
  tar -C "$1" --numeric-owner -c . | docker import \
    --change "USER $UID_GID:$UID_GID" --change "ENV HOME=/tmp" --change "LABEL io.recsys.recipe=$RECIPE" \
    - "$2" >/dev/null
}

build_jre() {
  local rootfs="$WORK/jre"
  base_rootfs "$rootfs"
  quiet "$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages \
    --compress zip-6 --output "$rootfs/opt/java"
  # libraries of the JVM, and of TensorFlow's native libs (unpacked at run time from the jar)
  local natives="$WORK/natives"
  mkdir -p "$natives"
  for jar in "$LIB"/tensorflow-core-native-*-linux-x86_64*.jar "$LIB"/javacpp-*.jar; do
    [ -e "$jar" ] && (cd "$natives" && "$JDK/bin/jar" xf "$jar")
  done
  local so
  for so in $(find "$rootfs/opt/java" "$natives" -name '*.so*' -type f) "$rootfs/opt/java/bin/java"; do
    for lib in $(LD_LIBRARY_PATH="$(dirname "$so")" ldd "$so" 2>/dev/null | awk '/=> \/(usr\/)?lib/{print $3}'); do
      [ -e "$rootfs$lib" ] || add_with_libs "$rootfs" "$lib"
    done
  done
  import_rootfs "$rootfs" "recsys/jre:$TAG"
}

build_copy() {
  local rootfs="$WORK/copy"
  base_rootfs "$rootfs"
  add_with_libs "$rootfs" /bin/cp
  # owned by the image's user: a fresh Docker volume mounted here takes this owner, so the copy
  # works in plain Docker too (Kubernetes' emptyDir gets it from the pod's fsGroup)
  mkdir -p "$rootfs/models"
  chown $UID_GID:$UID_GID "$rootfs/models"
  import_rootfs "$rootfs" "recsys/copy:$TAG"
}

build_redis() {
  local rootfs="$WORK/redis"
  base_rootfs "$rootfs"
  add_with_libs "$rootfs" /usr/bin/redis-server
  # the data volume's mount point, owned by the image's user (as /models above)
  mkdir -p "$rootfs/data" "$rootfs/etc/redis"
  chown $UID_GID:$UID_GID "$rootfs/data"
  tar -C "$rootfs" --numeric-owner -c . | docker import \
    --change "USER $UID_GID:$UID_GID" --change "ENV HOME=/tmp" --change "LABEL io.recsys.recipe=$RECIPE" \
    --change "WORKDIR /data" --change "EXPOSE 6379" --change 'ENTRYPOINT ["/usr/bin/redis-server"]' \
    - "recsys/redis:$TAG" >/dev/null
}

t0=$(date +%s)
if [ -n "$REBUILD_BASE" ] || ! current_base "recsys/jre:$TAG"; then
  echo "[images] recsys/jre:$TAG (jlink + docker import)"; build_jre
fi
if [ -n "$REBUILD_BASE" ] || ! current_base "recsys/copy:$TAG"; then
  echo "[images] recsys/copy:$TAG"; build_copy
fi
if [ ! -x /usr/bin/redis-server ]; then
  echo "[images] recsys/redis:$TAG skipped: no /usr/bin/redis-server here (apt-get install redis-server)" >&2
elif [ -n "$REBUILD_BASE" ] || ! current_base "recsys/redis:$TAG"; then
  echo "[images] recsys/redis:$TAG (Debian's redis-server + docker import)"; build_redis
fi

# build context: TensorFlow's native jar apart, so the gateway image can leave it out
CTX="$WORK/context"
mkdir -p "$CTX/lib" "$CTX/tf"
cp "$HERE/Dockerfile" "$CTX/"
for jar in "$LIB"/*.jar; do
  case "$(basename "$jar")" in
    tensorflow-core-native-*-linux-x86_64*.jar) cp "$jar" "$CTX/tf/" ;;
    *) cp "$jar" "$CTX/lib/" ;;
  esac
done
for server in retrieval ranking gateway; do
  echo "[images] recsys/$server:$TAG"
  quiet docker build -q --build-arg "TAG=$TAG" --target "$server" -t "recsys/$server:$TAG" "$CTX"
done

if [ -n "$BUNDLE" ]; then
  version="$(basename "$(cd "$BUNDLE" && pwd)")"
  BCTX="$WORK/bundle"
  mkdir -p "$BCTX/bundle"
  cp -R "$BUNDLE" "$BCTX/bundle/$version"
  chmod -R a+rX "$BCTX/bundle"
  cp "$HERE/Dockerfile.bundle" "$BCTX/Dockerfile"
  echo "[images] recsys/bundle:$version"
  quiet docker build -q --build-arg "TAG=$TAG" -t "recsys/bundle:$version" "$BCTX"
  echo "[images] recsys/bundle:$TAG (= $version)"
  docker tag "recsys/bundle:$version" "recsys/bundle:$TAG"
fi

# a rebuilt image leaves its predecessor dangling: drop ours (they carry the recipe label)
docker image prune -f --filter "label=io.recsys.recipe" >/dev/null
echo "[images] done in $(( $(date +%s) - t0 )) s"
docker image ls --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' | grep '^recsys/' | sort
