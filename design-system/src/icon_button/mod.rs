//! `IconButton`: a square button showing only an icon, with a required accessible label.
//! Shares `Button`'s variants and sizes. Never renders without a label.

use leptos::ev::MouseEvent;
use leptos::prelude::*;

use crate::button::{ButtonSize, ButtonVariant};
use crate::icon::{Icon, IconName};
use crate::util::{class_names, mount_style};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// A button with only an icon.
#[component]
pub fn IconButton(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// The accessible name, also shown as a tooltip.
    #[prop(into)]
    label: Signal<String>,
    /// Which icon.
    #[prop(into, optional)]
    icon: Signal<IconName>,
    /// Visual weight.
    #[prop(into, optional)]
    variant: Signal<ButtonVariant>,
    /// Size.
    #[prop(into, optional)]
    size: Signal<ButtonSize>,
    /// Disables the button.
    #[prop(into, optional)]
    disabled: Signal<bool>,
    /// Marks a toggle as pressed (`aria-pressed`), for example a wish-list heart.
    #[prop(into, optional)]
    pressed: MaybeProp<bool>,
    /// Called on click.
    #[prop(into, optional)]
    on_click: Option<Callback<MouseEvent>>,
) -> impl IntoView {
    mount_style("button", include_str!("../button/style.css"));
    mount_style("icon-button", include_str!("style.css"));
    let button_class = move || {
        let variant_class = format!("ts-button--{}", variant.get().as_str());
        let size_class = format!("ts-icon-button--{}", size.get().as_str());
        let extra = class.get();
        class_names([
            Some("ts-button ts-icon-button"),
            Some(variant_class.as_str()),
            Some(size_class.as_str()),
            extra.as_deref(),
        ])
    };
    view! {
        <button
            type="button"
            class=button_class
            aria-label=move || label.get()
            title=move || label.get()
            aria-pressed=move || pressed.get().map(|pressed| pressed.to_string())
            disabled=move || disabled.get()
            on:click=move |event| {
                if let Some(on_click) = on_click {
                    on_click.run(event);
                }
            }
        >
            <Icon name=icon/>
        </button>
    }
}
