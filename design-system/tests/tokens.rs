//! The token stylesheet: namespaced names, all three themes, and text contrast of at least
//! 4.5:1 (3:1 for borders, focus and graphics) in every theme.
#![cfg(target_arch = "wasm32")]

use design_system::{ThemeName, shared_tokens, stylesheet};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn colour_of(theme: ThemeName, name: &str) -> [f64; 3] {
    let token = theme
        .colors()
        .iter()
        .find(|token| token.name == format!("--ts-color-{name}"))
        .unwrap_or_else(|| panic!("{} has no colour {name}", theme.as_str()));
    let hex = token.value.trim_start_matches('#');
    assert_eq!(hex.len(), 6, "{name} must be #rrggbb to be checked");
    let channel = |offset: usize| {
        f64::from(u8::from_str_radix(&hex[offset..offset + 2], 16).unwrap()) / 255.0
    };
    [channel(0), channel(2), channel(4)]
}

fn luminance(rgb: [f64; 3]) -> f64 {
    let linear = |value: f64| {
        if value <= 0.03928 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2])
}

fn contrast(theme: ThemeName, foreground: &str, background: &str) -> f64 {
    let first = luminance(colour_of(theme, foreground));
    let second = luminance(colour_of(theme, background));
    (first.max(second) + 0.05) / (first.min(second) + 0.05)
}

#[wasm_bindgen_test]
fn every_theme_meets_contrast() {
    let text_pairs = [
        ("text", "background"),
        ("text", "surface"),
        ("text-muted", "background"),
        ("text-muted", "surface"),
        ("on-primary", "primary"),
        ("on-primary", "primary-hover"),
        ("on-danger", "danger"),
        ("link", "background"),
        ("link", "surface"),
        ("primary", "surface-raised"),
        ("danger-text", "background"),
        ("danger-text", "danger-surface"),
        ("success-text", "success-surface"),
        ("warning-text", "warning-surface"),
        ("info-text", "info-surface"),
        ("neutral-text", "neutral-surface"),
        ("sale", "background"),
    ];
    let graphic_pairs = [
        ("border", "background"),
        ("focus", "background"),
        ("rating", "background"),
        ("chart-1", "background"),
    ];
    for theme in ThemeName::ALL {
        for (foreground, background) in text_pairs {
            let ratio = contrast(theme, foreground, background);
            assert!(
                ratio >= 4.5,
                "{}: {foreground} on {background} is {ratio:.2}:1",
                theme.as_str()
            );
        }
        for (foreground, background) in graphic_pairs {
            let ratio = contrast(theme, foreground, background);
            assert!(
                ratio >= 3.0,
                "{}: {foreground} on {background} is {ratio:.2}:1",
                theme.as_str()
            );
        }
    }
}

#[wasm_bindgen_test]
fn themes_define_the_same_names_and_everything_is_namespaced() {
    let light: Vec<&str> = ThemeName::Light
        .colors()
        .iter()
        .map(|token| token.name)
        .collect();
    for theme in ThemeName::ALL {
        let names: Vec<&str> = theme.colors().iter().map(|token| token.name).collect();
        assert_eq!(
            names,
            light,
            "{} must define the same colours as light",
            theme.as_str()
        );
    }
    for token in shared_tokens().chain(ThemeName::Light.colors()) {
        assert!(
            token.name.starts_with("--ts-"),
            "{} is not namespaced",
            token.name
        );
    }
    let css = stylesheet();
    for theme in ThemeName::ALL {
        assert!(css.contains(&format!(".ts-theme--{}{{", theme.as_str())));
    }
    assert!(css.contains("prefers-reduced-motion"));
}
