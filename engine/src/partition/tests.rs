//! What the partitioning lab promises: every record in exactly one partition, ordered range
//! partitions, partial results that combine to the single-pass answer, and timings that show
//! speed-up, its limits and the straggler a hot key makes.

use super::job::{generate, key_name, salted_name, split, HOT};
use super::scenario::{KeyDist, PartitionScenario};
use super::world::{prepare, PartitionWorld};
use crate::queue::partitioner::Partitioner;
use crate::sim::LabWorld;
use proptest::prelude::*;

fn job_time(s: &PartitionScenario) -> f64 {
    let mut w = PartitionWorld::new(s);
    w.run_to_end();
    w.job_time_s().expect("finished")
}

fn record_name(s: &PartitionScenario, k: u32, i: usize) -> String {
    if k == HOT && s.salt > 1 {
        salted_name(k, i as u32 % s.salt)
    } else {
        key_name(k)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn every_record_in_one_partition_and_partials_combine_exactly(
        seed in 0u64..1000,
        records in 100u32..20_000,
        keys in 1u32..500,
        dist in prop_oneof![Just(KeyDist::Uniform), Just(KeyDist::Zipf), Just(KeyDist::HotKey)],
        partitioner in prop_oneof![Just(Partitioner::Kafka), Just(Partitioner::SparkHash), Just(Partitioner::Range), Just(Partitioner::RoundRobin)],
        partitions in 1u32..40,
        salt in 1u32..6,
    ) {
        let s = PartitionScenario { seed, records, keys, dist, partitioner, partitions, salt, ..Default::default() };
        let data = generate(&s);
        let sp = split(&s, &data);
        prop_assert_eq!(sp.of_record.len(), records as usize);
        prop_assert!(sp.of_record.iter().all(|&p| p < partitions));
        prop_assert_eq!(sp.sizes.iter().sum::<u64>(), u64::from(records));
        if partitioner == Partitioner::Range {
            // Partition i holds only keys ≤ every key of partition i + 1.
            let mut lo: Vec<Option<String>> = vec![None; partitions as usize];
            let mut hi: Vec<Option<String>> = vec![None; partitions as usize];
            for (i, (&k, &p)) in data.keys.iter().zip(&sp.of_record).enumerate() {
                let name = record_name(&s, k, i);
                let p = p as usize;
                if lo[p].as_ref().is_none_or(|x| &name < x) { lo[p] = Some(name.clone()); }
                if hi[p].as_ref().is_none_or(|x| &name > x) { hi[p] = Some(name); }
            }
            let ranges: Vec<(String, String)> = lo.into_iter().zip(hi).filter_map(|(a, b)| Some((a?, b?))).collect();
            for w in ranges.windows(2) {
                prop_assert!(w[0].1 < w[1].0, "{:?} overlaps {:?}", w[0], w[1]);
            }
        }
        let p = prepare(&s);
        prop_assert!(p.verified, "combined partials differ from the single-pass count");
    }
}

#[test]
fn more_workers_help_until_partitions_run_out() {
    let base = PartitionScenario {
        serial: 0.0,
        task_ms: 10.0,
        ..Default::default()
    };
    let t1 = job_time(&PartitionScenario {
        workers: 1,
        ..base.clone()
    });
    let t2 = job_time(&PartitionScenario {
        workers: 2,
        ..base.clone()
    });
    let t8 = job_time(&PartitionScenario {
        workers: 8,
        ..base.clone()
    });
    let t16 = job_time(&PartitionScenario {
        workers: 16,
        ..base.clone()
    });
    assert!(t2 < t1 * 0.6, "{t1} → {t2}");
    assert!(t8 < t1 / 5.0, "{t1} → {t8}");
    // Eight partitions keep at most eight workers busy.
    assert!((t16 - t8).abs() < 1e-9, "{t8} vs {t16}");
}

#[test]
fn a_hot_key_makes_a_straggler_and_salting_spreads_it() {
    let hot = PartitionScenario {
        dist: KeyDist::HotKey,
        hot_share: 0.4,
        workers: 8,
        ..Default::default()
    };
    let mut w = PartitionWorld::new(&hot);
    w.run_to_end();
    assert!(w.imbalance() > 3.0, "{}", w.imbalance());
    let skewed = w.job_time_s().unwrap();
    let salted = PartitionScenario { salt: 8, ..hot };
    let mut s = PartitionWorld::new(&salted);
    s.run_to_end();
    assert!(s.imbalance() < 1.5, "{}", s.imbalance());
    assert!(s.prepared.verified);
    assert!(
        s.job_time_s().unwrap() < skewed * 0.6,
        "{} vs {skewed}",
        s.job_time_s().unwrap()
    );
}

#[test]
fn serial_fraction_caps_the_speedup_like_amdahl() {
    let s = PartitionScenario {
        serial: 0.2,
        partitions: 64,
        task_ms: 0.0,
        records: 400_000,
        ..Default::default()
    };
    let w = PartitionWorld::new(&s);
    let curve = w.speedup_curve(16);
    let t1 = curve[0].1;
    let s16 = t1 / curve[15].1;
    let law = super::amdahl(0.2, 16.0);
    assert!(
        (s16 - law).abs() / law < 0.15,
        "measured {s16}, Amdahl {law}"
    );
    assert!(s16 < 5.0);
}

#[test]
fn same_seed_same_hash() {
    let s = PartitionScenario::default();
    let mut a = PartitionWorld::new(&s);
    let mut b = PartitionWorld::new(&s);
    a.run_to_end();
    b.run_to_end();
    assert_eq!(a.trace_hash(), b.trace_hash());
    let mut c = PartitionWorld::new(&PartitionScenario { seed: 1, ..s });
    c.run_to_end();
    assert_ne!(a.trace_hash(), c.trace_hash());
}
