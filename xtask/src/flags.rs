//! Command-line flags of `cargo xtask`, parsed by hand to keep xtask free of dependencies.

pub const USAGE: &str = "\
usage: cargo xtask <command> [flags]

commands:
  setup [--no-browser]     install or verify the pinned tools (wasm target, trunk,
                           wasm-bindgen-cli, wasm-opt, Chromium + chromedriver)
  build                    the shell and the gallery into target/dist/ (micro apps
                           ship as releases: see release build)
  codegen                  regenerate api-client/src/generated from the contract
  release build <app> [--features F]
                           an immutable, content-hashed release of one micro app
  release publish <app> [--release ID]
                           upload it through the ops API (TESSERA_SERVER, TESSERA_OPS_TOKEN)
  rollout <app> <release>=<weight>... [--seed S] [--max-error-rate R --min-exposures N]
  rollback <app>           restore the previous rollout revision
  assign <app> <visitor>   which release a visitor gets, and why
  bench api [--rate RPS] [--seconds S] [--orders N]
                           load the API on loopback and report rps and p50/p99
  bench size               brotli bytes of the shell and each micro app, and where the
                           wasm goes
  bench web                Lighthouse (mobile and desktop) on the product page and on
                           the React peer in ../shared/peers/react-pdp, side by side
  bench marketplaces       a server with 10,000 more products selling on the simulator:
                           amazon's publish time, one reconciliation over every listing,
                           and marketplace-order intake in orders/s
  bench search             catalog search and listings at 200 rps over 10,000 more
                           products: p50/p99 per kind of query
  serve [--addr HOST:PORT] [--demo-products N]
                           build everything, start the server with demo data (N more
                           generated products in a fresh data dir; default
                           127.0.0.1:8080) and print the URLs
  export DIR [--origins URL,URL...] [--api URL]
                           the shell, the shop's releases and the manifest as a static
                           site with header rules for Netlify/Cloudflare Pages and nginx;
                           --origins: the release origins its manifest lists; --api: the
                           shop its rules pass /v1/ calls to
  test [--skip STAGE]...   setup, fmt, clippy, native tests, wasm tests, contract
                           checks, e2e; one summary line per stage";

#[derive(Debug, PartialEq)]
pub enum Command {
    Help,
    Setup(Setup),
    Build,
    Codegen,
    Bench(Bench),
    /// Arguments after `release`, checked by the release module.
    Release(Vec<String>),
    /// `rollout`, `rollback` or `assign`, passed through to the release tool.
    Steer {
        command: String,
        arguments: Vec<String>,
    },
    Serve(Serve),
    Export(Export),
    Test(Test),
}

#[derive(Debug, PartialEq)]
pub struct Export {
    pub dir: String,
    /// Comma-separated release origins for the exported manifest.
    pub origins: Option<String>,
    /// The shop the exported site's host rules pass API calls to.
    pub api: Option<String>,
}

#[derive(Debug, PartialEq, Default)]
pub struct Setup {
    /// Leave Chromium out: serving and building do not need a browser.
    pub no_browser: bool,
}

#[derive(Debug, PartialEq)]
pub struct Serve {
    pub addr: String,
    /// Generated products added to a freshly seeded catalog (`--demo-products`).
    pub demo_products: Option<u32>,
    /// `--scale`: Postgres, NATS and two instances instead of one process on SQLite.
    pub scale: bool,
}

/// Load-generator settings, passed through to `tessera-bench`.
#[derive(Debug, PartialEq)]
pub struct Bench {
    pub target: String,
    pub passthrough: Vec<String>,
}

#[derive(Debug, PartialEq, Default)]
pub struct Test {
    /// Stage names to leave out, for fast local iterations; CI never passes this.
    pub skip: Vec<String>,
}

