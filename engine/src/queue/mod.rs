//! The message-queue lab: producers, a broker and consumers, decoupled by a real broker model.
//!
//! Two modes share one model: a Kafka-like partitioned log read by consumer groups with
//! committed offsets (`log.rs`), and an SQS/RabbitMQ-like queue with competing consumers,
//! visibility timeouts and a dead-letter queue (`competing.rs`). Every message is tracked from
//! production to acknowledgement, dead-lettering or a drop the learner chose, so the page and the
//! CLI can prove that nothing was lost.

pub mod broker;
mod competing;
mod log;
pub mod partitioner;
pub mod scenario;
mod state;
pub mod world;

pub use broker::{Broker, Counters, LifeEvent, LifeKind, MsgState};
pub use partitioner::{assign, kafka_partition, murmur2, spark_partition, Partitioner};
pub use scenario::{Load, Mode, Overflow, QueueScenario, Service};
pub use world::{QueueSummary, QueueWorld};

#[cfg(test)]
mod tests;
