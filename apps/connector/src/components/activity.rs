//! A connector's last 24 hours as charts: orders imported per hour, and failed and throttled
//! requests per hour.

use api_client::types::ConnectorActivity;
use design_system::{BarChart, ChartPoint};
use leptos::prelude::*;

use crate::format;

#[component]
pub fn ActivityCharts(activity: ConnectorActivity) -> impl IntoView {
    let series = |value: fn(&api_client::types::ConnectorHour) -> i64| -> Vec<ChartPoint> {
        activity
            .hours
            .iter()
            .map(|hour| ChartPoint::new(format::hour(&hour.hour), value(hour) as f64))
            .collect()
    };
    let orders = series(|hour| hour.orders_imported);
    let errors = series(|hour| hour.errors + hour.throttled);
    view! {
        <div class="tco-charts">
            <BarChart title="Orders imported per hour (UTC)" points=orders/>
            <BarChart title="Failed or throttled requests per hour (UTC)" points=errors/>
        </div>
    }
}
