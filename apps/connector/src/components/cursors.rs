//! Where a server-paged table is: the cursor of each page visited, so "Previous" goes back
//! without the server knowing page numbers.

use leptos::prelude::*;

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

    pub fn next(&self, cursor: String) {
        self.visited.update(|visited| visited.push(Some(cursor)));
    }

    pub fn previous(&self) {
        self.visited.update(|visited| {
            if visited.len() > 1 {
                visited.pop();
            }
        });
    }

    /// Back to the first page (a filter changed).
    pub fn reset(&self) {
        self.visited.set(vec![None]);
    }
}
