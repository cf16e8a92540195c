//! Stories of `Swatches`. Gallery only.

use leptos::prelude::*;

use super::Swatches;
use crate::option_picker::PickerOption;
use crate::stories::{ComponentStories, Control, Story, StoryControls};

/// Sample colours for stories and tests.
pub(crate) fn sample_colours(green_available: bool) -> Vec<PickerOption> {
    let green = PickerOption::new("green")
        .labelled("Forest green")
        .with_swatch("#2f6b3a");
    vec![
        PickerOption::new("blue")
            .labelled("Ocean blue")
            .with_swatch("#1d4f91"),
        PickerOption::new("sand")
            .labelled("Sand")
            .with_swatch("#d8c7a3"),
        if green_available {
            green
        } else {
            green.unavailable()
        },
        PickerOption::new("black")
            .labelled("Black")
            .with_swatch("#111111"),
    ]
}

pub(crate) static STORIES: ComponentStories = ComponentStories::new("Swatches", "swatches")
    .about("Colour chips with names; unavailable colours are disabled and announced.")
    .controls(&[
        Control::boolean("green_available", "Forest green available", false),
        Control::text("hint", "Hint", ""),
        Control::text("error", "Error", ""),
    ])
    .stories(&[
        Story::new("With unavailable", "with-unavailable", render)
            .about("One colour sold out.")
            .snippet(
                r##"<Swatches label="Colour" selected=colour
    options=vec![PickerOption::new("blue").labelled("Ocean blue").with_swatch("#1d4f91")]/>"##,
            ),
        Story::new("All available", "all-available", render)
            .about("Every colour can be chosen.")
            .presets(&[("green_available", "true")])
            .snippet(r#"<Swatches label="Colour" selected=colour options=colours/>"#),
        Story::new("Hint and error", "hint-and-error", render)
            .about("No colour chosen yet: the group says why, under a hint.")
            .presets(&[
                ("hint", "Colours are photographed in daylight"),
                ("error", "Choose a colour"),
            ])
            .snippet(
                r#"<Swatches label="Colour" name="colour" selected=colour options=colours
    hint="Colours are photographed in daylight" error="Choose a colour"/>"#,
            ),
    ]);

fn render(controls: StoryControls) -> AnyView {
    let green_available = controls.flag("green_available");
    let hint = controls.text("hint");
    let error = controls.text("error");
    // The error story starts with nothing chosen, as when the shopper forgot to pick.
    let selected = RwSignal::new(error.get_untracked().is_empty().then(|| "blue".to_owned()));
    let options = Signal::derive(move || sample_colours(green_available.get()));
    view! {
        <Swatches
            label="Colour"
            name="colour"
            options
            selected
            hint=Signal::derive(move || Some(hint.get()).filter(|hint| !hint.is_empty()))
            error=Signal::derive(move || Some(error.get()).filter(|error| !error.is_empty()))
        />
    }
    .into_any()
}
