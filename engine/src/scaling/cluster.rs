//! Machines serving a request load on the simulated clock, one big machine or many behind a
//! load balancer.
//!
//! Model (documented so numbers can be checked by hand):
//! - each machine is a FCFS [`Station`] with one server per core;
//! - a request needs log-normal CPU time (mean `cpu_ms`, σ = 0.5) divided by the core speed;
//! - it holds `mem_mb` of memory while in the machine; when the requests in a machine need more
//!   memory than it has, every new request runs `1 + 4 × (overcommit fraction)` times slower
//!   (swapping), which is why adding RAM helps;
//! - with N machines serving, every request pays the Universal Scalability Law's coordination
//!   cost: its CPU time is multiplied by `1 + σ(N−1) + κN(N−1)`, so N machines deliver
//!   `N / (1 + σ(N−1) + κN(N−1))` times one machine's throughput;
//! - a crashed machine loses the requests inside it; the balancer keeps sending it traffic
//!   (which fails at once) until the health check, run every second, has seen it down for
//!   `detect_s`; failed requests are retried on another machine up to `retries` times;
//! - the autoscaler (optional) looks every 10 s at mean utilisation; above target + 10% it
//!   starts a machine that joins after a 20 s warm-up, below target − 20% it retires one; it
//!   waits 30 s between decisions.

use super::catalogue::{MachineType, CATALOGUE};
use super::scenario::{Load, Mode, Policy, ScalingScenario};
use crate::sim::fault::Phase;
use crate::sim::metrics::Window;
use crate::sim::multiserver::{Customer, Station};
use crate::sim::rng::exp_sample;
use crate::sim::{
    Ctx, FaultKind, LatencyHistogram, Model, RngStreams, SimRng, SimTime, TimeSeries, TraceHash,
    Traceable,
};
use rand::RngExt;
use rand_distr::{Distribution, LogNormal};
use std::collections::{BTreeMap, VecDeque};

const AUTOSCALE_EVERY: SimTime = SimTime::from_secs(10);
const WARM_UP: SimTime = SimTime::from_secs(20);
const COOLDOWN: SimTime = SimTime::from_secs(30);
const RETRY_DELAY: SimTime = SimTime::from_millis(20);
/// Recent routings kept for drawing requests as dots.
const RECENT: usize = 200;

#[derive(Clone)]
pub struct Machine {
    pub name: String,
    pub kind: MachineType,
    pub up: bool,
    /// Whether the balancer sends it traffic.
    pub in_lb: bool,
    /// Provisioned (paid for); false once retired by the autoscaler.
    pub active: bool,
    pub station: Station,
    pub slow: f64,
    epoch: u32,
    down_since: Option<SimTime>,
    pub routed: u64,
    pub completed: u64,
    /// Requests inside (queued + in service): id → (first arrival, tries left). Ordered, so a
    /// crash re-sends them in the same order on every run.
    inside: BTreeMap<u64, (SimTime, u32)>,
    pub swap_factor: f64,
    window_busy_start: u128,
}

impl Machine {
    pub fn memory_used_mb(&self, mem_mb: f64) -> f64 {
        self.inside.len() as f64 * mem_mb
    }
    pub fn outstanding(&self) -> u64 {
        self.inside.len() as u64
    }
}

/// One request in flight: when it first arrived and how many tries it has left.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Request {
    pub id: u64,
    #[serde(rename = "first_arrival_us")]
    pub first_arrival: SimTime,
    pub tries_left: u32,
}

#[derive(Clone, Debug, serde::Serialize, PartialEq)]
pub enum Event {
    Arrival,
    Retry(Request),
    Depart {
        machine: u32,
        epoch: u32,
        customer: Customer,
    },
    HealthCheck,
    Autoscale,
    Join {
        machine: u32,
    },
    Fault(Phase, FaultKind),
    Sample,
}

impl Traceable for Event {
    fn trace(&self, h: &mut TraceHash) {
        match self {
            Event::Arrival => h.word(1),
            Event::Retry(r) => {
                h.word(2);
                h.word(r.id);
            }
            Event::Depart {
                machine, customer, ..
            } => {
                h.word(3);
                h.word(u64::from(*machine) << 40 ^ customer.id);
            }
            Event::HealthCheck => h.word(4),
            Event::Autoscale => h.word(5),
            Event::Join { machine } => {
                h.word(6);
                h.word(u64::from(*machine));
            }
            Event::Fault(p, k) => {
                h.word(if *p == Phase::Begin { 7 } else { 8 });
                k.trace(h);
            }
            Event::Sample => h.word(9),
        }
    }
}

