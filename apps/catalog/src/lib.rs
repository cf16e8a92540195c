//! The catalog micro app: the home page (`/`: categories and the best-rated products), category
//! pages (`/c/:category`) and search (`/search?q=`), with product cards, facet filters with
//! counts, sort and pagination. The shell mounts it with the page kind, the category and the
//! URL's query string as props and, when the shopper moves between catalog URLs (a filter, a page,
//! back and forward), hands it the new props while it stays mounted (`export_live_mount!`).
//! Its state is the URL: every change goes to the shell as a navigation request (`url.rs`), so a
//! filtered page can be shared, reloaded and walked with back/forward. Classes are `tca-…`.
//! Never embeds a router, and never talks to the API except through `api`.

mod api;
mod cache;
mod components;
mod head;
mod routes;
mod url;

use api_client::types::{CategoryList, ProductPage};
use leptos::prelude::*;

/// What the shell passes to `mount`, the edge to the renderer, and the shell to `hydrate`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CatalogProps {
    /// `home`, `category` or `search`.
    pub page: String,
    /// The category slug of a category page.
    pub category: Option<String>,
    /// The URL's query string (filters, sort, page), as the shell saw it.
    pub query: String,
    /// The categories, when the edge has them (`micro_app::edge::EdgeData::Categories`).
    pub categories: Option<CategoryList>,
    /// The products this URL shows, when the edge has them (`EdgeData::Listing`).
    pub listing: Option<ProductPage>,
    /// The edge's listing is its last good copy: the catalog is down.
    pub stale: Option<bool>,
}

json_codec::object_codec!(CatalogProps {
    page: "page",
    category: "category",
    query: "query",
    categories: "categories",
    listing: "listing",
    stale: "stale",
});

/// The app, the same in the browser and in the renderer.
fn app(props: Signal<CatalogProps>) -> impl IntoView {
    view! {
        <design_system::ThemeProvider>
            <div class="tca" data-app="catalog">
                <routes::Pages props/>
            </div>
        </design_system::ThemeProvider>
    }
}

micro_app::export_live_mount!(app);

// The components' tests mount into a real document.
#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// The server-side renderer's `main` (`src/render.rs`).
#[cfg(feature = "ssr")]
pub fn render_stdio() -> std::process::ExitCode {
    micro_app::render_stdio(
        |props: CatalogProps| app(Signal::stored(props)),
        design_system::take_rendered_styles,
    )
}

/// `trunk serve standalone.html`: the app alone in the page, props read from the URL.
#[cfg(feature = "standalone")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn standalone() {
    console_error_panic_hook::set_once();
    let location = web_sys::window().map(|window| window.location());
    let path = location
        .as_ref()
        .and_then(|location| location.pathname().ok())
        .unwrap_or_default();
    let search = location
        .and_then(|location| location.search().ok())
        .unwrap_or_default();
    let props = match micro_app::route(&path, &search) {
        micro_app::Route::App {
            app: "catalog",
            props,
        } => {
            let value = |name: &str| {
                props
                    .iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| value.clone())
            };
            CatalogProps {
                page: value("page").unwrap_or_default(),
                category: value("category"),
                query: value("query").unwrap_or_default(),
                ..CatalogProps::default()
            }
        }
        _ => CatalogProps {
            page: "home".into(),
            ..CatalogProps::default()
        },
    };
    leptos::mount::mount_to_body(move || app(Signal::stored(props)));
}
