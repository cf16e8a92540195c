//! `cargo xtask bench api`: builds the server and the load generator with the `server` profile,
//! starts a throwaway server with demo data on loopback, runs `tessera-bench` against it and
//! writes the report to `<target>/bench/api.md`.
//! `cargo xtask bench size`: builds the shell and a release of every micro app, and reports their
//! brotli bytes against each crate's `budget-kb`, with the biggest contributors when `twiggy` is
//! installed, in `<target>/bench/size.md`. Measurements, never pass/fail tests.

use anyhow::{Context, Result};

use crate::flags;
use crate::serve::{SERVER_PACKAGE, TestInstance};
use crate::shell::{self, command};
use crate::workspace::Workspace;

pub fn run(flags: &flags::Bench) -> Result<()> {
    let workspace = Workspace::load()?;
    if flags.target == "size" {
        return size(&workspace);
    }
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

/// Brotli (quality 11) bytes per file of a bundle folder, from the release tool, which owns
/// compression.
fn brotli_sizes(folder: &std::path::Path) -> Result<Vec<(String, u64)>> {
    let output = command(env!("CARGO"))
        .args([
            "run",
            "--quiet",
            "--package",
            "tessera-release",
            "--",
            "sizes",
            "--dir",
        ])
        .arg(folder)
        .output()
        .context("running tessera-release sizes")?;
    anyhow::ensure!(output.status.success(), "tessera-release sizes failed");
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let (name, bytes) = line.rsplit_once('\t')?;
            Some((name.to_owned(), bytes.parse().ok()?))
        })
        .collect())
}

/// The top contributors of a crate's last wasm build, by twiggy, when it is installed.
fn contributors(workspace: &Workspace, package: &str) -> Option<String> {
    shell::probe(command("twiggy").arg("--version"))?;
    let crate_name = package.replace('-', "_");
    let wasm = workspace
        .target_dir
        .join("wasm32-unknown-unknown/release")
        .join(format!("{crate_name}.wasm"));
    let out = workspace.target_dir.join("bench/named").join(&crate_name);
    shell::probe(
        command("wasm-bindgen")
            .args(["--target", "web", "--keep-debug", "--out-dir"])
            .arg(&out)
            .arg(&wasm),
    )?;
    shell::probe(
        command("twiggy")
            .args(["top", "-n", "12"])
            .arg(out.join(format!("{crate_name}_bg.wasm"))),
    )
}

fn size(workspace: &Workspace) -> Result<()> {
    crate::bundle::build_all(workspace)?;
    let releases = crate::release::build_shop(workspace, false)?;
    let mut bundles: Vec<(String, std::path::PathBuf)> = workspace
        .packages
        .iter()
        .filter(|package| package.shell)
        .map(|package| {
            (
                package.name.clone(),
                crate::bundle::app_dist_dir(workspace, &package.name),
            )
        })
        .collect();
    bundles.extend(releases.into_iter().map(|built| (built.app, built.dir)));
    let mut document = String::from(
        "# Bundle sizes\n\nBrotli quality 11, every file the browser fetches for the bundle \
         (html for the shell; js, wasm and css for a release).\n\n\
         | bundle | brotli KB | budget KB | files |\n| --- | ---: | ---: | --- |\n",
    );
    let mut details = String::new();
    for (name, folder) in &bundles {
        let sizes = brotli_sizes(folder)?;
        let total: u64 = sizes.iter().map(|(_, bytes)| bytes).sum();
        let budget = workspace
            .packages
            .iter()
            .find(|package| package.name == *name)
            .and_then(|package| package.budget_kb);
        let files: Vec<String> = sizes
            .iter()
            .map(|(file, bytes)| format!("{file} {:.1}", *bytes as f64 / 1024.0))
            .collect();
        document.push_str(&format!(
            "| {name} | {:.1} | {} | {} |\n",
            total as f64 / 1024.0,
            budget.map_or("–".into(), |kb| kb.to_string()),
            files.join(", ")
        ));
        if let Some(top) = contributors(workspace, name) {
            details.push_str(&format!(
                "\n## {name}: biggest contributors (before wasm-opt)\n\n```\n{top}\n```\n"
            ));
        }
    }
    if details.is_empty() {
        details.push_str(
            "\n(Install twiggy, `cargo install twiggy`, for the biggest contributors.)\n",
        );
    }
    document.push_str(&details);
    let directory = workspace.target_dir.join("bench");
    std::fs::create_dir_all(&directory)?;
    let path = directory.join("size.md");
    std::fs::write(&path, &document)?;
    println!("{document}\nreport written to {}", path.display());
    Ok(())
}
