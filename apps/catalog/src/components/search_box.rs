//! The search box: results follow the text while the shopper types (after a short pause, so
//! each keystroke is not a request), and Enter searches at once. The box keeps what is typed:
//! only a text query that changed elsewhere (back, forward, a link) replaces it.

use design_system::{Button, ButtonType};
use leptos::prelude::*;

/// How long typing must pause before the results follow.
const TYPING_PAUSE_MS: u64 = 250;

/// `query` is the URL's text query; `on_search` gets the text and whether it came from typing.
#[component]
pub fn SearchBox(query: Signal<String>, on_search: Callback<(String, bool)>) -> impl IntoView {
    let text = RwSignal::new(query.get_untracked());
    // The last text sent, so the URL catching up with it does not overwrite newer keystrokes.
    let sent = StoredValue::new(query.get_untracked());
    Effect::new(move |_| {
        let query = query.get();
        if sent.get_value() != query {
            sent.set_value(query.clone());
            text.set(query);
        }
    });
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let send = move |typing: bool| {
        if let Some(handle) = pending.try_update_value(Option::take).flatten() {
            handle.clear();
        }
        let value = text.get_untracked();
        if sent.get_value() == value && typing {
            return;
        }
        sent.set_value(value.clone());
        on_search.run((value, typing));
    };
    on_cleanup(move || {
        if let Some(handle) = pending.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    });
    let on_input = move |event: leptos::ev::Event| {
        text.set(event_target_value(&event));
        if let Some(handle) = pending.try_update_value(Option::take).flatten() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || send(true),
            std::time::Duration::from_millis(TYPING_PAUSE_MS),
        );
        pending.set_value(handle.ok());
    };
    view! {
        <form
            class="tca-search"
            role="search"
            action="/search"
            on:submit=move |event| {
                event.prevent_default();
                send(false);
            }
        >
            <label class="tca-search__label" for="tca-search-input">"Search the shop"</label>
            <div class="tca-search__row">
                <input
                    id="tca-search-input"
                    class="tca-search__input"
                    type="search"
                    name="q"
                    autocomplete="off"
                    placeholder="Merino, linen shirt, trail…"
                    prop:value=move || text.get()
                    on:input=on_input
                />
                <Button button_type=ButtonType::Submit>"Search"</Button>
            </div>
        </form>
    }
}
