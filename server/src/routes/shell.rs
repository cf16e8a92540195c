//! Pages: the shell's index.html for every app route, with a strict Content-Security-Policy, the
//! gallery app for designers, and development bundles from trunk's dist folders.

use std::path::PathBuf;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use base64::Engine;
use sha2::{Digest, Sha256};
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::edge::{self, VISITOR_COOKIE};
use crate::error::{AppError, AppResult};
use crate::extract::AppPath;
use crate::state::AppState;

/// The shell page compiled in, used until a built shell exists in the apps folder.
const BUILTIN_SHELL: &str = include_str!("../../../index.html");

/// Scripts only from this origin (plus the page's own inline scripts, by hash), wasm compilation
/// allowed, no plugins, no framing. Inline styles are allowed because components set style
/// attributes (sizes, aspect ratios) and inject their own stylesheets at run time.
pub fn content_security_policy(html: &str) -> String {
    let hashes: String = inline_scripts(html)
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

/// The bodies of `<script>` elements without a `src`: exactly the text a CSP hash covers.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.match_indices("<script").filter_map(move |(start, _)| {
        let open_end = start + html[start..].find('>')?;
        if html[start..open_end].contains("src=") {
            return None;
        }
        let body_start = open_end + 1;
        let body_end = body_start + html[body_start..].find("</script>")?;
        Some(&html[body_start..body_end])
    })
}

pub fn router(state: &AppState) -> Router<AppState> {
    let mut router = Router::new()
        .route("/", get(shell_page))
        .route("/products", get(shell_page))
        .route("/products/", get(shell_page))
        .route("/products/{*rest}", get(shell_page))
        .route("/c/{*rest}", get(shell_page))
        .route("/search", get(shell_page))
        .route("/checkout", get(shell_page))
        .route("/account", get(shell_page))
        .route("/orders/{*rest}", get(shell_page))
        .route("/ops", get(shell_page))
        .route("/ops/", get(shell_page))
        .route("/ops/{*rest}", get(shell_page))
        .route("/gallery", get(gallery_page))
        .route("/gallery/", get(gallery_page))
        .route("/gallery/{*rest}", get(gallery_page))
        .route("/media/{file_name}", get(media_get))
        // Pages and drawings are made per request: compressed on the way out (release files
        // have precompressed siblings instead).
        .route_layer(CompressionLayer::new())
        // A page runs a render at the edge: pages count against the per-address request limit
        // like API calls do.
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::limits::limit,
        ));
    if let Some(apps_dir) = &state.config.apps_dir {
        // The pages' own policy without any inline-script hash: a built index.html opened
        // directly from here runs none of its inline code.
        let policy = HeaderValue::from_str(&content_security_policy(""))
            .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"));
        router = router.nest_service(
            "/apps",
            tower::ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(
                    header::CONTENT_SECURITY_POLICY,
                    policy,
                ))
                .service(
                    ServeDir::new(apps_dir)
                        .precompressed_br()
                        .precompressed_gzip(),
                ),
        );
    }
    router
}

fn page(html: String) -> Response {
    let policy = content_security_policy(&html);
    let mut response = Html(html).into_response();
    let headers = response.headers_mut();
    if let Ok(policy) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    // Each page carries its own telemetry session: no shared cache may hand it to someone else.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    response
}

fn built_page(state: &AppState, app: &str) -> Option<String> {
    let path: PathBuf = state.config.apps_dir.as_ref()?.join(app).join("index.html");
    std::fs::read_to_string(path).ok()
}

