//! Previous and next pages of a listing, as URL changes (`?page=`), so a page can be shared and
//! back returns to the one before.

use api_client::ListProductsQuery;
use design_system::Pagination;
use leptos::prelude::*;

use crate::routes::{Shown, go};
use crate::url;

#[component]
pub fn Pager(shown: Shown, has_next: bool) -> impl IntoView {
    let page = Signal::derive(move || shown.state.with(url::page_of) as usize);
    let to = move |delta: i32| {
        let state = shown.state.get_untracked();
        let next = url::page_of(&state) + delta;
        go(
            &shown.page.get_untracked(),
            &ListProductsQuery {
                page: (next > 1).then_some(next),
                ..state
            },
        );
    };
    view! {
        <Pagination
            class="tca-pager"
            label="Result pages"
            page
            has_next
            busy=Signal::derive(move || shown.busy())
            on_previous=Callback::new(move |()| to(-1))
            on_next=Callback::new(move |()| to(1))
        />
    }
}
