//! The performance lab in headless Chromium: the page runs the same job as the engine (same
//! trace hash), the monitoring panels and the bottleneck hint come from it, the hint's button
//! switches the suggested optimisation on, and the report is verified.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use scalelab_engine::pipeline::{Opt, PipelineScenario, PipelineWorld};
use scalelab_engine::sim::params::Params;
use scalelab_engine::sim::{LabWorld, Scenario};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const LINK: &str = "days=30&per_day=500&files=2000&opts=pruning,columnar";

#[wasm_bindgen_test]
async fn the_page_runs_the_engines_job_and_names_its_bottleneck() {
    let root = mount(&format!("#/performance?{LINK}")).await;
    wait_for(5000, "the lab", || {
        find(&root, "[data-testid=run-to-end]").is_some()
    })
    .await;
    assert_eq!(
        root.query_selector_all("[data-testid=monitor] .mpanel")
            .unwrap()
            .length(),
        6
    );
    click(&root, "[data-testid=run-to-end]");
    wait_for(20_000, "the job to finish", || {
        text(&root, "[data-testid=run-status]") == "finished"
    })
    .await;
    let (s, errs) = PipelineScenario::from_params(&Params::parse(LINK));
    assert!(errs.is_empty(), "{errs:?}");
    let mut w = PipelineWorld::new(&s);
    w.run_to_end();
    assert_eq!(text(&root, "[data-testid=trace-hash]"), w.trace_hash());
    let b = w.bottleneck().expect("a slowest stage");
    let hint = text(&root, "[data-testid=bottleneck]");
    assert!(hint.contains(&b.name), "{hint} lacks {}", b.name);
    assert!(text(&root, "[data-testid=verified]").starts_with('✓'));
    let job = format!("{:.1}", w.job_time_s().unwrap());
    assert!(
        text(&root, "[data-testid=panel-job-duration]").contains(&job),
        "{} vs {job}",
        text(&root, "[data-testid=panel-job-duration]")
    );
    // The straggling join is the bottleneck here; the hint's button broadcasts the small table.
    assert_eq!(b.suggestion, Some(Opt::Broadcast));
    click(&root, "[data-testid=apply-hint]");
    settle().await;
    let cb = root
        .query_selector("[data-testid=opt-broadcast]")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlInputElement>()
        .unwrap();
    assert!(cb.checked());
    assert!(web_sys::window()
        .unwrap()
        .location()
        .hash()
        .unwrap()
        .contains("broadcast"));
    click(&root, "[data-testid=run-to-end]");
    wait_for(20_000, "the second run", || {
        text(&root, "[data-testid=run-status]") == "finished"
    })
    .await;
    let runs = text(&root, "[data-testid=runs]");
    assert!(
        runs.contains("columnar,pruning") && runs.contains("broadcast,columnar,pruning"),
        "{runs}"
    );
    wait_for(3000, "the first experiment to tick", || {
        find(&root, "[data-testid=exp-fix-slowest].seen").is_some()
    })
    .await;
    click(&root, "[data-testid=measure-compare]");
    wait_for(20_000, "the comparison", || {
        find(&root, "[data-testid=compare]").is_some()
    })
    .await;
    assert_eq!(root.query_selector_all(".compare-row").unwrap().length(), 9);
    assert!(!text(&root, "[data-testid=compare]").contains("DIFFERS"));
    root.remove();
}

#[wasm_bindgen_test]
async fn a_bad_link_names_the_field() {
    let root = mount("#/performance?opts=turbo&window=900").await;
    wait_for(5000, "the banner", || {
        find(&root, "[data-testid=url-error]").is_some()
    })
    .await;
    let banner = text(&root, "[data-testid=url-error]");
    assert!(
        banner.contains("opts") && banner.contains("turbo"),
        "{banner}"
    );
    assert!(banner.contains("window"), "{banner}");
    root.remove();
}
