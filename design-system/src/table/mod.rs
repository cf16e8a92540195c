//! `Table`: a data table with a caption and sortable column headers (a button in each header,
//! `aria-sort` on the sorted one). Sorting is client-side over the rows given; optional row
//! actions (links, buttons) go in a last column and learn the row's index in `rows`, whatever
//! the sort. Never pages or fetches: pair it with `Pagination` and pass one page of rows.

mod types;

pub use types::*;

use std::cmp::Ordering;

use leptos::prelude::*;

use crate::util::{mount_style, with_extra_class};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// A sortable data table.
#[component]
pub fn Table(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// The caption, which names the table.
    #[prop(into)]
    caption: Signal<String>,
    /// The columns.
    #[prop(into)]
    columns: Signal<Vec<TableColumn>>,
    /// The rows, one text per column.
    #[prop(into)]
    rows: Signal<Vec<Vec<String>>>,
    /// Draws a last cell for each row (by its index in `rows`), headed `actions_label`.
    #[prop(into, optional)]
    row_actions: Option<Callback<usize, AnyView>>,
    /// The header of the actions column.
    #[prop(into, optional)]
    actions_label: MaybeProp<String>,
) -> impl IntoView {
    mount_style("table", include_str!("style.css"));
    let sort = RwSignal::new(None::<(usize, SortDirection)>);
    let sorted_rows = Memo::new(move |_| {
        let mut rows: Vec<(usize, Vec<String>)> = rows.get().into_iter().enumerate().collect();
        if let Some((column_index, direction)) = sort.get() {
            let numeric = columns.with(|columns| {
                columns
                    .get(column_index)
                    .is_some_and(|column| column.numeric)
            });
            rows.sort_by(|(_, left), (_, right)| {
                let left = left.get(column_index).map(String::as_str).unwrap_or("");
                let right = right.get(column_index).map(String::as_str).unwrap_or("");
                let order = compare_cells(left, right, numeric);
                match direction {
                    SortDirection::Ascending => order,
                    SortDirection::Descending => order.reverse(),
                }
            });
        }
        rows
    });
    let toggle_sort = move |column_index: usize| {
        sort.update(|sort| {
            *sort = match *sort {
                Some((index, SortDirection::Ascending)) if index == column_index => {
                    Some((column_index, SortDirection::Descending))
                }
                _ => Some((column_index, SortDirection::Ascending)),
            };
        });
    };
    let table_class = with_extra_class("ts-table", class);
    view! {
        <div class="ts-table__scroll">
            <table class=table_class>
                <caption class="ts-table__caption">{move || caption.get()}</caption>
                <thead>
                    <tr>
                        {move || {
                            columns
                                .get()
                                .into_iter()
                                .enumerate()
                                .map(|(column_index, column)| {
                                    let aria_sort = move || {
                                        sort.get()
                                            .filter(|(index, _)| *index == column_index)
                                            .map(|(_, direction)| direction.as_str())
                                    };
                                    let header_class = if column.numeric { "ts-table__header ts-table__cell--numeric" } else { "ts-table__header" };
                                    let content = if column.sortable {
                                        let arrow = move || match aria_sort() {
                                            Some("ascending") => "▲",
                                            Some(_) => "▼",
                                            None => "↕",
                                        };
                                        view! {
                                            <button type="button" class="ts-table__sort" on:click=move |_| toggle_sort(column_index)>
                                                {column.label}
                                                <span class="ts-table__sort-icon" aria-hidden="true">{arrow}</span>
                                            </button>
                                        }
                                            .into_any()
                                    } else {
                                        view! { {column.label} }.into_any()
                                    };
                                    view! { <th scope="col" class=header_class aria-sort=aria_sort>{content}</th> }
                                })
                                .collect_view()
                        }}
                        {row_actions.map(|_| view! {
                            <th scope="col" class="ts-table__header">
                                {move || actions_label.get().unwrap_or_else(|| "Actions".to_owned())}
                            </th>
                        })}
                    </tr>
                </thead>
                <tbody>
                    // Keyed by position and content: a refresh that changes some rows rebuilds
                    // only those, so focus and the reader's place survive live updates.
                    <For
                        each=move || sorted_rows.get()
                        key=|(row_index, row)| (*row_index, row.clone())
                        children=move |(row_index, row)| {
                            let numeric_columns: Vec<bool> = columns.with_untracked(|columns| columns.iter().map(|column| column.numeric).collect());
                            view! {
                                <tr>
                                    {row
                                        .into_iter()
                                        .enumerate()
                                        .map(|(index, cell)| {
                                            let numeric = numeric_columns.get(index).copied().unwrap_or(false);
                                            view! { <td class=numeric.then_some("ts-table__cell--numeric")>{cell}</td> }
                                        })
                                        .collect_view()}
                                    {row_actions.map(|actions| view! {
                                        <td class="ts-table__actions">{actions.run(row_index)}</td>
                                    })}
                                </tr>
                            }
                        }
                    />
                </tbody>
            </table>
        </div>
    }
}

/// Numbers compare by value ("$9.50" < "$12.00"); text compares case-insensitively.
fn compare_cells(left: &str, right: &str, numeric: bool) -> Ordering {
    if numeric {
        let parse = |text: &str| -> Option<f64> {
            let digits: String = text
                .chars()
                .filter(|character| {
                    character.is_ascii_digit() || *character == '.' || *character == '-'
                })
                .collect();
            digits.parse().ok()
        };
        match (parse(left), parse(right)) {
            (Some(left), Some(right)) => left.partial_cmp(&right).unwrap_or(Ordering::Equal),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    } else {
        left.to_lowercase().cmp(&right.to_lowercase())
    }
}
