//! The simulation core shared by every lab: virtual time, the event queue, seeded randomness,
//! the trace hash, metrics, the fault plan and scenario validation.

pub mod chunked;
pub mod fault;
pub mod fxhash;
pub mod histogram;
pub mod metrics;
pub mod monitor;
pub mod multiserver;
pub mod params;
pub mod queue;
pub mod rng;
pub mod runner;
pub mod scenario;
pub mod series;
pub mod snapshots;
pub mod time;
pub mod trace;
pub mod units;

pub use fault::{Fault, FaultKind, FaultPlan};
pub use histogram::LatencyHistogram;
pub use metrics::MetricsSnapshot;
pub use queue::EventQueue;
pub use rng::{RngStreams, SimRng};
pub use runner::{Advance, Ctx, Model, Simulation, StopReason};
pub use scenario::{FieldError, Scenario, ValidationErrors};
pub use series::TimeSeries;
pub use snapshots::{Rewind, Snapshots};
pub use time::SimTime;
pub use trace::{TraceHash, Traceable};
pub mod world;
pub use world::{EventLog, LabWorld, LoggedEvent};
