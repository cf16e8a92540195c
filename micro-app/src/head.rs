//! The document head while a page of an app is on screen. The head belongs to the shell, so what
//! an app sets goes back to what it was when the page (its reactive owner) goes. In a
//! server-side renderer (feature `ssr`) nothing is touched: the head is recorded and handed to the
//! edge with the markup ([`crate::edge::Rendered`]), which writes the tags with `edge::HEAD_MARK` so
//! that the hydrating bundle replaces rather than repeats them.

use crate::SHOP_NAME;
use crate::edge::PageHead;

/// Titles the document "`page` · Tessera" until the calling component is cleaned up.
pub fn page_title(page: &str) {
    page_head(PageHead {
        title: format!("{page} · {SHOP_NAME}"),
        ..PageHead::default()
    });
}

/// Sets the whole head for the page (title, description, canonical link, JSON-LD) until the
/// calling owner is cleaned up.
pub fn page_head(head: PageHead) {
    #[cfg(feature = "ssr")]
    rendered::record(head);
    #[cfg(not(feature = "ssr"))]
    document::apply(head);
}

/// `https://shop.example`: where the page is served from, for canonical and structured-data URLs.
pub fn page_origin() -> String {
    #[cfg(feature = "ssr")]
    return rendered::origin();
    #[cfg(not(feature = "ssr"))]
    web_sys::window()
        .and_then(|window| window.location().origin().ok())
        .unwrap_or_default()
}

#[cfg(feature = "ssr")]
pub(crate) mod rendered {
    use std::cell::RefCell;

    use crate::edge::PageHead;

    thread_local! {
        static ORIGIN: RefCell<String> = const { RefCell::new(String::new()) };
        static HEAD: RefCell<PageHead> = RefCell::new(PageHead::default());
    }

    /// Starts a render for a page at `origin` with the shell's own head.
    pub fn start(origin: String) {
        ORIGIN.with(|current| *current.borrow_mut() = origin);
        HEAD.with(|head| *head.borrow_mut() = PageHead::default());
    }

    pub fn record(head: PageHead) {
        HEAD.with(|current| *current.borrow_mut() = head);
    }

    pub fn origin() -> String {
        ORIGIN.with(|origin| origin.borrow().clone())
    }

    /// The head the render asked for last.
    pub fn take() -> PageHead {
        HEAD.with(|head| std::mem::take(&mut *head.borrow_mut()))
    }
}

#[cfg(not(feature = "ssr"))]
mod document {
    use leptos::prelude::on_cleanup;
    use web_sys::Document;

    use crate::edge::{HEAD_MARK, PageHead};

    fn document() -> Option<Document> {
        web_sys::window()?.document()
    }

    pub fn apply(head: PageHead) {
        let Some(document) = document() else { return };
        let previous_title = document.title();
        let previous_description =
            meta_description(&document).and_then(|meta| meta.get_attribute("content"));
        document.set_title(&head.title);
        if let Some(description) = &head.description {
            set_meta_description(&document, description);
        }
        if let Some(path) = &head.canonical_path {
            let canonical = format!("{}{path}", super::page_origin());
            replace_marked(
                &document,
                "link",
                &[("rel", "canonical"), ("href", &canonical)],
                None,
            );
        }
        if let Some(json_ld) = &head.json_ld {
            replace_marked(
                &document,
                "script",
                &[("type", "application/ld+json")],
                Some(json_ld),
            );
        }
        on_cleanup(move || {
            let Some(document) = self::document() else {
                return;
            };
            document.set_title(&previous_title);
            if let Some(description) = &previous_description {
                set_meta_description(&document, description);
            }
            remove_marked(&document);
        });
    }

    fn meta_description(document: &Document) -> Option<web_sys::Element> {
        document.query_selector("meta[name=description]").ok()?
    }

    fn set_meta_description(document: &Document, text: &str) {
        let meta = meta_description(document).or_else(|| {
            let meta = document.create_element("meta").ok()?;
            meta.set_attribute("name", "description").ok()?;
            meta.set_attribute(HEAD_MARK, "").ok()?;
            document.head()?.append_child(&meta).ok()?;
            Some(meta)
        });
        if let Some(meta) = meta {
            let _ = meta.set_attribute("content", text);
        }
    }

    /// Marked head elements are replaced as a whole (also the ones the edge wrote), and removed
    /// on cleanup.
    fn replace_marked(
        document: &Document,
        tag: &str,
        attributes: &[(&str, &str)],
        text: Option<&str>,
    ) {
        let selector = format!("{tag}[{HEAD_MARK}]");
        if let Ok(Some(old)) = document.query_selector(&selector) {
            old.remove();
        }
        let Some(head) = document.head() else { return };
        let Ok(element) = document.create_element(tag) else {
            return;
        };
        let _ = element.set_attribute(HEAD_MARK, "");
        for (name, value) in attributes {
            let _ = element.set_attribute(name, value);
        }
        if let Some(text) = text {
            element.set_text_content(Some(text));
        }
        let _ = head.append_child(&element);
    }

    fn remove_marked(document: &Document) {
        let Ok(marked) = document.query_selector_all(&format!("[{HEAD_MARK}]")) else {
            return;
        };
        for index in 0..marked.length() {
            if let Some(node) = marked.item(index)
                && let Some(parent) = node.parent_node()
            {
                let _ = parent.remove_child(&node);
            }
        }
    }
}
