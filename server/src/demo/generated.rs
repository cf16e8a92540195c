//! A catalog big enough to measure and to browse: products generated on top of the demo
//! catalog (`--demo-products`).

use api_client::types::{OptionValue, ProductOption, SelectedOption};
use serde_json::json;
use sqlx::AnyPool;

use super::{COLORS, SIZES, image};
use crate::store::seed::{self, NewProduct, NewVariant};
use crate::store::{new_id, timestamp};

/// Materials, product kinds (with their category and whether they come in sizes) and brands the
/// generated catalog combines, so that search and facets over it behave like a real shop's.
const BENCH_MATERIALS: [&str; 12] = [
    "Merino", "Alpaca", "Linen", "Cotton", "Cashmere", "Hemp", "Silk", "Tweed", "Canvas",
    "Leather", "Bamboo", "Corduroy",
];
const BENCH_KINDS: [(&str, &str, bool); 12] = [
    ("Sweater", "apparel", true),
    ("Cardigan", "apparel", true),
    ("Shirt", "apparel", true),
    ("Jacket", "apparel", true),
    ("Sneaker", "footwear", true),
    ("Boot", "footwear", true),
    ("Cushion", "home", false),
    ("Throw", "home", false),
    ("Tote", "accessories", false),
    ("Beanie", "accessories", false),
    ("Hoodie", "outdoor", true),
    ("Hammock", "outdoor", false),
];
const BENCH_BRANDS: [&str; 8] = [
    "Northwind",
    "Fieldhouse",
    "Atelier Nord",
    "Indigo Row",
    "Summit Lab",
    "Hearth & Co",
    "Maison Lumière",
    "Fjällräv",
];

/// `count` generated products on top of the demo catalog (`--demo-products`, for benchmarks and
/// a catalog big enough to browse): material × kind titles ("Alpaca Cardigan 00042") across the
/// five categories, eight brands, one variant each in a colour (and a size for clothes and
/// shoes) with stock from none to plenty. SKUs are `BENCH-00001`, ….
pub async fn seed_bench_products(db: &AnyPool, count: usize) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    let started = time::OffsetDateTime::now_utc() - time::Duration::days(365);
    for index in 1..=count {
        let material = BENCH_MATERIALS[index % BENCH_MATERIALS.len()];
        let (kind, category, sized) =
            BENCH_KINDS[(index / BENCH_MATERIALS.len()) % BENCH_KINDS.len()];
        let brand = BENCH_BRANDS[(index * 7) % BENCH_BRANDS.len()];
        let (title, slug, product_id) = (
            format!("{material} {kind} {index:05}"),
            format!(
                "{}-{}-{index:05}",
                material.to_lowercase(),
                kind.to_lowercase()
            ),
            new_id(),
        );
        let (color, color_label, hex) = COLORS[index % COLORS.len()];
        let size = sized.then(|| SIZES[(index / 3) % SIZES.len()]);
        let media = [image(&slug, color, &title)];
        let mut options = vec![ProductOption {
            name: "color".into(),
            label: "Colour".into(),
            values: vec![OptionValue {
                value: color.into(),
                label: color_label.into(),
                swatch: Some(hex.into()),
            }],
        }];
        let mut selected = vec![SelectedOption {
            option: "color".into(),
            value: color.into(),
            option_label: Some("Colour".into()),
            value_label: Some(color_label.into()),
        }];
        if let Some(size) = size {
            options.push(ProductOption {
                name: "size".into(),
                label: "Size".into(),
                values: vec![OptionValue {
                    value: size.into(),
                    label: size.to_uppercase(),
                    swatch: None,
                }],
            });
            selected.push(SelectedOption {
                option: "size".into(),
                value: size.into(),
                option_label: Some("Size".into()),
                value_label: Some(size.to_uppercase()),
            });
        }
        let created = timestamp(started + time::Duration::minutes(index as i64 * 50));
        seed::insert_product(
            &mut tx,
            &NewProduct {
                id: &product_id,
                slug: &slug,
                title: &title,
                brand,
                description: &format!(
                    "A {kind} in {material} by {brand}, in {color_label}: made to last and easy to care for."
                ),
                categories: &json!([category]).to_string(),
                media: &serde_json::to_string(&media)?,
                options: &serde_json::to_string(&options)?,
                created_at: &created,
            },
        )
        .await?;
        let price = 1900 + (index as i64 * 37) % 19000;
        seed::insert_variant(
            &mut tx,
            &NewVariant {
                id: &new_id(),
                product_id: &product_id,
                sku: &format!("BENCH-{index:05}"),
                option_values: &serde_json::to_string(&selected)?,
                price,
                // Every fifth is on sale.
                compare_at: (index % 5 == 0).then_some(price + price / 4),
                stock: [50, 50, 50, 3, 0][index % 5],
                preorder_date: None,
                image: &serde_json::to_string(&media[0])?,
                position: 1,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
