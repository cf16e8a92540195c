//! What every marketplace request passes first (faults, then the endpoint's throttle) and how
//! each dialect answers a refusal: amazon `{"code","message"}` with `x-ratelimit-limit`, ebay
//! `{"errors":[{"message"}]}`, zalando `{"title","status"}` with `Retry-After` on a 429.

use std::time::Duration;

use axum::Json;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::Simulator;
use crate::market::{Endpoint, Kind};

/// Faults and throttles, in that order; `Err` is the answer to send instead.
pub(crate) async fn admit(
    simulator: &Simulator,
    kind: Kind,
    endpoint: Endpoint,
) -> Result<(), Response> {
    let (fail, hang) = {
        let mut market = simulator.market(kind);
        market.stats.requests += 1;
        let faults = market.faults.clone();
        (
            fastrand::f64() < faults.error_rate,
            (fastrand::f64() < faults.hang_rate)
                .then(|| Duration::from_secs(faults.hang_seconds.max(1))),
        )
    };
    if let Some(hang) = hang {
        tokio::time::sleep(hang).await;
        simulator.market(kind).stats.failed += 1;
        return Err(problem(
            kind,
            StatusCode::GATEWAY_TIMEOUT,
            "the request took too long",
        ));
    }
    if fail {
        simulator.market(kind).stats.failed += 1;
        return Err(problem(
            kind,
            StatusCode::SERVICE_UNAVAILABLE,
            "internal failure",
        ));
    }
    let mut market = simulator.market(kind);
    let throttle = &market.throttles[&endpoint];
    let limit = throttle.per_second();
    if let Err(wait) = throttle.check() {
        market.stats.throttled += 1;
        drop(market);
        return Err(throttled(kind, limit, wait));
    }
    Ok(())
}

fn throttled(kind: Kind, limit: f64, wait: Duration) -> Response {
    match kind {
        Kind::Amazon => with_rate_limit(
            (StatusCode::TOO_MANY_REQUESTS, Json(json!({"code": "QuotaExceeded", "message": "You exceeded your quota for the requested resource."}))).into_response(),
            limit,
        ),
        Kind::Ebay => (
            StatusCode::TOO_MANY_REQUESTS,
            Json(json!({"errors": [{"message": "Too many requests"}]})),
        )
            .into_response(),
        Kind::Zalando => {
            let mut response = (
                StatusCode::TOO_MANY_REQUESTS,
                Json(json!({"title": "Too Many Requests", "status": 429})),
            )
                .into_response();
            let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
            response.headers_mut().insert(
                "retry-after",
                HeaderValue::from_str(&seconds.to_string()).expect("digits"),
            );
            response
        }
    }
}

pub(crate) fn with_rate_limit(mut response: Response, limit: f64) -> Response {
    if let Ok(value) = HeaderValue::from_str(&format!("{limit}")) {
        response.headers_mut().insert("x-ratelimit-limit", value);
    }
    response
}

/// An answer that, at amazon, carries the endpoint's rate limit like every other answer.
pub(crate) fn answer(
    simulator: &Simulator,
    kind: Kind,
    endpoint: Endpoint,
    response: Response,
) -> Response {
    if kind != Kind::Amazon {
        return response;
    }
    let limit = simulator.market(kind).throttles[&endpoint].per_second();
    with_rate_limit(response, limit)
}

pub(crate) fn problem(kind: Kind, status: StatusCode, message: &str) -> Response {
    let body = match kind {
        Kind::Amazon => {
            json!({"code": status.canonical_reason().unwrap_or("Error"), "message": message})
        }
        Kind::Ebay => json!({"errors": [{"message": message}]}),
        Kind::Zalando => json!({"title": message, "status": status.as_u16()}),
    };
    (status, Json(body)).into_response()
}

/// A request refused before a marketplace is involved, or in its dialect once one is.
pub(crate) struct Refused {
    kind: Option<Kind>,
    status: StatusCode,
    message: String,
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        match self.kind {
            Some(kind) => problem(kind, self.status, &self.message),
            None => (self.status, Json(json!({"message": self.message}))).into_response(),
        }
    }
}

pub(crate) fn parse_time(kind: Kind, value: Option<&str>) -> Result<OffsetDateTime, Refused> {
    match value {
        None => Ok(OffsetDateTime::UNIX_EPOCH),
        Some(text) => OffsetDateTime::parse(text, &Rfc3339).map_err(|_| Refused {
            kind: Some(kind),
            status: StatusCode::BAD_REQUEST,
            message: format!("not an RFC 3339 time: {text}"),
        }),
    }
}

pub(crate) fn kind_of(name: &str) -> Result<Kind, Refused> {
    Kind::parse(name).ok_or_else(|| Refused {
        kind: None,
        status: StatusCode::NOT_FOUND,
        message: format!("no marketplace {name}"),
    })
}

/// A handler's answer: `Err` is a refusal, sent as it is.
pub(crate) type Answer = Result<Response, Response>;

impl From<Refused> for Response {
    fn from(refused: Refused) -> Response {
        refused.into_response()
    }
}
