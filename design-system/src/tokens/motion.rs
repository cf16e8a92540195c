//! Durations and easing (`--ts-motion-*`). The token stylesheet zeroes the durations under
//! `prefers-reduced-motion`, so components must animate only through these tokens.

use super::{Token, token};

/// Durations and easing curves.
pub const MOTION: &[Token] = &[
    token("--ts-motion-duration-fast", "120ms"),
    token("--ts-motion-duration-normal", "200ms"),
    token("--ts-motion-duration-slow", "320ms"),
    token("--ts-motion-easing-standard", "cubic-bezier(0.2, 0, 0, 1)"),
];
