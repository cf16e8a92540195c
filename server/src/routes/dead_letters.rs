//! Dead letters: what consumers (and connectors' calls to marketplaces) failed on too often.
//! Ops list them, replay one or a filtered batch, or discard one with a reason; who did it and
//! why stays with the letter. Replaying a connector's letter re-arms the call it owes, which the
//! connector then makes within its own request budget; a webhook's re-arms the delivery.

use api_client::types::{DeadLetter, DeadLetterBatchReplay, DeadLetterBatchResult, DeadLetterPage};
use api_client::{DiscardDeadLetterQuery, ListDeadLettersQuery, ReplayDeadLetterQuery};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey, OpsCaller, OpsReader};
use crate::idempotency::idempotent;
use crate::marketplaces::connector_of_dead_letter;
use crate::routes::connectors::actor;
use crate::state::AppState;
use crate::store::{self, dead_letters, decode_cursor, marketplace_orders, page_of};
use crate::webhooks;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/ops/dead-letters", get(dead_letters_list))
        .route(
            "/v1/ops/dead-letters/replay",
            post(dead_letters_replay_batch),
        )
        .route("/v1/ops/dead-letters/{deadLetterId}", get(dead_letters_get))
        .route(
            "/v1/ops/dead-letters/{deadLetterId}/replay",
            post(dead_letters_replay),
        )
        .route(
            "/v1/ops/dead-letters/{deadLetterId}/discard",
            post(dead_letters_discard),
        )
}

async fn dead_letters_list(
    State(state): State<AppState>,
    _: OpsReader,
    AppQuery(query): AppQuery<ListDeadLettersQuery>,
) -> AppResult<Json<DeadLetterPage>> {
    let limit = i64::from(query.limit.unwrap_or(50));
    let offset = decode_cursor(query.cursor.as_deref())?;
    let filter = dead_letters::Filter {
        status: query.status.map(|status| status.to_string()),
        consumer: query.consumer.as_deref(),
        event_type: query.event_type.map(|kind| kind.to_string()),
        error: query.error.as_deref(),
        failed_after: query
            .failed_after
            .as_deref()
            .map(|at| store::parse_timestamp("failedAfter", at))
            .transpose()?,
        failed_before: query
            .failed_before
            .as_deref()
            .map(|at| store::parse_timestamp("failedBefore", at))
            .transpose()?,
    };
    let (items, total) = dead_letters::list(&state.db, &filter, offset, limit + 1).await?;
    let (items, next_cursor) = page_of(items, offset, limit);
    Ok(Json(DeadLetterPage {
        items,
        next_cursor,
        total: Some(total),
        consumers: dead_letters::consumers(&state.db).await?,
    }))
}

async fn dead_letters_get(
    State(state): State<AppState>,
    _: OpsReader,
    AppPath(id): AppPath<String>,
) -> AppResult<Json<DeadLetter>> {
    Ok(Json(dead_letters::get(&state.db, &id).await?))
}

/// Hands a letter back to whoever failed it: the dispatcher, or the connector whose call it is.
async fn replay(
    state: &AppState,
    id: &str,
    by: &str,
    reason: Option<&str>,
) -> AppResult<DeadLetter> {
    let letter = dead_letters::resolve(&state.db, id, true, by, reason).await?;
    if let Some(connector) = connector_of_dead_letter(&letter.consumer) {
        marketplace_orders::unpark_call(&state.db, &letter.event.order_id).await?;
        state.connector_wakers.wake(connector);
    } else if let Some(endpoint) = webhooks::endpoint_of_dead_letter(&letter.consumer) {
        store::webhooks::rearm(&state.db, endpoint, &letter.event.id).await?;
    } else {
        state.outbox.wake_dispatcher();
    }
    Ok(letter)
}

async fn dead_letters_replay(
    State(state): State<AppState>,
    OpsCaller(caller): OpsCaller,
    AppPath(id): AppPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    AppQuery(query): AppQuery<ReplayDeadLetterQuery>,
) -> Response {
    idempotent(
        &state,
        "replayDeadLetter",
        &caller.token_hash,
        key,
        &json!({"id": id, "reason": query.reason}),
        || async {
            let letter = replay(&state, &id, &actor(&caller), query.reason.as_deref()).await?;
            Ok((StatusCode::ACCEPTED, Json(letter)).into_response())
        },
    )
    .await
}

async fn dead_letters_replay_batch(
    State(state): State<AppState>,
    OpsCaller(caller): OpsCaller,
    IdempotencyKey(key): IdempotencyKey,
    AppJson(request): AppJson<DeadLetterBatchReplay>,
) -> Response {
    idempotent(
        &state,
        "replayDeadLetters",
        &caller.token_hash,
        key,
        &request,
        || async {
            let reason = request.reason.trim();
            if reason.is_empty() {
                return Err(AppError::validation(vec![AppError::field(
                    "reason", "required", "say why",
                )]));
            }
            let event_type = request.event_type.map(|kind| kind.to_string());
            let limit = i64::from(request.limit.unwrap_or(20).clamp(1, 100));
            let ids = dead_letters::parked_matching(
                &state.db,
                request.consumer.as_deref(),
                event_type.as_deref(),
                limit,
            )
            .await?;
            let mut items = Vec::new();
            for id in ids {
                items.push(replay(&state, &id, &actor(&caller), Some(reason)).await?);
            }
            let result = DeadLetterBatchResult {
                replayed: items.len() as i32,
                items,
            };
            Ok((StatusCode::ACCEPTED, Json(result)).into_response())
        },
    )
    .await
}

async fn dead_letters_discard(
    State(state): State<AppState>,
    OpsCaller(caller): OpsCaller,
    AppPath(id): AppPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    AppQuery(query): AppQuery<DiscardDeadLetterQuery>,
) -> Response {
    idempotent(
        &state,
        "discardDeadLetter",
        &caller.token_hash,
        key,
        &json!({"id": id, "reason": query.reason}),
        || async {
            let reason = query
                .reason
                .as_deref()
                .map(str::trim)
                .filter(|reason| !reason.is_empty());
            let Some(reason) = reason else {
                return Err(AppError::validation(vec![AppError::field(
                    "reason",
                    "required",
                    "say why the event is discarded",
                )]));
            };
            Ok(Json(
                dead_letters::resolve(&state.db, &id, false, &actor(&caller), Some(reason)).await?,
            )
            .into_response())
        },
    )
    .await
}
