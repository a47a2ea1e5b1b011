//! The queue lab's records: messages and their states, the lifecycle log, consumers, groups,
//! producers, the run's counters and the broker's events. `broker.rs` holds the behaviour.

use crate::sim::fault::Phase;
use crate::sim::{FaultKind, SimRng, SimTime, TraceHash, Traceable};

/// Where a message stands, as seen by the primary consumer group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MsgState {
    /// Created, but its producer is blocked waiting for room in the queue.
    Waiting,
    /// In the broker, not being processed.
    Stored,
    /// Handed to a consumer, not yet acknowledged.
    InFlight,
    Acked,
    DeadLettered,
    /// Refused by a full queue (drop-newest) or deleted by retention before it was read.
    Dropped,
}

impl MsgState {
    pub fn settled(self) -> bool {
        matches!(
            self,
            MsgState::Acked | MsgState::DeadLettered | MsgState::Dropped
        )
    }
}

/// Everything the broker knows about one message.
#[derive(Clone, Debug)]
pub struct MsgInfo {
    pub created: SimTime,
    pub key: u32,
    pub producer: u16,
    pub partition: u16,
    /// Offset in its partition (log mode) or its place in the queue's arrival order.
    pub offset: u64,
    pub poison: bool,
    /// Times handed to a consumer of the primary group.
    pub deliveries: u16,
    pub state: MsgState,
}

/// A lifecycle event, written by `scalelab queue --events` and checked by the property tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LifeEvent {
    pub t: SimTime,
    pub kind: LifeKind,
    pub msg: u64,
    pub partition: u16,
    pub offset: u64,
    pub consumer: Option<u16>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LifeKind {
    Produced,
    Delivered,
    Acked,
    DeadLettered,
    Dropped,
}

impl LifeKind {
    pub fn name(self) -> &'static str {
        match self {
            LifeKind::Produced => "produced",
            LifeKind::Delivered => "delivered",
            LifeKind::Acked => "acked",
            LifeKind::DeadLettered => "dead_lettered",
            LifeKind::Dropped => "dropped",
        }
    }
}

/// A message being processed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Work {
    pub msg: u64,
    pub partition: u16,
    pub offset: u64,
    /// Attempts by this consumer in a row (log mode retries in place).
    pub attempt: u16,
    /// The message's delivery number this work belongs to (queue mode).
    pub delivery: u16,
    pub started: SimTime,
}

#[derive(Clone, Debug)]
pub struct Consumer {
    pub name: String,
    pub group: usize,
    pub up: bool,
    /// A member of its group (a crashed consumer stays one until the session times out).
    pub joined: bool,
    pub slow: f64,
    pub work: Option<Work>,
    pub assigned: Vec<u16>,
    pub processed: u64,
    pub failures: u64,
    pub(super) rr: usize,
    pub(super) epoch: u32,
    pub(super) rng: SimRng,
}

/// A consumer group: who owns which partition, and how far it has read and committed.
#[derive(Clone, Debug)]
pub struct Group {
    pub name: &'static str,
    pub members: Vec<usize>,
    pub owner: Vec<Option<usize>>,
    /// The next offset the group will resume from after a rebalance, per partition.
    pub committed: Vec<u64>,
    /// The next offset after what the current owner has finished (processed or dead-lettered).
    pub consumed: Vec<u64>,
    /// The next offset the current owner will fetch.
    pub position: Vec<u64>,
    pub rebalancing: bool,
    pub generation: u32,
    pub rebalances: u32,
    pub delivered: u64,
    pub acked: u64,
    pub dead_lettered: u64,
}

#[derive(Clone, Debug)]
pub(super) struct Producer {
    pub rng: SimRng,
    pub keys: SimRng,
    pub poison: SimRng,
    /// A message refused by a full queue, waiting (back-pressure).
    pub blocked: Option<u64>,
    pub done: bool,
}

/// Totals for the primary group; `produced = acked + dead_lettered + dropped + in_flight`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    pub produced: u64,
    pub delivered: u64,
    pub redelivered: u64,
    pub acked: u64,
    /// Messages processed again after they had already been acknowledged once.
    pub duplicates: u64,
    pub dead_lettered: u64,
    pub dropped: u64,
    /// Dropped by retention (a subset of `dropped`).
    pub expired: u64,
}

impl Counters {
    pub fn in_flight(&self) -> u64 {
        self.produced - self.acked - self.dead_lettered - self.dropped
    }
}

#[derive(Clone, Debug, serde::Serialize)]
pub enum Event {
    Produce(u16),
    Done {
        consumer: u16,
        epoch: u32,
    },
    /// Queue mode: a delivered message's visibility timeout ends.
    Visible {
        msg: u64,
        delivery: u16,
    },
    /// Log mode: periodic offset commit.
    Commit,
    /// Log mode: a crashed consumer's session expires.
    SessionTimeout {
        consumer: u16,
        epoch: u32,
    },
    RebalanceEnd {
        group: u8,
        generation: u32,
    },
    Sample,
    Fault(Phase, FaultKind),
    AddConsumer,
    RemoveConsumer,
    AddMonitorGroup,
}

impl Traceable for Event {
    fn trace(&self, h: &mut TraceHash) {
        match self {
            Event::Produce(p) => {
                h.word(1);
                h.word(u64::from(*p));
            }
            Event::Done { consumer, epoch } => {
                h.word(2);
                h.word(u64::from(*consumer) << 32 | u64::from(*epoch));
            }
            Event::Visible { msg, delivery } => {
                h.word(3);
                h.word(*msg);
                h.word(u64::from(*delivery));
            }
            Event::Commit => h.word(4),
            Event::SessionTimeout { consumer, epoch } => {
                h.word(5);
                h.word(u64::from(*consumer) << 32 | u64::from(*epoch));
            }
            Event::RebalanceEnd { group, generation } => {
                h.word(6);
                h.word(u64::from(*group) << 32 | u64::from(*generation));
            }
            Event::Sample => h.word(7),
            Event::Fault(phase, kind) => {
                h.word(if *phase == Phase::Begin { 8 } else { 9 });
                kind.trace(h);
            }
            Event::AddConsumer => h.word(10),
            Event::RemoveConsumer => h.word(11),
            Event::AddMonitorGroup => h.word(12),
        }
    }
}
