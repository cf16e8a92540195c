//! The product page's parts: the buy box, availability, reviews, related products and the
//! skeleton shown while the product loads.

mod availability;
mod buy_box;
mod related;
mod reviews;
mod skeleton;

pub use availability::AvailabilityNote;
pub use buy_box::BuyBox;
pub use related::RelatedProducts;
pub use reviews::Reviews;
pub use skeleton::ProductSkeleton;
