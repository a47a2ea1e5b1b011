//! The app in a real headless Chromium (wasm-bindgen-test): mount it, navigate, press the
//! controls a learner presses, and check what the engine put on the page.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn home_lists_the_nine_labs() {
    let root = mount("#/").await;
    wait_for(2000, "home page", || {
        find(&root, "[data-testid=home]").is_some()
    })
    .await;
    let links = root
        .query_selector_all("a[data-testid^=lab-link-]")
        .unwrap();
    assert_eq!(links.length(), 9);
    // Instructors find the class page from the home page.
    let class = find(&root, "[data-testid=home-class-link]").expect("a link to the class page");
    assert_eq!(class.get_attribute("href").as_deref(), Some("#/class"));
    root.remove();
}

#[wasm_bindgen_test]
async fn play_advances_the_engine_and_the_metrics() {
    let root = mount("#/queues?seed=3&rate=20").await;
    wait_for(2000, "lab page", || {
        find(&root, "[data-testid=play]").is_some()
    })
    .await;
    assert!(text(&root, "h1").contains("message queues"));
    assert!(!text(&root, "[data-testid=lab-summary]").is_empty());
    let t0 = text(&root, "[data-testid=sim-time]");
    let hash0 = text(&root, "[data-testid=trace-hash]");

    // Step: exactly one event, deterministic.
    click(&root, "[data-testid=step]");
    wait_for(3000, "a step to process an event", || {
        text(&root, "[data-testid=trace-hash]") != hash0
    })
    .await;

    // Play at 100×: virtual time and the dashboard move on their own.
    let select: web_sys::HtmlSelectElement = find(&root, "[data-testid=speed]")
        .unwrap()
        .dyn_into()
        .unwrap();
    select.set_value("100");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    click(&root, "[data-testid=play]");
    wait_for(3000, "status running", || {
        text(&root, "[data-testid=run-status]") == "running"
    })
    .await;
    wait_for(5000, "throughput to become non-zero", || {
        let tp = text(&root, "[data-testid=metric-throughput]");
        !tp.starts_with("0.0")
    })
    .await;
    assert_ne!(text(&root, "[data-testid=sim-time]"), t0);
    let util = text(&root, "[data-testid=metric-utilization]");
    assert!(!util.starts_with("0 "), "utilization moved: {util}");
    click(&root, "[data-testid=play]");
    wait_for(3000, "status paused", || {
        text(&root, "[data-testid=run-status]") == "paused"
    })
    .await;
    root.remove();
}

#[wasm_bindgen_test]
async fn run_to_end_matches_the_engine_run_natively_computed_here() {
    use scalelab_engine::demo::{DemoScenario, DemoWorld};
    use scalelab_engine::sim::LabWorld;
    let root = mount("#/sandbox?seed=7&dur=30").await;
    wait_for(2000, "lab page", || {
        find(&root, "[data-testid=run-to-end]").is_some()
    })
    .await;
    click(&root, "[data-testid=run-to-end]");
    wait_for(10_000, "run to finish", || {
        text(&root, "[data-testid=run-status]") == "finished"
    })
    .await;
    let mut w = DemoWorld::new(&DemoScenario {
        seed: 7,
        duration_s: 30.0,
        ..Default::default()
    });
    w.run_to_end();
    assert_eq!(text(&root, "[data-testid=trace-hash]"), w.trace_hash());
    let rec = text(&root, "[data-testid=reconcile]");
    assert!(rec.ends_with('✓'), "reconciliation holds: {rec}");
    root.remove();
}

#[wasm_bindgen_test]
async fn invalid_url_state_names_the_fields_and_falls_back() {
    let root = mount("#/scaling?rate=-5&seed=abc&bogus=1").await;
    wait_for(2000, "error banner", || {
        find(&root, "[data-testid=url-error]").is_some()
    })
    .await;
    let msg = text(&root, "[data-testid=url-error]");
    assert!(
        msg.contains("rate") && msg.contains("between 0.1 and 10000"),
        "{msg}"
    );
    assert!(msg.contains("seed") && msg.contains("bogus"), "{msg}");
    // Defaults are in force and the lab still runs.
    assert_eq!(
        find(&root, "[data-testid=seed]")
            .unwrap()
            .dyn_into::<web_sys::HtmlInputElement>()
            .unwrap()
            .value(),
        "42"
    );
    click(&root, "[data-testid=step]");
    settle().await;
    root.remove();
}

