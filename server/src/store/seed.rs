//! Rows of a new catalog, one insert per table, for `demo.rs` (which decides what the demo shop
//! holds). Products, variants and reviews carry their JSON columns already encoded.

use sqlx::{AnyConnection, AnyPool};

pub async fn count_products(db: &AnyPool) -> sqlx::Result<i64> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM products")
        .fetch_one(db)
        .await?;
    Ok(count)
}

pub struct NewCategory<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub position: i64,
}

pub async fn insert_category(
    connection: &mut AnyConnection,
    category: &NewCategory<'_>,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO categories (slug, name, parent_slug, description, position) VALUES ($1, $2, NULL, $3, $4)")
        .bind(category.slug)
        .bind(category.name)
        .bind(category.description)
        .bind(category.position)
        .execute(connection)
        .await?;
    Ok(())
}

pub struct NewProduct<'a> {
    pub id: &'a str,
    pub slug: &'a str,
    pub title: &'a str,
    pub brand: &'a str,
    pub description: &'a str,
    /// JSON array of category slugs.
    pub categories: &'a str,
    /// JSON array of `Media`.
    pub media: &'a str,
    /// JSON array of `ProductOption`.
    pub options: &'a str,
    pub created_at: &'a str,
}

pub async fn insert_product(
    connection: &mut AnyConnection,
    product: &NewProduct<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO products (id, slug, title, brand, description, categories, media, options, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(product.id)
    .bind(product.slug)
    .bind(product.title)
    .bind(product.brand)
    .bind(product.description)
    .bind(product.categories)
    .bind(product.media)
    .bind(product.options)
    .bind(product.created_at)
    .bind(product.created_at)
    .execute(connection)
    .await?;
    Ok(())
}

pub struct NewVariant<'a> {
    pub id: &'a str,
    pub product_id: &'a str,
    pub sku: &'a str,
    /// JSON array of `SelectedOption`.
    pub option_values: &'a str,
    pub price: i64,
    pub compare_at: Option<i64>,
    pub stock: i64,
    pub preorder_date: Option<&'a str>,
    /// JSON of one `Media`.
    pub image: &'a str,
    pub position: i64,
}

/// Inserts a variant priced in USD, the demo shop's currency.
pub async fn insert_variant(
    connection: &mut AnyConnection,
    variant: &NewVariant<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO variants (id, product_id, sku, option_values, price, compare_at, currency, stock, preorder_date, image, position)
         VALUES ($1, $2, $3, $4, $5, $6, 'USD', $7, $8, $9, $10)",
    )
    .bind(variant.id)
    .bind(variant.product_id)
    .bind(variant.sku)
    .bind(variant.option_values)
    .bind(variant.price)
    .bind(variant.compare_at)
    .bind(variant.stock)
    .bind(variant.preorder_date)
    .bind(variant.image)
    .bind(variant.position)
    .execute(connection)
    .await?;
    Ok(())
}

pub struct NewReview<'a> {
    pub id: &'a str,
    pub product_id: &'a str,
    pub rating: i64,
    pub title: &'a str,
    pub body: &'a str,
    pub author_name: &'a str,
    pub verified: bool,
    pub helpful: i64,
    pub created_at: &'a str,
}

pub async fn insert_review(
    connection: &mut AnyConnection,
    review: &NewReview<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO reviews (id, product_id, rating, title, body, author_name, verified, helpful, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(review.id)
    .bind(review.product_id)
    .bind(review.rating)
    .bind(review.title)
    .bind(review.body)
    .bind(review.author_name)
    .bind(i64::from(review.verified))
    .bind(review.helpful)
    .bind(review.created_at)
    .execute(connection)
    .await?;
    Ok(())
}

pub struct NewPromotion<'a> {
    pub code: &'a str,
    pub description: &'a str,
    pub percent_off: Option<i64>,
    pub amount_off: Option<i64>,
    pub min_subtotal: i64,
    pub expires_at: Option<&'a str>,
}

pub async fn insert_promotion(
    connection: &mut AnyConnection,
    promotion: &NewPromotion<'_>,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO promotions (code, description, percent_off, amount_off, min_subtotal, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(promotion.code)
        .bind(promotion.description)
        .bind(promotion.percent_off)
        .bind(promotion.amount_off)
        .bind(promotion.min_subtotal)
        .bind(promotion.expires_at)
        .execute(connection)
        .await?;
    Ok(())
}
