//! The scenario lives in the URL (after `?` inside the hash: `#/scaling?seed=7&rate=12`) so a
//! copied link reproduces the run. Keys that are view settings rather than scenario fields
//! (presenter mode) are split off before the lab parses its scenario.

use scalelab_engine::sim::params::Params;

/// View settings carried in the URL next to the scenario.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ViewFlags {
    pub presenter: bool,
}

/// The query part of the current location's hash, without `?`.
pub fn current_query() -> String {
    let hash = gloo::utils::window().location().hash().unwrap_or_default();
    hash.split_once('?')
        .map(|(_, q)| q.to_string())
        .unwrap_or_default()
}

/// Splits view flags off the parameters.
pub fn split_view(mut params: Params) -> (Params, ViewFlags) {
    let presenter = matches!(
        params.remove("presenter").as_deref(),
        Some("1" | "true" | "on" | "")
    );
    (params, ViewFlags { presenter })
}

/// Rewrites the query in the address bar without a navigation (no history entry per slider
/// move, no router re-render).
pub fn replace_query(params: &Params, view: ViewFlags) {
    let window = gloo::utils::window();
    let hash = window.location().hash().unwrap_or_default();
    let path = hash.split_once('?').map(|(p, _)| p).unwrap_or(&hash);
    let mut params = params.clone();
    if view.presenter {
        params.set("presenter", 1);
    }
    let url = format!("{path}?{}", params.encode());
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}
