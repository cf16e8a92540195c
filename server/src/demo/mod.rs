//! The demo catalog seeded on first start: 26 products in 5 categories with colour and size
//! options, SVG product images drawn by the server, realistic prices and compare-at prices, stock
//! that covers in stock, low stock, out of stock and preorder, reviews, and promotion codes
//! (valid, expired, minimum spend). Generated deterministically, so every fresh shop is the same.

use api_client::types::{Address, Media, OptionValue, ProductOption, SelectedOption};
use serde_json::json;
use sqlx::AnyPool;

use crate::store::seed::{self, NewCategory, NewProduct, NewPromotion, NewReview, NewVariant};
use crate::store::{new_id, now, timestamp};

mod generated;
pub use generated::seed_bench_products;

const CATEGORIES: [(&str, &str, &str); 5] = [
    ("apparel", "Apparel", "Everyday clothing in natural fibres."),
    ("footwear", "Footwear", "Shoes for city, trail and rest."),
    ("home", "Home", "Things that make a house feel lived in."),
    (
        "accessories",
        "Accessories",
        "Bags, hats and small companions.",
    ),
    ("outdoor", "Outdoor", "Gear for weekends outside."),
];

/// (category, title, brand, base price in cents, has sizes)
const PRODUCTS: [(&str, &str, &str, i64, bool); 26] = [
    ("apparel", "Merino Crew Sweater", "Northwind", 8900, true),
    ("apparel", "Organic Cotton Tee", "Fieldhouse", 2800, true),
    ("apparel", "Linen Overshirt", "Atelier Nord", 7400, true),
    ("apparel", "Recycled Down Vest", "Northwind", 12900, true),
    (
        "apparel",
        "Selvedge Denim Jacket",
        "Indigo Row",
        15800,
        true,
    ),
    ("apparel", "Fleece Half-Zip", "Fieldhouse", 6400, true),
    ("footwear", "Trail Runner 2", "Summit Lab", 13500, true),
    ("footwear", "Canvas Court Sneaker", "Fieldhouse", 6900, true),
    (
        "footwear",
        "Leather Chelsea Boot",
        "Atelier Nord",
        21900,
        true,
    ),
    ("footwear", "Wool Slipper", "Hearth & Co", 5400, true),
    ("footwear", "Approach Shoe", "Summit Lab", 14900, true),
    ("home", "Stoneware Mug Set", "Hearth & Co", 3600, false),
    ("home", "Linen Duvet Cover", "Atelier Nord", 16900, false),
    ("home", "Cast Iron Skillet", "Hearth & Co", 4900, false),
    ("home", "Wool Throw Blanket", "Northwind", 9800, false),
    ("home", "Pour-Over Coffee Kit", "Hearth & Co", 5800, false),
    (
        "accessories",
        "Waxed Canvas Tote",
        "Indigo Row",
        7800,
        false,
    ),
    ("accessories", "Merino Beanie", "Northwind", 3200, false),
    (
        "accessories",
        "Leather Card Wallet",
        "Atelier Nord",
        4500,
        false,
    ),
    ("accessories", "Insulated Bottle", "Summit Lab", 3400, false),
    (
        "accessories",
        "Rolltop Backpack",
        "Indigo Row",
        11900,
        false,
    ),
    ("outdoor", "Ultralight Tent", "Summit Lab", 38900, false),
    ("outdoor", "Down Sleeping Bag", "Northwind", 27900, false),
    ("outdoor", "Camp Stove", "Summit Lab", 8900, false),
    ("outdoor", "Trekking Poles", "Summit Lab", 9900, false),
    ("outdoor", "Packable Rain Shell", "Fieldhouse", 11400, true),
];

const COLORS: [(&str, &str, &str); 6] = [
    ("charcoal", "Charcoal", "#36454f"),
    ("forest", "Forest", "#2e5e3e"),
    ("sand", "Sand", "#c2b280"),
    ("navy", "Navy", "#1f3a5f"),
    ("rust", "Rust", "#a0522d"),
    ("oat", "Oat", "#dfd3bc"),
];

const SIZES: [&str; 4] = ["s", "m", "l", "xl"];

const AUTHORS: [&str; 8] = [
    "Ada", "Grace", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances",
];
const REVIEW_LINES: [(&str, &str); 5] = [
    (
        "Disappointing",
        "Did not hold up; the seams came apart after a month.",
    ),
    (
        "Not for me",
        "Runs small and the colour is darker than pictured.",
    ),
    ("Decent", "Does the job. Nothing special, nothing wrong."),
    ("Really good", "Well made and comfortable. Would buy again."),
    ("Excellent", "The best one I have owned. Worth every cent."),
];

/// A small deterministic generator, so the demo shop is identical on every machine.
struct Sequence(u64);

