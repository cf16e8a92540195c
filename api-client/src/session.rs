//! The shopper's session token, shared by every app on the page: created once through
//! `createSession` for the visitor, kept in `localStorage` with its expiry, and renewed shortly
//! before it lapses. Compiled only for wasm32 with the `fetch` feature.

use crate::error::ApiError;
use crate::fetch::{FetchTransport, new_idempotency_key};
use crate::runtime::Client;
use crate::types::CreateSessionRequest;

const STORAGE_KEY: &str = "tessera:session";
/// Renew this long before the server stops accepting the token.
const RENEW_BEFORE_MS: f64 = 60_000.0;

struct Kept {
    token: String,
    expires_at: String,
}

json_codec::object_codec!(Kept {
    token: "token",
    expires_at: "expiresAt",
});

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn kept_token() -> Option<String> {
    let kept: Kept = json_codec::from_str(&storage()?.get_item(STORAGE_KEY).ok()??).ok()?;
    let expires = js_sys::Date::parse(&kept.expires_at);
    (expires.is_finite() && expires - RENEW_BEFORE_MS > js_sys::Date::now()).then_some(kept.token)
}

/// `client` carrying a shopper token for `visitor_id` (the shell's sticky id, when known).
pub async fn with_shopper_session(
    client: Client<FetchTransport>,
    visitor_id: Option<String>,
) -> Result<Client<FetchTransport>, ApiError> {
    if let Some(token) = kept_token() {
        return Ok(client.with_bearer_token(token));
    }
    let session = client
        .create_session(
            Some(&new_idempotency_key()),
            &CreateSessionRequest { visitor_id },
        )
        .await?;
    keep_shopper_session(&session.token, &session.expires_at);
    Ok(client.with_bearer_token(session.token))
}

/// Keeps `token` as the page's session from now on: a signed-in customer's token works wherever
/// a shopper's does, so every app on the page calls as the customer.
pub fn keep_shopper_session(token: &str, expires_at: &str) {
    if let Some(storage) = storage() {
        let kept = Kept {
            token: token.to_owned(),
            expires_at: expires_at.to_owned(),
        };
        let _ = storage.set_item(STORAGE_KEY, &json_codec::to_string(&kept));
    }
}

/// Drops the kept token, after the server refused it (401), so the next call makes a new one.
pub fn forget_shopper_session() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(STORAGE_KEY);
    }
}
