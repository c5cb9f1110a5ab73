#!/usr/bin/env bash
# `ninja install`: the POSIX and host-sim runtimes built with the default configuration,
# for programs linked with pkg-config (README, "Build your own program"):
#   PREFIX/include/mpstatic/mp/*.h             the public headers
#   PREFIX/include/mpstatic/<port>/*.h         the port's (and board's) config headers
#   PREFIX/lib/libmpstatic-<port>.a            the runtime
#   PREFIX/lib/mpstatic/posix-world.ld         the POSIX linker fragment (in the .pc's Libs)
#   PREFIX/lib/pkgconfig/mpstatic-<port>.pc
# PREFIX defaults to /usr/local; DESTDIR, if set, is prepended to every path written (a
# staging folder), not to the paths inside the .pc files.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${PREFIX:-/usr/local}
root=${DESTDIR:-}$prefix
version=$(git describe --always 2>/dev/null || echo 0)
version=${version#v}

install -d "$root/include/mpstatic/mp" "$root/lib/pkgconfig" "$root/lib/mpstatic"
install -m 644 core/include/mp/*.h "$root/include/mpstatic/mp/"
install -m 644 linker/posix-world.ld "$root/lib/mpstatic/"

# port, its config headers, what its programs link besides the library
ports=(
  "posix|port/posix/mp_port_config.h|-Wl,-T,\${libdir}/mpstatic/posix-world.ld"
  "host-sim|port/task/mp_port_config.h boards/host-sim/mp_board_config.h boards/host-sim/include/mp_sim.h|"
)
for entry in "${ports[@]}"; do
  IFS='|' read -r port headers libs <<<"$entry"
  install -d "$root/include/mpstatic/$port"
  # shellcheck disable=SC2086
  install -m 644 $headers "$root/include/mpstatic/$port/"
  install -m 644 "build/$port/libmpstatic.a" "$root/lib/libmpstatic-$port.a"
  cat >"$root/lib/pkgconfig/mpstatic-$port.pc" <<PC
prefix=$prefix
includedir=\${prefix}/include
libdir=\${prefix}/lib

Name: mpstatic-$port
Description: Python's multiprocessing for C without a heap ($port port, default configuration)
Version: $version
Cflags: -I\${includedir}/mpstatic -I\${includedir}/mpstatic/$port
Libs: -L\${libdir} -lmpstatic-$port${libs:+ $libs}
PC
  echo "install: $root/lib/libmpstatic-$port.a, $root/lib/pkgconfig/mpstatic-$port.pc"
done
