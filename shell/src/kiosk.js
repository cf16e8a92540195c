// The kiosk channel: the same shell and micro apps on an in-store device. The server adds this
// module to every shell page of a browser set up at /kiosk (its `ts_kiosk` cookie), and the
// service worker's offline copy of the page carries it too. It is a module of its own so that
// shoppers' pages never download it. It
// - registers the service worker (sw.js) that keeps the shell, the served releases and a
//   catalog copy for booting and browsing offline, and asks it to sync at start and whenever the
//   shop answers again after being unreachable (the kiosk re-reads its policy: the manifest, so
//   releases no longer served are dropped, and the kiosks' kill switch, which covers the page
//   with the operator's message while kiosks are closed; offline, the last copy applies);
// - shows, in the header, whether the kiosk is online and when its offline copy was made;
// - resets the shopper's session after a spell without input: storage, the visitor cookie and
//   the page, so nothing personal outlives a shopper;
// - sells, with kiosk-sale.js (the basket, the payment dialog and the order queue), which the
//   server puts before this file in the one module;
// - makes touch targets large.
// The server prepends the names it shares with the kit (`KIOSK`, below the prelude).

const IDLE_KEY = 'tessera:kiosk:idle-seconds';
// What the policy last said, for selling offline: the shop's payment key, the pickup counter.
const PAYMENT_KEY = 'tessera:kiosk:payment-key';
const PICKUP = 'tessera:kiosk:pickup';
const KEEP_PREFIXES = ['tessera:kiosk:', KIOSK.shellPrefix];
const DEFAULT_IDLE_SECONDS = 90;
const PROBE_EVERY_MS = 5000;
const SYNC_EVERY_MS = 10 * 60 * 1000;
const INPUTS = ['pointerdown', 'keydown', 'touchstart', 'wheel', 'input'];
const STYLE = `
html[data-kiosk] { font-size: 112.5%; }
html[data-kiosk] :is(button, select, input:not([type=radio]):not([type=checkbox]), a.ts-button) { min-height: 3rem; }
html[data-kiosk] .ts-shell__account { display: none; }
.ts-kiosk__closed { position: fixed; inset: 0; z-index: 1000; display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 1rem; padding: 2rem; text-align: center; background: #fff; color: #1a1a1a; }
.ts-kiosk__status, .ts-kiosk__queue, .ts-kiosk__basket p { margin: 0; font-size: .875rem; color: #555; }
.ts-kiosk__queue:empty { display: none; }
.ts-kiosk__queue ul { margin: .25rem 0 0; padding-left: 1.25rem; }
.ts-kiosk__pay { max-width: 32rem; width: calc(100% - 2rem); padding: 1.5rem; border: 0; border-radius: .75rem; }
.ts-kiosk__pay::backdrop { background: rgb(0 0 0 / .5); }
.ts-kiosk__pay form { display: grid; gap: .75rem; }
.ts-kiosk__pay label { display: grid; gap: .25rem; font-weight: 600; }
.ts-kiosk__pay, .ts-kiosk__pay * { box-sizing: border-box; }
.ts-kiosk__pay input { width: 100%; min-width: 0; font: inherit; padding: .5rem .75rem; border: 1px solid #767676; border-radius: .375rem; }
.ts-kiosk__pay .ts-kiosk__row { display: grid; grid-template-columns: 1fr 1fr; gap: .75rem; }
.ts-kiosk__pay [role=alert] { margin: 0; color: #b00020; }
.ts-kiosk__pay [role=alert]:empty { display: none; }
.ts-kiosk__actions { display: flex; flex-wrap: wrap; gap: .75rem; justify-content: flex-end; }
.ts-kiosk__basket { display: flex; align-items: center; gap: .75rem; margin: 0; font-size: .875rem; }
.ts-kiosk__basket:empty { display: none; }
.ts-kiosk__lines { display: grid; gap: .5rem; margin: 0; padding: 0; list-style: none; }
.ts-kiosk__lines li { display: flex; align-items: center; justify-content: space-between; gap: .75rem; }
.ts-kiosk__total { margin: 0; font-weight: 600; }
:is(.ts-kiosk__actions, .ts-kiosk__basket, .ts-kiosk__lines) button { font: inherit; padding: .5rem 1.25rem; border-radius: .375rem; border: 1px solid #767676; background: #fff; color: #1a1a1a; }
.ts-kiosk__actions button[type=submit] { background: #1a1a1a; color: #fff; }
.ts-kiosk__status[data-online=false] { color: #8a4b00; font-weight: 600; }
@media (prefers-color-scheme: dark) { .ts-kiosk__closed, .ts-kiosk__pay { background: #121212; color: #eee; } .ts-kiosk__status, .ts-kiosk__queue { color: #bbb; } .ts-kiosk__pay [role=alert] { color: #ff8a80; } .ts-kiosk__status[data-online=false] { color: #ffb74d; } }`;

const root = document.documentElement;
let online = null;
let lastSync = null;

function store(key, value) {
  try { localStorage.setItem(key, value); } catch (_) { /* storage disabled: defaults apply */ }
}

function read(key) {
  try { return localStorage.getItem(key); } catch (_) { return null; }
}

