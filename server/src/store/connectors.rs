//! Connector rows (health, pause, polling position, stock buffer), their audit trail, and the
//! per-SKU listing sync state each connector publishes from.

use api_client::types::{ConnectorListing, ListingSyncState};
use sqlx::{FromRow, SqliteConnection, SqlitePool};

use crate::store::{new_id, now};

#[derive(FromRow, Clone)]
pub struct ConnectorRow {
    pub id: String,
    pub display_name: String,
    pub paused: bool,
    pub paused_reason: Option<String>,
    pub poll_after: Option<String>,
    pub last_success_at: Option<String>,
    pub last_attempt_at: Option<String>,
    pub last_error: Option<String>,
    pub last_error_at: Option<String>,
    pub consecutive_failures: i64,
    pub throttled_count: i64,
    pub rate_limit_remaining: Option<i64>,
    pub buffer_percent: i64,
    pub keep_back: i64,
}

/// Registers a connector (or points it at a new base URL) and gives it a listing row for every
/// variant in the catalog.
pub async fn register(
    db: &SqlitePool,
    id: &str,
    display_name: &str,
    base_url: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO connectors (id, display_name, base_url) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET base_url = excluded.base_url, display_name = excluded.display_name",
    )
    .bind(id)
    .bind(display_name)
    .bind(base_url)
    .execute(db)
    .await?;
    sqlx::query(
        "INSERT OR IGNORE INTO connector_listings (connector_id, sku, variant_id, state, quantity, updated_at)
         SELECT ?, sku, id, 'pending', -1, ? FROM variants",
    )
    .bind(id)
    .bind(now())
    .execute(db)
    .await?;
    refresh_offers(&mut *db.acquire().await?, None).await?;
    Ok(())
}

/// Recomputes what each connector offers (stock through its buffer) for `sku`, or every SKU,
/// and marks the listings whose figure changed as pending.
pub async fn refresh_offers(
    connection: &mut SqliteConnection,
    sku: Option<&str>,
) -> sqlx::Result<u64> {
    let updated = sqlx::query(
        "UPDATE connector_listings
         SET quantity = offer.quantity, price = offer.price, state = 'pending', attempts = 0,
             next_attempt_at = NULL, reason = NULL, updated_at = ?2
         FROM (SELECT l.connector_id, l.sku, v.price,
                      MAX(0, (MAX(v.stock, 0) * (100 - c.buffer_percent)) / 100 - c.keep_back) AS quantity
               FROM connector_listings l
               JOIN variants v ON v.id = l.variant_id
               JOIN connectors c ON c.id = l.connector_id
               WHERE (?1 IS NULL OR l.sku = ?1)) AS offer
         WHERE connector_listings.connector_id = offer.connector_id
           AND connector_listings.sku = offer.sku
           AND (connector_listings.quantity != offer.quantity
                OR connector_listings.price IS NOT offer.price)",
    )
    .bind(sku)
    .bind(now())
    .execute(connection)
    .await?;
    Ok(updated.rows_affected())
}

pub async fn all(db: &SqlitePool) -> sqlx::Result<Vec<ConnectorRow>> {
    sqlx::query_as("SELECT * FROM connectors ORDER BY id")
        .fetch_all(db)
        .await
}

