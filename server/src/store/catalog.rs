//! Products, variants, reviews and categories, read into the contract's catalog types.
//!
//! Listing filters and facets are computed in memory over the whole catalog, kept in a
//! `ListingCache` between changes: fine for a reference shop of a few hundred products; a real
//! catalog would put a search index here.

use api_client::ListProductsQuery;
use api_client::types::{
    Availability, AvailabilityStatus, Category, CategoryList, Facet, FacetCount, Media, Money,
    PriceRange, Product, ProductOption, ProductPage, ProductSort, ProductSummary, RatingBucket,
    RatingSummary, Review, ReviewPage, ReviewSort, SelectedOption, Variant,
};
use std::sync::Arc;

use sqlx::{FromRow, SqlitePool};

use crate::error::{AppError, AppResult};
use crate::store::{decode_cursor, encode_cursor};

/// At or below this many units a variant shows as "low stock" with the count.
pub const LOW_STOCK_THRESHOLD: i64 = 5;

#[derive(FromRow)]
struct ProductRow {
    id: String,
    slug: String,
    title: String,
    brand: String,
    description: String,
    categories: String,
    media: String,
    options: String,
    created_at: String,
    updated_at: String,
}

#[derive(FromRow, Clone)]
pub struct VariantRow {
    pub id: String,
    pub product_id: String,
    pub sku: String,
    pub option_values: String,
    pub price: i64,
    pub compare_at: Option<i64>,
    pub currency: String,
    pub stock: i64,
    pub preorder_date: Option<String>,
    pub image: Option<String>,
}

impl VariantRow {
    pub fn availability(&self) -> Availability {
        availability(self.stock, self.preorder_date.as_deref())
    }

    pub fn option_values(&self) -> Vec<SelectedOption> {
        serde_json::from_str(&self.option_values).unwrap_or_default()
    }

    pub fn image(&self) -> Option<Media> {
        self.image
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok())
    }

    /// How many units one cart line may hold: the stock, capped at the contract's 99; preorders
    /// are capped at 99 only.
    pub fn max_quantity(&self) -> i32 {
        if self.preorder_date.is_some() && self.stock <= 0 {
            99
        } else {
            self.stock.clamp(0, 99) as i32
        }
    }
}

pub fn availability(stock: i64, preorder_date: Option<&str>) -> Availability {
    match (stock, preorder_date) {
        (stock, _) if stock > LOW_STOCK_THRESHOLD => Availability::InStock,
        (stock, _) if stock > 0 => Availability::LowStock {
            remaining: stock as i32,
        },
        (_, Some(date)) => Availability::Preorder {
            expected_at: date.to_owned(),
        },
        _ => Availability::OutOfStock,
    }
}

fn status_of(availability: &Availability) -> AvailabilityStatus {
    match availability {
        Availability::InStock => AvailabilityStatus::InStock,
        Availability::LowStock { .. } => AvailabilityStatus::LowStock,
        Availability::OutOfStock => AvailabilityStatus::OutOfStock,
        Availability::Preorder { .. } => AvailabilityStatus::Preorder,
    }
}

pub fn money(amount: i64, currency: &str) -> Money {
    Money {
        amount,
        currency: currency.to_owned(),
    }
}

fn variant(row: &VariantRow) -> Variant {
    Variant {
        id: row.id.clone(),
        sku: row.sku.clone(),
        option_values: row.option_values(),
        price: money(row.price, &row.currency),
        compare_at_price: row.compare_at.map(|amount| money(amount, &row.currency)),
        availability: row.availability(),
        image: row.image(),
    }
}

async fn variants_of(db: &SqlitePool, product_id: &str) -> sqlx::Result<Vec<VariantRow>> {
    sqlx::query_as("SELECT * FROM variants WHERE product_id = ? ORDER BY position")
        .bind(product_id)
        .fetch_all(db)
        .await
}

async fn rating_of(db: &SqlitePool, product_id: &str) -> sqlx::Result<RatingSummary> {
    let rows: Vec<(i64, i64)> =
        sqlx::query_as("SELECT rating, COUNT(*) FROM reviews WHERE product_id = ? GROUP BY rating")
            .bind(product_id)
            .fetch_all(db)
            .await?;
    Ok(rating_summary(&rows))
}

