//! The chrome every form control shares: generated ids, the label, the hint and the inline error
//! wired through `aria-describedby`, and the lookup of server field errors by control name.
//! Never renders the control itself: each component owns its own input element.

use leptos::prelude::*;

use crate::field_errors::use_field_errors;

pub(crate) const FIELD_CSS: &str = include_str!("field.css");

/// The ids of one control and of its hint and error messages.
#[derive(Clone)]
pub(crate) struct FieldIds {
    pub(crate) control: String,
    pub(crate) hint: String,
    pub(crate) error: String,
}

impl FieldIds {
    pub(crate) fn new(purpose: &str) -> Self {
        let control = super::unique_id(purpose);
        Self {
            hint: format!("{control}-hint"),
            error: format!("{control}-error"),
            control,
        }
    }
}

/// The error to show for a control: the explicit `error` prop wins, then the server's field error
/// for `name` from the surrounding `FieldErrors` context.
pub(crate) fn field_error_signal(
    explicit_error: MaybeProp<String>,
    name: Signal<String>,
) -> Signal<Option<String>> {
    let field_errors = use_field_errors();
    Signal::derive(move || {
        explicit_error
            .get()
            .filter(|message| !message.is_empty())
            .or_else(|| field_errors.and_then(|errors| errors.message(&name.get())))
    })
}

/// The `aria-describedby` value: the hint and the error ids, only for those that are shown.
pub(crate) fn described_by(
    ids: &FieldIds,
    hint: MaybeProp<String>,
    error: Signal<Option<String>>,
) -> Signal<Option<String>> {
    let hint_id = ids.hint.clone();
    let error_id = ids.error.clone();
    Signal::derive(move || {
        let mut parts = Vec::new();
        if hint.get().is_some_and(|hint| !hint.is_empty()) {
            parts.push(hint_id.clone());
        }
        if error.get().is_some() {
            parts.push(error_id.clone());
        }
        (!parts.is_empty()).then(|| parts.join(" "))
    })
}

/// The hint and the inline error under a control.
#[component]
pub(crate) fn FieldMessages(
    /// The ids from [`FieldIds`].
    hint_id: String,
    /// The error message id.
    error_id: String,
    /// The hint text, if any.
    hint: MaybeProp<String>,
    /// The error message, if any.
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        {move || {
            hint.get()
                .filter(|hint| !hint.is_empty())
                .map(|hint| view! { <p class="ts-field__hint" id=hint_id.clone()>{hint}</p> })
        }}
        {move || {
            error.get().map(|message| {
                view! {
                    <p class="ts-field__error" id=error_id.clone()>
                        <span class="ts-visually-hidden">"Error: "</span>
                        {message}
                    </p>
                }
            })
        }}
    }
}
