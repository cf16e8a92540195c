//! The last copy of each product seen, kept in `localStorage` so the page can still show it
//! (read-only) while the API is unreachable. Storage being full or disabled only loses the copy.

use api_client::types::Product;

const PREFIX: &str = "tessera:product-detail:product:";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn keep(product: &Product) {
    if let Some(storage) = storage() {
        let json = json_codec::to_string(product);
        let _ = storage.set_item(&format!("{PREFIX}{}", product.slug), &json);
    }
}

pub fn recall(slug: &str) -> Option<Product> {
    let json = storage()?.get_item(&format!("{PREFIX}{slug}")).ok()??;
    json_codec::from_str(&json).ok()
}
