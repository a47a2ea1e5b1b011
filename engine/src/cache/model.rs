//! The service: reads and writes with Zipf popularity, a cache in front of a store with limited
//! capacity, and the write policy deciding what a write does to a cached copy. Every read is a
//! hit or a miss; a hit whose value is older than the store's is a stale read.

use super::scenario::{CacheScenario, WriteMode, CACHE};
use super::store::Slots;
use crate::sim::chunked::ChunkedVec;
use crate::sim::fault::Phase;
use crate::sim::metrics::Window;
use crate::sim::multiserver::{Customer, Station};
use crate::sim::rng::exp_sample;
use crate::sim::{
    Ctx, FaultKind, LatencyHistogram, Model, RngStreams, SimRng, SimTime, TimeSeries, TraceHash,
    Traceable,
};
use rand::RngExt;
use rand_distr::{Distribution, Zipf};

#[derive(Clone, Debug, serde::Serialize)]
pub enum Event {
    Read,
    Write,
    StoreDone(Customer),
    Sample,
    Fault(Phase, FaultKind),
}

impl Traceable for Event {
    fn trace(&self, h: &mut TraceHash) {
        match self {
            Event::Read => h.word(1),
            Event::Write => h.word(2),
            Event::StoreDone(c) => {
                h.word(3);
                h.word(c.id);
            }
            Event::Sample => h.word(4),
            Event::Fault(p, k) => {
                h.word(if *p == Phase::Begin { 5 } else { 6 });
                k.trace(h);
            }
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Req {
    key: u32,
    write: bool,
}

/// Totals over the run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub reads: u64,
    pub hits: u64,
    pub misses: u64,
    /// Hits that returned a value older than the store's.
    pub stale: u64,
    /// Misses because the cached value had expired.
    pub expired: u64,
    /// Reads that went to the store while the cache was down.
    pub bypassed: u64,
    pub writes: u64,
    pub store_requests: u64,
    /// Requests the client gave up on (the store still did the work).
    pub timeouts: u64,
}

#[derive(Clone)]
pub struct Service {
    pub s: CacheScenario,
    pub slots: Slots,
    pub cache_up: bool,
    /// The store's version of each key.
    pub versions: Vec<u64>,
    pub store: Station,
    /// Requests sent to the store, by id (ids count up from 0); `None` once answered. Chunked
    /// because an overloaded store holds millions and time travel copies the world.
    pending: ChunkedVec<Option<Req>>,
    in_store: usize,
    zipf: Option<Zipf<f64>>,
    reads_rng: SimRng,
    writes_rng: SimRng,
    keys_rng: SimRng,
    store_rng: SimRng,
    pub counts: Counts,
    pub latency: LatencyHistogram,
    pub window: Window,
    window_hits: u64,
    window_reads: u64,
    pub series: TimeSeries,
    end: SimTime,
    pub done_at: Option<SimTime>,
    /// The most recent keys read, newest last, for the page (bounded).
    pub recent: std::collections::VecDeque<(u32, bool)>,
}

impl Service {
    pub fn new(s: &CacheScenario) -> Self {
        let streams = RngStreams::new(s.seed);
        Service {
            s: s.clone(),
            slots: Slots::new(s.policy, s.capacity as usize),
            cache_up: true,
            versions: vec![0; s.keys as usize],
            store: Station::new(s.store_servers),
            pending: ChunkedVec::new(),
            in_store: 0,
            zipf: (s.skew > 0.0)
                .then(|| Zipf::new(f64::from(s.keys), s.skew).ok())
                .flatten(),
            reads_rng: streams.stream("reads"),
            writes_rng: streams.stream("writes"),
            keys_rng: streams.stream("keys"),
            store_rng: streams.stream("store"),
            counts: Counts::default(),
            latency: LatencyHistogram::new(),
            window: Window::default(),
            window_hits: 0,
            window_reads: 0,
            series: TimeSeries::new(
                &["hit ratio %", "store busy %", "read p95 ms", "store queue"],
                SimTime::from_millis(500),
                2048,
            ),
            end: SimTime::from_secs_f64(s.duration_s),
            done_at: None,
            recent: std::collections::VecDeque::new(),
        }
    }

    fn key(&mut self) -> u32 {
        match &self.zipf {
            Some(z) => (z.sample(&mut self.keys_rng) as u32).clamp(1, self.s.keys) - 1,
            None => self.keys_rng.random_range(0..self.s.keys),
        }
    }

    fn send_to_store(&mut self, req: Req, ctx: &mut Ctx<'_, Event>) {
        let id = self.pending.len() as u64;
        self.counts.store_requests += 1;
        self.pending.push(Some(req));
        self.in_store += 1;
        let service =
            SimTime::from_secs_f64(exp_sample(&mut self.store_rng, self.s.store_ms / 1000.0));
        let c = Customer {
            id,
            arrived: ctx.now(),
            service: service.max(SimTime(1)),
        };
        if let Some((c, at)) = self.store.arrive(ctx.now(), c) {
            ctx.at(at, Event::StoreDone(c));
        }
    }

    fn ttl_expiry(&self, now: SimTime) -> u64 {
        if self.s.ttl_s > 0.0 {
            (now + SimTime::from_secs_f64(self.s.ttl_s)).as_micros()
        } else {
            u64::MAX
        }
    }

    fn read(&mut self, ctx: &mut Ctx<'_, Event>) {
        let now = ctx.now();
        let key = self.key();
        self.counts.reads += 1;
        self.window_reads += 1;
        let cached = if self.cache_up {
            self.slots.get(key).copied()
        } else {
            None
        };
        let hit = match cached {
            Some(e) if e.expires > now.as_micros() => {
                if e.version < self.versions[key as usize] {
                    self.counts.stale += 1;
                }
                self.slots.touch(key);
                true
            }
            Some(_) => {
                self.slots.remove(key);
                self.counts.expired += 1;
                false
            }
            None => false,
        };
        self.recent.push_back((key, hit));
        if self.recent.len() > 64 {
            self.recent.pop_front();
        }
        if hit {
            self.counts.hits += 1;
            self.window_hits += 1;
            let l = SimTime::from_secs_f64(self.s.cache_ms / 1000.0);
            self.latency.record(l);
            self.window.latency.record(l);
            self.window.completed += 1;
        } else {
            self.counts.misses += 1;
            if !self.cache_up {
                self.counts.bypassed += 1;
            }
            self.send_to_store(Req { key, write: false }, ctx);
        }
        let gap = exp_sample(&mut self.reads_rng, 1.0 / self.s.reads);
        let next = now + SimTime::from_secs_f64(gap).max(SimTime(1));
        if next < self.end {
            ctx.at(next, Event::Read);
        }
    }

    fn write(&mut self, ctx: &mut Ctx<'_, Event>) {
        let key = self.key();
        self.counts.writes += 1;
        self.send_to_store(Req { key, write: true }, ctx);
        let gap = exp_sample(&mut self.writes_rng, 1.0 / self.s.writes);
        let next = ctx.now() + SimTime::from_secs_f64(gap).max(SimTime(1));
        if next < self.end {
            ctx.at(next, Event::Write);
        }
    }

    fn store_done(&mut self, c: Customer, ctx: &mut Ctx<'_, Event>) {
        let now = ctx.now();
        if let Some((next, at)) = self.store.depart(now) {
            ctx.at(at, Event::StoreDone(next));
        }
        let Some(req) = self.pending.get_mut(c.id as usize).and_then(Option::take) else {
            return;
        };
        self.in_store -= 1;
        let k = req.key as usize;
        if req.write {
            self.versions[k] += 1;
            if self.cache_up {
                match self.s.write_mode {
                    WriteMode::Through => {
                        if self.slots.get(req.key).is_some() {
                            let exp = self.ttl_expiry(now);
                            self.slots.put(req.key, self.versions[k], exp);
                        }
                    }
                    WriteMode::Invalidate => {
                        self.slots.remove(req.key);
                    }
                    WriteMode::Around => {}
                }
            }
        } else {
            let took = now.saturating_sub(c.arrived);
            if took.as_secs_f64() * 1000.0 > self.s.timeout_ms {
                self.counts.timeouts += 1;
                self.window.failed += 1;
            } else {
                let l = took + SimTime::from_secs_f64(self.s.cache_ms / 1000.0);
                self.latency.record(l);
                self.window.latency.record(l);
                self.window.completed += 1;
                if self.cache_up {
                    let exp = self.ttl_expiry(now);
                    self.slots.put(req.key, self.versions[k], exp);
                }
            }
        }
        self.check_done(now);
    }

    fn check_done(&mut self, now: SimTime) {
        if self.done_at.is_none() && now >= self.end && self.in_store == 0 {
            self.done_at = Some(now);
            self.sample(now);
        }
    }

    fn sample(&mut self, now: SimTime) {
        let ratio = if self.window_reads > 0 {
            self.window_hits as f64 / self.window_reads as f64 * 100.0
        } else {
            0.0
        };
        let busy = self.window.utilization(now, &self.store.busy_time) * 100.0;
        self.series.offer(
            now,
            &[
                ratio,
                busy,
                self.window.latency.quantile(0.95).as_millis_f64(),
                self.store.waiting() as f64,
            ],
        );
    }

    /// Hits over reads in the current sampling window.
    pub fn window_hit_ratio(&self) -> f64 {
        if self.window_reads > 0 {
            self.window_hits as f64 / self.window_reads as f64
        } else {
            0.0
        }
    }

    pub fn in_store(&self) -> usize {
        self.in_store
    }
}

impl Model for Service {
    type Event = Event;
    fn start(&mut self, ctx: &mut Ctx<'_, Event>) {
        ctx.at(SimTime::ZERO, Event::Read);
        if self.s.writes > 0.0 {
            ctx.at(SimTime::ZERO, Event::Write);
        }
        ctx.at(SimTime::from_millis(500), Event::Sample);
        for (t, phase, kind) in self.s.faults.timeline() {
            ctx.at(t, Event::Fault(phase, kind));
        }
    }
    fn handle(&mut self, ev: Event, ctx: &mut Ctx<'_, Event>) {
        match ev {
            Event::Read => self.read(ctx),
            Event::Write => self.write(ctx),
            Event::StoreDone(c) => self.store_done(c, ctx),
            Event::Sample => {
                let now = ctx.now();
                self.sample(now);
                self.window.restart(now, self.store.busy_time.area(now));
                self.window_hits = 0;
                self.window_reads = 0;
                self.check_done(now);
                if self.done_at.is_none() {
                    ctx.after(SimTime::from_millis(500), Event::Sample);
                }
            }
            Event::Fault(phase, kind) => match (kind, phase) {
                (FaultKind::Crash { target }, Phase::Begin) if target == CACHE => {
                    // A cache holds nothing durable: it comes back cold.
                    self.cache_up = false;
                    self.slots.clear();
                }
                (FaultKind::Crash { target }, Phase::End)
                | (FaultKind::Restart { target }, Phase::Begin)
                    if target == CACHE =>
                {
                    self.cache_up = true;
                }
                _ => {}
            },
        }
    }
}
