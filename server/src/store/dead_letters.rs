//! Dead letters: events a consumer failed on too often. Parking stops retries; replaying lets the
//! consumer try again; discarding marks the event handled without its effects.

use api_client::types::{DeadLetter, DeadLetterAttempt, DeadLetterStatus};
use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::error::{AppError, AppResult};
use crate::store::events::find_event;
use crate::store::{new_id, now};

#[derive(FromRow)]
struct DeadLetterRow {
    id: String,
    consumer: String,
    event_id: String,
    attempts: i64,
    last_error: String,
    status: String,
    first_failed_at: String,
    last_failed_at: String,
    resolved_at: Option<String>,
    resolved_by: Option<String>,
    resolution_reason: Option<String>,
}

pub async fn park(db: &AnyPool, consumer: &str, event_id: &str) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO dead_letters (id, consumer, event_id, attempts, last_error, status, first_failed_at, last_failed_at)
         SELECT $1, consumer, event_id, attempts, last_error, 'parked', first_failed_at, last_failed_at
         FROM consumer_failures WHERE consumer = $2 AND event_id = $3",
    )
    .bind(new_id())
    .bind(consumer)
    .bind(event_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM consumer_failures WHERE consumer = $1 AND event_id = $2")
        .bind(consumer)
        .bind(event_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

pub async fn was_replayed(
    connection: &mut AnyConnection,
    consumer: &str,
    event_id: &str,
) -> sqlx::Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 FROM dead_letters WHERE consumer = $1 AND event_id = $2 AND status = 'replayed'",
    )
    .bind(consumer)
    .bind(event_id)
    .fetch_optional(connection)
    .await?;
    Ok(row.is_some())
}

async fn to_contract(db: &AnyPool, row: DeadLetterRow) -> AppResult<DeadLetter> {
    let event = find_event(db, &row.event_id).await?.ok_or_else(|| {
        AppError::internal(anyhow::anyhow!("dead letter {} lost its event", row.id))
    })?;
    let history: Vec<(String, String)> = sqlx::query_as(
        "SELECT error, failed_at FROM failure_attempts WHERE consumer = $1 AND event_id = $2
         ORDER BY failed_at",
    )
    .bind(&row.consumer)
    .bind(&row.event_id)
    .fetch_all(db)
    .await?;
    Ok(DeadLetter {
        id: row.id,
        consumer: row.consumer,
        event: event.to_contract(),
        attempts: row.attempts as i32,
        last_error: row.last_error,
        status: row.status.parse().unwrap_or(DeadLetterStatus::Parked),
        first_failed_at: row.first_failed_at,
        last_failed_at: row.last_failed_at,
        resolved_at: row.resolved_at,
        resolved_by: row.resolved_by,
        resolution_reason: row.resolution_reason,
        history: history
            .into_iter()
            .map(|(error, failed_at)| DeadLetterAttempt { error, failed_at })
            .collect(),
    })
}

pub async fn get(db: &AnyPool, id: &str) -> AppResult<DeadLetter> {
    let row: DeadLetterRow = sqlx::query_as("SELECT * FROM dead_letters WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| AppError::not_found("dead letter"))?;
    to_contract(db, row).await
}

/// What a dead-letter listing asks for; every field is optional. Times are `store::timestamp`s.
#[derive(Default)]
pub struct Filter<'a> {
    pub status: Option<String>,
    pub consumer: Option<&'a str>,
    pub event_type: Option<String>,
    pub error: Option<&'a str>,
    pub failed_after: Option<String>,
    pub failed_before: Option<String>,
}

const FILTERED: &str = "FROM dead_letters d JOIN events e ON e.id = d.event_id
     WHERE ($1 IS NULL OR d.status = $1) AND ($2 IS NULL OR d.consumer = $2)
       AND ($3 IS NULL OR e.type = $3) AND ($4 IS NULL OR lower(d.last_error) LIKE $4 ESCAPE '\\')
       AND ($5 IS NULL OR d.last_failed_at >= $5) AND ($6 IS NULL OR d.last_failed_at < $6)";

