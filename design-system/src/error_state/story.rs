//! Stories of `ErrorState`. Gallery only.

use std::time::Duration;

use leptos::prelude::*;

use super::ErrorState;
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories::new("ErrorState", "error-state")
    .about("A region failed to load; offer a retry.")
    .controls(&[
        Control::text("title", "Title", "Reviews did not load"),
        Control::text("detail", "Detail", "The rest of the page still works."),
    ])
    .stories(&[
        Story::new("With retry", "with-retry", render)
            .about("The retry button shows progress.")
            .snippet(r#"<ErrorState title="Reviews did not load" detail="The rest of the page still works." on_retry=move |_| reviews.refetch()/>"#),
    ]);

fn render(controls: StoryControls) -> AnyView {
    let retrying = RwSignal::new(false);
    let title = controls.text("title");
    let detail = controls.text("detail");
    view! {
        <ErrorState
            title=Signal::derive(move || Some(title.get()))
            detail=Signal::derive(move || Some(detail.get()))
            retrying
            on_retry=move |_| {
                retrying.set(true);
                set_timeout(move || retrying.set(false), Duration::from_millis(1500));
            }
        />
    }
    .into_any()
}
