//! Which app a URL belongs to: the shell's whole routing table, as plain data. The shell mounts by
//! it and the server sends preload hints by it, so the two always agree. Apps receive their route
//! parameters as props; none of them reads the URL.

/// One page of the shop.
#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    /// An app in the main slot, with its props as `(name, value)` string pairs.
    App {
        app: &'static str,
        props: Vec<(&'static str, String)>,
    },
    NotFound,
}

impl Route {
    /// Identifies what is mounted: a navigation to the same key keeps the app mounted.
    pub fn key(&self) -> String {
        match self {
            Route::NotFound => "not-found".into(),
            Route::App { app, props } => {
                // `variant` is state the app itself put in the URL; it does not need a remount.
                // Built by hand: string formatting would cost the shell's budget several KB.
                let mut key = [app, "?"].concat();
                for (name, value) in props.iter().filter(|(name, _)| *name != "variant") {
                    key.extend([*name, "=", value.as_str(), "&"]);
                }
                key
            }
        }
    }
}

fn query_value(query: &str, name: &str) -> Option<String> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty())
}

/// A path segment the apps can safely receive: slugs and ids are `[A-Za-z0-9_-]`.
fn segment(text: &str) -> Option<String> {
    let valid = !text.is_empty()
        && text.len() <= 128
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    valid.then(|| text.to_owned())
}

/// What the home page lists, as a catalog query string.
const HOME_LISTING: &str = "sort=rating&limit=8";

/// The longest query string handed to an app: longer ones are cut at a parameter boundary.
const MAX_QUERY: usize = 1024;

/// The catalog's own state in the URL (text query, filters, sort, page), passed on whole: the
/// catalog reads its parameters from it and ignores the rest.
fn catalog_query(query: &str) -> String {
    let mut query = query.trim_start_matches('?');
    while query.len() > MAX_QUERY {
        query = query.rsplit_once('&').map_or("", |(head, _)| head);
    }
    query.to_owned()
}

fn catalog(page: &str, category: Option<String>, query: &str) -> Route {
    let mut props = vec![("page", page.to_owned())];
    props.extend(category.map(|slug| ("category", slug)));
    props.push(("query", catalog_query(query)));
    Route::App {
        app: "catalog",
        props,
    }
}

pub fn route(path: &str, query: &str) -> Route {
    let path = path.trim_end_matches('/');
    let parts: Vec<&str> = path.split('/').skip(1).collect();
    match parts.as_slice() {
        // The home page shows the best-rated products: its listing is stated here, where the edge
        // and the app both read it.
        [] | [""] => catalog("home", None, HOME_LISTING),
        ["c", category] => match segment(category) {
            Some(category) => catalog("category", Some(category), query),
            None => Route::NotFound,
        },
        ["search"] => catalog("search", None, query),
        ["products", slug] => match segment(slug) {
            Some(slug) => {
                let mut props = vec![("slug", slug)];
                if let Some(variant) = query_value(query, "variant").and_then(|v| segment(&v)) {
                    props.push(("variant", variant));
                }
                Route::App {
                    app: "product-detail",
                    props,
                }
            }
            None => Route::NotFound,
        },
        ["checkout"] => Route::App {
            app: "checkout",
            props: vec![("page", "checkout".into())],
        },
        // The account lives in the checkout app: it shares the customer's session with checkout.
        ["account"] => Route::App {
            app: "checkout",
            props: vec![("page", "account".into())],
        },
        ["orders", id] => match segment(id) {
            Some(id) => Route::App {
                app: "checkout",
                props: vec![("page", "order".into()), ("orderId", id)],
            },
            None => Route::NotFound,
        },
        ["ops", ..] => Route::App {
            app: "connector",
            props: vec![("path", path.to_owned())],
        },
        _ => Route::NotFound,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_pages_pass_slug_and_variant() {
        assert_eq!(
            route("/products/merino-crew-sweater", "?variant=v-12&utm=x"),
            Route::App {
                app: "product-detail",
                props: vec![
                    ("slug", "merino-crew-sweater".into()),
                    ("variant", "v-12".into())
                ],
            }
        );
        assert_eq!(route("/products/x/", "").key(), "product-detail?slug=x&");
    }

    #[test]
    fn checkout_orders_account_and_ops_have_their_apps() {
        assert!(matches!(
            route("/checkout", ""),
            Route::App {
                app: "checkout",
                ..
            }
        ));
        assert_eq!(
            route("/account/", ""),
            Route::App {
                app: "checkout",
                props: vec![("page", "account".into())],
            }
        );
        assert_eq!(
            route("/orders/ord_1", ""),
            Route::App {
                app: "checkout",
                props: vec![("page", "order".into()), ("orderId", "ord_1".into())],
            }
        );
        assert!(matches!(
            route("/ops/connectors", ""),
            Route::App {
                app: "connector",
                ..
            }
        ));
    }

    #[test]
    fn the_catalog_has_home_category_and_search_pages_with_their_query() {
        assert_eq!(
            route("/", "?utm=x"),
            Route::App {
                app: "catalog",
                props: vec![("page", "home".into()), ("query", HOME_LISTING.into())],
            }
        );
        assert_eq!(
            route("/c/knitwear", "?color=navy&sort=price_asc"),
            Route::App {
                app: "catalog",
                props: vec![
                    ("page", "category".into()),
                    ("category", "knitwear".into()),
                    ("query", "color=navy&sort=price_asc".into())
                ],
            }
        );
        assert_eq!(
            route("/search", "?q=merino").key(),
            "catalog?page=search&query=q=merino&"
        );
        assert_eq!(route("/c/%3Cx%3E", ""), Route::NotFound);
    }

    #[test]
    fn an_overlong_catalog_query_is_cut_at_a_parameter() {
        let query = format!("?q=wool&{}", "color=navy&".repeat(200));
        let Route::App { props, .. } = route("/search", &query) else {
            panic!("search is the catalog's")
        };
        let kept = &props[1].1;
        assert!(kept.len() <= MAX_QUERY && kept.starts_with("q=wool&color=navy"));
    }

    #[test]
    fn unknown_or_unsafe_paths_are_not_found() {
        assert_eq!(route("/nope", ""), Route::NotFound);
        assert_eq!(route("/products/%3Cscript%3E", ""), Route::NotFound);
        assert_eq!(route("/products/a/b", ""), Route::NotFound);
    }

    #[test]
    fn a_variant_change_keeps_the_same_key() {
        assert_eq!(
            route("/products/a", "?variant=1").key(),
            route("/products/a", "?variant=2").key()
        );
        assert_ne!(
            route("/products/a", "").key(),
            route("/products/b", "").key()
        );
    }
}
