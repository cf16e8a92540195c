//! The app's one seam to the commerce API: every call goes through here, with the same-origin
//! client, and every failure becomes a sentence a shopper can act on. Each answer is also kept
//! (`cache.rs`) so that, while the API is unreachable, the last good copy can be shown.

use std::time::Duration;

use api_client::types::{CategoryList, ProductPage};
use api_client::{ApiError, Client, FetchTransport, ListProductsQuery};

use crate::cache;

fn client() -> Client<FetchTransport> {
    // Same origin as the page: the shell and the API are served together.
    Client::new("", FetchTransport).with_timeout(Duration::from_secs(8))
}

/// Products to show, and whether they are the kept copy because the API is unreachable.
#[derive(Clone, Debug, PartialEq)]
pub struct Listing {
    pub page: ProductPage,
    pub stale: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum LoadError {
    /// The URL asks for something the catalog refuses (a hand-edited filter, say).
    Invalid(String),
    /// The API did not answer and nothing was kept for this page.
    Unavailable(String),
}

/// The products `query` selects, or the copy kept for it while the API is unreachable.
pub async fn list_products(query: &ListProductsQuery) -> Result<Listing, LoadError> {
    match client().list_products(query).await {
        Ok(page) => {
            remember(query, &page);
            Ok(Listing { page, stale: false })
        }
        Err(error) if error.is_transient() => match cache::recall_listing(&key(query)) {
            Some(page) => Ok(Listing { page, stale: true }),
            None => Err(LoadError::Unavailable(error.user_message())),
        },
        Err(error) if error.status().is_some_and(|status| status < 500) => {
            Err(LoadError::Invalid(invalid(&error)))
        }
        Err(error) => Err(LoadError::Unavailable(error.user_message())),
    }
}

/// Keeps `page` as the copy for `query` (also the edge's answers, which never pass through here).
pub fn remember(query: &ListProductsQuery, page: &ProductPage) {
    cache::keep_listing(&key(query), page);
}

/// Which URL a listing is for: the category and the query string.
fn key(query: &ListProductsQuery) -> String {
    format!(
        "{}?{}",
        query.category.as_deref().unwrap_or_default(),
        crate::url::write(query)
    )
}

/// Every category (the kept copy while the API is unreachable).
pub async fn categories() -> Result<CategoryList, String> {
    match client().list_categories().await {
        Ok(list) => {
            cache::keep_categories(&list);
            Ok(list)
        }
        Err(error) => cache::recall_categories().ok_or_else(|| error.user_message()),
    }
}

fn invalid(error: &ApiError) -> String {
    format!(
        "This page's filters aren't ones we understand ({}). Clear them to see every product.",
        error.user_message()
    )
}
