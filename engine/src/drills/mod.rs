//! The reliability lab: a small but complete pipeline (producers → queue → validation →
//! transform workers → staging → warehouse) put through scripted drills (crash, slow disk,
//! network cut, load rush, bad batch, poison message, two at once) with the mitigations the
//! learner picked, then scored. The queue half is the queue lab's broker, composed in; the
//! scorecard is checked against a reconciliation recomputed from the event log.

pub mod model;
pub mod record;
pub mod scenario;
pub mod scorecard;
pub mod script;
pub mod world;

pub use scenario::{DrillScenario, Mitigation, Mitigations};
pub use scorecard::{reconcile, Reconciliation, Scorecard};
pub use world::{stress_ramp, DrillWorld, Ramp};

#[cfg(test)]
mod tests;
