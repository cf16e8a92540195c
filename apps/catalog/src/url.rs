//! The catalog's state in the URL: the query string of `/c/:category` and `/search` uses the
//! listing operation's own parameter names (`q`, `brand`, `color`, `size`, `availability`,
//! `minPrice`, `maxPrice`, `sort`, `page`), so the state *is* the contract's `ListProductsQuery`
//! (the category comes from the path) and the edge reads the same string the app writes. Changes
//! go to the shell as navigation requests; a new filter or sort starts again at page 1.

use api_client::ListProductsQuery;
use api_client::types::{AvailabilityStatus, ProductSort};

/// Products per page of a category or search page (the contract's default page size).
pub const PAGE_SIZE: i32 = 24;

/// Reads a query string (without `?`); unknown parameters and values that do not parse are
/// ignored, so an old or hand-edited link still opens.
pub fn parse(query: &str) -> ListProductsQuery {
    let mut state = ListProductsQuery::default();
    for (name, value) in form_urlencoded::parse(query.trim_start_matches('?').as_bytes()) {
        let value = value.into_owned();
        match name.as_ref() {
            "q" if !value.trim().is_empty() => state.q = Some(value),
            "brand" => state.brand.push(value),
            "color" => state.color.push(value),
            "size" => state.size.push(value),
            "availability" => state
                .availability
                .extend(value.parse::<AvailabilityStatus>()),
            "minPrice" => state.min_price = value.parse().ok().filter(|price| *price >= 0),
            "maxPrice" => state.max_price = value.parse().ok().filter(|price| *price >= 0),
            "sort" => state.sort = value.parse::<ProductSort>().ok(),
            "page" => state.page = value.parse().ok().filter(|page| *page > 1),
            "limit" => state.limit = value.parse().ok().filter(|limit| (1..=100).contains(limit)),
            _ => {}
        }
    }
    state
}

/// Writes the state back as a query string, in a fixed order (one URL per state).
pub fn write(state: &ListProductsQuery) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if let Some(q) = &state.q {
        query.append_pair("q", q);
    }
    for (name, values) in [
        ("brand", &state.brand),
        ("color", &state.color),
        ("size", &state.size),
    ] {
        for value in values {
            query.append_pair(name, value);
        }
    }
    for status in &state.availability {
        query.append_pair("availability", &status.to_string());
    }
    if let Some(price) = state.min_price {
        query.append_pair("minPrice", &price.to_string());
    }
    if let Some(price) = state.max_price {
        query.append_pair("maxPrice", &price.to_string());
    }
    if let Some(sort) = state.sort {
        query.append_pair("sort", &sort.to_string());
    }
    if let Some(page) = state.page.filter(|page| *page > 1) {
        query.append_pair("page", &page.to_string());
    }
    if let Some(limit) = state.limit {
        query.append_pair("limit", &limit.to_string());
    }
    query.finish()
}

/// `path?query`, or just `path` when there is no state.
pub fn href(path: &str, state: &ListProductsQuery) -> String {
    match write(state) {
        query if query.is_empty() => path.to_owned(),
        query => format!("{path}?{query}"),
    }
}

/// The state with `value` of facet `name` switched on or off, back at page 1.
pub fn toggled(state: &ListProductsQuery, name: &str, value: &str) -> ListProductsQuery {
    let mut next = ListProductsQuery {
        page: None,
        ..state.clone()
    };
    let toggle = |values: &mut Vec<String>| match values.iter().position(|v| v == value) {
        Some(at) => {
            values.remove(at);
        }
        None => values.push(value.to_owned()),
    };
    match name {
        "brand" => toggle(&mut next.brand),
        "color" => toggle(&mut next.color),
        "size" => toggle(&mut next.size),
        "availability" => {
            if let Ok(status) = value.parse::<AvailabilityStatus>() {
                match next.availability.iter().position(|s| *s == status) {
                    Some(at) => {
                        next.availability.remove(at);
                    }
                    None => next.availability.push(status),
                }
            }
        }
        _ => {}
    }
    next
}

/// The state with every filter removed (the text query and sort stay), back at page 1.
pub fn cleared(state: &ListProductsQuery) -> ListProductsQuery {
    ListProductsQuery {
        q: state.q.clone(),
        sort: state.sort,
        ..ListProductsQuery::default()
    }
}

/// Whether any facet or price filter is on.
pub fn is_filtered(state: &ListProductsQuery) -> bool {
    !(state.brand.is_empty()
        && state.color.is_empty()
        && state.size.is_empty()
        && state.availability.is_empty())
        || state.min_price.is_some()
        || state.max_price.is_some()
}

/// The page shown, from 1.
pub fn page_of(state: &ListProductsQuery) -> i32 {
    state.page.unwrap_or(1).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_query_string_survives_the_round_trip_in_a_fixed_order() {
        let state = parse("sort=price_asc&color=navy&q=merino+wool&color=forest&page=2&x=1");
        assert_eq!(state.q.as_deref(), Some("merino wool"));
        assert_eq!(state.color, ["navy", "forest"]);
        assert_eq!(state.sort, Some(ProductSort::PriceAsc));
        assert_eq!(
            write(&state),
            "q=merino+wool&color=navy&color=forest&sort=price_asc&page=2"
        );
        assert_eq!(parse(&write(&state)), state);
    }

    #[wasm_bindgen_test]
    fn values_that_do_not_parse_are_dropped() {
        let state = parse("sort=cheapest&availability=soon&minPrice=-4&page=0&q=%20");
        assert_eq!(state, ListProductsQuery::default());
    }

    #[wasm_bindgen_test]
    fn toggling_a_facet_adds_or_removes_it_and_goes_back_to_page_one() {
        let state = parse("brand=Northwind&page=3");
        let more = toggled(&state, "brand", "Fieldhouse");
        assert_eq!(write(&more), "brand=Northwind&brand=Fieldhouse");
        assert_eq!(
            write(&toggled(&more, "brand", "Northwind")),
            "brand=Fieldhouse"
        );
        assert_eq!(
            write(&toggled(&state, "availability", "in_stock")),
            "brand=Northwind&availability=in_stock"
        );
        assert!(is_filtered(&more));
        assert_eq!(
            write(&cleared(&parse("q=wool&size=m&sort=rating"))),
            "q=wool&sort=rating"
        );
    }

    #[wasm_bindgen_test]
    fn an_empty_state_is_the_bare_path() {
        assert_eq!(href("/c/home", &ListProductsQuery::default()), "/c/home");
        assert_eq!(href("/search", &parse("q=café")), "/search?q=caf%C3%A9");
    }
}
