#!/bin/sh
# Builds the API fuzzer (clang + libFuzzer, ASan + UBSan) into $1 (default build/fuzz):
# the core (freestanding, as configure.py builds it), the task port, the host arch and the
# host-sim board with coverage instrumentation, and the harness in tests/fuzz/.
# Until configure.py has a `fuzz` variant, this is the build; the commands are the ones
# listed in tests/fuzz/README.md.
set -eu
OUT=${1:-build/fuzz}
CC=${CC:-clang}
CFLAGS="-std=c11 -g -O1 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -DMP_CONF_TEST_HOOKS=1"
SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
# clang 14 does not define __SANITIZE_ADDRESS__ (gcc does): without it the host arch
# leaves out ASan's fiber hooks for task stacks.
FIBERS="-D__SANITIZE_ADDRESS__=1"
INC="-Icore/include -Iport/include -Iport/task -Iport/task/arch/host -Iboards/host-sim -Iboards/host-sim/include"
mkdir -p "$OUT/obj"
objs=""
for src in core/*.c; do
    o="$OUT/obj/$(echo "$src" | tr / _).o"
    $CC $CFLAGS $SAN -fsanitize=fuzzer-no-link -ffreestanding $INC -c "$src" -o "$o"
    objs="$objs $o"
done
for src in port/task/*.c port/task/arch/host/*.c port/task/arch/host/*.S boards/host-sim/*.c; do
    o="$OUT/obj/$(echo "$src" | tr / _).o"
    $CC $CFLAGS $SAN $FIBERS -fsanitize=fuzzer-no-link $INC -c "$src" -o "$o"
    objs="$objs $o"
done
for src in tests/fuzz/*.c; do
    o="$OUT/obj/$(echo "$src" | tr / _).o"
    $CC $CFLAGS $SAN -fsanitize=fuzzer-no-link -D_GNU_SOURCE $INC -Icore -c "$src" -o "$o"
    objs="$objs $o"
done
$CC $SAN -fsanitize=fuzzer $objs -o "$OUT/fuzz_api"
echo "$OUT/fuzz_api"
