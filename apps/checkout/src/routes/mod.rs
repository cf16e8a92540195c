mod checkout;
mod order;

pub use checkout::CheckoutPage;
pub use order::OrderPage;
