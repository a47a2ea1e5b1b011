//! The batch-vs-streaming lab as the page sees it: the two pipelines side by side, their
//! time-to-detect, freshness and cost, and the windows each produced.

use super::model::{Pipelines, Txn};
use super::scenario::StreamScenario;
use super::window::Shape;
use crate::sim::{Advance, LabWorld, MetricsSnapshot, Simulation, TimeSeries};
use std::collections::BTreeMap;

#[derive(Clone)]
pub struct StreamWorld {
    sim: Simulation<Pipelines>,
}

/// Percentiles of a list of seconds: (count, p50, p95, max).
pub fn spread(values: &[f64]) -> (usize, f64, f64, f64) {
    if values.is_empty() {
        return (0, 0.0, 0.0, 0.0);
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let q = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    (v.len(), q(0.5), q(0.95), v[v.len() - 1])
}

/// Events per window counted straight from the raw transactions: what any correct windowing
/// must add up to.
pub fn brute_force_windows(txns: &[Txn], shape: Shape) -> BTreeMap<u64, u64> {
    let mut out = BTreeMap::new();
    for t in txns {
        for s in shape.starts(t.time.as_micros()) {
            *out.entry(s).or_default() += 1;
        }
    }
    out
}

impl StreamWorld {
    pub fn new(s: &StreamScenario) -> Self {
        StreamWorld {
            sim: Simulation::new(Pipelines::new(s)),
        }
    }

    pub fn pipelines(&self) -> &Pipelines {
        self.sim.model()
    }

    pub fn run_to_end(&mut self) -> Advance {
        self.sim.run_to_end(u64::MAX)
    }

    pub fn spike_now(&mut self, factor: f64) {
        self.sim.command(super::model::Event::Fault(
            crate::sim::fault::Phase::Begin,
            crate::sim::FaultKind::LoadSpike { factor },
        ));
    }

    pub fn end_spike_now(&mut self) {
        self.sim.command(super::model::Event::Fault(
            crate::sim::fault::Phase::End,
            crate::sim::FaultKind::LoadSpike { factor: 1.0 },
        ));
    }

    /// (batch, streaming) dollars so far.
    pub fn cost(&self) -> (f64, f64) {
        self.pipelines().cost(self.sim.now())
    }

    /// (batch, streaming) seconds behind now.
    pub fn freshness(&self) -> (f64, f64) {
        self.pipelines().freshness(self.sim.now())
    }
}

impl LabWorld for StreamWorld {
    crate::sim::world::clock_from_sim!();
    /// Each finished batch run (a few per run), and the moment the streaming side has caught up.
    fn announcement(&self) -> Option<String> {
        let p = self.pipelines();
        if p.done_at.is_some() {
            return Some("every event is processed by both pipelines; all windows closed".into());
        }
        let batches = p.batch_runs.iter().filter(|r| r.end.is_some()).count();
        let stream = if p.stream_finished.is_some() {
            "the stream has processed every event"
        } else {
            "the stream is processing events as they arrive"
        };
        Some(format!("{stream}; {batches} batch run(s) finished"))
    }
    fn is_done(&self) -> bool {
        self.pipelines().done_at.is_some()
    }
    fn metrics(&self) -> MetricsSnapshot {
        let p = self.pipelines();
        let now = self.sim.now();
        let span = p.done_at.unwrap_or(now);
        let h = &p.stream_latency;
        let secs = span.as_secs_f64();
        let busy = p.busy.area(span) as f64 / 1e6;
        MetricsSnapshot {
            sim_time_s: now.as_secs_f64(),
            throughput_per_s: if p.done_at.is_some() {
                if secs > 0.0 {
                    p.stream_done as f64 / secs
                } else {
                    0.0
                }
            } else {
                p.window_rate(now)
            },
            latency_p50_ms: h.quantile(0.5).as_millis_f64(),
            latency_p95_ms: h.quantile(0.95).as_millis_f64(),
            latency_p99_ms: h.quantile(0.99).as_millis_f64(),
            utilization: if secs > 0.0 {
                (busy / secs / f64::from(p.s.stream_workers)).min(1.0)
            } else {
                0.0
            },
            error_rate: if p.stream_done > 0 {
                p.windows.late_dropped as f64 / p.stream_done as f64
            } else {
                0.0
            },
            backlog: (p.queue.len() + p.bucket.len()) as u64,
            job_duration_s: p
                .batch_runs
                .iter()
                .rev()
                .find_map(|r| r.end.map(|e| e.saturating_sub(r.start).as_secs_f64()))
                .unwrap_or(0.0),
            total_completed: p.stream_done,
            total_failed: p.windows.late_dropped,
        }
    }
    fn series(&self) -> &TimeSeries {
        &self.pipelines().series
    }
}
