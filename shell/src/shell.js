// The few things wasm-bindgen cannot express: dynamic import() (checked against the page's import
// map integrity), a promise deadline, and web-vitals observers.

export function importModule(url) {
  return import(url);
}

export function withDeadline(promise, millis, what) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${millis} ms`)), millis);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

// LCP (last candidate), CLS (sum of shifts without recent input) and INP (the slowest
// interaction, which is what web-vitals reports below 50 interactions), reported when the page is
// hidden, as web-vitals does.
export function observeVitals(report) {
  let lcp = 0, cls = 0, inp = 0;
  const observe = (type, onEntry, options = {}) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(onEntry))
        .observe({ type, buffered: true, ...options });
    } catch (_) { /* not supported by this browser: that vital is not reported */ }
  };
  observe('largest-contentful-paint', (entry) => { lcp = entry.startTime; });
  observe('layout-shift', (entry) => { if (!entry.hadRecentInput) cls += entry.value; });
  observe('event', (entry) => { if (entry.interactionId) inp = Math.max(inp, entry.duration); },
    { durationThreshold: 16 });
  let reported = false;
  addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'hidden' || reported) return;
    reported = true;
    if (lcp > 0) report('LCP', lcp);
    report('CLS', cls);
    if (inp > 0) report('INP', inp);
  });
}
