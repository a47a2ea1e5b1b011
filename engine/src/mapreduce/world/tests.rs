use super::*;
use crate::mapreduce::job::{run_sequential, Job};
use crate::sim::{FaultPlan, Scenario, StopReason};
use proptest::prelude::*;

fn texts() -> Vec<Input> {
    let a = "It was the best of times, it was the worst of times,\nit was the age of wisdom.\n"
        .repeat(40);
    let b =
        "Call me Ishmael. Some years ago—never mind how long precisely—\nhaving little money.\n"
            .repeat(30);
    let c = "Ünïcödé wörds: café, naïve, Æsir, 東京 and the best.\n".repeat(25);
    vec![
        Input::new("a.txt", a),
        Input::new("b.txt", b),
        Input::new("c.txt", c),
    ]
}

fn scenario(workers: u32, reducers: u32, split_kb: u32) -> MapReduceScenario {
    MapReduceScenario {
        inputs: vec!["a.txt".into(), "b.txt".into(), "c.txt".into()],
        workers,
        reducers,
        split_kb,
        ..Default::default()
    }
}

fn run(s: &MapReduceScenario, inputs: Vec<Input>) -> MapReduceWorld {
    let mut w = MapReduceWorld::new(s, inputs);
    let a = w.run_to_end();
    assert_eq!(a.reason, StopReason::Idle);
    assert!(w.is_done());
    w
}

fn as_map(w: &MapReduceWorld) -> std::collections::BTreeMap<String, String> {
    let result = w.result().expect("finished");
    let n = result.len();
    let m: std::collections::BTreeMap<_, _> = result.into_iter().collect();
    assert_eq!(m.len(), n, "a key appears twice");
    m
}

#[test]
fn every_job_matches_the_sequential_computation() {
    let inputs = texts();
    for job in [
        Job::WordCount,
        Job::Indexer,
        Job::Grep {
            pattern: "best".into(),
        },
        Job::Logs,
    ] {
        for combiner in [false, true] {
            let s = MapReduceScenario {
                job: job.clone(),
                combiner,
                ..scenario(3, 4, 1)
            };
            let w = run(&s, inputs.clone());
            assert_eq!(
                as_map(&w),
                run_sequential(&job, &inputs),
                "{job:?} combiner={combiner}"
            );
            assert!(w.counters().map_tasks > 3);
        }
    }
}

#[test]
fn random_crashes_rerun_work_and_the_answer_is_still_exact() {
    let inputs = texts();
    let s = MapReduceScenario {
        crash_prob: 0.3,
        ..scenario(4, 3, 1)
    };
    let w = run(&s, inputs.clone());
    let c = w.counters();
    assert!(c.crashes > 0, "{c:?}");
    assert!(c.reexecuted_tasks > 0, "{c:?}");
    assert!(c.attempts > c.map_tasks + c.reduce_tasks);
    assert_eq!(as_map(&w), run_sequential(&Job::WordCount, &inputs));
}

#[test]
fn a_crash_after_maps_finished_reruns_those_completed_maps() {
    let inputs = texts();
    // Find when worker-1 has finished some maps, then crash it (for good) right then.
    let base = scenario(3, 2, 1);
    let probe = run(&base, inputs.clone());
    let first_done = probe
        .attempts()
        .iter()
        .filter(|a| {
            a.worker == 0 && matches!(a.task, TaskRef::Map(_)) && a.outcome == Outcome::Done
        })
        .filter_map(|a| a.end)
        .nth(1)
        .expect("worker-1 finished two maps");
    let s = MapReduceScenario {
        faults: FaultPlan::parse(
            "faults",
            &format!("crash:worker-1@{}us", first_done.as_micros() + 1),
        )
        .unwrap(),
        ..base
    };
    let w = run(&s, inputs.clone());
    assert!(w.counters().lost_map_outputs >= 2, "{:?}", w.counters());
    assert!(w
        .attempts()
        .iter()
        .any(|a| a.outcome == Outcome::OutputLost));
    assert!(w
        .attempts()
        .iter()
        .all(|a| a.worker != 0 || a.start <= first_done));
    assert_eq!(as_map(&w), run_sequential(&Job::WordCount, &inputs));
}

