//! `/account`: a guest signs in or creates an account (their cart comes along); a customer
//! sees their profile, saved addresses, consent choices, orders and mail, and their data.
//! It lives in the checkout app because it shares everything with checkout: the customer's
//! session (checkout prefills from it and saves addresses to it), the country-aware address
//! rules and the order pages; a separate app would ship the same code twice.

use api_client::types::Customer;
use design_system::{ErrorState, Skeleton};
use leptos::prelude::*;

use crate::api;
use crate::components::account::{
    AddressBook, ConsentChoices, MailHistory, MyData, OrderHistory, SignInForm, SignUpForm,
};

#[component]
pub fn AccountPage() -> impl IntoView {
    micro_app::page_title("Your account");
    let me = micro_app::load(api::me);
    // Signing in, up or out changes who the page is for: the answer replaces the loaded one.
    let signed_in = RwSignal::new(None::<Option<Customer>>);
    let current = move || signed_in.get().or_else(|| me.get().and_then(Result::ok));
    let on_signed_in = Callback::new(move |customer: Customer| signed_in.set(Some(Some(customer))));
    let on_signed_out = Callback::new(move |()| signed_in.set(Some(None)));
    view! {
        <div class="tck-page tck-account">
            <h1 class="tck-title">"Your account"</h1>
            {move || match (current(), me.get()) {
                (Some(Some(customer)), _) => view! { <Signed customer on_signed_out/> }.into_any(),
                (Some(None), _) => view! {
                    <div class="tck-account__entry" data-state="signed-out">
                        <SignInForm on_signed_in/>
                        <SignUpForm on_signed_in/>
                    </div>
                }.into_any(),
                (None, Some(Err(failure))) => view! {
                    <ErrorState title="We couldn't load your account" detail=failure.message on_retry=Callback::new(move |()| me.refetch())/>
                }.into_any(),
                (None, _) => view! { <Skeleton width="100%" height="12rem"/> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Signed(customer: Customer, on_signed_out: Callback<()>) -> impl IntoView {
    let region = match customer.region.to_string().as_str() {
        "eu" => "the European Union",
        _ => "the United States",
    };
    view! {
        <div class="tck-account__grid" data-state="signed-in" data-region=customer.region.to_string()>
            <section class="tck-account__section" aria-labelledby="tck-profile">
                <h2 class="tck-subtitle" id="tck-profile">"Profile"</h2>
                <p data-profile="name">{customer.name.clone()}</p>
                <p data-profile="email">{customer.email.clone()}</p>
                <p class="tck-account__note">{format!("Your personal data is stored in {region}.")}</p>
                <a href="/checkout">"Go to checkout"</a>
            </section>
            <AddressBook/>
            <ConsentChoices/>
            <OrderHistory/>
            <MailHistory/>
            <MyData customer_id=customer.id on_signed_out/>
        </div>
    }
}
