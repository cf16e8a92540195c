//! The browser transport: `fetch` through gloo-net (the stack's named HTTP client), an
//! `AbortController` per request for the timeout, gloo-timers for backoff sleeps and
//! `Math.random` for jitter. Compiled only for wasm32. Its cost over raw web-sys calls is
//! measured in ARCHITECTURE.md.

use std::time::Duration;

use futures_util::future::{Either, select};
use gloo_net::http::RequestBuilder;

use crate::runtime::{Body, HttpRequest, HttpResponse, Method, Transport, TransportError};

#[derive(Debug, Clone, Copy, Default)]
pub struct FetchTransport;

impl Transport for FetchTransport {
    async fn send(
        &self,
        request: &HttpRequest,
        timeout: Duration,
    ) -> Result<HttpResponse, TransportError> {
        let controller = web_sys::AbortController::new()
            .map_err(|_| TransportError::Network("AbortController unavailable".into()))?;
        let exchange = Box::pin(exchange(request, &controller));
        let deadline = Box::pin(gloo_timers::future::sleep(timeout));
        match select(exchange, deadline).await {
            Either::Left((result, _)) => result,
            Either::Right(((), _)) => {
                // Aborting frees the connection; the pending exchange future is dropped with it.
                controller.abort();
                Err(TransportError::Timeout)
            }
        }
    }

    async fn sleep(&self, duration: Duration) {
        gloo_timers::future::sleep(duration).await;
    }

    fn random_unit(&self) -> f64 {
        js_sys::Math::random()
    }
}

async fn exchange(
    request: &HttpRequest,
    controller: &web_sys::AbortController,
) -> Result<HttpResponse, TransportError> {
    let signal = controller.signal();
    let mut builder = RequestBuilder::new(&request.url)
        .method(method_of(request.method))
        .abort_signal(Some(&signal));
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let sendable = match &request.body {
        Some(Body::Json(text)) => builder
            .header("Content-Type", "application/json")
            .body(text.as_str()),
        Some(Body::Bytes(bytes)) => builder
            .header("Content-Type", "application/octet-stream")
            .body(js_sys::Uint8Array::from(bytes.as_slice())),
        None => builder.build(),
    }
    .map_err(network)?;
    let response = sendable.send().await.map_err(network)?;
    // Names arrive lower-cased, as fetch normalises them.
    let headers = response.headers().entries().collect();
    let body = response.text().await.map_err(network)?;
    Ok(HttpResponse {
        status: response.status(),
        headers,
        body,
    })
}

fn method_of(method: Method) -> gloo_net::http::Method {
    match method {
        Method::Get => gloo_net::http::Method::GET,
        Method::Post => gloo_net::http::Method::POST,
        Method::Put => gloo_net::http::Method::PUT,
        Method::Patch => gloo_net::http::Method::PATCH,
        Method::Delete => gloo_net::http::Method::DELETE,
    }
}

/// The browser's reason, such as "Failed to fetch" (offline, refused, CORS).
fn network(error: gloo_net::Error) -> TransportError {
    TransportError::Network(match error {
        gloo_net::Error::JsError(error) => error.message,
        other => other.to_string(),
    })
}

/// A fresh random `Idempotency-Key` (a v4 UUID from the browser's CSPRNG). Callers keep it for as
/// long as the user's intent is the same request, for example across reloads of the checkout.
pub fn new_idempotency_key() -> String {
    web_sys::window()
        .and_then(|window| window.crypto().ok())
        .map(|crypto| crypto.random_uuid())
        .unwrap_or_else(|| {
            // No window (a worker) or no crypto: fall back to Math.random, still unique enough
            // for deduplication, which only needs keys not to collide.
            (0..4)
                .map(|_| {
                    format!(
                        "{:08x}",
                        (js_sys::Math::random() * f64::from(u32::MAX)) as u32
                    )
                })
                .collect::<Vec<_>>()
                .join("-")
        })
}
