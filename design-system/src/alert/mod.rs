//! `Alert`: an inline message in a tone, or a full-width banner (`banner=true`) such as "Showing
//! the last saved catalogue". Danger and warning use `role="alert"` (announced at once); info
//! and success use `role="status"` (announced politely). Never hides itself on a timer: that is
//! `Toast`.

use leptos::prelude::*;

use crate::badge::Tone;
use crate::icon::{Icon, IconName};
use crate::util::{class_names, mount_style};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// An inline alert or page banner.
#[component]
pub fn Alert(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// The tone; info when absent.
    #[prop(into, optional)]
    tone: MaybeProp<Tone>,
    /// A bold first line.
    #[prop(into, optional)]
    title: MaybeProp<String>,
    /// Full width with square corners, for page-level messages.
    #[prop(into, optional)]
    banner: Signal<bool>,
    /// Called by the dismiss button; without it there is no button.
    #[prop(into, optional)]
    on_dismiss: Option<Callback<()>>,
    /// The message.
    children: Children,
) -> impl IntoView {
    mount_style("alert", include_str!("style.css"));
    let tone = move || tone.get().unwrap_or(Tone::Info);
    let alert_class = move || {
        let tone_class = format!("ts-alert--{}", tone().as_str());
        let extra = class.get();
        class_names([
            Some("ts-alert"),
            Some(tone_class.as_str()),
            banner.get().then_some("ts-alert--banner"),
            extra.as_deref(),
        ])
    };
    let role = move || match tone() {
        Tone::Danger | Tone::Warning => "alert",
        Tone::Neutral | Tone::Info | Tone::Success => "status",
    };
    view! {
        <div class=alert_class role=role>
            <Icon class="ts-alert__icon" name=IconName::Info/>
            <div class="ts-alert__body">
                {move || title.get().map(|title| view! { <p class="ts-alert__title">{title}</p> })}
                <div class="ts-alert__message">{children()}</div>
            </div>
            {on_dismiss
                .map(|on_dismiss| {
                    view! {
                        <button
                            type="button"
                            class="ts-alert__dismiss"
                            aria-label="Dismiss"
                            on:click=move |_| on_dismiss.run(())
                        >
                            <Icon name=IconName::Close/>
                        </button>
                    }
                })}
        </div>
    }
}
