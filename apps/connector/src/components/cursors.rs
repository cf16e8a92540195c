//! Where a server-paged table is: the cursor of each page visited, so "Previous" goes back
//! without the server knowing page numbers; the loader asked again when the page changes; and
//! the design system's `Pagination` wired to both.

use design_system::Pagination;
use leptos::prelude::*;
use micro_app::Loader;

#[derive(Clone, Copy)]
pub struct Cursors {
    /// The cursor of every page up to the current one (`None`: the first page).
    visited: RwSignal<Vec<Option<String>>>,
}

impl Cursors {
    pub fn new() -> Self {
        Self {
            visited: RwSignal::new(vec![None]),
        }
    }

    /// The current page's cursor, untracked (for a loader's request).
    pub fn current(&self) -> Option<String> {
        self.visited
            .with_untracked(|visited| visited.last().cloned().flatten())
    }

    /// The current page number, from 1.
    pub fn page(&self) -> Signal<usize> {
        let visited = self.visited;
        Signal::derive(move || visited.with(Vec::len))
    }

    /// Back to the first page (a filter changed).
    pub fn reset(&self) {
        self.visited.set(vec![None]);
    }

    /// Asks `loader` again whenever the page changes or `filter` (tracked) does; not at first,
    /// when the loader is already on its way.
    pub fn refetch_on_change<T: 'static>(&self, loader: Loader<T>, filter: impl Fn() + 'static) {
        let page = self.page();
        Effect::new(move |first: Option<()>| {
            page.track();
            filter();
            if first.is_some() {
                loader.refetch();
            }
        });
    }
}

/// The latest good answer of `loader`, kept on screen while the next one is on its way (or
/// failed).
pub fn latest<T, E>(loader: Loader<Result<T, E>>) -> RwSignal<Option<T>>
where
    T: Clone + Send + Sync + 'static,
    E: Clone + 'static,
{
    let shown = RwSignal::new(None::<T>);
    Effect::new(move |_| {
        if let Some(Ok(found)) = loader.get() {
            shown.set(Some(found));
        }
    });
    shown
}

/// Previous and next for a server-paged table; `next` is the shown page's next cursor.
#[component]
pub fn PageControls(
    label: &'static str,
    cursors: Cursors,
    #[prop(into)] next: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <Pagination
            label
            page=cursors.page()
            has_next=Signal::derive(move || next.with(Option::is_some))
            on_previous=Callback::new(move |_| {
                cursors.visited.update(|visited| {
                    if visited.len() > 1 {
                        visited.pop();
                    }
                })
            })
            on_next=Callback::new(move |_| {
                if let Some(cursor) = next.get_untracked() {
                    cursors.visited.update(|visited| visited.push(Some(cursor)));
                }
            })
        />
    }
}
