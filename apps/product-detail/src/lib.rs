//! The product detail micro app: mounted by the shell at `/products/:slug` with the slug (and an
//! optional `variant`) as props. It owns its slot and nothing else: the URL belongs to the shell
//! (it asks for `?variant=` changes through a navigation event), the head changes it makes are
//! undone on unmount, and every class is `tpd-…`.
//! Never embeds a router, and never talks to the API except through `api`.

mod api;
mod cache;
mod cart;
mod components;
mod head;
mod routes;
mod selection;

use api_client::types::{Product, ProductSummary, ReviewPage};

/// What the shell passes to `mount`, the edge to the renderer, and the shell to `hydrate`.
#[derive(Clone, Debug, Default)]
pub struct ProductProps {
    pub slug: String,
    /// The `?variant=` of the URL, when there is one.
    pub variant: Option<String>,
    /// The product, when the edge has it (`micro_app::edge::EdgeData::Product`).
    pub product: Option<Product>,
    /// The edge's product is its last good copy: the catalog is down.
    pub stale: Option<bool>,
    /// The first page of reviews and the related products, when the edge has them.
    pub reviews: Option<ReviewPage>,
    pub related: Option<Vec<ProductSummary>>,
}

json_codec::object_codec!(ProductProps {
    slug: "slug",
    variant: "variant",
    product: "product",
    stale: "stale",
    reviews: "reviews",
    related: "related",
});

/// The app, the same in the browser and in the renderer.
fn app(props: ProductProps) -> impl leptos::IntoView {
    leptos::view! { <routes::ProductPage
        slug=props.slug
        variant=props.variant
        product=props.product
        stale=props.stale.unwrap_or(false)
        reviews=props.reviews
        related=props.related
    /> }
}

micro_app::export_mount!(app);

/// The server-side renderer's `main` (`src/render.rs`).
#[cfg(feature = "ssr")]
pub fn render_stdio() -> std::process::ExitCode {
    micro_app::render_stdio(app, design_system::take_rendered_styles)
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
    let slug = path
        .strip_prefix("/products/")
        .unwrap_or("merino-crew-sweater")
        .trim_end_matches('/')
        .to_owned();
    let variant = search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("variant="))
        .map(str::to_owned);
    leptos::mount::mount_to_body(move || {
        leptos::view! { <routes::ProductPage slug variant product=None stale=false reviews=None related=None/> }
    });
}
