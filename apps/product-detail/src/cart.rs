//! Adding to the shared cart. The cart id lives in `localStorage` under the kit's key (checkout
//! reads it too); its version comes from the last `cart-changed` event or a fresh read. Every
//! write carries an Idempotency-Key, so the client's retries never add a line twice.

use api_client::types::{AddCartLineRequest, Cart, CreateCartRequest};
use api_client::{ApiError, Client, FetchTransport, forget_shopper_session, new_idempotency_key};
use micro_app::{AppEvent, EventKind};

use crate::api::shopper_client;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn stored_cart_id() -> Option<String> {
    storage()?.get_item(micro_app::storage::CART_ID).ok()?
}

fn remember(cart: &Cart) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(micro_app::storage::CART_ID, &cart.id);
    }
}

/// The last cart event on this page, if it is about the stored cart.
pub fn last_cart_event() -> Option<AppEvent> {
    let cart_id = stored_cart_id()?;
    micro_app::last(EventKind::CartChanged).filter(
        |event| matches!(event, AppEvent::CartChanged { cart_id: id, .. } if *id == cart_id),
    )
}

pub fn announce(cart: &Cart) {
    micro_app::emit(&AppEvent::CartChanged {
        cart_id: cart.id.clone(),
        version: cart.version,
        item_count: cart.item_count,
    });
}

/// Adds `quantity` of a variant, creating the cart when there is none (or it is gone), and
/// re-reading it once when our version was stale. A refused session token is renewed once.
pub async fn add(variant_id: &str, quantity: u32) -> Result<Cart, String> {
    let line = AddCartLineRequest {
        quantity: i32::try_from(quantity).unwrap_or(i32::MAX),
        variant_id: variant_id.to_owned(),
    };
    let result = match add_once(&line).await {
        Err(error) if error.status() == Some(401) => {
            forget_shopper_session();
            add_once(&line).await
        }
        other => other,
    };
    result.map_err(|error| error.user_message())
}

async fn add_once(line: &AddCartLineRequest) -> Result<Cart, ApiError> {
    let api = shopper_client().await?;
    let Some(cart_id) = stored_cart_id() else {
        return create_with(&api, line).await;
    };
    let known_version = match last_cart_event() {
        Some(AppEvent::CartChanged { version, .. }) => Some(version),
        _ => None,
    };
    let version = match known_version {
        Some(version) => version,
        None => match api.get_cart(&cart_id).await {
            Ok(cart) => cart.version,
            Err(error) if is_gone(&error) => return create_with(&api, line).await,
            Err(error) => return Err(error),
        },
    };
    let result = match api
        .add_cart_line(
            &cart_id,
            &version.to_string(),
            Some(&new_idempotency_key()),
            line,
        )
        .await
    {
        Err(error) if error.status() == Some(412) => {
            // Someone (another tab, the checkout) changed the cart: add to what it is now.
            let fresh = api.get_cart(&cart_id).await?;
            api.add_cart_line(
                &cart_id,
                &fresh.version.to_string(),
                Some(&new_idempotency_key()),
                line,
            )
            .await
        }
        other => other,
    };
    match result {
        Err(error) if is_gone(&error) => create_with(&api, line).await,
        other => other,
    }
}

/// A cart that was checked out or expired cannot take lines any more: start a new one.
fn is_gone(error: &ApiError) -> bool {
    matches!(error.status(), Some(404 | 409 | 410))
}

async fn create_with(
    api: &Client<FetchTransport>,
    line: &AddCartLineRequest,
) -> Result<Cart, ApiError> {
    let request = CreateCartRequest {
        currency: None,
        lines: vec![line.clone()],
    };
    let cart = api
        .create_cart(Some(&new_idempotency_key()), &request)
        .await?;
    remember(&cart);
    Ok(cart)
}
