//! The catalog's pages, chosen by the `page` prop: `home.rs` (`/`) and `listing.rs` (a category
//! page or search results). The search box stays mounted across them, so typing never loses
//! focus while the URL follows. What a URL shows is loaded here, once per URL: the edge's
//! listing for the first URL, the API (through `api`) for every later one.

mod home;
pub mod listing;

use api_client::ListProductsQuery;
use api_client::types::CategoryList;
use leptos::prelude::*;
use micro_app::{AppEvent, Loader};

use crate::api::{self, Listing, LoadError};
use crate::components::SearchBox;
use crate::{CatalogProps, url};

/// While showing a kept copy, how often to try the API again.
const RECONNECT_EVERY_MS: u64 = 5_000;

/// Which page a URL is.
#[derive(Clone, Debug, PartialEq)]
pub enum Page {
    Home,
    Category(String),
    Search,
}

impl Page {
    fn of(props: &CatalogProps) -> Page {
        match (props.page.as_str(), &props.category) {
            ("category", Some(slug)) => Page::Category(slug.clone()),
            ("search", _) => Page::Search,
            _ => Page::Home,
        }
    }

    /// The page's path, without its query.
    pub fn path(&self) -> String {
        match self {
            Page::Home => "/".into(),
            Page::Category(slug) => format!("/c/{slug}"),
            Page::Search => "/search".into(),
        }
    }
}

/// Everything a page needs: where it is, its state, and what was loaded for it.
#[derive(Clone, Copy)]
pub struct Shown {
    pub page: Memo<Page>,
    /// The URL's state, with the category of a category page.
    pub state: Memo<ListProductsQuery>,
    /// The latest answer and the state it answers, kept while the next one loads.
    pub listing: Loader<(ListProductsQuery, Result<Listing, LoadError>)>,
    pub categories: Loader<Result<CategoryList, String>>,
    /// Whether the filters are unfolded on a narrow screen (kept across URLs, so ticking a
    /// filter does not fold them away).
    pub filters_open: RwSignal<bool>,
}

impl Shown {
    /// Whether the products on screen are for an older URL than the one shown.
    pub fn busy(&self) -> bool {
        let state = self.state.get();
        self.listing
            .get()
            .is_none_or(|(answered, _)| answered != state)
    }

    pub fn retry(&self) {
        self.listing.refetch();
    }
}

/// Asks the shell to show another catalog URL: a new history entry, so back returns here.
pub fn go(page: &Page, state: &ListProductsQuery) {
    let state = ListProductsQuery {
        category: None,
        ..state.clone()
    };
    micro_app::emit(&AppEvent::NavigationRequested {
        path: url::href(&page.path(), &state),
        replace: false,
    });
}

#[component]
pub fn Pages(props: Signal<CatalogProps>) -> impl IntoView {
    let page = Memo::new(move |_| props.with(Page::of));
    let state = Memo::new(move |_| {
        props.with(|props| ListProductsQuery {
            category: props.category.clone(),
            ..url::parse(&props.query)
        })
    });
    // What the edge drew the first URL with is shown as is; every later URL loads.
    let first = props.with_untracked(|props| {
        let stale = props.stale.unwrap_or(false);
        let listing = props
            .listing
            .clone()
            .map(|page| (state.get_untracked(), Ok(Listing { page, stale })));
        (listing, props.categories.clone().map(Ok))
    });
    if let Some((state, Ok(Listing { page, stale: false }))) = &first.0
        && !cfg!(feature = "ssr")
    {
        api::remember(state, page);
    }
    if let Some(Ok(categories)) = &first.1
        && !cfg!(feature = "ssr")
    {
        crate::cache::keep_categories(categories);
    }
    let listing = micro_app::load_from(first.0, move || {
        let state = state.get_untracked();
        async move {
            let answer = api::list_products(&state).await;
            (state, answer)
        }
    });
    let categories = micro_app::load_from(first.1, api::categories);
    Effect::new(move |previous: Option<ListProductsQuery>| {
        let now = state.get();
        if previous.is_some_and(|previous| previous != now) {
            listing.refetch();
        }
        now
    });
    let shown = Shown {
        page,
        state,
        listing,
        categories,
        filters_open: RwSignal::new(false),
    };
    keep_retrying_while_stale(shown);
    let query = Signal::derive(move || state.with(|state| state.q.clone().unwrap_or_default()));
    let on_search = Callback::new(move |(text, typing): (String, bool)| {
        let next = ListProductsQuery {
            q: Some(text).filter(|text| !text.trim().is_empty()),
            ..ListProductsQuery::default()
        };
        // Typing on the search page refines the results in place; the first keystroke elsewhere
        // opens search as a new page, so back returns to where the shopper was.
        let replace = typing && page.get_untracked() == Page::Search;
        micro_app::emit(&AppEvent::NavigationRequested {
            path: url::href("/search", &next),
            replace,
        });
    });
    view! {
        <div class="tca-page">
            <SearchBox query on_search/>
            {move || match page.get() {
                Page::Home => view! { <home::Home shown/> }.into_any(),
                _ => view! { <listing::Listing shown/> }.into_any(),
            }}
        </div>
    }
}

/// While the products shown are a kept copy, ask the API again every few seconds.
fn keep_retrying_while_stale(shown: Shown) {
    if cfg!(feature = "ssr") {
        return;
    }
    Effect::new(move |_| {
        let stale = shown
            .listing
            .get()
            .is_some_and(|(_, answer)| matches!(answer, Ok(Listing { stale: true, .. })));
        if stale
            && let Ok(handle) = set_interval_with_handle(
                move || shown.retry(),
                std::time::Duration::from_millis(RECONNECT_EVERY_MS),
            )
        {
            on_cleanup(move || handle.clear());
        }
    });
}
