//! The app's one seam to the commerce API: the same-origin client with the shopper's session
//! token (renewed once when the server refuses it), and field errors for the forms.

use std::time::Duration;

use api_client::{ApiError, Client, FetchTransport, forget_shopper_session, with_shopper_session};

fn visitor_id() -> Option<String> {
    web_sys::window()?
        .local_storage()
        .ok()??
        .get_item(micro_app::storage::VISITOR_ID)
        .ok()?
}

pub async fn shopper() -> Result<Client<FetchTransport>, ApiError> {
    let client = Client::new("", FetchTransport).with_timeout(Duration::from_secs(10));
    with_shopper_session(client, visitor_id()).await
}

/// Runs `call` with a shopper client, renewing a session the server no longer accepts once.
pub async fn as_shopper<T, F>(call: impl Fn(Client<FetchTransport>) -> F) -> Result<T, ApiError>
where
    F: std::future::Future<Output = Result<T, ApiError>>,
{
    match call(shopper().await?).await {
        Err(error) if error.status() == Some(401) => {
            forget_shopper_session();
            call(shopper().await?).await
        }
        other => other,
    }
}

/// The `(field, message)` pairs of a validation problem, for `FieldErrors`.
pub fn field_errors(error: &ApiError) -> Vec<(String, String)> {
    error
        .field_errors()
        .iter()
        .map(|field| (field.field.clone(), field.message.clone()))
        .collect()
}
