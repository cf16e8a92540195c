//! Idempotency records: the first request with a key stores its response; later requests with
//! the same key and the same body get that response back, even while the first is still running
//! (they wait for it). The same key with a different body is refused.

use std::time::Duration;

use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::store::now;

/// Keys are kept at least this long (the contract promises 24 hours).
pub const RETENTION: Duration = Duration::from_secs(48 * 3600);
/// A record still pending after this long belongs to a request that died; it may be taken over.
const ABANDONED_AFTER: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, FromRow)]
pub struct StoredResponse {
    pub status: i64,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

pub enum Begin {
    /// This request owns the key: run it, then `finish` or `abandon`.
    Proceed,
    Replay(StoredResponse),
    /// The key was used for a different request body.
    Mismatch,
    /// The first request is still running after the wait.
    StillRunning,
}

#[derive(FromRow)]
struct Record {
    request_hash: String,
    state: String,
    created_at: String,
}

pub async fn begin(
    db: &AnyPool,
    scope: &str,
    key: &str,
    request_hash: &str,
) -> sqlx::Result<Begin> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        // Reads never wait in WAL mode: repeats find the record without queueing for the write
        // lock that the first request's transaction may be holding.
        if let Some(outcome) = existing(db, scope, key, request_hash).await? {
            match outcome {
                Existing::Settled(begin) => return Ok(begin),
                Existing::Running => {
                    if tokio::time::Instant::now() >= deadline {
                        return Ok(Begin::StillRunning);
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            }
        }
        let inserted = sqlx::query(
            "INSERT INTO idempotency_keys (scope, key, request_hash, state, created_at)
             VALUES ($1, $2, $3, 'pending', $4) ON CONFLICT DO NOTHING",
        )
        .bind(scope)
        .bind(key)
        .bind(request_hash)
        .bind(now())
        .execute(db)
        .await?;
        if inserted.rows_affected() == 1 {
            return Ok(Begin::Proceed);
        }
    }
}

enum Existing {
    Settled(Begin),
    Running,
}

async fn existing(
    db: &AnyPool,
    scope: &str,
    key: &str,
    request_hash: &str,
) -> sqlx::Result<Option<Existing>> {
    let Some(record): Option<Record> = sqlx::query_as(
        "SELECT request_hash, state, created_at FROM idempotency_keys WHERE scope = $1 AND key = $2",
    )
    .bind(scope)
    .bind(key)
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    if record.request_hash != request_hash {
        return Ok(Some(Existing::Settled(Begin::Mismatch)));
    }
    if record.state == "done" {
        let stored: StoredResponse = sqlx::query_as(
                "SELECT status, content_type, location, body FROM idempotency_keys WHERE scope = $1 AND key = $2",
            )
            .bind(scope)
            .bind(key)
            .fetch_one(db)
            .await?;
        return Ok(Some(Existing::Settled(Begin::Replay(stored))));
    }
    let abandoned = crate::store::timestamp(time::OffsetDateTime::now_utc() - ABANDONED_AFTER);
    if record.created_at < abandoned {
        let taken = sqlx::query(
                "UPDATE idempotency_keys SET created_at = $1 WHERE scope = $2 AND key = $3 AND state = 'pending' AND created_at = $4",
            )
            .bind(now())
            .bind(scope)
            .bind(key)
            .bind(&record.created_at)
            .execute(db)
            .await?;
        if taken.rows_affected() == 1 {
            return Ok(Some(Existing::Settled(Begin::Proceed)));
        }
    }
    Ok(Some(Existing::Running))
}

pub async fn finish(
    db: &AnyPool,
    scope: &str,
    key: &str,
    response: &StoredResponse,
) -> sqlx::Result<()> {
    finish_on(&mut *db.acquire().await?, scope, key, response).await
}

/// Settles a key inside the transaction that commits its request's effects, so a crash between
/// the commit and the answer still leaves the answer to replay.
pub async fn finish_on(
    connection: &mut AnyConnection,
    scope: &str,
    key: &str,
    response: &StoredResponse,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE idempotency_keys SET state = 'done', status = $1, content_type = $2, location = $3, body = $4
         WHERE scope = $5 AND key = $6",
    )
    .bind(response.status)
    .bind(&response.content_type)
    .bind(&response.location)
    .bind(&response.body)
    .bind(scope)
    .bind(key)
    .execute(connection)
    .await?;
    Ok(())
}

/// Releases every key still pending when the server starts: one server owns the database and no
/// request runs before it listens, so each belongs to a request that died with the last process
/// (a crash or `kill -9`) and whose transaction rolled back. Retries then run at once instead of
/// waiting for `ABANDONED_AFTER`.
pub async fn release_pending(db: &AnyPool) -> sqlx::Result<u64> {
    let released = sqlx::query("DELETE FROM idempotency_keys WHERE state = 'pending'")
        .execute(db)
        .await?;
    Ok(released.rows_affected())
}

/// Forgets a key whose request failed on the server side, so a retry runs again.
pub async fn abandon(db: &AnyPool, scope: &str, key: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND state = 'pending'")
        .bind(scope)
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn purge_expired(db: &AnyPool) -> sqlx::Result<u64> {
    let cutoff = crate::store::timestamp(time::OffsetDateTime::now_utc() - RETENTION);
    let purged = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
        .bind(cutoff)
        .execute(db)
        .await?;
    Ok(purged.rows_affected())
}
