//! The caching lab: a read-heavy service in front of a slow store, with a cache of limited size,
//! a replacement policy (LRU, LFU, FIFO), a time to live and a write policy. Hits, misses, stale
//! reads and the load the cache keeps off the store are all counted by the engine.

pub mod model;
pub mod scenario;
pub mod staging;
pub mod store;
pub mod world;

pub use scenario::{CacheScenario, WriteMode};
pub use store::Policy;
pub use world::CacheWorld;

#[cfg(test)]
mod tests;
