//! Corner radii (`--ts-radius-*`). Never holds colours.

use super::{Token, token};

/// Corner radii from small controls to pills.
pub const RADIUS: &[Token] = &[
    token("--ts-radius-sm", "4px"),
    token("--ts-radius-md", "8px"),
    token("--ts-radius-lg", "12px"),
    token("--ts-radius-pill", "999px"),
];

/// The second brand's squarer, print-like shapes and serif headings.
pub const BRAND_B_OVERRIDES: &[Token] = &[
    token("--ts-radius-sm", "2px"),
    token("--ts-radius-md", "3px"),
    token("--ts-radius-lg", "4px"),
    token(
        "--ts-font-family-base",
        "\"Iowan Old Style\", \"Palatino Linotype\", Palatino, Georgia, serif",
    ),
];
