//! The catalog's parts: the search box, product cards and their grid, the facet filters, the sort
//! control and the pager.

mod facets;
mod pager;
mod product_card;
mod search_box;
mod sort;

pub use facets::Facets;
pub use pager::Pager;
pub use product_card::ProductGrid;
pub use search_box::SearchBox;
pub use sort::SortControl;
