//! The intermediate-storage panel of the caching lab: the same warehouse outage run three ways
//! by the engine (with staging, without staging and a re-readable source, without staging and a
//! live feed), and a stage inspector that opens the records waiting at each stage when the
//! outage began.

use crate::widgets::{ChartData, TimeSeriesChart};
use scalelab_engine::cache::staging::{record, run, Stages, StagingSetup};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Clone, PartialEq)]
struct Outcome {
    label: &'static str,
    finished_s: f64,
    in_warehouse: u64,
    lost: u64,
    reloaded: u64,
    restarts: u32,
    at_outage: Option<Stages>,
    chart: Rc<ChartData>,
}

fn outcome(label: &'static str, setup: &StagingSetup) -> Outcome {
    let (sim, _) = run(setup);
    let p = sim.model();
    let series = &p.series;
    Outcome {
        label,
        finished_s: p.done_at.map_or(f64::NAN, |t| t.as_secs_f64()),
        in_warehouse: p.in_warehouse(),
        lost: p.lost,
        reloaded: p.reloaded,
        restarts: p.restarts,
        at_outage: p.at_outage,
        chart: Rc::new(ChartData::from_series(
            series,
            p.done_at.map_or(0.0, |t| t.as_secs_f64()),
        )),
    }
}

#[component]
pub fn StagingPanel() -> Html {
    let setup = use_state(StagingSetup::default);
    let results = use_state(|| None::<Vec<Outcome>>);
    let stage = use_state(|| "staged");
    let run_all = {
        let setup = setup.clone();
        let results = results.clone();
        Callback::from(move |_: MouseEvent| {
            let s = (*setup).clone();
            results.set(Some(vec![
                outcome(
                    "with staging",
                    &StagingSetup {
                        staging: true,
                        ..s.clone()
                    },
                ),
                outcome(
                    "no staging, source re-read",
                    &StagingSetup {
                        staging: false,
                        replayable: true,
                        ..s.clone()
                    },
                ),
                outcome(
                    "no staging, live feed",
                    &StagingSetup {
                        staging: false,
                        replayable: false,
                        ..s
                    },
                ),
            ]));
        })
    };
    let slider = |label: &'static str,
                  id: &'static str,
                  value: f64,
                  (min, max, step): (f64, f64, f64),
                  f: fn(&mut StagingSetup, f64)| {
        let setup = setup.clone();
        let results = results.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let i: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = i.value().parse::<f64>() {
                let mut s = (*setup).clone();
                f(&mut s, v.clamp(min, max));
                setup.set(s);
                results.set(None);
            }
        });
        html! {
            <label class="control">
                <span class="control-label">{ label }<output>{ value }</output></span>
                <input type="range" data-testid={format!("staging-{id}")} min={min.to_string()} max={max.to_string()} step={step.to_string()} value={value.to_string()} {oninput} />
            </label>
        }
    };
    let s = &*setup;
    let pick = |name: &'static str| {
        let stage = stage.clone();
        Callback::from(move |_: MouseEvent| stage.set(name))
    };
    html! {
        <section class="panel" aria-label="Intermediate storage" data-testid="staging">
            <h2>{ "Intermediate storage: ingest → transform → load, and a warehouse outage" }</h2>
            <p class="small muted">{ format!("{} records; the source emits {:.0}/s, transform handles {:.0}/s, the load writes {:.0}/s in commits (checkpoints) of {} records.",
                s.records, s.source_rate, s.transform_rate, s.load_rate, s.checkpoint) }</p>
            <div class="two-col">
                <div>
                    { slider("Outage starts at (s)", "at", s.outage_at_s, (0.0, 60.0, 1.0), |s, v| s.outage_at_s = v) }
                    { slider("Outage lasts (s)", "len", s.outage_s, (0.0, 60.0, 1.0), |s, v| s.outage_s = v) }
                    { slider("Records per checkpoint", "checkpoint", s.checkpoint as f64, (100.0, 5000.0, 100.0), |s, v| s.checkpoint = v as u64) }
                </div>
                <div>
                    <button class="btn primary" data-testid="run-staging" onclick={run_all}>{ "Run the outage three ways" }</button>
                    <p class="small muted">{ "With staging, each stage writes what it has done to durable storage (landing files, a staging table), so a failed load only redoes its current checkpoint. Without it, the data exists only in the running job." }</p>
                </div>
            </div>
            if let Some(rs) = &*results {
                <table class="results" data-testid="staging-results">
                    <thead><tr><th></th><th>{ "finished at" }</th><th>{ "in the warehouse" }</th><th>{ "lost" }</th><th>{ "loaded again" }</th><th>{ "restarts" }</th></tr></thead>
                    <tbody>
                        { for rs.iter().map(|o| html! {
                            <tr class={classes!((o.lost > 0).then_some("bad-row"))}><td>{ o.label }</td><td>{ format!("{:.1} s", o.finished_s) }</td><td>{ o.in_warehouse }</td>
                                <td>{ o.lost }</td><td>{ o.reloaded }</td><td>{ o.restarts }</td></tr>
                        }) }
                    </tbody>
                </table>
                <h3>{ "With staging: records waiting at each stage" }</h3>
                <TimeSeriesChart data={rs[0].chart.clone()} height={180} testid="staging-chart" />
                { inspector(rs[0].at_outage, *stage, pick) }
            }
        </section>
    }
}

fn inspector(
    at: Option<Stages>,
    stage: &'static str,
    pick: impl Fn(&'static str) -> Callback<MouseEvent>,
) -> Html {
    let Some(st) = at else {
        return html! { <p class="small muted">{ "The outage happened after the run had finished: nothing to inspect." }</p> };
    };
    let (lo, hi) = match stage {
        "landed" => st.landed(),
        "loading" => st.loading(),
        _ => st.staged(),
    };
    html! {
        <div class="inspector" data-testid="inspector">
            <h3>{ "Open a stage as it was when the warehouse went down" }</h3>
            <div class="fault-row">
                { for [("landed", "landing files"), ("staged", "staging table"), ("loading", "load batch (rolled back)")].iter().map(|(id, label)| html! {
                    <button class={classes!("btn", (*id == stage).then_some("active-tab"))} data-testid={format!("inspect-{id}")} onclick={pick(id)}>
                        { format!("{label}: {}", { let (a, b) = match *id { "landed" => st.landed(), "loading" => st.loading(), _ => st.staged() }; b - a }) }
                    </button>
                }) }
            </div>
            <table class="results">
                <thead><tr><th>{ "record id" }</th><th>{ "customer" }</th><th>{ "amount (cents)" }</th></tr></thead>
                <tbody>
                    { for (lo..hi).take(8).map(|id| { let (i, c, a) = record(id); html! { <tr><td>{ i }</td><td>{ c }</td><td>{ a }</td></tr> } }) }
                </tbody>
            </table>
            <p class="small muted">{ if hi > lo { format!("records {lo} to {} ({} in all); the first 8 shown", hi - 1, hi - lo) } else { "empty".to_string() } }</p>
        </div>
    }
}
