//! Stories of `OptionPicker`. Gallery only.

use leptos::prelude::*;

use super::{OptionPicker, PickerOption};
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories::new("OptionPicker", "option-picker")
    .about("Pick a size or fit; unavailable values are disabled and announced.")
    .controls(&[
        Control::text("label", "Legend", "Size"),
        Control::boolean("xl_available", "XL available", false),
        Control::text("hint", "Hint", ""),
        Control::text("error", "Error", ""),
    ])
    .stories(&[
        Story::new("Sizes", "sizes", render)
            .about("One size sold out.")
            .snippet(r#"let size = RwSignal::new(None);
<OptionPicker label="Size" name="size" selected=size
    options=vec![PickerOption::new("S"), PickerOption::new("M"), PickerOption::new("XL").unavailable()]/>"#),
        Story::new("All available", "all-available", render)
            .about("Every value can be chosen.")
            .presets(&[("xl_available", "true")])
            .snippet(r#"<OptionPicker label="Size" selected=size options=sizes/>"#),
        Story::new("Hint and error", "hint-and-error", render)
            .about("Add to cart without a size: the group says why, under a fit hint.")
            .presets(&[
                ("hint", "Runs small: pick one size up"),
                ("error", "Choose a size"),
            ])
            .snippet(r#"<OptionPicker label="Size" name="size" selected=size options=sizes
    hint="Runs small: pick one size up" error="Choose a size"/>"#),
    ]);

fn render(controls: StoryControls) -> AnyView {
    let xl_available = controls.flag("xl_available");
    let hint = controls.text("hint");
    let error = controls.text("error");
    // The error story starts with nothing chosen, as when the shopper forgot to pick.
    let selected = RwSignal::new(error.get_untracked().is_empty().then(|| "M".to_owned()));
    let options = Signal::derive(move || {
        let extra_large = PickerOption::new("XL");
        vec![
            PickerOption::new("XS"),
            PickerOption::new("S"),
            PickerOption::new("M"),
            PickerOption::new("L"),
            if xl_available.get() {
                extra_large
            } else {
                extra_large.unavailable()
            },
        ]
    });
    view! {
        <OptionPicker
            label=controls.text("label")
            name="size"
            options
            selected
            hint=Signal::derive(move || Some(hint.get()).filter(|hint| !hint.is_empty()))
            error=Signal::derive(move || Some(error.get()).filter(|error| !error.is_empty()))
        />
    }
    .into_any()
}
