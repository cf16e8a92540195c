//! `cargo xtask bench api`: builds the server and the load generator with the `server` profile,
//! starts a throwaway server with demo data on loopback, runs `tessera-bench` against it and
//! writes the report to `<target>/bench/api.md`. A measurement, never a pass/fail test.

use anyhow::{Context, Result};

use crate::flags;
use crate::serve::{SERVER_PACKAGE, TestInstance};
use crate::shell::{self, command};
use crate::workspace::Workspace;

pub fn run(flags: &flags::Bench) -> Result<()> {
    let workspace = Workspace::load()?;
    shell::run(command(env!("CARGO")).args([
        "build",
        "--profile",
        "server",
        "--package",
        SERVER_PACKAGE,
        "--package",
        "tessera-bench",
    ]))?;
    let binaries = workspace.target_dir.join("server");
    let server = TestInstance::start(&binaries.join(SERVER_PACKAGE), &workspace)?;
    println!("bench {}: server at {}", flags.target, server.base_url());
    let output = command(binaries.join("tessera-bench"))
        .args([
            "--base",
            &server.base_url(),
            "--ops-token",
            server.ops_token(),
        ])
        .args(&flags.passthrough)
        .output()
        .context("running tessera-bench")?;
    server.stop();
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    anyhow::ensure!(
        output.status.success(),
        "tessera-bench failed: {}\n{report}",
        String::from_utf8_lossy(&output.stderr)
    );
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let document = format!(
        "# API benchmark\n\nServer built with the `server` profile, SQLite in WAL mode, demo data, \
         loopback, {cores} cores, load generator on the same machine.\n\n{report}"
    );
    let directory = workspace.target_dir.join("bench");
    std::fs::create_dir_all(&directory)?;
    let path = directory.join("api.md");
    std::fs::write(&path, &document)?;
    println!("{document}\nreport written to {}", path.display());
    Ok(())
}
