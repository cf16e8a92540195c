//! `Swatches`: a colour option as round chips, built on the same native radio group as
//! `OptionPicker`; each chip's accessible name is its colour name, and unavailable colours are
//! disabled and announced. Never shows a colour without a name.

use leptos::prelude::*;

use crate::option_picker::{ChoiceGroup, PickerOption};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// Pick a colour.
#[component]
pub fn Swatches(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// The legend ("Colour").
    #[prop(into)]
    label: Signal<String>,
    /// The form field name; a unique one when absent.
    #[prop(into, optional)]
    name: MaybeProp<String>,
    /// The colours; each needs `swatch` set.
    #[prop(into)]
    options: Signal<Vec<PickerOption>>,
    /// The chosen value.
    selected: RwSignal<Option<String>>,
) -> impl IntoView {
    view! { <ChoiceGroup class label name options selected swatches=true/> }
}
