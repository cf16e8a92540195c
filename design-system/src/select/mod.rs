//! `Select`: a labelled native `<select>` with hint, inline error and autocomplete, reading its
//! server error from `FieldErrors` by `name`. Never builds a custom listbox: the native control
//! is accessible and small.

use leptos::prelude::*;

use crate::util::{FieldIds, FieldMessages, FieldState, RequiredMark, with_extra_class};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// One entry of a [`Select`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectOption {
    /// The submitted value.
    pub value: String,
    /// The visible text.
    pub label: String,
}

impl SelectOption {
    /// An option.
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
        }
    }
}

/// A native select with label, hint and inline error.
#[component]
pub fn Select(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// The visible label.
    #[prop(into)]
    label: Signal<String>,
    /// The form field name; also the key of its server field error.
    #[prop(into)]
    name: Signal<String>,
    /// The entries.
    #[prop(into)]
    options: Signal<Vec<SelectOption>>,
    /// The chosen value.
    value: RwSignal<String>,
    /// A first, empty entry such as "Choose a country"; none when absent.
    #[prop(into, optional)]
    placeholder: MaybeProp<String>,
    /// Help shown under the label.
    #[prop(into, optional)]
    hint: MaybeProp<String>,
    /// An error to show; overrides the `FieldErrors` context.
    #[prop(into, optional)]
    error: MaybeProp<String>,
    /// The `autocomplete` token, for example "country".
    #[prop(into, optional)]
    autocomplete: MaybeProp<String>,
    /// Marks the field required.
    #[prop(into, optional)]
    required: Signal<bool>,
    /// Disables the field.
    #[prop(into, optional)]
    disabled: Signal<bool>,
) -> impl IntoView {
    let ids = FieldIds::new("select");
    let field = FieldState::new(&ids, name, hint, error);
    let field_class = with_extra_class("ts-field ts-select", class);
    view! {
        <div class=field_class>
            <label class="ts-field__label" for=ids.control.clone()>
                {move || label.get()}
                <RequiredMark required/>
            </label>
            <select
                id=ids.control.clone()
                class="ts-field__control"
                name=move || name.get()
                autocomplete=move || autocomplete.get()
                required=move || required.get()
                disabled=move || disabled.get()
                aria-invalid=move || field.invalid()
                aria-describedby=field.described_by
                prop:value=move || value.get()
                on:change=move |event| {
                    value.set(event_target_value(&event));
                    field.edited();
                }
            >
                {move || placeholder.get().map(|text| view! { <option value="">{text}</option> })}
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|option| {
                            let is_selected = {
                                let option_value = option.value.clone();
                                move || value.with(|value| *value == option_value)
                            };
                            view! { <option value=option.value selected=is_selected>{option.label}</option> }
                        })
                        .collect_view()
                }}
            </select>
            <FieldMessages hint_id=ids.hint.clone() error_id=ids.error.clone() hint error=field.error/>
        </div>
    }
}
