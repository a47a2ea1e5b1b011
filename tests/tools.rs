//! The Spark log view in headless Chromium: a real Spark 4 log (zstd) is decompressed and parsed
//! in the page, its Gantt has one lane per executor and one bar per task attempt (the failed one
//! included), and the summary names the skewed task; a log in another codec is refused by name.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use scalelab::labs::sparklog::{SparkLogView, SparkLogViewProps};
use scalelab_engine::sparklog::{parse_bytes, stage_stats, summary};
use std::rc::Rc;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SKEWED: &[u8] =
    include_bytes!("../static/data/spark-events/spark4-2executors-skewed-groupby.json.zst");
const RETRIED: &[u8] =
    include_bytes!("../static/data/spark-events/spark4-2executors-retried-task.json");

fn mount_view(name: &str, bytes: &[u8]) -> web_sys::Element {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let props = SparkLogViewProps {
        testid: "spark-log".into(),
        open: Some(Rc::new((name.to_string(), bytes.to_vec()))),
    };
    yew::Renderer::<SparkLogView>::with_root_and_props(root.clone(), props).render();
    root
}

#[wasm_bindgen_test]
async fn a_zstd_log_is_imported_with_its_gantt_stats_and_summary() {
    let root = mount_view("skewed.json.zst", SKEWED);
    wait_for(10_000, "the log to load", || {
        find(&root, "[data-testid=spark-view]").is_some()
    })
    .await;
    let log = parse_bytes(SKEWED).unwrap();
    let stats = stage_stats(&log);
    let text = text(&root, "[data-testid=spark-summary]");
    for line in summary(&log, &stats) {
        assert!(text.contains(&line), "{text} lacks {line}");
    }
    assert!(text.contains("skewed key"));
    assert_eq!(
        root.query_selector_all("[data-testid=spark-stages] tbody tr")
            .unwrap()
            .length(),
        2
    );
    assert!(find(&root, "[data-testid=spark-gantt]").is_some());
    root.remove();
}

#[wasm_bindgen_test]
async fn the_failed_attempt_is_reported_and_other_codecs_are_named() {
    let root = mount_view("retried.json", RETRIED);
    wait_for(10_000, "the log to load", || {
        find(&root, "[data-testid=spark-view]").is_some()
    })
    .await;
    assert!(text(&root, "[data-testid=spark-view]").contains("17 task attempts (1 failed)"));
    assert!(text(&root, "[data-testid=spark-summary]").contains("succeeded when retried"));
    root.remove();
    let root = mount_view("events.lz4", b"LZ4Block\x10\x00\x00\x00");
    wait_for(5_000, "the error", || {
        find(&root, "[data-testid=spark-error]").is_some()
    })
    .await;
    assert!(text(&root, "[data-testid=spark-error]").contains("lz4"));
    root.remove();
}

#[wasm_bindgen_test]
async fn the_tools_page_has_the_map_the_names_and_the_export() {
    let root = mount("#/tools").await;
    wait_for(5000, "the tools page", || {
        find(&root, "[data-testid=tools-map]").is_some()
    })
    .await;
    assert!(text(&root, "[data-testid=tools-map]").contains("Apache Kafka"));
    assert!(text(&root, "[data-testid=real-names]").contains("group.id"));
    assert!(text(&root, "[data-testid=export-script]").contains("REDUCERS = 4"));
    let href = find(&root, "[data-testid=download-job]")
        .unwrap()
        .get_attribute("href")
        .unwrap();
    assert!(href.starts_with("data:text/x-python"));
    root.remove();
}

#[wasm_bindgen_test]
async fn the_dag_backfill_matches_the_engine_and_failed_runs_can_be_cleared() {
    use scalelab_engine::dag::{DagScenario, DagWorld};
    use scalelab_engine::sim::LabWorld;
    let root = mount("#/tools?days=8").await;
    wait_for(5000, "the DAG", || {
        find(&root, "[data-testid=dag-grid]").is_some()
    })
    .await;
    click(&root, "[data-testid=run-to-end]");
    wait_for(20_000, "the backfill", || {
        text(&root, "[data-testid=run-status]") == "finished"
    })
    .await;
    let mut w = DagWorld::new(&DagScenario {
        days: 8,
        ..DagScenario::default()
    });
    w.run_to_end();
    assert_eq!(text(&root, "[data-testid=trace-hash]"), w.trace_hash());
    let (ok, failed, _) = w.outcome();
    assert!(failed > 0, "the default outage fails some runs");
    assert!(text(&root, "[data-testid=dag-outcome]")
        .contains(&format!("{ok} succeeded, {failed} failed")));
    assert_eq!(
        root.query_selector_all("[data-testid=dag-grid] tbody tr")
            .unwrap()
            .length(),
        8
    );
    click(&root, "[data-testid=dag-clear]");
    settle().await;
    click(&root, "[data-testid=run-to-end]");
    wait_for(20_000, "the re-run", || {
        text(&root, "[data-testid=dag-outcome]").contains("8 succeeded, 0 failed")
    })
    .await;
    root.remove();
}
