// 评委应用的 Service Worker：缓存应用外壳，没有网络也能打开评分页面。
// 分数与本轮数据存在 IndexedDB 中（见 db.js），由页面自己管理。
// The server replaces the mark with a digest of the shell files, so an upgrade renews the cache.
const CACHE = "arena-judge-__SHELL_VERSION__";
const SHELL = [
  "/judge",
  "/static/css/arena.css",
  "/static/css/judge.css",
  "/static/js/judge/app.js",
  "/static/js/judge/db.js",
  "/static/js/judge/outbox.js",
  "/static/js/judge/net.js",
  "/static/js/judge/heal.js",
  "/static/js/judge/digest.js",
  "/static/js/judge/views.js",
  "/static/js/judge/entry.js",
  "/static/js/judge/latest.js",
  "/static/js/judge/contest.js",
  "/static/js/judge/contest-views.js",
  "/static/js/live.js",
];
const NETWORK_WAIT = 3000;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("arena-judge-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// Fresh from the network when it answers quickly, otherwise the cached copy: a weak signal in
// a village must not keep a judge waiting.
async function shell(request, path) {
  const cache = await caches.open(CACHE);
  const network = fetch(request).then(async (response) => {
    if (response.ok) await cache.put(path, response.clone());
    return response;
  });
  network.catch(() => {});
  const timeout = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT, null));
  try {
    const fast = await Promise.race([network, timeout]);
    if (fast && fast.ok) return fast;
  } catch (_) { /* offline: fall back to the cache */ }
  const cached = await cache.match(path);
  if (cached) return cached;
  return network;
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (!SHELL.includes(url.pathname)) return;
  event.respondWith(shell(event.request, url.pathname));
});
