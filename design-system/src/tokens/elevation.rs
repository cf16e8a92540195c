//! Shadows and stacking (`--ts-elevation-*`, `--ts-layer-*`). Shadows take their colour from the
//! theme's `--ts-color-shadow`, so they need no per-theme copy.

use super::{Token, token};

/// Three shadow levels and the stacking layers of overlays.
pub const ELEVATION: &[Token] = &[
    token("--ts-elevation-1", "0 1px 2px var(--ts-color-shadow)"),
    token("--ts-elevation-2", "0 4px 12px var(--ts-color-shadow)"),
    token("--ts-elevation-3", "0 12px 32px var(--ts-color-shadow)"),
    token("--ts-layer-overlay", "1000"),
    token("--ts-layer-toast", "1100"),
];
