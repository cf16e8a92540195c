//! The type scale (`--ts-font-*`, `--ts-line-height-*`). Never holds colours.

use super::{Token, token};

/// Font families, the size scale, weights and line heights.
pub const TYPOGRAPHY: &[Token] = &[
    token(
        "--ts-font-family-base",
        "system-ui, -apple-system, \"Segoe UI\", Roboto, \"Helvetica Neue\", Arial, sans-serif",
    ),
    token(
        "--ts-font-family-mono",
        "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
    ),
    token("--ts-font-size-xs", "0.75rem"),
    token("--ts-font-size-sm", "0.875rem"),
    token("--ts-font-size-md", "1rem"),
    token("--ts-font-size-lg", "1.125rem"),
    token("--ts-font-size-xl", "1.25rem"),
    token("--ts-font-size-2xl", "1.5rem"),
    token("--ts-font-size-3xl", "2rem"),
    token("--ts-font-weight-regular", "400"),
    token("--ts-font-weight-medium", "500"),
    token("--ts-font-weight-bold", "700"),
    token("--ts-line-height-tight", "1.25"),
    token("--ts-line-height-normal", "1.5"),
];
