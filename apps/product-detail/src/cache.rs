//! The last copy of each product seen, kept in `localStorage` so the page can still show it
//! (read-only) while the API is unreachable. Storage being full or disabled only loses the copy.

use api_client::types::Product;
use micro_app::storage::{self, Store};

const PREFIX: &str = "tessera:product-detail:product:";

pub fn keep(product: &Product) {
    let json = json_codec::to_string(product);
    storage::write(
        Store::Local,
        &format!("{PREFIX}{}", product.slug),
        Some(&json),
    );
}

pub fn recall(slug: &str) -> Option<Product> {
    let json = storage::read(Store::Local, &format!("{PREFIX}{slug}"))?;
    json_codec::from_str(&json).ok()
}
