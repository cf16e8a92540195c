//! The gallery's URL-held state: the theme (`?theme=dark`) and the viewport preset
//! (`?viewport=375`) live in the query string, so every deep link reproduces what the designer
//! saw and an e2e run can visit each story in each theme. Never stores anything elsewhere.

use design_system::ThemeName;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

/// The viewport presets offered above every story, as (label, width in CSS pixels; 0 = full).
pub const VIEWPORT_PRESETS: [(&str, u32); 4] = [
    ("Full width", 0),
    ("Mobile 375", 375),
    ("Tablet 768", 768),
    ("Desktop 1280", 1280),
];

/// The theme named in the URL; light when absent or unknown.
pub fn use_theme() -> Signal<ThemeName> {
    let query = use_query_map();
    Signal::derive(move || {
        let requested = query.with(|query| query.get("theme")).unwrap_or_default();
        ThemeName::ALL
            .into_iter()
            .find(|theme| theme.as_str() == requested)
            .unwrap_or_default()
    })
}

/// The viewport width in the URL; 0 (full width) when absent.
pub fn use_viewport_width() -> Signal<u32> {
    let query = use_query_map();
    Signal::derive(move || {
        query
            .with(|query| query.get("viewport"))
            .and_then(|width| width.parse().ok())
            .unwrap_or(0)
    })
}

/// The query string to carry across links: the current theme and viewport, if not defaults.
pub fn use_carried_query() -> Signal<String> {
    let theme = use_theme();
    let viewport = use_viewport_width();
    Signal::derive(move || query_string(theme.get(), viewport.get()))
}

/// Builds `?theme=…&viewport=…`, leaving out defaults.
pub fn query_string(theme: ThemeName, viewport_width: u32) -> String {
    let mut parts = Vec::new();
    if theme != ThemeName::default() {
        parts.push(format!("theme={}", theme.as_str()));
    }
    if viewport_width != 0 {
        parts.push(format!("viewport={viewport_width}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// Replaces the query on the current path (no new history entry for a setting change).
pub fn use_set_query() -> impl Fn(ThemeName, u32) + Clone + 'static {
    let navigate = use_navigate();
    let location = use_location();
    move |theme: ThemeName, viewport_width: u32| {
        let path = location.pathname.get_untracked();
        navigate(
            &format!("{path}{}", query_string(theme, viewport_width)),
            leptos_router::NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    }
}
