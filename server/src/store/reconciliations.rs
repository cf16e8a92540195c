//! Reconciliation runs and the differences each one found, with the fix applied to each.

use api_client::types::{
    DifferenceKind, ReconciliationDifference, ReconciliationRun, ReconciliationStatus, SuggestedFix,
};
use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::store::{new_id, now};

#[derive(FromRow)]
pub struct RunRow {
    pub id: String,
    pub connector_id: String,
    pub status: String,
    pub trigger: String,
    pub requested_by: Option<String>,
    pub listings_compared: i64,
    pub orders_compared: i64,
    pub error: Option<String>,
    pub requested_at: String,
    pub finished_at: Option<String>,
    pub duration_ms: Option<i64>,
}

#[derive(FromRow)]
pub struct DifferenceRow {
    pub id: String,
    pub kind: String,
    pub sku: Option<String>,
    pub marketplace_order_id: Option<String>,
    pub ours: Option<String>,
    pub theirs: Option<String>,
    pub order_json: Option<String>,
    pub suggested_fix: String,
    pub fixed: i64,
    pub fixed_at: Option<String>,
    pub fixed_by: Option<String>,
    pub fix_reason: Option<String>,
}

impl DifferenceRow {
    pub fn to_contract(&self) -> ReconciliationDifference {
        ReconciliationDifference {
            id: self.id.clone(),
            kind: self.kind.parse().unwrap_or(DifferenceKind::StockDrift),
            sku: self.sku.clone(),
            marketplace_order_id: self.marketplace_order_id.clone(),
            ours: self.ours.clone(),
            theirs: self.theirs.clone(),
            suggested_fix: self.suggested_fix.parse().unwrap_or(SuggestedFix::None),
            fixed: self.fixed != 0,
            fixed_at: self.fixed_at.clone(),
            fixed_by: self.fixed_by.clone(),
            fix_reason: self.fix_reason.clone(),
        }
    }
}

/// A difference found by a run, before it is stored.
pub struct Found {
    pub kind: DifferenceKind,
    pub sku: Option<String>,
    pub marketplace_order_id: Option<String>,
    pub ours: Option<String>,
    pub theirs: Option<String>,
    pub order_json: Option<String>,
    pub fix: SuggestedFix,
}

pub async fn queue(
    db: &AnyPool,
    connector_id: &str,
    trigger: &str,
    requested_by: Option<&str>,
) -> sqlx::Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO reconciliation_runs (id, connector_id, status, trigger, requested_by, requested_at)
         VALUES ($1, $2, 'queued', $3, $4, $5)",
    )
    .bind(&id)
    .bind(connector_id)
    .bind(trigger)
    .bind(requested_by)
    .bind(now())
    .execute(db)
    .await?;
    Ok(id)
}

/// Claims the oldest queued run of the connector (queued → running).
pub async fn claim_queued(db: &AnyPool, connector_id: &str) -> sqlx::Result<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as(
        "UPDATE reconciliation_runs SET status = 'running'
         WHERE id = (SELECT id FROM reconciliation_runs WHERE connector_id = $1 AND status = 'queued'
                     ORDER BY requested_at LIMIT 1)
         RETURNING id",
    )
    .bind(connector_id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// When the connector's newest run was requested, if ever.
pub async fn last_requested(db: &AnyPool, connector_id: &str) -> sqlx::Result<Option<String>> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT MAX(requested_at) FROM reconciliation_runs WHERE connector_id = $1")
            .bind(connector_id)
            .fetch_optional(db)
            .await?;
    Ok(row.and_then(|(at,)| at))
}