fn rating_summary(counts_by_stars: &[(i64, i64)]) -> RatingSummary {
    let count: i64 = counts_by_stars.iter().map(|(_, count)| count).sum();
    let total: i64 = counts_by_stars
        .iter()
        .map(|(stars, count)| stars * count)
        .sum();
    let average = if count == 0 {
        0.0
    } else {
        // One decimal, as shops display it.
        ((total as f64 / count as f64) * 10.0).round() / 10.0
    };
    RatingSummary {
        average,
        count,
        distribution: (1..=5)
            .rev()
            .map(|stars| RatingBucket {
                stars: stars as i32,
                count: counts_by_stars
                    .iter()
                    .find(|(s, _)| *s == stars)
                    .map(|(_, count)| *count)
                    .unwrap_or(0),
            })
            .collect(),
    }
}

fn price_range(variants: &[VariantRow]) -> PriceRange {
    let currency = variants
        .first()
        .map(|v| v.currency.as_str())
        .unwrap_or("USD");
    let min = variants.iter().map(|v| v.price).min().unwrap_or(0);
    let max = variants.iter().map(|v| v.price).max().unwrap_or(0);
    PriceRange {
        min: money(min, currency),
        max: money(max, currency),
    }
}

async fn product_row(db: &SqlitePool, slug: &str) -> sqlx::Result<Option<ProductRow>> {
    sqlx::query_as("SELECT * FROM products WHERE slug = ?")
        .bind(slug)
        .fetch_optional(db)
        .await
}

/// The title and images of the product with this slug, for drawing its demo pictures: only an
/// image a product really lists is ever drawn.
pub async fn product_images(
    db: &SqlitePool,
    slug: &str,
) -> AppResult<Option<(String, Vec<Media>)>> {
    let Some(row) = product_row(db, slug).await? else {
        return Ok(None);
    };
    Ok(Some((row.title, serde_json::from_str(&row.media)?)))
}

pub async fn get_product(db: &SqlitePool, slug: &str) -> AppResult<Product> {
    let row = product_row(db, slug)
        .await?
        .ok_or_else(|| AppError::not_found("product"))?;
    let variants = variants_of(db, &row.id).await?;
    Ok(Product {
        rating: rating_of(db, &row.id).await?,
        price_range: price_range(&variants),
        variants: variants.iter().map(variant).collect(),
        categories: serde_json::from_str(&row.categories)?,
        media: serde_json::from_str(&row.media)?,
        options: serde_json::from_str::<Vec<ProductOption>>(&row.options)?,
        id: row.id,
        slug: row.slug,
        title: row.title,
        brand: row.brand,
        description: row.description,
        updated_at: row.updated_at,
    })
}

/// Everything a listing needs about one product.
pub struct Listed {
    summary: ProductSummary,
    categories: Vec<String>,
    text: String,
    colors: Vec<String>,
    sizes: Vec<String>,
    created_at: String,
}

/// The listed catalog in memory, rebuilt only when `catalog_revision` (moved by triggers on
/// products, variants and reviews) says something a listing shows has changed. A listing then
/// costs one one-row read plus filtering in memory, instead of three full-table reads.
#[derive(Default)]
pub struct ListingCache(tokio::sync::RwLock<Option<(i64, Arc<Vec<Listed>>)>>);

impl ListingCache {
    async fn current(&self, db: &SqlitePool) -> AppResult<Arc<Vec<Listed>>> {
        // Read the revision before the rows: rows newer than their label only cost one extra
        // rebuild later, never a stale answer.
        let (revision,): (i64,) = sqlx::query_as("SELECT revision FROM catalog_revision")
            .fetch_one(db)
            .await?;
        if let Some((cached, listed)) = self.0.read().await.as_ref()
            && *cached == revision
        {
            return Ok(Arc::clone(listed));
        }
        let listed = Arc::new(all_listed(db).await?);
        *self.0.write().await = Some((revision, Arc::clone(&listed)));
        Ok(listed)
    }
}

