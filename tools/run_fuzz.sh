#!/usr/bin/env bash
# Runs a libFuzzer binary for a bounded time, for CI and `ninja fuzz`: first every input of
# the committed corpus once, then fuzzing for the time budget, from that corpus. Builds
# nothing. New inputs go to a scratch directory, never into the committed corpus (minimise
# them into it by hand: see tests/fuzz/README.md). Any crash or model mismatch makes it
# exit non-zero and leaves the failing input under $FUZZ_ARTIFACTS (default build/fuzz/artifacts).
#
#   tools/run_fuzz.sh FUZZER CORPUS_DIR[:DIR...] SECONDS [extra libFuzzer flags...]
#
# Several directories (colon-separated, e.g. the corpus and tests/fuzz/regressions) are all
# replayed and all seed the fuzzing.
#
# Prints one summary line: executions, executions per second, coverage (edges and
# features), corpus size.
set -u
if [ $# -lt 3 ]; then
    echo "usage: $0 FUZZER CORPUS_DIR SECONDS [libFuzzer flags...]" >&2
    exit 2
fi
fuzzer=$1 seconds=$3
IFS=: read -r -a corpus <<<"$2"
shift 3
for dir in "${corpus[@]}"; do
    if [ ! -d "$dir" ]; then
        echo "run_fuzz: no corpus directory $dir" >&2
        exit 2
    fi
done
if [ ! -x "$fuzzer" ]; then
    echo "run_fuzz: no fuzzer at $fuzzer" >&2
    exit 2
fi
artifacts=${FUZZ_ARTIFACTS:-build/fuzz/artifacts}
mkdir -p "$artifacts"
scratch=$(mktemp -d)
logs=$(mktemp -d)
trap 'rm -rf "$scratch" "$logs"' EXIT

# Per-input limits: a hang (-timeout) is a finding as well, the runtime must not deadlock
# where the harness expects a timeout.
flags=(-max_len=2048 -timeout=20 -rss_limit_mb=3072 -print_final_stats=1
       "-artifact_prefix=$artifacts/" "$@")

stat() { # stat NAME LOG: a -print_final_stats value
    sed -n "s/^stat::$1: *//p" "$2" | tail -1
}

"$fuzzer" "${flags[@]}" -runs=0 "${corpus[@]}" > "$logs/replay" 2>&1
replay=$?
fuzz=0
if [ $replay -eq 0 ] && [ "$seconds" -gt 0 ]; then
    "$fuzzer" "${flags[@]}" -max_total_time="$seconds" "$scratch" "${corpus[@]}" > "$logs/fuzz" 2>&1
    fuzz=$?
fi

failed=""
for step in replay fuzz; do
    code=${!step}
    if [ "$code" -ne 0 ] && [ -f "$logs/$step" ]; then
        failed="$failed $step"
        echo "run_fuzz: the $step step failed (exit $code):" >&2
        grep -E "MISMATCH|ERROR:|SUMMARY:|Test unit written|^    #[0-9]+ .* in " "$logs/$step" | head -40 >&2
    fi
done

execs=0 rate=0 last=""
for step in replay fuzz; do
    [ -f "$logs/$step" ] || continue
    n=$(stat number_of_executed_units "$logs/$step")
    execs=$((execs + ${n:-0}))
    [ "$step" = fuzz ] && rate=$(stat average_exec_per_sec "$logs/$step")
    l=$(grep -E "cov: [0-9]+" "$logs/$step" | tail -1)
    [ -n "$l" ] && last=$l
done
cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
corp=$(echo "$last" | sed -n 's/.*corp: \([0-9]*\/[0-9A-Za-z]*\).*/\1/p')
echo "fuzz: ${execs} executions (${rate:-0}/s), coverage ${cov:-?} edges ${ft:-?} features, corpus ${corp:-?} inputs/bytes, ${seconds}s budget:${failed:- no crash}"
[ -z "$failed" ]
