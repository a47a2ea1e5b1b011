//! Wall-clock cost of the newer labs' engines: the performance lab's full default job (plan +
//! 20,869 tasks on the cluster clock), a default reliability drill (31,000 records through the
//! composed broker, validator and loader), the orchestration backfill, and the Spark log parser
//! (reported in bytes/s over the wordcount log repeated to ~10 MB); and the time-travel
//! snapshot (a clone) of the queue and caching worlds at their largest settings after 300 s of
//! virtual time, when they hold millions of messages or waiting requests.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use scalelab_engine::cache::{CacheScenario, CacheWorld};
use scalelab_engine::dag::{DagScenario, DagWorld};
use scalelab_engine::drills::{DrillScenario, DrillWorld, Mitigations};
use scalelab_engine::pipeline::{Opts, PipelineScenario, PipelineWorld};
use scalelab_engine::queue::{QueueScenario, QueueWorld};
use scalelab_engine::sim::params::Params;
use scalelab_engine::sim::{LabWorld, Scenario, SimTime};
use scalelab_engine::sparklog::Parser;

const WORDCOUNT: &str =
    include_str!("../../static/data/spark-events/spark4-2executors-wordcount.json");

fn labs(c: &mut Criterion) {
    let mut g = c.benchmark_group("labs");
    g.sample_size(10);
    g.bench_function("pipeline_default_baseline", |b| {
        b.iter(|| {
            let mut w = PipelineWorld::new(&PipelineScenario::default());
            w.run_to_end();
            w.job_time_s()
        })
    });
    g.bench_function("pipeline_default_all_optimisations", |b| {
        let s = PipelineScenario {
            opts: Opts::all(),
            ..PipelineScenario::default()
        };
        b.iter(|| {
            let mut w = PipelineWorld::new(&s);
            w.run_to_end();
            w.job_time_s()
        })
    });
    let drill = DrillScenario {
        mitigations: Mitigations::safe(),
        ..DrillScenario::default()
    }
    .with_drill("cascading");
    g.bench_function("drill_cascading_safe", |b| {
        b.iter(|| {
            let mut w = DrillWorld::new(&drill);
            w.run_to_end();
            w.scorecard().records_in
        })
    });
    g.bench_function("dag_backfill_60_days", |b| {
        let s = DagScenario {
            days: 60,
            ..DagScenario::default()
        };
        b.iter(|| {
            let mut w = DagWorld::new(&s);
            w.run_to_end();
            w.outcome()
        })
    });
    g.finish();
    let big = WORDCOUNT.repeat(48);
    let mut g = c.benchmark_group("sparklog");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(big.len() as u64));
    g.bench_function("parse_10mb", |b| {
        b.iter(|| {
            let mut p = Parser::new();
            p.feed(&big);
            p.finish().tasks.len()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("snapshot");
    g.sample_size(20);
    let at = SimTime::from_secs(300);
    let (q, _) = QueueScenario::from_params(&Params::parse(
        "partitions=64&producers=16&rate=500&consumers=32&dur=600",
    ));
    let mut queue = QueueWorld::new(&q);
    queue.advance(at, u64::MAX);
    g.bench_function("queues_largest_at_300s", |b| b.iter(|| queue.clone()));
    let (cs, _) = CacheScenario::from_params(&Params::parse(
        "reads=5000&writes=500&keys=100000&capacity=10000&dur=600",
    ));
    let mut cache = CacheWorld::new(&cs);
    cache.advance(at, u64::MAX);
    g.bench_function("caching_largest_at_300s", |b| b.iter(|| cache.clone()));
    g.finish();
}

criterion_group!(benches, labs);
criterion_main!(benches);
