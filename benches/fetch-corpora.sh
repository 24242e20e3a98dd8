#!/usr/bin/env bash
# Rebuilds the benchmark corpora from package registries into bench-corpora/
# (git-ignored). Usage: benches/fetch-corpora.sh [django] [typescript] [crates] [actual] [netbox]
# With no argument, fetches all five. Each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."
out="bench-corpora"
mkdir -p "$out"
want=("$@")
[ ${#want[@]} -eq 0 ] && want=(django typescript crates actual netbox)

# Each corpus is unpacked beside its final place and renamed into it, so an
# interrupted or concurrent fetch never leaves a half-written corpus.
fetch_django() {
  [ -d "$out/django-5.1.4" ] && return
  local tmp; tmp=$(mktemp -d "$out/.fetch-XXXXXX")
  pip download --quiet --no-binary :all: --no-deps django==5.1.4 -d "$tmp"
  tar -xzf "$tmp"/[Dd]jango-5.1.4.tar.gz --no-same-owner -C "$tmp"
  mv -T "$tmp/Django-5.1.4" "$out/django-5.1.4" 2>/dev/null || [ -d "$out/django-5.1.4" ]
  rm -rf "$tmp"
}

fetch_typescript() {
  [ -d "$out/typescript-5.6.3" ] && return
  local tmp; tmp=$(mktemp -d "$out/.fetch-XXXXXX")
  (cd "$tmp" && npm pack --silent typescript@5.6.3 >/dev/null)
  mkdir -p "$tmp/typescript-5.6.3"
  tar -xzf "$tmp"/typescript-5.6.3.tgz --no-same-owner -C "$tmp/typescript-5.6.3" --strip-components=1
  mv -T "$tmp/typescript-5.6.3" "$out/typescript-5.6.3" 2>/dev/null || [ -d "$out/typescript-5.6.3" ]
  rm -rf "$tmp"
}

# Actual Budget's sync server (npm): an Express app whose routers are mounted
# under prefixes in another file (app.use("/sync", syncApp.handlers)), with
# supertest and spec files beside the code. The evidence-quality corpus.
fetch_actual() {
  [ -d "$out/actual-sync-server-25.6.0" ] && return
  local tmp; tmp=$(mktemp -d "$out/.fetch-XXXXXX")
  (cd "$tmp" && npm pack --silent @actual-app/sync-server@25.6.0 >/dev/null)
  mkdir -p "$tmp/actual-sync-server-25.6.0"
  tar -xzf "$tmp"/actual-app-sync-server-25.6.0.tgz --no-same-owner -C "$tmp/actual-sync-server-25.6.0" --strip-components=1
  mv -T "$tmp/actual-sync-server-25.6.0" "$out/actual-sync-server-25.6.0" 2>/dev/null || [ -d "$out/actual-sync-server-25.6.0" ]
  rm -rf "$tmp"
}

# NetBox: a Django application with a strawberry GraphQL schema. pip prepares
# the sdist's metadata, which needs Python >= 3.12 and hatchling: both are
# waived or fetched by pip itself (a few minutes the first time).
fetch_netbox() {
  [ -d "$out/netbox-4.7.3" ] && return
  local tmp; tmp=$(mktemp -d "$out/.fetch-XXXXXX")
  pip download --quiet --no-binary :all: --no-deps --ignore-requires-python netbox==4.7.3 -d "$tmp"
  tar -xzf "$tmp"/netbox-4.7.3.tar.gz --no-same-owner -C "$tmp"
  mv -T "$tmp/netbox-4.7.3" "$out/netbox-4.7.3" 2>/dev/null || [ -d "$out/netbox-4.7.3" ]
  rm -rf "$tmp"
}

# The crates already downloaded by cargo: a real Rust corpus without network.
fetch_crates() {
  [ -e "$out/crates" ] && return
  local src
  src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/ 2>/dev/null | head -1)
  if [ -z "$src" ]; then
    echo "no crates under ~/.cargo/registry/src (run cargo fetch first)" >&2
    return 1
  fi
  ln -s "$src" "$out/crates"
}

for c in "${want[@]}"; do
  "fetch_$c"
  echo "$c ready in $out/" >&2
done
