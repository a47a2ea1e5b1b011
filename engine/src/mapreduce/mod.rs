//! MapReduce: a coordinator and simulated workers run a real job (word count, inverted index,
//! grep, log analysis) over real text, on a simulated clock, through crashes and stragglers.
//! See [`cluster`] for the cost model and the failure handling.

pub mod cluster;
pub mod job;
pub mod logs;
pub mod pyspark;
pub mod scenario;
pub mod split;
pub mod state;
pub mod upload;
pub mod world;

pub use cluster::{Counters, Outcome, TaskRef};
pub use job::{run_sequential, Input, Job};
pub use scenario::{MapReduceScenario, CORPUS};
pub use world::MapReduceWorld;
