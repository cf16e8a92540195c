//! Stories of `MediaGallery`. Gallery only.

use leptos::prelude::*;

use super::{MediaGallery, MediaItem};
use crate::image::story::sample_image_url;
use crate::stories::{ComponentStories, Control, Story, StoryControls};

/// Sample pictures for stories and tests.
pub(crate) fn sample_items(count: usize) -> Vec<MediaItem> {
    (0..count)
        .map(|index| MediaItem {
            src: sample_image_url(40 + index as u32 * 60, &format!("View {}", index + 1)),
            thumbnail_src: None,
            alt: format!("Mug, view {}", index + 1),
            width: 400,
            height: 300,
        })
        .collect()
}

pub(crate) static STORIES: ComponentStories =
    ComponentStories::new("MediaGallery", "media-gallery")
        .about("Main image with thumbnails; arrow keys move between them.")
        .controls(&[Control::number(
            "count",
            "Number of images",
            (1.0, 8.0, 1.0),
            "4",
        )])
        .stories(&[
            Story::new("Several images", "several", render)
                .about("Focus a thumbnail, then use the arrow keys, Home and End.")
                .snippet(r#"<MediaGallery label="Ceramic mug" items=product_images/>"#),
            Story::new("Single image", "single", render)
                .about("No previous or next buttons.")
                .presets(&[("count", "1")])
                .snippet(r#"<MediaGallery label="Ceramic mug" items=vec![image]/>"#),
        ]);

fn render(controls: StoryControls) -> AnyView {
    let count = controls.number("count");
    let items = Signal::derive(move || sample_items(count.get().clamp(1.0, 8.0) as usize));
    view! {
        <div style="max-width:28rem">
            <MediaGallery label="Ceramic mug" items/>
        </div>
    }
    .into_any()
}
