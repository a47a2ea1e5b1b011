//! Helpers the browser tests share: mount the app at a route, find, click, wait.
#![allow(dead_code)]

use scalelab::App;
use std::time::Duration;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

pub fn document() -> web_sys::Document {
    gloo::utils::document()
}

/// Mounts a fresh app at `hash` in its own root element.
pub async fn mount(hash: &str) -> Element {
    gloo::utils::window().location().set_hash(hash).unwrap();
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;
    // A lab page builds its machine after the first paint (see `labs::use_after_first_paint`).
    wait_for(10_000, "the lab to mount", || {
        find(&root, "[data-testid=lab-preparing]").is_none()
    })
    .await;
    root
}

pub async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(30)).await;
}

pub fn find(root: &Element, sel: &str) -> Option<Element> {
    root.query_selector(sel).unwrap()
}

pub fn text(root: &Element, sel: &str) -> String {
    find(root, sel)
        .unwrap_or_else(|| panic!("no element `{sel}`"))
        .text_content()
        .unwrap_or_default()
}

pub fn click(root: &Element, sel: &str) {
    find(root, sel)
        .unwrap_or_else(|| panic!("no element `{sel}`"))
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
}

/// Polls `cond` every 20 ms for up to `ms`.
pub async fn wait_for(ms: u32, what: &str, mut cond: impl FnMut() -> bool) {
    for _ in 0..ms / 20 {
        if cond() {
            return;
        }
        yew::platform::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out after {ms} ms waiting for {what}");
}
