// The shell's page plumbing. Every decision shared with the rest of Tessera comes from the kit's
// Rust through `kit`; lib.rs says what this file does and why it is JavaScript (the budget).

const LAST_GOOD_MANIFEST = 'tessera:shell:manifest';
const RELOADED_FOR = 'tessera:shell:reloaded-for';
const BEACONS = '/v1/telemetry/beacons';
const PHASE_DEADLINE_MS = 15000;
const ORIGIN_DEADLINE_MS = 5000; // each, when the manifest lists several
const FLUSH_EVERY_MS = 5000;
const BATCH = 20;

let kit;
let manifest = null; // { etag, manifest, checkedAt }
let mounted = null; // { key, app, handle }
let generation = 0;
let queue = [];
let visitor;
// The telemetry session the server rendered this page with: only beacons carrying it count.
let telemetrySession = null;
let servingOrigin = null; // the release origin that served last, tried first

const storage = (kind) => { try { return window[kind]; } catch (_) { return null; } };
const get = (kind, key) => { try { return storage(kind)?.getItem(key) ?? null; } catch (_) { return null; } };
const put = (kind, key, value) => {
  try { value === null ? storage(kind)?.removeItem(key) : storage(kind)?.setItem(key, value); } catch (_) { /* full or disabled: only the copy is lost */ }
};
const slot = () => document.getElementById('ts-slot-main');
const now = () => performance.now();
const message = (error) => (error && error.message) || String(error);

// ---------------------------------------------------------------- events and the header

function publish(event, data) {
  const detail = JSON.stringify({ version: kit.eventVersion, kind: event.kind, data });
  const last = (window[kit.lastEvents] ||= {});
  last[event.kind] = detail;
  dispatchEvent(new CustomEvent(event.name, { detail }));
}

function eventData(event) {
  try {
    const parsed = JSON.parse(event.detail);
    return parsed.version === kit.eventVersion ? { detail: event.detail, data: parsed.data } : null;
  } catch (_) { return null; }
}

// The server's visitor id (its cookie) wins, so the shell loads the release the edge drew, unless
// the server just made it up and this browser had one. The cookie then carries ours.
function visitorId() {
  let page = {};
  try { page = JSON.parse(document.getElementById('ts-manifest').textContent); } catch (_) { /* no inline data */ }
  let id = get('localStorage', kit.keys.visitorId);
  if (typeof page.visitor === 'string' && (!id || !page.newVisitor)) id = page.visitor;
  id ||= crypto.randomUUID();
  if (get('localStorage', kit.keys.visitorId) !== id) {
    put('localStorage', kit.keys.visitorId, id);
    publish(kit.events.visitorIdentified, { visitor_id: id });
  }
  document.cookie = `${kit.keys.visitorCookie}=${id}; Path=/; Max-Age=31536000; SameSite=Lax`;
  return id;
}

function setCartCount(count) {
  const badge = document.getElementById('ts-cart-count');
  if (!badge) return;
  const n = Math.max(0, Math.floor(count || 0));
  badge.textContent = String(n);
  badge.closest('a')?.setAttribute('aria-label', `Cart, ${n} ${n === 1 ? 'item' : 'items'}`);
}

function startHeader() {
  const itemCount = kit.events.cartChanged.fields.itemCount;
  try { setCartCount(JSON.parse(get('localStorage', kit.keys.lastCartEvent)).data[itemCount]); } catch (_) { /* no cart yet */ }
  addEventListener(kit.events.cartChanged.name, (event) => {
    const known = eventData(event);
    if (!known) return;
    setCartCount(known.data[itemCount]);
    put('localStorage', kit.keys.lastCartEvent, known.detail);
  });
  addEventListener(kit.events.checkoutCompleted.name, (event) => {
    if (!eventData(event)) return;
    setCartCount(0);
    put('localStorage', kit.keys.lastCartEvent, null);
  });
}

// ---------------------------------------------------------------- telemetry

