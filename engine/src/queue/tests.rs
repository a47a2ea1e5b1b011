//! Behaviour the queue lab promises, checked on the engine: nothing lost, at-least-once,
//! per-partition order, the dead-letter queue, rebalancing and back-pressure.

use super::broker::{LifeEvent, LifeKind, MsgState};
use super::scenario::{Load, Mode, Overflow, QueueScenario, Service};
use super::world::QueueWorld;
use crate::sim::{FaultPlan, LabWorld, StopReason};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

fn run(s: &QueueScenario) -> QueueWorld {
    let mut w = QueueWorld::recording(s);
    assert_eq!(w.run_to_end().reason, StopReason::Idle);
    w
}

/// Every check that must hold for any drained run.
fn check_invariants(w: &QueueWorld) {
    let s = w.scenario();
    let sum = w.summary();
    let b = w.broker();
    assert_eq!(sum.lost, 0, "{sum:?}");
    assert!(sum.drained, "the run settles every message: {sum:?}");
    assert_eq!(
        sum.produced,
        sum.acked + sum.dead_lettered + sum.dropped,
        "{sum:?}"
    );
    let mut terminal: BTreeMap<u64, BTreeSet<&str>> = BTreeMap::new();
    let mut produced = BTreeSet::new();
    let mut first_delivery: BTreeMap<u16, Vec<u64>> = BTreeMap::new();
    let mut delivered = BTreeSet::new();
    for e in w.life_events() {
        match e.kind {
            LifeKind::Produced => assert!(produced.insert(e.msg), "produced twice: {e:?}"),
            LifeKind::Delivered => {
                assert!(
                    produced.contains(&e.msg),
                    "delivered before produced: {e:?}"
                );
                if delivered.insert(e.msg) {
                    first_delivery
                        .entry(e.partition)
                        .or_default()
                        .push(e.offset);
                }
            }
            k => {
                terminal.entry(e.msg).or_default().insert(k.name());
            }
        }
    }
    assert_eq!(produced.len() as u64, sum.produced);
    // Zero loss: every message ends acked, dead-lettered or knowingly dropped.
    for id in &produced {
        let t = terminal
            .get(id)
            .unwrap_or_else(|| panic!("message {id} has no outcome"));
        let m = &b.msgs[*id as usize];
        if m.poison {
            // The DLQ gets the poison messages, after max deliveries.
            assert!(
                t.contains("dead_lettered") || t.contains("dropped"),
                "poison {id}: {t:?}"
            );
            if t.contains("dead_lettered") {
                assert!(u32::from(m.deliveries) >= s.max_deliveries, "{m:?}");
            }
        } else if !t.contains("dropped") {
            // At-least-once: a good message is acknowledged at least once.
            assert!(
                t.contains("acked") || u32::from(m.deliveries) >= s.max_deliveries,
                "message {id}: {t:?} {m:?}"
            );
        }
    }
    if s.mode == Mode::Log {
        // Within a partition, first deliveries follow offset order.
        for (p, offsets) in &first_delivery {
            assert!(
                offsets.windows(2).all(|w| w[0] < w[1]),
                "partition {p} out of order: {offsets:?}"
            );
        }
        // In log mode a crash never makes a good message look poisonous.
        for id in &b.dlq {
            assert!(
                b.msgs[*id as usize].poison,
                "{id} dead-lettered but not poison"
            );
        }
    }
    let dlq: BTreeSet<u64> = b.dlq.iter().copied().collect();
    assert_eq!(dlq.len() as u64, sum.dead_lettered);
}

#[test]
fn default_run_delivers_everything_once() {
    let w = run(&QueueScenario::default());
    check_invariants(&w);
    let sum = w.summary();
    assert!(sum.produced > 2000, "{sum:?}");
    assert_eq!(sum.redelivered, 0);
    assert_eq!(sum.duplicates, 0);
    assert!(sum.p50_ms > 0.0 && sum.p99_ms >= sum.p95_ms);
}

#[test]
fn same_seed_same_hash_other_seed_other_hash() {
    let s = QueueScenario {
        faults: FaultPlan::parse("f", "crash:consumer-1@5s+10s").unwrap(),
        poison_rate: 0.02,
        ..Default::default()
    };
    let a = QueueWorld::new(&s).tap_run();
    let b = QueueWorld::new(&s).tap_run();
    assert_eq!(a.trace_hash(), b.trace_hash());
    let c = QueueWorld::new(&QueueScenario { seed: 7, ..s }).tap_run();
    assert_ne!(a.trace_hash(), c.trace_hash());
}

