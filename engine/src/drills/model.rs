//! The drill pipeline: producers → queue → (validation) → transform workers → staging → loader →
//! warehouse. The first half *is* the message-queue lab's broker in queue mode (competing
//! consumers, visibility timeout, redrive after too many failed deliveries), run inside this
//! model through [`Ctx::sub`]; this module reads the broker's lifecycle log to decide what
//! happens to each record next, and adds the validator, staging, the loader (retries, back-off,
//! circuit breaker) and the warehouse. Every record ends in exactly one place, and each move is
//! written to an event log the reconciliation is recomputed from.

use super::record::{record_text, transform, validate, Damage, Reason, DAMAGES};
use super::scenario::{DrillScenario, Mitigation};
use crate::queue::broker::Event as QEvent;
use crate::queue::broker::{Broker, LifeKind};
use crate::queue::scenario::{Load, Mode, Overflow, QueueScenario, Service};
use crate::sim::fault::Phase;
use crate::sim::metrics::BusyTracker;
use crate::sim::monitor::MetricsHistory;
use crate::sim::{
    Ctx, FaultKind, FaultPlan, LatencyHistogram, Model, RngStreams, SimRng, SimTime, TimeSeries,
    TraceHash, Traceable,
};
use rand::RngExt;
use std::collections::VecDeque;

/// Failed deliveries before the queue gives up on a record.
pub const MAX_DELIVERIES: u32 = 5;
/// How long a delivered record stays invisible before the queue hands it out again.
pub const VISIBILITY_MS: f64 = 500.0;
/// Queue bound with and without the buffer mitigation.
pub const BIG_BUFFER: u32 = 50_000;
pub const SMALL_BUFFER: u32 = 2_000;
/// Retry back-off: first delay, cap.
pub const BACKOFF_FIRST_S: f64 = 0.5;
pub const BACKOFF_CAP_S: f64 = 30.0;
/// Circuit breaker: consecutive failures that open it, and how long it stays open.
pub const BREAKER_FAILURES: u32 = 3;
pub const BREAKER_OPEN_S: f64 = 15.0;
/// SLO windows.
pub const SLO_WINDOW: SimTime = SimTime(10_000_000);
/// Price of one worker-hour and of one warehouse call.
pub const USD_PER_WORKER_HOUR: f64 = 0.20;
pub const USD_PER_CALL: f64 = 0.000_05;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loss {
    /// The queue was full and dropped the newest record.
    QueueFull,
    /// The transform failed on it every time, and nothing kept it.
    Discarded,
    /// A warehouse write failed and nobody retried it.
    WriteFailed,
}

impl Loss {
    pub fn text(self) -> &'static str {
        match self {
            Loss::QueueFull => "queue full, record dropped",
            Loss::Discarded => "transform kept failing, record discarded",
            Loss::WriteFailed => "warehouse write failed, not retried",
        }
    }
}

/// Where a record is, or where it ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Fate {
    InFlight,
    Staged,
    Loaded,
    Quarantined(Reason),
    DeadLettered,
    Lost(Loss),
}

impl Fate {
    pub fn settled(&self) -> bool {
        !matches!(self, Fate::InFlight | Fate::Staged)
    }
}

#[derive(Clone, Debug)]
pub struct Rec {
    pub created: SimTime,
    pub damage: Option<Damage>,
    pub poison: bool,
    /// What the validator says about the record's text.
    pub verdict: Result<(), Reason>,
    pub fate: Fate,
}

