//! What the workspace holds, read from `cargo metadata`: which crates build for wasm, which have
//! browser tests, which are micro apps. Crates declare this in `[package.metadata.tessera]`:
//!
//! ```toml
//! [package.metadata.tessera]
//! targets = ["native", "wasm"]   # default ["native"]
//! wasm-tests = true              # wasm-bindgen-test suites run in headless Chromium
//! app = true                     # a page built by trunk from its own index.html into dist/
//! shell = true                   # the shell, built by trunk from the root index.html
//! released = true                # a micro app shipped as immutable releases (release build)
//! release-variants = ["variant-b"]  # features each also released on its own, for experiments
//! budget-kb = 90                 # the bundle's brotli budget, reported by `bench size`
//! e2e = true                     # real-browser tests, run last and on their own
//! ```

use std::path::PathBuf;

use anyhow::{Context, Result};
use serde_json::Value;

use crate::shell;

#[derive(Debug, Clone)]
pub struct Package {
    pub name: String,
    pub dir: PathBuf,
    pub native: bool,
    pub wasm: bool,
    pub wasm_tests: bool,
    pub app: bool,
    pub shell: bool,
    pub released: bool,
    pub release_variants: Vec<String>,
    /// The binary (built for wasm32-wasip1 with feature `ssr`) that renders the app at the edge.
    pub renderer: Option<String>,
    /// The bundle's brotli budget, reported by `bench size`.
    pub budget_kb: Option<u64>,
    pub e2e: bool,
}

pub struct Workspace {
    pub packages: Vec<Package>,
    pub target_dir: PathBuf,
}

impl Workspace {
    pub fn load() -> Result<Workspace> {
        let output = shell::command(env!("CARGO"))
            .args(["metadata", "--no-deps", "--format-version", "1"])
            .output()
            .context("could not run cargo metadata")?;
        anyhow::ensure!(
            output.status.success(),
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let metadata: Value = serde_json::from_slice(&output.stdout)?;
        let target_dir = PathBuf::from(
            metadata["target_directory"]
                .as_str()
                .context("cargo metadata has no target_directory")?,
        );
        let packages = metadata["packages"]
            .as_array()
            .context("cargo metadata has no packages")?
            .iter()
            .map(package_from_metadata)
            .collect::<Result<_>>()?;
        Ok(Workspace {
            packages,
            target_dir,
        })
    }

    pub fn named(&self, filter: impl Fn(&Package) -> bool) -> Vec<&str> {
        self.packages
            .iter()
            .filter(|package| filter(package))
            .map(|package| package.name.as_str())
            .collect()
    }

    pub fn has(&self, name: &str) -> bool {
        self.packages.iter().any(|package| package.name == name)
    }
}

fn package_from_metadata(package: &Value) -> Result<Package> {
    let name = package["name"].as_str().context("package without name")?;
    let manifest = package["manifest_path"]
        .as_str()
        .context("package without manifest_path")?;
    let tessera = &package["metadata"]["tessera"];
    let targets: Vec<&str> = tessera["targets"]
        .as_array()
        .map(|targets| targets.iter().filter_map(Value::as_str).collect())
        .unwrap_or_else(|| vec!["native"]);
    let flag = |key: &str| tessera[key].as_bool().unwrap_or(false);
    Ok(Package {
        name: name.to_owned(),
        dir: PathBuf::from(manifest)
            .parent()
            .context("manifest without folder")?
            .to_path_buf(),
        native: targets.contains(&"native"),
        wasm: targets.contains(&"wasm"),
        wasm_tests: flag("wasm-tests"),
        app: flag("app"),
        shell: flag("shell"),
        released: flag("released"),
        release_variants: tessera["release-variants"]
            .as_array()
            .map(|features| {
                features
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        renderer: tessera["renderer"].as_str().map(str::to_owned),
        budget_kb: tessera["budget-kb"].as_u64(),
        e2e: flag("e2e"),
    })
}
