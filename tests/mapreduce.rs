//! The MapReduce lab in headless Chromium: a small real job runs in the page, and the result
//! table it fills in matches the engine's sequential computation.
#![cfg(target_arch = "wasm32")]

use scalelab::App;
use scalelab_engine::mapreduce::{run_sequential, Input, Job};
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn text(root: &Element, sel: &str) -> String {
    root.query_selector(sel)
        .unwrap()
        .unwrap_or_else(|| panic!("no `{sel}`"))
        .text_content()
        .unwrap_or_default()
}

async fn wait_for(ms: u32, what: &str, mut cond: impl FnMut() -> bool) {
    for _ in 0..ms / 20 {
        if cond() {
            return;
        }
        yew::platform::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out after {ms} ms waiting for {what}");
}

#[wasm_bindgen_test]
async fn a_small_job_runs_to_the_right_answer_in_the_page() {
    let book = "the cat and the hat\nthe end of the tale\n".repeat(200);
    let mut files: Vec<(String, String)> = scalelab::data::shipped_files()
        .into_iter()
        .map(|(n, _)| (n, "filler text\n".to_string()))
        .collect();
    files[5].1 = book.clone(); // pg-metamorphosis.txt
    assert_eq!(files[5].0, "pg-metamorphosis.txt");
    scalelab::data::preload(files);

    gloo::utils::window()
        .location()
        .set_hash(
            "#/mapreduce?inputs=pg-metamorphosis&workers=2&reducers=3&split_kb=1&crash=0.2&seed=5",
        )
        .unwrap();
    let root = gloo::utils::document().create_element("div").unwrap();
    gloo::utils::body().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    wait_for(3000, "the lab", || {
        root.query_selector("[data-testid=run-to-end]")
            .unwrap()
            .is_some()
    })
    .await;
    root.query_selector("[data-testid=run-to-end]")
        .unwrap()
        .unwrap()
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    wait_for(20_000, "the job to finish", || {
        text(&root, "[data-testid=run-status]") == "finished"
    })
    .await;

    let expected = run_sequential(&Job::WordCount, &[Input::new("pg-metamorphosis.txt", book)]);
    let rows = root
        .query_selector_all("[data-testid=results] tbody tr")
        .unwrap();
    assert!(rows.length() >= 5, "result rows: {}", rows.length());
    let first = rows.item(0).unwrap().text_content().unwrap();
    assert_eq!(
        first,
        format!("the{}", expected["the"]),
        "top row is `the` with its exact count"
    );
    assert!(text(&root, "[data-testid=verified]").contains(&format!("{} keys", expected.len())));
    assert!(text(&root, "[data-testid=attempt-summary]").contains("attempts"));
    root.remove();
}