#[test]
fn a_backup_task_beats_a_straggler() {
    let inputs = texts();
    let slow = MapReduceScenario {
        faults: FaultPlan::parse("faults", "slow:worker-1*20@0s").unwrap(),
        ..scenario(4, 2, 2)
    };
    let plain = run(&slow, inputs.clone());
    let spec = run(
        &MapReduceScenario {
            speculative: true,
            ..slow.clone()
        },
        inputs.clone(),
    );
    assert!(spec.counters().backup_tasks > 0);
    assert!(spec.attempts().iter().any(|a| a.outcome == Outcome::Killed));
    assert!(spec.finished_at().unwrap() < plain.finished_at().unwrap());
    assert_eq!(as_map(&spec), run_sequential(&Job::WordCount, &inputs));
}

#[test]
fn everyone_dead_for_good_stalls_instead_of_looping() {
    let s = MapReduceScenario {
        faults: FaultPlan::parse("faults", "crash:worker-1@50ms,crash:worker-2@50ms").unwrap(),
        ..scenario(2, 2, 1)
    };
    let w = run(&s, texts());
    assert!(w.stalled());
    assert!(w.result().is_none());
}

#[test]
fn journey_and_top_read_the_committed_output() {
    let inputs = texts();
    let w = run(
        &MapReduceScenario {
            combiner: true,
            ..scenario(2, 3, 1)
        },
        inputs.clone(),
    );
    let seq = run_sequential(&Job::WordCount, &inputs);
    let j = w.journey("the");
    assert_eq!(j.value.as_deref(), seq.get("the").map(String::as_str));
    assert!(!j.from_maps.is_empty());
    let top = w.top(3);
    assert_eq!(top.len(), 3);
    assert!(top[0].1.parse::<u64>().unwrap() >= top[1].1.parse::<u64>().unwrap());
    let m = w.shuffle_matrix();
    assert_eq!(m.len(), w.maps().len());
    assert!(m.iter().all(|row| row.len() == 3));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    #[test]
    fn any_cluster_any_crashes_same_answer(
        docs in proptest::collection::vec("[a-cé ,.\\n]{0,300}", 1..4),
        workers in 1u32..6,
        reducers in 1u32..6,
        split_kb in 1u32..3,
        crash in 0.0f64..0.5,
        combiner in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let inputs: Vec<Input> = docs.iter().enumerate().map(|(i, d)| Input::new(format!("d{i}"), d.as_str())).collect();
        let s = MapReduceScenario {
            seed,
            inputs: inputs.iter().map(|i| i.name.clone()).collect(),
            workers, reducers, split_kb, combiner,
            crash_prob: crash,
            ..Default::default()
        };
        prop_assert!(s.validate().is_ok());
        let w = run(&s, inputs.clone());
        prop_assert!(!w.stalled());
        prop_assert_eq!(as_map(&w), run_sequential(&Job::WordCount, &inputs));
        let again = run(&s, inputs);
        prop_assert_eq!(w.trace_hash(), again.trace_hash());
    }
}

#[test]
fn seeds_change_the_run_only_through_randomness() {
    let inputs = texts();
    let a = run(
        &MapReduceScenario {
            crash_prob: 0.2,
            seed: 1,
            ..scenario(3, 2, 1)
        },
        inputs.clone(),
    );
    let b = run(
        &MapReduceScenario {
            crash_prob: 0.2,
            seed: 2,
            ..scenario(3, 2, 1)
        },
        inputs,
    );
    assert_ne!(a.trace_hash(), b.trace_hash());
    assert_eq!(as_map(&a), as_map(&b));
}

#[test]
fn top_keys_equal_a_full_sort_and_committed_keys_count_the_result() {
    let w = run(&scenario(3, 4, 1), texts());
    let result = w.result().expect("finished");
    assert_eq!(w.committed_keys(), Some(result.len()));
    let lead = |v: &str| v.split('\t').next().unwrap().parse::<u64>().unwrap();
    let mut reference = result.clone();
    reference.sort_by(|a, b| lead(&b.1).cmp(&lead(&a.1)).then_with(|| a.0.cmp(&b.0)));
    for n in [0, 1, 5, 12, result.len(), result.len() + 3] {
        let want: Vec<_> = reference.iter().take(n).cloned().collect();
        assert_eq!(w.top(n), want, "top({n})");
    }
    // Before every partition commits there is no count.
    let fresh = MapReduceWorld::new(&scenario(3, 4, 1), texts());
    assert_eq!(fresh.committed_keys(), None);
}
