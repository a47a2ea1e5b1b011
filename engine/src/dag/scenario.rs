//! The orchestration demo's scenario: the DAG is fixed (it is the lesson), the schedule and the
//! failure settings are the learner's.

use crate::sim::params::{ParamReader, Params};
use crate::sim::scenario::check_range;
use crate::sim::{FaultPlan, FieldError, Scenario, ValidationErrors};

/// One task of the DAG: its name, the tasks it waits for, its mean run time in minutes, and
/// whether it talks to the source system (so it fails while the source is down).
pub struct TaskDef {
    pub name: &'static str,
    pub upstream: &'static [usize],
    pub minutes: f64,
    pub uses_source: bool,
}

/// The DAG, in topological order. `choose_load` is a branch: it picks `load_full` on the first
/// day of a month and `load_incremental` otherwise; the other path is skipped, and `publish`
/// runs when its upstream did not fail (Airflow's `none_failed_min_one_success`).
pub const TASKS: [TaskDef; 8] = [
    TaskDef {
        name: "extract_orders",
        upstream: &[],
        minutes: 6.0,
        uses_source: true,
    },
    TaskDef {
        name: "extract_customers",
        upstream: &[],
        minutes: 3.0,
        uses_source: true,
    },
    TaskDef {
        name: "validate",
        upstream: &[0],
        minutes: 2.0,
        uses_source: false,
    },
    TaskDef {
        name: "transform",
        upstream: &[1, 2],
        minutes: 8.0,
        uses_source: false,
    },
    TaskDef {
        name: "choose_load",
        upstream: &[3],
        minutes: 0.5,
        uses_source: false,
    },
    TaskDef {
        name: "load_full",
        upstream: &[4],
        minutes: 12.0,
        uses_source: false,
    },
    TaskDef {
        name: "load_incremental",
        upstream: &[4],
        minutes: 4.0,
        uses_source: false,
    },
    TaskDef {
        name: "publish_report",
        upstream: &[5, 6],
        minutes: 2.0,
        uses_source: false,
    },
];

pub const BRANCH: usize = 4;
pub const FULL: usize = 5;
pub const INCREMENTAL: usize = 6;

#[derive(Clone, Debug, PartialEq)]
pub struct DagScenario {
    pub seed: u64,
    /// Dates to backfill: runs for day 1 … day `days` are all due at once.
    pub days: u32,
    /// Worker slots (Airflow's pool / parallelism).
    pub slots: u32,
    /// DAG runs allowed at the same time (`max_active_runs`).
    pub max_active_runs: u32,
    /// Retries after the first attempt (`retries`).
    pub retries: u32,
    /// First retry delay in minutes; doubles each time (`retry_exponential_backoff`).
    pub retry_min: f64,
    /// Chance that any attempt fails for no reason at all.
    pub flaky: f64,
    /// Faults: `crash:source@…` takes the source system down (extract tasks fail meanwhile).
    pub faults: FaultPlan,
}

impl Default for DagScenario {
    fn default() -> Self {
        DagScenario {
            seed: 42,
            days: 10,
            slots: 4,
            max_active_runs: 3,
            retries: 2,
            retry_min: 2.0,
            flaky: 0.05,
            faults: FaultPlan::parse("faults", "crash:source@40min+30min").unwrap_or_default(),
        }
    }
}

pub mod limits {
    pub const DAYS: (u32, u32) = (1, 60);
    pub const SLOTS: (u32, u32) = (1, 32);
    pub const RUNS: (u32, u32) = (1, 16);
    pub const RETRIES: (u32, u32) = (0, 10);
    pub const RETRY_MIN: (f64, f64) = (0.0, 120.0);
    pub const FLAKY: (f64, f64) = (0.0, 0.9);
}

pub fn node_names() -> Vec<String> {
    vec!["source".to_string()]
}

impl Scenario for DagScenario {
    fn validate(&self) -> Result<(), ValidationErrors> {
        use limits::*;
        let mut e = Vec::new();
        check_range(&mut e, "days", self.days, DAYS);
        check_range(&mut e, "slots", self.slots, SLOTS);
        check_range(&mut e, "runs", self.max_active_runs, RUNS);
        check_range(&mut e, "retries", self.retries, RETRIES);
        check_range(&mut e, "retry_min", self.retry_min, RETRY_MIN);
        check_range(&mut e, "flaky", self.flaky, FLAKY);
        e.extend(self.faults.validate("faults", &node_names()));
        ValidationErrors(e).into_result()
    }

    fn to_params(&self) -> Params {
        let mut p = Params::new()
            .with("seed", self.seed)
            .with("days", self.days)
            .with("slots", self.slots)
            .with("runs", self.max_active_runs)
            .with("retries", self.retries)
            .with("retry_min", self.retry_min)
            .with("flaky", self.flaky);
        p.set("faults", &self.faults);
        p
    }

    fn from_params(params: &Params) -> (Self, Vec<FieldError>) {
        use limits::*;
        let d = DagScenario::default();
        let r = ParamReader::new(params);
        let mut s = DagScenario {
            seed: r.num("seed", d.seed, 0, u64::MAX),
            days: r.num("days", d.days, DAYS.0, DAYS.1),
            slots: r.num("slots", d.slots, SLOTS.0, SLOTS.1),
            max_active_runs: r.num("runs", d.max_active_runs, RUNS.0, RUNS.1),
            retries: r.num("retries", d.retries, RETRIES.0, RETRIES.1),
            retry_min: r.float("retry_min", d.retry_min, RETRY_MIN.0, RETRY_MIN.1),
            flaky: r.float("flaky", d.flaky, FLAKY.0, FLAKY.1),
            faults: match r.text("faults") {
                None => d.faults.clone(),
                Some(_) => r.faults("faults"),
            },
        };
        let fe = s.faults.validate("faults", &node_names());
        if !fe.is_empty() {
            fe.into_iter().for_each(|e| r.error(e));
            s.faults = d.faults;
        }
        (s, r.finish())
    }
}
