//! Opens a signed-in customer's sealed contact and addresses (`domain::sealing`) in the JSON
//! answers of the routes that carry them (checkouts, orders, customers, ops), after the route
//! has checked who may see the resource. Stored idempotent responses and order snapshots stay
//! sealed at rest; only the answer on the wire is opened, so erasure reaches every copy.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::domain::sealing;
use crate::error::AppError;
use crate::state::AppState;

/// Bodies that can hold sealed values: those of JSON answers and problems.
fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value.starts_with("application/json") || value.starts_with("application/problem+json")
        })
}

fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

pub async fn open_responses(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let response = next.run(request).await;
    if !is_json(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(error) => return AppError::internal(anyhow::anyhow!(error)).into_response(),
    };
    if !holds(&bytes, b"sealed:v1:") && !holds(&bytes, b"\"erased\"") {
        return Response::from_parts(parts, Body::from(bytes));
    }
    let opened = async {
        let mut json: serde_json::Value = serde_json::from_slice(&bytes)?;
        sealing::open_json(&state.regions, &mut json).await?;
        Ok::<_, AppError>(serde_json::to_vec(&json)?)
    };
    match opened.await {
        Ok(body) => {
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(body))
        }
        Err(error) => error.into_response(),
    }
}
