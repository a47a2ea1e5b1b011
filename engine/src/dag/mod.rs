//! Orchestration in the style of an Airflow DAG: a daily pipeline of tasks with dependencies
//! (extract → validate → transform → branch → load → publish), run for a range of dates
//! (a backfill) by a scheduler with a limited pool of worker slots and a cap on concurrent runs.
//! Tasks fail at random or while a source is down, are retried after a delay that doubles, and
//! a task that runs out of retries marks everything downstream `upstream_failed`, as Airflow does.

pub mod model;
pub mod scenario;

pub use model::{DagWorld, TaskState};
pub use scenario::DagScenario;

#[cfg(test)]
mod tests;
