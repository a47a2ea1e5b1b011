//! Spark event logs, read: the bridge from the simulator to a real cluster. A learner runs the
//! exported PySpark job (or any Spark job) with event logging on and brings the log back; this
//! module parses it (JSON lines or zstd) and describes it in the MapReduce lab's vocabulary.

pub mod analyze;
pub mod parse;

pub use analyze::{executors, stage_stats, summary, StageStats};
pub use parse::{parse_bytes, sniff, text_of, Format, Parser, SparkLog, TaskEnd};

#[cfg(test)]
mod tests;
