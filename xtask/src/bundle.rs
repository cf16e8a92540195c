//! `cargo xtask build`: release builds of the micro apps with trunk.
//!
//! Each app crate has its own `index.html`; trunk builds one HTML target per run and wipes its
//! `--dist` folder, so every app gets a folder of its own under `<target>/dist/<app>`.

use std::path::PathBuf;

use anyhow::Result;

use crate::shell::{self, command, human_duration, timed};
use crate::workspace::Workspace;

/// Where an app's bundle lands, and the URL prefix the server serves it under.
pub fn app_dist_dir(workspace: &Workspace, app: &str) -> PathBuf {
    workspace.target_dir.join("dist").join(app)
}

pub fn build_apps() -> Result<()> {
    let workspace = Workspace::load()?;
    build_all(&workspace)
}

pub fn build_all(workspace: &Workspace) -> Result<()> {
    let apps: Vec<_> = workspace.packages.iter().filter(|p| p.app).collect();
    if apps.is_empty() {
        println!("build: no micro apps in the workspace yet");
        return Ok(());
    }
    for app in apps {
        let dist = app_dist_dir(workspace, &app.name);
        let (result, elapsed) = timed(|| {
            shell::run(
                command("trunk")
                    .args(["build", "--release", "--offline"])
                    // Each app's own Trunk.toml, not the shell's at the workspace root.
                    .arg("--config")
                    .arg(app.dir.join("Trunk.toml"))
                    .arg("--dist")
                    .arg(&dist)
                    .arg("--public-url")
                    .arg(format!("/apps/{}/", app.name))
                    .arg(app.dir.join("index.html"))
                    .env("TRUNK_SKIP_VERSION_CHECK", "true"),
            )
        });
        result?;
        println!("build: {} in {}", app.name, human_duration(elapsed));
    }
    Ok(())
}
