//! The MapReduce lab in headless Chromium: a small real job runs in the page, and the result
//! table it fills in matches the engine's sequential computation.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use scalelab_engine::mapreduce::{run_sequential, Input, Job};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

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

    let root = mount(
        "#/mapreduce?inputs=pg-metamorphosis&workers=2&reducers=3&split_kb=1&crash=0.2&seed=5",
    )
    .await;
    wait_for(3000, "the lab", || {
        root.query_selector("[data-testid=run-to-end]")
            .unwrap()
            .is_some()
    })
    .await;
    click(&root, "[data-testid=run-to-end]");
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
    // The live region told screen-reader users about the crashes.
    let said = text(&root, "[data-testid=announce]");
    assert!(
        said.contains("re-queued") || said.contains("crashed"),
        "announced: {said}"
    );
    root.remove();
}