#[wasm_bindgen_test]
async fn changing_a_control_rewrites_the_url() {
    let root = mount("#/sandbox").await;
    wait_for(2000, "lab page", || {
        find(&root, "[data-testid=seed]").is_some()
    })
    .await;
    let input: web_sys::HtmlInputElement = find(&root, "[data-testid=seed]")
        .unwrap()
        .dyn_into()
        .unwrap();
    input.set_value("1234");
    input
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    // Polled rather than slept: on a busy machine the re-render can take longer than a tick.
    wait_for(3000, "the URL to carry seed=1234", || {
        let hash = gloo::utils::window().location().hash().unwrap();
        hash.starts_with("#/sandbox?") && hash.contains("seed=1234")
    })
    .await;
    // Compact: fields at their default are left out of the link.
    let hash = gloo::utils::window().location().hash().unwrap();
    assert_eq!(
        hash, "#/sandbox?seed=1234",
        "the link carries only what differs"
    );
    // The view travels too: a faster speed is part of the link.
    let select: web_sys::HtmlSelectElement = find(&root, "[data-testid=speed]")
        .unwrap()
        .dyn_into()
        .unwrap();
    select.set_value("20");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    wait_for(3000, "the URL to carry speed=20", || {
        gloo::utils::window()
            .location()
            .hash()
            .unwrap()
            .contains("speed=20")
    })
    .await;
    root.remove();
}

fn key(k: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(k);
    init.set_bubbles(true);
    let ev = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    gloo::utils::document()
        .body()
        .unwrap()
        .dispatch_event(&ev)
        .unwrap();
}

#[wasm_bindgen_test]
async fn presenter_keys_drive_the_playback() {
    let root = mount("#/sandbox?seed=3&dur=30").await;
    wait_for(3000, "the lab", || {
        find(&root, "[data-testid=play]").is_some()
    })
    .await;
    key("?");
    wait_for(2000, "the shortcut list", || {
        find(&root, "[data-testid=shortcuts-help]").is_some()
    })
    .await;
    key(" ");
    wait_for(2000, "running", || {
        text(&root, "[data-testid=run-status]") == "running"
    })
    .await;
    key(" ");
    wait_for(2000, "paused", || {
        text(&root, "[data-testid=run-status]") == "paused"
    })
    .await;
    let before = text(&root, "[data-testid=trace-hash]");
    key("ArrowRight");
    wait_for(2000, "one step", || {
        text(&root, "[data-testid=trace-hash]") != before
    })
    .await;
    let speed = || {
        find(&root, "[data-testid=speed]")
            .unwrap()
            .dyn_into::<web_sys::HtmlSelectElement>()
            .unwrap()
            .value()
    };
    let s0: f64 = speed().parse().unwrap();
    key("+");
    wait_for(2000, "faster", || speed().parse::<f64>().unwrap() > s0).await;
    key("e");
    wait_for(10_000, "the end", || {
        text(&root, "[data-testid=run-status]") == "finished"
    })
    .await;
    key("r");
    wait_for(2000, "a restart", || {
        text(&root, "[data-testid=run-status]") == "paused"
    })
    .await;
    root.remove();
}

#[wasm_bindgen_test]
async fn the_f_key_injects_the_labs_main_fault() {
    let root = mount("#/sandbox?seed=3&dur=30").await;
    wait_for(3000, "the lab", || {
        find(&root, "[data-testid=play]").is_some()
    })
    .await;
    key(" ");
    wait_for(2000, "running", || {
        text(&root, "[data-testid=run-status]") == "running"
    })
    .await;
    key("f");
    wait_for(3000, "the server to go down", || {
        text(&root, "[data-testid=server-view]").contains("down")
    })
    .await;
    root.remove();
}

