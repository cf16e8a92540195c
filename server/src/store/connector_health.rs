//! A connector's health as ops see it: the outcome of every request to its marketplace, the
//! counts the console shows next to it, and its activity per hour for the charts.

use api_client::types::{Connector, ConnectorHour, ConnectorStatus, StockBuffer};
use sqlx::AnyPool;
use time::{Duration, OffsetDateTime, Time};

use crate::marketplaces::dead_letter_consumer;
use crate::store::connectors::ConnectorRow;
use crate::store::{now, timestamp};

/// Failures in a row after which a connector counts as failing rather than degraded.
const FAILING_AFTER: i64 = 5;

/// The hour `at` falls in, as `connector_hours.hour` spells it.
fn hour_of(at: OffsetDateTime) -> OffsetDateTime {
    at.replace_time(Time::from_hms(at.hour(), 0, 0).unwrap_or(Time::MIDNIGHT))
}

/// A request to the marketplace succeeded.
pub async fn record_success(db: &AnyPool, id: &str, remaining: Option<i64>) -> sqlx::Result<()> {
    let at = now();
    sqlx::query(
        "UPDATE connectors SET last_success_at = $1, last_attempt_at = $2, consecutive_failures = 0,
         rate_limit_remaining = COALESCE($3, rate_limit_remaining) WHERE id = $4",
    )
    .bind(&at)
    .bind(&at)
    .bind(remaining)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// A request failed; `throttled` when the marketplace answered 429. Counted in its hour too.
pub async fn record_failure(
    db: &AnyPool,
    id: &str,
    error: &str,
    throttled: bool,
) -> sqlx::Result<()> {
    let moment = OffsetDateTime::now_utc();
    let at = timestamp(moment);
    sqlx::query(
        "UPDATE connectors SET last_attempt_at = $1, last_error = $2, last_error_at = $3,
         consecutive_failures = consecutive_failures + $4, throttled_count = throttled_count + $5
         WHERE id = $6",
    )
    .bind(&at)
    .bind(error)
    .bind(&at)
    .bind(i64::from(!throttled))
    .bind(i64::from(throttled))
    .bind(id)
    .execute(db)
    .await?;
    sqlx::query(
        "INSERT INTO connector_hours (connector_id, hour, errors, throttled) VALUES ($1, $2, $3, $4)
         ON CONFLICT (connector_id, hour) DO UPDATE
         SET errors = connector_hours.errors + excluded.errors,
             throttled = connector_hours.throttled + excluded.throttled",
    )
    .bind(id)
    .bind(timestamp(hour_of(moment)))
    .bind(i64::from(!throttled))
    .bind(i64::from(throttled))
    .execute(db)
    .await?;
    Ok(())
}

/// The connector as ops see it, with its counts.
pub async fn to_contract(db: &AnyPool, row: &ConnectorRow) -> sqlx::Result<Connector> {
    let midnight = timestamp(OffsetDateTime::now_utc().replace_time(Time::MIDNIGHT));
    let (imported, imported_today): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(*) FILTER (WHERE received_at >= $1) FROM marketplace_orders
         WHERE connector_id = $2",
    )
    .bind(&midnight)
    .bind(&row.id)
    .fetch_one(db)
    .await?;
    let (pending, rejected): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*) FILTER (WHERE state = 'pending'), COUNT(*) FILTER (WHERE state = 'rejected')
         FROM connector_listings WHERE connector_id = $1",
    )
    .bind(&row.id)
    .fetch_one(db)
    .await?;
    let (dead_letters,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM dead_letters WHERE consumer = $1 AND status = 'parked'",
    )
    .bind(dead_letter_consumer(&row.id))
    .fetch_one(db)
    .await?;
    // Work that failed waits for its backoff: a listing's next publication or an owed call.
    let (next_retry,): (Option<String>,) = sqlx::query_as(
        "SELECT MIN(at) FROM (
           SELECT next_attempt_at AS at FROM connector_listings
           WHERE connector_id = $1 AND state = 'pending' AND attempts > 0 AND next_attempt_at > $2
           UNION ALL
           SELECT call_after FROM marketplace_orders
           WHERE connector_id = $1 AND pending_call IS NOT NULL AND call_parked = 0
             AND call_attempts > 0 AND call_after > $2) AS waiting",
    )
    .bind(&row.id)
    .bind(now())
    .fetch_one(db)
    .await?;
    let status = if row.is_paused() {
        ConnectorStatus::Paused
    } else if row.consecutive_failures >= FAILING_AFTER {
        ConnectorStatus::Failing
    } else if row.consecutive_failures > 0 || rejected > 0 {
        ConnectorStatus::Degraded
    } else {
        ConnectorStatus::Healthy
    };
    Ok(Connector {
        id: row.id.clone(),
        display_name: row.display_name.clone(),
        status,
        paused: row.is_paused(),
        paused_reason: row.paused_reason.clone(),
        last_successful_sync_at: row.last_success_at.clone(),
        last_sync_attempt_at: row.last_attempt_at.clone(),
        last_error: row.last_error.clone(),
        last_error_at: row.last_error_at.clone(),
        rate_limit_remaining: row
            .rate_limit_remaining
            .map(|left| left.clamp(0, i64::from(i32::MAX)) as i32),
        throttled_count: row.throttled_count,
        orders_imported: imported,
        orders_imported_today: Some(imported_today),
        pending_listings: pending,
        rejected_listings: rejected,
        dead_letters_waiting: Some(dead_letters),
        next_retry_at: next_retry,
        stock_buffer: StockBuffer {
            percent: row.buffer_percent as i32,
            keep_back: row.keep_back as i32,
        },
    })
}

/// Every connector as ops see it, by id.
pub async fn all(db: &AnyPool) -> sqlx::Result<Vec<Connector>> {
    let mut connectors = Vec::new();
    for row in crate::store::connectors::all(db).await? {
        connectors.push(to_contract(db, &row).await?);
    }
    Ok(connectors)
}

/// The last `hours` hours of a connector, oldest first, the current hour last.
pub async fn activity(
    db: &AnyPool,
    connector_id: &str,
    hours: i64,
) -> sqlx::Result<Vec<ConnectorHour>> {
    let current = hour_of(OffsetDateTime::now_utc());
    let starts: Vec<String> = (0..hours)
        .rev()
        .map(|back| timestamp(current - Duration::hours(back)))
        .collect();
    let first = starts.first().cloned().unwrap_or_else(now);
    let orders: Vec<(String, i64)> = sqlx::query_as(
        "SELECT substr(received_at, 1, 13), COUNT(*) FROM marketplace_orders
         WHERE connector_id = $1 AND received_at >= $2 GROUP BY substr(received_at, 1, 13)",
    )
    .bind(connector_id)
    .bind(&first)
    .fetch_all(db)
    .await?;
    let failures: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT substr(hour, 1, 13), errors, throttled FROM connector_hours
         WHERE connector_id = $1 AND hour >= $2",
    )
    .bind(connector_id)
    .bind(&first)
    .fetch_all(db)
    .await?;
    Ok(starts
        .into_iter()
        .map(|hour| {
            let key = &hour[..13];
            let orders_imported = orders
                .iter()
                .find(|(at, _)| at == key)
                .map_or(0, |(_, count)| *count);
            let (errors, throttled) = failures
                .iter()
                .find(|(at, ..)| at == key)
                .map_or((0, 0), |(_, errors, throttled)| (*errors, *throttled));
            ConnectorHour {
                hour,
                orders_imported,
                errors,
                throttled,
            }
        })
        .collect())
}
