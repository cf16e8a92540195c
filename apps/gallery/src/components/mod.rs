//! Pieces of the gallery used by more than one page: the layout with its story navigation and
//! toolbar, the live control panel and the snippet block. Never renders story content itself.

mod controls;
mod layout;
mod snippet;

pub use controls::*;
pub use layout::*;
pub use snippet::*;