pub fn parse(mut args: impl Iterator<Item = String>) -> Result<Command, String> {
    let Some(command) = args.next() else {
        return Ok(Command::Help);
    };
    let rest: Vec<String> = args.collect();
    match command.as_str() {
        "help" | "--help" | "-h" => Ok(Command::Help),
        "setup" => {
            let mut setup = Setup::default();
            for arg in rest {
                match arg.as_str() {
                    "--no-browser" => setup.no_browser = true,
                    other => return Err(format!("setup: unknown flag `{other}`")),
                }
            }
            Ok(Command::Setup(setup))
        }
        "build" => no_flags("build", &rest).map(|()| Command::Build),
        "codegen" => no_flags("codegen", &rest).map(|()| Command::Codegen),
        "release" => Ok(Command::Release(rest)),
        "rollout" | "rollback" | "assign" => Ok(Command::Steer {
            command,
            arguments: rest,
        }),
        "bench" => {
            let mut rest = rest.into_iter();
            match rest.next().as_deref() {
                Some("api") => {}
                Some(target @ ("size" | "web" | "marketplaces" | "search" | "orders")) => {
                    let target = target.to_owned();
                    return no_flags(&format!("bench {target}"), &rest.collect::<Vec<_>>()).map(
                        |()| {
                            Command::Bench(Bench {
                                target,
                                passthrough: Vec::new(),
                            })
                        },
                    );
                }
                other => {
                    return Err(format!(
                        "bench: expected a target (api, size, web, marketplaces, search, orders), got {other:?}"
                    ));
                }
            }
            let passthrough: Vec<String> = rest.collect();
            for pair in passthrough.chunks(2) {
                match pair {
                    [flag, _] if ["--rate", "--seconds", "--orders"].contains(&flag.as_str()) => {}
                    _ => return Err(format!("bench api: unexpected arguments {pair:?}")),
                }
            }
            Ok(Command::Bench(Bench {
                target: "api".into(),
                passthrough,
            }))
        }
        "serve" => {
            let mut serve = Serve {
                addr: "127.0.0.1:8080".to_owned(),
                demo_products: None,
                scale: false,
            };
            let mut rest = rest.into_iter();
            while let Some(arg) = rest.next() {
                match arg.as_str() {
                    "--addr" => {
                        serve.addr = rest
                            .next()
                            .ok_or("serve: --addr needs HOST:PORT".to_owned())?
                    }
                    "--demo-products" => {
                        let count = rest.next().and_then(|value| value.parse().ok());
                        serve.demo_products =
                            Some(count.ok_or("serve: --demo-products needs a number".to_owned())?)
                    }
                    "--scale" => serve.scale = true,
                    other => return Err(format!("serve: unknown flag `{other}`")),
                }
            }
            Ok(Command::Serve(serve))
        }
        "export" => {
            let mut rest = rest.into_iter();
            let dir = rest
                .next()
                .filter(|dir| !dir.starts_with('-'))
                .ok_or("export: needs a folder to write to".to_owned())?;
            let mut export = Export {
                dir,
                origins: None,
                api: None,
            };
            while let Some(arg) = rest.next() {
                match arg.as_str() {
                    "--origins" => {
                        export.origins = Some(
                            rest.next()
                                .ok_or("export: --origins needs URL,URL".to_owned())?,
                        )
                    }
                    "--api" => {
                        export.api =
                            Some(rest.next().ok_or("export: --api needs a URL".to_owned())?)
                    }
                    other => return Err(format!("export: unknown flag `{other}`")),
                }
            }
            Ok(Command::Export(export))
        }
        "test" => {
            let mut test = Test::default();
            let mut rest = rest.into_iter();
            while let Some(arg) = rest.next() {
                match arg.as_str() {
                    "--skip" => test.skip.push(
                        rest.next()
                            .ok_or("test: --skip needs a stage name".to_owned())?,
                    ),
                    other => return Err(format!("test: unknown flag `{other}`")),
                }
            }
            Ok(Command::Test(test))
        }
        other => Err(format!("unknown command `{other}`")),
    }
}

fn no_flags(command: &str, rest: &[String]) -> Result<(), String> {
    match rest.first() {
        Some(flag) => Err(format!("{command}: unknown flag `{flag}`")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_line(line: &str) -> Result<Command, String> {
        parse(line.split_whitespace().map(str::to_owned))
    }

    #[test]
    fn serve_defaults_to_loopback_8080_and_takes_an_address() {
        assert_eq!(
            parse_line("serve"),
            Ok(Command::Serve(Serve {
                addr: "127.0.0.1:8080".into(),
                demo_products: None,
                scale: false,
            }))
        );
        assert_eq!(
            parse_line("serve --addr 0.0.0.0:9000 --demo-products 10000 --scale"),
            Ok(Command::Serve(Serve {
                addr: "0.0.0.0:9000".into(),
                demo_products: Some(10000),
                scale: true,
            }))
        );
    }

    #[test]
    fn unknown_commands_and_flags_are_rejected() {
        assert!(parse_line("deploy").is_err());
        assert!(parse_line("setup --force").is_err());
        assert!(parse_line("serve --addr").is_err());
        assert!(parse_line("serve --demo-products lots").is_err());
        assert!(parse_line("build --release").is_err());
    }

    #[test]
    fn export_takes_a_folder_and_origins() {
        assert_eq!(
            parse_line(
                "export site --origins https://a.example,https://b.example --api https://shop.example"
            ),
            Ok(Command::Export(Export {
                dir: "site".into(),
                origins: Some("https://a.example,https://b.example".into()),
                api: Some("https://shop.example".into()),
            }))
        );
        assert!(parse_line("export").is_err());
        assert!(parse_line("export --origins x").is_err());
    }

    #[test]
    fn test_stages_can_be_skipped() {
        assert_eq!(
            parse_line("test --skip e2e --skip wasm"),
            Ok(Command::Test(Test {
                skip: vec!["e2e".into(), "wasm".into()]
            }))
        );
    }
}
