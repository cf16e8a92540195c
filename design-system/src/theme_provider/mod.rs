//! `ThemeProvider`: scopes the token custom properties of one theme to a wrapper element and
//! injects the token stylesheet once per document. Nested providers override their parent.
//! Never styles components: it only sets tokens and the base text colour, font and background.

use leptos::prelude::*;

use crate::tokens::{ThemeName, stylesheet};
use crate::util::{class_names, mount_generated_style};

/// Provides a theme to its children. Every micro app wraps its root in one.
#[component]
pub fn ThemeProvider(
    /// Extra classes for the wrapper.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// Which theme to apply; light when absent.
    #[prop(into, optional)]
    theme: Signal<ThemeName>,
    /// The themed content.
    children: Children,
) -> impl IntoView {
    mount_generated_style("tokens", stylesheet);
    let wrapper_class = move || {
        let theme_class = format!("ts-theme--{}", theme.get().as_str());
        let extra = class.get();
        class_names([
            Some("ts-theme"),
            Some(theme_class.as_str()),
            extra.as_deref(),
        ])
    };
    view! {
        <div class=wrapper_class data-ts-theme=move || theme.get().as_str()>
            {children()}
        </div>
    }
}
