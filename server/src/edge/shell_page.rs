//! The shell page as the origin sends it and `export` writes it: the release manifest and an
//! import map pinning every release module's integrity (one entry per release origin), the
//! shell's stylesheet inline, preload hints, and the strict Content-Security-Policy that allows
//! exactly the page's inline scripts and the release origins.

use std::path::Path;

use api_client::types::Manifest;
use base64::Engine;
use sha2::{Digest, Sha256};

/// allowed, no plugins, no framing. Inline styles are allowed because components set style
/// attributes (sizes, aspect ratios) and inject their own stylesheets at run time. The release
/// origins (the manifest's `origins`) may serve scripts, styles and the wasm the shell fetches.
pub fn content_security_policy(html: &str, origins: &[String]) -> String {
    let hashes: String = inline_scripts(html)
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    let origins: String = origins.iter().map(|origin| format!(" {origin}")).collect();
    format!(
        "default-src 'self'; script-src 'self'{origins} 'wasm-unsafe-eval'{hashes}; \
         style-src 'self'{origins} 'unsafe-inline'; img-src 'self' data:; connect-src 'self'{origins}; font-src 'self'; \
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

/// The headers every shell page goes out with: its policy, no sniffing, a strict referrer, and no
/// shared caching (a page served per request carries its own telemetry session).
pub fn page_headers(html: &str, origins: &[String]) -> [(&'static str, String); 4] {
    [
        (
            "content-security-policy",
            content_security_policy(html, origins),
        ),
        ("x-content-type-options", "nosniff".into()),
        ("referrer-policy", "strict-origin-when-cross-origin".into()),
        ("cache-control", "private, no-cache".into()),
    ]
}

/// The shell's stylesheet in the page itself: a render-blocking request less before first paint
/// (1.5 KB of CSS; the policy allows inline styles).
pub fn with_shell_css_inline(html: &str, apps_dir: Option<&Path>) -> String {
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
    let css = apps_dir
        .filter(|_| crate::domain::release_files::is_safe_name(name))
        .and_then(|apps| std::fs::read_to_string(apps.join("shell").join(name)).ok());
    match css {
        Some(css) => format!(
            "{}<style>{}</style>{}",
            &html[..start],
            super::page::css_in_style(&css),
            &html[end..]
        ),
        None => html.to_owned(),
    }
}

/// Who the page is for: the shell buckets with the same visitor id the edge rendered for. A page
/// written once for everyone (an export) has neither visitor nor telemetry session.
pub struct Visit<'a> {
    pub visitor: Option<&'a str>,
    /// The server just made the id up: a shell that already has one of its own keeps it.
    pub new_visitor: bool,
    pub telemetry_session: Option<&'a str>,
}

/// Where the shell loads a release file from: each manifest origin in order, or the page's own.
pub fn file_urls<'a>(manifest: &'a Manifest, url: &'a str) -> impl Iterator<Item = String> + 'a {
    let own = manifest.origins.is_empty().then(|| url.to_owned());
    manifest
        .origins
        .iter()
        .map(move |origin| format!("{origin}{url}"))
        .chain(own)
}

/// Puts first in the page's head an import map with the `integrity` of every micro-app module in
/// the manifest, and the manifest itself with its ETag. Chromium enforces import-map integrity for
/// dynamic `import()`, which is how the shell loads a release's glue; the map is inline, so `page`
/// adds its hash to the CSP. The inline manifest saves the shell a round trip before it can choose
/// releases (it revalidates with the ETag later); as a JSON data block it is never executed.
/// With several release origins, the module is pinned at each of them.
pub fn with_manifest(html: &str, manifest: &Manifest, visit: &Visit<'_>) -> String {
    let integrity: serde_json::Map<String, serde_json::Value> = manifest
        .apps
        .iter()
        .flat_map(|app| &app.releases)
        .flat_map(|release| {
            let js = &release.files.js;
            file_urls(manifest, &js.url)
                .map(|url| (url, serde_json::Value::String(js.integrity.to_string())))
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
pub fn with_preload_hints(html: &str, route: &micro_app::Route, manifest: &Manifest) -> String {
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
        // From the first origin, where the shell looks first.
        let first = |url: &str| file_urls(manifest, url).next().unwrap_or_default();
        hints.push_str(&format!(
            "<link rel=\"modulepreload\" href=\"{}\" integrity=\"{}\" crossorigin=\"anonymous\">\
             <link rel=\"preload\" as=\"fetch\" type=\"application/wasm\" href=\"{}\" integrity=\"{}\" crossorigin=\"anonymous\">",
            first(&js.url), *js.integrity, first(&wasm.url), *wasm.integrity
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A manifest with product-detail releases `(id, weight, file stem)`; integrities are
    /// `sha384-<id>-js` and `sha384-<id>-wasm`.
    fn product_manifest(releases: &[(&str, f64, &str)]) -> Manifest {
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
            visitor: Some("v"),
            new_visitor: false,
            telemetry_session: Some("session"),
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
        let policy = content_security_policy(&html, &[]);
        assert_eq!(
            policy.matches("'sha256-").count(),
            2,
            "the map's own hash is allowed (and the data block's, harmlessly): {policy}"
        );
    }

    #[test]
    fn every_release_origin_is_pinned_allowed_and_the_first_preloaded() {
        let mut manifest = product_manifest(&[("a", 1.0, "/releases/product-detail/a/pd-a")]);
        manifest.origins = vec![
            "https://cdn-a.example".into(),
            "https://cdn-b.example".into(),
        ];
        let visit = Visit {
            visitor: None,
            new_visitor: false,
            telemetry_session: None,
        };
        let html = with_manifest("<html><head></head></html>", &manifest, &visit);
        for origin in &manifest.origins {
            assert!(
                html.contains(&format!(
                    r#""{origin}/releases/product-detail/a/pd-a.js":"sha384-a-js""#
                )),
                "{html}"
            );
        }
        assert!(
            !html.contains(r#"{"/releases/"#),
            "the page's own origin is not used when origins are listed: {html}"
        );
        assert!(html.contains(r#""visitor":null"#), "{html}");
        let policy = content_security_policy(&html, &manifest.origins);
        assert!(
            policy.contains(
                "script-src 'self' https://cdn-a.example https://cdn-b.example 'wasm-unsafe-eval'"
            ),
            "{policy}"
        );
        assert!(
            policy.contains("connect-src 'self' https://cdn-a.example https://cdn-b.example;"),
            "{policy}"
        );
        let hints = with_preload_hints(
            "<head></head>",
            &micro_app::route("/products/tee", ""),
            &manifest,
        );
        assert!(
            hints.contains(r#"href="https://cdn-a.example/releases/product-detail/a/pd-a.js""#),
            "{hints}"
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
        let policy = content_security_policy(html, &[]);
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
