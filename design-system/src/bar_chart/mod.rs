//! `BarChart`: a small SVG bar chart (one series) sharing `LineChart`'s scale, colours and
//! spoken summary. Never pulls in a charting library.

use leptos::prelude::*;

use crate::line_chart::{
    BOTTOM, ChartPoint, HEIGHT, LEFT, RIGHT, WIDTH, chart_frame, grid, nice_maximum, y_of,
};

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
    chart_frame("ts-chart ts-bar-chart", class, title, points, drawing)
}
