//! The shell: the small host page that owns the URL, the header and the slots, and composes the
//! micro apps at run time. It reads the release manifest (inlined by the server, revalidated with
//! its ETag, last good copy kept for degraded starts), gives the visitor a sticky id, picks each
//! app's release by GrowthBook-compatible bucketing, loads its glue and wasm with integrity checks,
//! mounts it, and reports exposures, load timings, web vitals and errors in batched beacons.
//! A failure in a slot shows that slot's fallback; the header and the rest keep working.
//! Never depends on a UI framework or serde: its budget is 20 KB brotli.

#[cfg(target_arch = "wasm32")]
mod browser;
