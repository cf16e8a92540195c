//! Reconciliation runs: queue one (the connector runs it at its next round), read runs and their
//! differences, apply a difference's fix with a reason. Role ops acts; ops-viewer reads.

use api_client::ListReconciliationsQuery;
use api_client::types::{
    ConnectorActionRequest, ReconciliationDifference, ReconciliationRun, ReconciliationRunPage,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::domain::reconciliation;
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey, OpsCaller, OpsReader};
use crate::idempotency::idempotent;
use crate::routes::connectors::{actor, reason_of};
use crate::state::AppState;
use crate::store::{connectors, decode_cursor, page_of, reconciliations};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/ops/connectors/{connectorId}/reconciliations",
            get(reconciliations_list).post(reconciliations_start),
        )
        .route("/v1/ops/reconciliations/{runId}", get(reconciliations_get))
        .route(
            "/v1/ops/reconciliations/{runId}/differences/{differenceId}/fix",
            post(reconciliations_fix),
        )
}

async fn run_of(state: &AppState, run_id: &str) -> AppResult<ReconciliationRun> {
    let run = reconciliations::find_run(&state.db, run_id)
        .await?
        .ok_or_else(|| AppError::not_found("reconciliation run"))?;
    let differences = reconciliations::differences(&state.db, run_id).await?;
    Ok(reconciliations::to_contract(&run, &differences))
}

async fn reconciliations_list(
    State(state): State<AppState>,
    _: OpsReader,
    AppPath(id): AppPath<String>,
    AppQuery(query): AppQuery<ListReconciliationsQuery>,
) -> AppResult<Json<ReconciliationRunPage>> {
    connectors::find(&state.db, &id)
        .await?
        .ok_or_else(|| AppError::not_found("connector"))?;
    let limit = i64::from(query.limit.unwrap_or(20));
    let offset = decode_cursor(query.cursor.as_deref())?;
    let rows = reconciliations::runs(&state.db, &id, offset, limit + 1).await?;
    let (rows, next_cursor) = page_of(rows, offset, limit);
    let mut items = Vec::new();
    for run in &rows {
        let differences = reconciliations::differences(&state.db, &run.id).await?;
        items.push(reconciliations::to_contract(run, &differences));
    }
    Ok(Json(ReconciliationRunPage { items, next_cursor }))
}

async fn reconciliations_start(
    State(state): State<AppState>,
    OpsCaller(caller): OpsCaller,
    AppPath(id): AppPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    AppJson(request): AppJson<ConnectorActionRequest>,
) -> Response {
    idempotent(
        &state,
        "startReconciliation",
        &caller.token_hash,
        key,
        &(&id, &request),
        || async {
            let reason = reason_of(&request)?;
            connectors::find(&state.db, &id)
                .await?
                .ok_or_else(|| AppError::not_found("connector"))?;
            let who = actor(&caller);
            let run_id = reconciliations::queue(&state.db, &id, "ops", Some(&who)).await?;
            connectors::record_action(
                &mut *state.writer.acquire().await?,
                &id,
                "reconcile",
                &who,
                &reason,
            )
            .await?;
            state.connector_wakers.wake(&id);
            Ok((StatusCode::ACCEPTED, Json(run_of(&state, &run_id).await?)).into_response())
        },
    )
    .await
}

async fn reconciliations_get(
    State(state): State<AppState>,
    _: OpsReader,
    AppPath(run_id): AppPath<String>,
) -> AppResult<Json<ReconciliationRun>> {
    Ok(Json(run_of(&state, &run_id).await?))
}

async fn reconciliations_fix(
    State(state): State<AppState>,
    OpsCaller(caller): OpsCaller,
    AppPath((run_id, difference_id)): AppPath<(String, String)>,
    IdempotencyKey(key): IdempotencyKey,
    AppJson(request): AppJson<ConnectorActionRequest>,
) -> Response {
    let fingerprint = (&run_id, &difference_id, &request);
    idempotent(
        &state,
        "applyReconciliationFix",
        &caller.token_hash,
        key,
        &fingerprint,
        || async {
            let reason = reason_of(&request)?;
            let (connector, difference): (String, ReconciliationDifference) =
                reconciliation::apply_fix(
                    &state.writer,
                    &state.outbox,
                    &run_id,
                    &difference_id,
                    &actor(&caller),
                    &reason,
                )
                .await?;
            state.connector_wakers.wake(&connector);
            Ok(Json(difference).into_response())
        },
    )
    .await
}
