//! What must survive a reload: the checkout in progress with its payment token and the order's
//! Idempotency-Key (`sessionStorage`: this tab's purchase), and an order queued while offline
//! (`localStorage`, so it is sent even if the tab is closed and the shop opened again).

use json_codec::{FromJson, ToJson};

const IN_PROGRESS: &str = "tessera:checkout:in-progress";
const QUEUED: &str = "tessera:checkout:queued";

#[derive(Clone, Debug, Default, PartialEq)]
pub struct InProgress {
    pub checkout_id: String,
    /// The vault's token for the card; never the card number.
    pub payment_token: Option<String>,
    /// "Visa ending 4242", for the review step.
    pub card_label: Option<String>,
    /// Created when the shopper reaches review; the same for every retry of this order.
    pub idempotency_key: Option<String>,
}

/// An order that could not be sent yet.
#[derive(Clone, Debug, PartialEq)]
pub struct QueuedOrder {
    pub checkout_id: String,
    pub payment_token: String,
    pub idempotency_key: String,
}

json_codec::object_codec!(InProgress {
    checkout_id: "checkout_id",
    payment_token: "payment_token",
    card_label: "card_label",
    idempotency_key: "idempotency_key",
});

json_codec::object_codec!(QueuedOrder {
    checkout_id: "checkout_id",
    payment_token: "payment_token",
    idempotency_key: "idempotency_key",
});

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn read<T: FromJson>(storage: Option<web_sys::Storage>, key: &str) -> Option<T> {
    json_codec::from_str(&storage?.get_item(key).ok()??).ok()
}

fn write<T: ToJson>(storage: Option<web_sys::Storage>, key: &str, value: Option<&T>) {
    let Some(storage) = storage else { return };
    let _ = match value {
        Some(value) => storage.set_item(key, &json_codec::to_string(value)),
        None => storage.remove_item(key),
    };
}

pub fn in_progress() -> Option<InProgress> {
    read(session(), IN_PROGRESS)
}

pub fn save_in_progress(state: Option<&InProgress>) {
    write(session(), IN_PROGRESS, state);
}

pub fn queued() -> Option<QueuedOrder> {
    read(local(), QUEUED)
}

pub fn save_queued(order: Option<&QueuedOrder>) {
    write(local(), QUEUED, order);
}

pub fn cart_id() -> Option<String> {
    local()?.get_item(micro_app::storage::CART_ID).ok()?
}

/// The cart became an order: the next product page starts a new one.
pub fn forget_cart() {
    if let Some(storage) = local() {
        let _ = storage.remove_item(micro_app::storage::CART_ID);
    }
}

pub fn is_online() -> bool {
    web_sys::window().is_none_or(|window| window.navigator().on_line())
}
