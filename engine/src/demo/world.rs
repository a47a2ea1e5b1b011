use super::scenario::{DemoScenario, SERVER};
use crate::sim::fault::Phase;
use crate::sim::metrics::{BusyTracker, Window};
use crate::sim::rng::exp_sample;
use crate::sim::{
    Advance, Ctx, FaultKind, LabWorld, LatencyHistogram, MetricsSnapshot, Model, RngStreams,
    SimRng, SimTime, Simulation, TimeSeries, TraceHash, Traceable,
};
use std::collections::VecDeque;

/// Events of the demo world.
#[derive(Clone, Debug, serde::Serialize, PartialEq)]
pub enum Event {
    /// The next Poisson arrival; `gen` invalidates arrivals scheduled before a rate change.
    Arrival {
        gen: u32,
    },
    /// The request in service finishes; `epoch` invalidates it if the server crashed meanwhile.
    Departure {
        epoch: u32,
    },
    /// Periodic sampling for the chart.
    Sample,
    Fault(Phase, FaultKind),
}

impl Traceable for Event {
    fn trace(&self, h: &mut TraceHash) {
        match self {
            Event::Arrival { gen } => {
                h.word(1);
                h.word(u64::from(*gen));
            }
            Event::Departure { epoch } => {
                h.word(2);
                h.word(u64::from(*epoch));
            }
            Event::Sample => h.word(3),
            Event::Fault(phase, kind) => {
                h.word(if *phase == Phase::Begin { 4 } else { 5 });
                kind.trace(h);
            }
        }
    }
}

/// Chart columns, in order.
pub const SERIES: [&str; 4] = [
    "throughput /s",
    "latency p95 ms",
    "backlog",
    "utilization %",
];

/// The single server and its queue.
#[derive(Clone)]
pub struct Server {
    scenario: DemoScenario,
    end_of_load: SimTime,
    arrivals_rng: SimRng,
    service_rng: SimRng,
    up: bool,
    slow: f64,
    spike: f64,
    arrival_gen: u32,
    epoch: u32,
    /// Arrival times of waiting requests.
    queue: VecDeque<SimTime>,
    in_service: Option<SimTime>,
    pub arrived: u64,
    pub completed: u64,
    pub rejected_full: u64,
    pub rejected_down: u64,
    pub lost_in_crash: u64,
    pub crashes: u64,
    last_finish: SimTime,
    latency: LatencyHistogram,
    window: Window,
    busy: BusyTracker,
    series: TimeSeries,
    sample_every: SimTime,
    done: bool,
}

impl Server {
    pub fn new(scenario: &DemoScenario) -> Self {
        let streams = RngStreams::new(scenario.seed);
        let end_of_load = SimTime::from_secs_f64(scenario.duration_s);
        // About 240 points over the load, never finer than 50 ms.
        let sample_every =
            SimTime::from_millis(((scenario.duration_s * 1000.0 / 240.0).round() as u64).max(50));
        Server {
            scenario: scenario.clone(),
            end_of_load,
            arrivals_rng: streams.stream("demo/arrivals"),
            service_rng: streams.stream("demo/service"),
            up: true,
            slow: 1.0,
            spike: 1.0,
            arrival_gen: 0,
            epoch: 0,
            queue: VecDeque::new(),
            in_service: None,
            arrived: 0,
            completed: 0,
            rejected_full: 0,
            rejected_down: 0,
            lost_in_crash: 0,
            crashes: 0,
            last_finish: SimTime::ZERO,
            latency: LatencyHistogram::new(),
            window: Window::default(),
            busy: BusyTracker::new(1),
            series: TimeSeries::new(&SERIES, sample_every, 2048),
            sample_every,
            done: false,
        }
    }

    pub fn failed(&self) -> u64 {
        self.rejected_full + self.rejected_down + self.lost_in_crash
    }

    /// Requests waiting plus the one in service.
    pub fn in_system(&self) -> u64 {
        self.queue.len() as u64 + u64::from(self.in_service.is_some())
    }

    pub fn is_up(&self) -> bool {
        self.up
    }

    pub fn latency(&self) -> &LatencyHistogram {
        &self.latency
    }

