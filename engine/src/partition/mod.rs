//! The partitioning lab: a real keyed data set split by a real partitioner (Kafka's murmur2,
//! Spark's hash or range partitioner, round-robin), aggregated per partition by parallel workers
//! and combined, with the job's time measured on a simulated clock. Skewed keys make one
//! partition a straggler; salting the hot key spreads it again.

pub mod job;
pub mod scenario;
pub mod world;

pub use scenario::{KeyDist, PartitionScenario};
pub use world::{amdahl, PartitionWorld, Stage};

#[cfg(test)]
mod tests;
