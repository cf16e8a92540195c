//! `cargo xtask bench web`: what a shopper sees, side by side with a plain React 19 + Vite page.
//! Builds and starts the shop as `serve` does (server profile, releases published), copies the
//! peer in `../shared/peers/react-pdp` into `<target>/peers/` (shared/ may be read-only), builds it
//! and serves it with its own `serve.py`, then runs Lighthouse (mobile, then desktop) on both
//! product pages, alternating Tessera and the peer in every round so machine noise falls on both.
//! Prints the medians and their ratio and writes `<target>/bench/web.md`. Also says whether the
//! product page's first HTML already holds the slot's content. Reports; never fails on a number.

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::serve::TestInstance;
use crate::shell::{self, command};
use crate::tools;
use crate::workspace::Workspace;

const ROUNDS: usize = 3;
const PRODUCT_PATH: &str = "/products/merino-crew-sweater";
const PEER_PATH: &str = "/products/aurora-wool-sweater";

/// The figures compared, as Lighthouse names its audits.
const METRICS: [(&str, &str); 6] = [
    ("LCP (ms)", "largest-contentful-paint"),
    ("FCP (ms)", "first-contentful-paint"),
    ("TBT (ms)", "total-blocking-time"),
    ("CLS", "cumulative-layout-shift"),
    ("bytes", "total-byte-weight"),
    ("requests", "network-requests"),
];

pub fn run(workspace: &Workspace) -> Result<()> {
    tools::setup(&crate::flags::Setup { no_browser: false })?;
    let lighthouse = ensure_lighthouse()?;
    let (releases, binary) = crate::serve::build_the_shop(workspace)?;
    let server = TestInstance::start_serving(&binary, workspace)?;
    for built in &releases {
        crate::release::publish_everywhere(&server.base_url(), server.ops_token(), built)?;
    }
    let shop = format!("{}{PRODUCT_PATH}", server.base_url());
    let first_html = first_html_holds_the_slot(&shop)?;
    let peer = Peer::start(workspace)?;
    let peer_url = format!("{}{PEER_PATH}", peer.base_url);

    let reports = workspace.target_dir.join("bench").join("lighthouse");
    std::fs::create_dir_all(&reports)?;
    let mut runs: Vec<(&str, &str, Value)> = Vec::new();
    for round in 1..=ROUNDS {
        for preset in ["mobile", "desktop"] {
            for (page, url) in [("tessera", shop.as_str()), ("react", peer_url.as_str())] {
                let path = reports.join(format!("{page}-{preset}-{round}.json"));
                println!("bench web: round {round}, {preset}, {page}");
                lighthouse_run(&lighthouse, url, preset, &path)?;
                runs.push((
                    page,
                    preset,
                    serde_json::from_slice(&std::fs::read(&path)?)?,
                ));
            }
        }
    }
    drop(peer);
    server.stop();

    let mut document = format!(
        "# Web benchmark\n\nLighthouse {} (simulated throttling), Debian Chromium headless, {ROUNDS} \
         alternating rounds, medians. Tessera: `{PRODUCT_PATH}` from the server profile with the \
         shop's releases; peer: React 19 + Vite `{PEER_PATH}` from `../shared/peers/react-pdp`.\n\n\
         First HTML holds the product slot's content: {}\n",
        tools::LIGHTHOUSE_VERSION,
        if first_html { "yes" } else { "no" }
    );
    for preset in ["mobile", "desktop"] {
        document.push_str(&format!(
            "\n## {preset}\n\n| | Tessera | React peer | ratio |\n|---|---:|---:|---:|\n"
        ));
        let median_of = |page: &str, read: &dyn Fn(&Value) -> Option<f64>| {
            median(
                runs.iter()
                    .filter(|(p, s, _)| *p == page && *s == preset)
                    .filter_map(|(_, _, report)| read(report))
                    .collect(),
            )
        };
        let score = |report: &Value| report["categories"]["performance"]["score"].as_f64();
        let mut rows = vec![(
            "performance".to_owned(),
            median_of("tessera", &|r| score(r).map(|s| s * 100.0)),
            median_of("react", &|r| score(r).map(|s| s * 100.0)),
        )];
        for (label, audit) in METRICS {
            let read = move |report: &Value| audit_value(report, audit);
            rows.push((
                label.to_owned(),
                median_of("tessera", &read),
                median_of("react", &read),
            ));
        }
        for (label, ours, theirs) in rows {
            let ratio = match (ours, theirs) {
                (Some(ours), Some(theirs)) if theirs > 0.0 => format!("{:.2}×", ours / theirs),
                _ => "–".into(),
            };
            document.push_str(&format!(
                "| {label} | {} | {} | {ratio} |\n",
                shown(ours),
                shown(theirs)
            ));
        }
    }
    let path = workspace.target_dir.join("bench").join("web.md");
    std::fs::write(&path, &document)?;
    println!(
        "{document}\nreport written to {} (Lighthouse JSON in {})",
        path.display(),
        reports.display()
    );
    Ok(())
}

