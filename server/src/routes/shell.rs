//! Pages: the shell's index.html for every app route, with a strict Content-Security-Policy, the
//! gallery app for designers, and development bundles from trunk's dist folders.

use std::path::PathBuf;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::edge::shell_page::{self, Visit};
use crate::edge::{self, VISITOR_COOKIE};
use crate::error::{AppError, AppResult};
use crate::extract::AppPath;
use crate::state::AppState;

/// The shell page compiled in, used until a built shell exists in the apps folder.
pub const BUILTIN_SHELL: &str = include_str!("../../../index.html");

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
        let policy = HeaderValue::from_str(&shell_page::content_security_policy(
            "",
            &state.config.release_origins,
        ))
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

fn page(html: String, origins: &[String]) -> Response {
    let headers = shell_page::page_headers(&html, origins);
    let mut response = Html(html).into_response();
    for (name, value) in headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().insert(name, value);
        }
    }
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
    let kiosk = super::kiosk::is_kiosk(&headers);
    render(&state, &headers, &uri, kiosk).await
}

/// The shell page for `uri`; a kiosk's also loads the kiosk module.
pub async fn render(
    state: &AppState,
    headers: &HeaderMap,
    uri: &axum::http::Uri,
    kiosk: bool,
) -> Response {
    let mut html = match built_page(state, "shell") {
        Some(html) => shell_page::with_shell_css_inline(&html, state.config.apps_dir.as_deref()),
        None => BUILTIN_SHELL.to_owned(),
    };
    if kiosk {
        html = super::kiosk::with_kiosk_module(&html);
    }
    let (visitor, new_visitor) = match visitor_of(headers) {
        Some(visitor) => (visitor, false),
        None => (uuid::Uuid::new_v4().to_string(), true),
    };
    let mut timing = None;
    let mut response = match crate::domain::releases::manifest(&state.db, &state.config).await {
        Ok(manifest) => {
            let route = micro_app::route(uri.path(), uri.query().unwrap_or_default());
            let visit = Visit {
                visitor: Some(&visitor),
                new_visitor,
                telemetry_session: Some(&state.telemetry.issue()),
            };
            let mut html = shell_page::with_manifest(&html, &manifest, &visit);
            let origin = origin_of(headers);
            match edge::render_slot(state, &manifest, &route, &visitor, &origin).await {
                // The content is in the page: the bundle that hydrates it is fetched after
                // the first paint instead of competing with it (preloaded, its 200 KB of wasm
                // pushed the mobile LCP from 1.2 s to 2.4 s in one Lighthouse round of three).
                Some(slot) => {
                    html = edge::page::with_rendered_slot(&html, &slot, &origin);
                    timing = Some(slot.stats);
                }
                None => html = shell_page::with_preload_hints(&html, &route, &manifest),
            }
            page(html, &manifest.origins)
        }
        Err(error) => {
            // The shell still starts (from its last good manifest copy); loads stay checked by
            // fetch integrity for wasm.
            tracing::warn!(?error, "shell rendered without an import map");
            page(html, &state.config.release_origins)
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

/// The visitor id of the first-party cookie, when it is one the shell could have made (a UUID).
fn visitor_of(headers: &HeaderMap) -> Option<String> {
    cookie(headers, VISITOR_COOKIE)
        .and_then(|value| uuid::Uuid::parse_str(value).ok())
        .map(|visitor| visitor.to_string())
}

/// The value of the request's cookie `name`, if it sent one.
pub(super) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|cookie| cookie.trim().split_once('='))
        .find(|(cookie, _)| *cookie == name)
        .map(|(_, value)| value)
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

async fn gallery_page(State(state): State<AppState>) -> Response {
    match built_page(&state, "gallery") {
        Some(html) => page(html, &[]),
        None => page(
            "<!doctype html><html lang=\"en\"><title>Gallery not built</title><main><h1>The gallery is not built</h1>\
             <p>Run <code>cargo xtask serve</code>, which builds it.</p></main></html>"
                .to_owned(),
            &[],
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
