//! The checkout flow's steps and the pieces the checkout and order pages share.

pub mod account;
mod address_step;
mod cart_step;
mod contact_step;
mod flow;
mod payment_step;
mod place_order;
mod review_step;
mod shipping_step;
mod summary;
mod timeline;

pub use address_step::AddressStep;
pub use cart_step::CartStep;
pub use contact_step::ContactStep;
pub use flow::{Flow, Step};
pub use payment_step::PaymentStep;
pub use place_order::send_queued;
pub use review_step::ReviewStep;
pub use shipping_step::ShippingStep;
pub use summary::{OrderSummary, SummaryLine, money};
pub use timeline::Timeline;
