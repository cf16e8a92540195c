//! Breakpoints (`--ts-breakpoint-*`). CSS cannot read custom properties inside media queries, so
//! these are published for scripts and documentation, and [`BREAKPOINT_WIDTHS_PX`] gives layouts
//! and the gallery's viewport presets the same numbers.

use super::{Token, token};

/// Breakpoint tokens.
pub const BREAKPOINTS: &[Token] = &[
    token("--ts-breakpoint-sm", "40rem"),
    token("--ts-breakpoint-md", "48rem"),
    token("--ts-breakpoint-lg", "64rem"),
    token("--ts-breakpoint-xl", "80rem"),
];

/// The breakpoints in CSS pixels (at 16 px per rem), named as in [`BREAKPOINTS`].
pub const BREAKPOINT_WIDTHS_PX: [(&str, u32); 4] =
    [("sm", 640), ("md", 768), ("lg", 1024), ("xl", 1280)];
