#!/usr/bin/env bash
# Installs what mpstatic needs on Debian 12, once: the host toolchain and CMocka, the ARM
# toolchain with picolibc (its stdio needs no heap), QEMU, and CMocka's source (Debian's
# source package), which is built for the Cortex-M3 so the same test suites run inside
# QEMU (fetched once per machine into /usr/local/src/mpstatic-cmocka, which build.ninja
# names: every checkout on the machine shares it); and the checkers the reliability suites
# use: valgrind (memcheck over the POSIX suites), clang with its libFuzzer runtime (the
# fuzzer), spin (the protocol models); cmake and pkg-config, which build the out-of-tree
# project of tools/check_own_project.sh. Safe to run again. Run it as root or as a user
# with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""
[[ $(id -u) -ne 0 ]] && sudo=sudo
export DEBIAN_FRONTEND=noninteractive

packages=(gcc libc6-dev ninja-build libcmocka-dev python3 dpkg-dev xz-utils
          gcc-arm-none-eabi picolibc-arm-none-eabi qemu-system-arm
          valgrind clang libclang-rt-14-dev spin cmake pkg-config)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# apt-get source needs a deb-src entry; Debian 12 ships only deb lines.
src=/etc/apt/sources.list.d/mpstatic-src.sources
need_src=0
cmocka=/usr/local/src/mpstatic-cmocka # configure.py's CMOCKA_SRC
[[ -f $cmocka/src/cmocka.c ]] || need_src=1
if [[ $need_src -eq 1 && ! -f $src ]]; then
  $sudo tee "$src" >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi

if [[ ${#missing[@]} -gt 0 || $need_src -eq 1 ]]; then
  $sudo apt-get update
fi
if [[ ${#missing[@]} -gt 0 ]]; then
  $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi

if [[ $need_src -eq 1 ]]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get source -qq cmocka)
  $sudo rm -rf "$cmocka"
  $sudo mkdir -p "$(dirname "$cmocka")"
  $sudo mv "$tmp"/cmocka-*/ "$cmocka"
  rm -rf "$tmp"
fi
echo "setup: ready"
