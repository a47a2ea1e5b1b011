//! The reliability lab's scenario: the pipeline's size, the drill (a fault timeline), and the
//! mitigations the learner chose before running it.

use super::script::{by_name, names};
use crate::sim::params::{ParamReader, Params};
use crate::sim::scenario::check_range;
use crate::sim::{FaultPlan, FieldError, Scenario, ValidationErrors};

/// A protection the pipeline can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mitigation {
    /// Retry failed warehouse writes with exponential back-off and jitter, capped.
    Retries,
    /// A large queue that pushes back on producers instead of a small one that drops.
    Buffer,
    /// Schema validation with a quarantine for records that fail it (and for records the
    /// transform can never process).
    Quarantine,
    /// Two standby transform workers.
    Replicas,
    /// Stop calling a failing warehouse for a while instead of hammering it.
    Breaker,
    /// Records the transform keeps failing on go to a dead-letter queue.
    Dlq,
}

impl Mitigation {
    pub const ALL: [Mitigation; 6] = [
        Mitigation::Retries,
        Mitigation::Buffer,
        Mitigation::Quarantine,
        Mitigation::Replicas,
        Mitigation::Breaker,
        Mitigation::Dlq,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Mitigation::Retries => "retries",
            Mitigation::Buffer => "buffer",
            Mitigation::Quarantine => "quarantine",
            Mitigation::Replicas => "replicas",
            Mitigation::Breaker => "breaker",
            Mitigation::Dlq => "dlq",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Mitigation::Retries => "Retries with exponential back-off and jitter",
            Mitigation::Buffer => "A large buffer with back-pressure",
            Mitigation::Quarantine => "Validation with a quarantine",
            Mitigation::Replicas => "Two standby worker replicas",
            Mitigation::Breaker => "Circuit breaker on the warehouse",
            Mitigation::Dlq => "Dead-letter queue",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Mitigations(u8);

impl Mitigations {
    pub fn none() -> Self {
        Mitigations(0)
    }
    pub fn all() -> Self {
        Mitigation::ALL
            .iter()
            .fold(Self::none(), |m, x| m.with(*x, true))
    }
    /// The three the issue promises zero loss with.
    pub fn safe() -> Self {
        Self::none()
            .with(Mitigation::Retries, true)
            .with(Mitigation::Buffer, true)
            .with(Mitigation::Quarantine, true)
    }
    pub fn has(self, m: Mitigation) -> bool {
        self.0 & m.bit() != 0
    }
    pub fn with(self, m: Mitigation, on: bool) -> Self {
        if on {
            Mitigations(self.0 | m.bit())
        } else {
            Mitigations(self.0 & !m.bit())
        }
    }
    pub fn to_text(self) -> String {
        let keys: Vec<_> = Mitigation::ALL
            .iter()
            .filter(|m| self.has(**m))
            .map(|m| m.key())
            .collect();
        if keys.is_empty() {
            "none".into()
        } else {
            keys.join(",")
        }
    }
    pub fn parse(field: &str, text: &str) -> Result<Self, FieldError> {
        let t = text.trim();
        match t {
            "" | "none" => return Ok(Self::none()),
            "all" => return Ok(Self::all()),
            _ => {}
        }
        let mut m = Self::none();
        for part in t.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match Mitigation::ALL.iter().find(|x| x.key() == part) {
                Some(x) => m = m.with(*x, true),
                None => {
                    let names: Vec<_> = Mitigation::ALL.iter().map(|x| x.key()).collect();
                    return Err(FieldError::new(
                        field,
                        format!(
                            "unknown mitigation `{part}`; use all, none or a list of {}",
                            names.join(", ")
                        ),
                    ));
                }
            }
        }
        Ok(m)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct DrillScenario {
    pub seed: u64,
    /// A built-in drill's name, or `custom` (then `faults` is the learner's timeline).
    pub drill: String,
    pub faults: FaultPlan,
    pub mitigations: Mitigations,
    /// Records per second from the producers.
    pub rate: f64,
    pub workers: u32,
    /// Mean transform time per record, ms.
    pub service_ms: f64,
    /// Records per warehouse write.
    pub batch: u32,
    /// Time of one warehouse write, ms.
    pub write_ms: f64,
    /// How long producers send.
    pub duration_s: f64,
    /// The latency objective: a record should be in the warehouse this long after it was sent.
    pub slo_s: f64,
}

impl Default for DrillScenario {
    fn default() -> Self {
        let d = by_name("runway-closed");
        DrillScenario {
            seed: 42,
            drill: "runway-closed".into(),
            faults: d.map(|d| d.plan()).unwrap_or_default(),
            mitigations: Mitigations::none(),
            rate: 130.0,
            workers: 4,
            service_ms: 25.0,
            batch: 100,
            write_ms: 200.0,
            duration_s: 240.0,
            slo_s: 30.0,
        }
    }
}

pub mod limits {
    pub const RATE: (f64, f64) = (1.0, 2_000.0);
    pub const WORKERS: (u32, u32) = (1, 32);
    pub const SERVICE_MS: (f64, f64) = (1.0, 1_000.0);
    pub const BATCH: (u32, u32) = (1, 10_000);
    pub const WRITE_MS: (f64, f64) = (1.0, 10_000.0);
    pub const DURATION_S: (f64, f64) = (10.0, 1_800.0);
    pub const SLO_S: (f64, f64) = (1.0, 600.0);
    /// Records a run may produce (rate × duration, spikes not counted).
    pub const MAX_RECORDS: f64 = 600_000.0;
}

/// Fault targets the pipeline knows: workers (replicas included), the loader's link to the
/// warehouse.
pub fn node_names() -> Vec<String> {
    let mut v: Vec<String> = (1..=34).map(|i| format!("worker-{i}")).collect();
    v.push("warehouse".into());
    v.push("loader".into());
    v
}

impl DrillScenario {
    /// The same drill with another built-in script (its faults replace the current ones).
    pub fn with_drill(mut self, name: &str) -> Self {
        if let Some(d) = by_name(name) {
            self.drill = d.name.clone();
            self.faults = d.plan();
        } else {
            self.drill = "custom".into();
        }
        self
    }
}

impl Scenario for DrillScenario {
    fn validate(&self) -> Result<(), ValidationErrors> {
        use limits::*;
        let mut e = Vec::new();
        check_range(&mut e, "rate", self.rate, RATE);
        check_range(&mut e, "workers", self.workers, WORKERS);
        check_range(&mut e, "service_ms", self.service_ms, SERVICE_MS);
        check_range(&mut e, "batch", self.batch, BATCH);
        check_range(&mut e, "write_ms", self.write_ms, WRITE_MS);
        check_range(&mut e, "dur", self.duration_s, DURATION_S);
        check_range(&mut e, "slo_s", self.slo_s, SLO_S);
        if self.rate * self.duration_s > MAX_RECORDS {
            e.push(FieldError::new(
                "rate",
                format!("rate × duration must be at most {MAX_RECORDS} records"),
            ));
        }
        if !names().contains(&self.drill.as_str()) {
            e.push(FieldError::new(
                "drill",
                format!("must be one of {}", names().join(", ")),
            ));
        }
        e.extend(self.faults.validate("faults", &node_names()));
        ValidationErrors(e).into_result()
    }

    fn to_params(&self) -> Params {
        let mut p = Params::new()
            .with("seed", self.seed)
            .with("drill", &self.drill)
            .with("mit", self.mitigations.to_text())
            .with("rate", self.rate)
            .with("workers", self.workers)
            .with("service_ms", self.service_ms)
            .with("batch", self.batch)
            .with("write_ms", self.write_ms)
            .with("dur", self.duration_s)
            .with("slo_s", self.slo_s);
        if self.drill == "custom" {
            p.set("faults", &self.faults);
        }
        p
    }

    fn from_params(params: &Params) -> (Self, Vec<FieldError>) {
        use limits::*;
        let d = DrillScenario::default();
        let r = ParamReader::new(params);
        let drill = r.text("drill").unwrap_or(&d.drill).trim().to_string();
        let mitigations = match r.text("mit") {
            None => d.mitigations,
            Some(t) => Mitigations::parse("mit", t).unwrap_or_else(|e| {
                r.error(e);
                d.mitigations
            }),
        };
        let custom_faults = r.faults("faults");
        let mut s = DrillScenario {
            seed: r.num("seed", d.seed, 0, u64::MAX),
            drill: d.drill.clone(),
            faults: d.faults.clone(),
            mitigations,
            rate: r.float("rate", d.rate, RATE.0, RATE.1),
            workers: r.num("workers", d.workers, WORKERS.0, WORKERS.1),
            service_ms: r.float("service_ms", d.service_ms, SERVICE_MS.0, SERVICE_MS.1),
            batch: r.num("batch", d.batch, BATCH.0, BATCH.1),
            write_ms: r.float("write_ms", d.write_ms, WRITE_MS.0, WRITE_MS.1),
            duration_s: r.float("dur", d.duration_s, DURATION_S.0, DURATION_S.1),
            slo_s: r.float("slo_s", d.slo_s, SLO_S.0, SLO_S.1),
        };
        if drill == "custom" {
            let fe = custom_faults.validate("faults", &node_names());
            if fe.is_empty() {
                s.drill = drill;
                s.faults = custom_faults;
            } else {
                fe.into_iter().for_each(|e| r.error(e));
            }
        } else if by_name(&drill).is_some() {
            s = s.with_drill(&drill);
        } else {
            r.error(FieldError::new(
                "drill",
                format!("must be one of {} (got `{drill}`)", names().join(", ")),
            ));
        }
        if s.rate * s.duration_s > MAX_RECORDS {
            r.error(FieldError::new(
                "rate",
                format!("rate × duration must be at most {MAX_RECORDS} records (reset)"),
            ));
            s.rate = d.rate;
            s.duration_s = d.duration_s;
        }
        (s, r.finish())
    }
}
