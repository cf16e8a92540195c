//! Shopper sessions: a bearer token with the shopper role for a (possibly returning) visitor.

use std::time::Duration;

use api_client::types::{CreateSessionRequest, Role as ContractRole, Session};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;

use crate::error::AppError;
use crate::extract::{AppJson, IdempotencyKey};
use crate::idempotency::idempotent;
use crate::state::AppState;
use crate::store::later;
use crate::store::tokens::{self, Role};

const SESSION_LIFETIME: Duration = Duration::from_secs(30 * 24 * 3600);

pub fn router() -> Router<AppState> {
    Router::new().route("/v1/sessions", post(sessions_create))
}

async fn sessions_create(
    State(state): State<AppState>,
    IdempotencyKey(key): IdempotencyKey,
    AppJson(request): AppJson<CreateSessionRequest>,
) -> Response {
    let fingerprint = serde_json::to_value(&request).unwrap_or_default();
    idempotent(
        &state,
        "createSession",
        "anonymous",
        key,
        &fingerprint,
        || async {
            let visitor_id = match request.visitor_id {
                Some(id) if uuid::Uuid::parse_str(&id).is_ok() => id.to_lowercase(),
                Some(_) => {
                    return Err(AppError::validation(vec![AppError::field(
                        "visitorId",
                        "invalid_format",
                        "must be a UUID",
                    )]));
                }
                None => uuid::Uuid::new_v4().to_string(),
            };
            let token = tokens::generate();
            let expires_at = later(SESSION_LIFETIME);
            tokens::insert_token(
                &state.db,
                &token,
                Role::Shopper,
                &visitor_id,
                Some(&expires_at),
            )
            .await?;
            Ok(super::created(
                StatusCode::CREATED,
                "/v1/sessions",
                &Session {
                    token,
                    role: ContractRole::Shopper,
                    visitor_id,
                    expires_at,
                },
            ))
        },
    )
    .await
}
