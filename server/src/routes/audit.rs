//! The operations audit trail: who did what and why, newest first. Role ops or ops-viewer.

use api_client::ListAuditTrailQuery;
use api_client::types::AuditPage;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

use crate::error::AppResult;
use crate::extract::{AppQuery, OpsReader};
use crate::state::AppState;
use crate::store::{audit, decode_cursor, page_of};

pub fn router() -> Router<AppState> {
    Router::new().route("/v1/ops/audit", get(audit_list))
}

async fn audit_list(
    State(state): State<AppState>,
    _: OpsReader,
    AppQuery(query): AppQuery<ListAuditTrailQuery>,
) -> AppResult<Json<AuditPage>> {
    let limit = i64::from(query.limit.unwrap_or(50));
    let offset = decode_cursor(query.cursor.as_deref())?;
    let rows = audit::page(&state.db, offset, limit + 1).await?;
    let (items, next_cursor) = page_of(rows, offset, limit);
    Ok(Json(AuditPage { items, next_cursor }))
}