pub const SERIES: [&str; 4] = [
    "throughput /s",
    "latency p95 ms",
    "queued",
    "machines serving",
];

/// A request routed to a machine, for drawing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Routing {
    pub request: u64,
    pub machine: u32,
    pub at: SimTime,
}

#[derive(Clone)]
pub struct Cluster {
    pub scenario: ScalingScenario,
    pub machines: Vec<Machine>,
    arrivals: SimRng,
    service: SimRng,
    lb_rng: SimRng,
    rr_next: usize,
    next_id: u64,
    end_of_load: SimTime,
    spike: f64,
    cpu: LogNormal<f64>,
    pub latency: LatencyHistogram,
    window: Window,
    pub completed: u64,
    pub failed: u64,
    pub retried: u64,
    pub recent: VecDeque<Routing>,
    pub series: TimeSeries,
    sample_every: SimTime,
    last_scale: SimTime,
    cost_dollars: f64,
    cost_clock: SimTime,
    pub done_at: Option<SimTime>,
}

impl Cluster {
    pub fn new(s: &ScalingScenario) -> Self {
        let streams = RngStreams::new(s.seed);
        let kind = CATALOGUE[s.machine.min(CATALOGUE.len() - 1)];
        let n = s.max_machines() as usize;
        let active = s.machine_count() as usize;
        let machines = (0..n)
            .map(|i| Machine {
                name: format!("machine-{}", i + 1),
                kind,
                up: true,
                in_lb: i < active,
                active: i < active,
                station: Station::new(kind.cores),
                slow: 1.0,
                epoch: 0,
                down_since: None,
                routed: 0,
                completed: 0,
                inside: BTreeMap::new(),
                swap_factor: 1.0,
                window_busy_start: 0,
            })
            .collect();
        // Log-normal with mean cpu_ms: μ = ln(mean) − σ²/2.
        let sigma = 0.5f64;
        let mu = (s.cpu_ms / 1000.0).ln() - sigma * sigma / 2.0;
        let sample_every = SimTime::from_millis(((s.duration_s * 1000.0 / 240.0) as u64).max(100));
        Cluster {
            scenario: s.clone(),
            machines,
            arrivals: streams.stream("scaling/arrivals"),
            service: streams.stream("scaling/service"),
            lb_rng: streams.stream("scaling/lb"),
            rr_next: 0,
            next_id: 0,
            end_of_load: SimTime::from_secs_f64(s.duration_s),
            spike: 1.0,
            cpu: LogNormal::new(mu, sigma).expect("valid log-normal"),
            latency: LatencyHistogram::new(),
            window: Window::default(),
            completed: 0,
            failed: 0,
            retried: 0,
            recent: VecDeque::new(),
            series: TimeSeries::new(&SERIES, sample_every, 2048),
            sample_every,
            last_scale: SimTime::ZERO,
            cost_dollars: 0.0,
            cost_clock: SimTime::ZERO,
            done_at: None,
        }
    }

    fn serving(&self) -> usize {
        self.machines.iter().filter(|m| m.active && m.up).count()
    }

    /// The USL factor for the machines currently serving.
    pub fn coordination_factor(&self) -> f64 {
        let n = self.serving().max(1) as f64;
        1.0 + self.scenario.sigma * (n - 1.0) + self.scenario.kappa * n * (n - 1.0)
    }

    fn rate_at(&self, t: SimTime) -> f64 {
        let base = self.scenario.rate * self.spike;
        let frac = t.as_secs_f64() / self.scenario.duration_s;
        match self.scenario.load {
            Load::Constant | Load::Poisson => base,
            Load::Diurnal => {
                base * (1.0 + 0.6 * (2.0 * std::f64::consts::PI * t.as_secs_f64() / 600.0).sin())
            }
            Load::Spike => {
                if (0.4..0.6).contains(&frac) {
                    base * 5.0
                } else {
                    base
                }
            }
        }
    }