/// Stores what a run found and completes it, in the caller's transaction.
pub async fn complete(
    connection: &mut AnyConnection,
    run_id: &str,
    listings: i64,
    orders: i64,
    found: &[Found],
    duration_ms: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE reconciliation_runs SET status = 'completed', listings_compared = $1, orders_compared = $2,
         finished_at = $3, duration_ms = $4 WHERE id = $5",
    )
    .bind(listings)
    .bind(orders)
    .bind(now())
    .bind(duration_ms)
    .bind(run_id)
    .execute(&mut *connection)
    .await?;
    for (position, difference) in found.iter().enumerate() {
        sqlx::query(
            "INSERT INTO reconciliation_differences (id, run_id, position, kind, sku, marketplace_order_id,
             ours, theirs, order_json, suggested_fix) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(new_id())
        .bind(run_id)
        .bind(position as i64)
        .bind(difference.kind.to_string())
        .bind(&difference.sku)
        .bind(&difference.marketplace_order_id)
        .bind(&difference.ours)
        .bind(&difference.theirs)
        .bind(&difference.order_json)
        .bind(difference.fix.to_string())
        .execute(&mut *connection)
        .await?;
    }
    Ok(())
}

/// Back to the queue (the marketplace throttled the run); the next round runs it.
pub async fn requeue(db: &AnyPool, run_id: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE reconciliation_runs SET status = 'queued' WHERE id = $1")
        .bind(run_id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn fail(db: &AnyPool, run_id: &str, error: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE reconciliation_runs SET status = 'failed', error = $1, finished_at = $2 WHERE id = $3",
    )
    .bind(error)
    .bind(now())
    .bind(run_id)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn find_run(db: &AnyPool, run_id: &str) -> sqlx::Result<Option<RunRow>> {
    find_run_on(&mut *db.acquire().await?, run_id).await
}

pub async fn find_run_on(
    connection: &mut AnyConnection,
    run_id: &str,
) -> sqlx::Result<Option<RunRow>> {
    sqlx::query_as("SELECT * FROM reconciliation_runs WHERE id = $1")
        .bind(run_id)
        .fetch_optional(connection)
        .await
}

pub async fn runs(
    db: &AnyPool,
    connector_id: &str,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<RunRow>> {
    sqlx::query_as(
        "SELECT * FROM reconciliation_runs WHERE connector_id = $1
         ORDER BY requested_at DESC, id LIMIT $2 OFFSET $3",
    )
    .bind(connector_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await
}

pub async fn differences(db: &AnyPool, run_id: &str) -> sqlx::Result<Vec<DifferenceRow>> {
    sqlx::query_as("SELECT * FROM reconciliation_differences WHERE run_id = $1 ORDER BY position")
        .bind(run_id)
        .fetch_all(db)
        .await
}

/// Marks a difference fixed, first in its transaction; `None` when it was fixed already (or
/// does not belong to the run).
pub async fn claim_fix(
    connection: &mut AnyConnection,
    run_id: &str,
    difference_id: &str,
    by: &str,
    reason: &str,
) -> sqlx::Result<Option<DifferenceRow>> {
    sqlx::query_as(
        "UPDATE reconciliation_differences SET fixed = 1, fixed_at = $1, fixed_by = $2, fix_reason = $3
         WHERE id = $4 AND run_id = $5 AND fixed = 0 RETURNING *",
    )
    .bind(now())
    .bind(by)
    .bind(reason)
    .bind(difference_id)
    .bind(run_id)
    .fetch_optional(connection)
    .await
}

pub async fn find_difference(
    db: &AnyPool,
    run_id: &str,
    difference_id: &str,
) -> sqlx::Result<Option<DifferenceRow>> {
    sqlx::query_as("SELECT * FROM reconciliation_differences WHERE id = $1 AND run_id = $2")
        .bind(difference_id)
        .bind(run_id)
        .fetch_optional(db)
        .await
}

pub fn to_contract(run: &RunRow, differences: &[DifferenceRow]) -> ReconciliationRun {
    ReconciliationRun {
        id: run.id.clone(),
        connector_id: run.connector_id.clone(),
        status: run.status.parse().unwrap_or(ReconciliationStatus::Queued),
        trigger: run
            .trigger
            .parse()
            .unwrap_or(api_client::types::ReconciliationRunTrigger::Ops),
        requested_by: run.requested_by.clone(),
        listings_compared: run.listings_compared as i32,
        orders_compared: run.orders_compared as i32,
        differences: differences.iter().map(DifferenceRow::to_contract).collect(),
        error: run.error.clone(),
        requested_at: run.requested_at.clone(),
        finished_at: run.finished_at.clone(),
        duration_ms: run.duration_ms,
    }
}