    fn schedule_arrival(&mut self, ctx: &mut Ctx<'_, Event>) {
        let rate = self.scenario.arrival_rate * self.spike;
        let gap = SimTime::from_secs_f64(exp_sample(&mut self.arrivals_rng, 1.0 / rate));
        let at = ctx.now() + gap;
        if at < self.end_of_load {
            ctx.at(
                at,
                Event::Arrival {
                    gen: self.arrival_gen,
                },
            );
        }
    }

    fn start_service(&mut self, arrived_at: SimTime, ctx: &mut Ctx<'_, Event>) {
        let mean_s = self.scenario.service_ms / 1000.0 * self.slow;
        let d = SimTime::from_secs_f64(exp_sample(&mut self.service_rng, mean_s));
        self.in_service = Some(arrived_at);
        self.busy.set_busy(ctx.now(), 1);
        ctx.after(d, Event::Departure { epoch: self.epoch });
    }

    fn fail(&mut self, now: SimTime, n: u64) {
        self.window.failed += n;
        self.last_finish = self.last_finish.max(now);
    }

    fn check_done(&mut self, now: SimTime) {
        if now >= self.end_of_load && self.in_system() == 0 {
            self.done = true;
        }
    }

    fn apply_fault(&mut self, phase: Phase, kind: FaultKind, ctx: &mut Ctx<'_, Event>) {
        let now = ctx.now();
        match (kind, phase) {
            (FaultKind::Crash { .. }, Phase::Begin) if self.up => {
                self.up = false;
                self.crashes += 1;
                self.epoch += 1;
                // Whatever the server held in memory is gone.
                let lost = self.in_system();
                self.lost_in_crash += lost;
                self.fail(now, lost);
                self.queue.clear();
                self.in_service = None;
                self.busy.set_busy(now, 0);
            }
            (FaultKind::Crash { .. }, Phase::End) | (FaultKind::Restart { .. }, Phase::Begin) => {
                self.up = true;
            }
            (FaultKind::Slow { factor, .. }, Phase::Begin) => self.slow = factor,
            (FaultKind::Slow { .. }, Phase::End) => self.slow = 1.0,
            (FaultKind::LoadSpike { factor }, p) => {
                self.spike = if p == Phase::Begin { factor } else { 1.0 };
                // Re-draw the next arrival at the new rate (memoryless, so this is exact).
                self.arrival_gen += 1;
                self.schedule_arrival(ctx);
            }
            // Links, drops and corruption have no meaning for a lone server.
            _ => {}
        }
    }

    fn sample(&mut self, now: SimTime) {
        let row = [
            self.window.rate(now),
            self.window.latency.quantile(0.95).as_millis_f64(),
            self.queue.len() as f64,
            self.window.utilization(now, &self.busy) * 100.0,
        ];
        self.series.offer(now, &row);
        self.window.restart(now, self.busy.area(now));
    }

    pub fn snapshot(&self, now: SimTime) -> MetricsSnapshot {
        let failed = self.failed();
        let finished = failed + self.completed;
        let span = if self.done { self.last_finish } else { now };
        // A window shorter than a tenth of a sample says little; fall back to the run average.
        let short =
            now.saturating_sub(self.window.start).as_micros() * 10 < self.sample_every.as_micros();
        let (throughput, utilization) = if self.done || short {
            let secs = span.as_secs_f64();
            let busy = self.busy.area(span) as f64 / 1e6;
            if secs > 0.0 {
                (self.completed as f64 / secs, (busy / secs).min(1.0))
            } else {
                (0.0, 0.0)
            }
        } else {
            (
                self.window.rate(now),
                self.window.utilization(now, &self.busy),
            )
        };
        MetricsSnapshot {
            sim_time_s: now.as_secs_f64(),
            throughput_per_s: throughput,
            latency_p50_ms: self.latency.quantile(0.50).as_millis_f64(),
            latency_p95_ms: self.latency.quantile(0.95).as_millis_f64(),
            latency_p99_ms: self.latency.quantile(0.99).as_millis_f64(),
            utilization,
            error_rate: if finished == 0 {
                0.0
            } else {
                failed as f64 / finished as f64
            },
            backlog: self.queue.len() as u64,
            job_duration_s: span.as_secs_f64(),
            total_completed: self.completed,
            total_failed: failed,
        }
    }
}

