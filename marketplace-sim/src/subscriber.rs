//! The simulator as a webhook subscriber (an external channel), for the shop's outbound
//! webhooks: `POST /subscribers/{name}` verifies the Standard Webhooks signature with the
//! subscriber's secret and records each `webhook-id` once; the control API sets the secret and
//! failures to answer first (`PUT /control/subscribers/{name} {secret, failFirst, failStatus,
//! retryAfterSeconds}`) and reports what arrived (`GET /control/subscribers/{name}`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::Simulator;

#[derive(Default, Clone)]
pub struct Subscribers(Arc<Mutex<HashMap<String, Subscriber>>>);

impl Subscribers {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Subscriber>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[derive(Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct Subscriber {
    #[serde(skip)]
    secret: String,
    #[serde(skip)]
    fail_first: u32,
    #[serde(skip)]
    fail_status: u16,
    #[serde(skip)]
    retry_after_seconds: Option<u64>,
    /// Each `webhook-id` once, in the order they first arrived, with the event type.
    received: Vec<(String, String)>,
    attempts: u64,
    duplicates: u64,
    invalid: u64,
}

pub fn router() -> Router<Simulator> {
    Router::new()
        .route("/subscribers/{name}", post(deliver))
        .route("/control/subscribers/{name}", put(configure).get(report))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Configure {
    secret: String,
    #[serde(default)]
    fail_first: u32,
    fail_status: Option<u16>,
    retry_after_seconds: Option<u64>,
}

async fn configure(
    State(simulator): State<Simulator>,
    Path(name): Path<String>,
    Json(body): Json<Configure>,
) -> Response {
    if standardwebhooks::Webhook::new(&body.secret).is_err() {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"message": "secret must be whsec_<base64>"})),
        )
            .into_response();
    }
    simulator.subscribers.lock().insert(
        name,
        Subscriber {
            secret: body.secret,
            fail_first: body.fail_first,
            fail_status: body.fail_status.unwrap_or(503),
            retry_after_seconds: body.retry_after_seconds,
            ..Subscriber::default()
        },
    );
    StatusCode::NO_CONTENT.into_response()
}

async fn report(State(simulator): State<Simulator>, Path(name): Path<String>) -> Response {
    match simulator.subscribers.lock().get(&name) {
        Some(subscriber) => Json(subscriber).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn deliver(
    State(simulator): State<Simulator>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut subscribers = simulator.subscribers.lock();
    let Some(subscriber) = subscribers.get_mut(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    subscriber.attempts += 1;
    let verified = standardwebhooks::Webhook::new(&subscriber.secret)
        .ok()
        .is_some_and(|webhook| webhook.verify(&body, &headers).is_ok());
    if !verified {
        subscriber.invalid += 1;
        return StatusCode::UNAUTHORIZED.into_response();
    }
    if subscriber.fail_first > 0 {
        subscriber.fail_first -= 1;
        let mut response = StatusCode::from_u16(subscriber.fail_status)
            .unwrap_or(StatusCode::SERVICE_UNAVAILABLE)
            .into_response();
        if let Some(seconds) = subscriber.retry_after_seconds {
            response
                .headers_mut()
                .insert("retry-after", HeaderValue::from(seconds));
        }
        return response;
    }
    let id = headers
        .get("webhook-id")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if subscriber.received.iter().any(|(seen, _)| *seen == id) {
        subscriber.duplicates += 1;
    } else {
        let kind = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|event| event["type"].as_str().map(str::to_owned))
            .unwrap_or_default();
        subscriber.received.push((id, kind));
    }
    StatusCode::NO_CONTENT.into_response()
}
