// ScaleLab's service worker: once a page has loaded, the whole site (app, styles and every
// shipped data file) works with no network, so a student can open a lab on a train.
//
// Pages are fetched network-first (a new release shows up as soon as there is a network) and
// fall back to the cached copy; everything else is cache-first, since the app's files carry a
// content hash in their names and the data files never change within a release.

const CACHE = "scalelab-v1";

// Every file under static/data that the labs may load (an e2e test checks this list against
// the folder, so a new data file cannot be forgotten here).
const DATA = [
  "data/corpus/pg-being_ernest.txt",
  "data/corpus/pg-dorian_gray.txt",
  "data/corpus/pg-frankenstein.txt",
  "data/corpus/pg-grimm.txt",
  "data/corpus/pg-huckleberry_finn.txt",
  "data/corpus/pg-metamorphosis.txt",
  "data/corpus/pg-sherlock_holmes.txt",
  "data/corpus/pg-tom_sawyer.txt",
  "data/logs/README.md",
  "data/logs/sample-app.log",
  "data/spark-events/README.md",
  "data/spark-events/spark4-2executors-retried-task.json",
  "data/spark-events/spark4-2executors-retried-task.json.zst",
  "data/spark-events/spark4-2executors-skewed-groupby.json",
  "data/spark-events/spark4-2executors-skewed-groupby.json.zst",
  "data/spark-events/spark4-2executors-wordcount.json",
  "data/spark-events/spark4-2executors-wordcount.json.zst",
];

// The app's own files have hashed names that only index.html knows: read them from it.
async function shellFiles(html) {
  const found = new Set(["./", "manifest.webmanifest", "icon.svg"]);
  for (const m of html.matchAll(/(?:href|src)=["']([^"']+)["']|from\s+["']([^"']+)["']|module_or_path:\s*["']([^"']+)["']/g)) {
    const url = m[1] || m[2] || m[3];
    if (url && !url.startsWith("http") && !url.startsWith("#")) found.add(url);
  }
  return [...found];
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const page = await fetch("./", { cache: "no-store" });
    const html = await page.clone().text();
    await cache.put("./", page);
    await cache.addAll([...(await shellFiles(html)).filter((u) => u !== "./"), ...DATA]);
    // A release build's lab bundles (see boot.js): all of them, so every lab opens offline.
    const map = await fetch("bundles.json", { cache: "no-store" }).catch(() => null);
    if (map && map.ok) {
      const files = Object.values((await map.clone().json()).files).flatMap((f) => [f.js, f.wasm]);
      await cache.addAll(files);
      await cache.put("bundles.json", map);
    }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET" || new URL(req.url).origin !== self.location.origin) return;
  // The page and the bundle map name this release's files: fetch them fresh when online.
  const freshFirst = req.mode === "navigate" || new URL(req.url).pathname.endsWith("/bundles.json");
  if (freshFirst) {
    const key = req.mode === "navigate" ? "./" : "bundles.json";
    event.respondWith((async () => {
      try {
        const fresh = await fetch(req, { cache: "no-store" });
        const cache = await caches.open(CACHE);
        if (fresh.ok) await cache.put(key, fresh.clone());
        return fresh;
      } catch (_) {
        return (await caches.match(key)) || Response.error();
      }
    })());
    return;
  }
  event.respondWith((async () => {
    const hit = await caches.match(req, { ignoreSearch: true });
    if (hit) return hit;
    const fresh = await fetch(req);
    if (fresh.ok) {
      const cache = await caches.open(CACHE);
      await cache.put(req, fresh.clone());
    }
    return fresh;
  })());
});