impl Sequence {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

pub fn slug_of(title: &str) -> String {
    title
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

fn image(slug: &str, color: &str, alt: &str) -> Media {
    Media {
        url: format!("/media/{slug}--{color}.svg"),
        alt: alt.to_owned(),
        width: 800,
        height: 800,
    }
}

/// An 800×800 SVG placeholder: the product's colour, its initials and its title. Every piece of
/// text is XML-escaped: the SVG is served from the shop's origin, so markup in it would run there.
pub fn product_svg(title: &str, color: &str) -> String {
    let hex = COLORS
        .iter()
        .find(|(value, _, _)| *value == color)
        .map(|(_, _, hex)| *hex)
        .unwrap_or("#777777");
    let initials: String = title
        .split_whitespace()
        .filter_map(|word| word.chars().next())
        .take(2)
        .collect();
    let (title, initials) = (
        crate::markup::escaped(title),
        crate::markup::escaped(&initials),
    );
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800" viewBox="0 0 800 800" role="img" aria-label="{title}"><rect width="800" height="800" fill="#f4f1ea"/><circle cx="400" cy="360" r="220" fill="{hex}"/><text x="400" y="400" font-family="sans-serif" font-size="140" fill="#ffffff" text-anchor="middle">{initials}</text><text x="400" y="690" font-family="sans-serif" font-size="40" fill="#333333" text-anchor="middle">{title}</text></svg>"##
    )
}

pub async fn seed_if_empty(db: &AnyPool) -> anyhow::Result<bool> {
    if seed::count_products(db).await? > 0 {
        return Ok(false);
    }
    let mut tx = db.begin().await?;
    for (position, (slug, name, description)) in CATEGORIES.iter().enumerate() {
        seed::insert_category(
            &mut tx,
            &NewCategory {
                slug,
                name,
                description,
                position: position as i64,
            },
        )
        .await?;
    }
    let mut random = Sequence(0x7e55e7a);
    let started = time::OffsetDateTime::now_utc() - time::Duration::days(120);
    for (index, (category, title, brand, base_price, sized)) in PRODUCTS.iter().enumerate() {
        let slug = slug_of(title);
        let product_id = new_id();
        let colors: Vec<_> = (0..3)
            .map(|offset| COLORS[(index + offset * 2) % COLORS.len()])
            .collect();
        let mut options = vec![ProductOption {
            name: "color".into(),
            label: "Colour".into(),
            values: colors
                .iter()
                .map(|(value, label, hex)| OptionValue {
                    value: (*value).into(),
                    label: (*label).into(),
                    swatch: Some((*hex).into()),
                })
                .collect(),
        }];
        if *sized {
            options.push(ProductOption {
                name: "size".into(),
                label: "Size".into(),
                values: SIZES
                    .iter()
                    .map(|s| OptionValue {
                        value: (*s).into(),
                        label: s.to_uppercase(),
                        swatch: None,
                    })
                    .collect(),
            });
        }
        let media: Vec<Media> = colors
            .iter()
            .map(|(value, label, _)| image(&slug, value, &format!("{title} in {label}")))
            .collect();
        let created = timestamp(started + time::Duration::days(index as i64 * 4));
        seed::insert_product(
            &mut tx,
            &NewProduct {
                id: &product_id,
                slug: &slug,
                title,
                brand,
                description: &format!(
                    "The {title} by {brand}: designed to last, made from responsibly sourced materials, and covered by a two-year warranty."
                ),
                categories: &json!([category]).to_string(),
                media: &serde_json::to_string(&media)?,
                options: &serde_json::to_string(&options)?,
                created_at: &created,
            },
        )
        .await?;

        // Every third product is on sale: its compare-at price is the regular one.
        let on_sale = index % 3 == 0;
        let sizes: Vec<Option<&str>> = if *sized {
            SIZES.iter().map(|s| Some(*s)).collect()
        } else {
            vec![None]
        };
        let mut position = 0;
        for (color_index, (color, color_label, _)) in colors.iter().enumerate() {
            for size in &sizes {
                position += 1;
                let mut option_values = vec![SelectedOption {
                    option: "color".into(),
                    value: (*color).into(),
                    option_label: Some("Colour".into()),
                    value_label: Some((*color_label).into()),
                }];
                if let Some(size) = size {
                    option_values.push(SelectedOption {
                        option: "size".into(),
                        value: (*size).into(),
                        option_label: Some("Size".into()),
                        value_label: Some(size.to_uppercase()),
                    });
                }
                // XL costs a little more; a sale takes 20 % off.
                let regular = base_price + if *size == Some("xl") { 500 } else { 0 };
                let (price, compare_at) = if on_sale {
                    (regular * 4 / 5 - 1, Some(regular))
                } else {
                    (regular, None)
                };
                // A spread of stock states: mostly in stock, some low, some sold out, and the
                // third colour of every fifth product on preorder.
                let (stock, preorder) = match (index % 5 == 4 && color_index == 2, random.next(10))
                {
                    (true, _) => (0, Some("2027-02-15")),
                    (false, 0) => (0, None),
                    (false, 1 | 2) => (1 + random.next(5) as i64, None),
                    _ => (8 + random.next(40) as i64, None),
                };
                let sku = format!(
                    "{}-{}{}",
                    slug.split('-')
                        .map(|w| &w[..1])
                        .collect::<String>()
                        .to_uppercase(),
                    &color[..3].to_uppercase(),
                    size.map(|s| format!("-{}", s.to_uppercase()))
                        .unwrap_or_default()
                );
                seed::insert_variant(
                    &mut tx,
                    &NewVariant {
                        id: &new_id(),
                        product_id: &product_id,
                        sku: &format!("{sku}-{index:02}"),
                        option_values: &serde_json::to_string(&option_values)?,
                        price,
                        compare_at,
                        stock,
                        preorder_date: preorder,
                        image: &serde_json::to_string(&media[color_index])?,
                        position,
                    },
                )
                .await?;
            }
        }

        let review_count = random.next(9);
        for review in 0..review_count {
            // Skewed towards good reviews, as real shops are.
            let stars = [5, 5, 4, 4, 4, 3, 5, 2, 1][random.next(9) as usize];
            let (headline, body) = REVIEW_LINES[stars as usize - 1];
            seed::insert_review(
                &mut tx,
                &NewReview {
                    id: &new_id(),
                    product_id: &product_id,
                    rating: stars,
                    title: headline,
                    body,
                    author_name: AUTHORS[random.next(AUTHORS.len() as u64) as usize],
                    verified: random.next(3) != 0,
                    helpful: random.next(30) as i64,
                    created_at: &timestamp(
                        started + time::Duration::days(index as i64 * 4 + 10 + review as i64 * 3),
                    ),
                },
            )
            .await?;
        }
    }
    let year_ago = timestamp(time::OffsetDateTime::now_utc() - time::Duration::days(365));
    for (code, description, percent, amount, min, expires) in [
        ("WELCOME10", "10 % off your order", Some(10), None, 0, None),
        (
            "SAVE20",
            "$20 off orders of $100 or more",
            None,
            Some(2000),
            10_000,
            None,
        ),
        (
            "SUMMER15",
            "15 % off (summer sale, ended)",
            Some(15),
            None,
            0,
            Some(year_ago.clone()),
        ),
    ] {
        seed::insert_promotion(
            &mut tx,
            &NewPromotion {
                code,
                description,
                percent_off: percent,
                amount_off: amount,
                min_subtotal: min,
                expires_at: expires.as_deref(),
            },
        )
        .await?;
    }
    tx.commit().await?;
    seed_kiosk_pickup(db).await?;
    tracing::info!(at = %now(), "demo data written");
    Ok(true)
}

/// The demo shop's store, where its kiosks' orders are collected.
async fn seed_kiosk_pickup(db: &AnyPool) -> anyhow::Result<()> {
    let counter = Address {
        name: "Tessera Market Street, pickup counter".into(),
        line1: "1 Market Street".into(),
        line2: None,
        city: "San Francisco".into(),
        region: Some("CA".into()),
        postal_code: "94105".into(),
        country: "US".into(),
        phone: None,
    };
    crate::store::kiosk::change_policy(
        db,
        &crate::store::kiosk::PolicyRow {
            open: true,
            message: None,
            pickup_address: Some(serde_json::to_string(&counter)?),
            changed_at: now(),
            changed_by: crate::store::kiosk::SEEDED_BY.into(),
        },
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lower_case_words_joined_by_hyphens() {
        assert_eq!(slug_of("Pour-Over Coffee Kit"), "pour-over-coffee-kit");
        assert_eq!(slug_of("Trail Runner 2"), "trail-runner-2");
    }

    #[test]
    fn product_images_are_svg_in_the_variant_colour() {
        let svg = product_svg("Merino Crew Sweater", "forest");
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("#2e5e3e"));
        assert!(svg.contains(">MC</text>"));
        assert!(svg.contains("Merino Crew Sweater"));
    }

    #[test]
    fn markup_in_a_title_stays_text() {
        let svg = product_svg("a\" onload=\"alert(1)<script>x</script>&", "red");
        assert!(!svg.contains("\" onload"), "{svg}");
        assert!(!svg.contains("<script"), "{svg}");
        assert!(svg.contains("a&quot; onload=&quot;alert(1)&lt;script&gt;x&lt;/script&gt;&amp;"));
        assert!(svg.contains("#777777"), "an unknown colour is drawn grey");
    }
}
