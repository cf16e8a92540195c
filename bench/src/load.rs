//! Measuring: open-loop load at a fixed arrival rate (latency counts from the scheduled send
//! time, so a stalled server cannot hide behind fewer requests) and the summary line each
//! scenario prints.

use std::time::{Duration, Instant};

use anyhow::Result;

pub struct Summary {
    pub name: &'static str,
    pub requests: usize,
    pub errors: usize,
    pub elapsed: Duration,
    pub latencies: Vec<Duration>,
}

impl Summary {
    fn percentile(&self, fraction: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let index = ((self.latencies.len() as f64 * fraction).ceil() as usize)
            .clamp(1, self.latencies.len())
            - 1;
        self.latencies[index]
    }

    pub fn percentile_ms(&mut self, fraction: f64) -> f64 {
        self.latencies.sort();
        self.percentile(fraction).as_secs_f64() * 1000.0
    }

    pub fn line(&mut self) -> String {
        self.latencies.sort();
        format!(
            "| {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {} |",
            self.name,
            self.requests,
            self.requests as f64 / self.elapsed.as_secs_f64(),
            self.percentile(0.50).as_secs_f64() * 1000.0,
            self.percentile(0.99).as_secs_f64() * 1000.0,
            self.latencies
                .last()
                .copied()
                .unwrap_or_default()
                .as_secs_f64()
                * 1000.0,
            self.errors
        )
    }
}

/// GETs at a fixed arrival rate, cycling through `urls` (open loop: latency counts from the
/// scheduled send time); a response is an error unless `accept` says otherwise.
pub async fn open_loop<F>(
    http: &reqwest::Client,
    rate: u64,
    seconds: u64,
    name: &'static str,
    urls: &[String],
    accept: fn(reqwest::Response) -> F,
) -> Result<Summary>
where
    F: std::future::Future<Output = bool> + Send + 'static,
{
    let total = (rate * seconds) as usize;
    let interval = Duration::from_secs_f64(1.0 / rate as f64);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(total);
    for index in 0..total {
        let scheduled = started + interval.mul_f64(index as f64);
        tokio::time::sleep_until(scheduled.into()).await;
        let url = urls[index % urls.len()].clone();
        let http = http.clone();
        tasks.push(tokio::spawn(async move {
            let ok = match http.get(url).send().await {
                Ok(response) => accept(response).await,
                Err(_) => false,
            };
            (ok, scheduled.elapsed())
        }));
    }
    let mut summary = Summary {
        name,
        requests: total,
        errors: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
    };
    for task in tasks {
        let (ok, latency) = task.await?;
        summary.errors += usize::from(!ok);
        summary.latencies.push(latency);
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

pub async fn succeeded(response: reqwest::Response) -> bool {
    response.status().is_success()
}
