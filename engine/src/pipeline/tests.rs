use super::plan::StageKind;
use super::scenario::limits;
use super::table::reference;
use super::world::{measure, prepare, Cause};
use super::*;
use crate::sim::{LabWorld, Scenario};
use proptest::prelude::*;
use std::rc::Rc;

fn small() -> PipelineScenario {
    PipelineScenario {
        days: 20,
        orders_per_day: 300,
        customers: 500,
        small_files: 400,
        shuffle_partitions: 16,
        executors: 2,
        ..PipelineScenario::default()
    }
}

#[test]
fn every_combination_of_optimisations_gives_the_reference_report() {
    let s = small();
    let prepared = Rc::new(prepare(&s));
    assert!(!prepared.reference.by_segment.is_empty());
    for bits in 0..(1u32 << Opt::ALL.len()) {
        let opts = Opt::ALL
            .iter()
            .enumerate()
            .fold(Opts::none(), |o, (i, x)| o.with(*x, bits & (1 << i) != 0));
        let m = measure(&s, &prepared, opts);
        assert!(m.verified, "report differs with {}", opts.to_text());
        assert!(m.seconds > 0.0);
    }
}

#[test]
fn each_optimisation_alone_makes_the_default_job_cheaper() {
    let s = PipelineScenario::default();
    let prepared = Rc::new(prepare(&s));
    let base = measure(&s, &prepared, Opts::none());
    assert!(base.verified);
    for o in Opt::ALL {
        let m = measure(&s, &prepared, Opts::none().with(o, true));
        assert!(m.verified, "{o:?} changed the report");
        assert!(
            m.seconds < base.seconds,
            "{o:?}: {:.1} s is not below the baseline {:.1} s",
            m.seconds,
            base.seconds
        );
        assert!(m.cost_usd < base.cost_usd, "{o:?} did not lower the cost");
        let fewer_bytes = m.read_bytes < base.read_bytes || m.shuffle_bytes < base.shuffle_bytes;
        let fewer_tasks = m.tasks < base.tasks;
        assert!(
            fewer_bytes || fewer_tasks,
            "{o:?} moved no fewer bytes and ran no fewer tasks"
        );
    }
    let all = measure(&s, &prepared, Opts::all());
    assert!(all.verified);
    assert!(
        all.seconds * 20.0 < base.seconds,
        "{} vs {}",
        all.seconds,
        base.seconds
    );
    assert!(all.read_bytes * 100.0 < base.read_bytes);
}

#[test]
fn the_baseline_bottleneck_is_named_with_a_fix_that_helps() {
    let s = PipelineScenario::default();
    let mut w = PipelineWorld::new(&s);
    w.run_to_end();
    let b = w.bottleneck().expect("a finished job has a slowest stage");
    assert!(b.share > 0.1 && b.share <= 1.0);
    let fix = b.suggestion.expect("nothing is on, so something can help");
    let prepared = w.prepared.clone();
    let before = measure(&s, &prepared, Opts::none()).seconds;
    let after = measure(&s, &prepared, Opts::none().with(fix, true)).seconds;
    assert!(
        after < before,
        "{fix:?} suggested for {} did not help",
        b.name
    );
}

#[test]
fn a_skewed_customer_makes_a_straggler_in_the_shuffle_join() {
    let s = PipelineScenario {
        opts: Opts::none()
            .with(Opt::Pruning, true)
            .with(Opt::Columnar, true),
        ..PipelineScenario::default()
    };
    let mut w = PipelineWorld::new(&s);
    w.run_to_end();
    let join = w
        .plan()
        .stages
        .iter()
        .position(|st| st.kind == StageKind::Join)
        .expect("a shuffle join");
    let b = w.bottleneck().expect("finished");
    assert_eq!(b.stage, join, "{b:?}");
    assert_eq!(b.cause, Cause::Straggler);
    assert!(b.skew > 3.0);
    assert_eq!(b.suggestion, Some(Opt::Broadcast));
    // Without skew the same stage has no straggler.
    let flat = PipelineScenario { skew: 0.0, ..s };
    let mut w = PipelineWorld::new(&flat);
    w.run_to_end();
    let st = &w.plan().stages[join];
    let max = st.tasks.iter().map(|t| t.rows).max().unwrap_or(0) as f64;
    let mean = st.tasks.iter().map(|t| t.rows).sum::<u64>() as f64 / st.tasks.len() as f64;
    assert!(max / mean < 1.5, "{max} vs {mean}");
}

#[test]
fn same_seed_same_run_and_the_metrics_add_up() {
    let s = small();
    let run = || {
        let mut w = PipelineWorld::new(&s);
        w.run_to_end();
        w
    };
    let (a, b) = (run(), run());
    assert_eq!(a.trace_hash(), b.trace_hash());
    let m = a.metrics();
    assert_eq!(m.total_completed as usize, a.plan().tasks());
    assert!(m.utilization > 0.0 && m.utilization <= 1.0);
    assert_eq!(m.backlog, 0);
    let history = a.history().expect("the pipeline keeps its own history");
    assert!(history.samples().len() > 2);
    let other = PipelineWorld::new(&PipelineScenario { seed: 7, ..s });
    let mut other = other;
    other.run_to_end();
    assert_ne!(a.trace_hash(), other.trace_hash());
}

#[test]
fn scenario_round_trips_and_bad_fields_are_named() {
    let s = PipelineScenario {
        opts: Opts::none().with(Opt::Cache, true).with(Opt::Pruning, true),
        window: 3,
        ..PipelineScenario::default()
    };
    let (back, errors) = PipelineScenario::from_params(&s.to_params());
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(back, s);
    let bad = crate::sim::params::Params::parse("opts=cache,turbo&window=500&days=30");
    let (s, errors) = PipelineScenario::from_params(&bad);
    let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
    assert!(
        fields.contains(&"opts") && fields.contains(&"window"),
        "{errors:?}"
    );
    assert!(errors.iter().any(|e| e.message.contains("turbo")));
    assert!(s.validate().is_ok());
    let huge = crate::sim::params::Params::parse("days=365&per_day=20000");
    let (s, errors) = PipelineScenario::from_params(&huge);
    assert!(s.rows() <= limits::MAX_ROWS && !errors.is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn random_scenarios_keep_the_report_identical(
        seed in 0u64..1000, days in 2u32..30, per_day in 10u32..400, window in 1u32..30,
        skew in 0.0f64..2.0, parts in 1u32..40, files in 1u32..500, bits in 0u32..512,
    ) {
        let s = PipelineScenario {
            seed, days, orders_per_day: per_day, window: window.min(days), skew,
            customers: 300, shuffle_partitions: parts, small_files: files, executors: 2,
            opts: Opt::ALL.iter().enumerate().fold(Opts::none(), |o, (i, x)| o.with(*x, bits & (1 << i) != 0)),
            ..PipelineScenario::default()
        };
        prop_assert!(s.validate().is_ok());
        let mut w = PipelineWorld::new(&s);
        w.run_to_end();
        prop_assert!(w.is_done());
        let direct = reference(&s, &w.prepared.tables, s.days - 1);
        prop_assert_eq!(&w.plan().report, &direct);
    }
}
