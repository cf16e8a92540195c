//! Page objects: one per app, each knowing its selectors and journeys, so tests read as steps.

pub mod catalog;
pub mod checkout;
pub mod console;
pub mod gallery;
pub mod product;
