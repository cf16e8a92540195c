//! `cargo xtask bench api`: builds the server and the load generator with the `server` profile,
//! starts a throwaway server with demo data on loopback and the product page's release (so pages
//! are rendered at the edge), runs `tessera-bench` against it and writes the report to
//! `<target>/bench/api.md`.
//! `cargo xtask bench size`: builds the shell and a release of every micro app, and reports their
//! brotli bytes against each crate's `budget-kb`, with where the wasm goes (per part of the
//! stack, and the largest items) when `twiggy` is installed, in `<target>/bench/size.md`.
//! `cargo xtask bench search`: catalog search at 200 rps over 10,000 more products, in
//! `<target>/bench/search.md`. `cargo xtask bench orders`: place-order throughput and time to
//! confirmation on SQLite, and on Postgres + NATS with one and with two instances, side by side
//! in `<target>/bench/orders.md`. `cargo xtask bench web` is `bench_web.rs`. Measurements, never
//! pass/fail tests.

use anyhow::{Context, Result};

use crate::flags;
use crate::serve::{SERVER_PACKAGE, TestInstance};
use crate::services;
use crate::shell::{self, command};
use crate::workspace::Workspace;

pub fn run(flags: &flags::Bench) -> Result<()> {
    let workspace = Workspace::load()?;
    if flags.target == "size" {
        return size(&workspace);
    }
    if flags.target == "web" {
        return crate::bench_web::run(&workspace);
    }
    if flags.target == "marketplaces" {
        return marketplaces(&workspace);
    }
    if flags.target == "search" {
        return search(&workspace);
    }
    if flags.target == "orders" {
        return orders(&workspace);
    }
    let binaries = build_server_and_load_generator(&workspace)?;
    // The product page's release (with its renderer), so pages are rendered at the edge.
    let product_page = crate::release::build_release(&workspace, "product-detail", None)?;
    let server = TestInstance::start(&binaries.join(SERVER_PACKAGE), &workspace)?;
    println!("bench {}: server at {}", flags.target, server.base_url());
    crate::release::publish_everywhere(
        &server.base_url(),
        server.ops_token(),
        &crate::release::BuiltRelease {
            app: "product-detail".into(),
            features: None,
            dir: product_page,
        },
    )?;
    let output = load_generator(&binaries, &server)
        .args(&flags.passthrough)
        .output()
        .context("running tessera-bench")?;
    server.stop();
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    anyhow::ensure!(
        output.status.success(),
        "tessera-bench failed: {}\n{report}",
        String::from_utf8_lossy(&output.stderr)
    );
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let document = format!(
        "# API benchmark\n\nServer built with the `server` profile, SQLite in WAL mode, demo data, \
         loopback, {cores} cores, load generator on the same machine.\n\n{report}"
    );
    let directory = workspace.target_dir.join("bench");
    std::fs::create_dir_all(&directory)?;
    let path = directory.join("api.md");
    std::fs::write(&path, &document)?;
    println!("{document}\nreport written to {}", path.display());
    Ok(())
}

/// The marketplace figures: the simulator on a port of its own, a server with 10,000 more products
/// selling on it, and `tessera-bench --sim` (see `bench/src/marketplaces.rs`).
fn marketplaces(workspace: &Workspace) -> Result<()> {
    shell::run(
        command(env!("CARGO"))
            .args(["build", "--profile", "server"])
            .args([
                "--package",
                SERVER_PACKAGE,
                "--package",
                crate::serve::SIMULATOR_PACKAGE,
                "--package",
                "tessera-bench",
            ]),
    )?;
    let binaries = workspace.target_dir.join("server");
    let (simulator, sim) = crate::serve::Simulator::start(&binaries, None)?;
    let secret = crate::serve::new_webhook_secret()?;
    let extra: Vec<String> = [
        "--demo-products",
        "10000",
        "--marketplaces",
        &sim,
        "--marketplace-secret",
        &secret,
    ]
    .map(str::to_owned)
    .to_vec();
    let server = TestInstance::start_with(&binaries.join(SERVER_PACKAGE), workspace, &extra)?;
    let output = load_generator(&binaries, &server)
        .args(["--sim", &sim, "--secret", &secret, "--orders", "2000"])
        .output()
        .context("running tessera-bench")?;
    server.stop();
    drop(simulator);
    write_report(
        workspace,
        &output,
        "marketplaces.md",
        "# Marketplace benchmark\n\nServer and simulator built with the `server` profile, SQLite in \
         WAL mode, demo data plus 10,000 products, loopback, load generator on the same machine.",
    )
}

