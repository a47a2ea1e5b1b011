//! The planned job on the simulated cluster: stages run one after another, each stage's tasks go
//! to the next free core in order, and a stage starts when the previous one has finished (a
//! shuffle is a barrier). The timings come from the plan's counted work, so a skewed join key
//! shows up as one long task the whole cluster waits for.

use super::plan::{execute, Plan, StageKind, TaskCost};
use super::scenario::{Opt, Opts, PipelineScenario};
use super::table::{generate, reference, Report, Tables};
use crate::sim::monitor::MetricsHistory;
use crate::sim::{
    Advance, Ctx, LabWorld, LatencyHistogram, MetricsSnapshot, Model, SimTime, Simulation,
    TimeSeries, TraceHash, Traceable,
};
use std::rc::Rc;

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TaskRun {
    pub slot: u32,
    pub start: SimTime,
    pub end: SimTime,
}

#[derive(Clone, Debug, serde::Serialize)]
pub enum Event {
    TaskDone { stage: u32, task: u32, slot: u32 },
    Sample,
}

impl Traceable for Event {
    fn trace(&self, h: &mut TraceHash) {
        match self {
            Event::TaskDone { stage, task, slot } => {
                h.word(1);
                h.word(u64::from(*stage) << 40 | u64::from(*task) << 16 | u64::from(*slot));
            }
            Event::Sample => h.word(2),
        }
    }
}

/// The scheduler's state.
#[derive(Clone)]
pub struct Cluster {
    pub plan: Rc<Plan>,
    pub slots: u32,
    pub stage: usize,
    next_task: usize,
    free: Vec<u32>,
    /// When each task of each stage ran (None = not started).
    pub runs: Vec<Vec<Option<TaskRun>>>,
    pub stage_start: Vec<Option<SimTime>>,
    pub stage_end: Vec<Option<SimTime>>,
    pub done_at: Option<SimTime>,
    pub tasks_done: u64,
    /// Real rows handled by finished tasks.
    pub rows_done: f64,
    pub busy_us: u128,
    /// Durations of finished tasks.
    pub task_times: LatencyHistogram,
    running: u64,
    running_start_sum: u128,
    pub series: TimeSeries,
    pub history: MetricsHistory,
    scale: f64,
    last_sample: (SimTime, f64),
}

fn duration(t: &TaskCost) -> SimTime {
    SimTime::from_micros(t.total_us().round().max(1.0) as u64)
}

impl Cluster {
    fn stage_tasks(&self) -> &[TaskCost] {
        &self.plan.stages[self.stage].tasks
    }

    /// Hands out tasks of the current stage to free cores; moves to the next stage when one ends.
    fn dispatch(&mut self, ctx: &mut Ctx<'_, Event>) {
        loop {
            if self.stage >= self.plan.stages.len() {
                return;
            }
            if self.stage_start[self.stage].is_none() {
                self.stage_start[self.stage] = Some(ctx.now());
            }
            while self.next_task < self.stage_tasks().len() {
                let Some(slot) = self.free.pop() else {
                    return;
                };
                let t = self.next_task;
                self.next_task += 1;
                let d = duration(&self.stage_tasks()[t]);
                self.running += 1;
                self.running_start_sum += u128::from(ctx.now().as_micros());
                self.runs[self.stage][t] = Some(TaskRun {
                    slot,
                    start: ctx.now(),
                    end: ctx.now().saturating_add(d),
                });
                ctx.after(
                    d,
                    Event::TaskDone {
                        stage: self.stage as u32,
                        task: t as u32,
                        slot,
                    },
                );
            }
            let running = self.free.len() < self.slots as usize;
            if running {
                return;
            }
            // Every task of this stage has finished: the barrier lifts.
            self.stage_end[self.stage] = Some(ctx.now());
            self.stage += 1;
            self.next_task = 0;
            if self.stage >= self.plan.stages.len() {
                self.done_at = Some(ctx.now());
                return;
            }
        }
    }

    fn waiting(&self) -> usize {
        self.plan
            .stages
            .get(self.stage)
            .map_or(0, |s| s.tasks.len() - self.next_task)
    }

