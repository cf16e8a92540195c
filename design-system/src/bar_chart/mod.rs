//! `BarChart`: a small SVG bar chart (one series) sharing `LineChart`'s scale, colours and
//! spoken summary. Never pulls in a charting library.

use leptos::prelude::*;

use crate::line_chart::{
    BOTTOM, CHART_CSS, ChartPoint, HEIGHT, LEFT, RIGHT, WIDTH, grid, nice_maximum, summary, y_of,
};
use crate::util::{class_names, mount_style, unique_id};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// A bar chart.
#[component]
pub fn BarChart(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// The title, shown above the chart and naming it.
    #[prop(into)]
    title: Signal<String>,
    /// The bars, in order.
    #[prop(into)]
    points: Signal<Vec<ChartPoint>>,
) -> impl IntoView {
    mount_style("chart", CHART_CSS);
    let title_id = unique_id("chart-title");
    let description_id = format!("{title_id}-description");
    let chart_class = move || {
        let extra = class.get();
        class_names([Some("ts-chart ts-bar-chart"), extra.as_deref()])
    };
    let drawing = move || {
        let points = points.get();
        let maximum = nice_maximum(&points);
        let slot = (WIDTH - LEFT - RIGHT) / points.len().max(1) as f64;
        let bar_width = slot * 0.6;
        let baseline = HEIGHT - BOTTOM;
        view! {
            {grid(maximum)}
            {points
                .iter()
                .enumerate()
                .map(|(index, point)| {
                    let x = LEFT + slot * index as f64 + (slot - bar_width) / 2.0;
                    let y = y_of(point.value, maximum);
                    view! {
                        <rect class="ts-bar-chart__bar" x=x y=y width=bar_width height=baseline - y></rect>
                        <text class="ts-chart__label" x=x + bar_width / 2.0 y=HEIGHT - 10.0 text-anchor="middle">
                            {point.label.clone()}
                        </text>
                    }
                })
                .collect_view()}
        }
    };
    view! {
        <figure class=chart_class>
            <figcaption class="ts-chart__title" id=title_id.clone()>{move || title.get()}</figcaption>
            <svg
                class="ts-chart__svg"
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-labelledby=format!("{title_id} {description_id}")
            >
                <desc id=description_id.clone()>{move || points.with(|points| summary(points))}</desc>
                {drawing}
            </svg>
        </figure>
    }
}
