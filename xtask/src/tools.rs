//! `cargo xtask setup`: installs or verifies every tool the build and the tests need.
//!
//! All tool versions are pinned here and only here (`Trunk.toml` repeats the wasm-opt pin because
//! trunk reads it from there; a test keeps the two in step). Each step is idempotent: a satisfied
//! step prints one line, a missing or wrong tool is installed at the pinned version (or reported
//! with the fix), never used silently.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::flags;
use crate::services;
use crate::shell::{self, command, human_duration, probe, timed};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Micro apps' server-side renderers: WASI commands the server runs in wasmtime.
pub const RENDERER_TARGET: &str = "wasm32-wasip1";
/// trunk 0.22 needs a newer rustc than the 1.95 this project builds with.
pub const TRUNK_VERSION: &str = "0.21.14";
/// Debian's binaryen (108) emits wasm that crashes in Chromium; npm's 132 is known good.
pub const BINARYEN_NPM_VERSION: &str = "132";
/// npm packages installed into `.tools/node_modules`: wasm-opt, and axe-core for accessibility
/// checks in the e2e tests.
pub const NPM_TOOLS: &[(&str, &str)] =
    &[("binaryen", BINARYEN_NPM_VERSION), ("axe-core", "4.14.1")];
/// Debian packages for the headless browser used by wasm tests and e2e tests.
pub const BROWSER_PACKAGES: [&str; 2] = ["chromium", "chromium-driver"];
/// Python tools, installed into `.tools/venv` (PyPI is reachable; GitHub is not).
pub const PYTHON_TOOLS: &[(&str, &str)] = &[
    ("openapi-spec-validator", "0.9.0"),
    ("schemathesis", "4.32.5"),
];
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Lighthouse for `bench web`, installed into `.tools/` on first use (not by setup: tests do
/// not need it). The version the peer's README measured with.
pub const LIGHTHOUSE_VERSION: &str = "12.8.2";
/// Headless Chromium in a closed network: without the background-networking flags it floods it
/// with refused connections.
pub const CHROMIUM_FLAGS: &str = "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub fn setup(flags: &flags::Setup) -> Result<()> {
    let (result, elapsed) = timed(|| -> Result<()> {
        step("wasm target", ensure_wasm_target)?;
        step("trunk", ensure_trunk)?;
        step("wasm-bindgen-cli", ensure_wasm_bindgen)?;
        step("npm tools", ensure_npm_tools)?;
        step("wasm-opt", ensure_wasm_opt)?;
        step("python tools", ensure_python_tools)?;
        step("postgres and nats-server", ensure_services)?;
        if flags.no_browser {
            println!("setup: chromium: skipped (--no-browser)");
        } else {
            step("chromium", ensure_browser)?;
            step("nginx", ensure_nginx)?;
        }
        Ok(())
    });
    result?;
    println!("setup: all tools ready in {}", human_duration(elapsed));
    Ok(())
}

/// What a step found: already satisfied, or installed just now.
enum Outcome {
    Present(String),
    Installed(String),
}

fn step(name: &str, work: fn() -> Result<Outcome>) -> Result<()> {
    let (outcome, elapsed) = timed(work);
    match outcome.with_context(|| format!("setup step `{name}` failed"))? {
        Outcome::Present(what) => println!("setup: {name}: {what} (present)"),
        Outcome::Installed(what) => println!(
            "setup: {name}: {what} installed in {}",
            human_duration(elapsed)
        ),
    }
    Ok(())
}

fn ensure_wasm_target() -> Result<Outcome> {
    let installed = probe(command("rustup").args(["target", "list", "--installed"]))
        .context("rustup is needed to add the wasm targets")?;
    let wanted = [WASM_TARGET, RENDERER_TARGET];
    let missing: Vec<&str> = wanted
        .into_iter()
        .filter(|target| !installed.lines().any(|line| line.trim() == *target))
        .collect();
    let all = wanted.join(", ");
    if missing.is_empty() {
        return Ok(Outcome::Present(all));
    }
    println!("setup: wasm targets: adding {}", missing.join(", "));
    shell::run(command("rustup").args(["target", "add"]).args(&missing))?;
    Ok(Outcome::Installed(all))
}

/// Installs `crate_name` at `version` with cargo when `binary --version` does not report it.
fn ensure_cargo_tool(
    binary: &str,
    crate_name: &str,
    version: &str,
    locked: bool,
) -> Result<Outcome> {
    let wanted = format!("{binary} {version}");
    let found = probe(command(binary).arg("--version"));
    if found.as_deref() == Some(wanted.as_str()) {
        return Ok(Outcome::Present(wanted));
    }
    match &found {
        Some(other) => println!("setup: {binary}: found `{other}`, replacing it with {version}"),
        None => println!("setup: {binary}: not found, installing {version}"),
    }
    let mut install = command(env!("CARGO"));
    install.args(["install", crate_name, "--version", version, "--force"]);
    if locked {
        install.arg("--locked");
    }
    shell::run(&mut install)?;
    let now = probe(command(binary).arg("--version"));
    if now.as_deref() != Some(wanted.as_str()) {
        bail!(
            "installed {crate_name} {version}, but `{binary} --version` on PATH reports {now:?}: \
             another copy shadows ~/.cargo/bin; remove it"
        );
    }
    Ok(Outcome::Installed(wanted))
}

