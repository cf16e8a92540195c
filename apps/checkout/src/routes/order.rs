//! `/orders/:id`: the confirmation, with the order's lifecycle arriving live over server-sent
//! events, and polling when the stream is unavailable.

use std::time::Duration;

use api_client::types::{Order, OrderEvent, OrderStatus};
use design_system::{Alert, ErrorState, Skeleton, Tone};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

use crate::api;
use crate::components::{SummaryLine, Timeline, money};

const POLL_EVERY: Duration = Duration::from_secs(2);

fn is_settled(status: OrderStatus) -> bool {
    !matches!(
        status,
        OrderStatus::Pending | OrderStatus::PaymentAuthorized
    )
}

#[component]
pub fn OrderPage(order_id: String) -> impl IntoView {
    micro_app::page_title("Your order");
    let id = StoredValue::new(order_id);
    let order = micro_app::load(move || async move {
        api::get_order(&id.get_value())
            .await
            .map_err(|error| error.message)
    });
    view! {
        <div class="tck-page tck-order">
            {move || match order.get() {
                None => view! { <Skeleton width="100%" height="16rem"/> }.into_any(),
                Some(Ok(order)) => view! { <Confirmation order/> }.into_any(),
                Some(Err(message)) => view! {
                    <div data-state="unavailable">
                        <ErrorState page=true title="We couldn't load this order" detail=message on_retry=Callback::new(move |()| order.refetch())/>
                    </div>
                }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Confirmation(order: Order) -> impl IntoView {
    let events = RwSignal::new(order.timeline.clone());
    let status = RwSignal::new(order.status);
    follow(order.id.clone(), events, status);
    let email = order.email.clone();
    micro_app::page_title(&format!("Order {}", order.number));
    view! {
        <h1 class="tck-title">{format!("Thank you! Order {}", order.number)}</h1>
        <p class="tck-hint">{format!("We'll email {email} as your order moves along.")}</p>
        <div class="tck-order__status" data-status=move || status.get().to_string() aria-live="polite">
            {move || match status.get() {
                OrderStatus::Confirmed => view! { <Alert tone=Tone::Success title="Your order is confirmed">"It's being prepared for delivery."</Alert> }.into_any(),
                OrderStatus::PaymentDeclined => view! {
                    <Alert tone=Tone::Danger title="Payment declined">
                        "No payment was taken. " <a href="/checkout">"Try another card"</a>
                    </Alert>
                }.into_any(),
                OrderStatus::Refunded | OrderStatus::Cancelled => view! {
                    <Alert tone=Tone::Warning title="We couldn't fulfil this order">
                        "Some items sold out before we could reserve them, so we refunded your payment in full."
                    </Alert>
                }.into_any(),
                OrderStatus::Pending | OrderStatus::PaymentAuthorized => view! {
                    <Alert tone=Tone::Info title="We're processing your order">"This page updates by itself."</Alert>
                }.into_any(),
            }}
        </div>
        <h2 class="tck-subtitle">"Progress"</h2>
        <Timeline events/>
        <h2 class="tck-subtitle">"Summary"</h2>
        <ul class="tck-summary__lines">
            {order.lines.into_iter().map(|line| {
                let (title, options, total) = (line.product_title, line.option_values, line.line_total);
                view! { <SummaryLine title options quantity=line.quantity total image=line.image/> }
            }).collect_view()}
        </ul>
        <p class="tck-order__total">"Total " <strong data-total="total">{money(&order.totals.total)}</strong></p>
        <a href="/">"Continue shopping"</a>
    }
}

/// Keeps `events` and `status` current: the event stream while it works, polling otherwise,
/// until the order settles or the page goes.
fn follow(order_id: String, events: RwSignal<Vec<OrderEvent>>, status: RwSignal<OrderStatus>) {
    if is_settled(status.get_untracked()) {
        return;
    }
    let add = move |event: OrderEvent| {
        events.update(|events| {
            if !events.iter().any(|known| known.sequence == event.sequence) {
                events.push(event);
                events.sort_by_key(|event| event.sequence);
            }
        });
    };
    let poll = {
        let order_id = order_id.clone();
        move || {
            let order_id = order_id.clone();
            leptos::task::spawn_local(async move {
                if let Ok(order) = api::get_order(&order_id).await {
                    for event in order.timeline {
                        add(event);
                    }
                    status.set(order.status);
                }
            });
        }
    };
    let polling = RwSignal::new(false);
    let poller = set_interval_with_handle(
        {
            let poll = poll.clone();
            move || {
                if polling.get_untracked() && !is_settled(status.get_untracked()) {
                    poll();
                }
            }
        },
        POLL_EVERY,
    )
    .ok();
    type Stream = (
        web_sys::EventSource,
        Closure<dyn FnMut(web_sys::MessageEvent)>,
        Closure<dyn FnMut()>,
    );
    // The stream is opened asynchronously (it needs the session token) but closed from here:
    // when the order settles and when the page goes.
    let stream = StoredValue::new(None::<SendWrapper<Stream>>);
    let close = move || {
        stream.update_value(|stream| {
            if let Some(stream) = stream.take() {
                stream.0.close();
            }
        })
    };
    Effect::new(move |_| {
        if is_settled(status.get()) {
            close();
        }
    });
    on_cleanup(move || {
        if let Some(poller) = poller {
            poller.clear();
        }
        close();
    });
    leptos::task::spawn_local(async move {
        let after = events.with_untracked(|events| events.last().map(|event| event.sequence));
        let Ok(url) = api::order_events_url(&order_id, after).await else {
            polling.set(true);
            return;
        };
        let Ok(source) = web_sys::EventSource::new(&url) else {
            polling.set(true);
            return;
        };
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |message: web_sys::MessageEvent| {
                if let Some(event) = message
                    .data()
                    .as_string()
                    .and_then(|data| json_codec::from_str::<OrderEvent>(&data).ok())
                {
                    add(event);
                    // The event says something happened; the order says where that leaves it.
                    poll();
                }
            },
        );
        let on_error = {
            let source = source.clone();
            Closure::<dyn FnMut()>::new(move || {
                // The stream ends when the order settles; otherwise poll instead of reconnecting.
                source.close();
                polling.set(true);
            })
        };
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        if stream
            .try_set_value(Some(SendWrapper::new((
                source.clone(),
                on_message,
                on_error,
            ))))
            .is_some()
        {
            // The page went while the stream was opening.
            source.close();
        }
    });
}
