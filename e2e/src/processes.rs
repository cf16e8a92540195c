//! The processes a session runs besides its tests: the server (stopped and started again on
//! the same port and data, for journeys where the shop goes away and comes back) and the
//! Chromium sessions (opened again on the same profile, as a device reboots).

use std::path::Path;

use anyhow::{Context, Result};
use serde_json::json;
use thirtyfour::prelude::*;
use tokio::process::{Child, Command};
use tokio::sync::Mutex;

const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
];

/// Collects console errors and uncaught exceptions from the first script on, before the app runs.
const CONSOLE_CAPTURE: &str = "window.__tsConsoleErrors = [];
  const original = console.error.bind(console);
  console.error = (...args) => { window.__tsConsoleErrors.push(args.map(String).join(' ')); original(...args); };
  window.addEventListener('error', (event) => window.__tsConsoleErrors.push(`${event.message} (${event.filename}:${event.lineno})`));
  window.addEventListener('unhandledrejection', (event) => window.__tsConsoleErrors.push(`unhandled rejection: ${event.reason}`));";

/// The server process and how to start it again.
pub(crate) struct Server {
    launch: Mutex<Command>,
    running: Mutex<Option<Child>>,
    base: String,
    log: std::path::PathBuf,
}

impl Server {
    /// Starts `launch` (logging to `log`) and waits until `base` answers its health check.
    pub(crate) async fn start(launch: Command, base: &str, log: &Path) -> Result<Server> {
        std::fs::File::create(log)?;
        let server = Server {
            launch: Mutex::new(launch),
            running: Mutex::new(None),
            base: base.to_owned(),
            log: log.to_owned(),
        };
        server.start_again().await?;
        Ok(server)
    }

    /// Starts the server again (after `stop`), appending to the same log.
    pub(crate) async fn start_again(&self) -> Result<()> {
        let log = std::fs::OpenOptions::new().append(true).open(&self.log)?;
        let mut child = self
            .launch
            .lock()
            .await
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .context("starting the server")?;
        crate::wait_for(&format!("{}/healthz", self.base), "the server", &mut child).await?;
        *self.running.lock().await = Some(child);
        Ok(())
    }

    /// Kills the server at once: the shop is unreachable until `start_again`.
    pub(crate) async fn kill(&self) {
        if let Some(mut child) = self.running.lock().await.take() {
            let _ = child.kill().await;
        }
    }
}

/// A headless Chromium session on `profile`, with the console capture in every document.
pub(crate) async fn open_browser(driver_url: &str, profile: &Path) -> Result<WebDriver> {
    let mut capabilities = DesiredCapabilities::chrome();
    capabilities.set_binary(&crate::env_or("CHROMIUM", "/usr/bin/chromium"))?;
    for flag in CHROMIUM_FLAGS {
        capabilities.add_arg(flag)?;
    }
    capabilities.add_arg(&format!("--user-data-dir={}", profile.display()))?;
    let driver = WebDriver::new(driver_url, capabilities)
        .await
        .context("opening a Chromium session")?;
    driver
        .cdp()
        .send_raw(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({"source": CONSOLE_CAPTURE}),
        )
        .await?;
    Ok(driver)
}
