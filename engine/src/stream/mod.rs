//! The batch-vs-streaming lab: one stream of card transactions (a few fraudulent, some late)
//! feeds a scheduled batch job and a streaming operator at once, so freshness, time to detect
//! fraud and cost can be compared on the same data. Event-time windows close by watermark;
//! events later than the allowed lateness are counted as dropped, never silently lost.

pub mod model;
pub mod scenario;
pub mod window;
pub mod world;

pub use scenario::{StreamScenario, TimeMode, WindowKind};
pub use world::StreamWorld;

#[cfg(test)]
mod tests;
