//! Time travel: periodic copies of a running world, so a learner can drag the clock back to
//! the moment a worker crashed and watch it again. Going back restores the newest copy at or
//! before the target and re-simulates the rest; since a run is deterministic, the replay is the
//! same run, not an approximation of it.
//!
//! Memory stays bounded the same way [`crate::sim::monitor::MetricsHistory`] does it: when too
//! many copies pile up, every other periodic one is dropped and the spacing doubles. Copies taken
//! right after a learner's command (a live fault) are never dropped: the command is not part of
//! the scenario, so a replay can only see it by starting from a copy that already holds it.

use crate::sim::{EventLog, LabWorld, SimTime};

/// Most periodic copies kept before thinning.
pub const MAX_SNAPSHOTS: usize = 24;
/// A copy is also taken after this many processed events, so re-simulating from the nearest one
/// stays a bounded amount of work however dense the run is: while playing, still at most one
/// per `MIN_STEPS`; while running to the end (where smoothness does not matter), one per
/// `MIN_STEPS_DENSE` steps.
const EVERY_EVENTS: u64 = 400_000;
const MIN_STEPS_DENSE: u32 = 5;
/// Copying a big world costs milliseconds, so at most one copy per this many observed steps
/// (animation frames in the page, so under one copy a second at 60 fps): time travel must
/// not eat the frame budget at top speed.
const MIN_STEPS: u32 = 45;

#[derive(Clone)]
struct Snap<W> {
    at: SimTime,
    events: u64,
    world: W,
    /// Taken after a command: replays must start from it, so thinning keeps it.
    pinned: bool,
}

/// The copies of one run, oldest first.
#[derive(Clone)]
pub struct Snapshots<W> {
    list: Vec<Snap<W>>,
    every: SimTime,
    every_events: u64,
    /// The latest time the run has reached (the right end of the scrubber).
    furthest: SimTime,
    /// Steps observed since the last copy.
    steps: u32,
}

/// What a jump back did, for the page to say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rewind {
    /// The copy the replay started from.
    pub from: SimTime,
    /// Events re-simulated to get from the copy to the target.
    pub replayed: u64,
}

impl<W: LabWorld> Snapshots<W> {
    /// Starts with a copy of the world as built; `every` is the initial spacing in virtual time.
    pub fn new(world: &W, every: SimTime) -> Self {
        Snapshots {
            list: vec![Snap {
                at: world.now(),
                events: world.events(),
                world: world.clone(),
                pinned: true,
            }],
            every: every.max(SimTime::from_micros(1)),
            every_events: EVERY_EVENTS,
            furthest: world.now(),
            steps: 0,
        }
    }

    /// Call after the world moved forward on its own (a frame, a step): takes a copy when the
    /// spacing has passed since the newest one.
    pub fn observe(&mut self, world: &W) {
        self.observe_with(world, MIN_STEPS);
    }

    /// `observe` for steps that may be slow anyway (running to the end as fast as possible):
    /// dense runs get copies more often, so a later jump back re-simulates less.
    pub fn observe_dense(&mut self, world: &W) {
        self.observe_with(world, MIN_STEPS_DENSE);
    }

    fn observe_with(&mut self, world: &W, min_dense: u32) {
        self.furthest = self.furthest.max(world.now());
        self.steps = self.steps.saturating_add(1);
        let last = self.list.last().expect("never empty");
        let due = (world.now() >= last.at + self.every && self.steps >= MIN_STEPS)
            || (world.events() >= last.events + self.every_events && self.steps >= min_dense);
        if due && world.events() > last.events {
            self.push(world, false);
        }
    }

    /// Call after a command changed the world: whatever copies lay beyond now described a run
    /// without it, so they go, and a pinned copy holds the command for later replays.
    pub fn commanded(&mut self, world: &W) {
        let now = world.now();
        self.list
            .retain(|s| s.at < now || (s.at == now && s.events < world.events()));
        if self.list.is_empty() {
            // Cannot happen (the first copy is at time zero with no events), but never leave
            // the list empty.
            self.list.push(Snap {
                at: now,
                events: world.events(),
                world: world.clone(),
                pinned: true,
            });
        } else {
            self.push(world, true);
        }
        self.furthest = now;
    }

    fn push(&mut self, world: &W, pinned: bool) {
        self.steps = 0;
        self.list.push(Snap {
            at: world.now(),
            events: world.events(),
            world: world.clone(),
            pinned,
        });
        let periodic = self.list.iter().filter(|s| !s.pinned).count();
        if periodic > MAX_SNAPSHOTS {
            let mut k = 0usize;
            self.list.retain(|s| {
                if s.pinned {
                    return true;
                }
                k += 1;
                k.is_multiple_of(2)
            });
            self.every = SimTime::from_micros(self.every.as_micros().saturating_mul(2));
            self.every_events = self.every_events.saturating_mul(2);
        }
    }

    /// The world as it was at `target` (clamped to what the run has reached): the newest copy
    /// at or before it, re-simulated forward to `target`.
    pub fn rewind(&self, target: SimTime) -> (W, Rewind) {
        let target = target.min(self.furthest);
        let snap = self
            .list
            .iter()
            .rev()
            .find(|s| s.at <= target)
            .unwrap_or(&self.list[0]);
        let mut world = snap.world.clone();
        let adv = world.advance(target, u64::MAX);
        (
            world,
            Rewind {
                from: snap.at,
                replayed: adv.events,
            },
        )
    }

    /// Re-plays the run from its start to `until`, showing every event to `log`: the event log
    /// of the run as it happened, learner commands included. At each command the replay goes
    /// on from the copy taken right after it (and tells `command` when that was), since the
    /// command itself is not part of the scenario. Returns the events replayed.
    pub fn replay_log(
        &self,
        until: SimTime,
        log: &mut EventLog<'_>,
        command: &mut dyn FnMut(SimTime),
    ) -> u64 {
        let mut pinned = self.list.iter().filter(|s| s.pinned);
        let Some(first) = pinned.next() else {
            return 0;
        };
        let mut cur = first.world.clone();
        let mut replayed = 0;
        for next in pinned {
            if next.at > until {
                break;
            }
            // Exactly the events the run had processed when the learner acted.
            let need = next.events.saturating_sub(cur.events());
            if need > 0 {
                replayed += cur.advance_logged(next.at, need, log).events;
            }
            command(next.at);
            cur = next.world.clone();
        }
        replayed + cur.advance_logged(until, u64::MAX, log).events
    }

    /// The right end of the scrubber.
    pub fn furthest(&self) -> SimTime {
        self.furthest
    }

    /// Copies held now.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Times of the copies held, for the scrubber's tick marks.
    pub fn times(&self) -> Vec<SimTime> {
        self.list.iter().map(|s| s.at).collect()
    }
}
