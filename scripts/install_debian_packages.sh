#!/usr/bin/env bash
# Installs the Debian packages the project needs, only those that are missing.
#
#   scripts/install_debian_packages.sh CHECK:PACKAGE ...
#
# CHECK is a command name (looked up on PATH) or an absolute path that the package provides,
# e.g. `node:nodejs /usr/bin/chromium:chromium`. As root it runs apt-get; otherwise it uses
# sudo without a password if it can, and else says what to install and fails.
set -euo pipefail

missing=()
for spec in "$@"; do
  check="${spec%%:*}"
  package="${spec#*:}"
  if [[ "$check" == /* ]]; then
    [[ -e "$check" ]] || missing+=("$package")
  else
    command -v "$check" >/dev/null 2>&1 || missing+=("$package")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo)
  else
    echo "Missing Debian packages: ${missing[*]}" >&2
    echo "Install them with:  sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing packages (${missing[*]}) and no apt-get here: install them with your package manager." >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