    fn schedule_arrival(&mut self, ctx: &mut Ctx<'_, Event>) {
        let now = ctx.now();
        // Thinning against the highest rate the load can reach keeps time-varying loads exact.
        let peak = self.scenario.rate
            * self.spike
            * if self.scenario.load == Load::Spike {
                5.0
            } else {
                1.6
            };
        let mut t = now;
        loop {
            let gap = if self.scenario.load == Load::Constant {
                1.0 / self.rate_at(t)
            } else {
                exp_sample(&mut self.arrivals, 1.0 / peak)
            };
            t += SimTime::from_secs_f64(gap).max(SimTime(1));
            if t >= self.end_of_load {
                return;
            }
            if self.scenario.load == Load::Constant
                || self.arrivals.random::<f64>() * peak <= self.rate_at(t)
            {
                ctx.at(t, Event::Arrival);
                return;
            }
        }
    }

    /// Picks a machine the balancer believes healthy.
    fn route(&mut self) -> Option<usize> {
        let cands: Vec<usize> = (0..self.machines.len())
            .filter(|i| self.machines[*i].in_lb)
            .collect();
        if cands.is_empty() {
            return None;
        }
        let pick = match self.scenario.policy {
            Policy::RoundRobin => {
                self.rr_next = (self.rr_next + 1) % cands.len();
                cands[self.rr_next]
            }
            Policy::Random => cands[self.lb_rng.random_range(0..cands.len())],
            Policy::LeastOutstanding => *cands
                .iter()
                .min_by_key(|i| {
                    (
                        self.machines[**i].outstanding() * 1000
                            / u64::from(self.machines[**i].kind.cores),
                        **i,
                    )
                })
                .expect("non-empty"),
            Policy::P2c => {
                let a = cands[self.lb_rng.random_range(0..cands.len())];
                let b = cands[self.lb_rng.random_range(0..cands.len())];
                if self.machines[b].outstanding() < self.machines[a].outstanding() {
                    b
                } else {
                    a
                }
            }
        };
        Some(pick)
    }

    fn admit(&mut self, req: Request, ctx: &mut Ctx<'_, Event>) {
        let now = ctx.now();
        let Some(m) = self.route() else {
            self.fail(req, ctx);
            return;
        };
        self.recent.push_back(Routing {
            request: req.id,
            machine: m as u32,
            at: now,
        });
        if self.recent.len() > RECENT {
            self.recent.pop_front();
        }
        let coordination = self.coordination_factor();
        let mem_mb = self.scenario.mem_mb;
        let cpu = self.cpu.sample(&mut self.service);
        let mach = &mut self.machines[m];
        mach.routed += 1;
        if !mach.up {
            // Connection refused: the balancer has not noticed yet.
            self.fail(req, ctx);
            return;
        }
        mach.inside
            .insert(req.id, (req.first_arrival, req.tries_left));
        let need = mach.memory_used_mb(mem_mb);
        let have = f64::from(mach.kind.memory_gb) * 1024.0;
        mach.swap_factor = if need > have {
            1.0 + 4.0 * (need - have) / need
        } else {
            1.0
        };
        let service = SimTime::from_secs_f64(cpu * coordination * mach.swap_factor * mach.slow)
            .max(SimTime(1));
        let c = Customer {
            id: req.id,
            arrived: now,
            service,
        };
        if let Some((c, leaves)) = mach.station.arrive(now, c) {
            ctx.at(
                leaves,
                Event::Depart {
                    machine: m as u32,
                    epoch: mach.epoch,
                    customer: c,
                },
            );
        }
    }

    fn fail(&mut self, req: Request, ctx: &mut Ctx<'_, Event>) {
        let others = self.machines.iter().filter(|m| m.in_lb).count() > 1
            || self.scenario.mode == Mode::Horizontal;
        if req.tries_left > 0 && others {
            self.retried += 1;
            ctx.after(
                RETRY_DELAY,
                Event::Retry(Request {
                    tries_left: req.tries_left - 1,
                    ..req
                }),
            );
        } else {
            self.failed += 1;
            self.window.failed += 1;
        }
    }

