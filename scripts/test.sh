#!/usr/bin/env bash
# Installs whatever is missing, then runs every check ScaleLab has: formatting, clippy (native
# and wasm32), native tests (engine, CLI, app), headless-Chromium tests of the WASM app, the
# release build, and the end-to-end suite driving a real Chromium against that build.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh --browser

export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-180}"
started=$(date +%s)
step() {
  local name="$1"; shift
  printf '\n\033[1;34m== %s\033[0m\n' "$name"
  local t0=$(date +%s)
  "$@"
  printf '\033[1;32m== %s: ok (%ss)\033[0m\n' "$name" "$(( $(date +%s) - t0 ))"
}

step "format"            cargo fmt --all -- --check
step "clippy (native)"   cargo clippy --workspace --all-targets -- -D warnings
step "clippy (wasm32)"   cargo clippy -p scalelab --target wasm32-unknown-unknown --all-targets -- -D warnings
step "native tests"      cargo test --workspace --exclude scalelab-e2e
step "browser tests"     cargo test -p scalelab --target wasm32-unknown-unknown
step "release build"     trunk build --release
step "end-to-end"        cargo test -p scalelab-e2e -- --test-threads=1 --nocapture

printf '\n\033[1;32mAll checks passed in %ss.\033[0m Screenshots: target/e2e-screenshots/\n' "$(( $(date +%s) - started ))"
