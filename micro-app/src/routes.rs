//! Which app a URL belongs to: the shell's whole routing table, as plain data. The shell mounts by
//! it and the server sends preload hints by it, so the two always agree. Apps receive their route
//! parameters as props; none of them reads the URL.

/// One page of the shop.
#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    Home,
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
            Route::Home => "home".into(),
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

pub fn route(path: &str, query: &str) -> Route {
    let path = path.trim_end_matches('/');
    let parts: Vec<&str> = path.split('/').skip(1).collect();
    match parts.as_slice() {
        [] | [""] => Route::Home,
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
    fn checkout_orders_and_ops_have_their_apps() {
        assert!(matches!(
            route("/checkout", ""),
            Route::App {
                app: "checkout",
                ..
            }
        ));
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
    fn unknown_or_unsafe_paths_are_not_found() {
        assert_eq!(route("/", ""), Route::Home);
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