impl Model for Server {
    type Event = Event;

    fn start(&mut self, ctx: &mut Ctx<'_, Event>) {
        for (t, phase, kind) in self.scenario.faults.timeline() {
            ctx.at(t, Event::Fault(phase, kind));
        }
        self.schedule_arrival(ctx);
        ctx.after(self.sample_every, Event::Sample);
    }

    fn handle(&mut self, ev: Event, ctx: &mut Ctx<'_, Event>) {
        let now = ctx.now();
        match ev {
            Event::Arrival { gen } => {
                if gen != self.arrival_gen {
                    return;
                }
                self.schedule_arrival(ctx);
                self.arrived += 1;
                if !self.up {
                    self.rejected_down += 1;
                    self.fail(now, 1);
                } else if self.in_service.is_none() {
                    self.start_service(now, ctx);
                } else if self.queue.len() < self.scenario.queue_limit as usize {
                    self.queue.push_back(now);
                } else {
                    self.rejected_full += 1;
                    self.fail(now, 1);
                }
            }
            Event::Departure { epoch } => {
                if epoch != self.epoch {
                    return;
                }
                if let Some(arrived_at) = self.in_service.take() {
                    let latency = now - arrived_at;
                    self.latency.record(latency);
                    self.window.latency.record(latency);
                    self.window.completed += 1;
                    self.completed += 1;
                    self.last_finish = now;
                }
                match self.queue.pop_front() {
                    Some(next) => self.start_service(next, ctx),
                    None => self.busy.set_busy(now, 0),
                }
            }
            Event::Sample => {
                self.sample(now);
                self.check_done(now);
                if !self.done {
                    ctx.after(self.sample_every, Event::Sample);
                }
            }
            Event::Fault(phase, kind) => {
                debug_assert!(kind.target().is_none_or(|t| t == SERVER));
                self.apply_fault(phase, kind, ctx);
            }
        }
    }
}

/// The demo lab as the UI and CLI drive it.
#[derive(Clone)]
pub struct DemoWorld {
    sim: Simulation<Server>,
}

impl DemoWorld {
    /// Builds a world; the scenario must have passed `validate()`.
    pub fn new(scenario: &DemoScenario) -> Self {
        DemoWorld {
            sim: Simulation::new(Server::new(scenario)),
        }
    }

    pub fn server(&self) -> &Server {
        self.sim.model()
    }

    /// Live commands from the learner, applied at the current virtual time.
    pub fn crash_now(&mut self) {
        self.inject(
            Phase::Begin,
            FaultKind::Crash {
                target: SERVER.into(),
            },
        );
    }
    pub fn restart_now(&mut self) {
        self.inject(
            Phase::Begin,
            FaultKind::Restart {
                target: SERVER.into(),
            },
        );
    }
    pub fn spike_now(&mut self, factor: f64) {
        self.inject(Phase::Begin, FaultKind::LoadSpike { factor });
    }
    pub fn end_spike_now(&mut self) {
        self.inject(Phase::End, FaultKind::LoadSpike { factor: 1.0 });
    }

    fn inject(&mut self, phase: Phase, kind: FaultKind) {
        self.sim.command(Event::Fault(phase, kind));
    }

    /// Runs to the end (the load stops at `duration_s`, then the queue drains).
    pub fn run_to_end(&mut self) -> Advance {
        self.sim.run_to_end(u64::MAX)
    }
}

