//! A category page (`/c/:category`) or search results (`/search?q=`): heading, facets, sort,
//! the count, the product grid and the pager. While the next URL's products load, the last ones
//! stay (marked busy); no results and failures are states of their own, and a kept copy shows
//! read-only under a banner while the API is unreachable.

use api_client::types::{Category, ProductPage};
use design_system::{
    Alert, Button, ButtonVariant, EmptyState, ErrorState, IconName, Skeleton, Tone,
};
use leptos::prelude::*;

use crate::api::{Listing as Loaded, LoadError};
use crate::components::{Facets, Pager, ProductGrid, SortControl};
use crate::head;
use crate::routes::{Page, Shown, go};
use crate::url;

/// A failure as a shopper reads it.
pub fn error_text(error: &LoadError) -> String {
    match error {
        LoadError::Invalid(message) | LoadError::Unavailable(message) => message.clone(),
    }
}

/// The category a page shows, once the categories are known.
pub fn category_of(shown: &Shown) -> Option<Category> {
    let Page::Category(slug) = shown.page.get() else {
        return None;
    };
    shown
        .categories
        .get()
        .and_then(Result::ok)
        .and_then(|list| {
            list.items
                .into_iter()
                .find(|category| category.slug == slug)
        })
}

#[component]
pub fn Listing(shown: Shown) -> impl IntoView {
    head::follow(shown);
    let retry = Callback::new(move |()| shown.retry());
    view! {
        <div class="tca-listing" data-page=move || match shown.page.get() { Page::Search => "search", _ => "category" }>
            <Heading shown/>
            {move || match shown.listing.get() {
                None => view! { <Skeleton class="tca-placeholder"/> }.into_any(),
                Some((_, Ok(loaded))) => view! { <Results shown loaded retry/> }.into_any(),
                Some((_, Err(LoadError::Invalid(message)))) => view! {
                    <div class="tca-state" data-state="invalid">
                        <EmptyState title="We can't show this page" description=message icon=IconName::Search>
                            <Button on_click=Callback::new(move |_| go(&shown.page.get_untracked(), &url::cleared(&Default::default())))>
                                "Show every product"
                            </Button>
                        </EmptyState>
                    </div>
                }.into_any(),
                Some((_, Err(LoadError::Unavailable(message)))) => view! {
                    <div class="tca-state" data-state="unavailable">
                        <ErrorState title="We couldn't load these products" detail=message on_retry=retry/>
                    </div>
                }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Heading(shown: Shown) -> impl IntoView {
    let title = move || match shown.page.get() {
        Page::Search => match shown.state.with(|state| state.q.clone()) {
            Some(q) => format!("Results for “{q}”"),
            None => "Every product".into(),
        },
        _ => category_of(&shown)
            .map(|category| category.name)
            .unwrap_or_else(|| "Products".into()),
    };
    let description = move || category_of(&shown).and_then(|category| category.description);
    view! {
        <header class="tca-listing__header">
            <h1 class="tca-title">{title}</h1>
            {move || description().map(|text| view! { <p class="tca-lede">{text}</p> })}
        </header>
    }
}

#[component]
fn Results(shown: Shown, loaded: Loaded, retry: Callback<()>) -> impl IntoView {
    let Loaded { page, stale } = loaded;
    let ProductPage {
        items,
        facets,
        price_range,
        total_count,
        next_cursor,
    } = page;
    let total = total_count.unwrap_or(items.len() as i64);
    // Nothing found and nothing filtered: there is nothing to narrow or sort.
    let bare = items.is_empty() && !shown.state.with_untracked(url::is_filtered);
    let count = match total {
        1 => "1 product".to_owned(),
        total => format!("{total} products"),
    };
    view! {
        {stale.then(|| view! {
            <div class="tca-stale" data-state="stale">
                <Alert tone=Tone::Warning title="You're seeing a saved copy" banner=true>
                    "We can't reach the shop right now, so prices and stock may be out of date."
                    " "
                    <Button variant=ButtonVariant::Secondary on_click=Callback::new(move |_| retry.run(()))>
                        "Try again"
                    </Button>
                </Alert>
            </div>
        })}
        <div class="tca-listing__body" class:tca-listing__body--bare=bare>
            {(!bare).then(|| view! {
                <aside class="tca-listing__facets" aria-label="Filters">
                    <Facets shown facets prices=price_range/>
                </aside>
            })}
            <section class="tca-listing__results" aria-label="Products" aria-busy=move || shown.busy().to_string()>
                <div class="tca-toolbar">
                    <p class="tca-toolbar__count" role="status" data-count=total>{count}</p>
                    {(!bare).then(|| view! { <SortControl shown/> })}
                </div>
                {if items.is_empty() {
                    view! { <NoResults shown/> }.into_any()
                } else {
                    view! {
                        <ProductGrid items/>
                        <Pager shown has_next=next_cursor.is_some()/>
                    }.into_any()
                }}
            </section>
        </div>
    }
}

#[component]
fn NoResults(shown: Shown) -> impl IntoView {
    let state = shown.state.get_untracked();
    let filtered = url::is_filtered(&state);
    let title = match &state.q {
        Some(q) => format!("Nothing matches “{q}”"),
        None => "Nothing matches these filters".into(),
    };
    let description = if filtered {
        "Try removing a filter, or search for something else."
    } else {
        "Check the spelling, try fewer words, or browse the categories."
    };
    let clear = move |_| {
        go(
            &shown.page.get_untracked(),
            &url::cleared(&shown.state.get_untracked()),
        )
    };
    view! {
        <div class="tca-state" data-state="no-results">
            <EmptyState title description icon=IconName::Search>
                {filtered.then(|| view! { <Button on_click=Callback::new(clear)>"Clear filters"</Button> })}
                <a class="tca-link" href="/">"Browse the categories"</a>
            </EmptyState>
        </div>
    }
}
