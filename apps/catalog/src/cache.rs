//! The last copies of catalog answers, kept in `localStorage` so the pages can still show them
//! (read-only) while the API is unreachable: the categories, and the listings of the last few
//! catalog URLs visited. Storage being full or disabled only loses the copies.

use api_client::types::{CategoryList, ProductPage};
use micro_app::storage::{self, Store};

const CATEGORIES: &str = "tessera:catalog:categories";
const LISTING_PREFIX: &str = "tessera:catalog:listing:";
/// The URLs whose listings are kept, newest first, one per line.
const KEPT: &str = "tessera:catalog:kept";
const KEEP_LISTINGS: usize = 12;

pub fn keep_categories(list: &CategoryList) {
    storage::write(Store::Local, CATEGORIES, Some(&json_codec::to_string(list)));
}

pub fn recall_categories() -> Option<CategoryList> {
    json_codec::from_str(&storage::read(Store::Local, CATEGORIES)?).ok()
}

pub fn keep_listing(url: &str, page: &ProductPage) {
    let kept = storage::read(Store::Local, KEPT).unwrap_or_default();
    let mut urls: Vec<&str> = kept.lines().filter(|kept| *kept != url).collect();
    urls.insert(0, url);
    for dropped in urls.split_off(KEEP_LISTINGS.min(urls.len())) {
        storage::write(Store::Local, &format!("{LISTING_PREFIX}{dropped}"), None);
    }
    storage::write(Store::Local, KEPT, Some(&urls.join("\n")));
    storage::write(
        Store::Local,
        &format!("{LISTING_PREFIX}{url}"),
        Some(&json_codec::to_string(page)),
    );
}

pub fn recall_listing(url: &str) -> Option<ProductPage> {
    json_codec::from_str(&storage::read(
        Store::Local,
        &format!("{LISTING_PREFIX}{url}"),
    )?)
    .ok()
}
