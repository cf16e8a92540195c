//! Outbound webhook endpoints: register one (its signing secret is shown once), list them, and
//! list an endpoint's deliveries. Role ops registers; ops-viewer reads.

use api_client::ListWebhookDeliveriesQuery;
use api_client::types::{WebhookDeliveryPage, WebhookEndpointList, WebhookEndpointRequest};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;

use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey, OpsCaller, OpsReader};
use crate::idempotency::idempotent;
use crate::routes::connectors::actor;
use crate::state::AppState;
use crate::store::{dead_letters, decode_cursor, page_of, webhooks};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/ops/webhooks", get(webhooks_list).post(webhooks_create))
        .route(
            "/v1/ops/webhooks/{endpointId}/deliveries",
            get(deliveries_list),
        )
        .route(
            "/v1/ops/webhooks/{endpointId}/deliveries/{deliveryId}/resend",
            post(deliveries_resend),
        )
}

async fn webhooks_list(
    State(state): State<AppState>,
    _: OpsReader,
) -> AppResult<Json<WebhookEndpointList>> {
    let items = webhooks::endpoints(&state.db)
        .await?
        .iter()
        .map(|endpoint| endpoint.to_contract(false))
        .collect();
    Ok(Json(WebhookEndpointList { items }))
}

/// `whsec_` and 24 random bytes (from two v4 UUIDs), base64.
fn new_secret() -> String {
    let mut bytes = uuid::Uuid::new_v4().as_bytes().to_vec();
    bytes.extend_from_slice(&uuid::Uuid::new_v4().as_bytes()[..8]);
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

async fn webhooks_create(
    State(state): State<AppState>,
    OpsCaller(caller): OpsCaller,
    IdempotencyKey(key): IdempotencyKey,
    AppJson(request): AppJson<WebhookEndpointRequest>,
) -> Response {
    idempotent(
        &state,
        "createWebhookEndpoint",
        &caller.token_hash,
        key,
        &request,
        || async {
            let url = request.url.trim();
            if reqwest::Url::parse(url)
                .map_or(true, |parsed| !matches!(parsed.scheme(), "http" | "https"))
            {
                return Err(AppError::validation(vec![AppError::field(
                    "url",
                    "format",
                    "an http or https URL",
                )]));
            }
            let endpoint = webhooks::create_endpoint(
                &state.db,
                url,
                request.description.as_deref(),
                &new_secret(),
                &request.event_types,
            )
            .await?;
            let location = format!("/v1/ops/webhooks/{}", endpoint.id);
            Ok(crate::routes::created(
                StatusCode::CREATED,
                &location,
                &endpoint.to_contract(true),
            ))
        },
    )
    .await
}

async fn deliveries_list(
    State(state): State<AppState>,
    _: OpsReader,
    AppPath(id): AppPath<String>,
    AppQuery(query): AppQuery<ListWebhookDeliveriesQuery>,
) -> AppResult<Json<WebhookDeliveryPage>> {
    webhooks::find_endpoint(&state.db, &id)
        .await?
        .ok_or_else(|| AppError::not_found("webhook endpoint"))?;
    let limit = i64::from(query.limit.unwrap_or(50));
    let offset = decode_cursor(query.cursor.as_deref())?;
    let rows = webhooks::deliveries(&state.db, &id, offset, limit + 1).await?;
    let (rows, next_cursor) = page_of(rows, offset, limit);
    Ok(Json(WebhookDeliveryPage {
        items: rows
            .iter()
            .map(webhooks::DeliveryRow::to_contract)
            .collect(),
        next_cursor,
    }))
}

/// Sends a delivery again now; a dead one's dead letter is marked replayed by whoever asked.
async fn deliveries_resend(
    State(state): State<AppState>,
    OpsCaller(caller): OpsCaller,
    AppPath((endpoint_id, delivery_id)): AppPath<(String, String)>,
    IdempotencyKey(key): IdempotencyKey,
) -> Response {
    idempotent(
        &state,
        "resendWebhookDelivery",
        &caller.token_hash,
        key,
        &(&endpoint_id, &delivery_id),
        || async {
            let endpoint = webhooks::find_endpoint(&state.db, &endpoint_id)
                .await?
                .ok_or_else(|| AppError::not_found("webhook endpoint"))?;
            if !endpoint.is_enabled() {
                return Err(AppError::conflict(
                    "conflict",
                    "The endpoint is disabled",
                    endpoint
                        .disabled_reason
                        .unwrap_or_else(|| "it was disabled".to_owned()),
                ));
            }
            let delivery = webhooks::resend(&state.db, &endpoint_id, &delivery_id)
                .await?
                .ok_or_else(|| AppError::not_found("webhook delivery"))?;
            let consumer = crate::webhooks::dead_letter_consumer(&endpoint_id);
            if let Some(letter) =
                dead_letters::parked_for(&state.db, &consumer, &delivery.event_id).await?
            {
                dead_letters::resolve(&state.db, &letter, true, &actor(&caller), Some("resent"))
                    .await?;
            }
            Ok((StatusCode::ACCEPTED, Json(delivery.to_contract())).into_response())
        },
    )
    .await
}
