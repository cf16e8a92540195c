//! The app's one seam to the commerce API: every call goes through here, with the same-origin
//! client, and every failure becomes a sentence a shopper can act on.

use std::time::Duration;

use api_client::types::{Product, ProductSummary, ReviewPage};
use api_client::{
    ApiError, Client, FetchTransport, ListProductReviewsQuery, ListRelatedProductsQuery,
    with_shopper_session,
};

use crate::cache;

pub fn client() -> Client<FetchTransport> {
    // Same origin as the page: the shell and the API are served together.
    Client::new("", FetchTransport).with_timeout(Duration::from_secs(8))
}

/// The client with the shopper's session token, which cart calls need.
pub async fn shopper_client() -> Result<Client<FetchTransport>, ApiError> {
    let visitor = web_sys::window()
        .and_then(|window| window.local_storage().ok().flatten())
        .and_then(|storage| {
            storage
                .get_item(micro_app::storage::VISITOR_ID)
                .ok()
                .flatten()
        });
    with_shopper_session(client(), visitor).await
}

/// A product to show, and whether it is the locally kept copy because the API is unreachable.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedProduct {
    pub product: Product,
    pub stale: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum LoadError {
    NotFound,
    Unavailable(String),
}

pub async fn load_product(slug: &str) -> Result<LoadedProduct, LoadError> {
    match client().get_product(slug).await {
        Ok(product) => {
            cache::keep(&product);
            Ok(LoadedProduct {
                product,
                stale: false,
            })
        }
        Err(error) if error.status() == Some(404) => Err(LoadError::NotFound),
        Err(error) if error.is_transient() => match cache::recall(slug) {
            Some(product) => Ok(LoadedProduct {
                product,
                stale: true,
            }),
            None => Err(LoadError::Unavailable(error.user_message())),
        },
        Err(error) => Err(LoadError::Unavailable(error.user_message())),
    }
}

pub async fn reviews(slug: &str, cursor: Option<String>) -> Result<ReviewPage, String> {
    let query = ListProductReviewsQuery {
        cursor,
        limit: Some(5),
        ..Default::default()
    };
    client()
        .list_product_reviews(slug, &query)
        .await
        .map_err(|error| error.user_message())
}

pub async fn related(slug: &str) -> Result<Vec<ProductSummary>, String> {
    let query = ListRelatedProductsQuery { limit: Some(4) };
    client()
        .list_related_products(slug, &query)
        .await
        .map(|list| list.items)
        .map_err(|error| error.user_message())
}
