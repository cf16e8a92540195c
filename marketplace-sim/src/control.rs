//! The control API, like the sandboxes marketplaces offer, for tests and demos:
//! - `PUT /control/webhook {baseUrl, secret}`: where notifications go (`DELETE` stops them).
//! - `POST /control/{marketplace}/orders {lines: [{sku, quantity}], allowOversell?}`: a buyer
//!   orders; `201` with the order, notified to the shop.
//! - `POST /control/{marketplace}/orders/{id}/cancel {reason}`: the buyer cancels; notified.
//! - `PUT /control/{marketplace}/listings/{sku} {quantity?, priceMinor?, rejectReason?}`: change
//!   the marketplace's own stock or price (drift), or make it refuse updates of that SKU.
//! - `PUT /control/{marketplace}/faults {dropNotifications, duplicateNotifications, errorRate,
//!   hangRate, hangSeconds, throttleFactor}`.
//! - `PUT /control/{marketplace}/throttles/{orders|stock|actions} {perSecond, burst}`.
//! - `PUT /control/{marketplace}/quota {scale}`: a seller account allowed `scale` times the
//!   default throttles (resets throttles set one by one).
//! - `PUT /control/{marketplace}/timing {listingDelayMs?, acknowledgeWithinMs?, feedProcessingMs?}`.
//! - `GET /control/{marketplace}`: listings, orders and counters.

use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use time::OffsetDateTime;

use crate::api::CancelBody;
use crate::gate::{Answer, kind_of};
use crate::market::{Endpoint, Faults, Listing};
use crate::{Simulator, WebhookTarget};

pub fn router() -> Router<Simulator> {
    Router::new()
        .route("/control/webhook", put(webhook_set).delete(webhook_clear))
        .route("/control/{marketplace}", get(state_get))
        .route("/control/{marketplace}/orders", post(order_create))
        .route(
            "/control/{marketplace}/orders/{orderId}/cancel",
            post(order_cancel),
        )
        .route("/control/{marketplace}/listings/{sku}", put(listing_set))
        .route("/control/{marketplace}/faults", put(faults_set))
        .route(
            "/control/{marketplace}/throttles/{endpoint}",
            put(throttle_set),
        )
        .route("/control/{marketplace}/quota", put(quota_set))
        .route("/control/{marketplace}/timing", put(timing_set))
}

fn bad_request(message: impl Into<String>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"message": message.into()})),
    )
        .into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WebhookBody {
    base_url: String,
    secret: String,
}

