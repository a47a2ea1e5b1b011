// Loads the app. A release build ships the labs split into bundles (scripts/split-bundles.sh)
// and bundles.json says which holds which lab: load only the one the address bar asks for.
// Without bundles.json (`trunk serve`) it loads the single bundle with every lab.
export async function boot(fullJs, fullWasm) {
  let js = fullJs;
  let wasm = fullWasm;
  try {
    const res = await fetch(new URL("bundles.json", document.baseURI));
    if (res.ok) {
      const map = await res.json();
      const slug = location.hash.replace(/^#\/?/, "").split(/[?/]/)[0];
      const files = map.files[map.labs[slug] || map.default];
      if (files) {
        js = new URL(files.js, document.baseURI).href;
        wasm = new URL(files.wasm, document.baseURI).href;
      }
    }
  } catch (_) {
    // No map: the single bundle.
  }
  const app = await import(js);
  await app.default({ module_or_path: wasm });
}
