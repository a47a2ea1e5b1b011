//! Event-loop throughput: how many events per second the simulation core processes.
//!
//! `hold` is the classic event-list benchmark (a fixed population of pending events, each one
//! rescheduling itself a random delay later), on a trivial model so that the number measures
//! the core: queue, clock, trace hash and dispatch. `demo` runs the real demo world.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rand::RngExt;
use scalelab_engine::demo::{DemoScenario, DemoWorld};
use scalelab_engine::sim::{
    Ctx, LabWorld, Model, RngStreams, SimRng, SimTime, Simulation, TraceHash, Traceable,
};

struct Hold {
    population: u32,
    rng: SimRng,
}

struct Tok(u32);

impl Traceable for Tok {
    fn trace(&self, h: &mut TraceHash) {
        h.word(u64::from(self.0));
    }
}

impl Model for Hold {
    type Event = Tok;
    fn start(&mut self, ctx: &mut Ctx<'_, Tok>) {
        for i in 0..self.population {
            let d = self.rng.random_range(0..1_000u64);
            ctx.after(SimTime(d), Tok(i));
        }
    }
    fn handle(&mut self, ev: Tok, ctx: &mut Ctx<'_, Tok>) {
        let d = self.rng.random_range(1..1_000u64);
        ctx.after(SimTime(d), ev);
    }
}

const EVENTS: u64 = 1_000_000;

fn hold(c: &mut Criterion) {
    let mut g = c.benchmark_group("event_loop/hold");
    g.throughput(Throughput::Elements(EVENTS));
    g.sample_size(20);
    for population in [16u32, 1_024, 65_536] {
        g.bench_with_input(
            BenchmarkId::from_parameter(population),
            &population,
            |b, &p| {
                b.iter(|| {
                    let mut sim = Simulation::new(Hold {
                        population: p,
                        rng: RngStreams::new(1).stream("hold"),
                    });
                    sim.advance(SimTime::MAX, EVENTS);
                    sim.trace().finish()
                })
            },
        );
    }
    g.finish();
}

fn demo(c: &mut Criterion) {
    let s = DemoScenario {
        arrival_rate: 90.0,
        service_ms: 10.0,
        queue_limit: 1_000,
        duration_s: 3_000.0,
        ..Default::default()
    };
    let events = {
        let mut w = DemoWorld::new(&s);
        w.run_to_end();
        w.events()
    };
    let mut g = c.benchmark_group("event_loop/demo");
    g.throughput(Throughput::Elements(events));
    g.sample_size(20);
    g.bench_function("mm1_90pct_3000s", |b| {
        b.iter(|| {
            let mut w = DemoWorld::new(&s);
            w.run_to_end();
            w.trace_hash()
        })
    });
    g.finish();
}

fn mmc(c: &mut Criterion) {
    use scalelab_engine::sim::multiserver::{run_mmc, MmcParams};
    let p = MmcParams {
        arrival_rate: 3.6,
        service_rate: 1.0,
        servers: 4,
        customers: 200_000,
        seed: 1,
    };
    let mut g = c.benchmark_group("event_loop/mmc");
    g.throughput(Throughput::Elements(2 * p.customers));
    g.sample_size(20);
    g.bench_function("m_m_4_90pct_200k", |b| {
        b.iter(|| run_mmc(p).trace().finish())
    });
    g.finish();
}

criterion_group!(benches, hold, demo, mmc);
criterion_main!(benches);
