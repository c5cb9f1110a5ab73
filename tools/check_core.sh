#!/usr/bin/env bash
# core/ must stay freestanding and heap-free: together, its objects may need nothing from
# libc but memcpy/memset/memcmp/memmove/strlen, and nothing from the port but the
# mp_port_* functions of the contract (and what a port's inline ones read, named mp_port_*
# too: mp_port_inline.h). Any other undefined symbol (malloc, printf, an OS
# call...) fails the check.   usage: check_core.sh DIR_OF_CORE_OBJECTS
set -u
objs=("$1"/*.o)
defined=$(nm --defined-only "${objs[@]}" | awk 'NF == 3 {print $3}' | sort -u)
needed=$(nm -u "${objs[@]}" | awk 'NF == 2 {print $2}' | sort -u)
bad=$(comm -23 <(echo "$needed") <(echo "$defined") |
      grep -vE '^(memcpy|memset|memcmp|memmove|strlen|mp_port_[a-z_]+)$')
if [[ -n $bad ]]; then
  echo "core/ objects use symbols outside the port contract and freestanding C:"
  echo "$bad"
  exit 1
fi
echo "core/ needs only: $(comm -23 <(echo "$needed") <(echo "$defined") | tr '\n' ' ')"
