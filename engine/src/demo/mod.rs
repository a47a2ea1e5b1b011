//! The demo world that exercises the shared lab frame: one server, a Poisson load, a bounded
//! FIFO queue and the shared fault plan. Small enough to check by hand (it is an M/M/1/K queue),
//! real enough that every dashboard number is measured, not computed from a formula.

mod scenario;
mod world;

pub use scenario::DemoScenario;
pub use world::{DemoWorld, Event, Server};