function beacon(kind, fields) {
  queue.push({ kind, at: new Date().toISOString(), ...fields });
  if (queue.length >= BATCH) flush();
}

function flush() {
  if (!queue.length) return;
  const beacons = queue.splice(0, 100);
  // A string body goes as text/plain: no preflight, and it survives the page closing.
  const batch = { visitorId: visitor, beacons };
  if (telemetrySession) batch.session = telemetrySession;
  navigator.sendBeacon(BEACONS, JSON.stringify(batch));
}

function reportError(app, releaseId, text, source) {
  const fields = { app, message: String(text).slice(0, 1000), source: String(source).slice(0, 300) };
  const release = releaseId || document.querySelector(`.ts-shell__app[data-app="${app}"]`)?.dataset.release;
  if (release) fields.releaseId = release;
  beacon('error', fields);
  // Stop conditions act on errors: do not sit on them.
  flush();
}

// Release files live under /releases/<app>/…; anything else is the shell's own.
const appOf = (source) => /\/releases\/([^/]+)\//.exec(source || '')?.[1] || 'shell';

function startTelemetry() {
  setInterval(flush, FLUSH_EVERY_MS);
  addEventListener('error', (event) => {
    const source = `${event.filename}:${event.lineno}`;
    reportError(appOf(event.filename), null, event.message, source);
  });
  addEventListener('unhandledrejection', (event) => {
    reportError(appOf(event.reason?.stack), null, message(event.reason), 'unhandledrejection');
  });
  // LCP (last candidate), CLS (without recent input), INP (the slowest interaction, as
  // web-vitals below 50), sent when the page is hidden.
  let lcp = 0; let cls = 0; let inp = 0; let reported = false;
  const observe = (type, onEntry, options = {}) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(onEntry)).observe({ type, buffered: true, ...options });
    } catch (_) { /* not supported here: that vital is not reported */ }
  };
  observe('largest-contentful-paint', (entry) => { lcp = entry.startTime; });
  observe('layout-shift', (entry) => { if (!entry.hadRecentInput) cls += entry.value; });
  observe('event', (entry) => { if (entry.interactionId) inp = Math.max(inp, entry.duration); }, { durationThreshold: 16 });
  addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'hidden') return;
    if (!reported) {
      reported = true;
      // The page's vitals are its main slot's app's: the server credits the release it gave this visitor.
      const app = document.querySelector('#ts-slot-main .ts-shell__app')?.dataset.app;
      if (lcp > 0) beacon('web_vital', { name: 'LCP', value: lcp, app });
      beacon('web_vital', { name: 'CLS', value: cls, app });
      if (inp > 0) beacon('web_vital', { name: 'INP', value: inp, app });
    }
    flush();
  });
}

// ---------------------------------------------------------------- the manifest

function keepManifest(copy) {
  put('localStorage', LAST_GOOD_MANIFEST, JSON.stringify({ etag: copy.etag, manifest: copy.manifest }));
}

// The copy the server put in the page; else the last good one, revalidated before use.
function initialManifest() {
  try {
    const inline = JSON.parse(document.getElementById('ts-manifest').textContent);
    telemetrySession = typeof inline.telemetry === 'string' ? inline.telemetry : null;
    const copy = { etag: inline.etag, manifest: inline.manifest, checkedAt: now() };
    keepManifest(copy);
    return copy;
  } catch (_) {
    try {
      const stored = JSON.parse(get('localStorage', LAST_GOOD_MANIFEST));
      return stored?.manifest ? { ...stored, checkedAt: -Infinity } : null;
    } catch (_) { return null; }
  }
}

