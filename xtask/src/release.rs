//! `cargo xtask release build|publish`, `rollout`, `rollback` and `assign`: xtask builds the app
//! with trunk and hands everything else to `tessera-release`, which owns releases and the ops API.
//!
//! `release build <app> [--features F]` writes `<target>/releases/<app>/<release-id>/`;
//! `release publish <app> [--release ID]` uploads the newest (or the named) release of that app.
//! The server and token come from `TESSERA_SERVER` (default http://127.0.0.1:8080) and
//! `TESSERA_OPS_TOKEN`.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use crate::shell::{self, command, probe};
use crate::tools;
use crate::workspace::Workspace;

fn release_tool(arguments: &[String]) -> Result<()> {
    shell::run(
        command(env!("CARGO"))
            .args(["run", "--quiet", "--package", "tessera-release", "--"])
            .args(arguments),
    )
}

fn release_tool_output(arguments: &[String]) -> Result<String> {
    let output = command(env!("CARGO"))
        .args(["run", "--quiet", "--package", "tessera-release", "--"])
        .args(arguments)
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("running tessera-release")?;
    if !output.status.success() {
        bail!("tessera-release {} failed", arguments.join(" "));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn releases_dir(workspace: &Workspace) -> PathBuf {
    workspace.target_dir.join("releases")
}

pub fn run(arguments: &[String]) -> Result<()> {
    let workspace = Workspace::load()?;
    match arguments {
        [action, app, rest @ ..] if action == "build" => build(&workspace, app, rest),
        [action, app, rest @ ..] if action == "publish" => publish(&workspace, app, rest),
        _ => bail!(
            "usage: cargo xtask release build <app> [--features F] | publish <app> [--release ID]"
        ),
    }
}

fn build(workspace: &Workspace, app: &str, rest: &[String]) -> Result<()> {
    let features = match rest {
        [] => None,
        [flag, features] if flag == "--features" => Some(features.as_str()),
        _ => bail!("release build takes only --features F"),
    };
    build_release(workspace, app, features).map(|_| ())
}

/// Builds an immutable release of `app` (with `features`) and returns its folder.
pub fn build_release(workspace: &Workspace, app: &str, features: Option<&str>) -> Result<PathBuf> {
    let package = workspace
        .packages
        .iter()
        .find(|package| package.released && package.name == app)
        .with_context(|| format!("{app} is not a released micro app of this workspace"))?;
    let staging = workspace.target_dir.join("release-staging").join(app);
    let mut trunk = crate::bundle::trunk_build(workspace)?;
    trunk
        .arg("--config")
        .arg(package.dir.join("Trunk.toml"))
        .arg("--dist")
        .arg(&staging)
        .arg("--public-url")
        .arg(format!("/releases/{app}/"));
    if let Some(features) = features {
        trunk.args(["--features", features]);
    }
    shell::run(trunk.arg(package.dir.join("index.html")))?;
    let renderer = match &package.renderer {
        Some(binary) => Some(build_renderer(workspace, app, binary, features)?),
        None => None,
    };
    let git_revision = probe(command("git").args(["rev-parse", "--short=12", "HEAD"]))
        .unwrap_or_else(|| "unknown".into());
    let dirty = probe(command("git").args(["status", "--porcelain"]))
        .is_some_and(|status| !status.is_empty());
    let version = probe(command(env!("CARGO")).args(["pkgid", "--package", app]))
        .and_then(|id| id.rsplit(['@', '#']).next().map(str::to_owned))
        .unwrap_or_else(|| "0.0.0".into());
    let mut arguments: Vec<String> = vec![
        "build".into(),
        "--app".into(),
        app.into(),
        "--dist".into(),
        staging.to_string_lossy().into_owned(),
        "--out".into(),
        releases_dir(workspace).to_string_lossy().into_owned(),
    ];
    if let Some(renderer) = &renderer {
        arguments.extend(["--renderer".into(), renderer.to_string_lossy().into_owned()]);
    }
    arguments.extend([
        "--version".into(),
        match features {
            Some(features) => format!("{version}+{}", features.replace(',', ".")),
            None => version,
        },
        "--git".into(),
        if dirty {
            format!("{git_revision}-dirty")
        } else {
            git_revision
        },
    ]);
    let output = release_tool_output(&arguments)?;
    // The tool prints the release folder as its last line.
    let folder = output
        .lines()
        .last()
        .map(PathBuf::from)
        .filter(|folder| folder.join("release.json").exists())
        .with_context(|| format!("tessera-release build printed no release folder: {output}"))?;
    println!(
        "release: {app}{} → {}",
        features.map(|f| format!(" +{f}")).unwrap_or_default(),
        folder.display()
    );
    Ok(folder)
}

/// The app's server-side renderer: the same crate for WASI with feature `ssr` (and the release's
/// experiment features), in the `renderer` profile.
fn build_renderer(
    workspace: &Workspace,
    app: &str,
    binary: &str,
    features: Option<&str>,
) -> Result<PathBuf> {
    let features = match features {
        Some(features) => format!("ssr,{features}"),
        None => "ssr".to_owned(),
    };
    shell::run(command(env!("CARGO")).args([
        "build",
        "--quiet",
        "--package",
        app,
        "--bin",
        binary,
        "--target",
        tools::RENDERER_TARGET,
        "--profile",
        "renderer",
        "--no-default-features",
        "--features",
        &features,
    ]))?;
    Ok(workspace
        .target_dir
        .join(tools::RENDERER_TARGET)
        .join("renderer")
        .join(format!("{binary}.wasm")))
}

fn publish(workspace: &Workspace, app: &str, rest: &[String]) -> Result<()> {
    let app_dir = releases_dir(workspace).join(app);
    let release = match rest {
        [flag, id] if flag == "--release" => app_dir.join(id),
        [] => newest_release(&app_dir)?,
        _ => bail!("release publish takes only --release ID"),
    };
    release_tool(&[
        "publish".into(),
        "--dir".into(),
        release.to_string_lossy().into_owned(),
    ])
}

/// The most recently built release of an app (by its release.json's time).
fn newest_release(app_dir: &std::path::Path) -> Result<PathBuf> {
    let mut newest: Option<(std::time::SystemTime, PathBuf)> = None;
    for entry in std::fs::read_dir(app_dir).with_context(|| {
        format!(
            "no releases built in {}: run `cargo xtask release build` first",
            app_dir.display()
        )
    })? {
        let directory = entry?.path();
        if let Ok(modified) = directory
            .join("release.json")
            .metadata()
            .and_then(|m| m.modified())
            && newest.as_ref().is_none_or(|(time, _)| modified > *time)
        {
            newest = Some((modified, directory));
        }
    }
    newest
        .map(|(_, path)| path)
        .context("no complete release found")
}

/// `rollout <app> <release>=<weight>…`, `rollback <app>`, `assign <app> <visitor>`.
pub fn steer(command_name: &str, arguments: &[String]) -> Result<()> {
    let Some((app, rest)) = arguments.split_first() else {
        bail!("usage: cargo xtask {command_name} <app> …");
    };
    let mut forwarded = vec![command_name.to_owned(), "--app".into(), app.clone()];
    match command_name {
        "assign" => match rest {
            [visitor] => forwarded.extend(["--visitor".into(), visitor.clone()]),
            _ => bail!("usage: cargo xtask assign <app> <visitor-id>"),
        },
        "rollback" if !rest.is_empty() => bail!("usage: cargo xtask rollback <app>"),
        _ => forwarded.extend(rest.iter().cloned()),
    }
    release_tool(&forwarded)
}

/// A release folder built for the shop, and the features it was built with.
pub struct BuiltRelease {
    pub app: String,
    pub features: Option<String>,
    pub dir: PathBuf,
}

impl BuiltRelease {
    /// `product-detail`, or `product-detail+variant-b` for a feature build.
    pub fn label(&self) -> String {
        match &self.features {
            Some(features) => format!("{}+{features}", self.app),
            None => self.app.clone(),
        }
    }

    pub fn release_id(&self) -> Result<String> {
        let metadata: serde_json::Value =
            serde_json::from_slice(&std::fs::read(self.dir.join("release.json"))?)?;
        metadata["releaseId"]
            .as_str()
            .map(str::to_owned)
            .context("release.json without releaseId")
    }
}

/// Every released micro app, plus (`with_variants`) each of its experiment variants.
pub fn build_shop(workspace: &Workspace, with_variants: bool) -> Result<Vec<BuiltRelease>> {
    let mut built = Vec::new();
    for package in workspace.packages.iter().filter(|package| package.released) {
        let variants = if with_variants {
            package.release_variants.as_slice()
        } else {
            &[]
        };
        let builds = std::iter::once(None).chain(variants.iter().map(|f| Some(f.clone())));
        for features in builds {
            let mut release = BuiltRelease {
                app: package.name.clone(),
                features,
                dir: PathBuf::new(),
            };
            let label = release.label();
            let fingerprint = inputs_fingerprint(&package.dir, &label);
            let record = workspace
                .target_dir
                .join("release-cache")
                .join(format!("{label}.txt"));
            match fingerprint.as_deref().and_then(|f| unchanged(&record, f)) {
                Some(dir) => {
                    println!("release: {label} unchanged, {}", dir.display());
                    release.dir = dir;
                }
                None => {
                    release.dir =
                        build_release(workspace, &package.name, release.features.as_deref())?;
                    if let Some(fingerprint) = fingerprint {
                        std::fs::create_dir_all(record.parent().context("in a folder")?)?;
                        let folder = release.dir.to_string_lossy();
                        std::fs::write(&record, format!("{fingerprint}\n{folder}"))?;
                    }
                }
            }
            built.push(release);
        }
    }
    Ok(built)
}

/// What a release build reads besides the app's own folder: the crates every app shares, the lock
/// file, how xtask and the release tool build, and the toolchain. Building the same inputs again
/// only costs time: two builds of one app that differ in features recompile it each time they
/// alternate (three minutes of a warm CI run).
const SHARED_INPUTS: [&str; 9] = [
    "design-system",
    "api-client",
    "micro-app",
    "json-codec",
    "release",
    "Cargo.toml",
    "Cargo.lock",
    "xtask/src/bundle.rs",
    "xtask/src/tools.rs",
];

/// The committed state of everything a release build of `label` from `app_dir` reads (git tree
/// and blob ids, the compiler's version); `None` when any of it has uncommitted changes, or
/// outside git, so such a tree is always built.
fn inputs_fingerprint(app_dir: &std::path::Path, label: &str) -> Option<String> {
    let app = app_dir
        .strip_prefix(shell::project_root())
        .ok()?
        .to_str()?
        .to_owned();
    let inputs: Vec<String> = std::iter::once(app)
        .chain(SHARED_INPUTS.map(str::to_owned))
        .collect();
    let root = shell::project_root();
    let clean = probe(
        command("git")
            .current_dir(&root)
            .args(["status", "--porcelain", "--"])
            .args(&inputs),
    )?;
    if !clean.is_empty() {
        return None;
    }
    let ids = probe(
        command("git")
            .current_dir(&root)
            .arg("rev-parse")
            .args(inputs.iter().map(|path| format!("HEAD:{path}"))),
    )?;
    let rustc = probe(command("rustc").arg("--version"))?;
    Some(format!("{label}\n{rustc}\n{ids}"))
}

/// The release folder built from `fingerprint`'s inputs, while it still exists.
fn unchanged(record: &std::path::Path, fingerprint: &str) -> Option<PathBuf> {
    let recorded = std::fs::read_to_string(record).ok()?;
    let (inputs, folder) = recorded.rsplit_once('\n')?;
    let folder = PathBuf::from(folder);
    (inputs == fingerprint && folder.join("release.json").exists()).then_some(folder)
}

/// Publishes a release to the server at `server` and gives it all of its app's traffic.
pub fn publish_everywhere(server: &str, ops_token: &str, release: &BuiltRelease) -> Result<()> {
    let with_server = |arguments: &[String]| {
        let mut tool = command(env!("CARGO"));
        tool.args(["run", "--quiet", "--package", "tessera-release", "--"])
            .args(arguments)
            .env("TESSERA_SERVER", server)
            .env("TESSERA_OPS_TOKEN", ops_token);
        shell::run(&mut tool)
    };
    with_server(&[
        "publish".into(),
        "--dir".into(),
        release.dir.to_string_lossy().into_owned(),
    ])?;
    with_server(&[
        "rollout".into(),
        "--app".into(),
        release.app.clone(),
        format!("{}=1", release.release_id()?),
    ])
}
