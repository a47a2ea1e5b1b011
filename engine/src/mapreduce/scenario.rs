use super::job::Job;
use crate::sim::params::{ParamReader, Params};
use crate::sim::{FaultPlan, FieldError, Scenario, ValidationErrors};

/// The eight texts that ship with the app (`static/data/corpus/<name>.txt`).
pub const CORPUS: [&str; 8] = [
    "pg-being_ernest",
    "pg-dorian_gray",
    "pg-frankenstein",
    "pg-grimm",
    "pg-huckleberry_finn",
    "pg-metamorphosis",
    "pg-sherlock_holmes",
    "pg-tom_sawyer",
];

pub const WORKERS_RANGE: (u32, u32) = (1, 64);
pub const REDUCERS_RANGE: (u32, u32) = (1, 64);
pub const SPLIT_KB_RANGE: (u32, u32) = (1, 16_384);
/// Below 1 so that every task eventually succeeds.
pub const CRASH_PROB_MAX: f64 = 0.9;

/// A MapReduce run: which job over which inputs, on how many workers, with which faults.
#[derive(Clone, Debug, PartialEq)]
pub struct MapReduceScenario {
    pub seed: u64,
    pub job: Job,
    /// Input names: corpus texts (without `.txt`) or uploaded file names.
    pub inputs: Vec<String>,
    pub workers: u32,
    pub reducers: u32,
    pub split_kb: u32,
    pub combiner: bool,
    pub speculative: bool,
    /// Probability that a worker crashes during any one task attempt.
    pub crash_prob: f64,
    pub faults: FaultPlan,
}

impl Default for MapReduceScenario {
    fn default() -> Self {
        MapReduceScenario {
            seed: 42,
            job: Job::WordCount,
            inputs: CORPUS.iter().map(|s| s.to_string()).collect(),
            workers: 4,
            reducers: 4,
            split_kb: 256,
            combiner: false,
            speculative: false,
            crash_prob: 0.0,
            faults: FaultPlan::default(),
        }
    }
}

impl MapReduceScenario {
    pub fn worker_names(&self) -> Vec<String> {
        (1..=self.workers).map(|i| format!("worker-{i}")).collect()
    }
}

const JOBS: [(&str, u8); 4] = [("wordcount", 0), ("indexer", 1), ("grep", 2), ("logs", 3)];

impl Scenario for MapReduceScenario {
    fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = Vec::new();
        let in_range = |v: u32, (lo, hi): (u32, u32)| (lo..=hi).contains(&v);
        if !in_range(self.workers, WORKERS_RANGE) {
            e.push(FieldError::range(
                "workers",
                WORKERS_RANGE.0,
                WORKERS_RANGE.1,
                self.workers,
            ));
        }
        if !in_range(self.reducers, REDUCERS_RANGE) {
            e.push(FieldError::range(
                "reducers",
                REDUCERS_RANGE.0,
                REDUCERS_RANGE.1,
                self.reducers,
            ));
        }
        if !in_range(self.split_kb, SPLIT_KB_RANGE) {
            e.push(FieldError::range(
                "split_kb",
                SPLIT_KB_RANGE.0,
                SPLIT_KB_RANGE.1,
                self.split_kb,
            ));
        }
        if !(self.crash_prob.is_finite() && (0.0..=CRASH_PROB_MAX).contains(&self.crash_prob)) {
            e.push(FieldError::range(
                "crash",
                0,
                CRASH_PROB_MAX,
                self.crash_prob,
            ));
        }
        if self.inputs.is_empty() {
            e.push(FieldError::new("inputs", "choose at least one input text"));
        }
        if let Job::Grep { pattern } = &self.job {
            if pattern.is_empty() || pattern.len() > 200 {
                e.push(FieldError::new(
                    "pattern",
                    "grep needs a pattern of 1 to 200 bytes",
                ));
            }
        }
        e.extend(self.faults.validate("faults", &self.worker_names()));
        ValidationErrors(e).into_result()
    }

    fn to_params(&self) -> Params {
        let mut p = Params::new()
            .with("seed", self.seed)
            .with("job", self.job.name());
        if let Job::Grep { pattern } = &self.job {
            p.set("pattern", pattern);
        }
        p.set("inputs", self.inputs.join(","));
        p.set("workers", self.workers);
        p.set("reducers", self.reducers);
        p.set("split_kb", self.split_kb);
        p.set("combiner", u8::from(self.combiner));
        p.set("spec", u8::from(self.speculative));
        p.set("crash", self.crash_prob);
        if !self.faults.is_empty() {
            p.set("faults", &self.faults);
        }
        p
    }

    fn from_params(params: &Params) -> (Self, Vec<FieldError>) {
        let d = MapReduceScenario::default();
        let r = ParamReader::new(params);
        let job = match r.choice("job", 0u8, &JOBS) {
            1 => Job::Indexer,
            2 => Job::Grep {
                pattern: r.text("pattern").unwrap_or("the").to_string(),
            },
            3 => Job::Logs,
            _ => Job::WordCount,
        };
        let _ = r.text("pattern");
        let inputs = match r.text("inputs") {
            None => d.inputs.clone(),
            Some(list) => {
                let names: Vec<String> = list
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect();
                let unknown: Vec<&String> = names
                    .iter()
                    .filter(|n| !CORPUS.contains(&n.as_str()) && n.as_str() != "sample-app.log")
                    .collect();
                if names.is_empty() || !unknown.is_empty() {
                    r.error(FieldError::new(
                        "inputs",
                        format!(
                            "must be a comma-separated list of shipped texts ({} or sample-app.log); unknown: {:?}",
                            CORPUS.join(", "),
                            unknown
                        ),
                    ));
                    d.inputs.clone()
                } else {
                    names
                }
            }
        };
        let mut s = MapReduceScenario {
            seed: r.num("seed", d.seed, 0, u64::MAX),
            job,
            inputs,
            workers: r.num("workers", d.workers, WORKERS_RANGE.0, WORKERS_RANGE.1),
            reducers: r.num("reducers", d.reducers, REDUCERS_RANGE.0, REDUCERS_RANGE.1),
            split_kb: r.num("split_kb", d.split_kb, SPLIT_KB_RANGE.0, SPLIT_KB_RANGE.1),
            combiner: r.flag("combiner", d.combiner),
            speculative: r.flag("spec", d.speculative),
            crash_prob: r.float("crash", d.crash_prob, 0.0, CRASH_PROB_MAX),
            faults: r.faults("faults"),
        };
        let fault_errs = s.faults.validate("faults", &s.worker_names());
        if !fault_errs.is_empty() {
            s.faults = FaultPlan::default();
            fault_errs.into_iter().for_each(|e| r.error(e));
        }
        (s, r.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_round_trip_and_errors_name_fields() {
        let s = MapReduceScenario {
            job: Job::Grep {
                pattern: "whale".into(),
            },
            inputs: vec!["pg-grimm".into()],
            workers: 7,
            crash_prob: 0.25,
            combiner: true,
            faults: FaultPlan::parse("f", "crash:worker-3@2s+1s").unwrap(),
            ..Default::default()
        };
        let (back, errs) = MapReduceScenario::from_params(&Params::parse(&s.to_params().encode()));
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(back, s);
        let (d, errs) = MapReduceScenario::from_params(&Params::parse(
            "workers=0&crash=2&inputs=nope&faults=crash:worker-9@1s&job=sort",
        ));
        assert_eq!(d, MapReduceScenario::default());
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        for f in ["workers", "crash", "inputs", "faults", "job"] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
    }
}
