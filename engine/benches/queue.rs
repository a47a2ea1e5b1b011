//! Messages per second through the broker: 100,000 messages, 16 partitions, 8 consumers, with
//! and without a crash, in both modes. Throughput is reported per message (Criterion's
//! `Elements`), so the numbers read as messages/s of wall-clock time.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use scalelab_engine::queue::{Mode, QueueScenario, QueueWorld};
use scalelab_engine::sim::FaultPlan;

fn scenario(mode: Mode, crash: bool) -> QueueScenario {
    QueueScenario {
        mode,
        partitions: 16,
        producers: 4,
        rate: 250.0,
        consumers: 8,
        service_ms: 5.0,
        duration_s: 100.0,
        faults: if crash {
            FaultPlan::parse("f", "crash:consumer-3@30s+10s").unwrap()
        } else {
            FaultPlan::default()
        },
        ..Default::default()
    }
}

fn broker(c: &mut Criterion) {
    let mut g = c.benchmark_group("queue_100k_messages");
    g.sample_size(10);
    for (name, mode, crash) in [
        ("log", Mode::Log, false),
        ("log_crash", Mode::Log, true),
        ("queue", Mode::Queue, false),
        ("queue_crash", Mode::Queue, true),
    ] {
        let s = scenario(mode, crash);
        let produced = {
            let mut w = QueueWorld::new(&s);
            w.run_to_end();
            w.summary().produced
        };
        g.throughput(Throughput::Elements(produced));
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut w = QueueWorld::new(&s);
                w.run_to_end();
                assert_eq!(w.summary().lost, 0);
            })
        });
    }
    g.finish();
}

criterion_group!(benches, broker);
criterion_main!(benches);
