//! Spacing, control sizes and focus-ring geometry (`--ts-space-*`, `--ts-size-*`, `--ts-focus-*`).
//! Never holds colours.

use super::{Token, token};

/// The spacing scale (a 4 px grid) plus control heights and the focus ring.
pub const SPACE: &[Token] = &[
    token("--ts-space-0", "0"),
    token("--ts-space-1", "0.25rem"),
    token("--ts-space-2", "0.5rem"),
    token("--ts-space-3", "0.75rem"),
    token("--ts-space-4", "1rem"),
    token("--ts-space-5", "1.5rem"),
    token("--ts-space-6", "2rem"),
    token("--ts-space-7", "3rem"),
    token("--ts-size-control-sm", "2rem"),
    token("--ts-size-control-md", "2.75rem"),
    token("--ts-size-control-lg", "3.25rem"),
    token("--ts-size-icon", "1.25rem"),
    token("--ts-focus-width", "3px"),
    token("--ts-focus-offset", "2px"),
];
