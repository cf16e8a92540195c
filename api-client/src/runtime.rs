//! The policy every operation shares: base URL, default headers, a per-request timeout, and
//! retries with exponential backoff and jitter for requests that are safe to repeat (GET/HEAD, or
//! any request carrying an `Idempotency-Key`, which is resent unchanged on every attempt).
//!
//! I/O goes through the [`Transport`] trait, so this policy is tested natively with a fake
//! transport; the browser transport lives in `fetch.rs`. This module knows nothing of the
//! contract's operations: the generated code calls [`Client::execute`].

use std::future::Future;
use std::time::Duration;

use json_codec::{FromJson, Json, ToJson};

use crate::error::{ApiError, is_transient_status};
use crate::types::Problem;

pub const IDEMPOTENCY_KEY: &str = "Idempotency-Key";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Safe methods change nothing on the server, so repeating them is always harmless.
    pub fn is_safe(self) -> bool {
        matches!(self, Method::Get)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Json(String),
    Bytes(Vec<u8>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    pub method: Method,
    /// Absolute URL: the client's base URL plus the operation's path and query.
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Body>,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

#[derive(Debug, Clone, PartialEq)]
pub enum TransportError {
    Network(String),
    Timeout,
}

/// What the runtime needs from the platform. Futures need not be `Send`: browser futures are not.
pub trait Transport {
    /// Sends one request and gives up (aborting it) after `timeout`.
    fn send(
        &self,
        request: &HttpRequest,
        timeout: Duration,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>>;
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()>;
    /// A uniformly distributed number in `[0, 1)`, for backoff jitter.
    fn random_unit(&self) -> f64;
}

#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, including the first; 1 disables retries.
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(4),
        }
    }
}

impl RetryPolicy {
    /// Delay before retry number `retry` (1 for the first retry): exponential, capped, with
    /// "equal jitter" (half fixed, half random) so synchronized clients spread out without ever
    /// retrying immediately.
    pub fn delay(&self, retry: u32, random_unit: f64) -> Duration {
        let exponential = self
            .base_delay
            .saturating_mul(1u32 << retry.saturating_sub(1).min(16))
            .min(self.max_delay);
        let half = exponential / 2;
        half + half.mul_f64(random_unit.clamp(0.0, 1.0))
    }
}

pub struct Client<T> {
    base_url: String,
    bearer_token: Option<String>,
    default_headers: Vec<(String, String)>,
    timeout: Duration,
    retry: RetryPolicy,
    transport: T,
}

