//! Stories of `Button`: each variant, size, loading and disabled. Gallery only.

use leptos::prelude::*;

use super::{Button, ButtonSize, ButtonVariant};
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories::new("Button", "button")
    .about("Triggers an action. One primary button per view.")
    .controls(&[
        Control::text("label", "Label", "Add to cart"),
        Control::choice(
            "variant",
            "Variant",
            &["primary", "secondary", "subtle", "danger"],
            "primary",
        ),
        Control::choice("size", "Size", &["small", "medium", "large"], "medium"),
        Control::boolean("loading", "Loading", false),
        Control::boolean("disabled", "Disabled", false),
    ])
    .stories(&[
        Story::new("Primary", "primary", render)
            .about("The main call to action.")
            .snippet(r#"<Button on_click=move |_| add_to_cart()>"Add to cart"</Button>"#),
        Story::new("Secondary", "secondary", render)
            .about("A second action next to a primary one.")
            .presets(&[("variant", "secondary"), ("label", "Save for later")])
            .snippet(r#"<Button variant=ButtonVariant::Secondary>"Save for later"</Button>"#),
        Story::new("Subtle", "subtle", render)
            .about("Low-emphasis action.")
            .presets(&[("variant", "subtle"), ("label", "Cancel")])
            .snippet(r#"<Button variant=ButtonVariant::Subtle>"Cancel"</Button>"#),
        Story::new("Danger", "danger", render)
            .about("Destructive action.")
            .presets(&[("variant", "danger"), ("label", "Remove item")])
            .snippet(r#"<Button variant=ButtonVariant::Danger>"Remove item"</Button>"#),
        Story::new("Sizes", "sizes", render_sizes)
            .about("Small, medium and large side by side.")
            .snippet(
                r#"<Button size=ButtonSize::Small>"Small"</Button>
<Button>"Medium"</Button>
<Button size=ButtonSize::Large>"Large"</Button>"#,
            ),
        Story::new("Loading", "loading", render)
            .about("Busy while a request runs: stays focusable, ignores clicks.")
            .presets(&[("loading", "true"), ("label", "Placing order")])
            .snippet(r#"<Button loading=placing_order>"Place order"</Button>"#),
        Story::new("Disabled", "disabled", render)
            .about("Not available right now.")
            .presets(&[("disabled", "true")])
            .snippet(r#"<Button disabled=true>"Add to cart"</Button>"#),
    ]);

fn render(controls: StoryControls) -> AnyView {
    let label = controls.text("label");
    view! {
        <Button
            variant=controls.choice("variant", &ButtonVariant::ALL, ButtonVariant::as_str)
            size=controls.choice("size", &ButtonSize::ALL, ButtonSize::as_str)
            loading=controls.flag("loading")
            disabled=controls.flag("disabled")
        >
            {move || label.get()}
        </Button>
    }
    .into_any()
}

fn render_sizes(controls: StoryControls) -> AnyView {
    let variant = controls.choice("variant", &ButtonVariant::ALL, ButtonVariant::as_str);
    view! {
        <div style="display:flex;gap:1rem;align-items:center;flex-wrap:wrap">
            <Button variant size=ButtonSize::Small>"Small"</Button>
            <Button variant>"Medium"</Button>
            <Button variant size=ButtonSize::Large>"Large"</Button>
        </div>
    }
    .into_any()
}
