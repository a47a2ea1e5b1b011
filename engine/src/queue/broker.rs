//! The broker model: producers, the broker (a partitioned log or a single queue), consumer
//! groups and the fault plan, as one event-driven [`Model`]. Log-mode group mechanics live in
//! `log.rs`, queue-mode delivery in `competing.rs`; this file holds the shared state, the
//! producers, consumers' processing and the bookkeeping that proves nothing is lost.

use super::partitioner::kafka_partition;
use super::scenario::{Load, Mode, QueueScenario, Service};
use crate::sim::chunked::ChunkedVec;
use crate::sim::fault::Phase;
use crate::sim::metrics::{BusyTracker, Window};
use crate::sim::rng::exp_sample;
use crate::sim::{Ctx, FaultKind, LatencyHistogram, Model, RngStreams, SimTime, TimeSeries};
use rand::RngExt;
use rand_distr::{Distribution, Zipf};
use std::collections::VecDeque;

/// A message with no key.
pub const NO_KEY: u32 = u32::MAX;
/// How often the charts sample and the metrics window restarts.
pub const SAMPLE_EVERY: SimTime = SimTime(500_000);
/// How long a group pauses consuming while it reassigns partitions (eager rebalance).
pub const REBALANCE_PAUSE: SimTime = SimTime(300_000);
/// Partitions whose lag is charted.
pub const LAG_COLUMNS: [&str; 16] = [
    "p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "p10", "p11", "p12", "p13", "p14",
    "p15",
];

pub(super) use super::state::Producer;
pub use super::state::{
    Consumer, Counters, Event, Group, LifeEvent, LifeKind, MsgInfo, MsgState, Work,
};

/// The whole machine: producers, broker, groups and consumers.
#[derive(Clone)]
pub struct Broker {
    pub scenario: QueueScenario,
    /// Every message produced, by id (chunked so a time-travel copy shares the settled ones).
    pub msgs: ChunkedVec<MsgInfo>,
    /// Log mode: message ids per partition, by offset.
    pub logs: Vec<ChunkedVec<u64>>,
    /// Log mode: the first offset still kept, per partition (retention deletes below it).
    pub log_start: Vec<u64>,
    pub groups: Vec<Group>,
    pub consumers: Vec<Consumer>,
    pub(super) producers: Vec<Producer>,
    /// Queue mode: messages ready to hand out (may hold stale ids; `ready_live` counts real ones).
    pub(super) ready: VecDeque<u64>,
    pub ready_live: u64,
    /// Queue mode: messages handed out and not yet settled.
    pub unacked: u64,
    pub(super) blocked: VecDeque<u16>,
    pub counters: Counters,
    pub dlq: Vec<u64>,
    pub max_backlog: u64,
    pub latency: LatencyHistogram,
    pub(super) window: Window,
    pub busy: BusyTracker,
    pub series: TimeSeries,
    pub lag_series: TimeSeries,
    pub record: Option<Vec<LifeEvent>>,
    pub spike: f64,
    pub production_end: SimTime,
    /// Last moment anything can still happen on its own; ticking stops after it.
    pub(super) give_up: SimTime,
    pub done: bool,
    pub last_settled: SimTime,
    pub(super) ticking: bool,
    window_produced: u64,
    key_partition: Vec<u16>,
    zipf: Option<Zipf<f64>>,
    round_robin: u64,
    streams: RngStreams,
}

