//! One module per page the product-detail app renders.

mod product;

pub use product::ProductPage;
