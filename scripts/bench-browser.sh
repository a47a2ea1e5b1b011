#!/usr/bin/env bash
# The browser performance budget (issue 10): frame work per lab at its largest setting in
# headless Chromium, first render on loopback, and the gzipped size of what a browser downloads.
# Numbers depend on the machine, so this is a benchmark, not part of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh --browser
trunk build --release
echo
echo "== download size (gzip -9)"
total=0
for f in dist/*.wasm dist/*.js; do
  n=$(gzip -9 -c "$f" | wc -c)
  total=$((total + n))
  printf '%-50s %8d bytes raw, %8d gzip\n' "$(basename "$f")" "$(wc -c < "$f")" "$n"
done
printf 'wasm + js gzip total: %d bytes (%d KB; budget 400 KB)\n' "$total" "$((total / 1024))"
echo
echo "== frame work per lab at its largest setting, 100x speed"
cargo test -p scalelab-e2e --test budget -- --ignored --nocapture 2>&1 | grep '^|'