impl Broker {
    /// Builds the broker for a validated scenario; `record` keeps every lifecycle event.
    pub fn new(s: &QueueScenario, record: bool) -> Self {
        let streams = RngStreams::new(s.seed);
        let partitions = match s.mode {
            Mode::Log => s.partitions as usize,
            Mode::Queue => 1,
        };
        let key_partition = (0..s.keys)
            .map(|k| kafka_partition(key_name(k).as_bytes(), partitions as u32) as u16)
            .collect();
        let zipf = (s.keys > 0 && s.key_skew > 0.0)
            .then(|| Zipf::new(f64::from(s.keys), s.key_skew).ok())
            .flatten();
        let producers = (0..s.producers)
            .map(|i| Producer {
                rng: streams.indexed("producer", u64::from(i)),
                keys: streams.indexed("keys", u64::from(i)),
                poison: streams.indexed("poison", u64::from(i)),
                blocked: None,
                done: false,
            })
            .collect();
        let production_end = SimTime::from_secs_f64(s.duration_s);
        let drain = SimTime::from_secs_f64((s.duration_s * 10.0).max(600.0));
        let mut b = Broker {
            scenario: s.clone(),
            msgs: ChunkedVec::new(),
            logs: vec![ChunkedVec::new(); partitions],
            log_start: vec![0; partitions],
            groups: Vec::new(),
            consumers: Vec::new(),
            producers,
            ready: VecDeque::new(),
            ready_live: 0,
            unacked: 0,
            blocked: VecDeque::new(),
            counters: Counters::default(),
            dlq: Vec::new(),
            max_backlog: 0,
            latency: LatencyHistogram::new(),
            window: Window::default(),
            busy: BusyTracker::new(u64::from(s.consumers.max(1))),
            series: TimeSeries::new(
                &["produced/s", "acked/s", "backlog", "p95 ms"],
                SAMPLE_EVERY,
                2048,
            ),
            lag_series: TimeSeries::new(
                &LAG_COLUMNS[..partitions.min(LAG_COLUMNS.len())],
                SAMPLE_EVERY,
                1024,
            ),
            record: record.then(Vec::new),
            spike: 1.0,
            production_end,
            give_up: production_end + drain,
            done: false,
            last_settled: SimTime::ZERO,
            ticking: false,
            window_produced: 0,
            key_partition,
            zipf,
            round_robin: 0,
            streams,
        };
        b.add_group("workers");
        for _ in 0..s.consumers {
            b.new_consumer(0);
        }
        if s.monitor && s.mode == Mode::Log {
            b.add_group("monitoring");
            b.new_consumer(1);
        }
        b
    }

    pub fn mode(&self) -> Mode {
        self.scenario.mode
    }

    fn add_group(&mut self, name: &'static str) {
        let p = self.logs.len();
        // A new group starts at the oldest message still kept (`auto.offset.reset=earliest`).
        let start = self.log_start.clone();
        self.groups.push(Group {
            name,
            members: Vec::new(),
            owner: vec![None; p],
            committed: start.clone(),
            consumed: start.clone(),
            position: start,
            rebalancing: false,
            generation: 0,
            rebalances: 0,
            delivered: 0,
            acked: 0,
            dead_lettered: 0,
        });
    }

    /// Creates a consumer in `group`; it is a member at once (the caller rebalances if live).
    pub(super) fn new_consumer(&mut self, group: usize) -> usize {
        let idx = self.consumers.len();
        let n = self.groups[group].members.len() + 1;
        let name = if group == 0 {
            format!("consumer-{n}")
        } else {
            format!("monitor-{n}")
        };
        self.consumers.push(Consumer {
            name,
            group,
            up: true,
            joined: true,
            slow: 1.0,
            work: None,
            assigned: Vec::new(),
            processed: 0,
            failures: 0,
            rr: 0,
            epoch: 0,
            rng: self.streams.indexed("consumer", idx as u64),
        });
        self.groups[group].members.push(idx);
        idx
    }

    /// The primary group's consumer called `name`.
    pub fn consumer_by_name(&self, name: &str) -> Option<usize> {
        self.consumers
            .iter()
            .position(|c| c.group == 0 && c.name == name)
    }

    pub(super) fn note(&mut self, ev: LifeEvent) {
        if let Some(r) = &mut self.record {
            r.push(ev);
        }
    }

    pub(super) fn life(&mut self, t: SimTime, kind: LifeKind, msg: u64, consumer: Option<u16>) {
        if self.record.is_some() {
            let m = &self.msgs[msg as usize];
            let ev = LifeEvent {
                t,
                kind,
                msg,
                partition: m.partition,
                offset: m.offset,
                consumer,
            };
            self.note(ev);
        }
    }

