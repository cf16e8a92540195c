//! `tessera-release`: the release half of the platform, run through `cargo xtask`.
//!
//! - `build --app A --dist DIR --out DIR --version V --git REV`: turns trunk's output for one app
//!   into an immutable release folder named by its content hash.
//! - `publish --dir DIR`: uploads a release through the ops API (no other app is touched).
//! - `rollout --app A RELEASE=WEIGHT… [--seed S] [--max-error-rate R --min-exposures N]`,
//!   `rollback --app A`, `assign --app A --visitor V`: steer and explain rollouts.
//!
//! The server and ops token come from `--server`/`--token` or `TESSERA_SERVER`/`TESSERA_OPS_TOKEN`.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use tessera_release::{build, ops};

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// `--name value` flags plus positional arguments.
struct Arguments {
    flags: BTreeMap<String, String>,
    positional: Vec<String>,
}

impl Arguments {
    fn parse(raw: &[String]) -> Result<Arguments> {
        let mut flags = BTreeMap::new();
        let mut positional = Vec::new();
        let mut raw = raw.iter();
        while let Some(argument) = raw.next() {
            if let Some(name) = argument.strip_prefix("--") {
                let value = raw
                    .next()
                    .with_context(|| format!("--{name} needs a value"))?;
                flags.insert(name.to_owned(), value.clone());
            } else {
                positional.push(argument.clone());
            }
        }
        Ok(Arguments { flags, positional })
    }

    fn required(&self, name: &str) -> Result<&str> {
        self.flags
            .get(name)
            .map(String::as_str)
            .with_context(|| format!("--{name} is required"))
    }

    fn or_env(&self, name: &str, variable: &str, default: Option<&str>) -> Result<String> {
        self.flags
            .get(name)
            .cloned()
            .or_else(|| std::env::var(variable).ok().filter(|v| !v.is_empty()))
            .or_else(|| default.map(str::to_owned))
            .with_context(|| format!("pass --{name} or set {variable}"))
    }

    fn ops(&self) -> Result<ops::OpsApi> {
        Ok(ops::OpsApi::new(
            &self.or_env("server", "TESSERA_SERVER", Some("http://127.0.0.1:8080"))?,
            &self.or_env("token", "TESSERA_OPS_TOKEN", None)?,
        ))
    }
}

fn run(raw: Vec<String>) -> Result<()> {
    let (command, rest) = raw
        .split_first()
        .context("usage: tessera-release build|publish|rollout|rollback|assign …")?;
    let arguments = Arguments::parse(rest)?;
    match command.as_str() {
        "build" => {
            let release = build::build_release(&build::BuildRequest {
                app: arguments.required("app")?,
                dist: arguments.required("dist")?.as_ref(),
                renderer: arguments.flags.get("renderer").map(|path| path.as_ref()),
                out: arguments.required("out")?.as_ref(),
                version: arguments.required("version")?,
                git_revision: arguments.required("git")?,
            })?;
            println!("{}", release.display());
            Ok(())
        }
        "sizes" => {
            let directory = std::path::PathBuf::from(arguments.required("dir")?);
            for (file, brotli) in build::brotli_sizes(&directory)? {
                println!("{file}\t{brotli}");
            }
            Ok(())
        }
        "publish" => {
            let directory = arguments.required("dir")?;
            let published = arguments.ops()?.publish(directory.as_ref())?;
            println!(
                "published {}/{} ({} bytes)",
                published.app, published.release_id, published.total_size
            );
            Ok(())
        }
        "rollout" => {
            let entries = arguments
                .positional
                .iter()
                .map(|pair| {
                    let (release, weight) = pair
                        .split_once('=')
                        .with_context(|| format!("expected RELEASE=WEIGHT, got {pair}"))?;
                    Ok((
                        release.to_owned(),
                        weight
                            .parse::<f64>()
                            .with_context(|| format!("weight of {release}"))?,
                    ))
                })
                .collect::<Result<Vec<_>>>()?;
            if entries.is_empty() {
                bail!("name at least one RELEASE=WEIGHT");
            }
            let stop = match (
                arguments.flags.get("max-error-rate"),
                arguments.flags.get("min-exposures"),
            ) {
                (Some(rate), Some(minimum)) => Some((rate.parse()?, minimum.parse()?)),
                (None, None) => None,
                _ => bail!("--max-error-rate and --min-exposures go together"),
            };
            let rollout = arguments.ops()?.set_rollout(
                arguments.required("app")?,
                &entries,
                arguments.flags.get("seed").map(String::as_str),
                stop,
            )?;
            println!("{}", ops::describe_rollout(&rollout));
            Ok(())
        }
        "rollback" => {
            let rollout = arguments.ops()?.rollback(arguments.required("app")?)?;
            println!("rolled back: {}", ops::describe_rollout(&rollout));
            Ok(())
        }
        "assign" => {
            let server =
                arguments.or_env("server", "TESSERA_SERVER", Some("http://127.0.0.1:8080"))?;
            println!(
                "{}",
                ops::explain_assignment(
                    &server,
                    arguments.required("app")?,
                    arguments.required("visitor")?
                )?
            );
            Ok(())
        }
        other => bail!("unknown command {other}"),
    }
}