    fn depart(&mut self, m: usize, epoch: u32, c: Customer, ctx: &mut Ctx<'_, Event>) {
        let now = ctx.now();
        let mach = &mut self.machines[m];
        if epoch != mach.epoch {
            return;
        }
        if let Some((first, _)) = mach.inside.remove(&c.id) {
            let l = now - first;
            self.latency.record(l);
            self.window.latency.record(l);
            self.window.completed += 1;
            self.completed += 1;
            mach.completed += 1;
        }
        if let Some((next, leaves)) = mach.station.depart(now) {
            ctx.at(
                leaves,
                Event::Depart {
                    machine: m as u32,
                    epoch: mach.epoch,
                    customer: next,
                },
            );
        }
    }

    fn crash(&mut self, m: usize, ctx: &mut Ctx<'_, Event>) {
        let now = ctx.now();
        let mach = &mut self.machines[m];
        if !mach.up {
            return;
        }
        mach.up = false;
        mach.epoch += 1;
        mach.down_since = Some(now);
        let lost: Vec<(u64, (SimTime, u32))> =
            std::mem::take(&mut mach.inside).into_iter().collect();
        let kind = mach.kind;
        mach.station = Station::new(kind.cores);
        for (id, (first, tries)) in lost {
            self.fail(
                Request {
                    id,
                    first_arrival: first,
                    tries_left: tries,
                },
                ctx,
            );
        }
    }

    /// Back up; the balancer lets it in again at its next health check.
    fn restart(&mut self, m: usize) {
        let mach = &mut self.machines[m];
        if !mach.up {
            mach.up = true;
            mach.down_since = None;
        }
    }

    /// The balancer's health check: out after `detect_s` down, back in once up.
    fn health_check(&mut self, now: SimTime) {
        let detect = SimTime::from_secs_f64(self.scenario.detect_s);
        for m in &mut self.machines {
            if !m.active {
                continue;
            }
            match m.down_since {
                Some(t) if now - t >= detect => m.in_lb = false,
                None if m.up => m.in_lb = true,
                _ => {}
            }
        }
    }

    fn utilization_of(&self, m: &Machine, now: SimTime) -> f64 {
        let span = now.saturating_sub(self.window.start).as_micros();
        if span == 0 || !m.up {
            return 0.0;
        }
        let area = m
            .station
            .busy_time
            .area(now)
            .saturating_sub(m.window_busy_start);
        (area as f64 / (span as f64 * f64::from(m.kind.cores))).clamp(0.0, 1.0)
    }

    /// Mean utilisation of the machines serving, over the current window.
    pub fn utilization(&self, now: SimTime) -> f64 {
        let serving: Vec<&Machine> = self.machines.iter().filter(|m| m.active && m.up).collect();
        if serving.is_empty() {
            return 0.0;
        }
        serving
            .iter()
            .map(|m| self.utilization_of(m, now))
            .sum::<f64>()
            / serving.len() as f64
    }

    pub fn machine_utilization(&self, now: SimTime) -> Vec<f64> {
        self.machines
            .iter()
            .map(|m| self.utilization_of(m, now))
            .collect()
    }

    fn autoscale(&mut self, ctx: &mut Ctx<'_, Event>) {
        let now = ctx.now();
        let target = self.scenario.autoscale_target;
        if target <= 0.0 || now - self.last_scale < COOLDOWN {
            return;
        }
        let u = self.utilization(now);
        if u > target + 0.1 {
            if let Some(i) = self.machines.iter().position(|m| !m.active) {
                self.settle_cost(now);
                self.machines[i].active = true;
                self.last_scale = now;
                ctx.after(WARM_UP, Event::Join { machine: i as u32 });
            }
        } else if u < target - 0.2 && self.serving() > 1 {
            if let Some(i) = self
                .machines
                .iter()
                .rposition(|m| m.active && m.in_lb && m.inside.is_empty())
            {
                self.settle_cost(now);
                self.machines[i].active = false;
                self.machines[i].in_lb = false;
                self.last_scale = now;
            }
        }
    }

    fn settle_cost(&mut self, now: SimTime) {
        let hours = (now - self.cost_clock).as_secs_f64() / 3600.0;
        self.cost_dollars += self.cost_per_hour() * hours;
        self.cost_clock = now;
    }

    /// What the provisioned machines cost per hour right now.
    pub fn cost_per_hour(&self) -> f64 {
        self.machines
            .iter()
            .filter(|m| m.active)
            .map(|m| m.kind.price_per_hour)
            .sum()
    }

