//! The scaling lab as the UI and CLI drive it.

use super::cluster::{Cluster, Event, Routing};
use super::scenario::{Load, Mode, ScalingScenario};
use crate::sim::fault::Phase;
use crate::sim::{Advance, FaultKind, LabWorld, MetricsSnapshot, Simulation, TimeSeries};

#[derive(Clone)]
pub struct ScalingWorld {
    sim: Simulation<Cluster>,
}

/// One machine as the page draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct MachineView {
    pub name: String,
    pub cores: u32,
    pub busy_cores: u32,
    pub memory_used_mb: f64,
    pub memory_mb: f64,
    pub up: bool,
    pub in_lb: bool,
    pub active: bool,
    pub queued: usize,
    pub utilization: f64,
    pub routed: u64,
    pub swapping: bool,
}

impl ScalingWorld {
    pub fn new(s: &ScalingScenario) -> Self {
        ScalingWorld {
            sim: Simulation::new(Cluster::new(s)),
        }
    }

    pub fn cluster(&self) -> &Cluster {
        self.sim.model()
    }

    pub fn run_to_end(&mut self) -> Advance {
        self.sim.run_to_end(u64::MAX)
    }

    pub fn machines(&self) -> Vec<MachineView> {
        let c = self.sim.model();
        let util = c.machine_utilization(self.sim.now());
        c.machines
            .iter()
            .zip(util)
            .map(|(m, u)| MachineView {
                name: m.name.clone(),
                cores: m.kind.cores,
                busy_cores: m.station.busy(),
                memory_used_mb: m.memory_used_mb(c.scenario.mem_mb),
                memory_mb: f64::from(m.kind.memory_gb) * 1024.0,
                up: m.up,
                in_lb: m.in_lb,
                active: m.active,
                queued: m.station.waiting(),
                utilization: u,
                routed: m.routed,
                swapping: m.swap_factor > 1.0,
            })
            .collect()
    }

    pub fn recent_routings(&self) -> impl Iterator<Item = &Routing> {
        self.sim.model().recent.iter()
    }

    pub fn cost_per_hour(&self) -> f64 {
        self.sim.model().cost_per_hour()
    }

    /// Dollars per million completed requests, so far.
    pub fn cost_per_million(&self) -> f64 {
        let c = self.sim.model();
        if c.completed == 0 {
            0.0
        } else {
            c.cost_so_far(self.sim.now()) / c.completed as f64 * 1e6
        }
    }

    pub fn availability(&self) -> f64 {
        self.sim.model().availability()
    }

    pub fn crash_now(&mut self, i: usize) {
        self.inject(Phase::Begin, |t| FaultKind::Crash { target: t }, i);
    }
    pub fn restart_now(&mut self, i: usize) {
        self.inject(Phase::Begin, |t| FaultKind::Restart { target: t }, i);
    }
    pub fn spike_now(&mut self, factor: f64) {
        self.sim
            .command(Event::Fault(Phase::Begin, FaultKind::LoadSpike { factor }));
    }
    pub fn end_spike_now(&mut self) {
        self.sim.command(Event::Fault(
            Phase::End,
            FaultKind::LoadSpike { factor: 1.0 },
        ));
    }

    fn inject(&mut self, phase: Phase, kind: impl FnOnce(String) -> FaultKind, i: usize) {
        if let Some(m) = self.sim.model().machines.get(i) {
            let k = kind(m.name.clone());
            self.sim.command(Event::Fault(phase, k));
        }
    }
}

impl LabWorld for ScalingWorld {
    crate::sim::world::clock_from_sim!();
    fn is_done(&self) -> bool {
        self.sim.model().is_done()
    }
    fn metrics(&self) -> MetricsSnapshot {
        let c = self.sim.model();
        let now = self.sim.now();
        let end = c.done_at.unwrap_or(now);
        let total = c.completed + c.failed;
        MetricsSnapshot {
            sim_time_s: now.as_secs_f64(),
            throughput_per_s: if c.is_done() {
                c.completed as f64 / end.as_secs_f64().max(1e-9)
            } else {
                c.window_rate(now)
            },
            latency_p50_ms: c.latency.quantile(0.5).as_millis_f64(),
            latency_p95_ms: c.latency.quantile(0.95).as_millis_f64(),
            latency_p99_ms: c.latency.quantile(0.99).as_millis_f64(),
            utilization: c.utilization(now),
            error_rate: if total == 0 {
                0.0
            } else {
                c.failed as f64 / total as f64
            },
            backlog: c.queued(),
            job_duration_s: end.as_secs_f64(),
            total_completed: c.completed,
            total_failed: c.failed,
        }
    }
    fn series(&self) -> &TimeSeries {
        &self.sim.model().series
    }
}

