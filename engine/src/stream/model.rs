//! The two pipelines fed by one event stream: a batch job on a schedule, which sees everything
//! that arrived before it started and pays a start-up cost each time, and a streaming operator
//! that handles each event (or micro-batch) as it comes, closing windows by watermark.

use super::scenario::{StreamScenario, TimeMode};
use super::window::{Agg, Shape, Windows};
use crate::sim::fault::Phase;
use crate::sim::metrics::BusyTracker;
use crate::sim::rng::exp_sample;
use crate::sim::{
    Ctx, FaultKind, LatencyHistogram, Model, RngStreams, SimRng, SimTime, TimeSeries, TraceHash,
    Traceable,
};
use rand::RngExt;
use std::collections::{BTreeMap, VecDeque};

/// What the batch cluster costs per hour while a job runs.
pub const BATCH_PRICE_PER_H: f64 = 4.0;
/// What one always-on streaming worker costs per hour.
pub const STREAM_PRICE_PER_H: f64 = 0.20;
/// Fixed cost of one micro-batch (planning, committing offsets), s.
pub const MICRO_OVERHEAD_S: f64 = 0.1;
/// Network delay of an on-time event (mean, exponential), s.
pub const NETWORK_S: f64 = 0.05;

/// One card transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Txn {
    /// When it happened (event time).
    pub time: SimTime,
    /// When it reached the pipelines.
    pub arrival: SimTime,
    pub fraud: bool,
    pub late: bool,
    /// Cents.
    pub amount: u32,
}

#[derive(Clone, Debug, serde::Serialize)]
pub enum Event {
    Generate,
    Arrive(u32),
    StreamDone { worker: u16 },
    MicroTick,
    BatchStart,
    BatchDone,
    Sample,
    Fault(Phase, FaultKind),
}

impl Traceable for Event {
    fn trace(&self, h: &mut TraceHash) {
        match self {
            Event::Generate => h.word(1),
            Event::Arrive(id) => {
                h.word(2);
                h.word(u64::from(*id));
            }
            Event::StreamDone { worker } => {
                h.word(3);
                h.word(u64::from(*worker));
            }
            Event::MicroTick => h.word(4),
            Event::BatchStart => h.word(5),
            Event::BatchDone => h.word(6),
            Event::Sample => h.word(7),
            Event::Fault(p, k) => {
                h.word(if *p == Phase::Begin { 8 } else { 9 });
                k.trace(h);
            }
        }
    }
}

/// A batch run: the data cut-off, how many events, and when it ran.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BatchRun {
    pub cutoff: SimTime,
    pub events: u64,
    pub start: SimTime,
    pub end: Option<SimTime>,
}

#[derive(Clone)]
pub struct Pipelines {
    pub s: StreamScenario,
    pub txns: Vec<Txn>,
    gen: SimRng,
    delay: SimRng,
    spike: f64,
    pub generated_all: bool,
    pub arrived: u64,
    // Streaming.
    pub queue: VecDeque<u32>,
    pub working: Vec<Vec<u32>>,
    pub stream_done: u64,
    pub windows: Windows,
    pub max_event_time: SimTime,
    pub stream_latency: LatencyHistogram,
    pub stream_detect: Vec<f64>,
    pub busy: BusyTracker,
    micro_running: bool,
    pub newest_processed: SimTime,
    // Batch.
    pub bucket: Vec<u32>,
    pub batch_jobs: VecDeque<(SimTime, Vec<u32>)>,
    pub batch_running: Option<(SimTime, Vec<u32>)>,
    pub batch_runs: Vec<BatchRun>,
    pub batch_done: u64,
    pub batch_windows: BTreeMap<u64, Agg>,
    pub batch_detect: Vec<f64>,
    pub batch_busy_s: f64,
    pub last_cutoff: Option<SimTime>,
    last_cutoff_pending: Option<SimTime>,
    pub series: TimeSeries,
    pub done_at: Option<SimTime>,
    pub stream_finished: Option<SimTime>,
    window_done: u64,
    window_start: SimTime,
}

