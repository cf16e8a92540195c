//! Customer accounts: sign up, sign in, sign out, the profile, the export and erasure. The
//! rules live in `domain::customers`; sign-ins are limited per address (in `limits.rs`) and per
//! account (here, once the body names it).

use api_client::types::{SignInRequest, SignUpRequest};
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::domain::customers::{self, SignUp};
use crate::error::AppResult;
use crate::extract::{AppJson, Caller};
use crate::state::AppState;
use crate::store::customers::email_key;
use crate::store::tokens;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/customers", post(customers_sign_up))
        .route("/v1/customers/sign-in", post(customers_sign_in))
        .route("/v1/customers/sign-out", post(customers_sign_out))
        .route(
            "/v1/customers/me",
            get(customers_me_get).delete(customers_me_delete),
        )
        .route("/v1/customers/me/export", get(customers_me_export))
}

async fn customers_sign_up(
    State(state): State<AppState>,
    AppJson(request): AppJson<SignUpRequest>,
) -> AppResult<Response> {
    let session = customers::sign_up(
        &state,
        &SignUp {
            email: &request.email,
            password: &request.password,
            name: &request.name,
            country: &request.country,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(session)).into_response())
}

async fn customers_sign_in(
    State(state): State<AppState>,
    AppJson(request): AppJson<SignInRequest>,
) -> AppResult<Response> {
    if let Some(limits) = state.limits.as_deref() {
        limits.check_sign_in_account(&email_key(&request.email))?;
    }
    let session = customers::sign_in(&state, &request.email, &request.password).await?;
    Ok(axum::Json(session).into_response())
}

/// Only a customer's token signs out: a shopper's or an operator's is not a sign-in.
async fn customers_sign_out(
    State(state): State<AppState>,
    caller: Caller,
) -> AppResult<StatusCode> {
    customers::me(&state, caller.customer.as_ref()).await?;
    tokens::revoke(&state.db, &caller.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn customers_me_get(State(state): State<AppState>, caller: Caller) -> AppResult<Response> {
    let customer = customers::me(&state, caller.customer.as_ref()).await?;
    Ok(axum::Json(customer).into_response())
}

async fn customers_me_export(State(state): State<AppState>, caller: Caller) -> AppResult<Response> {
    let export = customers::export(&state, caller.customer.as_ref()).await?;
    let disposition = format!(
        "attachment; filename=\"tessera-data-{}.json\"",
        export.customer.id
    );
    Ok((
        [(header::CONTENT_DISPOSITION, disposition)],
        axum::Json(export),
    )
        .into_response())
}

async fn customers_me_delete(
    State(state): State<AppState>,
    caller: Caller,
) -> AppResult<StatusCode> {
    customers::erase(&state, caller.customer.as_ref()).await?;
    Ok(StatusCode::NO_CONTENT)
}
