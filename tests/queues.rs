//! The queue lab in headless Chromium: the page runs the engine (same trace hash as a native
//! run of the same link), reconciles every message, and a consumer crashed from its card is
//! replaced by a rebalance without losing anything.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use scalelab_engine::queue::{QueueScenario, QueueWorld};
use scalelab_engine::sim::params::Params;
use scalelab_engine::sim::Scenario;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const LINK: &str = "dur=30&consumers=2&poison=0.03&seed=5";

#[wasm_bindgen_test]
async fn the_page_runs_the_engine_and_reconciles_every_message() {
    let root = mount(&format!("#/queues?{LINK}")).await;
    wait_for(3000, "the lab", || {
        find(&root, "[data-testid=run-to-end]").is_some()
    })
    .await;
    click(&root, "[data-testid=run-to-end]");
    wait_for(20_000, "the run to finish", || {
        text(&root, "[data-testid=run-status]") == "finished"
    })
    .await;
    let (s, errs) = QueueScenario::from_params(&Params::parse(LINK));
    assert!(errs.is_empty());
    let mut w = QueueWorld::new(&s);
    w.run_to_end();
    let sum = w.summary();
    assert_eq!(text(&root, "[data-testid=trace-hash]"), sum.trace_hash);
    let strip = text(&root, "[data-testid=reconcile]");
    assert!(strip.contains("Nothing lost"), "{strip}");
    assert!(
        strip.contains(&format!(
            "produced {} = acked {} + dead-lettered {} + dropped 0 + in flight 0",
            sum.produced, sum.acked, sum.dead_lettered
        )),
        "{strip}"
    );
    assert!(sum.dead_lettered > 0);
    assert!(text(&root, "[data-testid=dlq]")
        .contains(&format!("Dead-letter queue: {}", sum.dead_lettered)));
    assert_eq!(
        find(&root, "[data-testid=exp-poison]")
            .unwrap()
            .get_attribute("data-seen")
            .as_deref(),
        Some("true")
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn a_crashed_consumer_is_replaced_by_a_rebalance() {
    let root = mount("#/queues?dur=20&consumers=2&partitions=4&commit_ms=5000&seed=9").await;
    wait_for(3000, "the lab", || {
        find(&root, "[data-testid=crash-consumer-1]").is_some()
    })
    .await;
    click(&root, "[data-testid=crash-consumer-1]");
    click(&root, "[data-testid=run-to-end]");
    wait_for(20_000, "the run to finish", || {
        text(&root, "[data-testid=run-status]") == "finished"
    })
    .await;
    assert!(
        find(&root, "[data-testid=restart-consumer-1]").is_some(),
        "consumer-1 is down"
    );
    let card = text(&root, "[data-testid=consumer-card-consumer-2]");
    assert!(
        card.contains("p0 p1 p2 p3"),
        "consumer-2 took every partition: {card}"
    );
    assert!(text(&root, "[data-testid=reconcile]").contains("Nothing lost"));
    let groups = text(&root, "[data-testid=groups]");
    assert!(groups.contains("workers"), "{groups}");
    root.remove();
}
