//! The customer's orders (each links to its live page) and the mail the shop sent them, with
//! the consent each mail was sent under.

use design_system::{EmptyState, ErrorState, IconName, Skeleton};
use leptos::prelude::*;

use crate::api;
use crate::components::money;

#[component]
pub fn OrderHistory() -> impl IntoView {
    let orders = micro_app::load(api::my_orders);
    view! {
        <section class="tck-account__section" aria-labelledby="tck-orders">
            <h2 class="tck-subtitle" id="tck-orders">"Your orders"</h2>
            {move || match orders.get() {
                None => view! { <Skeleton width="100%" height="4rem"/> }.into_any(),
                Some(Err(failure)) => view! {
                    <ErrorState title="We couldn't load your orders" detail=failure.message on_retry=Callback::new(move |()| orders.refetch())/>
                }.into_any(),
                Some(Ok(items)) if items.is_empty() => view! {
                    <EmptyState title="No orders yet" description="Orders you place while signed in appear here." icon=IconName::Bag/>
                }.into_any(),
                Some(Ok(items)) => view! {
                    <ul class="tck-account__list">
                        {items.into_iter().map(|order| view! {
                            <li class="tck-account__item" data-order=order.number.clone()>
                                <a href=format!("/orders/{}", order.id)>{order.number.clone()}</a>
                                <span>{order.status.to_string()}</span>
                                <span>{money(&order.total)}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
pub fn MailHistory() -> impl IntoView {
    let mail = micro_app::load(api::my_mail);
    view! {
        <section class="tck-account__section" aria-labelledby="tck-mail">
            <h2 class="tck-subtitle" id="tck-mail">"Mail we sent you"</h2>
            {move || match mail.get() {
                None => view! { <Skeleton width="100%" height="4rem"/> }.into_any(),
                Some(Err(failure)) => view! {
                    <ErrorState title="We couldn't load your mail" detail=failure.message on_retry=Callback::new(move |()| mail.refetch())/>
                }.into_any(),
                Some(Ok(items)) if items.is_empty() => view! {
                    <EmptyState title="No mail yet" description="Mail goes out only for what you agreed to above." icon=IconName::Info/>
                }.into_any(),
                Some(Ok(items)) => view! {
                    <ul class="tck-account__list">
                        {items.into_iter().map(|mail| view! {
                            <li class="tck-account__item" data-mail=mail.purpose.to_string()>
                                <strong>{mail.subject}</strong>
                                <span>{mail.body}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