impl Pipelines {
    pub fn new(s: &StreamScenario) -> Self {
        let streams = RngStreams::new(s.seed);
        let us = |x: f64| (x * 1e6).round().max(1.0) as u64;
        let shape = Shape {
            kind: s.window,
            size: us(s.window_s),
            slide: us(s.slide_s.min(s.window_s)),
        };
        Pipelines {
            s: s.clone(),
            txns: Vec::new(),
            gen: streams.stream("transactions"),
            delay: streams.stream("network"),
            spike: 1.0,
            generated_all: false,
            arrived: 0,
            queue: VecDeque::new(),
            working: vec![Vec::new(); s.stream_workers as usize],
            stream_done: 0,
            windows: Windows::new(shape),
            max_event_time: SimTime::ZERO,
            stream_latency: LatencyHistogram::new(),
            stream_detect: Vec::new(),
            busy: BusyTracker::new(u64::from(s.stream_workers)),
            micro_running: false,
            newest_processed: SimTime::ZERO,
            bucket: Vec::new(),
            batch_jobs: VecDeque::new(),
            batch_running: None,
            batch_runs: Vec::new(),
            batch_done: 0,
            batch_windows: BTreeMap::new(),
            batch_detect: Vec::new(),
            batch_busy_s: 0.0,
            last_cutoff: None,
            last_cutoff_pending: None,
            series: TimeSeries::new(
                &[
                    "batch freshness s",
                    "stream freshness s",
                    "stream backlog",
                    "batch bucket",
                ],
                SimTime::from_secs(1),
                2048,
            ),
            done_at: None,
            stream_finished: None,
            window_done: 0,
            window_start: SimTime::ZERO,
        }
    }

    fn end_of_production(&self) -> SimTime {
        SimTime::from_secs_f64(self.s.duration_s)
    }

    pub fn all_processed(&self) -> bool {
        self.generated_all
            && self.arrived == self.txns.len() as u64
            && self.stream_done == self.arrived
            && self.batch_done == self.arrived
    }

    /// Dollars spent so far by each pipeline: (batch, streaming).
    pub fn cost(&self, now: SimTime) -> (f64, f64) {
        let running = self
            .batch_running
            .as_ref()
            .map_or(0.0, |(start, _)| now.saturating_sub(*start).as_secs_f64());
        let batch = (self.batch_busy_s + running) * BATCH_PRICE_PER_H / 3600.0;
        // The operator is paid from the start until it has handled the last event.
        let end = self.stream_finished.unwrap_or(now);
        let stream =
            f64::from(self.s.stream_workers) * STREAM_PRICE_PER_H * end.as_secs_f64() / 3600.0;
        (batch, stream)
    }

    fn generate(&mut self, ctx: &mut Ctx<'_, Event>) {
        let now = ctx.now();
        let id = self.txns.len() as u32;
        let late = self.s.late > 0.0 && self.delay.random::<f64>() < self.s.late;
        let delay = if late {
            self.delay.random::<f64>() * self.s.late_max_s
        } else {
            exp_sample(&mut self.delay, NETWORK_S)
        };
        let fraud = self.s.fraud > 0.0 && self.gen.random::<f64>() < self.s.fraud;
        let amount = self.gen.random_range(100..50_000);
        let arrival = now + SimTime::from_secs_f64(delay);
        self.txns.push(Txn {
            time: now,
            arrival,
            fraud,
            late,
            amount,
        });
        ctx.at(arrival, Event::Arrive(id));
        let gap = exp_sample(&mut self.gen, 1.0 / (self.s.rate * self.spike));
        let next = now + SimTime::from_secs_f64(gap).max(SimTime(1));
        if next < self.end_of_production() {
            ctx.at(next, Event::Generate);
        } else {
            self.generated_all = true;
        }
    }

    fn arrive(&mut self, id: u32, ctx: &mut Ctx<'_, Event>) {
        self.arrived += 1;
        self.bucket.push(id);
        self.queue.push_back(id);
        if self.s.micro_ms <= 0.0 {
            if let Some(w) = self.working.iter().position(Vec::is_empty) {
                self.start_stream(w, ctx);
            }
        }
    }

