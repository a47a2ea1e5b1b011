use crate::sim::params::{ParamReader, Params};
use crate::sim::{FaultPlan, FieldError, Scenario, ValidationErrors};

/// A single server with a Poisson load.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoScenario {
    pub seed: u64,
    /// Mean requests per simulated second.
    pub arrival_rate: f64,
    /// Mean service time of one request (exponentially distributed), in milliseconds.
    pub service_ms: f64,
    /// Requests that may wait; arrivals beyond it are rejected (counted as errors).
    pub queue_limit: u32,
    /// How long the load runs, in simulated seconds; the queue then drains and the run ends.
    pub duration_s: f64,
    pub faults: FaultPlan,
}

pub const RATE_RANGE: (f64, f64) = (0.1, 10_000.0);
pub const SERVICE_RANGE: (f64, f64) = (0.01, 60_000.0);
pub const QUEUE_RANGE: (u32, u32) = (1, 1_000_000);
pub const DURATION_RANGE: (f64, f64) = (1.0, 86_400.0);

impl Default for DemoScenario {
    fn default() -> Self {
        DemoScenario {
            seed: 42,
            arrival_rate: 8.0,
            service_ms: 100.0,
            queue_limit: 50,
            duration_s: 120.0,
            faults: FaultPlan::default(),
        }
    }
}

/// The demo's only node.
pub const SERVER: &str = "server";

impl Scenario for DemoScenario {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = Vec::new();
        let range = |errs: &mut Vec<FieldError>, f: &str, v: f64, (lo, hi): (f64, f64)| {
            if !(v.is_finite() && v >= lo && v <= hi) {
                errs.push(FieldError::range(f, lo, hi, v));
            }
        };
        range(&mut errs, "rate", self.arrival_rate, RATE_RANGE);
        range(&mut errs, "service_ms", self.service_ms, SERVICE_RANGE);
        range(&mut errs, "dur", self.duration_s, DURATION_RANGE);
        if !(QUEUE_RANGE.0..=QUEUE_RANGE.1).contains(&self.queue_limit) {
            errs.push(FieldError::range(
                "queue",
                QUEUE_RANGE.0,
                QUEUE_RANGE.1,
                self.queue_limit,
            ));
        }
        errs.extend(self.faults.validate("faults", &[SERVER.to_string()]));
        ValidationErrors(errs).into_result()
    }

    fn to_params(&self) -> Params {
        let mut p = Params::new()
            .with("seed", self.seed)
            .with("rate", self.arrival_rate)
            .with("service_ms", self.service_ms)
            .with("queue", self.queue_limit)
            .with("dur", self.duration_s);
        if !self.faults.is_empty() {
            p.set("faults", &self.faults);
        }
        p
    }

    fn from_params(params: &Params) -> (Self, Vec<FieldError>) {
        let d = DemoScenario::default();
        let r = ParamReader::new(params);
        let mut s = DemoScenario {
            seed: r.num("seed", d.seed, 0, u64::MAX),
            arrival_rate: r.float("rate", d.arrival_rate, RATE_RANGE.0, RATE_RANGE.1),
            service_ms: r.float("service_ms", d.service_ms, SERVICE_RANGE.0, SERVICE_RANGE.1),
            queue_limit: r.num("queue", d.queue_limit, QUEUE_RANGE.0, QUEUE_RANGE.1),
            duration_s: r.float("dur", d.duration_s, DURATION_RANGE.0, DURATION_RANGE.1),
            faults: r.faults("faults"),
        };
        let fault_errs = s.faults.validate("faults", &[SERVER.to_string()]);
        if !fault_errs.is_empty() {
            s.faults = FaultPlan::default();
            for e in fault_errs {
                r.error(e);
            }
        }
        (s, r.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_round_trip() {
        let s = DemoScenario {
            seed: 9,
            arrival_rate: 12.5,
            faults: FaultPlan::parse("faults", "crash:server@10s+5s").unwrap(),
            ..Default::default()
        };
        let (back, errs) = DemoScenario::from_params(&Params::parse(&s.to_params().encode()));
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(back, s);
        assert!(back.validate().is_ok());
    }

    #[test]
    fn bad_fields_fall_back_and_are_named() {
        let (s, errs) = DemoScenario::from_params(&Params::parse(
            "rate=-4&queue=0&dur=1e12&faults=crash:db@1s&seed=7",
        ));
        assert_eq!(s.seed, 7);
        assert_eq!(s.arrival_rate, DemoScenario::default().arrival_rate);
        assert!(s.faults.is_empty());
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["rate", "queue", "dur", "faults"]);
        assert!(errs[0].to_string().contains("between 0.1 and 10000"));
    }

    #[test]
    fn validate_rejects_extremes() {
        let s = DemoScenario {
            arrival_rate: f64::NAN,
            service_ms: 0.0,
            queue_limit: 0,
            ..Default::default()
        };
        let e = s.validate().unwrap_err();
        assert_eq!(e.0.len(), 3);
    }
}
