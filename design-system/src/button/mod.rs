//! `Button`: a native `<button>` with variants, sizes, a loading state and a disabled state.
//! While loading it stays focusable (`aria-disabled`, `aria-busy`) so keyboard users keep their
//! place, and it swallows clicks. Never navigates: links are `Link`.

mod types;

pub use types::*;

use leptos::ev::MouseEvent;
use leptos::prelude::*;

use crate::util::{class_names, mount_style};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// A button.
#[component]
pub fn Button(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// Visual weight.
    #[prop(into, optional)]
    variant: Signal<ButtonVariant>,
    /// Height and padding.
    #[prop(into, optional)]
    size: Signal<ButtonSize>,
    /// The HTML button type.
    #[prop(into, optional)]
    button_type: Signal<ButtonType>,
    /// Shows a spinner, marks the button busy and ignores clicks.
    #[prop(into, optional)]
    loading: Signal<bool>,
    /// Disables the button.
    #[prop(into, optional)]
    disabled: Signal<bool>,
    /// Stretches the button to the width of its container.
    #[prop(into, optional)]
    block: Signal<bool>,
    /// Called on click, unless disabled or loading.
    #[prop(into, optional)]
    on_click: Option<Callback<MouseEvent>>,
    /// The label.
    children: Children,
) -> impl IntoView {
    mount_style("button", include_str!("style.css"));
    let button_class = move || {
        let variant_class = format!("ts-button--{}", variant.get().as_str());
        let size_class = format!("ts-button--{}", size.get().as_str());
        let extra = class.get();
        class_names([
            Some("ts-button"),
            Some(variant_class.as_str()),
            Some(size_class.as_str()),
            loading.get().then_some("ts-button--loading"),
            block.get().then_some("ts-button--block"),
            extra.as_deref(),
        ])
    };
    let handle_click = move |event: MouseEvent| {
        if loading.get_untracked() || disabled.get_untracked() {
            event.prevent_default();
            return;
        }
        if let Some(on_click) = on_click {
            on_click.run(event);
        }
    };
    view! {
        <button
            class=button_class
            type=move || button_type.get().as_str()
            disabled=move || disabled.get()
            aria-disabled=move || loading.get().then_some("true")
            aria-busy=move || loading.get().then_some("true")
            on:click=handle_click
        >
            {move || {
                loading
                    .get()
                    .then(|| {
                        view! {
                            <span class="ts-button__spinner" aria-hidden="true"></span>
                            <span class="ts-visually-hidden">"Loading: "</span>
                        }
                    })
            }}
            <span class="ts-button__label">{children()}</span>
        </button>
    }
}
