//! `ToastProvider` and `Toaster`: short-lived notifications ("Added to cart") in one polite live
//! region, dismissed by their button or after a delay. Never used for errors the shopper must
//! act on: those are `Alert`s that stay.

use std::time::Duration;

use leptos::prelude::*;

use crate::badge::Tone;
use crate::icon::{Icon, IconName};
use crate::util::mount_style;

#[cfg(feature = "stories")]
pub(crate) mod story;

#[derive(Clone, Debug, PartialEq)]
struct ToastEntry {
    id: u32,
    message: String,
    tone: Tone,
}

/// Pushes toasts into the nearest [`ToastProvider`].
#[derive(Clone, Copy)]
pub struct Toaster {
    entries: RwSignal<Vec<ToastEntry>>,
    next_id: StoredValue<u32>,
    duration: StoredValue<Duration>,
}

impl Toaster {
    /// Shows a message; it disappears after the provider's duration.
    pub fn push(&self, message: impl Into<String>, tone: Tone) {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.entries.update(|entries| {
            entries.push(ToastEntry {
                id,
                message: message.into(),
                tone,
            });
        });
        let toaster = *self;
        set_timeout(move || toaster.dismiss(id), self.duration.get_value());
    }

    fn dismiss(&self, id: u32) {
        // The provider may be gone by the time the timer fires.
        let _ = self
            .entries
            .try_update(|entries| entries.retain(|entry| entry.id != id));
    }
}

/// The [`Toaster`] of the surrounding [`ToastProvider`].
pub fn use_toaster() -> Option<Toaster> {
    use_context::<Toaster>()
}

/// Provides a [`Toaster`] and renders its live region.
#[component]
pub fn ToastProvider(
    /// How long a toast stays, in milliseconds; 5000 when absent.
    #[prop(optional)]
    duration_ms: Option<u64>,
    /// The content that may push toasts.
    children: Children,
) -> impl IntoView {
    mount_style("toast", include_str!("style.css"));
    let toaster = Toaster {
        entries: RwSignal::new(Vec::new()),
        next_id: StoredValue::new(0),
        duration: StoredValue::new(Duration::from_millis(duration_ms.unwrap_or(5000))),
    };
    provide_context(toaster);
    view! {
        {children()}
        <div class="ts-toast-region" role="status" aria-live="polite">
            <For each=move || toaster.entries.get() key=|entry| entry.id let:entry>
                <div class=format!("ts-toast ts-toast--{}", entry.tone.as_str())>
                    <span class="ts-toast__message">{entry.message.clone()}</span>
                    <button
                        type="button"
                        class="ts-toast__dismiss"
                        aria-label="Dismiss notification"
                        on:click=move |_| toaster.dismiss(entry.id)
                    >
                        <Icon name=IconName::Close/>
                    </button>
                </div>
            </For>
        </div>
    }
}
