//! The live control panel: one input per control of the component, bound to the story's
//! `StoryControls` signals so the preview re-renders as props change. Text and choices use the
//! design system's own TextField and Select; booleans and numbers are native inputs.
//! Never interprets values: stories parse them.

use design_system::{Control, ControlKind, Select, SelectOption, StoryControls, TextField};
use leptos::prelude::*;

/// Inputs for every control.
#[component]
pub fn ControlPanel(
    /// The component's controls.
    controls: &'static [Control],
    /// The live values.
    values: StoryControls,
) -> impl IntoView {
    view! {
        <form class="gallery__controls" on:submit=|event| event.prevent_default()>
            {controls.iter().map(|control| control_input(control, values)).collect_view()}
        </form>
    }
}

fn control_input(control: &'static Control, values: StoryControls) -> AnyView {
    let value = values.signal(control.key);
    let input_id = format!("gallery-control-{}", control.key);
    match &control.kind {
        ControlKind::Text => {
            view! { <TextField label=control.label name=format!("control.{}", control.key) value/> }
                .into_any()
        }
        ControlKind::Choice(names) => {
            let options: Vec<SelectOption> = names
                .iter()
                .map(|name| SelectOption::new(*name, *name))
                .collect();
            view! { <Select label=control.label name=format!("control.{}", control.key) options value/> }.into_any()
        }
        ControlKind::Boolean => view! {
            <div class="gallery__control gallery__control--boolean">
                <input
                    id=input_id.clone()
                    type="checkbox"
                    data-control=control.key
                    prop:checked=move || value.get() == "true"
                    on:change=move |event| value.set(event_target_checked(&event).to_string())
                />
                <label for=input_id>{control.label}</label>
            </div>
        }
        .into_any(),
        ControlKind::Number { min, max, step } => view! {
            <div class="gallery__control">
                <label for=input_id.clone()>{control.label}</label>
                <input
                    id=input_id
                    type="number"
                    data-control=control.key
                    min=min.to_string()
                    max=max.to_string()
                    step=step.to_string()
                    prop:value=move || value.get()
                    on:input=move |event| value.set(event_target_value(&event))
                />
            </div>
        }
        .into_any(),
    }
}
