//! The orchestration demo on the Tools page: an Airflow-style DAG backfilled over a range of
//! days, shown as Airflow's grid (a column per run, a row per task, one cell per task
//! instance) and as a Gantt of attempts per worker slot. The scheduler is the engine's.

use super::frame::{use_lab, Lab, ScenarioControls};
use crate::widgets::{BarState, Gantt, GanttBar, GanttData};
use scalelab_engine::dag::model::Run;
use scalelab_engine::dag::scenario::TASKS;
use scalelab_engine::dag::{DagScenario, DagWorld, TaskState};
use scalelab_engine::sim::{FaultPlan, LabWorld};
use std::rc::Rc;
use yew::prelude::*;

type DagHandle = Lab<DagScenario, DagWorld>;

#[derive(Properties, PartialEq)]
pub struct DagPanelProps {
    pub presenter: bool,
}

fn cell(st: TaskState) -> (&'static str, &'static str) {
    match st {
        TaskState::None => ("", "no status"),
        TaskState::Queued => ("·", "queued"),
        TaskState::Running => ("▶", "running"),
        TaskState::UpForRetry => ("↻", "up for retry"),
        TaskState::Success => ("✓", "success"),
        TaskState::Failed => ("✗", "failed"),
        TaskState::UpstreamFailed => ("↑", "upstream failed"),
        TaskState::Skipped => ("⤼", "skipped"),
    }
}