fn ensure_trunk() -> Result<Outcome> {
    ensure_cargo_tool("trunk", "trunk", TRUNK_VERSION, true)
}

fn ensure_wasm_bindgen() -> Result<Outcome> {
    let lock = std::fs::read_to_string(shell::project_root().join("Cargo.lock"))
        .context("Cargo.lock is missing: run a cargo build first")?;
    let version = match locked_versions(&lock, "wasm-bindgen").as_slice() {
        [] => {
            return Ok(Outcome::Present(
                "not needed yet (no wasm-bindgen in Cargo.lock)".to_owned(),
            ));
        }
        [version] => version.clone(),
        several => bail!(
            "Cargo.lock holds wasm-bindgen {several:?}: the CLI can match only one, unify them"
        ),
    };
    // Without --locked: a locked dependency of the CLI is newer than the reachable index serves.
    ensure_cargo_tool("wasm-bindgen", "wasm-bindgen-cli", &version, false)
}

/// Every version of `package` recorded in a Cargo.lock.
pub fn locked_versions(lock: &str, package: &str) -> Vec<String> {
    let name_line = format!("name = \"{package}\"");
    lock.split("[[package]]")
        .filter(|entry| entry.lines().any(|line| line.trim() == name_line))
        .filter_map(|entry| {
            entry
                .lines()
                .find_map(|line| line.trim().strip_prefix("version = \""))
                .map(|rest| rest.trim_end_matches('"').to_owned())
        })
        .collect()
}

/// The version an installed npm package reports in its package.json, if installed.
fn npm_installed_version(package: &str) -> Option<String> {
    let manifest = shell::tools_dir()
        .join("node_modules")
        .join(package)
        .join("package.json");
    let text = std::fs::read_to_string(manifest).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["version"].as_str().map(str::to_owned)
}

fn ensure_npm_tools() -> Result<Outcome> {
    let wanted: Vec<String> = NPM_TOOLS
        .iter()
        .map(|(package, version)| format!("{package}@{version}"))
        .collect();
    let summary = wanted.join(", ");
    let satisfied = NPM_TOOLS.iter().all(|(package, version)| {
        // "132" pins the major version of binaryen's 132.x line; others are exact.
        npm_installed_version(package)
            .is_some_and(|found| found == *version || found.starts_with(&format!("{version}.")))
    });
    if satisfied {
        return Ok(Outcome::Present(summary));
    }
    if probe(command("npm").arg("--version")).is_none() {
        bail!("npm is needed to install {summary} (apt-get install npm)");
    }
    println!("setup: npm tools: installing {summary} into .tools/");
    std::fs::create_dir_all(shell::tools_dir())?;
    shell::run(
        command("npm")
            .args([
                "install",
                "--prefix",
                &shell::tools_dir().to_string_lossy(),
                "--no-audit",
                "--no-fund",
            ])
            .args(&wanted),
    )?;
    Ok(Outcome::Installed(summary))
}

/// wasm-opt comes from npm binaryen (installed by the npm step); this step proves it runs.
fn ensure_wasm_opt() -> Result<Outcome> {
    let wanted = format!("wasm-opt version {BINARYEN_NPM_VERSION}");
    let local = shell::tools_dir()
        .join("node_modules")
        .join(".bin")
        .join("wasm-opt");
    let found = probe(command(&local).arg("--version"))
        .with_context(|| format!("{} does not run", local.display()))?;
    if !found.starts_with(&wanted) {
        bail!("{} reports `{found}`, expected `{wanted}`", local.display());
    }
    Ok(Outcome::Present(format!(
        "{found} (npm binaryen, {})",
        local.display()
    )))
}

pub fn axe_script() -> std::path::PathBuf {
    shell::tools_dir()
        .join("node_modules")
        .join("axe-core")
        .join("axe.min.js")
}

pub fn venv_bin(tool: &str) -> std::path::PathBuf {
    shell::tools_dir().join("venv").join("bin").join(tool)
}

