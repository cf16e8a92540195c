//! Finding demo catalog variants of a kind (in stock, low stock, preorder) for a test to buy.

use std::time::Duration;

use api_client::types::{Availability, Cart, Product, Variant};
use reqwest::StatusCode;

use super::Shop;

impl Shop {
    /// What `pick` makes of the first demo catalog variant it accepts.
    async fn first_variant<T>(&self, pick: impl Fn(&Product, &Variant) -> Option<T>) -> Option<T> {
        for summary in self.products("limit=100").await.items {
            let product = self.product(&summary.slug).await;
            if let Some(found) = product.variants.iter().find_map(|v| pick(&product, v)) {
                return Some(found);
            }
        }
        None
    }

    /// A preorder variant: it sells without stock, so any number of orders confirm.
    pub async fn preorder_variant(&self) -> String {
        self.first_variant(|_, variant| {
            matches!(variant.availability, Availability::Preorder { .. })
                .then(|| variant.id.clone())
        })
        .await
        .expect("a preorder variant in the demo catalog")
    }

    /// A variant with few units left, and how many.
    pub async fn low_stock_variant(&self) -> (String, i32) {
        self.first_variant(|_, variant| match variant.availability {
            Availability::LowStock { remaining } => Some((variant.id.clone(), remaining)),
            _ => None,
        })
        .await
        .expect("a low-stock variant in the demo catalog")
    }

    /// A variant that can be bought `quantity` times (in stock, not preorder).
    pub async fn buyable_variant(&self, quantity: i32) -> (Product, String) {
        self.first_variant(|product, variant| {
            let stock = match variant.availability {
                Availability::InStock => 6,
                Availability::LowStock { remaining } => remaining,
                _ => 0,
            };
            (stock >= quantity).then(|| (product.clone(), variant.id.clone()))
        })
        .await
        .unwrap_or_else(|| panic!("no variant with {quantity} units in the demo catalog"))
    }

    /// A cart with one unit of a buyable variant. The inventory consumer reserves the stock of
    /// orders placed just before in the background, so the variant read as buyable may sell out
    /// before its cart is made: then the pick is made again once that reservation has landed.
    pub async fn cart_of_one_buyable(&self) -> Cart {
        for _ in 0..50 {
            let (_, variant) = self.buyable_variant(1).await;
            let response = self.cart_request(&variant, 1).send().await.unwrap();
            if response.status() != StatusCode::UNPROCESSABLE_ENTITY {
                return super::json_of(response, StatusCode::CREATED).await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("every buyable variant sold out between reading the catalog and making a cart");
    }
}
