//! Ops on marketplace connectors: health, pause and resume (with who and why), sync now or
//! re-import since a time, the stock buffer, the listings' sync state and the order import log.
//! Role ops acts; ops-viewer reads.

use api_client::types::{
    Connector, ConnectorActionRequest, ConnectorActivity, ConnectorList, ConnectorListingPage,
    ConnectorSyncRequest, MarketplaceOrderImportPage, OpsSession, OpsSessionRole,
    StockBufferRequest,
};
use api_client::{
    GetConnectorActivityQuery, ListConnectorListingsQuery, ListMarketplaceOrderImportsQuery,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppPath, AppQuery, Caller, IdempotencyKey, OpsCaller, OpsReader};
use crate::idempotency::idempotent;
use crate::state::AppState;
use crate::store::tokens::Role;
use crate::store::{
    connector_health, connectors, decode_cursor, marketplace_orders, page_of, timestamp,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/ops/session", get(session_get))
        .route("/v1/ops/connectors", get(connectors_list))
        .route("/v1/ops/connectors/{connectorId}", get(connectors_get))
        .route(
            "/v1/ops/connectors/{connectorId}/pause",
            post(connectors_set_paused::<true>),
        )
        .route(
            "/v1/ops/connectors/{connectorId}/resume",
            post(connectors_set_paused::<false>),
        )
        .route(
            "/v1/ops/connectors/{connectorId}/sync",
            post(connectors_sync),
        )
        .route(
            "/v1/ops/connectors/{connectorId}/stock-buffer",
            put(connectors_set_stock_buffer),
        )
        .route(
            "/v1/ops/connectors/{connectorId}/activity",
            get(activity_get),
        )
        .route(
            "/v1/ops/connectors/{connectorId}/listings",
            get(listings_list),
        )
        .route(
            "/v1/ops/connectors/{connectorId}/imports",
            get(imports_list),
        )
}

/// Who acted, as the audit trail names them: the ops token, by its hash's prefix.
pub(crate) fn actor(caller: &Caller) -> String {
    format!(
        "ops:{}",
        &caller.token_hash[..12.min(caller.token_hash.len())]
    )
}

async fn connector_of(state: &AppState, id: &str) -> AppResult<Connector> {
    let row = connectors::find(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found("connector"))?;
    Ok(connector_health::to_contract(&state.db, &row).await?)
}

/// Which role the token has, so a console can show a viewer's actions as disabled.
async fn session_get(OpsReader(caller): OpsReader) -> Json<OpsSession> {
    Json(OpsSession {
        role: if caller.role == Role::Ops {
            OpsSessionRole::Ops
        } else {
            OpsSessionRole::OpsViewer
        },
        actor: actor(&caller),
    })
}

async fn activity_get(
    State(state): State<AppState>,
    _: OpsReader,
    AppPath(id): AppPath<String>,
    AppQuery(query): AppQuery<GetConnectorActivityQuery>,
) -> AppResult<Json<ConnectorActivity>> {
    connector_of(&state, &id).await?;
    let hours =
        connector_health::activity(&state.db, &id, i64::from(query.hours.unwrap_or(24))).await?;
    Ok(Json(ConnectorActivity {
        connector_id: id,
        hours,
    }))
}

async fn connectors_list(
    State(state): State<AppState>,
    _: OpsReader,
) -> AppResult<Json<ConnectorList>> {
    Ok(Json(ConnectorList {
        items: connector_health::all(&state.db).await?,
    }))
}

async fn connectors_get(
    State(state): State<AppState>,
    _: OpsReader,
    AppPath(id): AppPath<String>,
) -> AppResult<Json<Connector>> {
    Ok(Json(connector_of(&state, &id).await?))
}

pub(crate) fn reason_of(request: &ConnectorActionRequest) -> AppResult<String> {
    let reason = request.reason.trim();
    if reason.is_empty() {
        return Err(AppError::validation(vec![AppError::field(
            "reason", "required", "say why",
        )]));
    }
    Ok(reason.to_owned())
}

/// `pause` (`PAUSED`) or `resume`, with who and why.
async fn connectors_set_paused<const PAUSED: bool>(
    State(state): State<AppState>,
    OpsCaller(caller): OpsCaller,
    AppPath(id): AppPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    AppJson(request): AppJson<ConnectorActionRequest>,
) -> Response {
    set_paused(state, caller, id, key, request, PAUSED).await
}

