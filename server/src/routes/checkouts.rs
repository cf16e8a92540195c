//! Checkout: start from a cart, collect contact, addresses and a shipping option, tokenise the
//! card with the simulated vault, and complete with the token under a required Idempotency-Key.

use api_client::types::{
    CardDetails, Checkout, CheckoutAddresses, CheckoutContact, CompleteCheckoutRequest,
    SelectShippingOptionRequest, ShippingOptionList, StartCheckoutRequest,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::json;

use crate::domain::carts::Owned;
use crate::domain::sealing::Sealer;
use crate::domain::{carts, checkouts, place_order};
use crate::error::AppResult;
use crate::extract::{AppJson, AppPath, Caller, IdempotencyKey, OrderIdempotencyKey};
use crate::idempotency::idempotent;
use crate::state::AppState;
use crate::store::payments;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/checkouts", post(checkouts_start))
        .route("/v1/checkouts/{checkoutId}", get(checkouts_get))
        .route(
            "/v1/checkouts/{checkoutId}/contact",
            put(checkouts_set_contact),
        )
        .route(
            "/v1/checkouts/{checkoutId}/addresses",
            put(checkouts_set_addresses),
        )
        .route(
            "/v1/checkouts/{checkoutId}/shipping-options",
            get(checkouts_shipping_options),
        )
        .route(
            "/v1/checkouts/{checkoutId}/shipping-option",
            put(checkouts_select_shipping),
        )
        .route(
            "/v1/checkouts/{checkoutId}/complete",
            post(checkouts_complete),
        )
        .route("/v1/payments/tokens", post(payments_tokenize))
}

/// The signed-in caller's sealer for their checkout (`None` for a guest).
async fn customer_sealer(
    state: &AppState,
    caller: &Caller,
    checkout_id: &str,
) -> AppResult<Option<Sealer>> {
    checkouts::sealer_for(
        &state.db,
        &state.regions,
        checkout_id,
        caller.customer.as_ref(),
    )
    .await
}

fn ok(checkout: Checkout) -> Response {
    Json(checkout).into_response()
}

async fn checkouts_start(
    State(state): State<AppState>,
    caller: Caller,
    IdempotencyKey(key): IdempotencyKey,
    AppJson(request): AppJson<StartCheckoutRequest>,
) -> AppResult<Response> {
    carts::check_owner(&state.db, caller.owner(), Owned::Cart(&request.cart_id)).await?;
    Ok(idempotent(
        &state,
        "startCheckout",
        &caller.token_hash,
        key,
        &request,
        || async {
            let (checkout, created) =
                checkouts::start_checkout(&state.db, &request.cart_id, request.cart_version)
                    .await?;
            let status = if created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok(super::created(
                status,
                &format!("/v1/checkouts/{}", checkout.id),
                &checkout,
            ))
        },
    )
    .await)
}

async fn checkouts_get(
    State(state): State<AppState>,
    caller: Caller,
    AppPath(checkout_id): AppPath<String>,
) -> AppResult<Json<Checkout>> {
    carts::check_owner(&state.db, caller.owner(), Owned::Checkout(&checkout_id)).await?;
    Ok(Json(
        checkouts::load_checkout(&state.db, &checkout_id).await?,
    ))
}

async fn checkouts_set_contact(
    State(state): State<AppState>,
    caller: Caller,
    AppPath(checkout_id): AppPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    AppJson(contact): AppJson<CheckoutContact>,
) -> AppResult<Response> {
    let fingerprint = json!({"checkout": checkout_id, "contact": contact});
    carts::check_owner(&state.db, caller.owner(), Owned::Checkout(&checkout_id)).await?;
    Ok(idempotent(
        &state,
        "updateCheckoutContact",
        &caller.token_hash,
        key,
        &fingerprint,
        || async {
            let sealer = customer_sealer(&state, &caller, &checkout_id).await?;
            checkouts::update_contact(&state.db, &checkout_id, &contact.email, sealer.as_ref())
                .await
                .map(ok)
        },
    )
    .await)
}