/// Orders placed per topology: enough to keep the pipeline busy for a few seconds.
const BENCH_ORDERS: &str = "600";

/// The same order load on each topology, one table row each.
fn orders(workspace: &Workspace) -> Result<()> {
    let binaries = build_server_and_load_generator(workspace)?;
    let server = binaries.join(SERVER_PACKAGE);
    let mut rows = Vec::new();
    let mut run = |label: &str, instances: &[&TestInstance]| -> Result<()> {
        let mut load = load_generator(&binaries, instances[0]);
        for other in &instances[1..] {
            load.args(["--also", &other.base_url()]);
        }
        let output = load
            .args(["--orders-only", label, "--orders", BENCH_ORDERS])
            .output()
            .context("running tessera-bench")?;
        anyhow::ensure!(
            output.status.success(),
            "tessera-bench ({label}) failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        rows.push(String::from_utf8_lossy(&output.stdout).trim().to_owned());
        Ok(())
    };
    let sqlite = TestInstance::start(&server, workspace)?;
    run("SQLite, 1 instance (embedded)", &[&sqlite])?;
    sqlite.stop();
    for count in [1, 2] {
        let postgres = services::Postgres::start()?;
        let nats = services::Nats::start()?;
        let env = [
            (
                "DATABASE_URL".to_owned(),
                postgres.create_database("bench")?,
            ),
            ("EVENT_BUS_URL".to_owned(), nats.url()),
        ];
        let first = TestInstance::start_with_env(&server, workspace, &[], &env)?;
        // The same ops token, so the load generator's token works on both.
        let mut second_env = env.to_vec();
        second_env.push(("TESSERA_OPS_TOKEN".to_owned(), first.ops_token().to_owned()));
        let mut instances = vec![first];
        if count == 2 {
            instances.push(TestInstance::start_with_env(
                &server,
                workspace,
                &[],
                &second_env,
            )?);
        }
        let label = format!(
            "Postgres + NATS, {count} instance{}",
            if count == 2 { "s" } else { "" }
        );
        run(&label, &instances.iter().collect::<Vec<_>>())?;
    }
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let document = format!(
        "# Order pipeline benchmark\n\n{BENCH_ORDERS} preorder checkouts prepared, then completed 64 at a \
         time (taking turns across the instances), and the time until the event pipeline \
         confirmed the last of them (placed, paid, reserved, confirmed). Server built with the \
         `server` profile, throwaway Postgres (fsync off) and NATS, loopback, {cores} cores, load \
         generator on the same machine.\n\n\
         | topology | orders | completes/s | complete p50 ms | complete p99 ms | all confirmed after s | confirmed/s | errors |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n{}\n",
        rows.join("\n")
    );
    let directory = workspace.target_dir.join("bench");
    std::fs::create_dir_all(&directory)?;
    let path = directory.join("orders.md");
    std::fs::write(&path, &document)?;
    println!("{document}\nreport written to {}", path.display());
    Ok(())
}

/// Builds the server and `tessera-bench` with the `server` profile; returns where they are.
fn build_server_and_load_generator(workspace: &Workspace) -> Result<std::path::PathBuf> {
    shell::run(command(env!("CARGO")).args([
        "build",
        "--profile",
        "server",
        "--package",
        SERVER_PACKAGE,
        "--package",
        "tessera-bench",
    ]))?;
    Ok(workspace.target_dir.join("server"))
}

/// `tessera-bench` pointed at `server`.
fn load_generator(binaries: &std::path::Path, server: &TestInstance) -> std::process::Command {
    let mut load = command(binaries.join("tessera-bench"));
    load.args([
        "--base",
        &server.base_url(),
        "--ops-token",
        server.ops_token(),
    ]);
    load
}

/// Catalog search over a catalog of 10,000 more products: `tessera-bench --search` (see
/// `bench/src/search.rs`).
fn search(workspace: &Workspace) -> Result<()> {
    let binaries = build_server_and_load_generator(workspace)?;
    let extra = ["--demo-products", "10000"].map(str::to_owned).to_vec();
    let server = TestInstance::start_with(&binaries.join(SERVER_PACKAGE), workspace, &extra)?;
    let output = load_generator(&binaries, &server)
        .args(["--search", "200"])
        .output()
        .context("running tessera-bench")?;
    server.stop();
    write_report(
        workspace,
        &output,
        "search.md",
        "# Search benchmark\n\nServer built with the `server` profile, SQLite in WAL mode, demo \
         data plus 10,000 generated products, loopback, load generator on the same machine.",
    )
}

/// Writes `tessera-bench`'s report under `<target>/bench/<file>` after `intro`, and prints it.
fn write_report(
    workspace: &Workspace,
    output: &std::process::Output,
    file: &str,
    intro: &str,
) -> Result<()> {
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    anyhow::ensure!(
        output.status.success(),
        "tessera-bench failed: {}\n{report}",
        String::from_utf8_lossy(&output.stderr)
    );
    let document = format!("{intro}\n\n{report}");
    let directory = workspace.target_dir.join("bench");
    std::fs::create_dir_all(&directory)?;
    let path = directory.join(file);
    std::fs::write(&path, &document)?;
    println!("{document}\nreport written to {}", path.display());
    Ok(())
}

/// Brotli (quality 11) bytes per file of a bundle folder, from the release tool, which owns
/// compression.
fn brotli_sizes(folder: &std::path::Path) -> Result<Vec<(String, u64)>> {
    let output = command(env!("CARGO"))
        .args([
            "run",
            "--quiet",
            "--package",
            "tessera-release",
            "--",
            "sizes",
            "--dir",
        ])
        .arg(folder)
        .output()
        .context("running tessera-release sizes")?;
    anyhow::ensure!(output.status.success(), "tessera-release sizes failed");
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let (name, bytes) = line.rsplit_once('\t')?;
            Some((name.to_owned(), bytes.parse().ok()?))
        })
        .collect())
}

