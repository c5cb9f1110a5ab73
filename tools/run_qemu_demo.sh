#!/usr/bin/env bash
# Runs firmware images on a QEMU board and checks that each ends with exit status 0
# (semihosting: the program's own verdict) after printing something.
#   run_qemu_demo.sh QEMU_SYSTEM MACHINE ELF...   e.g. qemu-system-arm mps2-an385 demo.elf
set -u
system=$1 machine=$2
shift 2
for elf in "$@"; do
out=$(timeout 60 "$system" -M "$machine" -nographic -monitor none -serial stdio \
      -semihosting-config enable=on,target=native -kernel "$elf")
status=$?
echo "$out"
[[ $status -eq 0 ]] || { echo "QEMU exit status $status"; exit 1; }
[[ -n $out ]] || { echo "$elf printed nothing"; exit 1; }
done