#[wasm_bindgen_test]
async fn time_travel_replays_the_same_run() {
    use scalelab_engine::demo::{DemoScenario, DemoWorld};
    use scalelab_engine::sim::{LabWorld, SimTime};
    let root = mount("#/sandbox?seed=7&dur=30").await;
    wait_for(2000, "lab page", || {
        find(&root, "[data-testid=run-to-end]").is_some()
    })
    .await;
    click(&root, "[data-testid=run-to-end]");
    wait_for(10_000, "run to finish", || {
        text(&root, "[data-testid=run-status]") == "finished"
    })
    .await;
    let end_hash = text(&root, "[data-testid=trace-hash]");

    // Drag the scrubber back to 10 s: the page shows exactly the straight run at 10 s.
    let scrub: web_sys::HtmlInputElement = find(&root, "[data-testid=scrub]")
        .unwrap()
        .dyn_into()
        .unwrap();
    scrub.set_value("10000");
    scrub
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    wait_for(5000, "the world to go back", || {
        text(&root, "[data-testid=run-status]") == "paused"
    })
    .await;
    let mut w = DemoWorld::new(&DemoScenario {
        seed: 7,
        duration_s: 30.0,
        ..Default::default()
    });
    w.advance(SimTime::from_secs(10), u64::MAX);
    assert_eq!(text(&root, "[data-testid=trace-hash]"), w.trace_hash());
    assert!(text(&root, "[data-testid=scrub-note]").starts_with("replayed "));

    // Playing on reaches the same end as before.
    click(&root, "[data-testid=run-to-end]");
    wait_for(10_000, "run to finish again", || {
        text(&root, "[data-testid=run-status]") == "finished"
    })
    .await;
    assert_eq!(text(&root, "[data-testid=trace-hash]"), end_hash);
    root.remove();
}

#[wasm_bindgen_test]
fn exports_hold_the_whole_run() {
    use scalelab::widgets::export::{chart_svg, event_log_jsonl};
    use scalelab::widgets::ChartData;
    use scalelab_engine::demo::{DemoScenario, DemoWorld};
    use scalelab_engine::sim::{LabWorld, SimTime, Snapshots};
    let mut w = DemoWorld::new(&DemoScenario {
        seed: 4,
        duration_s: 20.0,
        ..Default::default()
    });
    let mut snaps = Snapshots::new(&w, SimTime::from_millis(250));
    let mut crashed = false;
    while !w.is_done() {
        w.advance(w.now() + SimTime::from_millis(300), 2_000);
        snaps.observe(&w);
        if w.now() >= SimTime::from_secs(5) && !crashed {
            w.crash_now();
            snaps.commanded(&w);
            crashed = true;
        }
    }
    let log = event_log_jsonl(&snaps, &w, "http://x/#/sandbox?seed=4&dur=20");
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect();
    assert_eq!(lines[0]["trace_hash"], w.trace_hash());
    let events = lines.iter().filter(|l| l.get("seq").is_some()).count() as u64;
    assert_eq!(events, w.events(), "one line per event");
    // Each event is data, not Rust syntax: its kind, with its fields beside it.
    let arrival = lines
        .iter()
        .find(|l| l["event"]["kind"] == "Arrival")
        .expect("an arrival in the log");
    assert!(arrival["event"]["gen"].is_u64(), "{arrival}");
    assert!(lines
        .iter()
        .filter(|l| l.get("seq").is_some())
        .all(|l| l["event"]["kind"].is_string()));
    assert_eq!(
        lines.iter().filter(|l| l.get("command").is_some()).count(),
        1
    );
    let data = ChartData::from_series(w.series(), 20.0);
    let svg = chart_svg(&data, "Sandbox <test>");
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    assert_eq!(svg.matches("<polyline").count(), data.columns.len());
    assert!(svg.contains("Sandbox &lt;test&gt;"));
}
