//! Stories of `QuantityStepper`. Gallery only.

use leptos::prelude::*;

use super::QuantityStepper;
use crate::stories::{ComponentStories, Control, ControlKind, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories {
    name: "QuantityStepper",
    slug: "quantity-stepper",
    description: "A quantity that stays within bounds.",
    controls: &[
        Control {
            key: "min",
            label: "Minimum",
            kind: ControlKind::Number {
                min: 0.0,
                max: 10.0,
                step: 1.0,
            },
            default: "1",
        },
        Control {
            key: "max",
            label: "Maximum",
            kind: ControlKind::Number {
                min: 1.0,
                max: 99.0,
                step: 1.0,
            },
            default: "10",
        },
        Control {
            key: "value",
            label: "Starting quantity",
            kind: ControlKind::Number {
                min: 0.0,
                max: 99.0,
                step: 1.0,
            },
            default: "1",
        },
        Control {
            key: "disabled",
            label: "Disabled",
            kind: ControlKind::Boolean,
            default: "false",
        },
    ],
    stories: &[
        Story {
            name: "Default",
            slug: "default",
            description: "At the minimum: decrease is disabled.",
            presets: &[],
            render,
            snippet: r#"let quantity = RwSignal::new(1);
<QuantityStepper value=quantity min=1u32 max=10u32/>"#,
        },
        Story {
            name: "At maximum",
            slug: "at-maximum",
            description: "Only 3 in stock: increase is disabled.",
            presets: &[("max", "3"), ("value", "3")],
            render,
            snippet: r#"<QuantityStepper value=quantity max=stock_left/>"#,
        },
        Story {
            name: "Disabled",
            slug: "disabled",
            description: "While the cart is saving.",
            presets: &[("disabled", "true"), ("value", "2")],
            render,
            snippet: r#"<QuantityStepper value=quantity disabled=saving/>"#,
        },
    ],
};

fn render(controls: StoryControls) -> AnyView {
    let starting = controls.number("value");
    let value = RwSignal::new(starting.get_untracked() as u32);
    Effect::new(move |_| value.set(starting.get() as u32));
    let min = controls.number("min");
    let max = controls.number("max");
    view! {
        <QuantityStepper
            value
            min=Signal::derive(move || Some(min.get() as u32))
            max=Signal::derive(move || Some(max.get() as u32))
            disabled=controls.flag("disabled")
        />
    }
    .into_any()
}
