//! Sortable headers reorder the rows and say the order with `aria-sort`.
#![cfg(target_arch = "wasm32")]

mod common;

use common::{find, find_all, fresh_container, settle};
use design_system::{Table, TableColumn};
use leptos::prelude::*;
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

/// The text of the cells of `column` in the body, top to bottom.
fn column_texts(container: &Element, column: usize) -> Vec<String> {
    find_all(container, "tbody tr")
        .iter()
        .map(|row| find_all(row, "td")[column].text_content().unwrap())
        .collect()
}

#[wasm_bindgen_test]
async fn sortable_header_sorts_and_sets_aria_sort() {
    let container = fresh_container();
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        let columns = vec![
            TableColumn::text("Product"),
            TableColumn::numeric("Price"),
            TableColumn::text("SKU").unsortable(),
        ];
        // "$9.50" sorts below "$12.00" only when compared as numbers.
        let rows = vec![
            vec!["Mug".to_owned(), "$12.00".to_owned(), "M-1".to_owned()],
            vec!["apron".to_owned(), "$9.50".to_owned(), "A-1".to_owned()],
            vec!["Bowl".to_owned(), "$1,200.00".to_owned(), "B-1".to_owned()],
        ];
        view! { <Table caption="Products" columns rows/> }
    });
    settle().await;
    assert_eq!(
        find(&container, "caption").text_content().unwrap(),
        "Products"
    );
    let headers = find_all(&container, "thead th");
    assert_eq!(headers.len(), 3);
    assert!(
        headers
            .iter()
            .all(|header| !header.has_attribute("aria-sort"))
    );
    assert!(
        headers[2].query_selector("button").unwrap().is_none(),
        "an unsortable column has no sort button"
    );
    assert_eq!(column_texts(&container, 0), ["Mug", "apron", "Bowl"]);

    find(&headers[1], "button").click();
    settle().await;
    let headers = find_all(&container, "thead th");
    assert_eq!(
        headers[1].get_attribute("aria-sort").as_deref(),
        Some("ascending")
    );
    assert!(!headers[0].has_attribute("aria-sort"));
    assert_eq!(
        column_texts(&container, 1),
        ["$9.50", "$12.00", "$1,200.00"]
    );

    find(&headers[1], "button").click();
    settle().await;
    let headers = find_all(&container, "thead th");
    assert_eq!(
        headers[1].get_attribute("aria-sort").as_deref(),
        Some("descending")
    );
    assert_eq!(
        column_texts(&container, 1),
        ["$1,200.00", "$12.00", "$9.50"]
    );

    // Another column starts ascending again, text compared case-insensitively.
    find(&headers[0], "button").click();
    settle().await;
    let headers = find_all(&container, "thead th");
    assert_eq!(
        headers[0].get_attribute("aria-sort").as_deref(),
        Some("ascending")
    );
    assert!(!headers[1].has_attribute("aria-sort"));
    assert_eq!(column_texts(&container, 0), ["apron", "Bowl", "Mug"]);
}

#[wasm_bindgen_test]
async fn row_actions_name_their_row_whatever_the_sort() {
    let container = fresh_container();
    let clicked = RwSignal::new(None::<usize>);
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        let columns = vec![TableColumn::text("Letter")];
        let rows = vec![vec!["b".to_owned()], vec!["a".to_owned()]];
        let row_actions = Callback::new(move |row: usize| {
            view! { <button type="button" on:click=move |_| clicked.set(Some(row))>"Replay"</button> }
                .into_any()
        });
        view! { <Table caption="Letters" columns rows row_actions actions_label="Do"/> }
    });
    settle().await;
    let headers = find_all(&container, "thead th");
    assert_eq!(headers[1].text_content().unwrap(), "Do");
    find(&headers[0], "button").click();
    settle().await;
    assert_eq!(column_texts(&container, 0), ["a", "b"]);
    find(&find_all(&container, "tbody tr")[0], "td button").click();
    settle().await;
    assert_eq!(clicked.get_untracked(), Some(1), "row `a` is rows[1]");
}

#[wasm_bindgen_test]
async fn a_refresh_keeps_the_rows_that_did_not_change() {
    let container = fresh_container();
    let rows = RwSignal::new(vec![vec!["a".to_owned()], vec!["b".to_owned()]]);
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        view! { <Table caption="Letters" columns=vec![TableColumn::text("Letter")] rows/> }
    });
    settle().await;
    let first = find_all(&container, "tbody tr")[0].clone();
    rows.set(vec![vec!["a".to_owned()], vec!["c".to_owned()]]);
    settle().await;
    let after = find_all(&container, "tbody tr");
    assert!(
        after[0].is_same_node(Some(&first)),
        "row `a` is the same element"
    );
    assert_eq!(column_texts(&container, 0), ["a", "c"]);
}
