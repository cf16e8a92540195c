//! Stories of `FieldErrors`: a checkout form receiving a problem+json response. Gallery only.

use leptos::prelude::*;

use super::provide_field_errors;
use crate::button::{Button, ButtonVariant};
use crate::checkbox::Checkbox;
use crate::radio_group::{RadioGroup, RadioOption};
use crate::select::{Select, SelectOption};
use crate::stories::{ComponentStories, Control, Story, StoryControls};
use crate::text_field::TextField;

pub(crate) static STORIES: ComponentStories = ComponentStories::new("FieldErrors", "field-errors")
    .about("Puts problem+json field errors on their fields by name.")
    .controls(&[Control::text(
        "postal_message",
        "Postal code error from the server",
        "Enter a 5-digit ZIP code",
    )])
    .stories(&[Story::new("Server errors", "server-errors", render)
        .about(
            "Press the button to apply a 422 response's errors; editing a field clears its error.",
        )
        .snippet(
            r#"let field_errors = provide_field_errors();
// after a 422 problem+json response:
field_errors.replace_all(problem.errors.iter().map(|e| (e.field.as_str(), e.message.clone())));
<TextField label="ZIP code" name="shipping.postal_code" value=zip autocomplete="postal-code"/>"#,
        )]);

fn render(controls: StoryControls) -> AnyView {
    let field_errors = provide_field_errors();
    let postal_message = controls.text("postal_message");
    let postal_code = RwSignal::new("1234".to_owned());
    let email = RwSignal::new("someone@".to_owned());
    let country = RwSignal::new(String::new());
    let terms = RwSignal::new(false);
    let delivery = RwSignal::new(String::new());
    let apply_server_errors = move |_| {
        field_errors.replace_all([
            ("/shipping/postal_code", postal_message.get_untracked()),
            (
                "email",
                "Enter an email address like name@example.com".to_owned(),
            ),
            ("shipping.country", "Choose a country".to_owned()),
            (
                "terms_accepted",
                "Accept the terms to place your order".to_owned(),
            ),
            ("delivery_method", "Choose a delivery option".to_owned()),
        ]);
    };
    view! {
        <form style="display:grid;gap:1rem;max-width:24rem" on:submit=|event| event.prevent_default()>
            <TextField label="Email" name="email" value=email input_type=crate::text_field::TextFieldType::Email autocomplete="email"/>
            <TextField label="ZIP code" name="shipping.postal_code" value=postal_code autocomplete="postal-code" inputmode="numeric"/>
            <Select
                label="Country"
                name="shipping.country"
                value=country
                placeholder="Choose a country"
                autocomplete="country"
                options=vec![SelectOption::new("US", "United States"), SelectOption::new("DE", "Germany")]
            />
            <RadioGroup
                label="Delivery"
                name="delivery_method"
                value=delivery
                options=vec![RadioOption::new("standard", "Standard"), RadioOption::new("express", "Express")]
            />
            <Checkbox label="I accept the terms of sale" name="terms_accepted" checked=terms/>
            <div style="display:flex;gap:0.5rem">
                <Button on_click=apply_server_errors>"Simulate 422 response"</Button>
                <Button variant=ButtonVariant::Subtle on_click=move |_| field_errors.clear()>"Clear errors"</Button>
            </div>
        </form>
    }
    .into_any()
}
