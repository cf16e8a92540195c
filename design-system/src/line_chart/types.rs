//! The data shape shared by `LineChart` and `BarChart`. Never holds drawing code.

/// One value on a chart's category axis.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartPoint {
    /// The category label ("Mon", "Amazon").
    pub label: String,
    /// The value (non-negative; negative values are drawn at zero).
    pub value: f64,
}

impl ChartPoint {
    /// A point.
    pub fn new(label: impl Into<String>, value: f64) -> Self {
        Self {
            label: label.into(),
            value,
        }
    }
}
