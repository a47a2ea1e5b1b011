use super::catalogue::{by_name, CATALOGUE};
use crate::sim::params::{ParamReader, Params};
use crate::sim::scenario::check_range;
use crate::sim::{FaultPlan, FieldError, Scenario, ValidationErrors};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// One machine from the catalogue.
    Vertical,
    /// N machines behind a load balancer.
    Horizontal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    RoundRobin,
    Random,
    LeastOutstanding,
    /// Power of two choices: ask two random machines, pick the less busy.
    P2c,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Load {
    Constant,
    Poisson,
    /// Poisson with a rate that swings ±60% over a 10-minute "day".
    Diurnal,
    /// Poisson with five times the rate from 40% to 60% of the run.
    Spike,
}

pub const POLICIES: [(&str, Policy); 4] = [
    ("round-robin", Policy::RoundRobin),
    ("random", Policy::Random),
    ("least-outstanding", Policy::LeastOutstanding),
    ("p2c", Policy::P2c),
];
pub const LOADS: [(&str, Load); 4] = [
    ("constant", Load::Constant),
    ("poisson", Load::Poisson),
    ("diurnal", Load::Diurnal),
    ("spike", Load::Spike),
];
pub const MODES: [(&str, Mode); 2] = [
    ("vertical", Mode::Vertical),
    ("horizontal", Mode::Horizontal),
];

/// A scaling experiment: the load, the machines, and what goes wrong.
#[derive(Clone, Debug, PartialEq)]
pub struct ScalingScenario {
    pub seed: u64,
    pub mode: Mode,
    /// Catalogue index of the machine type.
    pub machine: usize,
    /// Machines behind the balancer (horizontal; vertical always has one).
    pub machines: u32,
    pub policy: Policy,
    pub load: Load,
    /// Mean requests per second.
    pub rate: f64,
    /// Mean CPU time one request needs on one core, in ms (log-normal, σ = 0.5).
    pub cpu_ms: f64,
    /// Memory one in-flight request holds, in MB.
    pub mem_mb: f64,
    /// Universal Scalability Law contention (σ) and coherence (κ) per added machine.
    pub sigma: f64,
    pub kappa: f64,
    pub duration_s: f64,
    /// How long the health check takes to notice a dead machine.
    pub detect_s: f64,
    /// How often a failed request is retried on another machine.
    pub retries: u32,
    /// Target utilisation for the autoscaler; 0 = off.
    pub autoscale_target: f64,
    pub faults: FaultPlan,
}

impl Default for ScalingScenario {
    fn default() -> Self {
        ScalingScenario {
            seed: 42,
            mode: Mode::Horizontal,
            machine: 1,
            machines: 4,
            policy: Policy::RoundRobin,
            load: Load::Poisson,
            rate: 100.0,
            cpu_ms: 30.0,
            mem_mb: 64.0,
            sigma: 0.02,
            kappa: 0.0005,
            duration_s: 120.0,
            detect_s: 3.0,
            retries: 2,
            autoscale_target: 0.0,
            faults: FaultPlan::default(),
        }
    }
}

impl ScalingScenario {
    pub fn machine_count(&self) -> u32 {
        match self.mode {
            Mode::Vertical => 1,
            Mode::Horizontal => self.machines,
        }
    }

    /// Most machines that can exist (the autoscaler may add up to this many).
    pub fn max_machines(&self) -> u32 {
        if self.autoscale_target > 0.0 && self.mode == Mode::Horizontal {
            64
        } else {
            self.machine_count()
        }
    }

    pub fn machine_names(&self) -> Vec<String> {
        (1..=self.max_machines())
            .map(|i| format!("machine-{i}"))
            .collect()
    }
}

