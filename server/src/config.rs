//! Server configuration from command-line flags and environment variables.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::limits::LimitsConfig;

/// Shorter operator-chosen ops tokens are refused: generated ones carry 256 random bits.
pub const MIN_OPS_TOKEN_LENGTH: usize = 32;

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    /// Holds the SQLite database (unless `database_url` names another) and published release
    /// files.
    pub data_dir: PathBuf,
    /// `DATABASE_URL`: `postgres://…` to share one database between instances; unset for the
    /// embedded SQLite file in `data_dir`.
    pub database_url: Option<String>,
    /// `EVENT_BUS_URL`: `nats://…` to carry events on NATS JetStream between instances; unset
    /// for the in-process dispatcher over the outbox.
    pub event_bus_url: Option<String>,
    /// How long the event stream waits for an instance to acknowledge an event before handing
    /// it to another (one that was killed mid-event, say).
    pub event_ack_wait: Duration,
    /// Prefix of the event stream's streams and subjects (`EVENT_BUS_NAMESPACE`, default
    /// `tessera`), so several shops can share one NATS.
    pub event_namespace: String,
    /// trunk output folders (`<apps_dir>/<app>/`) served under `/apps/<app>/` for development.
    pub apps_dir: Option<PathBuf>,
    /// Seed the demo catalog when the database is empty.
    pub demo_data: bool,
    /// Plain products added to a freshly seeded demo catalog (`--demo-products`, benchmarks).
    pub demo_products: usize,
    /// An ops token chosen by the operator (`TESSERA_OPS_TOKEN`); otherwise one is generated at
    /// first start and printed once.
    pub ops_token: Option<String>,
    /// A read-only ops token (`TESSERA_OPS_VIEWER_TOKEN`, role `ops-viewer`).
    pub ops_viewer_token: Option<String>,
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
    /// Abuse limits, `None` to switch them off (`--rate-limits off`, for load benchmarks).
    pub rate_limits: Option<LimitsConfig>,
    /// Distinct visitors a release must have been seen by before a stop condition may halt it,
    /// whatever the rollout's own minimum says.
    pub telemetry_min_visitors: i64,
    /// Visitors from one client address that count towards a release's stats per revision. Kept
    /// below `telemetry_min_visitors`, so no single address can halt a release on its own.
    pub telemetry_visitors_per_address: i64,
    /// The sandbox of releases' server-side renderers; `None` renders every slot in the browser
    /// (`--edge-render off`).
    pub edge_render: Option<crate::edge::Limits>,
    /// The marketplaces to sell on (`--marketplaces URL` with `TESSERA_MARKETPLACE_SECRET` or
    /// `--marketplace-secret`); `None`: no connectors run.
    pub marketplaces: Option<crate::marketplaces::MarketplacesConfig>,
    /// Multiplies the webhook retry schedule (5 s, 5 min, …); tests shrink it.
    pub webhook_retry_scale: f64,
    /// Where shells load release files from, in order (`--release-origins A,B` or
    /// `TESSERA_RELEASE_ORIGINS`): CDNs or static hosts serving `cargo xtask export`. Empty: this
    /// server only.
    pub release_origins: Vec<String>,
    /// Where compiled renderers are kept across restarts (`--renderer-cache DIR` or
    /// `TESSERA_RENDERER_CACHE`; default: `renderer-cache` in the data dir). Instances and test
    /// servers may share one: entries are keyed by the module and the compiler's settings.
    pub renderer_cache: Option<PathBuf>,
}