    fn start_stream(&mut self, w: usize, ctx: &mut Ctx<'_, Event>) {
        let Some(id) = self.queue.pop_front() else {
            return;
        };
        self.working[w].push(id);
        ctx.after(
            SimTime::from_secs_f64(self.s.stream_ms / 1000.0).max(SimTime(1)),
            Event::StreamDone { worker: w as u16 },
        );
        self.track_busy(ctx.now());
    }

    fn track_busy(&mut self, now: SimTime) {
        let busy = if self.micro_running {
            self.working.len() as u64
        } else {
            self.working.iter().filter(|w| !w.is_empty()).count() as u64
        };
        self.busy.set_busy(now, busy);
    }

    fn micro_tick(&mut self, ctx: &mut Ctx<'_, Event>) {
        let interval = SimTime::from_secs_f64(self.s.micro_ms / 1000.0);
        if !self.micro_running && !self.queue.is_empty() {
            let batch: Vec<u32> = self.queue.drain(..).collect();
            let secs = MICRO_OVERHEAD_S
                + batch.len() as f64 * self.s.stream_ms / 1000.0 / f64::from(self.s.stream_workers);
            self.working[0] = batch;
            self.micro_running = true;
            ctx.after(
                SimTime::from_secs_f64(secs),
                Event::StreamDone { worker: 0 },
            );
            self.track_busy(ctx.now());
        }
        if !self.all_processed() {
            ctx.after(interval.max(SimTime(1)), Event::MicroTick);
        }
    }

    fn stream_done(&mut self, w: usize, ctx: &mut Ctx<'_, Event>) {
        let now = ctx.now();
        let ids = std::mem::take(&mut self.working[w]);
        for id in ids {
            let t = self.txns[id as usize];
            self.stream_done += 1;
            self.window_done += 1;
            self.stream_latency.record(now.saturating_sub(t.time));
            if t.fraud {
                self.stream_detect
                    .push(now.saturating_sub(t.time).as_secs_f64());
            }
            self.newest_processed = self.newest_processed.max(t.time);
            let at = match self.s.time_mode {
                TimeMode::Event => t.time,
                TimeMode::Processing => now,
            };
            self.windows
                .add(at.as_micros(), t.fraud, u64::from(t.amount));
            self.max_event_time = self.max_event_time.max(t.time);
        }
        self.advance_watermark(now);
        if self.generated_all && self.stream_done == self.txns.len() as u64 {
            self.stream_finished = Some(now);
        }
        if self.micro_running {
            self.micro_running = false;
        } else {
            self.start_stream(w, ctx);
        }
        self.track_busy(now);
        self.check_done(now);
    }

    fn advance_watermark(&mut self, now: SimTime) {
        let wm = match self.s.time_mode {
            TimeMode::Event => self
                .max_event_time
                .as_micros()
                .saturating_sub(SimTime::from_secs_f64(self.s.allowed_s).as_micros()),
            TimeMode::Processing => now.as_micros(),
        };
        self.windows.advance(wm, now);
    }

    fn batch_start(&mut self, ctx: &mut Ctx<'_, Event>) {
        let now = ctx.now();
        let ids = std::mem::take(&mut self.bucket);
        self.batch_jobs.push_back((now, ids));
        self.run_next_batch(ctx);
        if !(self.generated_all && self.arrived == self.txns.len() as u64 && self.bucket.is_empty())
        {
            ctx.after(SimTime::from_secs_f64(self.s.batch_s), Event::BatchStart);
        }
    }

    fn run_next_batch(&mut self, ctx: &mut Ctx<'_, Event>) {
        if self.batch_running.is_some() {
            return;
        }
        let Some((cutoff, ids)) = self.batch_jobs.pop_front() else {
            return;
        };
        let secs = self.s.batch_startup_s + ids.len() as f64 * self.s.batch_ms / 1000.0;
        self.batch_runs.push(BatchRun {
            cutoff,
            events: ids.len() as u64,
            start: ctx.now(),
            end: None,
        });
        self.batch_running = Some((ctx.now(), ids));
        self.last_cutoff_pending = Some(cutoff);
        ctx.after(
            SimTime::from_secs_f64(secs).max(SimTime(1)),
            Event::BatchDone,
        );
    }

