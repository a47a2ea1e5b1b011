use super::model::{Attempt, TaskState};
use super::scenario::{FULL, INCREMENTAL, TASKS};
use super::*;
use crate::sim::params::Params;
use crate::sim::{FaultPlan, LabWorld, Scenario, SimTime};

fn run(s: &DagScenario) -> DagWorld {
    assert!(s.validate().is_ok());
    let mut w = DagWorld::new(s);
    w.run_to_end();
    assert!(w.is_done());
    w
}

fn calm() -> DagScenario {
    DagScenario {
        flaky: 0.0,
        faults: FaultPlan::default(),
        days: 35,
        ..DagScenario::default()
    }
}

#[test]
fn without_failures_every_run_succeeds_and_the_branch_picks_one_load() {
    let w = run(&calm());
    assert_eq!(w.outcome(), (35, 0, 0));
    for r in &w.scheduler().runs {
        let (taken, skipped) = if r.day % 30 == 1 {
            (FULL, INCREMENTAL)
        } else {
            (INCREMENTAL, FULL)
        };
        assert_eq!(r.states[taken], TaskState::Success, "day {}", r.day);
        assert_eq!(r.states[skipped], TaskState::Skipped, "day {}", r.day);
        assert_eq!(r.states[TASKS.len() - 1], TaskState::Success);
    }
}

/// Every attempt starts after each upstream task's successful attempt of the same run ended.
fn dependencies_hold(attempts: &[Attempt]) {
    for a in attempts {
        for &u in TASKS[a.task].upstream {
            if let Some(up) = attempts
                .iter()
                .find(|b| b.run == a.run && b.task == u && b.ok)
            {
                assert!(
                    up.end <= a.start,
                    "{} of run {} started before {} ended",
                    TASKS[a.task].name,
                    a.run,
                    TASKS[u].name
                );
            }
        }
    }
}

#[test]
fn dependencies_slots_and_max_active_runs_hold() {
    for s in [
        calm(),
        DagScenario {
            slots: 2,
            max_active_runs: 5,
            flaky: 0.2,
            ..DagScenario::default()
        },
    ] {
        let w = run(&s);
        let sch = w.scheduler();
        dependencies_hold(&sch.attempts);
        let mut edges: Vec<(SimTime, i32)> = sch
            .attempts
            .iter()
            .flat_map(|a| [(a.start, 1), (a.end, -1)])
            .collect();
        edges.sort_by_key(|e| (e.0, e.1));
        let mut busy = 0;
        for (_, d) in edges {
            busy += d;
            assert!(busy <= s.slots as i32);
        }
        let mut runs: Vec<(SimTime, i32)> = sch
            .runs
            .iter()
            .flat_map(|r| [(r.started.unwrap(), 1), (r.ended.unwrap(), -1)])
            .collect();
        runs.sort_by_key(|e| (e.0, e.1));
        let mut active = 0;
        for (_, d) in runs {
            active += d;
            assert!(active <= s.max_active_runs as i32);
        }
    }
}

#[test]
fn an_outage_fails_runs_without_retries_and_retries_with_backoff_ride_it_out() {
    let no_retries = DagScenario {
        retries: 0,
        flaky: 0.0,
        ..DagScenario::default()
    };
    let mut w = run(&no_retries);
    let (ok, failed, open) = w.outcome();
    assert!(failed > 0 && open == 0, "{:?}", w.outcome());
    let sch = w.scheduler();
    let bad = sch.runs.iter().find(|r| !r.succeeded()).unwrap();
    assert!(bad.states.contains(&TaskState::Failed));
    assert!(
        bad.states.contains(&TaskState::UpstreamFailed),
        "{:?}",
        bad.states
    );
    assert!(sch.attempts.iter().any(|a| a.error == "source unreachable"));
    // Clear the failed runs after the outage: they run again and succeed (a re-run/backfill).
    w.clear_failed();
    w.run_to_end();
    assert_eq!(w.outcome(), (ok + failed, 0, 0));
    let patient = DagScenario {
        retries: 4,
        retry_min: 5.0,
        flaky: 0.0,
        ..DagScenario::default()
    };
    let w = run(&patient);
    assert_eq!(w.outcome(), (10, 0, 0));
    assert!(w.scheduler().failed_attempts > 0, "the outage did hit");
}

#[test]
fn same_seed_same_run() {
    let s = DagScenario::default();
    assert_eq!(run(&s).trace_hash(), run(&s).trace_hash());
    assert_ne!(
        run(&s).trace_hash(),
        run(&DagScenario { seed: 9, ..s }).trace_hash()
    );
}

#[test]
fn links_round_trip_and_bad_fields_are_named() {
    let s = DagScenario {
        days: 20,
        retries: 5,
        ..DagScenario::default()
    };
    let (back, e) = DagScenario::from_params(&s.to_params());
    assert!(e.is_empty(), "{e:?}");
    assert_eq!(back, s);
    let (d, e) = DagScenario::from_params(&Params::parse("days=500&faults=crash:db@1min"));
    let fields: Vec<_> = e.iter().map(|x| x.field.as_str()).collect();
    assert!(
        fields.contains(&"days") && fields.contains(&"faults"),
        "{e:?}"
    );
    assert!(d.validate().is_ok());
}
