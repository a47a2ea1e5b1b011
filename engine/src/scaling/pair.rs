//! The scaling lab runs both answers at once: one big machine and a row of small ones, fed the
//! same requests (same seed, same load, same faults aimed at `machine-1`), so every difference
//! on the page comes from the architecture alone.

use super::scenario::{Mode, ScalingScenario};
use super::world::ScalingWorld;
use crate::sim::params::Params;
use crate::sim::{
    Advance, EventLog, FieldError, LabWorld, LoggedEvent, MetricsSnapshot, Scenario, SimTime,
    StopReason, TimeSeries, TraceHash, ValidationErrors,
};

/// The horizontal setup, plus the machine type of the vertical one.
#[derive(Clone, Debug, PartialEq)]
pub struct PairScenario {
    pub horizontal: ScalingScenario,
    /// Catalogue index of the one big machine.
    pub big: usize,
}

impl Default for PairScenario {
    fn default() -> Self {
        PairScenario {
            horizontal: ScalingScenario::default(),
            big: 3,
        }
    }
}

impl PairScenario {
    pub fn vertical(&self) -> ScalingScenario {
        ScalingScenario {
            mode: Mode::Vertical,
            machine: self.big,
            autoscale_target: 0.0,
            ..self.horizontal.clone()
        }
    }
}

impl Scenario for PairScenario {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = match self.horizontal.validate() {
            Ok(()) => vec![],
            Err(v) => v.0,
        };
        if self.big >= super::CATALOGUE.len() {
            e.push(FieldError::new(
                "big",
                "must name a machine of the catalogue (s-2 … s-192)",
            ));
        }
        if let Err(v) = self.vertical().validate() {
            e.extend(v.0.into_iter().filter(|x| x.field == "faults"));
        }
        ValidationErrors(e).into_result()
    }

    fn to_params(&self) -> Params {
        let mut p = self.horizontal.to_params();
        p.remove("mode");
        p.set("big", super::CATALOGUE[self.big.min(8)].name);
        p
    }

    fn from_params(params: &Params) -> (Self, Vec<FieldError>) {
        let mut rest = params.clone();
        let big = rest.remove("big");
        let (mut horizontal, mut errs) = ScalingScenario::from_params(&rest);
        horizontal.mode = Mode::Horizontal;
        let d = PairScenario::default();
        let big = match big {
            None => d.big,
            Some(n) => super::catalogue::by_name(&n).unwrap_or_else(|| {
                errs.push(FieldError::new(
                    "big",
                    format!("`{n}` is not in the catalogue (s-2 … s-192)"),
                ));
                d.big
            }),
        };
        (PairScenario { horizontal, big }, errs)
    }
}

/// Both setups, stepped together.
#[derive(Clone)]
pub struct PairWorld {
    pub vertical: ScalingWorld,
    pub horizontal: ScalingWorld,
    /// Throughput and p95 of both setups on one time axis, rebuilt as the runs advance.
    combined: TimeSeries,
}

pub const PAIR_SERIES: [&str; 4] = [
    "throughput /s: one big",
    "throughput /s: many small",
    "latency p95 ms: one big",
    "latency p95 ms: many small",
];

impl PairWorld {
    pub fn new(s: &PairScenario) -> Self {
        PairWorld {
            vertical: ScalingWorld::new(&s.vertical()),
            horizontal: ScalingWorld::new(&s.horizontal),
            combined: TimeSeries::from_points(&PAIR_SERIES, vec![], vec![vec![]; 4]),
        }
    }

    /// Both runs sample on the same clock (same duration), so their points line up.
    fn combine(&mut self) {
        let (v, h) = (self.vertical.series(), self.horizontal.series());
        let n = v.len().min(h.len());
        if n == self.combined.len() && v.stride() == h.stride() {
            return;
        }
        let times = h.times()[..n].to_vec();
        let values = vec![
            v.column(0)[..n].to_vec(),
            h.column(0)[..n].to_vec(),
            v.column(1)[..n].to_vec(),
            h.column(1)[..n].to_vec(),
        ];
        self.combined = TimeSeries::from_points(&PAIR_SERIES, times, values);
    }