async fn shell_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    let html = match built_page(&state, "shell") {
        Some(html) => with_shell_css_inline(&html, &state),
        None => BUILTIN_SHELL.to_owned(),
    };
    let (visitor, new_visitor) = match visitor_of(&headers) {
        Some(visitor) => (visitor, false),
        None => (uuid::Uuid::new_v4().to_string(), true),
    };
    let mut timing = None;
    let mut response =
        match crate::domain::releases::manifest(&state.db, state.config.manifest_ttl_seconds).await
        {
            Ok(manifest) => {
                let route = micro_app::route(uri.path(), uri.query().unwrap_or_default());
                let visit = Visit {
                    visitor: &visitor,
                    new_visitor,
                    telemetry_session: &state.telemetry.issue(),
                };
                let mut html = with_manifest(&html, &manifest, &visit);
                let origin = origin_of(&headers);
                match edge::render_slot(&state, &manifest, &route, &visitor, &origin).await {
                    // The content is in the page: the bundle that hydrates it is fetched after
                    // the first paint instead of competing with it (preloaded, its 200 KB of wasm
                    // pushed the mobile LCP from 1.2 s to 2.4 s in one Lighthouse round of three).
                    Some(slot) => {
                        html = edge::page::with_rendered_slot(&html, &slot, &origin);
                        timing = Some(slot.stats);
                    }
                    None => html = with_preload_hints(&html, &route, &manifest),
                }
                page(html)
            }
            Err(error) => {
                // The shell still starts (from its last good manifest copy); loads stay checked by
                // fetch integrity for wasm.
                tracing::warn!(?error, "shell rendered without an import map");
                page(html)
            }
        };
    // What the edge render cost, for DevTools and `cargo xtask bench api`.
    if let Some(stats) = timing
        && let Ok(value) = HeaderValue::from_str(&format!(
            "render;dur={:.3};desc=\"wasm memory {} bytes\"",
            stats.elapsed.as_secs_f64() * 1000.0,
            stats.memory_bytes
        ))
    {
        response.headers_mut().insert("server-timing", value);
    }
    if new_visitor
        && let Ok(cookie) = HeaderValue::from_str(&format!(
            "{VISITOR_COOKIE}={visitor}; Path=/; Max-Age=31536000; SameSite=Lax"
        ))
    {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

/// The shell's stylesheet in the page itself: a render-blocking request less before first paint
/// (1.5 KB of CSS; the policy allows inline styles).
fn with_shell_css_inline(html: &str, state: &AppState) -> String {
    const LINK: &str = "<link rel=\"stylesheet\" href=\"/apps/shell/";
    let Some(start) = html.find(LINK) else {
        return html.to_owned();
    };
    let Some(end) = html[start..].find('>').map(|at| start + at + 1) else {
        return html.to_owned();
    };
    let name = html[start + LINK.len()..end]
        .split('"')
        .next()
        .unwrap_or_default();
    let css = state
        .config
        .apps_dir
        .as_ref()
        .filter(|_| crate::domain::release_files::is_safe_name(name))
        .and_then(|apps| std::fs::read_to_string(apps.join("shell").join(name)).ok());
    match css {
        Some(css) => format!(
            "{}<style>{}</style>{}",
            &html[..start],
            edge::page::css_in_style(&css),
            &html[end..]
        ),
        None => html.to_owned(),
    }
}

/// The visitor id of the first-party cookie, when it is one the shell could have made (a UUID).
fn visitor_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|cookie| cookie.trim().split_once('='))
        .find(|(name, _)| *name == VISITOR_COOKIE)
        .and_then(|(_, value)| uuid::Uuid::parse_str(value).ok())
        .map(|visitor| visitor.to_string())
}

/// Where the page was asked for, for canonical URLs: the Host header when it is a plain host name.
fn origin_of(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .filter(|host| {
            !host.is_empty()
                && host.bytes().all(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']')
                })
        })
        .unwrap_or("localhost");
    let secure = headers
        .get("x-forwarded-proto")
        .is_some_and(|proto| proto.as_bytes() == b"https");
    format!("{}://{host}", if secure { "https" } else { "http" })
}

/// Who the page is for: the shell buckets with the same visitor id the edge rendered for.
struct Visit<'a> {
    visitor: &'a str,
    /// The server just made the id up: a shell that already has one of its own keeps it.
    new_visitor: bool,
    telemetry_session: &'a str,
}

