//! `QuantityStepper`: a labelled number input between decrease and increase buttons that never
//! leaves `min..=max`. A button at its bound is disabled, and focus moves to the input when a
//! press disables the button under it, so keyboard users are not dropped onto the page.
//! Never talks to the cart: the caller reacts to the value.

use leptos::html;
use leptos::prelude::*;
use web_sys::Event;

use crate::icon::{Icon, IconName};
use crate::util::{FIELD_CSS, mount_style, unique_id, with_extra_class};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// A bounded quantity input.
#[component]
pub fn QuantityStepper(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// The visible label; "Quantity" when absent.
    #[prop(into, optional)]
    label: MaybeProp<String>,
    /// The form field name.
    #[prop(into, optional)]
    name: MaybeProp<String>,
    /// The quantity.
    value: RwSignal<u32>,
    /// The lowest quantity; 1 when absent.
    #[prop(into, optional)]
    min: MaybeProp<u32>,
    /// The highest quantity (stock or per-order limit); 99 when absent.
    #[prop(into, optional)]
    max: MaybeProp<u32>,
    /// Disables the whole control.
    #[prop(into, optional)]
    disabled: Signal<bool>,
) -> impl IntoView {
    mount_style("field", FIELD_CSS);
    mount_style("quantity-stepper", include_str!("style.css"));
    let input_id = unique_id("quantity");
    let input_ref = NodeRef::<html::Input>::new();
    let lowest = move || min.get().unwrap_or(1);
    let highest = move || max.get().unwrap_or(99).max(lowest());
    let clamp = move |quantity: u32| quantity.clamp(lowest(), highest());
    // Keep the value inside the bounds when the bounds themselves change (stock dropped).
    Effect::new(move |_| {
        let bounded = clamp(value.get());
        if bounded != value.get_untracked() {
            value.set(bounded);
        }
    });
    let at_min = move || value.get() <= lowest();
    let at_max = move || value.get() >= highest();
    let focus_input = move || {
        if let Some(input) = input_ref.get_untracked() {
            let _ = input.focus();
        }
    };
    let decrease = move |_| {
        value.update(|quantity| *quantity = clamp(quantity.saturating_sub(1)));
        if at_min() {
            focus_input();
        }
    };
    let increase = move |_| {
        value.update(|quantity| *quantity = clamp(quantity.saturating_add(1)));
        if at_max() {
            focus_input();
        }
    };
    let typed = move |event: Event| {
        let text = event_target_value(&event);
        match text.trim().parse::<u32>() {
            Ok(quantity) => value.set(clamp(quantity)),
            // Unparseable text snaps back to the last good value.
            Err(_) => value.set(value.get_untracked()),
        }
    };
    let stepper_class = with_extra_class("ts-field ts-quantity-stepper", class);
    let label_text = move || label.get().unwrap_or_else(|| "Quantity".to_owned());
    let action = move |verb: &str| format!("{verb} {}", continue_sentence(&label_text()));
    view! {
        <div class=stepper_class>
            <label class="ts-field__label" for=input_id.clone()>{label_text}</label>
            <div class="ts-quantity-stepper__row">
                <button
                    type="button"
                    class="ts-quantity-stepper__button"
                    aria-label=move || action("Decrease")
                    aria-controls=input_id.clone()
                    disabled=move || disabled.get() || at_min()
                    on:click=decrease
                >
                    <Icon name=IconName::Minus/>
                </button>
                <input
                    id=input_id.clone()
                    node_ref=input_ref
                    class="ts-field__control ts-quantity-stepper__input"
                    type="number"
                    inputmode="numeric"
                    name=move || name.get()
                    min=move || lowest().to_string()
                    max=move || highest().to_string()
                    step="1"
                    disabled=move || disabled.get()
                    prop:value=move || value.get().to_string()
                    on:change=typed
                />
                <button
                    type="button"
                    class="ts-quantity-stepper__button"
                    aria-label=move || action("Increase")
                    aria-controls=input_id.clone()
                    disabled=move || disabled.get() || at_max()
                    on:click=increase
                >
                    <Icon name=IconName::Plus/>
                </button>
            </div>
        </div>
    }
}

/// The label as the middle of a sentence: only its first letter lowercased ("Quantity of Organic
/// Cotton Tee" → "quantity of Organic Cotton Tee"), so product names keep their casing, and an
/// acronym ("XL size") stays as it is. ASCII only: full Unicode case mapping would put its tables
/// (several KB) into every app that shows a stepper.
fn continue_sentence(label: &str) -> String {
    let mut letters = label.chars();
    match (letters.next(), letters.next()) {
        (Some(first), second)
            if first.is_ascii_uppercase() && !second.is_some_and(|c| c.is_ascii_uppercase()) =>
        {
            format!("{}{}", first.to_ascii_lowercase(), &label[1..])
        }
        _ => label.to_owned(),
    }
}
