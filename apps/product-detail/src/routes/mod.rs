mod product;

pub use product::ProductPage;
