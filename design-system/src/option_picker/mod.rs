//! `OptionPicker`: a product option (size, fit) as a group of native radio buttons in a
//! fieldset, so arrow keys, form submission and screen-reader announcements come from the
//! browser. Unavailable values are disabled and say "unavailable" in their accessible name.
//! A hint and an inline error (explicit, or the `FieldErrors` entry of `name`) use the shared
//! field chrome, wired to the fieldset with `aria-describedby` and `aria-invalid`.
//! Also hosts the choice group `Swatches` reuses. Never decides availability itself.

mod types;

pub use types::*;

use leptos::prelude::*;

use crate::util::{FieldIds, FieldMessages, FieldState, class_names, mount_style};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// Pick one value of a product option.
#[component]
pub fn OptionPicker(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// The option's name, shown as the legend ("Size").
    #[prop(into)]
    label: Signal<String>,
    /// The form field name; a unique one when absent.
    #[prop(into, optional)]
    name: MaybeProp<String>,
    /// The values.
    #[prop(into)]
    options: Signal<Vec<PickerOption>>,
    /// The chosen value.
    selected: RwSignal<Option<String>>,
    /// Help shown under the legend ("Runs small: pick one size up").
    #[prop(into, optional)]
    hint: MaybeProp<String>,
    /// An error to show ("Choose a size"); overrides the `FieldErrors` entry of `name`.
    #[prop(into, optional)]
    error: MaybeProp<String>,
) -> impl IntoView {
    view! { <ChoiceGroup class label name options selected hint error swatches=false/> }
}

/// The fieldset of radios behind `OptionPicker` and `Swatches`.
#[component]
pub(crate) fn ChoiceGroup(
    /// Extra classes.
    class: MaybeProp<String>,
    /// The legend.
    label: Signal<String>,
    /// The form field name.
    name: MaybeProp<String>,
    /// The values.
    options: Signal<Vec<PickerOption>>,
    /// The chosen value.
    selected: RwSignal<Option<String>>,
    /// Help shown under the legend.
    hint: MaybeProp<String>,
    /// An error to show; overrides the `FieldErrors` context.
    error: MaybeProp<String>,
    /// Draw colour chips instead of text.
    swatches: bool,
) -> impl IntoView {
    mount_style("option-picker", include_str!("style.css"));
    let ids = FieldIds::new("choice");
    let fallback_name = ids.control.clone();
    let group_name = Signal::derive(move || name.get().unwrap_or_else(|| fallback_name.clone()));
    // Only an explicit name can have a server field error: the generated one is never sent.
    let error_key = Signal::derive(move || name.get().unwrap_or_default());
    let field = FieldState::new(&ids, error_key, hint, error);
    let chosen_label = move || {
        let chosen = selected.get()?;
        options.with(|options| {
            options
                .iter()
                .find(|option| option.value == chosen)
                .map(|option| option.label.clone())
        })
    };
    let group_class = move || {
        let extra = class.get();
        class_names([
            Some("ts-option-picker"),
            swatches.then_some("ts-option-picker--swatches"),
            extra.as_deref(),
        ])
    };
    view! {
        <fieldset
            class=group_class
            aria-describedby=field.described_by
            aria-invalid=move || field.invalid()
        >
            <legend class="ts-option-picker__legend">
                {move || label.get()}
                {move || chosen_label().map(|chosen| view! { <span class="ts-option-picker__chosen">{format!(": {chosen}")}</span> })}
            </legend>
            <FieldMessages hint_id=ids.hint.clone() error_id=ids.error.clone() hint error=field.error/>
            <div class="ts-option-picker__options">
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|option| {
                            let value = option.value.clone();
                            let is_checked = {
                                let value = value.clone();
                                move || selected.with(|selected| selected.as_deref() == Some(value.as_str()))
                            };
                            let option_class = class_names([
                                Some("ts-option-picker__option"),
                                (!option.available).then_some("ts-option-picker__option--unavailable"),
                            ]);
                            let face = if swatches {
                                let chip_style = option
                                    .swatch
                                    .clone()
                                    .map(|colour| format!("background-color:{colour}"));
                                view! {
                                    <span class="ts-option-picker__chip" style=chip_style aria-hidden="true"></span>
                                    <span class="ts-visually-hidden">{option.label.clone()}</span>
                                }
                                    .into_any()
                            } else {
                                view! { <span class="ts-option-picker__text">{option.label.clone()}</span> }
                                    .into_any()
                            };
                            let title = swatches.then(|| option.label.clone());
                            view! {
                                <label class=option_class title=title>
                                    <input
                                        class="ts-option-picker__input"
                                        type="radio"
                                        name=move || group_name.get()
                                        value=value.clone()
                                        disabled=!option.available
                                        prop:checked=is_checked
                                        on:change=move |_| {
                                            selected.set(Some(value.clone()));
                                            // Choosing is the fix, so the server's error goes.
                                            field.edited();
                                        }
                                    />
                                    {face}
                                    {(!option.available)
                                        .then(|| view! { <span class="ts-visually-hidden">" (unavailable)"</span> })}
                                </label>
                            }
                        })
                        .collect_view()
                }}
            </div>
        </fieldset>
    }
}
