//! The event loop. A [`Simulation`] owns a model, the future event list, the clock and the
//! trace hash; [`Simulation::advance`] processes events up to a time limit *and* an event budget,
//! so the browser can step a huge run a bounded amount per animation frame without freezing.

use crate::sim::{EventQueue, SimTime, TraceHash, Traceable};

/// A machine's state and its reaction to events.
pub trait Model {
    type Event: Traceable;
    /// Schedules the initial events (first arrival, timed faults, the first sample tick).
    fn start(&mut self, ctx: &mut Ctx<'_, Self::Event>);
    /// Reacts to one event at `ctx.now()`, possibly scheduling more.
    fn handle(&mut self, event: Self::Event, ctx: &mut Ctx<'_, Self::Event>);
}

/// What a model may do while handling an event: read the clock and schedule future events.
pub struct Ctx<'a, E> {
    now: SimTime,
    queue: &'a mut EventQueue<E>,
}

impl<E> Ctx<'_, E> {
    #[inline]
    pub fn now(&self) -> SimTime {
        self.now
    }
    /// Schedules at an absolute time; times in the past are clamped to now (never time travel).
    #[inline]
    pub fn at(&mut self, time: SimTime, ev: E) {
        self.queue.push(time.max(self.now), ev);
    }
    /// Schedules after a delay.
    #[inline]
    pub fn after(&mut self, delay: SimTime, ev: E) {
        self.queue.push(self.now + delay, ev);
    }
    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    /// Runs a component model inside this one: `f` gets a context of the component's own event
    /// type, and everything it schedules comes back here wrapped by `wrap`, in the order it was
    /// scheduled (so a composed run stays as replayable as its parts).
    pub fn sub<E2, R>(
        &mut self,
        wrap: impl Fn(E2) -> E,
        f: impl FnOnce(&mut Ctx<'_, E2>) -> R,
    ) -> R {
        let mut inner = EventQueue::new();
        let r = f(&mut Ctx {
            now: self.now,
            queue: &mut inner,
        });
        let mut scheduled = Vec::with_capacity(inner.len());
        while let Some((t, seq, ev)) = inner.pop() {
            scheduled.push((seq, t, ev));
        }
        scheduled.sort_by_key(|(seq, _, _)| *seq);
        for (_, t, ev) in scheduled {
            self.queue.push(t, wrap(ev));
        }
        r
    }
}

/// Why [`Simulation::advance`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// All events up to `until` were processed; the clock now reads `until`.
    ReachedUntil,
    /// The event budget ran out first; call again to continue.
    Budget,
    /// No events are left at all.
    Idle,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Advance {
    pub events: u64,
    pub reason: StopReason,
}

/// A model plus the machinery that drives it. Cloning one is a snapshot: the clone continues
/// exactly as the original would (time travel in the page restores these).
pub struct Simulation<M: Model> {
    model: M,
    queue: EventQueue<M::Event>,
    now: SimTime,
    trace: TraceHash,
}

impl<M> Clone for Simulation<M>
where
    M: Model + Clone,
    M::Event: Clone,
{
    fn clone(&self) -> Self {
        Simulation {
            model: self.model.clone(),
            queue: self.queue.clone(),
            now: self.now,
            trace: self.trace,
        }
    }
}

impl<M: Model> Simulation<M> {
    pub fn new(mut model: M) -> Self {
        let mut queue = EventQueue::new();
        model.start(&mut Ctx {
            now: SimTime::ZERO,
            queue: &mut queue,
        });
        Simulation {
            model,
            queue,
            now: SimTime::ZERO,
            trace: TraceHash::new(),
        }
    }