async fn set_paused(
    state: AppState,
    caller: Caller,
    id: String,
    key: Option<String>,
    request: ConnectorActionRequest,
    paused: bool,
) -> Response {
    let operation = if paused {
        "pauseConnector"
    } else {
        "resumeConnector"
    };
    idempotent(
        &state,
        operation,
        &caller.token_hash,
        key,
        &(&id, &request),
        || async {
            let reason = reason_of(&request)?;
            connector_of(&state, &id).await?;
            connectors::set_paused(&state.writer, &id, paused, &actor(&caller), &reason).await?;
            state.connector_wakers.wake(&id);
            Ok(Json(connector_of(&state, &id).await?).into_response())
        },
    )
    .await
}

async fn connectors_sync(
    State(state): State<AppState>,
    OpsCaller(caller): OpsCaller,
    AppPath(id): AppPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    AppJson(request): AppJson<ConnectorSyncRequest>,
) -> Response {
    idempotent(
        &state,
        "syncConnector",
        &caller.token_hash,
        key,
        &(&id, &request),
        || async {
            let connector = connector_of(&state, &id).await?;
            if connector.paused {
                return Err(AppError::conflict(
                    "conflict",
                    "The connector is paused",
                    "resume it first",
                ));
            }
            let reason = request
                .reason
                .clone()
                .unwrap_or_else(|| "sync now".to_owned());
            if let Some(since) = &request.since {
                let since = OffsetDateTime::parse(since, &Rfc3339).map_err(|_| {
                    AppError::validation(vec![AppError::field(
                        "since",
                        "format",
                        "an RFC 3339 date-time",
                    )])
                })?;
                connectors::reimport_since(
                    &state.writer,
                    &id,
                    &timestamp(since),
                    &actor(&caller),
                    &reason,
                )
                .await?;
            } else {
                connectors::record_action(
                    &mut *state.writer.acquire().await?,
                    &id,
                    "sync",
                    &actor(&caller),
                    &reason,
                )
                .await?;
            }
            state.connector_wakers.wake(&id);
            Ok((StatusCode::ACCEPTED, Json(connector_of(&state, &id).await?)).into_response())
        },
    )
    .await
}

async fn connectors_set_stock_buffer(
    State(state): State<AppState>,
    OpsCaller(caller): OpsCaller,
    AppPath(id): AppPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    AppJson(request): AppJson<StockBufferRequest>,
) -> Response {
    let fingerprint = (&id, &request);
    idempotent(
        &state,
        "setConnectorStockBuffer",
        &caller.token_hash,
        key,
        &fingerprint,
        || async {
            let reason = request.reason.trim();
            if reason.is_empty() {
                return Err(AppError::validation(vec![AppError::field(
                    "reason", "required", "say why",
                )]));
            }
            connector_of(&state, &id).await?;
            let (percent, keep_back) = (i64::from(request.percent), i64::from(request.keep_back));
            connectors::set_stock_buffer(
                &state.writer,
                &id,
                percent,
                keep_back,
                &actor(&caller),
                reason,
            )
            .await?;
            state.connector_wakers.wake(&id);
            Ok(Json(connector_of(&state, &id).await?).into_response())
        },
    )
    .await
}

async fn listings_list(
    State(state): State<AppState>,
    _: OpsReader,
    AppPath(id): AppPath<String>,
    AppQuery(query): AppQuery<ListConnectorListingsQuery>,
) -> AppResult<Json<ConnectorListingPage>> {
    connector_of(&state, &id).await?;
    let limit = i64::from(query.limit.unwrap_or(100));
    let offset = decode_cursor(query.cursor.as_deref())?;
    let state_filter = query.state.map(|state| state.to_string());
    let rows = connectors::listings(
        &state.db,
        &id,
        state_filter.as_deref(),
        query.sku.as_deref(),
        offset,
        limit + 1,
    )
    .await?;
    let (rows, next_cursor) = page_of(rows, offset, limit);
    Ok(Json(ConnectorListingPage {
        items: rows
            .iter()
            .map(connectors::ListingRow::to_contract)
            .collect(),
        next_cursor,
    }))
}

async fn imports_list(
    State(state): State<AppState>,
    _: OpsReader,
    AppPath(id): AppPath<String>,
    AppQuery(query): AppQuery<ListMarketplaceOrderImportsQuery>,
) -> AppResult<Json<MarketplaceOrderImportPage>> {
    connector_of(&state, &id).await?;
    let limit = i64::from(query.limit.unwrap_or(50));
    let offset = decode_cursor(query.cursor.as_deref())?;
    let rows = marketplace_orders::page(&state.db, &id, offset, limit + 1).await?;
    let (rows, next_cursor) = page_of(rows, offset, limit);
    Ok(Json(MarketplaceOrderImportPage {
        items: rows
            .iter()
            .map(marketplace_orders::ImportRow::to_contract)
            .collect(),
        next_cursor,
    }))
}
