//! `tessera-bench --sim URL --secret whsec_…`: the marketplace figures, against a server selling
//! on the simulator with a big catalog (`cargo xtask bench marketplaces` starts both):
//! - the time until the amazon connector has published every listing;
//! - one amazon reconciliation over all listings (the run's own duration and the wall time);
//! - intake: `--orders` orders placed at amazon by buyers at once, pushed to the shop as signed
//!   notifications, until each has run its lifecycle (accepted or rejected), in orders/s.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::Args;

pub async fn run(http: &reqwest::Client, args: &Args, sim: &str, secret: &str) -> Result<()> {
    let ops = |request: reqwest::RequestBuilder| request.bearer_auth(&args.ops_token);
    let webhook = json!({"baseUrl": args.base, "secret": secret});
    http.put(format!("{sim}/control/webhook"))
        .json(&webhook)
        .send()
        .await?
        .error_for_status()?;

    let started = Instant::now();
    let connector = format!("{}/v1/ops/connectors/amazon", args.base);
    let listings = loop {
        let state: Value = ops(http.get(&connector)).send().await?.json().await?;
        if state["pendingListings"] == 0 && state["lastSuccessfulSyncAt"].is_string() {
            let page: Value = http
                .get(format!("{sim}/control/amazon"))
                .send()
                .await?
                .json()
                .await?;
            break page["listings"].as_array().map_or(0, Vec::len);
        }
        if started.elapsed() > Duration::from_secs(600) {
            bail!("amazon did not publish every listing within 10 minutes: {state}");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    println!(
        "| amazon: publish {listings} listings | {:.1} s | | |",
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let queued: Value = ops(http.post(format!("{connector}/reconciliations")))
        .json(&json!({"reason": "benchmark"}))
        .send()
        .await?
        .json()
        .await?;
    let run_url = format!(
        "{}/v1/ops/reconciliations/{}",
        args.base,
        queued["id"].as_str().context("a run id")?
    );
    let run = loop {
        let run: Value = ops(http.get(&run_url)).send().await?.json().await?;
        if run["status"] == "completed" || run["status"] == "failed" {
            break run;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    println!(
        "| amazon: reconcile {} listings, {} orders ({}; {} differences) | {} ms in the run, {:.0} ms wall | | |",
        run["listingsCompared"],
        run["ordersCompared"],
        run["status"],
        run["differences"].as_array().map_or(0, Vec::len),
        run["durationMs"],
        started.elapsed().as_secs_f64() * 1000.0,
    );

    let page: Value = http
        .get(format!("{sim}/control/amazon"))
        .send()
        .await?
        .json()
        .await?;
    let skus: Vec<String> = page["listings"]
        .as_array()
        .context("listings")?
        .iter()
        .filter(|listing| listing["quantity"].as_i64().unwrap_or(0) > 0)
        .filter_map(|listing| listing["sku"].as_str().map(str::to_owned))
        .collect();
    if skus.is_empty() {
        bail!("amazon lists nothing in stock");
    }
    let mut finished = Finished::default();
    finished.count(http, args).await?;
    let done_before = finished.total;
    let started = Instant::now();
    let placed = futures_util::stream::iter(0..args.orders)
        .map(|index| {
            let body = json!({"lines": [{"sku": skus[index % skus.len()], "quantity": 1}], "allowOversell": true});
            let url = format!("{sim}/control/amazon/orders");
            async move { http.post(url).json(&body).send().await.map(|response| response.status().is_success()) }
        })
        .buffer_unordered(16)
        .filter(|placed| std::future::ready(matches!(placed, Ok(true))))
        .count()
        .await;
    let placing = started.elapsed();
    loop {
        finished.count(http, args).await?;
        let done = finished.total - done_before;
        if done >= placed {
            break;
        }
        if started.elapsed() > Duration::from_secs(600) {
            bail!("only {done} of {placed} marketplace orders ran their lifecycle in 10 minutes");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "| amazon: intake of {placed} orders (placed in {:.1} s) | {:.1} s | {:.0} orders/s | |",
        placing.as_secs_f64(),
        elapsed,
        placed as f64 / elapsed
    );
    Ok(())
}

/// Marketplace orders that finished their lifecycle's first step (accepted or rejected), counted
/// from the event log as it grows.
#[derive(Default)]
struct Finished {
    after: i64,
    total: usize,
}

impl Finished {
    async fn count(&mut self, http: &reqwest::Client, args: &Args) -> Result<()> {
        loop {
            let url = format!(
                "{}/v1/ops/events?type=MarketplaceOrderAccepted&type=MarketplaceOrderRejected&limit=500&after={}",
                args.base, self.after
            );
            let page: Value = http
                .get(url)
                .bearer_auth(&args.ops_token)
                .send()
                .await?
                .json()
                .await?;
            self.total += page["items"].as_array().map_or(0, Vec::len);
            self.after = page["nextAfter"].as_i64().unwrap_or(self.after);
            if page["hasMore"] != true {
                return Ok(());
            }
        }
    }
}
