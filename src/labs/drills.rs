//! The reliability lab: pick a drill (or build one on the timeline), pick mitigations, run it,
//! and read the scorecard and the reconciliation the engine recounted from its event log. The
//! stress ramp finds the load where the objective breaks and what saturated first.

use super::frame::{use_lab, Lab, ScenarioControls};
use crate::player::Status;
use crate::widgets::{
    Challenge, Experiment, Experiments, Explain, Explanation, FaultTimeline, Template,
};
use scalelab_engine::drills::model::{Fate, LoaderState, SLO_WINDOW};
use scalelab_engine::drills::record::record_text;
use scalelab_engine::drills::script::built_in;
use scalelab_engine::drills::world::set_aside;
use scalelab_engine::drills::{
    reconcile, stress_ramp, DrillScenario, DrillWorld, Mitigation, Mitigations, Ramp, Scorecard,
};
use scalelab_engine::sim::{FaultPlan, LabWorld};
use std::collections::BTreeSet;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DrillsLabProps {
    pub presenter: bool,
}

type DrillsHandle = Lab<DrillScenario, DrillWorld>;

/// Challenge: the cascading drill with nothing lost and at most this much SLO violation.
const CHALLENGE_SLO_S: f64 = 60.0;

fn templates() -> Vec<Template> {
    vec![
        Template {
            label: "Crash a worker",
            text: "crash:worker-1@{T}+30s",
        },
        Template {
            label: "Slow disk ×10",
            text: "slow:worker-2*10@{T}+60s",
        },
        Template {
            label: "Network cut",
            text: "cut:loader>warehouse@{T}+45s",
        },
        Template {
            label: "Rush ×10",
            text: "spike*10@{T}+30s",
        },
        Template {
            label: "Bad batch 5%",
            text: "corrupt=0.05@{T}+60s",
        },
        Template {
            label: "Poison",
            text: "poison=0.005@{T}+60s",
        },
    ]
}

#[derive(Clone, PartialEq)]
struct Live {
    stations: [u64; 6],
    workers: Vec<(String, bool, bool, bool)>,
    loader: LoaderState,
    warehouse_up: bool,
    windows: Vec<bool>,
    now_s: f64,
    done: bool,
}

fn live(w: &DrillWorld) -> Live {
    let m = w.model();
    Live {
        stations: w.stations(),
        workers: m
            .broker
            .consumers
            .iter()
            .map(|c| {
                (
                    c.name.replace("consumer-", "worker-"),
                    c.up,
                    c.slow > 1.0,
                    c.work.is_some(),
                )
            })
            .collect(),
        loader: m.loader,
        warehouse_up: m.warehouse_up,
        windows: m.windows.clone(),
        now_s: w.now().as_secs_f64(),
        done: w.is_done(),
    }
}

