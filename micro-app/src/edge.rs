//! What the edge (the server) and an app's server-side renderer exchange. The renderer is a WASI
//! command the server runs sandboxed: it reads a [`RenderRequest`] as JSON on stdin and writes a
//! [`Rendered`] as JSON on stdout. Both sides use these types, so the protocol has one spelling.
//! Which data the edge adds to an app's route props is declared here too ([`edge_data`]).

use json_codec::{DecodeError, FromJson, Json, ObjectWriter, ToJson};

/// The attribute on every head element an app (or the edge, for it) added: the bundle replaces
/// marked elements instead of adding a second one, and removes them on unmount.
pub const HEAD_MARK: &str = "data-app-head";

/// The attribute keying each component stylesheet in the head (`button@0.1.0`): the design system
/// injects a sheet only when no element with its key is there, so the ones the edge wrote count.
pub const STYLE_KEY_ATTRIBUTE: &str = "data-ts-style";

/// A stylesheet the rendered markup needs before it can paint without shifting.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedStyle {
    pub key: String,
    pub css: String,
}

/// What the edge hands an app's renderer besides the route's props.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeData {
    /// The product the `slug` prop names, as the contract's `Product`, in the prop `product`.
    Product,
    /// Its first page of reviews (five, default order), a `ReviewPage` in the prop `reviews`.
    Reviews,
    /// Its related products (four), `ProductSummary`s in the prop `related`.
    Related,
    /// Every category, a `CategoryList` in the prop `categories`.
    Categories,
    /// The products the `category` prop and the `query` prop (a query string in the listing
    /// operation's parameters) select, a `ProductPage` in the prop `listing`; while the catalog
    /// fails, the last one the edge served for them, with the prop `stale`.
    Listing,
}

/// The data each app's renderer needs, by app name: the edge fetches it in-process.
pub fn edge_data(app: &str) -> &'static [EdgeData] {
    match app {
        "product-detail" => &[EdgeData::Product, EdgeData::Reviews, EdgeData::Related],
        "catalog" => &[EdgeData::Categories, EdgeData::Listing],
        _ => &[],
    }
}

/// One render: the page's public origin (for canonical URLs) and the app's props as JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderRequest {
    pub origin: String,
    pub props: Json,
}

/// The head a page asks for. The edge writes the tags itself, escaped; the browser bundle keeps
/// them in step with the page afterwards and restores the shell's on unmount.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageHead {
    /// The whole document title, shop name included.
    pub title: String,
    pub description: Option<String>,
    /// Path of the canonical URL (`/products/…`), without the origin.
    pub canonical_path: Option<String>,
    /// The page's picture for link previews (Open Graph).
    pub image: Option<String>,
    /// A schema.org document (`Product`), as JSON text.
    pub json_ld: Option<String>,
}

/// What a renderer answers: the slot's markup (with Leptos' hydration markers), the head, the
/// component stylesheets the markup uses, and the props the browser bundle hydrates with (so it
/// never fetches what the edge already had).
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub html: String,
    pub head: PageHead,
    pub styles: Vec<RenderedStyle>,
    pub state: Json,
}

json_codec::object_codec!(RenderedStyle {
    key: "key",
    css: "css",
});

json_codec::object_codec!(RenderRequest {
    origin: "origin",
    props: "props",
});

impl FromJson for PageHead {
    fn from_json(value: Json) -> Result<Self, DecodeError> {
        let mut object = value.into_object("PageHead")?;
        Ok(Self {
            title: object.take("title")?,
            description: object.take("description")?,
            canonical_path: object.take("canonicalPath")?,
            image: object.take("image")?,
            json_ld: object.take("jsonLd")?,
        })
    }
}

impl ToJson for PageHead {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.field("title", &self.title);
        object.optional("description", &self.description);
        object.optional("canonicalPath", &self.canonical_path);
        object.optional("image", &self.image);
        object.optional("jsonLd", &self.json_ld);
        object.end();
    }
}

json_codec::object_codec!(Rendered {
    html: "html",
    head: "head",
    styles: "styles",
    state: "state",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rendering_survives_the_round_trip() {
        let rendered = Rendered {
            html: "<h1>Crew</h1>".into(),
            head: PageHead {
                title: "Crew · Tessera".into(),
                json_ld: Some(r#"{"@type":"Product"}"#.into()),
                ..PageHead::default()
            },
            styles: vec![RenderedStyle {
                key: "button@0.1.0".into(),
                css: ".ts-button{}".into(),
            }],
            state: json_codec::from_str(r#"{"slug":"crew"}"#).unwrap(),
        };
        let text = json_codec::to_string(&rendered);
        assert_eq!(json_codec::from_str::<Rendered>(&text).unwrap(), rendered);
    }

    #[test]
    fn only_apps_that_declare_data_get_it() {
        assert_eq!(edge_data("product-detail")[0], EdgeData::Product);
        assert!(edge_data("checkout").is_empty());
    }
}
