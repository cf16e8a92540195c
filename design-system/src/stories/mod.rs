//! The story catalogue the gallery renders: for each component its live controls and its
//! stories (one per variant or state), each with a render function and a usage snippet.
//! Compiled only with the `stories` feature, so micro apps never ship it; never imported by a
//! component.

mod types;

pub use types::*;

/// Every documented component, in the order the gallery lists them.
pub fn all_components() -> Vec<&'static ComponentStories> {
    vec![
        &crate::button::story::STORIES,
        &crate::icon::story::STORIES,
        &crate::icon_button::story::STORIES,
        &crate::link::story::STORIES,
        &crate::badge::story::STORIES,
        &crate::tag::story::STORIES,
        &crate::price::story::STORIES,
        &crate::rating::story::STORIES,
        &crate::image::story::STORIES,
        &crate::media_gallery::story::STORIES,
        &crate::option_picker::story::STORIES,
        &crate::swatches::story::STORIES,
        &crate::quantity_stepper::story::STORIES,
        &crate::text_field::story::STORIES,
        &crate::select::story::STORIES,
        &crate::checkbox::story::STORIES,
        &crate::radio_group::story::STORIES,
        &crate::field_errors::story::STORIES,
        &crate::alert::story::STORIES,
        &crate::toast::story::STORIES,
        &crate::skeleton::story::STORIES,
        &crate::spinner::story::STORIES,
        &crate::modal::story::STORIES,
        &crate::drawer::story::STORIES,
        &crate::tabs::story::STORIES,
        &crate::stepper::story::STORIES,
        &crate::table::story::STORIES,
        &crate::pagination::story::STORIES,
        &crate::empty_state::story::STORIES,
        &crate::error_state::story::STORIES,
        &crate::line_chart::story::STORIES,
        &crate::bar_chart::story::STORIES,
    ]
}

/// Finds a component by its slug.
pub fn find_component(slug: &str) -> Option<&'static ComponentStories> {
    all_components()
        .into_iter()
        .find(|component| component.slug == slug)
}
