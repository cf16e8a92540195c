//! The webhook sender: delivers pending deliveries to their endpoints, signed as Standard
//! Webhooks with the endpoint's secret (`webhook-id` is the delivery's id, the same on every
//! retry, so receivers can drop repeats). A failure is retried after 5 s, 5 min, 30 min, 2 h, 5 h,
//! 10 h and 10 h (times `--webhook-retry-scale`, which tests shrink), or after the receiver's
//! `Retry-After` if later, then parked as `dead` and as a dead letter (consumer
//! `webhook:<endpoint>`), which ops may replay. `410 Gone` disables the endpoint, and so do
//! [`DISABLE_AFTER`] failed attempts in a row.

use std::time::Duration;

use reqwest::StatusCode;
use time::OffsetDateTime;
use tokio::sync::watch;

use crate::state::AppState;
use crate::store::webhooks::{self, DeliveryRow};
use crate::store::{dead_letters, deliveries};
use crate::store::{later, timestamp};

const SCHEDULE: [Duration; 7] = [
    Duration::from_secs(5),
    Duration::from_secs(5 * 60),
    Duration::from_secs(30 * 60),
    Duration::from_secs(2 * 3600),
    Duration::from_secs(5 * 3600),
    Duration::from_secs(10 * 3600),
    Duration::from_secs(10 * 3600),
];

/// Failed attempts in a row after which an endpoint is disabled.
pub const DISABLE_AFTER: i64 = 20;

pub async fn run(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    loop {
        if *shutdown.borrow() {
            return;
        }
        if let Err(error) = send_due(&state, &http).await {
            tracing::error!("webhook sender: {error:#}");
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_millis(250)) => {}
            _ = shutdown.changed() => {}
        }
    }
}

async fn send_due(state: &AppState, http: &reqwest::Client) -> anyhow::Result<()> {
    // Endpoints disabled during this batch get nothing more from it.
    let mut gone = std::collections::HashSet::<String>::new();
    for (delivery, url, secret) in webhooks::due(&state.db, 20).await? {
        if gone.contains(&delivery.endpoint_id) {
            continue;
        }
        let signer = standardwebhooks::Webhook::new(&secret)?;
        let at = OffsetDateTime::now_utc().unix_timestamp();
        let signature = signer.sign(&delivery.id, at, delivery.body.as_bytes())?;
        let sent = http
            .post(&url)
            .header("content-type", "application/json")
            .header("webhook-id", &delivery.id)
            .header("webhook-timestamp", at.to_string())
            .header("webhook-signature", signature)
            .body(delivery.body.clone())
            .send()
            .await;
        match sent {
            Ok(response) if response.status().is_success() => {
                webhooks::mark_delivered(&state.db, &delivery, response.status().as_u16()).await?;
                let consumer = dead_letter_consumer(&delivery.endpoint_id);
                let mut connection = state.db.acquire().await?;
                deliveries::clear_failures(&mut connection, &consumer, &delivery.event_id).await?;
            }
            Ok(response) if response.status() == StatusCode::GONE => {
                webhooks::mark_failed(&state.db, &delivery, Some(410), "410 Gone", None).await?;
                webhooks::disable_endpoint(
                    &state.db,
                    &delivery.endpoint_id,
                    "the endpoint answered 410 Gone",
                )
                .await?;
                gone.insert(delivery.endpoint_id.clone());
            }
            Ok(response) => {
                let retry_after = response
                    .headers()
                    .get("retry-after")
                    .and_then(|value| value.to_str().ok())
                    .and_then(|value| value.trim().parse::<u64>().ok())
                    .map(Duration::from_secs);
                let status = response.status().as_u16();
                failed(
                    state,
                    &delivery,
                    Some(status),
                    &format!("HTTP {status}"),
                    retry_after,
                )
                .await?;
            }
            Err(error) => {
                failed(
                    state,
                    &delivery,
                    None,
                    &format!("unreachable: {error}"),
                    None,
                )
                .await?
            }
        }
    }
    Ok(())
}

/// Dead letters of an endpoint's deliveries are filed under this consumer name.
pub fn dead_letter_consumer(endpoint_id: &str) -> String {
    format!("webhook:{endpoint_id}")
}

/// The endpoint whose delivery a dead letter holds, if it is one.
pub fn endpoint_of_dead_letter(consumer: &str) -> Option<&str> {
    consumer.strip_prefix("webhook:")
}

async fn failed(
    state: &AppState,
    delivery: &DeliveryRow,
    status: Option<u16>,
    error: &str,
    retry_after: Option<Duration>,
) -> anyhow::Result<()> {
    let consumer = dead_letter_consumer(&delivery.endpoint_id);
    deliveries::record_failure(&state.db, &consumer, &delivery.event_id, error).await?;
    let retry_at = next_attempt(
        delivery.attempts + 1,
        state.config.webhook_retry_scale,
        retry_after,
    );
    let failures =
        webhooks::mark_failed(&state.db, delivery, status, error, retry_at.as_deref()).await?;
    if retry_at.is_none() {
        // The schedule is spent: ops see it with the other dead letters and may replay it.
        dead_letters::park(&state.db, &consumer, &delivery.event_id).await?;
    }
    if failures >= DISABLE_AFTER {
        webhooks::disable_endpoint(
            &state.db,
            &delivery.endpoint_id,
            &format!("{DISABLE_AFTER} failed attempts in a row"),
        )
        .await?;
    }
    Ok(())
}

/// When attempt `attempts + 1` is due, or `None` once the schedule is spent.
fn next_attempt(attempts: i64, scale: f64, retry_after: Option<Duration>) -> Option<String> {
    let wait = SCHEDULE
        .get(usize::try_from(attempts - 1).ok()?)?
        .mul_f64(scale);
    let wait = retry_after.map_or(wait, |asked| asked.max(wait));
    Some(if wait.is_zero() {
        timestamp(OffsetDateTime::now_utc())
    } else {
        later(wait)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_ends_after_seven_retries_and_honours_retry_after() {
        assert!(next_attempt(1, 1.0, None).is_some());
        assert!(next_attempt(7, 1.0, None).is_some());
        assert!(next_attempt(8, 1.0, None).is_none());
        let soon = next_attempt(1, 0.001, None).unwrap();
        let asked = next_attempt(1, 0.001, Some(Duration::from_secs(60))).unwrap();
        assert!(asked > soon, "{asked} after {soon}");
    }
}
