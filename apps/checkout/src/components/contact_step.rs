//! Step 2: the email the confirmation goes to.

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
    let email = RwSignal::new(
        flow.checkout
            .get_untracked()
            .and_then(|checkout| checkout.email)
            .unwrap_or_default(),
    );
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
