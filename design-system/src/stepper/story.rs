//! Stories of `Stepper`. Gallery only.

use leptos::prelude::*;

use super::Stepper;
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories::new("Stepper", "stepper")
    .about("Checkout progress; completed steps can be revisited.")
    .controls(&[Control::number(
        "current",
        "Current step (0-based)",
        (0.0, 3.0, 1.0),
        "1",
    )])
    .stories(&[
        Story::new("Checkout", "checkout", render)
            .about("On the delivery step.")
            .snippet(r#"<Stepper steps=vec!["Cart".into(), "Delivery".into(), "Payment".into(), "Review".into()] current=step on_select=move |index| step.set(index)/>"#),
        Story::new("Last step", "last-step", render)
            .about("Everything before review is complete.")
            .presets(&[("current", "3")])
            .snippet(r#"<Stepper steps=checkout_steps current=3usize/>"#),
    ]);

fn render(controls: StoryControls) -> AnyView {
    let control = controls.signal("current");
    let current = Signal::derive(move || control.get().parse::<usize>().unwrap_or(0));
    let steps = vec![
        "Cart".to_owned(),
        "Delivery".to_owned(),
        "Payment".to_owned(),
        "Review".to_owned(),
    ];
    view! { <Stepper steps current on_select=move |index: usize| control.set(index.to_string())/> }
        .into_any()
}