#[component]
pub fn DrillsLab(p: &DrillsLabProps) -> Html {
    let lab: DrillsHandle = use_lab(DrillWorld::new, p.presenter);
    {
        let player = lab.player.clone();
        use_effect_with((), move |_| player.set_speed(10.0));
    }
    let s = (*lab.scenario).clone();
    let status = lab.player.status();
    let v = lab.player.with(|st| live(&st.world));
    let finished = status == Status::Finished && v.done;
    let card = finished.then(|| lab.player.with(|st| st.world.scorecard()));
    let ramp = use_state(|| None::<(DrillScenario, Ramp)>);
    // (drill, mitigations, passed) of finished runs, for the experiments.
    let history = use_mut_ref(BTreeSet::<(String, Mitigations, bool, u64)>::new);
    if let Some(c) = &card {
        history
            .borrow_mut()
            .insert((s.drill.clone(), s.mitigations, c.passed, c.lost));
    }
    let h = history.borrow().clone();
    let lost_then_saved = h.iter().any(|(d, _, pass, lost)| {
        !pass && *lost > 0 && h.iter().any(|(d2, _, p2, _)| d2 == d && *p2)
    });
    let custom_pass =
        h.iter().any(|(d, _, pass, _)| d == "custom" && *pass) && s.faults.faults.len() >= 2;
    let experiments = vec![
        Experiment { id: "see-loss", title: "Run a drill unprotected and count what is lost",
            how: "Pick “Network cut” with no mitigations and run it to the end. The scorecard counts every record the warehouse never got, with the reason, and the reconciliation proves the count.",
            seen: h.iter().any(|(_, _, _, lost)| *lost > 0) },
        Experiment { id: "protect", title: "Run the same drill again with mitigations until it passes",
            how: "Switch on retries, the buffer and the quarantine and run the same drill: lost drops to 0, and the SLO and recovery rows show what the outage still cost.",
            seen: lost_then_saved },
        Experiment { id: "ramp", title: "Find the breaking point with a stress ramp",
            how: "Run the stress ramp: the load rises by a quarter every 30 s until records take longer than the objective (or get dropped). Note which component was busy first: that is the one to scale.",
            seen: ramp.as_ref().is_some_and(|(_, r)| r.breaking.is_some()) },
        Experiment { id: "custom", title: "Build your own drill with two faults and pass it",
            how: "Place two faults on the timeline (say a rush and a network cut at once), share the link with a classmate, and find the mitigations that bring it through with nothing lost.",
            seen: custom_pass },
    ];
    let challenge = card.as_ref().map(|c| {
        let n = Mitigation::ALL
            .iter()
            .filter(|m| s.mitigations.has(**m))
            .count();
        let ok = s.drill == "cascading" && c.passed && c.slo_violation_s <= CHALLENGE_SLO_S;
        (
            ok,
            format!(
                "{}: lost {}, SLO violated {:.0} s, {} mitigation(s): {}{}",
                s.drill,
                c.lost,
                c.slo_violation_s,
                n,
                s.mitigations.to_text(),
                if s.drill == "cascading" {
                    ""
                } else {
                    " (pick the cascading drill)"
                }
            ),
        )
    });
    let on_timeline = lab.edit(|s: &mut DrillScenario, plan: FaultPlan| {
        s.drill = "custom".into();
        s.faults = plan;
    });
    let end_s = (s.duration_s + 60.0).max(
        s.faults
            .faults
            .iter()
            .map(|f| (f.at + f.duration.unwrap_or_default()).as_secs_f64() + 30.0)
            .fold(0.0, f64::max),
    );
    let render_controls: fn(&DrillsHandle, &DrillScenario) -> Html = controls;
    html! {
        <div class="lab-frame drills">
            { lab.error_banner() }
            { lab.playback_bar() }
            { lab.dashboard() }
            { drill_picker(&lab, &s) }
            <section class="panel" aria-label="The drill's timeline">
                <h2>{ format!("Timeline: {}", if s.drill == "custom" { "your drill".to_string() } else { built_in().iter().find(|d| d.name == s.drill).map_or(s.drill.clone(), |d| d.title.clone()) }) }</h2>
                <FaultTimeline plan={s.faults.clone()} end_s={end_s} now_s={v.now_s} windows={v.windows.clone()}
                    window_s={SLO_WINDOW.as_secs_f64()} templates={templates()} on_change={on_timeline} />
                <p class="small muted">{ format!("Red marks under the axis: 10-second windows where records took longer than the {:.0} s objective to reach the warehouse.", s.slo_s) }</p>
            </section>
            { pipeline(&v, &s) }
            <div class="frame-body">
                <div class="frame-main">
                    if let Some(c) = &card { { scorecard_panel(&lab, c) } }
                    { lab.chart(s.duration_s + 60.0) }
                    { ramp_panel(&lab, &s, &ramp) }
                </div>
                <div class="frame-side">
                    <ScenarioControls<DrillScenario, DrillWorld> lab={lab.clone()} scenario={s.clone()} render={render_controls} />
                    <Experiments lab="drills" items={experiments} />
                    <Challenge goal={format!("Get the cascading drill through with nothing lost and at most {CHALLENGE_SLO_S:.0} s of broken objective, with as few mitigations as you can.")} result={challenge} />
                </div>
            </div>
            <Explanation sections={explain()} real_names={real_names()} />
        </div>
    }
}

