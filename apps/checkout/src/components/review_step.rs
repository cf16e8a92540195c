//! Step 6: everything at a glance, and the one button that places the order.

use design_system::{Alert, Button, ButtonVariant, Tone};
use leptos::prelude::*;

use super::place_order::{self, Placing};
use super::summary::Totals;
use super::{Flow, Step};
use crate::address::postal_lines;

#[component]
pub fn ReviewStep(flow: Flow) -> impl IntoView {
    // The key exists from the moment the shopper sees this step, so that even the first click
    // can be retried safely.
    let _ = place_order::prepared(flow);
    let placing = RwSignal::new(Placing::Idle);
    let place = micro_app::task(move |(): &()| async move {
        if let Some(order) = place_order::prepared(flow) {
            placing.set(place_order::place(flow, order).await);
        } else {
            flow.step.set(Step::Payment);
        }
    });
    let in_flight = place.pending();
    let checkout = flow.checkout.get_untracked();
    let edit = move |step: Step| {
        view! {
            <button type="button" class="tck-review__edit" on:click=move |_| flow.step.set(step)>
                {format!("Change {}", step.label().to_ascii_lowercase())}
            </button>
        }
    };
    view! {
        <h2 class="tck-subtitle">"Review your order"</h2>
        {checkout.map(|checkout| {
            let address = checkout.shipping_address.as_ref().map(|address| {
                postal_lines(address)
                    .into_iter()
                    .map(|line| view! { <span class="tck-review__line">{line}</span> })
                    .collect_view()
            });
            view! {
                <dl class="tck-review">
                    <div><dt>"Email"</dt><dd>{checkout.email.clone()}</dd>{edit(Step::Contact)}</div>
                    <div><dt>"Ship to"</dt><dd data-address>{address}</dd>{edit(Step::Address)}</div>
                    <div><dt>"Delivery"</dt><dd>{checkout.shipping_option.clone().map(|option| option.label)}</dd>{edit(Step::Shipping)}</div>
                    <div><dt>"Payment"</dt><dd data-card>{move || flow.saved.get().card_label}</dd>{edit(Step::Payment)}</div>
                </dl>
                <Totals totals=checkout.totals.clone() promotion=checkout.promotion.clone().map(|promotion| promotion.code)/>
            }
        })}
        {move || match placing.get() {
            Placing::Failed(message) => Some(view! {
                <Alert tone=Tone::Danger title="Your order was not placed yet">
                    <span data-state="retry">{message}</span>
                </Alert>
            }),
            Placing::Idle => None,
        }}
        <div class="tck-actions">
            <Button
                variant=ButtonVariant::Primary
                block=true
                loading=in_flight
                disabled=Signal::derive(move || in_flight.get() || flow.queued.get())
                on_click=Callback::new(move |_| { place.dispatch(()); })
            >
                {move || match placing.get() {
                    Placing::Failed(_) => "Try again",
                    Placing::Idle if in_flight.get() => "Placing your order…",
                    Placing::Idle => "Place order",
                }}
            </Button>
        </div>
    }
}
