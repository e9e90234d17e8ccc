#!/usr/bin/env bash
# Installs the Debian packages the device-cost instrument needs (docs/bench.md):
#   gcc-arm-linux-gnueabi   cross compiler for 32-bit ARM, soft-float EABI (armel)
#   libc6-dev-armel-cross   its C library, headers and static archives
#   qemu-user               qemu-arm, with TCG plugin support (-plugin)
#   gcc, make               host compiler and build tool for the QEMU plugin and the ARM engine
#                           (the plugin declares QEMU's API itself: no QEMU or glib headers needed)
# Idempotent and quick when everything is present: asks dpkg first, and runs
# `apt-get update` only when something is missing.
set -euo pipefail

PACKAGES=(gcc-arm-linux-gnueabi libc6-dev-armel-cross qemu-user gcc make)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "devcost: Debian packages present (${PACKAGES[*]})"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "devcost: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "devcost: installed ${missing[*]}"
