//! The batch-vs-streaming lab in headless Chromium: the page runs the same pipelines as the
//! engine (same trace hash), streaming catches fraud sooner than batch, and late events show up
//! as dropped in the window table.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use scalelab_engine::sim::params::Params;
use scalelab_engine::sim::{LabWorld, Scenario};
use scalelab_engine::stream::{StreamScenario, StreamWorld};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const LINK: &str = "dur=300&late=0.2&late_max_s=30&seed=4";

#[wasm_bindgen_test]
async fn streaming_detects_sooner_and_late_events_are_reported() {
    let root = mount(&format!("#/batch-stream?{LINK}")).await;
    wait_for(3000, "the lab", || {
        find(&root, "[data-testid=run-to-end]").is_some()
    })
    .await;
    click(&root, "[data-testid=run-to-end]");
    wait_for(20_000, "the run to finish", || {
        text(&root, "[data-testid=run-status]") == "finished"
    })
    .await;
    let (s, errs) = StreamScenario::from_params(&Params::parse(LINK));
    assert!(errs.is_empty(), "{errs:?}");
    let mut w = StreamWorld::new(&s);
    w.run_to_end();
    assert_eq!(text(&root, "[data-testid=trace-hash]"), w.trace_hash());
    let late = w.pipelines().windows.late_dropped;
    assert!(late > 0);
    assert_eq!(
        find(&root, "[data-testid=exp-late]")
            .unwrap()
            .get_attribute("data-seen")
            .as_deref(),
        Some("true")
    );
    assert!(text(&root, "[data-testid=streaming]")
        .contains(&format!("late events dropped from closed windows: {late}")));
    assert!(find(&root, "[data-testid=detect-hist]").is_some());
    let windows = text(&root, "[data-testid=windows]");
    assert!(windows.contains("batch count"), "{windows}");
    root.remove();
}
