//! The app's one seam to the commerce API: every call goes through here, with the same-origin
//! client, and every failure becomes a sentence a shopper can act on.

use std::time::Duration;

use api_client::types::{
    AddCartLineRequest, Cart, CreateCartRequest, Product, ProductSummary, ReviewPage,
};
use api_client::{
    ApiError, Client, FetchTransport, ListProductReviewsQuery, ListRelatedProductsQuery,
    forget_shopper_session, new_idempotency_key, with_shopper_session,
};
use micro_app::storage::{self, Store};

use crate::cache;

pub fn client() -> Client<FetchTransport> {
    // Same origin as the page: the shell and the API are served together.
    Client::new("", FetchTransport).with_timeout(Duration::from_secs(8))
}

/// Why a cart write did not happen, as adding to the cart handles it.
#[derive(Clone, Debug, PartialEq)]
pub enum CartError {
    /// Someone (another tab, the checkout) changed the cart since we read its version.
    Stale,
    /// The cart was checked out or expired: it takes no more lines.
    Gone,
    /// Anything else, as a sentence a shopper can act on.
    Failed(String),
}

impl From<ApiError> for CartError {
    fn from(error: ApiError) -> Self {
        match error.status() {
            Some(412) => CartError::Stale,
            Some(404 | 409 | 410) => CartError::Gone,
            _ => CartError::Failed(error.user_message()),
        }
    }
}

/// Runs `call` with the shopper's session token, which cart calls need, renewing a token the
/// server no longer accepts once.
async fn as_shopper<T, F>(call: impl Fn(Client<FetchTransport>) -> F) -> Result<T, CartError>
where
    F: std::future::Future<Output = Result<T, ApiError>>,
{
    let visitor = storage::read(Store::Local, storage::VISITOR_ID);
    let result = match call(with_shopper_session(client(), visitor.clone()).await?).await {
        Err(error) if error.status() == Some(401) => {
            forget_shopper_session();
            call(with_shopper_session(client(), visitor).await?).await
        }
        other => other,
    };
    result.map_err(CartError::from)
}

pub async fn get_cart(cart_id: &str) -> Result<Cart, CartError> {
    as_shopper(|api| async move { api.get_cart(cart_id).await }).await
}

/// Adds a line to the cart at `version`; the Idempotency-Key makes the client's retries safe.
pub async fn add_cart_line(
    cart_id: &str,
    version: i64,
    line: &AddCartLineRequest,
) -> Result<Cart, CartError> {
    let (version, key) = (version.to_string(), new_idempotency_key());
    as_shopper(|api| {
        let (version, key) = (&version, &key);
        async move { api.add_cart_line(cart_id, version, Some(key), line).await }
    })
    .await
}

/// Starts a cart holding `line`.
pub async fn create_cart(line: &AddCartLineRequest) -> Result<Cart, CartError> {
    let key = new_idempotency_key();
    let request = CreateCartRequest {
        currency: None,
        lines: vec![line.clone()],
    };
    as_shopper(|api| {
        let (key, request) = (&key, &request);
        async move { api.create_cart(Some(key), request).await }
    })
    .await
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