async fn all_listed(db: &SqlitePool) -> AppResult<Vec<Listed>> {
    let products: Vec<ProductRow> = sqlx::query_as("SELECT * FROM products ORDER BY slug")
        .fetch_all(db)
        .await?;
    let variants: Vec<VariantRow> = sqlx::query_as("SELECT * FROM variants ORDER BY position")
        .fetch_all(db)
        .await?;
    let ratings: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT product_id, rating, COUNT(*) FROM reviews GROUP BY product_id, rating",
    )
    .fetch_all(db)
    .await?;
    let mut listed = Vec::with_capacity(products.len());
    for product in products {
        let own: Vec<VariantRow> = variants
            .iter()
            .filter(|v| v.product_id == product.id)
            .cloned()
            .collect();
        let counts: Vec<(i64, i64)> = ratings
            .iter()
            .filter(|(id, _, _)| *id == product.id)
            .map(|(_, stars, count)| (*stars, *count))
            .collect();
        listed.push(listed_product(product, &own, rating_summary(&counts))?);
    }
    Ok(listed)
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
        text: format!(
            "{} {} {}",
            product.title, product.brand, product.description
        )
        .to_lowercase(),
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

pub async fn list_products(
    db: &SqlitePool,
    cache: &ListingCache,
    query: &ListProductsQuery,
) -> AppResult<ProductPage> {
    let limit = i64::from(query.limit.unwrap_or(24));
    let offset = decode_cursor(query.cursor.as_deref())?;
    let words: Vec<String> = query
        .q
        .as_deref()
        .unwrap_or_default()
        .to_lowercase()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let everything = cache.current(db).await?;

    // Each facet counts the products that match every *other* filter, so choosing a colour
    // still shows how many products each other colour would give.
    let matches = |listed: &Listed, skip: Option<&str>| -> bool {
        let summary = &listed.summary;
        (words.iter().all(|word| listed.text.contains(word.as_str())))
            && query
                .category
                .as_ref()
                .is_none_or(|category| listed.categories.contains(category))
            && (skip == Some("brand")
                || query.brand.is_empty()
                || query.brand.contains(&summary.brand))
            && (skip == Some("color")
                || query.color.is_empty()
                || query.color.iter().any(|c| listed.colors.contains(c)))
            && (skip == Some("size")
                || query.size.is_empty()
                || query.size.iter().any(|s| listed.sizes.contains(s)))
            && (skip == Some("availability")
                || query.availability.is_empty()
                || query
                    .availability
                    .contains(&status_of(&summary.availability)))
            && query
                .min_price
                .is_none_or(|min| summary.price.amount >= min)
            && query
                .max_price
                .is_none_or(|max| summary.price.amount <= max)
    };

    let facet = |name: &str,
                 label: &str,
                 values_of: &dyn Fn(&Listed) -> Vec<(String, String)>,
                 selected: &[String]| {
        let mut counts: std::collections::BTreeMap<String, (String, i64)> = Default::default();
        for listed in everything.iter().filter(|l| matches(l, Some(name))) {
            for (value, value_label) in values_of(listed) {
                counts.entry(value).or_insert((value_label, 0)).1 += 1;
            }
        }
        Facet {
            name: name.to_owned(),
            label: label.to_owned(),
            values: counts
                .into_iter()
                .map(|(value, (value_label, count))| FacetCount {
                    selected: selected.contains(&value),
                    value,
                    label: value_label,
                    count,
                })
                .collect(),
        }
    };
    let titled = |values: &[String]| -> Vec<(String, String)> {
        values.iter().map(|v| (v.clone(), title_case(v))).collect()
    };
    let availability_selected: Vec<String> =
        query.availability.iter().map(|a| a.to_string()).collect();
    let facets = vec![
        facet(
            "brand",
            "Brand",
            &|l| vec![(l.summary.brand.clone(), l.summary.brand.clone())],
            &query.brand,
        ),
        facet("color", "Colour", &|l| titled(&l.colors), &query.color),
        facet(
            "size",
            "Size",
            &|l| {
                l.sizes
                    .iter()
                    .map(|s| (s.clone(), s.to_uppercase()))
                    .collect()
            },
            &query.size,
        ),
        facet(
            "availability",
            "Availability",
            &|l| {
                let status = status_of(&l.summary.availability).to_string();
                vec![(status.clone(), title_case(&status))]
            },
            &availability_selected,
        ),
    ];

    let mut found: Vec<&Listed> = everything.iter().filter(|l| matches(l, None)).collect();
    match query.sort.unwrap_or(ProductSort::Relevance) {
        ProductSort::PriceAsc => found.sort_by_key(|l| l.summary.price.amount),
        ProductSort::PriceDesc => found.sort_by_key(|l| std::cmp::Reverse(l.summary.price.amount)),
        ProductSort::Newest => found.sort_by(|a, b| b.created_at.cmp(&a.created_at)),
        ProductSort::Rating => found.sort_by(|a, b| {
            b.summary
                .rating_average
                .unwrap_or(0.0)
                .total_cmp(&a.summary.rating_average.unwrap_or(0.0))
        }),
        ProductSort::Relevance => {
            // Title matches first, then by slug for a stable order.
            found.sort_by_key(|l| {
                !words
                    .iter()
                    .any(|w| l.summary.title.to_lowercase().contains(w.as_str()))
            })
        }
    }
    let total = found.len() as i64;
    let page: Vec<ProductSummary> = found
        .iter()
        .skip(offset as usize)
        .take(limit as usize)
        .map(|l| l.summary.clone())
        .collect();
    let prices: Vec<i64> = found.iter().map(|l| l.summary.price.amount).collect();
    let currency = found
        .first()
        .map(|l| l.summary.price.currency.clone())
        .unwrap_or_else(|| "USD".into());
    Ok(ProductPage {
        next_cursor: (offset + limit < total).then(|| encode_cursor(offset + limit)),
        price_range: prices
            .iter()
            .min()
            .zip(prices.iter().max())
            .map(|(min, max)| PriceRange {
                min: money(*min, &currency),
                max: money(*max, &currency),
            }),
        total_count: Some(total),
        items: page,
        facets,
    })
}