impl Config {
    pub fn new(data_dir: PathBuf) -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir,
            database_url: std::env::var("DATABASE_URL")
                .ok()
                .filter(|url| !url.is_empty()),
            event_bus_url: std::env::var("EVENT_BUS_URL")
                .ok()
                .filter(|url| !url.is_empty()),
            event_ack_wait: Duration::from_secs(10),
            event_namespace: std::env::var("EVENT_BUS_NAMESPACE")
                .ok()
                .filter(|namespace| !namespace.is_empty())
                .unwrap_or_else(|| "tessera".into()),
            apps_dir: None,
            demo_data: false,
            demo_products: 0,
            ops_token: std::env::var("TESSERA_OPS_TOKEN")
                .ok()
                .filter(|token| !token.is_empty()),
            ops_viewer_token: std::env::var("TESSERA_OPS_VIEWER_TOKEN")
                .ok()
                .filter(|token| !token.is_empty()),
            consumer_max_attempts: 5,
            consumer_base_backoff: Duration::from_millis(200),
            manifest_ttl_seconds: 30,
            db_max_connections: 16,
            json_body_limit: 64 * 1024,
            upload_limit: 16 * 1024 * 1024,
            rate_limits: Some(LimitsConfig::default()),
            telemetry_min_visitors: 20,
            telemetry_visitors_per_address: 10,
            edge_render: Some(crate::edge::Limits {
                deadline: Duration::from_millis(50),
                memory_bytes: 64 << 20,
            }),
            marketplaces: None,
            webhook_retry_scale: 1.0,
            release_origins: std::env::var("TESSERA_RELEASE_ORIGINS")
                .map(|list| origins_of(&list))
                .unwrap_or_default(),
            renderer_cache: std::env::var_os("TESSERA_RENDERER_CACHE")
                .filter(|dir| !dir.is_empty())
                .map(PathBuf::from),
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
                "--demo-products" => {
                    config.demo_products = value()?
                        .parse()
                        .context("--demo-products takes a whole number")?
                }
                "--manifest-ttl" => {
                    config.manifest_ttl_seconds = value()?
                        .parse()
                        .context("--manifest-ttl takes whole seconds")?
                }
                "--rate-limits" => match value()?.as_str() {
                    "off" => config.rate_limits = None,
                    "on" => config.rate_limits = Some(LimitsConfig::default()),
                    _ => bail!("--rate-limits takes on or off"),
                },
                "--rate-limit" => config
                    .rate_limits
                    .get_or_insert_with(LimitsConfig::default)
                    .set(&value()?)?,
                "--telemetry-min-visitors" => {
                    config.telemetry_min_visitors = value()?
                        .parse()
                        .context("--telemetry-min-visitors takes a whole number")?
                }
                "--telemetry-visitors-per-address" => {
                    config.telemetry_visitors_per_address = value()?
                        .parse()
                        .context("--telemetry-visitors-per-address takes a whole number")?
                }
                "--edge-render" => match value()?.as_str() {
                    "off" => config.edge_render = None,
                    "on" => config.edge_render = Config::new(PathBuf::new()).edge_render,
                    _ => bail!("--edge-render takes on or off"),
                },
                "--render-deadline-ms" => {
                    let millis = value()?
                        .parse()
                        .context("--render-deadline-ms takes whole milliseconds")?;
                    if let Some(limits) = &mut config.edge_render {
                        limits.deadline = Duration::from_millis(millis);
                    }
                }
                "--render-memory-mb" => {
                    let megabytes: usize = value()?
                        .parse()
                        .context("--render-memory-mb takes whole megabytes")?;
                    if let Some(limits) = &mut config.edge_render {
                        limits.memory_bytes = megabytes << 20;
                    }
                }
                "--marketplaces" => {
                    let secret = std::env::var("TESSERA_MARKETPLACE_SECRET").unwrap_or_default();
                    config.marketplaces = Some(crate::marketplaces::MarketplacesConfig {
                        base_url: value()?,
                        secret,
                        interval: Duration::from_secs(2),
                        reconcile_every: Duration::from_secs(15 * 60),
                        budget_scale: 1.0,
                    });
                }
                "--event-ack-wait-ms" => {
                    let millis: u64 = value()?
                        .parse()
                        .context("--event-ack-wait-ms takes milliseconds")?;
                    config.event_ack_wait = Duration::from_millis(millis.max(100));
                }
                "--connector-interval-ms" => {
                    let millis: u64 = value()?
                        .parse()
                        .context("--connector-interval-ms takes milliseconds")?;
                    match &mut config.marketplaces {
                        Some(marketplaces) => {
                            marketplaces.interval = Duration::from_millis(millis.max(10))
                        }
                        None => bail!("--connector-interval-ms comes after --marketplaces"),
                    }
                }
                "--connector-budget-scale" => {
                    let scale: f64 = value()?
                        .parse()
                        .ok()
                        .filter(|scale: &f64| scale.is_finite() && *scale > 0.0)
                        .context("--connector-budget-scale takes a positive number (1 = the marketplaces' default quotas)")?;
                    match &mut config.marketplaces {
                        Some(marketplaces) => marketplaces.budget_scale = scale,
                        None => bail!("--connector-budget-scale comes after --marketplaces"),
                    }
                }
                "--marketplace-secret" => {
                    let secret = value()?;
                    match &mut config.marketplaces {
                        Some(marketplaces) => marketplaces.secret = secret,
                        None => bail!("--marketplace-secret comes after --marketplaces"),
                    }
                }
                "--webhook-retry-scale" => {
                    config.webhook_retry_scale = value()?
                        .parse()
                        .context("--webhook-retry-scale takes a number (1 = 5 s, 5 min, ...)")?
                }
                "--release-origins" => config.release_origins = origins_of(&value()?),
                "--renderer-cache" => config.renderer_cache = Some(PathBuf::from(value()?)),
                "--help" | "-h" => bail!(USAGE),
                other => bail!("unknown flag `{other}`\n{USAGE}"),
            }
        }
        Ok(config)
    }

    /// Refuses settings the server must not run with.
    pub fn check(&self) -> Result<()> {
        if let Some(token) = &self.ops_token
            && token.chars().count() < MIN_OPS_TOKEN_LENGTH
        {
            bail!(
                "the ops token (TESSERA_OPS_TOKEN) must be at least {MIN_OPS_TOKEN_LENGTH} characters; \
                 leave it unset to have one generated"
            );
        }
        if let Some(token) = &self.ops_viewer_token
            && token.chars().count() < MIN_OPS_TOKEN_LENGTH
        {
            bail!(
                "the ops viewer token (TESSERA_OPS_VIEWER_TOKEN) must be at least {MIN_OPS_TOKEN_LENGTH} characters"
            );
        }
        if !self
            .event_namespace
            .chars()
            .all(|character| character.is_ascii_alphanumeric() || character == '_')
            || !self
                .event_namespace
                .starts_with(|c: char| c.is_ascii_alphabetic())
        {
            bail!(
                "EVENT_BUS_NAMESPACE must be a letter followed by letters, digits or underscores"
            );
        }
        if let Some(origin) = self
            .release_origins
            .iter()
            .find(|origin| !is_origin(origin))
        {
            bail!("release origin `{origin}` is not scheme://host[:port] (http or https, no path)");
        }
        if let Some(marketplaces) = &self.marketplaces
            && standardwebhooks::Webhook::new(&marketplaces.secret).is_err()
        {
            bail!(
                "--marketplaces needs a notification secret whsec_<base64> (--marketplace-secret or TESSERA_MARKETPLACE_SECRET)"
            );
        }
        Ok(())
    }

    pub fn database(&self) -> Result<crate::store::Database> {
        crate::store::Database::from_url(self.database_url.as_deref(), &self.data_dir)
    }

    pub fn releases_dir(&self) -> PathBuf {
        self.data_dir.join("releases")
    }

    pub fn renderer_cache_dir(&self) -> PathBuf {
        self.renderer_cache
            .clone()
            .unwrap_or_else(|| self.data_dir.join("renderer-cache"))
    }
}