async fn webhook_set(State(simulator): State<Simulator>, Json(body): Json<WebhookBody>) -> Answer {
    if standardwebhooks::Webhook::new(&body.secret).is_err() {
        return Err(bad_request("secret must be whsec_<base64>"));
    }
    simulator.set_webhook(Some(WebhookTarget {
        base_url: body.base_url,
        secret: body.secret,
    }));
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn webhook_clear(State(simulator): State<Simulator>) -> Answer {
    simulator.set_webhook(None);
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn state_get(State(simulator): State<Simulator>, Path(marketplace): Path<String>) -> Answer {
    let kind = kind_of(&marketplace)?;
    let market = simulator.market(kind);
    let listings: Vec<&Listing> = market.listings.values().collect();
    Ok(Json(json!({
        "marketplace": kind.name(),
        "listings": listings,
        "orders": market.orders,
        "stats": market.stats,
        "faults": market.faults,
    }))
    .into_response())
}

#[derive(Deserialize)]
struct LineBody {
    sku: String,
    quantity: u32,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OrderBody {
    lines: Vec<LineBody>,
    #[serde(default)]
    allow_oversell: bool,
}

async fn order_create(
    State(simulator): State<Simulator>,
    Path(marketplace): Path<String>,
    Json(body): Json<OrderBody>,
) -> Answer {
    let kind = kind_of(&marketplace)?;
    let lines: Vec<(String, u32)> = body
        .lines
        .into_iter()
        .map(|line| (line.sku, line.quantity))
        .collect();
    let placed =
        simulator
            .market(kind)
            .place_order(&lines, body.allow_oversell, OffsetDateTime::now_utc());
    Ok(match placed {
        Ok(order) => {
            simulator.notify(kind, "order_created", &order);
            (StatusCode::CREATED, Json(order)).into_response()
        }
        Err(message) => (StatusCode::CONFLICT, Json(json!({"message": message}))).into_response(),
    })
}

async fn order_cancel(
    State(simulator): State<Simulator>,
    Path((marketplace, order_id)): Path<(String, String)>,
    Json(body): Json<CancelBody>,
) -> Answer {
    let kind = kind_of(&marketplace)?;
    Ok(
        match simulator.cancel_order(kind, &order_id, &body.reason, false) {
            Some(order) => Json(order).into_response(),
            None => (
                StatusCode::NOT_FOUND,
                Json(json!({"message": "no such order"})),
            )
                .into_response(),
        },
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListingBody {
    quantity: Option<i64>,
    price_minor: Option<i64>,
    /// Empty clears it.
    reject_reason: Option<String>,
}

async fn listing_set(
    State(simulator): State<Simulator>,
    Path((marketplace, sku)): Path<(String, String)>,
    Json(body): Json<ListingBody>,
) -> Answer {
    let kind = kind_of(&marketplace)?;
    let mut market = simulator.market(kind);
    let now = OffsetDateTime::now_utc();
    let currency = market.currency.clone();
    let listing = market
        .listings
        .entry(sku.clone())
        .or_insert_with(|| Listing {
            sku,
            quantity: 0,
            price_minor: None,
            currency,
            reject_reason: None,
            updated_at: now,
        });
    if let Some(quantity) = body.quantity {
        listing.quantity = quantity;
    }
    if body.price_minor.is_some() {
        listing.price_minor = body.price_minor;
    }
    if let Some(reason) = body.reject_reason {
        listing.reject_reason = (!reason.is_empty()).then_some(reason);
    }
    listing.updated_at = now;
    Ok(Json(listing.clone()).into_response())
}

async fn faults_set(
    State(simulator): State<Simulator>,
    Path(marketplace): Path<String>,
    Json(faults): Json<Faults>,
) -> Answer {
    let kind = kind_of(&marketplace)?;
    let shares = [
        faults.drop_notifications,
        faults.duplicate_notifications,
        faults.error_rate,
        faults.hang_rate,
    ];
    if shares.iter().any(|share| !(0.0..=1.0).contains(share)) {
        return Err(bad_request("shares are 0.0 to 1.0"));
    }
    let mut market = simulator.market(kind);
    let rethrottle = market.faults.throttle_factor != faults.throttle_factor;
    market.faults = faults;
    if rethrottle {
        market.reset_throttles();
    }
    Ok(Json(market.faults.clone()).into_response())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ThrottleBody {
    per_second: f64,
    burst: u32,
}

async fn throttle_set(
    State(simulator): State<Simulator>,
    Path((marketplace, endpoint)): Path<(String, String)>,
    Json(body): Json<ThrottleBody>,
) -> Answer {
    let kind = kind_of(&marketplace)?;
    let endpoint = match endpoint.as_str() {
        "orders" => Endpoint::Orders,
        "stock" => Endpoint::Stock,
        "actions" => Endpoint::Actions,
        other => {
            return Err(bad_request(format!(
                "no throttle {other}; orders, stock or actions"
            )));
        }
    };
    if !(body.per_second > 0.0 && body.per_second <= 10_000.0) || body.burst == 0 {
        return Err(bad_request(
            "perSecond must be in (0, 10000] and burst at least 1",
        ));
    }
    simulator
        .market(kind)
        .set_throttle(endpoint, body.per_second, body.burst);
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
struct QuotaBody {
    scale: f64,
}

async fn quota_set(
    State(simulator): State<Simulator>,
    Path(marketplace): Path<String>,
    Json(body): Json<QuotaBody>,
) -> Answer {
    let kind = kind_of(&marketplace)?;
    if !(body.scale > 0.0 && body.scale <= 1_000.0) {
        return Err(bad_request("scale must be in (0, 1000]"));
    }
    let mut market = simulator.market(kind);
    market.quota_scale = body.scale;
    market.reset_throttles();
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TimingBody {
    listing_delay_ms: Option<u64>,
    acknowledge_within_ms: Option<u64>,
    feed_processing_ms: Option<u64>,
}

async fn timing_set(
    State(simulator): State<Simulator>,
    Path(marketplace): Path<String>,
    Json(body): Json<TimingBody>,
) -> Answer {
    let kind = kind_of(&marketplace)?;
    let mut market = simulator.market(kind);
    if let Some(ms) = body.listing_delay_ms {
        market.listing_delay = Duration::from_millis(ms);
    }
    if let Some(ms) = body.acknowledge_within_ms {
        market.acknowledge_within = Duration::from_millis(ms);
    }
    if let Some(ms) = body.feed_processing_ms {
        market.feed_processing = Duration::from_millis(ms);
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
