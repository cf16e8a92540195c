//! `Tabs`: a tablist with one panel. Arrow keys, Home and End move between tabs and select them
//! (automatic activation, roving tabindex); the panel is labelled by the selected tab. The
//! caller renders the panel content from the selected value. Never keeps hidden panels alive.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};

use crate::a11y::roving_target;
use crate::util::{mount_style, unique_id, with_extra_class};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// One tab of [`Tabs`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TabItem {
    /// The value `selected` holds when this tab is chosen.
    pub value: String,
    /// The visible label.
    pub label: String,
}

impl TabItem {
    /// A tab.
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
        }
    }
}

/// Tabs with a single panel.
#[component]
pub fn Tabs(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// Accessible name of the tablist.
    #[prop(into)]
    label: Signal<String>,
    /// The tabs.
    #[prop(into)]
    items: Signal<Vec<TabItem>>,
    /// The selected tab's value.
    selected: RwSignal<String>,
    /// The panel content; read `selected` to decide what to show.
    children: Children,
) -> impl IntoView {
    mount_style("tabs", include_str!("style.css"));
    let base_id = unique_id("tabs");
    let panel_id = format!("{base_id}-panel");
    let tablist_ref = NodeRef::<html::Div>::new();
    let selected_index = move || {
        items.with(|items| {
            items
                .iter()
                .position(|item| selected.with(|selected| *selected == item.value))
                .unwrap_or(0)
        })
    };
    let tab_id = {
        let base_id = base_id.clone();
        move |index: usize| format!("{base_id}-tab-{index}")
    };
    let handle_keydown = move |event: KeyboardEvent| {
        let count = items.with(Vec::len);
        let Some(target) = roving_target(&event.key(), selected_index(), count) else {
            return;
        };
        event.prevent_default();
        if let Some(item) = items.with(|items| items.get(target).cloned()) {
            selected.set(item.value);
        }
        if let Some(list) = tablist_ref.get_untracked()
            && let Ok(tabs) = list.query_selector_all("[role=tab]")
            && let Some(tab) = tabs.item(target as u32)
            && let Ok(tab) = tab.dyn_into::<HtmlElement>()
        {
            let _ = tab.focus();
        }
    };
    let tabs_class = with_extra_class("ts-tabs", class);
    let labelled_by = {
        let tab_id = tab_id.clone();
        move || tab_id(selected_index())
    };
    let tab_panel_id = panel_id.clone();
    view! {
        <div class=tabs_class>
            <div
                class="ts-tabs__list"
                role="tablist"
                aria-label=move || label.get()
                node_ref=tablist_ref
                on:keydown=handle_keydown
            >
                {move || {
                    items
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(index, item)| {
                            let value = item.value.clone();
                            let is_selected = move || selected_index() == index;
                            view! {
                                <button
                                    type="button"
                                    role="tab"
                                    class="ts-tabs__tab"
                                    id=tab_id(index)
                                    aria-selected=move || is_selected().to_string()
                                    aria-controls=tab_panel_id.clone()
                                    tabindex=move || if is_selected() { "0" } else { "-1" }
                                    on:click=move |_| selected.set(value.clone())
                                >
                                    {item.label}
                                </button>
                            }
                        })
                        .collect_view()
                }}
            </div>
            <div class="ts-tabs__panel" role="tabpanel" id=panel_id aria-labelledby=labelled_by tabindex="0">
                {children()}
            </div>
        </div>
    }
}
