//! Runs a state-changing handler under its `Idempotency-Key`: the first request's response is
//! stored and replayed (with `Idempotent-Replayed: true`) for repeats with the same body, also
//! while the first is still running; a different body with the same key is a 422. Keys are scoped
//! to the operation and the caller. Server errors are not stored, so a retry runs again.

use std::future::Future;

use axum::body::{Body, to_bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::idempotency::{self, Begin, StoredResponse};

const MAX_STORED_BODY: usize = 4 * 1024 * 1024;

pub async fn idempotent<F, Fut>(
    state: &AppState,
    operation: &'static str,
    caller: &str,
    key: Option<String>,
    fingerprint: &impl Serialize,
    work: F,
) -> Response
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = AppResult<Response>>,
{
    let Some(key) = key else {
        return work().await.into_response();
    };
    let scope = scope(operation, caller);
    let request_hash = match serde_json::to_vec(fingerprint) {
        Ok(bytes) => format!("{:x}", Sha256::digest(bytes)),
        Err(error) => return AppError::internal(error).into_response(),
    };
    match idempotency::begin(&state.db, &scope, &key, &request_hash).await {
        Err(error) => AppError::from(error).into_response(),
        Ok(Begin::Mismatch) => AppError::unprocessable(
            "idempotency-key-reused",
            "Idempotency-Key reused",
            "this Idempotency-Key was used for a different request; use a new key for a new request",
        )
        .with_field("Idempotency-Key")
        .into_response(),
        Ok(Begin::StillRunning) => {
            let mut response = AppError::conflict(
                "conflict",
                "Request still running",
                "the first request with this Idempotency-Key has not finished; retry shortly",
            )
            .into_response();
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            response
        }
        Ok(Begin::Replay(stored)) => replay(stored),
        Ok(Begin::Proceed) => {
            // If the client goes away mid-request (a reload), hyper drops this future and the
            // handler's transaction rolls back; the guard then releases the key, which would
            // otherwise stay pending and make every retry wait for a request that is gone.
            let mut pending = PendingKey {
                state: state.clone(),
                scope: scope.clone(),
                key: key.clone(),
                settled: false,
            };
            let response = work().await.into_response();
            if response.status().is_server_error() {
                pending.settled = true;
                if let Err(error) = idempotency::abandon(&state.db, &scope, &key).await {
                    tracing::error!("could not release idempotency key: {error}");
                }
                return response;
            }
            let (parts, body) = response.into_parts();
            let bytes = match to_bytes(body, MAX_STORED_BODY).await {
                Ok(bytes) => bytes,
                Err(error) => return AppError::internal(anyhow::anyhow!(error.to_string())).into_response(),
            };
            let header_text = |name: header::HeaderName| {
                parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
            };
            let stored = StoredResponse {
                status: i64::from(parts.status.as_u16()),
                content_type: header_text(header::CONTENT_TYPE),
                location: header_text(header::LOCATION),
                body: bytes.to_vec(),
            };
            if let Err(error) = idempotency::finish(&state.db, &scope, &key, &stored).await {
                tracing::error!("could not store idempotent response: {error}");
            }
            pending.settled = true;
            Response::from_parts(parts, Body::from(bytes))
        }
    }
}

/// Where an operation's keys live: keys are per operation and per caller.
pub fn scope(operation: &str, caller: &str) -> String {
    format!("{operation}:{caller}")
}

/// A key taken by a request that has not settled it yet; dropped unsettled, it is released.
struct PendingKey {
    state: AppState,
    scope: String,
    key: String,
    settled: bool,
}

impl Drop for PendingKey {
    fn drop(&mut self) {
        if self.settled {
            return;
        }
        let (db, scope, key) = (
            self.state.db.clone(),
            std::mem::take(&mut self.scope),
            std::mem::take(&mut self.key),
        );
        tracing::warn!(%scope, "request dropped before it finished; releasing its idempotency key");
        tokio::spawn(async move {
            if let Err(error) = idempotency::abandon(&db, &scope, &key).await {
                tracing::error!("could not release idempotency key: {error}");
            }
        });
    }
}

fn replay(stored: StoredResponse) -> Response {
    let status = StatusCode::from_u16(stored.status as u16).unwrap_or(StatusCode::OK);
    let mut response = (status, stored.body).into_response();
    let headers = response.headers_mut();
    if let Some(value) = stored
        .content_type
        .and_then(|v| HeaderValue::from_str(&v).ok())
    {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if let Some(value) = stored.location.and_then(|v| HeaderValue::from_str(&v).ok()) {
        headers.insert(header::LOCATION, value);
    }
    headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use axum::http::StatusCode;

    use super::*;
    use crate::config::Config;

    /// An empty data folder for one test.
    fn fresh_folder(label: &str) -> std::path::PathBuf {
        let folder = std::env::temp_dir().join(format!(
            "{label}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&folder);
        folder
    }

    #[tokio::test]
    async fn a_request_dropped_midway_releases_its_key_for_the_retry() {
        let folder = fresh_folder("tessera-idempotency");
        let state = crate::prepare(Config::new(folder.clone())).await.unwrap();
        // The first request's client goes away while its handler runs.
        let first = idempotent(
            &state,
            "op",
            "caller",
            Some("key-1234".into()),
            &"body",
            || async {
                tokio::time::sleep(Duration::from_secs(60)).await;
                Ok(StatusCode::CREATED.into_response())
            },
        );
        assert!(
            tokio::time::timeout(Duration::from_millis(50), first)
                .await
                .is_err()
        );
        // The retry with the same key runs instead of waiting for a request that is gone.
        let retry = idempotent(
            &state,
            "op",
            "caller",
            Some("key-1234".into()),
            &"body",
            || async { Ok(StatusCode::CREATED.into_response()) },
        );
        let response = tokio::time::timeout(Duration::from_secs(5), retry)
            .await
            .expect("the retry does not wait for the dropped request");
        assert_eq!(response.status(), StatusCode::CREATED);
        let _ = std::fs::remove_dir_all(&folder);
    }

    /// A checkout of one preorder item, ready to complete, and a card token for it.
    async fn ready_checkout(state: &AppState) -> (String, String) {
        use crate::domain::{carts, checkouts};
        use crate::store::payments;
        let (variant_id,): (String,) =
            sqlx::query_as("SELECT id FROM variants WHERE preorder_date IS NOT NULL LIMIT 1")
                .fetch_one(&state.db)
                .await
                .unwrap();
        let line =
            serde_json::from_value(serde_json::json!({"variantId": variant_id, "quantity": 1}));
        let cart = carts::create(
            &state.db,
            "owner",
            "USD",
            &[line.unwrap()],
            carts::StockCheck::Now,
        )
        .await
        .unwrap();
        let (checkout, _) = checkouts::start_checkout(&state.db, &cart.id, None)
            .await
            .unwrap();
        checkouts::update_contact(&state.db, &checkout.id, "ada@example.com", None)
            .await
            .unwrap();
        let address = serde_json::from_value(serde_json::json!({"name": "Ada", "line1": "1 Main St", "city": "San Francisco", "region": "CA", "postalCode": "94105", "country": "US"})).unwrap();
        checkouts::update_addresses(&state.db, &checkout.id, &address, None, None)
            .await
            .unwrap();
        checkouts::select_shipping_option(&state.db, &checkout.id, "standard")
            .await
            .unwrap();
        let card = serde_json::from_value(serde_json::json!({"number": "4242424242424242", "expMonth": 12, "expYear": 2035, "cvc": "123", "holderName": "Ada"})).unwrap();
        let token = payments::tokenize_card(&state.db, &card).await.unwrap();
        (checkout.id, token.token)
    }

    #[tokio::test]
    async fn an_order_committed_but_never_answered_is_replayed_to_the_retry() {
        let folder = fresh_folder("tessera-idempotency-commit");
        let mut config = Config::new(folder.clone());
        config.demo_data = true;
        let state = crate::prepare(config).await.unwrap();
        let (checkout_id, payment_token) = ready_checkout(&state).await;
        let scope = scope("completeCheckout", "caller");
        let complete = || async {
            let order = crate::domain::place_order::complete(
                &state.writer,
                &state.outbox,
                &checkout_id,
                &payment_token,
                Some((&scope, "key-commit-1")),
            )
            .await?;
            Ok(crate::routes::created(
                StatusCode::ACCEPTED,
                "/v1/orders/x",
                &order,
            ))
        };
        // The order commits, then the process is gone before the answer leaves (the future is
        // dropped where a crash would have stopped it).
        let first = idempotent(
            &state,
            "completeCheckout",
            "caller",
            Some("key-commit-1".into()),
            &"same body",
            || async {
                let answer: AppResult<Response> = complete().await;
                answer?;
                std::future::pending::<AppResult<Response>>().await
            },
        );
        assert!(
            tokio::time::timeout(Duration::from_millis(500), first)
                .await
                .is_err()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
        let retry = idempotent(
            &state,
            "completeCheckout",
            "caller",
            Some("key-commit-1".into()),
            &"same body",
            complete,
        )
        .await;
        assert_eq!(
            retry.status(),
            StatusCode::ACCEPTED,
            "the recorded answer, not a conflict"
        );
        assert_eq!(retry.headers()["idempotent-replayed"], "true");
        let _ = std::fs::remove_dir_all(&folder);
    }

    #[tokio::test]
    async fn keys_of_requests_that_died_with_the_process_are_released_at_start() {
        let folder = fresh_folder("tessera-idempotency-restart");
        let state = crate::prepare(Config::new(folder.clone())).await.unwrap();
        // A request took its key, then the process was killed: the key stays pending.
        let request_hash = format!("{:x}", Sha256::digest(b"\"body\""));
        assert!(matches!(
            crate::store::idempotency::begin(&state.db, "op:caller", "key-dead-1", &request_hash)
                .await
                .unwrap(),
            crate::store::idempotency::Begin::Proceed
        ));
        state.writer.close().await;
        state.db.close().await;
        let restarted = crate::prepare(Config::new(folder.clone())).await.unwrap();
        let retry = tokio::time::timeout(
            Duration::from_secs(5),
            idempotent(
                &restarted,
                "op",
                "caller",
                Some("key-dead-1".into()),
                &"body",
                || async { Ok(StatusCode::CREATED.into_response()) },
            ),
        )
        .await
        .expect("the retry runs instead of waiting for the dead request");
        assert_eq!(retry.status(), StatusCode::CREATED);
        let _ = std::fs::remove_dir_all(&folder);
    }
}
