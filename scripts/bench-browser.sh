#!/usr/bin/env bash
# The browser performance budget (issue 10): frame work per lab at its largest setting in
# headless Chromium, first render on loopback, and the gzipped size of what a browser downloads
# for a page (one of the release bundles; see scripts/split-bundles.sh).
# Numbers depend on the machine, so this is a benchmark, not part of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh --browser
trunk build --release
echo
echo "== download size (gzip -9): what a page fetches = boot.js + one bundle's js + wasm"
gz() { gzip -9 -c "$1" | wc -c; }
boot=$(gz dist/boot.js)
for js in dist/scalelab-*.js; do
  wasm="${js%.js}_bg.wasm"
  name=$(basename "$js" .js)
  labs=$(python3 -c 'import json,sys; m=json.load(open("dist/bundles.json")); b=sys.argv[1].split("-")[1]; print(" ".join(sorted(s for s,x in m["labs"].items() if x==b)) + (" + home, progress" if m["default"]==b else "") if b in m["files"] else "every lab (Trunk fallback, used by trunk serve)")' "$name")
  total=$((boot + $(gz "$js") + $(gz "$wasm")))
  printf '%-34s %7d bytes gzip (%d KB; budget 400 KB)  %s\n' "$name" "$total" "$((total / 1024))" "$labs"
done
echo
echo "== frame work per lab at its largest setting, 100x speed"
cargo test -p scalelab-e2e --test budget -- --ignored --nocapture 2>&1 | grep '^|'
