//! One module per page the checkout app renders: the checkout flow and an order's page.

mod checkout;
mod order;

pub use checkout::CheckoutPage;
pub use order::OrderPage;
