//! The gallery's browser entry point: installs the panic hook and mounts [`gallery::App`] on
//! the body. Never holds gallery logic.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(gallery::App);
}
