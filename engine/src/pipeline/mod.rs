//! The performance-at-scale lab: a daily report over a large orders table (read → filter → join →
//! aggregate → write) run on a simulated cluster. Each optimisation changes how the engine
//! executes the query; the report must stay identical to a direct computation while the counted
//! work (files, bytes, rows) and the job time drop.

pub mod cost;
pub mod plan;
pub mod scenario;
pub mod table;
pub mod world;

pub use scenario::{Opt, Opts, PipelineScenario};
pub use world::PipelineWorld;

#[cfg(test)]
mod tests;