/// One line of the drill's event log (`--events` writes these as JSON lines).
#[derive(Clone, Debug, PartialEq)]
pub struct DrillEvent {
    pub t: SimTime,
    pub kind: &'static str,
    pub record: u64,
    pub detail: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoaderState {
    Idle,
    Writing,
    Backoff,
    Open,
}

#[derive(Clone, Debug, Default)]
pub struct Counts {
    pub produced: u64,
    pub loaded: u64,
    pub quarantined: u64,
    pub dead_lettered: u64,
    pub lost: u64,
    /// Second deliveries of a record to staging, caught by its id.
    pub duplicates: u64,
    /// Wrong-typed records that reached the warehouse (no validation).
    pub bad_rows: u64,
    pub calls: u64,
    pub failed_calls: u64,
    pub retries: u64,
    pub breaker_opens: u64,
}

#[derive(Clone, Debug, serde::Serialize)]
pub enum Event {
    #[serde(rename = "Queue")]
    Q(QEvent),
    WriteDone,
    Retry,
    HalfOpen,
    Fault(Phase, FaultKind),
    Sample,
}

impl Traceable for Event {
    fn trace(&self, h: &mut TraceHash) {
        match self {
            Event::Q(e) => {
                h.word(100);
                e.trace(h);
            }
            Event::WriteDone => h.word(101),
            Event::Retry => h.word(102),
            Event::HalfOpen => h.word(103),
            Event::Fault(p, k) => {
                h.word(if *p == Phase::Begin { 104 } else { 105 });
                k.trace(h);
            }
            Event::Sample => h.word(106),
        }
    }
}

/// Faults that belong to the broker (workers and load), renamed to its consumer names.
fn broker_faults(plan: &FaultPlan) -> FaultPlan {
    let rename = |t: &str| t.replace("worker-", "consumer-");
    FaultPlan::new(
        plan.faults
            .iter()
            .filter_map(|f| {
                let kind = match &f.kind {
                    FaultKind::Crash { target } => FaultKind::Crash {
                        target: rename(target),
                    },
                    FaultKind::Restart { target } => FaultKind::Restart {
                        target: rename(target),
                    },
                    FaultKind::Slow { target, factor } => FaultKind::Slow {
                        target: rename(target),
                        factor: *factor,
                    },
                    FaultKind::LoadSpike { factor } => FaultKind::LoadSpike { factor: *factor },
                    _ => return None,
                };
                Some(crate::sim::Fault { kind, ..f.clone() })
            })
            .collect(),
    )
}

pub fn queue_scenario(s: &DrillScenario) -> QueueScenario {
    let m = s.mitigations;
    QueueScenario {
        seed: s.seed,
        mode: Mode::Queue,
        partitions: 1,
        producers: 1,
        rate: s.rate,
        load: Load::Poisson,
        keys: 0,
        key_skew: 0.0,
        msg_bytes: 200,
        consumers: s.workers + if m.has(Mitigation::Replicas) { 2 } else { 0 },
        service_ms: s.service_ms,
        service: Service::Exponential,
        poison_rate: 0.0,
        max_deliveries: MAX_DELIVERIES,
        duration_s: s.duration_s,
        visibility_ms: VISIBILITY_MS,
        buffer: if m.has(Mitigation::Buffer) {
            BIG_BUFFER
        } else {
            SMALL_BUFFER
        },
        overflow: if m.has(Mitigation::Buffer) {
            Overflow::Block
        } else {
            Overflow::DropNewest
        },
        faults: broker_faults(&s.faults),
        ..QueueScenario::default()
    }
}

#[derive(Clone)]
pub struct DrillModel {
    pub scenario: DrillScenario,
    pub broker: Broker,
    seen: usize,
    pub recs: Vec<Rec>,
    pub staging: VecDeque<u64>,
    pub batch: Vec<u64>,
    pub loader: LoaderState,
    pub failures_in_row: u32,
    pub loader_busy: BusyTracker,
    pub warehouse_up: bool,
    corrupt_p: f64,
    poison_p: f64,
    damage_rng: SimRng,
    jitter: SimRng,
    pub log: Vec<DrillEvent>,
    pub counts: Counts,
    pub latency: LatencyHistogram,
    window: LatencyHistogram,
    window_loaded: u64,
    lost_at_window_start: u64,
    /// SLO verdict of each finished 10-s window.
    pub windows: Vec<bool>,
    oldest: usize,
    pub series: TimeSeries,
    pub history: MetricsHistory,
    pub done_at: Option<SimTime>,
    give_up: SimTime,
    pub last_fault_end: Option<SimTime>,
    /// Per 10-s window: (loaded, worker busy area, loader busy area) at its end, for the ramp.
    pub marks: Vec<(u64, u128, u128)>,
}

impl DrillModel {
    pub fn new(s: &DrillScenario) -> Self {
        let streams = RngStreams::new(s.seed);
        let last_fault_end = s
            .faults
            .faults
            .iter()
            .map(|f| f.at + f.duration.unwrap_or(SimTime::ZERO))
            .max();
        DrillModel {
            scenario: s.clone(),
            broker: Broker::new(&queue_scenario(s), true),
            seen: 0,
            recs: Vec::new(),
            staging: VecDeque::new(),
            batch: Vec::new(),
            loader: LoaderState::Idle,
            failures_in_row: 0,
            loader_busy: BusyTracker::new(1),
            warehouse_up: true,
            corrupt_p: 0.0,
            poison_p: 0.0,
            damage_rng: streams.stream("damage"),
            jitter: streams.stream("jitter"),
            log: Vec::new(),
            counts: Counts::default(),
            latency: LatencyHistogram::new(),
            window: LatencyHistogram::new(),
            window_loaded: 0,
            lost_at_window_start: 0,
            windows: Vec::new(),
            oldest: 0,
            series: TimeSeries::new(
                &["loaded/s", "in flight", "in staging", "p95 s"],
                SimTime::from_secs(1),
                1024,
            ),
            history: MetricsHistory::new(SimTime::from_secs(1), 240),
            done_at: None,
            give_up: SimTime::from_secs_f64(s.duration_s + 1_800.0),
            last_fault_end,
            marks: Vec::new(),
        }
    }

