//! The e2e harness: for each test, the real server binary on a free loopback port with a fresh
//! database and the release bundles, chromedriver on another free port, and a headless Debian
//! Chromium session. On failure it saves a screenshot, the page's console errors and the server
//! log under `<target>/e2e/<test>/`; processes are killed on drop, so nothing outlives a test.
//!
//! Run through `cargo xtask test` (or `cargo xtask test --skip …`), which builds the server and the
//! bundles first and passes their location in `TESSERA_TARGET_DIR`.

pub mod market;
pub mod origins;
mod outline;
pub mod pages;
pub mod planted;
mod processes;
mod readiness;
pub mod scaled;
pub mod visitors;

pub use market::Market;
pub use outline::Outline;

use readiness::wait_for;

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use futures_util::FutureExt;
use serde_json::{Value, json};
use thirtyfour::prelude::*;
use tokio::process::{Child, Command};

/// The manifest TTL the e2e server runs with.
pub const MANIFEST_TTL_SECONDS: u64 = 2;

pub struct Session {
    pub base: String,
    pub driver: WebDriver,
    pub ops_token: String,
    artifacts: PathBuf,
    /// The server's data folder (database and published release files), for tests that tamper.
    pub data_dir: PathBuf,
    browser_profile: PathBuf,
    server: processes::Server,
    chromedriver: Child,
    driver_url: String,
}

/// The SRI string of `bytes`, as the release tool computes it.
pub fn integrity_of(bytes: &[u8]) -> String {
    tessera_release::files::integrity_of(bytes)
}

/// The release folder built for `label` (`product-detail`, `product-detail+variant-b`,
/// `checkout`), from the index `cargo xtask test` writes.
pub fn built_release(label: &str) -> Result<PathBuf> {
    let index = std::env::var_os("TESSERA_E2E_RELEASES")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("e2e-releases.json"));
    let releases: Value = serde_json::from_slice(
        &std::fs::read(&index).with_context(|| format!("reading {}", index.display()))?,
    )?;
    releases[label]
        .as_str()
        .map(PathBuf::from)
        .with_context(|| format!("no release built for {label} in {}", index.display()))
}

/// This crate's folder at run time (a test binary reused from a shared target directory may
/// have been compiled in another checkout).
fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

fn target_dir() -> PathBuf {
    std::env::var_os("TESSERA_TARGET_DIR")
        .or_else(|| std::env::var_os("CARGO_TARGET_DIR"))
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir().join("../target"))
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

