//! Carts: create, read, and versioned writes (lines and promotion). Every write sends the version
//! it was based on in `If-Match`; see `store::carts` for the concurrency rules.

use api_client::types::{
    AddCartLineRequest, ApplyPromotionRequest, Cart, CreateCartRequest, UpdateCartLineRequest,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post, put};
use axum::{Json, Router};
use serde_json::json;

use crate::domain::carts::{self, Owned};
use crate::error::AppResult;
use crate::extract::{AppJson, AppPath, Caller, IdempotencyKey, IfMatch};
use crate::idempotency::idempotent;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/carts", post(carts_create))
        .route("/v1/carts/{cartId}", get(carts_get))
        .route("/v1/carts/{cartId}/lines", post(carts_add_line))
        .route(
            "/v1/carts/{cartId}/lines/{lineId}",
            patch(carts_update_line).delete(carts_remove_line),
        )
        .route(
            "/v1/carts/{cartId}/promotion",
            put(carts_apply_promotion).delete(carts_remove_promotion),
        )
}

fn ok(cart: Cart) -> Response {
    Json(cart).into_response()
}

async fn carts_create(
    State(state): State<AppState>,
    caller: Caller,
    IdempotencyKey(key): IdempotencyKey,
    AppJson(request): AppJson<CreateCartRequest>,
) -> Response {
    idempotent(
        &state,
        "createCart",
        &caller.token_hash,
        key,
        &request,
        || async {
            let cart = carts::create(
                &state.writer,
                &caller.token_hash,
                request.currency.as_deref().unwrap_or("USD"),
                &request.lines,
                carts::StockCheck::Now,
            )
            .await?;
            Ok(super::created(
                StatusCode::CREATED,
                &format!("/v1/carts/{}", cart.id),
                &cart,
            ))
        },
    )
    .await
}

async fn carts_get(
    State(state): State<AppState>,
    caller: Caller,
    AppPath(cart_id): AppPath<String>,
) -> AppResult<Json<Cart>> {
    carts::check_owner(&state.db, caller.owner(), Owned::Cart(&cart_id)).await?;
    Ok(Json(carts::load(&state.db, &cart_id).await?))
}

async fn carts_add_line(
    State(state): State<AppState>,
    caller: Caller,
    AppPath(cart_id): AppPath<String>,
    IfMatch(version): IfMatch,
    IdempotencyKey(key): IdempotencyKey,
    AppJson(line): AppJson<AddCartLineRequest>,
) -> AppResult<Response> {
    let fingerprint = json!({"cart": cart_id, "version": version, "line": line});
    carts::check_owner(&state.db, caller.owner(), Owned::Cart(&cart_id)).await?;
    Ok(idempotent(
        &state,
        "addCartLine",
        &caller.token_hash,
        key,
        &fingerprint,
        || async {
            carts::add_line(&state.writer, &cart_id, version, &line)
                .await
                .map(ok)
        },
    )
    .await)
}

async fn carts_update_line(
    State(state): State<AppState>,
    caller: Caller,
    AppPath((cart_id, line_id)): AppPath<(String, String)>,
    IfMatch(version): IfMatch,
    IdempotencyKey(key): IdempotencyKey,
    AppJson(update): AppJson<UpdateCartLineRequest>,
) -> AppResult<Response> {
    let fingerprint =
        json!({"cart": cart_id, "line": line_id, "version": version, "update": update});
    carts::check_owner(&state.db, caller.owner(), Owned::Cart(&cart_id)).await?;
    Ok(idempotent(
        &state,
        "updateCartLine",
        &caller.token_hash,
        key,
        &fingerprint,
        || async {
            carts::update_line(&state.writer, &cart_id, version, &line_id, update.quantity)
                .await
                .map(ok)
        },
    )
    .await)
}

async fn carts_remove_line(
    State(state): State<AppState>,
    caller: Caller,
    AppPath((cart_id, line_id)): AppPath<(String, String)>,
    IfMatch(version): IfMatch,
    IdempotencyKey(key): IdempotencyKey,
) -> AppResult<Response> {
    let fingerprint = json!({"cart": cart_id, "line": line_id, "version": version});
    carts::check_owner(&state.db, caller.owner(), Owned::Cart(&cart_id)).await?;
    Ok(idempotent(
        &state,
        "removeCartLine",
        &caller.token_hash,
        key,
        &fingerprint,
        || async {
            carts::remove_line(&state.writer, &cart_id, version, &line_id)
                .await
                .map(ok)
        },
    )
    .await)
}

async fn carts_apply_promotion(
    State(state): State<AppState>,
    caller: Caller,
    AppPath(cart_id): AppPath<String>,
    IfMatch(version): IfMatch,
    IdempotencyKey(key): IdempotencyKey,
    AppJson(request): AppJson<ApplyPromotionRequest>,
) -> AppResult<Response> {
    let fingerprint = json!({"cart": cart_id, "version": version, "code": request.code});
    carts::check_owner(&state.db, caller.owner(), Owned::Cart(&cart_id)).await?;
    Ok(idempotent(
        &state,
        "applyPromotion",
        &caller.token_hash,
        key,
        &fingerprint,
        || async {
            carts::apply_promotion(&state.writer, &cart_id, version, &request.code)
                .await
                .map(ok)
        },
    )
    .await)
}

async fn carts_remove_promotion(
    State(state): State<AppState>,
    caller: Caller,
    AppPath(cart_id): AppPath<String>,
    IfMatch(version): IfMatch,
    IdempotencyKey(key): IdempotencyKey,
) -> AppResult<Response> {
    let fingerprint = json!({"cart": cart_id, "version": version});
    carts::check_owner(&state.db, caller.owner(), Owned::Cart(&cart_id)).await?;
    Ok(idempotent(
        &state,
        "removePromotion",
        &caller.token_hash,
        key,
        &fingerprint,
        || async {
            carts::remove_promotion(&state.writer, &cart_id, version)
                .await
                .map(ok)
        },
    )
    .await)
}