fn title_case(text: &str) -> String {
    text.split(['_', '-', ' '])
        .filter(|w| !w.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(FromRow)]
struct ReviewRow {
    id: String,
    rating: i64,
    title: Option<String>,
    body: String,
    author_name: String,
    verified: bool,
    helpful: i64,
    created_at: String,
}

pub async fn list_reviews(
    db: &SqlitePool,
    slug: &str,
    sort: Option<ReviewSort>,
    cursor: Option<&str>,
    limit: Option<i32>,
) -> AppResult<ReviewPage> {
    let product = product_row(db, slug)
        .await?
        .ok_or_else(|| AppError::not_found("product"))?;
    let limit = i64::from(limit.unwrap_or(10));
    let offset = decode_cursor(cursor)?;
    let order = match sort.unwrap_or(ReviewSort::Newest) {
        ReviewSort::Newest => "created_at DESC, id",
        ReviewSort::HighestRating => "rating DESC, created_at DESC, id",
        ReviewSort::LowestRating => "rating ASC, created_at DESC, id",
        ReviewSort::MostHelpful => "helpful DESC, created_at DESC, id",
    };
    // `order` comes from the fixed list above, never from the request.
    let sql =
        format!("SELECT * FROM reviews WHERE product_id = ? ORDER BY {order} LIMIT ? OFFSET ?");
    let rows: Vec<ReviewRow> = sqlx::query_as(&sql)
        .bind(&product.id)
        .bind(limit + 1)
        .bind(offset)
        .fetch_all(db)
        .await?;
    let has_more = rows.len() as i64 > limit;
    Ok(ReviewPage {
        items: rows
            .into_iter()
            .take(limit as usize)
            .map(|row| Review {
                id: row.id,
                rating: row.rating as i32,
                title: row.title,
                body: row.body,
                author_name: row.author_name,
                verified_purchase: row.verified,
                helpful_count: Some(row.helpful as i32),
                created_at: row.created_at,
            })
            .collect(),
        next_cursor: has_more.then(|| encode_cursor(offset + limit)),
        summary: rating_of(db, &product.id).await?,
    })
}

/// Products sharing a category with this one, best rated first.
pub async fn list_related(
    db: &SqlitePool,
    cache: &ListingCache,
    slug: &str,
    limit: Option<i32>,
) -> AppResult<Vec<ProductSummary>> {
    let limit = limit.unwrap_or(4);
    let everything = cache.current(db).await?;
    let this = everything
        .iter()
        .find(|l| l.summary.slug == slug)
        .ok_or_else(|| AppError::not_found("product"))?;
    let mut related: Vec<&Listed> = everything
        .iter()
        .filter(|l| l.summary.slug != slug)
        .filter(|l| l.categories.iter().any(|c| this.categories.contains(c)))
        .collect();
    related.sort_by(|a, b| {
        b.summary
            .rating_average
            .unwrap_or(0.0)
            .total_cmp(&a.summary.rating_average.unwrap_or(0.0))
    });
    Ok(related
        .into_iter()
        .take(limit as usize)
        .map(|l| l.summary.clone())
        .collect())
}

pub async fn list_categories(db: &SqlitePool) -> AppResult<CategoryList> {
    let rows: Vec<(String, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT slug, name, parent_slug, description FROM categories ORDER BY position",
    )
    .fetch_all(db)
    .await?;
    let products: Vec<(String,)> = sqlx::query_as("SELECT categories FROM products")
        .fetch_all(db)
        .await?;
    let memberships: Vec<Vec<String>> = products
        .iter()
        .map(|(json,)| serde_json::from_str(json).unwrap_or_default())
        .collect();
    Ok(CategoryList {
        items: rows
            .into_iter()
            .map(|(slug, name, parent_slug, description)| Category {
                product_count: memberships.iter().filter(|m| m.contains(&slug)).count() as i64,
                slug,
                name,
                parent_slug,
                description,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_cached_listing_follows_stock_changes() {
        let folder = std::env::temp_dir().join(format!("tessera-listing-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).unwrap();
        let db = crate::store::connect(&folder.join("shop.db"), 2)
            .await
            .unwrap();
        crate::demo::seed_if_empty(&db).await.unwrap();
        let cache = ListingCache::default();
        let query = ListProductsQuery {
            limit: Some(100),
            ..Default::default()
        };
        let before = list_products(&db, &cache, &query).await.unwrap();
        let product = before
            .items
            .iter()
            .find(|p| matches!(p.availability, Availability::InStock))
            .expect("the demo has products in stock");
        // Served from the cache while nothing changed...
        let again = list_products(&db, &cache, &query).await.unwrap();
        assert_eq!(again.items.len(), before.items.len());
        // ...and rebuilt as soon as stock moved, whoever moved it.
        sqlx::query("UPDATE variants SET stock = 0, preorder_date = NULL WHERE product_id = ?")
            .bind(&product.id)
            .execute(&db)
            .await
            .unwrap();
        let after = list_products(&db, &cache, &query).await.unwrap();
        let sold_out = after.items.iter().find(|p| p.id == product.id).unwrap();
        assert!(
            matches!(sold_out.availability, Availability::OutOfStock),
            "{:?}",
            sold_out.availability
        );
        db.close().await;
        let _ = std::fs::remove_dir_all(&folder);
    }

    #[test]
    fn availability_follows_stock_and_preorder_dates() {
        assert_eq!(availability(6, None), Availability::InStock);
        assert_eq!(
            availability(5, None),
            Availability::LowStock { remaining: 5 }
        );
        assert_eq!(availability(0, None), Availability::OutOfStock);
        assert_eq!(
            availability(0, Some("2027-01-15")),
            Availability::Preorder {
                expected_at: "2027-01-15".into()
            }
        );
    }

    #[test]
    fn rating_summary_has_five_buckets_and_a_rounded_average() {
        let summary = rating_summary(&[(5, 2), (4, 1)]);
        assert_eq!(summary.count, 3);
        assert_eq!(summary.average, 4.7);
        let stars: Vec<i32> = summary.distribution.iter().map(|b| b.stars).collect();
        assert_eq!(stars, [5, 4, 3, 2, 1]);
    }
}
