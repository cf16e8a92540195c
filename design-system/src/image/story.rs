//! Stories of `Image`. Gallery only. The sources are inline SVG data URLs, so the gallery needs
//! no image server.

use leptos::prelude::*;

use super::Image;
use crate::stories::{ComponentStories, Control, Story, StoryControls};

/// A tiny generated picture in one of a few product colours, used by image stories.
pub(crate) fn sample_image_url(hue: u32, label: &str) -> String {
    let svg = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 400 300'><rect width='400' height='300' fill='hsl({hue},45%,55%)'/><circle cx='200' cy='150' r='80' fill='hsl({hue},45%,35%)'/><text x='200' y='160' font-size='36' text-anchor='middle' fill='white' font-family='sans-serif'>{label}</text></svg>"
    );
    format!(
        "data:image/svg+xml,{}",
        String::from(js_sys::encode_uri_component(&svg))
    )
}

pub(crate) static STORIES: ComponentStories = ComponentStories::new("Image", "image")
    .about("Lazy image with reserved space and a placeholder.")
    .controls(&[
        Control::text("alt", "Alt text", "Blue ceramic mug"),
        Control::number("width", "Display width (px)", (80.0, 800.0, 10.0), "320"),
        Control::boolean("broken", "Broken source", false),
    ])
    .stories(&[
        Story::new("Loaded", "loaded", render)
            .about("Width and height reserve a 4:3 box.")
            .snippet(r#"<Image src=url alt="Blue ceramic mug" width=400 height=300/>"#),
        Story::new("Placeholder", "placeholder", render)
            .about("What shows while loading or when the source fails.")
            .presets(&[("broken", "true")])
            .snippet(r#"<Image src=url alt="Blue ceramic mug" aspect_ratio="4 / 3"/>"#),
    ]);

fn render(controls: StoryControls) -> AnyView {
    let broken = controls.flag("broken");
    let width = controls.number("width");
    let src = Signal::derive(move || {
        if broken.get() {
            "/missing-image.png".to_owned()
        } else {
            sample_image_url(210, "Mug")
        }
    });
    view! {
        <div style=move || format!("width:{}px", width.get())>
            <Image src alt=controls.text("alt") width=400u32 height=300u32/>
        </div>
    }
    .into_any()
}
