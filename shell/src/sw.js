// The kiosk's service worker (registered by kiosk.js, only on devices set up at /kiosk). It keeps
// what a kiosk needs to boot and browse without the network:
// - the kiosk document (the shell page with no slot drawn and no visitor: any shop URL boots
//   from it offline), the home page as the server draws it for no visitor (the kiosk's start,
//   readable before anything loads), and the shell's files they name;
// - the files of every release the manifest serves (weight above 0), fetched with their
//   integrity from the manifest's origins in order; releases no longer served are dropped, so a
//   rollback or a halt reaches the kiosk at its next sync;
// - a copy of the public catalog (categories, every product and its images) for offline browsing.
// Pages and public catalog reads go to the network first and fall back to the copy; release and
// shell files, immutable, come from the copy first. Nothing signed-in or personal is kept:
// requests carrying an Authorization header and every other API path pass straight through.
// kiosk.js asks for a sync when it starts and whenever the shop comes back after being
// unreachable (its policy re-read); the worker answers every client with what it holds.

const SHELL = 'tessera-kiosk-shell-v1';
const RELEASES = 'tessera-kiosk-releases-v1';
const DATA = 'tessera-kiosk-data-v1';
const DOCUMENT = '/kiosk';
const HOME = '/';
const NETWORK_TIMEOUT_MS = 4000;
// A kiosk copies at most this many products (the catalog's page size is at most 50).
const MAX_PRODUCTS = 1000;

self.addEventListener('install', (event) => {
  event.waitUntil(sync().catch(() => {}).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('message', (event) => {
  if (event.data === 'sync') event.waitUntil(syncAndTell());
});

let running = null;
// One sync at a time: a second request while one runs waits for it.
function syncAndTell() {
  running ||= sync()
    .then((held) => tell({ kind: 'synced', at: new Date().toISOString(), ...held }))
    .catch((error) => tell({ kind: 'sync-failed', message: String(error && error.message || error) }))
    .finally(() => { running = null; });
  return running;
}

async function tell(message) {
  for (const client of await self.clients.matchAll({ includeUncontrolled: true })) client.postMessage(message);
}

async function fetchOk(input, init) {
  const response = await fetch(input, { cache: 'no-store', ...init });
  if (!response.ok) throw new Error(`${input}: HTTP ${response.status}`);
  return response;
}

async function sync() {
  const shell = await caches.open(SHELL);
  // Without cookies: the pages are drawn for no visitor, so every shopper's shell makes its own id.
  // The header asks for the kiosk module, which the cookie would have.
  const pages = await Promise.all([DOCUMENT, HOME].map((path) => fetchOk(path, { credentials: 'omit', headers: { 'X-Tessera-Kiosk': '1' } })));
  const html = (await Promise.all(pages.map((page) => page.clone().text()))).join('');
  const shellFiles = new Set(html.match(/\/apps\/shell\/[A-Za-z0-9_./-]+/g) || []);
  shellFiles.add('/kiosk.js');
  for (const file of shellFiles) {
    if (!(await shell.match(file))) await shell.put(file, await fetchOk(file));
  }
  await shell.put(DOCUMENT, pages[0]);
  await shell.put(HOME, pages[1]);

  const manifest = await (await fetchOk('/v1/manifest')).json();
  const releases = await caches.open(RELEASES);
  const origins = manifest.origins?.length ? manifest.origins : [''];
  const served = new Set();
  for (const app of manifest.apps || []) {
    for (const release of app.releases || []) {
      if (!(release.weight > 0)) continue;
      for (const file of [release.files.js, release.files.wasm, release.files.css]) {
        if (!file) continue;
        served.add(file.url);
        if (!(await releases.match(file.url))) await releases.put(file.url, await fromOrigins(origins, file));
      }
    }
  }
  for (const request of await releases.keys()) {
    if (!served.has(new URL(request.url).pathname)) await releases.delete(request);
  }
  const products = await copyCatalog();
  return { releases: served.size, products, revision: manifest.apps?.map((app) => `${app.app}@${app.revision}`).join(' ') };
}

// The release file from the first origin that serves it with the right bytes.
async function fromOrigins(origins, file) {
  let failure;
  for (const origin of origins) {
    try {
      return await fetchOk(origin + file.url, { integrity: file.integrity, mode: 'cors' });
    } catch (error) { failure = error; }
  }
  throw failure;
}

async function copyCatalog() {
  const data = await caches.open(DATA);
  const keep = async (path) => {
    const response = await fetchOk(path);
    await data.put(path, response.clone());
    return response;
  };
  await keep('/v1/categories');
  let cursor = null;
  let count = 0;
  do {
    const page = await (await keep(`/v1/products?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json();
    for (const item of page.items || []) {
      const product = await (await keep(`/v1/products/${encodeURIComponent(item.slug)}`)).json();
      for (const image of product.images || []) {
        if (image.url?.startsWith('/media/') && !(await data.match(image.url))) await keep(image.url).catch(() => {});
      }
      count += 1;
    }
    cursor = page.nextCursor;
  } while (cursor && count < MAX_PRODUCTS);
  return count;
}

// Public reads (catalog, media, manifest, kiosk policy): what a kiosk may keep (no Authorization,
// no other path).
function isPublicCatalog(request, url) {
  return url.origin === self.location.origin && !request.headers.has('Authorization') &&
    (/^\/v1\/(products|categories|manifest|kiosk\/policy)(\/|$)/.test(url.pathname) || url.pathname.startsWith('/media/'));
}

function withTimeout(promise) {
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), NETWORK_TIMEOUT_MS))]);
}

async function networkFirst(request, cacheName, key) {
  try {
    const response = await withTimeout(fetch(request));
    if (response.ok) await (await caches.open(cacheName)).put(key, response.clone());
    // A shop that answers but fails (5xx) is as good as gone: the copy, when there is one.
    if (response.status >= 500) return (await caches.match(key, { ignoreVary: true })) || response;
    return response;
  } catch (error) {
    const copy = await caches.match(key, { ignoreVary: true });
    if (copy) return copy;
    throw error;
  }
}

async function copyFirst(request, key) {
  const copy = await caches.match(key, { ignoreVary: true });
  return copy || fetch(request);
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (request.mode === 'navigate') {
    // Online, the page the server draws for this URL; offline, the home page's copy or the kiosk
    // document, which boots the shell for any URL.
    const copy = url.pathname === HOME ? HOME : DOCUMENT;
    event.respondWith(withTimeout(fetch(request)).catch(async (error) => (await caches.match(copy, { cacheName: SHELL })) || Promise.reject(error)));
    return;
  }
  if (url.pathname.startsWith('/releases/') || (url.origin === self.location.origin && (url.pathname.startsWith('/apps/shell/') || url.pathname === '/kiosk.js'))) {
    event.respondWith(copyFirst(request, url.pathname));
    return;
  }
  if (isPublicCatalog(request, url)) event.respondWith(networkFirst(request, DATA, url.pathname + url.search));
});
