//! The reliability lab in headless Chromium: a drill runs the engine's pipeline (same trace hash
//! as the engine), the scorecard and the reconciliation from the event log agree, mitigations
//! turn a failing drill into a passing one, the ramp finds its breaking point, and faults can be
//! placed and dragged on the timeline (the link follows).
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use scalelab_engine::drills::{DrillScenario, DrillWorld};
use scalelab_engine::sim::params::Params;
use scalelab_engine::sim::{LabWorld, Scenario};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const LINK: &str = "drill=network-cut&rate=40&dur=120";

async fn run_to_end(root: &web_sys::Element) {
    click(root, "[data-testid=run-to-end]");
    wait_for(60_000, "the drill to finish", || {
        text(root, "[data-testid=run-status]") == "finished"
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_drill_is_scored_and_reconciled_and_mitigations_make_it_pass() {
    let root = mount(&format!("#/drills?{LINK}")).await;
    wait_for(5000, "the lab", || {
        find(&root, "[data-testid=pipeline]").is_some()
    })
    .await;
    run_to_end(&root).await;
    let (s, errs) = DrillScenario::from_params(&Params::parse(LINK));
    assert!(errs.is_empty(), "{errs:?}");
    let mut w = DrillWorld::new(&s);
    w.run_to_end();
    assert_eq!(text(&root, "[data-testid=trace-hash]"), w.trace_hash());
    let card = w.scorecard();
    assert!(card.lost > 0);
    assert_eq!(
        text(&root, "[data-testid=sc-in]"),
        card.records_in.to_string()
    );
    assert!(text(&root, "[data-testid=sc-lost]").starts_with(&card.lost.to_string()));
    assert!(text(&root, "[data-testid=scorecard]").contains("FAIL"));
    assert!(text(&root, "[data-testid=balance]").starts_with('✓'));
    assert!(!text(&root, "[data-testid=reconciliation]").contains('✗'));
    assert!(text(&root, "[data-testid=set-aside]").contains("not retried"));
    assert!(find(&root, "[data-testid=exp-see-loss].seen").is_some());
    click(&root, "[data-testid=mit-safe]");
    settle().await;
    run_to_end(&root).await;
    assert!(text(&root, "[data-testid=scorecard]").contains("PASS"));
    assert_eq!(text(&root, "[data-testid=sc-lost]"), "0");
    wait_for(2000, "the second experiment", || {
        find(&root, "[data-testid=exp-protect].seen").is_some()
    })
    .await;
    click(&root, "[data-testid=run-ramp]");
    wait_for(60_000, "the ramp", || {
        find(&root, "[data-testid=ramp-verdict]").is_some()
    })
    .await;
    assert!(text(&root, "[data-testid=ramp-verdict]").contains("broke at"));
    root.remove();
}

fn pointer(kind: &str, x: f64) -> web_sys::PointerEvent {
    let init = web_sys::PointerEventInit::new();
    init.set_client_x(x as i32);
    init.set_bubbles(true);
    web_sys::PointerEvent::new_with_event_init_dict(kind, &init).unwrap()
}

#[wasm_bindgen_test]
async fn faults_are_placed_and_dragged_on_the_timeline_and_the_link_follows() {
    let root = mount("#/drills?drill=holiday-rush&dur=60").await;
    wait_for(5000, "the timeline", || {
        find(&root, "[data-testid=timeline]").is_some()
    })
    .await;
    assert!(find(&root, "[data-testid=fault-1]").is_none());
    // Place a network cut: pick it, click the axis.
    click(&root, "[data-testid=place-2]");
    settle().await;
    let svg = find(&root, "[data-testid=timeline]").unwrap();
    let r = svg.get_bounding_client_rect();
    let init = web_sys::MouseEventInit::new();
    init.set_client_x((r.left() + r.width() * 0.5) as i32);
    init.set_bubbles(true);
    let ev = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
    svg.dispatch_event(&ev).unwrap();
    wait_for(3000, "the new fault", || {
        find(&root, "[data-testid=fault-1]").is_some()
    })
    .await;
    let hash = || gloo::utils::window().location().hash().unwrap();
    wait_for(3000, "the link to carry the custom drill", || {
        hash().contains("drill=custom") && hash().contains("cut:loader")
    })
    .await;
    // Drag the first fault (the rush at 60 s) to the right.
    let bar = find(&root, "[data-testid=fault-0] rect").unwrap();
    let b = bar.get_bounding_client_rect();
    let x0 = b.left() + 2.0;
    bar.dispatch_event(&pointer("pointerdown", x0)).unwrap();
    settle().await;
    svg.dispatch_event(&pointer("pointermove", x0 + r.width() * 0.2))
        .unwrap();
    settle().await;
    svg.dispatch_event(&pointer("pointerup", x0 + r.width() * 0.2))
        .unwrap();
    wait_for(3000, "the rush to move later", || {
        let h = hash();
        h.contains("spike") && !h.contains("spike*10%4060s") && !h.contains("spike*10@60s")
    })
    .await;
    // The link also carries view settings (the lab plays at its own speed); the scenario is
    // the rest.
    let (params, _) =
        scalelab::url_state::split_view(Params::parse(hash().split_once('?').map_or("", |x| x.1)));
    let (s, errs) = DrillScenario::from_params(&params);
    assert!(errs.is_empty(), "{errs:?} in {}", hash());
    assert_eq!(s.faults.faults.len(), 2);
    assert!(s.faults.faults[0].at.as_secs_f64() > 60.0, "{}", s.faults);
    root.remove();
}

fn key_on(el: &web_sys::Element, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    el.dispatch_event(
        &web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap(),
    )
    .unwrap();
}

#[wasm_bindgen_test]
async fn the_timeline_works_from_the_keyboard() {
    let root = mount("#/drills?drill=holiday-rush&dur=60").await;
    wait_for(5000, "the timeline", || {
        find(&root, "[data-testid=fault-0]").is_some()
    })
    .await;
    let hash = || gloo::utils::window().location().hash().unwrap();
    // Place a network cut with the keyboard: pick it, Enter on the timeline.
    click(&root, "[data-testid=place-2]");
    settle().await;
    let svg = find(&root, "[data-testid=timeline]").unwrap();
    assert_eq!(svg.get_attribute("tabindex").as_deref(), Some("0"));
    key_on(&svg, "Enter");
    wait_for(3000, "the placed fault", || {
        find(&root, "[data-testid=fault-1]").is_some()
    })
    .await;
    // Move the first fault later with the arrow key, then delete it.
    let before = hash();
    key_on(&find(&root, "[data-testid=fault-0]").unwrap(), "ArrowRight");
    wait_for(3000, "the link to follow the move", || hash() != before).await;
    key_on(&find(&root, "[data-testid=fault-0]").unwrap(), "Delete");
    wait_for(3000, "one fault left", || {
        find(&root, "[data-testid=fault-1]").is_none()
    })
    .await;
    root.remove();
}
