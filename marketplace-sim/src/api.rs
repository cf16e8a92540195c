//! The marketplaces' seller APIs, one dialect each, mimicking the behaviour (not the schemas) of
//! the real ones:
//! - `/amazon`: `GET orders?updatedAfter=&nextToken=` (orders show about 2 s after creation),
//!   `GET orders/{id}`, `POST orders/{id}/cancel`, `POST feeds` → `202 {feedId}`,
//!   `GET feeds/{id}` (`IN_QUEUE` → `IN_PROGRESS` → `DONE` with a report), `GET listings`.
//!   Over a throttle: `429 {"code":"QuotaExceeded"}`; every answer carries `x-ratelimit-limit`.
//! - `/ebay`: `GET orders?modifiedSince=&offset=&limit=`, `PUT inventory/{sku}` (applied at once,
//!   `400 {"errors":[...]}` when refused), `POST orders/{id}/cancel`, `GET listings?offset=&limit=`.
//! - `/zalando`: `GET orders?updatedSince=&page=`, `POST orders/{id}/acknowledge`,
//!   `POST orders/{id}/cancel`, `PATCH stock` (per-item results), `GET listings`. Over a throttle:
//!   `429` with `Retry-After`.
//!
//! Every request first passes the faults (503, hang) and the endpoint's throttle.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, patch, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::Simulator;
use crate::gate::{Answer, admit, answer, kind_of, parse_time, problem, with_rate_limit};
use crate::market::{Endpoint, Feed, FeedStatus, Kind, OrderStatus, StockItem};

const PAGE: usize = 20;

