//! `/checkout`: resumes the purchase in progress (or an order queued offline), then walks the
//! steps with the order summary beside them.

use api_client::types::CheckoutStatus;
use design_system::{
    Alert, EmptyState, ErrorState, IconName, Skeleton, Stepper, Tone, provide_field_errors,
};
use leptos::prelude::*;

use crate::api;
use crate::components::{
    AddressStep, CartStep, ContactStep, Flow, OrderSummary, PaymentStep, ReviewStep, ShippingStep,
    Step, send_queued,
};
use crate::storage;

#[derive(Clone, Debug, PartialEq)]
enum Start {
    Ready,
    Empty,
    Failed(String),
}

/// Loads the cart and, if one was in progress, its checkout; an order that was already placed
/// sends the shopper to it.
async fn resume(flow: Flow) -> Start {
    // Signed in or not, the checkout works the same: a failure here only loses the prefill.
    flow.customer.set(api::me().await.ok().flatten());
    let Some(cart_id) = storage::cart_id() else {
        return if flow.queued.get_untracked() {
            Start::Ready
        } else {
            Start::Empty
        };
    };
    let cart = match api::get_cart(&cart_id).await {
        Ok(cart) => cart,
        Err(error) if error.is_not_found() => return Start::Empty,
        Err(error) => return Start::Failed(error.message),
    };
    let saved = storage::in_progress().unwrap_or_default();
    flow.saved.set(saved.clone());
    let empty = cart.lines.is_empty();
    flow.cart.set(Some(cart.clone()));
    if saved.checkout_id.is_empty() {
        return if empty { Start::Empty } else { Start::Ready };
    }
    match api::get_checkout(&saved.checkout_id).await {
        Ok(checkout) if checkout.status == CheckoutStatus::Completed => {
            if let Some(order_id) = checkout.order_id {
                storage::forget_cart();
                storage::save_in_progress(None);
                crate::go_to(format!("/orders/{order_id}"));
            }
            Start::Ready
        }
        Ok(checkout)
            if checkout.status == CheckoutStatus::Open && checkout.cart_version == cart.version =>
        {
            flow.adopt(checkout);
            Start::Ready
        }
        // Expired, or the cart changed since: start again from the cart.
        _ => {
            flow.restart();
            if empty { Start::Empty } else { Start::Ready }
        }
    }
}

#[component]
pub fn CheckoutPage() -> impl IntoView {
    micro_app::page_title("Checkout");
    let flow = Flow::new();
    provide_context(flow);
    provide_field_errors();
    let start = micro_app::load(move || resume(flow));
    // An order queued while offline goes out as soon as the connection is back.
    let online = window_event_listener(leptos::ev::online, move |_| {
        if flow.queued.get_untracked() {
            leptos::task::spawn_local(send_queued(flow));
        }
    });
    on_cleanup(move || online.remove());
    Effect::new(move |_| {
        if start.get().is_some() && flow.queued.get_untracked() && storage::is_online() {
            leptos::task::spawn_local(send_queued(flow));
        }
    });
    view! {
        <div class="tck-page">
            <h1 class="tck-title">"Checkout"</h1>
            {move || match start.get() {
                    None => view! { <div class="tck-loading" data-state="loading"><Skeleton width="100%" height="20rem"/></div> }.into_any(),
                    Some(Start::Empty) => view! {
                        <div data-state="empty">
                            <EmptyState
                                title="Your cart is empty"
                                description="Add something you like and come back here to check out."
                                icon=IconName::Bag
                            >
                                <a href="/">"Continue shopping"</a>
                            </EmptyState>
                        </div>
                    }.into_any(),
                    Some(Start::Failed(message)) => view! {
                        <div data-state="unavailable">
                            <ErrorState title="We couldn't load your cart" detail=message on_retry=Callback::new(move |()| start.refetch())/>
                        </div>
                    }.into_any(),
                    Some(Start::Ready) => view! { <Steps flow/> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Steps(flow: Flow) -> impl IntoView {
    let labels: Vec<String> = Step::ALL
        .iter()
        .map(|step| step.label().to_owned())
        .collect();
    let current = Signal::derive(move || flow.step.get().index());
    // Going back is always allowed; going forward only through each step's own button.
    let on_select = Callback::new(move |index: usize| {
        if let Some(step) = Step::ALL.get(index).copied()
            && step < flow.step.get_untracked()
        {
            flow.notice.set(None);
            flow.step.set(step);
        }
    });
    view! {
        <div class="tck-layout">
            <div class="tck-main">
                <Stepper label="Checkout steps" steps=labels current on_select/>
                <div class="tck-notice" aria-live="polite">
                    {move || flow.notice.get().map(|notice| view! {
                        <Alert tone=notice.tone><span data-notice=notice.tone.as_str()>{notice.text}</span></Alert>
                    })}
                    {move || flow.queued.get().then(|| view! {
                        <Alert tone=Tone::Info title="Your order is queued">
                            <span data-state="queued">
                                "You're offline. Your order is saved on this device and will be sent as soon as you're back online."
                            </span>
                        </Alert>
                    })}
                </div>
                <section class="tck-step" data-step=move || flow.step.get().label()>
                    {move || match flow.step.get() {
                        Step::Cart => view! { <CartStep flow/> }.into_any(),
                        Step::Contact => view! { <ContactStep flow/> }.into_any(),
                        Step::Address => view! { <AddressStep flow/> }.into_any(),
                        Step::Shipping => view! { <ShippingStep flow/> }.into_any(),
                        Step::Payment => view! { <PaymentStep flow/> }.into_any(),
                        Step::Review => view! { <ReviewStep flow/> }.into_any(),
                    }}
                </section>
            </div>
            <aside class="tck-aside" aria-label="Order summary">
                <OrderSummary flow/>
            </aside>
        </div>
    }
}