    fn sample(&mut self, now: SimTime, m: MetricsSnapshot) {
        let busy = self.slots as usize - self.free.len();
        let dt = now.saturating_sub(self.last_sample.0).as_secs_f64();
        let rate = if dt > 0.0 {
            (self.rows_done - self.last_sample.1) / dt / 1e6
        } else {
            0.0
        };
        self.last_sample = (now, self.rows_done);
        self.series
            .offer(now, &[busy as f64, self.waiting() as f64, rate]);
        self.history.offer(m);
    }
}

impl Model for Cluster {
    type Event = Event;
    fn start(&mut self, ctx: &mut Ctx<'_, Event>) {
        ctx.at(SimTime::ZERO, Event::Sample);
        self.dispatch(ctx);
    }
    fn handle(&mut self, ev: Event, ctx: &mut Ctx<'_, Event>) {
        match ev {
            Event::TaskDone { stage, task, slot } => {
                let t = &self.plan.stages[stage as usize].tasks[task as usize];
                self.rows_done += t.rows as f64 * self.scale;
                let d = duration(t);
                self.busy_us += u128::from(d.as_micros());
                self.task_times.record(d);
                self.running -= 1;
                self.running_start_sum -= u128::from(ctx.now().saturating_sub(d).as_micros());
                self.tasks_done += 1;
                self.free.push(slot);
                // Lowest free core first, so the Gantt fills from the top.
                self.free.sort_unstable_by(|a, b| b.cmp(a));
                self.dispatch(ctx);
                if self.done_at.is_some() {
                    let m = metrics_of(self, ctx.now());
                    self.sample(ctx.now(), m);
                }
            }
            Event::Sample => {
                if self.done_at.is_none() {
                    let m = metrics_of(self, ctx.now());
                    self.sample(ctx.now(), m);
                    ctx.after(
                        self.series.stride().max(SimTime::from_millis(100)),
                        Event::Sample,
                    );
                }
            }
        }
    }
}

fn metrics_of(c: &Cluster, now: SimTime) -> MetricsSnapshot {
    let span = c.done_at.unwrap_or(now);
    let secs = span.as_secs_f64();
    let q = |p: f64| c.task_times.quantile(p).as_millis_f64();
    // Busy time of tasks still running counts up to now.
    let running =
        (u128::from(now.as_micros()) * u128::from(c.running)).saturating_sub(c.running_start_sum);
    MetricsSnapshot {
        sim_time_s: now.as_secs_f64(),
        throughput_per_s: if secs > 0.0 { c.rows_done / secs } else { 0.0 },
        latency_p50_ms: q(0.5),
        latency_p95_ms: q(0.95),
        latency_p99_ms: q(0.99),
        utilization: if span.as_micros() > 0 {
            ((c.busy_us + running) as f64 / (span.as_micros() as f64 * f64::from(c.slots))).min(1.0)
        } else {
            0.0
        },
        error_rate: 0.0,
        backlog: c.waiting() as u64,
        job_duration_s: secs,
        total_completed: c.tasks_done,
        total_failed: 0,
    }
}

/// Why the slowest stage was slow, from its tasks' own cost parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// Most of the time went on starting tasks and opening files.
    Overhead,
    Storage,
    Network,
    Cpu,
    /// One task ran far longer than the others.
    Straggler,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Bottleneck {
    pub stage: usize,
    pub name: String,
    pub wall_s: f64,
    pub share: f64,
    pub cause: Cause,
    /// Longest task over the median task of the stage.
    pub skew: f64,
    /// The optimisation most likely to help, if it is not on yet.
    pub suggestion: Option<Opt>,
}

/// The data (shared by every variant of a scenario) and the reference answer.
pub struct Prepared {
    pub tables: Tables,
    pub reference: Report,
}

pub fn prepare(s: &PipelineScenario) -> Prepared {
    let tables = generate(s);
    let reference = reference(s, &tables, s.days - 1);
    Prepared { tables, reference }
}

#[derive(Clone)]
pub struct PipelineWorld {
    pub scenario: PipelineScenario,
    pub prepared: Rc<Prepared>,
    sim: Simulation<Cluster>,
}

