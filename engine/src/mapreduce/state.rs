//! The state the coordinator keeps: tasks, attempts, workers, counters, and the events that
//! move them (split out of [`super::cluster`], which holds the scheduling logic).

use super::job::MapOutput;
use super::split::Split;
use crate::sim::fault::Phase;
use crate::sim::{FaultKind, SimTime, TraceHash, Traceable};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TaskRef {
    Map(u32),
    Reduce(u32),
}

/// How an attempt ended, as the Gantt shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Running,
    Done,
    /// Its worker crashed while it ran.
    Crashed,
    /// A backup copy finished first.
    Killed,
    /// A finished map whose output died with its worker (it was run again).
    OutputLost,
}

#[derive(Clone)]
pub struct Attempt {
    pub task: TaskRef,
    pub worker: usize,
    pub incarnation: u32,
    pub start: SimTime,
    pub end: Option<SimTime>,
    pub outcome: Outcome,
    pub speculative: bool,
    pub(super) result: Option<AttemptResult>,
}

#[derive(Clone)]
pub(super) enum AttemptResult {
    Map(Arc<MapOutput>),
    Reduce(Vec<(String, String)>),
}

#[derive(Clone)]
pub struct Worker {
    pub name: String,
    pub up: bool,
    pub incarnation: u32,
    pub slow: f64,
    /// The attempt it is running, as the worker itself knows it.
    pub busy: Option<usize>,
    /// The coordinator's belief.
    pub believed_alive: bool,
    pub(super) known_incarnation: u32,
    /// Bumped when the machine (and its disk) is lost; the coordinator's copy lags until it
    /// declares the worker dead.
    pub(super) disk_gen: u32,
    pub(super) known_disk_gen: u32,
    pub(super) last_heartbeat: SimTime,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskState {
    Idle,
    Running,
    Done,
}

#[derive(Clone)]
pub struct MapTask {
    pub split: Split,
    pub state: TaskState,
    /// Where the committed output lives: (worker, disk generation, attempt).
    pub holder: Option<(usize, u32, usize)>,
    pub output: Option<Arc<MapOutput>>,
    pub runs: u32,
}

#[derive(Clone)]
pub struct ReduceTask {
    pub state: TaskState,
    pub output: Option<Vec<(String, String)>>,
    pub runs: u32,
}

/// Everything the run counted.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counters {
    pub map_tasks: u64,
    pub reduce_tasks: u64,
    pub attempts: u64,
    pub reexecuted_tasks: u64,
    pub crashes: u64,
    pub backup_tasks: u64,
    pub killed_attempts: u64,
    pub lost_map_outputs: u64,
    pub bytes_shuffled: u64,
    pub map_records_in: u64,
    pub map_records_out: u64,
    pub reduce_records_in: u64,
    pub reduce_records_out: u64,
}

#[derive(Clone, Debug, serde::Serialize, PartialEq)]
pub enum Event {
    Heartbeat {
        worker: u32,
        incarnation: u32,
    },
    Check,
    AttemptEnd {
        attempt: u32,
    },
    /// A crash drawn from the crash probability, aimed at one incarnation.
    RandomCrash {
        worker: u32,
        incarnation: u32,
    },
    AutoRestart {
        worker: u32,
    },
    Fault(Phase, FaultKind),
    Sample,
}

impl Traceable for Event {
    fn trace(&self, h: &mut TraceHash) {
        match self {
            Event::Heartbeat {
                worker,
                incarnation,
            } => {
                h.word(1);
                h.word(u64::from(*worker) << 32 | u64::from(*incarnation));
            }
            Event::Check => h.word(2),
            Event::AttemptEnd { attempt } => {
                h.word(3);
                h.word(u64::from(*attempt));
            }
            Event::RandomCrash {
                worker,
                incarnation,
            } => {
                h.word(4);
                h.word(u64::from(*worker) << 32 | u64::from(*incarnation));
            }
            Event::AutoRestart { worker } => {
                h.word(5);
                h.word(u64::from(*worker));
            }
            Event::Fault(p, k) => {
                h.word(if *p == Phase::Begin { 6 } else { 7 });
                k.trace(h);
            }
            Event::Sample => h.word(8),
        }
    }
}
