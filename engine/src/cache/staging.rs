//! Intermediate storage: a three-stage pipeline (ingest → transform → load into a warehouse)
//! with or without staging between the stages, committing the load in checkpoints, through a
//! warehouse outage. With staging, data waits durably where it is and the load resumes from the
//! last checkpoint; without it, whatever was in memory is gone and the run starts over (or, if
//! the source cannot be re-read, the records are lost).
//!
//! Records move in order, so each stage holds a contiguous range of record ids; that is what the
//! page's stage inspector opens.

use crate::sim::{Advance, Ctx, Model, SimTime, Simulation, TimeSeries, TraceHash, Traceable};

/// The pipeline's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct StagingSetup {
    pub records: u64,
    /// Records per second the source emits, transform handles and load writes.
    pub source_rate: f64,
    pub transform_rate: f64,
    pub load_rate: f64,
    /// Records per load commit (a checkpoint).
    pub checkpoint: u64,
    pub outage_at_s: f64,
    pub outage_s: f64,
    /// Durable storage between the stages.
    pub staging: bool,
    /// Whether the source can be read again from the start (files) or not (a live feed).
    pub replayable: bool,
}

impl Default for StagingSetup {
    fn default() -> Self {
        StagingSetup {
            records: 20_000,
            source_rate: 500.0,
            transform_rate: 600.0,
            load_rate: 450.0,
            checkpoint: 1_000,
            outage_at_s: 25.0,
            outage_s: 15.0,
            staging: true,
            replayable: true,
        }
    }
}

/// Where the records are, as id ranges `[lo, hi)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stages {
    /// Emitted by the source so far (ids `0..emitted`).
    pub emitted: u64,
    /// Landed, waiting for transform: `transformed..emitted`.
    pub transformed: u64,
    /// Committed to the warehouse: `0..committed`.
    pub committed: u64,
    /// The load batch in progress: `committed..committed + batch`.
    pub batch: u64,
}

impl Stages {
    pub fn landed(&self) -> (u64, u64) {
        (self.transformed, self.emitted)
    }
    pub fn staged(&self) -> (u64, u64) {
        (self.committed + self.batch, self.transformed)
    }
    pub fn loading(&self) -> (u64, u64) {
        (self.committed, self.committed + self.batch)
    }
}

/// One generated order row, derived from its id (so any stage can be opened and read).
pub fn record(id: u64) -> (u64, String, u64) {
    let h = crate::sim::rng::fnv1a64(&id.to_le_bytes());
    (
        id,
        format!("customer-{:05}", h % 50_000),
        100 + (h >> 20) % 99_900,
    )
}

#[derive(Clone, Copy, Debug, serde::Serialize)]
pub enum Event {
    Tick,
}

impl Traceable for Event {
    fn trace(&self, h: &mut TraceHash) {
        h.word(1);
    }
}

const TICK: SimTime = SimTime(50_000);

pub struct Pipeline {
    pub setup: StagingSetup,
    pub stages: Stages,
    src_acc: f64,
    tr_acc: f64,
    progress: f64,
    pub warehouse_up: bool,
    pub failed_at: Option<SimTime>,
    /// Where the records were when the outage began.
    pub at_outage: Option<Stages>,
    /// Records lost for good.
    pub lost: u64,
    /// Records loaded again (rolled-back batches, or a whole rerun).
    pub reloaded: u64,
    /// Records the source emitted while nothing could take them (a live feed during a failure).
    pub dropped_at_source: u64,
    /// Ids the source skipped (lost) so far: emitted ids are not all committed.
    skipped: u64,
    pub restarts: u32,
    pub done_at: Option<SimTime>,
    pub series: TimeSeries,
}

impl Pipeline {
    pub fn new(setup: &StagingSetup) -> Self {
        Pipeline {
            setup: setup.clone(),
            stages: Stages::default(),
            src_acc: 0.0,
            tr_acc: 0.0,
            progress: 0.0,
            warehouse_up: true,
            failed_at: None,
            at_outage: None,
            lost: 0,
            reloaded: 0,
            dropped_at_source: 0,
            skipped: 0,
            restarts: 0,
            done_at: None,
            series: TimeSeries::new(
                &["landed", "staged", "loading", "committed"],
                SimTime::from_millis(500),
                1024,
            ),
        }
    }

    fn outage(&self, now: SimTime) -> bool {
        let t = now.as_secs_f64();
        t >= self.setup.outage_at_s && t < self.setup.outage_at_s + self.setup.outage_s
    }

    /// Everything the pipeline will ever hold is committed or accounted as lost.
    fn finished(&self) -> bool {
        // Lost ids are skipped over, so `committed` reaches the end either way.
        self.stages.emitted == self.setup.records
            && self.stages.committed == self.setup.records
            && self.stages.batch == 0
    }

