#!/usr/bin/env bash
# The firmware image must link without a heap: no malloc, free, realloc, calloc, _sbrk or
# sbrk anywhere in its symbol table (defined or referenced). The host's binutils read any
# board's ELF, so this serves every board.
set -u
elf=$1
found=$(nm "$elf" | awk '{print $NF}' | grep -xE '(malloc|free|realloc|calloc|_sbrk|sbrk|_malloc_r|_free_r)')
if [[ -n $found ]]; then
  echo "$elf has heap symbols: $found"
  exit 1
fi
echo "$elf: no heap symbol ($(size "$elf" | awk 'NR == 2 {print "text " $1 ", data " $2 ", bss " $3}'))"
