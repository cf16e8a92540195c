//! The catalog: product search and listing with facets, product detail, reviews, related products
//! and categories. Read-only and public.

use api_client::types::{CategoryList, Product, ProductPage, ProductSummaryList, ReviewPage};
use api_client::{ListProductReviewsQuery, ListProductsQuery, ListRelatedProductsQuery};
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use crate::domain::listing;
use crate::error::{AppError, AppResult};
use crate::extract::{AppPath, AppQuery};
use crate::state::AppState;
use crate::store::catalog;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/products", get(products_list))
        .route("/v1/products/{productSlug}", get(products_get))
        .route("/v1/products/{productSlug}/reviews", get(products_reviews))
        .route("/v1/products/{productSlug}/related", get(products_related))
        .route("/v1/categories", get(categories_list))
        .route_layer(middleware::from_fn(revalidated))
}

/// Catalog answers are public but follow stock and prices, so caches may keep them only if they
/// revalidate; a strong ETag over the body turns an unchanged answer into a bodiless 304.
async fn revalidated(request: Request, next: Next) -> Response {
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(error) => {
            return AppError::internal(anyhow::anyhow!(error.to_string())).into_response();
        }
    };
    let etag = crate::domain::release_files::etag_of(&bytes);
    let Ok(etag_value) = HeaderValue::from_str(&etag) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    parts.headers.insert(header::ETAG, etag_value);
    parts.headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, no-cache"),
    );
    let unchanged = if_none_match
        .as_ref()
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.split(',').any(|tag| tag.trim() == etag));
    if unchanged {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_TYPE);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

async fn products_list(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<ListProductsQuery>,
) -> AppResult<Json<ProductPage>> {
    Ok(Json(
        listing::list_products(&state.db, &state.listing, &query).await?,
    ))
}

async fn products_get(
    State(state): State<AppState>,
    AppPath(slug): AppPath<String>,
) -> AppResult<Json<Product>> {
    Ok(Json(catalog::get_product(&state.db, &slug).await?))
}

async fn products_reviews(
    State(state): State<AppState>,
    AppPath(slug): AppPath<String>,
    AppQuery(query): AppQuery<ListProductReviewsQuery>,
) -> AppResult<Json<ReviewPage>> {
    Ok(Json(
        catalog::list_reviews(
            &state.db,
            &slug,
            query.sort,
            query.cursor.as_deref(),
            query.limit,
        )
        .await?,
    ))
}

async fn products_related(
    State(state): State<AppState>,
    AppPath(slug): AppPath<String>,
    AppQuery(query): AppQuery<ListRelatedProductsQuery>,
) -> AppResult<Json<ProductSummaryList>> {
    Ok(Json(ProductSummaryList {
        items: listing::list_related(&state.db, &state.listing, &slug, query.limit).await?,
    }))
}

async fn categories_list(State(state): State<AppState>) -> AppResult<Json<CategoryList>> {
    Ok(Json(catalog::list_categories(&state.db).await?))
}
