//! The catalog's server-side renderer: a WASI command the edge runs sandboxed, render
//! request on stdin, rendered slot on stdout (`micro_app::render_stdio`).

fn main() -> std::process::ExitCode {
    catalog::render_stdio()
}