    fn batch_finished(&mut self, ctx: &mut Ctx<'_, Event>) {
        let now = ctx.now();
        let Some((start, ids)) = self.batch_running.take() else {
            return;
        };
        self.batch_busy_s += now.saturating_sub(start).as_secs_f64();
        for id in ids {
            let t = self.txns[id as usize];
            self.batch_done += 1;
            if t.fraud {
                self.batch_detect
                    .push(now.saturating_sub(t.time).as_secs_f64());
            }
            for s in self.windows.shape.starts(t.time.as_micros()) {
                self.batch_windows
                    .entry(s)
                    .or_default()
                    .add(t.fraud, u64::from(t.amount));
            }
        }
        if let Some(run) = self.batch_runs.last_mut() {
            run.end = Some(now);
        }
        self.last_cutoff = self.last_cutoff_pending.take();
        self.run_next_batch(ctx);
        self.check_done(now);
    }

    fn check_done(&mut self, now: SimTime) {
        if self.done_at.is_none() && self.all_processed() {
            // End of input: every open window closes (Flink's final watermark).
            self.windows.advance(u64::MAX, now);
            self.done_at = Some(now);
            self.sample(now);
        }
    }

    pub fn freshness(&self, now: SimTime) -> (f64, f64) {
        let batch = now
            .saturating_sub(self.last_cutoff.unwrap_or(SimTime::ZERO))
            .as_secs_f64();
        let stream = if self.stream_done == 0 {
            now.as_secs_f64()
        } else {
            now.saturating_sub(self.newest_processed).as_secs_f64()
        };
        (batch, stream)
    }

    fn sample(&mut self, now: SimTime) {
        if self.s.time_mode == TimeMode::Processing {
            self.windows.advance(now.as_micros(), now);
        }
        let (b, st) = self.freshness(now);
        self.series.offer(
            now,
            &[b, st, self.queue.len() as f64, self.bucket.len() as f64],
        );
    }

    /// Stream events processed per second over the current sampling window.
    pub fn window_rate(&self, now: SimTime) -> f64 {
        let secs = now.saturating_sub(self.window_start).as_secs_f64();
        if secs > 0.0 {
            self.window_done as f64 / secs
        } else {
            0.0
        }
    }
}

impl Model for Pipelines {
    type Event = Event;
    fn start(&mut self, ctx: &mut Ctx<'_, Event>) {
        ctx.at(SimTime::ZERO, Event::Generate);
        ctx.at(SimTime::from_secs_f64(self.s.batch_s), Event::BatchStart);
        if self.s.micro_ms > 0.0 {
            ctx.at(
                SimTime::from_secs_f64(self.s.micro_ms / 1000.0),
                Event::MicroTick,
            );
        }
        ctx.at(SimTime::from_secs(1), Event::Sample);
        for (t, phase, kind) in self.s.faults.timeline() {
            ctx.at(t, Event::Fault(phase, kind));
        }
    }

    fn handle(&mut self, ev: Event, ctx: &mut Ctx<'_, Event>) {
        match ev {
            Event::Generate => self.generate(ctx),
            Event::Arrive(id) => self.arrive(id, ctx),
            Event::StreamDone { worker } => self.stream_done(worker as usize, ctx),
            Event::MicroTick => self.micro_tick(ctx),
            Event::BatchStart => self.batch_start(ctx),
            Event::BatchDone => self.batch_finished(ctx),
            Event::Sample => {
                let now = ctx.now();
                self.sample(now);
                self.window_done = 0;
                self.window_start = now;
                if self.done_at.is_none() {
                    ctx.after(SimTime::from_secs(1), Event::Sample);
                }
            }
            Event::Fault(phase, FaultKind::LoadSpike { factor }) => {
                self.spike = if phase == Phase::Begin { factor } else { 1.0 };
            }
            Event::Fault(..) => {}
        }
    }
}
