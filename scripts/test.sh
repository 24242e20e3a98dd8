#!/usr/bin/env bash
# Runs the whole capcat test suite. Installs what the tests need first
# (headless Chromium and its driver for the browser test) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-test-deps.sh
cargo test --locked
