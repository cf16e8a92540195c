//! The shell composing real releases in Chromium: a 50/50 experiment between the product page and
//! its variant B, sticky assignment, a rollback reaching a visitor after the manifest TTL, per-slot
//! failure isolation (missing wasm, tampered wasm, a mount that panics) with retry on the next
//! navigation, and a stop condition halting a release that reports errors.

use std::time::Duration;

use anyhow::{Context, ensure};
use serde_json::{Value, json};

use e2e::planted::{APP, PANICKING, SLUG, fresh_visit, mounted_release, publish_panicking_release};

async fn experiment(session: &e2e::Session) -> anyhow::Result<(String, String)> {
    let a = session.publish(APP).await?;
    let b = session.publish(&format!("{APP}+variant-b")).await?;
    ensure!(a != b, "variant B is a different release");
    session.roll_out(APP, &[(&a, 0.5), (&b, 0.5)], None).await?;
    Ok((a, b))
}

#[tokio::test]
async fn a_fifty_fifty_split_is_even_and_sticky() {
    e2e::run("shell_split", async |session| {
        let (a, b) = experiment(session).await?;
        session.open(&format!("/products/{SLUG}")).await?;
        mounted_release(session).await?;
        let mut on_b = 0;
        for _ in 0..200 {
            let (_, release) = fresh_visit(session).await?;
            let release = release.context("a release mounted")?;
            ensure!(release == a || release == b, "unknown release {release}");
            let layout = session
                .eval("return document.querySelector('.tpd').dataset.layout;")
                .await?;
            ensure!(
                layout == json!(if release == b { "b" } else { "a" }),
                "variant B looks different: {layout}"
            );
            on_b += usize::from(release == b);
        }
        ensure!(
            (80..=120).contains(&on_b),
            "{on_b} of 200 visitors got variant B"
        );
        // One visitor, five reloads: always the same release.
        let first = mounted_release(session).await?;
        for _ in 0..5 {
            session.driver.refresh().await?;
            ensure!(
                mounted_release(session).await? == first,
                "sticky across reloads"
            );
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_rollback_reaches_a_variant_b_visitor_after_the_manifest_ttl() {
    e2e::run("shell_rollback", async |session| {
        let (a, b) = experiment(session).await?;
        session.open(&format!("/products/{SLUG}")).await?;
        mounted_release(session).await?;
        let mut attempts = 0;
        while mounted_release(session).await?.as_deref() != Some(b.as_str()) {
            attempts += 1;
            ensure!(attempts < 40, "no visitor got variant B in 40 tries");
            fresh_visit(session).await?;
        }
        session.roll_out(APP, &[(&a, 1.0), (&b, 0.0)], None).await?;
        // Still B until the copy the page holds is older than its TTL…
        tokio::time::sleep(Duration::from_secs(e2e::MANIFEST_TTL_SECONDS + 1)).await;
        // …then the next navigation (in the page, no reload) revalidates and mounts A.
        session.eval("window.__samePage = true; return null;").await?;
        session.wait_for(".tpd-related__link").await?.click().await?;
        session
            .wait_until(
                "release A is mounted",
                &format!("document.querySelector('.ts-shell__app')?.dataset.release === '{a}' && document.querySelector('.tpd[data-layout=a]')"),
            )
            .await?;
        ensure!(
            session.eval("return window.__samePage === true;").await? == json!(true),
            "the rollback arrived without a page load"
        );
        Ok(())
    })
    .await;
}

fn file_with_suffix(folder: &std::path::Path, suffix: &str) -> anyhow::Result<std::path::PathBuf> {
    std::fs::read_dir(folder)?
        .flatten()
        .map(|entry| entry.path())
        .find(|path| path.to_string_lossy().ends_with(suffix))
        .with_context(|| format!("no *{suffix} in {}", folder.display()))
}

/// The slot shows its fallback while the header keeps counting cart events.
async fn slot_failed_but_header_works(session: &e2e::Session, count: u32) -> anyhow::Result<()> {
    session.wait_for("[data-slot-state=failed]").await?;
    let outline = session.outline().await?;
    ensure!(!outline.busy, "a fallback panel is not busy: {outline:?}");
    ensure!(
        outline.headings == ["The product page didn't load"]
            && outline.title == "The product page didn't load · Tessera",
        "{outline:?}"
    );
    session
        .eval(&format!(
            "dispatchEvent(new CustomEvent('tessera:cart-changed', {{detail: JSON.stringify({{version: 1, kind: 'cart-changed', data: {{cart_id: 'c', version: 1, item_count: {count}}}}})}})); return null;"
        ))
        .await?;
    session
        .wait_until(
            "the header shows the new count",
            &format!("document.getElementById('ts-cart-count').textContent === '{count}'"),
        )
        .await?;
    let header_link = session.wait_for(".ts-shell__brand").await?;
    ensure!(
        header_link.is_displayed().await?,
        "the header is still there"
    );
    Ok(())
}

async fn errors_reported(session: &e2e::Session, release: &str) -> anyhow::Result<i64> {
    let stats = session
        .ops_request("GET", &format!("/v1/ops/rollouts/{APP}/stats"), None)
        .await?;
    Ok(stats["releases"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|entry| entry["releaseId"] == json!(release))
        .and_then(|entry| entry["errors"].as_i64())
        .unwrap_or(0))
}

#[tokio::test]
async fn a_failing_release_shows_the_slot_fallback_and_the_next_navigation_retries() {
    e2e::run("shell_failures", async |session| {
        // Missing wasm: a 404 for the wasm file.
        let release = session.publish(APP).await?;
        session.roll_out(APP, &[(&release, 1.0)], None).await?;
        let folder = session.published_folder(APP, &release);
        let hidden = folder.join("hidden");
        std::fs::create_dir_all(&hidden)?;
        let mut moved = Vec::new();
        for suffix in ["_bg.wasm", "_bg.wasm.br", "_bg.wasm.gz"] {
            let path = file_with_suffix(&folder, suffix)?;
            let target = hidden.join(path.file_name().context("name")?);
            std::fs::rename(&path, &target)?;
            moved.push((target, path));
        }
        session.open(&format!("/products/{SLUG}")).await?;
        slot_failed_but_header_works(session, 4).await?;
        // Back in place: "Try again" is a navigation, and it mounts the app.
        for (from, to) in &moved {
            std::fs::rename(from, to)?;
        }
        session
            .wait_for("[data-slot-state=failed] a")
            .await?
            .click()
            .await?;
        session
            .wait_for(".ts-shell__app[data-release] .tpd-product")
            .await?;
        ensure!(
            !session.outline().await?.busy,
            "the retried mount clears the busy state"
        );
        let mut reported = 0;
        for _ in 0..50 {
            reported = errors_reported(session, &release).await?;
            if reported > 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        ensure!(reported > 0, "the failed load was reported");

        // Integrity mismatch: the wasm's bytes change on the origin after publishing.
        let variant_b = session.publish(&format!("{APP}+variant-b")).await?;
        session.roll_out(APP, &[(&variant_b, 1.0)], None).await?;
        let tampered = file_with_suffix(&session.published_folder(APP, &variant_b), "_bg.wasm")?;
        let mut bytes = std::fs::read(&tampered)?;
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        let compressed = tessera_release::files::precompress(&bytes)?;
        std::fs::write(&tampered, &bytes)?;
        std::fs::write(tampered.with_extension("wasm.br"), compressed.brotli)?;
        std::fs::write(tampered.with_extension("wasm.gz"), compressed.gzip)?;
        session.open(&format!("/products/{SLUG}")).await?;
        slot_failed_but_header_works(session, 5).await?;

        // A panic in mount.
        publish_panicking_release(session).await?;
        session.roll_out(APP, &[(PANICKING, 1.0)], None).await?;
        session.open(&format!("/products/{SLUG}")).await?;
        slot_failed_but_header_works(session, 6).await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_stop_condition_halts_a_release_that_reports_errors() {
    e2e::run("shell_stop_condition", async |session| {
        let good = session.publish(APP).await?;
        publish_panicking_release(session).await?;
        session
            .roll_out(APP, &[(&good, 0.5), (PANICKING, 0.5)], Some((0.2, 5)))
            .await?;
        session.open(&format!("/products/{SLUG}")).await?;
        mounted_release(session).await?;
        let mut halted = Value::Null;
        for _ in 0..40 {
            fresh_visit(session).await?;
            let rollout = session
                .ops_request("GET", &format!("/v1/ops/rollouts/{APP}"), None)
                .await?;
            let weight = rollout["entries"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|entry| entry["releaseId"] == PANICKING)
                .and_then(|entry| entry["weight"].as_f64());
            if weight == Some(0.0) {
                halted = rollout;
                break;
            }
        }
        ensure!(!halted.is_null(), "the failing release was never halted");
        let history = session
            .ops_request("GET", &format!("/v1/ops/rollouts/{APP}/history"), None)
            .await?;
        ensure!(
            history.to_string().contains("ReleaseHalted"),
            "ops can see the halt: {history}"
        );
        // Every visitor now gets the good release.
        for _ in 0..5 {
            let (_, release) = fresh_visit(session).await?;
            ensure!(release.as_deref() == Some(good.as_str()), "got {release:?}");
        }
        Ok(())
    })
    .await;
}
