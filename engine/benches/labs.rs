//! Wall-clock cost of the newer labs' engines: the performance lab's full default job (plan +
//! 20,869 tasks on the cluster clock), a default reliability drill (31,000 records through the
//! composed broker, validator and loader), the orchestration backfill, and the Spark log parser
//! (reported in bytes/s over the wordcount log repeated to ~10 MB).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use scalelab_engine::dag::{DagScenario, DagWorld};
use scalelab_engine::drills::{DrillScenario, DrillWorld, Mitigations};
use scalelab_engine::pipeline::{Opts, PipelineScenario, PipelineWorld};
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
}

criterion_group!(benches, labs);
criterion_main!(benches);
