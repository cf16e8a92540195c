//! The server-side renderer's entry (feature `ssr`, built for wasm32-wasip1): read a
//! [`RenderRequest`] on stdin, render the app's view to HTML with Leptos' hydration markers, and
//! write a [`Rendered`] on stdout. The same view function as the browser's `mount`, so the markup
//! is what the bundle expects to hydrate. Effects do not run and `load`s start nothing here: what
//! the page needs at first paint comes in the props, and the rest shows its placeholder.

use std::io::Read;
use std::process::ExitCode;

use json_codec::{FromJson, ToJson};
use leptos::prelude::*;

use crate::edge::{RenderRequest, Rendered, RenderedStyle};
use crate::head::rendered;

/// A renderer's `main`: stdin to stdout; a bad request is a message on stderr and exit code 2.
/// `styles` hands over the stylesheets the render used (the design system's).
pub fn render_stdio<P, V>(
    app: impl FnOnce(P) -> V,
    styles: impl FnOnce() -> Vec<RenderedStyle>,
) -> ExitCode
where
    P: FromJson + ToJson,
    V: IntoView + 'static,
{
    let mut input = String::new();
    let rendered = std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|error| format!("cannot read the render request: {error}"))
        .and_then(|_| render(&input, app, styles));
    match rendered {
        Ok(rendered) => {
            print!("{}", json_codec::to_string(&rendered));
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

/// Renders one request: the markup, the head the page asked for, and its props as the state.
pub fn render<P, V>(
    input: &str,
    app: impl FnOnce(P) -> V,
    styles: impl FnOnce() -> Vec<RenderedStyle>,
) -> Result<Rendered, String>
where
    P: FromJson + ToJson,
    V: IntoView + 'static,
{
    let request: RenderRequest = json_codec::from_str(input)
        .map_err(|error| format!("invalid render request: {}", error.message()))?;
    let props = P::from_json(request.props)
        .map_err(|error| format!("invalid props: {}", error.message()))?;
    let state = json_codec::from_str(&json_codec::to_string(&props))
        .map_err(|error| format!("props do not encode: {}", error.message()))?;
    rendered::start(request.origin);
    let owner = Owner::new();
    let html = owner.with(|| app(props).to_html());
    owner.cleanup();
    Ok(Rendered {
        html,
        head: rendered::take(),
        styles: styles(),
        state,
    })
}
