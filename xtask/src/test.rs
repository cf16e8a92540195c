//! `cargo xtask test`: everything CI checks, in one command.
//!
//! Stages run in order and all of them run even after a failure, so one CI log shows every
//! problem; setup is the exception, since nothing can run without the tools. Each stage prints one
//! summary line, and the run ends with a `stages: N passed, N failed` line.

use std::time::Duration;

use anyhow::{Result, bail};

use crate::flags;
use crate::serve;
use crate::services;
use crate::shell::{self, command, human_duration, timed};
use crate::tools;
use crate::workspace::Workspace;

enum Outcome {
    Passed,
    Failed(String),
    /// Nothing of this kind exists in the workspace yet (for example no crate has wasm tests).
    NothingToRun(&'static str),
    SkippedByFlag,
}

struct StageReport {
    name: &'static str,
    outcome: Outcome,
    elapsed: Duration,
}

type Stage = fn(&Workspace) -> Result<Option<&'static str>>;

const STAGES: &[(&str, Stage)] = &[
    ("fmt", fmt),
    ("clippy", clippy),
    ("native-tests", native_tests),
    ("wasm-tests", wasm_tests),
    ("contract", contract),
    ("api-conformance", api_conformance),
    ("e2e", e2e),
];

pub fn run(flags: &flags::Test) -> Result<()> {
    for skipped in &flags.skip {
        if skipped != "setup" && !STAGES.iter().any(|(name, _)| name == skipped) {
            bail!(
                "unknown stage `{skipped}`; stages: setup, {}",
                stage_names()
            );
        }
    }
    let mut reports = Vec::new();
    if flags.skip.iter().any(|name| name == "setup") {
        reports.push(StageReport {
            name: "setup",
            outcome: Outcome::SkippedByFlag,
            elapsed: Duration::ZERO,
        });
    } else {
        let (setup, elapsed) = timed(|| tools::setup(&flags::Setup::default()));
        if let Err(error) = setup {
            println!("test: setup failed after {}", human_duration(elapsed));
            return Err(error);
        }
        reports.push(StageReport {
            name: "setup",
            outcome: Outcome::Passed,
            elapsed,
        });
    }
    let workspace = Workspace::load()?;
    for (name, stage) in STAGES {
        if flags.skip.iter().any(|skipped| skipped == name) {
            reports.push(StageReport {
                name,
                outcome: Outcome::SkippedByFlag,
                elapsed: Duration::ZERO,
            });
            continue;
        }
        println!("test: {name}: running");
        let (result, elapsed) = timed(|| stage(&workspace));
        let outcome = match result {
            Ok(None) => Outcome::Passed,
            Ok(Some(reason)) => Outcome::NothingToRun(reason),
            Err(error) => Outcome::Failed(format!("{error:#}")),
        };
        reports.push(StageReport {
            name,
            outcome,
            elapsed,
        });
    }
    print_summary(&reports)
}

fn stage_names() -> String {
    STAGES
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ")
}

fn print_summary(reports: &[StageReport]) -> Result<()> {
    println!("\ntest summary");
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for report in reports {
        let time = human_duration(report.elapsed);
        let line = match &report.outcome {
            Outcome::Passed => {
                passed += 1;
                format!("passed in {time}")
            }
            Outcome::Failed(why) => {
                failed += 1;
                format!("FAILED in {time}: {why}")
            }
            Outcome::NothingToRun(why) => {
                skipped += 1;
                format!("nothing to run: {why}")
            }
            Outcome::SkippedByFlag => {
                skipped += 1;
                "skipped (--skip)".to_owned()
            }
        };
        println!("  {:<16} {line}", report.name);
    }
    println!("stages: {passed} passed, {failed} failed, {skipped} skipped");
    if failed > 0 {
        bail!("{failed} test stage(s) failed");
    }
    Ok(())
}

fn cargo() -> std::process::Command {
    command(env!("CARGO"))
}

fn fmt(_: &Workspace) -> Result<Option<&'static str>> {
    shell::run(cargo().args(["fmt", "--all", "--check"]))?;
    Ok(None)
}

fn package_args(names: &[&str]) -> Vec<String> {
    names
        .iter()
        .map(|name| format!("--package={name}"))
        .collect()
}

fn clippy(workspace: &Workspace) -> Result<Option<&'static str>> {
    let native = workspace.named(|package| package.native);
    shell::run(
        cargo()
            .args(["clippy", "--all-targets"])
            .args(package_args(&native))
            .args(["--", "-D", "warnings"]),
    )?;
    let wasm = workspace.named(|package| package.wasm);
    if !wasm.is_empty() {
        shell::run(
            cargo()
                .args(["clippy", "--all-targets", "--target", tools::WASM_TARGET])
                .args(package_args(&wasm))
                .args(["--", "-D", "warnings"]),
        )?;
    }
    // Each server-side renderer as it is built: for WASI, with feature `ssr` alone.
    for package in workspace
        .packages
        .iter()
        .filter(|package| package.renderer.is_some())
    {
        shell::run(cargo().args([
            "clippy",
            "--package",
            &package.name,
            "--target",
            tools::RENDERER_TARGET,
            "--no-default-features",
            "--features",
            "ssr",
            "--",
            "-D",
            "warnings",
        ]))?;
    }
    Ok(None)
}

