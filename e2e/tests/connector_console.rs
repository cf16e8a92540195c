//! The connector console against the real server and the marketplace simulator: a planted
//! stock drift appears in a reconciliation run and is gone after "apply fix"; a failing
//! connector turns its overview row to failing with the reason, and back; a parked dead letter
//! replayed from the console leaves its order in the import log exactly once, and a discard
//! without a reason is refused, and the audit trail names who replayed it and why; a viewer
//! cannot act; the console keeps working when a rollout swaps its release; without server-sent
//! events the overview polls and still shows changes, and a keyboard alone resumes a connector.
//! Every page passes axe.

use std::time::Duration;

use anyhow::{Context, Result, ensure};
use e2e::pages::console::Console;
use e2e::{Market, ServerExtras, Session};
use serde_json::{Value, json};
use thirtyfour::Key;

const RUNS: &str = "Reconciliation runs";
const DIFFERENCES: &str = "Differences: ours and the marketplace's";
const OVERVIEW: &str = "Every marketplace connector";
const IMPORTS: &str = "Order import log";
const AUDIT: &str = "Operator actions, newest first";

async fn market() -> Market {
    Market::start().await.expect("the simulator starts")
}

/// Waits (through the API) until a connector has published every listing.
async fn published(session: &Session, connector: &str) -> Result<()> {
    let path = format!("/v1/ops/connectors/{connector}/listings?state=pending&limit=1");
    for _ in 0..300 {
        let pending = session.ops_request("GET", &path, None).await?;
        if pending["items"].as_array().is_some_and(Vec::is_empty) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    anyhow::bail!("{connector} did not publish its listings")
}

/// Points the simulator at the server, signs in with `token` and waits until the overview lists
/// `connector`.
async fn overview<'a>(
    session: &'a Session,
    market: &Market,
    token: &str,
    connector: &str,
) -> Result<Console<'a>> {
    market.notify(&session.base).await?;
    let console = Console::open(session, token, "/ops/").await?;
    console
        .eventually(
            &format!("the overview lists {connector}"),
            &Console::has_row(OVERVIEW, &[connector]),
        )
        .await?;
    Ok(console)
}

async fn violations(session: &Session, page: &str) -> Result<()> {
    let found = session.accessibility_violations().await?;
    ensure!(found.is_empty(), "{page}: {found:#?}");
    Ok(())
}

