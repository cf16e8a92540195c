//! Server configuration from command-line flags and environment variables.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    /// Holds the SQLite database and published release files.
    pub data_dir: PathBuf,
    /// trunk output folders (`<apps_dir>/<app>/`) served under `/apps/<app>/` for development.
    pub apps_dir: Option<PathBuf>,
    /// Seed the demo catalog when the database is empty.
    pub demo_data: bool,
    /// An ops token chosen by the operator (`TESSERA_OPS_TOKEN`); otherwise one is generated at
    /// first start and printed once.
    pub ops_token: Option<String>,
    /// Failed attempts before an event is parked as a dead letter.
    pub consumer_max_attempts: u32,
    pub consumer_base_backoff: Duration,
    pub manifest_ttl_seconds: u32,
    /// Database connections in the pool.
    pub db_max_connections: u32,
    /// Largest accepted JSON body.
    pub json_body_limit: usize,
    /// Largest accepted release file upload.
    pub upload_limit: usize,
}

impl Config {
    pub fn new(data_dir: PathBuf) -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir,
            apps_dir: None,
            demo_data: false,
            ops_token: std::env::var("TESSERA_OPS_TOKEN")
                .ok()
                .filter(|token| !token.is_empty()),
            consumer_max_attempts: 5,
            consumer_base_backoff: Duration::from_millis(200),
            manifest_ttl_seconds: 30,
            db_max_connections: 16,
            json_body_limit: 64 * 1024,
            upload_limit: 16 * 1024 * 1024,
        }
    }

    pub fn from_args(args: impl Iterator<Item = String>) -> Result<Config> {
        let mut config = Config::new(PathBuf::from("data"));
        let mut args = args.peekable();
        while let Some(flag) = args.next() {
            let mut value = || args.next().with_context(|| format!("{flag} needs a value"));
            match flag.as_str() {
                "--addr" => config.addr = value()?.parse().context("--addr takes HOST:PORT")?,
                "--data-dir" => config.data_dir = PathBuf::from(value()?),
                "--apps-dir" => config.apps_dir = Some(PathBuf::from(value()?)),
                "--demo-data" => config.demo_data = true,
                "--manifest-ttl" => {
                    config.manifest_ttl_seconds = value()?
                        .parse()
                        .context("--manifest-ttl takes whole seconds")?
                }
                "--help" | "-h" => bail!(USAGE),
                other => bail!("unknown flag `{other}`\n{USAGE}"),
            }
        }
        Ok(config)
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("tessera.sqlite")
    }

    pub fn releases_dir(&self) -> PathBuf {
        self.data_dir.join("releases")
    }
}

const USAGE: &str =
    "usage: tessera-server [--addr HOST:PORT] [--data-dir DIR] [--apps-dir DIR] [--demo-data]
                      [--manifest-ttl SECONDS]
environment: TESSERA_OPS_TOKEN (ops bearer token), RUST_LOG (log filter)";