impl PipelineWorld {
    pub fn new(s: &PipelineScenario) -> Self {
        Self::with_prepared(s, Rc::new(prepare(s)))
    }

    pub fn with_prepared(s: &PipelineScenario, prepared: Rc<Prepared>) -> Self {
        let plan = Rc::new(execute(s, &prepared.tables, s.days - 1, s.opts));
        let slots = s.slots();
        let cluster = Cluster {
            runs: plan
                .stages
                .iter()
                .map(|st| vec![None; st.tasks.len()])
                .collect(),
            stage_start: vec![None; plan.stages.len()],
            stage_end: vec![None; plan.stages.len()],
            plan,
            slots,
            stage: 0,
            next_task: 0,
            free: (0..slots).rev().collect(),
            done_at: None,
            tasks_done: 0,
            rows_done: 0.0,
            busy_us: 0,
            task_times: LatencyHistogram::new(),
            running: 0,
            running_start_sum: 0,
            series: TimeSeries::new(
                &["busy cores", "tasks waiting", "M rows/s"],
                SimTime::from_millis(100),
                1024,
            ),
            history: MetricsHistory::new(SimTime::from_millis(100), 240),
            scale: f64::from(s.scale),
            last_sample: (SimTime::ZERO, 0.0),
        };
        PipelineWorld {
            scenario: s.clone(),
            prepared,
            sim: Simulation::new(cluster),
        }
    }

    pub fn cluster(&self) -> &Cluster {
        self.sim.model()
    }

    pub fn plan(&self) -> &Plan {
        &self.cluster().plan
    }

    pub fn run_to_end(&mut self) -> Advance {
        self.sim.run_to_end(u64::MAX)
    }

    /// True if the plan's report equals the direct one-loop computation.
    pub fn verified(&self) -> bool {
        self.plan().report == self.prepared.reference
    }

    pub fn job_time_s(&self) -> Option<f64> {
        self.cluster().done_at.map(|t| t.as_secs_f64())
    }

    /// Executor-hours × price; executors are billed for the whole job.
    pub fn cost_usd(&self) -> f64 {
        let t = self
            .cluster()
            .done_at
            .unwrap_or(self.sim.now())
            .as_secs_f64();
        t / 3600.0 * f64::from(self.scenario.executors) * self.scenario.usd_per_executor_hour
    }

    /// Wall time of stage `i` so far.
    pub fn stage_wall_s(&self, i: usize) -> f64 {
        let c = self.cluster();
        match (c.stage_start[i], c.stage_end[i]) {
            (Some(a), Some(b)) => b.saturating_sub(a).as_secs_f64(),
            (Some(a), None) => self.sim.now().saturating_sub(a).as_secs_f64(),
            _ => 0.0,
        }
    }