fn drill_picker(lab: &DrillsHandle, s: &DrillScenario) -> Html {
    html! {
        <section class="panel" aria-label="Drills">
            <h2>{ "Choose a drill" }</h2>
            <div class="drill-cards">
                { for built_in().iter().map(|d| {
                    let name = d.name.clone();
                    let pick = lab.edit(move |s: &mut DrillScenario, _: MouseEvent| *s = s.clone().with_drill(&name));
                    html! {
                        <button class={classes!("drill-card", (s.drill == d.name).then_some("chosen"))} data-testid={format!("drill-{}", d.name)} onclick={pick} aria-pressed={(s.drill == d.name).to_string()}>
                            <strong>{ &d.title }</strong>
                            <span class="small">{ &d.what }</span>
                        </button>
                    }
                }) }
            </div>
        </section>
    }
}

fn pipeline(v: &Live, s: &DrillScenario) -> Html {
    let [queued, staged, loaded, quarantined, dlq, lost] = v.stations;
    let loader = match v.loader {
        LoaderState::Idle => "idle",
        LoaderState::Writing => "writing a batch",
        LoaderState::Backoff => "waiting to retry",
        LoaderState::Open => "breaker open",
    };
    html! {
        <section class="panel" aria-label="The pipeline" data-testid="pipeline">
            <div class="drill-flow">
                <div class="station"><strong>{ "Producers" }</strong><span class="small">{ format!("{:.0} rec/s", s.rate) }</span></div>
                <div class="station" data-testid="st-queue"><strong>{ "Queue" }</strong><span class="big">{ queued }</span>
                    <span class="small">{ if s.mitigations.has(Mitigation::Buffer) { "holds 50,000, then pushes back" } else { "holds 2,000, then drops" } }</span></div>
                <div class="station"><strong>{ if s.mitigations.has(Mitigation::Quarantine) { "Validation" } else { "No validation" } }</strong>
                    <span class="small">{ "schema: id, customer_id, amount ≥ 0, ts" }</span></div>
                <div class="station workers"><strong>{ "Transform workers" }</strong>
                    <div class="worker-dots">
                        { for v.workers.iter().map(|(name, up, slow, busy)| html! {
                            <span class={classes!("wdot", (!up).then_some("down"), slow.then_some("slow"), busy.then_some("busy"))}
                                title={format!("{name}: {}", if !up { "crashed" } else if *slow { "slow" } else if *busy { "busy" } else { "idle" })}>
                                { if !up { "✕" } else if *slow { "≈" } else { "●" } }
                            </span>
                        }) }
                    </div></div>
                <div class="station" data-testid="st-staging"><strong>{ "Staging" }</strong><span class="big">{ staged }</span><span class="small">{ format!("loader: {loader}") }</span></div>
                <div class={classes!("station", (!v.warehouse_up).then_some("down"))} data-testid="st-warehouse"><strong>{ "Warehouse" }</strong><span class="big">{ loaded }</span>
                    <span class="small">{ if v.warehouse_up { "reachable" } else { "UNREACHABLE" } }</span></div>
            </div>
            <div class="drill-bins">
                <span class="bin" data-testid="bin-quarantine">{ format!("quarantine {quarantined}") }</span>
                <span class="bin" data-testid="bin-dlq">{ format!("dead-letter queue {dlq}") }</span>
                <span class={classes!("bin", (lost > 0).then_some("lost"))} data-testid="bin-lost">{ format!("lost {lost}") }</span>
            </div>
        </section>
    }
}

