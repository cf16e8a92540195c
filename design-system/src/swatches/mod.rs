//! `Swatches`: a colour option as round chips, built on the same native radio group as
//! `OptionPicker`; each chip's accessible name is its colour name, and unavailable colours are
//! disabled and announced; takes the same hint and inline error as `OptionPicker`.
//! Never shows a colour without a name.

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
    /// Help shown under the legend ("Photographed in daylight").
    #[prop(into, optional)]
    hint: MaybeProp<String>,
    /// An error to show ("Choose a colour"); overrides the `FieldErrors` entry of `name`.
    #[prop(into, optional)]
    error: MaybeProp<String>,
) -> impl IntoView {
    view! { <ChoiceGroup class label name options selected hint error swatches=true/> }
}
