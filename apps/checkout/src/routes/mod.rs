//! One module per page the checkout app renders: the checkout flow, an order's page and the
//! customer's account.

mod account;
mod checkout;
mod order;

pub use account::AccountPage;
pub use checkout::CheckoutPage;
pub use order::OrderPage;
