//! ScaleLab's browser app. It draws what the engine computes and turns clicks into engine
//! commands; it never re-implements engine logic (see ARCHITECTURE.md).

pub mod app;
pub mod catalog;
pub mod data;
pub mod guided;
pub mod home;
pub mod labs;
pub mod player;
pub mod route;
pub mod url_state;
pub mod widgets;

pub use app::App;

/// Mounts the app on the page. Called by `main` in the browser build.
pub fn start() {
    install_panic_hook();
    let root = gloo::utils::document()
        .get_element_by_id("app")
        .unwrap_or_else(|| gloo::utils::body().into());
    yew::Renderer::<App>::with_root(root).render();
}

/// A panic in WASM kills the page; at least say so on the page and in the console (where the
/// e2e suite fails on it) instead of freezing silently.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = format!("ScaleLab stopped on an internal error: {info}");
        web_sys::console::error_1(&msg.clone().into());
        if let Some(el) = gloo::utils::document().get_element_by_id("fatal") {
            el.set_text_content(Some(&msg));
            let _ = el.set_attribute("style", "display:block");
        }
    }));
}
