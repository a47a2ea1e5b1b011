//! The caching lab as the page sees it: the service stepped on the clock, live commands (kill
//! and restart the cache), and the hit-ratio-versus-size curve measured by re-running the engine.

use super::model::{Event, Service};
use super::scenario::{CacheScenario, CACHE};
use crate::sim::fault::Phase;
use crate::sim::{Advance, FaultKind, LabWorld, MetricsSnapshot, Simulation, TimeSeries};

#[derive(Clone)]
pub struct CacheWorld {
    sim: Simulation<Service>,
}

impl CacheWorld {
    pub fn new(s: &CacheScenario) -> Self {
        CacheWorld {
            sim: Simulation::new(Service::new(s)),
        }
    }

    pub fn service(&self) -> &Service {
        self.sim.model()
    }

    pub fn run_to_end(&mut self) -> Advance {
        self.sim.run_to_end(u64::MAX)
    }

    pub fn kill_cache_now(&mut self) {
        self.sim.command(Event::Fault(
            Phase::Begin,
            FaultKind::Crash {
                target: CACHE.into(),
            },
        ));
    }

    pub fn restart_cache_now(&mut self) {
        self.sim.command(Event::Fault(
            Phase::Begin,
            FaultKind::Restart {
                target: CACHE.into(),
            },
        ));
    }

    /// Hits over reads for the whole run so far.
    pub fn hit_ratio(&self) -> f64 {
        let c = self.service().counts;
        if c.reads == 0 {
            0.0
        } else {
            c.hits as f64 / c.reads as f64
        }
    }

    /// Hit ratio for each cache size, each measured by running the engine on the same load
    /// (at most 30 simulated seconds per point): (slots, hit ratio).
    pub fn hit_ratio_curve(s: &CacheScenario, sizes: &[u32]) -> Vec<(u32, f64)> {
        sizes
            .iter()
            .map(|&capacity| {
                let mut w = CacheWorld::new(&CacheScenario {
                    capacity,
                    duration_s: s.duration_s.min(30.0),
                    faults: Default::default(),
                    ..s.clone()
                });
                w.run_to_end();
                (capacity, w.hit_ratio())
            })
            .collect()
    }
}

impl LabWorld for CacheWorld {
    crate::sim::world::clock_from_sim!();
    fn announcement(&self) -> Option<String> {
        (!self.service().cache_up)
            .then(|| "the cache is down: every read goes to the database".to_string())
    }
    fn is_done(&self) -> bool {
        self.service().done_at.is_some()
    }
    fn metrics(&self) -> MetricsSnapshot {
        let sv = self.service();
        let now = self.sim.now();
        let c = sv.counts;
        let span = sv.done_at.unwrap_or(now);
        let whole =
            sv.done_at.is_some() || now.saturating_sub(sv.window.start).as_micros() < 50_000;
        let secs = span.as_secs_f64();
        let (throughput, utilization) = if whole {
            let busy = sv.store.busy_time.area(span) as f64 / 1e6;
            if secs > 0.0 {
                (
                    c.reads as f64 / secs,
                    (busy / secs / f64::from(sv.s.store_servers)).min(1.0),
                )
            } else {
                (0.0, 0.0)
            }
        } else {
            (
                sv.window.rate(now),
                sv.window.utilization(now, &sv.store.busy_time),
            )
        };
        MetricsSnapshot {
            sim_time_s: now.as_secs_f64(),
            throughput_per_s: throughput,
            latency_p50_ms: sv.latency.quantile(0.5).as_millis_f64(),
            latency_p95_ms: sv.latency.quantile(0.95).as_millis_f64(),
            latency_p99_ms: sv.latency.quantile(0.99).as_millis_f64(),
            utilization,
            error_rate: if c.reads > 0 {
                c.timeouts as f64 / c.reads as f64
            } else {
                0.0
            },
            backlog: sv.store.waiting() as u64,
            job_duration_s: secs,
            total_completed: c.reads - c.timeouts,
            total_failed: c.timeouts,
        }
    }
    fn series(&self) -> &TimeSeries {
        &self.service().series
    }
}
