#!/usr/bin/env bash
# Runs firmware images on QEMU's mps2-an385 (Cortex-M3) and checks that each ends with
# exit status 0 (semihosting: the program's own verdict) after printing something.
set -u
for elf in "$@"; do
out=$(timeout 60 qemu-system-arm -M mps2-an385 -nographic -monitor none -serial stdio \
      -semihosting-config enable=on,target=native -kernel "$elf")
status=$?
echo "$out"
[[ $status -eq 0 ]] || { echo "QEMU exit status $status"; exit 1; }
[[ -n $out ]] || { echo "$elf printed nothing"; exit 1; }
done
