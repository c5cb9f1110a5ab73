#!/usr/bin/env bash
# Runs one example and compares what it prints with examples/expected/NAME.VARIANT.txt
# (a port whose output legitimately differs) or else examples/expected/NAME.txt, after
# replacing run-dependent numbers: "pid 12345" -> "pid N", "port 41234" -> "port N".
# An example whose lines come in an order that varies (processes printing at once) has
# examples/expected/NAME.sorted.txt instead: its output is sorted before the comparison,
# so every line must still be there whole.
# The example must also exit with status 0 (its own verdict).
#   check_example.sh build/VARIANT/examples/NAME                  a host program
#   check_example.sh QEMU_SYSTEM MACHINE build/VARIANT/examples/NAME.elf   firmware, in QEMU
# Host programs run with TMPDIR set to a fresh directory (removed afterwards).
# echo_server gets a client: 20 connections opened at once (more than the process table
# holds), two lines sent on each in turn, the upper-cased echo checked.
set -u
qemu=()
if [[ $# -eq 3 ]]; then
  qemu=("$1" -M "$2" -nographic -monitor none -serial stdio
        -semihosting-config enable=on,target=native -kernel)
  shift 2
fi
prog=$1
name=$(basename "$prog" .elf)
variant=$(basename "$(dirname "$(dirname "$prog")")")
expected=examples/expected/$name.$variant.txt
[[ -e $expected ]] || expected=examples/expected/$name.txt
sorted=0
[[ -e examples/expected/$name.sorted.txt ]] && { expected=examples/expected/$name.sorted.txt; sorted=1; }
[[ -e $expected ]] || { echo "no expected output for $prog ($expected)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

normalise() { sed -E 's/\bpid [0-9]+/pid N/g; s/\bport [0-9]+/port N/g'; }

echo_client() { # the server's first line gives its port; prints the server's output
  local connections=20 first port fd i line want fds=() bad=0
  exec {server}< <(exec timeout 60 "$prog" "$connections")
  local pid=$!
  read -r -t 10 -u "$server" first || { echo "echo_server printed no port"; return 1; }
  echo "$first"
  port=${first##* port }
  for ((i = 1; i <= connections; i++)); do
    exec {fd}<>"/dev/tcp/127.0.0.1/$port" || return 1
    fds+=("$fd")
  done
  for ((i = 1; i <= connections; i++)); do
    fd=${fds[i - 1]}
    printf 'hello from client %d\nsecond line\n' "$i" >&"$fd"
    for want in "HELLO FROM CLIENT $i" "SECOND LINE"; do
      if ! read -r -t 10 -u "$fd" line || [[ $line != "$want" ]]; then
        echo "connection $i: expected '$want', got '${line-}'" >&2; bad=1
      fi
    done
    exec {fd}>&-
  done
  cat <&"$server"
  wait "$pid" || return 1
  return $bad
}

if [[ $name == echo_server ]]; then
  echo_client >"$tmp/out"
elif [[ ${#qemu[@]} -gt 0 ]]; then
  timeout 60 "${qemu[@]}" "$prog" >"$tmp/out"
else
  TMPDIR=$tmp timeout 60 "$prog" >"$tmp/out"
fi
status=$?
normalise <"$tmp/out" >"$tmp/got"
if [[ $sorted -eq 1 ]]; then
  LC_ALL=C sort "$tmp/got" >"$tmp/sorted" && mv "$tmp/sorted" "$tmp/got"
fi
cat "$tmp/got"
[[ $status -eq 0 ]] || { echo "$prog: exit status $status"; exit 1; }
diff -u "$expected" "$tmp/got" || { echo "$prog: output differs from $expected"; exit 1; }