impl<T: Transport> Client<T> {
    /// `base_url` is the origin (and optional prefix) in front of the contract's `/v1/...` paths;
    /// an empty string means "same origin".
    pub fn new(base_url: impl Into<String>, transport: T) -> Self {
        Client {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            bearer_token: None,
            default_headers: vec![("Accept".into(), "application/json".into())],
            timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            transport,
        }
    }

    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// A header sent with every request, such as `Authorization: Bearer …`.
    pub fn with_default_header(
        mut self,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Authenticates every request with `Authorization: Bearer <token>`, and event-stream URLs
    /// with the contract's `access_token` query parameter (EventSource cannot send headers).
    pub fn with_bearer_token(mut self, token: impl Into<String>) -> Self {
        let token = token.into();
        self.default_headers
            .retain(|(name, _)| !name.eq_ignore_ascii_case("Authorization"));
        self.default_headers
            .push(("Authorization".into(), format!("Bearer {token}")));
        self.bearer_token = Some(token);
        self
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The absolute URL of an event stream, authenticated through the query when a token is set.
    pub fn event_stream_url(&self, path_and_query: String) -> String {
        let Some(token) = &self.bearer_token else {
            return format!("{}{path_and_query}", self.base_url);
        };
        let separator = if path_and_query.contains('?') {
            '&'
        } else {
            '?'
        };
        format!(
            "{}{path_and_query}{separator}access_token={}",
            self.base_url,
            encode_component(token)
        )
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Builds a request for a contract path (already filled and query-encoded).
    pub fn request(&self, method: Method, path_and_query: &str) -> HttpRequest {
        HttpRequest {
            method,
            url: format!("{}{path_and_query}", self.base_url),
            headers: self.default_headers.clone(),
            body: None,
        }
    }

    /// Sends `request` under the timeout and retry policy and returns the first success
    /// response, or the error of the last attempt.
    pub async fn execute(
        &self,
        operation: &'static str,
        request: HttpRequest,
    ) -> Result<HttpResponse, ApiError> {
        let repeatable = request.method.is_safe() || request.header(IDEMPOTENCY_KEY).is_some();
        let max_attempts = if repeatable {
            self.retry.max_attempts.max(1)
        } else {
            1
        };
        let mut attempt = 1;
        loop {
            let outcome = self.transport.send(&request, self.timeout).await;
            let (error, server_delay) = match outcome {
                Ok(response) if (200..300).contains(&response.status) => return Ok(response),
                Ok(response) => {
                    let server_delay = retry_after(&response);
                    (status_error(operation, response), server_delay)
                }
                Err(TransportError::Network(message)) => {
                    (ApiError::Network { operation, message }, None)
                }
                Err(TransportError::Timeout) => (
                    ApiError::Timeout {
                        operation,
                        after: self.timeout,
                    },
                    None,
                ),
            };
            if attempt >= max_attempts || !error.is_transient() {
                return Err(error);
            }
            let delay = server_delay
                .map(|wanted| wanted.min(self.retry.max_delay))
                .unwrap_or_else(|| self.retry.delay(attempt, self.transport.random_unit()));
            self.transport.sleep(delay).await;
            attempt += 1;
        }
    }
}

fn status_error(operation: &'static str, response: HttpResponse) -> ApiError {
    let problem = json_codec::from_str::<Problem>(&response.body)
        .ok()
        .map(Box::new);
    ApiError::Status {
        operation,
        status: response.status,
        problem,
        body: response.body,
    }
}

/// A server that says when to come back (`Retry-After: <seconds>` on 429 or 503) is obeyed, up to
/// the policy's maximum delay.
fn retry_after(response: &HttpResponse) -> Option<Duration> {
    if !is_transient_status(response.status) {
        return None;
    }
    let seconds: u64 = response.header("Retry-After")?.trim().parse().ok()?;
    Some(Duration::from_secs(seconds))
}

/// Decodes a success body, naming the operation when it does not match the contract.
pub fn decode_json<R: FromJson>(
    operation: &'static str,
    response: &HttpResponse,
) -> Result<R, ApiError> {
    json_codec::from_str(&response.body).map_err(|error| ApiError::Decode {
        operation,
        message: error.message(),
    })
}

/// A request body as JSON. Encoding cannot fail; the `Result` keeps the generated call sites
/// uniform with decoding.
pub fn json_body<B: ToJson>(_operation: &'static str, body: &B) -> Result<Body, ApiError> {
    Ok(Body::Json(json_codec::to_string(body)))
}

/// Renders a path or query parameter: strings as they are, everything else (numbers, booleans,
/// generated enums) as its JSON scalar.
pub fn param_text<P: ToJson + ?Sized>(value: &P) -> String {
    let text = json_codec::to_string(value);
    match json_codec::parse(&text) {
        Ok(Json::String(unquoted)) => unquoted,
        _ => text,
    }
}

/// Percent-encodes a path segment or query component (RFC 3986 unreserved characters pass).
pub fn encode_component(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// Appends `name=value` pairs to a path.
pub fn with_query(path: String, pairs: &[(&str, String)]) -> String {
    if pairs.is_empty() {
        return path;
    }
    let query: Vec<String> = pairs
        .iter()
        .map(|(name, value)| format!("{name}={}", encode_component(value)))
        .collect();
    format!("{path}?{}", query.join("&"))
}
