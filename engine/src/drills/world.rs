//! The drill as a lab world, its scorecard, and the stress ramp.

use super::model::{DrillModel, Fate};
use super::scenario::DrillScenario;
use super::scorecard::{scorecard, Scorecard};
use crate::sim::monitor::MetricsHistory;
use crate::sim::{
    Advance, Fault, FaultKind, FaultPlan, LabWorld, MetricsSnapshot, SimTime, Simulation,
    TimeSeries,
};

pub fn metrics_of(m: &DrillModel, now: SimTime) -> MetricsSnapshot {
    let c = &m.counts;
    let span = m.done_at.unwrap_or(now);
    let secs = span.as_secs_f64();
    // All configured workers, crashed ones included: a crash shows as lost capacity.
    let capacity = m.broker.consumers.len().max(1) as f64;
    let failed = c.lost + c.dead_lettered + c.quarantined;
    MetricsSnapshot {
        sim_time_s: now.as_secs_f64(),
        throughput_per_s: m.series.last().map_or(0.0, |(_, row)| row[0]),
        latency_p50_ms: m.latency.quantile(0.5).as_millis_f64(),
        latency_p95_ms: m.latency.quantile(0.95).as_millis_f64(),
        latency_p99_ms: m.latency.quantile(0.99).as_millis_f64(),
        utilization: if span.as_micros() > 0 {
            (m.worker_busy_area(span) as f64 / (span.as_micros() as f64 * capacity)).min(1.0)
        } else {
            0.0
        },
        error_rate: if c.produced > 0 {
            failed as f64 / c.produced as f64
        } else {
            0.0
        },
        backlog: m.in_flight(),
        job_duration_s: secs,
        total_completed: c.loaded,
        total_failed: failed,
    }
}

#[derive(Clone)]
pub struct DrillWorld {
    pub scenario: DrillScenario,
    sim: Simulation<DrillModel>,
}

impl DrillWorld {
    pub fn new(s: &DrillScenario) -> Self {
        DrillWorld {
            scenario: s.clone(),
            sim: Simulation::new(DrillModel::new(s)),
        }
    }

    pub fn model(&self) -> &DrillModel {
        self.sim.model()
    }

    pub fn run_to_end(&mut self) -> Advance {
        self.sim.run_to_end(u64::MAX)
    }

    pub fn scorecard(&self) -> Scorecard {
        let m = self.model();
        let end = m.done_at.unwrap_or(self.sim.now()).as_secs_f64();
        scorecard(m, end)
    }

    /// Where the records are right now: (queue incl. in the workers, staging, warehouse,
    /// quarantine, dead-letter queue, lost).
    pub fn stations(&self) -> [u64; 6] {
        let m = self.model();
        let c = &m.counts;
        [
            m.in_flight() - m.staging.len() as u64,
            m.staging.len() as u64,
            c.loaded,
            c.quarantined,
            c.dead_lettered,
            c.lost,
        ]
    }
}

impl LabWorld for DrillWorld {
    crate::sim::world::clock_from_sim!();
    fn announcement(&self) -> Option<String> {
        (!self.model().warehouse_up)
            .then(|| "the warehouse is down: writes are failing or being retried".to_string())
    }
    fn is_done(&self) -> bool {
        self.model().done_at.is_some()
    }
    fn metrics(&self) -> MetricsSnapshot {
        metrics_of(self.model(), self.sim.now())
    }
    fn series(&self) -> &TimeSeries {
        &self.model().series
    }
    fn history(&self) -> Option<&MetricsHistory> {
        Some(&self.model().history)
    }
}