pub fn router() -> Router<Simulator> {
    Router::new()
        .route("/amazon/orders", get(amazon_orders))
        .route("/amazon/feeds", post(amazon_feed_submit))
        .route("/amazon/feeds/{feedId}", get(amazon_feed_get))
        .route("/ebay/orders", get(ebay_orders))
        .route("/ebay/inventory/{sku}", put(ebay_inventory_put))
        .route("/zalando/orders", get(zalando_orders))
        .route(
            "/zalando/orders/{orderId}/acknowledge",
            post(zalando_acknowledge),
        )
        .route("/zalando/stock", patch(zalando_stock))
        .route("/{marketplace}/orders/{orderId}", get(order_get))
        .route("/{marketplace}/orders/{orderId}/cancel", post(order_cancel))
        .route("/{marketplace}/listings", get(listings_list))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AmazonOrdersQuery {
    updated_after: Option<String>,
    next_token: Option<String>,
}

async fn amazon_orders(
    State(simulator): State<Simulator>,
    Query(query): Query<AmazonOrdersQuery>,
) -> Answer {
    let kind = Kind::Amazon;
    admit(&simulator, kind, Endpoint::Orders).await?;
    // The token carries the filter and the position, so a page follows from it alone.
    let (since, offset) = match query.next_token.as_deref() {
        Some(token) => match token.split_once('@').and_then(|(offset, since)| {
            Some((
                OffsetDateTime::parse(since, &Rfc3339).ok()?,
                offset.parse::<usize>().ok()?,
            ))
        }) {
            Some(parsed) => parsed,
            None => return Err(problem(kind, StatusCode::BAD_REQUEST, "invalid nextToken")),
        },
        None => match parse_time(kind, query.updated_after.as_deref()) {
            Ok(since) => (since, 0),
            Err(refused) => return Err(refused.into()),
        },
    };
    let now = OffsetDateTime::now_utc();
    let market = simulator.market(kind);
    let changed = market.changed_since(since, now);
    let page: Vec<_> = changed.iter().skip(offset).take(PAGE).collect();
    let mut body = json!({"orders": page});
    if offset + PAGE < changed.len() {
        let since = since.format(&Rfc3339).expect("formattable");
        body["nextToken"] = json!(format!("{}@{since}", offset + PAGE));
    }
    let limit = market.throttles[&Endpoint::Orders].per_second();
    drop(market);
    Ok(with_rate_limit(Json(body).into_response(), limit))
}

#[derive(Deserialize)]
struct StockBody {
    items: Vec<StockItem>,
}

async fn amazon_feed_submit(
    State(simulator): State<Simulator>,
    Json(body): Json<StockBody>,
) -> Answer {
    let kind = Kind::Amazon;
    admit(&simulator, kind, Endpoint::Stock).await?;
    let id = uuid::Uuid::new_v4().simple().to_string();
    let fatal = body.items.is_empty() || body.items.len() > 10_000;
    simulator.market(kind).feeds.insert(
        id.clone(),
        Feed {
            id: id.clone(),
            items: body.items,
            submitted: OffsetDateTime::now_utc(),
            status: if fatal {
                FeedStatus::Fatal
            } else {
                FeedStatus::InQueue
            },
            accepted: 0,
            rejected: Vec::new(),
        },
    );
    Ok(answer(
        &simulator,
        kind,
        Endpoint::Stock,
        (StatusCode::ACCEPTED, Json(json!({"feedId": id}))).into_response(),
    ))
}

async fn amazon_feed_get(
    State(simulator): State<Simulator>,
    Path(feed_id): Path<String>,
) -> Answer {
    let kind = Kind::Amazon;
    admit(&simulator, kind, Endpoint::Actions).await?;
    let body = {
        let mut market = simulator.market(kind);
        market.settle(OffsetDateTime::now_utc());
        match market.feeds.get(&feed_id) {
            None => None,
            Some(feed) => {
                let mut body = json!({"feedId": feed.id, "processingStatus": feed.status});
                if feed.status == FeedStatus::Done {
                    body["report"] = json!({"accepted": feed.accepted, "rejected": feed.rejected});
                }
                if feed.status == FeedStatus::Fatal {
                    body["report"] = json!({"error": "the feed must hold 1 to 10000 items"});
                }
                Some(body)
            }
        }
    };
    let response = match body {
        Some(body) => Json(body).into_response(),
        None => problem(kind, StatusCode::NOT_FOUND, "no such feed"),
    };
    Ok(answer(&simulator, kind, Endpoint::Actions, response))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EbayOrdersQuery {
    modified_since: Option<String>,
    offset: Option<usize>,
    limit: Option<usize>,
}

async fn ebay_orders(
    State(simulator): State<Simulator>,
    Query(query): Query<EbayOrdersQuery>,
) -> Answer {
    let kind = Kind::Ebay;
    admit(&simulator, kind, Endpoint::Orders).await?;
    let since = parse_time(kind, query.modified_since.as_deref())?;
    let (offset, limit) = (
        query.offset.unwrap_or(0),
        query.limit.unwrap_or(50).clamp(1, 200),
    );
    let market = simulator.market(kind);
    let changed = market.changed_since(since, OffsetDateTime::now_utc());
    let page: Vec<_> = changed.iter().skip(offset).take(limit).collect();
    Ok(
        Json(json!({"orders": page, "total": changed.len(), "offset": offset, "limit": limit}))
            .into_response(),
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EbayInventory {
    quantity: i64,
    price_minor: Option<i64>,
}

async fn ebay_inventory_put(
    State(simulator): State<Simulator>,
    Path(sku): Path<String>,
    Json(body): Json<EbayInventory>,
) -> Answer {
    let kind = Kind::Ebay;
    admit(&simulator, kind, Endpoint::Stock).await?;
    let item = StockItem {
        sku,
        quantity: body.quantity,
        price_minor: body.price_minor,
    };
    let (_, rejected) = simulator
        .market(kind)
        .apply_stock(&[item], OffsetDateTime::now_utc());
    Ok(match rejected.first() {
        None => StatusCode::NO_CONTENT.into_response(),
        Some(rejection) => problem(kind, StatusCode::BAD_REQUEST, &rejection.reason),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ZalandoOrdersQuery {
    updated_since: Option<String>,
    page: Option<usize>,
}

async fn zalando_orders(
    State(simulator): State<Simulator>,
    Query(query): Query<ZalandoOrdersQuery>,
) -> Answer {
    let kind = Kind::Zalando;
    admit(&simulator, kind, Endpoint::Orders).await?;
    let since = parse_time(kind, query.updated_since.as_deref())?;
    let page = query.page.unwrap_or(0);
    let mut market = simulator.market(kind);
    let now = OffsetDateTime::now_utc();
    market.settle(now);
    let changed = market.changed_since(since, now);
    let items: Vec<_> = changed.iter().skip(page * PAGE).take(PAGE).collect();
    Ok(
        Json(json!({"items": items, "page": page, "hasNext": (page + 1) * PAGE < changed.len()}))
            .into_response(),
    )
}

async fn zalando_acknowledge(
    State(simulator): State<Simulator>,
    Path(order_id): Path<String>,
) -> Answer {
    let kind = Kind::Zalando;
    admit(&simulator, kind, Endpoint::Actions).await?;
    let mut market = simulator.market(kind);
    market.settle(OffsetDateTime::now_utc());
    let Some(order) = market.order_mut(&order_id) else {
        return Err(problem(kind, StatusCode::NOT_FOUND, "no such order"));
    };
    Ok(match order.status {
        OrderStatus::Cancelled => problem(kind, StatusCode::CONFLICT, "the order is cancelled"),
        _ => {
            if order.status == OrderStatus::Unshipped {
                order.status = OrderStatus::Acknowledged;
                order.updated_at = OffsetDateTime::now_utc();
            }
            Json(order.clone()).into_response()
        }
    })
}

async fn zalando_stock(State(simulator): State<Simulator>, Json(body): Json<StockBody>) -> Answer {
    let kind = Kind::Zalando;
    admit(&simulator, kind, Endpoint::Stock).await?;
    let (_, rejected) = simulator
        .market(kind)
        .apply_stock(&body.items, OffsetDateTime::now_utc());
    let results: Vec<_> = body
        .items
        .iter()
        .map(
            |item| match rejected.iter().find(|rejection| rejection.sku == item.sku) {
                Some(rejection) => {
                    json!({"sku": item.sku, "status": "rejected", "reason": rejection.reason})
                }
                None => json!({"sku": item.sku, "status": "accepted"}),
            },
        )
        .collect();
    Ok(Json(json!({"results": results})).into_response())
}

async fn order_get(
    State(simulator): State<Simulator>,
    Path((marketplace, order_id)): Path<(String, String)>,
) -> Answer {
    let kind = kind_of(&marketplace)?;
    admit(&simulator, kind, Endpoint::Actions).await?;
    let order = simulator
        .market(kind)
        .order_mut(&order_id)
        .map(|order| order.clone());
    let response = match order {
        Some(order) => Json(order).into_response(),
        None => problem(kind, StatusCode::NOT_FOUND, "no such order"),
    };
    Ok(answer(&simulator, kind, Endpoint::Actions, response))
}

#[derive(Deserialize)]
pub(crate) struct CancelBody {
    pub(crate) reason: String,
}

/// The seller cancels (it cannot ship): the units go back and the buyer is told.
async fn order_cancel(
    State(simulator): State<Simulator>,
    Path((marketplace, order_id)): Path<(String, String)>,
    Json(body): Json<CancelBody>,
) -> Answer {
    let kind = kind_of(&marketplace)?;
    admit(&simulator, kind, Endpoint::Actions).await?;
    let response = match simulator.cancel_order(kind, &order_id, &body.reason, true) {
        Some(order) => Json(order).into_response(),
        None => problem(kind, StatusCode::NOT_FOUND, "no such order"),
    };
    Ok(answer(&simulator, kind, Endpoint::Actions, response))
}

#[derive(Deserialize)]
struct ListingsQuery {
    offset: Option<usize>,
    limit: Option<usize>,
}

/// The marketplace's view of every listing, in SKU order, paged by offset.
async fn listings_list(
    State(simulator): State<Simulator>,
    Path(marketplace): Path<String>,
    Query(query): Query<ListingsQuery>,
) -> Answer {
    let kind = kind_of(&marketplace)?;
    admit(&simulator, kind, Endpoint::Actions).await?;
    let (offset, limit) = (
        query.offset.unwrap_or(0),
        query.limit.unwrap_or(500).clamp(1, 1000),
    );
    let market = simulator.market(kind);
    let listings: Vec<_> = market.listings.values().skip(offset).take(limit).collect();
    let body = json!({"listings": listings, "total": market.listings.len(), "offset": offset});
    drop(market);
    Ok(answer(
        &simulator,
        kind,
        Endpoint::Actions,
        Json(body).into_response(),
    ))
}
