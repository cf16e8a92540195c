//! A release with a planted error, and visits as brand-new visitors, for the tests of stop
//! conditions and guarded ramps on the product page.

use anyhow::Context;

use crate::Session;

/// The app the planted release belongs to, and a product page showing it.
pub const APP: &str = "product-detail";
pub const SLUG: &str = "merino-crew-sweater";

/// A module that behaves like a Rust app whose `mount` panics: the panic reaches the shell as the
/// `RuntimeError: unreachable` a trap throws.
const PANICKING_MODULE: &[u8] = b"export default async function init() {}\n\
export function mount() { throw new WebAssembly.RuntimeError('unreachable: panicked at src/lib.rs: boom'); }\n";
const SOME_WASM: &[u8] = b"\0asm\x01\0\0\0";
pub const PANICKING: &str = "panics-in-mount";

/// Publishes `PANICKING` as a release of the product page.
pub async fn publish_panicking_release(session: &Session) -> anyhow::Result<()> {
    session
        .publish_files(
            APP,
            PANICKING,
            &[
                ("boom.js", "js", PANICKING_MODULE),
                ("boom_bg.wasm", "wasm", SOME_WASM),
            ],
        )
        .await
}

/// The release mounted in the main slot, once the slot has settled (mounted or failed).
pub async fn mounted_release(session: &Session) -> anyhow::Result<Option<String>> {
    session
        .wait_until(
            "the slot settles",
            "document.querySelector('.ts-shell__app[data-release] .tpd, [data-slot-state=failed]')",
        )
        .await?;
    let release = session
        .eval("return document.querySelector('.ts-shell__app')?.dataset.release ?? null;")
        .await?;
    Ok(release.as_str().map(str::to_owned))
}

/// Reloads the product page as a brand-new visitor (no id in storage or in the visitor cookie:
/// the server makes one up) and returns the visitor id and the release they got.
pub async fn fresh_visit(session: &Session) -> anyhow::Result<(String, Option<String>)> {
    session
        .eval("localStorage.removeItem('tessera:visitor-id'); document.cookie = 'ts_visitor=; Max-Age=0; Path=/'; return null;")
        .await?;
    session.driver.refresh().await?;
    let release = mounted_release(session).await?;
    // The edge's markup is there at load, the shell (which keeps the id) maybe not yet.
    session
        .wait_until(
            "the shell knows the visitor",
            "localStorage.getItem('tessera:visitor-id')",
        )
        .await?;
    let visitor = session
        .eval("return localStorage.getItem('tessera:visitor-id');")
        .await?;
    Ok((visitor.as_str().context("visitor id")?.to_owned(), release))
}
