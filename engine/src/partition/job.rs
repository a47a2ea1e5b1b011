//! The data and the real work: generate keyed records, split them with a real partitioner (the
//! same code as `scalelab partition`), aggregate each partition on its own, then combine the
//! partial results and check them against a single-pass count.

use super::scenario::{KeyDist, PartitionScenario};
use crate::queue::partitioner::{kafka_partition, spark_partition, Partitioner};
use crate::sim::fxhash::FxHashMap;
use crate::sim::RngStreams;
use rand::RngExt;
use rand_distr::{Distribution, Zipf};
use std::collections::BTreeMap;

/// The name of key `k`; zero-padded so text order equals numeric order (range partitions are
/// then runs of consecutive ids).
pub fn key_name(k: u32) -> String {
    format!("key-{k:07}")
}

/// A salted variant of a key: `key-0000000#3`.
pub fn salted_name(k: u32, slot: u32) -> String {
    format!("{}#{slot}", key_name(k))
}

/// The records: a key index and a value each.
#[derive(Clone, Debug)]
pub struct Dataset {
    pub keys: Vec<u32>,
    pub values: Vec<u32>,
}

pub fn generate(s: &PartitionScenario) -> Dataset {
    let streams = RngStreams::new(s.seed);
    let mut rng = streams.stream("records");
    let n = s.records as usize;
    let zipf = (s.dist == KeyDist::Zipf)
        .then(|| Zipf::new(f64::from(s.keys), s.skew).ok())
        .flatten();
    let mut keys = Vec::with_capacity(n);
    let mut values = Vec::with_capacity(n);
    for _ in 0..n {
        let k = match (s.dist, &zipf) {
            (KeyDist::Zipf, Some(z)) => (z.sample(&mut rng) as u32).clamp(1, s.keys) - 1,
            (KeyDist::HotKey, _) if rng.random::<f64>() < s.hot_share => 0,
            _ => rng.random_range(0..s.keys),
        };
        keys.push(k);
        values.push(rng.random_range(1..=100));
    }
    Dataset { keys, values }
}

/// The hottest key: the one salting splits (key 0 is the most common under Zipf and hot-key).
pub const HOT: u32 = 0;

/// Where every record went.
#[derive(Clone, Debug)]
pub struct Split {
    /// Partition of each record.
    pub of_record: Vec<u32>,
    pub sizes: Vec<u64>,
    /// Range partitioning: the sampled upper bounds of the first P−1 partitions.
    pub bounds: Vec<String>,
}

/// The salt slot of record `i` (0 when its key is not salted).
fn slot(s: &PartitionScenario, key: u32, i: usize) -> u32 {
    if key == HOT && s.salt > 1 {
        (i as u32) % s.salt
    } else {
        0
    }
}

fn record_key_name(s: &PartitionScenario, key: u32, i: usize) -> String {
    if key == HOT && s.salt > 1 {
        salted_name(key, slot(s, key, i))
    } else {
        key_name(key)
    }
}

pub fn split(s: &PartitionScenario, data: &Dataset) -> Split {
    let p = s.partitions;
    let n = data.keys.len();
    let mut bounds = Vec::new();
    // Each distinct key (and salted variant) is placed once, then looked up per record.
    let place: Box<dyn Fn(&str) -> u32> = match s.partitioner {
        Partitioner::Kafka => Box::new(move |k: &str| kafka_partition(k.as_bytes(), p)),
        Partitioner::SparkHash => Box::new(move |k: &str| spark_partition(k, p)),
        Partitioner::Range => {
            // Spark's RangePartitioner: sample about 20 records per partition, sort, and cut
            // at equal-count quantiles.
            let mut rng = RngStreams::new(s.seed).stream("range-sample");
            let want = (20 * p as usize).min(n).max(1);
            let mut sample: Vec<String> = (0..want)
                .map(|_| {
                    let i = rng.random_range(0..n);
                    record_key_name(s, data.keys[i], i)
                })
                .collect();
            sample.sort_unstable();
            bounds = (1..p as usize)
                .map(|i| sample[(i * sample.len() / p as usize).min(sample.len() - 1)].clone())
                .collect();
            bounds.dedup();
            let b = bounds.clone();
            Box::new(move |k: &str| b.partition_point(|x| x.as_str() < k) as u32)
        }
        Partitioner::RoundRobin => Box::new(|_| 0),
    };
    let per_key: Vec<u32> = if s.partitioner == Partitioner::RoundRobin {
        Vec::new()
    } else {
        (0..s.keys).map(|k| place(&key_name(k))).collect()
    };
    let per_slot: Vec<u32> = (0..s.salt).map(|x| place(&salted_name(HOT, x))).collect();
    let mut sizes = vec![0u64; p as usize];
    let of_record: Vec<u32> = data
        .keys
        .iter()
        .enumerate()
        .map(|(i, &k)| {
            let part = if s.partitioner == Partitioner::RoundRobin {
                (i as u64 % u64::from(p)) as u32
            } else if k == HOT && s.salt > 1 {
                per_slot[slot(s, k, i) as usize]
            } else {
                per_key[k as usize]
            };
            sizes[part as usize] += 1;
            part
        })
        .collect();
    Split {
        of_record,
        sizes,
        bounds,
    }
}

/// One partition's partial result: per (key, salt slot), the count and the sum of values.
#[derive(Clone, Debug, Default)]
pub struct Partial {
    pub entries: FxHashMap<(u32, u32), (u64, u64)>,
}

/// Aggregates every partition separately (what each worker's task computes).
pub fn aggregate(s: &PartitionScenario, data: &Dataset, split: &Split) -> Vec<Partial> {
    let mut parts = vec![Partial::default(); s.partitions as usize];
    for (i, (&k, &v)) in data.keys.iter().zip(&data.values).enumerate() {
        let e = parts[split.of_record[i] as usize]
            .entries
            .entry((k, slot(s, k, i)))
            .or_default();
        e.0 += 1;
        e.1 += u64::from(v);
    }
    parts
}

/// The combine step: merges partials by key, dropping the salt.
pub fn combine(parts: &[Partial]) -> BTreeMap<u32, (u64, u64)> {
    let mut out: BTreeMap<u32, (u64, u64)> = BTreeMap::new();
    for p in parts {
        for (&(k, _), &(c, sum)) in &p.entries {
            let e = out.entry(k).or_default();
            e.0 += c;
            e.1 += sum;
        }
    }
    out
}

/// The same totals in one pass with no partitioning at all: the reference.
pub fn reference(data: &Dataset) -> BTreeMap<u32, (u64, u64)> {
    let mut out: BTreeMap<u32, (u64, u64)> = BTreeMap::new();
    for (&k, &v) in data.keys.iter().zip(&data.values) {
        let e = out.entry(k).or_default();
        e.0 += 1;
        e.1 += u64::from(v);
    }
    out
}
