//! `cargo xtask serve`: build everything, start the reference server with demo data and print the
//! URLs. Ctrl-C is passed on to the server, which shuts down gracefully; xtask waits for it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::bundle;
use crate::flags;
use crate::shell::{self, command};
use crate::tools;
use crate::workspace::Workspace;

pub const SERVER_PACKAGE: &str = "tessera-server";

pub fn run(flags: &flags::Serve) -> Result<()> {
    // Serving needs the wasm tool chain but no browser.
    tools::setup(&flags::Setup { no_browser: true })?;
    let workspace = Workspace::load()?;
    bundle::build_all(&workspace)?;
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
    let binary = workspace.target_dir.join("server").join(SERVER_PACKAGE);
    let data_dir = shell::project_root().join("data");
    let mut server = command(&binary)
        .arg("--addr")
        .arg(&flags.addr)
        .arg("--data-dir")
        .arg(&data_dir)
        .arg("--apps-dir")
        .arg(workspace.target_dir.join("dist"))
        .arg("--demo-data")
        .spawn()
        .with_context(|| format!("could not start {}", binary.display()))?;

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
            bail!("the server exited ({status})");
        }
        if interrupted.load(Ordering::SeqCst) {
            // A Ctrl-C in a terminal reaches the whole process group; this covers a signal sent
            // to xtask alone.
            let _ = command("kill")
                .args(["-INT", &server.id().to_string()])
                .status();
            wait_or_kill(&mut server)?;
            println!("serve: server stopped");
            return Ok(());
        }
        if !announced && is_healthy(&flags.addr) {
            announced = true;
            println!(
                "\nTessera is running (ready in {:.1}s):\n  shop     {base}/products/\n  \
                 gallery  {base}/gallery/\n  ops      {base}/ops/\n  api      {base}/v1/openapi.yaml\n\
                 Press Ctrl-C to stop.",
                started.elapsed().as_secs_f64()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
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
