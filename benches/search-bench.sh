#!/usr/bin/env sh
# Search bench (acceptance 2): generates a catalog of 5,000 capabilities,
# builds it with the release binary, and measures in headless Chromium the
# gzipped index bytes a query loads and the time a keystroke takes.
#   benches/search-bench.sh            # 5,000 capabilities
#   CAPCAT_BENCH_CAPABILITIES=20000 benches/search-bench.sh
# Needs chromium and chromedriver: scripts/install-test-deps.sh
set -eu
cd "$(dirname "$0")/.."
exec cargo test --release --test it bench_5000_capabilities -- --ignored --nocapture
