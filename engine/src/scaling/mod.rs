//! Scaling: one bigger machine (vertical) or more machines behind a load balancer
//! (horizontal), serving a request load on the simulated clock. See [`cluster`] for the model.

pub mod catalogue;
pub mod cluster;
pub mod pair;
pub mod scenario;
pub mod world;

pub use catalogue::{MachineType, CATALOGUE};
pub use pair::{PairScenario, PairWorld};
pub use scenario::{Load, Mode, Policy, ScalingScenario};
pub use world::ScalingWorld;
