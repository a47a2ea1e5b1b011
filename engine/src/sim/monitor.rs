//! Monitoring in the style of Prometheus + Grafana: the six dashboard metrics sampled over
//! virtual time, thresholds that say when a panel should turn red. Any lab can keep a
//! [`MetricsHistory`]; worlds that sample on their own clock expose it through
//! [`crate::sim::LabWorld::history`], so the sparklines are the same on every machine.

use crate::sim::{MetricsSnapshot, SimTime};

/// Snapshots taken at most once per `interval` of virtual time. When full, every other sample is
/// dropped and the interval doubles, so a long run keeps its whole shape in bounded memory.
#[derive(Clone, Debug)]
pub struct MetricsHistory {
    samples: Vec<MetricsSnapshot>,
    interval: SimTime,
    capacity: usize,
    next: f64,
}

impl MetricsHistory {
    pub fn new(interval: SimTime, capacity: usize) -> Self {
        MetricsHistory {
            samples: Vec::new(),
            interval,
            capacity: capacity.max(4),
            next: 0.0,
        }
    }

    /// Keeps `m` if its time has reached the next sampling point; an earlier time (a restarted
    /// run) starts the history again.
    pub fn offer(&mut self, m: MetricsSnapshot) {
        if let Some(last) = self.samples.last() {
            if m.sim_time_s < last.sim_time_s {
                self.samples.clear();
                self.next = 0.0;
            }
        }
        if m.sim_time_s + 1e-9 < self.next {
            // Keep the newest reading of the current bucket so the last point is always fresh.
            let n = self.samples.len();
            if n > 1 {
                self.samples[n - 1] = m;
                return;
            }
            if n == 1 {
                return;
            }
        }
        self.next = m.sim_time_s + self.interval.as_secs_f64();
        self.samples.push(m);
        if self.samples.len() >= self.capacity {
            let kept: Vec<_> = self.samples.iter().step_by(2).cloned().collect();
            self.samples = kept;
            self.interval = SimTime::from_micros(self.interval.as_micros() * 2);
        }
    }

    /// Forgets samples after `t_s` (the page travelled back in time; the replay samples them
    /// again).
    pub fn rewind(&mut self, t_s: f64) {
        self.samples.retain(|m| m.sim_time_s <= t_s + 1e-9);
        self.next = self
            .samples
            .last()
            .map_or(0.0, |m| m.sim_time_s + self.interval.as_secs_f64());
    }

    pub fn samples(&self) -> &[MetricsSnapshot] {
        &self.samples
    }

    pub fn values(&self, metric: Metric) -> Vec<f64> {
        self.samples.iter().map(|m| metric.value(m)).collect()
    }
}

/// The six dashboard metrics, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    Throughput,
    LatencyP95,
    Utilization,
    ErrorRate,
    Backlog,
    JobDuration,
}

impl Metric {
    pub const ALL: [Metric; 6] = [
        Metric::Throughput,
        Metric::LatencyP95,
        Metric::Utilization,
        Metric::ErrorRate,
        Metric::Backlog,
        Metric::JobDuration,
    ];

    pub fn value(self, m: &MetricsSnapshot) -> f64 {
        match self {
            Metric::Throughput => m.throughput_per_s,
            Metric::LatencyP95 => m.latency_p95_ms,
            Metric::Utilization => m.utilization * 100.0,
            Metric::ErrorRate => m.error_rate * 100.0,
            Metric::Backlog => m.backlog as f64,
            Metric::JobDuration => m.job_duration_s,
        }
    }
}

/// When a panel turns amber and red. `above`: high values are bad (latency, backlog); otherwise
/// low values are bad (utilisation, throughput).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Threshold {
    pub metric: Metric,
    pub warn: f64,
    pub bad: f64,
    pub above: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Ok,
    Warn,
    Bad,
}

impl Threshold {
    pub fn level(&self, v: f64) -> Level {
        let past = |limit: f64| if self.above { v >= limit } else { v <= limit };
        if past(self.bad) {
            Level::Bad
        } else if past(self.warn) {
            Level::Warn
        } else {
            Level::Ok
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(t: f64, b: u64) -> MetricsSnapshot {
        MetricsSnapshot {
            sim_time_s: t,
            backlog: b,
            ..Default::default()
        }
    }

    #[test]
    fn samples_once_per_interval_and_restarts_when_time_goes_back() {
        let mut h = MetricsHistory::new(SimTime::from_secs(1), 100);
        for i in 0..50 {
            h.offer(at(f64::from(i) * 0.25, i as u64));
        }
        // 0, 1, 2, ... 12 plus the freshest reading of the last bucket.
        assert!(h.samples().len() >= 12 && h.samples().len() <= 14);
        assert_eq!(h.samples().last().map(|m| m.backlog), Some(49));
        h.offer(at(0.0, 7));
        assert_eq!(h.values(Metric::Backlog), vec![7.0]);
    }

    #[test]
    fn bounded_memory_keeps_the_whole_run() {
        let mut h = MetricsHistory::new(SimTime::from_millis(10), 16);
        for i in 0..10_000 {
            h.offer(at(f64::from(i) * 0.01, i as u64));
        }
        assert!(h.samples().len() < 16);
        assert_eq!(h.samples()[0].backlog, 0);
        assert!(h.samples().last().map_or(0, |m| m.backlog) > 9_000);
    }

    #[test]
    fn thresholds_in_both_directions() {
        let lat = Threshold {
            metric: Metric::LatencyP95,
            warn: 100.0,
            bad: 500.0,
            above: true,
        };
        assert_eq!(lat.level(50.0), Level::Ok);
        assert_eq!(lat.level(100.0), Level::Warn);
        assert_eq!(lat.level(900.0), Level::Bad);
        let util = Threshold {
            metric: Metric::Utilization,
            warn: 60.0,
            bad: 30.0,
            above: false,
        };
        assert_eq!(util.level(90.0), Level::Ok);
        assert_eq!(util.level(50.0), Level::Warn);
        assert_eq!(util.level(10.0), Level::Bad);
    }
}
