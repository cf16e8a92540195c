//! Writes an edge-rendered slot into the shell page: the head the app asked for (escaped here, the
//! renderer's strings are data), its component stylesheets and its release's stylesheet (so the
//! markup paints styled, without a shift when the bundle arrives), the markup inside the host
//! element the shell would have created, and the hydration state as a JSON data block.

use micro_app::edge::{HEAD_MARK, STYLE_KEY_ATTRIBUTE};

use crate::markup::escaped;

use super::RenderedSlot;

/// The id of the JSON block holding `{app, releaseId, state}` for the shell.
pub const STATE_ELEMENT_ID: &str = "ts-rendered";

/// `html` with the slot filled: unchanged when the page has no slot or head to fill.
pub fn with_rendered_slot(html: &str, slot: &RenderedSlot, origin: &str) -> String {
    let Some(main) = html.find("<main id=\"ts-slot-main\"") else {
        return html.to_owned();
    };
    let Some(open_end) = html[main..].find('>').map(|at| main + at + 1) else {
        return html.to_owned();
    };
    let head = &slot.rendered.head;
    let mut tags = format!("<title>{}</title>", escaped(&head.title));
    let mut meta = |property: &str, value: &str| {
        tags.push_str(&format!(
            "<meta property=\"{property}\" content=\"{}\" {HEAD_MARK}>",
            escaped(value)
        ));
    };
    meta("og:title", &head.title);
    meta("og:type", "website");
    if let Some(path) = &head.canonical_path {
        meta("og:url", &format!("{origin}{path}"));
    }
    if let Some(image) = &head.image {
        meta("og:image", &absolute(origin, image));
    }
    if let Some(description) = &head.description {
        meta("og:description", description);
        tags.push_str(&format!(
            "<meta name=\"description\" content=\"{}\" {HEAD_MARK}>",
            escaped(description)
        ));
    }
    if let Some(path) = &head.canonical_path {
        tags.push_str(&format!(
            "<link rel=\"canonical\" href=\"{}\" {HEAD_MARK}>",
            escaped(&format!("{origin}{path}"))
        ));
    }
    if let Some(json_ld) = &head.json_ld {
        tags.push_str(&format!(
            "<script type=\"application/ld+json\" {HEAD_MARK}>{}</script>",
            json_in_script(json_ld)
        ));
    }
    // Inline rather than linked: no render-blocking request before the first paint. The shell
    // knows the sheet by `data-href` and does not link it again.
    if let Some(css) = &slot.css {
        tags.push_str(&format!(
            "<style data-app-style=\"{}\" data-href=\"{}\">{}</style>",
            escaped(&slot.app),
            escaped(&css.url),
            css_in_style(&css.text)
        ));
    }
    for style in &slot.rendered.styles {
        tags.push_str(&format!(
            "<style {STYLE_KEY_ATTRIBUTE}=\"{}\">{}</style>",
            escaped(&style.key),
            css_in_style(&style.css)
        ));
    }
    let state = format!(
        "{{\"app\":{},\"releaseId\":{},\"state\":{}}}",
        json_string(&slot.app),
        json_string(&slot.release_id),
        json_codec::to_string(&slot.rendered.state)
    );
    let host = format!(
        "<div class=\"ts-shell__app\" data-app=\"{}\" data-release=\"{}\" data-rendered>{}</div>",
        escaped(&slot.app),
        escaped(&slot.release_id),
        slot.rendered.html
    );
    let data = format!(
        "<script type=\"application/json\" id=\"{STATE_ELEMENT_ID}\">{}</script>",
        json_in_script(&state)
    );
    // The shell's own title and description give way to the page's, and its preloads go: with
    // the content in the page, nothing should compete with the first paint (the shell's module
    // script still loads it all, after).
    let page = without_preloads(&without_shell_head(&html[..main]));
    let page = match page.find("</head>") {
        Some(at) => format!("{}{tags}{}", &page[..at], &page[at..]),
        None => page,
    };
    let rest = &html[open_end..];
    let rest = match rest.find("</body>") {
        Some(at) => format!("{}{data}{}", &rest[..at], &rest[at..]),
        None => format!("{rest}{data}"),
    };
    format!("{page}{}{host}{rest}", &html[main..open_end])
}

/// CSS inside a `<style>` element: `<` has no use in CSS outside strings, where the escape means
/// the same, so nothing can close the element.
pub fn css_in_style(css: &str) -> String {
    css.replace('<', "\\3c ")
}

