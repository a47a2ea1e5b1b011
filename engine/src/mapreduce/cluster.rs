//! The coordinator and its workers on the simulated clock.
//!
//! Cost model (all durations are multiplied by the worker's slow factor):
//! - map attempt: 100 ms start-up + input bytes ÷ 2 MB/s + 0.5 µs per emitted pair;
//! - reduce attempt: 100 ms start-up + shuffled bytes ÷ 10 MB/s (the fetch) + 1 µs per record
//!   × log2(records) (the sort) + output bytes ÷ 5 MB/s (the write).
//!
//! Failure handling (crashes, restarts, the coordinator declaring a worker dead) is in the
//! `failures` submodule.
//!
//! Reduce output is committed once per partition, by the first attempt to finish, so a re-run
//! never duplicates a key. The shuffle copies a partition's data when the reduce attempt starts.

mod failures;

use super::job::{run_map, run_reduce, Input, Keys};
use super::scenario::MapReduceScenario;
use super::split::make_splits;
use super::state::AttemptResult;
pub use super::state::{
    Attempt, Counters, Event, MapTask, Outcome, ReduceTask, TaskRef, TaskState, Worker,
};
use crate::sim::fault::Phase;
use crate::sim::metrics::{BusyTracker, Window};
use crate::sim::{
    Ctx, FaultKind, LatencyHistogram, Model, RngStreams, SimRng, SimTime, TimeSeries,
};
use rand::RngExt;
use std::sync::Arc;

pub const HEARTBEAT: SimTime = SimTime::from_millis(500);
pub const HEARTBEAT_TIMEOUT: SimTime = SimTime::from_millis(2_000);
const STARTUP_S: f64 = 0.1;
const MAP_BYTES_PER_S: f64 = 2e6;
const EMIT_S: f64 = 0.5e-6;
const NET_BYTES_PER_S: f64 = 10e6;
const RECORD_S: f64 = 1e-6;
const WRITE_BYTES_PER_S: f64 = 5e6;
/// A run that has not finished after this long is declared stalled (e.g. every worker dead).
const GIVE_UP: SimTime = SimTime::from_secs(24 * 3600);

pub const SERIES: [&str; 4] = ["records /s", "busy workers", "pending tasks", "MB shuffled"];

#[derive(Clone)]
pub struct Cluster {
    pub scenario: MapReduceScenario,
    pub inputs: Vec<Input>,
    pub doc_names: Vec<String>,
    pub keys: Keys,
    pub maps: Vec<MapTask>,
    pub reduces: Vec<ReduceTask>,
    pub workers: Vec<Worker>,
    pub attempts: Vec<Attempt>,
    pub counters: Counters,
    pub finished_at: Option<SimTime>,
    pub stalled: bool,
    crash_rng: SimRng,
    /// The latest key event in words, for the page's screen-reader announcements.
    pub headline: Option<String>,
    restart_rng: SimRng,
    pending_restarts: u32,
    pub task_latency: LatencyHistogram,
    window: Window,
    busy: BusyTracker,
    pub series: TimeSeries,
    sample_every: SimTime,
    failed_attempts: u64,
    finished_attempts: u64,
}

impl Cluster {
    pub fn new(scenario: &MapReduceScenario, inputs: Vec<Input>) -> Self {
        let streams = RngStreams::new(scenario.seed);
        let splits = make_splits(&inputs, scenario.split_kb as usize * 1024);
        let w = scenario.workers as usize;
        let sample_every = SimTime::from_millis(250);
        Cluster {
            doc_names: inputs.iter().map(|i| i.name.clone()).collect(),
            keys: Keys::default(),
            maps: splits
                .into_iter()
                .map(|split| MapTask {
                    split,
                    state: TaskState::Idle,
                    holder: None,
                    output: None,
                    runs: 0,
                })
                .collect(),
            reduces: (0..scenario.reducers)
                .map(|_| ReduceTask {
                    state: TaskState::Idle,
                    output: None,
                    runs: 0,
                })
                .collect(),
            workers: (1..=w)
                .map(|i| Worker {
                    name: format!("worker-{i}"),
                    up: true,
                    incarnation: 0,
                    slow: 1.0,
                    busy: None,
                    believed_alive: true,
                    known_incarnation: 0,
                    disk_gen: 0,
                    known_disk_gen: 0,
                    last_heartbeat: SimTime::ZERO,
                })
                .collect(),
            attempts: Vec::new(),
            counters: Counters::default(),
            finished_at: None,
            stalled: false,
            crash_rng: streams.stream("mapreduce/crash"),
            headline: None,
            restart_rng: streams.stream("mapreduce/restart"),
            pending_restarts: 0,
            task_latency: LatencyHistogram::new(),
            window: Window::default(),
            busy: BusyTracker::new(w as u64),
            series: TimeSeries::new(&SERIES, sample_every, 2048),
            sample_every,
            failed_attempts: 0,
            finished_attempts: 0,
            inputs,
            scenario: scenario.clone(),
        }
    }