    /// Dollars spent up to `now`.
    pub fn cost_so_far(&self, now: SimTime) -> f64 {
        self.cost_dollars + self.cost_per_hour() * (now - self.cost_clock).as_secs_f64() / 3600.0
    }

    pub fn queued(&self) -> u64 {
        self.machines
            .iter()
            .map(|m| m.station.waiting() as u64)
            .sum()
    }

    pub fn in_flight(&self) -> u64 {
        self.machines.iter().map(Machine::outstanding).sum()
    }

    pub fn availability(&self) -> f64 {
        let total = self.completed + self.failed;
        if total == 0 {
            1.0
        } else {
            self.completed as f64 / total as f64
        }
    }

    pub fn window_rate(&self, now: SimTime) -> f64 {
        self.window.rate(now)
    }

    fn sample(&mut self, now: SimTime) {
        let row = [
            self.window.rate(now),
            self.window.latency.quantile(0.95).as_millis_f64(),
            self.queued() as f64,
            self.serving() as f64,
        ];
        self.series.offer(now, &row);
        self.window.restart(now, 0);
        for m in &mut self.machines {
            m.window_busy_start = m.station.busy_time.area(now);
        }
    }

    pub fn is_done(&self) -> bool {
        self.done_at.is_some()
    }

    fn machine_index(&self, name: &str) -> Option<usize> {
        self.machines.iter().position(|m| m.name == name)
    }
}

impl Model for Cluster {
    type Event = Event;

    fn start(&mut self, ctx: &mut Ctx<'_, Event>) {
        for (t, phase, kind) in self.scenario.faults.timeline() {
            ctx.at(t, Event::Fault(phase, kind));
        }
        self.schedule_arrival(ctx);
        ctx.after(SimTime::from_secs(1), Event::HealthCheck);
        ctx.after(self.sample_every, Event::Sample);
        if self.scenario.autoscale_target > 0.0 {
            ctx.after(AUTOSCALE_EVERY, Event::Autoscale);
        }
    }

    fn handle(&mut self, ev: Event, ctx: &mut Ctx<'_, Event>) {
        let now = ctx.now();
        match ev {
            Event::Arrival => {
                let id = self.next_id;
                self.next_id += 1;
                let req = Request {
                    id,
                    first_arrival: now,
                    tries_left: self.scenario.retries,
                };
                self.admit(req, ctx);
                self.schedule_arrival(ctx);
            }
            Event::Retry(req) => self.admit(req, ctx),
            Event::Depart {
                machine,
                epoch,
                customer,
            } => self.depart(machine as usize, epoch, customer, ctx),
            Event::HealthCheck => {
                self.health_check(now);
                if !self.is_done() {
                    ctx.after(SimTime::from_secs(1), Event::HealthCheck);
                }
            }
            Event::Autoscale => {
                self.autoscale(ctx);
                if !self.is_done() {
                    ctx.after(AUTOSCALE_EVERY, Event::Autoscale);
                }
            }
            Event::Join { machine } => {
                let m = &mut self.machines[machine as usize];
                if m.active && m.up {
                    m.in_lb = true;
                }
            }
            Event::Fault(phase, kind) => {
                let target = kind.target().and_then(|t| self.machine_index(t));
                match (kind, phase, target) {
                    (FaultKind::Crash { .. }, Phase::Begin, Some(m)) => self.crash(m, ctx),
                    (FaultKind::Crash { .. }, Phase::End, Some(m))
                    | (FaultKind::Restart { .. }, Phase::Begin, Some(m)) => self.restart(m),
                    (FaultKind::Slow { factor, .. }, Phase::Begin, Some(m)) => {
                        self.machines[m].slow = factor
                    }
                    (FaultKind::Slow { .. }, Phase::End, Some(m)) => self.machines[m].slow = 1.0,
                    (FaultKind::LoadSpike { factor }, p, _) => {
                        self.spike = if p == Phase::Begin { factor } else { 1.0 };
                    }
                    _ => {}
                }
            }
            Event::Sample => {
                self.sample(now);
                if now >= self.end_of_load && self.in_flight() == 0 {
                    self.settle_cost(now);
                    self.done_at = Some(now);
                } else {
                    ctx.after(self.sample_every, Event::Sample);
                }
            }
        }
    }
}
