//! `RadioGroup`: native radios in a fieldset whose legend is the label, with a hint per option,
//! a group hint and an inline group error read from `FieldErrors` by `name`.
//! Never renders custom radio widgets.

use leptos::prelude::*;

use crate::util::{
    FieldIds, FieldMessages, FieldState, RequiredMark, mount_style, with_extra_class,
};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// One choice of a [`RadioGroup`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RadioOption {
    /// The submitted value.
    pub value: String,
    /// The visible label.
    pub label: String,
    /// Extra detail under the label, such as a delivery estimate.
    pub hint: Option<String>,
}

impl RadioOption {
    /// A choice without a hint.
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
            hint: None,
        }
    }

    /// The same choice with a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// A group of radios with legend, hints and inline error.
#[component]
pub fn RadioGroup(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// The legend.
    #[prop(into)]
    label: Signal<String>,
    /// The form field name; also the key of its server field error.
    #[prop(into)]
    name: Signal<String>,
    /// The choices.
    #[prop(into)]
    options: Signal<Vec<RadioOption>>,
    /// The chosen value (empty = none).
    value: RwSignal<String>,
    /// Help shown under the legend.
    #[prop(into, optional)]
    hint: MaybeProp<String>,
    /// An error to show; overrides the `FieldErrors` context.
    #[prop(into, optional)]
    error: MaybeProp<String>,
    /// Marks the group required.
    #[prop(into, optional)]
    required: Signal<bool>,
) -> impl IntoView {
    mount_style("radio-group", include_str!("style.css"));
    let ids = FieldIds::new("radio-group");
    let field = FieldState::new(&ids, name, hint, error);
    let group_id = ids.control.clone();
    let group_class = with_extra_class("ts-field ts-radio-group", class);
    view! {
        <fieldset
            class=group_class
            aria-describedby=field.described_by
            aria-invalid=move || field.invalid()
        >
            <legend class="ts-field__label">
                {move || label.get()}
                <RequiredMark required/>
            </legend>
            <FieldMessages hint_id=ids.hint.clone() error_id=ids.error.clone() hint error=field.error/>
            <div class="ts-radio-group__options">
                {move || {
                    options
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(index, option)| {
                            let option_id = format!("{group_id}-{index}");
                            let option_hint_id = format!("{option_id}-hint");
                            let option_value = option.value.clone();
                            let is_checked = {
                                let option_value = option.value.clone();
                                move || value.with(|value| *value == option_value)
                            };
                            view! {
                                <div class="ts-radio-group__option">
                                    <input
                                        id=option_id.clone()
                                        class="ts-radio-group__input"
                                        type="radio"
                                        name=move || name.get()
                                        value=option.value.clone()
                                        required=move || required.get()
                                        aria-describedby=option.hint.as_ref().map(|_| option_hint_id.clone())
                                        prop:checked=is_checked
                                        on:change=move |_| {
                                            value.set(option_value.clone());
                                            field.edited();
                                        }
                                    />
                                    <label class="ts-radio-group__label" for=option_id>{option.label}</label>
                                    {option.hint.map(|hint| view! { <p class="ts-field__hint ts-radio-group__hint" id=option_hint_id>{hint}</p> })}
                                </div>
                            }
                        })
                        .collect_view()
                }}
            </div>
        </fieldset>
    }
}
