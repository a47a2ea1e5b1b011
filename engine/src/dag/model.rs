//! The scheduler and the DAG runs on a clock.

use super::scenario::{DagScenario, BRANCH, FULL, INCREMENTAL, TASKS};
use crate::sim::fault::Phase;
use crate::sim::monitor::MetricsHistory;
use crate::sim::{
    Advance, Ctx, FaultKind, LabWorld, LatencyHistogram, MetricsSnapshot, Model, RngStreams,
    SimTime, Simulation, TimeSeries, TraceHash, Traceable,
};
use rand::RngExt;
use rand_distr::{Distribution, LogNormal};

const N: usize = TASKS.len();

/// Airflow's task-instance states (the ones this DAG can reach).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskState {
    None,
    Queued,
    Running,
    UpForRetry,
    Success,
    Failed,
    UpstreamFailed,
    Skipped,
}

impl TaskState {
    pub fn done(self) -> bool {
        matches!(
            self,
            TaskState::Success | TaskState::Failed | TaskState::UpstreamFailed | TaskState::Skipped
        )
    }
    pub fn name(self) -> &'static str {
        match self {
            TaskState::None => "none",
            TaskState::Queued => "queued",
            TaskState::Running => "running",
            TaskState::UpForRetry => "up_for_retry",
            TaskState::Success => "success",
            TaskState::Failed => "failed",
            TaskState::UpstreamFailed => "upstream_failed",
            TaskState::Skipped => "skipped",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Run {
    /// The logical date: day 1, 2, …
    pub day: u32,
    pub states: [TaskState; N],
    pub tries: [u32; N],
    pub started: Option<SimTime>,
    pub ended: Option<SimTime>,
}

impl Run {
    pub fn succeeded(&self) -> bool {
        self.ended.is_some() && self.states[N - 1] == TaskState::Success
    }
}

/// One task attempt, for the Gantt.
#[derive(Clone, Debug, PartialEq)]
pub struct Attempt {
    pub run: usize,
    pub task: usize,
    pub try_no: u32,
    pub slot: usize,
    pub start: SimTime,
    pub end: SimTime,
    pub ok: bool,
    /// Why it failed.
    pub error: &'static str,
}

#[derive(Clone, Debug, serde::Serialize)]
pub enum Event {
    Done { attempt: u32 },
    RetryReady { run: u32, task: u8 },
    Fault(Phase, FaultKind),
    Clear,
    Sample,
}

impl Traceable for Event {
    fn trace(&self, h: &mut TraceHash) {
        match self {
            Event::Done { attempt } => {
                h.word(1);
                h.word(u64::from(*attempt));
            }
            Event::RetryReady { run, task } => {
                h.word(2);
                h.word(u64::from(*run) << 8 | u64::from(*task));
            }
            Event::Fault(p, k) => {
                h.word(if *p == Phase::Begin { 3 } else { 4 });
                k.trace(h);
            }
            Event::Clear => h.word(5),
            Event::Sample => h.word(6),
        }
    }
}

#[derive(Clone)]
pub struct Scheduler {
    pub scenario: DagScenario,
    pub runs: Vec<Run>,
    pub attempts: Vec<Attempt>,
    free: Vec<usize>,
    pub source_up: bool,
    streams: RngStreams,
    pub run_times: LatencyHistogram,
    pub failed_attempts: u64,
    pub series: TimeSeries,
    pub history: MetricsHistory,
    pub done_at: Option<SimTime>,
}

fn minutes(m: f64) -> SimTime {
    SimTime::from_secs_f64(m * 60.0)
}

impl Scheduler {
    pub fn new(s: &DagScenario) -> Self {
        Scheduler {
            scenario: s.clone(),
            runs: (1..=s.days)
                .map(|day| Run {
                    day,
                    states: [TaskState::None; N],
                    tries: [0; N],
                    started: None,
                    ended: None,
                })
                .collect(),
            attempts: Vec::new(),
            free: (0..s.slots as usize).rev().collect(),
            source_up: true,
            streams: RngStreams::new(s.seed),
            run_times: LatencyHistogram::new(),
            failed_attempts: 0,
            series: TimeSeries::new(
                &["running tasks", "queued tasks", "runs finished"],
                SimTime::from_secs(60),
                1024,
            ),
            history: MetricsHistory::new(SimTime::from_secs(60), 240),
            done_at: None,
        }
    }

    /// What a task waiting in `run` should become, given its upstream states.
    fn resolve(&self, run: usize, t: usize) -> Option<TaskState> {
        let st = &self.runs[run].states;
        let up: Vec<TaskState> = TASKS[t].upstream.iter().map(|&u| st[u]).collect();
        if up.iter().any(|s| !s.done()) {
            return None;
        }
        if up
            .iter()
            .any(|s| matches!(s, TaskState::Failed | TaskState::UpstreamFailed))
        {
            return Some(TaskState::UpstreamFailed);
        }
        let successes = up.iter().filter(|s| **s == TaskState::Success).count();
        if t == N - 1 {
            // none_failed_min_one_success: the branch skips one of its two upstream loads.
            return Some(if successes > 0 {
                TaskState::Queued
            } else {
                TaskState::Skipped
            });
        }
        Some(if successes == up.len() {
            TaskState::Queued
        } else {
            TaskState::Skipped
        })
    }

    fn active(&self) -> usize {
        self.runs
            .iter()
            .filter(|r| r.started.is_some() && r.ended.is_none())
            .count()
    }

    /// Starts runs, moves ready tasks to the queue, hands queued tasks to free slots.
    fn schedule(&mut self, ctx: &mut Ctx<'_, Event>) {
        let now = ctx.now();
        loop {
            let mut changed = false;
            for r in 0..self.runs.len() {
                if self.runs[r].started.is_none() {
                    if self.active() < self.scenario.max_active_runs as usize {
                        self.runs[r].started = Some(now);
                    } else {
                        continue;
                    }
                }
                if self.runs[r].ended.is_some() {
                    continue;
                }
                for t in 0..N {
                    if self.runs[r].states[t] == TaskState::None {
                        if let Some(s) = self.resolve(r, t) {
                            self.runs[r].states[t] = s;
                            changed = true;
                        }
                    }
                }
                if self.runs[r].states.iter().all(|s| s.done()) {
                    self.runs[r].ended = Some(now);
                    let took = now.saturating_sub(self.runs[r].started.unwrap_or(now));
                    self.run_times.record(took);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        // Oldest date first, then DAG order: a backfill fills in from the start.
        'outer: for r in 0..self.runs.len() {
            for t in 0..N {
                if self.runs[r].states[t] != TaskState::Queued {
                    continue;
                }
                let Some(slot) = self.free.pop() else {
                    break 'outer;
                };
                self.start(r, t, slot, ctx);
            }
        }
        if self.done_at.is_none() && self.runs.iter().all(|r| r.ended.is_some()) {
            self.done_at = Some(now);
        }
    }

    fn start(&mut self, r: usize, t: usize, slot: usize, ctx: &mut Ctx<'_, Event>) {
        let run = &mut self.runs[r];
        run.states[t] = TaskState::Running;
        run.tries[t] += 1;
        let try_no = run.tries[t];
        let key = (u64::from(run.day) << 16) | ((t as u64) << 8) | u64::from(try_no);
        let mut rng = self.streams.indexed("attempt", key);
        let ln = LogNormal::new(0.0, 0.3).expect("valid log-normal");
        let full = TASKS[t].minutes * ln.sample(&mut rng);
        let (ok, took, error) = if TASKS[t].uses_source && !self.source_up {
            (false, 0.5, "source unreachable")
        } else if rng.random::<f64>() < self.scenario.flaky {
            (false, full * 0.5, "random failure")
        } else {
            (true, full, "")
        };
        let end = ctx.now() + minutes(took).max(SimTime(1));
        self.attempts.push(Attempt {
            run: r,
            task: t,
            try_no,
            slot,
            start: ctx.now(),
            end,
            ok,
            error,
        });
        ctx.at(
            end,
            Event::Done {
                attempt: (self.attempts.len() - 1) as u32,
            },
        );
    }

    fn done(&mut self, a: usize, ctx: &mut Ctx<'_, Event>) {
        let Attempt {
            run,
            task,
            try_no,
            slot,
            ok,
            ..
        } = self.attempts[a].clone();
        self.free.push(slot);
        self.free.sort_unstable_by(|x, y| y.cmp(x));
        if ok {
            self.runs[run].states[task] = TaskState::Success;
            if task == BRANCH {
                // First day of a 30-day month: reload everything; otherwise only the new day.
                let skip = if self.runs[run].day % 30 == 1 {
                    INCREMENTAL
                } else {
                    FULL
                };
                self.runs[run].states[skip] = TaskState::Skipped;
            }
        } else {
            self.failed_attempts += 1;
            if try_no <= self.scenario.retries {
                self.runs[run].states[task] = TaskState::UpForRetry;
                let delay = self.scenario.retry_min * 2f64.powi(try_no.saturating_sub(1) as i32);
                ctx.after(
                    minutes(delay),
                    Event::RetryReady {
                        run: run as u32,
                        task: task as u8,
                    },
                );
            } else {
                self.runs[run].states[task] = TaskState::Failed;
            }
        }
        self.schedule(ctx);
    }

    /// Airflow's "clear": failed and upstream-failed tasks of finished runs go back to waiting,
    /// with fresh retries, and the scheduler picks them up again.
    fn clear_failed(&mut self, ctx: &mut Ctx<'_, Event>) {
        let was_done = self.done_at.is_some();
        for r in &mut self.runs {
            if r.ended.is_some() && !r.succeeded() {
                for t in 0..N {
                    if matches!(r.states[t], TaskState::Failed | TaskState::UpstreamFailed) {
                        r.states[t] = TaskState::None;
                        r.tries[t] = 0;
                    }
                }
                r.ended = None;
                r.started = None;
            }
        }
        self.done_at = None;
        self.schedule(ctx);
        if was_done && self.done_at.is_none() {
            // The sampling stopped when the backfill ended; the re-run needs it again.
            ctx.after(SimTime::from_secs(60), Event::Sample);
        }
    }

    pub fn running(&self) -> usize {
        self.scenario.slots as usize - self.free.len()
    }

    pub fn queued(&self) -> usize {
        self.runs
            .iter()
            .flat_map(|r| r.states.iter())
            .filter(|s| **s == TaskState::Queued)
            .count()
    }

    fn sample(&mut self, now: SimTime) {
        let finished = self.runs.iter().filter(|r| r.ended.is_some()).count();
        self.series.offer(
            now,
            &[self.running() as f64, self.queued() as f64, finished as f64],
        );
        let m = metrics_of(self, now);
        self.history.offer(m);
    }
}

impl Model for Scheduler {
    type Event = Event;
    fn start(&mut self, ctx: &mut Ctx<'_, Event>) {
        for (t, phase, kind) in self.scenario.faults.timeline() {
            ctx.at(t, Event::Fault(phase, kind));
        }
        ctx.at(SimTime::ZERO, Event::Sample);
        self.schedule(ctx);
    }
    fn handle(&mut self, ev: Event, ctx: &mut Ctx<'_, Event>) {
        match ev {
            Event::Done { attempt } => self.done(attempt as usize, ctx),
            Event::RetryReady { run, task } => {
                let st = &mut self.runs[run as usize].states[task as usize];
                if *st == TaskState::UpForRetry {
                    *st = TaskState::Queued;
                }
                self.schedule(ctx);
            }
            Event::Fault(phase, FaultKind::Crash { .. }) => {
                self.source_up = phase == Phase::End;
            }
            Event::Fault(Phase::Begin, FaultKind::Restart { .. }) => {
                self.source_up = true;
            }
            Event::Fault(..) => {}
            Event::Clear => self.clear_failed(ctx),
            Event::Sample => {
                self.sample(ctx.now());
                if self.done_at.is_none() {
                    ctx.after(SimTime::from_secs(60), Event::Sample);
                }
            }
        }
    }
}

fn metrics_of(s: &Scheduler, now: SimTime) -> MetricsSnapshot {
    let span = s.done_at.unwrap_or(now);
    let secs = span.as_secs_f64();
    let ok = s.attempts.iter().filter(|a| a.end <= now && a.ok).count();
    let finished = s.attempts.iter().filter(|a| a.end <= now).count();
    let busy: f64 = s
        .attempts
        .iter()
        .map(|a| {
            a.end
                .min(now)
                .saturating_sub(a.start.min(now))
                .as_secs_f64()
        })
        .sum();
    MetricsSnapshot {
        sim_time_s: now.as_secs_f64(),
        throughput_per_s: if secs > 0.0 { ok as f64 / secs } else { 0.0 },
        latency_p50_ms: s.run_times.quantile(0.5).as_millis_f64(),
        latency_p95_ms: s.run_times.quantile(0.95).as_millis_f64(),
        latency_p99_ms: s.run_times.quantile(0.99).as_millis_f64(),
        utilization: if secs > 0.0 {
            (busy / (secs * f64::from(s.scenario.slots))).min(1.0)
        } else {
            0.0
        },
        error_rate: if finished > 0 {
            (finished - ok) as f64 / finished as f64
        } else {
            0.0
        },
        backlog: s.queued() as u64 + s.runs.iter().filter(|r| r.started.is_none()).count() as u64,
        job_duration_s: secs,
        total_completed: ok as u64,
        total_failed: (finished - ok) as u64,
    }
}

#[derive(Clone)]
pub struct DagWorld {
    pub scenario: DagScenario,
    sim: Simulation<Scheduler>,
}

impl DagWorld {
    pub fn new(s: &DagScenario) -> Self {
        DagWorld {
            scenario: s.clone(),
            sim: Simulation::new(Scheduler::new(s)),
        }
    }
    pub fn scheduler(&self) -> &Scheduler {
        self.sim.model()
    }
    pub fn run_to_end(&mut self) -> Advance {
        self.sim.run_to_end(u64::MAX)
    }
    /// Clears failed runs so they run again (a re-run after fixing the cause).
    pub fn clear_failed(&mut self) {
        self.sim.command(Event::Clear);
        // Take effect now, so a finished backfill is visibly unfinished again.
        let now = self.sim.now();
        self.sim.advance(now, u64::MAX);
    }
    /// (succeeded, failed, not finished) runs.
    pub fn outcome(&self) -> (usize, usize, usize) {
        let runs = &self.scheduler().runs;
        let ok = runs.iter().filter(|r| r.succeeded()).count();
        let ended = runs.iter().filter(|r| r.ended.is_some()).count();
        (ok, ended - ok, runs.len() - ended)
    }
}

impl LabWorld for DagWorld {
    crate::sim::world::clock_from_sim!();
    fn announcement(&self) -> Option<String> {
        let s = self.scheduler();
        let failed_runs = s
            .runs
            .iter()
            .filter(|r| r.ended.is_some() && !r.succeeded())
            .count();
        let source = if s.source_up {
            ""
        } else {
            "the source is down; "
        };
        (s.failed_attempts > 0 || !s.source_up).then(|| {
            format!(
                "{source}{} task attempt{} failed so far; {failed_runs} run{} failed",
                s.failed_attempts,
                if s.failed_attempts == 1 { "" } else { "s" },
                if failed_runs == 1 { "" } else { "s" }
            )
        })
    }
    fn is_done(&self) -> bool {
        self.scheduler().done_at.is_some()
    }
    fn metrics(&self) -> MetricsSnapshot {
        metrics_of(self.scheduler(), self.sim.now())
    }
    fn series(&self) -> &TimeSeries {
        &self.scheduler().series
    }
    fn history(&self) -> Option<&MetricsHistory> {
        Some(&self.scheduler().history)
    }
}
