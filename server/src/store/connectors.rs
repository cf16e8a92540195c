//! Connector rows (health, pause, polling position, stock buffer), their audit trail, and the
//! per-SKU listing sync state each connector publishes from.

use api_client::types::{ConnectorListing, ListingSyncState};
use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::store::{new_id, now};

#[derive(FromRow, Clone)]
pub struct ConnectorRow {
    pub id: String,
    pub display_name: String,
    pub paused: i64,
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

impl ConnectorRow {
    /// Flags are integers in both backends' schemas (`store` module docs).
    pub fn is_paused(&self) -> bool {
        self.paused != 0
    }
}

/// Registers a connector (or points it at a new base URL) and gives it a listing row for every
/// variant in the catalog.
pub async fn register(
    db: &AnyPool,
    id: &str,
    display_name: &str,
    base_url: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO connectors (id, display_name, base_url) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET base_url = excluded.base_url, display_name = excluded.display_name",
    )
    .bind(id)
    .bind(display_name)
    .bind(base_url)
    .execute(db)
    .await?;
    sqlx::query(
        "INSERT INTO connector_listings (connector_id, sku, variant_id, state, quantity, updated_at)
         SELECT $1, sku, id, 'pending', -1, $2 FROM variants WHERE true ON CONFLICT DO NOTHING",
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
    connection: &mut AnyConnection,
    sku: Option<&str>,
) -> sqlx::Result<u64> {
    let updated = sqlx::query(
        "UPDATE connector_listings
         SET quantity = CASE WHEN offer.offered < 0 THEN 0 ELSE offer.offered END, price = offer.price, state = 'pending', attempts = 0,
             next_attempt_at = NULL, reason = NULL, updated_at = $2
         FROM (SELECT l.connector_id, l.sku, v.price,
                      CASE WHEN v.stock <= 0 THEN 0
                           ELSE (v.stock * (100 - c.buffer_percent)) / 100 - c.keep_back END
                      AS offered
               FROM connector_listings l
               JOIN variants v ON v.id = l.variant_id
               JOIN connectors c ON c.id = l.connector_id
               WHERE ($1 IS NULL OR l.sku = $1)) AS offer
         WHERE connector_listings.connector_id = offer.connector_id
           AND connector_listings.sku = offer.sku
           AND (connector_listings.quantity != CASE WHEN offer.offered < 0 THEN 0 ELSE offer.offered END
                OR connector_listings.price IS DISTINCT FROM offer.price)",
    )
    .bind(sku)
    .bind(now())
    .execute(connection)
    .await?;
    Ok(updated.rows_affected())
}

pub async fn all(db: &AnyPool) -> sqlx::Result<Vec<ConnectorRow>> {
    sqlx::query_as("SELECT * FROM connectors ORDER BY id")
        .fetch_all(db)
        .await
}

pub async fn find(db: &AnyPool, id: &str) -> sqlx::Result<Option<ConnectorRow>> {
    sqlx::query_as("SELECT * FROM connectors WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Sets what share of our stock the connector offers and marks every listing whose offer moved
/// pending, recording who and why, in one transaction.
pub async fn set_stock_buffer(
    writer: &AnyPool,
    id: &str,
    percent: i64,
    keep_back: i64,
    actor: &str,
    reason: &str,
) -> sqlx::Result<()> {
    let mut tx = writer.begin().await?;
    sqlx::query("UPDATE connectors SET buffer_percent = $1, keep_back = $2 WHERE id = $3")
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
    writer: &AnyPool,
    id: &str,
    paused: bool,
    actor: &str,
    reason: &str,
) -> sqlx::Result<()> {
    let mut tx = writer.begin().await?;
    sqlx::query("UPDATE connectors SET paused = $1, paused_reason = $2 WHERE id = $3")
        .bind(i64::from(paused))
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
    connection: &mut AnyConnection,
    id: &str,
    action: &str,
    actor: &str,
    reason: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO connector_actions (id, connector_id, action, actor, reason, at) VALUES ($1, $2, $3, $4, $5, $6)",
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

pub async fn set_poll_after(db: &AnyPool, id: &str, after: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE connectors SET poll_after = CASE WHEN poll_after IS NULL OR poll_after < $1 THEN $1 ELSE poll_after END
         WHERE id = $2",
    )
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
    db: &AnyPool,
    connector_id: &str,
    state: Option<&str>,
    sku_prefix: Option<&str>,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<ListingRow>> {
    sqlx::query_as(&format!(
        "SELECT {LISTING_COLUMNS} FROM connector_listings
         WHERE connector_id = $1 AND ($2 IS NULL OR state = $2)
           AND ($5 IS NULL OR lower(substr(sku, 1, length($5))) = lower($5))
         ORDER BY sku LIMIT $3 OFFSET $4"
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
    db: &AnyPool,
    connector_id: &str,
    limit: i64,
) -> sqlx::Result<Vec<ListingRow>> {
    sqlx::query_as(&format!(
        "SELECT {LISTING_COLUMNS} FROM connector_listings
         WHERE connector_id = $1 AND state = 'pending' AND feed_id IS NULL
           AND (next_attempt_at IS NULL OR next_attempt_at <= $2)
         ORDER BY updated_at, sku LIMIT $3"
    ))
    .bind(connector_id)
    .bind(now())
    .bind(limit)
    .fetch_all(db)
    .await
}

/// The feeds still being processed by the marketplace.
pub async fn feeds_in_flight(db: &AnyPool, connector_id: &str) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT feed_id FROM connector_listings WHERE connector_id = $1 AND feed_id IS NOT NULL",
    )
    .bind(connector_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

pub async fn mark_in_feed(
    db: &AnyPool,
    connector_id: &str,
    sku: &str,
    feed_id: &str,
    quantity: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE connector_listings SET feed_id = $1, feed_quantity = $2 WHERE connector_id = $3 AND sku = $4")
        .bind(feed_id)
        .bind(quantity)
        .bind(connector_id)
        .bind(sku)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn listings_in_feed(
    db: &AnyPool,
    connector_id: &str,
    feed_id: &str,
) -> sqlx::Result<Vec<ListingRow>> {
    sqlx::query_as(&format!(
        "SELECT {LISTING_COLUMNS} FROM connector_listings WHERE connector_id = $1 AND feed_id = $2"
    ))
    .bind(connector_id)
    .bind(feed_id)
    .fetch_all(db)
    .await
}

/// The marketplace accepted `quantity`: live, unless a newer figure arrived meanwhile (then that
/// one is still pending and this publication was superseded).
pub async fn mark_published(
    db: &AnyPool,
    connector_id: &str,
    sku: &str,
    quantity: i64,
) -> sqlx::Result<()> {
    let at = now();
    sqlx::query(
        "UPDATE connector_listings SET published_quantity = $1, published_at = $2, feed_id = NULL,
         feed_quantity = NULL, reason = NULL, attempts = 0, next_attempt_at = NULL,
         state = CASE WHEN quantity = $1 THEN 'live' ELSE 'pending' END
         WHERE connector_id = $3 AND sku = $4",
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
    db: &AnyPool,
    connector_id: &str,
    sku: &str,
    reason: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE connector_listings SET state = 'rejected', reason = $1, feed_id = NULL, feed_quantity = NULL,
         updated_at = $2 WHERE connector_id = $3 AND sku = $4",
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
    db: &AnyPool,
    connector_id: &str,
    sku: &str,
    error: &str,
    retry_at: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE connector_listings SET reason = $1, attempts = attempts + 1, next_attempt_at = $2,
         feed_id = NULL, feed_quantity = NULL WHERE connector_id = $3 AND sku = $4",
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
    writer: &AnyPool,
    id: &str,
    since: &str,
    actor: &str,
    reason: &str,
) -> sqlx::Result<()> {
    let mut tx = writer.begin().await?;
    sqlx::query("UPDATE connectors SET poll_after = $1 WHERE id = $2")
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
    connection: &mut AnyConnection,
    connector_id: &str,
    sku: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE connector_listings SET state = 'pending', attempts = 0, next_attempt_at = NULL,
         updated_at = $1 WHERE connector_id = $2 AND sku = $3",
    )
    .bind(now())
    .bind(connector_id)
    .bind(sku)
    .execute(connection)
    .await?;
    Ok(())
}

/// Every listing of a connector, for reconciliation.
pub async fn all_listings(db: &AnyPool, connector_id: &str) -> sqlx::Result<Vec<ListingRow>> {
    sqlx::query_as(&format!(
        "SELECT {LISTING_COLUMNS} FROM connector_listings WHERE connector_id = $1 ORDER BY sku"
    ))
    .bind(connector_id)
    .fetch_all(db)
    .await
}

/// Per connector, when its oldest listing still waiting to be published last changed (`None`
/// when nothing waits): how far the marketplace lags behind the shop's stock.
pub async fn oldest_pending_listing(db: &AnyPool) -> sqlx::Result<Vec<(String, Option<String>)>> {
    sqlx::query_as(
        "SELECT connectors.id, MIN(connector_listings.updated_at) FROM connectors
         LEFT JOIN connector_listings ON connector_listings.connector_id = connectors.id
             AND connector_listings.state = 'pending'
         GROUP BY connectors.id ORDER BY connectors.id",
    )
    .fetch_all(db)
    .await
}