impl LabWorld for DemoWorld {
    crate::sim::world::clock_from_sim!();
    fn announcement(&self) -> Option<String> {
        (!self.server().is_up()).then(|| "the server crashed: requests are failing".to_string())
    }
    fn is_done(&self) -> bool {
        self.sim.model().done
    }
    fn metrics(&self) -> MetricsSnapshot {
        self.sim.model().snapshot(self.sim.now())
    }
    fn series(&self) -> &TimeSeries {
        &self.sim.model().series
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{FaultPlan, StopReason};
    use proptest::prelude::*;

    fn run(s: &DemoScenario) -> DemoWorld {
        let mut w = DemoWorld::new(s);
        let a = w.run_to_end();
        assert_eq!(a.reason, StopReason::Idle);
        w
    }

    #[test]
    fn every_request_is_accounted_for() {
        let s = DemoScenario {
            arrival_rate: 30.0,
            queue_limit: 5,
            faults: FaultPlan::parse("f", "crash:server@20s+10s").unwrap(),
            ..Default::default()
        };
        let w = run(&s);
        let srv = w.server();
        assert!(w.is_done());
        assert_eq!(srv.in_system(), 0);
        assert_eq!(srv.arrived, srv.completed + srv.failed());
        assert!(
            srv.rejected_full > 0,
            "a 3× overload with a short queue rejects"
        );
        assert!(srv.rejected_down > 0 && srv.lost_in_crash > 0 && srv.crashes == 1);
        let m = w.metrics();
        assert!(m.error_rate > 0.0 && m.error_rate < 1.0);
        assert!(
            m.utilization > 0.7,
            "overloaded server is busy: {}",
            m.utilization
        );
    }

    #[test]
    fn matches_m_m_1_theory_at_low_load() {
        // λ = 5/s, μ = 10/s, effectively unbounded queue: mean time in system 1/(μ-λ) = 200 ms.
        let s = DemoScenario {
            arrival_rate: 5.0,
            service_ms: 100.0,
            queue_limit: 1_000_000,
            duration_s: 20_000.0,
            ..Default::default()
        };
        let w = run(&s);
        let mean = w.server().latency().mean().as_millis_f64();
        assert!((mean - 200.0).abs() < 12.0, "mean time in system {mean} ms");
        let m = w.metrics();
        assert!((m.utilization - 0.5).abs() < 0.02, "ρ {}", m.utilization);
        assert!((m.throughput_per_s - 5.0).abs() < 0.15);
    }

    #[test]
    fn live_commands_are_traced() {
        let s = DemoScenario::default();
        let mut a = DemoWorld::new(&s);
        let mut b = DemoWorld::new(&s);
        a.advance(SimTime::from_secs(10), u64::MAX);
        b.advance(SimTime::from_secs(10), u64::MAX);
        a.crash_now();
        a.run_to_end();
        b.run_to_end();
        assert_ne!(a.trace_hash(), b.trace_hash());
        assert_eq!(a.server().crashes, 1);
        assert!(!a.server().is_up());
    }

    #[test]
    fn spike_raises_the_load() {
        let base = DemoScenario::default();
        let spiky = DemoScenario {
            faults: FaultPlan::parse("f", "spike*5@10s+20s").unwrap(),
            ..base.clone()
        };
        assert!(run(&spiky).server().arrived > run(&base).server().arrived + 300);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn same_seed_same_hash_other_seed_other_hash(seed in any::<u64>(), rate in 1.0f64..40.0) {
            let s = DemoScenario { seed, arrival_rate: rate, duration_s: 30.0, ..Default::default() };
            let a = run(&s);
            let b = run(&s);
            prop_assert_eq!(a.trace_hash(), b.trace_hash());
            prop_assert_eq!(a.metrics(), b.metrics());
            let c = run(&DemoScenario { seed: seed.wrapping_add(1), ..s });
            prop_assert_ne!(a.trace_hash(), c.trace_hash());
        }

        #[test]
        fn stepping_pattern_does_not_change_the_run(seed in 0u64..1000, steps in proptest::collection::vec((1u64..3_000_000, 1u64..500), 1..60)) {
            let s = DemoScenario { seed, duration_s: 40.0, faults: FaultPlan::parse("f", "crash:server@12s+3s,spike*3@20s+5s").unwrap(), ..Default::default() };
            let one = run(&s);
            let mut many = DemoWorld::new(&s);
            let mut t = SimTime::ZERO;
            for (dt, budget) in steps {
                t += SimTime(dt);
                many.advance(t, budget);
            }
            many.run_to_end();
            prop_assert_eq!(one.trace_hash(), many.trace_hash());
            // The clock may stand past the last event if a step overshot it; everything the
            // run measured must still agree.
            let strip = |m: MetricsSnapshot| MetricsSnapshot { sim_time_s: 0.0, ..m };
            prop_assert_eq!(strip(one.metrics()), strip(many.metrics()));
        }
    }
}