fn scorecard_panel(lab: &DrillsHandle, c: &Scorecard) -> Html {
    let (r, events, aside) = lab.player.with(|st| {
        let m = st.world.model();
        let aside: Vec<(u64, Fate, String)> = set_aside(m, 12)
            .into_iter()
            .map(|(id, f)| (id, f, record_text(id, m.recs[id as usize].damage)))
            .collect();
        (reconcile(&m.log), m.log.len(), aside)
    });
    let row = |label: &str, card: u64, log: u64| {
        html! {
            <tr><td>{ label.to_string() }</td><td>{ card }</td><td>{ log }</td><td>{ if card == log { "✓" } else { "✗" } }</td></tr>
        }
    };
    html! {
        <section class={classes!("panel", "scorecard", if c.passed { "pass" } else { "fail" })} aria-label="Scorecard" data-testid="scorecard">
            <h2>{ if c.passed { "Scorecard: PASS, nothing lost" } else { "Scorecard: FAIL" } }</h2>
            <table class="results">
                <tbody>
                    <tr><td>{ "records in" }</td><td data-testid="sc-in">{ c.records_in }</td></tr>
                    <tr><td>{ "records in the warehouse" }</td><td data-testid="sc-out">{ c.records_out }</td></tr>
                    <tr><td>{ "quarantined" }</td><td data-testid="sc-quarantined">{ c.quarantined }{ for c.quarantine_reasons.iter().map(|(k, n)| html! { <div class="small muted">{ format!("{n}: {k}") }</div> }) }</td></tr>
                    <tr><td>{ "dead-lettered" }</td><td>{ c.dead_lettered }</td></tr>
                    <tr><td>{ "lost" }</td><td data-testid="sc-lost" class={classes!((c.lost > 0).then_some("warn-text"))}>{ c.lost }{ for c.loss_reasons.iter().map(|(k, n)| html! { <div class="small">{ format!("{n}: {k}") }</div> }) }</td></tr>
                    <tr><td>{ "duplicates caught in staging" }</td><td>{ c.duplicates }</td></tr>
                    <tr><td>{ "redelivered by the queue" }</td><td>{ c.redelivered }</td></tr>
                    <tr><td>{ "wrong-typed rows that reached the warehouse" }</td><td>{ c.bad_rows_loaded }</td></tr>
                    <tr><td>{ "objective broken for" }</td><td data-testid="sc-slo">{ format!("{:.0} s", c.slo_violation_s) }</td></tr>
                    <tr><td>{ "time to recover after the last fault" }</td><td>{ format!("{:.0} s", c.recovery_s) }</td></tr>
                    <tr><td>{ "failed warehouse calls / retries / breaker opened" }</td><td>{ format!("{} / {} / {}", c.failed_calls, c.retries, c.breaker_opens) }</td></tr>
                    <tr><td>{ "cost" }</td><td>{ format!("${:.4}", c.cost_usd) }</td></tr>
                </tbody>
            </table>
            <h3>{ format!("Reconciliation, recounted from the event log ({events} events)") }</h3>
            <table class="results" data-testid="reconciliation">
                <thead><tr><th>{ "" }</th><th>{ "scorecard" }</th><th>{ "event log" }</th><th>{ "" }</th></tr></thead>
                <tbody>
                    { row("in", c.records_in, r.records_in) }
                    { row("out", c.records_out, r.records_out) }
                    { row("quarantined", c.quarantined, r.quarantined) }
                    { row("dead-lettered", c.dead_lettered, r.dead_lettered) }
                    { row("lost", c.lost, r.lost) }
                    { row("still in flight", c.in_flight, r.in_flight) }
                </tbody>
            </table>
            <p class={classes!("small", if r.balances() { "ok-text" } else { "warn-text" })} data-testid="balance">
                { format!("{} {} = {} + {} + {} + {} + {} (in = out + quarantined + dead-lettered + lost + in flight)",
                    if r.balances() { "✓" } else { "✗" }, r.records_in, r.records_out, r.quarantined, r.dead_lettered, r.lost, r.in_flight) }
            </p>
            if !aside.is_empty() {
                <h3>{ "Records that did not reach the warehouse (first 12)" }</h3>
                <table class="results preview" data-testid="set-aside">
                    <tbody>
                        { for aside.iter().map(|(id, f, text)| html! {
                            <tr><td>{ format!("#{id}") }</td><td>{ match f { Fate::Quarantined(r) => format!("quarantined: {r}"), Fate::DeadLettered => "dead-lettered".into(), Fate::Lost(l) => format!("lost: {}", l.text()), _ => String::new() } }</td><td><code>{ text }</code></td></tr>
                        }) }
                    </tbody>
                </table>
            }
        </section>
    }
}

