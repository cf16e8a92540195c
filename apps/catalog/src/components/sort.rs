//! The sort order, a native select whose choice becomes the URL's `sort` (page 1 again).

use api_client::ListProductsQuery;
use api_client::types::ProductSort;
use design_system::{Select, SelectOption};
use leptos::prelude::*;

use crate::routes::{Page, Shown, go};

#[component]
pub fn SortControl(shown: Shown) -> impl IntoView {
    let current = move || {
        shown
            .state
            .with(|state| state.sort.unwrap_or(ProductSort::Relevance).to_string())
    };
    let value = RwSignal::new(current());
    // Back and forward change the URL's sort: the select follows it...
    Effect::new(move |_| value.set(current()));
    // ...and a choice in the select changes the URL.
    Effect::new(move |_| {
        let chosen = value.get();
        if chosen == current() {
            return;
        }
        let state = shown.state.get_untracked();
        go(
            &shown.page.get_untracked(),
            &ListProductsQuery {
                sort: chosen
                    .parse()
                    .ok()
                    .filter(|sort| *sort != ProductSort::Relevance),
                page: None,
                ..state
            },
        );
    });
    let options = Signal::derive(move || {
        let searching = shown.page.get() == Page::Search;
        vec![
            SelectOption::new("relevance", if searching { "Best match" } else { "Newest" }),
            SelectOption::new("price_asc", "Price: low to high"),
            SelectOption::new("price_desc", "Price: high to low"),
            SelectOption::new("rating", "Best rated"),
        ]
    });
    view! { <Select class="tca-sort" label="Sort by" name="sort" options value/> }
}
