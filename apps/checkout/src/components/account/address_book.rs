//! The saved addresses, each with a way to delete it. New ones are saved from the checkout's
//! address step, where an address is checked for its country.

use api_client::types::SavedAddress;
use design_system::{Button, ButtonVariant, EmptyState, ErrorState, IconName, Skeleton};
use leptos::prelude::*;

use crate::address::one_line;
use crate::api;

#[component]
pub fn AddressBook() -> impl IntoView {
    let book = micro_app::load(api::saved_addresses);
    let failed = RwSignal::new(None::<String>);
    let delete = micro_app::task(move |id: &String| {
        let id = id.clone();
        async move {
            match api::delete_address(&id).await {
                Ok(()) => book.refetch(),
                Err(failure) => failed.set(Some(failure.message)),
            }
        }
    });
    let entry = move |saved: SavedAddress| {
        let id = saved.id.clone();
        view! {
            <li class="tck-account__item" data-address=saved.id.clone()>
                <span>{one_line(&saved.address)}</span>
                <Button variant=ButtonVariant::Secondary on_click=Callback::new(move |_| delete.dispatch(id.clone()))>
                    "Delete"
                </Button>
            </li>
        }
    };
    view! {
        <section class="tck-account__section" aria-labelledby="tck-addresses">
            <h2 class="tck-subtitle" id="tck-addresses">"Saved addresses"</h2>
            {move || failed.get().map(|text| view! { <p class="tck-account__error" role="alert">{text}</p> })}
            {move || match book.get() {
                None => view! { <Skeleton width="100%" height="4rem"/> }.into_any(),
                Some(Err(failure)) => view! {
                    <ErrorState title="We couldn't load your addresses" detail=failure.message on_retry=Callback::new(move |()| book.refetch())/>
                }.into_any(),
                Some(Ok(addresses)) if addresses.is_empty() => view! {
                    <EmptyState
                        title="No saved addresses"
                        description="Tick \"Save this address\" at checkout and it appears here."
                        icon=IconName::Info
                    />
                }.into_any(),
                Some(Ok(addresses)) => view! {
                    <ul class="tck-account__list">{addresses.into_iter().map(entry).collect_view()}</ul>
                }.into_any(),
            }}
        </section>
    }
}
