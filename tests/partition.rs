//! The partitioning lab in headless Chromium: the page runs the same job as the engine (same
//! trace hash), verifies the combined result, shows the straggler a hot key makes, and measures
//! the speed-up curve.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use scalelab_engine::partition::{PartitionScenario, PartitionWorld};
use scalelab_engine::sim::params::Params;
use scalelab_engine::sim::{LabWorld, Scenario};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const LINK: &str = "dist=hot&hot=0.4&workers=8&partitions=16&records=50000";

#[wasm_bindgen_test]
async fn a_hot_key_is_a_straggler_and_the_result_is_verified() {
    let root = mount(&format!("#/partitioning?{LINK}")).await;
    wait_for(3000, "the lab", || {
        find(&root, "[data-testid=run-to-end]").is_some()
    })
    .await;
    click(&root, "[data-testid=run-to-end]");
    wait_for(20_000, "the job to finish", || {
        text(&root, "[data-testid=run-status]") == "finished"
    })
    .await;
    let (s, errs) = PartitionScenario::from_params(&Params::parse(LINK));
    assert!(errs.is_empty(), "{errs:?}");
    let mut w = PartitionWorld::new(&s);
    w.run_to_end();
    assert_eq!(text(&root, "[data-testid=trace-hash]"), w.trace_hash());
    assert!(text(&root, "[data-testid=verified]").starts_with("✔"));
    let imbalance = text(&root, "[data-testid=imbalance]");
    assert!(
        imbalance.contains(&format!("{:.2}×", w.imbalance())),
        "{imbalance}"
    );
    assert!(w.imbalance() > 3.0);
    assert_eq!(
        find(&root, "[data-testid=exp-straggler]")
            .unwrap()
            .get_attribute("data-seen")
            .as_deref(),
        Some("true")
    );
    click(&root, "[data-testid=measure-speedup]");
    wait_for(10_000, "the speed-up chart", || {
        find(&root, "[data-testid=speedup]").is_some()
    })
    .await;
    root.remove();
}