#[tokio::test]
async fn a_planted_stock_drift_shows_in_a_run_and_is_gone_after_its_fix() {
    let market = market().await;
    e2e::run_with("console_drift", &market.server_extras(), async |session| {
        market.notify(&session.base).await?;
        published(session, "ebay").await?;
        let sku = market.stocked_sku("ebay", 3).await?;
        market
            .control("PUT", &format!("/control/ebay/listings/{sku}"), json!({"quantity": 999}))
            .await?;

        let console = Console::open(session, &session.ops_token, "/ops/connectors/ebay").await?;
        violations(session, "connector listings").await?;
        console.press("Reconciliation").await?;
        console.press("Run reconciliation now").await?;
        console.press("Run it").await?;
        console
            .eventually(
                "the run ops asked for completes",
                &Console::has_row(RUNS, &["ops:", "completed"]),
            )
            .await?;
        console.follow("/ops/reconciliations/").await?;
        console
            .eventually(
                "the planted drift is listed, ours against theirs",
                &Console::has_row(DIFFERENCES, &["stock_drift", &sku, "999", "publish_listing"]),
            )
            .await?;
        violations(session, "reconciliation run").await?;
        console.press(&format!("Apply fix to {sku}")).await?;
        console.press("Apply").await?;
        console
            .eventually(
                "the fix is recorded with who did it",
                &Console::has_row(DIFFERENCES, &["stock_drift", &sku, "fixed by ops:"]),
            )
            .await?;

        // The fix publishes our figure again; the next run finds nothing for that SKU.
        for _ in 0..300 {
            let state = market.control("GET", "/control/ebay", Value::Null).await?;
            let theirs = state["listings"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|listing| listing["sku"] == sku.as_str())
                .and_then(|listing| listing["quantity"].as_i64());
            if theirs.is_some_and(|quantity| quantity != 999) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        console.press("← Back to the connector").await?;
        console.press("Reconciliation").await?;
        console.press("Run reconciliation now").await?;
        console.press("Run it").await?;
        console
            .eventually(
                "both runs ops asked for completed",
                "[...document.querySelectorAll('[data-app=connector] table')].find((t) => t.caption?.textContent === 'Reconciliation runs')?.tBodies[0].rows && [...[...document.querySelectorAll('[data-app=connector] table')].find((t) => t.caption?.textContent === 'Reconciliation runs').tBodies[0].rows].filter((r) => [...r.cells].some((c) => c.textContent.startsWith('ops:')) && [...r.cells].some((c) => c.textContent === 'completed')).length === 2",
            )
            .await?;
        let runs = session
            .ops_request("GET", "/v1/ops/connectors/ebay/reconciliations", None)
            .await?;
        let newest = &runs["items"][0]["differences"];
        ensure!(
            !newest
                .as_array()
                .context("differences")?
                .iter()
                .any(|difference| difference["sku"] == sku.as_str()),
            "the drift is gone: {newest}"
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_failing_connector_turns_its_row_failing_with_the_reason_and_back() {
    let market = market().await;
    e2e::run_with(
        "console_failing",
        &market.server_extras(),
        async |session| {
            let console = overview(session, &market, &session.ops_token, "Amazon").await?;
            console
                .eventually(
                    "the overview follows the server's stream",
                    "document.querySelector('[data-live=true]')",
                )
                .await?;
            violations(session, "overview").await?;
            market
                .control("PUT", "/control/amazon/faults", json!({"errorRate": 1.0}))
                .await?;
            console
                .eventually(
                    "amazon is failing, with the marketplace's answer as the reason",
                    &Console::has_row(OVERVIEW, &["Amazon", "failing", "503"]),
                )
                .await?;
            market
                .control("PUT", "/control/amazon/faults", json!({}))
                .await?;
            console
                .eventually(
                    "amazon recovers",
                    &Console::has_row(OVERVIEW, &["Amazon", "ok"]),
                )
                .await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn a_parked_letter_replayed_from_the_console_is_imported_once_and_a_discard_needs_a_reason() {
    let market = market().await;
    e2e::run_with("console_dead_letters", &market.server_extras(), async |session| {
        market.notify(&session.base).await?;
        published(session, "zalando").await?;
        let sku = market.stocked_sku("zalando", 3).await?;
        market
            .control("PUT", "/control/zalando/faults", json!({"errorRate": 1.0}))
            .await?;
        let first = market.order_one("zalando", &sku).await?;
        let second = market.order_one("zalando", &sku).await?;
        let parked = "/v1/ops/dead-letters?status=parked&consumer=connector:zalando";
        for _ in 0..300 {
            let page = session.ops_request("GET", parked, None).await?;
            if page["total"] == 2 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        market.control("PUT", "/control/zalando/faults", json!({})).await?;

        let console = Console::open(session, &session.ops_token, "/ops/dead-letters").await?;
        console.choose("consumer", "connector:zalando").await?;
        console.press("Filter dead letters").await?;
        console
            .eventually("both letters are listed", "document.querySelector('[data-app=connector]')?.innerText.includes('2 letters match')")
            .await?;
        violations(session, "dead letters").await?;

        console.press("Discard").await?;
        console.press("Confirm").await?;
        console
            .eventually("the empty reason is refused inline", "document.querySelector('[role=dialog]')?.innerText.includes('Say why')")
            .await?;
        console.press("Cancel").await?;
        let still = session.ops_request("GET", parked, None).await?;
        ensure!(still["total"] == 2, "nothing was discarded: {still}");

        let letters = session.ops_request("GET", parked, None).await?;
        let replayed_order = letters["items"][0]["event"]["orderId"]
            .as_str()
            .context("the newest letter's order")?
            .to_owned();
        console.press("Replay").await?;
        console.fill("reason", "zalando is back").await?;
        console.press("Confirm").await?;
        console
            .eventually(
                "the replayed letter leaves the parked ones",
                "document.querySelector('[data-app=connector]')?.innerText.includes('1 letter matches')",
            )
            .await?;
        let replayed = session
            .ops_request("GET", "/v1/ops/dead-letters?status=replayed&consumer=connector:zalando", None)
            .await?;
        ensure!(
            replayed["items"][0]["resolvedBy"].as_str().is_some_and(|by| by.starts_with("ops:")),
            "who replayed it is kept: {replayed}"
        );

        let imports = session
            .ops_request("GET", "/v1/ops/connectors/zalando/imports", None)
            .await?;
        let marketplace_order = imports["items"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|import| import["id"] == replayed_order.as_str())
            .and_then(|import| import["marketplaceOrderId"].as_str())
            .context("the replayed letter's import")?
            .to_owned();
        ensure!([&first, &second].contains(&&marketplace_order));
        console.press("Audit trail").await?;
        console
            .eventually(
                "the replay is in the audit trail with its reason",
                &Console::has_row(AUDIT, &["replay", "connector:zalando", "zalando is back"]),
            )
            .await?;
        ensure!(
            !console.text().await?.contains("discard"),
            "the refused discard left no trace"
        );
        violations(session, "audit trail").await?;
        console.press("Connectors").await?;
        console.follow("/ops/connectors/zalando").await?;
        console.press("Order imports").await?;
        console
            .eventually(
                "the replayed order is in the import log",
                &Console::has_row(IMPORTS, &[&marketplace_order, "accepted"]),
            )
            .await?;
        let rows = console.rows(IMPORTS).await?;
        let listed = rows.iter().filter(|row| row[0] == marketplace_order).count();
        ensure!(listed == 1, "imported exactly once: {rows:?}");
        let state = market.control("GET", "/control/zalando", Value::Null).await?;
        let acknowledged = state["orders"].as_array().into_iter().flatten().any(|order| {
            order["id"] == marketplace_order.as_str() && order["status"] == "acknowledged"
        });
        ensure!(acknowledged, "the replayed acknowledgement reached zalando");
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_viewer_reads_the_console_but_every_action_is_disabled() {
    const VIEWER: &str = "e2e-viewer-token-0123456789abcdefghij";
    let market = market().await;
    let mut extras: ServerExtras = market.server_extras();
    extras
        .env
        .push(("TESSERA_OPS_VIEWER_TOKEN".into(), VIEWER.into()));
    e2e::run_with("console_viewer", &extras, async |session| {
        let wrong = Console::open(session, "not-a-token-of-this-shop-0123456789", "/ops/").await;
        ensure!(wrong.is_err(), "a wrong token does not sign in");
        let refused = session
            .eval("return document.querySelector('[data-app=connector]')?.innerText ?? '';")
            .await?;
        ensure!(
            refused
                .as_str()
                .unwrap_or_default()
                .contains("not accepted"),
            "a wrong token is named: {refused}"
        );
        violations(session, "sign-in").await?;

        let console = overview(session, &market, VIEWER, "eBay").await?;
        ensure!(
            console.text().await?.contains("viewer token"),
            "the reason is shown"
        );
        ensure!(console.is_disabled("Pause eBay").await?);
        ensure!(console.is_disabled("Sync eBay now").await?);
        console.press("Dead letters").await?;
        session.wait_for(".tco-batch").await?;
        ensure!(
            console
                .is_disabled("Replay every parked letter that matches")
                .await?
        );
        console.press("Webhooks").await?;
        session.wait_for("[data-app=connector] h1").await?;
        violations(session, "webhooks").await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn the_console_keeps_working_when_a_rollout_swaps_its_release() {
    let market = market().await;
    e2e::run_with(
        "console_rollout",
        &market.server_extras(),
        async |session| {
            let console = overview(session, &market, &session.ops_token, "eBay").await?;
            let compact = "document.querySelector('.tco--compact')";
            ensure!(session.eval(&format!("return !!{compact};")).await? == json!(false));

            let variant_b = session.publish("connector+variant-b").await?;
            session
                .roll_out("connector", &[(&variant_b, 1.0)], None)
                .await?;
            tokio::time::sleep(Duration::from_secs(e2e::MANIFEST_TTL_SECONDS + 1)).await;
            console.press("Dead letters").await?;
            console
                .eventually(
                    "the new release shows the dead letters, still signed in",
                    &format!("{compact} && document.querySelector('.tco-batch')"),
                )
                .await?;
            console.press("Connectors").await?;
            console
                .eventually(
                    "the overview still lists ebay",
                    &Console::has_row(OVERVIEW, &["eBay"]),
                )
                .await?;
            let errors = session.console_errors().await?;
            ensure!(errors.is_empty(), "no errors: {errors:?}");
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn without_server_sent_events_the_overview_polls_and_still_shows_changes() {
    let market = market().await;
    e2e::run_with(
        "console_polling",
        &market.server_extras(),
        async |session| {
            // A browser (or a proxy) without EventSource: the console must fall back to polling.
            session
                .driver
                .cdp()
                .send_raw(
                    "Page.addScriptToEvaluateOnNewDocument",
                    json!({"source": "delete window.EventSource;"}),
                )
                .await?;
            let console = overview(session, &market, &session.ops_token, "eBay").await?;
            ensure!(
                console.text().await?.contains("Refreshing every"),
                "the overview says it polls"
            );
            session
                .ops_request(
                    "POST",
                    "/v1/ops/connectors/ebay/pause",
                    Some(json!({"reason": "marketplace maintenance"})),
                )
                .await?;
            console
                .eventually(
                    "a pause made elsewhere shows up",
                    &Console::has_row(OVERVIEW, &["eBay", "paused", "marketplace maintenance"]),
                )
                .await?;

            // Keyboard only: Tab to "Resume eBay", Enter, type the reason, Enter.
            let focused = "return document.activeElement?.textContent?.trim() ?? '';";
            let mut reached = false;
            for _ in 0..80 {
                if session.eval(focused).await? == json!("Resume eBay") {
                    reached = true;
                    break;
                }
                session
                    .driver
                    .active_element()
                    .await?
                    .send_keys(Key::Tab)
                    .await?;
            }
            ensure!(reached, "Tab reaches the resume button");
            session
                .driver
                .active_element()
                .await?
                .send_keys(Key::Enter)
                .await?;
            session.wait_for("[role=dialog] [name=reason]").await?;
            // Focus moves into the dialog (its first control); Tab on to the reason, inside the trap.
            for _ in 0..10 {
                let name = session
                    .eval("return document.activeElement?.getAttribute('name') ?? '';")
                    .await?;
                if name == json!("reason") {
                    break;
                }
                session
                    .driver
                    .active_element()
                    .await?
                    .send_keys(Key::Tab)
                    .await?;
            }
            let reason = session.driver.active_element().await?;
            ensure!(
                reason.attr("name").await?.as_deref() == Some("reason"),
                "Tab reaches the reason inside the dialog"
            );
            reason.send_keys("maintenance over").await?;
            reason.send_keys(Key::Enter).await?;
            console
                .eventually(
                    "the keyboard resumed ebay",
                    &Console::has_row(OVERVIEW, &["eBay", "ok"]),
                )
                .await?;
            Ok(())
        },
    )
    .await;
}