    pub fn is_done(&self) -> bool {
        self.finished_at.is_some() || self.stalled
    }

    fn worker_index(&self, name: &str) -> Option<usize> {
        self.workers.iter().position(|w| w.name == name)
    }

    fn running_attempts(&self, task: TaskRef) -> impl Iterator<Item = usize> + '_ {
        self.attempts
            .iter()
            .enumerate()
            .filter(move |(_, a)| a.task == task && a.outcome == Outcome::Running)
            .map(|(i, _)| i)
    }

    fn update_busy(&mut self, now: SimTime) {
        let n = self
            .workers
            .iter()
            .filter(|w| w.up && w.busy.is_some())
            .count();
        self.busy.set_busy(now, n as u64);
    }

    fn map_phase_done(&self) -> bool {
        self.maps.iter().all(|m| m.state == TaskState::Done)
    }

    /// Hands idle tasks to idle workers the coordinator believes alive; maps before reduces.
    fn schedule(&mut self, ctx: &mut Ctx<'_, Event>) {
        if self.is_done() {
            return;
        }
        self.reclaim_lost_outputs();
        // Workers pull work, so only a live one asks; the coordinator must also believe it
        // alive (a restarted one first has to heartbeat back in).
        while let Some(w) = self
            .workers
            .iter()
            .position(|w| w.up && w.believed_alive && w.busy.is_none())
        {
            let task = if !self.map_phase_done() {
                self.maps
                    .iter()
                    .position(|m| m.state == TaskState::Idle)
                    .map(|i| TaskRef::Map(i as u32))
            } else {
                self.reduces
                    .iter()
                    .position(|r| r.state == TaskState::Idle)
                    .map(|i| TaskRef::Reduce(i as u32))
            };
            match task.or_else(|| self.backup_candidate(ctx.now())) {
                Some(t) => self.start_attempt(t, w, ctx),
                None => break,
            }
        }
        self.update_busy(ctx.now());
    }

    /// A running task worth a speculative copy: alone, and slower than 1.5× the median
    /// finished attempt of its phase.
    fn backup_candidate(&self, now: SimTime) -> Option<TaskRef> {
        if !self.scenario.speculative {
            return None;
        }
        let in_map = !self.map_phase_done();
        let mut durations: Vec<u64> = self
            .attempts
            .iter()
            .filter(|a| a.outcome == Outcome::Done && matches!(a.task, TaskRef::Map(_)) == in_map)
            .filter_map(|a| a.end.map(|e| (e - a.start).as_micros()))
            .collect();
        if durations.is_empty() {
            return None;
        }
        durations.sort_unstable();
        let median = durations[durations.len() / 2];
        let mut best: Option<(SimTime, TaskRef)> = None;
        for a in &self.attempts {
            if a.outcome != Outcome::Running || matches!(a.task, TaskRef::Map(_)) != in_map {
                continue;
            }
            if self.running_attempts(a.task).count() != 1 {
                continue;
            }
            let elapsed = (now - a.start).as_micros();
            if elapsed * 2 > median * 3 && best.is_none_or(|(s, _)| a.start < s) {
                best = Some((a.start, a.task));
            }
        }
        best.map(|(_, t)| t)
    }

    fn start_attempt(&mut self, task: TaskRef, w: usize, ctx: &mut Ctx<'_, Event>) {
        let now = ctx.now();
        let speculative = self.running_attempts(task).next().is_some();
        let slow = self.workers[w].slow;
        let (result, secs) = match task {
            TaskRef::Map(i) => {
                let m = &self.maps[i as usize];
                let split = m.split.clone();
                let input = &self.inputs[split.doc as usize];
                let out = run_map(
                    &self.scenario.job,
                    split.doc,
                    &input.name,
                    &input.text[split.start..split.end],
                    split.first_line,
                    self.scenario.combiner && self.scenario.job.combinable(),
                    self.scenario.reducers,
                    &mut self.keys,
                );
                let secs =
                    STARTUP_S + split.len() as f64 / MAP_BYTES_PER_S + out.emitted as f64 * EMIT_S;
                self.maps[i as usize].state = TaskState::Running;
                self.maps[i as usize].runs += 1;
                if self.maps[i as usize].runs > 1 && !speculative {
                    self.counters.reexecuted_tasks += 1;
                }
                (AttemptResult::Map(Arc::new(out)), secs)
            }
            TaskRef::Reduce(r) => {
                let p = r as usize;
                let mut bytes = 0u64;
                let mut records = 0u64;
                for m in &self.maps {
                    if let Some(o) = &m.output {
                        bytes += o.bytes[p];
                        records += o.runs[p].len() as u64;
                    }
                }
                let lines = run_reduce(
                    &self.scenario.job,
                    self.maps
                        .iter()
                        .filter_map(|m| m.output.as_ref())
                        .flat_map(|o| o.runs[p].iter().copied()),
                    &self.keys,
                    &self.doc_names,
                );
                let out_bytes: usize = lines.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
                self.counters.bytes_shuffled += bytes;
                self.counters.reduce_records_in += records;
                let sort = records as f64 * (records.max(2) as f64).log2() * RECORD_S;
                let secs = STARTUP_S
                    + bytes as f64 / NET_BYTES_PER_S
                    + sort
                    + out_bytes as f64 / WRITE_BYTES_PER_S;
                let t = &mut self.reduces[p];
                t.state = TaskState::Running;
                t.runs += 1;
                if t.runs > 1 && !speculative {
                    self.counters.reexecuted_tasks += 1;
                }
                (AttemptResult::Reduce(lines), secs)
            }
        };
        let dur = SimTime::from_secs_f64(secs * slow).max(SimTime(1));
        let id = self.attempts.len();
        let incarnation = self.workers[w].incarnation;
        self.attempts.push(Attempt {
            task,
            worker: w,
            incarnation,
            start: now,
            end: None,
            outcome: Outcome::Running,
            speculative,
            result: Some(result),
        });
        self.counters.attempts += 1;
        if speculative {
            self.counters.backup_tasks += 1;
        }
        self.workers[w].busy = Some(id);
        ctx.after(dur, Event::AttemptEnd { attempt: id as u32 });
        if self.scenario.crash_prob > 0.0
            && self.crash_rng.random::<f64>() < self.scenario.crash_prob
        {
            let at = self.crash_rng.random_range(0.05..0.95);
            ctx.after(
                SimTime::from_secs_f64(dur.as_secs_f64() * at),
                Event::RandomCrash {
                    worker: w as u32,
                    incarnation,
                },
            );
        }
    }

    fn finish_attempt(&mut self, id: usize, ctx: &mut Ctx<'_, Event>) {
        let now = ctx.now();
        let a = &self.attempts[id];
        let w = a.worker;
        if a.outcome != Outcome::Running
            || !self.workers[w].up
            || self.workers[w].incarnation != a.incarnation
        {
            return;
        }
        let task = a.task;
        let latency = now - a.start;
        self.task_latency.record(latency);
        self.window.latency.record(latency);
        self.finished_attempts += 1;
        let a = &mut self.attempts[id];
        a.outcome = Outcome::Done;
        a.end = Some(now);
        let result = a.result.take();
        self.workers[w].busy = None;
        // The loser of a speculative race stops now.
        let losers: Vec<usize> = self.running_attempts(task).collect();
        for l in losers {
            let la = &mut self.attempts[l];
            la.outcome = Outcome::Killed;
            la.end = Some(now);
            la.result = None;
            let lw = la.worker;
            if self.workers[lw].busy == Some(l) {
                self.workers[lw].busy = None;
            }
            self.counters.killed_attempts += 1;
            self.failed_attempts += 1;
            self.finished_attempts += 1;
        }
        match (task, result) {
            (TaskRef::Map(i), Some(AttemptResult::Map(out))) => {
                let m = &mut self.maps[i as usize];
                if m.state != TaskState::Done {
                    self.counters.map_records_in += out.records_in;
                    self.counters.map_records_out += out.records_out;
                    self.window.completed += out.emitted;
                    m.state = TaskState::Done;
                    m.holder = Some((w, self.workers[w].disk_gen, id));
                    m.output = Some(out);
                }
            }
            (TaskRef::Reduce(r), Some(AttemptResult::Reduce(lines))) => {
                let t = &mut self.reduces[r as usize];
                if t.output.is_none() {
                    self.counters.reduce_records_out += lines.len() as u64;
                    self.window.completed += lines.len() as u64;
                    t.output = Some(lines);
                    t.state = TaskState::Done;
                }
            }
            _ => {}
        }
        if self.reduces.iter().all(|r| r.state == TaskState::Done) {
            self.finished_at = Some(now);
            self.counters.map_tasks = self.maps.len() as u64;
            self.counters.reduce_tasks = self.reduces.len() as u64;
            self.update_busy(now);
            return;
        }
        self.schedule(ctx);
    }

    fn sample(&mut self, now: SimTime) {
        let pending = self
            .maps
            .iter()
            .filter(|m| m.state == TaskState::Idle)
            .count()
            + self
                .reduces
                .iter()
                .filter(|r| r.state == TaskState::Idle)
                .count();
        let row = [
            self.window.rate(now),
            self.busy.busy() as f64,
            pending as f64,
            self.counters.bytes_shuffled as f64 / 1e6,
        ];
        self.series.offer(now, &row);
        self.window.restart(now, self.busy.area(now));
    }

    pub fn pending_tasks(&self) -> u64 {
        (self
            .maps
            .iter()
            .filter(|m| m.state != TaskState::Done)
            .count()
            + self
                .reduces
                .iter()
                .filter(|r| r.state != TaskState::Done)
                .count()) as u64
    }

    pub fn error_rate(&self) -> f64 {
        if self.finished_attempts == 0 {
            0.0
        } else {
            self.failed_attempts as f64 / self.finished_attempts as f64
        }
    }

    pub fn window_rate(&self, now: SimTime) -> f64 {
        self.window.rate(now)
    }

    pub fn utilization(&self, now: SimTime) -> f64 {
        if self.is_done() {
            let end = self.finished_at.unwrap_or(now);
            let secs = end.as_secs_f64();
            if secs <= 0.0 {
                return 0.0;
            }
            return (self.busy.area(end) as f64 / 1e6 / (secs * self.workers.len() as f64))
                .min(1.0);
        }
        self.window.utilization(now, &self.busy)
    }
}