/// Throughput (completed requests per second) with 1..=`max` machines under a load far above
/// capacity, measured by running the engine; the shape of the speed-up curve.
pub fn speedup_curve(base: &ScalingScenario, max: u32) -> Vec<(u32, f64)> {
    (1..=max.clamp(1, 64))
        .map(|n| {
            let one =
                f64::from(super::catalogue::CATALOGUE[base.machine].cores) * 1000.0 / base.cpu_ms;
            let s = ScalingScenario {
                mode: Mode::Horizontal,
                machines: n,
                load: Load::Poisson,
                rate: one * f64::from(n) * 1.5,
                duration_s: 20.0,
                faults: Default::default(),
                autoscale_target: 0.0,
                retries: 0,
                mem_mb: 0.0,
                ..base.clone()
            };
            let mut w = ScalingWorld::new(&s);
            w.run_to_end();
            (
                n,
                w.cluster().completed as f64
                    / w.cluster().done_at.map_or(20.0, |t| t.as_secs_f64()),
            )
        })
        .collect()
}

/// The Universal Scalability Law's prediction, relative to one machine's throughput `x1`.
pub fn usl(x1: f64, n: u32, sigma: f64, kappa: f64) -> f64 {
    let n = f64::from(n);
    x1 * n / (1.0 + sigma * (n - 1.0) + kappa * n * (n - 1.0))
}

/// Least-squares fit of the Universal Scalability Law to a measured curve: with
/// `y = N·X1/X(N) − 1 = σ(N−1) + κN(N−1)`, σ and κ come from a two-regressor linear fit
/// (clamped at zero). Needs the point for one machine first.
pub fn fit_usl(points: &[(u32, f64)]) -> Option<(f64, f64)> {
    let x1 = points.first().filter(|p| p.0 == 1)?.1;
    let (mut s11, mut s12, mut s22, mut sy1, mut sy2) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &(n, x) in points.iter().skip(1) {
        if x <= 0.0 {
            continue;
        }
        let n = f64::from(n);
        let y = n * x1 / x - 1.0;
        let (a, b) = (n - 1.0, n * (n - 1.0));
        s11 += a * a;
        s12 += a * b;
        s22 += b * b;
        sy1 += a * y;
        sy2 += b * y;
    }
    let det = s11 * s22 - s12 * s12;
    if det.abs() < 1e-12 {
        return None;
    }
    let sigma = (sy1 * s22 - sy2 * s12) / det;
    let kappa = (s11 * sy2 - s12 * sy1) / det;
    if sigma < 0.0 || kappa < 0.0 {
        // Refit the one-parameter models and keep the better-behaved one.
        let kappa_only = (sy2 / s22).max(0.0);
        let sigma_only = (sy1 / s11).max(0.0);
        return Some(if kappa < 0.0 {
            (sigma_only, 0.0)
        } else {
            (0.0, kappa_only)
        });
    }
    Some((sigma, kappa))
}

/// Amdahl's law fitted to a measured curve: the serial fraction `s` in
/// `X(N) = X1·N / (1 + s(N−1))`.
pub fn fit_amdahl(points: &[(u32, f64)]) -> Option<f64> {
    let x1 = points.first().filter(|p| p.0 == 1)?.1;
    let (mut num, mut den) = (0.0, 0.0);
    for &(n, x) in points.iter().skip(1) {
        if x <= 0.0 {
            continue;
        }
        let n = f64::from(n);
        num += (n * x1 / x - 1.0) * (n - 1.0);
        den += (n - 1.0) * (n - 1.0);
    }
    (den > 0.0).then(|| (num / den).clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests;
