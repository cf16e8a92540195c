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
// - sells: when a product page asks to sell here (the kit's `kiosk-sale-requested` event), it
//   takes the card and a receipt email in a dialog, seals them at once to the shop's kiosk
//   payment key (from the policy; WebCrypto ECDH P-256 → HKDF → AES-GCM, bound to the order's
//   Idempotency-Key) and queues the order in IndexedDB, then delivers the queue whenever the shop
//   answers: at start, on reconnecting and after each sale. A key is made once per order and
//   kept with it, so every delivery of it, after any reload or reboot, places it once; the queue
//   (what waits, what the shop refused and why) shows in the header. One tab delivers at a time
//   (Web Locks). Nothing readable of the shopper's stays: the dialog goes with the sale, the
//   queue holds only ciphertext and what was bought;
// - makes touch targets large.
// The server prepends the names it shares with the kit (`KIOSK`, below the prelude).

const IDLE_KEY = 'tessera:kiosk:idle-seconds';
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
.ts-kiosk__status, .ts-kiosk__queue { margin: 0; font-size: .875rem; color: #555; }
.ts-kiosk__queue:empty { display: none; }
.ts-kiosk__queue ul { margin: .25rem 0 0; padding-left: 1.25rem; }
.ts-kiosk__pay { max-width: 32rem; width: calc(100% - 2rem); padding: 1.5rem; border: 0; border-radius: .75rem; }
.ts-kiosk__pay::backdrop { background: rgb(0 0 0 / .5); }
.ts-kiosk__pay form { display: grid; gap: .75rem; }
.ts-kiosk__pay label { display: grid; gap: .25rem; font-weight: 600; }
.ts-kiosk__pay input { font: inherit; padding: .5rem .75rem; border: 1px solid #767676; border-radius: .375rem; }
.ts-kiosk__pay .ts-kiosk__row { display: grid; grid-template-columns: 1fr 1fr; gap: .75rem; }
.ts-kiosk__pay [role=alert] { margin: 0; color: #b00020; }
.ts-kiosk__pay [role=alert]:empty { display: none; }
.ts-kiosk__actions { display: flex; gap: .75rem; justify-content: flex-end; }
.ts-kiosk__actions button { font: inherit; padding: .5rem 1.25rem; border-radius: .375rem; border: 1px solid #767676; background: #fff; color: #1a1a1a; }
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

// ---- selling: the payment dialog, the seal, the queue and its delivery

const PAYMENT_KEY = 'tessera:kiosk:payment-key';
// Where orders are collected, as the policy last said: shown before the sale.
const PICKUP = 'tessera:kiosk:pickup';
const QUEUE_DB = 'tessera-kiosk';
const QUEUE = 'orders';
const SEAL_INFO = 'tessera kiosk payment v1';
const encoder = new TextEncoder();
let notice = '';

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text) {
  return Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
}

// The contract's `sealedPayment`: only the shop, holding the private half, can open it.
async function seal(payment, idempotencyKey, shopKey) {
  const { subtle } = crypto;
  const curve = { name: 'ECDH', namedCurve: 'P-256' };
  const shop = await subtle.importKey('raw', fromBase64url(shopKey), curve, false, []);
  const ephemeral = await subtle.generateKey(curve, false, ['deriveBits']);
  const ephemeralKey = await subtle.exportKey('raw', ephemeral.publicKey);
  const shared = await subtle.deriveBits({ name: 'ECDH', public: shop }, ephemeral.privateKey, 256);
  const hkdf = await subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  const key = await subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: ephemeralKey, info: encoder.encode(SEAL_INFO) }, hkdf, { name: 'AES-GCM', length: 256 }, false, ['encrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(idempotencyKey) }, key, encoder.encode(JSON.stringify(payment)));
  return `v1.${base64url(ephemeralKey)}.${base64url(iv)}.${base64url(ciphertext)}`;
}

function openQueue() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(QUEUE_DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(QUEUE, { keyPath: 'key' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// Runs `work` on the queue's store in one transaction; resolves once it is durable.
async function withQueue(mode, work) {
  const db = await openQueue();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = db.transaction(QUEUE, mode);
      const request = work(transaction.objectStore(QUEUE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
    });
  } finally {
    db.close();
  }
}

const queued = () => withQueue('readonly', (orders) => orders.getAll());
const keep = (entry) => withQueue('readwrite', (orders) => orders.put(entry));
const forget = (key) => withQueue('readwrite', (orders) => orders.delete(key));

function money(amount, currency) {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount / 100);
  } catch (_) { return `${(amount / 100).toFixed(2)} ${currency}`; }
}

async function showQueue() {
  let element = document.querySelector('.ts-kiosk__queue');
  if (!element) {
    element = document.createElement('div');
    element.className = 'ts-kiosk__queue';
    element.setAttribute('role', 'status');
    document.querySelector('.ts-kiosk__status')?.after(element);
  }
  let entries = [];
  try { entries = await queued(); } catch (_) { /* storage disabled: nothing can wait */ }
  const waiting = entries.filter((entry) => !entry.refused);
  element.dataset.waiting = String(waiting.length);
  element.dataset.refused = String(entries.length - waiting.length);
  element.replaceChildren();
  if (notice) element.append(Object.assign(document.createElement('p'), { textContent: notice }));
  if (!entries.length) return;
  const heading = document.createElement('p');
  heading.textContent = waiting.length === 1 ? '1 order waiting to be sent to the shop' : `${waiting.length} orders waiting to be sent to the shop`;
  const list = document.createElement('ul');
  for (const entry of entries) {
    const item = document.createElement('li');
    item.textContent = `${entry.title} × ${entry.quantity}, ${money(entry.amount, entry.currency)}: ${entry.refused ? `refused by the shop (${entry.refused}); please ask staff` : 'waiting'}`;
    list.append(item);
  }
  element.append(heading, list);
}

// Delivers what waits, oldest first, until the shop stops answering. A refusal (400, 422) is
// kept with the shop's reason for staff; anything else (offline, 409, 429, 5xx) waits for later.
async function deliverQueue() {
  const entries = (await queued()).filter((entry) => !entry.refused).sort((a, b) => a.takenAt.localeCompare(b.takenAt));
  for (const entry of entries) {
    let response;
    try {
      response = await fetch('/v1/kiosk/orders', {
        method: 'POST',
        cache: 'no-store',
        headers: { 'content-type': 'application/json', 'idempotency-key': entry.key },
        body: JSON.stringify(entry.body),
      });
    } catch (_) { break; }
    if (response.ok) {
      const order = await response.json().catch(() => ({}));
      await forget(entry.key);
      notice = `Order ${order.number ?? ''} has reached the shop: collect it at the counter.`;
    } else if (response.status === 400 || response.status === 422) {
      const problem = await response.json().catch(() => ({}));
      await keep({ ...entry, refused: problem.detail || problem.title || `HTTP ${response.status}` });
    } else {
      break;
    }
  }
}

async function deliver() {
  try {
    if (navigator.locks) await navigator.locks.request('tessera-kiosk-orders', { ifAvailable: true }, (lock) => lock && deliverQueue());
    else await deliverQueue();
  } catch (_) { /* storage failed: the queue stays as it was */ }
  await showQueue();
}

function luhn(number) {
  let sum = 0;
  for (let i = 0; i < number.length; i += 1) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

// The checks the vault makes, here, so a card is never queued to be refused when the shopper
// has long gone. Returns what to fix, or ''.
function problemWith(card, email) {
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return 'Enter an email address like name@example.com for your receipt.';
  if (!card.holderName) return 'Enter the name on the card.';
  if (!/^[0-9]{12,19}$/.test(card.number) || !luhn(card.number)) return 'Check the card number.';
  const now = new Date();
  const year = now.getFullYear();
  if (!(card.expMonth >= 1 && card.expMonth <= 12) || card.expYear < year || (card.expYear === year && card.expMonth < now.getMonth() + 1) || card.expYear > year + 20) return 'Check the expiry date: this card has expired or the date is wrong.';
  const cvcLength = /^3[47]/.test(card.number) ? 4 : 3;
  if (!new RegExp(`^[0-9]{${cvcLength}}$`).test(card.cvc)) return `Enter the ${cvcLength}-digit security code.`;
  return '';
}

function field(label, name, attributes = {}) {
  const wrapper = document.createElement('label');
  const input = Object.assign(document.createElement('input'), { name, required: true, autocomplete: 'off', ...attributes });
  wrapper.append(label, input);
  return wrapper;
}

function sell(sale) {
  document.querySelector('.ts-kiosk__pay')?.remove();
  const dialog = document.createElement('dialog');
  dialog.className = 'ts-kiosk__pay';
  dialog.setAttribute('aria-labelledby', 'ts-kiosk-pay-title');
  const form = document.createElement('form');
  form.noValidate = true;
  const title = Object.assign(document.createElement('h2'), { id: 'ts-kiosk-pay-title', textContent: 'Pay here, collect at the counter' });
  const what = Object.assign(document.createElement('p'), { textContent: `${sale.title} × ${sale.quantity}: ${money(sale.amount, sale.currency)}` });
  const where = Object.assign(document.createElement('p'), { className: 'ts-kiosk__pickup', textContent: `Collect at ${read(PICKUP) || 'the counter'}` });
  const expiry = document.createElement('div');
  expiry.className = 'ts-kiosk__row';
  expiry.append(field('Expiry month (MM)', 'expMonth', { inputMode: 'numeric', maxLength: 2 }), field('Expiry year (YYYY)', 'expYear', { inputMode: 'numeric', maxLength: 4 }));
  const error = document.createElement('p');
  error.setAttribute('role', 'alert');
  const actions = document.createElement('div');
  actions.className = 'ts-kiosk__actions';
  const cancel = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Cancel' });
  const pay = Object.assign(document.createElement('button'), { type: 'submit', textContent: `Pay ${money(sale.amount, sale.currency)}` });
  actions.append(cancel, pay);
  form.append(
    title, what, where,
    field('Email for your receipt', 'email', { type: 'email', inputMode: 'email' }),
    field('Name on card', 'holderName'),
    field('Card number', 'number', { inputMode: 'numeric', maxLength: 23 }),
    expiry,
    field('Security code', 'cvc', { inputMode: 'numeric', maxLength: 4 }),
    error, actions,
  );
  dialog.append(form);
  document.body.append(dialog);
  // Closing in any way (Cancel, Escape, a sale) takes what was typed with it.
  dialog.addEventListener('close', () => dialog.remove(), { once: true });
  cancel.addEventListener('click', () => dialog.close());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = (name) => form.elements[name].value.trim();
    const card = {
      number: value('number').replace(/[\s-]/g, ''),
      expMonth: Number(value('expMonth')),
      expYear: Number(value('expYear')),
      cvc: value('cvc'),
      holderName: value('holderName'),
    };
    const email = value('email');
    const shopKey = read(PAYMENT_KEY);
    error.textContent = shopKey ? problemWith(card, email) : 'This kiosk cannot take payments until it has reached the shop once. Please ask staff.';
    if (error.textContent) return;
    pay.disabled = true;
    try {
      const key = crypto.randomUUID();
      const lines = [{ variantId: sale.variantId, quantity: sale.quantity }];
      const sealedPayment = await seal({ email, card }, key, shopKey);
      await keep({ key, body: { lines, sealedPayment }, title: sale.title, quantity: sale.quantity, amount: sale.amount, currency: sale.currency, takenAt: new Date().toISOString() });
    } catch (_) {
      error.textContent = 'This kiosk could not keep your order. Nothing was charged; please ask staff.';
      pay.disabled = false;
      return;
    }
    dialog.close();
    notice = online ? 'Thank you! Sending your order to the shop…' : 'Thank you! Your order is saved and goes to the shop as soon as this kiosk is back online. Collect it at the counter.';
    await showQueue();
    if (online) deliver();
  });
  dialog.showModal();
  form.elements.email.focus();
}

function listenForSales() {
  addEventListener(KIOSK.saleEvent, (event) => {
    let detail;
    try { detail = JSON.parse(event.detail); } catch (_) { return; }
    if (detail?.version !== 1 || !detail.data) return;
    const sale = Object.fromEntries(Object.entries(KIOSK.saleFields).map(([name, wire]) => [name, detail.data[wire]]));
    if (typeof sale.variantId === 'string' && Number.isInteger(sale.quantity)) sell(sale);
  });
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
