//! The one source of truth for design tokens: every colour, type step, space, radius, elevation,
//! motion and breakpoint value lives in these modules as Rust data, and [`stylesheet`] emits them
//! as namespaced CSS custom properties (`--ts-<group>-<name>`) for the three themes.
//! Never holds component styles, and never writes a value twice: CSS reads tokens, it does not
//! copy them.

mod breakpoints;
mod color;
mod elevation;
mod motion;
mod radius;
mod space;
mod typography;

pub use breakpoints::*;
pub use color::*;
pub use elevation::*;
pub use motion::*;
pub use radius::*;
pub use space::*;
pub use typography::*;

/// One design token: its CSS custom property name (with the `--ts-` prefix) and its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// The custom property name, for example `--ts-space-4`.
    pub name: &'static str,
    /// The CSS value.
    pub value: &'static str,
}

/// Shorthand for the token tables.
pub(crate) const fn token(name: &'static str, value: &'static str) -> Token {
    Token { name, value }
}

/// The themes a [`ThemeProvider`](crate::ThemeProvider) can apply.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ThemeName {
    /// The default light theme.
    #[default]
    Light,
    /// The dark theme.
    Dark,
    /// The second brand (a light theme with its own palette, radius and type).
    BrandB,
}

impl ThemeName {
    /// Every theme, in the order the gallery offers them.
    pub const ALL: [ThemeName; 3] = [ThemeName::Light, ThemeName::Dark, ThemeName::BrandB];

    /// The theme's slug, used in class names (`ts-theme--dark`).
    pub fn as_str(&self) -> &'static str {
        match self {
            ThemeName::Light => "light",
            ThemeName::Dark => "dark",
            ThemeName::BrandB => "brand-b",
        }
    }

    /// The value for the CSS `color-scheme` property.
    pub fn color_scheme(&self) -> &'static str {
        match self {
            ThemeName::Dark => "dark",
            ThemeName::Light | ThemeName::BrandB => "light",
        }
    }

    /// The colour tokens of this theme.
    pub fn colors(&self) -> &'static [Token] {
        match self {
            ThemeName::Light => LIGHT_COLORS,
            ThemeName::Dark => DARK_COLORS,
            ThemeName::BrandB => BRAND_B_COLORS,
        }
    }

    /// Non-colour tokens this theme overrides (the second brand's shapes and type).
    pub fn overrides(&self) -> &'static [Token] {
        match self {
            ThemeName::BrandB => BRAND_B_OVERRIDES,
            ThemeName::Light | ThemeName::Dark => &[],
        }
    }
}

/// The tokens every theme shares.
pub fn shared_tokens() -> impl Iterator<Item = &'static Token> {
    SPACE
        .iter()
        .chain(TYPOGRAPHY)
        .chain(RADIUS)
        .chain(ELEVATION)
        .chain(MOTION)
        .chain(BREAKPOINTS)
}

/// The whole token stylesheet: shared tokens and base rules on `.ts-theme`, then one rule per
/// theme on `.ts-theme--<name>`. Scoped to a class (not `:root`) so themes nest and one page can
/// show two themes side by side.
pub fn stylesheet() -> String {
    let mut css = String::with_capacity(6 * 1024);
    css.push_str(".ts-theme{");
    for token in shared_tokens() {
        push_declaration(&mut css, token);
    }
    css.push_str(BASE_RULES);
    css.push('}');
    for theme in ThemeName::ALL {
        css.push_str(".ts-theme--");
        css.push_str(theme.as_str());
        css.push_str("{color-scheme:");
        css.push_str(theme.color_scheme());
        css.push(';');
        for token in theme.colors().iter().chain(theme.overrides()) {
            push_declaration(&mut css, token);
        }
        css.push('}');
    }
    css.push_str(REDUCED_MOTION_RULES);
    css.push_str(HELPER_RULES);
    css
}

fn push_declaration(css: &mut String, token: &Token) {
    css.push_str(token.name);
    css.push(':');
    css.push_str(token.value);
    css.push(';');
}

/// What a themed subtree looks like before any component styles it.
const BASE_RULES: &str = "font-family:var(--ts-font-family-base);font-size:var(--ts-font-size-md);line-height:var(--ts-line-height-normal);color:var(--ts-color-text);background:var(--ts-color-background);";

/// Users who ask for less motion get none: durations collapse to zero for every component.
const REDUCED_MOTION_RULES: &str = "@media (prefers-reduced-motion:reduce){.ts-theme{--ts-motion-duration-fast:0ms;--ts-motion-duration-normal:0ms;--ts-motion-duration-slow:0ms;}}";

/// Helpers every component relies on: text for screen readers only.
const HELPER_RULES: &str = ".ts-visually-hidden{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0;}";