/// Where a crate's wasm goes, by twiggy over a wasm-opt'ed copy that keeps function names (the
/// shipped file has none): a share per part of the stack, then the largest single items.
/// `None` when twiggy is not installed (`cargo install twiggy`).
fn contributors(workspace: &Workspace, package: &str) -> Option<String> {
    shell::probe(command("twiggy").arg("--version"))?;
    let crate_name = package.replace('-', "_");
    let wasm = workspace
        .target_dir
        .join("wasm32-unknown-unknown/release")
        .join(format!("{crate_name}.wasm"));
    let out = workspace.target_dir.join("bench/named").join(&crate_name);
    shell::probe(
        command("wasm-bindgen")
            .args(["--target", "web", "--keep-debug", "--out-dir"])
            .arg(&out)
            .arg(&wasm),
    )?;
    let optimised = out.join("optimised-with-names.wasm");
    shell::probe(
        command(shell::tools_dir().join("node_modules/.bin/wasm-opt"))
            .args(["-Oz", "-g", "--detect-features", "-o"])
            .arg(&optimised)
            .arg(out.join(format!("{crate_name}_bg.wasm"))),
    )?;
    let csv = shell::probe(
        command("twiggy")
            .args(["top", "-n", "1000000", "-f", "csv"])
            .arg(&optimised),
    )?;
    Some(breakdown(&crate_name, &csv))
}

/// Parts of the stack, matched in order against twiggy's item names.
const PARTS: &[(&str, &[&str])] = &[
    (
        "Leptos (views, signals, effects)",
        &[
            "tachys",
            "reactive_graph",
            "leptos",
            "any_view",
            "send_wrapper",
            "async_lock",
            "event_listener",
        ],
    ),
    (
        "drop glue and closure shims (mostly of views)",
        &["drop_in_place", "ops::function"],
    ),
    ("design-system", &["design_system"]),
    (
        "api-client (runtime, generated codec)",
        &["api_client", "gloo"],
    ),
    ("json-codec", &["json_codec"]),
    (
        "micro-app kit (mount, events; load/task, with the app's async code inlined)",
        &["micro_app", "mount"],
    ),
    ("static data (strings, tables)", &["data segment"]),
    ("core formatting", &["fmt", "flt2dec"]),
    (
        "allocator and collections",
        &["alloc", "hashbrown", "indexmap"],
    ),
    (
        "wasm-bindgen, js-sys, web-sys",
        &["js_sys", "wasm_bindgen", "web_sys", "import", "externref"],
    ),
];

