//! Adding to the shared cart. The cart id lives in `localStorage` under the kit's key (checkout
//! reads it too); its version comes from the last `cart-changed` event or a fresh read. Every
//! write carries an Idempotency-Key (`api.rs`), so the client's retries never add a line twice.

use api_client::types::{AddCartLineRequest, Cart};
use micro_app::storage::{self, Store};
use micro_app::{AppEvent, EventKind};

use crate::api::{self, CartError};

fn stored_cart_id() -> Option<String> {
    storage::read(Store::Local, storage::CART_ID)
}

fn remember(cart: &Cart) {
    storage::write(Store::Local, storage::CART_ID, Some(&cart.id));
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
/// re-reading it once when our version was stale.
pub async fn add(variant_id: &str, quantity: u32) -> Result<Cart, String> {
    let line = AddCartLineRequest {
        quantity: i32::try_from(quantity).unwrap_or(i32::MAX),
        variant_id: variant_id.to_owned(),
    };
    let result = match add_to_stored_cart(&line).await {
        Err(CartError::Gone) => create(&line).await,
        other => other,
    };
    result.map_err(|error| match error {
        CartError::Failed(message) => message,
        CartError::Stale | CartError::Gone => {
            "The cart changed while we were adding to it. Please try again.".to_owned()
        }
    })
}

async fn add_to_stored_cart(line: &AddCartLineRequest) -> Result<Cart, CartError> {
    let Some(cart_id) = stored_cart_id() else {
        return create(line).await;
    };
    let version = match last_cart_event() {
        Some(AppEvent::CartChanged { version, .. }) => version,
        _ => api::get_cart(&cart_id).await?.version,
    };
    match api::add_cart_line(&cart_id, version, line).await {
        Err(CartError::Stale) => {
            // Someone (another tab, the checkout) changed the cart: add to what it is now.
            let fresh = api::get_cart(&cart_id).await?;
            api::add_cart_line(&cart_id, fresh.version, line).await
        }
        other => other,
    }
}

async fn create(line: &AddCartLineRequest) -> Result<Cart, CartError> {
    let cart = api::create_cart(line).await?;
    remember(&cart);
    Ok(cart)
}
