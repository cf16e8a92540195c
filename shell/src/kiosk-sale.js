// The kiosk's till: the basket, the payment dialog, the seal, the queue and its delivery. The
// server serves it and then kiosk.js as one module (`/kiosk.js`), so the two share their names.
// - A product page asks to sell here (the kit's `kiosk-sale-requested` event): the product goes
//   into the shopper's basket (this tab's session storage, so the idle reset and a reboot empty
//   it; up to the contract's 20 lines of 99) and the dialog shows the basket: keep shopping, empty
//   it, or pay for all of it as one order.
// - Paying takes the card and a receipt email, seals them at once to the shop's kiosk payment
//   key (from the policy; WebCrypto ECDH P-256 → HKDF → AES-GCM, bound to the order's
//   Idempotency-Key) and queues the order in IndexedDB; the queue is delivered whenever the shop
//   answers: at start, on reconnecting and after each sale. A key is made once per order and
//   kept with it, so every delivery of it, after any reload or reboot, places it once; the queue
//   (what waits, what the shop refused and why) shows in the header. One tab delivers at a time
//   (Web Locks). Nothing readable of the shopper's stays: the dialog goes with the sale, the
//   queue holds only ciphertext and what was bought.

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
    // Orders queued before baskets name one product of their own.
    item.textContent = `${describe(entry.items ?? [entry])}, ${money(entry.amount, entry.currency)}: ${entry.refused ? `refused by the shop (${entry.refused}); please ask staff` : 'waiting'}`;
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

// The shopper's basket: lines of the sale event's fields, in this tab's session storage (the
// idle reset clears it), mirrored in memory so a kiosk whose storage fails still sells.
const BASKET = 'tessera:kiosk-basket';
const MAX_LINES = 20;
const MAX_QUANTITY = 99;
let basketLines = (() => {
  try {
    const lines = JSON.parse(sessionStorage.getItem(BASKET));
    return Array.isArray(lines) ? lines : [];
  } catch (_) { return []; }
})();

function setBasket(lines) {
  basketLines = lines;
  try {
    if (lines.length) sessionStorage.setItem(BASKET, JSON.stringify(lines));
    else sessionStorage.removeItem(BASKET);
  } catch (_) { /* storage disabled: the basket lives as long as the page */ }
  showBasket();
}

const totalOf = (lines) => lines.reduce((total, line) => total + line.amount, 0);
const describe = (items) => items.map((item) => `${item.title} × ${item.quantity}`).join(', ');

// Adds a sale to the basket (the same product adds up); returns why it cannot, or ''.
function addToBasket(sale) {
  if (basketLines.length && basketLines[0].currency !== sale.currency) return 'This product is priced in another currency: pay for your basket first.';
  const same = basketLines.find((line) => line.variantId === sale.variantId);
  if (same && same.quantity + sale.quantity > MAX_QUANTITY) return `An order holds up to ${MAX_QUANTITY} of one product.`;
  if (!same && basketLines.length >= MAX_LINES) return `An order holds up to ${MAX_LINES} different products: pay for these first.`;
  setBasket(same
    ? basketLines.map((line) => (line === same ? { ...line, quantity: line.quantity + sale.quantity, amount: line.amount + sale.amount } : line))
    : [...basketLines, { ...sale }]);
  return '';
}

// The header's reminder of what the basket holds, with a way back to paying for it.
function showBasket() {
  let element = document.querySelector('.ts-kiosk__basket');
  if (!element) {
    element = document.createElement('div');
    element.className = 'ts-kiosk__basket';
    document.querySelector('.ts-kiosk__status')?.after(element);
  }
  element.replaceChildren();
  element.dataset.lines = String(basketLines.length);
  if (!basketLines.length) return;
  const count = basketLines.reduce((total, line) => total + line.quantity, 0);
  const summary = document.createElement('p');
  summary.textContent = `Basket: ${count === 1 ? '1 item' : `${count} items`}, ${money(totalOf(basketLines), basketLines[0].currency)}`;
  const pay = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Pay for the basket' });
  pay.addEventListener('click', () => openBasket(''));
  element.append(summary, pay);
}

