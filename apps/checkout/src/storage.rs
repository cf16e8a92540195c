//! What must survive a reload: the checkout in progress with its payment token and the order's
//! Idempotency-Key (`sessionStorage`: this tab's purchase), and an order queued while offline
//! (`localStorage`, so it is sent even if the tab is closed and the shop opened again).

use json_codec::{FromJson, ToJson};
use micro_app::storage::{self, Store};

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

fn read<T: FromJson>(store: Store, key: &str) -> Option<T> {
    json_codec::from_str(&storage::read(store, key)?).ok()
}

fn write<T: ToJson>(store: Store, key: &str, value: Option<&T>) {
    storage::write(store, key, value.map(json_codec::to_string).as_deref());
}

pub fn in_progress() -> Option<InProgress> {
    read(Store::Session, IN_PROGRESS)
}

pub fn save_in_progress(state: Option<&InProgress>) {
    write(Store::Session, IN_PROGRESS, state);
}

pub fn queued() -> Option<QueuedOrder> {
    read(Store::Local, QUEUED)
}

pub fn save_queued(order: Option<&QueuedOrder>) {
    write(Store::Local, QUEUED, order);
}

pub fn cart_id() -> Option<String> {
    storage::read(Store::Local, storage::CART_ID)
}

/// The cart became an order: the next product page starts a new one.
pub fn forget_cart() {
    storage::write(Store::Local, storage::CART_ID, None);
}

pub fn is_online() -> bool {
    web_sys::window().is_none_or(|window| window.navigator().on_line())
}
