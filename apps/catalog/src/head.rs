//! SEO for the catalog's pages, the pages search engines land on: document title, meta
//! description, canonical URL (a category's first page, or its numbered page; filters and sort
//! are the same page seen differently) and a JSON-LD `ItemList` of the products shown. The kit
//! applies it in the browser and hands it to the edge in a server-side render.

use api_client::types::ProductSummary;
use json_codec::{ObjectWriter, ToJson};
use leptos::prelude::*;
use micro_app::SHOP_NAME;
use micro_app::edge::PageHead;

use crate::api::Listing;
use crate::routes::listing::category_of;
use crate::routes::{Page, Shown};
use crate::url;

/// Keeps the head in step with the page shown, until the calling page goes.
pub fn follow(shown: Shown) {
    if cfg!(feature = "ssr") {
        // No effects on the server: the head of the first render goes to the edge now.
        micro_app::page_head(untrack(|| page_head(&shown)));
        return;
    }
    Effect::new(move |_| micro_app::page_head(page_head(&shown)));
}

fn page_head(shown: &Shown) -> PageHead {
    let state = shown.state.get();
    let page_number = url::page_of(&state);
    let numbered = |title: String| match page_number {
        1 => title,
        page => format!("{title}, page {page}"),
    };
    let (items, total) = match shown.listing.get() {
        Some((_, Ok(Listing { page, .. }))) => {
            let total = page.total_count.unwrap_or(page.items.len() as i64);
            (page.items, total)
        }
        _ => (Vec::new(), 0),
    };
    let (name, description, canonical_path) = match shown.page.get() {
        Page::Home => (
            "Natural fibres, trail gear and things for the home".to_owned(),
            "Clothing in merino, linen and organic cotton, shoes for city and trail, and things for the home: made to last and sent within a day.".to_owned(),
            "/".to_owned(),
        ),
        Page::Category(slug) => {
            let category = category_of(shown);
            let name = category
                .as_ref()
                .map_or_else(|| slug.clone(), |category| category.name.clone());
            let description = category
                .and_then(|category| category.description)
                .unwrap_or_else(|| format!("{name} at {SHOP_NAME}."));
            let path = format!("/c/{slug}");
            let canonical = match page_number {
                1 => path,
                page => format!("{path}?page={page}"),
            };
            (numbered(name), format!("{description} {total} products."), canonical)
        }
        Page::Search => {
            let q = state.q.clone().unwrap_or_default();
            let canonical = url::href(
                "/search",
                &api_client::ListProductsQuery {
                    q: state.q.clone(),
                    page: state.page,
                    ..Default::default()
                },
            );
            let name = if q.is_empty() { "Every product".to_owned() } else { format!("Search: {q}") };
            (numbered(name), format!("{total} products matching “{q}” at {SHOP_NAME}."), canonical)
        }
    };
    let origin = micro_app::page_origin();
    let offset = (page_number - 1) as usize * state.limit.unwrap_or(url::PAGE_SIZE) as usize;
    PageHead {
        title: format!("{name} · {SHOP_NAME}"),
        description: Some(description),
        image: items
            .first()
            .and_then(|item| item.image.as_ref())
            .map(|image| image.url.clone()),
        json_ld: Some(json_codec::to_string(&ItemList {
            name: &name,
            url: &format!("{origin}{canonical_path}"),
            origin: &origin,
            items: &items,
            offset,
            total,
        })),
        canonical_path: Some(canonical_path),
    }
}

/// The schema.org `ItemList` of the products on the page, in order.
struct ItemList<'a> {
    name: &'a str,
    url: &'a str,
    origin: &'a str,
    items: &'a [ProductSummary],
    /// How many products earlier pages held, so positions run on across pages.
    offset: usize,
    total: i64,
}

impl ToJson for ItemList<'_> {
    fn write_json(&self, out: &mut String) {
        let elements: Vec<ListItem> = self
            .items
            .iter()
            .enumerate()
            .map(|(at, item)| ListItem {
                position: self.offset + at + 1,
                url: format!("{}/products/{}", self.origin, item.slug),
                name: &item.title,
            })
            .collect();
        let mut object = ObjectWriter::new(out);
        object.field("@context", "https://schema.org");
        object.field("@type", "ItemList");
        object.field("name", self.name);
        object.field("url", self.url);
        object.field("numberOfItems", &self.total);
        object.field("itemListElement", &elements);
        object.end();
    }
}

struct ListItem<'a> {
    position: usize,
    url: String,
    name: &'a str,
}

impl ToJson for ListItem<'_> {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.field("@type", "ListItem");
        object.field("position", &(self.position as u64));
        object.field("url", &self.url);
        object.field("name", self.name);
        object.end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_item_list_numbers_products_across_pages_and_escapes_names() {
        let item: ProductSummary = json_codec::from_str(
            r#"{"id":"1","slug":"crew","title":"Crew \"</script>\"","brand":"N","price":{"amount":100,"currency":"USD"},"availability":{"status":"in_stock"}}"#,
        )
        .unwrap();
        let json = json_codec::to_string(&ItemList {
            name: "Apparel",
            url: "https://shop.example/c/apparel",
            origin: "https://shop.example",
            items: &[item],
            offset: 24,
            total: 30,
        });
        assert!(json.contains(r#""position":25"#), "{json}");
        assert!(json.contains(r#""url":"https://shop.example/products/crew""#));
        assert!(
            json.contains(r#"\"</script>\""#),
            "quotes are escaped: {json}"
        );
        assert!(json_codec::parse(&json).is_ok());
    }
}
