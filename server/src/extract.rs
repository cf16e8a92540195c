//! Request extractors that turn every client mistake into a problem+json 4xx: JSON bodies with
//! field paths, query strings, path parameters, the bearer token's caller, `If-Match` cart
//! versions and `Idempotency-Key`s. Handlers never see a raw rejection.

use axum::body::Bytes;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

use crate::domain::carts::Owner;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::regions::HomeRegion;
use crate::store::tokens::{self, Role};

/// A JSON body. Syntax errors and values of the wrong JSON type are 400 (as the contract says);
/// missing required fields are 422; both name the offending field's path. Bodies over the limit
/// are 413; other media types are 415.
pub struct AppJson<T>(pub T);

/// A JSON body that may also arrive as `text/plain`, which is how `navigator.sendBeacon` posts
/// without a CORS preflight. Only the (public, write-only) telemetry endpoint takes it.
pub struct BeaconJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for AppJson<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        json_body(request, state, false).await.map(AppJson)
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for BeaconJson<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        json_body(request, state, true).await.map(BeaconJson)
    }
}

async fn json_body<T: DeserializeOwned, S: Send + Sync>(
    request: Request,
    state: &S,
    allow_text_plain: bool,
) -> Result<T, AppError> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let accepted = content_type.starts_with("application/json")
        || (allow_text_plain && content_type.starts_with("text/plain"));
    if !accepted {
        return Err(AppError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "malformed-request",
            "Unsupported media type",
        )
        .detail("send the body as application/json"));
    }
    let bytes = read_body(request, state).await?;
    parse_json(&bytes)
}

/// The whole body, within the configured limit (413 beyond it).
pub async fn read_body<S: Send + Sync>(request: Request, state: &S) -> Result<Bytes, AppError> {
    Bytes::from_request(request, state)
        .await
        .map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload-too-large",
                    "Request body too large",
                )
                .detail(rejection.body_text())
            } else {
                AppError::malformed(rejection.body_text())
            }
        })
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            AppError::malformed(format!("the body is not valid JSON: {inner}"))
        } else {
            let field = if path == "." { "body".to_owned() } else { path };
            let message = inner.to_string();
            if message.starts_with("missing field") {
                AppError::validation(vec![AppError::field(&field, "required", message)])
            } else {
                AppError::malformed(format!("{field}: {message}")).with_field(&field)
            }
        }
    })?;
    deserializer.end().map_err(|error| {
        AppError::malformed(format!("trailing data after the JSON body: {error}"))
    })?;
    Ok(value)
}

/// Query parameters, with repeated keys for array parameters (`color=red&color=blue`).
pub struct AppQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for AppQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let query = parts.uri.query().unwrap_or_default();
        serde_html_form::from_str(query)
            .map(AppQuery)
            .map_err(|error| AppError::malformed(format!("invalid query string: {error}")))
    }
}

/// Path parameters; a value that does not parse is a 400.
pub struct AppPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for AppPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| AppPath(value))
            .map_err(|rejection| AppError::malformed(rejection.body_text()))
    }
}

/// Who is calling: any valid bearer token (shopper or ops).
#[derive(Debug, Clone)]
pub struct Caller {
    pub role: Role,
    pub token_hash: String,
    /// The signed-in customer (id and home region), for a customer's token.
    pub customer: Option<(String, HomeRegion)>,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    /// Resolved once per request: the contract gate authenticates before it validates, and the
    /// handler reuses what it found.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if let Some(caller) = parts.extensions.get::<Caller>() {
            return Ok(caller.clone());
        }
        let token = bearer_token(parts).ok_or_else(AppError::unauthorized)?;
        let token_hash = tokens::hash(&token);
        let holder = tokens::holder_of(&state.db, &token_hash)
            .await?
            .ok_or_else(AppError::unauthorized)?;
        let caller = Caller {
            role: holder.role,
            token_hash,
            customer: holder.customer,
        };
        parts.extensions.insert(caller.clone());
        Ok(caller)
    }
}

impl Caller {
    /// Which carts, checkouts and orders this caller may reach: a shopper its own, ops all.
    pub fn owner(&self) -> Owner<'_> {
        match self.role {
            Role::Ops => Owner::Anyone,
            // A viewer reads ops data only; as a shopper it owns nothing.
            Role::Shopper | Role::OpsViewer => Owner::Session(&self.token_hash),
        }
    }
}

/// The bearer token from `Authorization`, or from `access_token` in the query, which the contract
/// allows for event streams because EventSource cannot send headers.
fn bearer_token(parts: &Parts) -> Option<String> {
    if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
        let value = value.to_str().ok()?;
        let (scheme, token) = value.split_once(' ')?;
        return scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim().to_owned());
    }
    if parts.uri.path().ends_with("/events/stream") {
        let query = parts.uri.query()?;
        let pairs: Vec<(String, String)> = serde_html_form::from_str(query).ok()?;
        return pairs
            .into_iter()
            .find(|(name, _)| name == "access_token")
            .map(|(_, token)| token);
    }
    None
}

/// The TCP peer's address, when the router was served with connect info.
pub fn peer_address(extensions: &axum::http::Extensions) -> Option<IpAddr> {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| peer.ip())
}

/// The client's address as text (the TCP peer), or `unknown` when the router was served without
/// connect info.
pub struct ConnectInfoAddress(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ConnectInfoAddress {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        Ok(ConnectInfoAddress(
            peer_address(&parts.extensions)
                .map(|address| address.to_string())
                .unwrap_or_else(|| "unknown".to_owned()),
        ))
    }
}

