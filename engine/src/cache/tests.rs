//! What the caching lab promises: every read is a hit or a miss, invalidate-on-write with no TTL
//! never serves a stale value, a bigger cache hits more with diminishing returns, and killing
//! the cache melts the store.

use super::scenario::{CacheScenario, WriteMode};
use super::store::Policy;
use super::world::CacheWorld;
use crate::sim::{FaultPlan, LabWorld};
use proptest::prelude::*;

fn run(s: &CacheScenario) -> CacheWorld {
    let mut w = CacheWorld::new(s);
    w.run_to_end();
    assert!(w.is_done());
    w
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, .. ProptestConfig::default() })]

    #[test]
    fn hits_plus_misses_is_reads_and_invalidation_is_never_stale(
        seed in 0u64..1000,
        keys in 1u32..2000,
        skew in 0.0f64..2.0,
        capacity in 0u32..500,
        policy in prop_oneof![Just(Policy::Lru), Just(Policy::Lfu), Just(Policy::Fifo)],
        write_mode in prop_oneof![Just(WriteMode::Through), Just(WriteMode::Around), Just(WriteMode::Invalidate)],
        ttl_s in prop_oneof![Just(0.0), 0.1f64..10.0],
        writes in 0.0f64..200.0,
        crash in any::<bool>(),
    ) {
        let s = CacheScenario {
            seed, keys, skew, capacity, policy, write_mode, ttl_s, writes,
            reads: 300.0, duration_s: 20.0,
            faults: if crash { FaultPlan::parse("f", "crash:cache@5s+5s").unwrap() } else { FaultPlan::default() },
            ..Default::default()
        };
        let w = run(&s);
        let c = w.service().counts;
        prop_assert_eq!(c.hits + c.misses, c.reads);
        prop_assert!(w.service().slots.len() <= capacity as usize);
        prop_assert_eq!(c.store_requests, c.misses + c.writes);
        if write_mode != WriteMode::Around {
            prop_assert_eq!(c.stale, 0, "{:?}", c);
        }
    }
}

#[test]
fn write_around_serves_stale_values_and_a_ttl_bounds_them() {
    let around = run(&CacheScenario {
        writes: 200.0,
        ..Default::default()
    });
    let stale = around.service().counts.stale;
    assert!(stale > 100, "{stale}");
    let ttl = run(&CacheScenario {
        writes: 200.0,
        ttl_s: 1.0,
        ..Default::default()
    });
    assert!(
        ttl.service().counts.stale < stale / 3,
        "{} vs {stale}",
        ttl.service().counts.stale
    );
    let inv = run(&CacheScenario {
        writes: 200.0,
        write_mode: WriteMode::Invalidate,
        ..Default::default()
    });
    assert_eq!(inv.service().counts.stale, 0);
}

#[test]
fn bigger_caches_hit_more_with_diminishing_returns() {
    let curve =
        CacheWorld::hit_ratio_curve(&CacheScenario::default(), &[0, 100, 1000, 5000, 10_000]);
    let r: Vec<f64> = curve.iter().map(|p| p.1).collect();
    assert_eq!(r[0], 0.0);
    assert!(r.windows(2).all(|w| w[1] >= w[0]), "{r:?}");
    // The first 100 slots (1% of keys) buy far more than the last 5,000.
    assert!(r[1] - r[0] > 3.0 * (r[4] - r[3]), "{r:?}");
    assert!(
        r[1] > 0.3,
        "Zipf(1): the top 1% of keys get a third of the reads: {r:?}"
    );
}

#[test]
fn killing_the_cache_melts_the_store() {
    let calm = run(&CacheScenario::default());
    let killed = run(&CacheScenario {
        faults: FaultPlan::parse("f", "crash:cache@20s+20s").unwrap(),
        ..Default::default()
    });
    let (a, b) = (calm.service().counts, killed.service().counts);
    assert_eq!(a.timeouts, 0, "{a:?}");
    assert!(b.bypassed > 10_000, "{b:?}");
    // 1000 reads/s against 12 × 50/s of store capacity: clients time out.
    assert!(b.timeouts > 1000, "{b:?}");
    assert!(killed.metrics().latency_p99_ms > 10.0 * calm.metrics().latency_p99_ms);
}

#[test]
fn same_seed_same_hash() {
    let a = run(&CacheScenario::default());
    let b = run(&CacheScenario::default());
    assert_eq!(a.trace_hash(), b.trace_hash());
}
