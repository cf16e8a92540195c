//! Stories of `QuantityStepper`. Gallery only.

use leptos::prelude::*;

use super::QuantityStepper;
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories =
    ComponentStories::new("QuantityStepper", "quantity-stepper")
        .about("A quantity that stays within bounds.")
        .controls(&[
            Control::number("min", "Minimum", (0.0, 10.0, 1.0), "1"),
            Control::number("max", "Maximum", (1.0, 99.0, 1.0), "10"),
            Control::number("value", "Starting quantity", (0.0, 99.0, 1.0), "1"),
            Control::boolean("disabled", "Disabled", false),
        ])
        .stories(&[
            Story::new("Default", "default", render)
                .about("At the minimum: decrease is disabled.")
                .snippet(
                    r#"let quantity = RwSignal::new(1);
<QuantityStepper value=quantity min=1u32 max=10u32/>"#,
                ),
            Story::new("At maximum", "at-maximum", render)
                .about("Only 3 in stock: increase is disabled.")
                .presets(&[("max", "3"), ("value", "3")])
                .snippet(r#"<QuantityStepper value=quantity max=stock_left/>"#),
            Story::new("Disabled", "disabled", render)
                .about("While the cart is saving.")
                .presets(&[("disabled", "true"), ("value", "2")])
                .snippet(r#"<QuantityStepper value=quantity disabled=saving/>"#),
        ]);

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
