//! `Rating`: read-only stars (fractional fill) with one accessible sentence such as "Rated 4.5
//! out of 5, 128 reviews"; the stars themselves are hidden from assistive technology.
//! Never takes input: rating a product is a form, not this component.

use leptos::prelude::*;

use crate::util::{mount_style, with_extra_class};

#[cfg(feature = "stories")]
pub(crate) mod story;

const STAR_PATH: &str =
    "M12 2.5l2.9 6.1 6.6.8-4.9 4.6 1.3 6.6L12 17.3l-5.9 3.3 1.3-6.6-4.9-4.6 6.6-.8z";

/// Read-only star rating.
#[component]
pub fn Rating(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// The average rating, from 0 to `max`.
    #[prop(into)]
    value: Signal<f64>,
    /// The number of stars; 5 when absent.
    #[prop(into, optional)]
    max: MaybeProp<u8>,
    /// How many reviews the average is over; shown after the stars.
    #[prop(into, optional)]
    count: MaybeProp<u32>,
) -> impl IntoView {
    mount_style("rating", include_str!("style.css"));
    let star_count = move || max.get().unwrap_or(5).max(1);
    let clamped = move || value.get().clamp(0.0, f64::from(star_count()));
    // Tenths as integers: formatting an f64 would pull Rust's float printing (several KB of
    // wasm) into every app that shows a rating.
    let rounded_tenths = move || (clamped() * 10.0).round() as u32;
    let accessible_text = move || {
        let rounded = match rounded_tenths() {
            tenths if tenths % 10 == 0 => (tenths / 10).to_string(),
            tenths => format!("{}.{}", tenths / 10, tenths % 10),
        };
        match count.get() {
            Some(1) => format!("Rated {rounded} out of {}, 1 review", star_count()),
            Some(count) => format!("Rated {rounded} out of {}, {count} reviews", star_count()),
            None => format!("Rated {rounded} out of {}", star_count()),
        }
    };
    let fill_width = move || {
        let per_mille = (clamped() / f64::from(star_count()) * 1000.0).round() as u32;
        format!("width:{}.{}%", per_mille / 10, per_mille % 10)
    };
    let stars = move || {
        (0..star_count())
            .map(|_| {
                view! {
                    <svg class="ts-rating__star" viewBox="0 0 24 24" focusable="false">
                        <path d=STAR_PATH></path>
                    </svg>
                }
            })
            .collect_view()
    };
    let rating_class = with_extra_class("ts-rating", class);
    view! {
        <span class=rating_class>
            <span class="ts-rating__stars" role="img" aria-label=accessible_text>
                <span class="ts-rating__empty" aria-hidden="true">{stars}</span>
                <span class="ts-rating__filled" aria-hidden="true" style=fill_width>{stars}</span>
            </span>
            {move || {
                count
                    .get()
                    .map(|count| view! { <span class="ts-rating__count" aria-hidden="true">{format!("({count})")}</span> })
            }}
        </span>
    }
}
