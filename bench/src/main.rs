//! `tessera-bench`: puts load on a running Tessera server over loopback and prints a report.
//! Started by `cargo xtask bench api`, which builds and starts the server first.
//!
//! Scenarios:
//! - product GET and product listing GET (search, filters, sorts, facets) at a fixed arrival rate
//! - edge-rendered product pages at 200 rps, with the render's own time and memory
//!   (open loop: latency counts from the scheduled send time, so a stalled server cannot hide
//!   behind fewer requests);
//! - cart add: concurrent shoppers each adding to their own cart with its current version;
//! - checkout complete: prepared checkouts completed concurrently, then the time until the event
//!   pipeline confirmed all of them;
//! - with `--sim`, only the marketplace figures (`marketplaces.rs`);
//! - with `--search RPS`, only catalog search over a big catalog (`search.rs`);
//! - with `--orders-only LABEL`, only the checkout figures, as one row of a table that
//!   `cargo xtask bench orders` assembles across topologies; `--also URL` adds an instance to
//!   take turns with on the completions.

mod edge;
mod load;
mod marketplaces;
mod search;

use load::{Summary, open_loop, succeeded};

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

struct Args {
    base: String,
    ops_token: String,
    rate: u64,
    seconds: u64,
    orders: usize,
    /// The marketplace simulator and its notification secret: run the marketplace figures only.
    sim: Option<(String, String)>,
    /// `--search RPS`: run the catalog search figures only, at this rate.
    search: Option<u64>,
    /// `--orders-only LABEL`: run the checkout figures only, as a table row so labelled.
    orders_only: Option<String>,
    /// More instances of the same shop (`--also URL`): completions take turns across them all.
    also: Vec<String>,
}

fn parse_args() -> Result<Args> {
    let mut args = Args {
        base: String::new(),
        ops_token: String::new(),
        rate: 1000,
        seconds: 10,
        orders: 2000,
        sim: None,
        search: None,
        orders_only: None,
        also: Vec::new(),
    };
    let mut secret = String::new();
    let mut raw = std::env::args().skip(1);
    while let Some(flag) = raw.next() {
        let value = raw
            .next()
            .with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--base" => args.base = value,
            "--ops-token" => args.ops_token = value,
            "--rate" => args.rate = value.parse()?,
            "--seconds" => args.seconds = value.parse()?,
            "--orders" => args.orders = value.parse()?,
            "--sim" => args.sim = Some((value, String::new())),
            "--secret" => secret = value,
            "--search" => args.search = Some(value.parse()?),
            "--orders-only" => args.orders_only = Some(value),
            "--also" => args.also.push(value),
            other => bail!("unknown flag {other}"),
        }
    }
    if let Some((_, sim_secret)) = &mut args.sim {
        *sim_secret = secret;
    }
    if args.base.is_empty() {
        bail!(
            "usage: tessera-bench --base URL --ops-token TOKEN [--rate RPS] [--seconds S] [--orders N] [--sim URL --secret whsec_…] [--search RPS] [--orders-only LABEL [--also URL]...]"
        );
    }
    Ok(args)
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = parse_args()?;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()?;
    if let Some(rate) = args.search {
        return search::run(&http, &args, rate).await;
    }
    if let Some((sim, secret)) = &args.sim {
        println!("| marketplace scenario | time | rate | |");
        println!("| --- | ---: | ---: | --- |");
        return marketplaces::run(&http, &args, sim, secret).await;
    }
    let token = session(&http, &args.base).await?;
    let products = products(&http, &args.base).await?;
    let preorder_variants = preorder_variants(&http, &args.base, &products).await?;
    if let Some(label) = &args.orders_only {
        let (mut completes, confirmed) =
            checkout_complete(&http, &args, &token, &preorder_variants).await?;
        let (p50, p99) = (completes.percentile_ms(0.5), completes.percentile_ms(0.99));
        println!(
            "| {label} | {} | {:.0} | {p50:.1} | {p99:.1} | {:.2} | {:.0} | {} |",
            completes.requests,
            completes.requests as f64 / completes.elapsed.as_secs_f64(),
            confirmed.all_after.as_secs_f64(),
            confirmed.per_second,
            completes.errors
        );
        return Ok(());
    }

    println!("| scenario | requests | rps | p50 ms | p99 ms | max ms | errors |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    let product_urls: Vec<String> = products
        .iter()
        .map(|slug| format!("{}/v1/products/{slug}", args.base))
        .collect();
    println!(
        "{}",
        open_loop(
            &http,
            args.rate,
            args.seconds,
            "product GET (open loop)",
            &product_urls,
            succeeded
        )
        .await?
        .line()
    );
    // What the catalog app asks for: the first page, a search, filters and sorts, with facets.
    let listing_urls: Vec<String> = [
        "",
        "?q=cotton",
        "?color=black&sort=price_asc",
        "?availability=in_stock&sort=rating",
        "?category=apparel&limit=12",
    ]
    .iter()
    .map(|query| format!("{}/v1/products{query}", args.base))
    .collect();
    println!(
        "{}",
        open_loop(
            &http,
            args.rate,
            args.seconds,
            "product listing GET (open loop)",
            &listing_urls,
            succeeded
        )
        .await?
        .line()
    );
    if let Some((mut pages, mut renders, memory)) =
        edge::edge_pages(&http, &args, &products).await?
    {
        println!("{}", pages.line());
        println!("{}", renders.line());
        println!(
            "| (edge renderer memory per instance: {:.1} MiB at most) | | | | | | |",
            memory as f64 / (1 << 20) as f64
        );
    }
    println!(
        "{}",
        cart_add(&http, &args, &token, &preorder_variants)
            .await?
            .line()
    );
    let (mut completes, confirmed) =
        checkout_complete(&http, &args, &token, &preorder_variants).await?;
    println!("{}", completes.line());
    println!(
        "\nOrders confirmed end to end (placed, paid, reserved, confirmed): {:.0} per second",
        confirmed.per_second
    );
    Ok(())
}