trait TapRun {
    fn tap_run(self) -> Self;
}
impl TapRun for QueueWorld {
    fn tap_run(mut self) -> Self {
        self.run_to_end();
        self
    }
}

#[test]
fn crash_without_commit_redelivers_and_duplicates() {
    let s = QueueScenario {
        commit_ms: 5000.0,
        faults: FaultPlan::parse("f", "crash:consumer-1@20s").unwrap(),
        ..Default::default()
    };
    let w = run(&s);
    check_invariants(&w);
    let sum = w.summary();
    assert!(
        sum.duplicates > 0,
        "uncommitted work is processed twice: {sum:?}"
    );
    assert!(sum.rebalances >= 1);
    // The crashed consumer owns nothing after the rebalance.
    let c1 = &w.consumers()[0];
    assert!(!c1.up && c1.assigned.is_empty(), "{c1:?}");
    // Committing after every message leaves only the in-flight message to redo.
    let w = run(&QueueScenario {
        commit_ms: 0.0,
        ..s
    });
    check_invariants(&w);
    assert_eq!(w.summary().duplicates, 0, "{:?}", w.summary());
}

#[test]
fn more_consumers_than_partitions_sit_idle() {
    let w = run(&QueueScenario {
        partitions: 2,
        consumers: 5,
        ..Default::default()
    });
    check_invariants(&w);
    let idle: Vec<_> = w
        .consumers()
        .into_iter()
        .filter(|c| c.assigned.is_empty())
        .collect();
    assert_eq!(idle.len(), 3);
    assert!(idle.iter().all(|c| c.processed == 0));
    // In queue mode all five compete for the same messages.
    let w = run(&QueueScenario {
        partitions: 2,
        consumers: 5,
        mode: Mode::Queue,
        ..Default::default()
    });
    check_invariants(&w);
    assert!(w.consumers().iter().all(|c| c.processed > 0));
}

#[test]
fn poison_goes_to_the_dlq_after_max_deliveries() {
    for mode in [Mode::Log, Mode::Queue] {
        let s = QueueScenario {
            mode,
            poison_rate: 0.05,
            max_deliveries: 4,
            ..Default::default()
        };
        let w = run(&s);
        check_invariants(&w);
        let b = w.broker();
        let poison: BTreeSet<u64> = (0..b.msgs.len() as u64)
            .filter(|&i| b.msgs[i as usize].poison)
            .collect();
        let dlq: BTreeSet<u64> = b.dlq.iter().copied().collect();
        assert!(!poison.is_empty());
        assert_eq!(poison, dlq, "{mode:?}");
        for id in dlq {
            assert_eq!(b.msgs[id as usize].deliveries, 4, "{mode:?}");
        }
    }
}

#[test]
fn a_stopped_consumer_leaves_a_backlog_that_drains_later() {
    let s = QueueScenario {
        consumers: 1,
        partitions: 1,
        faults: FaultPlan::parse("f", "crash:consumer-1@10s+20s").unwrap(),
        ..Default::default()
    };
    let w = run(&s);
    check_invariants(&w);
    let sum = w.summary();
    assert!(sum.max_backlog > 500, "20 s at 40 msg/s piles up: {sum:?}");
    // Messages produced while it was down waited for it.
    assert!(sum.p99_ms > 10_000.0, "{sum:?}");
}

#[test]
fn visibility_timeout_shorter_than_processing_duplicates_work() {
    let w = run(&QueueScenario {
        mode: Mode::Queue,
        service: Service::Constant,
        service_ms: 200.0,
        rate: 2.0,
        visibility_ms: 150.0,
        max_deliveries: 100,
        ..Default::default()
    });
    check_invariants(&w);
    let sum = w.summary();
    assert!(sum.redelivered > 0 && sum.duplicates > 0, "{sum:?}");
}

#[test]
fn bounded_queue_blocks_or_drops() {
    let base = QueueScenario {
        mode: Mode::Queue,
        consumers: 1,
        rate: 30.0,
        buffer: 20,
        load: Load::Constant,
        ..Default::default()
    };
    let blocked = run(&base);
    check_invariants(&blocked);
    let b = blocked.summary();
    assert_eq!(b.dropped, 0);
    assert!(b.max_backlog <= 20 + 2, "{b:?}");
    // Back-pressure slows the producers down: fewer messages than asked for.
    assert!(b.produced < 3000, "{b:?}");
    let dropped = run(&QueueScenario {
        overflow: Overflow::DropNewest,
        ..base
    });
    check_invariants(&dropped);
    let d = dropped.summary();
    assert!(d.dropped > 0, "{d:?}");
    assert_eq!(d.produced, 3600, "constant load: 2 × 30/s × 60 s");
}

