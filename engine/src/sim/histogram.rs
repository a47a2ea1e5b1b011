//! Latency histograms. HdrHistogram keeps percentiles accurate to 3 significant digits in fixed
//! memory, however many samples a long run records, which a sorted vector of samples would not.

use crate::sim::SimTime;
use hdrhistogram::Histogram;

/// Latencies in microseconds, from 1 µs up to ten days of virtual time.
#[derive(Clone, Debug)]
pub struct LatencyHistogram {
    h: Histogram<u64>,
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        Self::new()
    }
}

const HIGHEST_US: u64 = 10 * 24 * 3_600 * 1_000_000;

impl LatencyHistogram {
    pub fn new() -> Self {
        LatencyHistogram {
            h: Histogram::new_with_bounds(1, HIGHEST_US, 3).expect("static bounds are valid"),
        }
    }

    /// Records one latency; values beyond the range are clamped to its top rather than lost.
    #[inline]
    pub fn record(&mut self, latency: SimTime) {
        self.h
            .saturating_record(latency.as_micros().min(HIGHEST_US));
    }

    pub fn count(&self) -> u64 {
        self.h.len()
    }

    pub fn is_empty(&self) -> bool {
        self.h.is_empty()
    }

    /// The latency at quantile `q` in [0, 1]; zero when nothing was recorded.
    pub fn quantile(&self, q: f64) -> SimTime {
        if self.h.is_empty() {
            return SimTime::ZERO;
        }
        SimTime(self.h.value_at_quantile(q.clamp(0.0, 1.0)))
    }

    pub fn mean(&self) -> SimTime {
        if self.h.is_empty() {
            return SimTime::ZERO;
        }
        SimTime::from_secs_f64(self.h.mean() / 1e6)
    }

    pub fn max(&self) -> SimTime {
        SimTime(self.h.max())
    }

    pub fn reset(&mut self) {
        self.h.reset();
    }

    pub fn add(&mut self, other: &LatencyHistogram) {
        // Same bounds on both sides, so this cannot fail.
        let _ = self.h.add(&other.h);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_of_a_uniform_ramp() {
        let mut h = LatencyHistogram::new();
        for ms in 1..=1000u64 {
            h.record(SimTime::from_millis(ms));
        }
        let p50 = h.quantile(0.5).as_millis_f64();
        let p99 = h.quantile(0.99).as_millis_f64();
        assert!((p50 - 500.0).abs() < 1.0, "p50 {p50}");
        assert!((p99 - 990.0).abs() < 1.5, "p99 {p99}");
        assert_eq!(h.count(), 1000);
        assert!((h.mean().as_millis_f64() - 500.5).abs() < 0.5);
    }

    #[test]
    fn empty_and_huge_values_do_not_panic() {
        let mut h = LatencyHistogram::new();
        assert_eq!(h.quantile(0.99), SimTime::ZERO);
        h.record(SimTime::MAX);
        h.record(SimTime::ZERO);
        assert_eq!(h.count(), 2);
    }
}
