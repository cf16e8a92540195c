//! Asks why before an action that the audit trail records (pause, discard, apply a fix, replay
//! a batch): a dialog with a required reason. An empty reason is refused inline and nothing is
//! sent; a failure from the server stays in the dialog with its field error.

use design_system::{Alert, Button, ButtonVariant, Modal, TextField, Tone};
use leptos::prelude::*;

#[component]
pub fn ReasonDialog(
    open: RwSignal<bool>,
    /// The dialog's title: what is about to happen.
    #[prop(into)]
    title: Signal<String>,
    /// What the confirm button says.
    #[prop(into)]
    confirm: String,
    /// More about the action (how many letters, which fix).
    #[prop(into, optional)]
    description: MaybeProp<String>,
    /// The reason's first text (empty for a discard, which must be thought through).
    #[prop(into, optional)]
    suggestion: String,
    /// While the action is on its way.
    #[prop(into)]
    busy: Signal<bool>,
    /// The server's answer when it refused: the message and its field error for `reason`.
    #[prop(into)]
    failure: Signal<Option<(String, Option<String>)>>,
    /// Called with the trimmed, non-empty reason.
    on_confirm: Callback<String>,
    /// A destructive action's button is drawn as such.
    #[prop(optional)]
    destructive: bool,
    /// The text field's label, when the text is more than a reason (what shoppers will read).
    #[prop(into, default = Signal::stored("Reason".to_owned()))]
    label: Signal<String>,
) -> impl IntoView {
    let reason = RwSignal::new(suggestion.clone());
    let missing = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if open.get() {
            reason.set(suggestion.clone());
            missing.set(None);
        }
    });
    let submit = move || {
        let text = reason.get_untracked().trim().to_owned();
        if text.is_empty() {
            missing.set(Some(
                "Say why: the reason is kept with your name.".to_owned(),
            ));
            return;
        }
        missing.set(None);
        on_confirm.run(text);
    };
    let field_error = Signal::derive(move || {
        missing
            .get()
            .or_else(|| failure.get().and_then(|(_, field)| field))
    });
    let variant = if destructive {
        ButtonVariant::Danger
    } else {
        ButtonVariant::Primary
    };
    let confirm = StoredValue::new(confirm);
    view! {
        <Modal
            open
            title
            keep_open_on_backdrop=true
            footer=std::sync::Arc::new(move || view! {
                <Button variant=ButtonVariant::Secondary on_click=Callback::new(move |_| open.set(false))>"Cancel"</Button>
                <Button variant loading=busy on_click=Callback::new(move |_| submit())>
                    {confirm.get_value()}
                </Button>
            }.into_any())
        >
            {move || description.get().map(|text| view! { <p>{text}</p> })}
            {move || failure.get().map(|(message, _)| view! { <Alert tone=Tone::Danger>{message}</Alert> })}
            <form on:submit=move |event| { event.prevent_default(); submit(); } novalidate>
                <TextField label name="reason" value=reason required=true error=field_error/>
            </form>
        </Modal>
    }
}
