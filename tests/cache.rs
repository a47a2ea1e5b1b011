//! The caching lab in headless Chromium: the page runs the same service as the engine (same
//! trace hash), every read is a hit or a miss, a cache outage shows up as client timeouts, and
//! the hit-ratio curve is measured.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use scalelab_engine::cache::{CacheScenario, CacheWorld};
use scalelab_engine::sim::params::Params;
use scalelab_engine::sim::{LabWorld, Scenario};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const LINK: &str = "dur=20&faults=crash:cache@5s%2B5s";

#[wasm_bindgen_test]
async fn the_page_counts_hits_misses_and_the_outage() {
    let root = mount(&format!("#/caching?{LINK}")).await;
    wait_for(3000, "the lab", || {
        find(&root, "[data-testid=run-to-end]").is_some()
    })
    .await;
    click(&root, "[data-testid=run-to-end]");
    wait_for(20_000, "the run to finish", || {
        text(&root, "[data-testid=run-status]") == "finished"
    })
    .await;
    let (s, errs) = CacheScenario::from_params(&Params::parse(LINK));
    assert!(errs.is_empty(), "{errs:?}");
    let mut w = CacheWorld::new(&s);
    w.run_to_end();
    assert_eq!(text(&root, "[data-testid=trace-hash]"), w.trace_hash());
    let c = w.service().counts;
    assert_eq!(c.hits + c.misses, c.reads);
    assert!(c.timeouts > 0, "the outage melts the store: {c:?}");
    let strip = text(&root, "[data-testid=reconcile]");
    assert!(
        strip.starts_with(&format!(
            "reads {} = hits {} + misses {}",
            c.reads, c.hits, c.misses
        )),
        "{strip}"
    );
    assert!(text(&root, "[data-testid=store]").contains(&c.timeouts.to_string()));
    click(&root, "[data-testid=measure-curve]");
    wait_for(20_000, "the hit-ratio curve", || {
        find(&root, "[data-testid=hit-curve]").is_some()
    })
    .await;
    root.remove();
}

#[wasm_bindgen_test]
async fn staging_loses_nothing_and_the_stages_can_be_opened() {
    use scalelab_engine::cache::staging::{run, StagingSetup};
    let root = mount("#/caching").await;
    wait_for(3000, "the staging panel", || {
        find(&root, "[data-testid=run-staging]").is_some()
    })
    .await;
    click(&root, "[data-testid=run-staging]");
    wait_for(5000, "the three runs", || {
        find(&root, "[data-testid=staging-results]").is_some()
    })
    .await;
    let (sim, _) = run(&StagingSetup::default());
    let p = sim.model();
    let rows = text(&root, "[data-testid=staging-results]");
    let row = format!(
        "with staging{:.1} s{}0",
        p.done_at.unwrap().as_secs_f64(),
        p.in_warehouse()
    );
    assert!(rows.contains(&row), "{rows} lacks {row}");
    click(&root, "[data-testid=inspect-loading]");
    settle().await;
    let (lo, _) = p.at_outage.expect("the outage hit mid-run").loading();
    let shown = text(&root, "[data-testid=inspector]");
    assert!(shown.contains(&format!("records {lo} to")), "{shown}");
    root.remove();
}
