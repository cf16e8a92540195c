//! `cargo xtask codegen`: runs the generator crate, which owns all knowledge of the contract, so
//! xtask itself stays free of OpenAPI and typify dependencies.

use anyhow::Result;

use crate::shell::{self, command};

/// `mode` is `generate` (rewrite the files) or `check` (fail when stale or breaking).
pub fn run_codegen(mode: &str) -> Result<()> {
    shell::run(command(env!("CARGO")).args([
        "run",
        "--quiet",
        "--package",
        "api-codegen",
        "--",
        mode,
    ]))
}
