//! The scaling lab in headless Chromium: the same planned crash is an outage for one big
//! machine and a blip for four small ones, as the comparison table shows.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

fn availability(root: &Element) -> (f64, f64) {
    let rows = root
        .query_selector_all("[data-testid=compare] tbody tr")
        .unwrap();
    for i in 0..rows.length() {
        let row = rows.item(i).unwrap().dyn_into::<Element>().unwrap();
        let cells = row.query_selector_all("td").unwrap();
        if cells.item(0).unwrap().text_content().unwrap() == "availability" {
            let pct = |j| {
                cells
                    .item(j)
                    .unwrap()
                    .text_content()
                    .unwrap()
                    .trim_end_matches('%')
                    .parse::<f64>()
                    .unwrap()
            };
            return (pct(1), pct(2));
        }
    }
    panic!("no availability row");
}

#[wasm_bindgen_test]
async fn one_crash_is_an_outage_for_one_machine_and_a_blip_for_many() {
    let root = mount("#/scaling?dur=40&rate=150&faults=crash:machine-1@10s%2B10s").await;
    wait_for(3000, "the lab", || {
        root.query_selector("[data-testid=run-to-end]")
            .unwrap()
            .is_some()
    })
    .await;
    click(&root, "[data-testid=run-to-end]");
    wait_for(20_000, "both runs to finish", || {
        text(&root, "[data-testid=run-status]") == "finished"
    })
    .await;
    let (big, small) = availability(&root);
    assert!(big < 80.0, "one machine down for 10 of 40 s: {big}%");
    assert!(small > 99.0, "four machines ride it out: {small}%");
    click(&root, "[data-testid=measure-speedup]");
    wait_for(10_000, "the speed-up chart", || {
        root.query_selector("[data-testid=speedup]")
            .unwrap()
            .is_some()
    })
    .await;
    root.remove();
}
