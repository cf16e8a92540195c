//! Stories of `Drawer`. Gallery only.

use leptos::prelude::*;

use super::{Drawer, DrawerPlacement};
use crate::button::Button;
use crate::modal::story::bound_open;
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories::new("Drawer", "drawer")
    .about("Side panel dialog: mini cart, filters.")
    .controls(&[
        Control::text("title", "Title", "Your cart"),
        Control::choice("placement", "Placement", &["end", "start"], "end"),
        Control::boolean("open", "Open", false),
    ])
    .stories(&[
        Story::new("Mini cart", "mini-cart", render)
            .about("From the end edge.")
            .snippet(r#"<Drawer open title="Your cart"><CartLines/></Drawer>"#),
        Story::new("Navigation", "navigation", render)
            .about("From the start edge.")
            .presets(&[("placement", "start"), ("title", "Menu")])
            .snippet(
                r#"<Drawer open title="Menu" placement=DrawerPlacement::Start><Nav/></Drawer>"#,
            ),
    ]);

fn render(controls: StoryControls) -> AnyView {
    let open = bound_open(controls);
    view! {
        <Button on_click=move |_| open.set(true)>"Open drawer"</Button>
        <Drawer
            open
            title=controls.text("title")
            placement=controls.choice("placement", &DrawerPlacement::ALL, DrawerPlacement::as_str)
            footer=std::sync::Arc::new(move || view! { <Button block=true>"Check out"</Button> }.into_any())
        >
            <p>"Ceramic mug × 1"</p>
        </Drawer>
    }
    .into_any()
}
