#!/usr/bin/env bash
# Runs every test suite given on the command line and ends with one aggregate line,
# "N passed, N failed", counting every test of every suite on every port.
#   run_tests.sh [ENV=VAL@]path/to/suite ...   a CMocka suite (with an environment)
#   run_tests.sh check:script[:arg...]:path     bash script [arg...] path, counted as one test
#   run_tests.sh qemu:SYSTEM:MACHINE:suite.elf  a CMocka suite built for a board, run in QEMU
#                                               (e.g. qemu:qemu-system-arm:mps2-an385:...)
#   run_tests.sh valgrind:path/to/suite         a CMocka suite under valgrind memcheck (its
#                                               forked children stay under it too)
# A suite that is missing, crashes, times out or prints no CMocka summary counts as
# failed (at least one test), so a suite that did not run can never look green.
set -u
passed=0
failed=0
broken=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for run in "$@"; do
  if [[ $run == check:* ]]; then
    IFS=: read -r -a args <<<"${run#check:}"
    echo "==== ${args[*]}"
    if [[ -e ${args[-1]} ]] && bash "${args[@]}"; then
      echo "[  PASSED  ] 1 check"; passed=$((passed + 1))
    else
      failed=$((failed + 1)); broken+=("$run")
    fi
    continue
  fi
  env_part=""
  exe=$run
  wrap=()
  if [[ $run == valgrind:* ]]; then
    exe=${run#valgrind:}
    # memcheck's own exit code for any error it finds; pidfd_open (434) is one it does
    # not know: the port falls back without it, so its note is not an error.
    wrap=(valgrind --error-exitcode=99 -q)
  elif [[ $run == qemu:* ]]; then # firmware: on the emulated board, status by semihosting
    IFS=: read -r _ system machine exe <<<"$run"
    wrap=("$system" -M "$machine" -nographic -monitor none -serial stdio
          -semihosting-config enable=on,target=native -kernel)
  elif [[ $run == *@* ]]; then
    env_part=${run%%@*}
    exe=${run#*@}
  fi
  echo "==== ${env_part:+$env_part }${wrap:+${wrap[0]} }$exe"
  if [[ ! -x $exe ]]; then
    echo "missing suite: $exe"
    failed=$((failed + 1)); broken+=("$run (missing)")
    continue
  fi
  cmd=("${wrap[@]}" "$exe")
  # shellcheck disable=SC2086
  env $env_part timeout 300 "${cmd[@]}" >"$log" 2>&1
  status=$?
  cat "$log"
  p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\..*/\1/p' "$log" | tail -n 1)
  f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:.*/\1/p' "$log" | tail -n 1)
  p=${p:-0}
  f=${f:-0}
  if ! grep -q '^\[==========\] [0-9]* test(s) run\.' "$log"; then
    # No summary: the suite crashed or hung. Count what it did not finish as failed.
    ran=$(grep -c '^\[ RUN      \]' "$log")
    ok=$(grep -c '^\[       OK \]' "$log")
    p=$ok
    f=$((ran - ok)); [[ $f -lt 1 ]] && f=1
    broken+=("$run (no summary, exit $status)")
  elif [[ $status -ne 0 && $f -eq 0 ]]; then
    f=1; broken+=("$run (exit $status)")
  fi
  passed=$((passed + p))
  failed=$((failed + f))
done
if [[ ${#broken[@]} -gt 0 ]]; then
  echo "suites that did not finish cleanly:"
  printf '  %s\n' "${broken[@]}"
fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
