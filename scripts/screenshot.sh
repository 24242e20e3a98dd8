#!/usr/bin/env bash
# Screenshots of the demo catalog in headless Chromium: the home page, capability
# pages (one with its timeline), the changes page, and the internal re-engage
# list, roadmap, an account page and the lost-deal autopsy, at desktop (1280 px)
# and phone (390 px) widths; and the drift page of the drift fixture
# (tests/fixtures/drift). Usage: scripts/screenshot.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out_dir=${1:-target/screenshots}
mkdir -p "$out_dir"
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "chromium is not installed: run scripts/install-test-deps.sh first" >&2
  exit 2
fi
site=$(mktemp -d)
profile=$(mktemp -d)
trap 'rm -rf "$site" "$profile"' EXIT
cargo run --quiet -- build --quiet --out "$site/public"
cp -r tests/fixtures/drift "$site/drift-fixture"
cargo run --quiet -- build --quiet --config "$site/drift-fixture/catalog.toml" --out "$site/drift"
shoot() { # name width height page
  "$chromium" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars \
    --window-size="$2,$3" --screenshot="$out_dir/$1.png" "file://$site/$4" 2>/dev/null
  echo "$out_dir/$1.png"
}
shoot home 1280 1500 public/index.html
shoot capability 1280 1800 public/capabilities/scim-provisioning/index.html
shoot capability-available 1280 1400 public/capabilities/sso-saml/index.html
shoot home-phone 390 1600 public/index.html
shoot roadmap 1280 2200 public/roadmap/index.html
shoot roadmap-phone 390 3000 public/roadmap/index.html
shoot account 1280 1500 public/accounts/acme-retail/index.html
shoot account-phone 390 2000 public/accounts/acme-retail/index.html
shoot autopsy 1280 2600 public/autopsy/index.html
shoot autopsy-phone 390 4000 public/autopsy/index.html
shoot changes 1280 1700 public/changes/index.html
shoot re-engage 1280 800 public/re-engage/index.html
shoot capability-timeline 1280 2200 public/capabilities/scim-provisioning/index.html
shoot changes-phone 390 1800 public/changes/index.html
shoot drift 1280 2200 drift/drift/index.html
