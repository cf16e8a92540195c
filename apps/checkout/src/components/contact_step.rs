//! Step 2: the email the confirmation goes to; a signed-in customer's own by default, and for a
//! guest a way to sign in first.

use design_system::{
    Button, ButtonType, ButtonVariant, TextField, TextFieldType, use_field_errors,
};
use leptos::prelude::*;
use micro_app::rules;

use super::{Flow, Step};
use crate::api;

#[component]
pub fn ContactStep(flow: Flow) -> impl IntoView {
    let field_errors = use_field_errors().unwrap_or_default();
    let customer = flow.customer.get_untracked();
    let email = RwSignal::new(
        flow.checkout
            .get_untracked()
            .and_then(|checkout| checkout.email)
            .or_else(|| customer.as_ref().map(|customer| customer.email.clone()))
            .unwrap_or_default(),
    );
    let account = match customer {
        Some(customer) => view! {
            <p class="tck-account__note" data-state="signed-in">{format!("Signed in as {}.", customer.name)}</p>
        }
        .into_any(),
        None => view! {
            <p class="tck-account__note" data-state="guest">
                "Checking out as a guest. " <a href="/account">"Sign in"</a> " to use your saved addresses."
            </p>
        }
        .into_any(),
    };
    let save = micro_app::task(move |email: &String| {
        let email = email.trim().to_owned();
        async move {
            flow.submit_step(Step::Address, field_errors, "email", |id| async move {
                api::update_contact(&id, &email).await
            })
            .await
        }
    });
    view! {
        <form
            class="tck-form"
            novalidate
            on:submit=move |event| {
                event.prevent_default();
                let entered = email.get_untracked();
                if rules::is_email(entered.trim()) {
                    save.dispatch(entered);
                } else {
                    field_errors.set("email", "enter an email address like name@example.com");
                }
            }
        >
            <h2 class="tck-subtitle">"Contact"</h2>
            {account}
            <TextField
                label="Email"
                name="email"
                value=email
                input_type=TextFieldType::Email
                autocomplete="email"
                hint="We send the order confirmation here."
                required=true
            />
            <div class="tck-actions">
                <Button variant=ButtonVariant::Primary button_type=ButtonType::Submit loading=save.pending()>
                    "Continue to shipping address"
                </Button>
            </div>
        </form>
    }
}
