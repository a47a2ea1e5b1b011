//! Share links carry only the seed and what differs from the default scenario. For every lab,
//! a changed scenario must read back from its compact link exactly, and the compact link must
//! be much shorter than writing every field.

use scalelab_engine::cache::CacheScenario;
use scalelab_engine::dag::DagScenario;
use scalelab_engine::demo::DemoScenario;
use scalelab_engine::drills::DrillScenario;
use scalelab_engine::mapreduce::MapReduceScenario;
use scalelab_engine::partition::PartitionScenario;
use scalelab_engine::pipeline::PipelineScenario;
use scalelab_engine::queue::QueueScenario;
use scalelab_engine::scaling::PairScenario;
use scalelab_engine::sim::params::Params;
use scalelab_engine::sim::Scenario;
use scalelab_engine::stream::StreamScenario;

fn check<S: Scenario + std::fmt::Debug>(lab: &str, changed: &str) {
    let (s, errs) = S::from_params(&Params::parse(changed));
    assert!(errs.is_empty(), "{lab}: test query invalid: {errs:?}");
    assert_ne!(s, S::default(), "{lab}: the query changed nothing");
    let full = s.to_params().encode();
    let compact = s.to_link_params().encode();
    let (back, errs) = S::from_params(&Params::parse(&compact));
    assert!(
        errs.is_empty(),
        "{lab}: compact link `{compact}` reads with errors {errs:?}"
    );
    assert_eq!(
        back, s,
        "{lab}: `{compact}` does not read back as the scenario"
    );
    assert!(
        compact.len() * 2 < full.len(),
        "{lab}: compact link `{compact}` is not much shorter than `{full}`"
    );
    // The default scenario's link is just its seed.
    let d = S::default().to_link_params();
    assert_eq!(
        d.keys().collect::<Vec<_>>(),
        vec!["seed"],
        "{lab}: {}",
        d.encode()
    );
    println!(
        "{lab}: {} → {} characters: {compact}",
        full.len(),
        compact.len()
    );
}

#[test]
fn every_lab_round_trips_through_a_compact_link() {
    check::<PairScenario>("scaling", "seed=9&rate=900&machines=12&faults=");
    check::<StreamScenario>("batch-stream", "seed=9&rate=300");
    check::<PartitionScenario>("partitioning", "seed=9&partitions=32&workers=8");
    check::<MapReduceScenario>("mapreduce", "seed=9&workers=8&crash=0.1");
    check::<QueueScenario>("queues", "seed=9&partitions=12&consumers=6&faults=");
    check::<CacheScenario>("caching", "seed=9&reads=900&capacity=300");
    check::<PipelineScenario>("performance", "seed=9&executors=20");
    check::<DrillScenario>("drills", "seed=9&rate=300&workers=6&faults=");
    check::<DrillScenario>("drills custom", "seed=9&drill=custom&faults=spike*10@60s");
    check::<DagScenario>("tools", "seed=9&days=20&slots=8");
    check::<DemoScenario>("sandbox", "seed=9&rate=12&faults=");
}

/// Every lab's default scenario, as its full query. A compact link leaves defaults out, so a
/// link shared before a default changed would open with the new value: changing one must be a
/// deliberate act (update `tests/defaults.txt`, and think about the links already out there).
#[test]
fn defaults_that_compact_links_rely_on_are_pinned() {
    let now = [
        ("scaling", PairScenario::default().to_params().encode()),
        (
            "batch-stream",
            StreamScenario::default().to_params().encode(),
        ),
        (
            "partitioning",
            PartitionScenario::default().to_params().encode(),
        ),
        (
            "mapreduce",
            MapReduceScenario::default().to_params().encode(),
        ),
        ("queues", QueueScenario::default().to_params().encode()),
        ("caching", CacheScenario::default().to_params().encode()),
        (
            "performance",
            PipelineScenario::default().to_params().encode(),
        ),
        ("drills", DrillScenario::default().to_params().encode()),
        ("tools", DagScenario::default().to_params().encode()),
        ("sandbox", DemoScenario::default().to_params().encode()),
    ]
    .iter()
    .map(|(lab, q)| format!("{lab} {q}\n"))
    .collect::<String>();
    let pinned = include_str!("defaults.txt");
    assert!(
        now == pinned,
        "a lab's defaults changed, which changes what existing share links mean. If that is \
         intended, replace engine/tests/defaults.txt with:\n{now}"
    );
}