function basketList(onChange) {
  const list = document.createElement('ul');
  list.className = 'ts-kiosk__lines';
  for (const line of basketLines) {
    const item = document.createElement('li');
    const text = Object.assign(document.createElement('span'), { textContent: `${line.title} × ${line.quantity}: ${money(line.amount, line.currency)}` });
    const remove = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Remove' });
    remove.setAttribute('aria-label', `Remove ${line.title}`);
    remove.addEventListener('click', () => {
      setBasket(basketLines.filter((other) => other !== line));
      onChange();
    });
    item.append(text, remove);
    list.append(item);
  }
  return list;
}

// The basket and the payment form; `refusal` says why the last product did not go in.
function openBasket(refusal) {
  document.querySelector('.ts-kiosk__pay')?.remove();
  if (!basketLines.length) return;
  const currency = basketLines[0].currency;
  const dialog = document.createElement('dialog');
  dialog.className = 'ts-kiosk__pay';
  dialog.setAttribute('aria-labelledby', 'ts-kiosk-pay-title');
  const form = document.createElement('form');
  form.noValidate = true;
  const title = Object.assign(document.createElement('h2'), { id: 'ts-kiosk-pay-title', textContent: 'Pay here, collect at the counter' });
  const total = Object.assign(document.createElement('p'), { className: 'ts-kiosk__total' });
  const where = Object.assign(document.createElement('p'), { className: 'ts-kiosk__pickup', textContent: `Collect at ${read(PICKUP) || 'the counter'}` });
  const expiry = document.createElement('div');
  expiry.className = 'ts-kiosk__row';
  expiry.append(field('Expiry month (MM)', 'expMonth', { inputMode: 'numeric', maxLength: 2 }), field('Expiry year (YYYY)', 'expYear', { inputMode: 'numeric', maxLength: 4 }));
  const error = document.createElement('p');
  error.setAttribute('role', 'alert');
  error.textContent = refusal;
  const actions = document.createElement('div');
  actions.className = 'ts-kiosk__actions';
  const empty = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Empty basket' });
  const more = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Keep shopping' });
  const pay = Object.assign(document.createElement('button'), { type: 'submit' });
  actions.append(empty, more, pay);
  let list = basketList(refresh);
  function refresh() {
    if (!basketLines.length) {
      dialog.close();
      return;
    }
    const fresh = basketList(refresh);
    list.replaceWith(fresh);
    list = fresh;
    total.textContent = `Total: ${money(totalOf(basketLines), currency)}`;
    pay.textContent = `Pay ${money(totalOf(basketLines), currency)}`;
  }
  form.append(
    title, list, total, where,
    field('Email for your receipt', 'email', { type: 'email', inputMode: 'email' }),
    field('Name on card', 'holderName'),
    field('Card number', 'number', { inputMode: 'numeric', maxLength: 23 }),
    expiry,
    field('Security code', 'cvc', { inputMode: 'numeric', maxLength: 4 }),
    error, actions,
  );
  refresh();
  dialog.append(form);
  document.body.append(dialog);
  // Closing in any way (Keep shopping, Escape, a sale) takes what was typed with it; the basket
  // stays until it is paid for, emptied or the kiosk resets.
  dialog.addEventListener('close', () => dialog.remove(), { once: true });
  more.addEventListener('click', () => dialog.close());
  empty.addEventListener('click', () => {
    setBasket([]);
    dialog.close();
  });
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
    const sold = basketLines;
    try {
      const key = crypto.randomUUID();
      const lines = sold.map((line) => ({ variantId: line.variantId, quantity: line.quantity }));
      const sealedPayment = await seal({ email, card }, key, shopKey);
      const items = sold.map((line) => ({ title: line.title, quantity: line.quantity }));
      await keep({ key, body: { lines, sealedPayment }, items, amount: totalOf(sold), currency, takenAt: new Date().toISOString() });
    } catch (_) {
      error.textContent = 'This kiosk could not keep your order. Nothing was charged; please ask staff.';
      pay.disabled = false;
      return;
    }
    setBasket([]);
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
    if (typeof sale.variantId === 'string' && Number.isInteger(sale.quantity) && Number.isInteger(sale.amount)) openBasket(addToBasket(sale));
  });
}
