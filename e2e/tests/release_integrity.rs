//! Integrity under the strict CSP, in Chromium: the shell page's import map pins each module's
//! sha384 (allowed by its CSP hash), so a release module whose bytes change after publishing is
//! refused by `import()`, and a wasm fetched with its integrity is refused too. This is the
//! mechanism the shell loads micro apps with; TOOLCHAIN.md lists the ones that fail open.

use serde_json::{Value, json};
use thirtyfour::prelude::*;

const MODULE: &[u8] = b"export const answer = 42;\n";
const TAMPERED: &[u8] = b"export const answer = 666;\n";
const WASM: &[u8] = b"\0asm\x01\0\0\0";

async fn publish(session: &e2e::Session, release: &str) -> anyhow::Result<()> {
    session
        .publish_files(
            "probe",
            release,
            &[("probe.js", "js", MODULE), ("probe_bg.wasm", "wasm", WASM)],
        )
        .await
}

/// Both releases in the rollout, so the shell page's import map pins both.
async fn roll_out_both(session: &e2e::Session) -> anyhow::Result<()> {
    session
        .roll_out("probe", &[("good", 0.5), ("tampered", 0.5)], None)
        .await
}

/// Replaces a published file's bytes on the origin's disk, compressed siblings included.
fn tamper(session: &e2e::Session, release: &str, name: &str, bytes: &[u8]) -> anyhow::Result<()> {
    let path = session.published_folder("probe", release).join(name);
    let compressed = tessera_release::files::precompress(bytes)?;
    std::fs::write(&path, bytes)?;
    std::fs::write(path.with_file_name(format!("{name}.br")), compressed.brotli)?;
    std::fs::write(path.with_file_name(format!("{name}.gz")), compressed.gzip)?;
    Ok(())
}

async fn import_answer(session: &e2e::Session, release: &str) -> anyhow::Result<Value> {
    // A fresh document each time: modules and import maps are per document.
    session
        .driver
        .goto(session.url("/products/merino-crew-sweater"))
        .await?;
    let result = session
        .driver
        .execute_async(
            "const [release, done] = arguments;
             import(`/releases/probe/${release}/probe.js`).then((m) => done(m.answer)).catch((e) => done(`refused: ${e}`));",
            vec![json!(release)],
        )
        .await?;
    Ok(result.json().clone())
}

async fn fetch_wasm(
    session: &e2e::Session,
    release: &str,
    integrity: &str,
) -> anyhow::Result<Value> {
    let result = session
        .driver
        .execute_async(
            "const [release, integrity, done] = arguments;
             fetch(`/releases/probe/${release}/probe_bg.wasm`, { integrity }).then((r) => r.arrayBuffer())
               .then((b) => done(b.byteLength)).catch((e) => done(`refused: ${e}`));",
            vec![json!(release), json!(integrity)],
        )
        .await?;
    Ok(result.json().clone())
}

#[tokio::test]
async fn tampered_release_files_are_refused_by_the_browser() {
    e2e::run("release_integrity", async |session| {
        publish(session, "good").await?;
        publish(session, "tampered").await?;
        publish(session, "unpinned").await?;
        roll_out_both(session).await?;
        // The origin's copy changes after publishing and before any browser has fetched it
        // (release files are immutable, so a fetched copy would be served from cache).
        tamper(session, "tampered", "probe.js", TAMPERED)?;
        tamper(
            session,
            "tampered",
            "probe_bg.wasm",
            b"\0asm\x01\0\0\0 tampered",
        )?;
        tamper(session, "unpinned", "probe.js", TAMPERED)?;

        assert_eq!(
            import_answer(session, "good").await?,
            json!(42),
            "an intact module loads"
        );
        let wasm_integrity = tessera_release::files::integrity_of(WASM);
        assert_eq!(
            fetch_wasm(session, "good", &wasm_integrity).await?,
            json!(WASM.len())
        );

        let answer = import_answer(session, "tampered").await?;
        assert!(
            answer
                .as_str()
                .is_some_and(|text| text.starts_with("refused")),
            "a tampered module must not run: {answer}"
        );
        let wasm = fetch_wasm(session, "tampered", &wasm_integrity).await?;
        assert!(
            wasm.as_str()
                .is_some_and(|text| text.starts_with("refused")),
            "a tampered wasm must not load: {wasm}"
        );
        assert!(
            session
                .driver
                .find(By::Css("script[type=importmap]"))
                .await
                .is_ok()
        );

        // Guard: the refusal above comes from the import map. A release outside the rollout is
        // not pinned, so its tampered module runs; the shell only loads pinned releases.
        assert_eq!(import_answer(session, "unpinned").await?, json!(666));
        Ok(())
    })
    .await;
}
