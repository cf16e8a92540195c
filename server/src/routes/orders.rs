//! Orders and their live timeline: `GET /v1/orders/{id}` and a server-sent events stream that
//! replays the order's events after `Last-Event-ID` (or `after`), follows new ones as they are
//! appended, and closes once the order reached a final state.

use std::convert::Infallible;
use std::time::Duration;

use api_client::StreamOrderEventsQuery;
use api_client::types::{Order, OrderStatus};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::Event;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use futures_util::StreamExt;
use futures_util::stream::{self, Stream};
use tokio::sync::broadcast;

use crate::domain::carts::{self, Owned};
use crate::error::{AppError, AppResult};
use crate::extract::{AppPath, AppQuery, Caller};
use crate::state::AppState;
use crate::store::{events, orders};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/orders/{orderId}", get(orders_get))
        .route("/v1/orders/{orderId}/events/stream", get(orders_stream))
}

/// The session that placed an order may see it, and so may the signed-in customer who placed
/// it, from any session of theirs.
async fn check_access(state: &AppState, caller: &Caller, order_id: &str) -> AppResult<()> {
    let owned = carts::check_owner(&state.db, caller.owner(), Owned::Order(order_id)).await;
    let Some((customer_id, _)) = &caller.customer else {
        return owned;
    };
    if owned.is_ok() {
        return owned;
    }
    let row = orders::find_order(&mut *state.db.acquire().await?, order_id).await?;
    match row.and_then(|row| row.customer_id) {
        Some(placed_by) if placed_by == *customer_id => Ok(()),
        _ => owned,
    }
}

async fn orders_get(
    State(state): State<AppState>,
    caller: Caller,
    AppPath(order_id): AppPath<String>,
) -> AppResult<Json<Order>> {
    check_access(&state, &caller, &order_id).await?;
    Ok(Json(orders::load_order(&state.db, &order_id).await?))
}

async fn order_status(state: &AppState, order_id: &str) -> AppResult<OrderStatus> {
    let mut connection = state.db.acquire().await?;
    let row = orders::find_order(&mut connection, order_id)
        .await?
        .ok_or_else(|| AppError::not_found("order"))?;
    Ok(row.status.parse().unwrap_or(OrderStatus::Pending))
}

async fn orders_stream(
    State(state): State<AppState>,
    caller: Caller,
    AppPath(order_id): AppPath<String>,
    AppQuery(query): AppQuery<StreamOrderEventsQuery>,
    headers: HeaderMap,
) -> AppResult<Response> {
    check_access(&state, &caller, &order_id).await?;
    let resume_from = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or(query.after)
        .unwrap_or(0);
    let status = order_status(&state, &order_id).await?;
    let unseen =
        events::events_of_order(&mut *state.db.acquire().await?, &order_id, resume_from).await?;
    if orders::is_final(status) && unseen.is_empty() {
        // 204 tells EventSource to stop reconnecting: there is nothing more to follow.
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let feed = state.outbox.subscribe();
    Ok(super::event_stream(follow(
        state,
        order_id,
        resume_from,
        feed,
    )))
}

struct Follow {
    state: AppState,
    order_id: String,
    last_sequence: i64,
    feed: broadcast::Receiver<i64>,
    first: bool,
    finished: bool,
}

fn follow(
    state: AppState,
    order_id: String,
    after: i64,
    feed: broadcast::Receiver<i64>,
) -> impl Stream<Item = Result<Event, Infallible>> {
    let start = Follow {
        state,
        order_id,
        last_sequence: after,
        feed,
        first: true,
        finished: false,
    };
    stream::unfold(start, |mut follow| async move {
        if follow.finished {
            return None;
        }
        loop {
            // The status is read before the events: a final status is committed together with
            // its event, so every event up to it is in this batch. Read after, a status that
            // turned final in between would end the stream without its last event.
            let status = order_status(&follow.state, &follow.order_id)
                .await
                .unwrap_or(OrderStatus::Pending);
            let batch = match follow.state.db.acquire().await {
                Ok(mut connection) => {
                    events::events_of_order(&mut connection, &follow.order_id, follow.last_sequence)
                        .await
                        .unwrap_or_default()
                }
                Err(_) => Vec::new(),
            };
            if !batch.is_empty() {
                let mut frames = Vec::new();
                for row in &batch {
                    let json = serde_json::to_string(&row.to_contract()).unwrap_or_default();
                    let mut event = Event::default().id(row.sequence.to_string()).data(json);
                    if follow.first {
                        event = event.retry(Duration::from_secs(3));
                        follow.first = false;
                    }
                    frames.push(Ok(event));
                    follow.last_sequence = row.sequence;
                }
                follow.finished = orders::is_final(status);
                return Some((stream::iter(frames), follow));
            }
            if orders::is_final(status) {
                return None;
            }
            // Wait for any new event (or a second, in case a notification was missed).
            let _ = tokio::time::timeout(Duration::from_secs(1), follow.feed.recv()).await;
        }
    })
    .flatten()
}
