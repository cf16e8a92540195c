//! The kiosk channel's pages: `/kiosk` sets a browser up as a kiosk (a `ts_kiosk` cookie, not
//! personal) and is the document its service worker keeps for booting offline; every shell page
//! of a kiosk loads `/kiosk.js`; `/sw.js` is the service worker. Both scripts are compiled in from
//! `shell/src/`, the kiosk module (`kiosk-sale.js`, then `kiosk.js`) with the storage names it
//! shares with the kit prepended.
//! `/kiosk?exit` undoes the set-up (the module unregisters the worker and drops its copies).
//! `api_router` serves the kiosks' policy, which operators set (the kill switch).

use api_client::types::{KioskOrderRequest, KioskPolicy, KioskPolicyUpdate};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use micro_app::{EventKind, storage};

use crate::domain::{kiosk, kiosk_orders};
use crate::edge::shell_page;
use crate::error::AppResult;
use crate::extract::{AppJson, IdempotencyKey, OpsCaller, OrderIdempotencyKey};
use crate::idempotency::idempotent;
use crate::state::AppState;

/// The cookie that marks a kiosk: the server adds the kiosk module to its pages.
pub const KIOSK_COOKIE: &str = "ts_kiosk";
const KIOSK_MODULE: &str = include_str!("../../../shell/src/kiosk.js");
/// The till, first in the module: `kiosk.js` starts the kiosk as it ends.
const KIOSK_SALE: &str = include_str!("../../../shell/src/kiosk-sale.js");
const SERVICE_WORKER: &str = include_str!("../../../shell/src/sw.js");
const MODULE_TAG: &str = "<script type=\"module\" src=\"/kiosk.js\"></script>";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/kiosk", get(kiosk_page))
        .route("/kiosk.js", get(kiosk_module))
        .route("/sw.js", get(service_worker))
}

/// The header the kiosk's service worker sends when it copies pages: it sends no cookies (the
/// copies are for no visitor in particular), and they must load the kiosk module too.
pub const KIOSK_HEADER: &str = "x-tessera-kiosk";

/// A kiosk's page request: its cookie, or its service worker copying a page.
pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/v1/kiosk/policy", get(policy_get))
        .route("/v1/ops/kiosk/policy", put(policy_set))
        .route("/v1/kiosk/orders", post(order_place))
}

/// Never cached: a closed kiosk closes at its next read.
async fn policy_get(State(state): State<AppState>) -> AppResult<Response> {
    let policy: KioskPolicy = kiosk::policy(&state.db, &state.kiosk_key).await?;
    Ok(([(header::CACHE_CONTROL, "no-cache")], Json(policy)).into_response())
}

async fn policy_set(
    State(state): State<AppState>,
    OpsCaller(caller): OpsCaller,
    IdempotencyKey(key): IdempotencyKey,
    AppJson(update): AppJson<KioskPolicyUpdate>,
) -> Response {
    idempotent(
        &state,
        "setKioskPolicy",
        &caller.token_hash,
        key,
        &update,
        || async {
            let actor = super::connectors::actor(&caller);
            let policy = kiosk::set_policy(&state.db, &state.kiosk_key, &update, &actor).await?;
            Ok(Json(policy).into_response())
        },
    )
    .await
}

const PLACE_KIOSK_ORDER: &str = "placeKioskOrder";
/// Kiosk orders' keys are scoped to all kiosks, not to a session: a kiosk's session ends with
/// every shopper (and every reboot), its queued orders' keys do not.
const KIOSKS: &str = "kiosks";

/// Places a kiosk's order exactly once per Idempotency-Key and answers 202 like a checkout.
async fn order_place(
    State(state): State<AppState>,
    OrderIdempotencyKey(key): OrderIdempotencyKey,
    AppJson(request): AppJson<KioskOrderRequest>,
) -> Response {
    let counter = match kiosk_orders::pickup_counter(&state.db).await {
        Ok(counter) => counter,
        Err(error) => return error.into_response(),
    };
    let scope = crate::idempotency::scope(PLACE_KIOSK_ORDER, KIOSKS);
    idempotent(
        &state,
        PLACE_KIOSK_ORDER,
        KIOSKS,
        Some(key.clone()),
        &request,
        || async {
            let order = kiosk_orders::place(&state, &request, &counter, (&scope, &key)).await?;
            Ok(super::created(
                StatusCode::ACCEPTED,
                &format!("/v1/orders/{}", order.id),
                &order,
            ))
        },
    )
    .await
}

pub fn is_kiosk(headers: &HeaderMap) -> bool {
    headers.contains_key(KIOSK_HEADER) || super::shell::cookie(headers, KIOSK_COOKIE) == Some("1")
}

/// The page marked as a kiosk's (`<html data-kiosk>`, which apps read when they mount), with the
/// kiosk module after everything else in its head.
pub fn with_kiosk_module(html: &str) -> String {
    let html = html.replacen("<html", "<html data-kiosk", 1);
    match html.find("</head>") {
        Some(at) => format!("{}{MODULE_TAG}{}", &html[..at], &html[at..]),
        None => format!("{MODULE_TAG}{html}"),
    }
}

#[derive(serde::Deserialize)]
struct KioskQuery {
    exit: Option<String>,
}

async fn kiosk_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    Query(query): Query<KioskQuery>,
) -> Response {
    let mut response = super::shell::render(&state, &headers, &uri, true).await;
    let max_age = if query.exit.is_some() { 0 } else { 31_536_000 };
    if let Ok(cookie) = HeaderValue::from_str(&format!(
        "{KIOSK_COOKIE}=1; Path=/; Max-Age={max_age}; SameSite=Lax"
    )) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

/// Revalidated on every load (`no-cache`): a kiosk picks up a new module with the next page.
fn script(body: String, policy: Option<String>) -> Response {
    let mut response = (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response();
    if let Some(policy) = policy.and_then(|policy| HeaderValue::from_str(&policy).ok()) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    response
}

async fn kiosk_module() -> Response {
    let sale = EventKind::KioskSaleRequested;
    let names = serde_json::json!({
        "shellPrefix": storage::SHELL_PREFIX,
        "visitorCookie": storage::VISITOR_COOKIE,
        "saleEvent": sale.dom_name(),
        "saleFields": sale
            .fields()
            .iter()
            .map(|(name, wire)| ((*name).to_owned(), serde_json::Value::from(*wire)))
            .collect::<serde_json::Map<_, _>>(),
    });
    script(
        format!("const KIOSK = {names};\n{KIOSK_SALE}\n{KIOSK_MODULE}"),
        None,
    )
}

/// The worker's own policy: it fetches from this origin and the release origins only.
async fn service_worker(State(state): State<AppState>) -> Response {
    let policy = shell_page::content_security_policy("", &state.config.release_origins);
    script(SERVICE_WORKER.to_owned(), Some(policy))
}
