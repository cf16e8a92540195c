//! Marketplace orders, once each per (connector, marketplace order id), with the call the shop
//! still owes the marketplace for them (acknowledge, cancel).

use api_client::types::{
    MarketplaceImportSource, MarketplaceImportStatus, MarketplaceOrderImport, MarketplaceOrderLine,
};
use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::store::now;

#[derive(FromRow, Clone)]
pub struct ImportRow {
    pub id: String,
    pub connector_id: String,
    pub external_id: String,
    pub status: String,
    pub source: String,
    pub deliveries: i64,
    pub currency: String,
    pub lines: String,
    pub reason: Option<String>,
    pub pending_call: Option<String>,
    pub received_at: String,
    pub updated_at: String,
}

impl ImportRow {
    pub fn lines(&self) -> Vec<MarketplaceOrderLine> {
        serde_json::from_str(&self.lines).unwrap_or_default()
    }

    pub fn to_contract(&self) -> MarketplaceOrderImport {
        MarketplaceOrderImport {
            id: self.id.clone(),
            connector_id: self.connector_id.clone(),
            marketplace_order_id: self.external_id.clone(),
            status: self
                .status
                .parse()
                .unwrap_or(MarketplaceImportStatus::Received),
            source: self.source.parse().unwrap_or(MarketplaceImportSource::Poll),
            deliveries: self.deliveries.clamp(1, i64::from(i32::MAX)) as i32,
            currency: self.currency.clone(),
            lines: self.lines(),
            reason: self.reason.clone(),
            received_at: self.received_at.clone(),
            updated_at: self.updated_at.clone(),
        }
    }
}

pub async fn find_by_external(
    connection: &mut AnyConnection,
    connector_id: &str,
    external_id: &str,
) -> sqlx::Result<Option<ImportRow>> {
    sqlx::query_as("SELECT * FROM marketplace_orders WHERE connector_id = $1 AND external_id = $2")
        .bind(connector_id)
        .bind(external_id)
        .fetch_optional(connection)
        .await
}

pub async fn find(connection: &mut AnyConnection, id: &str) -> sqlx::Result<Option<ImportRow>> {
    sqlx::query_as("SELECT * FROM marketplace_orders WHERE id = $1")
        .bind(id)
        .fetch_optional(connection)
        .await
}

pub struct NewImport<'a> {
    pub id: &'a str,
    pub connector_id: &'a str,
    pub external_id: &'a str,
    pub status: MarketplaceImportStatus,
    pub source: MarketplaceImportSource,
    pub currency: &'a str,
    pub lines: &'a [MarketplaceOrderLine],
    pub reason: Option<&'a str>,
}

pub async fn insert(connection: &mut AnyConnection, new: &NewImport<'_>) -> sqlx::Result<()> {
    let at = now();
    sqlx::query(
        "INSERT INTO marketplace_orders (id, connector_id, external_id, status, source, currency, lines,
         reason, received_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(new.id)
    .bind(new.connector_id)
    .bind(new.external_id)
    .bind(new.status.to_string())
    .bind(new.source.to_string())
    .bind(new.currency)
    .bind(serde_json::to_string(new.lines).unwrap_or_else(|_| "[]".to_owned()))
    .bind(new.reason)
    .bind(&at)
    .bind(&at)
    .execute(connection)
    .await?;
    Ok(())
}

/// The order arrived once more (a duplicate notification, a poll overlap); false when it is new.
/// A write, so an intake transaction takes the write lock with its first statement.
pub async fn count_delivery(
    connection: &mut AnyConnection,
    connector_id: &str,
    external_id: &str,
) -> sqlx::Result<bool> {
    let counted = sqlx::query(
        "UPDATE marketplace_orders SET deliveries = deliveries + 1 WHERE connector_id = $1 AND external_id = $2",
    )
    .bind(connector_id)
    .bind(external_id)
    .execute(connection)
    .await?;
    Ok(counted.rows_affected() > 0)
}

/// Moves the order on; `call` is what the shop now owes the marketplace (`None`: nothing).
pub async fn set_status(
    connection: &mut AnyConnection,
    id: &str,
    status: MarketplaceImportStatus,
    reason: Option<&str>,
    call: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE marketplace_orders SET status = $1, reason = COALESCE($2, reason), pending_call = $3,
         call_attempts = 0, call_after = NULL, updated_at = $4 WHERE id = $5",
    )
    .bind(status.to_string())
    .bind(reason)
    .bind(call)
    .bind(now())
    .bind(id)
    .execute(connection)
    .await?;
    Ok(())
}

/// Orders with a call due to the marketplace.
pub async fn calls_due(
    db: &AnyPool,
    connector_id: &str,
    limit: i64,
) -> sqlx::Result<Vec<ImportRow>> {
    sqlx::query_as(
        "SELECT * FROM marketplace_orders WHERE connector_id = $1 AND pending_call IS NOT NULL
         AND call_parked = 0 AND (call_after IS NULL OR call_after <= $2) ORDER BY updated_at LIMIT $3",
    )
    .bind(connector_id)
    .bind(now())
    .bind(limit)
    .fetch_all(db)
    .await
}

pub async fn clear_call(connection: &mut AnyConnection, id: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE marketplace_orders SET pending_call = NULL, call_attempts = 0, call_after = NULL WHERE id = $1")
        .bind(id)
        .execute(connection)
        .await?;
    Ok(())
}

/// The call failed; try again at `retry_at` (the error is kept with the connector's failures).
pub async fn retry_call(db: &AnyPool, id: &str, retry_at: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE marketplace_orders SET call_attempts = call_attempts + 1, call_after = $1 WHERE id = $2",
    )
    .bind(retry_at)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// Newest first.
pub async fn page(
    db: &AnyPool,
    connector_id: &str,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<ImportRow>> {
    sqlx::query_as(
        "SELECT * FROM marketplace_orders WHERE connector_id = $1 ORDER BY received_at DESC, id LIMIT $2 OFFSET $3",
    )
    .bind(connector_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await
}

/// Every order of a connector, for reconciliation.
pub async fn all(db: &AnyPool, connector_id: &str) -> sqlx::Result<Vec<ImportRow>> {
    sqlx::query_as("SELECT * FROM marketplace_orders WHERE connector_id = $1 ORDER BY received_at")
        .bind(connector_id)
        .fetch_all(db)
        .await
}

/// Owes the marketplace a cancellation (a reconciliation fix).
pub async fn owe_cancellation(connection: &mut AnyConnection, id: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE marketplace_orders SET pending_call = 'cancel', call_attempts = 0, call_after = NULL
         WHERE id = $1",
    )
    .bind(id)
    .execute(connection)
    .await?;
    Ok(())
}

/// Stops retrying an order's call (it waits as a dead letter).
pub async fn park_call(db: &AnyPool, id: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE marketplace_orders SET call_parked = 1 WHERE id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Makes a parked call due again (its dead letter was replayed).
pub async fn unpark_call(db: &AnyPool, id: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE marketplace_orders SET call_parked = 0, call_attempts = 0, call_after = NULL WHERE id = $1",
    )
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}