/// A comma-separated list of origins, without trailing slashes.
fn origins_of(list: &str) -> Vec<String> {
    list.split(',')
        .map(|origin| origin.trim().trim_end_matches('/').to_owned())
        .filter(|origin| !origin.is_empty())
        .collect()
}

/// `http(s)://host[:port]` and nothing else: the origin goes into the page's policy and import
/// map, so no path, query, quote or space may ride along.
pub fn is_origin(origin: &str) -> bool {
    let Some(host) = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
    else {
        return false;
    };
    !host.is_empty()
        && host.len() <= 190
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
}

const USAGE: &str =
    "usage: tessera-server [--addr HOST:PORT] [--data-dir DIR] [--apps-dir DIR] [--demo-data]
                      [--manifest-ttl SECONDS] [--rate-limits on|off]
                      [--rate-limit NAME=PER_MINUTE/BURST]... (names: requests-per-address,
                       sessions-per-address, carts-per-address, carts-per-token,
                       card-tokens-per-address, card-tokens-per-token, beacons-per-address,
                       beacons-per-visitor, sign-ins-per-address, sign-ins-per-account)
                      [--telemetry-min-visitors N] [--telemetry-visitors-per-address N]
                      [--edge-render on|off] [--render-deadline-ms N (50)] [--render-memory-mb N (64)]
                      [--demo-products N] [--marketplaces URL [--marketplace-secret whsec_…] [--connector-interval-ms N (2000)]
                       [--connector-budget-scale F (1)]]
                      [--webhook-retry-scale F (1)] [--event-ack-wait-ms N (10000)]
                      [--release-origins URL,URL…] [--renderer-cache DIR]
       tessera-server export DIR [--api URL] [the same flags]: the shell, the live releases and the
                      manifest as a static site, with header rules for Netlify/Cloudflare Pages
                      (_headers) and nginx (nginx.conf); --api: proxy /v1/ to that shop
environment: DATABASE_URL (postgres://… to share a database; default: SQLite in the data dir),
             EVENT_BUS_URL (nats://… for a NATS JetStream event stream; default: in process),
             TESSERA_RELEASE_ORIGINS (like --release-origins), TESSERA_RENDERER_CACHE (like
             --renderer-cache),
             TESSERA_OPS_TOKEN (ops bearer token), TESSERA_OPS_VIEWER_TOKEN (read-only ops
             token), TESSERA_MARKETPLACE_SECRET (notification
             signing secret), RUST_LOG (log filter)";

#[cfg(test)]
mod tests {
    use super::Config;

    fn parse(args: &[&str]) -> anyhow::Result<Config> {
        Config::from_args(args.iter().map(|arg| arg.to_string()))
    }

    #[test]
    fn a_connector_budget_scale_needs_the_marketplaces_and_a_positive_number() {
        let config = parse(&[
            "--marketplaces",
            "http://127.0.0.1:1",
            "--connector-budget-scale",
            "2.5",
        ])
        .unwrap();
        assert_eq!(config.marketplaces.unwrap().budget_scale, 2.5);
        for refused in [
            [
                "--marketplaces",
                "http://127.0.0.1:1",
                "--connector-budget-scale",
                "0",
            ],
            [
                "--marketplaces",
                "http://127.0.0.1:1",
                "--connector-budget-scale",
                "NaN",
            ],
        ] {
            assert!(parse(&refused).is_err(), "{refused:?}");
        }
        assert!(parse(&["--connector-budget-scale", "2"]).is_err());
    }
}