fn audit_value(report: &Value, audit: &str) -> Option<f64> {
    let audit_report = &report["audits"][audit];
    if audit == "network-requests" {
        return audit_report["details"]["items"]
            .as_array()
            .map(|items| items.len() as f64);
    }
    audit_report["numericValue"].as_f64()
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    Some(values[values.len() / 2])
}

fn shown(value: Option<f64>) -> String {
    match value {
        Some(value) if value.fract() != 0.0 && value < 1.0 => format!("{value:.3}"),
        Some(value) => format!("{value:.0}"),
        None => "–".into(),
    }
}

/// Whether the page's HTML, before any script, carries the rendered product.
fn first_html_holds_the_slot(url: &str) -> Result<bool> {
    let html = shell::probe(command("curl").args(["-s", url])).context("curl is needed")?;
    Ok(html.contains("data-rendered") && html.contains("tpd-product__title"))
}

/// Lighthouse from npm, in `.tools/`, installed on first use.
fn ensure_lighthouse() -> Result<PathBuf> {
    let binary = shell::tools_dir()
        .join("node_modules")
        .join(".bin")
        .join("lighthouse");
    let wanted = tools::LIGHTHOUSE_VERSION;
    if shell::probe(command(&binary).arg("--version")).as_deref() == Some(wanted) {
        return Ok(binary);
    }
    println!("bench web: installing lighthouse@{wanted} into .tools/");
    shell::run(command("npm").args([
        "install",
        "--prefix",
        &shell::tools_dir().to_string_lossy(),
        "--no-audit",
        "--no-fund",
        &format!("lighthouse@{wanted}"),
    ]))?;
    Ok(binary)
}

fn lighthouse_run(lighthouse: &Path, url: &str, preset: &str, output: &Path) -> Result<()> {
    let mut run = command(lighthouse);
    run.arg(url)
        .args(["--output=json", "--quiet"])
        .arg(format!("--output-path={}", output.display()))
        .arg(format!("--chrome-flags={}", tools::CHROMIUM_FLAGS))
        .env("CHROME_PATH", tools::CHROMIUM);
    if preset == "desktop" {
        run.arg("--preset=desktop");
    }
    shell::run(&mut run)
}

/// The React peer, built in a copy under the target folder and served by its own `serve.py`.
struct Peer {
    child: Child,
    base_url: String,
}

impl Peer {
    fn start(workspace: &Workspace) -> Result<Peer> {
        let source = shell::project_root().join("../shared/peers/react-pdp");
        if !source.join("package.json").exists() {
            bail!(
                "the React peer is missing: {} has no package.json",
                source.display()
            );
        }
        let copy = workspace.target_dir.join("peers").join("react-pdp");
        copy_tree(&source, &copy)?;
        if !copy.join("node_modules").exists() {
            shell::run(
                command("npm")
                    .args(["ci", "--no-audit", "--no-fund"])
                    .current_dir(&copy),
            )?;
        }
        shell::run(command("npm").args(["run", "build"]).current_dir(&copy))?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let child = command("python3")
            .args(["serve.py", "--port", &port.to_string(), "--quiet"])
            .current_dir(&copy)
            .stdout(Stdio::null())
            .spawn()
            .context("starting the peer's serve.py")?;
        let base_url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                bail!("the peer's server did not listen on {port}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(Peer { child, base_url })
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Copies the peer's sources (not its `node_modules`, `dist` or reports) over the old copy.
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if ["node_modules", "dist", "reports"].contains(&name.to_string_lossy().as_ref()) {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
