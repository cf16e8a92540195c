//! The geometry both charts share: plot area, a rounded value maximum, gridlines and the spoken
//! summary. Never draws series: each chart draws its own.

use super::ChartPoint;

/// The SVG canvas size (user units) every chart draws into; CSS scales it to the container.
pub(crate) const WIDTH: f64 = 480.0;
pub(crate) const HEIGHT: f64 = 220.0;
pub(crate) const LEFT: f64 = 48.0;
pub(crate) const RIGHT: f64 = 12.0;
pub(crate) const TOP: f64 = 12.0;
pub(crate) const BOTTOM: f64 = 32.0;

/// A "nice" axis maximum at or above the largest value (1, 2, 2.5 or 5 times a power of ten).
pub(crate) fn nice_maximum(points: &[ChartPoint]) -> f64 {
    let largest = points
        .iter()
        .map(|point| point.value)
        .fold(0.0_f64, f64::max);
    if largest <= 0.0 {
        return 1.0;
    }
    let magnitude = 10_f64.powf(largest.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|factor| factor * magnitude)
        .find(|candidate| *candidate >= largest)
        .unwrap_or(largest)
}

/// The y coordinate of a value.
pub(crate) fn y_of(value: f64, maximum: f64) -> f64 {
    let plot_height = HEIGHT - TOP - BOTTOM;
    TOP + plot_height * (1.0 - (value.max(0.0) / maximum).min(1.0))
}

/// Short axis labels: 1200 → "1.2k".
pub(crate) fn short_number(value: f64) -> String {
    if value >= 1_000_000.0 {
        format!("{}M", trim(value / 1_000_000.0))
    } else if value >= 1_000.0 {
        format!("{}k", trim(value / 1_000.0))
    } else {
        trim(value)
    }
}

fn trim(value: f64) -> String {
    let text = format!("{value:.1}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// The sentence a screen reader hears instead of the drawing.
pub(crate) fn summary(points: &[ChartPoint]) -> String {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return "No data.".to_owned();
    };
    let highest = points
        .iter()
        .max_by(|left, right| left.value.total_cmp(&right.value))
        .unwrap_or(first);
    let lowest = points
        .iter()
        .min_by(|left, right| left.value.total_cmp(&right.value))
        .unwrap_or(first);
    format!(
        "{} values from {} to {}. Highest {} ({}), lowest {} ({}), last {}.",
        points.len(),
        first.label,
        last.label,
        trim(highest.value),
        highest.label,
        trim(lowest.value),
        lowest.label,
        trim(last.value)
    )
}