/// Puts first in the page's head an import map with the `integrity` of every micro-app module in
/// the manifest, and the manifest itself with its ETag. Chromium enforces import-map integrity for
/// dynamic `import()`, which is how the shell loads a release's glue; the map is inline, so `page`
/// adds its hash to the CSP. The inline manifest saves the shell a round trip before it can choose
/// releases (it revalidates with the ETag later); as a JSON data block it is never executed.
fn with_manifest(html: &str, manifest: &api_client::types::Manifest, visit: &Visit<'_>) -> String {
    let integrity: serde_json::Map<String, serde_json::Value> = manifest
        .apps
        .iter()
        .flat_map(|app| &app.releases)
        .map(|release| {
            let js = &release.files.js;
            (
                js.url.clone(),
                serde_json::Value::String(js.integrity.to_string()),
            )
        })
        .collect();
    let mut elements = String::new();
    if !integrity.is_empty() {
        let map = serde_json::json!({ "imports": {}, "integrity": integrity }).to_string();
        elements.push_str(&format!(
            "<script type=\"importmap\">{}</script>",
            script_safe(&map)
        ));
    }
    let inline = serde_json::json!({
        "etag": crate::domain::release_files::manifest_etag(manifest),
        "manifest": manifest,
        "telemetry": visit.telemetry_session,
        "visitor": visit.visitor,
        "newVisitor": visit.new_visitor,
    });
    elements.push_str(&format!(
        "<script type=\"application/json\" id=\"ts-manifest\">{}</script>",
        script_safe(&inline.to_string())
    ));
    match html.find("<head>") {
        Some(index) => {
            let after = index + "<head>".len();
            format!("{}{elements}{}", &html[..after], &html[after..])
        }
        None => format!("{elements}{html}"),
    }
}

/// Starts, with the page, the downloads the shell would otherwise start one round trip later:
/// the route's release when every visitor gets the same one (its module and wasm, with their
/// integrity, matching how the shell fetches them), and a product page's product.
fn with_preload_hints(
    html: &str,
    route: &micro_app::Route,
    manifest: &api_client::types::Manifest,
) -> String {
    let micro_app::Route::App { app, props } = route else {
        return html.to_owned();
    };
    let mut hints = String::new();
    let live: Vec<_> = manifest
        .apps
        .iter()
        .filter(|entry| entry.app.as_str() == *app)
        .flat_map(|entry| &entry.releases)
        .filter(|release| release.weight > 0.0)
        .collect();
    if let [release] = live.as_slice() {
        let (js, wasm) = (&release.files.js, &release.files.wasm);
        hints.push_str(&format!(
            "<link rel=\"modulepreload\" href=\"{}\" integrity=\"{}\" crossorigin=\"anonymous\">\
             <link rel=\"preload\" as=\"fetch\" type=\"application/wasm\" href=\"{}\" integrity=\"{}\" crossorigin=\"anonymous\">",
            js.url, *js.integrity, wasm.url, *wasm.integrity
        ));
    }
    // Route parameters are already restricted to [A-Za-z0-9_-] by the routing table.
    if *app == "product-detail"
        && let Some((_, slug)) = props.iter().find(|(name, _)| *name == "slug")
    {
        hints.push_str(&format!(
            "<link rel=\"preload\" as=\"fetch\" href=\"/v1/products/{slug}\" crossorigin=\"anonymous\">"
        ));
    }
    match html.find("</head>") {
        Some(index) => format!("{}{hints}{}", &html[..index], &html[index..]),
        None => html.to_owned(),
    }
}

/// JSON inside a script element: `</` is escaped so no value can close the element early.
fn script_safe(json: &str) -> String {
    json.replace("</", "<\\/")
}

async fn gallery_page(State(state): State<AppState>) -> Response {
    match built_page(&state, "gallery") {
        Some(html) => page(html),
        None => page(
            "<!doctype html><html lang=\"en\"><title>Gallery not built</title><main><h1>The gallery is not built</h1>\
             <p>Run <code>cargo xtask serve</code>, which builds it.</p></main></html>"
                .to_owned(),
        ),
    }
}