fn grid(runs: &[Run]) -> Html {
    html! {
        <div class="scroll-x" tabindex="0" role="region" aria-label="Task runs by day (scrolls sideways)">
            <table class="dag-grid" data-testid="dag-grid">
                <thead><tr><th>{ "task \\ run" }</th>{ for runs.iter().map(|r| html! {
                    <th class={classes!(r.ended.is_some().then_some(if r.succeeded() { "ok" } else { "bad" }))}
                        title={format!("day {}: {}", r.day, if r.ended.is_none() { "running" } else if r.succeeded() { "success" } else { "failed" })}>{ r.day }</th>
                }) }</tr></thead>
                <tbody>
                    { for TASKS.iter().enumerate().map(|(t, def)| html! {
                        <tr><th>{ def.name }</th>
                            { for runs.iter().map(|r| {
                                let (mark, name) = cell(r.states[t]);
                                html! { <td class={classes!("ti", name.replace(' ', "-"))}
                                    title={format!("{} day {}: {}{}", def.name, r.day, name, if r.tries[t] > 1 { format!(", {} tries", r.tries[t]) } else { String::new() })}>{ mark }</td> }
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

fn gantt(w: &DagWorld) -> GanttData {
    let s = w.scheduler();
    let now = w.now().as_secs_f64() / 60.0;
    GanttData {
        lanes: (0..s.scenario.slots)
            .map(|i| format!("slot {}", i + 1))
            .collect(),
        down: vec![false; s.scenario.slots as usize],
        bars: s
            .attempts
            .iter()
            .map(|a| {
                let end = a.end.as_secs_f64() / 60.0;
                GanttBar {
                    lane: a.slot,
                    start: a.start.as_secs_f64() / 60.0,
                    end: (end <= now).then_some(end),
                    kind: a.task % 6,
                    state: if end > now {
                        BarState::Running
                    } else if a.ok {
                        BarState::Done
                    } else {
                        BarState::Failed
                    },
                    speculative: false,
                    label: format!(
                        "day {} {} try {}{}",
                        s.runs[a.run].day,
                        TASKS[a.task].name,
                        a.try_no,
                        if a.ok {
                            String::new()
                        } else {
                            format!(": {}", a.error)
                        }
                    ),
                }
            })
            .collect(),
        legend: TASKS.iter().take(6).map(|t| t.name.to_string()).collect(),
        now,
        x_end: s
            .done_at
            .map_or(now * 1.2 + 10.0, |d| d.as_secs_f64() / 60.0)
            .max(1.0),
        unit: "min",
    }
}

#[component]
pub fn DagPanel(p: &DagPanelProps) -> Html {
    let lab: DagHandle = use_lab(DagWorld::new, p.presenter);
    {
        let player = lab.player.clone();
        use_effect_with((), move |_| player.set_speed(100.0));
    }
    let s = (*lab.scenario).clone();
    let (runs, g, outcome, source_up) = lab.player.with(|st| {
        let w = &st.world;
        (
            w.scheduler().runs.clone(),
            Rc::new(gantt(w)),
            w.outcome(),
            w.scheduler().source_up,
        )
    });
    let clear = lab.command(|w: &mut DagWorld, _: MouseEvent| w.clear_failed());
    let render_controls: fn(&DagHandle, &DagScenario) -> Html = controls;
    html! {
        <section class="panel dag" aria-label="Orchestration" data-testid="dag">
            <h2>{ "Orchestration: a daily DAG, backfilled" }</h2>
            <p class="small muted">{ "extract_orders → validate ─┐, extract_customers ─┴→ transform → choose_load → load_full | load_incremental → publish_report. Each day is one DAG run; a backfill queues them all at once; the scheduler starts the oldest first." }</p>
            { lab.playback_bar() }
            { lab.dashboard() }
            <p data-testid="dag-outcome">
                { format!("Runs: {} succeeded, {} failed, {} still going. Source system: {}.", outcome.0, outcome.1, outcome.2, if source_up { "up" } else { "DOWN" }) }
                if outcome.1 > 0 {
                    { " " }<button class="btn small" data-testid="dag-clear" onclick={clear}>{ "Clear failed tasks and re-run" }</button>
                }
            </p>
            <div class="frame-body">
                <div class="frame-main">
                    { grid(&runs) }
                    <p class="small muted">{ "✓ success · ✗ failed · ↑ upstream failed · ↻ up for retry · ▶ running · · queued · ⤼ skipped by the branch" }</p>
                    <Gantt data={g} testid="dag-gantt" />
                </div>
                <div class="frame-side">
                    <ScenarioControls<DagScenario, DagWorld> lab={lab.clone()} scenario={s} render={render_controls} />
                </div>
            </div>
        </section>
    }
}

fn controls(lab: &DagHandle, s: &DagScenario) -> Html {
    let outage = lab.edit(|s: &mut DagScenario, _: MouseEvent| {
        s.faults = if s.faults.is_empty() {
            FaultPlan::parse("faults", "crash:source@40min+30min").unwrap_or_default()
        } else {
            FaultPlan::default()
        };
    });
    html! {
        <section class="panel controls" aria-label="DAG settings">
            <h3>{ "Schedule" }</h3>
            { lab.slider("Days to backfill", "dag-days", f64::from(s.days), (1.0, 60.0, 1.0), |s, v| s.days = v as u32) }
            { lab.slider("Worker slots (pool)", "dag-slots", f64::from(s.slots), (1.0, 16.0, 1.0), |s, v| s.slots = v as u32) }
            { lab.slider("max_active_runs", "dag-runs", f64::from(s.max_active_runs), (1.0, 16.0, 1.0), |s, v| s.max_active_runs = v as u32) }
            <h3>{ "Failures" }</h3>
            { lab.slider("retries", "dag-retries", f64::from(s.retries), (0.0, 10.0, 1.0), |s, v| s.retries = v as u32) }
            { lab.slider("retry_delay (min, doubles)", "dag-delay", s.retry_min, (0.0, 60.0, 1.0), |s, v| s.retry_min = v) }
            { lab.slider("Random failure rate", "dag-flaky", s.flaky, (0.0, 0.5, 0.01), |s, v| s.flaky = v) }
            <button class="btn small" data-testid="dag-outage" onclick={outage}>
                { if s.faults.is_empty() { "Add a 30-minute source outage" } else { "Remove the source outage" } }
            </button>
            <p class="small muted">{ if s.faults.is_empty() { "No outage planned.".to_string() } else { format!("Planned: {}", s.faults) } }</p>
        </section>
    }
}