    fn on(&self, m: Mitigation) -> bool {
        self.scenario.mitigations.has(m)
    }

    fn note(&mut self, t: SimTime, kind: &'static str, record: u64, detail: String) {
        self.log.push(DrillEvent {
            t,
            kind,
            record,
            detail,
        });
    }

    fn settle(&mut self, t: SimTime, id: u64, fate: Fate) {
        let (kind, detail) = match &fate {
            Fate::Loaded => {
                self.counts.loaded += 1;
                let lat = t.saturating_sub(self.recs[id as usize].created);
                self.latency.record(lat);
                self.window.record(lat);
                self.window_loaded += 1;
                if self.recs[id as usize].damage.is_some() {
                    self.counts.bad_rows += 1;
                }
                ("loaded", String::new())
            }
            Fate::Quarantined(r) => {
                self.counts.quarantined += 1;
                ("quarantined", r.to_string())
            }
            Fate::DeadLettered => {
                self.counts.dead_lettered += 1;
                ("dead_lettered", String::new())
            }
            Fate::Lost(l) => {
                self.counts.lost += 1;
                ("lost", l.text().to_string())
            }
            Fate::InFlight | Fate::Staged => return,
        };
        self.recs[id as usize].fate = fate;
        self.note(t, kind, id, detail);
    }

