//! `TextField`: a labelled single-line input with hint, inline error (`aria-invalid`,
//! `aria-describedby`) and autocomplete. The error comes from the `error` prop or from the
//! surrounding `FieldErrors` by `name`, and editing the field clears its server error.
//! Never validates: validation is the server's job.

mod types;

pub use types::*;

use leptos::prelude::*;

use crate::util::{FieldIds, FieldMessages, FieldState, RequiredMark, with_extra_class};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// A text input with label, hint and inline error.
#[component]
pub fn TextField(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// The visible label.
    #[prop(into)]
    label: Signal<String>,
    /// The form field name; also the key of its server field error (`shipping.postal_code`).
    #[prop(into)]
    name: Signal<String>,
    /// The text.
    value: RwSignal<String>,
    /// The input type.
    #[prop(into, optional)]
    input_type: Signal<TextFieldType>,
    /// Help shown under the label.
    #[prop(into, optional)]
    hint: MaybeProp<String>,
    /// An error to show; overrides the `FieldErrors` context.
    #[prop(into, optional)]
    error: MaybeProp<String>,
    /// The `autocomplete` token, for example "postal-code" or "email".
    #[prop(into, optional)]
    autocomplete: MaybeProp<String>,
    /// The `inputmode`, for example "numeric".
    #[prop(into, optional)]
    inputmode: MaybeProp<String>,
    /// Marks the field required.
    #[prop(into, optional)]
    required: Signal<bool>,
    /// Disables the field.
    #[prop(into, optional)]
    disabled: Signal<bool>,
) -> impl IntoView {
    let ids = FieldIds::new("text-field");
    let field = FieldState::new(&ids, name, hint, error);
    let field_class = with_extra_class("ts-field ts-text-field", class);
    view! {
        <div class=field_class>
            <label class="ts-field__label" for=ids.control.clone()>
                {move || label.get()}
                <RequiredMark required/>
            </label>
            <input
                id=ids.control.clone()
                class="ts-field__control"
                type=move || input_type.get().as_str()
                name=move || name.get()
                autocomplete=move || autocomplete.get()
                inputmode=move || inputmode.get()
                required=move || required.get()
                disabled=move || disabled.get()
                aria-invalid=move || field.invalid()
                aria-describedby=field.described_by
                prop:value=move || value.get()
                on:input=move |event| {
                    value.set(event_target_value(&event));
                    field.edited();
                }
            />
            <FieldMessages hint_id=ids.hint.clone() error_id=ids.error.clone() hint error=field.error/>
        </div>
    }
}
