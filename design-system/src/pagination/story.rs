//! Stories of `Pagination`. Gallery only.

use leptos::prelude::*;

use super::Pagination;
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories::new("Pagination", "pagination")
    .about("Previous and next pages of a listing the server pages.")
    .controls(&[Control::text("label", "Label", "Listings pages")])
    .stories(&[Story::new("Three pages", "three-pages", render)
        .about("Previous is disabled on the first page, Next on the last.")
        .snippet(
            r#"<Pagination label="Listings pages" page has_next
    on_previous=Callback::new(move |_| page.update(|page| *page -= 1))
    on_next=Callback::new(move |_| page.update(|page| *page += 1))/>"#,
        )]);

fn render(controls: StoryControls) -> AnyView {
    let page = RwSignal::new(1_usize);
    view! {
        <Pagination
            label=controls.text("label")
            page
            has_next=Signal::derive(move || page.get() < 3)
            on_previous=Callback::new(move |_| page.update(|page| *page = page.saturating_sub(1).max(1)))
            on_next=Callback::new(move |_| page.update(|page| *page += 1))
        />
    }
    .into_any()
}