    /// The stage that took longest so far, why, and what would help.
    pub fn bottleneck(&self) -> Option<Bottleneck> {
        let c = self.cluster();
        let n = c.plan.stages.len();
        // The first of equally slow stages: a recomputed stage only wins if it took longer.
        let (i, wall) = (0..n).map(|i| (i, self.stage_wall_s(i))).fold(
            None,
            |best: Option<(usize, f64)>, x| match best {
                Some(b) if b.1 >= x.1 => Some(b),
                _ => Some(x),
            },
        )?;
        if wall <= 0.0 {
            return None;
        }
        let total: f64 = (0..n).map(|i| self.stage_wall_s(i)).sum();
        let st = &c.plan.stages[i];
        let b = st.breakdown();
        let mut d: Vec<f64> = st.tasks.iter().map(TaskCost::total_us).collect();
        d.sort_by(f64::total_cmp);
        let median = d[d.len() / 2].max(1.0);
        let max = d.last().copied().unwrap_or(0.0);
        let skew = max / median;
        let parts = [
            (Cause::Overhead, b.overhead_us),
            (Cause::Storage, b.io_us),
            (Cause::Network, b.net_us),
            (Cause::Cpu, b.cpu_us),
        ];
        let mut cause = parts
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map_or(Cause::Cpu, |p| p.0);
        if skew >= 3.0 && max / 1e6 >= 0.5 * wall {
            cause = Cause::Straggler;
        }
        let opts = self.scenario.opts;
        let first_off = |list: &[Opt]| list.iter().copied().find(|o| !opts.has(*o));
        let suggestion = match (st.kind, cause) {
            _ if st.repeat => first_off(&[Opt::Cache]),
            (StageKind::Scan, Cause::Overhead) => first_off(&[Opt::CompactFiles, Opt::Pruning]),
            (StageKind::Scan, _) => first_off(&[
                Opt::Pruning,
                Opt::Incremental,
                Opt::Columnar,
                Opt::Compression,
                Opt::CompactFiles,
                Opt::FilterEarly,
            ]),
            (StageKind::Join, _) => first_off(&[Opt::Broadcast, Opt::FilterEarly]),
            (StageKind::Aggregate, _) => first_off(&[Opt::Combiner, Opt::FilterEarly]),
            (StageKind::Write, _) | (StageKind::Merge, _) => first_off(&[Opt::CompactFiles]),
            _ => None,
        };
        Some(Bottleneck {
            stage: i,
            name: st.name.clone(),
            wall_s: wall,
            share: if total > 0.0 { wall / total } else { 0.0 },
            cause,
            skew,
            suggestion,
        })
    }

    /// Runs the same data with each optimisation flipped from its current setting: (optimisation,
    /// job seconds without it, with it, bytes read without/with, shuffled without/with).
    pub fn compare(&self) -> Vec<Comparison> {
        Opt::ALL
            .iter()
            .map(|o| {
                let off = measure(
                    &self.scenario,
                    &self.prepared,
                    self.scenario.opts.with(*o, false),
                );
                let on = measure(
                    &self.scenario,
                    &self.prepared,
                    self.scenario.opts.with(*o, true),
                );
                Comparison { opt: *o, off, on }
            })
            .collect()
    }
}

/// One full run's headline numbers.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Measured {
    pub seconds: f64,
    pub read_bytes: f64,
    pub shuffle_bytes: f64,
    pub cost_usd: f64,
    pub tasks: usize,
    pub verified: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Comparison {
    pub opt: Opt,
    pub off: Measured,
    pub on: Measured,
}

/// Runs the scenario with `opts` to the end and reads the headline numbers.
pub fn measure(s: &PipelineScenario, prepared: &Rc<Prepared>, opts: Opts) -> Measured {
    let sc = PipelineScenario { opts, ..s.clone() };
    let mut w = PipelineWorld::with_prepared(&sc, prepared.clone());
    w.run_to_end();
    Measured {
        seconds: w.job_time_s().unwrap_or(0.0),
        read_bytes: w.plan().read_bytes(),
        shuffle_bytes: w.plan().shuffle_bytes(),
        cost_usd: w.cost_usd(),
        tasks: w.plan().tasks(),
        verified: w.verified(),
    }
}

impl LabWorld for PipelineWorld {
    crate::sim::world::clock_from_sim!();
    /// Which stage is running (it changes a few times a run), then the job's end.
    fn announcement(&self) -> Option<String> {
        let c = self.cluster();
        if let Some(t) = c.done_at {
            return Some(format!(
                "job done in {:.1} s after {} tasks",
                t.as_secs_f64(),
                c.tasks_done
            ));
        }
        let stage = c.plan.stages.get(c.stage)?;
        let n = stage.tasks.len();
        Some(format!(
            "stage {} of {} running: {}, {n} task{}",
            c.stage + 1,
            c.plan.stages.len(),
            stage.name,
            if n == 1 { "" } else { "s" }
        ))
    }
    fn is_done(&self) -> bool {
        self.cluster().done_at.is_some()
    }
    fn metrics(&self) -> MetricsSnapshot {
        metrics_of(self.cluster(), self.sim.now())
    }
    fn series(&self) -> &TimeSeries {
        &self.cluster().series
    }
    fn history(&self) -> Option<&MetricsHistory> {
        Some(&self.cluster().history)
    }
}
