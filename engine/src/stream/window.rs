//! Windows over a stream: which windows an event belongs to, the open windows an operator keeps,
//! the watermark that closes them, and late events counted (not silently lost) when their
//! window has already closed.

use super::scenario::WindowKind;
use crate::sim::SimTime;
use std::collections::BTreeMap;

/// Window shape in µs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    pub kind: WindowKind,
    pub size: u64,
    pub slide: u64,
}

impl Shape {
    /// Starts of every window containing time `t` (µs), oldest first.
    pub fn starts(&self, t: u64) -> Vec<u64> {
        match self.kind {
            WindowKind::Tumbling => vec![t - t % self.size],
            WindowKind::Sliding => {
                let last = t - t % self.slide;
                let mut out = Vec::new();
                let mut s = last as i128;
                while s >= 0 && (s as u64) + self.size > t {
                    out.push(s as u64);
                    s -= self.slide as i128;
                }
                out.reverse();
                out
            }
        }
    }
}

/// One window's result.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Agg {
    pub events: u64,
    pub fraud: u64,
    /// Cents.
    pub amount: u64,
}

impl Agg {
    pub fn add(&mut self, fraud: bool, amount: u64) {
        self.events += 1;
        self.fraud += u64::from(fraud);
        self.amount += amount;
    }
}

/// A closed window as the operator emitted it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Emitted {
    pub start: u64,
    pub agg: Agg,
    /// When it was emitted (processing time).
    pub at: SimTime,
    /// Events that arrived after it closed (counted, not added).
    pub late_dropped: u64,
}

/// The operator's window state.
#[derive(Clone, Debug)]
pub struct Windows {
    pub shape: Shape,
    pub open: BTreeMap<u64, Agg>,
    pub emitted: BTreeMap<u64, Emitted>,
    /// Closed windows whose start is below this are all in `emitted` or had no events.
    pub watermark: u64,
    pub late_dropped: u64,
    /// Events added to at least one window.
    pub accepted: u64,
}

impl Windows {
    pub fn new(shape: Shape) -> Self {
        Windows {
            shape,
            open: BTreeMap::new(),
            emitted: BTreeMap::new(),
            watermark: 0,
            late_dropped: 0,
            accepted: 0,
        }
    }

    /// Adds an event at window time `t` (event or processing time). Returns how many of its
    /// windows had already closed (it is counted there as late, never added).
    pub fn add(&mut self, t: u64, fraud: bool, amount: u64) -> u32 {
        let mut late = 0;
        let mut added = false;
        for s in self.shape.starts(t) {
            if s + self.shape.size <= self.watermark {
                late += 1;
                let e = self.emitted.entry(s).or_insert(Emitted {
                    start: s,
                    agg: Agg::default(),
                    at: SimTime(self.watermark),
                    late_dropped: 0,
                });
                e.late_dropped += 1;
            } else {
                self.open.entry(s).or_default().add(fraud, amount);
                added = true;
            }
        }
        if late > 0 {
            self.late_dropped += 1;
        }
        if added {
            self.accepted += 1;
        }
        late
    }

    /// Moves the watermark forward (never back) and emits every window that ended at or
    /// before it.
    pub fn advance(&mut self, watermark: u64, now: SimTime) -> Vec<Emitted> {
        if watermark <= self.watermark {
            return Vec::new();
        }
        self.watermark = watermark;
        let size = self.shape.size;
        let closing: Vec<u64> = self
            .open
            .range(..)
            .take_while(|(s, _)| **s + size <= watermark)
            .map(|(s, _)| *s)
            .collect();
        let mut out = Vec::new();
        for s in closing {
            let agg = self.open.remove(&s).unwrap_or_default();
            let e = Emitted {
                start: s,
                agg,
                at: now,
                late_dropped: 0,
            };
            self.emitted.insert(s, e);
            out.push(e);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_starts() {
        let t = Shape {
            kind: WindowKind::Tumbling,
            size: 10,
            slide: 10,
        };
        assert_eq!(t.starts(0), vec![0]);
        assert_eq!(t.starts(19), vec![10]);
        let s = Shape {
            kind: WindowKind::Sliding,
            size: 10,
            slide: 5,
        };
        assert_eq!(s.starts(12), vec![5, 10]);
        assert_eq!(s.starts(3), vec![0]);
        assert_eq!(s.starts(10), vec![5, 10]);
    }

    #[test]
    fn late_events_are_counted_not_added() {
        let mut w = Windows::new(Shape {
            kind: WindowKind::Tumbling,
            size: 10,
            slide: 10,
        });
        w.add(3, false, 1);
        w.add(12, true, 1);
        let out = w.advance(10, SimTime(15));
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].agg.events, 1);
        assert_eq!(w.add(5, false, 1), 1, "window [0,10) is closed");
        assert_eq!(w.emitted[&0].late_dropped, 1);
        assert_eq!(w.late_dropped, 1);
    }
}