fn ensure_python_tools() -> Result<Outcome> {
    let wanted: Vec<String> = PYTHON_TOOLS
        .iter()
        .map(|(name, version)| format!("{name}=={version}"))
        .collect();
    let summary = wanted.join(", ");
    let pip = venv_bin("pip");
    let frozen = probe(command(&pip).args(["freeze", "--all"])).unwrap_or_default();
    let installed: Vec<String> = frozen.lines().map(str::to_ascii_lowercase).collect();
    if wanted
        .iter()
        .all(|pin| installed.contains(&pin.to_ascii_lowercase()))
    {
        return Ok(Outcome::Present(summary));
    }
    println!("setup: python tools: installing {summary} into .tools/venv");
    if !pip.exists() {
        shell::run(
            command("python3")
                .args(["-m", "venv"])
                .arg(shell::tools_dir().join("venv")),
        )?;
    }
    shell::run(
        command(&pip)
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .args(&wanted),
    )?;
    Ok(Outcome::Installed(summary))
}

/// Installs Debian packages (root only; others are told the command to run).
fn apt_install(what: &str, packages: &[&str]) -> Result<()> {
    let list = packages.join(" ");
    let is_root = probe(command("id").arg("-u")).as_deref() == Some("0");
    if !is_root {
        bail!("{what} missing; install as root: apt-get update && apt-get install -y {list}");
    }
    println!("setup: installing {list} with apt-get");
    shell::run(command("apt-get").arg("update").arg("-qq"))?;
    shell::run(
        command("apt-get")
            .args(["install", "-y", "-qq", "--no-install-recommends"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// Postgres and NATS for the scaled topology's tests; setup never starts them as services.
fn ensure_services() -> Result<Outcome> {
    let found = || {
        let postgres = services::postgres_bin()?;
        let nats = services::nats_version()?;
        Some(format!("{} and {nats}", postgres.display()))
    };
    if let Some(found) = found() {
        return Ok(Outcome::Present(found));
    }
    apt_install("Postgres or nats-server is", &services::PACKAGES)?;
    found()
        .map(Outcome::Installed)
        .context("apt-get finished but Postgres or nats-server is still missing")
}

/// nginx with ngx_brotli's static module: the e2e serves a `cargo xtask export` with the
/// nginx.conf the export writes, as one of the release origins.
pub const NGINX: &str = "/usr/sbin/nginx";
pub const NGINX_BROTLI_STATIC: &str = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";
const NGINX_PACKAGES: [&str; 2] = ["nginx", "libnginx-mod-http-brotli-static"];

fn ensure_nginx() -> Result<Outcome> {
    let found = || Path::new(NGINX).exists() && Path::new(NGINX_BROTLI_STATIC).exists();
    let summary = format!("{NGINX} with {NGINX_BROTLI_STATIC}");
    if found() {
        return Ok(Outcome::Present(summary));
    }
    apt_install("nginx with brotli_static is", &NGINX_PACKAGES)?;
    if !found() {
        bail!("apt-get finished but {summary} is still missing");
    }
    Ok(Outcome::Installed(summary))
}

fn ensure_browser() -> Result<Outcome> {
    if let Some(found) = browser_versions()? {
        return Ok(Outcome::Present(found));
    }
    apt_install("Chromium and chromedriver are", &BROWSER_PACKAGES)?;
    browser_versions()?
        .map(Outcome::Installed)
        .context("apt-get finished but Chromium or chromedriver still does not run")
}

/// Both browser binaries' versions, when both run and share a major version.
fn browser_versions() -> Result<Option<String>> {
    let chromium = Path::new(CHROMIUM)
        .exists()
        .then(|| probe(command(CHROMIUM).arg("--version")))
        .flatten();
    let driver = Path::new(CHROMEDRIVER)
        .exists()
        .then(|| probe(command(CHROMEDRIVER).arg("--version")))
        .flatten();
    let (Some(chromium), Some(driver)) = (chromium, driver) else {
        return Ok(None);
    };
    let major = |text: &str| {
        text.split_whitespace()
            .find_map(|word| word.split('.').next()?.parse::<u32>().ok())
    };
    if major(&chromium) != major(&driver) {
        bail!("`{chromium}` and `{driver}` differ in major version: reinstall both packages");
    }
    Ok(Some(chromium))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locked_versions_reads_the_entries_of_one_package() {
        let lock = r#"
[[package]]
name = "wasm-bindgen"
version = "0.2.130"

[[package]]
name = "wasm-bindgen-macro"
version = "0.2.130"
"#;
        assert_eq!(locked_versions(lock, "wasm-bindgen"), ["0.2.130"]);
        assert!(locked_versions(lock, "trunk").is_empty());
        let two = "[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n\n[[package]]\nname = \"a\"\nversion = \"2.0.0\"\n";
        assert_eq!(locked_versions(two, "a"), ["1.0.0", "2.0.0"]);
    }

    #[test]
    fn trunk_toml_pins_the_same_wasm_opt_as_setup() {
        let trunk_toml = std::fs::read_to_string(shell::project_root().join("Trunk.toml"))
            .expect("Trunk.toml at the root");
        let pin = format!("wasm_opt = \"version_{BINARYEN_NPM_VERSION}\"");
        assert!(
            trunk_toml.lines().any(|line| line.trim() == pin),
            "Trunk.toml must contain `{pin}`"
        );
    }
}
