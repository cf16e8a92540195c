//! The chrome every form control shares: generated ids, the label, the hint and the inline error
//! wired through `aria-describedby`, and the lookup of server field errors by control name.
//! Never renders the control itself: each component owns its own input element.

use leptos::prelude::*;

use crate::field_errors::{FieldErrors, use_field_errors};

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

/// What every form control derives the same way from its props: the error it shows (the
/// explicit `error` prop wins, then the server's field error for `name` from the surrounding
/// `FieldErrors`), its `aria-describedby` list and the clearing of its server error on edit.
#[derive(Clone, Copy)]
pub(crate) struct FieldState {
    /// The error message on screen, if any.
    pub(crate) error: Signal<Option<String>>,
    /// The hint and error ids, only for those that are shown.
    pub(crate) described_by: Signal<Option<String>>,
    name: Signal<String>,
    field_errors: Option<FieldErrors>,
}

impl FieldState {
    /// Mounts the field stylesheet and wires the control named `name` to its messages.
    pub(crate) fn new(
        ids: &FieldIds,
        name: Signal<String>,
        hint: MaybeProp<String>,
        explicit_error: MaybeProp<String>,
    ) -> Self {
        super::mount_style("field", FIELD_CSS);
        let field_errors = use_field_errors();
        let error = Signal::derive(move || {
            explicit_error
                .get()
                .filter(|message| !message.is_empty())
                .or_else(|| field_errors.and_then(|errors| errors.message(&name.get())))
        });
        let (hint_id, error_id) = (ids.hint.clone(), ids.error.clone());
        let described_by = Signal::derive(move || {
            let mut parts = Vec::new();
            if hint.get().is_some_and(|hint| !hint.is_empty()) {
                parts.push(hint_id.clone());
            }
            if error.get().is_some() {
                parts.push(error_id.clone());
            }
            (!parts.is_empty()).then(|| parts.join(" "))
        });
        Self {
            error,
            described_by,
            name,
            field_errors,
        }
    }

    /// The `aria-invalid` value: `"true"` while an error shows.
    pub(crate) fn invalid(self) -> Option<&'static str> {
        self.error.get().map(|_| "true")
    }

    /// The shopper changed the value, so the server's old verdict on it no longer applies.
    pub(crate) fn edited(self) {
        if let Some(field_errors) = self.field_errors {
            field_errors.clear_field(&self.name.get_untracked());
        }
    }
}

/// The " *" after the label of a required control; hidden from screen readers, which hear
/// `required` from the control itself.
#[component]
pub(crate) fn RequiredMark(required: Signal<bool>) -> impl IntoView {
    move || {
        required
            .get()
            .then(|| view! { <span class="ts-field__required" aria-hidden="true">" *"</span> })
    }
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
