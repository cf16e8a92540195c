//! Which consumer has handled which event (`handled_events`), and the failures waiting for
//! their retry (`consumer_failures`). The dispatcher decides when to retry and when to park;
//! this module only reads and writes the rows.

use sqlx::{AnyConnection, AnyPool};

use crate::store::now;

/// Marks the event handled by `consumer`; false when it already was (by an earlier run or
/// another dispatcher), in which case the caller must not handle it again.
pub async fn claim_handled(
    connection: &mut AnyConnection,
    consumer: &str,
    event_id: &str,
) -> sqlx::Result<bool> {
    let claimed = sqlx::query(
        "INSERT INTO handled_events (consumer, event_id, handled_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(consumer)
    .bind(event_id)
    .bind(now())
    .execute(connection)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

/// Forgets the failures of an event its consumer has now handled.
pub async fn clear_failures(
    connection: &mut AnyConnection,
    consumer: &str,
    event_id: &str,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM consumer_failures WHERE consumer = $1 AND event_id = $2")
        .bind(consumer)
        .bind(event_id)
        .execute(connection)
        .await?;
    Ok(())
}

/// Records one more failed attempt and returns how many there have been.
pub async fn record_failure(
    db: &AnyPool,
    consumer: &str,
    event_id: &str,
    message: &str,
) -> sqlx::Result<i64> {
    let stamp = now();
    let (attempts,): (i64,) = sqlx::query_as(
        "INSERT INTO consumer_failures (consumer, event_id, attempts, last_error, first_failed_at, last_failed_at, next_attempt_at)
         VALUES ($1, $2, 1, $3, $4, $5, $6)
         ON CONFLICT (consumer, event_id) DO UPDATE SET attempts = consumer_failures.attempts + 1, last_error = excluded.last_error,
             last_failed_at = excluded.last_failed_at
         RETURNING attempts",
    )
    .bind(consumer)
    .bind(event_id)
    .bind(message)
    .bind(&stamp)
    .bind(&stamp)
    .bind(&stamp)
    .fetch_one(db)
    .await?;
    sqlx::query(
        "INSERT INTO failure_attempts (consumer, event_id, error, failed_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(consumer)
    .bind(event_id)
    .bind(message)
    .bind(&stamp)
    .execute(db)
    .await?;
    Ok(attempts)
}

/// Sets when a failed event is due again (a timestamp from `store::later`).
pub async fn schedule_retry(
    db: &AnyPool,
    consumer: &str,
    event_id: &str,
    due_at: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE consumer_failures SET next_attempt_at = $1 WHERE consumer = $2 AND event_id = $3",
    )
    .bind(due_at)
    .bind(consumer)
    .bind(event_id)
    .execute(db)
    .await?;
    Ok(())
}

/// Forgets a consumer's failures on any event of an order (its owed call finally worked).
pub async fn clear_failures_of_order(
    connection: &mut AnyConnection,
    consumer: &str,
    order_id: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "DELETE FROM consumer_failures WHERE consumer = $1
         AND event_id IN (SELECT id FROM events WHERE order_id = $2)",
    )
    .bind(consumer)
    .bind(order_id)
    .execute(connection)
    .await?;
    Ok(())
}