    fn rate_now(&self) -> f64 {
        self.scenario.rate * self.spike
    }

    /// When producer `p` sends its next message after `now`, if before production ends.
    fn next_send(&mut self, p: usize, now: SimTime) -> Option<SimTime> {
        let rate = self.rate_now();
        let load = self.scenario.load;
        let rng = &mut self.producers[p].rng;
        let gap = match load {
            Load::Constant => 1.0 / rate,
            Load::Poisson => exp_sample(rng, 1.0 / rate),
            Load::Bursty => exp_sample(rng, 1.0 / (rate * 4.0)),
        };
        let mut t = now + SimTime::from_secs_f64(gap).max(SimTime(1));
        if load == Load::Bursty {
            // On for the first 2 s of each 8 s cycle.
            let cycle = 8_000_000u64;
            let phase = t.as_micros() % cycle;
            if phase >= 2_000_000 {
                t = SimTime(t.as_micros() - phase + cycle);
            }
        }
        (t < self.production_end).then_some(t)
    }

    pub(super) fn schedule_send(&mut self, p: usize, ctx: &mut Ctx<'_, Event>) {
        match self.next_send(p, ctx.now()) {
            Some(t) => ctx.at(t, Event::Produce(p as u16)),
            None => self.producers[p].done = true,
        }
    }

    fn produce(&mut self, p: usize, ctx: &mut Ctx<'_, Event>) {
        let now = ctx.now();
        let s = &self.scenario;
        let (keys, skew_ok, poison_rate) = (s.keys, self.zipf.is_some(), s.poison_rate);
        let key = if keys == 0 {
            NO_KEY
        } else if skew_ok {
            let z = self
                .zipf
                .as_ref()
                .map_or(1.0, |z| z.sample(&mut self.producers[p].keys));
            (z as u32).clamp(1, keys) - 1
        } else {
            self.producers[p].keys.random_range(0..keys)
        };
        let poison = poison_rate > 0.0 && self.producers[p].poison.random::<f64>() < poison_rate;
        let partition = match self.mode() {
            Mode::Queue => 0,
            Mode::Log if key == NO_KEY => {
                self.round_robin += 1;
                ((self.round_robin - 1) % self.logs.len() as u64) as u16
            }
            Mode::Log => self.key_partition[key as usize],
        };
        let id = self.msgs.len() as u64;
        self.msgs.push(MsgInfo {
            created: now,
            key,
            producer: p as u16,
            partition,
            offset: 0,
            poison,
            deliveries: 0,
            state: MsgState::Waiting,
        });
        self.counters.produced += 1;
        let admitted = match self.mode() {
            Mode::Log => {
                self.append(id, ctx);
                true
            }
            Mode::Queue => self.offer(id, p, ctx),
        };
        self.track_backlog();
        if admitted {
            self.schedule_send(p, ctx);
        }
    }

    pub(super) fn track_backlog(&mut self) {
        self.max_backlog = self.max_backlog.max(self.counters.in_flight());
    }

    /// Draws how long `c` takes for one message.
    pub(super) fn service_time(&mut self, c: usize) -> SimTime {
        let mean_s = self.scenario.service_ms / 1000.0 * self.consumers[c].slow;
        let s = match self.scenario.service {
            Service::Exponential => exp_sample(&mut self.consumers[c].rng, mean_s),
            Service::Constant => mean_s,
        };
        SimTime::from_secs_f64(s).max(SimTime(1))
    }

    /// Hands `msg` to consumer `c` and schedules the end of its processing.
    pub(super) fn start_work(&mut self, c: usize, mut work: Work, ctx: &mut Ctx<'_, Event>) {
        let now = ctx.now();
        let primary = self.consumers[c].group == 0;
        self.groups[self.consumers[c].group].delivered += 1;
        if primary {
            let m = &mut self.msgs[work.msg as usize];
            m.deliveries = m.deliveries.saturating_add(1);
            work.delivery = m.deliveries;
            if !m.state.settled() {
                m.state = MsgState::InFlight;
            }
            self.counters.delivered += 1;
            if m.deliveries > 1 {
                self.counters.redelivered += 1;
            }
            self.life(now, LifeKind::Delivered, work.msg, Some(c as u16));
        }
        work.started = now;
        let d = self.service_time(c);
        let consumer = &mut self.consumers[c];
        consumer.work = Some(work);
        ctx.after(
            d,
            Event::Done {
                consumer: c as u16,
                epoch: consumer.epoch,
            },
        );
        self.update_busy(now);
    }