    /// Reacts to what the broker did: new records, drops, acknowledgements, redrives.
    fn follow_broker(&mut self, ctx: &mut Ctx<'_, Event>) {
        let quarantine = self.on(Mitigation::Quarantine);
        let dlq = self.on(Mitigation::Dlq);
        while let Some(ev) = self
            .broker
            .record
            .as_ref()
            .and_then(|r| r.get(self.seen))
            .cloned()
        {
            self.seen += 1;
            let id = ev.msg;
            match ev.kind {
                LifeKind::Produced => {
                    let damage = (self.corrupt_p > 0.0
                        && self.damage_rng.random::<f64>() < self.corrupt_p)
                        .then(|| DAMAGES[self.damage_rng.random_range(0..DAMAGES.len())]);
                    let poison =
                        self.poison_p > 0.0 && self.damage_rng.random::<f64>() < self.poison_p;
                    let text = record_text(id, damage);
                    let verdict = validate(&text);
                    // With a validator, a record that fails the schema is consumed and set
                    // aside; without one, the transform either chokes on it or lets it through.
                    let fails =
                        poison || (verdict.is_err() && !quarantine && transform(&text).is_err());
                    if let Some(m) = self.broker.msgs.get_mut(id as usize) {
                        m.poison = fails;
                    }
                    self.recs.push(Rec {
                        created: ev.t,
                        damage,
                        poison,
                        verdict,
                        fate: Fate::InFlight,
                    });
                    self.counts.produced += 1;
                    let detail = match (damage, poison) {
                        (Some(d), _) => format!("{d:?}"),
                        (None, true) => "poison".into(),
                        _ => String::new(),
                    };
                    self.note(ev.t, "produced", id, detail);
                }
                LifeKind::Dropped => self.settle(ev.t, id, Fate::Lost(Loss::QueueFull)),
                LifeKind::Acked => {
                    let r = &self.recs[id as usize];
                    if r.fate != Fate::InFlight {
                        self.counts.duplicates += 1;
                        self.note(ev.t, "duplicate", id, String::new());
                    } else if let (true, Err(reason)) = (quarantine, r.verdict.clone()) {
                        self.settle(ev.t, id, Fate::Quarantined(reason));
                    } else {
                        self.recs[id as usize].fate = Fate::Staged;
                        self.staging.push_back(id);
                        self.note(ev.t, "staged", id, String::new());
                    }
                }
                LifeKind::DeadLettered => {
                    let fate = if dlq {
                        Fate::DeadLettered
                    } else if quarantine {
                        Fate::Quarantined(Reason::TransformFailed)
                    } else {
                        Fate::Lost(Loss::Discarded)
                    };
                    self.settle(ev.t, id, fate);
                }
                _ => {}
            }
        }
        self.kick(ctx);
    }

    /// Starts a warehouse write if the loader is free and records are waiting.
    fn kick(&mut self, ctx: &mut Ctx<'_, Event>) {
        if self.loader != LoaderState::Idle || self.staging.is_empty() {
            return;
        }
        let n = (self.scenario.batch as usize).min(self.staging.len());
        self.batch = self.staging.iter().take(n).copied().collect();
        self.loader = LoaderState::Writing;
        self.counts.calls += 1;
        self.loader_busy.set_busy(ctx.now(), 1);
        ctx.after(
            SimTime::from_secs_f64(self.scenario.write_ms / 1000.0),
            Event::WriteDone,
        );
    }

    fn write_done(&mut self, ctx: &mut Ctx<'_, Event>) {
        let now = ctx.now();
        self.loader_busy.set_busy(now, 0);
        let batch = std::mem::take(&mut self.batch);
        self.loader = LoaderState::Idle;
        if self.warehouse_up {
            self.failures_in_row = 0;
            for id in batch {
                self.staging.pop_front();
                self.settle(now, id, Fate::Loaded);
            }
            self.kick(ctx);
            return;
        }
        self.counts.failed_calls += 1;
        self.failures_in_row += 1;
        let first = batch.first().copied().unwrap_or(0);
        self.note(
            now,
            "write_failed",
            first,
            format!("{} records", batch.len()),
        );
        if self.on(Mitigation::Breaker) && self.failures_in_row >= BREAKER_FAILURES {
            self.loader = LoaderState::Open;
            self.counts.breaker_opens += 1;
            self.note(now, "breaker_open", first, String::new());
            ctx.after(SimTime::from_secs_f64(BREAKER_OPEN_S), Event::HalfOpen);
        } else if self.on(Mitigation::Retries) {
            let exp = (self.failures_in_row - 1).min(16) as i32;
            let base = (BACKOFF_FIRST_S * 2f64.powi(exp)).min(BACKOFF_CAP_S);
            let delay = base * self.jitter.random_range(0.5..1.5);
            self.loader = LoaderState::Backoff;
            self.counts.retries += 1;
            self.note(now, "retry", first, format!("in {delay:.2} s"));
            ctx.after(SimTime::from_secs_f64(delay), Event::Retry);
        } else {
            for id in batch {
                self.staging.pop_front();
                self.settle(now, id, Fate::Lost(Loss::WriteFailed));
            }
            self.kick(ctx);
        }
    }

