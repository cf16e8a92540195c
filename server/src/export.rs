//! `tessera-server export DIR`: what this origin serves, as a static site any CDN or object store
//! can serve: the shell page (import map, inline manifest, shell stylesheet inline; no visitor and
//! no telemetry session, so one copy fits everyone), the shell's files, every file of the releases
//! the manifest lists, and the manifest itself at `v1/manifest`, each with brotli and gzip
//! siblings. Two hosts' header rules carry the origin's caching and security: `_headers`
//! (Netlify, Cloudflare Pages) and `nginx.conf` (directives for a `server` block, with
//! ngx_brotli's `brotli_static`). Release files and the shell's hashed files are immutable; the
//! page and the manifest live one manifest TTL.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use api_client::types::Manifest;

use crate::config::Config;
use crate::domain::release_files::{self, is_safe_name};
use crate::edge::shell_page::{self, Visit};

/// The shop's page routes, which a static host answers with the shell page.
const PAGE_ROUTES: [&str; 7] = [
    "/products/*",
    "/c/*",
    "/search",
    "/checkout",
    "/account",
    "/orders/*",
    "/ops/*",
];

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// What the shop serves that an export does not hold: the API and the product images.
const PROXIED: [&str; 2] = ["v1", "media"];

/// What an export wrote.
pub struct Exported {
    pub files: usize,
    pub releases: usize,
}

/// Writes the static site into `out` (created; must be empty or absent). With `api` (the shop's
/// origin), the host rules also pass the API through to it, so the export serves the whole shop;
/// without, it serves release files and pages behind a CDN that routes `/v1/` itself.
pub async fn export(config: &Config, out: &Path, api: Option<&str>) -> Result<Exported> {
    if let Some(api) = api
        && !crate::config::is_origin(api)
    {
        bail!("--api takes the shop's origin, http(s)://host[:port], got `{api}`");
    }
    if out.exists() && std::fs::read_dir(out)?.next().is_some() {
        bail!(
            "{} is not empty: export writes into a new folder",
            out.display()
        );
    }
    let apps_dir = config
        .apps_dir
        .as_deref()
        .context("export needs --apps-dir: the folder the shell was built into")?;
    let db = crate::store::connect(&config.database()?, 2).await?;
    let manifest = crate::domain::releases::manifest(&db, config)
        .await
        .map_err(|error| anyhow::anyhow!("reading the manifest: {error:?}"))?;
    db.close().await;
    let out = std::path::absolute(out)?;
    let mut written = 0;

    let shell = std::fs::read_to_string(apps_dir.join("shell").join("index.html"))
        .with_context(|| format!("no built shell in {}", apps_dir.display()))?;
    let page = page_html(&shell, apps_dir, &manifest);
    written += write_compressed(&out.join("index.html"), page.as_bytes())?;
    written += copy_tree(&apps_dir.join("shell"), &out.join("apps").join("shell"))?;
    let manifest_json = serde_json::to_vec(&manifest)?;
    written += write_compressed(&out.join("v1").join("manifest"), &manifest_json)?;

    let releases = config.releases_dir();
    let mut release_count = 0;
    for app in &manifest.apps {
        for release in &app.releases {
            release_count += 1;
            let files = [Some(&release.files.js), Some(&release.files.wasm)]
                .into_iter()
                .chain([release.files.css.as_ref()])
                .flatten();
            for file in files {
                let name = file.url.rsplit('/').next().unwrap_or_default();
                let (app, id) = (app.app.as_str(), release.release_id.as_str());
                let source = release_files::file_path(&releases, app, id, name);
                let bytes = std::fs::read(&source)
                    .with_context(|| format!("reading {}", source.display()))?;
                written += write_compressed(&out.join(file.url.trim_start_matches('/')), &bytes)?;
            }
        }
    }

    let policy = shell_page::content_security_policy(&page, &manifest.origins);
    let ttl = manifest.ttl_seconds;
    std::fs::write(out.join("_headers"), headers_file(&policy, ttl))?;
    std::fs::write(out.join("_redirects"), redirects_file(api))?;
    std::fs::write(out.join("nginx.conf"), nginx_conf(&out, &policy, ttl, api))?;
    Ok(Exported {
        files: written + 3,
        releases: release_count,
    })
}

