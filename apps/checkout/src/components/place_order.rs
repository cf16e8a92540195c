//! Placing the order exactly once. The order's Idempotency-Key is made when the shopper reaches
//! review and kept (with the payment token) across reloads and retries, so every attempt — a
//! double click, a retry after a network error, a reload, the offline queue — is the same
//! request, and the server keeps one order. Offline, the order waits in `localStorage` and goes
//! out when the connection returns. After the server accepts it, the payment's outcome decides
//! where the shopper goes: a decline returns to the payment step with a new key for the next
//! card; anything else is the order page.

use std::time::Duration;

use api_client::types::{DeclineReason, Order, OrderStatus, PaymentDeclinedData};
use design_system::Tone;
use leptos::prelude::*;
use micro_app::AppEvent;

use super::{Flow, Step};
use crate::api::{self, Failure};
use crate::storage::{self, QueuedOrder};

/// How long the review step waits for the payment's outcome before showing the order page,
/// whose live timeline takes over.
const AWAIT_PAYMENT: Duration = Duration::from_secs(8);

/// What the review step shows while and after placing.
#[derive(Clone, Debug, PartialEq)]
pub enum Placing {
    Idle,
    /// The request could not reach the shop; the same order can be retried.
    Failed(String),
}

/// The order as it stands in storage, ready to send (its key is made once, here).
pub fn prepared(flow: Flow) -> Option<QueuedOrder> {
    let checkout_id = flow.checkout_id()?;
    if flow.saved.get_untracked().idempotency_key.is_none() {
        flow.update_saved(|saved| {
            saved.idempotency_key = Some(api_client::new_idempotency_key());
        });
    }
    let saved = flow.saved.get_untracked();
    Some(QueuedOrder {
        checkout_id,
        payment_token: saved.payment_token?,
        idempotency_key: saved.idempotency_key?,
    })
}

/// Sends the order now, or queues it when the browser is offline.
pub async fn place(flow: Flow, order: QueuedOrder) -> Placing {
    if !storage::is_online() {
        queue(flow, &order);
        return Placing::Idle;
    }
    send(flow, order).await
}

fn queue(flow: Flow, order: &QueuedOrder) {
    storage::save_queued(Some(order));
    flow.queued.set(true);
}

/// Sends the queued order, if any (on start and whenever the connection comes back).
pub async fn send_queued(flow: Flow) {
    if let Some(order) = storage::queued() {
        if let Placing::Failed(message) = send(flow, order).await {
            flow.say(Tone::Danger, message);
        }
    } else {
        flow.queued.set(false);
    }
}

async fn send(flow: Flow, order: QueuedOrder) -> Placing {
    let result = api::complete_checkout(
        &order.checkout_id,
        &order.idempotency_key,
        &order.payment_token,
    )
    .await;
    match result {
        Ok(placed) => {
            storage::save_queued(None);
            flow.queued.set(false);
            follow_payment(flow, placed).await;
            Placing::Idle
        }
        Err(error) if error.unreachable && !storage::is_online() => {
            queue(flow, &order);
            Placing::Idle
        }
        Err(error) if error.unreachable => Placing::Failed(
            "We couldn't reach the shop, so your order has not been placed yet. \
                             Try again: you will not be charged twice."
                .into(),
        ),
        Err(error) => {
            storage::save_queued(None);
            flow.queued.set(false);
            refused(flow, &error);
            Placing::Idle
        }
    }
}

/// The server said no: explain, and go where the shopper can fix it.
fn refused(flow: Flow, error: &Failure) {
    if error.is_problem("checkout-already-completed")
        && let Some(order_id) = &error.order_id
    {
        finish(flow, order_id);
        return;
    }
    if error.is_problem("checkout-cart-changed") {
        flow.restart();
        flow.say(
            Tone::Warning,
            "Your cart changed since you started checking out. Please review it and continue.",
        );
        return;
    }
    if error.is_problem("payment-token-invalid") {
        flow.update_saved(|saved| {
            saved.payment_token = None;
            saved.card_label = None;
            saved.idempotency_key = None;
        });
        flow.step.set(Step::Payment);
    }
    flow.say(Tone::Danger, error.message.clone());
}

/// Waits briefly for the payment: a decline keeps the shopper here, anything else goes on.
async fn follow_payment(flow: Flow, mut order: Order) {
    let started = js_sys::Date::now();
    while order.status == OrderStatus::Pending
        && js_sys::Date::now() - started < AWAIT_PAYMENT.as_millis() as f64
    {
        gloo_timers::future::sleep(Duration::from_millis(400)).await;
        let id = order.id.clone();
        if let Ok(latest) = api::get_order(&id).await {
            order = latest;
        }
    }
    if order.status == OrderStatus::PaymentDeclined {
        // The latest decline speaks for this card; an earlier attempt's reason may differ.
        let insufficient = order
            .timeline
            .iter()
            .rev()
            .find_map(api::event_payload::<PaymentDeclinedData>)
            .is_some_and(|declined| declined.reason == DeclineReason::InsufficientFunds);
        flow.update_saved(|saved| {
            saved.payment_token = None;
            saved.card_label = None;
            // The declined attempt keeps its key; the next card is a new attempt of the same
            // order.
            saved.idempotency_key = None;
        });
        // The server reopens the checkout for another card.
        if let Some(id) = flow.checkout_id()
            && let Ok(checkout) = api::get_checkout(&id).await
        {
            flow.checkout.set(Some(checkout));
        }
        flow.step.set(Step::Payment);
        flow.say(
            Tone::Danger,
            if insufficient {
                "Your card was declined for insufficient funds. No payment was taken. Please try another card."
            } else {
                "Your card was declined. No payment was taken. Please try another card."
            },
        );
        return;
    }
    finish(flow, &order.id);
}

/// The order exists: the cart is gone, the header resets, and the order page takes over.
fn finish(flow: Flow, order_id: &str) {
    micro_app::emit(&AppEvent::CheckoutCompleted {
        order_id: order_id.to_owned(),
    });
    storage::forget_cart();
    storage::save_in_progress(None);
    flow.saved.set(Default::default());
    crate::go_to(format!("/orders/{order_id}"));
}
