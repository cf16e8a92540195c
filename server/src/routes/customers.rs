//! Customer accounts: sign up, sign in, sign out, the profile, the export and erasure. The
//! rules live in `domain::customers`; sign-ins are limited per address (in `limits.rs`) and per
//! account (here, once the body names it).

use api_client::ListMyOrdersQuery;
use api_client::types::{
    Address, ConsentPurpose, MailList, OrderSummaryPage, SetConsentRequest, SignInRequest,
    SignUpRequest,
};
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};

use crate::domain::customers::{self, SignUp};
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppPath, AppQuery, Caller};
use crate::state::AppState;
use crate::store::customers::email_key;
use crate::store::tokens;
use crate::store::{decode_cursor, page_of};

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
        .route("/v1/customers/me/orders", get(customers_orders_list))
        .route("/v1/customers/me/mail", get(customers_mail_list))
        .route(
            "/v1/customers/me/addresses",
            get(customers_addresses_list).post(customers_addresses_create),
        )
        .route(
            "/v1/customers/me/addresses/{addressId}",
            delete(customers_addresses_delete),
        )
        .route("/v1/customers/me/consents", get(customers_consents_get))
        .route(
            "/v1/customers/me/consents/{purpose}",
            put(customers_consents_put),
        )
}

/// The shopper session a sign-up or sign-in comes from, whose carts the customer keeps.
fn adopted(caller: &Result<Caller, AppError>) -> Option<&str> {
    caller
        .as_ref()
        .ok()
        .filter(|caller| caller.role == tokens::Role::Shopper && caller.customer.is_none())
        .map(|caller| caller.token_hash.as_str())
}

async fn customers_sign_up(
    State(state): State<AppState>,
    caller: Result<Caller, AppError>,
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
        adopted(&caller),
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(session)).into_response())
}

async fn customers_sign_in(
    State(state): State<AppState>,
    caller: Result<Caller, AppError>,
    AppJson(request): AppJson<SignInRequest>,
) -> AppResult<Response> {
    if let Some(limits) = state.limits.as_deref() {
        limits.check_sign_in_account(&email_key(&request.email))?;
    }
    let session =
        customers::sign_in(&state, &request.email, &request.password, adopted(&caller)).await?;
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

async fn customers_addresses_list(
    State(state): State<AppState>,
    caller: Caller,
) -> AppResult<Response> {
    let addresses = customers::addresses(&state, caller.customer.as_ref()).await?;
    Ok(axum::Json(addresses).into_response())
}

async fn customers_addresses_create(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(address): AppJson<Address>,
) -> AppResult<Response> {
    let saved = customers::save_address(&state, caller.customer.as_ref(), &address).await?;
    Ok((StatusCode::CREATED, axum::Json(saved)).into_response())
}

async fn customers_addresses_delete(
    State(state): State<AppState>,
    caller: Caller,
    AppPath(address_id): AppPath<String>,
) -> AppResult<StatusCode> {
    customers::delete_address(&state, caller.customer.as_ref(), &address_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn customers_consents_get(
    State(state): State<AppState>,
    caller: Caller,
) -> AppResult<Response> {
    let consents = customers::consents(&state, caller.customer.as_ref()).await?;
    Ok(axum::Json(consents).into_response())
}

async fn customers_consents_put(
    State(state): State<AppState>,
    caller: Caller,
    AppPath(purpose): AppPath<ConsentPurpose>,
    AppJson(request): AppJson<SetConsentRequest>,
) -> AppResult<Response> {
    let consents =
        customers::set_consent(&state, caller.customer.as_ref(), purpose, request.granted).await?;
    Ok(axum::Json(consents).into_response())
}

async fn customers_orders_list(
    State(state): State<AppState>,
    caller: Caller,
    AppQuery(query): AppQuery<ListMyOrdersQuery>,
) -> AppResult<axum::Json<OrderSummaryPage>> {
    let limit = i64::from(query.limit.unwrap_or(20));
    let offset = decode_cursor(query.cursor.as_deref())?;
    let items = customers::orders(&state, caller.customer.as_ref(), offset, limit + 1).await?;
    let (items, next_cursor) = page_of(items, offset, limit);
    Ok(axum::Json(OrderSummaryPage { items, next_cursor }))
}

async fn customers_mail_list(
    State(state): State<AppState>,
    caller: Caller,
) -> AppResult<axum::Json<MailList>> {
    Ok(axum::Json(MailList {
        items: customers::mail(&state, caller.customer.as_ref()).await?,
    }))
}
