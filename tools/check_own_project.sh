#!/usr/bin/env bash
# A project of one's own, built as a user builds it: examples/own-project copied to a
# folder outside the tree, then built and run with the recipes of the README's "Build your
# own program": CMake for posix, host-sim and mps2-an385 (under QEMU, and checked for heap
# symbols), the runtime with the project's config through configure.py --config, and
# pkg-config after an install (and one staged in DESTDIR). A build with the project's config
# must print expected.txt (its arguments are MP_CONF_ARG_SIZE = 64 bytes, twice the
# default); the pkg-config library has the default configuration, so the same program
# compiled with its config header must be refused by mp_init with MP_ECONFIG.
#   check_own_project.sh examples/own-project
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
src=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$src" "$tmp/app"
app=$tmp/app
qemu=(qemu-system-arm -M mps2-an385 -nographic -monitor none -serial stdio
      -semihosting-config enable=on,target=native -kernel)

step() { echo "-- $*"; }
expect() { # expected-file command...: exit status 0 and exactly that output
  local want=$1
  shift
  if ! timeout 60 "$@" >"$tmp/out" 2>&1; then
    cat "$tmp/out"; echo "$*: exit status not 0"; return 1
  fi
  cat "$tmp/out"
  diff -u "$want" "$tmp/out"
}

for port in posix host-sim; do
  step "CMake, $port"
  cmake -S "$app" -B "$tmp/build-$port" -G Ninja -DMPSTATIC="$root" -DMPSTATIC_PORT=$port >/dev/null
  cmake --build "$tmp/build-$port" >/dev/null
  expect "$app/expected.txt" "$tmp/build-$port/app"
done

step "CMake, mps2-an385 under QEMU"
cmake -S "$app" -B "$tmp/build-m3" -G Ninja -DMPSTATIC="$root" -DMPSTATIC_PORT=mps2-an385 \
      -DCMAKE_TOOLCHAIN_FILE="$root/cmake/arm-none-eabi.cmake" >/dev/null
cmake --build "$tmp/build-m3" >/dev/null
bash "$root/tools/check_no_heap.sh" "$tmp/build-m3/app"
expect "$app/expected.txt" "${qemu[@]}" "$tmp/build-m3/app"

step "ninja, the runtime with the project's config (configure.py --config)"
(cd "$root" && python3 configure.py --config "$app/app_config.h" --port posix \
                 --builddir "$tmp/build-own" -o "$tmp/build-own.ninja" >/dev/null)
# its own builddir, so its logs are not those of a ninja this script runs under
ninja -C "$root" -f "$tmp/build-own.ninja" >/dev/null
(cd "$app" && cc -std=c11 -O2 -Wall -Wextra -Werror -I"$root/core/include" \
   -I"$root/port/include" -I"$root/port/posix" -I. -DMP_CONFIG_FILE='"app_config.h"' \
   app.c "$tmp/build-own/posix/libmpstatic.a" -Wl,-T,"$root/linker/posix-world.ld" -o app-ninja)
expect "$app/expected.txt" "$app/app-ninja"

step "pkg-config, after an install"
# tools/install.sh is what `ninja install` runs once the libraries are built (they are:
# `ninja test` built them); a ninja started here would share the logs of the one running.
PREFIX=$tmp/prefix bash "$root/tools/install.sh" >/dev/null
export PKG_CONFIG_PATH=$tmp/prefix/lib/pkgconfig
(cd "$app" && cc -std=c11 -O2 app.c $(pkg-config --cflags --libs mpstatic-posix) -o app-pc)
sed 's/\.\{32\}!$/!/' "$app/expected.txt" >"$tmp/expected-default" # 32-byte arguments
expect "$tmp/expected-default" "$app/app-pc"
(cd "$app" && cc -std=c11 -O2 app.c $(pkg-config --cflags --libs mpstatic-host-sim) -o app-pc-sim)
expect "$tmp/expected-default" "$app/app-pc-sim"

step "pkg-config, an install staged in DESTDIR: the same files, paths for PREFIX"
DESTDIR=$tmp/stage PREFIX=/opt/mp bash "$root/tools/install.sh" >/dev/null
(cd "$tmp/prefix" && find . -type f | sort) >"$tmp/installed"
diff -u "$tmp/installed" <(cd "$tmp/stage/opt/mp" && find . -type f | sort)
grep -qx "prefix=/opt/mp" "$tmp/stage/opt/mp/lib/pkgconfig/mpstatic-posix.pc"
# --define-prefix: the staged files, as if installed
(cd "$app" && cc -std=c11 -O2 app.c $(PKG_CONFIG_PATH=$tmp/stage/opt/mp/lib/pkgconfig \
   pkg-config --define-prefix --cflags --libs mpstatic-posix) -o app-staged)
expect "$tmp/expected-default" "$app/app-staged"

step "pkg-config, the program compiled with its own config: refused by mp_init"
(cd "$app" && cc -std=c11 -O2 -I. -DMP_CONFIG_FILE='"app_config.h"' app.c \
   $(pkg-config --cflags --libs mpstatic-posix) -o app-mismatch)
if "$app/app-mismatch" >"$tmp/out" 2>&1; then
  cat "$tmp/out"; echo "a program with another configuration ran"; exit 1
fi
cat "$tmp/out"
grep -qx "mp_init: MP_ECONFIG: MP_CONF_MAX_PROCESSES is 4 in the program, 16 in the runtime" \
     "$tmp/out"
echo "own project: CMake (posix, host-sim, mps2-an385), ninja --config and pkg-config all ran"
