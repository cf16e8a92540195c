//! `Stepper`: the checkout steps as an ordered list in a `<nav>`, with the current step marked
//! `aria-current="step"` and completed steps announced as completed; completed steps become
//! buttons when `on_select` is given. Never decides which step is reachable beyond that.

use leptos::prelude::*;

use crate::icon::{Icon, IconName};
use crate::util::{mount_style, with_extra_class};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// Checkout progress.
#[component]
pub fn Stepper(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// Accessible name of the navigation; "Checkout progress" when absent.
    #[prop(into, optional)]
    label: MaybeProp<String>,
    /// The step names, in order.
    #[prop(into)]
    steps: Signal<Vec<String>>,
    /// The index of the current step.
    #[prop(into)]
    current: Signal<usize>,
    /// Called with a completed step's index when the shopper goes back to it.
    #[prop(into, optional)]
    on_select: Option<Callback<usize>>,
) -> impl IntoView {
    mount_style("stepper", include_str!("style.css"));
    let stepper_class = with_extra_class("ts-stepper", class);
    view! {
        <nav class=stepper_class aria-label=move || label.get().unwrap_or_else(|| "Checkout progress".to_owned())>
            <ol class="ts-stepper__list">
                {move || {
                    let current = current.get();
                    steps
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(index, name)| {
                            let state = if index < current {
                                "complete"
                            } else if index == current {
                                "current"
                            } else {
                                "upcoming"
                            };
                            let marker = if index < current {
                                view! { <Icon name=IconName::Check/> }.into_any()
                            } else {
                                view! { {(index + 1).to_string()} }.into_any()
                            };
                            let content = view! {
                                <span class="ts-stepper__marker" aria-hidden="true">{marker}</span>
                                {(index < current).then(|| view! { <span class="ts-visually-hidden">"Completed: "</span> })}
                                <span class="ts-stepper__name">{name}</span>
                            };
                            let content = match on_select.filter(|_| index < current) {
                                Some(on_select) => view! {
                                    <button type="button" class="ts-stepper__button" on:click=move |_| on_select.run(index)>
                                        {content}
                                    </button>
                                }
                                    .into_any(),
                                None => content.into_any(),
                            };
                            view! {
                                <li
                                    class=format!("ts-stepper__step ts-stepper__step--{state}")
                                    aria-current=(index == current).then_some("step")
                                >
                                    {content}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
        </nav>
    }
}
