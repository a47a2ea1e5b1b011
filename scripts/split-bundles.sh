#!/usr/bin/env bash
# Trunk post-build hook (see Trunk.toml). In a release build it builds the app again in a few
# smaller bundles, each holding the home and progress pages and some of the labs, and writes
# bundles.json, which static/boot.js reads to load only the bundle of the lab in the address
# bar. One bundle with every lab is over the 400 KB (gzip) download budget; each of these is
# under it. A debug build (`trunk serve`) keeps the single bundle Trunk made.
set -euo pipefail

# lab slugs per bundle, and the cargo features that build them (one `lab-<slug>` each; the
# sandbox and the teachers' class page ride along like labs).
BUNDLES=(
  "a:mapreduce batch-stream"
  "b:queues scaling caching"
  "c:performance partitioning sandbox class"
  "d:drills tools"
)
DEFAULT=b   # home and progress pages: any bundle has them

[[ "${TRUNK_PROFILE:-}" == "release" ]] || exit 0
stage="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
cd "${TRUNK_SOURCE_DIR:-$(dirname "$0")/..}"
target_dir=$(cargo metadata --format-version 1 --no-deps --offline |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
work="$target_dir/split-bundles"
rm -rf "$work" && mkdir -p "$work"

labs_json=""
files_json=""
for entry in "${BUNDLES[@]}"; do
  name="${entry%%:*}"
  slugs="${entry#*:}"
  features=$(printf 'lab-%s,' $slugs)
  echo "split-bundles: bundle $name = $slugs"
  cargo build --offline --target wasm32-unknown-unknown --profile wasm-release \
    --bin scalelab-app --no-default-features --features "${features%,}" --quiet
  wasm-bindgen --target web --no-typescript --out-dir "$work" --out-name "scalelab-$name" \
    "$target_dir/wasm32-unknown-unknown/wasm-release/scalelab-app.wasm"
  wasm-opt -Oz --output="$work/scalelab-$name.opt.wasm" "$work/scalelab-${name}_bg.wasm"
  hash=$(cat "$work/scalelab-$name.js" "$work/scalelab-$name.opt.wasm" | sha256sum | cut -c1-16)
  js="scalelab-$name-$hash.js"
  wasm="scalelab-$name-${hash}_bg.wasm"
  cp "$work/scalelab-$name.js" "$stage/$js"
  cp "$work/scalelab-$name.opt.wasm" "$stage/$wasm"
  for s in $slugs; do labs_json+="\"$s\":\"$name\","; done
  files_json+="\"$name\":{\"js\":\"$js\",\"wasm\":\"$wasm\"},"
done
printf '{"default":"%s","labs":{%s},"files":{%s}}\n' \
  "$DEFAULT" "${labs_json%,}" "${files_json%,}" > "$stage/bundles.json"
echo "split-bundles: wrote $stage/bundles.json"