impl Model for Cluster {
    type Event = Event;

    fn start(&mut self, ctx: &mut Ctx<'_, Event>) {
        for (t, phase, kind) in self.scenario.faults.timeline() {
            if matches!(
                (&kind, phase),
                (FaultKind::Crash { .. }, Phase::End) | (FaultKind::Restart { .. }, Phase::Begin)
            ) {
                self.pending_restarts += 1;
            }
            ctx.at(t, Event::Fault(phase, kind));
        }
        for w in 0..self.workers.len() {
            ctx.after(
                HEARTBEAT,
                Event::Heartbeat {
                    worker: w as u32,
                    incarnation: 0,
                },
            );
        }
        ctx.after(HEARTBEAT, Event::Check);
        ctx.after(self.sample_every, Event::Sample);
        if self.maps.is_empty() && self.reduces.is_empty() {
            self.finished_at = Some(SimTime::ZERO);
        }
        self.schedule(ctx);
    }

    fn handle(&mut self, ev: Event, ctx: &mut Ctx<'_, Event>) {
        let now = ctx.now();
        match ev {
            Event::Heartbeat {
                worker,
                incarnation,
            } => {
                let w = worker as usize;
                if !self.workers[w].up
                    || self.workers[w].incarnation != incarnation
                    || self.is_done()
                {
                    return;
                }
                if self.workers[w].believed_alive
                    && self.workers[w].known_incarnation != incarnation
                {
                    // It came back as a new process before we noticed it was gone.
                    self.declare_dead(w, ctx);
                }
                let wk = &mut self.workers[w];
                wk.last_heartbeat = now;
                if !wk.believed_alive || wk.known_incarnation != incarnation {
                    wk.believed_alive = true;
                    wk.known_incarnation = incarnation;
                    self.schedule(ctx);
                }
                ctx.after(
                    HEARTBEAT,
                    Event::Heartbeat {
                        worker,
                        incarnation,
                    },
                );
            }
            Event::Check => {
                if self.is_done() {
                    return;
                }
                for w in 0..self.workers.len() {
                    let wk = &self.workers[w];
                    if wk.believed_alive && now - wk.last_heartbeat > HEARTBEAT_TIMEOUT {
                        self.declare_dead(w, ctx);
                    }
                }
                self.schedule(ctx);
                let anyone = self.workers.iter().any(|w| w.up) || self.pending_restarts > 0;
                if !anyone || now > GIVE_UP {
                    self.stalled = true;
                    return;
                }
                ctx.after(HEARTBEAT, Event::Check);
            }
            Event::AttemptEnd { attempt } => self.finish_attempt(attempt as usize, ctx),
            Event::RandomCrash {
                worker,
                incarnation,
            } => {
                let w = worker as usize;
                if self.workers[w].up && self.workers[w].incarnation == incarnation {
                    self.crash(w, now, false);
                    // The process is restarted after a few seconds.
                    let after = self.restart_rng.random_range(2.0..5.0);
                    self.pending_restarts += 1;
                    ctx.after(SimTime::from_secs_f64(after), Event::AutoRestart { worker });
                }
            }
            Event::AutoRestart { worker } => {
                self.pending_restarts = self.pending_restarts.saturating_sub(1);
                self.restart(worker as usize, ctx);
            }
            Event::Fault(phase, kind) => self.fault(phase, kind, ctx),
            Event::Sample => {
                self.sample(now);
                if !self.is_done() {
                    ctx.after(self.sample_every, Event::Sample);
                }
            }
        }
    }
}