/// A caller who may read ops data: role ops or ops-viewer.
pub struct OpsReader(pub Caller);

impl FromRequestParts<AppState> for OpsReader {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let caller = Caller::from_request_parts(parts, state).await?;
        if !matches!(caller.role, Role::Ops | Role::OpsViewer) {
            return Err(AppError::forbidden());
        }
        Ok(OpsReader(caller))
    }
}

/// A caller with the ops role: 401 without a valid token, 403 with a shopper's or a viewer's.
pub struct OpsCaller(pub Caller);

impl FromRequestParts<AppState> for OpsCaller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let caller = Caller::from_request_parts(parts, state).await?;
        if caller.role != Role::Ops {
            return Err(AppError::forbidden());
        }
        Ok(OpsCaller(caller))
    }
}

/// The cart version a write was based on: `If-Match: 3` (quotes tolerated). Missing is 428.
pub struct IfMatch(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let value = parts.headers.get(header::IF_MATCH).ok_or_else(|| {
            AppError::new(
                StatusCode::PRECONDITION_REQUIRED,
                "precondition-required",
                "If-Match required",
            )
            .detail("cart writes must send the cart version they are based on in If-Match")
        })?;
        value
            .to_str()
            .ok()
            .map(|text| text.trim().trim_start_matches("W/").trim_matches('"'))
            .and_then(|text| text.parse::<i64>().ok())
            .filter(|version| *version >= 1)
            .map(IfMatch)
            .ok_or_else(|| {
                AppError::malformed("If-Match must be the cart version, a positive integer")
                    .with_field("If-Match")
            })
    }
}

/// An optional `Idempotency-Key`: 8 to 128 characters of `[A-Za-z0-9_.:-]`.
pub struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let Some(value) = parts.headers.get("idempotency-key") else {
            return Ok(IdempotencyKey(None));
        };
        let key = value.to_str().unwrap_or_default();
        let valid = (8..=128).contains(&key.len())
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-'));
        if !valid {
            return Err(AppError::malformed(
                "Idempotency-Key must be 8 to 128 characters of letters, digits, _ . : -",
            )
            .with_field("Idempotency-Key"));
        }
        Ok(IdempotencyKey(Some(key.to_owned())))
    }
}

/// A required `Idempotency-Key`, for placing an order: without one a retry could order twice.
pub struct OrderIdempotencyKey(pub String);

impl<S: Send + Sync> FromRequestParts<S> for OrderIdempotencyKey {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        match IdempotencyKey::from_request_parts(parts, state).await?.0 {
            Some(key) => Ok(OrderIdempotencyKey(key)),
            None => Err(AppError::malformed(
                "placing an order needs an Idempotency-Key header, so a retry cannot order twice",
            )
            .with_field("Idempotency-Key")),
        }
    }
}

#[cfg(test)]
mod tests {
    use api_client::types::{AddCartLineRequest, CheckoutAddresses};
    use axum::http::Request as HttpRequest;
    use proptest::prelude::*;

    use super::*;

    fn parts_with(header: &str, value: &[u8]) -> Option<Parts> {
        let value = axum::http::HeaderValue::from_bytes(value).ok()?;
        let (parts, ()) = HttpRequest::builder()
            .header(header, value)
            .body(())
            .ok()?
            .into_parts();
        Some(parts)
    }

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// Any body is a typed value or a 4xx problem: never a panic, never a 5xx.
        #[test]
        fn any_body_is_a_value_or_a_client_error(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            for outcome in [
                parse_json::<AddCartLineRequest>(&bytes).err(),
                parse_json::<CheckoutAddresses>(&bytes).err(),
            ]
            .into_iter()
            .flatten()
            {
                prop_assert!(outcome.status.is_client_error(), "{:?}", outcome.status);
            }
        }

        #[test]
        fn json_shaped_bodies_are_values_or_client_errors(text in r#"\{("[a-zA-Z]{1,12}":(-?[0-9]{1,12}|"[^"\\]{0,20}"|null|true|\[\]|\{\}),?){0,4}\}"#) {
            if let Err(error) = parse_json::<AddCartLineRequest>(text.as_bytes()) {
                prop_assert!(error.status.is_client_error());
            }
        }

        /// An Idempotency-Key is accepted exactly when it matches the contract's pattern.
        #[test]
        fn idempotency_keys_follow_the_pattern(value in prop::collection::vec(any::<u8>(), 0..140)) {
            let Some(mut parts) = parts_with("idempotency-key", &value) else { return Ok(()) };
            let text = String::from_utf8_lossy(&value).into_owned();
            let valid = (8..=128).contains(&value.len())
                && value.iter().all(|b| b.is_ascii_alphanumeric() || b"_.:-".contains(b));
            let outcome = block_on(IdempotencyKey::from_request_parts(&mut parts, &()));
            match outcome {
                Ok(IdempotencyKey(key)) => prop_assert!(valid && key.as_deref() == Some(text.as_str())),
                Err(error) => {
                    prop_assert!(!valid);
                    prop_assert_eq!(error.status, StatusCode::BAD_REQUEST);
                }
            }
        }

        /// `If-Match` is a positive version or a 400, whatever the header holds.
        #[test]
        fn if_match_is_a_version_or_a_client_error(value in prop::collection::vec(any::<u8>(), 0..40)) {
            let Some(mut parts) = parts_with("if-match", &value) else { return Ok(()) };
            match block_on(IfMatch::from_request_parts(&mut parts, &())) {
                Ok(IfMatch(version)) => prop_assert!(version >= 1),
                Err(error) => prop_assert_eq!(error.status, StatusCode::BAD_REQUEST),
            }
        }
    }
}
