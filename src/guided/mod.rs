//! Guided mode: predictions before each experiment, progress kept in the browser, and the
//! summary page a learner can send to their teacher, which the teacher merges for a class.

pub mod class;
pub mod page;
pub mod progress;
pub mod questions;
