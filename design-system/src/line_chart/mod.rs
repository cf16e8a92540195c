//! `LineChart`: a small SVG line chart (one series) for the ops UI, drawn with token colours,
//! named by its title and described by a generated summary sentence for screen readers.
//! Never pulls in a charting library or animates data.

mod scale;
mod types;

pub(crate) use scale::*;
pub use types::*;

use leptos::prelude::*;

use crate::util::{mount_style, unique_id, with_extra_class};

#[cfg(feature = "stories")]
pub(crate) mod story;

pub(crate) const CHART_CSS: &str = include_str!("style.css");

/// A line chart.
#[component]
pub fn LineChart(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// The title, shown above the chart and naming it.
    #[prop(into)]
    title: Signal<String>,
    /// The points, in order.
    #[prop(into)]
    points: Signal<Vec<ChartPoint>>,
) -> impl IntoView {
    let drawing = move || {
        let points = points.get();
        let maximum = nice_maximum(&points);
        let plot_width = WIDTH - LEFT - RIGHT;
        let step = if points.len() > 1 {
            plot_width / (points.len() - 1) as f64
        } else {
            0.0
        };
        let x_of = move |index: usize| LEFT + step * index as f64;
        let path: String = points
            .iter()
            .enumerate()
            .map(|(index, point)| {
                let command = if index == 0 { 'M' } else { 'L' };
                format!(
                    "{command}{:.1},{:.1}",
                    x_of(index),
                    y_of(point.value, maximum)
                )
            })
            .collect::<Vec<_>>()
            .join(" ");
        let last_index = points.len().saturating_sub(1);
        view! {
            {grid(maximum)}
            <path class="ts-line-chart__line" d=path></path>
            {points
                .iter()
                .enumerate()
                .map(|(index, point)| {
                    view! { <circle class="ts-line-chart__dot" cx=x_of(index) cy=y_of(point.value, maximum) r="3"></circle> }
                })
                .collect_view()}
            {points
                .iter()
                .enumerate()
                .filter(|(index, _)| *index == 0 || *index == last_index || *index == last_index / 2)
                .map(|(index, point)| {
                    view! {
                        <text class="ts-chart__label" x=x_of(index) y=HEIGHT - 10.0 text-anchor="middle">
                            {point.label.clone()}
                        </text>
                    }
                })
                .collect_view()}
        }
    };
    chart_frame("ts-chart ts-line-chart", class, title, points, drawing)
}

/// The figure every chart draws in: the title naming the SVG, a spoken summary of `points`
/// describing it, and `drawing` inside.
pub(crate) fn chart_frame(
    kind_class: &'static str,
    class: MaybeProp<String>,
    title: Signal<String>,
    points: Signal<Vec<ChartPoint>>,
    drawing: impl IntoView + 'static,
) -> impl IntoView {
    mount_style("chart", CHART_CSS);
    let title_id = unique_id("chart-title");
    let description_id = format!("{title_id}-description");
    view! {
        <figure class=with_extra_class(kind_class, class)>
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

/// Three horizontal gridlines with their values.
pub(crate) fn grid(maximum: f64) -> impl IntoView {
    [0.0, 0.5, 1.0]
        .into_iter()
        .map(|fraction| {
            let value = maximum * fraction;
            let y = y_of(value, maximum);
            view! {
                <line class="ts-chart__grid" x1=LEFT x2=WIDTH - RIGHT y1=y y2=y></line>
                <text class="ts-chart__label" x=LEFT - 6.0 y=y + 4.0 text-anchor="end">{short_number(value)}</text>
            }
        })
        .collect_view()
}