/// The shell page as the origin renders it for a path without an edge-rendered slot, minus the
/// visitor and the telemetry session.
fn page_html(shell: &str, apps_dir: &Path, manifest: &Manifest) -> String {
    let html = shell_page::with_shell_css_inline(shell, Some(apps_dir));
    let visit = Visit {
        visitor: None,
        new_visitor: false,
        telemetry_session: None,
    };
    shell_page::with_manifest(&html, manifest, &visit)
}

/// The file and, for what browsers download, its brotli and gzip siblings; returns files written.
fn write_compressed(path: &Path, bytes: &[u8]) -> Result<usize> {
    std::fs::create_dir_all(path.parent().context("a file lives in a folder")?)?;
    std::fs::write(path, bytes)?;
    let compressed = tessera_release::files::precompress(bytes)?;
    std::fs::write(release_files::with_suffix(path, "br"), compressed.brotli)?;
    std::fs::write(release_files::with_suffix(path, "gz"), compressed.gzip)?;
    Ok(3)
}

/// The shell's built files (hashed names, so immutable), without its unrendered index.html.
fn copy_tree(from: &Path, to: &Path) -> Result<usize> {
    let mut written = 0;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !is_safe_name(&name) || name == "index.html" {
            continue;
        }
        let target: PathBuf = to.join(&*name);
        if entry.file_type()?.is_dir() {
            written += copy_tree(&entry.path(), &target)?;
        } else {
            written += write_compressed(&target, &std::fs::read(entry.path())?)?;
        }
    }
    Ok(written)
}

/// The page's headers for a host: the origin's, with a short public TTL instead of `no-cache`
/// (an exported page carries no per-visitor session).
fn page_headers(policy: &str, ttl: i32) -> Vec<(&'static str, String)> {
    vec![
        ("Content-Security-Policy", policy.to_owned()),
        ("X-Content-Type-Options", "nosniff".into()),
        ("Referrer-Policy", "strict-origin-when-cross-origin".into()),
        ("Cache-Control", format!("public, max-age={ttl}")),
    ]
}

fn manifest_headers(ttl: i32) -> Vec<(&'static str, String)> {
    vec![
        ("Content-Type", "application/json".into()),
        (
            "Cache-Control",
            format!("public, max-age={ttl}, stale-while-revalidate=60"),
        ),
        ("Access-Control-Allow-Origin", "*".into()),
    ]
}

fn file_headers() -> Vec<(&'static str, String)> {
    vec![
        ("Cache-Control", IMMUTABLE.into()),
        ("Access-Control-Allow-Origin", "*".into()),
        ("Vary", "Accept-Encoding".into()),
        ("X-Content-Type-Options", "nosniff".into()),
    ]
}

/// Netlify's and Cloudflare Pages' `_headers`: a path pattern, then its headers indented. Every
/// matching rule applies, so no two rules here match one path with the same header.
fn headers_file(policy: &str, ttl: i32) -> String {
    let mut rules: Vec<(String, Vec<(&str, String)>)> = vec![
        ("/releases/*".into(), file_headers()),
        ("/apps/*".into(), file_headers()),
        ("/v1/manifest".into(), manifest_headers(ttl)),
    ];
    for path in ["/", "/index.html"]
        .into_iter()
        .chain(PAGE_ROUTES)
        .map(str::to_owned)
    {
        rules.push((path, page_headers(policy, ttl)));
    }
    let mut text = String::from(
        "# Written by `tessera-server export`: the origin's caching and security headers.\n",
    );
    for (path, headers) in rules {
        text.push_str(&path);
        text.push('\n');
        for (name, value) in headers {
            text.push_str(&format!("  {name}: {value}\n"));
        }
    }
    text
}

