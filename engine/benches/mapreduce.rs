//! Word count over the eight shipped texts: the engine (one worker, so no parallel speed-up
//! flatters it) against a bare sequential count with a HashMap, which is the least work any
//! implementation can do. The ratio is the price of splits, partitioning, the shuffle and the
//! simulated cluster.

use criterion::{criterion_group, criterion_main, Criterion};
use scalelab_engine::mapreduce::job::words;
use scalelab_engine::mapreduce::{Input, Job, MapReduceScenario, MapReduceWorld};
use std::collections::HashMap;
use std::path::PathBuf;

fn corpus() -> Vec<Input> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../static/data/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("static/data/corpus")
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| {
            Input::new(
                f.file_stem().unwrap().to_string_lossy(),
                std::fs::read_to_string(f).unwrap(),
            )
        })
        .collect()
}

fn wordcount(c: &mut Criterion) {
    let inputs = corpus();
    let mut g = c.benchmark_group("wordcount_8_texts");
    g.sample_size(20);
    g.bench_function("bare_hashmap", |b| {
        b.iter(|| {
            let mut counts: HashMap<&str, u64> = HashMap::new();
            for i in &inputs {
                for w in words(&i.text) {
                    *counts.entry(w).or_default() += 1;
                }
            }
            counts.len()
        })
    });
    for combiner in [true, false] {
        let s = MapReduceScenario {
            job: Job::WordCount,
            inputs: inputs.iter().map(|i| i.name.clone()).collect(),
            workers: 1,
            reducers: 4,
            combiner,
            ..Default::default()
        };
        let name = if combiner {
            "engine_1_worker_combiner"
        } else {
            "engine_1_worker_no_combiner"
        };
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut w = MapReduceWorld::new(&s, inputs.clone());
                w.run_to_end();
                w.counters().reduce_records_out
            })
        });
    }
    g.finish();
}

criterion_group!(benches, wordcount);
criterion_main!(benches);
