//! Prints the headline numbers of the partitioning and batch-vs-streaming labs, the ones the
//! pages' challenges are tuned to: `cargo run --release -p scalelab-engine --example lab_numbers`.

use scalelab_engine::partition::{KeyDist, PartitionScenario, PartitionWorld};
use scalelab_engine::sim::FaultPlan;
use scalelab_engine::stream::world::spread;
use scalelab_engine::stream::{StreamScenario, StreamWorld};

fn main() {
    println!(
        "partitioning: 200,000 records, 16 partitions, 8 workers, hot key with 40% of the records"
    );
    for salt in [1, 4, 8, 16] {
        let s = PartitionScenario {
            dist: KeyDist::HotKey,
            hot_share: 0.4,
            salt,
            workers: 8,
            partitions: 16,
            ..Default::default()
        };
        let mut w = PartitionWorld::new(&s);
        w.run_to_end();
        println!(
            "  salt {salt:>2}: imbalance {:.2}×, job {:.3} s, verified {}",
            w.imbalance(),
            w.job_time_s().unwrap_or(0.0),
            w.prepared.verified
        );
    }
    let w = PartitionWorld::new(&PartitionScenario::default());
    let curve = w.speedup_curve(16);
    let t1 = curve[0].1;
    let sp: Vec<String> = curve
        .iter()
        .map(|(n, t)| format!("{n}:{:.2}", t1 / t))
        .collect();
    println!("  default job, speed-up by workers: {}", sp.join(" "));

    println!("batch vs streaming: 20 tx/s for 10 min, 1% fraud, 5% late up to 20 s");
    for (label, s) in [
        (
            "batch every 60 s, 1 stream worker",
            StreamScenario::default(),
        ),
        (
            "batch every 10 s",
            StreamScenario {
                batch_s: 10.0,
                ..Default::default()
            },
        ),
        (
            "batch every 10 min",
            StreamScenario {
                batch_s: 600.0,
                ..Default::default()
            },
        ),
        (
            "micro-batches of 2 s",
            StreamScenario {
                micro_ms: 2000.0,
                ..Default::default()
            },
        ),
        (
            "5× spike for 60 s, 1 worker",
            StreamScenario {
                faults: FaultPlan::parse("f", "spike*5@180s+60s").unwrap(),
                ..Default::default()
            },
        ),
        (
            "5× spike for 60 s, 2 workers",
            StreamScenario {
                stream_workers: 2,
                faults: FaultPlan::parse("f", "spike*5@180s+60s").unwrap(),
                ..Default::default()
            },
        ),
    ] {
        let mut w = StreamWorld::new(&s);
        w.run_to_end();
        let p = w.pipelines();
        let (n, s50, s95, _) = spread(&p.stream_detect);
        let (_, b50, b95, _) = spread(&p.batch_detect);
        let (cb, cs) = w.cost();
        println!(
            "  {label}: {n} frauds; stream p50 {s50:.2} s p95 {s95:.2} s ${cs:.3}; batch p50 {b50:.1} s p95 {b95:.1} s ${cb:.3}; late dropped {}",
            p.windows.late_dropped
        );
    }
}