async fn session(http: &reqwest::Client, base: &str) -> Result<String> {
    let session: Value = http
        .post(format!("{base}/v1/sessions"))
        .json(&json!({}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(session["token"]
        .as_str()
        .context("session token")?
        .to_owned())
}

async fn products(http: &reqwest::Client, base: &str) -> Result<Vec<String>> {
    let page: Value = http
        .get(format!("{base}/v1/products?limit=100"))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(page["items"]
        .as_array()
        .context("items")?
        .iter()
        .filter_map(|p| p["slug"].as_str().map(str::to_owned))
        .collect())
}

/// Preorder variants sell without stock, so thousands of benchmark orders all confirm.
async fn preorder_variants(
    http: &reqwest::Client,
    base: &str,
    slugs: &[String],
) -> Result<Vec<String>> {
    let mut variants = Vec::new();
    for slug in slugs {
        let product: Value = http
            .get(format!("{base}/v1/products/{slug}"))
            .send()
            .await?
            .json()
            .await?;
        for variant in product["variants"].as_array().into_iter().flatten() {
            if variant["availability"]["status"] == "preorder" {
                variants.push(variant["id"].as_str().unwrap_or_default().to_owned());
            }
        }
    }
    if variants.is_empty() {
        bail!("the demo catalog has no preorder variants to order from");
    }
    Ok(variants)
}

async fn cart_add(
    http: &reqwest::Client,
    args: &Args,
    token: &str,
    variants: &[String],
) -> Result<Summary> {
    let shoppers = 32;
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for shopper in 0..shoppers {
        let (http, base, token) = (http.clone(), args.base.clone(), token.to_owned());
        let variant = variants[shopper % variants.len()].clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0;
            let cart: Value = http
                .post(format!("{base}/v1/carts"))
                .bearer_auth(&token)
                .json(&json!({}))
                .send()
                .await?
                .json()
                .await?;
            let cart_id = cart["id"].as_str().context("cart id")?.to_owned();
            let mut version = cart["version"].as_i64().context("version")?;
            while Instant::now() < deadline {
                let sent = Instant::now();
                let response = http
                    .post(format!("{base}/v1/carts/{cart_id}/lines"))
                    .bearer_auth(&token)
                    .header("If-Match", version.to_string())
                    .json(&json!({"variantId": variant, "quantity": 1}))
                    .send()
                    .await?;
                latencies.push(sent.elapsed());
                if !response.status().is_success() {
                    errors += 1;
                    continue;
                }
                let cart: Value = response.json().await?;
                version = cart["version"].as_i64().unwrap_or(version);
                // Empty the cart again (not measured) so quantities stay within bounds.
                let line = cart["lines"][0]["id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                let cleared: Value = http
                    .delete(format!("{base}/v1/carts/{cart_id}/lines/{line}"))
                    .bearer_auth(&token)
                    .header("If-Match", version.to_string())
                    .send()
                    .await?
                    .json()
                    .await?;
                version = cleared["version"].as_i64().unwrap_or(version);
            }
            anyhow::Ok((latencies, errors))
        }));
    }
    let mut summary = Summary {
        name: "cart add (32 shoppers)",
        requests: 0,
        errors: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
    };
    for task in tasks {
        let (latencies, errors) = task.await??;
        summary.requests += latencies.len();
        summary.errors += errors;
        summary.latencies.extend(latencies);
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

async fn prepare_checkout(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    variant: &str,
) -> Result<(String, String)> {
    let cart: Value = http
        .post(format!("{base}/v1/carts"))
        .bearer_auth(token)
        .json(&json!({"lines": [{"variantId": variant, "quantity": 1}]}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let checkout: Value = http
        .post(format!("{base}/v1/checkouts"))
        .bearer_auth(token)
        .json(&json!({"cartId": cart["id"]}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let id = checkout["id"].as_str().context("checkout id")?.to_owned();
    let path = format!("{base}/v1/checkouts/{id}");
    http.put(format!("{path}/contact"))
        .bearer_auth(token)
        .json(&json!({"email": "bench@example.com"}))
        .send()
        .await?
        .error_for_status()?;
    http.put(format!("{path}/addresses"))
        .bearer_auth(token)
        .json(&json!({"shippingAddress": {"name": "Bench", "line1": "1 Main St", "city": "SF", "region": "CA", "postalCode": "94105", "country": "US"}}))
        .send()
        .await?
        .error_for_status()?;
    http.put(format!("{path}/shipping-option"))
        .bearer_auth(token)
        .json(&json!({"shippingOptionId": "standard"}))
        .send()
        .await?
        .error_for_status()?;
    let card: Value = http
        .post(format!("{base}/v1/payments/tokens"))
        .bearer_auth(token)
        .json(&json!({"number": "4242424242424242", "expMonth": 12, "expYear": 2035, "cvc": "123", "holderName": "Bench"}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok((id, card["token"].as_str().context("card token")?.to_owned()))
}

/// How fast the event pipeline confirmed a batch of completed checkouts.
struct Confirmed {
    /// From the first completion sent until the last order was confirmed.
    all_after: Duration,
    per_second: f64,
}

async fn checkout_complete(
    http: &reqwest::Client,
    args: &Args,
    token: &str,
    variants: &[String],
) -> Result<(Summary, Confirmed)> {
    use futures_util::StreamExt;
    let prepared: Vec<(String, String)> = futures_util::stream::iter(0..args.orders)
        .map(|index| prepare_checkout(http, &args.base, token, &variants[index % variants.len()]))
        .buffer_unordered(32)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_>>()?;
    let orders_before = confirmed_orders(http, args).await?;
    let started = Instant::now();
    let results: Vec<(bool, Duration)> = futures_util::stream::iter(prepared.iter().enumerate())
        .map(|(index, (checkout, card))| async move {
            // Completions take turns across the instances of the shop.
            let base = match index % (1 + args.also.len()) {
                0 => &args.base,
                other => &args.also[other - 1],
            };
            let sent = Instant::now();
            let ok = http
                .post(format!("{base}/v1/checkouts/{checkout}/complete"))
                .bearer_auth(token)
                .header("Idempotency-Key", format!("bench-{index:08}"))
                .json(&json!({"paymentToken": card}))
                .send()
                .await
                .is_ok_and(|r| r.status().as_u16() == 202);
            (ok, sent.elapsed())
        })
        .buffer_unordered(64)
        .collect()
        .await;
    let elapsed = started.elapsed();
    let accepted = results.iter().filter(|(ok, _)| *ok).count();
    let target = orders_before + accepted;
    while confirmed_orders(http, args).await? < target {
        if started.elapsed() > Duration::from_secs(300) {
            bail!("orders were not confirmed within 5 minutes");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let all_after = started.elapsed();
    let confirmed = Confirmed {
        all_after,
        per_second: accepted as f64 / all_after.as_secs_f64(),
    };
    let summary = Summary {
        name: "checkout complete (64 concurrent)",
        requests: results.len(),
        errors: results.len() - accepted,
        elapsed,
        latencies: results.into_iter().map(|(_, latency)| latency).collect(),
    };
    Ok((summary, confirmed))
}

async fn confirmed_orders(http: &reqwest::Client, args: &Args) -> Result<usize> {
    // Counting through the events log is exact and cheap: one OrderConfirmed per order.
    let mut count = 0;
    let mut after = 0;
    loop {
        let page: Value = http
            .get(format!(
                "{}/v1/ops/events?type=OrderConfirmed&limit=1000&after={after}",
                args.base
            ))
            .bearer_auth(&args.ops_token)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        count += page["items"].as_array().map(Vec::len).unwrap_or(0);
        after = page["nextAfter"].as_i64().unwrap_or(after);
        if page["hasMore"] != true {
            return Ok(count);
        }
    }
}
