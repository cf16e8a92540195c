//! LineChart and BarChart draw an SVG image named by the title and described by a summary, with
//! one mark per data point.
#![cfg(target_arch = "wasm32")]

mod common;

use common::{find, find_all, fresh_container, settle};
use design_system::{BarChart, ChartPoint, LineChart};
use leptos::prelude::*;
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

fn week() -> Vec<ChartPoint> {
    vec![
        ChartPoint::new("Mon", 12.0),
        ChartPoint::new("Tue", 30.0),
        ChartPoint::new("Wed", 4.0),
        ChartPoint::new("Thu", 18.0),
    ]
}

/// The text of the elements `aria-labelledby` of `svg` points at, joined by spaces.
fn accessible_name(container: &Element, svg: &Element) -> String {
    let ids = svg
        .get_attribute("aria-labelledby")
        .expect("the chart must be labelled");
    ids.split_whitespace()
        .map(|id| {
            find(container, &format!("[id='{id}']"))
                .text_content()
                .unwrap()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

const SUMMARY: &str = "4 values from Mon to Thu. Highest 30 (Tue), lowest 4 (Wed), last 18.";

#[wasm_bindgen_test]
async fn line_chart_is_a_named_image_with_one_dot_per_point() {
    let container = fresh_container();
    let points = RwSignal::new(week());
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        view! { <LineChart title="Orders this week" points/> }
    });
    settle().await;
    let svg = find(&container, "svg");
    assert_eq!(svg.get_attribute("role").as_deref(), Some("img"));
    assert_eq!(
        accessible_name(&container, &svg),
        format!("Orders this week {SUMMARY}")
    );
    assert_eq!(find_all(&svg, "circle.ts-line-chart__dot").len(), 4);
    let line = find(&svg, "path.ts-line-chart__line")
        .get_attribute("d")
        .unwrap();
    assert_eq!(line.matches(['M', 'L']).count(), 4);

    points.update(|points| points.push(ChartPoint::new("Fri", 40.0)));
    settle().await;
    assert_eq!(find_all(&svg, "circle.ts-line-chart__dot").len(), 5);
    assert!(accessible_name(&container, &svg).contains("Highest 40 (Fri)"));
}

#[wasm_bindgen_test]
async fn bar_chart_is_a_named_image_with_one_bar_per_point() {
    let container = fresh_container();
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        view! { <BarChart title="Orders this week" points=week()/> }
    });
    settle().await;
    let svg = find(&container, "svg");
    assert_eq!(svg.get_attribute("role").as_deref(), Some("img"));
    assert_eq!(
        accessible_name(&container, &svg),
        format!("Orders this week {SUMMARY}")
    );
    let bars = find_all(&svg, "rect.ts-bar-chart__bar");
    assert_eq!(bars.len(), 4);
    // The tallest bar is the highest value.
    let heights: Vec<f64> = bars
        .iter()
        .map(|bar| bar.get_attribute("height").unwrap().parse().unwrap())
        .collect();
    assert!(heights[1] > heights[3] && heights[3] > heights[0] && heights[0] > heights[2]);
}

#[wasm_bindgen_test]
async fn empty_chart_says_no_data() {
    let container = fresh_container();
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        let points: Vec<ChartPoint> = Vec::new();
        view! { <BarChart title="Returns" points/> }
    });
    settle().await;
    let svg = find(&container, "svg");
    assert_eq!(accessible_name(&container, &svg), "Returns No data.");
    assert!(find_all(&svg, "rect").is_empty());
}
