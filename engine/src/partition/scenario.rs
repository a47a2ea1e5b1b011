//! The partitioning lab's scenario: the data set, how it is split, and who processes it.

use crate::queue::partitioner::{Partitioner, PARTITIONERS};
use crate::sim::params::{ParamReader, Params};
use crate::sim::scenario::check_range;
use crate::sim::{FieldError, Scenario, ValidationErrors};

/// How often each key occurs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyDist {
    Uniform,
    /// Zipf with exponent `skew`: a few keys are very common.
    Zipf,
    /// One key holds `hot_share` of all records; the rest are uniform.
    HotKey,
}

pub const DISTS: [(&str, KeyDist); 3] = [
    ("uniform", KeyDist::Uniform),
    ("zipf", KeyDist::Zipf),
    ("hot", KeyDist::HotKey),
];

#[derive(Clone, Debug, PartialEq)]
pub struct PartitionScenario {
    pub seed: u64,
    pub records: u32,
    pub keys: u32,
    pub dist: KeyDist,
    pub skew: f64,
    pub hot_share: f64,
    pub partitioner: Partitioner,
    pub partitions: u32,
    pub workers: u32,
    /// Processing cost per record, µs.
    pub cost_us: f64,
    /// Fixed cost of starting one task (scheduling, reading its input), ms.
    pub task_ms: f64,
    /// Share of the single-worker job that cannot run in parallel (Amdahl's serial fraction).
    pub serial: f64,
    /// The hottest key is split into this many salted sub-keys (1 = no salting).
    pub salt: u32,
}

impl Default for PartitionScenario {
    fn default() -> Self {
        PartitionScenario {
            seed: 42,
            records: 200_000,
            keys: 5_000,
            dist: KeyDist::Uniform,
            skew: 1.1,
            hot_share: 0.3,
            partitioner: Partitioner::SparkHash,
            partitions: 8,
            workers: 4,
            cost_us: 20.0,
            task_ms: 50.0,
            serial: 0.05,
            salt: 1,
        }
    }
}

pub mod limits {
    pub const RECORDS: (u32, u32) = (100, 5_000_000);
    pub const KEYS: (u32, u32) = (1, 1_000_000);
    pub const SKEW: (f64, f64) = (0.1, 3.0);
    pub const HOT_SHARE: (f64, f64) = (0.0, 1.0);
    pub const PARTITIONS: (u32, u32) = (1, 1024);
    pub const WORKERS: (u32, u32) = (1, 64);
    pub const COST_US: (f64, f64) = (0.01, 100_000.0);
    pub const TASK_MS: (f64, f64) = (0.0, 60_000.0);
    pub const SERIAL: (f64, f64) = (0.0, 0.95);
    pub const SALT: (u32, u32) = (1, 64);
}

fn name_of<T: PartialEq>(table: &[(&'static str, T)], v: T) -> &'static str {
    table.iter().find(|(_, x)| *x == v).map_or("", |(n, _)| *n)
}

impl Scenario for PartitionScenario {
    fn validate(&self) -> Result<(), ValidationErrors> {
        use limits::*;
        let mut e = Vec::new();
        check_range(&mut e, "records", self.records, RECORDS);
        check_range(&mut e, "keys", self.keys, KEYS);
        check_range(&mut e, "skew", self.skew, SKEW);
        check_range(&mut e, "hot", self.hot_share, HOT_SHARE);
        check_range(&mut e, "partitions", self.partitions, PARTITIONS);
        check_range(&mut e, "workers", self.workers, WORKERS);
        check_range(&mut e, "cost_us", self.cost_us, COST_US);
        check_range(&mut e, "task_ms", self.task_ms, TASK_MS);
        check_range(&mut e, "serial", self.serial, SERIAL);
        check_range(&mut e, "salt", self.salt, SALT);
        ValidationErrors(e).into_result()
    }

    fn to_params(&self) -> Params {
        Params::new()
            .with("seed", self.seed)
            .with("records", self.records)
            .with("keys", self.keys)
            .with("dist", name_of(&DISTS, self.dist))
            .with("skew", self.skew)
            .with("hot", self.hot_share)
            .with("partitioner", name_of(&PARTITIONERS, self.partitioner))
            .with("partitions", self.partitions)
            .with("workers", self.workers)
            .with("cost_us", self.cost_us)
            .with("task_ms", self.task_ms)
            .with("serial", self.serial)
            .with("salt", self.salt)
    }

    fn from_params(params: &Params) -> (Self, Vec<FieldError>) {
        use limits::*;
        let d = PartitionScenario::default();
        let r = ParamReader::new(params);
        let s = PartitionScenario {
            seed: r.num("seed", d.seed, 0, u64::MAX),
            records: r.num("records", d.records, RECORDS.0, RECORDS.1),
            keys: r.num("keys", d.keys, KEYS.0, KEYS.1),
            dist: r.choice("dist", d.dist, &DISTS),
            skew: r.float("skew", d.skew, SKEW.0, SKEW.1),
            hot_share: r.float("hot", d.hot_share, HOT_SHARE.0, HOT_SHARE.1),
            partitioner: r.choice("partitioner", d.partitioner, &PARTITIONERS),
            partitions: r.num("partitions", d.partitions, PARTITIONS.0, PARTITIONS.1),
            workers: r.num("workers", d.workers, WORKERS.0, WORKERS.1),
            cost_us: r.float("cost_us", d.cost_us, COST_US.0, COST_US.1),
            task_ms: r.float("task_ms", d.task_ms, TASK_MS.0, TASK_MS.1),
            serial: r.float("serial", d.serial, SERIAL.0, SERIAL.1),
            salt: r.num("salt", d.salt, SALT.0, SALT.1),
        };
        (s, r.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_named_errors() {
        let s = PartitionScenario {
            dist: KeyDist::HotKey,
            partitioner: Partitioner::Range,
            salt: 8,
            ..Default::default()
        };
        let (back, errs) = PartitionScenario::from_params(&Params::parse(&s.to_params().encode()));
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(back, s);
        let (back, errs) =
            PartitionScenario::from_params(&Params::parse("partitions=0&partitioner=md5&serial=1"));
        let f: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(f, vec!["partitioner", "partitions", "serial"]);
        assert_eq!(back, PartitionScenario::default());
    }
}