// The copy within its TTL; else the server's answer (304 confirms); else the copy.
async function revalidated(copy) {
  const ttl = (copy?.manifest?.ttlSeconds ?? 30) * 1000;
  if (copy && now() - copy.checkedAt < ttl) return copy;
  try {
    const headers = copy?.etag ? { 'If-None-Match': copy.etag } : {};
    const response = await fetch('/v1/manifest', { cache: 'no-store', headers });
    if (response.status === 304 && copy) return { ...copy, checkedAt: now() };
    if (!response.ok) return copy;
    const fresh = { etag: response.headers.get('ETag') || '', manifest: await response.json(), checkedAt: now() };
    keepManifest(fresh);
    return fresh;
  } catch (_) { return copy; }
}

// ---------------------------------------------------------------- loading a release

function withDeadline(promise, what, millis = PHASE_DEADLINE_MS) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${millis} ms`)), millis);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

// The manifest's release origins, the last to serve first; '' is the page's own (none listed).
function releaseOrigins() {
  const listed = manifest?.manifest?.origins || [];
  if (!listed.length) return [''];
  return listed.includes(servingOrigin) ? [servingOrigin, ...listed.filter((o) => o !== servingOrigin)] : [...listed];
}

// The edge inlines the stylesheet of the release it drew, naming it by `data-href`. A link that
// fails tries the next origin.
function addStylesheet(app, css) {
  const existing = document.querySelector(`[data-app-style="${app}"]`);
  if (existing?.dataset.href === css.url) return;
  existing?.remove();
  const origins = releaseOrigins();
  const link = document.createElement('link');
  Object.assign(link, { rel: 'stylesheet', integrity: css.integrity, crossOrigin: 'anonymous' });
  link.dataset.appStyle = app;
  link.dataset.href = css.url;
  const tryNext = () => { if (origins.length) link.href = origins.shift() + css.url; };
  link.addEventListener('error', tryNext);
  tryNext();
  document.head.append(link);
}

// Whether the page's import map pins this module's integrity (the server renders one per page).
function isPinned(url) {
  try { return Boolean(JSON.parse(document.querySelector('script[type=importmap]').textContent).integrity[url]); } catch (_) { return false; }
}

// Each phase is timed; every failure (404, timeout, integrity mismatch, instantiation error, a
// panic in mount) is thrown with its phase, for the slot's fallback and the error report.
async function load(element, app, choice, props, rendered) {
  let origin; // the release origin that served the files ('': the page's own)
  const timing = (phase, millis) => beacon('load_timing', { app, releaseId: choice.releaseId, phase, millis: Math.max(0, millis), origin: origin || undefined });
  const fail = (phase) => (error) => { throw Object.assign(new Error(message(error)), { phase }); };
  const started = now();
  if (choice.css) addStylesheet(app, choice.css);
  // Glue and wasm download in parallel from one origin, the first to answer: the import is
  // checked by the import map's integrity (pinned at every origin), the wasm by fetch's.
  const origins = releaseOrigins();
  let glue, response, failure;
  for (origin of origins) {
    try {
      const files = [import(origin + choice.js.url), fetch(origin + choice.wasm.url, { integrity: choice.wasm.integrity })];
      [glue, response] = await withDeadline(Promise.all(files), `loading from ${origin || 'here'}`, origins.length > 1 ? ORIGIN_DEADLINE_MS : PHASE_DEADLINE_MS);
      if (response.ok) break;
      failure = `${origin + choice.wasm.url}: HTTP ${response.status}`;
    } catch (error) { failure = error; }
    response = null;
  }
  if (!response) fail('fetch')(failure);
  servingOrigin = origin;
  const fetched = now();
  timing('fetch', fetched - started);
  await withDeadline(glue.default({ module_or_path: response }), 'instantiating').catch(fail('instantiate'));
  const instantiated = now();
  timing('instantiate', instantiated - fetched);
  // The app's first run in a task of its own: it is long (V8 compiles wasm lazily).
  await new Promise((resolve) => setTimeout(resolve, 0));
  // Drawn markup is readable already: hydrating it, the longest task, waits for intent.
  const replay = rendered && await rendered.intent;
  const mounting = now();
  let handle;
  if (rendered) {
    // The edge drew this release into the slot: hydrate it in place, with the state it drew from.
    try { handle = glue.hydrate(rendered.host, rendered.state); } catch (error) { fail('hydrate')(error); }
    delete rendered.host.dataset.rendered;
    rendered.host.dataset.hydrated = '';
    rendered.host.dataset.origin = origin || location.origin;
    replay();
  } else {
    const host = document.createElement('div');
    host.className = 'ts-shell__app';
    host.dataset.app = app;
    host.dataset.release = choice.releaseId;
    host.dataset.origin = origin || location.origin;
    element.replaceChildren(host);
    // A panic in the app's mount arrives here as a thrown RuntimeError, like any other throw.
    try { handle = glue.mount(host, props); } catch (error) { fail('mount')(error); }
  }
  const done = now();
  timing('mount', done - mounting);
  timing('total', done - started);
  return handle;
}

// The shopper's first intent on a drawn slot: resolves with a function to call once hydrated,
// which replays the clicks held until then (so nothing acts half-way).
const INTENTS = ['pointerover', 'pointerdown', 'touchstart', 'focusin', 'keydown'];
function firstIntent(host) {
  const held = [];
  const hold = (event) => { event.preventDefault(); event.stopPropagation(); held.push(event.target); };
  host.addEventListener('click', hold, true);
  return new Promise((resolve) => {
    const go = () => {
      for (const type of INTENTS) host.removeEventListener(type, go, true);
      resolve(() => {
        host.removeEventListener('click', hold, true);
        for (const target of held) if (target.isConnected) target.click();
      });
    };
    for (const type of INTENTS) host.addEventListener(type, go, { capture: true, passive: true });
  });
}

function unmount(current) {
  try { current.handle.unmount(); } catch (error) { reportError(current.app, null, message(error), 'unmount'); }
}

// ---------------------------------------------------------------- slot panels

const TITLES = { 'product-detail': 'The product page', checkout: 'Checkout', connector: 'The marketplace connector', catalog: 'The catalog' };

function panel(state, title, body, link) {
  const element = document.createElement('div');
  element.className = 'ts-shell__panel';
  element.dataset.slotState = state;
  if (state === 'failed') element.setAttribute('role', 'alert');
  const heading = document.createElement('h1');
  heading.textContent = title;
  const text = document.createElement('p');
  text.textContent = body;
  element.append(heading, text);
  if (link) {
    const anchor = document.createElement('a');
    anchor.href = link[0];
    anchor.textContent = link[1];
    element.append(anchor);
  }
  slot().replaceChildren(element);
  setBusy(state === 'loading');
  // While loading, the page keeps its title until the app names its own page.
  if (state !== 'loading') document.title = `${title} · ${kit.shopName}`;
}

// Busy only while an app loads: screen readers hold back a busy main.
function setBusy(busy) {
  if (busy) slot().setAttribute('aria-busy', 'true');
  else slot().removeAttribute('aria-busy');
}

const here = () => location.pathname + location.search;
const showFallback = (app) => panel('failed', `${TITLES[app] || app} didn't load`,
  'The rest of the shop still works. We have been told about the problem.', [here(), 'Try again']);