/// Demo product images, drawn on request; the name is `<product-slug>--<colour>.svg` and must be
/// an image the product lists, so a crafted name is a 404 rather than a drawing. The policy forbids
/// scripts even if one slipped in, and `nosniff` keeps the type what it says.
async fn media_get(
    State(state): State<AppState>,
    AppPath(file_name): AppPath<String>,
) -> AppResult<Response> {
    let not_found = || AppError::not_found("image");
    let (slug, color) = file_name
        .strip_suffix(".svg")
        .and_then(|stem| stem.split_once("--"))
        .ok_or_else(not_found)?;
    let url = format!("/media/{file_name}");
    let (title, images) = crate::store::catalog::product_images(&state.db, slug)
        .await?
        .ok_or_else(not_found)?;
    if !images.iter().any(|image| image.url == url) {
        return Err(not_found());
    }
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'",
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        crate::demo::product_svg(&title, color),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A manifest with product-detail releases `(id, weight, file stem)`; integrities are
    /// `sha384-<id>-js` and `sha384-<id>-wasm`.
    fn product_manifest(releases: &[(&str, f64, &str)]) -> api_client::types::Manifest {
        let releases: Vec<serde_json::Value> = releases
            .iter()
            .map(|(id, weight, stem)| {
                serde_json::json!({"releaseId": id, "version": "1", "weight": weight, "files": {
                    "js": {"url": format!("{stem}.js"), "integrity": format!("sha384-{id}-js"), "size": 1},
                    "wasm": {"url": format!("{stem}_bg.wasm"), "integrity": format!("sha384-{id}-wasm"), "size": 1}}})
            })
            .collect();
        serde_json::from_value(serde_json::json!({
            "generatedAt": "2026-11-21T10:00:00Z", "ttlSeconds": 30,
            "apps": [{"app": "product-detail", "seed": "s", "revision": 1, "releases": releases}]
        }))
        .unwrap()
    }

    #[test]
    fn the_import_map_and_the_manifest_come_first_and_carry_every_module_integrity() {
        let manifest = product_manifest(&[("a", 1.0, "/releases/product-detail/a/pd-a")]);
        let visit = Visit {
            visitor: "v",
            new_visitor: false,
            telemetry_session: "session",
        };
        let html = with_manifest(
            "<html><head><title>t</title></head></html>",
            &manifest,
            &visit,
        );
        assert!(html.starts_with(r#"<html><head><script type="importmap">{"imports":{},"integrity":{"/releases/product-detail/a/pd-a.js":"sha384-a-js"}}</script><script type="application/json" id="ts-manifest">{"etag":"\""#), "{html}");
        assert!(
            html.contains(r#""manifest":{"apps":[{"app":"product-detail""#),
            "{html}"
        );
        let policy = content_security_policy(&html);
        assert_eq!(
            policy.matches("'sha256-").count(),
            2,
            "the map's own hash is allowed (and the data block's, harmlessly): {policy}"
        );
    }

    #[test]
    fn a_single_live_release_and_the_product_are_preloaded() {
        let manifest = product_manifest(&[("a", 1.0, "/r/a"), ("b", 0.0, "/r/b")]);
        let html = "<html><head></head></html>";
        let product = with_preload_hints(html, &micro_app::route("/products/tee", ""), &manifest);
        assert!(
            product.contains(r#"<link rel="modulepreload" href="/r/a.js" integrity="sha384-a-js""#),
            "{product}"
        );
        assert!(product.contains(r#"href="/r/a_bg.wasm" integrity="sha384-a-wasm""#));
        assert!(product.contains(r#"href="/v1/products/tee""#));
        assert!(
            !product.contains("/r/b"),
            "a halted release is not preloaded"
        );
        let checkout = with_preload_hints(html, &micro_app::route("/checkout", ""), &manifest);
        assert_eq!(checkout, html, "no release of checkout, nothing to preload");
    }

    #[test]
    fn inline_scripts_are_allowed_by_hash_and_external_ones_are_not_hashed() {
        let html = r#"<script type="module">import init from '/a.js';</script><script src="/b.js"></script>"#;
        let policy = content_security_policy(html);
        let expected = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest(b"import init from '/a.js';"));
        assert!(
            policy.contains(&format!(
                "script-src 'self' 'wasm-unsafe-eval' 'sha256-{expected}';"
            )),
            "{policy}"
        );
        assert_eq!(policy.matches("sha256-").count(), 1);
    }
}