    pub(super) fn update_busy(&mut self, now: SimTime) {
        let (mut busy, mut up) = (0u64, 0u64);
        for c in self.consumers.iter().filter(|c| c.group == 0) {
            if c.up && c.joined {
                up += 1;
            }
            if c.work.is_some() {
                busy += 1;
            }
        }
        self.busy.set_capacity(now, up);
        self.busy.set_busy(now, busy);
    }

    /// Records the primary group's first acknowledgement of `msg`; returns false for a duplicate.
    pub(super) fn ack(&mut self, msg: u64, c: usize, now: SimTime) -> bool {
        let m = &mut self.msgs[msg as usize];
        let prev = m.state;
        if prev == MsgState::Acked || prev == MsgState::DeadLettered {
            self.counters.duplicates += 1;
            self.life(now, LifeKind::Acked, msg, Some(c as u16));
            return false;
        }
        m.state = MsgState::Acked;
        let latency = now.saturating_sub(m.created);
        self.counters.acked += 1;
        self.latency.record(latency);
        self.window.latency.record(latency);
        self.window.completed += 1;
        self.last_settled = now;
        self.life(now, LifeKind::Acked, msg, Some(c as u16));
        true
    }

    pub(super) fn dead_letter(&mut self, msg: u64, c: Option<u16>, now: SimTime) {
        let m = &mut self.msgs[msg as usize];
        if m.state.settled() {
            return;
        }
        m.state = MsgState::DeadLettered;
        self.counters.dead_lettered += 1;
        self.window.failed += 1;
        self.dlq.push(msg);
        self.last_settled = now;
        self.life(now, LifeKind::DeadLettered, msg, c);
    }

    pub(super) fn drop_msg(&mut self, msg: u64, now: SimTime, expired: bool) {
        self.msgs[msg as usize].state = MsgState::Dropped;
        self.counters.dropped += 1;
        if expired {
            self.counters.expired += 1;
        }
        self.last_settled = now;
        self.life(now, LifeKind::Dropped, msg, None);
    }

    /// Processing of `c`'s current message ended.
    fn done(&mut self, c: usize, epoch: u32, ctx: &mut Ctx<'_, Event>) {
        let consumer = &mut self.consumers[c];
        if consumer.epoch != epoch || !consumer.up {
            return; // the consumer crashed or left meanwhile: this result never happened
        }
        let Some(work) = consumer.work.take() else {
            return;
        };
        let failed = self.msgs[work.msg as usize].poison;
        if failed {
            self.consumers[c].failures += 1;
        } else {
            self.consumers[c].processed += 1;
        }
        match self.mode() {
            Mode::Log => self.log_done(c, work, failed, ctx),
            Mode::Queue => self.queue_done(c, work, failed, ctx),
        }
        self.update_busy(ctx.now());
        self.check_done(ctx.now());
    }

    fn crash(&mut self, c: usize, ctx: &mut Ctx<'_, Event>) {
        if !self.consumers[c].up {
            return;
        }
        let consumer = &mut self.consumers[c];
        consumer.up = false;
        consumer.epoch += 1;
        let work = consumer.work.take();
        match self.mode() {
            Mode::Log => {
                // The message it held waits for whoever owns the partition next.
                if let Some(w) = work {
                    let m = &mut self.msgs[w.msg as usize];
                    if self.consumers[c].group == 0 && m.state == MsgState::InFlight {
                        m.state = MsgState::Stored;
                    }
                }
                self.log_crash(c, ctx);
            }
            // The message stays invisible until its visibility timeout, then comes back.
            Mode::Queue => {}
        }
        self.update_busy(ctx.now());
    }

