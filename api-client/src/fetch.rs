//! The browser transport: `fetch` through web-sys, an `AbortController` per request for the
//! timeout, gloo-timers for backoff sleeps and `Math.random` for jitter. Compiled only for wasm32.
//! (gloo-net was dropped: its streaming-body support put wasm-streams' classes into every app.)

use std::time::Duration;

use futures_util::future::{Either, select};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::runtime::{Body, HttpRequest, HttpResponse, Transport, TransportError};

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
    let headers = web_sys::Headers::new().map_err(network)?;
    for (name, value) in &request.headers {
        headers.set(name, value).map_err(network)?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(request.method.as_str());
    init.set_signal(Some(&controller.signal()));
    match &request.body {
        Some(Body::Json(text)) => {
            headers
                .set("Content-Type", "application/json")
                .map_err(network)?;
            init.set_body(&JsValue::from_str(text));
        }
        Some(Body::Bytes(bytes)) => {
            headers
                .set("Content-Type", "application/octet-stream")
                .map_err(network)?;
            init.set_body(&js_sys::Uint8Array::from(bytes.as_slice()));
        }
        None => {}
    }
    init.set_headers(&headers);
    let window = web_sys::window()
        .ok_or_else(|| TransportError::Network("no window to fetch from".into()))?;
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str_and_init(&request.url, &init))
            .await
            .map_err(network)?
            .unchecked_into();
    let headers = header_pairs(&response.headers());
    let body = JsFuture::from(response.text().map_err(network)?)
        .await
        .map_err(network)?
        .as_string()
        .unwrap_or_default();
    Ok(HttpResponse {
        status: response.status(),
        headers,
        body,
    })
}

/// `[name, value]` pairs of a `Headers` (names arrive lower-cased, as fetch normalises them).
fn header_pairs(headers: &web_sys::Headers) -> Vec<(String, String)> {
    let Ok(Some(entries)) = js_sys::try_iter(headers) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let pair: js_sys::Array = entry.dyn_into().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// The browser's reason, such as "Failed to fetch" (offline, refused, CORS).
fn network(error: JsValue) -> TransportError {
    let message = error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "the request failed".to_owned());
    TransportError::Network(message)
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
