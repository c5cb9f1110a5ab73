#!/usr/bin/env bash
# The long versions of the fault-injection and soak suites (issue 7), for `ninja stress`
# or by hand; `ninja test` runs their short versions. Ends like run_tests.sh with one line,
# "N passed, N failed", and exits non-zero if a suite failed or did not finish.
#   run_stress.sh [build-dir]     (default: build; the suites must be built)
# What runs:
#   - POSIX fault injection, 10,000 rounds (MP_FAULT_ROUNDS; about 25 minutes on 2 CPUs)
#   - the host simulation's fault sweep under 20 more schedule seeds
#   - soaks of 1,000,000 messages: POSIX, and host-sim without and with a seed
# Each suite prints its own figures (rounds, kills, stops, messages) and, on a failure,
# the line that replays it.
set -u
b=${1:-build}
runs=(
  "MP_FAULT_ROUNDS=10000@$b/posix-asan/tests/posix/test_faults"
  "MP_SOAK_MESSAGES=1000000@$b/posix-asan/tests/core/test_soak"
  "MP_SOAK_MESSAGES=1000000@$b/host-sim-asan/tests/core/test_soak"
  "MP_SOAK_MESSAGES=1000000 MP_SIM_SEED=7@$b/host-sim-asan/tests/core/test_soak"
)
for seed in $(seq 2 21); do
  runs+=("MP_SIM_SEED=$seed@$b/host-sim-asan/tests/host-sim/test_faults")
done
passed=0
failed=0
broken=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for run in "${runs[@]}"; do
  env_part=${run%%@*}
  exe=${run#*@}
  echo "==== $env_part $exe"
  if [[ ! -x $exe ]]; then
    echo "missing suite: $exe (build it first: ninja)"
    failed=$((failed + 1)); broken+=("$run (missing)")
    continue
  fi
  # shellcheck disable=SC2086
  env $env_part timeout 7200 "$exe" >"$log" 2>&1
  status=$?
  cat "$log"
  if [[ $status -eq 0 ]] && grep -q '^\[  PASSED  \]' "$log"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); broken+=("$run (exit $status)")
  fi
done
if [[ ${#broken[@]} -gt 0 ]]; then
  echo "suites that failed or did not finish:"
  printf '  %s\n' "${broken[@]}"
fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