// A full load of this URL, once: the server's new page pins a release newer than this page.
function reloadOnce() {
  if (get('sessionStorage', RELOADED_FOR) === here()) {
    put('sessionStorage', RELOADED_FOR, null);
    return false;
  }
  put('sessionStorage', RELOADED_FOR, here());
  location.reload();
  return true;
}

// ---------------------------------------------------------------- routing

async function show() {
  const route = kit.route(location.pathname, location.search);
  if (mounted?.key === route.key) return;
  if (mounted && mounted.app === route.app && updated(mounted, route)) return;
  if (mounted) unmount(mounted);
  mounted = null;
  const mine = ++generation;
  if (route.kind === 'not-found') {
    panel('not-found', 'Page not found', 'There is nothing at this address.', ['/', 'Go to the home page']);
    return;
  }
  const { app } = route;
  const drawn = takeRendered(app);
  if (!drawn) panel('loading', 'Loading…', '');
  manifest = await revalidated(manifest);
  if (mine !== generation) return;
  const choice = manifest && kit.choose(manifest.manifest, app, visitor);
  // Markup of another release than this visitor's (an id the edge did not know) is not hydrated.
  const rendered = drawn && choice && drawn.releaseId === choice.releaseId ? drawn : null;
  if (drawn && !rendered) panel('loading', 'Loading…', '');
  if (!choice) {
    panel('unpublished', `${TITLES[app] || app} is not published yet`,
      'It will appear here as soon as its first release is rolled out.', ['/', 'Go to the home page']);
    return;
  }
  if (!isPinned(releaseOrigins()[0] + choice.js.url)) {
    // Loading it now would skip its integrity pin: a full page load gets a map that pins it.
    if (!reloadOnce()) {
      reportError(app, choice.releaseId, 'module not pinned by the import map', 'load');
      showFallback(app);
    }
    return;
  }
  beacon('exposure', { app, releaseId: choice.releaseId });
  try {
    const handle = await load(slot(), app, choice, route.props, rendered);
    if (mine === generation) {
      mounted = { key: route.key, app, handle };
      setBusy(false);
    } else unmount({ app, handle });
  } catch (error) {
    reportError(app, choice.releaseId, message(error), error.phase || 'load');
    if (mine === generation) showFallback(app);
  }
}