/// twiggy's CSV (`Name,ShallowSize,…`, names quoted and possibly holding commas) summarised.
fn breakdown(crate_name: &str, csv: &str) -> String {
    let own_code = format!("{crate_name} (the app's own code)");
    let own_path = format!("{crate_name}::");
    let mut parts: Vec<(String, u64)> = Vec::new();
    let mut items: Vec<(u64, String)> = Vec::new();
    for line in csv.lines().skip(1) {
        let fields: Vec<&str> = line.rsplitn(5, ',').collect();
        let [_, _, _, size, name] = fields[..] else {
            continue;
        };
        let (Ok(bytes), name) = (
            size.parse::<u64>(),
            name.trim_matches('"').replace("\"\"", "\""),
        ) else {
            continue;
        };
        if name.contains("subsection") || name.contains("custom section") {
            continue;
        }
        let lower = name.to_lowercase();
        let part = if lower.trim_start_matches('<').starts_with(&own_path) {
            own_code.clone()
        } else {
            PARTS
                .iter()
                .find(|(_, needles)| needles.iter().any(|needle| lower.contains(needle)))
                .map_or_else(
                    || "other (core, std)".to_owned(),
                    |(part, _)| (*part).to_owned(),
                )
        };
        match parts.iter_mut().find(|(known, _)| *known == part) {
            Some((_, sum)) => *sum += bytes,
            None => parts.push((part, bytes)),
        }
        items.push((bytes, name));
    }
    let total: u64 = parts.iter().map(|(_, bytes)| bytes).sum();
    parts.sort_by_key(|(_, bytes)| std::cmp::Reverse(*bytes));
    items.sort_by_key(|(bytes, _)| std::cmp::Reverse(*bytes));
    let kb = |bytes: u64| bytes as f64 / 1024.0;
    let mut text = format!(
        "After wasm-opt, before compression: {:.1} KB of code and data.\n\n\
         | part | KB | share |\n| --- | ---: | ---: |\n",
        kb(total)
    );
    for (part, bytes) in &parts {
        let share = *bytes as f64 * 100.0 / total.max(1) as f64;
        text.push_str(&format!("| {part} | {:.1} | {share:.0} % |\n", kb(*bytes)));
    }
    text.push_str("\nLargest items:\n\n");
    for (bytes, name) in items.iter().take(12) {
        let short: String = name.chars().take(140).collect();
        text.push_str(&format!("- {:.1} KB `{short}`\n", kb(*bytes)));
    }
    text
}

fn size(workspace: &Workspace) -> Result<()> {
    crate::bundle::build_all(workspace)?;
    let releases = crate::release::build_shop(workspace, false)?;
    let mut bundles: Vec<(String, std::path::PathBuf)> = workspace
        .packages
        .iter()
        .filter(|package| package.shell)
        .map(|package| {
            (
                package.name.clone(),
                crate::bundle::app_dist_dir(workspace, &package.name),
            )
        })
        .collect();
    bundles.extend(releases.into_iter().map(|built| (built.app, built.dir)));
    let mut document = String::from(
        "# Bundle sizes\n\nBrotli quality 11, every file the browser fetches for the bundle \
         (html for the shell; js, wasm and css for a release).\n\n\
         | bundle | brotli KB | budget KB | files |\n| --- | ---: | ---: | --- |\n",
    );
    let mut details = String::new();
    for (name, folder) in &bundles {
        let sizes = brotli_sizes(folder)?;
        let total: u64 = sizes.iter().map(|(_, bytes)| bytes).sum();
        let budget = workspace
            .packages
            .iter()
            .find(|package| package.name == *name)
            .and_then(|package| package.budget_kb);
        let files: Vec<String> = sizes
            .iter()
            .map(|(file, bytes)| format!("{file} {:.1}", *bytes as f64 / 1024.0))
            .collect();
        document.push_str(&format!(
            "| {name} | {:.1} | {} | {} |\n",
            total as f64 / 1024.0,
            budget.map_or("–".into(), |kb| kb.to_string()),
            files.join(", ")
        ));
        if let Some(top) = contributors(workspace, name) {
            details.push_str(&format!("\n## {name}: where the wasm goes\n\n{top}"));
        }
    }
    if details.is_empty() {
        details.push_str(
            "\n(Install twiggy, `cargo install twiggy`, for the biggest contributors.)\n",
        );
    }
    document.push_str(&details);
    let directory = workspace.target_dir.join("bench");
    std::fs::create_dir_all(&directory)?;
    let path = directory.join("size.md");
    std::fs::write(&path, &document)?;
    println!("{document}\nreport written to {}", path.display());
    Ok(())
}
