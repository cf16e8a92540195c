//! The gallery's pages, one file each. Never shares state between pages except through the URL.

mod component;
mod index;
mod not_found;
mod story;

pub use component::*;
pub use index::*;
pub use not_found::*;
pub use story::*;