function idleSeconds() {
  const seconds = Number(read(IDLE_KEY));
  return Number.isFinite(seconds) && seconds >= 5 ? seconds : DEFAULT_IDLE_SECONDS;
}

function status() {
  let element = document.querySelector('.ts-kiosk__status');
  if (!element) {
    element = document.createElement('p');
    element.className = 'ts-kiosk__status';
    element.setAttribute('role', 'status');
    document.querySelector('.ts-shell__nav')?.prepend(element);
  }
  const copy = lastSync ? `saved ${new Date(lastSync).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}` : 'not saved yet';
  element.dataset.online = String(online !== false);
  element.textContent = online === false ? `Offline: showing the saved catalogue (${copy})` : `Offline copy ${copy}`;
}

// Everything a shopper left behind goes; the kiosk's own settings and the manifest copy stay.
function resetSession() {
  try {
    for (const key of Object.keys(localStorage)) {
      if (!KEEP_PREFIXES.some((prefix) => key.startsWith(prefix))) localStorage.removeItem(key);
    }
    sessionStorage.clear();
  } catch (_) { /* storage disabled: nothing was kept */ }
  document.cookie = `${KIOSK.visitorCookie}=; Path=/; Max-Age=0; SameSite=Lax`;
  location.replace('/');
}

function watchIdle() {
  let timer;
  const restart = () => {
    clearTimeout(timer);
    timer = setTimeout(resetSession, idleSeconds() * 1000);
  };
  for (const type of INPUTS) addEventListener(type, restart, { capture: true, passive: true });
  restart();
}

// Closed kiosks show the operator's message over the shop until they are opened again.
async function readPolicy() {
  let policy;
  try {
    const response = await fetch('/v1/kiosk/policy', { cache: 'no-store' });
    // No answer, or a refusal (a rate limit): the policy in force stays.
    if (!response.ok) return;
    policy = await response.json();
  } catch (_) { return; }
  if (policy.paymentKey) store(PAYMENT_KEY, policy.paymentKey);
  const counter = policy.pickupAddress;
  if (counter) store(PICKUP, `${counter.name}, ${counter.line1}, ${counter.city}`);
  let cover = document.querySelector('.ts-kiosk__closed');
  root.dataset.kioskOpen = String(policy.open !== false);
  if (policy.open !== false) {
    cover?.remove();
    return;
  }
  if (!cover) {
    cover = document.createElement('div');
    cover.className = 'ts-kiosk__closed';
    cover.setAttribute('role', 'alert');
    cover.append(document.createElement('h1'), document.createElement('p'));
    document.body.append(cover);
  }
  cover.firstChild.textContent = 'This kiosk is closed';
  cover.lastChild.textContent = policy.message || 'Please ask a member of staff.';
}

async function askForSync() {
  const registration = await navigator.serviceWorker.ready;
  registration.active?.postMessage('sync');
}

// The shop is reachable when its health check answers (never from the worker's copy).
async function probe() {
  let reachable;
  try {
    reachable = (await fetch('/healthz', { cache: 'no-store' })).ok;
  } catch (_) { reachable = false; }
  const cameBack = reachable && online === false;
  online = reachable;
  root.dataset.kioskOnline = String(reachable);
  status();
  if (cameBack) {
    readPolicy();
    deliver();
    askForSync().catch(() => {});
  }
}

// Back to an ordinary browser: the worker and its copies go (the server expired the cookie).
async function leave() {
  for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
  for (const name of await caches.keys()) await caches.delete(name);
  try {
    for (const key of Object.keys(localStorage)) if (key.startsWith('tessera:kiosk:')) localStorage.removeItem(key);
  } catch (_) { /* storage disabled: nothing was kept */ }
  location.replace('/');
}

async function start() {
  root.dataset.kiosk = '';
  const style = document.createElement('style');
  style.textContent = STYLE;
  document.head.append(style);
  if (location.pathname === '/kiosk') {
    const idle = new URLSearchParams(location.search).get('idle');
    if (idle) store(IDLE_KEY, idle);
  }
  if (!('serviceWorker' in navigator)) return;
  if (location.pathname === '/kiosk' && new URLSearchParams(location.search).has('exit')) {
    await leave();
    return;
  }
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data?.kind === 'synced') {
      lastSync = event.data.at;
      store('tessera:kiosk:synced', JSON.stringify(event.data));
      root.dataset.kioskSynced = event.data.at;
      status();
    }
  });
  try { lastSync = JSON.parse(read('tessera:kiosk:synced'))?.at ?? null; } catch (_) { lastSync = null; }
  // Set up: the kiosk's home is the shop's.
  if (location.pathname === '/kiosk') {
    await navigator.serviceWorker.register('/sw.js', { scope: '/' });
    await askForSync();
    location.replace('/');
    return;
  }
  watchIdle();
  listenForSales();
  readPolicy();
  // Offline, the worker cannot be checked for an update; the registered one carries on.
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {});
  await probe();
  showBasket();
  if (online) await deliver();
  else await showQueue();
  setInterval(probe, PROBE_EVERY_MS);
  setInterval(() => {
    if (!online) return;
    readPolicy();
    askForSync().catch(() => {});
  }, SYNC_EVERY_MS);
  if (online) await askForSync();
}

if (document.readyState === 'loading') addEventListener('DOMContentLoaded', start, { once: true });
else start();
