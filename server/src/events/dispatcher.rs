//! Runs the consumers over the outbox: wakes when a transaction appended events (or every
//! quarter second), hands each consumer its due events in sequence order, and records failures.
//! Each event is handled in a transaction that first claims it in `handled_events`, so a crash at
//! any point leaves either nothing or everything of that step, and a restart resumes where the
//! log says it stopped. With an event stream (`events::stream`), the stream delivers events and
//! this loop only hands consumers the dead letters ops replayed; `process` serves both.

use std::time::Duration;

use tokio::sync::watch;
use tracing::Instrument;

use crate::events::consumers::{ALL, Consumer, HandleError};
use crate::state::AppState;
use crate::store::events::{EventRow, Pending, pending_for};
use crate::store::{dead_letters, deliveries, orders};

const BATCH: i64 = 64;

pub async fn run(state: AppState, which: Pending, mut shutdown: watch::Receiver<bool>) {
    tracing::info!("event dispatcher started");
    loop {
        if *shutdown.borrow() {
            break;
        }
        let worked = match dispatch_once(&state, which).await {
            Ok(worked) => worked,
            Err(error) => {
                tracing::error!("dispatcher: {error:#}");
                false
            }
        };
        if worked {
            continue;
        }
        tokio::select! {
            () = state.outbox.rung() => {}
            () = tokio::time::sleep(Duration::from_millis(250)) => {}
            _ = shutdown.changed() => {}
        }
    }
    tracing::info!("event dispatcher stopped");
}

/// Handles every due event once; returns whether there was anything to do.
pub async fn dispatch_once(state: &AppState, which: Pending) -> anyhow::Result<bool> {
    let mut worked = false;
    for consumer in ALL {
        let due = pending_for(
            &state.db,
            consumer.name(),
            consumer.subscriptions(),
            which,
            BATCH,
        )
        .await?;
        for event in due {
            worked = true;
            process(state, consumer, &event).await?;
        }
    }
    Ok(worked)
}

/// What became of one delivery of an event to a consumer.
#[derive(Debug, PartialEq)]
pub enum Processed {
    /// Handled now, or earlier (by another instance, or before a crash): done either way.
    Handled,
    /// Failed; try again after the delay.
    RetryIn(Duration),
    /// Failed once too often: parked as a dead letter until ops replay or discard it.
    Parked,
}

/// Hands `event` to `consumer` under a span naming the order, so an order's whole lifecycle
/// (every consumer, every instance) can be followed by its id in the logs.
pub async fn process(
    state: &AppState,
    consumer: Consumer,
    event: &EventRow,
) -> anyhow::Result<Processed> {
    let span = tracing::info_span!(
        "event",
        order = %event.order_id,
        consumer = consumer.name(),
        kind = %event.kind,
        event = %event.id,
    );
    process_in_span(state, consumer, event)
        .instrument(span)
        .await
}

/// Feeds the placed-to-confirmed histogram; a failed read only costs the observation.
async fn observe_confirmation(state: &AppState, order_id: &str) {
    let Ok(mut connection) = state.db.acquire().await else {
        return;
    };
    let Ok(Some(order)) = orders::find_order(&mut connection, order_id).await else {
        return;
    };
    let placed = time::OffsetDateTime::parse(
        &order.placed_at,
        &time::format_description::well_known::Rfc3339,
    );
    if let (Ok(placed), true) = (placed, order.status == "confirmed") {
        let waited = time::OffsetDateTime::now_utc() - placed;
        state
            .metrics
            .observe_confirmation(waited.try_into().unwrap_or_default());
    }
}

async fn process_in_span(
    state: &AppState,
    consumer: Consumer,
    event: &EventRow,
) -> anyhow::Result<Processed> {
    let mut tx = state.writer.begin().await?;
    if !deliveries::claim_handled(&mut tx, consumer.name(), &event.id).await? {
        // Another dispatcher (or an earlier run) already handled it.
        return Ok(Processed::Handled);
    }
    let replayed = dead_letters::was_replayed(&mut tx, consumer.name(), &event.id).await?;
    match consumer
        .handle(&mut tx, &state.regions, event, replayed)
        .await
    {
        Ok(last_sequence) => {
            deliveries::clear_failures(&mut tx, consumer.name(), &event.id).await?;
            state.outbox.commit(tx, last_sequence).await?;
            tracing::info!("event handled");
            if consumer == Consumer::Confirmation {
                observe_confirmation(state, &event.order_id).await;
            }
            Ok(Processed::Handled)
        }
        Err(error) => {
            tx.rollback().await?;
            record_failure(state, consumer, event, &error).await
        }
    }
}

async fn record_failure(
    state: &AppState,
    consumer: Consumer,
    event: &EventRow,
    error: &HandleError,
) -> anyhow::Result<Processed> {
    let message = error.to_string();
    let attempts =
        deliveries::record_failure(&state.db, consumer.name(), &event.id, &message).await?;
    let config = &state.config;
    if attempts >= i64::from(config.consumer_max_attempts) {
        dead_letters::park(&state.db, consumer.name(), &event.id).await?;
        tracing::warn!(consumer = consumer.name(), event = %event.id, attempts, error = %message, "event parked as a dead letter");
        return Ok(Processed::Parked);
    }
    let backoff = backoff(config.consumer_base_backoff, attempts as u32);
    deliveries::schedule_retry(
        &state.db,
        consumer.name(),
        &event.id,
        &crate::store::later(backoff),
    )
    .await?;
    tracing::warn!(consumer = consumer.name(), event = %event.id, attempts, error = %message, retry_in_ms = backoff.as_millis() as u64, "event failed; will retry");
    Ok(Processed::RetryIn(backoff))
}

/// Exponential backoff with ±25 % jitter, capped at a minute.
fn backoff(base: Duration, attempts: u32) -> Duration {
    let exponential = base
        .saturating_mul(1 << attempts.saturating_sub(1).min(10))
        .min(Duration::from_secs(60));
    exponential.mul_f64(0.75 + fastrand::f64() * 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_per_attempt_within_jitter() {
        let base = Duration::from_millis(100);
        for (attempts, nominal) in [(1, 100), (2, 200), (4, 800)] {
            let delay = backoff(base, attempts).as_millis() as u64;
            assert!(
                (nominal * 3 / 4..=nominal * 5 / 4).contains(&delay),
                "{attempts}: {delay}"
            );
        }
        assert!(backoff(base, 30) <= Duration::from_secs(75));
    }
}
