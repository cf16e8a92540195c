//! Signing in and creating an account. The server's field errors land on the fields; a wrong
//! email or password is one message for both (the server never says which). Each form has its
//! own `FieldErrors` in a `Provider`: a context provided straight into the page's branch would
//! outlive the form (an owner's cleanup keeps its contexts) and hand the signed-in page's fields
//! a disposed one.

use api_client::types::{Customer, Password, SignInRequest, SignUpRequest};
use design_system::{
    Alert, Button, ButtonType, ButtonVariant, FieldErrors, Select, SelectOption, TextField,
    TextFieldType, Tone,
};
use leptos::context::Provider;
use leptos::prelude::*;
use micro_app::rules;

use crate::address::COUNTRIES;
use crate::api::{self, Failure};

/// Shows a failure: on its fields when the server named them, as a message otherwise.
fn report(failure: Failure, fields: FieldErrors, message: RwSignal<Option<String>>) {
    if failure.fields.is_empty() {
        message.set(Some(failure.message));
    } else {
        fields.replace_all(failure.fields);
    }
}

/// Sends a sign-in or sign-up: the customer goes to `on_signed_in`, a refusal to the form.
fn account_task<R, Fut>(
    call: impl Fn(R) -> Fut + Copy + 'static,
    on_signed_in: Callback<Customer>,
    fields: FieldErrors,
    message: RwSignal<Option<String>>,
) -> micro_app::Task<R>
where
    R: Clone + 'static,
    Fut: std::future::Future<Output = Result<Customer, Failure>> + 'static,
{
    micro_app::task(move |request: &R| {
        let sending = call(request.clone());
        async move {
            match sending.await {
                Ok(customer) => on_signed_in.run(customer),
                Err(failure) => report(failure, fields, message),
            }
        }
    })
}

#[component]
pub fn SignInForm(on_signed_in: Callback<Customer>) -> impl IntoView {
    let fields = FieldErrors::new();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let send = account_task(
        |request: SignInRequest| async move { api::sign_in(&request).await },
        on_signed_in,
        fields,
        message,
    );
    view! {
        <Provider value=fields>
        <form
            class="tck-form"
            data-form="sign-in"
            novalidate
            on:submit=move |event| {
                event.prevent_default();
                message.set(None);
                fields.clear();
                let entered = email.get_untracked().trim().to_owned();
                if !rules::is_email(&entered) {
                    fields.set("email", "enter an email address like name@example.com");
                    return;
                }
                send.dispatch(SignInRequest { email: entered, password: password.get_untracked() });
            }
        >
            <h2 class="tck-subtitle">"Sign in"</h2>
            {move || message.get().map(|text| view! { <Alert tone=Tone::Danger><span data-error="sign-in">{text}</span></Alert> })}
            <TextField label="Email" name="email" value=email input_type=TextFieldType::Email autocomplete="email" required=true/>
            <TextField label="Password" name="password" value=password input_type=TextFieldType::Password autocomplete="current-password" required=true/>
            <div class="tck-actions">
                <Button variant=ButtonVariant::Primary button_type=ButtonType::Submit loading=send.pending()>"Sign in"</Button>
            </div>
        </form>
        </Provider>
    }
}

#[component]
pub fn SignUpForm(on_signed_in: Callback<Customer>) -> impl IntoView {
    let fields = FieldErrors::new();
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let country = RwSignal::new("US".to_owned());
    let message = RwSignal::new(None::<String>);
    let countries: Vec<SelectOption> = COUNTRIES
        .iter()
        .map(|country| SelectOption::new(country.code, country.name))
        .collect();
    let send = account_task(
        |request: SignUpRequest| async move { api::sign_up(&request).await },
        on_signed_in,
        fields,
        message,
    );
    view! {
        <Provider value=fields>
        <form
            class="tck-form"
            data-form="sign-up"
            novalidate
            on:submit=move |event| {
                event.prevent_default();
                message.set(None);
                fields.clear();
                let request = SignUpRequest {
                    name: name.get_untracked().trim().to_owned(),
                    email: email.get_untracked().trim().to_owned(),
                    password: Password(password.get_untracked()),
                    country: country.get_untracked(),
                };
                let mut problems = Vec::new();
                if request.name.is_empty() {
                    problems.push(("name", "enter your name"));
                }
                if !rules::is_email(&request.email) {
                    problems.push(("email", "enter an email address like name@example.com"));
                }
                if request.password.0.chars().count() < 12 {
                    problems.push(("password", "use at least 12 characters"));
                }
                if problems.is_empty() {
                    send.dispatch(request);
                } else {
                    fields.replace_all(problems);
                }
            }
        >
            <h2 class="tck-subtitle">"Create an account"</h2>
            {move || message.get().map(|text| view! { <Alert tone=Tone::Danger><span data-error="sign-up">{text}</span></Alert> })}
            <TextField label="Name" name="name" value=name autocomplete="name" required=true/>
            <TextField label="Email" name="email" value=email input_type=TextFieldType::Email autocomplete="email" required=true/>
            <TextField
                label="Password"
                name="password"
                value=password
                input_type=TextFieldType::Password
                autocomplete="new-password"
                hint="At least 12 characters."
                required=true
            />
            <Select
                label="Country"
                name="country"
                value=country
                options=countries
                autocomplete="country"
                hint="Your personal data is kept in your region: the EU for European countries, the US otherwise."
                required=true
            />
            <div class="tck-actions">
                <Button variant=ButtonVariant::Primary button_type=ButtonType::Submit loading=send.pending()>"Create account"</Button>
            </div>
        </form>
        </Provider>
    }
}
