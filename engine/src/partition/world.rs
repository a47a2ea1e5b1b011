//! The partitioned job on a simulated clock: a serial stage (reading and planning), one task per
//! partition taken by the next free worker, then a serial combine. Task times come from the real
//! partition sizes, so skew shows up as a straggler and Amdahl's law as a flattening curve.

use super::job::{aggregate, combine, generate, reference, split, Dataset, Partial, Split};
use super::scenario::PartitionScenario;
use crate::sim::{
    Advance, Ctx, LabWorld, MetricsSnapshot, Model, RngStreams, SimTime, Simulation, TimeSeries,
    TraceHash, Traceable,
};
use rand_distr::{Distribution, LogNormal};
use std::collections::BTreeMap;
use std::rc::Rc;

/// Cost of merging one partial entry in the combine step, µs.
pub const COMBINE_US: f64 = 2.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Serial,
    Parallel,
    Combine,
    Done,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    pub partition: usize,
    pub records: u64,
    pub duration: SimTime,
    pub worker: Option<usize>,
    pub start: Option<SimTime>,
    pub end: Option<SimTime>,
}

#[derive(Clone, Debug, serde::Serialize)]
pub enum Event {
    SerialDone,
    TaskDone { worker: u32, task: u32 },
    CombineDone,
    Sample,
}

impl Traceable for Event {
    fn trace(&self, h: &mut TraceHash) {
        match self {
            Event::SerialDone => h.word(1),
            Event::TaskDone { worker, task } => {
                h.word(2);
                h.word(u64::from(*worker) << 32 | u64::from(*task));
            }
            Event::CombineDone => h.word(3),
            Event::Sample => h.word(4),
        }
    }
}

/// The job's clockwork.
#[derive(Clone)]
pub struct Job {
    pub workers: usize,
    pub tasks: Vec<Task>,
    pub stage: Stage,
    pub serial_time: SimTime,
    pub combine_time: SimTime,
    pub serial_end: Option<SimTime>,
    pub parallel_end: Option<SimTime>,
    pub done_at: Option<SimTime>,
    next_task: usize,
    busy: Vec<bool>,
    pub series: TimeSeries,
    records_done: u64,
}

impl Job {
    fn start_next(&mut self, w: usize, ctx: &mut Ctx<'_, Event>) {
        if self.next_task < self.tasks.len() {
            let t = self.next_task;
            self.next_task += 1;
            let task = &mut self.tasks[t];
            task.worker = Some(w);
            task.start = Some(ctx.now());
            self.busy[w] = true;
            ctx.after(
                task.duration,
                Event::TaskDone {
                    worker: w as u32,
                    task: t as u32,
                },
            );
        } else {
            self.busy[w] = false;
        }
    }

    fn sample(&mut self, now: SimTime) {
        let busy = self.busy.iter().filter(|b| **b).count() as f64;
        let done = self.tasks.iter().filter(|t| t.end.is_some()).count() as f64;
        self.series
            .offer(now, &[busy, done, self.records_done as f64]);
    }
}

impl Model for Job {
    type Event = Event;
    fn start(&mut self, ctx: &mut Ctx<'_, Event>) {
        ctx.after(self.serial_time, Event::SerialDone);
        ctx.at(SimTime::ZERO, Event::Sample);
    }
    fn handle(&mut self, ev: Event, ctx: &mut Ctx<'_, Event>) {
        match ev {
            Event::SerialDone => {
                self.stage = Stage::Parallel;
                self.serial_end = Some(ctx.now());
                for w in 0..self.workers {
                    self.start_next(w, ctx);
                }
            }
            Event::TaskDone { worker, task } => {
                let t = &mut self.tasks[task as usize];
                t.end = Some(ctx.now());
                self.records_done += t.records;
                self.start_next(worker as usize, ctx);
                if self.tasks.iter().all(|t| t.end.is_some()) {
                    self.stage = Stage::Combine;
                    self.parallel_end = Some(ctx.now());
                    ctx.after(self.combine_time, Event::CombineDone);
                }
            }
            Event::CombineDone => {
                self.stage = Stage::Done;
                self.done_at = Some(ctx.now());
                self.sample(ctx.now());
            }
            Event::Sample => {
                self.sample(ctx.now());
                if self.stage != Stage::Done {
                    let every = self.series.stride().max(SimTime::from_millis(10));
                    ctx.after(every, Event::Sample);
                }
            }
        }
    }
}