#[test]
fn a_second_group_reads_everything_independently() {
    let w = run(&QueueScenario {
        monitor: true,
        ..Default::default()
    });
    check_invariants(&w);
    let g = w.groups();
    assert_eq!(g.len(), 2);
    assert_eq!(g[1].acked, w.summary().produced);
    assert_eq!(g[0].acked, g[1].acked);
}

#[test]
fn adding_a_group_live_starts_from_the_oldest_kept_message() {
    let mut w = QueueWorld::recording(&QueueScenario::default());
    w.advance(crate::sim::SimTime::from_secs(20), u64::MAX);
    w.add_monitor_now();
    w.add_consumer_now();
    w.run_to_end();
    check_invariants(&w);
    let g = w.groups();
    assert_eq!(g[1].acked, w.summary().produced, "{g:?}");
    assert_eq!(
        w.consumers()
            .iter()
            .filter(|c| c.group == "workers")
            .count(),
        4
    );
}

#[test]
fn retention_deletes_unread_messages_as_dropped() {
    let w = run(&QueueScenario {
        consumers: 1,
        partitions: 1,
        retention_s: 5.0,
        faults: FaultPlan::parse("f", "crash:consumer-1@10s+30s").unwrap(),
        ..Default::default()
    });
    check_invariants(&w);
    let sum = w.summary();
    assert!(sum.expired > 0 && sum.dropped == sum.expired, "{sum:?}");
}

#[test]
fn consumers_removed_live_hand_their_partitions_over() {
    let mut w = QueueWorld::recording(&QueueScenario::default());
    w.advance(crate::sim::SimTime::from_secs(10), u64::MAX);
    w.remove_consumer_now();
    w.remove_consumer_now();
    w.run_to_end();
    check_invariants(&w);
    let live: Vec<_> = w.consumers().into_iter().filter(|c| c.up).collect();
    assert_eq!(live.len(), 1);
    assert_eq!(live[0].assigned.len(), 4);
    assert_eq!(w.summary().duplicates, 0, "clean leaves commit first");
}

fn fault_plan(crashes: Vec<(u32, u32, Option<u32>)>, consumers: u32) -> FaultPlan {
    let text: Vec<String> = crashes
        .into_iter()
        .filter(|(c, _, _)| *c <= consumers)
        .map(|(c, at, dur)| match dur {
            Some(d) => format!("crash:consumer-{c}@{at}s+{d}s"),
            // consumer-1 always comes back, so someone is left to drain.
            None if c == 1 => format!("crash:consumer-1@{at}s+5s"),
            None => format!("crash:consumer-{c}@{at}s"),
        })
        .collect();
    FaultPlan::parse("f", &text.join(",")).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

    #[test]
    fn no_loss_at_least_once_order_and_dlq_under_random_faults(
        seed in 0u64..1000,
        queue_mode in any::<bool>(),
        partitions in 1u32..8,
        consumers in 1u32..5,
        poison in prop_oneof![Just(0.0), 0.0f64..0.1],
        max_deliveries in 1u32..5,
        commit_ms in prop_oneof![Just(0.0), 100.0f64..3000.0],
        visibility_ms in 100.0f64..3000.0,
        keys in prop_oneof![Just(0u32), 1u32..200],
        crashes in proptest::collection::vec((1u32..5, 0u32..20, proptest::option::of(1u32..15)), 0..4),
        buffer in prop_oneof![Just(0u32), 5u32..50],
        drop_newest in any::<bool>(),
    ) {
        let s = QueueScenario {
            seed,
            mode: if queue_mode { Mode::Queue } else { Mode::Log },
            partitions,
            consumers,
            poison_rate: poison,
            max_deliveries,
            commit_ms,
            visibility_ms,
            keys,
            duration_s: 20.0,
            buffer,
            overflow: if drop_newest { Overflow::DropNewest } else { Overflow::Block },
            faults: fault_plan(crashes, consumers),
            ..Default::default()
        };
        let w = run(&s);
        check_invariants(&w);
        // Replays exactly.
        let again = QueueWorld::new(&s).tap_run();
        prop_assert_eq!(again.trace_hash(), w.trace_hash());
        let events: &[LifeEvent] = w.life_events();
        prop_assert!(events.iter().all(|e| e.kind != LifeKind::Dropped || s.mode == Mode::Queue && s.buffer > 0));
        prop_assert!(w.broker().msgs.iter().all(|m| m.state != MsgState::InFlight));
    }
}
