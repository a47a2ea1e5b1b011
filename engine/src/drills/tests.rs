use super::model::Fate;
use super::script::built_in;
use super::*;
use crate::sim::params::Params;
use crate::sim::{Fault, FaultKind, FaultPlan, LabWorld, RngStreams, Scenario, SimTime};
use rand::RngExt;

fn run(s: &DrillScenario) -> DrillWorld {
    assert!(s.validate().is_ok(), "{:?}", s.validate());
    let mut w = DrillWorld::new(s);
    w.run_to_end();
    assert!(w.is_done());
    w
}

/// The scorecard and the reconciliation recomputed from the event log tell the same story.
fn agrees(w: &DrillWorld) -> Scorecard {
    let card = w.scorecard();
    let r = reconcile(&w.model().log);
    assert!(r.balances(), "{r:?}");
    assert_eq!(r.records_in, card.records_in);
    assert_eq!(r.records_out, card.records_out);
    assert_eq!(r.quarantined, card.quarantined);
    assert_eq!(r.dead_lettered, card.dead_lettered);
    assert_eq!(r.lost, card.lost);
    assert_eq!(r.duplicates, card.duplicates);
    assert_eq!(r.in_flight, card.in_flight);
    card
}

#[test]
fn every_built_in_drill_loses_nothing_with_retries_buffer_and_quarantine() {
    assert_eq!(built_in().len(), 7);
    for d in built_in() {
        let s = DrillScenario {
            mitigations: Mitigations::safe(),
            ..DrillScenario::default()
        }
        .with_drill(&d.name);
        let w = run(&s);
        let card = agrees(&w);
        assert_eq!(card.lost, 0, "{}: {card:?}", d.name);
        assert_eq!(card.in_flight, 0, "{}", d.name);
        assert_eq!(card.bad_rows_loaded, 0, "{}", d.name);
        assert!(card.passed, "{}", d.name);
        assert!(card.records_in > 20_000, "{}", d.name);
    }
}

#[test]
fn without_mitigations_the_scorecard_reports_the_loss() {
    let expect_loss = [
        "network-cut",
        "holiday-rush",
        "bad-batch",
        "poison-message",
        "cascading",
    ];
    for d in built_in() {
        let w = run(&DrillScenario::default().with_drill(&d.name));
        let card = agrees(&w);
        if expect_loss.contains(&d.name.as_str()) {
            assert!(card.lost > 0, "{}: {card:?}", d.name);
            assert!(!card.passed);
            assert_eq!(card.loss_reasons.values().sum::<u64>(), card.lost);
        } else {
            assert_eq!(card.lost, 0, "{}", d.name);
        }
    }
    // Each loss has the cause the drill injected.
    let cut = run(&DrillScenario::default().with_drill("network-cut")).scorecard();
    assert!(cut
        .loss_reasons
        .contains_key("warehouse write failed, not retried"));
    let rush = run(&DrillScenario::default().with_drill("holiday-rush")).scorecard();
    assert!(rush.loss_reasons.contains_key("queue full, record dropped"));
    let bad = run(&DrillScenario::default().with_drill("bad-batch")).scorecard();
    assert!(
        bad.bad_rows_loaded > 0,
        "wrong-typed rows slip through without validation"
    );
}

#[test]
fn quarantine_keeps_the_reason_and_dlq_keeps_poison() {
    let s = DrillScenario {
        mitigations: Mitigations::safe(),
        ..DrillScenario::default()
    }
    .with_drill("bad-batch");
    let card = run(&s).scorecard();
    assert_eq!(card.quarantine_reasons.len(), 3, "{card:?}");
    assert_eq!(
        card.quarantine_reasons.values().sum::<u64>(),
        card.quarantined
    );
    let s = DrillScenario {
        mitigations: Mitigations::safe().with(Mitigation::Dlq, true),
        ..DrillScenario::default()
    }
    .with_drill("poison-message");
    let w = run(&s);
    let card = agrees(&w);
    assert!(card.dead_lettered > 0 && card.quarantined == 0, "{card:?}");
    // The queue half is the queue lab's broker: its DLQ holds exactly these records.
    assert_eq!(w.model().broker.dlq.len() as u64, card.dead_lettered);
}

#[test]
fn a_slow_worker_past_the_visibility_timeout_causes_duplicates_the_staging_catches() {
    let w = run(&DrillScenario::default().with_drill("slow-disk"));
    let card = agrees(&w);
    assert!(card.duplicates > 0);
    assert_eq!(card.duplicates, w.model().broker.counters.duplicates);
    assert_eq!(card.lost, 0);
    let loaded = w
        .model()
        .recs
        .iter()
        .filter(|r| r.fate == Fate::Loaded)
        .count() as u64;
    assert_eq!(loaded, card.records_out, "each record is loaded once");
}

