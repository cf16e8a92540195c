//! Listing the catalog: a text query's hits (`search.rs`, best first), narrowed by category and
//! facet filters, with each facet's counts, sorted and paged; and related products. Reads the
//! catalog from the `ListingCache`, so a listing costs no table scan while nothing changed.

use api_client::ListProductsQuery;
use api_client::types::{Facet, FacetCount, PriceRange, ProductPage, ProductSort, ProductSummary};
use sqlx::AnyPool;

use crate::error::{AppError, AppResult};
use crate::store::catalog::{money, status_of};
use crate::store::listing::{Listed, ListingCache};
use crate::store::{decode_cursor, encode_cursor};

pub async fn list_products(
    db: &AnyPool,
    cache: &ListingCache,
    query: &ListProductsQuery,
) -> AppResult<ProductPage> {
    let limit = i64::from(query.limit.unwrap_or(24));
    let offset = match (&query.cursor, query.page) {
        (None, Some(page)) => i64::from(page - 1) * limit,
        (cursor, _) => decode_cursor(cursor.as_deref())?,
    };
    let catalog = cache.current(db).await?;
    // With a text query, only its hits are candidates, in order of relevance.
    let text = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let hits: Option<Vec<(usize, f32)>> = text
        .map(|q| catalog.index.search(q))
        .transpose()
        .map_err(|error| AppError::internal(anyhow::anyhow!(error)))?;
    let candidates: Vec<&Listed> = match &hits {
        Some(hits) => hits.iter().map(|(at, _)| &catalog.listed[*at]).collect(),
        None => catalog.listed.iter().collect(),
    };

    // Each facet counts the products that match every *other* filter, so choosing a colour
    // still shows how many products each other colour would give.
    let matches = |listed: &Listed, skip: Option<&str>| -> bool {
        let summary = &listed.summary;
        query
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
        for listed in candidates.iter().filter(|l| matches(l, Some(name))) {
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

    let mut found: Vec<&Listed> = candidates
        .iter()
        .copied()
        .filter(|l| matches(l, None))
        .collect();
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
        // The hits' order; without a text query, relevance is recency (as the contract says).
        ProductSort::Relevance if hits.is_some() => {}
        ProductSort::Relevance => found.sort_by(|a, b| b.created_at.cmp(&a.created_at)),
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

/// Products sharing a category with this one, best rated first.
pub async fn list_related(
    db: &AnyPool,
    cache: &ListingCache,
    slug: &str,
    limit: Option<i32>,
) -> AppResult<Vec<ProductSummary>> {
    let limit = limit.unwrap_or(4);
    let catalog = cache.current(db).await?;
    let this = catalog
        .listed
        .iter()
        .find(|l| l.summary.slug == slug)
        .ok_or_else(|| AppError::not_found("product"))?;
    let mut related: Vec<&Listed> = catalog
        .listed
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

#[cfg(test)]
mod tests {
    use super::*;
    use api_client::types::Availability;

    /// A fresh database with the demo catalog, in a folder of its own.
    async fn demo_shop(name: &str) -> (AnyPool, std::path::PathBuf) {
        let folder = std::env::temp_dir().join(format!("tessera-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).unwrap();
        let db = crate::store::connect(&crate::store::Database::Sqlite(folder.join("shop.db")), 2)
            .await
            .unwrap();
        crate::demo::seed_if_empty(&db).await.unwrap();
        (db, folder)
    }

    #[tokio::test]
    async fn a_cached_listing_follows_stock_changes() {
        let (db, folder) = demo_shop("listing").await;
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
        sqlx::query("UPDATE variants SET stock = 0, preorder_date = NULL WHERE product_id = $1")
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

    #[tokio::test]
    async fn a_misspelt_query_finds_the_product_and_facets_count_its_hits() {
        let (db, folder) = demo_shop("search").await;
        let cache = ListingCache::default();
        let page = list_products(
            &db,
            &cache,
            &ListProductsQuery {
                q: Some("meirno".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert!(
            page.items[0].title.contains("Merino"),
            "{:?}",
            page.items[0]
        );
        assert!(page.items.iter().any(|p| p.slug == "merino-crew-sweater"));
        let brands = &page
            .facets
            .iter()
            .find(|f| f.name == "brand")
            .unwrap()
            .values;
        let counted: i64 = brands.iter().map(|value| value.count).sum();
        assert_eq!(counted, page.total_count.unwrap());
        db.close().await;
        let _ = std::fs::remove_dir_all(&folder);
    }
}