/// The data side, computed once per scenario and shared by every run of it (the speed-up curve
/// re-runs only the clock).
pub struct Prepared {
    pub data: Dataset,
    pub split: Split,
    pub partials: Vec<Partial>,
    pub combined: BTreeMap<u32, (u64, u64)>,
    pub verified: bool,
    /// The most frequent keys as (key, count, sum), most frequent first (ties by key): the hot
    /// keys a learner looks for. Kept here so a view redrawn every frame does not sort
    /// `combined` (up to 100,000 keys) each time.
    pub top_keys: Vec<(u32, u64, u64)>,
}

/// How many hot keys [`Prepared::top_keys`] keeps.
pub const TOP_KEYS: usize = 8;

fn top_keys(combined: &BTreeMap<u32, (u64, u64)>) -> Vec<(u32, u64, u64)> {
    let mut top: Vec<(u32, u64, u64)> = combined
        .iter()
        .map(|(k, (c, sum))| (*k, *c, *sum))
        .collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top.truncate(TOP_KEYS);
    top
}

pub fn prepare(s: &PartitionScenario) -> Prepared {
    let data = generate(s);
    let split = split(s, &data);
    let partials = aggregate(s, &data, &split);
    let combined = combine(&partials);
    let verified = combined == reference(&data);
    let top_keys = top_keys(&combined);
    Prepared {
        data,
        split,
        partials,
        combined,
        verified,
        top_keys,
    }
}

#[derive(Clone)]
pub struct PartitionWorld {
    pub scenario: PartitionScenario,
    pub prepared: Rc<Prepared>,
    sim: Simulation<Job>,
}

impl PartitionWorld {
    pub fn new(s: &PartitionScenario) -> Self {
        Self::with_prepared(s, Rc::new(prepare(s)))
    }

    /// A world over already prepared data, e.g. the same split with another worker count.
    pub fn with_prepared(s: &PartitionScenario, prepared: Rc<Prepared>) -> Self {
        let mut noise = RngStreams::new(s.seed).stream("task-noise");
        let ln = LogNormal::new(0.0, 0.1).expect("valid log-normal");
        let tasks: Vec<Task> = prepared
            .split
            .sizes
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let work_us = s.task_ms * 1000.0 + n as f64 * s.cost_us * ln.sample(&mut noise);
                Task {
                    partition: i,
                    records: n,
                    duration: SimTime::from_micros(work_us.round().max(1.0) as u64),
                    worker: None,
                    start: None,
                    end: None,
                }
            })
            .collect();
        let work_us = f64::from(s.records) * s.cost_us;
        let serial_time =
            SimTime::from_micros((s.serial / (1.0 - s.serial) * work_us).round() as u64);
        let entries: usize = prepared.partials.iter().map(|p| p.entries.len()).sum();
        let combine_time = SimTime::from_micros((entries as f64 * COMBINE_US).round() as u64);
        let job = Job {
            workers: s.workers as usize,
            tasks,
            stage: Stage::Serial,
            serial_time,
            combine_time,
            serial_end: None,
            parallel_end: None,
            done_at: None,
            next_task: 0,
            busy: vec![false; s.workers as usize],
            series: TimeSeries::new(
                &["busy workers", "tasks done", "records done"],
                SimTime::from_millis(10),
                1024,
            ),
            records_done: 0,
        };
        PartitionWorld {
            scenario: s.clone(),
            prepared,
            sim: Simulation::new(job),
        }
    }

    pub fn job(&self) -> &Job {
        self.sim.model()
    }

    pub fn run_to_end(&mut self) -> Advance {
        self.sim.run_to_end(u64::MAX)
    }

    /// Simulated seconds the whole job took (None while running).
    pub fn job_time_s(&self) -> Option<f64> {
        self.job().done_at.map(|t| t.as_secs_f64())
    }

    /// The biggest partition over the mean: 1.0 is perfectly even.
    pub fn imbalance(&self) -> f64 {
        let sizes = &self.prepared.split.sizes;
        let max = sizes.iter().copied().max().unwrap_or(0) as f64;
        let mean = sizes.iter().sum::<u64>() as f64 / sizes.len().max(1) as f64;
        if mean > 0.0 {
            max / mean
        } else {
            1.0
        }
    }

    /// Job time for 1..=`max_workers` workers, each measured by running the engine on the same
    /// split: (workers, seconds).
    pub fn speedup_curve(&self, max_workers: u32) -> Vec<(u32, f64)> {
        (1..=max_workers)
            .map(|w| {
                let s = PartitionScenario {
                    workers: w,
                    ..self.scenario.clone()
                };
                let mut world = PartitionWorld::with_prepared(&s, self.prepared.clone());
                world.run_to_end();
                (w, world.job_time_s().unwrap_or(0.0))
            })
            .collect()
    }
}