impl Session {
    pub async fn start(test: &str, extras: &ServerExtras) -> Result<Session> {
        let target = target_dir();
        let server_binary = target.join("debug").join("tessera-server");
        let apps_dir = target.join("dist");
        if !server_binary.exists() {
            bail!(
                "{} is missing: run the e2e tests through `cargo xtask test`, which builds the server and the bundles",
                server_binary.display()
            );
        }
        let artifacts = target.join("e2e").join(test);
        let _ = std::fs::remove_dir_all(&artifacts);
        std::fs::create_dir_all(&artifacts)?;
        let unique = format!("{}-{}", std::process::id(), free_port()?);
        let data_dir = std::env::temp_dir().join(format!("tessera-e2e-{unique}"));
        let browser_profile = std::env::temp_dir().join(format!("tessera-e2e-chromium-{unique}"));
        // The server refuses ops tokens shorter than 32 characters.
        let ops_token = format!("e2e-ops-token-{unique:0>24}");

        let server_port = free_port()?;
        let base = format!("http://127.0.0.1:{server_port}");
        let mut launch = Command::new(&server_binary);
        launch
            .args([
                "--addr",
                &format!("127.0.0.1:{server_port}"),
                "--demo-data",
                // Short, so a rollback reaches a visitor within a test's patience.
                "--manifest-ttl",
                &MANIFEST_TTL_SECONDS.to_string(),
                // Every simulated visitor comes from loopback: let a handful of them count, so a
                // stop condition can fire within a test.
                "--telemetry-min-visitors",
                "5",
                "--telemetry-visitors-per-address",
                "1000",
                // The shop's 50 ms render deadline guards shoppers' first byte; on two busy cores
                // a render is sometimes descheduled past it and the slot falls back to the
                // browser, which tests that check the edge's markup would read as a failure.
                // Half a second still stops an endless renderer within a test's patience.
                "--render-deadline-ms",
                "500",
                "--data-dir",
            ])
            .arg(&data_dir)
            .arg("--apps-dir")
            .arg(&apps_dir)
            .args(&extras.args)
            .envs(extras.env.iter().map(|(name, value)| (name, value)))
            .env("TESSERA_OPS_TOKEN", &ops_token)
            .env("RUST_LOG", "info");
        let server = processes::Server::start(launch, &base, &artifacts.join("server.log")).await?;

        let (chromedriver, driver_url) = start_chromedriver(&artifacts).await?;
        let driver = processes::open_browser(&driver_url, &browser_profile).await?;
        Ok(Session {
            base,
            driver,
            ops_token,
            artifacts,
            data_dir,
            browser_profile,
            server,
            chromedriver,
            driver_url,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Console errors and uncaught exceptions of the current page since it loaded.
    pub async fn console_errors(&self) -> Result<Vec<String>> {
        let errors = self
            .driver
            .execute("return window.__tsConsoleErrors;", vec![])
            .await?;
        serde_json::from_value(errors.json().clone())
            .context("the console capture is missing: the page was not loaded through this session")
    }

    /// Serious and critical axe-core violations of the current page.
    pub async fn accessibility_violations(&self) -> Result<Vec<String>> {
        let loaded = self
            .driver
            .execute("return typeof window.axe !== 'undefined';", vec![])
            .await?;
        if loaded.json() != &Value::Bool(true) {
            let path = std::env::var("TESSERA_AXE_SCRIPT").unwrap_or_else(|_| {
                format!(
                    "{}/../.tools/node_modules/axe-core/axe.min.js",
                    manifest_dir().display()
                )
            });
            let source = std::fs::read_to_string(&path).with_context(|| {
                format!("reading {path} (`cargo xtask setup` installs axe-core)")
            })?;
            self.driver.execute(source, vec![]).await?;
        }
        let result = self
            .driver
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] })
                   .then((r) => done(r.violations
                     .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                     .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`)))
                   .catch((e) => done([`axe failed: ${e}`]));",
                vec![],
            )
            .await?;
        serde_json::from_value(result.json().clone()).with_context(|| {
            format!(
                "axe returned something other than a list: {}",
                result.json()
            )
        })
    }

    /// Waits until `selector` matches an element, up to ten seconds.
    pub async fn wait_for(&self, selector: &str) -> Result<WebElement> {
        self.driver
            .query(By::Css(selector))
            .wait(Duration::from_secs(10), Duration::from_millis(50))
            .first()
            .await
            .with_context(|| format!("waiting for `{selector}`"))
    }

    /// Publishes a release built by `cargo xtask test` (`product-detail`, `product-detail+variant-b`,
    /// `checkout`) through the ops API, as a deploy does, and returns its release id.
    pub async fn publish(&self, label: &str) -> Result<String> {
        let folder = built_release(label)?;
        let ops = self.ops();
        let release = tokio::task::spawn_blocking(move || ops.publish(&folder)).await??;
        Ok(release.release_id.to_string())
    }

    /// Sets an app's rollout: `(release id, weight)` pairs and an optional stop condition
    /// `(max error rate, min exposures)`.
    pub async fn roll_out(
        &self,
        app: &str,
        entries: &[(&str, f64)],
        stop: Option<(f64, i64)>,
    ) -> Result<()> {
        let ops = self.ops();
        let app = app.to_owned();
        let entries: Vec<(String, f64)> = entries
            .iter()
            .map(|(release, weight)| ((*release).to_owned(), *weight))
            .collect();
        tokio::task::spawn_blocking(move || ops.set_rollout(&app, &entries, None, stop)).await??;
        Ok(())
    }

    /// The shop as shoppers get it: the default product page and checkout releases at 100 %.
    pub async fn open_shop(&self) -> Result<()> {
        for app in ["product-detail", "checkout"] {
            if built_release(app).is_ok() {
                let release = self.publish(app).await?;
                self.roll_out(app, &[(&release, 1.0)], None).await?;
            }
        }
        Ok(())
    }

    /// Publishes a hand-made release of `app` from `(file name, role, bytes)` triples, for tests
    /// that need a release misbehaving in a way no real build does.
    pub async fn publish_files(
        &self,
        app: &str,
        release: &str,
        files: &[(&str, &str, &[u8])],
    ) -> Result<()> {
        for (name, _, bytes) in files {
            self.upload(app, release, name, bytes.to_vec()).await?;
        }
        let files: Vec<Value> = files
            .iter()
            .map(|(name, role, bytes)| {
                json!({"path": name, "role": role, "size": bytes.len(), "integrity": integrity_of(bytes)})
            })
            .collect();
        let metadata = json!({
            "app": app, "releaseId": release, "version": "0.0.0-e2e", "gitRevision": "0e2e0e2e",
            "builtAt": "2026-11-21T10:00:00Z", "files": files,
        });
        self.ops_request("POST", "/v1/ops/releases", Some(metadata))
            .await
            .map(|_| ())
    }

    async fn upload(&self, app: &str, release: &str, name: &str, bytes: Vec<u8>) -> Result<()> {
        let response = reqwest::Client::new()
            .put(self.url(&format!("/v1/ops/releases/{app}/{release}/files/{name}")))
            .bearer_auth(&self.ops_token)
            .body(bytes)
            .send()
            .await?;
        anyhow::ensure!(
            response.status().is_success(),
            "upload {name}: {}",
            response.status()
        );
        Ok(())
    }

    /// The folder where the server keeps a published release's files (for tests that tamper).
    pub fn published_folder(&self, app: &str, release: &str) -> PathBuf {
        self.data_dir.join("releases").join(app).join(release)
    }

    fn ops(&self) -> tessera_release::ops::OpsApi {
        tessera_release::ops::OpsApi::new(&self.base, &self.ops_token)
    }

    /// An authenticated ops request (`PUT /v1/ops/faults`, `GET /v1/ops/events`, …).
    pub async fn ops_request(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value> {
        let client = reqwest::Client::new();
        let method = reqwest::Method::from_bytes(method.as_bytes())?;
        let mut request = client
            .request(method, self.url(path))
            .bearer_auth(&self.ops_token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await?;
        let status = response.status();
        let text = response.text().await?;
        anyhow::ensure!(status.is_success(), "{path}: {status}: {text}");
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// A fresh shopper session token, for calling the API as another shopper would.
    pub async fn shopper_token(&self) -> Result<String> {
        let session: Value = reqwest::Client::new()
            .post(self.url("/v1/sessions"))
            .json(&json!({}))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        Ok(session["token"]
            .as_str()
            .context("session token")?
            .to_owned())
    }

    /// Loads `path` in the browser.
    pub async fn open(&self, path: &str) -> Result<()> {
        self.driver.goto(self.url(path)).await?;
        Ok(())
    }

    /// Runs `script` in the page and returns its value.
    pub async fn eval(&self, script: &str) -> Result<Value> {
        Ok(self.driver.execute(script, vec![]).await?.json().clone())
    }

    /// Waits until `script` (an expression) is truthy in the page, up to ten seconds.
    pub async fn wait_until(&self, what: &str, script: &str) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let value = self.eval(&format!("return !!({script});")).await?;
            if value == Value::Bool(true) {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("timed out waiting until {what} (`{script}`)");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn save_artifacts(&self) {
        let _ = self
            .driver
            .screenshot(&self.artifacts.join("failure.png"))
            .await;
        if let Ok(errors) = self.console_errors().await {
            let _ = std::fs::write(self.artifacts.join("console.log"), errors.join("\n"));
        }
        if let Ok(url) = self.driver.current_url().await {
            let _ = std::fs::write(self.artifacts.join("url.txt"), url.as_str());
        }
        eprintln!("e2e artifacts saved in {}", self.artifacts.display());
    }

    /// Kills the server: the shop is unreachable, as for a device whose network is down.
    pub async fn stop_server(&self) {
        self.server.kill().await;
    }

    /// Starts the server again on the same address and data.
    pub async fn start_server_again(&self) -> Result<()> {
        self.server.start_again().await
    }

    /// Closes the `running` Chromium (the session's `driver`, or one a reboot returned) and opens
    /// it again on the same profile, as a device reboots: drive the returned one.
    pub async fn reboot_browser(&self, running: &WebDriver) -> Result<WebDriver> {
        running.clone().quit().await?;
        processes::open_browser(&self.driver_url, &self.browser_profile).await
    }

    async fn stop(mut self) {
        let _ = self.driver.clone().quit().await;
        let _ = self.chromedriver.kill().await;
        self.server.kill().await;
        let _ = std::fs::remove_dir_all(&self.data_dir);
        let _ = std::fs::remove_dir_all(&self.browser_profile);
    }
}

/// Chromedriver on a free port. A port found free can be taken by another test's process before
/// chromedriver binds it ("IPv6 port not available. Exiting..."), so a few ports are tried.
async fn start_chromedriver(artifacts: &std::path::Path) -> Result<(Child, String)> {
    let mut last_error = None;
    for _ in 0..3 {
        let driver_port = free_port()?;
        let mut chromedriver = Command::new(env_or("CHROMEDRIVER", "/usr/bin/chromedriver"))
            .arg(format!("--port={driver_port}"))
            .stdout(std::fs::File::create(artifacts.join("chromedriver.log"))?)
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .context("starting chromedriver")?;
        let driver_url = format!("http://127.0.0.1:{driver_port}");
        match wait_for(
            &format!("{driver_url}/status"),
            "chromedriver",
            &mut chromedriver,
        )
        .await
        {
            Ok(()) => return Ok((chromedriver, driver_url)),
            Err(error) => last_error = Some(error),
        }
    }
    Err(last_error.unwrap_or_else(|| anyhow::anyhow!("chromedriver did not start")))
}

/// Runs one browser test with its own server and browser, saving artifacts if it fails and
/// tearing everything down either way.
pub async fn run(test: &str, body: impl AsyncFnOnce(&Session) -> Result<()>) {
    run_with(test, &ServerExtras::default(), body).await;
}

/// What a test adds to the server's command line and environment (`--marketplaces`, a viewer
/// token).
#[derive(Default)]
pub struct ServerExtras {
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
}

/// [`run`] with a server started with `extras`.
pub async fn run_with(
    test: &str,
    extras: &ServerExtras,
    body: impl AsyncFnOnce(&Session) -> Result<()>,
) {
    let session = Session::start(test, extras)
        .await
        .unwrap_or_else(|error| panic!("e2e harness for {test}: {error:#}"));
    let outcome = AssertUnwindSafe(body(&session)).catch_unwind().await;
    if !matches!(outcome, Ok(Ok(()))) {
        session.save_artifacts().await;
    }
    session.stop().await;
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(error)) => panic!("{test}: {error:#}"),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}