#[test]
fn breaker_and_retries_cut_the_failed_calls_of_a_long_outage() {
    let base = DrillScenario {
        drill: "custom".into(),
        faults: FaultPlan::parse("f", "cut:loader>warehouse@30s+120s").unwrap(),
        duration_s: 120.0,
        ..DrillScenario::default()
    };
    let retries = run(&DrillScenario {
        mitigations: Mitigations::safe(),
        ..base.clone()
    })
    .scorecard();
    let breaker = run(&DrillScenario {
        mitigations: Mitigations::safe().with(Mitigation::Breaker, true),
        ..base
    })
    .scorecard();
    assert_eq!(retries.lost + breaker.lost, 0);
    assert!(breaker.breaker_opens > 0);
    assert!(
        breaker.failed_calls <= retries.failed_calls + 3,
        "{breaker:?} {retries:?}"
    );
    assert!(retries.slo_violation_s > 0.0 && retries.recovery_s >= 0.0);
}

#[test]
fn a_thousand_random_fault_timelines_lose_nothing_with_the_safe_mitigations() {
    let mut rng = RngStreams::new(2026).stream("timelines");
    for i in 0..1000 {
        let n = rng.random_range(1..=4);
        let faults = (0..n)
            .map(|_| {
                let at = SimTime::from_secs(rng.random_range(0..60));
                let duration = Some(SimTime::from_secs(rng.random_range(1..90)));
                let worker = format!("worker-{}", rng.random_range(1..=3));
                let kind = match rng.random_range(0..6) {
                    0 => FaultKind::Crash { target: worker },
                    1 => FaultKind::Slow {
                        target: worker,
                        factor: rng.random_range(2.0..40.0),
                    },
                    2 => FaultKind::CutLink {
                        from: "loader".into(),
                        to: "warehouse".into(),
                    },
                    3 => FaultKind::LoadSpike {
                        factor: rng.random_range(2.0..10.0),
                    },
                    4 => FaultKind::Corrupt {
                        p: rng.random_range(0.0..0.3),
                    },
                    _ => FaultKind::Poison {
                        p: rng.random_range(0.0..0.05),
                    },
                };
                Fault { at, duration, kind }
            })
            .collect();
        let s = DrillScenario {
            seed: i,
            drill: "custom".into(),
            faults: FaultPlan::new(faults),
            mitigations: Mitigations::safe(),
            rate: 20.0,
            workers: 3,
            duration_s: 60.0,
            batch: 20,
            ..DrillScenario::default()
        };
        let w = run(&s);
        let card = agrees(&w);
        assert_eq!(card.lost, 0, "timeline {i} [{}]: {card:?}", s.faults);
        assert_eq!(card.in_flight, 0, "timeline {i} [{}]", s.faults);
    }
}

#[test]
fn same_seed_same_drill_same_run() {
    let s = DrillScenario::default().with_drill("cascading");
    let (a, b) = (run(&s), run(&s));
    assert_eq!(a.trace_hash(), b.trace_hash());
    assert_eq!(a.scorecard(), b.scorecard());
    let c = run(&DrillScenario { seed: 7, ..s });
    assert_ne!(a.trace_hash(), c.trace_hash());
}

#[test]
fn the_stress_ramp_finds_the_breaking_point_and_what_saturated_first() {
    let r = stress_ramp(&DrillScenario::default());
    let k = r.breaking.expect("the objective breaks");
    assert!(k >= 1 && r.steps[k].broke && !r.steps[0].broke);
    assert_eq!(r.first_saturated.map(|x| x.1), Some("transform workers"));
    assert!(r.first_saturated.unwrap().0 <= k);
    // Many fast workers and small slow writes: the loader is the bottleneck instead.
    let r = stress_ramp(&DrillScenario {
        workers: 16,
        batch: 5,
        write_ms: 100.0,
        rate: 20.0,
        ..DrillScenario::default()
    });
    assert_eq!(
        r.first_saturated.map(|x| x.1),
        Some("warehouse loader"),
        "{r:?}"
    );
}

#[test]
fn links_round_trip_and_bad_fields_are_named() {
    let s = DrillScenario {
        drill: "custom".into(),
        faults: FaultPlan::parse("f", "cut:loader>warehouse@10s+5s,poison=0.01@20s").unwrap(),
        mitigations: Mitigations::safe(),
        ..DrillScenario::default()
    };
    let (back, errors) = DrillScenario::from_params(&s.to_params());
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(back, s);
    let (named, _) = DrillScenario::from_params(&Params::parse("drill=holiday-rush"));
    assert_eq!(named.faults.to_string(), "spike*10@60s+60s");
    let (d, errors) = DrillScenario::from_params(&Params::parse(
        "drill=meteor&mit=retries,magic&rate=5000&dur=1800",
    ));
    let text = errors
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("; ");
    assert!(text.contains("drill") && text.contains("meteor"), "{text}");
    assert!(text.contains("mit") && text.contains("magic"), "{text}");
    assert!(text.contains("rate"), "{text}");
    assert!(d.validate().is_ok());
    let (_, errors) =
        DrillScenario::from_params(&Params::parse("drill=custom&faults=crash:server-9@1s"));
    assert!(errors.iter().any(|e| e.field == "faults"), "{errors:?}");
}
