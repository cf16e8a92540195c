//! `api-codegen generate` rewrites `api-client/src/generated/` from the contract;
//! `api-codegen check` fails when those files are stale or the contract breaks its v1 baseline.
//! Both are run through `cargo xtask codegen` and `cargo xtask test`.

use std::process::ExitCode;

use anyhow::{Result, bail};
use api_codegen::contract_diff::{self, Verdict};
use api_codegen::{Spec, baseline_path, contract_path, generate, stale_files, workspace_root};

fn main() -> ExitCode {
    let result = match std::env::args().nth(1).as_deref() {
        Some("generate") => write_generated(),
        Some("check") => check(),
        _ => {
            eprintln!("usage: api-codegen generate|check");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn write_generated() -> Result<()> {
    let spec = Spec::load(&contract_path())?;
    let root = workspace_root();
    for (path, contents) in generate(&spec)? {
        let target = root.join(&path);
        if std::fs::read_to_string(&target).ok().as_deref() == Some(contents.as_str()) {
            println!("codegen: {} is up to date", path.display());
        } else {
            std::fs::write(&target, contents)?;
            println!("codegen: wrote {}", path.display());
        }
    }
    Ok(())
}

fn check() -> Result<()> {
    let spec = Spec::load(&contract_path())?;
    let stale = stale_files(&workspace_root(), &generate(&spec)?);
    if !stale.is_empty() {
        bail!("generated code is stale, run `cargo xtask codegen`: {stale:?}");
    }
    println!("contract: generated code is fresh");
    let baseline = Spec::load(&baseline_path())?;
    match contract_diff::check(&baseline, &spec) {
        Verdict::Compatible => println!("contract: compatible with the v1 baseline"),
        Verdict::NewMajorVersion { from, to, breaking } => println!(
            "contract: major version {from} -> {to} allows {} breaking change(s)",
            breaking.len()
        ),
        Verdict::Breaking(breaking) => bail!(
            "the contract breaks its baseline (contracts/baseline/commerce-v1.yaml); \
             make the change additive or publish a new major version:\n  {}",
            breaking.join("\n  ")
        ),
    }
    Ok(())
}
