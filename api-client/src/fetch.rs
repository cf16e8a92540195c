//! The browser transport: gloo-net `fetch`, an `AbortController` per request for the timeout,
//! gloo-timers for backoff sleeps and `Math.random` for jitter. Compiled only for wasm32.

use std::time::Duration;

use futures_util::future::{Either, select};
use gloo_net::http::{Method as FetchMethod, RequestBuilder};

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
    let network = |error: gloo_net::Error| TransportError::Network(error.to_string());
    let mut builder = RequestBuilder::new(&request.url)
        .method(fetch_method(request.method))
        .abort_signal(Some(&controller.signal()));
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let prepared = match &request.body {
        Some(Body::Json(text)) => builder
            .header("Content-Type", "application/json")
            .body(text.as_str()),
        Some(Body::Bytes(bytes)) => builder
            .header("Content-Type", "application/octet-stream")
            .body(js_sys::Uint8Array::from(bytes.as_slice())),
        None => builder.build(),
    }
    .map_err(network)?;
    let response = prepared.send().await.map_err(network)?;
    let headers = response.headers().entries().collect();
    let body = response.text().await.map_err(network)?;
    Ok(HttpResponse {
        status: response.status(),
        headers,
        body,
    })
}

fn fetch_method(method: Method) -> FetchMethod {
    match method {
        Method::Get => FetchMethod::GET,
        Method::Post => FetchMethod::POST,
        Method::Put => FetchMethod::PUT,
        Method::Patch => FetchMethod::PATCH,
        Method::Delete => FetchMethod::DELETE,
    }
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
