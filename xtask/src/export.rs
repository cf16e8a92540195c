//! `cargo xtask export DIR [--origins URL,URL]`: the shop as a static site. Builds it as `serve`
//! does, publishes every release to a throwaway server on a fresh data folder (as a deploy
//! would), and has that server's binary write the export from the same data
//! (`tessera-server export`), which owns what goes in it and its header rules.

use anyhow::Result;

use crate::flags;
use crate::release;
use crate::serve::{self, TestInstance};
use crate::shell::{self, command};
use crate::tools;
use crate::workspace::Workspace;

pub fn run(flags: &flags::Export) -> Result<()> {
    tools::setup(&flags::Setup { no_browser: true })?;
    let workspace = Workspace::load()?;
    let (releases, binary) = serve::build_the_shop(&workspace)?;
    let instance = TestInstance::start_serving(&binary, &workspace)?;
    for built in &releases {
        release::publish_everywhere(&instance.base_url(), instance.ops_token(), built)?;
    }
    let mut export = command(&binary);
    export
        .arg("export")
        .arg(&flags.dir)
        .arg("--data-dir")
        .arg(instance.data_dir())
        .arg("--apps-dir")
        .arg(workspace.target_dir.join("dist"));
    if let Some(origins) = &flags.origins {
        export.args(["--release-origins", origins]);
    }
    if let Some(api) = &flags.api {
        export.args(["--api", api]);
    }
    shell::run(&mut export)?;
    instance.stop();
    Ok(())
}