fn ramp_panel(
    lab: &DrillsHandle,
    s: &DrillScenario,
    ramp: &UseStateHandle<Option<(DrillScenario, Ramp)>>,
) -> Html {
    let run = {
        let ramp = ramp.clone();
        let s = s.clone();
        let _ = lab;
        Callback::from(move |_: MouseEvent| ramp.set(Some((s.clone(), stress_ramp(&s)))))
    };
    let body = match &**ramp {
        Some((rs, r)) if rs == s => html! {
            <>
                <table class="results" data-testid="ramp">
                    <thead><tr><th>{ "load" }</th><th>{ "p95 to warehouse" }</th><th>{ "oldest waiting" }</th><th>{ "workers busy" }</th><th>{ "loader busy" }</th><th>{ "lost" }</th></tr></thead>
                    <tbody>
                        { for r.steps.iter().enumerate().map(|(k, x)| html! {
                            <tr class={classes!(x.broke.then_some("broke"), (r.first_saturated.map(|f| f.0) == Some(k)).then_some("saturated"))}>
                                <td>{ format!("{:.0} rec/s", x.rate) }</td><td>{ format!("{:.1} s", x.p95_s) }</td><td>{ format!("{:.1} s", x.oldest_s) }</td>
                                <td>{ format!("{:.0}%", x.worker_util * 100.0) }</td><td>{ format!("{:.0}%", x.loader_util * 100.0) }</td><td>{ x.lost }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                <p data-testid="ramp-verdict">{ match (r.breaking, r.first_saturated) {
                    (Some(b), Some((k, c))) => format!("The objective broke at {:.0} records/s. The {c} were the first to pass 90% busy, at {:.0} records/s: scale them first.", r.steps[b].rate, r.steps[k].rate),
                    (Some(b), None) => format!("The objective broke at {:.0} records/s.", r.steps[b].rate),
                    _ => "The objective held at every step.".to_string(),
                } }</p>
            </>
        },
        _ => {
            html! { <p class="small muted">{ "No faults: the load rises by 25% every 30 simulated seconds, with the mitigations and sizes you set, until records take longer than the objective or get dropped." }</p> }
        }
    };
    html! {
        <section class="panel" aria-label="Stress ramp">
            <h2>{ "Stress ramp" }</h2>
            <button class="btn" data-testid="run-ramp" onclick={run}>{ "Run the stress ramp" }</button>
            { body }
        </section>
    }
}

fn controls(lab: &DrillsHandle, s: &DrillScenario) -> Html {
    let safe = lab.edit(|s: &mut DrillScenario, _: MouseEvent| s.mitigations = Mitigations::safe());
    let all = lab.edit(|s: &mut DrillScenario, _: MouseEvent| s.mitigations = Mitigations::all());
    let none = lab.edit(|s: &mut DrillScenario, _: MouseEvent| s.mitigations = Mitigations::none());
    html! {
        <section class="panel controls" aria-label="Scenario">
            <h2>{ "Mitigations" }</h2>
            <div class="fault-row">
                <button class="btn small" data-testid="mit-safe" onclick={safe}>{ "Retries + buffer + quarantine" }</button>
                <button class="btn small" data-testid="mit-all" onclick={all}>{ "All" }</button>
                <button class="btn small" data-testid="mit-none" onclick={none}>{ "None" }</button>
            </div>
            { for Mitigation::ALL.iter().map(|m| {
                let m = *m;
                let toggle = lab.edit(move |s: &mut DrillScenario, _: Event| s.mitigations = s.mitigations.with(m, !s.mitigations.has(m)));
                html! {
                    <label class="check">
                        <input type="checkbox" data-testid={format!("mit-{}", m.key())} checked={s.mitigations.has(m)} onchange={toggle} />
                        { m.label() }
                    </label>
                }
            }) }
            <h2>{ "Pipeline" }</h2>
            { lab.slider("Records per second", "rate", s.rate, (10.0, 1000.0, 10.0), |s, v| { s.rate = v; s.duration_s = s.duration_s.min(600_000.0 / v); }) }
            { lab.slider("Transform workers", "workers", f64::from(s.workers), (1.0, 32.0, 1.0), |s, v| s.workers = v as u32) }
            { lab.slider("Transform time per record (ms)", "service", s.service_ms, (1.0, 200.0, 1.0), |s, v| s.service_ms = v) }
            { lab.slider("Records per warehouse write", "batch", f64::from(s.batch), (1.0, 1000.0, 1.0), |s, v| s.batch = v as u32) }
            { lab.slider("Time per warehouse write (ms)", "write", s.write_ms, (10.0, 2000.0, 10.0), |s, v| s.write_ms = v) }
            { lab.slider("Producers send for (s)", "dur", s.duration_s, (30.0, 900.0, 10.0), |s, v| s.duration_s = v.min(600_000.0 / s.rate)) }
            { lab.slider("Objective: seconds to the warehouse", "slo", s.slo_s, (1.0, 300.0, 1.0), |s, v| s.slo_s = v) }
        </section>
    }
}

fn explain() -> Vec<Explain> {
    vec![
        Explain { heading: "Rehearse the bad day", body: "Airports do not wait for a real emergency to find out whether the plan works: they close a runway on purpose, send in a mock casualty, and time the response. A data pipeline deserves the same: crash a worker, slow a disk, cut the network, flood the input, feed it garbage, and watch whether anything goes missing. A drill you can replay exactly (same seed, same faults) lets a whole class compare answers." },
        Explain { heading: "Decouple, buffer, retry", body: "A queue between stages lets each side fail on its own: when a worker dies, its record comes back after a timeout and another worker takes it; when the warehouse is away, records wait in staging. Retries must back off (wait longer each time, with a little randomness so clients do not retry in lockstep), and a circuit breaker stops calling something that is clearly down. What cannot be processed goes to a dead-letter queue or a quarantine, never into the void." },
        Explain { heading: "Check early, count everything", body: "Validate records at the door against a written schema, and set failures aside with the reason, so one bad batch neither crashes the pipeline nor slips wrong rows into the warehouse. Then prove it: every record that came in must be found in exactly one place (loaded, quarantined, dead-lettered) and the numbers must add up. Unit tests cannot show this; integration runs, stress ramps and chaos drills can." },
    ]
}

fn real_names() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "scripted fault injection",
            "Chaos Monkey / Chaos Mesh / AWS Fault Injection Service",
        ),
        (
            "schema validation + quarantine",
            "Great Expectations / Soda checks, a quarantine table",
        ),
        (
            "retries with back-off",
            "Airflow task retries (retry_exponential_backoff), AWS SDK retry modes",
        ),
        ("circuit breaker", "resilience4j, Envoy outlier detection"),
        (
            "queue as a buffer",
            "Kafka or SQS between producers and the pipeline",
        ),
        ("dead-letter queue", "SQS redrive policy, Kafka DLQ topic"),
    ]
}