    fn tick(&mut self, now: SimTime) {
        let dt = TICK.as_secs_f64();
        let s = self.setup.clone();
        let down = self.outage(now);
        if down && self.warehouse_up {
            self.warehouse_up = false;
            self.at_outage = Some(self.stages);
            self.fail(now);
        } else if !down && !self.warehouse_up {
            self.warehouse_up = true;
            if !s.staging && s.replayable {
                // Start over: truncate the warehouse and read the source again.
                self.reloaded += self.stages.committed;
                self.stages = Stages::default();
                self.restarts += 1;
            }
        }
        let job_running = s.staging || self.warehouse_up;
        // Source.
        self.src_acc += s.source_rate * dt;
        let n = (self.src_acc.floor() as u64).min(s.records - self.stages.emitted);
        self.src_acc -= n as f64;
        if job_running {
            self.stages.emitted += n;
        } else if !s.replayable {
            // A live feed with nothing listening: those records are gone.
            self.stages.emitted += n;
            self.stages.transformed += n;
            self.dropped_at_source += n;
            self.lost += n;
            self.skipped += n;
        }
        if !job_running {
            self.sample(now);
            return;
        }
        // Transform.
        self.tr_acc += s.transform_rate * dt;
        let t = (self.tr_acc.floor() as u64).min(self.stages.emitted - self.stages.transformed);
        self.tr_acc -= t as f64;
        self.tr_acc = self.tr_acc.min(s.transform_rate);
        self.stages.transformed += t;
        // Load, one checkpoint at a time.
        if self.warehouse_up {
            let (lo, hi) = self.stages.staged();
            if self.stages.batch == 0 {
                let avail = hi - lo;
                let last = self.stages.transformed == s.records;
                if avail >= s.checkpoint || (last && avail > 0) {
                    self.stages.batch = avail.min(s.checkpoint);
                    self.progress = 0.0;
                }
            }
            if self.stages.batch > 0 {
                self.progress += s.load_rate * dt;
                if self.progress >= self.stages.batch as f64 {
                    self.stages.committed += self.stages.batch;
                    self.stages.batch = 0;
                    self.progress = 0.0;
                }
            }
        }
        self.sample(now);
    }

    /// The warehouse goes down: the batch in flight rolls back. With staging its records are
    /// still in the staging table; without, everything not committed was only in memory.
    fn fail(&mut self, now: SimTime) {
        self.failed_at = Some(now);
        if self.stages.batch > 0 {
            self.reloaded += self.stages.batch;
            self.stages.batch = 0;
            self.progress = 0.0;
        }
        if !self.setup.staging {
            let in_memory = self.stages.emitted - self.stages.committed;
            if self.setup.replayable {
                // Nothing is lost for good, but the whole run will be repeated.
            } else {
                self.lost += in_memory;
                self.stages.transformed = self.stages.emitted;
                self.stages.committed = self.stages.emitted;
                self.skipped += in_memory;
            }
        }
    }

    fn sample(&mut self, now: SimTime) {
        let (l0, l1) = self.stages.landed();
        let (s0, s1) = self.stages.staged();
        let row = [
            (l1 - l0) as f64,
            (s1 - s0) as f64,
            self.stages.batch as f64,
            self.stages.committed.saturating_sub(self.skipped) as f64,
        ];
        self.series.offer(now, &row);
    }

    /// Records actually in the warehouse (lost ids are skipped, not written).
    pub fn in_warehouse(&self) -> u64 {
        self.stages.committed.saturating_sub(self.skipped)
    }
}

impl Model for Pipeline {
    type Event = Event;
    fn start(&mut self, ctx: &mut Ctx<'_, Event>) {
        ctx.at(SimTime::ZERO, Event::Tick);
    }
    fn handle(&mut self, _ev: Event, ctx: &mut Ctx<'_, Event>) {
        let now = ctx.now();
        self.tick(now);
        if self.finished() {
            self.done_at = Some(now);
        } else if now < SimTime::from_secs(86_400) {
            ctx.after(TICK, Event::Tick);
        }
    }
}

/// Runs one variant to the end.
pub fn run(setup: &StagingSetup) -> (Simulation<Pipeline>, Advance) {
    let mut sim = Simulation::new(Pipeline::new(setup));
    let a = sim.run_to_end(u64::MAX);
    (sim, a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn done(setup: &StagingSetup) -> Simulation<Pipeline> {
        let (sim, _) = run(setup);
        assert!(sim.model().done_at.is_some(), "{setup:?}");
        sim
    }

    #[test]
    fn staging_loses_nothing_and_resumes_from_the_checkpoint() {
        let a = done(&StagingSetup::default());
        let with = a.model();
        assert_eq!(with.lost, 0);
        assert_eq!(with.in_warehouse(), 20_000);
        assert!(
            with.reloaded <= 1_000,
            "only the batch in flight is redone: {}",
            with.reloaded
        );
        let b = done(&StagingSetup {
            staging: false,
            ..Default::default()
        });
        let without = b.model();
        assert_eq!(without.lost, 0, "a re-readable source loses nothing");
        assert_eq!(without.in_warehouse(), 20_000);
        assert_eq!(without.restarts, 1);
        assert!(without.reloaded > 5_000, "{}", without.reloaded);
        assert!(without.done_at.unwrap() > with.done_at.unwrap() + SimTime::from_secs(15));
        let c = done(&StagingSetup {
            staging: false,
            replayable: false,
            ..Default::default()
        });
        let live = c.model();
        assert!(live.lost > 5_000, "{}", live.lost);
        assert_eq!(live.in_warehouse() + live.lost, 20_000);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]
        #[test]
        fn staging_loses_zero_records_under_a_random_outage(
            at in 0.0f64..60.0, len in 0.0f64..60.0, checkpoint in 1u64..5000,
            records in 1u64..30_000, replayable in any::<bool>(),
        ) {
            let s = StagingSetup { outage_at_s: at, outage_s: len, checkpoint, records, replayable, ..Default::default() };
            let p_sim = done(&s);
            let p = p_sim.model();
            prop_assert_eq!(p.lost, 0);
            prop_assert_eq!(p.in_warehouse(), records);
            let q_sim = done(&StagingSetup { staging: false, ..s });
            let q = q_sim.model();
            prop_assert_eq!(q.in_warehouse() + q.lost, records, "every record is in the warehouse or counted lost");
        }
    }
}
