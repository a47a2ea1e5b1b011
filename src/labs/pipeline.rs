//! The performance lab: one daily report job over a large orders table, run by the engine on a
//! simulated cluster. The learner reads the monitoring panels, finds the slow stage from the
//! engine's own hint, switches optimisations on, and compares runs against the baseline. Every
//! number (bytes, tasks, seconds, dollars) and the report itself come from the engine.

use super::frame::{use_lab, Lab, ScenarioControls};
use crate::player::Status;
use crate::widgets::{
    BarState, Challenge, Experiment, Experiments, Explain, Explanation, Gantt, GanttBar, GanttData,
};
use scalelab_engine::pipeline::plan::StageKind;
use scalelab_engine::pipeline::table::{preview_row, ORDER_COLUMNS, QUERY_COLUMNS, SEGMENTS};
use scalelab_engine::pipeline::world::{measure, Bottleneck, Cause, Comparison, Measured};
use scalelab_engine::pipeline::{Opt, Opts, PipelineScenario, PipelineWorld};
use scalelab_engine::sim::monitor::{Metric, Threshold};
use scalelab_engine::sim::units::bytes;
use scalelab_engine::sim::LabWorld;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PipelineLabProps {
    pub presenter: bool,
}

type PipelineLabHandle = Lab<PipelineScenario, PipelineWorld>;

/// The challenge: the default daily job under this duration and cost.
const TARGET_S: f64 = 10.0;
const TARGET_USD: f64 = 0.002;
/// Cores drawn in the timeline (the rest are summarised).
const MAX_LANES: usize = 48;

/// A finished run, kept for the comparison table.
#[derive(Clone, Debug, PartialEq)]
struct RunRecord {
    opts: Opts,
    executors: u32,
    m: Measured,
    hint: Option<Bottleneck>,
}

#[derive(Clone, PartialEq)]
struct StageView {
    name: String,
    kind: StageKind,
    repeat: bool,
    tasks: usize,
    done: usize,
    running: usize,
    wall_s: f64,
    read: f64,
    shuffled: f64,
    rows_in: f64,
    rows_out: f64,
}

fn stage_views(w: &PipelineWorld) -> Vec<StageView> {
    let c = w.cluster();
    let now = w.now();
    c.plan
        .stages
        .iter()
        .enumerate()
        .map(|(i, st)| {
            let runs = &c.runs[i];
            StageView {
                name: st.name.clone(),
                kind: st.kind,
                repeat: st.repeat,
                tasks: st.tasks.len(),
                done: runs.iter().flatten().filter(|r| r.end <= now).count(),
                running: runs.iter().flatten().filter(|r| r.end > now).count(),
                wall_s: w.stage_wall_s(i),
                read: st.read_bytes,
                shuffled: st.shuffle_bytes,
                rows_in: st.rows_in,
                rows_out: st.rows_out,
            }
        })
        .collect()
}