    fn fault(&mut self, phase: Phase, kind: FaultKind, ctx: &mut Ctx<'_, Event>) {
        let on = phase == Phase::Begin;
        match kind {
            FaultKind::CutLink { .. } => self.warehouse_up = !on,
            FaultKind::Corrupt { p } => self.corrupt_p = if on { p } else { 0.0 },
            FaultKind::Poison { p } => self.poison_p = if on { p } else { 0.0 },
            _ => {}
        }
        self.note(
            ctx.now(),
            if on { "fault_begin" } else { "fault_end" },
            0,
            String::new(),
        );
    }

    fn all_settled(&mut self) -> bool {
        while self.oldest < self.recs.len() && self.recs[self.oldest].fate.settled() {
            self.oldest += 1;
        }
        self.oldest >= self.recs.len()
    }

    /// Age of the oldest record still on its way.
    pub fn oldest_age(&self, now: SimTime) -> SimTime {
        self.recs[self.oldest.min(self.recs.len())..]
            .iter()
            .find(|r| !r.fate.settled())
            .map_or(SimTime::ZERO, |r| now.saturating_sub(r.created))
    }

    pub fn in_flight(&self) -> u64 {
        self.counts.produced
            - self.counts.loaded
            - self.counts.quarantined
            - self.counts.dead_lettered
            - self.counts.lost
    }

    pub fn worker_busy_area(&self, now: SimTime) -> u128 {
        self.broker.busy.area(now)
    }

    fn sample(&mut self, ctx: &mut Ctx<'_, Event>) {
        let now = ctx.now();
        self.all_settled();
        let us = now.as_micros();
        if us > 0 && us.is_multiple_of(SLO_WINDOW.as_micros()) {
            let p95 = self.window.quantile(0.95);
            let slo = SimTime::from_secs_f64(self.scenario.slo_s);
            // A lost record never arrives: a window that lost any is late by definition.
            let lost_now = self.counts.lost > self.lost_at_window_start;
            self.lost_at_window_start = self.counts.lost;
            self.windows
                .push(p95 > slo || self.oldest_age(now) > slo || lost_now);
            self.window.reset();
            self.marks.push((
                self.counts.loaded,
                self.worker_busy_area(now),
                self.loader_busy.area(now),
            ));
        }
        let row = [
            self.window_loaded as f64,
            self.in_flight() as f64,
            self.staging.len() as f64,
            self.window.quantile(0.95).as_secs_f64(),
        ];
        self.window_loaded = 0;
        self.series.offer(now, &row);
        let m = super::world::metrics_of(self, now);
        self.history.offer(m);
    }

    fn check_done(&mut self, now: SimTime) {
        if self.done_at.is_some() {
            return;
        }
        let quiet = self.broker.done && self.staging.is_empty() && self.loader == LoaderState::Idle;
        if (quiet && self.all_settled()) || now >= self.give_up {
            self.done_at = Some(now);
        }
    }
}

impl Model for DrillModel {
    type Event = Event;
    fn start(&mut self, ctx: &mut Ctx<'_, Event>) {
        let b = &mut self.broker;
        ctx.sub(Event::Q, |c| b.start(c));
        for (t, phase, kind) in self.scenario.faults.timeline() {
            if matches!(
                kind,
                FaultKind::CutLink { .. } | FaultKind::Corrupt { .. } | FaultKind::Poison { .. }
            ) {
                ctx.at(t, Event::Fault(phase, kind));
            }
        }
        ctx.after(SimTime::from_secs(1), Event::Sample);
        self.follow_broker(ctx);
    }

    fn handle(&mut self, ev: Event, ctx: &mut Ctx<'_, Event>) {
        if self.done_at.is_some() {
            return;
        }
        match ev {
            Event::Q(e) => {
                let b = &mut self.broker;
                ctx.sub(Event::Q, |c| b.handle(e, c));
                self.follow_broker(ctx);
            }
            Event::WriteDone => self.write_done(ctx),
            Event::Retry | Event::HalfOpen => {
                self.loader = LoaderState::Idle;
                self.kick(ctx);
            }
            Event::Fault(phase, kind) => self.fault(phase, kind, ctx),
            Event::Sample => {
                self.sample(ctx);
                ctx.after(SimTime::from_secs(1), Event::Sample);
            }
        }
        self.check_done(ctx.now());
        if self.done_at.is_some() {
            self.sample(ctx);
        }
    }
}
