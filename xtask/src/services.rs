//! Throwaway Postgres and NATS servers for tests, benchmarks and `serve --scale`: each runs from
//! Debian's packages in a temporary directory on a free loopback port, as an unprivileged user
//! (Postgres refuses root), and is stopped and deleted when its guard is dropped. No global
//! service is started or touched.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::shell::{self, command, probe};

/// Debian packages providing the servers; `tools::setup` installs them when missing.
pub const PACKAGES: [&str; 2] = ["postgresql", "nats-server"];
const NATS_SERVER: &str = "nats-server";
/// The account the servers run as when xtask runs as root.
const SERVICE_USER: &str = "postgres";

/// The newest installed Postgres' binaries (`/usr/lib/postgresql/<major>/bin`).
pub fn postgres_bin() -> Option<PathBuf> {
    let mut majors: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let major = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((major, bin))
        })
        .collect();
    majors.sort();
    majors.pop().map(|(_, bin)| bin)
}

/// `nats-server`'s version line, when it runs.
pub fn nats_version() -> Option<String> {
    probe(command(NATS_SERVER).arg("--version"))
}

fn is_root() -> bool {
    probe(command("id").arg("-u")).as_deref() == Some("0")
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A fresh directory the service user can write.
fn service_dir(label: &str) -> Result<PathBuf> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .subsec_nanos();
    let dir = std::env::temp_dir().join(format!("tessera-{label}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    if is_root() {
        shell::run(command("chown").arg(SERVICE_USER).arg(&dir))?;
    }
    Ok(dir)
}

/// A command run as the service user when xtask is root, else as ourselves.
fn as_service_user(program: &Path) -> std::process::Command {
    if is_root() {
        let mut wrapped = command("runuser");
        wrapped.args(["-u", SERVICE_USER, "--"]).arg(program);
        wrapped
    } else {
        command(program)
    }
}

fn wait_for_port(what: &str, port: u16, log: &Path) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let log = std::fs::read_to_string(log).unwrap_or_default();
    bail!("{what} did not open port {port} within 20 s; its log:\n{log}")
}

/// A Postgres cluster of its own; stopped and deleted on drop.
pub struct Postgres {
    dir: PathBuf,
    bin: PathBuf,
    pub port: u16,
}

impl Postgres {
    pub fn start() -> Result<Postgres> {
        let bin = postgres_bin().with_context(|| {
            format!(
                "Postgres is not installed; `cargo xtask setup` installs it (apt-get install -y {})",
                PACKAGES[0]
            )
        })?;
        let dir = service_dir("postgres")?;
        let port = free_port()?;
        let data = dir.join("data");
        shell::run(
            as_service_user(&bin.join("initdb"))
                .args([
                    "-A",
                    "trust",
                    "-U",
                    "tessera",
                    "-E",
                    "UTF8",
                    "--no-sync",
                    "-D",
                ])
                .arg(&data)
                .stdout(Stdio::null()),
        )?;
        let log = dir.join("postgres.log");
        // A scratch cluster: durability settings off, connections for parallel test servers.
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
            dir.display()
        );
        shell::run(
            as_service_user(&bin.join("pg_ctl"))
                .arg("-D")
                .arg(&data)
                .args(["-o", &options, "-l"])
                .arg(&log)
                .args(["-w", "start"])
                .stdout(Stdio::null()),
        )?;
        let postgres = Postgres { dir, bin, port };
        wait_for_port("Postgres", port, &log)?;
        Ok(postgres)
    }

    /// The cluster's maintenance database, from which tests create their own.
    pub fn admin_url(&self) -> String {
        self.url("postgres")
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://tessera@127.0.0.1:{}/{database}", self.port)
    }

    /// Creates the shop's database `name` and its regions' stores (`name_eu`, `name_us`);
    /// returns the shop's URL.
    pub fn create_database(&self, name: &str) -> Result<String> {
        for database in [name.to_owned(), format!("{name}_eu"), format!("{name}_us")] {
            shell::run(
                command("psql")
                    .args(["-q", "-v", "ON_ERROR_STOP=1", "-d"])
                    .arg(self.admin_url())
                    .arg("-c")
                    .arg(format!("CREATE DATABASE {database}")),
            )?;
        }
        Ok(self.url(name))
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = as_service_user(&self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A NATS server with JetStream, storing its streams in a directory of its own; killed and
/// deleted on drop.
pub struct Nats {
    dir: PathBuf,
    child: Child,
    pub port: u16,
}

impl Nats {
    pub fn start() -> Result<Nats> {
        if nats_version().is_none() {
            bail!(
                "nats-server is not installed; `cargo xtask setup` installs it (apt-get install -y {})",
                PACKAGES[1]
            );
        }
        let dir = service_dir("nats")?;
        let port = free_port()?;
        let log = dir.join("nats.log");
        let child = command(NATS_SERVER)
            .args(["-js", "-a", "127.0.0.1", "-p", &port.to_string(), "-sd"])
            .arg(dir.join("jetstream"))
            .arg("-l")
            .arg(&log)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting nats-server")?;
        let nats = Nats { dir, child, port };
        wait_for_port("NATS", port, &log)?;
        Ok(nats)
    }

    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }
}

impl Drop for Nats {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
