//! Tessera's design system: design tokens as namespaced CSS custom properties (`--ts-*`) with
//! light, dark and a second brand theme, and accessible Leptos 0.8 components (`ts-*` classes)
//! that inject their own CSS once per document. With the `stories` feature it also carries the
//! story catalogue the gallery renders.
//! Never depends on a router or on api-client, and never ships story code without `stories`.

#[path = "_a11y/mod.rs"]
mod a11y;
#[path = "_util/mod.rs"]
mod util;

mod alert;
mod badge;
mod bar_chart;
mod button;
mod checkbox;
mod drawer;
mod empty_state;
mod error_state;
mod field_errors;
mod icon;
mod icon_button;
mod image;
mod line_chart;
mod link;
mod media_gallery;
mod modal;
mod option_picker;
mod pagination;
mod price;
mod quantity_stepper;
mod radio_group;
mod rating;
mod select;
mod skeleton;
mod spinner;
mod stepper;
#[cfg(feature = "stories")]
mod stories;
mod swatches;
mod table;
mod tabs;
mod tag;
mod text_field;
mod theme_provider;
mod toast;
mod tokens;

#[cfg(feature = "ssr")]
pub use util::rendered_styles::take as take_rendered_styles;

pub use alert::*;
pub use badge::*;
pub use bar_chart::*;
pub use button::*;
pub use checkbox::*;
pub use drawer::*;
pub use empty_state::*;
pub use error_state::*;
pub use field_errors::*;
pub use icon::*;
pub use icon_button::*;
pub use image::*;
pub use line_chart::*;
pub use link::*;
pub use media_gallery::*;
pub use modal::*;
pub use option_picker::*;
pub use pagination::*;
pub use price::*;
pub use quantity_stepper::*;
pub use radio_group::*;
pub use rating::*;
pub use select::*;
pub use skeleton::*;
pub use spinner::*;
pub use stepper::*;
#[cfg(feature = "stories")]
pub use stories::*;
pub use swatches::*;
pub use table::*;
pub use tabs::*;
pub use tag::*;
pub use text_field::*;
pub use theme_provider::*;
pub use toast::*;
pub use tokens::*;
