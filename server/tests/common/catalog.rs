//! Finding demo catalog variants of a kind (in stock, low stock, preorder) for a test to buy.

use api_client::types::{Availability, Product, Variant};

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
}
