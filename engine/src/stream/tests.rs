//! What the batch-vs-streaming lab promises: windows add up to a brute-force count of the raw
//! events (late ones reported, never lost), both pipelines see every event, streaming detects
//! fraud sooner, and the batch interval trades freshness for cost.

use super::scenario::{StreamScenario, TimeMode, WindowKind};
use super::world::{brute_force_windows, spread, StreamWorld};
use crate::sim::{FaultPlan, LabWorld};
use proptest::prelude::*;

fn run(s: &StreamScenario) -> StreamWorld {
    let mut w = StreamWorld::new(s);
    w.run_to_end();
    assert!(w.is_done());
    w
}

fn check(w: &StreamWorld) {
    let p = w.pipelines();
    let n = p.txns.len() as u64;
    assert_eq!(p.stream_done, n);
    assert_eq!(p.batch_done, n);
    assert!(
        p.windows.open.is_empty(),
        "every window closes at the end of input"
    );
    if p.s.time_mode == TimeMode::Event {
        let truth = brute_force_windows(&p.txns, p.windows.shape);
        for (start, count) in &truth {
            let e = p
                .windows
                .emitted
                .get(start)
                .copied()
                .unwrap_or_else(|| panic!("window {start} missing"));
            assert_eq!(e.agg.events + e.late_dropped, *count, "window {start}");
        }
        for (start, e) in &p.windows.emitted {
            assert!(truth.contains_key(start) || e.agg.events + e.late_dropped == 0);
        }
        // The batch side, which waits for everything, counts every window exactly.
        let batch: u64 = p.batch_windows.values().map(|a| a.events).sum();
        assert_eq!(batch, truth.values().sum::<u64>());
    } else {
        // Processing-time windows place each event once per window it falls in: nothing is late.
        assert_eq!(p.windows.late_dropped, 0);
    }
}

#[test]
fn default_run_adds_up_and_streaming_detects_sooner() {
    let w = run(&StreamScenario::default());
    check(&w);
    let p = w.pipelines();
    let (n_s, s50, _, _) = spread(&p.stream_detect);
    let (n_b, b50, _, _) = spread(&p.batch_detect);
    assert!(n_s > 50 && n_s == n_b, "{n_s} {n_b}");
    assert!(s50 < 1.0 && b50 > 20.0, "stream {s50} s vs batch {b50} s");
    assert!(p.windows.late_dropped > 0, "late events beyond 5 s arrive");
}

#[test]
fn late_events_within_allowed_lateness_are_counted_once() {
    let s = StreamScenario {
        late_max_s: 4.0,
        allowed_s: 5.0,
        late: 0.3,
        ..Default::default()
    };
    let w = run(&s);
    check(&w);
    assert_eq!(w.pipelines().windows.late_dropped, 0);
    let s = StreamScenario {
        late_max_s: 30.0,
        allowed_s: 0.0,
        late: 0.3,
        ..Default::default()
    };
    let w = run(&s);
    check(&w);
    assert!(w.pipelines().windows.late_dropped > 100);
}

#[test]
fn shorter_batch_interval_is_fresher_and_dearer() {
    let hourly = run(&StreamScenario {
        batch_s: 120.0,
        ..Default::default()
    });
    let often = run(&StreamScenario {
        batch_s: 10.0,
        ..Default::default()
    });
    let (_, h50, _, _) = spread(&hourly.pipelines().batch_detect);
    let (_, o50, _, _) = spread(&often.pipelines().batch_detect);
    assert!(o50 < h50 / 3.0, "{o50} vs {h50}");
    assert!(
        often.cost().0 > hourly.cost().0 * 3.0,
        "{:?} vs {:?}",
        often.cost(),
        hourly.cost()
    );
}

#[test]
fn a_spike_makes_streaming_lag_while_batch_absorbs_it() {
    let s = StreamScenario {
        faults: FaultPlan::parse("f", "spike*5@200s+60s").unwrap(),
        ..Default::default()
    };
    let w = run(&s);
    check(&w);
    let p = w.pipelines();
    let (_, _, s95, smax) = spread(&p.stream_detect);
    assert!(
        smax > 10.0,
        "100/s against 50/s capacity backs the stream up: p95 {s95}, max {smax}"
    );
    let calm = run(&StreamScenario::default());
    assert!(p.stream_latency.quantile(0.99) > calm.pipelines().stream_latency.quantile(0.99));
}

#[test]
fn micro_batches_trade_latency_for_overhead() {
    let w = run(&StreamScenario {
        micro_ms: 2000.0,
        ..Default::default()
    });
    check(&w);
    let (_, m50, _, _) = spread(&w.pipelines().stream_detect);
    assert!(m50 > 0.5 && m50 < 5.0, "{m50}");
}

#[test]
fn same_seed_same_hash() {
    let a = run(&StreamScenario::default());
    let b = run(&StreamScenario::default());
    assert_eq!(a.trace_hash(), b.trace_hash());
    let c = run(&StreamScenario {
        seed: 3,
        ..Default::default()
    });
    assert_ne!(a.trace_hash(), c.trace_hash());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, .. ProptestConfig::default() })]

    #[test]
    fn windows_equal_brute_force_and_nothing_is_lost(
        seed in 0u64..1000,
        rate in 1.0f64..60.0,
        sliding in any::<bool>(),
        window_s in 1.0f64..30.0,
        slide_frac in 0.2f64..1.0,
        event_time in any::<bool>(),
        late in 0.0f64..0.5,
        late_max_s in 0.0f64..40.0,
        allowed_s in 0.0f64..20.0,
        micro_ms in prop_oneof![Just(0.0), 100.0f64..3000.0],
        workers in 1u32..4,
        batch_s in 5.0f64..100.0,
    ) {
        let s = StreamScenario {
            seed, rate, duration_s: 120.0,
            window: if sliding { WindowKind::Sliding } else { WindowKind::Tumbling },
            window_s, slide_s: window_s * slide_frac,
            time_mode: if event_time { TimeMode::Event } else { TimeMode::Processing },
            late, late_max_s, allowed_s, micro_ms, stream_workers: workers, batch_s,
            ..Default::default()
        };
        let w = run(&s);
        check(&w);
    }
}
