//! The six metrics every lab reports on the shared dashboard (throughput, latency, utilisation,
//! error rate, backlog, job duration), plus the windowed counters machines use to compute them.

use crate::sim::{LatencyHistogram, SimTime};
use serde::Serialize;

/// One reading of the dashboard. All "current" values cover the most recent sampling window;
/// the `total_*` values cover the whole run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MetricsSnapshot {
    pub sim_time_s: f64,
    /// Completed units of work per simulated second, over the last window.
    pub throughput_per_s: f64,
    pub latency_p50_ms: f64,
    pub latency_p95_ms: f64,
    pub latency_p99_ms: f64,
    /// Busy fraction of the capacity, 0..=1, over the last window.
    pub utilization: f64,
    /// Failed / (failed + completed), 0..=1, over the whole run.
    pub error_rate: f64,
    /// Work waiting to be served now.
    pub backlog: u64,
    /// Simulated time from the start to the last unit of work finishing (or now, if running).
    pub job_duration_s: f64,
    pub total_completed: u64,
    pub total_failed: u64,
}

/// Accumulates busy time of a pool of `capacity` servers so utilisation can be read for any
/// window without sampling at every event.
#[derive(Clone, Debug, Default)]
pub struct BusyTracker {
    busy: u64,
    capacity: u64,
    last_change: SimTime,
    busy_area_us: u128,
}

impl BusyTracker {
    pub fn new(capacity: u64) -> Self {
        BusyTracker {
            capacity: capacity.max(1),
            ..Default::default()
        }
    }

    fn settle(&mut self, now: SimTime) {
        let dt = now.saturating_sub(self.last_change).as_micros();
        self.busy_area_us += u128::from(dt) * u128::from(self.busy);
        self.last_change = now;
    }

    /// Sets the number of busy servers from `now` on.
    pub fn set_busy(&mut self, now: SimTime, busy: u64) {
        self.settle(now);
        self.busy = busy;
    }

    pub fn set_capacity(&mut self, now: SimTime, capacity: u64) {
        self.settle(now);
        self.capacity = capacity.max(1);
    }

    pub fn busy(&self) -> u64 {
        self.busy
    }

    /// Busy server-microseconds accumulated up to `now`.
    pub fn area(&self, now: SimTime) -> u128 {
        let dt = now.saturating_sub(self.last_change).as_micros();
        self.busy_area_us + u128::from(dt) * u128::from(self.busy)
    }

    pub fn capacity(&self) -> u64 {
        self.capacity
    }
}

/// Counts and latencies over the current sampling window, reset at each sample.
#[derive(Clone, Debug, Default)]
pub struct Window {
    pub start: SimTime,
    pub completed: u64,
    pub failed: u64,
    pub busy_area_at_start: u128,
    pub latency: LatencyHistogram,
}

impl Window {
    pub fn restart(&mut self, now: SimTime, busy_area: u128) {
        self.start = now;
        self.completed = 0;
        self.failed = 0;
        self.busy_area_at_start = busy_area;
        self.latency.reset();
    }

    /// Completions per second over the window so far.
    pub fn rate(&self, now: SimTime) -> f64 {
        let secs = now.saturating_sub(self.start).as_secs_f64();
        if secs <= 0.0 {
            0.0
        } else {
            self.completed as f64 / secs
        }
    }

    /// Busy fraction over the window so far.
    pub fn utilization(&self, now: SimTime, busy: &BusyTracker) -> f64 {
        let span = now.saturating_sub(self.start).as_micros();
        if span == 0 {
            return 0.0;
        }
        let area = busy.area(now).saturating_sub(self.busy_area_at_start);
        (area as f64 / (span as f64 * busy.capacity() as f64)).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_tracker_integrates() {
        let mut b = BusyTracker::new(2);
        b.set_busy(SimTime(0), 1);
        b.set_busy(SimTime(10), 2);
        b.set_busy(SimTime(20), 0);
        assert_eq!(b.area(SimTime(30)), 10 + 20);
        let mut w = Window::default();
        w.restart(SimTime(0), 0);
        assert!((w.utilization(SimTime(30), &b) - 30.0 / 60.0).abs() < 1e-12);
    }
}