fn bind_filter<'q, O>(
    query: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    filter: &'q Filter<'q>,
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    query
        .bind(filter.status.as_deref())
        .bind(filter.consumer)
        .bind(filter.event_type.as_deref())
        .bind(filter.error.map(containing))
        .bind(filter.failed_after.as_deref())
        .bind(filter.failed_before.as_deref())
}

/// A LIKE pattern matching texts that contain `text`, case-insensitively (the column side is
/// lowered too): the same in SQLite, whose LIKE ignores ASCII case, and Postgres, whose does not.
fn containing(text: &str) -> String {
    let mut pattern = String::from("%");
    for character in text.to_lowercase().chars() {
        if matches!(character, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(character);
    }
    pattern.push('%');
    pattern
}

/// A page of the letters the filter matches, most recently failed first, and how many match.
pub async fn list(
    db: &AnyPool,
    filter: &Filter<'_>,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<DeadLetter>, i64)> {
    let (total,): (i64,) = bind_filter(
        sqlx::query_as(&format!("SELECT COUNT(*) {FILTERED}")),
        filter,
    )
    .fetch_one(db)
    .await?;
    let rows: Vec<DeadLetterRow> = bind_filter(
        sqlx::query_as(&format!(
            "SELECT d.* {FILTERED} ORDER BY d.last_failed_at DESC, d.id LIMIT $7 OFFSET $8"
        )),
        filter,
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await?;
    let mut letters = Vec::with_capacity(rows.len());
    for row in rows {
        letters.push(to_contract(db, row).await?);
    }
    Ok((letters, total))
}

/// Every consumer with dead letters, by name.
pub async fn consumers(db: &AnyPool) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT DISTINCT consumer FROM dead_letters ORDER BY consumer")
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(|(consumer,)| consumer).collect())
}

/// The ids of up to `limit` parked letters of `consumer` and of events of `event_type` (each
/// filter optional), oldest first.
pub async fn parked_matching(
    db: &AnyPool,
    consumer: Option<&str>,
    event_type: Option<&str>,
    limit: i64,
) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT d.id FROM dead_letters d JOIN events e ON e.id = d.event_id
         WHERE d.status = 'parked' AND ($1 IS NULL OR d.consumer = $1) AND ($2 IS NULL OR e.type = $2)
         ORDER BY d.last_failed_at, d.id LIMIT $3",
    )
    .bind(consumer)
    .bind(event_type)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

pub async fn count_parked(db: &AnyPool) -> sqlx::Result<i64> {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM dead_letters WHERE status = 'parked'")
            .fetch_one(db)
            .await?;
    Ok(count)
}

/// Parked letters per consumer.
pub async fn parked_by_consumer(db: &AnyPool) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as(
        "SELECT consumer, COUNT(*) FROM dead_letters WHERE status = 'parked'
         GROUP BY consumer ORDER BY consumer",
    )
    .fetch_all(db)
    .await
}

/// The parked letter of `consumer` for `event_id`, if there is one.
pub async fn parked_for(
    db: &AnyPool,
    consumer: &str,
    event_id: &str,
) -> sqlx::Result<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM dead_letters WHERE consumer = $1 AND event_id = $2 AND status = 'parked'",
    )
    .bind(consumer)
    .bind(event_id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// Replay hands the event back to its consumer; discard records it as handled without effects.
pub async fn resolve(
    db: &AnyPool,
    id: &str,
    replay: bool,
    by: &str,
    reason: Option<&str>,
) -> AppResult<DeadLetter> {
    let mut tx = db.begin().await?;
    let claimed: Option<(String, String)> = sqlx::query_as(
        "UPDATE dead_letters SET status = $1, resolved_at = $2, resolved_by = $3, resolution_reason = $4
         WHERE id = $5 AND status = 'parked' RETURNING consumer, event_id",
    )
    .bind(if replay { "replayed" } else { "discarded" })
    .bind(now())
    .bind(by)
    .bind(reason)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((consumer, event_id)) = claimed else {
        drop(tx);
        let current = get(db, id).await?;
        return Err(AppError::conflict(
            "conflict",
            "Dead letter already resolved",
            format!("this dead letter is {}", current.status),
        ));
    };
    if !replay {
        sqlx::query("INSERT INTO handled_events (consumer, event_id, handled_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(&consumer)
            .bind(&event_id)
            .bind(now())
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    get(db, id).await
}
