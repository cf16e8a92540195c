//! `cargo xtask serve`: build everything, start the reference server with demo data and print the
//! URLs. Ctrl-C is passed on to the server, which shuts down gracefully; xtask waits for it.
//! `--scale` starts the scaled topology instead: a throwaway Postgres and NATS JetStream and two
//! server instances on them (the second on the next port), all stopped on Ctrl-C.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::bundle;
use crate::flags;
use crate::release;
use crate::services;
use crate::shell::{self, command};
use crate::tools;
use crate::workspace::Workspace;

pub const SERVER_PACKAGE: &str = "tessera-server";

pub fn run(flags: &flags::Serve) -> Result<()> {
    // Serving needs the wasm tool chain but no browser.
    tools::setup(&flags::Setup { no_browser: true })?;
    let workspace = Workspace::load()?;
    let (releases, binary) = build_the_shop(&workspace)?;
    // The scaled topology starts from empty throwaway servers, so its files start empty too.
    let data_dir = if flags.scale {
        std::env::temp_dir().join(format!("tessera-scaled-{}", std::process::id()))
    } else {
        shell::project_root().join("data")
    };
    // The shop's releases are published through the ops API like any deploy, so serve needs a
    // token: the caller's, or one made up for this run (printed for `cargo xtask rollout`).
    let ops_token = match std::env::var("TESSERA_OPS_TOKEN") {
        Ok(token) => token,
        Err(_) => random_token()?,
    };
    // The marketplace simulator on a port of its own, pushing signed notifications to the shop
    // and placing a few orders a minute so the connectors have something to do.
    shell::run(command(env!("CARGO")).args([
        "build",
        "--package",
        SIMULATOR_PACKAGE,
        "--profile",
        "server",
    ]))?;
    let notification_secret = new_webhook_secret()?;
    let shop = format!("http://{}", flags.addr);
    let (_simulator, marketplaces) = Simulator::start(
        &workspace.target_dir.join("server"),
        Some((&shop, &notification_secret)),
    )?;
    let scaled = flags.scale.then(Scaled::start).transpose()?;
    let mut server = command(&binary);
    server
        .arg("--marketplaces")
        .arg(&marketplaces)
        .env("TESSERA_MARKETPLACE_SECRET", &notification_secret)
        .arg("--data-dir")
        .arg(&data_dir)
        .arg("--apps-dir")
        .arg(workspace.target_dir.join("dist"))
        .arg("--demo-data")
        .args(
            flags
                .demo_products
                .map(|count| ["--demo-products".to_owned(), count.to_string()])
                .into_iter()
                .flatten(),
        )
        .env("TESSERA_OPS_TOKEN", &ops_token);
    if let Some(scaled) = &scaled {
        scaled.configure(&mut server);
    }
    let mut server = server
        .arg("--addr")
        .arg(&flags.addr)
        .spawn()
        .with_context(|| format!("could not start {}", binary.display()))?;
    // The second instance starts once the first has migrated and seeded the database; it runs
    // no marketplace connectors (they are one per shop: see ARCHITECTURE.md).
    let mut second: Option<(String, std::process::Child)> = None;

    let interrupted = Arc::new(AtomicBool::new(false));
    let flag = interrupted.clone();
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))?;

    let base = format!("http://{}", flags.addr);
    let mut announced = false;
    let started = Instant::now();
    loop {
        if let Some(status) = server.try_wait()? {
            if interrupted.load(Ordering::SeqCst) {
                println!("serve: server stopped");
                return Ok(());
            }
            if let Some((_, instance)) = &mut second {
                let _ = instance.kill();
                let _ = instance.wait();
            }
            bail!("the server exited ({status})");
        }
        if interrupted.load(Ordering::SeqCst) {
            // A Ctrl-C in a terminal reaches the whole process group; this covers a signal sent
            // to xtask alone.
            let mut servers = vec![&mut server];
            if let Some((_, instance)) = &mut second {
                servers.push(instance);
            }
            for running in servers {
                let _ = command("kill")
                    .args(["-INT", &running.id().to_string()])
                    .status();
                wait_or_kill(running)?;
            }
            println!("serve: stopped");
            return Ok(());
        }
        if let Some(scaled) = &scaled
            && second.is_none()
            && is_healthy(&flags.addr)
        {
            let addr = next_port(&flags.addr)?;
            let mut instance = command(&binary);
            instance
                .arg("--data-dir")
                .arg(&data_dir)
                .arg("--apps-dir")
                .arg(workspace.target_dir.join("dist"))
                .env("TESSERA_OPS_TOKEN", &ops_token)
                .args(["--addr", &addr]);
            scaled.configure(&mut instance);
            second = Some((
                addr,
                instance.spawn().context("starting the second instance")?,
            ));
        }
        let second_ready = match &second {
            Some((addr, _)) => is_healthy(addr),
            None => scaled.is_none(),
        };
        if !announced && second_ready && is_healthy(&flags.addr) {
            announced = true;
            for built in &releases {
                release::publish_everywhere(&base, &ops_token, built)?;
            }
            println!(
                "\nTessera is running (ready in {:.1}s):\n  shop     {base}/\n  \
                 account  {base}/account (sign up to see residency, consent and erasure)\n  \
                 kiosk    {base}/kiosk (sets this browser up as an in-store kiosk; /kiosk?exit undoes it)\n  \
                 gallery  {base}/gallery/\n  ops      {base}/ops/\n  api      {base}/v1/openapi.yaml\n  \
                 marketplaces (simulator, control API under /control/) {marketplaces}\n  \
                 ops token for this run: {ops_token}",
                started.elapsed().as_secs_f64()
            );
            if let (Some(scaled), Some((addr, _))) = (&scaled, &second) {
                println!(
                    "  second instance  http://{addr}/ (same shop, same data)\n  \
                     postgres  {}\n  nats      {}\n  \
                     files     {}",
                    scaled.database_url,
                    scaled.nats.url(),
                    data_dir.display()
                );
            }
            println!("Press Ctrl-C to stop.");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The scaled topology's shared parts: a throwaway Postgres with the shop's database, and NATS.
/// Dropping it stops both.
struct Scaled {
    _postgres: services::Postgres,
    nats: services::Nats,
    database_url: String,
}

impl Scaled {
    fn start() -> Result<Scaled> {
        let postgres = services::Postgres::start()?;
        let database_url = postgres.create_database("tessera")?;
        let nats = services::Nats::start()?;
        Ok(Scaled {
            _postgres: postgres,
            nats,
            database_url,
        })
    }

    fn configure(&self, server: &mut std::process::Command) {
        server
            .env("DATABASE_URL", &self.database_url)
            .env("EVENT_BUS_URL", self.nats.url());
    }
}

/// `host:port+1`.
fn next_port(addr: &str) -> Result<String> {
    let (host, port) = addr.rsplit_once(':').context("--addr is HOST:PORT")?;
    let port: u16 = port.parse().context("--addr's port is a number")?;
    Ok(format!("{host}:{}", port + 1))
}

/// What serving the shop takes: the pages, a release of every micro app and the server (in the
/// `server` profile); returns the releases and the server binary.
pub fn build_the_shop(workspace: &Workspace) -> Result<(Vec<release::BuiltRelease>, PathBuf)> {
    bundle::build_all(workspace)?;
    let releases = release::build_shop(workspace, false)?;
    if !workspace.has(SERVER_PACKAGE) {
        bail!("nothing to serve yet: the server crate ({SERVER_PACKAGE}) does not exist");
    }
    shell::run(command(env!("CARGO")).args([
        "build",
        "--package",
        SERVER_PACKAGE,
        "--profile",
        "server",
    ]))?;
    Ok((
        releases,
        workspace.target_dir.join("server").join(SERVER_PACKAGE),
    ))
}

pub const SIMULATOR_PACKAGE: &str = "marketplace-sim";

/// The simulator's process, stopped when dropped.
pub struct Simulator(std::process::Child);

impl Simulator {
    /// Starts the simulator built in `binaries` on a free port; with `shop` (base URL and secret)
    /// it pushes notifications there and places a few demo orders a minute. Returns its URL.
    pub fn start(
        binaries: &std::path::Path,
        shop: Option<(&str, &str)>,
    ) -> Result<(Simulator, String)> {
        let port = free_port()?;
        let mut simulator = command(binaries.join(SIMULATOR_PACKAGE));
        simulator.args(["--port", &port.to_string()]);
        if let Some((base, secret)) = shop {
            simulator.args([
                "--shop",
                base,
                "--secret",
                secret,
                "--demo-orders-per-minute",
                "3",
            ]);
        }
        let child = simulator
            .stdout(std::process::Stdio::null())
            .spawn()
            .context("could not start the marketplace simulator")?;
        let running = Simulator(child);
        let addr = format!("127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(&addr).is_err() {
            if Instant::now() > deadline {
                bail!("the marketplace simulator did not listen within 10 s");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok((running, format!("http://{addr}")))
    }
}

/// A Standard Webhooks secret for marketplace notifications (hex is also valid base64).
pub fn new_webhook_secret() -> Result<String> {
    Ok(format!("whsec_{}", random_token()?))
}

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A loopback port nobody listens on right now.
fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// 128 random bits as hex, from the kernel.
fn random_token() -> Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

fn wait_or_kill(server: &mut std::process::Child) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if server.try_wait()?.is_some() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    eprintln!("serve: the server did not stop within 15s; killing it");
    server.kill()?;
    server.wait()?;
    Ok(())
}

/// A bare HTTP/1.1 probe of /healthz, so xtask needs no HTTP client dependency.
fn is_healthy(addr: &str) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(addr) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.starts_with("HTTP/1.1 200")
}

/// A throwaway server for test stages: a free loopback port, a fresh data folder, demo data and a
/// random ops token. Stopped (and its folder removed) by `stop` or on drop.
pub struct TestInstance {
    child: std::process::Child,
    addr: String,
    data_dir: std::path::PathBuf,
    ops_token: String,
}

impl TestInstance {
    /// `binary` is the server executable of the profile under test; its log goes to
    /// `<target>/test-servers/<port>.log`, which a failing stage names.
    pub fn start(binary: &std::path::Path, workspace: &Workspace) -> Result<TestInstance> {
        Self::start_with(binary, workspace, &[])
    }

    /// Also serving the shell and pages built into `<target>/dist` (for page benchmarks).
    pub fn start_serving(binary: &std::path::Path, workspace: &Workspace) -> Result<TestInstance> {
        let dist = workspace.target_dir.join("dist");
        Self::start_with(
            binary,
            workspace,
            &["--apps-dir".into(), dist.to_string_lossy().into_owned()],
        )
    }

    /// With extra server flags.
    pub fn start_with(
        binary: &std::path::Path,
        workspace: &Workspace,
        extra: &[String],
    ) -> Result<TestInstance> {
        Self::start_with_env(binary, workspace, extra, &[])
    }

    /// With extra server flags and environment (`DATABASE_URL`, an ops token to share, ...).
    pub fn start_with_env(
        binary: &std::path::Path,
        workspace: &Workspace,
        extra: &[String],
        env: &[(String, String)],
    ) -> Result<TestInstance> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let log_dir = workspace.target_dir.join("test-servers");
        std::fs::create_dir_all(&log_dir)?;
        let log_path = log_dir.join(format!("{port}.log"));
        let log = std::fs::File::create(&log_path)?;
        println!("  server log: {}", log_path.display());
        let addr = format!("127.0.0.1:{port}");
        let data_dir =
            std::env::temp_dir().join(format!("tessera-xtask-{port}-{}", std::process::id()));
        let ops_token = random_token()?;
        let child = command(binary)
            // Benchmarks and the conformance run measure the API, not its abuse limits (which
            // the server's own tests cover), and both send far more than one client would.
            .args([
                "--addr",
                &addr,
                "--demo-data",
                "--rate-limits",
                "off",
                "--data-dir",
            ])
            .arg(&data_dir)
            .args(extra)
            .env("TESSERA_OPS_TOKEN", &ops_token)
            .envs(env.iter().map(|(name, value)| (name, value)))
            .env("RUST_LOG", "warn")
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .context("starting the server for tests")?;
        let instance = TestInstance {
            child,
            addr,
            data_dir,
            ops_token,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while !is_healthy(&instance.addr) {
            if Instant::now() > deadline {
                bail!("the test server did not become healthy within 30 s");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(instance)
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn ops_token(&self) -> &str {
        &self.ops_token
    }

    /// Its database and published files (removed when it stops).
    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }

    pub fn stop(self) {
        drop(self);
    }
}

impl Drop for TestInstance {
    fn drop(&mut self) {
        let _ = command("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        if wait_or_kill(&mut self.child).is_err() {
            let _ = self.child.kill();
        }
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}