    pub fn crash_big_now(&mut self) {
        self.vertical.crash_now(0);
    }
    pub fn restart_big_now(&mut self) {
        self.vertical.restart_now(0);
    }
    pub fn crash_small_now(&mut self, i: usize) {
        self.horizontal.crash_now(i);
    }
    pub fn restart_small_now(&mut self, i: usize) {
        self.horizontal.restart_now(i);
    }
    pub fn spike_now(&mut self, factor: f64) {
        self.vertical.spike_now(factor);
        self.horizontal.spike_now(factor);
    }
    pub fn end_spike_now(&mut self) {
        self.vertical.end_spike_now();
        self.horizontal.end_spike_now();
    }
}

impl LabWorld for PairWorld {
    fn announcement(&self) -> Option<String> {
        let down = |w: &ScalingWorld| {
            w.cluster()
                .machines
                .iter()
                .filter(|m| m.active && !m.up)
                .map(|m| m.name.clone())
                .collect::<Vec<_>>()
        };
        let (v, h) = (down(&self.vertical), down(&self.horizontal));
        if v.is_empty() && h.is_empty() {
            return None;
        }
        let side = |name: &str, d: &[String]| match d.len() {
            0 => format!("{name}: all machines up"),
            _ => format!("{name}: {} down", d.join(", ")),
        };
        Some(format!(
            "{}; {}",
            side("one big machine", &v),
            side("many machines", &h)
        ))
    }
    fn now(&self) -> SimTime {
        self.vertical.now().min(self.horizontal.now())
    }
    fn advance(&mut self, until: SimTime, max_events: u64) -> Advance {
        self.advance_logged(until, max_events, &mut |_, _| {})
    }
    /// Each side's events are logged with the side's name, one side's share of the step after
    /// the other's.
    fn advance_logged(
        &mut self,
        until: SimTime,
        max_events: u64,
        log: &mut EventLog<'_>,
    ) -> Advance {
        let a = self
            .vertical
            .advance_logged(until, max_events / 2 + 1, &mut |t, e| {
                log(t, &Sided("vertical", e))
            });
        let b = self
            .horizontal
            .advance_logged(until, max_events / 2 + 1, &mut |t, e| {
                log(t, &Sided("horizontal", e))
            });
        self.combine();
        let reason = if a.reason == StopReason::Budget || b.reason == StopReason::Budget {
            StopReason::Budget
        } else if a.reason == StopReason::Idle && b.reason == StopReason::Idle {
            StopReason::Idle
        } else {
            StopReason::ReachedUntil
        };
        Advance {
            events: a.events + b.events,
            reason,
        }
    }
    fn is_done(&self) -> bool {
        self.vertical.is_done() && self.horizontal.is_done()
    }
    /// The dashboard follows the horizontal setup; the page compares both side by side.
    fn metrics(&self) -> MetricsSnapshot {
        self.horizontal.metrics()
    }
    fn series(&self) -> &TimeSeries {
        &self.combined
    }
    /// Both runs' hashes folded together.
    fn trace_hash(&self) -> String {
        let mut h = TraceHash::new();
        h.bytes(self.vertical.trace_hash().as_bytes());
        h.bytes(self.horizontal.trace_hash().as_bytes());
        h.hex()
    }
    fn events(&self) -> u64 {
        self.vertical.events() + self.horizontal.events()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::FaultPlan;

    #[test]
    fn same_crash_outage_on_one_side_degradation_on_the_other() {
        let mut s = PairScenario::default();
        s.horizontal.duration_s = 60.0;
        s.horizontal.rate = 150.0;
        s.horizontal.faults = FaultPlan::parse("faults", "crash:machine-1@20s+20s").unwrap();
        assert!(s.validate().is_ok());
        let mut w = PairWorld::new(&s);
        let mut t = SimTime::ZERO;
        while !w.is_done() {
            t += SimTime::from_millis(700);
            w.advance(t, 5_000);
        }
        assert!(w.vertical.availability() < 0.8);
        assert!(w.horizontal.availability() > 0.99);
        let (back, errs) = PairScenario::from_params(&Params::parse(&s.to_params().encode()));
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(back, s);
        let (_, errs) = PairScenario::from_params(&Params::parse("big=huge&rate=-1"));
        let f: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert!(f.contains(&"big") && f.contains(&"rate"), "{f:?}");
    }
}

/// One side's event in the comparison's log: the event with the side's name beside it.
#[derive(Debug)]
struct Sided<'a>(&'static str, &'a dyn LoggedEvent);

impl LoggedEvent for Sided<'_> {
    fn to_json(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut out = self.1.to_json();
        out.insert("side".into(), self.0.into());
        out
    }
}
