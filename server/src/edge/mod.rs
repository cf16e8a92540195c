//! The origin as the edge: for a page request it picks the visitor's release of the route's app
//! (the shell's own sticky assignment, keyed by the first-party visitor cookie), runs that
//! release's server-side renderer sandboxed (`runtime.rs`) with the data the app declares
//! (`micro_app::edge::edge_data`, read in-process), and hands the shell page its markup, head,
//! stylesheets and hydration state (`page.rs` writes them in). Anything that goes wrong leaves
//! the slot empty, exactly today's client-rendered path, and is counted; a catalog that is down
//! renders the last product it served for that page as a saved copy.

pub mod page;
pub mod runtime;
pub mod shell_page;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use api_client::ListProductsQuery;
use api_client::types::{FileRole, Manifest, Product, ProductPage, Release, ReleaseFile};
use json_codec::Json;
use micro_app::edge::{EdgeData, RenderRequest, Rendered};

use crate::faults::RouteGroup;
use crate::state::AppState;
pub use runtime::{Limits, RenderFailure, RenderStats, Runtime};

/// The name of the first-party cookie carrying the visitor id the shell buckets with.
pub use micro_app::storage::VISITOR_COOKIE;

/// A slot the edge rendered: which release drew it, and what it drew.
#[derive(Debug, Clone)]
pub struct RenderedSlot {
    pub app: String,
    pub release_id: String,
    pub rendered: Rendered,
    /// The release's stylesheet, inlined before the markup so it paints styled.
    pub css: Option<InlineCss>,
    pub stats: RenderStats,
}

/// A release's stylesheet: where the shell would load it from, and its text.
#[derive(Debug, Clone)]
pub struct InlineCss {
    pub url: String,
    pub text: String,
}

/// How many catalog listings the edge keeps for stale-if-error: their keys come from URLs, so
/// the map is bounded (the product map is bounded by the catalog itself).
const KEPT_LISTINGS: usize = 512;

/// Renderers and the last product and listing each page was rendered with (for stale-if-error).
#[derive(Clone)]
pub struct Edge {
    runtime: Option<Runtime>,
    last_products: Arc<Mutex<HashMap<String, Product>>>,
    last_listings: Arc<Mutex<HashMap<String, ProductPage>>>,
}

impl Edge {
    /// `limits: None` switches edge rendering off (every slot renders in the browser);
    /// compiled renderers are kept in `compile_cache`.
    pub fn new(limits: Option<Limits>, compile_cache: &Path) -> anyhow::Result<Self> {
        Ok(Self {
            runtime: limits
                .map(|limits| Runtime::new(limits, Some(compile_cache)))
                .transpose()?,
            last_products: Arc::default(),
            last_listings: Arc::default(),
        })
    }

    pub fn runtime(&self) -> Option<&Runtime> {
        self.runtime.as_ref()
    }
}

/// Compiles a just-published release's renderer in the background, so its first page does not
/// wait for the compiler (about a second for a product page's renderer).
pub fn prepare(state: &AppState, release: &Release) {
    let Some(runtime) = state.edge.runtime().cloned() else {
        return;
    };
    let Some((_, file)) = release_file(state, release, FileRole::Renderer) else {
        return;
    };
    let (app, release_id) = (release.app.to_string(), release.release_id.to_string());
    tokio::task::spawn_blocking(move || {
        if let Err(failure) = runtime.prepare(&format!("{app}/{release_id}"), &file) {
            tracing::warn!(app, release_id, %failure, "renderer does not compile");
        }
    });
}

/// Renders the route's slot for `visitor`, or says why not (`None` when nothing applies: no app
/// route, no release, or a release without a renderer).
pub async fn render_slot(
    state: &AppState,
    manifest: &Manifest,
    route: &micro_app::Route,
    visitor: &str,
    origin: &str,
) -> Option<RenderedSlot> {
    let micro_app::Route::App { app, props } = route else {
        return None;
    };
    let runtime = state.edge.runtime()?.clone();
    let entry = manifest
        .apps
        .iter()
        .find(|entry| entry.app.as_str() == *app)?;
    let weights: Vec<f64> = entry
        .releases
        .iter()
        .map(|release| release.weight)
        .collect();
    let chosen = &entry.releases[micro_app::assign(&entry.seed, visitor, &weights)?];
    let release_id = chosen.release_id.to_string();
    let release = crate::domain::releases::get_release(&state.db, app, &release_id)
        .await
        .ok()?;
    let (_, file) = release_file(state, &release, FileRole::Renderer)?;
    let props = props_with_data(state, app, props).await?;
    let request = json_codec::to_string(&RenderRequest {
        origin: origin.to_owned(),
        props,
    });
    let key = format!("{app}/{release_id}");
    let outcome = tokio::task::spawn_blocking(move || runtime.render(&key, &file, &request))
        .await
        .unwrap_or_else(|error| Err(RenderFailure::Crashed(error.to_string())));
    let rendered = outcome.and_then(|(output, stats)| {
        tracing::debug!(app, release_id, ?stats, "rendered at the edge");
        json_codec::from_str::<Rendered>(&output)
            .map(|rendered| (rendered, stats))
            .map_err(|error| RenderFailure::Crashed(format!("garbage output: {}", error.message())))
    });
    match rendered {
        Ok((rendered, stats)) => Some(RenderedSlot {
            stats,
            app: (*app).to_owned(),
            css: release_css(state, &release).await,
            release_id,
            rendered,
        }),
        Err(failure) => {
            tracing::warn!(app, release_id, %failure, "edge render failed; the browser renders the slot");
            crate::domain::telemetry::count_render_failure(
                &state.writer,
                visitor,
                app,
                &release_id,
                &failure.to_string(),
                state.config.telemetry_min_visitors,
            )
            .await;
            None
        }
    }
}