/// The shop's routes answer with the shell page (a rewrite, not a redirect); the API, when given,
/// is proxied (the exported `v1/manifest` file is served before any rule applies).
fn redirects_file(api: Option<&str>) -> String {
    PAGE_ROUTES
        .iter()
        .map(|route| format!("{route} /index.html 200\n"))
        .chain(
            api.into_iter()
                .flat_map(|api| PROXIED.map(|path| format!("/{path}/* {api}/{path}/:splat 200\n"))),
        )
        .collect()
}

/// Directives for an nginx `server` block (`include` it there); the precompressed siblings are
/// served by `brotli_static` (Debian: libnginx-mod-http-brotli-static) and `gzip_static`.
fn nginx_conf(root: &Path, policy: &str, ttl: i32, api: Option<&str>) -> String {
    let add = |headers: Vec<(&str, String)>| -> String {
        headers
            .into_iter()
            .filter(|(name, _)| *name != "Content-Type")
            .map(|(name, value)| format!("    add_header {name} \"{value}\" always;\n"))
            .collect()
    };
    format!(
        "# Written by `tessera-server export`: include inside a `server {{ }}` block.\n\
         root {root};\n\
         brotli_static on;\n\
         gzip_static on;\n\
         etag on;\n\
         location /releases/ {{\n{files}    try_files $uri =404;\n}}\n\
         location /apps/ {{\n{files}    try_files $uri =404;\n}}\n\
         location = /v1/manifest {{\n    default_type application/json;\n{manifest}}}\n\
         location = /index.html {{\n{page}}}\n\
         location ~ ^/(_headers|_redirects|nginx\\.conf)$ {{\n    return 404;\n}}\n\
         location / {{\n    try_files $uri /index.html;\n}}\n{proxy}",
        root = root.display(),
        proxy = api.map_or(String::new(), |api| PROXIED.map(|path| format!(
            "location /{path}/ {{\n    proxy_pass {api};\n    proxy_set_header Host $proxy_host;\n    \
             proxy_set_header X-Forwarded-For $remote_addr;\n}}\n"
        )).concat()),
        files = add(file_headers()),
        manifest = add(manifest_headers(ttl)),
        page = add(page_headers(policy, ttl)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_route_gets_the_page_headers_and_files_are_immutable() {
        let text = headers_file("default-src 'self'", 30);
        assert!(text.contains("/releases/*\n  Cache-Control: public, max-age=31536000, immutable\n  Access-Control-Allow-Origin: *\n  Vary: Accept-Encoding\n"), "{text}");
        assert!(text.contains("/v1/manifest\n  Content-Type: application/json\n  Cache-Control: public, max-age=30, stale-while-revalidate=60\n"), "{text}");
        for route in PAGE_ROUTES {
            assert!(
                text.contains(&format!(
                    "{route}\n  Content-Security-Policy: default-src 'self'\n"
                )),
                "{route}: {text}"
            );
        }
        assert_eq!(redirects_file(None).lines().count(), PAGE_ROUTES.len());
        assert!(
            redirects_file(Some("https://shop.example"))
                .ends_with("/v1/* https://shop.example/v1/:splat 200\n/media/* https://shop.example/media/:splat 200\n")
        );
    }

    #[test]
    fn nginx_quotes_the_policy_and_leaves_content_types_to_its_types() {
        let conf = nginx_conf(Path::new("/srv/shop"), "script-src 'self'", 30, None);
        assert!(!conf.contains("proxy_pass"));
        let proxied = nginx_conf(
            Path::new("/srv/shop"),
            "script-src 'self'",
            30,
            Some("https://shop.example"),
        );
        assert!(proxied.contains("location /v1/ {\n    proxy_pass https://shop.example;\n"));
        assert!(conf.starts_with("# Written"), "{conf}");
        assert!(conf.contains("root /srv/shop;\n"));
        assert!(
            conf.contains("    add_header Content-Security-Policy \"script-src 'self'\" always;\n")
        );
        assert!(!conf.contains("add_header Content-Type"));
        assert!(conf.contains("location = /v1/manifest {\n    default_type application/json;\n"));
    }
}
