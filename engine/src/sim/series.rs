//! Time series for the live charts, sampled at fixed virtual intervals and bounded in memory:
//! when a series fills up, adjacent points are merged pairwise and the sampling stride doubles,
//! so a week-long run still fits in a few thousand points and the chart keeps its full span.

use crate::sim::SimTime;

#[derive(Clone, Debug)]
pub struct TimeSeries {
    columns: Vec<&'static str>,
    times: Vec<SimTime>,
    values: Vec<Vec<f64>>,
    stride: SimTime,
    next_due: SimTime,
    capacity: usize,
}

impl TimeSeries {
    /// `columns` names each value of a sample; `interval` is the base sampling interval;
    /// `capacity` (at least 16) bounds the number of points kept.
    pub fn new(columns: &[&'static str], interval: SimTime, capacity: usize) -> Self {
        TimeSeries {
            columns: columns.to_vec(),
            times: Vec::new(),
            values: vec![Vec::new(); columns.len()],
            stride: interval.max(SimTime(1)),
            next_due: SimTime::ZERO,
            capacity: capacity.max(16),
        }
    }

    /// A series assembled from existing points (for views that combine two runs).
    pub fn from_points(
        columns: &[&'static str],
        times: Vec<SimTime>,
        values: Vec<Vec<f64>>,
    ) -> Self {
        debug_assert_eq!(columns.len(), values.len());
        let capacity = times.len().max(16) + 1;
        TimeSeries {
            columns: columns.to_vec(),
            next_due: times.last().copied().unwrap_or(SimTime::ZERO),
            times,
            values,
            stride: SimTime(1),
            capacity,
        }
    }

    pub fn columns(&self) -> &[&'static str] {
        &self.columns
    }

    /// Offers a sample taken at `t`; it is kept only if it falls on the current stride, so
    /// callers may sample every base interval without knowing about downsampling.
    pub fn offer(&mut self, t: SimTime, sample: &[f64]) {
        debug_assert_eq!(sample.len(), self.columns.len());
        if t < self.next_due {
            return;
        }
        self.times.push(t);
        for (col, v) in self.values.iter_mut().zip(sample) {
            col.push(*v);
        }
        self.next_due = t + self.stride;
        if self.times.len() >= self.capacity {
            self.halve();
        }
    }

    fn halve(&mut self) {
        self.times = self.times.chunks(2).map(|c| c[c.len() - 1]).collect();
        for col in &mut self.values {
            *col = col
                .chunks(2)
                .map(|c| c.iter().sum::<f64>() / c.len() as f64)
                .collect();
        }
        self.stride = self.stride + self.stride;
        if let Some(last) = self.times.last() {
            self.next_due = *last + self.stride;
        }
    }

    pub fn len(&self) -> usize {
        self.times.len()
    }

    pub fn is_empty(&self) -> bool {
        self.times.is_empty()
    }

    pub fn times(&self) -> &[SimTime] {
        &self.times
    }

    /// Values of column `i`, aligned with [`times`](Self::times).
    pub fn column(&self, i: usize) -> &[f64] {
        &self.values[i]
    }

    pub fn stride(&self) -> SimTime {
        self.stride
    }

    pub fn last(&self) -> Option<(SimTime, Vec<f64>)> {
        let i = self.times.len().checked_sub(1)?;
        Some((self.times[i], self.values.iter().map(|c| c[i]).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_bounded_and_keeps_the_span() {
        let mut s = TimeSeries::new(&["x"], SimTime::from_secs(1), 16);
        for i in 0..10_000u64 {
            s.offer(SimTime::from_secs(i), &[i as f64]);
        }
        assert!(s.len() < 16);
        assert!(s.times().windows(2).all(|w| w[0] < w[1]));
        assert!(s.times().last().unwrap().as_secs_f64() > 9_000.0);
        assert!(s.stride() >= SimTime::from_secs(512));
    }

    #[test]
    fn ignores_samples_off_stride() {
        let mut s = TimeSeries::new(&["a", "b"], SimTime::from_secs(2), 100);
        s.offer(SimTime::from_secs(0), &[1.0, 2.0]);
        s.offer(SimTime::from_secs(1), &[9.0, 9.0]);
        s.offer(SimTime::from_secs(2), &[3.0, 4.0]);
        assert_eq!(s.len(), 2);
        assert_eq!(s.column(1), &[2.0, 4.0]);
        assert_eq!(s.last().unwrap().1, vec![3.0, 4.0]);
    }
}
