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