/// One step of the stress ramp.
#[derive(Clone, Debug, PartialEq)]
pub struct RampStep {
    pub rate: f64,
    /// p95 time to the warehouse of records loaded during the step, and the age of the oldest
    /// record still waiting at its end.
    pub p95_s: f64,
    pub oldest_s: f64,
    pub worker_util: f64,
    /// Records loaded over the most the loader can write (full batches back to back).
    pub loader_util: f64,
    /// Records lost during the step (a full queue drops them).
    pub lost: u64,
    pub broke: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Ramp {
    pub steps: Vec<RampStep>,
    /// The first step whose latency broke the objective.
    pub breaking: Option<usize>,
    /// The first component to pass 90% busy, and at which step.
    pub first_saturated: Option<(usize, &'static str)>,
}

pub const RAMP_STEP_S: u64 = 30;
pub const RAMP_FACTOR: f64 = 1.25;
pub const RAMP_STEPS: usize = 20;

/// Raises the load by 25% every 30 s (no faults, the scenario's mitigations) until the latency
/// objective breaks.
pub fn stress_ramp(base: &DrillScenario) -> Ramp {
    let faults = (1..RAMP_STEPS)
        .map(|k| Fault {
            at: SimTime::from_secs(k as u64 * RAMP_STEP_S),
            duration: Some(SimTime::from_secs(RAMP_STEP_S)),
            kind: FaultKind::LoadSpike {
                factor: RAMP_FACTOR.powi(k as i32),
            },
        })
        .collect();
    let s = DrillScenario {
        drill: "custom".into(),
        faults: FaultPlan::new(faults),
        duration_s: (RAMP_STEPS as u64 * RAMP_STEP_S) as f64,
        ..base.clone()
    };
    let mut sim = Simulation::new(DrillModel::new(&s));
    let mut steps = Vec::new();
    let mut first_saturated = None;
    let mut breaking = None;
    let mut prev = (SimTime::ZERO, 0u128, 0u64, 0usize, 0u64);
    let loader_max = f64::from(s.batch) / (s.write_ms / 1000.0);
    let slo = s.slo_s;
    for k in 0..RAMP_STEPS {
        let end = SimTime::from_secs((k as u64 + 1) * RAMP_STEP_S);
        sim.advance(end, u64::MAX);
        let m = sim.model();
        let span = end.saturating_sub(prev.0).as_micros() as f64;
        let workers = m.broker.busy.capacity().max(1) as f64;
        let wa = m.worker_busy_area(end);
        let loaded = m.counts.loaded;
        let mut lat: Vec<f64> = m.log[prev.3..]
            .iter()
            .filter(|e| e.kind == "loaded")
            .map(|e| {
                e.t.saturating_sub(m.recs[e.record as usize].created)
                    .as_secs_f64()
            })
            .collect();
        lat.sort_by(f64::total_cmp);
        let p95 = lat
            .get(((lat.len().max(1) - 1) as f64 * 0.95).round() as usize)
            .copied()
            .unwrap_or(0.0);
        let oldest = m.oldest_age(end).as_secs_f64();
        let step = RampStep {
            rate: s.rate * RAMP_FACTOR.powi(k as i32),
            p95_s: p95,
            oldest_s: oldest,
            worker_util: ((wa - prev.1) as f64 / (span * workers)).min(1.0),
            loader_util: ((loaded - prev.2) as f64 / (span / 1e6 * loader_max)).min(1.0),
            lost: m.counts.lost - prev.4,
            broke: p95 > slo || oldest > slo || m.counts.lost > prev.4,
        };
        if first_saturated.is_none() {
            if step.worker_util >= 0.9 {
                first_saturated = Some((k, "transform workers"));
            } else if step.loader_util >= 0.9 {
                first_saturated = Some((k, "warehouse loader"));
            }
        }
        let broke = step.broke;
        prev = (end, wa, loaded, m.log.len(), m.counts.lost);
        steps.push(step);
        if broke {
            breaking = Some(k);
            break;
        }
    }
    Ramp {
        steps,
        breaking,
        first_saturated,
    }
}

/// Every record's fate, for the page's record inspector: (id, fate) of the first `n` records
/// that ended somewhere other than the warehouse.
pub fn set_aside(m: &DrillModel, n: usize) -> Vec<(u64, Fate)> {
    m.recs
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            matches!(
                r.fate,
                Fate::Quarantined(_) | Fate::DeadLettered | Fate::Lost(_)
            )
        })
        .take(n)
        .map(|(i, r)| (i as u64, r.fate.clone()))
        .collect()
}
