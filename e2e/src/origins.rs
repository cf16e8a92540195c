//! Release origins besides the server: a `tessera-server export` of the session's shop, served
//! by nginx with the `nginx.conf` the export wrote, or by a host that applies its `_headers` rules
//! the way Netlify and Cloudflare Pages do; and the header checks every origin must pass, the
//! server's own included.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{Context, Result, bail, ensure};
use axum::response::IntoResponse;
use base64::Engine;
use reqwest::StatusCode;
use sha2::{Digest, Sha256};
use tokio::process::{Child, Command};

use crate::Session;

const NGINX: &str = "/usr/sbin/nginx";
const NGINX_BROTLI_STATIC: &str = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";

/// A free loopback port, to name an origin before it runs (the server lists it at start).
pub fn free_port() -> Result<u16> {
    crate::free_port()
}

/// Exports the session's shop (as `cargo xtask export` does) into a new folder next to its data
/// (world-readable, for nginx's unprivileged workers), listing `origins` as its release origins
/// and passing API calls through to the session's server.
pub async fn export(session: &Session, origins: &str) -> Result<PathBuf> {
    let site = session.data_dir.join("export");
    let target = crate::target_dir();
    let output = Command::new(target.join("debug").join("tessera-server"))
        .arg("export")
        .arg(&site)
        .arg("--data-dir")
        .arg(&session.data_dir)
        .arg("--apps-dir")
        .arg(target.join("dist"))
        .args(["--release-origins", origins])
        .args(["--api", &session.base])
        .args(["--manifest-ttl", &crate::MANIFEST_TTL_SECONDS.to_string()])
        .output()
        .await?;
    ensure!(
        output.status.success(),
        "export failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(site)
}

/// A static host on a loopback port, stopped when dropped or killed.
pub struct StaticOrigin {
    pub base: String,
    running: Running,
}

enum Running {
    Process(Child),
    Task(tokio::task::JoinHandle<()>),
    Stopped,
}

impl StaticOrigin {
    /// Stops it at once, open connections and all: a CDN going dark.
    pub async fn kill(&mut self) -> Result<()> {
        match std::mem::replace(&mut self.running, Running::Stopped) {
            Running::Process(mut child) => {
                child.kill().await?;
            }
            Running::Task(task) => task.abort(),
            Running::Stopped => {}
        }
        Ok(())
    }
}

impl Drop for StaticOrigin {
    fn drop(&mut self) {
        match &mut self.running {
            Running::Process(child) => {
                let _ = child.start_kill();
            }
            Running::Task(task) => task.abort(),
            Running::Stopped => {}
        }
    }
}

/// nginx (`cargo xtask setup` installs it with ngx_brotli's static module) serving `site` on
/// `port`, configured by nothing but the export's own `nginx.conf` inside a minimal main config.
/// One process (no master and workers), so killing it leaves nothing serving.
pub async fn nginx(session: &Session, site: &Path, port: u16) -> Result<StaticOrigin> {
    if !Path::new(NGINX).exists() || !Path::new(NGINX_BROTLI_STATIC).exists() {
        bail!("{NGINX} with {NGINX_BROTLI_STATIC} is missing: `cargo xtask setup` installs them");
    }
    // Its pid file and error log, kept with the test's artifacts.
    let prefix = session.artifacts.join("nginx");
    std::fs::create_dir_all(&prefix)?;
    let config = prefix.join("main.conf");
    std::fs::write(
        &config,
        format!(
            "load_module {NGINX_BROTLI_STATIC};\ndaemon off;\nmaster_process off;\npid {prefix}/nginx.pid;\n\
             error_log {prefix}/error.log;\nevents {{}}\nhttp {{\n  include /etc/nginx/mime.types;\n  \
             access_log off;\n  client_body_temp_path {prefix}/body;\n  proxy_temp_path {prefix}/proxy;\n  \
             fastcgi_temp_path {prefix}/fastcgi;\n  uwsgi_temp_path {prefix}/uwsgi;\n  scgi_temp_path {prefix}/scgi;\n  \
             server {{\n    listen 127.0.0.1:{port};\n    include {site}/nginx.conf;\n  }}\n}}\n",
            prefix = prefix.display(),
            site = site.display(),
        ),
    )?;
    let mut child = Command::new(NGINX)
        .arg("-p")
        .arg(&prefix)
        .arg("-c")
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .context("starting nginx")?;
    let base = format!("http://127.0.0.1:{port}");
    crate::wait_for(&format!("{base}/v1/manifest"), "nginx", &mut child).await?;
    Ok(StaticOrigin {
        base,
        running: Running::Process(child),
    })
}

/// A host serving `site` with the rules of its `_headers` file applied to every matching path
/// (a trailing `*` matches any rest), as Netlify and Cloudflare Pages do: files get a strong ETag
/// of their content (a matching If-None-Match is a 304), and precompressed siblings answer for
/// the encodings a client accepts.
pub async fn headers_host(site: &Path, port: u16) -> Result<StaticOrigin> {
    let rules = header_rules(&std::fs::read_to_string(site.join("_headers"))?)?;
    let files = tower_http::services::ServeDir::new(site)
        .precompressed_br()
        .precompressed_gzip();
    let root = site.to_owned();
    let app = axum::Router::new()
        .fallback_service(files)
        .layer(axum::middleware::from_fn(
            move |request: axum::extract::Request, next: axum::middleware::Next| {
                let (rules, root) = (rules.clone(), root.clone());
                async move {
                    let path = request.uri().path().to_owned();
                    let etag = content_etag(&root, &path);
                    let revalidated = request
                        .headers()
                        .get("if-none-match")
                        .zip(etag.as_ref())
                        .is_some_and(|(sent, etag)| sent == etag);
                    let mut response = if revalidated {
                        axum::http::StatusCode::NOT_MODIFIED.into_response()
                    } else {
                        next.run(request).await
                    };
                    let headers = response.headers_mut();
                    if let Some(etag) = etag {
                        headers.insert("etag", etag);
                    }
                    for (pattern, rule) in &rules {
                        let matches = match pattern.strip_suffix('*') {
                            Some(prefix) => path.starts_with(prefix),
                            None => path == *pattern,
                        };
                        for (name, value) in rule.iter().filter(|_| matches) {
                            headers.insert(name.clone(), value.clone());
                        }
                    }
                    response
                }
            },
        ));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(StaticOrigin {
        base: format!("http://127.0.0.1:{port}"),
        running: Running::Task(task),
    })
}

/// The quoted SHA-256 of the file at `path` under `root`, when there is one.
fn content_etag(root: &Path, path: &str) -> Option<axum::http::HeaderValue> {
    if path
        .split('/')
        .any(|part| part == ".." || part.starts_with('.'))
    {
        return None;
    }
    let bytes = std::fs::read(root.join(path.trim_start_matches('/'))).ok()?;
    format!("\"{:x}\"", Sha256::digest(&bytes)).parse().ok()
}

type Rules = Vec<(
    String,
    Vec<(axum::http::HeaderName, axum::http::HeaderValue)>,
)>;

/// `_headers`: a path line, then its `Name: value` lines indented; `#` starts a comment.
fn header_rules(text: &str) -> Result<Rules> {
    let mut rules: Rules = Vec::new();
    for line in text
        .lines()
        .filter(|line| !line.trim_start().starts_with('#'))
    {
        if line.trim().is_empty() {
            continue;
        }
        if !line.starts_with(char::is_whitespace) {
            rules.push((line.trim().to_owned(), Vec::new()));
            continue;
        }
        let (name, value) = line
            .trim()
            .split_once(':')
            .with_context(|| format!("_headers: `{line}` is not Name: value"))?;
        let rule = rules
            .last_mut()
            .with_context(|| format!("_headers: `{line}` before any path"))?;
        rule.1.push((name.trim().parse()?, value.trim().parse()?));
    }
    Ok(rules)
}

async fn get(url: &str, headers: &[(&str, &str)]) -> Result<reqwest::Response> {
    let mut request = reqwest::Client::new().get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    Ok(request.send().await?)
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
}

/// What the built-in origin promises, checked against `base`: release files (`file`, a path)
/// immutable with an ETag that revalidates, readable cross-origin, brotli when accepted; the
/// manifest JSON with a short TTL; the shell page with a policy that allows exactly its inline
/// scripts, no sniffing, and no long caching.
pub async fn check_headers(base: &str, file: &str, ttl: u64) -> Result<()> {
    let plain = get(&format!("{base}{file}"), &[("accept-encoding", "identity")]).await?;
    ensure!(
        plain.status() == StatusCode::OK,
        "{base}{file}: {}",
        plain.status()
    );
    ensure!(
        header(&plain, "cache-control") == "public, max-age=31536000, immutable",
        "{base}{file}: cache-control {:?}",
        header(&plain, "cache-control")
    );
    ensure!(
        header(&plain, "access-control-allow-origin") == "*",
        "{base}{file}: no CORS"
    );
    if file.ends_with(".wasm") {
        ensure!(
            header(&plain, "content-type") == "application/wasm",
            "{base}{file}: type"
        );
    }
    let etag = header(&plain, "etag").to_owned();
    ensure!(!etag.is_empty(), "{base}{file}: no ETag");
    let revalidated = get(&format!("{base}{file}"), &[("if-none-match", &etag)]).await?;
    ensure!(
        revalidated.status() == StatusCode::NOT_MODIFIED,
        "{base}{file}: If-None-Match answered {}",
        revalidated.status()
    );
    let brotli = get(&format!("{base}{file}"), &[("accept-encoding", "gzip, br")]).await?;
    ensure!(
        header(&brotli, "content-encoding") == "br",
        "{base}{file}: not brotli"
    );
    ensure!(
        header(&brotli, "vary")
            .to_ascii_lowercase()
            .contains("accept-encoding"),
        "{base}{file}: no Vary: Accept-Encoding"
    );

    let manifest = get(&format!("{base}/v1/manifest"), &[]).await?;
    ensure!(
        manifest.status() == StatusCode::OK,
        "{base}/v1/manifest: {}",
        manifest.status()
    );
    ensure!(
        header(&manifest, "content-type").starts_with("application/json"),
        "{base}/v1/manifest: type {:?}",
        header(&manifest, "content-type")
    );
    ensure!(
        header(&manifest, "cache-control").starts_with(&format!("public, max-age={ttl}")),
        "{base}/v1/manifest: cache-control {:?}",
        header(&manifest, "cache-control")
    );

    let page = get(&format!("{base}/"), &[("accept-encoding", "identity")]).await?;
    ensure!(
        page.status() == StatusCode::OK,
        "{base}/: {}",
        page.status()
    );
    ensure!(
        header(&page, "x-content-type-options") == "nosniff",
        "{base}/: sniffable"
    );
    let caching = header(&page, "cache-control").to_owned();
    let short = caching
        .strip_prefix("public, max-age=")
        .and_then(|seconds| seconds.parse::<u64>().ok())
        .is_some_and(|seconds| seconds <= ttl);
    ensure!(
        caching == "private, no-cache" || short,
        "{base}/: cache-control {caching:?}"
    );
    let policy = header(&page, "content-security-policy").to_owned();
    ensure!(
        policy.contains("object-src 'none'"),
        "{base}/: policy {policy:?}"
    );
    let html = page.text().await?;
    let scripts = inline_scripts(&html);
    ensure!(!scripts.is_empty(), "{base}/: no inline scripts to check");
    for script in scripts {
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script));
        ensure!(
            policy.contains(&format!("'sha256-{hash}'")),
            "{base}/: the policy does not allow an inline script of the page"
        );
    }
    Ok(())
}

/// The bodies of the page's `<script>` elements without `src`.
fn inline_scripts(html: &str) -> Vec<&str> {
    html.match_indices("<script")
        .filter_map(|(start, _)| {
            let open_end = start + html[start..].find('>')?;
            if html[start..open_end].contains("src=") {
                return None;
            }
            let body = open_end + 1;
            Some(&html[body..body + html[body..].find("</script>")?])
        })
        .collect()
}