pub async fn find(db: &SqlitePool, id: &str) -> sqlx::Result<Option<ConnectorRow>> {
    sqlx::query_as("SELECT * FROM connectors WHERE id = ?")
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Sets what share of our stock the connector offers and marks every listing whose offer moved
/// pending, recording who and why, in one transaction.
pub async fn set_stock_buffer(
    writer: &SqlitePool,
    id: &str,
    percent: i64,
    keep_back: i64,
    actor: &str,
    reason: &str,
) -> sqlx::Result<()> {
    let mut tx = writer.begin().await?;
    sqlx::query("UPDATE connectors SET buffer_percent = ?, keep_back = ? WHERE id = ?")
        .bind(percent)
        .bind(keep_back)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let action = format!("stock buffer {percent} %, keep back {keep_back}: {reason}");
    record_action(&mut tx, id, "stock-buffer", actor, &action).await?;
    refresh_offers(&mut tx, None).await?;
    tx.commit().await
}

/// Pauses or resumes, recording who and why in the same transaction.
pub async fn set_paused(
    writer: &SqlitePool,
    id: &str,
    paused: bool,
    actor: &str,
    reason: &str,
) -> sqlx::Result<()> {
    let mut tx = writer.begin().await?;
    sqlx::query("UPDATE connectors SET paused = ?, paused_reason = ? WHERE id = ?")
        .bind(paused)
        .bind(paused.then_some(reason))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    record_action(
        &mut tx,
        id,
        if paused { "pause" } else { "resume" },
        actor,
        reason,
    )
    .await?;
    tx.commit().await
}

pub async fn record_action(
    connection: &mut SqliteConnection,
    id: &str,
    action: &str,
    actor: &str,
    reason: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO connector_actions (id, connector_id, action, actor, reason, at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(new_id())
    .bind(id)
    .bind(action)
    .bind(actor)
    .bind(reason)
    .bind(now())
    .execute(connection)
    .await?;
    Ok(())
}

pub async fn set_poll_after(db: &SqlitePool, id: &str, after: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE connectors SET poll_after = MAX(COALESCE(poll_after, ''), ?) WHERE id = ?")
        .bind(after)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

#[derive(FromRow)]
pub struct ListingRow {
    pub sku: String,
    pub variant_id: String,
    pub state: String,
    pub quantity: i64,
    pub price: Option<i64>,
    pub published_quantity: Option<i64>,
    pub reason: Option<String>,
    pub attempts: i64,
    pub feed_quantity: Option<i64>,
    pub updated_at: String,
    pub published_at: Option<String>,
}

impl ListingRow {
    pub fn to_contract(&self) -> ConnectorListing {
        ConnectorListing {
            sku: self.sku.clone(),
            variant_id: self.variant_id.clone(),
            state: self.state.parse().unwrap_or(ListingSyncState::Pending),
            quantity: self.quantity.max(0),
            published_quantity: self.published_quantity,
            reason: self.reason.clone(),
            attempts: self.attempts as i32,
            updated_at: self.updated_at.clone(),
            published_at: self.published_at.clone(),
        }
    }
}

const LISTING_COLUMNS: &str = "sku, variant_id, state, quantity, price, published_quantity, reason, attempts, \
     feed_quantity, updated_at, published_at";

pub async fn listings(
    db: &SqlitePool,
    connector_id: &str,
    state: Option<&str>,
    sku_prefix: Option<&str>,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<ListingRow>> {
    sqlx::query_as(&format!(
        "SELECT {LISTING_COLUMNS} FROM connector_listings
         WHERE connector_id = ?1 AND (?2 IS NULL OR state = ?2)
           AND (?5 IS NULL OR lower(substr(sku, 1, length(?5))) = lower(?5))
         ORDER BY sku LIMIT ?3 OFFSET ?4"
    ))
    .bind(connector_id)
    .bind(state)
    .bind(limit)
    .bind(offset)
    .bind(sku_prefix)
    .fetch_all(db)
    .await
}

/// Pending listings due for publishing and not already in a feed, oldest change first.
pub async fn due_listings(
    db: &SqlitePool,
    connector_id: &str,
    limit: i64,
) -> sqlx::Result<Vec<ListingRow>> {
    sqlx::query_as(&format!(
        "SELECT {LISTING_COLUMNS} FROM connector_listings
         WHERE connector_id = ? AND state = 'pending' AND feed_id IS NULL
           AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
         ORDER BY updated_at, sku LIMIT ?"
    ))
    .bind(connector_id)
    .bind(now())
    .bind(limit)
    .fetch_all(db)
    .await
}

/// The feeds still being processed by the marketplace.
pub async fn feeds_in_flight(db: &SqlitePool, connector_id: &str) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT feed_id FROM connector_listings WHERE connector_id = ? AND feed_id IS NOT NULL",
    )
    .bind(connector_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

pub async fn mark_in_feed(
    db: &SqlitePool,
    connector_id: &str,
    sku: &str,
    feed_id: &str,
    quantity: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE connector_listings SET feed_id = ?, feed_quantity = ? WHERE connector_id = ? AND sku = ?")
        .bind(feed_id)
        .bind(quantity)
        .bind(connector_id)
        .bind(sku)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn listings_in_feed(
    db: &SqlitePool,
    connector_id: &str,
    feed_id: &str,
) -> sqlx::Result<Vec<ListingRow>> {
    sqlx::query_as(&format!(
        "SELECT {LISTING_COLUMNS} FROM connector_listings WHERE connector_id = ? AND feed_id = ?"
    ))
    .bind(connector_id)
    .bind(feed_id)
    .fetch_all(db)
    .await
}

/// The marketplace accepted `quantity`: live, unless a newer figure arrived meanwhile (then that
/// one is still pending and this publication was superseded).
pub async fn mark_published(
    db: &SqlitePool,
    connector_id: &str,
    sku: &str,
    quantity: i64,
) -> sqlx::Result<()> {
    let at = now();
    sqlx::query(
        "UPDATE connector_listings SET published_quantity = ?1, published_at = ?2, feed_id = NULL,
         feed_quantity = NULL, reason = NULL, attempts = 0, next_attempt_at = NULL,
         state = CASE WHEN quantity = ?1 THEN 'live' ELSE 'pending' END
         WHERE connector_id = ?3 AND sku = ?4",
    )
    .bind(quantity)
    .bind(&at)
    .bind(connector_id)
    .bind(sku)
    .execute(db)
    .await?;
    Ok(())
}

/// The marketplace refused the item: visible with its reason, retried only after the next change.
pub async fn mark_rejected(
    db: &SqlitePool,
    connector_id: &str,
    sku: &str,
    reason: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE connector_listings SET state = 'rejected', reason = ?, feed_id = NULL, feed_quantity = NULL,
         updated_at = ? WHERE connector_id = ? AND sku = ?",
    )
    .bind(reason)
    .bind(now())
    .bind(connector_id)
    .bind(sku)
    .execute(db)
    .await?;
    Ok(())
}

/// Publishing failed (not a rejection): stays pending, retried at `retry_at`.
pub async fn mark_retry(
    db: &SqlitePool,
    connector_id: &str,
    sku: &str,
    error: &str,
    retry_at: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE connector_listings SET reason = ?, attempts = attempts + 1, next_attempt_at = ?,
         feed_id = NULL, feed_quantity = NULL WHERE connector_id = ? AND sku = ?",
    )
    .bind(error)
    .bind(retry_at)
    .bind(connector_id)
    .bind(sku)
    .execute(db)
    .await?;
    Ok(())
}

/// Lowers the polling position to `since`, so the next poll re-imports from there (intake keeps
/// each order single), and records who asked.
pub async fn reimport_since(
    writer: &SqlitePool,
    id: &str,
    since: &str,
    actor: &str,
    reason: &str,
) -> sqlx::Result<()> {
    let mut tx = writer.begin().await?;
    sqlx::query("UPDATE connectors SET poll_after = ? WHERE id = ?")
        .bind(since)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    record_action(
        &mut tx,
        id,
        "reimport",
        actor,
        &format!("since {since}: {reason}"),
    )
    .await?;
    tx.commit().await
}

/// Publishes a listing again as it is (a reconciliation fix for drift at the marketplace).
pub async fn republish(
    connection: &mut SqliteConnection,
    connector_id: &str,
    sku: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE connector_listings SET state = 'pending', attempts = 0, next_attempt_at = NULL,
         updated_at = ? WHERE connector_id = ? AND sku = ?",
    )
    .bind(now())
    .bind(connector_id)
    .bind(sku)
    .execute(connection)
    .await?;
    Ok(())
}

/// Every listing of a connector, for reconciliation.
pub async fn all_listings(db: &SqlitePool, connector_id: &str) -> sqlx::Result<Vec<ListingRow>> {
    sqlx::query_as(&format!(
        "SELECT {LISTING_COLUMNS} FROM connector_listings WHERE connector_id = ? ORDER BY sku"
    ))
    .bind(connector_id)
    .fetch_all(db)
    .await
}
