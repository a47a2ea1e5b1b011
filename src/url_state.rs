//! The scenario lives in the URL (after `?` inside the hash: `#/scaling?seed=7&rate=12`) so a
//! copied link reproduces the run. Keys that are view settings rather than scenario fields
//! (presenter mode, playback speed, tiles or panels) are split off before the lab parses its
//! scenario; the CLI drops the same keys (`VIEW_KEYS`).

use crate::player::SPEEDS;
use scalelab_engine::sim::params::{Params, VIEW_KEYS};

/// View settings carried in the URL next to the scenario.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ViewFlags {
    pub presenter: bool,
    /// Playback speed, when the link sets one (one of `SPEEDS`).
    pub speed: Option<f64>,
    /// Monitoring panels instead of tiles.
    pub panels: bool,
}

/// The query part of the current location's hash, without `?`.
pub fn current_query() -> String {
    let hash = gloo::utils::window().location().hash().unwrap_or_default();
    hash.split_once('?')
        .map(|(_, q)| q.to_string())
        .unwrap_or_default()
}

/// Splits view flags off the parameters. A view key with a value it does not know is ignored
/// (the view falls back to its default; the run is the same either way).
pub fn split_view(mut params: Params) -> (Params, ViewFlags) {
    let presenter = matches!(
        params.remove("presenter").as_deref(),
        Some("1" | "true" | "on" | "")
    );
    let speed = params
        .remove("speed")
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| SPEEDS.iter().any(|k| (k - s).abs() < 1e-9));
    let panels = params.remove("view").as_deref() == Some("panels");
    for k in VIEW_KEYS {
        params.remove(k);
    }
    (
        params,
        ViewFlags {
            presenter,
            speed,
            panels,
        },
    )
}

/// The query a link carries: the scenario's compact parameters plus the view settings that
/// differ from the defaults.
pub fn link_query(params: &Params, view: ViewFlags) -> String {
    let mut params = params.clone();
    if view.presenter {
        params.set("presenter", 1);
    }
    if let Some(s) = view.speed.filter(|s| (*s - 1.0).abs() > 1e-9) {
        params.set("speed", s);
    }
    if view.panels {
        params.set("view", "panels");
    }
    params.encode()
}

/// Rewrites the query in the address bar without a navigation (no history entry per slider
/// move, no router re-render).
pub fn replace_query(query: &str) {
    let window = gloo::utils::window();
    let hash = window.location().hash().unwrap_or_default();
    let path = hash.split_once('?').map(|(p, _)| p).unwrap_or(&hash);
    let url = format!("{path}?{query}");
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}