    fn restart(&mut self, c: usize, ctx: &mut Ctx<'_, Event>) {
        if self.consumers[c].up {
            return;
        }
        self.consumers[c].up = true;
        self.consumers[c].slow = 1.0;
        match self.mode() {
            Mode::Log => self.log_join(c, ctx),
            Mode::Queue => {
                self.consumers[c].joined = true;
                self.poll(c, ctx);
            }
        }
        self.update_busy(ctx.now());
        self.ensure_ticking(ctx);
    }

    /// A consumer of the primary group leaves cleanly (scale in).
    fn remove_consumer(&mut self, ctx: &mut Ctx<'_, Event>) {
        let Some(c) = (0..self.consumers.len()).rev().find(|&i| {
            self.consumers[i].group == 0 && self.consumers[i].up && self.consumers[i].joined
        }) else {
            return;
        };
        match self.mode() {
            Mode::Log => self.log_leave(c, ctx),
            Mode::Queue => self.queue_leave(c, ctx),
        }
        self.update_busy(ctx.now());
    }

    fn add_consumer(&mut self, group: usize, ctx: &mut Ctx<'_, Event>) {
        let count = self.consumers.iter().filter(|c| c.group == group).count();
        if count >= super::scenario::MAX_CONSUMERS as usize {
            return;
        }
        let c = self.new_consumer(group);
        match self.mode() {
            Mode::Log => {
                self.consumers[c].joined = false;
                self.groups[group].members.retain(|&m| m != c);
                self.log_join(c, ctx);
            }
            Mode::Queue => self.poll(c, ctx),
        }
        self.update_busy(ctx.now());
        self.ensure_ticking(ctx);
    }

    /// Asks consumer `c` to fetch work if it can.
    pub(super) fn poll(&mut self, c: usize, ctx: &mut Ctx<'_, Event>) {
        let consumer = &self.consumers[c];
        if !consumer.up || !consumer.joined || consumer.work.is_some() {
            return;
        }
        match self.mode() {
            Mode::Log => self.log_poll(c, ctx),
            Mode::Queue => self.queue_poll(c, ctx),
        }
    }

    fn fault(&mut self, phase: Phase, kind: FaultKind, ctx: &mut Ctx<'_, Event>) {
        let target = |t: &str| self.consumer_by_name(t);
        match (kind, phase) {
            (FaultKind::Crash { target: t }, Phase::Begin) => {
                if let Some(c) = target(&t) {
                    self.crash(c, ctx);
                }
            }
            (FaultKind::Crash { target: t }, Phase::End)
            | (FaultKind::Restart { target: t }, Phase::Begin) => {
                if let Some(c) = target(&t) {
                    self.restart(c, ctx);
                }
            }
            (FaultKind::Slow { target: t, factor }, p) => {
                if let Some(c) = target(&t) {
                    self.consumers[c].slow = if p == Phase::Begin { factor } else { 1.0 };
                }
            }
            (FaultKind::LoadSpike { factor }, p) => {
                self.spike = if p == Phase::Begin { factor } else { 1.0 };
            }
            // Links, drops and corruption are the reliability lab's business.
            _ => {}
        }
    }

    /// True while the primary group still has work that could finish.
    fn outstanding(&self) -> bool {
        let producing = self
            .producers
            .iter()
            .any(|p| !p.done || p.blocked.is_some());
        let others = self
            .groups
            .iter()
            .skip(1)
            .any(|g| (0..self.logs.len()).any(|p| g.consumed[p] < self.logs[p].len() as u64));
        producing || self.counters.in_flight() > 0 || others
    }

    pub(super) fn check_done(&mut self, now: SimTime) {
        let _ = now;
        if !self.done && !self.outstanding() {
            self.done = true;
        }
    }

    pub(super) fn ensure_ticking(&mut self, ctx: &mut Ctx<'_, Event>) {
        if self.done && self.outstanding() {
            self.done = false;
        }
        if !self.ticking && !self.done {
            self.ticking = true;
            self.give_up = self.give_up.max(ctx.now() + SimTime::from_secs(600));
            ctx.after(SAMPLE_EVERY, Event::Sample);
            if self.mode() == Mode::Log && self.scenario.commit_ms > 0.0 {
                ctx.after(
                    SimTime::from_secs_f64(self.scenario.commit_ms / 1000.0),
                    Event::Commit,
                );
            }
        }
    }

