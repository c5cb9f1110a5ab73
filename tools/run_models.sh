#!/usr/bin/env bash
# Runs one protocol model configuration with spin and says whether the result is the
# expected one: no error for a real configuration (exhaustive search, complete), a
# counterexample of the expected kind for a deliberately broken variant.
#   run_models.sh NAME | tests/models/configs/NAME.cfg     exit 0 only when as expected
#   run_models.sh --list                                      the configurations
#   run_models.sh --trail NAME     a broken variant's shortest counterexample (breadth-
#                                  first search), as the steps that touch shared state
# Environment: KEEP=1 keeps the work directory (pan, the trail); PAN_TIMEOUT (seconds,
# default 900) bounds the search.
# Prints one summary line: name, result, states stored, depth reached, pan's search time,
# and the wall time of the whole run (spin, compiling pan, the search).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cfgdir=$root/tests/models/configs
if [[ ${1:-} == --list ]]; then
  for f in "$cfgdir"/*.cfg; do
    n=$(basename "$f" .cfg)
    printf '%-28s %s\n' "$n" "$(sed -n 's/^# *//p' "$f" | head -n 1)"
  done
  exit 0
fi
trail=0
if [[ ${1:-} == --trail ]]; then trail=1; shift; fi
arg=${1:?usage: run_models.sh [--trail] NAME | path/to/NAME.cfg | --list}
if [[ -f $arg ]]; then cfg=$arg; else cfg=$cfgdir/$arg.cfg; fi
name=$(basename "$cfg" .cfg)
if [[ ! -f $cfg ]]; then
  echo "$name: no such configuration ($cfg)"
  exit 2
fi
# A configuration sets: model (file in tests/models), defines (spin -D...), expect
# (pass | error), and optionally error (a regular expression the first error must match),
# opt (pan's optimisation: -O2, or -O0 for small searches, where compiling dominates),
# cflags (extra pan compile flags), panflags (extra pan run flags).
model='' defines='' expect='' error='' opt=-O2 cflags='' panflags=''
# shellcheck disable=SC1090
source "$cfg"
for tool in spin gcc; do
  if ! command -v $tool >/dev/null; then
    echo "$name: $tool is not installed (Debian package: $tool)"
    exit 2
  fi
done
t0=$(date +%s%N)
work=$(mktemp -d "${TMPDIR:-/tmp}/models.$name.XXXXXX")
if [[ ${KEEP:-0} == 1 ]]; then echo "work directory: $work"; else trap 'rm -rf "$work"' EXIT; fi
cd "$work" || exit 2
if [[ $trail == 1 ]]; then
  # breadth-first: the shortest counterexample (BFS refuses hidden variables)
  defines="-DSCRATCH= $defines"; cflags="$cflags -DBFS"; opt=-O0
fi
# shellcheck disable=SC2086
if ! spin -a $defines "$root/tests/models/$model" >spin.log 2>&1; then
  echo "$name: spin -a failed"; cat spin.log; exit 1
fi
# -DSAFETY: assertions and invalid end states (deadlocks, hangs); memory bounded.
# shellcheck disable=SC2086
if ! gcc $opt -w -DSAFETY -DMEMLIM=4096 $cflags -o pan pan.c >cc.log 2>&1; then
  echo "$name: compiling pan failed"; cat cc.log; exit 1
fi
# shellcheck disable=SC2086
timeout "${PAN_TIMEOUT:-900}" ./pan -m2000000 $panflags >pan.log 2>&1
status=$?
ms=$((($(date +%s%N) - t0) / 1000000))
search=$(sed -n 's/^pan: elapsed time \([0-9.e+]*\) seconds.*/\1/p' pan.log | head -n 1)
states=$(sed -n 's/^ *\([0-9][0-9]*\) states, stored.*/\1/p' pan.log | head -n 1)
depth=$(sed -n 's/.*depth reached \([0-9]*\).*/\1/p' pan.log | head -n 1)
errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' pan.log | head -n 1)
first=$(grep -m 1 -E '^pan:[0-9]+: ' pan.log | sed 's/^pan:[0-9]*: //')
summary="${states:-?} states, depth ${depth:-?}, search ${search:-?} s, total $((ms / 1000)).$((ms % 1000 / 100)) s"
incomplete=""
if [[ $status -eq 124 ]]; then incomplete="timed out"; fi
if grep -qE 'max search depth too small|reached -DMEMLIM bound|out of memory' pan.log; then
  incomplete="search incomplete: $(grep -m 1 -E 'max search depth too small|MEMLIM|out of memory' pan.log)"
fi
if [[ $trail == 1 ]]; then
  echo "$name: ${first:-no error}: $summary"
  [[ -f $model.trail ]] || exit 1
  cp "$root/tests/models/"*.pml .
  # shellcheck disable=SC2086
  spin -t -p $defines "$model" 2>&1 | grep -E '^ *[0-9]+:[[:space:]]+proc' |
    grep -vE ':init:|goto|\[else\]|\[\(1\)\]|\[(v|w|_[a-z]) = |\(\(v<=|\(\(w<=|\(\(v>|\[\(\(kills<' |
    grep -vE '\[(owner|via|mode|tries|i|r|err|b|g|x|y|t|h) = 0\]|\[\(\([0-9]+&[0-9]+\)\)\]' |
    grep -vE '\[(k|f) = |\[\(!\(f\)\)\]|\[\(\(sb_n|\)[[:space:]]+\[sb_(n|a)\[|\)[[:space:]]+\[sb_v\[.*\] = 0\]$|\[\(\(tries<|\[tries = ' |
    sed -E 's/^ *([0-9]+):[[:space:]]+proc +[0-9]+ \(([a-z]+):1\) ([a-z]+\.pml:)?([0-9]+) \(state [0-9]+\)[[:space:]]*/\1 \2 \4 /'
  exit 0
fi
ok=0
kind="exhaustive"
if [[ $cflags == *BITSTATE* ]]; then
  # a bit-state search may miss states: say how well the hash covered them
  kind="bitstate, not exhaustive, hash factor $(sed -n 's/.*hash factor: *\([0-9.e+]*\).*/\1/p' pan.log | head -n 1)"
fi
if [[ $expect == pass ]]; then
  if [[ -z $incomplete && $errors == 0 ]]; then
    echo "$name: no error ($kind): $summary"; ok=1
  else
    echo "$name: FAILED (${incomplete:-$first}): $summary"
  fi
else
  if [[ ${errors:-0} -ge 1 ]] && [[ -z $error || $first =~ $error ]]; then
    echo "$name: counterexample as expected ($first): $summary"; ok=1
  elif [[ ${errors:-0} -ge 1 ]]; then
    echo "$name: FAILED: a counterexample, but not the expected one ($first; expected /$error/): $summary"
  else
    echo "$name: FAILED: no counterexample for a broken variant (${incomplete:-search complete}): $summary"
  fi
fi
if [[ $ok == 0 ]]; then
  echo "---- pan output"
  cat pan.log
  if [[ -f $model.trail ]]; then
    echo "---- trail (last steps): spin -t -p $defines tests/models/$model, from $work"
    # shellcheck disable=SC2086
    cp "$root/tests/models/"*.pml . && spin -t -p $defines "$model" 2>&1 | tail -n 40
  fi
  exit 1
fi
exit 0