/// One bar per core per stage: a core takes the stage's tasks back to back, so its run of
/// tasks is one stretch, and a straggler is the one stretch that sticks out.
fn timeline(w: &PipelineWorld) -> GanttData {
    let c = w.cluster();
    let now = w.now();
    let lanes = (c.slots as usize).min(MAX_LANES);
    let mut bars = Vec::new();
    for (i, st) in c.plan.stages.iter().enumerate() {
        let mut span: Vec<Option<(f64, f64, usize, bool)>> = vec![None; lanes];
        for r in c.runs[i].iter().flatten() {
            let lane = r.slot as usize;
            if lane >= lanes {
                continue;
            }
            let (a, b) = (r.start.as_secs_f64(), r.end.as_secs_f64());
            let e = span[lane].get_or_insert((a, b, 0, false));
            e.0 = e.0.min(a);
            e.1 = e.1.max(b);
            e.2 += 1;
            e.3 |= r.end > now;
        }
        for (lane, sp) in span.into_iter().enumerate() {
            if let Some((a, b, n, running)) = sp {
                bars.push(GanttBar {
                    lane,
                    start: a,
                    end: (!running).then_some(b),
                    kind: kind_index(st.kind),
                    state: if running {
                        BarState::Running
                    } else {
                        BarState::Done
                    },
                    speculative: st.repeat,
                    label: format!("{}: {n} task(s), {:.1}–{:.1} s", st.name, a, b),
                });
            }
        }
    }
    let expected = c
        .done_at
        .map_or(now.as_secs_f64() * 1.1 + 1.0, |d| d.as_secs_f64());
    GanttData {
        lanes: (0..lanes)
            .map(|l| {
                format!(
                    "exec {} core {}",
                    l / w.scenario.cores as usize + 1,
                    l % w.scenario.cores as usize + 1
                )
            })
            .collect(),
        down: vec![false; lanes],
        bars,
        legend: [
            "read customers",
            "scan orders",
            "shuffle join",
            "cached rows",
            "aggregate",
            "write / merge",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        now: now.as_secs_f64(),
        x_end: expected.max(0.001),
        unit: "s",
    }
}

fn kind_index(k: StageKind) -> usize {
    match k {
        StageKind::Customers => 0,
        StageKind::Scan => 1,
        StageKind::Join => 2,
        StageKind::CacheRead => 3,
        StageKind::Aggregate => 4,
        StageKind::Write | StageKind::Merge => 5,
    }
}

fn rows(n: f64) -> String {
    if n >= 1e9 {
        format!("{:.2} bn", n / 1e9)
    } else if n >= 1e6 {
        format!("{:.1} M", n / 1e6)
    } else if n >= 1e3 {
        format!("{:.1} k", n / 1e3)
    } else {
        format!("{n:.0}")
    }
}

fn cause_text(b: &Bottleneck) -> String {
    match b.cause {
        Cause::Straggler => format!(
            "one task ran {:.0}× as long as the median task of the stage while the other cores waited: the rows of a few very busy customers all hash to the same partition",
            b.skew
        ),
        Cause::Overhead => "most of its time went on starting tasks and opening files, not on data".into(),
        Cause::Storage => "most of its time went on reading bytes from storage".into(),
        Cause::Network => "most of its time went on moving rows between machines (the shuffle)".into(),
        Cause::Cpu => "most of its time went on decoding and computing rows".into(),
    }
}

fn thresholds(target_s: f64) -> [Threshold; 3] {
    [
        Threshold {
            metric: Metric::LatencyP95,
            warn: 2_000.0,
            bad: 10_000.0,
            above: true,
        },
        Threshold {
            metric: Metric::Utilization,
            warn: 60.0,
            bad: 30.0,
            above: false,
        },
        Threshold {
            metric: Metric::JobDuration,
            warn: target_s,
            bad: target_s * 6.0,
            above: true,
        },
    ]
}

#[component]
pub fn PipelineLab(p: &PipelineLabProps) -> Html {
    let lab: PipelineLabHandle = use_lab(PipelineWorld::new, p.presenter);
    {
        // A daily job runs for minutes of simulated time: start at 20×.
        let player = lab.player.clone();
        use_effect_with((), move |_| player.set_speed(20.0));
    }
    let s = (*lab.scenario).clone();
    let status = lab.player.status();
    let (stages, gantt, hint, done, verified, cost, job_s, report) = lab.player.with(|st| {
        let w = &st.world;
        (
            stage_views(w),
            Rc::new(timeline(w)),
            w.bottleneck(),
            w.is_done(),
            w.verified(),
            w.cost_usd(),
            w.metrics().job_duration_s,
            w.plan().report.clone(),
        )
    });
    let data_key = PipelineScenario {
        opts: Opts::none(),
        executors: 10,
        usd_per_executor_hour: 0.4,
        ..s.clone()
    };
    let runs = use_mut_ref(Vec::<RunRecord>::new);
    let runs_for = use_mut_ref(|| data_key.clone());
    let baseline = use_state(|| None::<(PipelineScenario, Measured)>);
    let compare = use_state(|| None::<(PipelineScenario, Vec<Comparison>)>);
    if *runs_for.borrow() != data_key {
        runs.borrow_mut().clear();
        *runs_for.borrow_mut() = data_key.clone();
    }
    if status == Status::Finished && done {
        let rec = lab.player.with(|st| RunRecord {
            opts: s.opts,
            executors: s.executors,
            m: Measured {
                seconds: st.world.job_time_s().unwrap_or(0.0),
                read_bytes: st.world.plan().read_bytes(),
                shuffle_bytes: st.world.plan().shuffle_bytes(),
                cost_usd: st.world.cost_usd(),
                tasks: st.world.plan().tasks(),
                verified: st.world.verified(),
            },
            hint: st.world.bottleneck(),
        });
        let mut r = runs.borrow_mut();
        if !r
            .iter()
            .any(|x| x.opts == rec.opts && x.executors == rec.executors)
        {
            r.push(rec);
        }
    }
    let base = match &*baseline {
        Some((k, m)) if *k == data_key => Some(*m),
        _ => None,
    };
    {
        // The baseline (nothing on, ten executors) of this data, measured once.
        let baseline = baseline.clone();
        let lab = lab.clone();
        let key = data_key.clone();
        use_effect_with(key, move |key| {
            let m = lab
                .player
                .with(|st| measure(key, &st.world.prepared, Opts::none()));
            baseline.set(Some((key.clone(), m)));
        });
    }
    let recs = runs.borrow().clone();
    let fixed = recs.iter().enumerate().any(|(i, a)| {
        a.hint
            .as_ref()
            .and_then(|h| h.suggestion)
            .is_some_and(|fix| {
                recs[i + 1..]
                    .iter()
                    .any(|b| b.opts == a.opts.with(fix, true) && b.m.seconds < a.m.seconds)
            })
    });
    let straggler_gone = recs.iter().any(|a| {
        a.hint.as_ref().is_some_and(|h| h.cause == Cause::Straggler)
            && recs
                .iter()
                .any(|b| b.opts == a.opts.with(Opt::Broadcast, true) && b.m.seconds < a.m.seconds)
    });
    let stacked = recs.iter().any(|r| r.opts == Opts::all());
    let experiments = vec![
        Experiment { id: "fix-slowest", title: "Find the most expensive stage and fix it",
            how: "Run the job to the end and read the hint under the panels: it names the slowest stage and why. Switch on what it suggests and run again: the job time drops, and the hint moves to the next stage.",
            seen: fixed },
        Experiment { id: "straggler", title: "Remove the straggler in the join",
            how: "With pruning and columnar on, the shuffle join is the slow part: one task gets the rows of the busiest customers and the cluster waits for it (the long bar in the timeline). Broadcast the small customers table instead: no shuffle, no straggler.",
            seen: straggler_gone },
        Experiment { id: "stack", title: "Stack every optimisation and compare with the baseline",
            how: "Press “All on” and run to the end. Compare job time, bytes read, bytes shuffled and cost with the baseline row: the same report, a tiny fraction of the work.",
            seen: stacked },
    ];
    let default_data = PipelineScenario {
        opts: Opts::none(),
        seed: s.seed,
        executors: 10,
        usd_per_executor_hour: 0.4,
        ..PipelineScenario::default()
    } == data_key;
    let challenge = (status == Status::Finished && done).then(|| {
        let ok = default_data && verified && job_s <= TARGET_S && cost <= TARGET_USD;
        (
            ok,
            format!(
                "{:.1} s, ${:.4} per run on {} executors{}{}",
                job_s,
                cost,
                s.executors,
                if default_data {
                    ""
                } else {
                    " (change the data back to the defaults to count)"
                },
                if verified { "" } else { ", report differs!" }
            ),
        )
    });
    let render_controls: fn(&PipelineLabHandle, &PipelineScenario) -> Html = controls;
    let current = stages
        .iter()
        .position(|x| x.done + x.running < x.tasks || x.running > 0);
    html! {
        <div class="lab-frame perf">
            { lab.error_banner() }
            { lab.playback_bar() }
            { lab.monitor(&thresholds(TARGET_S)) }
            { hint_banner(&lab, &s, hint.as_ref(), done) }
            <section class="panel" aria-label="The job's stages" data-testid="stages">
                <h2>{ format!("The job: {} stages, {} tasks", stages.len(), stages.iter().map(|x| x.tasks).sum::<usize>()) }</h2>
                <ol class="stage-flow">
                    { for stages.iter().enumerate().map(|(i, x)| html! {
                        <li class={classes!("stage-card", (Some(i) == current).then_some("current"), x.repeat.then_some("repeat"), (x.done == x.tasks).then_some("done"))}
                            data-testid={format!("stage-{i}")}>
                            <div class="stage-name">{ &x.name }{ if x.repeat { " ↻" } else { "" } }</div>
                            <div class="gauge"><span class="fill" style={format!("width:{:.0}%", x.done as f64 / x.tasks.max(1) as f64 * 100.0)} /></div>
                            <div class="small">{ format!("{} / {} tasks · {:.1} s", x.done, x.tasks, x.wall_s) }</div>
                            <div class="small muted">{ format!("rows {} → {}", rows(x.rows_in), rows(x.rows_out)) }</div>
                            if x.read > 0.0 { <div class="small">{ format!("read {}", bytes(x.read)) }</div> }
                            if x.shuffled > 0.0 { <div class="small">{ format!("{} {}", if x.kind == StageKind::Customers { "sent" } else { "shuffled" }, bytes(x.shuffled)) }</div> }
                            if x.repeat { <div class="small warn-text">{ "recomputed: nothing was cached" }</div> }
                        </li>
                    }) }
                </ol>
                <Gantt data={gantt} testid="cluster-timeline" />
                <p class="small muted">{ format!("Each bar is one core working through a stage's tasks; dashed bars redo work already done once. {} cores{}.",
                    s.slots(), if s.slots() as usize > MAX_LANES { format!(", first {MAX_LANES} drawn") } else { String::new() }) }</p>
            </section>
            <div class="frame-body">
                <div class="frame-main">
                    { lab.chart(if done { job_s } else { (job_s * 1.25).max(base.map_or(1.0, |b| b.seconds.min(job_s * 4.0 + 1.0))) }) }
                    { runs_table(&recs, base) }
                    { compare_panel(&lab, &s, &compare) }
                    { report_panel(&report, &s, done, verified) }
                    { preview_panel(&lab) }
                </div>
                <div class="frame-side">
                    <ScenarioControls<PipelineScenario, PipelineWorld> lab={lab.clone()} scenario={s.clone()} render={render_controls} />
                    <Experiments lab="performance" items={experiments} />
                    <Challenge goal={format!("With the default data, bring the daily report under {TARGET_S:.0} s and under ${TARGET_USD} per run. Optimise first, then see how few executors you still need.")} result={challenge} />
                </div>
            </div>
            <Explanation sections={explain()} real_names={real_names()} />
        </div>
    }
}

fn hint_banner(
    lab: &PipelineLabHandle,
    s: &PipelineScenario,
    hint: Option<&Bottleneck>,
    done: bool,
) -> Html {
    let Some(b) = hint else {
        return html! { <div class="hint-banner muted" data-testid="bottleneck">{ "Press play: the hint names the slowest stage once work has run." }</div> };
    };
    let fix = b.suggestion.map(|o| {
        let on = lab.edit(move |s: &mut PipelineScenario, _: MouseEvent| s.opts = s.opts.with(o, true));
        html! { <button class="btn small" data-testid="apply-hint" onclick={on}>{ format!("Turn on: {}", o.label()) }</button> }
    });
    html! {
        <div class="hint-banner" data-testid="bottleneck" role="status">
            <strong>{ if done { "Bottleneck: " } else { "Slowest stage so far: " } }</strong>
            { format!("“{}” took {:.1} s, {:.0}% of the job; {}.", b.name, b.wall_s, b.share * 100.0, cause_text(b)) }
            { match (b.suggestion, fix) {
                (Some(o), Some(btn)) => html! { <> { format!(" Try {}. ", o.label().to_lowercase()) } { btn } </> },
                _ if s.opts == Opts::all() => html! { { " Every optimisation is on: fewer or bigger executors are what is left to tune." } },
                _ => html! {},
            } }
        </div>
    }
}

fn runs_table(recs: &[RunRecord], base: Option<Measured>) -> Html {
    let Some(b) = base else { return html! {} };
    let row = |label: String, m: &Measured, exec: u32| {
        html! {
            <tr>
                <td>{ label }</td><td>{ exec }</td>
                <td>{ format!("{:.1} s", m.seconds) }</td><td>{ bytes(m.read_bytes) }</td><td>{ bytes(m.shuffle_bytes) }</td>
                <td>{ m.tasks }</td><td>{ format!("${:.4}", m.cost_usd) }</td>
                <td>{ if m.seconds > 0.0 { format!("{:.1}×", b.seconds / m.seconds) } else { "–".into() } }</td>
                <td>{ if m.verified { "✓ same" } else { "✗ differs" } }</td>
            </tr>
        }
    };
    html! {
        <section class="panel" aria-label="Runs compared with the baseline" data-testid="runs">
            <h2>{ "Your runs against the baseline" }</h2>
            <table class="results">
                <thead><tr><th>{ "optimisations" }</th><th>{ "executors" }</th><th>{ "job" }</th><th>{ "read" }</th><th>{ "shuffled" }</th><th>{ "tasks" }</th><th>{ "cost" }</th><th>{ "faster" }</th><th>{ "report" }</th></tr></thead>
                <tbody>
                    { row("baseline (none)".into(), &b, 10) }
                    // The baseline's own run is already the first row.
                    { for recs.iter().filter(|r| r.m != b).map(|r| row(r.opts.to_text(), &r.m, r.executors)) }
                </tbody>
            </table>
            if recs.is_empty() { <p class="small muted">{ "Finished runs appear here." }</p> }
        </section>
    }
}

fn compare_panel(
    lab: &PipelineLabHandle,
    s: &PipelineScenario,
    compare: &UseStateHandle<Option<(PipelineScenario, Vec<Comparison>)>>,
) -> Html {
    let measure_all = {
        let compare = compare.clone();
        let lab = lab.clone();
        let s = s.clone();
        Callback::from(move |_: MouseEvent| {
            let c = lab.player.with(|st| st.world.compare());
            compare.set(Some((s.clone(), c)));
        })
    };
    let body = match &**compare {
        Some((cs, list)) if cs == s => {
            let max = list
                .iter()
                .map(|c| c.off.seconds.max(c.on.seconds))
                .fold(0.0, f64::max)
                .max(1e-9);
            html! {
                <div class="compare" data-testid="compare">
                    <p class="small muted">{ "Each pair is measured with the other optimisations as you set them. Once most are on, some have little left to save, and a few even cost a little: a broadcast still has to ship the table, an incremental run still merges yesterday's report." }</p>
                    { for list.iter().map(|c| html! {
                        <div class="compare-row">
                            <div class="compare-label">{ c.opt.label() }{ if s.opts.has(c.opt) { " (on)" } else { "" } }</div>
                            <div class="bars">
                                <div class="bar off" style={format!("width:{:.1}%", c.off.seconds / max * 100.0)} title="without">{ format!("without {:.1} s", c.off.seconds) }</div>
                                <div class="bar on" style={format!("width:{:.1}%", c.on.seconds / max * 100.0)} title="with">{ format!("with {:.1} s", c.on.seconds) }</div>
                            </div>
                            <div class="small muted">{ format!("read {} → {}, shuffled {} → {}, tasks {} → {}{}",
                                bytes(c.off.read_bytes), bytes(c.on.read_bytes), bytes(c.off.shuffle_bytes), bytes(c.on.shuffle_bytes), c.off.tasks, c.on.tasks,
                                if c.off.verified && c.on.verified { "; report identical" } else { "; REPORT DIFFERS" }) }</div>
                        </div>
                    }) }
                </div>
            }
        }
        _ => {
            html! { <p class="small muted">{ "Runs the same data 18 times: each optimisation off and on, the others as you set them, and shows the job time the engine measured for each." }</p> }
        }
    };
    html! {
        <section class="panel" aria-label="Each optimisation, before and after">
            <h2>{ "Each optimisation, before and after" }</h2>
            <button class="btn" data-testid="measure-compare" onclick={measure_all}>{ "Measure all nine" }</button>
            { body }
        </section>
    }
}

fn report_panel(
    r: &scalelab_engine::pipeline::table::Report,
    s: &PipelineScenario,
    done: bool,
    verified: bool,
) -> Html {
    let scale = f64::from(s.scale);
    let days: Vec<u16> = r
        .by_segment
        .keys()
        .map(|k| k.0)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    html! {
        <section class="panel" aria-label="The report" data-testid="report">
            <h2>{ format!("The report: completed orders and revenue by day and segment, last {} days", s.window) }</h2>
            <p class={classes!("small", if verified { "ok-text" } else { "warn-text" })} data-testid="verified">
                { if verified { format!("✓ Identical to a direct one-pass computation ({} rows in both outputs).", r.rows()) } else { "✗ The report differs from the direct computation.".to_string() } }
                { if done { "" } else { " (The job computes it; the clock shows how long that takes on the cluster.)" } }
            </p>
            <table class="results">
                <thead><tr><th>{ "day" }</th>{ for SEGMENTS.iter().map(|x| html! { <th>{ *x }</th> }) }</tr></thead>
                <tbody>
                    { for days.iter().map(|d| html! {
                        <tr><td>{ format!("day {d}") }</td>
                        { for (0..SEGMENTS.len() as u8).map(|g| {
                            let (n, sum) = r.by_segment.get(&(*d, g)).copied().unwrap_or_default();
                            html! { <td>{ format!("{} orders, ${:.1} M", rows(n as f64 * scale), sum as f64 * scale / 100.0 / 1e6) }</td> }
                        }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}

fn preview_panel(lab: &PipelineLabHandle) -> Html {
    let (cells, n, sc) = lab.player.with(|st| {
        let t = &st.world.prepared.tables;
        let n = t.orders.len();
        let picks: Vec<usize> = (0..4).map(|i| i * n / 4).collect();
        (
            picks.iter().map(|i| preview_row(t, *i)).collect::<Vec<_>>(),
            n,
            st.world.scenario.scale,
        )
    });
    html! {
        <section class="panel" aria-label="The orders table">
            <h2>{ format!("The orders table: 20 columns, {} generated rows (each stands for {} orders)", n, sc) }</h2>
            <div class="scroll-x" tabindex="0" role="region" aria-label="Orders table preview (scrolls sideways)">
                <table class="results preview" data-testid="orders-preview">
                    <thead><tr>{ for ORDER_COLUMNS.iter().map(|c| html! { <th class={classes!(QUERY_COLUMNS.contains(&c.0).then_some("used"))}>{ c.0 }<div class="muted small">{ format!("{} B", c.1) }</div></th> }) }</tr></thead>
                    <tbody>{ for cells.iter().map(|r| html! { <tr>{ for r.iter().enumerate().map(|(i, v)| html! { <td class={classes!(QUERY_COLUMNS.contains(&ORDER_COLUMNS[i].0).then_some("used"))}>{ v }</td> }) }</tr> }) }</tbody>
                </table>
            </div>
            <p class="small muted">{ "Highlighted: the 4 columns the report needs. A row format reads all 239 bytes of every row; a columnar format reads only these." }</p>
        </section>
    }
}

fn controls(lab: &PipelineLabHandle, s: &PipelineScenario) -> Html {
    let all = lab.edit(|s: &mut PipelineScenario, _: MouseEvent| s.opts = Opts::all());
    let none = lab.edit(|s: &mut PipelineScenario, _: MouseEvent| s.opts = Opts::none());
    html! {
        <section class="panel controls" aria-label="Scenario">
            <h2>{ "Optimisations" }</h2>
            <div class="fault-row">
                <button class="btn small" data-testid="opts-all" onclick={all}>{ "All on" }</button>
                <button class="btn small" data-testid="opts-none" onclick={none}>{ "All off" }</button>
            </div>
            { for Opt::ALL.iter().map(|o| {
                let o = *o;
                let toggle = lab.edit(move |s: &mut PipelineScenario, _: Event| s.opts = s.opts.with(o, !s.opts.has(o)));
                html! {
                    <label class="check">
                        <input type="checkbox" data-testid={format!("opt-{}", o.key())} checked={s.opts.has(o)} onchange={toggle} />
                        { o.label() }
                    </label>
                }
            }) }
            <h2>{ "Cluster" }</h2>
            { lab.slider("Executors", "executors", f64::from(s.executors), (1.0, 64.0, 1.0), |s, v| s.executors = v as u32) }
            { lab.slider("Cores per executor", "cores", f64::from(s.cores), (1.0, 16.0, 1.0), |s, v| s.cores = v as u32) }
            { lab.slider("Shuffle partitions", "partitions", f64::from(s.shuffle_partitions), (1.0, 1000.0, 1.0), |s, v| s.shuffle_partitions = v as u32) }
            { lab.slider("$ per executor-hour", "usd", s.usd_per_executor_hour, (0.05, 4.0, 0.05), |s, v| s.usd_per_executor_hour = v) }
            <h2>{ "Data" }</h2>
            { lab.slider("Days stored", "days", f64::from(s.days), (7.0, 365.0, 1.0), |s, v| { s.days = v as u32; s.window = s.window.min(s.days); s.orders_per_day = s.orders_per_day.min((2_000_000 / s.days.max(1)).max(10)); }) }
            { lab.slider("Report window (days)", "window", f64::from(s.window), (1.0, f64::from(s.days.min(60)), 1.0), |s, v| s.window = (v as u32).min(s.days)) }
            { lab.slider("Generated orders per day", "per-day", f64::from(s.orders_per_day), (100.0, 5_000.0, 100.0), |s, v| s.orders_per_day = (v as u32).min((2_000_000 / s.days.max(1)).max(10))) }
            { lab.slider("Real orders per generated row", "scale", f64::from(s.scale), (1.0, 20_000.0, 1.0), |s, v| s.scale = v as u32) }
            { lab.slider("Customers", "customers", f64::from(s.customers), (100.0, 100_000.0, 100.0), |s, v| s.customers = v as u32) }
            { lab.slider("Customer skew (Zipf)", "skew", s.skew, (0.0, 2.0, 0.1), |s, v| s.skew = v) }
            { lab.slider("Small files in the table", "files", f64::from(s.small_files), (10.0, 50_000.0, 10.0), |s, v| s.small_files = v as u32) }
        </section>
    }
}

fn explain() -> Vec<Explain> {
    vec![
        Explain { heading: "Measure before you tune", body: "A slow job feels slow everywhere; the numbers say where. Throughput and job duration tell you how much and how long, utilisation whether the machines are busy or waiting, latency of the tasks whether one piece holds up the rest, backlog whether work is piling up, and the error rate whether speed came at the cost of correctness. Panels with thresholds turn those into a glance: red is where to look first." },
        Explain { heading: "Do less work", body: "Most speed-ups are not faster machines but less work: throw rows away before you move them (filter early), skip whole folders the query cannot need (pruning), read only the columns you use (columnar files), store fewer bytes (compression), and process yesterday's data once instead of every morning (incremental). Each cuts bytes or rows at the source, so every later stage gets cheaper too." },
        Explain { heading: "Move less data, and not twice", body: "A shuffle sends rows across the network so equal keys meet, and it waits for its slowest task. Sending a small table to every machine (broadcast) avoids shuffling the big one; summing on each machine first (a combiner) sends totals instead of rows. A result used twice should be kept (cached) rather than recomputed. And thousands of tiny files cost more in opening than in reading: a few large files do the same work with less overhead." },
    ]
}

fn real_names() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "monitoring panels",
            "Prometheus metrics + Grafana dashboards and alerts",
        ),
        (
            "stages, tasks, stragglers",
            "the Spark UI (stages tab, task timeline)",
        ),
        (
            "columnar + compression",
            "Parquet / ORC with Snappy or Zstandard",
        ),
        (
            "partition pruning",
            "Hive-style partitioned tables (date=2026-11-24/)",
        ),
        (
            "broadcast join",
            "Spark broadcast hash join (spark.sql.autoBroadcastJoinThreshold)",
        ),
        ("shuffle partitions", "spark.sql.shuffle.partitions"),
        ("cache a reused result", "Spark cache() / persist()"),
        (
            "few large files",
            "compaction, OPTIMIZE in Delta Lake / Iceberg",
        ),
    ]
}