    fn sample(&mut self, ctx: &mut Ctx<'_, Event>) {
        let now = ctx.now();
        if self.mode() == Mode::Log && self.scenario.retention_s > 0.0 {
            self.expire(now, ctx);
        }
        let secs = now
            .saturating_sub(self.window.start)
            .as_secs_f64()
            .max(1e-9);
        let produced_rate = (self.counters.produced - self.window_produced) as f64 / secs;
        self.window_produced = self.counters.produced;
        let row = [
            produced_rate,
            self.window.rate(now),
            self.counters.in_flight() as f64,
            self.window.latency.quantile(0.95).as_millis_f64(),
        ];
        self.series.offer(now, &row);
        let lags: Vec<f64> = (0..self.logs.len().min(LAG_COLUMNS.len()))
            .map(|p| self.lag(0, p) as f64)
            .collect();
        self.lag_series.offer(now, &lags);
        self.window.restart(now, self.busy.area(now));
        self.check_done(now);
        if !self.done && now < self.give_up {
            ctx.after(SAMPLE_EVERY, Event::Sample);
        } else {
            self.ticking = false;
        }
    }

    /// Messages of partition `p` the group has not committed yet (Kafka's consumer lag); in
    /// queue mode, the messages waiting plus those handed out.
    pub fn lag(&self, group: usize, p: usize) -> u64 {
        match self.mode() {
            Mode::Log => {
                (self.logs[p].len() as u64).saturating_sub(self.groups[group].committed[p])
            }
            Mode::Queue => self.ready_live + self.unacked,
        }
    }
}

/// The text of key number `k` (what producers send and partitioners hash).
pub fn key_name(k: u32) -> String {
    format!("user-{k}")
}

impl Model for Broker {
    type Event = Event;

    fn start(&mut self, ctx: &mut Ctx<'_, Event>) {
        for p in 0..self.producers.len() {
            // Producers start at a random phase so constant-rate ones do not fire in lockstep.
            let rate = self.rate_now();
            let first = self.producers[p].rng.random::<f64>() / rate;
            let t = SimTime::from_secs_f64(first);
            if t < self.production_end {
                ctx.at(t, Event::Produce(p as u16));
            } else {
                self.producers[p].done = true;
            }
        }
        for (t, phase, kind) in self.scenario.faults.timeline() {
            ctx.at(t, Event::Fault(phase, kind));
        }
        if self.mode() == Mode::Log {
            for g in 0..self.groups.len() {
                self.assign(g);
            }
        }
        self.update_busy(SimTime::ZERO);
        self.ensure_ticking(ctx);
    }

    fn handle(&mut self, ev: Event, ctx: &mut Ctx<'_, Event>) {
        match ev {
            Event::Produce(p) => self.produce(p as usize, ctx),
            Event::Done { consumer, epoch } => self.done(consumer as usize, epoch, ctx),
            Event::Visible { msg, delivery } => self.visibility_expired(msg, delivery, ctx),
            Event::Commit => self.commit_tick(ctx),
            Event::SessionTimeout { consumer, epoch } => {
                self.session_timeout(consumer as usize, epoch, ctx)
            }
            Event::RebalanceEnd { group, generation } => {
                self.rebalance_end(group as usize, generation, ctx)
            }
            Event::Sample => self.sample(ctx),
            Event::Fault(phase, kind) => {
                self.fault(phase, kind, ctx);
                self.ensure_ticking(ctx);
            }
            Event::AddConsumer => self.add_consumer(0, ctx),
            Event::RemoveConsumer => self.remove_consumer(ctx),
            Event::AddMonitorGroup => {
                if self.mode() == Mode::Log && self.groups.len() < 2 {
                    self.add_group("monitoring");
                    self.add_consumer(1, ctx);
                }
            }
        }
    }
}
