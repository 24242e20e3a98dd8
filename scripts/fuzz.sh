#!/usr/bin/env bash
# Longer fuzzing run of every input parser (tests/it/fuzz.rs), in release.
#   scripts/fuzz.sh                 # 200,000 cases per parser
#   scripts/fuzz.sh 1000000 42      # cases per parser, seed
# A failing input is saved under target/fuzz-failures/; replay it with the
# same seed (CAPCAT_FUZZ_SEED) and case count.
set -euo pipefail
cd "$(dirname "$0")/.."
export CAPCAT_FUZZ_CASES="${1:-200000}"
[ $# -ge 2 ] && export CAPCAT_FUZZ_SEED="$2"
exec cargo test --release --test it fuzz -- --nocapture --test-threads 2