/// Amdahl's law: the speed-up of `workers` with serial fraction `serial`.
pub fn amdahl(serial: f64, workers: f64) -> f64 {
    1.0 / (serial + (1.0 - serial) / workers)
}

impl LabWorld for PartitionWorld {
    crate::sim::world::clock_from_sim!();
    /// One line per stage, so a screen reader hears the job move on, not every task.
    fn announcement(&self) -> Option<String> {
        let j = self.job();
        match j.stage {
            Stage::Serial => None,
            Stage::Parallel => Some(format!(
                "{} partitions are being aggregated on {} workers",
                j.tasks.len(),
                j.workers
            )),
            Stage::Combine => Some(format!(
                "every partition is aggregated; combining {} partial results",
                j.tasks.len()
            )),
            Stage::Done => Some(format!(
                "job done in {:.2} s; the combined counts {} a single pass over the data",
                self.job_time_s().unwrap_or(0.0),
                if self.prepared.verified {
                    "match"
                } else {
                    "do not match"
                }
            )),
        }
    }
    fn is_done(&self) -> bool {
        self.job().stage == Stage::Done
    }
    fn metrics(&self) -> MetricsSnapshot {
        let j = self.job();
        let now = self.sim.now();
        let span = j.done_at.unwrap_or(now);
        let secs = span.as_secs_f64();
        let busy: f64 = j
            .tasks
            .iter()
            .filter_map(|t| {
                let start = t.start?;
                Some(t.end.unwrap_or(now).saturating_sub(start).as_secs_f64())
            })
            .sum();
        let mut durations: Vec<f64> = j
            .tasks
            .iter()
            .filter(|t| t.end.is_some())
            .map(|t| t.duration.as_millis_f64())
            .collect();
        durations.sort_by(f64::total_cmp);
        let q = |p: f64| {
            if durations.is_empty() {
                0.0
            } else {
                durations[((durations.len() - 1) as f64 * p).round() as usize]
            }
        };
        MetricsSnapshot {
            sim_time_s: now.as_secs_f64(),
            throughput_per_s: if secs > 0.0 {
                j.records_done as f64 / secs
            } else {
                0.0
            },
            latency_p50_ms: q(0.5),
            latency_p95_ms: q(0.95),
            latency_p99_ms: q(0.99),
            utilization: if secs > 0.0 {
                (busy / (secs * j.workers as f64)).min(1.0)
            } else {
                0.0
            },
            error_rate: 0.0,
            backlog: (j.tasks.len() - j.next_task) as u64,
            job_duration_s: secs,
            total_completed: j.records_done,
            total_failed: 0,
        }
    }
    fn series(&self) -> &TimeSeries {
        &self.job().series
    }
}