fn without_shell_head(head: &str) -> String {
    let mut page = head.to_owned();
    for (open, close) in [("<title>", "</title>"), ("<meta name=\"description\"", ">")] {
        if let Some(start) = page.find(open)
            && let Some(length) = page[start..].find(close)
        {
            page.replace_range(start..start + length + close.len(), "");
        }
    }
    page
}

fn without_preloads(head: &str) -> String {
    let mut page = head.to_owned();
    for open in ["<link rel=\"modulepreload\"", "<link rel=\"preload\""] {
        while let Some(start) = page.find(open) {
            let Some(length) = page[start..].find('>') else {
                break;
            };
            page.replace_range(start..start + length + 1, "");
        }
    }
    page
}

fn absolute(origin: &str, url: &str) -> String {
    if url.starts_with('/') && !url.starts_with("//") {
        format!("{origin}{url}")
    } else {
        url.to_owned()
    }
}

/// JSON in a script data block: `<` can only occur inside strings, where `\u003c` means the same,
/// so nothing in it can close the element or open a comment.
fn json_in_script(json: &str) -> String {
    json.replace('<', "\\u003c")
}

fn json_string(text: &str) -> String {
    json_codec::to_string(text)
}

#[cfg(test)]
mod tests {
    use micro_app::edge::{PageHead, Rendered, RenderedStyle};

    use super::*;

    fn slot(head: PageHead) -> RenderedSlot {
        RenderedSlot {
            app: "product-detail".into(),
            release_id: "abc".into(),
            rendered: Rendered {
                html: "<h1>Crew</h1>".into(),
                head,
                styles: vec![RenderedStyle {
                    key: "button@0.1.0".into(),
                    css: ".ts-button{}</style><script>".into(),
                }],
                state: json_codec::from_str(r#"{"slug":"a</script><script>alert(1)"}"#).unwrap(),
            },
            css: Some(super::super::InlineCss {
                url: "/r/a.css".into(),
                text: ".tpd{}".into(),
            }),
            stats: super::super::RenderStats {
                elapsed: std::time::Duration::ZERO,
                memory_bytes: 0,
            },
        }
    }

    const SHELL: &str = "<html><head><title>Tessera</title><meta name=\"description\" content=\"shop\"><link rel=\"modulepreload\" href=\"/apps/shell/s.js\"></head><body><main id=\"ts-slot-main\" class=\"s\"></main></body></html>";

    #[test]
    fn the_markup_goes_into_the_slot_and_the_head_replaces_the_shells() {
        let page = with_rendered_slot(
            SHELL,
            &slot(PageHead {
                title: "Crew · Tessera".into(),
                description: Some("Soft".into()),
                canonical_path: Some("/products/crew".into()),
                ..PageHead::default()
            }),
            "https://shop.example",
        );
        assert!(page.contains("<main id=\"ts-slot-main\" class=\"s\"><div class=\"ts-shell__app\" data-app=\"product-detail\" data-release=\"abc\" data-rendered><h1>Crew</h1></div></main>"), "{page}");
        assert_eq!(page.matches("<title>").count(), 1, "{page}");
        assert!(page.contains("<title>Crew · Tessera</title>"));
        assert!(!page.contains("content=\"shop\""));
        assert!(
            !page.contains("modulepreload"),
            "nothing competes with the first paint"
        );
        assert!(page.contains(
            "<link rel=\"canonical\" href=\"https://shop.example/products/crew\" data-app-head>"
        ));
        assert!(page.contains(
            "<style data-app-style=\"product-detail\" data-href=\"/r/a.css\">.tpd{}</style>"
        ));
    }

    #[test]
    fn nothing_the_renderer_returns_can_break_out_of_its_element() {
        let page = with_rendered_slot(
            SHELL,
            &slot(PageHead {
                title: "</title><script>alert(1)</script>".into(),
                json_ld: Some(r#"{"name":"</script><script>alert(1)</script>"}"#.into()),
                ..PageHead::default()
            }),
            "https://shop.example",
        );
        assert_eq!(page.matches("<script>").count(), 0, "{page}");
        assert!(page.contains("&lt;/title&gt;"));
        assert!(page.contains(r#"{"name":"\u003c/script>\u003cscript>alert(1)\u003c/script>"}"#));
        assert!(
            page.contains(".ts-button{}\\3c /style>\\3c script>"),
            "{page}"
        );
    }
}
