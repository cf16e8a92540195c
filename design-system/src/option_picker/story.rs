//! Stories of `OptionPicker`. Gallery only.

use leptos::prelude::*;

use super::{OptionPicker, PickerOption};
use crate::stories::{ComponentStories, Control, ControlKind, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories {
    name: "OptionPicker",
    slug: "option-picker",
    description: "Pick a size or fit; unavailable values are disabled and announced.",
    controls: &[
        Control {
            key: "label",
            label: "Legend",
            kind: ControlKind::Text,
            default: "Size",
        },
        Control {
            key: "xl_available",
            label: "XL available",
            kind: ControlKind::Boolean,
            default: "false",
        },
    ],
    stories: &[
        Story {
            name: "Sizes",
            slug: "sizes",
            description: "One size sold out.",
            presets: &[],
            render,
            snippet: r#"let size = RwSignal::new(None);
<OptionPicker label="Size" name="size" selected=size
    options=vec![PickerOption::new("S"), PickerOption::new("M"), PickerOption::new("XL").unavailable()]/>"#,
        },
        Story {
            name: "All available",
            slug: "all-available",
            description: "Every value can be chosen.",
            presets: &[("xl_available", "true")],
            render,
            snippet: r#"<OptionPicker label="Size" selected=size options=sizes/>"#,
        },
    ],
};

fn render(controls: StoryControls) -> AnyView {
    let xl_available = controls.flag("xl_available");
    let selected = RwSignal::new(Some("M".to_owned()));
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
    view! { <OptionPicker label=controls.text("label") name="size" options selected/> }.into_any()
}
