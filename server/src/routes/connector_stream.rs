//! The connectors' health, live: a console asks for a stream ticket with its ops token (an
//! `EventSource` cannot send headers, and the token must not go into a URL), then follows
//! `GET /v1/ops/connectors/stream?ticket=…`, which sends the connector list at once and again
//! whenever it changes. A ticket is signed by the server (no state, so any instance accepts it),
//! names the role, and expires after five minutes; the stream ends when its ticket expires, so a
//! revoked token stops being followed within that time.

use std::convert::Infallible;
use std::time::Duration;

use api_client::StreamConnectorsQuery;
use api_client::types::{ConnectorList, StreamTicket};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::Event;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::stream::{self, Stream};
use time::OffsetDateTime;

use crate::error::{AppError, AppResult};
use crate::extract::{AppQuery, OpsReader};
use crate::state::AppState;
use crate::store::tokens::Role;
use crate::store::{connector_health, timestamp};

/// How long a ticket opens streams.
const TICKET_SECONDS: i64 = 300;
/// How often a stream looks for changes.
const CHECK_EVERY: Duration = Duration::from_secs(1);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/ops/stream-tickets", post(tickets_create))
        .route("/v1/ops/connectors/stream", get(connectors_stream))
}

fn ticket_subject(role: Role) -> &'static str {
    if role == Role::Ops {
        "stream-ops"
    } else {
        "stream-ops-viewer"
    }
}

async fn tickets_create(State(state): State<AppState>, OpsReader(caller): OpsReader) -> Response {
    let issued = OffsetDateTime::now_utc();
    let ticket = StreamTicket {
        ticket: state
            .telemetry
            .sign(ticket_subject(caller.role), issued.unix_timestamp()),
        expires_at: timestamp(issued + time::Duration::seconds(TICKET_SECONDS)),
    };
    (StatusCode::CREATED, Json(ticket)).into_response()
}

async fn connectors_stream(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<StreamConnectorsQuery>,
) -> AppResult<Response> {
    let valid = state
        .telemetry
        .verify_within(&query.ticket, TICKET_SECONDS)
        .is_some_and(|subject| subject.starts_with("stream-ops"));
    if !valid {
        return Err(AppError::unauthorized().detail("the stream ticket is invalid or expired: ask POST /v1/ops/stream-tickets for a new one"));
    }
    let issued: i64 = query
        .ticket
        .split('.')
        .nth(1)
        .and_then(|issued| issued.parse().ok())
        .unwrap_or_default();
    let ends = issued + TICKET_SECONDS;
    Ok(super::event_stream(follow(state, ends)))
}

struct Follow {
    state: AppState,
    last_sent: Option<String>,
    /// Unix seconds at which the ticket expires and the stream ends.
    ends: i64,
}

fn follow(state: AppState, ends: i64) -> impl Stream<Item = Result<Event, Infallible>> {
    let start = Follow {
        state,
        last_sent: None,
        ends,
    };
    stream::unfold(start, |mut follow| async move {
        loop {
            if OffsetDateTime::now_utc().unix_timestamp() >= follow.ends {
                return None;
            }
            if let Ok(items) = connector_health::all(&follow.state.db).await {
                let json = serde_json::to_string(&ConnectorList { items }).unwrap_or_default();
                if follow.last_sent.as_deref() != Some(json.as_str()) {
                    let mut event = Event::default().data(&json);
                    if follow.last_sent.is_none() {
                        event = event.retry(Duration::from_secs(3));
                    }
                    follow.last_sent = Some(json);
                    return Some((Ok(event), follow));
                }
            }
            tokio::time::sleep(CHECK_EVERY).await;
        }
    })
}
