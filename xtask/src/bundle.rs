//! `cargo xtask build`: trunk release builds of the pages the server serves from its apps folder:
//! the shell (the root `index.html` and `Trunk.toml`) and whole-page apps such as the gallery.
//! Micro apps that ship as releases are built by `release build` instead.
//!
//! Each page has its own `index.html`; trunk builds one HTML target per run and wipes its
//! `--dist` folder, so every page gets a folder of its own under `<target>/dist/<name>`.

use std::path::PathBuf;

use anyhow::Result;

use crate::shell::{self, command, human_duration, timed};
use crate::workspace::Workspace;

/// `trunk build --release --offline`, after removing wasm-bindgen's stale JS snippets: trunk
/// runs wasm-bindgen into one folder per profile shared by every crate and copies whatever
/// `snippets/` it finds there, so without this one app's snippets end up in another's bundle.
pub fn trunk_build(workspace: &Workspace) -> Result<std::process::Command> {
    let bindgen = workspace.target_dir.join("wasm-bindgen");
    if let Ok(profiles) = std::fs::read_dir(&bindgen) {
        for profile in profiles.flatten() {
            let snippets = profile.path().join("snippets");
            if snippets.exists() {
                std::fs::remove_dir_all(&snippets)?;
            }
        }
    }
    let mut trunk = command("trunk");
    trunk
        .args(["build", "--release", "--offline"])
        .env("TRUNK_SKIP_VERSION_CHECK", "true");
    Ok(trunk)
}

/// Where an app's bundle lands, and the URL prefix the server serves it under.
pub fn app_dist_dir(workspace: &Workspace, app: &str) -> PathBuf {
    workspace.target_dir.join("dist").join(app)
}

pub fn build_apps() -> Result<()> {
    let workspace = Workspace::load()?;
    build_all(&workspace)
}

pub fn build_all(workspace: &Workspace) -> Result<()> {
    let root = shell::project_root();
    for package in workspace.packages.iter().filter(|p| p.app || p.shell) {
        // The shell's page and Trunk.toml are the workspace root's; an app has its own.
        let page_dir = if package.shell {
            root.clone()
        } else {
            package.dir.clone()
        };
        let dist = app_dist_dir(workspace, &package.name);
        let mut trunk = trunk_build(workspace)?;
        let (result, elapsed) = timed(|| {
            shell::run(
                trunk
                    .arg("--config")
                    .arg(page_dir.join("Trunk.toml"))
                    .arg("--dist")
                    .arg(&dist)
                    .arg("--public-url")
                    .arg(format!("/apps/{}/", package.name))
                    .arg(page_dir.join("index.html")),
            )
        });
        result?;
        println!("build: {} in {}", package.name, human_duration(elapsed));
    }
    Ok(())
}
