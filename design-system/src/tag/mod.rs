//! `Tag`: a label for a chosen filter or attribute, optionally removable with its own labelled
//! button. Never selects anything itself: the caller owns the list.

use leptos::prelude::*;

use crate::badge::Tone;
use crate::icon::{Icon, IconName};
use crate::util::{class_names, mount_style};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// A tag, removable when `on_remove` is given.
#[component]
pub fn Tag(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// The text.
    #[prop(into)]
    label: Signal<String>,
    /// The tone.
    #[prop(into, optional)]
    tone: Signal<Tone>,
    /// Called when the remove button is pressed; without it the tag has no button.
    #[prop(into, optional)]
    on_remove: Option<Callback<()>>,
) -> impl IntoView {
    mount_style("tag", include_str!("style.css"));
    let tag_class = move || {
        let tone_class = format!("ts-tag--{}", tone.get().as_str());
        let extra = class.get();
        class_names([Some("ts-tag"), Some(tone_class.as_str()), extra.as_deref()])
    };
    view! {
        <span class=tag_class>
            <span class="ts-tag__label">{move || label.get()}</span>
            {on_remove
                .map(|on_remove| {
                    view! {
                        <button
                            type="button"
                            class="ts-tag__remove"
                            aria-label=move || format!("Remove {}", label.get())
                            on:click=move |_| on_remove.run(())
                        >
                            <Icon name=IconName::Close/>
                        </button>
                    }
                })}
        </span>
    }
}
