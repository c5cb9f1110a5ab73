#!/usr/bin/env bash
# Runs a firmware image on QEMU's mps2-an385 (Cortex-M3) and checks that it ends with
# exit status 0 (semihosting) after printing the demo's last line.
set -u
elf=$1
out=$(timeout 60 qemu-system-arm -M mps2-an385 -nographic -monitor none -serial stdio \
      -semihosting-config enable=on,target=native -kernel "$elf")
status=$?
echo "$out"
[[ $status -eq 0 ]] || { echo "QEMU exit status $status"; exit 1; }
grep -q "the daemonic heartbeat is terminated" <<<"$out" || { echo "demo output incomplete"; exit 1; }
