//! What a listing reads: the whole catalog as listed products and its search index, kept in
//! memory between changes (`ListingCache`). Filtering, facets and ranking are
//! `domain::listing`'s.

use std::sync::Arc;

use api_client::types::{Media, ProductSummary, RatingSummary};
use sqlx::AnyPool;

use crate::error::{AppError, AppResult};
use crate::search::{SearchIndex, SearchText};
use crate::store::catalog::{
    ProductRow, VariantRow, availability, money, price_range, rating_summary,
};

/// Everything a listing needs about one product.
pub struct Listed {
    pub summary: ProductSummary,
    pub categories: Vec<String>,
    pub colors: Vec<String>,
    pub sizes: Vec<String>,
    pub created_at: String,
}

/// The listed catalog (ordered by slug) and its text index, whose hits are positions in it.
pub struct Catalog {
    pub listed: Vec<Listed>,
    pub index: Arc<SearchIndex>,
}

/// The listed catalog in memory, rebuilt only when `catalog_revision` (moved by triggers on
/// products, variants and reviews) says something a listing shows has changed. A listing then
/// costs one one-row read plus filtering in memory, instead of three full-table reads. Stock
/// moves the revision often; the search index is rebuilt only when a product's text changed.
#[derive(Default)]
pub struct ListingCache(tokio::sync::RwLock<Option<(i64, Arc<Catalog>)>>);

impl ListingCache {
    pub async fn current(&self, db: &AnyPool) -> AppResult<Arc<Catalog>> {
        // Read the revision before the rows: rows newer than their label only cost one extra
        // rebuild later, never a stale answer.
        let (revision,): (i64,) = sqlx::query_as("SELECT revision FROM catalog_revision")
            .fetch_one(db)
            .await?;
        let previous = match self.0.read().await.as_ref() {
            Some((cached, catalog)) if *cached == revision => return Ok(Arc::clone(catalog)),
            other => other.map(|(_, catalog)| Arc::clone(&catalog.index)),
        };
        let (listed, texts) = all_listed(db).await?;
        let index = match previous {
            Some(index) if index.indexes(&texts) => index,
            _ => Arc::new(
                tokio::task::spawn_blocking(move || SearchIndex::build(texts))
                    .await
                    .map_err(|error| AppError::internal(anyhow::anyhow!(error.to_string())))?
                    .map_err(|error| AppError::internal(anyhow::anyhow!(error)))?,
            ),
        };
        let catalog = Arc::new(Catalog { listed, index });
        *self.0.write().await = Some((revision, Arc::clone(&catalog)));
        Ok(catalog)
    }
}

async fn all_listed(db: &AnyPool) -> AppResult<(Vec<Listed>, Vec<SearchText>)> {
    let products: Vec<ProductRow> = sqlx::query_as("SELECT * FROM products ORDER BY slug")
        .fetch_all(db)
        .await?;
    let variants: Vec<VariantRow> =
        sqlx::query_as("SELECT * FROM variants ORDER BY product_id, position")
            .fetch_all(db)
            .await?;
    let ratings: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT product_id, rating, COUNT(*) FROM reviews GROUP BY product_id, rating",
    )
    .fetch_all(db)
    .await?;
    // Grouped once: with 10,000 products a scan per product was quadratic.
    let mut variants_of: std::collections::HashMap<&str, Vec<&VariantRow>> = Default::default();
    for variant in &variants {
        variants_of
            .entry(variant.product_id.as_str())
            .or_default()
            .push(variant);
    }
    let mut ratings_of: std::collections::HashMap<&str, Vec<(i64, i64)>> = Default::default();
    for (product_id, stars, count) in &ratings {
        ratings_of
            .entry(product_id.as_str())
            .or_default()
            .push((*stars, *count));
    }
    let mut listed = Vec::with_capacity(products.len());
    let mut texts = Vec::with_capacity(products.len());
    for product in products {
        let own: Vec<VariantRow> = variants_of
            .get(product.id.as_str())
            .map(|rows| rows.iter().map(|row| (*row).clone()).collect())
            .unwrap_or_default();
        let counts = ratings_of
            .get(product.id.as_str())
            .cloned()
            .unwrap_or_default();
        texts.push(SearchText {
            title: product.title.clone(),
            brand: product.brand.clone(),
            description: product.description.clone(),
        });
        listed.push(listed_product(product, &own, rating_summary(&counts))?);
    }
    Ok((listed, texts))
}

fn listed_product(
    product: ProductRow,
    variants: &[VariantRow],
    rating: RatingSummary,
) -> AppResult<Listed> {
    let cheapest = variants.iter().min_by_key(|v| v.price);
    let currency = cheapest
        .map(|v| v.currency.clone())
        .unwrap_or_else(|| "USD".into());
    let total_stock: i64 = variants.iter().map(|v| v.stock.max(0)).sum();
    let any_preorder = variants.iter().find_map(|v| v.preorder_date.clone());
    let media: Vec<Media> = serde_json::from_str(&product.media)?;
    let option_values = |name: &str| -> Vec<String> {
        let mut values: Vec<String> = variants
            .iter()
            .flat_map(|v| v.option_values())
            .filter(|o| o.option == name)
            .map(|o| o.value)
            .collect();
        values.sort();
        values.dedup();
        values
    };
    let range = price_range(variants);
    Ok(Listed {
        categories: serde_json::from_str(&product.categories)?,
        colors: option_values("color"),
        sizes: option_values("size"),
        created_at: product.created_at,
        summary: ProductSummary {
            id: product.id,
            slug: product.slug,
            title: product.title,
            brand: product.brand,
            image: media.into_iter().next(),
            price: money(cheapest.map(|v| v.price).unwrap_or(0), &currency),
            compare_at_price: cheapest
                .and_then(|v| v.compare_at)
                .map(|amount| money(amount, &currency)),
            price_range: (range.min != range.max).then_some(range),
            availability: availability(total_stock, any_preorder.as_deref()),
            rating_average: (rating.count > 0).then_some(rating.average),
            rating_count: Some(rating.count),
        },
    })
}
