//! Stories of `LineChart`. Gallery only.

use leptos::prelude::*;

use super::{ChartPoint, LineChart};
use crate::stories::{ComponentStories, Control, Story, StoryControls};

/// A week of sample values, scaled.
pub(crate) fn sample_week(scale: f64) -> Vec<ChartPoint> {
    ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        .into_iter()
        .zip([120.0, 132.0, 101.0, 134.0, 190.0, 230.0, 210.0])
        .map(|(label, value)| ChartPoint::new(label, value * scale))
        .collect()
}

pub(crate) static STORIES: ComponentStories = ComponentStories::new("LineChart", "line-chart")
    .about("A small SVG line chart with a spoken summary.")
    .controls(&[
        Control::text("title", "Title", "Orders per day"),
        Control::number("scale", "Scale", (0.0, 100.0, 0.5), "1"),
    ])
    .stories(&[
        Story::new("Week", "week", render)
            .about("Seven days of orders.")
            .snippet(r#"<LineChart title="Orders per day" points=vec![ChartPoint::new("Mon", 120.0), ChartPoint::new("Tue", 132.0)]/>"#),
    ]);

fn render(controls: StoryControls) -> AnyView {
    let scale = controls.number("scale");
    view! {
        <div style="max-width:36rem">
            <LineChart title=controls.text("title") points=Signal::derive(move || sample_week(scale.get()))/>
        </div>
    }
    .into_any()
}
