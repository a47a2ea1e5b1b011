//! ScaleLab's engine: every number the app shows comes from here.
//!
//! The crate is pure Rust on purpose: no web crate, no wall clock, no I/O. That is what lets the
//! same scenario run natively (CLI, tests, benches) and in the browser and produce the same trace
//! hash in both places.

pub mod cache;
pub mod dag;
pub mod demo;
pub mod drills;
pub mod mapreduce;
pub mod partition;
pub mod pipeline;
pub mod queue;
pub mod scaling;
pub mod sim;
pub mod sparklog;
pub mod stream;