// Another URL of the app on screen: an app that takes new props keeps its state and DOM; one
// without `update` is mounted afresh.
function updated(current, route) {
  if (typeof current.handle.update !== 'function') return false;
  try {
    if (!current.handle.update(route.props)) return false;
  } catch (error) {
    reportError(current.app, null, message(error), 'update');
    return false;
  }
  current.key = route.key;
  return true;
}

// What the edge rendered into the slot for `app`, once: host, release and state to hydrate.
function takeRendered(app) {
  const data = document.getElementById('ts-rendered');
  if (!data) return null;
  data.remove();
  const host = slot().querySelector(':scope > .ts-shell__app[data-rendered]');
  try {
    const parsed = JSON.parse(data.textContent);
    if (!host || parsed.app !== app || host.dataset.release !== parsed.releaseId) return null;
    // Listening for intent from the start: a pointer that arrives while the bundle loads counts.
    return { host, releaseId: parsed.releaseId, state: parsed.state, intent: firstIntent(host) };
  } catch (_) { return null; }
}

function navigate(path, replace) {
  const before = kit.route(location.pathname, location.search).key;
  if (replace) history.replaceState(null, '', path);
  else { history.pushState(null, '', path); scrollTo(0, 0); }
  if (!(replace && kit.route(location.pathname, location.search).key === before)) show();
}

// Same-origin links to the shop's routes, back/forward and apps' navigation requests go through
// `navigate`; every other link is the browser's.
function captureNavigation() {
  addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = event.target instanceof Element ? event.target.closest('a[href]') : null;
    if (!anchor || (anchor.target && anchor.target !== '_self') || anchor.hasAttribute('download') || anchor.origin !== location.origin) return;
    if (kit.route(anchor.pathname, anchor.search).kind === 'not-found') return;
    event.preventDefault();
    navigate(anchor.pathname + anchor.search, false);
  });
  addEventListener('popstate', show);
  addEventListener(kit.events.navigationRequested.name, (event) => {
    const fields = kit.events.navigationRequested.fields;
    const data = eventData(event)?.data;
    const path = data?.[fields.path];
    // Only paths on this origin: an app cannot send the shopper elsewhere this way.
    if (typeof path === 'string' && path.startsWith('/') && !path.startsWith('//')) navigate(path, Boolean(data[fields.replace]));
  });
}

export function startShell(decisions) {
  kit = decisions;
  visitor = visitorId();
  startTelemetry();
  startHeader();
  captureNavigation();
  manifest = initialManifest();
  show();
}