/// The link name of a choice.
fn name_of<T: PartialEq>(table: &[(&'static str, T)], v: T) -> &'static str {
    table.iter().find(|(_, x)| *x == v).map_or("", |(n, _)| *n)
}

impl Scenario for ScalingScenario {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = Vec::new();
        if self.machine >= CATALOGUE.len() {
            e.push(FieldError::new(
                "machine",
                "must name a machine of the catalogue (s-2 … s-192)",
            ));
        }
        check_range(&mut e, "machines", f64::from(self.machines), (1.0, 64.0));
        check_range(&mut e, "rate", self.rate, (0.1, 100_000.0));
        check_range(&mut e, "cpu_ms", self.cpu_ms, (0.1, 60_000.0));
        check_range(&mut e, "mem_mb", self.mem_mb, (0.0, 100_000.0));
        check_range(&mut e, "sigma", self.sigma, (0.0, 1.0));
        check_range(&mut e, "kappa", self.kappa, (0.0, 0.1));
        check_range(&mut e, "dur", self.duration_s, (1.0, 86_400.0));
        check_range(&mut e, "detect_s", self.detect_s, (0.0, 600.0));
        check_range(&mut e, "retries", f64::from(self.retries), (0.0, 10.0));
        check_range(&mut e, "autoscale", self.autoscale_target, (0.0, 0.95));
        e.extend(self.faults.validate("faults", &self.machine_names()));
        ValidationErrors(e).into_result()
    }

    fn to_params(&self) -> Params {
        let mut p = Params::new()
            .with("seed", self.seed)
            .with("mode", name_of(&MODES, self.mode))
            .with(
                "machine",
                CATALOGUE.get(self.machine).map_or("s-4", |m| m.name),
            )
            .with("machines", self.machines)
            .with("lb", name_of(&POLICIES, self.policy))
            .with("load", name_of(&LOADS, self.load))
            .with("rate", self.rate)
            .with("cpu_ms", self.cpu_ms)
            .with("mem_mb", self.mem_mb)
            .with("sigma", self.sigma)
            .with("kappa", self.kappa)
            .with("dur", self.duration_s)
            .with("detect_s", self.detect_s)
            .with("retries", self.retries)
            .with("autoscale", self.autoscale_target);
        if !self.faults.is_empty() {
            p.set("faults", &self.faults);
        }
        p
    }

    fn from_params(params: &Params) -> (Self, Vec<FieldError>) {
        let d = ScalingScenario::default();
        let r = ParamReader::new(params);
        let machine = match r.text("machine") {
            None => d.machine,
            Some(n) => by_name(n).unwrap_or_else(|| {
                r.error(FieldError::new(
                    "machine",
                    format!("`{n}` is not in the catalogue (s-2 … s-192)"),
                ));
                d.machine
            }),
        };
        let mut s = ScalingScenario {
            seed: r.num("seed", d.seed, 0, u64::MAX),
            mode: r.choice("mode", d.mode, &MODES),
            machine,
            machines: r.num("machines", d.machines, 1, 64),
            policy: r.choice("lb", d.policy, &POLICIES),
            load: r.choice("load", d.load, &LOADS),
            rate: r.float("rate", d.rate, 0.1, 100_000.0),
            cpu_ms: r.float("cpu_ms", d.cpu_ms, 0.1, 60_000.0),
            mem_mb: r.float("mem_mb", d.mem_mb, 0.0, 100_000.0),
            sigma: r.float("sigma", d.sigma, 0.0, 1.0),
            kappa: r.float("kappa", d.kappa, 0.0, 0.1),
            duration_s: r.float("dur", d.duration_s, 1.0, 86_400.0),
            detect_s: r.float("detect_s", d.detect_s, 0.0, 600.0),
            retries: r.num("retries", d.retries, 0, 10),
            autoscale_target: r.float("autoscale", d.autoscale_target, 0.0, 0.95),
            faults: r.faults("faults"),
        };
        let fe = s.faults.validate("faults", &s.machine_names());
        if !fe.is_empty() {
            s.faults = FaultPlan::default();
            fe.into_iter().for_each(|e| r.error(e));
        }
        (s, r.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_named_errors() {
        let s = ScalingScenario {
            mode: Mode::Vertical,
            machine: 6,
            policy: Policy::P2c,
            load: Load::Spike,
            faults: FaultPlan::parse("f", "crash:machine-1@10s+5s").unwrap(),
            ..Default::default()
        };
        let (back, errs) = ScalingScenario::from_params(&Params::parse(&s.to_params().encode()));
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(back, s);
        let (_, errs) = ScalingScenario::from_params(&Params::parse(
            "machine=s-999&lb=magic&sigma=3&faults=crash:machine-9@1s",
        ));
        let f: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(f, vec!["machine", "lb", "sigma", "faults"]);
    }
}