fn native_tests(workspace: &Workspace) -> Result<Option<&'static str>> {
    let native = workspace.named(|package| package.native && !package.e2e);
    shell::run(cargo().arg("test").args(package_args(&native)))?;
    // The suite again in the scaled topology: every test server on a database of its own in one
    // throwaway Postgres cluster, its events on NATS JetStream under a namespace of its own.
    // Exactly the first pass's command, so cargo reuses its build (`-p tessera-server` alone
    // unifies features differently and recompiles the server and its tests: minutes on 2 cores);
    // the other crates' tests, which no backend touches, run again in seconds.
    let postgres = services::Postgres::start()?;
    let nats = services::Nats::start()?;
    println!(
        "native-tests: the server's suite on Postgres ({}) and NATS ({})",
        postgres.admin_url(),
        nats.url()
    );
    shell::run(
        cargo()
            .arg("test")
            .args(package_args(&native))
            .env("TESSERA_TEST_POSTGRES", postgres.admin_url())
            .env("TESSERA_TEST_NATS", nats.url()),
    )?;
    Ok(None)
}

fn wasm_tests(workspace: &Workspace) -> Result<Option<&'static str>> {
    let suites = workspace.named(|package| package.wasm_tests);
    if suites.is_empty() {
        return Ok(Some("no crate declares wasm tests yet"));
    }
    shell::run(
        cargo()
            .args(["test", "--target", tools::WASM_TARGET])
            .args(package_args(&suites))
            .env("CHROMEDRIVER", tools::CHROMEDRIVER)
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                "wasm-bindgen-test-runner",
            ),
    )?;
    Ok(None)
}

/// The contract validates, the generated client is fresh, and nothing breaks the v1 baseline.
fn contract(_: &Workspace) -> Result<Option<&'static str>> {
    shell::run(
        command(tools::venv_bin("openapi-spec-validator")).arg("contracts/commerce-v1.yaml"),
    )?;
    crate::codegen::run_codegen("check")?;
    Ok(None)
}

/// Property-based tests of the running server against its own served spec, with every check:
/// no server errors; responses match the schemas, status codes, content types and headers the
/// contract documents; schema-valid requests are accepted and schema-violating ones rejected;
/// auth is not ignored.
fn api_conformance(workspace: &Workspace) -> Result<Option<&'static str>> {
    if !workspace.has(serve::SERVER_PACKAGE) {
        return Ok(Some("the server crate does not exist yet"));
    }
    shell::run(cargo().args(["build", "--package", serve::SERVER_PACKAGE]))?;
    let server = serve::TestInstance::start(
        &workspace
            .target_dir
            .join("debug")
            .join(serve::SERVER_PACKAGE),
        workspace,
    )?;
    let result = shell::run(
        command(tools::venv_bin("schemathesis"))
            .arg("--config-file")
            .arg(shell::project_root().join("contracts/schemathesis.toml"))
            .arg("run")
            .arg(format!("{}/v1/openapi.yaml", server.base_url()))
            .arg("--header")
            .arg(format!("Authorization: Bearer {}", server.ops_token()))
            .args([
                "--checks",
                "all",
                "--phases",
                "examples,coverage,fuzzing",
                "--max-examples",
                "10",
                // Random fault settings would sabotage the rest of the run.
                "--exclude-path",
                "/v1/ops/faults",
                // A fixed seed keeps CI reproducible; change it to explore new inputs.
                "--seed",
                "20261121",
                "--no-color",
            ])
            .current_dir(std::env::temp_dir()),
    );
    server.stop();
    result.map(|()| None)
}

fn e2e(workspace: &Workspace) -> Result<Option<&'static str>> {
    let suites = workspace.named(|package| package.e2e);
    if suites.is_empty() {
        return Ok(Some("the e2e crate does not exist yet"));
    }
    // The e2e tests drive the real server binary and the real release bundles.
    shell::run(cargo().args(["build", "--package", serve::SERVER_PACKAGE]))?;
    crate::bundle::build_all(workspace)?;
    // The tests publish these through the ops API, as a deploy would: label → release folder.
    let releases: serde_json::Map<String, serde_json::Value> =
        crate::release::build_shop(workspace, true)?
            .into_iter()
            .map(|built| {
                (
                    built.label(),
                    built.dir.to_string_lossy().into_owned().into(),
                )
            })
            .collect();
    let releases_index = workspace.target_dir.join("e2e-releases.json");
    // The scale-out journeys run two server instances on these.
    let postgres = services::Postgres::start()?;
    let nats = services::Nats::start()?;
    std::fs::write(
        &releases_index,
        serde_json::Value::Object(releases).to_string(),
    )?;
    let mut tests = cargo();
    tests.arg("test").args(package_args(&suites));
    // For local iterations: `TESSERA_E2E_SUITE=customers` runs that one test file only.
    if let Ok(suite) = std::env::var("TESSERA_E2E_SUITE") {
        tests.args(["--test", &suite]);
    }
    shell::run(
        tests
            .env("TESSERA_TARGET_DIR", &workspace.target_dir)
            // Every test's server compiles the same renderers: once is enough, kept across runs.
            .env(
                "TESSERA_RENDERER_CACHE",
                workspace.target_dir.join("renderer-cache"),
            )
            .env("TESSERA_E2E_RELEASES", &releases_index)
            .env("TESSERA_TEST_POSTGRES", postgres.admin_url())
            .env("TESSERA_TEST_NATS", nats.url())
            .env("TESSERA_AXE_SCRIPT", tools::axe_script())
            .env("CHROMEDRIVER", tools::CHROMEDRIVER)
            .env("CHROMIUM", tools::CHROMIUM),
    )?;
    Ok(None)
}
