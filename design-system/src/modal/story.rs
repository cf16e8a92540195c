//! Stories of `Modal`. Gallery only.

use leptos::prelude::*;

use super::Modal;
use crate::button::{Button, ButtonVariant};
use crate::stories::{ComponentStories, Control, Story, StoryControls};
use crate::text_field::TextField;

pub(crate) static STORIES: ComponentStories = ComponentStories::new("Modal", "modal")
    .about("Dialog with a focus trap; Escape closes and focus returns to the opener.")
    .controls(&[
        Control::text("title", "Title", "Remove item?"),
        Control::boolean("open", "Open", false),
    ])
    .stories(&[
        Story::new("Confirm", "confirm", render)
            .about("Open it with the button, Tab around, press Escape.")
            .snippet(r#"let open = RwSignal::new(false);
<Button on_click=move |_| open.set(true)>"Remove"</Button>
<Modal open title="Remove item?" footer=std::sync::Arc::new(move || view! { <Button>"Remove"</Button> }.into_any())>
    <p>"The mug leaves your cart."</p>
</Modal>"#),
        Story::new("Open with form", "open-form", render_form)
            .about("Starts open, with an input inside.")
            .presets(&[("open", "true"), ("title", "Add a gift note")])
            .snippet(r#"<Modal open title="Add a gift note" keep_open_on_backdrop=true>
    <TextField label="Note" name="gift_note" value=note/>
</Modal>"#),
    ]);

fn render(controls: StoryControls) -> AnyView {
    let open = bound_open(controls);
    view! {
        <Button on_click=move |_| open.set(true)>"Remove item"</Button>
        <Modal
            open
            title=controls.text("title")
            footer=std::sync::Arc::new(move || {
                view! {
                    <Button variant=ButtonVariant::Subtle on_click=move |_| open.set(false)>"Keep it"</Button>
                    <Button variant=ButtonVariant::Danger on_click=move |_| open.set(false)>"Remove"</Button>
                }
                    .into_any()
            })
        >
            <p>"The ceramic mug leaves your cart."</p>
        </Modal>
    }
    .into_any()
}

fn render_form(controls: StoryControls) -> AnyView {
    let open = bound_open(controls);
    let note = RwSignal::new(String::new());
    view! {
        <Button on_click=move |_| open.set(true)>"Add a gift note"</Button>
        <Modal open title=controls.text("title") keep_open_on_backdrop=true>
            <TextField label="Note" name="gift_note" value=note/>
        </Modal>
    }
    .into_any()
}

/// The dialog's own open signal, kept in step with the "Open" control both ways.
pub(crate) fn bound_open(controls: StoryControls) -> RwSignal<bool> {
    let control = controls.signal("open");
    let open = RwSignal::new(control.get_untracked() == "true");
    Effect::new(move |_| open.set(control.get() == "true"));
    Effect::new(move |_| {
        let value = if open.get() { "true" } else { "false" };
        if control.get_untracked() != value {
            control.set(value.to_owned());
        }
    });
    open
}
