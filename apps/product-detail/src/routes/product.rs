//! `/products/:slug`: loads the product (or its kept copy while the API is unreachable) and lays
//! out media, buy box, description, reviews and related products. Variant B (cargo feature
//! `variant-b`) puts the buy box first in a single column with a larger price.

use design_system::{
    Alert, Button, ButtonVariant, EmptyState, ErrorState, IconName, MediaGallery, MediaItem,
    ThemeProvider, Tone,
};
use leptos::prelude::*;

use api_client::types::{Product, ProductSummary, ReviewPage, Variant};
use micro_app::AppEvent;

use crate::api::{self, LoadError, LoadedProduct};
use crate::components::{BuyBox, ProductSkeleton, RelatedProducts, Reviews};
use crate::{head, selection};

/// While showing a kept copy, how often to try the API again.
const RECONNECT_EVERY_MS: u64 = 5_000;

const LAYOUT: &str = if cfg!(feature = "variant-b") {
    "b"
} else {
    "a"
};

/// `product` is given when the edge rendered the page (the renderer's props, then the state the
/// bundle hydrates with): it is shown at once, with no second fetch; `stale` when it is the
/// edge's saved copy; `reviews` and `related` likewise spare the page their first requests.
#[component]
pub fn ProductPage(
    slug: String,
    variant: Option<String>,
    product: Option<Product>,
    stale: bool,
    reviews: Option<ReviewPage>,
    related: Option<Vec<ProductSummary>>,
) -> impl IntoView {
    let first = StoredValue::new(Some((reviews, related)));
    let known = product.map(|product| Ok(LoadedProduct { product, stale }));
    let product = micro_app::load_from(known, move || {
        let slug = slug.clone();
        async move { api::load_product(&slug).await }
    });
    let retry = Callback::new(move |()| product.refetch());
    view! {
        <ThemeProvider>
        <div class="tpd" class:tpd--b=cfg!(feature = "variant-b") data-app="product-detail" data-layout=LAYOUT>
            // The skeleton until the first answer; later answers (a retry, the reconnect loop)
            // replace the page when they arrive.
            {move || match product.get() {
                None => view! { <ProductSkeleton/> }.into_any(),
                Some(Ok(loaded)) => {
                    // What the edge gave goes to the first rendering only; later ones load.
                    let (reviews, related) = first.try_update_value(Option::take).flatten().unwrap_or_default();
                    view! { <Loaded loaded variant=variant.clone() retry reviews related/> }.into_any()
                }
                Some(Err(LoadError::NotFound)) => view! { <NotFound/> }.into_any(),
                Some(Err(LoadError::Unavailable(message))) => view! { <Unavailable message retry/> }.into_any(),
            }}
        </div>
        </ThemeProvider>
    }
}

#[component]
fn Unavailable(message: String, retry: Callback<()>) -> impl IntoView {
    micro_app::page_title("Product unavailable");
    view! {
        <div class="tpd-state" data-state="unavailable">
            <ErrorState page=true title="We couldn't load this product" detail=message on_retry=retry/>
        </div>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    micro_app::page_title("Product not found");
    view! {
        <div class="tpd-state" data-state="not-found">
            <EmptyState
                page=true
                title="We couldn't find that product"
                description="It may have been renamed or is no longer sold. Our other products are a click away."
                icon=IconName::Search
            >
                <a class="tpd-state__link" href="/">"Browse the shop"</a>
            </EmptyState>
        </div>
    }
}

#[component]
fn Loaded(
    loaded: LoadedProduct,
    variant: Option<String>,
    retry: Callback<()>,
    reviews: Option<ReviewPage>,
    related: Option<Vec<ProductSummary>>,
) -> impl IntoView {
    let LoadedProduct { product, stale } = loaded;
    if stale && !cfg!(feature = "ssr") {
        // Keep trying until the API answers; the interval goes when this view does.
        if let Ok(handle) = set_interval_with_handle(
            move || retry.run(()),
            std::time::Duration::from_millis(RECONNECT_EVERY_MS),
        ) {
            on_cleanup(move || handle.clear());
        }
    }
    let media: Vec<MediaItem> = product
        .media
        .iter()
        .map(|media| MediaItem {
            src: media.url.clone(),
            thumbnail_src: None,
            alt: media.alt.clone(),
            width: u32::try_from(media.width).unwrap_or(0),
            height: u32::try_from(media.height).unwrap_or(0),
        })
        .collect();
    let slug = product.slug.clone();
    // The buy box points the gallery at the chosen variant's picture.
    let shown_media = RwSignal::new(0_usize);
    let description: Vec<String> = product
        .description
        .split("\n\n")
        .map(|paragraph| paragraph.trim().to_owned())
        .filter(|paragraph| !paragraph.is_empty())
        .collect();
    let title = product.title.clone();
    let brand = product.brand.clone();
    let rating = product.rating.clone();
    let chosen = RwSignal::new(
        selection::chosen_variant(
            &product,
            &selection::initial_choices(&product, variant.as_deref()),
        )
        .cloned(),
    );
    follow_the_choice(product.clone(), chosen);
    view! {
        {stale.then(|| view! {
            <div class="tpd-stale" data-state="stale">
                <Alert tone=Tone::Warning title="You're seeing a saved copy" banner=true>
                    "We can't reach the shop right now, so prices and stock may be out of date. \
                     Adding to cart is paused until we're back online."
                    " "
                    <Button variant=ButtonVariant::Secondary on_click=Callback::new(move |_| retry.run(()))>
                        "Try again"
                    </Button>
                </Alert>
            </div>
        })}
        <article class="tpd-product" data-product=product.slug.clone()>
            <header class="tpd-product__header">
                <p class="tpd-product__brand">{brand}</p>
                <h1 class="tpd-product__title">{title}</h1>
            </header>
            <div class="tpd-product__media">
                <MediaGallery items=media label=format!("Pictures of {}", product.title) selected=shown_media/>
            </div>
            <div class="tpd-product__buy">
                <BuyBox product=product.clone() requested_variant=variant paused=stale shown_media chosen/>
            </div>
            <section class="tpd-product__description" aria-label="Description">
                {description.into_iter().map(|paragraph| view! { <p>{paragraph}</p> }).collect_view()}
            </section>
        </article>
        {(!stale).then(|| view! {
            <Reviews slug=slug.clone() summary=rating first_page=reviews/>
            <RelatedProducts slug items=related/>
        })}
    }
}

/// Keeps the page in step with the chosen variant: the head (title, description, canonical,
/// JSON-LD) always, and the URL (through the shell, replacing the entry) whenever the choice
/// moves to another variant, so the page can be shared as it is.
fn follow_the_choice(product: Product, chosen: RwSignal<Option<Variant>>) {
    if cfg!(feature = "ssr") {
        // No effects on the server: the head of the first render goes to the edge now.
        chosen.with_untracked(|variant| {
            micro_app::page_head(head::page_head(&product, variant.as_ref()))
        });
        return;
    }
    Effect::new(move |previous: Option<Option<String>>| {
        let id = chosen.with(|variant| variant.as_ref().map(|variant| variant.id.clone()));
        chosen.with(|variant| micro_app::page_head(head::page_head(&product, variant.as_ref())));
        if let (Some(previous), Some(id)) = (previous, &id)
            && previous.as_ref() != Some(id)
        {
            micro_app::emit(&AppEvent::NavigationRequested {
                path: format!("/products/{}?variant={id}", product.slug),
                replace: true,
            });
        }
        id
    });
}
