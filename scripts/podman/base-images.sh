#!/usr/bin/env bash
# Makes the Dockerfile's base images locally, with no container registry (make image-test):
#   debian:bookworm   debootstrap --variant=minbase, imported with podman import;
#   python:3.10-slim  that, plus this machine's own Python 3.10 build in /usr/local (the one
#                     scripts/find_python.sh finds; its standard library, no site-packages) and
#                     pip from its ensurepip;
#   node:20-slim      that debian, plus this machine's node and npm.
# They stand in for the real images, which the Dockerfile names by digest. Test images only: they
# trust this machine's extra CA certificates (its network's egress proxy); published images never
# carry them. Each image is made once and kept in build/podman/ (make clean-podman removes it).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
RUNTIME_LIBS="ca-certificates libbz2-1.0 libcrypt1 libexpat1 libffi8 libgdbm6 liblzma5 libncursesw6
  libnsl2 libreadline8 libsqlite3-0 libssl3 libtinfo6 libtirpc3 libuuid1 zlib1g"

if ! podman image exists "$TEST_DEBIAN_IMAGE"; then
  rootfs="$PODMAN_ROOT/rootfs-bookworm"
  start=$SECONDS
  rm -rf "$rootfs"
  log "debootstrap bookworm (minbase) from $MIRROR"
  debootstrap --variant=minbase bookworm "$rootfs" "$MIRROR" > "$PODMAN_ROOT/debootstrap.log" 2>&1 ||
    { tail -20 "$PODMAN_ROOT/debootstrap.log"; exit 1; }
  cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
  chroot "$rootfs" apt-get install -y -qq --no-install-recommends $RUNTIME_LIBS > /dev/null
  cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/" 2>/dev/null || true
  chroot "$rootfs" update-ca-certificates > /dev/null
  chroot "$rootfs" apt-get clean
  # As Debian's slim images: no documentation, manual pages or translations.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs/etc/resolv.conf" "$rootfs"/usr/share/doc/* \
    "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*
  tar -C "$rootfs" -c . | podman import --quiet - "$TEST_DEBIAN_IMAGE" > /dev/null
  rm -rf "$rootfs"
  log "made $TEST_DEBIAN_IMAGE in $((SECONDS - start)) s"
fi

context="$PODMAN_ROOT/base-context"
if ! podman image exists "$TEST_PYTHON_IMAGE"; then
  python="$("$PROJECT_DIR/scripts/find_python.sh")"
  prefix="$("$python" -c 'import sys; print(sys.base_prefix)')"
  rm -rf "$context" && mkdir -p "$context/usr/local/bin" "$context/usr/local/lib"
  cp -a "$prefix/bin/python3.10" "$context/usr/local/bin/"
  cp -a "$prefix"/lib/libpython3* "$context/usr/local/lib/"
  # The standard library without its tests, tkinter (no X here) or the machine's site-packages.
  tar -C "$prefix/lib" --exclude='python3.10/test' --exclude='python3.10/idlelib' \
    --exclude='python3.10/tkinter' --exclude='python3.10/lib-dynload/_tkinter*' \
    --exclude='python3.10/site-packages/*' --exclude='__pycache__' -c python3.10 |
    tar -C "$context/usr/local/lib" -x
  cat > "$context/Containerfile" <<EOT
FROM $TEST_DEBIAN_IMAGE
COPY usr/local /usr/local
RUN ldconfig && ln -s python3.10 /usr/local/bin/python3 && ln -s python3.10 /usr/local/bin/python \
 && python -m ensurepip --default-pip > /dev/null && python -c "import ssl, sqlite3, ctypes, lzma, bz2, zlib"
ENV LANG=C.UTF-8 PIP_CERT=/etc/ssl/certs/ca-certificates.crt SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
CMD ["python3"]
EOT
  podman build --quiet -t "$TEST_PYTHON_IMAGE" "$context" > /dev/null
  log "made $TEST_PYTHON_IMAGE from $prefix"
fi

if ! podman image exists "$TEST_NODE_IMAGE"; then
  node="$(command -v node)"
  npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
  rm -rf "$context" && mkdir -p "$context/usr/local/bin" "$context/usr/local/lib/node_modules"
  cp -a "$(readlink -f "$node")" "$context/usr/local/bin/node"
  cp -a "$npm_dir" "$context/usr/local/lib/node_modules/npm"
  cat > "$context/Containerfile" <<EOT
FROM $TEST_DEBIAN_IMAGE
COPY usr/local /usr/local
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && node --version && npm --version
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
EOT
  podman build --quiet -t "$TEST_NODE_IMAGE" "$context" > /dev/null
  log "made $TEST_NODE_IMAGE with node $("$node" --version)"
fi
rm -rf "$context"
