//! SEO for the page the shell lent us: document title, meta description, canonical URL, the
//! picture for link previews and a JSON-LD `Product`. The kit applies it (and puts the shell's
//! head back on unmount); the edge writes it into the first HTML.

use api_client::types::{Availability, Money, Product, Variant};
use json_codec::{ObjectWriter, ToJson};
use micro_app::edge::PageHead;

/// The head for `product` and the chosen variant's offer; the kit sets it in the browser and
/// hands it to the edge in a server-side render.
pub fn page_head(product: &Product, variant: Option<&Variant>) -> PageHead {
    let canonical_path = format!("/products/{}", product.slug);
    let url = format!("{}{canonical_path}", micro_app::page_origin());
    PageHead {
        title: format!("{} · {}", product.title, product.brand),
        description: Some(summary(&product.description)),
        image: product.media.first().map(|media| media.url.clone()),
        json_ld: Some(json_codec::to_string(&ProductJsonLd {
            product,
            variant,
            url: &url,
        })),
        canonical_path: Some(canonical_path),
    }
}

/// The first paragraph, cut at a word boundary to what search results show.
fn summary(description: &str) -> String {
    let first = description.split("\n\n").next().unwrap_or_default().trim();
    if first.chars().count() <= 160 {
        return first.to_owned();
    }
    let cut: String = first.chars().take(157).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |space| &cut[..space]);
    format!("{at_word}…")
}

pub fn decimal_amount(money: &Money) -> String {
    let places = design_system::currency_fraction_digits(&money.currency) as usize;
    if places == 0 {
        return money.amount.to_string();
    }
    let divisor = 10_i64.pow(places as u32);
    let sign = if money.amount < 0 { "-" } else { "" };
    let amount = money.amount.abs();
    format!("{sign}{}.{:0places$}", amount / divisor, amount % divisor)
}

fn schema_availability(availability: &Availability) -> &'static str {
    match availability {
        Availability::InStock => "https://schema.org/InStock",
        Availability::LowStock { .. } => "https://schema.org/LimitedAvailability",
        Availability::OutOfStock => "https://schema.org/OutOfStock",
        Availability::Preorder { .. } => "https://schema.org/PreOrder",
    }
}

/// The schema.org `Product` for search engines: the chosen variant's offer, or every variant's.
struct ProductJsonLd<'a> {
    product: &'a Product,
    variant: Option<&'a Variant>,
    url: &'a str,
}

impl ToJson for ProductJsonLd<'_> {
    fn write_json(&self, out: &mut String) {
        let product = self.product;
        let offers: Vec<Offer> = match self.variant {
            Some(variant) => vec![Offer {
                variant,
                url: self.url,
            }],
            None => product
                .variants
                .iter()
                .map(|variant| Offer {
                    variant,
                    url: self.url,
                })
                .collect(),
        };
        let images: Vec<&str> = product
            .media
            .iter()
            .map(|media| media.url.as_str())
            .collect();
        let mut object = ObjectWriter::new(out);
        object.field("@context", "https://schema.org");
        object.field("@type", "Product");
        object.field("name", &product.title);
        object.field("description", &summary(&product.description));
        object.field("brand", &Brand(&product.brand));
        object.field("image", &images);
        object.field("url", self.url);
        object.field("offers", &offers);
        if product.rating.count > 0 {
            object.field("aggregateRating", &AggregateRating(product));
        }
        object.end();
    }
}

struct Offer<'a> {
    variant: &'a Variant,
    url: &'a str,
}

impl ToJson for Offer<'_> {
    fn write_json(&self, out: &mut String) {
        let variant = self.variant;
        let mut object = ObjectWriter::new(out);
        object.field("@type", "Offer");
        object.field("sku", &variant.sku);
        object.field("price", &decimal_amount(&variant.price));
        object.field("priceCurrency", &variant.price.currency);
        object.field("availability", schema_availability(&variant.availability));
        object.field("url", &format!("{}?variant={}", self.url, variant.id));
        object.end();
    }
}

struct Brand<'a>(&'a str);

impl ToJson for Brand<'_> {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.field("@type", "Brand");
        object.field("name", self.0);
        object.end();
    }
}

struct AggregateRating<'a>(&'a Product);

impl ToJson for AggregateRating<'_> {
    fn write_json(&self, out: &mut String) {
        let rating = &self.0.rating;
        let mut object = ObjectWriter::new(out);
        object.field("@type", "AggregateRating");
        object.field("ratingValue", &((rating.average * 10.0).round() / 10.0));
        object.field("reviewCount", &rating.count);
        object.end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn amounts_use_the_currency_minor_unit() {
        let money = |amount, currency: &str| Money {
            amount,
            currency: currency.into(),
        };
        assert_eq!(decimal_amount(&money(12_905, "EUR")), "129.05");
        assert_eq!(decimal_amount(&money(7, "USD")), "0.07");
        assert_eq!(decimal_amount(&money(1500, "JPY")), "1500");
    }

    #[wasm_bindgen_test]
    fn summaries_stop_at_the_first_paragraph_and_a_word() {
        assert_eq!(summary("Short.\n\nMore."), "Short.");
        let long = "word ".repeat(60);
        let cut = summary(&long);
        assert!(cut.ends_with('…') && cut.chars().count() <= 160, "{cut}");
    }
}
