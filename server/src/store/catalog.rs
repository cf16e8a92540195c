//! Products, variants, reviews and categories, read into the contract's catalog types. What a
//! listing reads (the whole catalog, kept between changes) is `listing.rs`.

use api_client::types::{
    Availability, AvailabilityStatus, Category, CategoryList, Media, Money, PriceRange, Product,
    ProductOption, RatingBucket, RatingSummary, Review, ReviewPage, ReviewSort, SelectedOption,
    Variant,
};

use sqlx::{AnyPool, FromRow};

use crate::error::{AppError, AppResult};
use crate::store::{decode_cursor, encode_cursor};

/// At or below this many units a variant shows as "low stock" with the count.
pub const LOW_STOCK_THRESHOLD: i64 = 5;

#[derive(FromRow)]
pub(super) struct ProductRow {
    pub(super) id: String,
    pub(super) slug: String,
    pub(super) title: String,
    pub(super) brand: String,
    pub(super) description: String,
    pub(super) categories: String,
    pub(super) media: String,
    pub(super) options: String,
    pub(super) created_at: String,
    pub(super) updated_at: String,
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

pub fn status_of(availability: &Availability) -> AvailabilityStatus {
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

async fn variants_of(db: &AnyPool, product_id: &str) -> sqlx::Result<Vec<VariantRow>> {
    sqlx::query_as("SELECT * FROM variants WHERE product_id = $1 ORDER BY position")
        .bind(product_id)
        .fetch_all(db)
        .await
}

async fn rating_of(db: &AnyPool, product_id: &str) -> sqlx::Result<RatingSummary> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT rating, COUNT(*) FROM reviews WHERE product_id = $1 GROUP BY rating",
    )
    .bind(product_id)
    .fetch_all(db)
    .await?;
    Ok(rating_summary(&rows))
}

pub(super) fn rating_summary(counts_by_stars: &[(i64, i64)]) -> RatingSummary {
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

pub(super) fn price_range(variants: &[VariantRow]) -> PriceRange {
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

async fn product_row(db: &AnyPool, slug: &str) -> sqlx::Result<Option<ProductRow>> {
    sqlx::query_as("SELECT * FROM products WHERE slug = $1")
        .bind(slug)
        .fetch_optional(db)
        .await
}

/// The title and images of the product with this slug, for drawing its demo pictures: only an
/// image a product really lists is ever drawn.
pub async fn product_images(db: &AnyPool, slug: &str) -> AppResult<Option<(String, Vec<Media>)>> {
    let Some(row) = product_row(db, slug).await? else {
        return Ok(None);
    };
    Ok(Some((row.title, serde_json::from_str(&row.media)?)))
}

pub async fn get_product(db: &AnyPool, slug: &str) -> AppResult<Product> {
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

#[derive(FromRow)]
struct ReviewRow {
    id: String,
    rating: i64,
    title: Option<String>,
    body: String,
    author_name: String,
    verified: i64,
    helpful: i64,
    created_at: String,
}

pub async fn list_reviews(
    db: &AnyPool,
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
        format!("SELECT * FROM reviews WHERE product_id = $1 ORDER BY {order} LIMIT $2 OFFSET $3");
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
                verified_purchase: row.verified != 0,
                helpful_count: Some(row.helpful as i32),
                created_at: row.created_at,
            })
            .collect(),
        next_cursor: has_more.then(|| encode_cursor(offset + limit)),
        summary: rating_of(db, &product.id).await?,
    })
}

pub async fn list_categories(db: &AnyPool) -> AppResult<CategoryList> {
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