/// A release's file of `role`, and where the server keeps it.
fn release_file<'a>(
    state: &AppState,
    release: &'a Release,
    role: FileRole,
) -> Option<(&'a ReleaseFile, PathBuf)> {
    let file = release.files.iter().find(|file| file.role == role)?;
    let path = crate::domain::release_files::file_path(
        &state.config.releases_dir(),
        &release.app,
        &release.release_id,
        &file.path,
    );
    Some((file, path))
}

async fn release_css(state: &AppState, release: &Release) -> Option<InlineCss> {
    let (file, path) = release_file(state, release, FileRole::Css)?;
    Some(InlineCss {
        url: file.url.clone(),
        text: tokio::fs::read_to_string(path).await.ok()?,
    })
}

/// The route's props as a JSON object, plus the data the app declares. `None` when that data does
/// not exist (an unknown product: the browser shows its own not-found page).
async fn props_with_data(
    state: &AppState,
    app: &str,
    props: &[(&'static str, String)],
) -> Option<Json> {
    let mut object = json_codec::Object(
        props
            .iter()
            .map(|(name, value)| ((*name).to_owned(), Json::String(value.clone())))
            .collect(),
    );
    let slug = object
        .get("slug")
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_owned();
    for data in micro_app::edge::edge_data(app) {
        match data {
            EdgeData::Product => {
                let (product, stale) = product_for_page(state, &slug).await?;
                object.0.push(("product".into(), to_json(&product)?));
                if stale {
                    object.0.push(("stale".into(), Json::Bool(true)));
                }
            }
            // Extras: when they fail, the page loads them itself.
            EdgeData::Reviews => {
                let reviews =
                    crate::store::catalog::list_reviews(&state.db, &slug, None, None, Some(5))
                        .await;
                if let Some(reviews) = reviews.ok().and_then(|page| to_json(&page)) {
                    object.0.push(("reviews".into(), reviews));
                }
            }
            EdgeData::Categories => {
                let categories = crate::store::catalog::list_categories(&state.db).await;
                if let Some(categories) = categories.ok().and_then(|list| to_json(&list)) {
                    object.0.push(("categories".into(), categories));
                }
            }
            // Without its products a catalog page is not worth drawing: the browser renders it
            // and says what is wrong (a drawn page would wait for the shopper to hydrate).
            EdgeData::Listing => {
                let (listing, stale) = listing_for_page(state, &object).await?;
                object.0.push(("listing".into(), to_json(&listing)?));
                if stale {
                    object.0.push(("stale".into(), Json::Bool(true)));
                }
            }
            EdgeData::Related => {
                let related =
                    crate::domain::listing::list_related(&state.db, &state.listing, &slug, Some(4))
                        .await;
                if let Some(related) = related.ok().and_then(|items| to_json(&items)) {
                    object.0.push(("related".into(), related));
                }
            }
        }
    }
    Some(Json::Object(object))
}

/// The product from the catalog, or while the catalog fails, the last one this page was rendered
/// with (stale-if-error), marked stale so the page says so and pauses buying.
async fn product_for_page(state: &AppState, slug: &str) -> Option<(Product, bool)> {
    let fresh = match crate::faults::check(state, RouteGroup::Catalog).await {
        Ok(()) => crate::store::catalog::get_product(&state.db, slug).await,
        Err(fault) => Err(fault),
    };
    let mut last = state.edge.last_products.lock().ok()?;
    match fresh {
        Ok(product) => {
            last.insert(slug.to_owned(), product.clone());
            Some((product, false))
        }
        Err(error) if error.status.is_server_error() => {
            last.get(slug).cloned().map(|product| (product, true))
        }
        Err(_) => None,
    }
}

/// The products a catalog page's `category` and `query` props select, or while the catalog
/// fails, the last listing served for them (marked stale). `None` when the query does not parse
/// or nothing is kept: the page is then rendered by the browser, which asks the API and says
/// what is wrong.
async fn listing_for_page(
    state: &AppState,
    props: &json_codec::Object,
) -> Option<(ProductPage, bool)> {
    let prop = |name: &str| props.get(name).and_then(Json::as_str).unwrap_or_default();
    let query = ListProductsQuery {
        category: Some(prop("category").to_owned()).filter(|slug| !slug.is_empty()),
        ..serde_html_form::from_str(prop("query")).ok()?
    };
    // The bounds the contract gate would check on the API (the edge reads in-process).
    let within_bounds = query.limit.is_none_or(|limit| (1..=100).contains(&limit))
        && query.page.is_none_or(|page| (1..=10_000).contains(&page))
        && query.q.as_ref().is_none_or(|q| q.chars().count() <= 200);
    if !within_bounds {
        return None;
    }
    let key = format!("{}?{}", prop("category"), prop("query"));
    let fresh = match crate::faults::check(state, RouteGroup::Catalog).await {
        Ok(()) => crate::domain::listing::list_products(&state.db, &state.listing, &query).await,
        Err(fault) => Err(fault),
    };
    let mut last = state.edge.last_listings.lock().ok()?;
    match fresh {
        Ok(listing) => {
            if last.len() >= KEPT_LISTINGS && !last.contains_key(&key) {
                last.clear();
            }
            last.insert(key, listing.clone());
            Some((listing, false))
        }
        Err(error) if error.status.is_server_error() => {
            last.get(&key).cloned().map(|listing| (listing, true))
        }
        Err(_) => None,
    }
}

fn to_json<T: json_codec::ToJson>(value: &T) -> Option<Json> {
    json_codec::from_str(&json_codec::to_string(value)).ok()
}