    pub fn model(&self) -> &M {
        &self.model
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    pub fn trace(&self) -> &TraceHash {
        &self.trace
    }

    /// Events processed so far.
    pub fn events(&self) -> u64 {
        self.trace.events()
    }

    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    pub fn next_event_time(&self) -> Option<SimTime> {
        self.queue.peek_time()
    }

    /// Applies a command (a live fault, a learner's action) at the current virtual time. It
    /// goes through the queue like any event, so it is traced and ordered after anything else
    /// already due at this instant.
    pub fn command(&mut self, ev: M::Event) {
        self.queue.push(self.now, ev);
    }

    /// Processes every event with time ≤ `until`, but at most `max_events` of them.
    ///
    /// Stepping in many small calls gives exactly the same run as one big call: the clock only
    /// moves to an event's time or to `until`, never anywhere that depends on the step pattern.
    pub fn advance(&mut self, until: SimTime, max_events: u64) -> Advance {
        self.advance_with(until, max_events, |_, _| {})
    }

    /// [`Simulation::advance`], showing each event to `seen` just before it is handled (the
    /// page's event-log export).
    pub fn advance_with(
        &mut self,
        until: SimTime,
        max_events: u64,
        mut seen: impl FnMut(SimTime, &M::Event),
    ) -> Advance {
        let mut done = 0u64;
        loop {
            let next = match self.queue.peek_time() {
                None => {
                    if until != SimTime::MAX {
                        self.now = self.now.max(until);
                    }
                    return Advance {
                        events: done,
                        reason: StopReason::Idle,
                    };
                }
                Some(t) => t,
            };
            if next > until {
                self.now = self.now.max(until);
                return Advance {
                    events: done,
                    reason: StopReason::ReachedUntil,
                };
            }
            if done >= max_events {
                return Advance {
                    events: done,
                    reason: StopReason::Budget,
                };
            }
            let (t, _seq, ev) = self.queue.pop().expect("peeked");
            self.now = t;
            self.trace.event(t, &ev);
            seen(t, &ev);
            self.model.handle(
                ev,
                &mut Ctx {
                    now: t,
                    queue: &mut self.queue,
                },
            );
            done += 1;
        }
    }

    /// Runs until no events remain (or `max_events`, as a guard against a model that never
    /// stops).
    pub fn run_to_end(&mut self, max_events: u64) -> Advance {
        self.advance(SimTime::MAX, max_events)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::TraceHash;
    use proptest::prelude::*;

    /// A ping-pong model: each event schedules the next one a fixed delay later, up to a limit.
    struct Ticker {
        left: u32,
        seen: Vec<(u64, u32)>,
    }
    struct Tick(u32);
    impl Traceable for Tick {
        fn trace(&self, h: &mut TraceHash) {
            h.word(u64::from(self.0));
        }
    }
    impl Model for Ticker {
        type Event = Tick;
        fn start(&mut self, ctx: &mut Ctx<'_, Tick>) {
            ctx.at(SimTime(10), Tick(0));
            ctx.at(SimTime(10), Tick(1000));
        }
        fn handle(&mut self, ev: Tick, ctx: &mut Ctx<'_, Tick>) {
            self.seen.push((ctx.now().as_micros(), ev.0));
            if ev.0 < 1000 && self.left > 0 {
                self.left -= 1;
                ctx.after(SimTime(7), Tick(ev.0 + 1));
            }
        }
    }

    #[test]
    fn budget_until_and_idle() {
        let mut sim = Simulation::new(Ticker {
            left: 5,
            seen: vec![],
        });
        let a = sim.advance(SimTime(10), 1);
        assert_eq!(a.reason, StopReason::Budget);
        assert_eq!(sim.now(), SimTime(10));
        let a = sim.advance(SimTime(20), 100);
        assert_eq!(a.reason, StopReason::ReachedUntil);
        assert_eq!(sim.now(), SimTime(20));
        let a = sim.run_to_end(1000);
        assert_eq!(a.reason, StopReason::Idle);
        assert_eq!(sim.model().seen.len(), 7);
        assert_eq!(sim.model().seen[1], (10, 1000), "ties keep schedule order");
        assert_eq!(sim.now(), SimTime(45));
    }

    proptest! {
        #[test]
        fn small_steps_equal_one_big_step(steps in proptest::collection::vec((1u64..40, 1u64..4), 1..40)) {
            let mut big = Simulation::new(Ticker { left: 30, seen: vec![] });
            big.advance(SimTime(1_000), u64::MAX);
            let mut small = Simulation::new(Ticker { left: 30, seen: vec![] });
            let mut t = 0;
            for (dt, budget) in steps {
                t += dt;
                small.advance(SimTime(t.min(1_000)), budget);
            }
            small.advance(SimTime(1_000), u64::MAX);
            prop_assert_eq!(big.trace().hex(), small.trace().hex());
            prop_assert_eq!(&big.model().seen, &small.model().seen);
            prop_assert_eq!(big.now(), small.now());
        }
    }
}
