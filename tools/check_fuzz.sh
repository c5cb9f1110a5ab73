#!/usr/bin/env bash
# The fuzzer's entry in `ninja test` (a check: one argument, the fuzzer binary): replays
# the committed corpus and the defect reproducers, then fuzzes for FUZZ_SECONDS (default
# 30), so the whole check stays well under CI's two minutes. See tests/fuzz/README.md.
set -u
exec "$(dirname "$0")/run_fuzz.sh" "$1" tests/fuzz/corpus:tests/fuzz/regressions "${FUZZ_SECONDS:-30}"
