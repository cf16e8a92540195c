//! A connector's health as a badge: ok, degraded, failing or paused, in words and colour.

use api_client::types::ConnectorStatus;
use design_system::{Badge, Tone};
use leptos::prelude::*;

pub fn health_text(status: ConnectorStatus) -> &'static str {
    match status {
        ConnectorStatus::Healthy => "ok",
        ConnectorStatus::Degraded => "degraded",
        ConnectorStatus::Failing => "failing",
        ConnectorStatus::Paused => "paused",
    }
}

#[component]
pub fn HealthBadge(status: ConnectorStatus) -> impl IntoView {
    let tone = match status {
        ConnectorStatus::Healthy => Tone::Success,
        ConnectorStatus::Degraded => Tone::Warning,
        ConnectorStatus::Failing => Tone::Danger,
        ConnectorStatus::Paused => Tone::Neutral,
    };
    view! { <Badge tone>{health_text(status)}</Badge> }
}
