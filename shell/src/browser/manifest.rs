//! The release manifest: inlined in the page by the server (no round trip before choosing),
//! revalidated with its ETag once its TTL has passed, and kept in `localStorage` as the last good
//! copy, which a start without a manifest (the API down) falls back to.

use js_sys::JSON;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::dom::{self, get, number, text};

const LAST_GOOD: &str = "tessera:shell:manifest";

#[derive(Clone)]
pub struct ManifestCopy {
    pub etag: String,
    pub manifest: JsValue,
    /// `performance.now()` when the server last confirmed this copy.
    pub checked_at: f64,
}

impl ManifestCopy {
    fn is_fresh(&self) -> bool {
        let ttl_millis = number(&self.manifest, "ttlSeconds").unwrap_or(30.0) * 1000.0;
        dom::now() - self.checked_at < ttl_millis
    }
}

fn from_envelope(envelope: &JsValue, checked_at: f64) -> Option<ManifestCopy> {
    let manifest = get(envelope, "manifest");
    manifest.is_object().then(|| ManifestCopy {
        etag: text(envelope, "etag").unwrap_or_default(),
        manifest,
        checked_at,
    })
}

fn keep(copy: &ManifestCopy) {
    let envelope: JsValue = js_sys::Object::new().into();
    dom::set(&envelope, "etag", copy.etag.as_str());
    dom::set(&envelope, "manifest", copy.manifest.clone());
    if let (Some(storage), Ok(json)) = (dom::storage(), JSON::stringify(&envelope)) {
        let _ = storage.set_item(LAST_GOOD, &String::from(json));
    }
}

/// The copy the page came with, else the last good one (which is then revalidated first).
pub fn initial() -> Option<ManifestCopy> {
    let inline = dom::document()
        .get_element_by_id("ts-manifest")
        .and_then(|element| element.text_content())
        .and_then(|json| JSON::parse(&json).ok())
        .and_then(|envelope| from_envelope(&envelope, dom::now()));
    if let Some(copy) = inline {
        keep(&copy);
        return Some(copy);
    }
    let stored = dom::storage()?.get_item(LAST_GOOD).ok()??;
    // Stale on purpose (checked at -∞): used now, revalidated before the next choice.
    from_envelope(&JSON::parse(&stored).ok()?, f64::NEG_INFINITY)
}

/// `current` while it is within its TTL; otherwise what the server says now (a 304 confirms
/// it), and the current copy again when the server cannot be reached.
pub async fn revalidated(current: Option<ManifestCopy>) -> Option<ManifestCopy> {
    if current.as_ref().is_some_and(ManifestCopy::is_fresh) {
        return current;
    }
    match fetch(current.as_ref()).await {
        Ok(Some(fresh)) => {
            keep(&fresh);
            Some(fresh)
        }
        Ok(None) => current.map(|copy| ManifestCopy {
            checked_at: dom::now(),
            ..copy
        }),
        Err(_) => current,
    }
}

/// `Ok(None)` for 304 Not Modified.
async fn fetch(current: Option<&ManifestCopy>) -> Result<Option<ManifestCopy>, JsValue> {
    let init = web_sys::RequestInit::new();
    // Our own revalidation: the HTTP cache must not answer for the server.
    init.set_cache(web_sys::RequestCache::NoStore);
    let headers = web_sys::Headers::new()?;
    if let Some(copy) = current.filter(|copy| !copy.etag.is_empty()) {
        headers.set("If-None-Match", &copy.etag)?;
    }
    init.set_headers(&headers);
    let response: web_sys::Response =
        JsFuture::from(dom::window().fetch_with_str_and_init("/v1/manifest", &init))
            .await?
            .dyn_into()?;
    match response.status() {
        304 => Ok(None),
        200 => {
            let manifest = JsFuture::from(response.json()?).await?;
            let etag = response.headers().get("ETag")?.unwrap_or_default();
            Ok(Some(ManifestCopy {
                etag,
                manifest,
                checked_at: dom::now(),
            }))
        }
        _ => Err(JsValue::from_str("manifest: unexpected status")),
    }
}

pub struct FileRef {
    pub url: String,
    pub integrity: String,
}

impl FileRef {
    fn read(files: &JsValue, role: &str) -> Option<FileRef> {
        let file = get(files, role);
        Some(FileRef {
            url: text(&file, "url")?,
            integrity: text(&file, "integrity")?,
        })
    }
}

/// The release a visitor gets for an app, with the files to load.
pub struct Choice {
    pub release_id: String,
    pub js: FileRef,
    pub wasm: FileRef,
    pub css: Option<FileRef>,
}

/// Sticky assignment: GrowthBook's version-2 hash of the app's seed and the visitor id over the
/// releases' cumulative weights (the kit's `assign`), so analysis can reproduce it.
pub fn choose(manifest: &JsValue, app: &str, visitor: &str) -> Option<Choice> {
    let apps: js_sys::Array = get(manifest, "apps").dyn_into().ok()?;
    let entry = apps
        .iter()
        .find(|entry| text(entry, "app").as_deref() == Some(app))?;
    let releases: js_sys::Array = get(&entry, "releases").dyn_into().ok()?;
    let weights: Vec<f64> = releases
        .iter()
        .map(|release| number(&release, "weight").unwrap_or(0.0))
        .collect();
    let seed = text(&entry, "seed").unwrap_or_else(|| app.to_owned());
    let index = micro_app::assign(&seed, visitor, &weights)?;
    let release = releases.get(u32::try_from(index).ok()?);
    let files = get(&release, "files");
    Some(Choice {
        release_id: text(&release, "releaseId")?,
        js: FileRef::read(&files, "js")?,
        wasm: FileRef::read(&files, "wasm")?,
        css: FileRef::read(&files, "css"),
    })
}
