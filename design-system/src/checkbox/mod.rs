//! `Checkbox`: a native checkbox with its label, hint and inline error, reading its server error
//! from `FieldErrors` by `name`. Never renders a fake (div) checkbox.

use leptos::prelude::*;

use crate::util::{FieldIds, FieldMessages, FieldState, mount_style, with_extra_class};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// A checkbox with label, hint and inline error.
#[component]
pub fn Checkbox(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// The label next to the box.
    #[prop(into)]
    label: Signal<String>,
    /// The form field name; also the key of its server field error.
    #[prop(into)]
    name: Signal<String>,
    /// Whether it is checked.
    checked: RwSignal<bool>,
    /// Help shown under the label.
    #[prop(into, optional)]
    hint: MaybeProp<String>,
    /// An error to show; overrides the `FieldErrors` context.
    #[prop(into, optional)]
    error: MaybeProp<String>,
    /// Marks the field required (for example accepting terms).
    #[prop(into, optional)]
    required: Signal<bool>,
    /// Disables the field.
    #[prop(into, optional)]
    disabled: Signal<bool>,
) -> impl IntoView {
    mount_style("checkbox", include_str!("style.css"));
    let ids = FieldIds::new("checkbox");
    let field = FieldState::new(&ids, name, hint, error);
    let field_class = with_extra_class("ts-field ts-checkbox", class);
    view! {
        <div class=field_class>
            <div class="ts-checkbox__row">
                <input
                    id=ids.control.clone()
                    class="ts-checkbox__input"
                    type="checkbox"
                    name=move || name.get()
                    required=move || required.get()
                    disabled=move || disabled.get()
                    aria-invalid=move || field.invalid()
                    aria-describedby=field.described_by
                    prop:checked=move || checked.get()
                    on:change=move |event| {
                        checked.set(event_target_checked(&event));
                        field.edited();
                    }
                />
                <label class="ts-checkbox__label" for=ids.control.clone()>{move || label.get()}</label>
            </div>
            <FieldMessages hint_id=ids.hint.clone() error_id=ids.error.clone() hint error=field.error/>
        </div>
    }
}
