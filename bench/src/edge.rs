//! The edge-rendered product page under load: pages at a fixed rate, and what each render cost
//! the server, read from the `Server-Timing` header it sends with every rendered page.

use std::time::{Duration, Instant};

use anyhow::Result;

use crate::{Args, Summary};

/// Edge rendering: product pages at a fixed 200 rps (open loop), and the renderer's own time and
/// memory per page from the `Server-Timing` header the server sends. `None` when no release with
/// a renderer is published (the page then carries no render timing).
pub async fn edge_pages(
    http: &reqwest::Client,
    args: &Args,
    slugs: &[String],
) -> Result<Option<(Summary, Summary, u64)>> {
    const RATE: u64 = 200;
    let urls: Vec<String> = slugs
        .iter()
        .map(|slug| format!("{}/products/{slug}", args.base))
        .collect();
    let probe = http.get(&urls[0]).send().await?;
    if render_timing(probe.headers()).is_none() {
        println!(
            "| product page (edge rendered) | no release with a renderer is published | | | | | |"
        );
        return Ok(None);
    }
    let total = (RATE * args.seconds) as usize;
    let interval = Duration::from_secs_f64(1.0 / RATE as f64);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(total);
    for index in 0..total {
        let scheduled = started + interval.mul_f64(index as f64);
        tokio::time::sleep_until(scheduled.into()).await;
        let (http, url) = (http.clone(), urls[index % urls.len()].clone());
        tasks.push(tokio::spawn(async move {
            let response = http.get(url).send().await;
            let timing = response
                .as_ref()
                .ok()
                .and_then(|r| render_timing(r.headers()));
            let ok = response.is_ok_and(|r| r.status().is_success()) && timing.is_some();
            (ok, scheduled.elapsed(), timing)
        }));
    }
    let mut pages = Summary {
        name: "product page GET, edge rendered (200 rps open loop)",
        requests: total,
        errors: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
    };
    let mut renders = Summary {
        name: "  of which the render in wasmtime",
        requests: 0,
        errors: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
    };
    let mut memory = 0;
    for task in tasks {
        let (ok, latency, timing) = task.await?;
        pages.errors += usize::from(!ok);
        pages.latencies.push(latency);
        if let Some((render, bytes)) = timing {
            renders.latencies.push(render);
            memory = memory.max(bytes);
        }
    }
    pages.elapsed = started.elapsed();
    renders.requests = renders.latencies.len();
    renders.elapsed = pages.elapsed;
    Ok(Some((pages, renders, memory)))
}

/// `render;dur=1.234;desc="wasm memory 123 bytes"` → (1.234 ms, 123).
fn render_timing(headers: &reqwest::header::HeaderMap) -> Option<(Duration, u64)> {
    let value = headers.get("server-timing")?.to_str().ok()?;
    let millis: f64 = value
        .split(';')
        .find_map(|part| part.trim().strip_prefix("dur="))?
        .parse()
        .ok()?;
    let bytes = value
        .split("wasm memory ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|number| number.parse().ok())
        .unwrap_or(0);
    Some((Duration::from_secs_f64(millis / 1000.0), bytes))
}
