//! `/`: the shop's front door: the categories (each with how many products it has) and the
//! best-rated products, with the search box above them.

use api_client::types::{Category, ProductSummary};
use design_system::{ErrorState, Skeleton};
use leptos::prelude::*;

use crate::api::Listing;
use crate::components::ProductGrid;
use crate::head;
use crate::routes::Shown;

#[component]
pub fn Home(shown: Shown) -> impl IntoView {
    let retry = Callback::new(move |()| {
        shown.categories.refetch();
        shown.retry();
    });
    head::follow(shown);
    view! {
        <div class="tca-home" data-page="home">
            <header class="tca-home__header">
                <h1 class="tca-title">"Natural fibres, trail gear and things for the home"</h1>
                <p class="tca-lede">"Made to last, sourced with care, sent within a day."</p>
            </header>
            <section class="tca-section" aria-labelledby="tca-categories-title">
                <h2 id="tca-categories-title" class="tca-section__title">"Shop by category"</h2>
                {move || match shown.categories.get() {
                    None => view! { <Skeleton class="tca-placeholder"/> }.into_any(),
                    Some(Ok(list)) => view! { <Categories items=top_level(list.items)/> }.into_any(),
                    Some(Err(message)) => view! {
                        <ErrorState title="We couldn't load the categories" detail=message on_retry=retry/>
                    }.into_any(),
                }}
            </section>
            <section class="tca-section" aria-labelledby="tca-featured-title">
                <h2 id="tca-featured-title" class="tca-section__title">"Best rated"</h2>
                {move || match shown.listing.get().map(|(_, answer)| answer) {
                    None => view! { <Skeleton class="tca-placeholder"/> }.into_any(),
                    Some(Ok(Listing { page, .. })) => view! { <Featured items=page.items/> }.into_any(),
                    Some(Err(error)) => view! {
                        <ErrorState title="We couldn't load our products" detail=super::listing::error_text(&error) on_retry=retry/>
                    }.into_any(),
                }}
                <p><a class="tca-link" href="/search">"See every product"</a></p>
            </section>
        </div>
    }
}

fn top_level(items: Vec<Category>) -> Vec<Category> {
    items
        .into_iter()
        .filter(|category| category.parent_slug.is_none())
        .collect()
}

#[component]
fn Categories(items: Vec<Category>) -> impl IntoView {
    view! {
        <ul class="tca-categories">
            {items.into_iter().map(|category| view! {
                <li class="tca-categories__item">
                    <a class="tca-categories__link" href=format!("/c/{}", category.slug) data-category=category.slug.clone()>
                        <span class="tca-categories__name">{category.name}</span>
                        <span class="tca-categories__count">{format!("{} products", category.product_count)}</span>
                    </a>
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
fn Featured(items: Vec<ProductSummary>) -> impl IntoView {
    view! { <ProductGrid items label="Best rated products"/> }
}