async fn checkouts_set_addresses(
    State(state): State<AppState>,
    caller: Caller,
    AppPath(checkout_id): AppPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    AppJson(addresses): AppJson<CheckoutAddresses>,
) -> AppResult<Response> {
    let fingerprint = json!({"checkout": checkout_id, "addresses": addresses});
    carts::check_owner(&state.db, caller.owner(), Owned::Checkout(&checkout_id)).await?;
    Ok(idempotent(
        &state,
        "updateCheckoutAddresses",
        &caller.token_hash,
        key,
        &fingerprint,
        || async {
            let sealer = customer_sealer(&state, &caller, &checkout_id).await?;
            checkouts::update_addresses(
                &state.db,
                &checkout_id,
                &addresses.shipping_address,
                addresses.billing_address.as_ref(),
                sealer.as_ref(),
            )
            .await
            .map(ok)
        },
    )
    .await)
}

async fn checkouts_shipping_options(
    State(state): State<AppState>,
    caller: Caller,
    AppPath(checkout_id): AppPath<String>,
) -> AppResult<Json<ShippingOptionList>> {
    carts::check_owner(&state.db, caller.owner(), Owned::Checkout(&checkout_id)).await?;
    Ok(Json(ShippingOptionList {
        items: checkouts::list_shipping_options(&state.db, &checkout_id).await?,
    }))
}

async fn checkouts_select_shipping(
    State(state): State<AppState>,
    caller: Caller,
    AppPath(checkout_id): AppPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    AppJson(request): AppJson<SelectShippingOptionRequest>,
) -> AppResult<Response> {
    let fingerprint = json!({"checkout": checkout_id, "option": request.shipping_option_id});
    carts::check_owner(&state.db, caller.owner(), Owned::Checkout(&checkout_id)).await?;
    Ok(idempotent(
        &state,
        "selectShippingOption",
        &caller.token_hash,
        key,
        &fingerprint,
        || async {
            checkouts::select_shipping_option(&state.db, &checkout_id, &request.shipping_option_id)
                .await
                .map(ok)
        },
    )
    .await)
}

/// Places the order exactly once per Idempotency-Key and answers 202: payment, stock and
/// confirmation follow asynchronously as events.
async fn checkouts_complete(
    State(state): State<AppState>,
    caller: Caller,
    AppPath(checkout_id): AppPath<String>,
    OrderIdempotencyKey(key): OrderIdempotencyKey,
    AppJson(request): AppJson<CompleteCheckoutRequest>,
) -> AppResult<Response> {
    carts::check_owner(&state.db, caller.owner(), Owned::Checkout(&checkout_id)).await?;
    let fingerprint = json!({"checkout": checkout_id, "paymentToken": request.payment_token});
    let scope = crate::idempotency::scope(COMPLETE_CHECKOUT, &caller.token_hash);
    Ok(idempotent(
        &state,
        COMPLETE_CHECKOUT,
        &caller.token_hash,
        Some(key.clone()),
        &fingerprint,
        || async {
            // A guest's checkout completed by a customer who signed in meanwhile is theirs.
            customer_sealer(&state, &caller, &checkout_id).await?;
            let order = place_order::complete(
                &state.writer,
                &state.outbox,
                &checkout_id,
                &request.payment_token,
                Some((&scope, &key)),
            )
            .await?;
            Ok(super::created(
                StatusCode::ACCEPTED,
                &format!("/v1/orders/{}", order.id),
                &order,
            ))
        },
    )
    .await)
}

const COMPLETE_CHECKOUT: &str = "completeCheckout";

async fn payments_tokenize(
    State(state): State<AppState>,
    caller: Caller,
    IdempotencyKey(key): IdempotencyKey,
    AppJson(card): AppJson<CardDetails>,
) -> Response {
    // The fingerprint is a hash of the card, so stored keys never hold the number itself.
    let fingerprint = crate::store::tokens::hash(&serde_json::to_string(&card).unwrap_or_default());
    idempotent(
        &state,
        "tokenizeCard",
        &caller.token_hash,
        key,
        &fingerprint,
        || async {
            let token = payments::tokenize_card(&state.db, &card).await?;
            Ok(super::created(
                StatusCode::CREATED,
                "/v1/payments/tokens",
                &token,
            ))
        },
    )
    .await
}
