//! Seeded randomness. Each component (arrivals, service times, crashes, ...) draws from its own
//! stream, so adding a draw in one component never shifts the numbers another one sees, and a
//! scenario seed reproduces the same run natively and in WASM.
//!
//! ChaCha8 is used because its output is specified (unlike `StdRng`, whose algorithm may change
//! between rand releases) and because it supports 2^64 independent streams per key.

use rand::rngs::ChaCha8Rng;
use rand::SeedableRng;

/// The generator every component uses: ChaCha8 that can be cloned. rand 0.10 dropped `Clone`
/// from its generators (so state is not duplicated by accident); here duplicating it is the
/// point, since a cloned world is a time-travel snapshot that must draw the same numbers next.
/// It derefs to the generator, which makes it an `Rng` through rand's blanket impl.
#[derive(Debug, PartialEq)]
pub struct SimRng(ChaCha8Rng);

impl Clone for SimRng {
    fn clone(&self) -> Self {
        SimRng(ChaCha8Rng::deserialize_state(&self.0.serialize_state()))
    }
}

impl std::ops::Deref for SimRng {
    type Target = ChaCha8Rng;
    fn deref(&self) -> &ChaCha8Rng {
        &self.0
    }
}

impl std::ops::DerefMut for SimRng {
    fn deref_mut(&mut self) -> &mut ChaCha8Rng {
        &mut self.0
    }
}

/// Derives one independent RNG stream per named component from a scenario seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RngStreams {
    seed: u64,
}

impl RngStreams {
    pub fn new(seed: u64) -> Self {
        RngStreams { seed }
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The stream for `component`: key = the scenario seed, stream id = FNV-1a of the name.
    pub fn stream(&self, component: &str) -> SimRng {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(fnv1a64(component.as_bytes()));
        SimRng(rng)
    }

    /// The stream for the `index`-th member of a family (worker 3, consumer 7, ...).
    pub fn indexed(&self, component: &str, index: u64) -> SimRng {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let id = fnv1a64(component.as_bytes()) ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        rng.set_stream(id);
        SimRng(rng)
    }
}

/// 64-bit FNV-1a: a fixed, documented string hash (std's `DefaultHasher` is randomly keyed).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Draws an exponential variate with the given mean (inverse-CDF on a 53-bit uniform).
/// Kept here rather than via `rand_distr::Exp` because the hot loops of the queueing models
/// call it millions of times and this form needs no fallible constructor per call.
pub fn exp_sample(rng: &mut SimRng, mean: f64) -> f64 {
    use rand::RngExt;
    // (0, 1]: never ln(0).
    let u: f64 = 1.0 - rng.random::<f64>();
    -mean * u.ln()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn same_seed_same_stream_other_name_other_stream() {
        let s = RngStreams::new(42);
        let a: Vec<u64> = (0..8).map(|_| s.stream("arrivals").random()).collect();
        let mut r1 = s.stream("arrivals");
        let mut r2 = s.stream("arrivals");
        let mut r3 = s.stream("service");
        let x: Vec<u64> = (0..8).map(|_| r1.random()).collect();
        let y: Vec<u64> = (0..8).map(|_| r2.random()).collect();
        let z: Vec<u64> = (0..8).map(|_| r3.random()).collect();
        assert_eq!(x, y);
        assert_ne!(x, z);
        // A fresh stream each call: the first draw repeats.
        assert!(a.iter().all(|v| *v == a[0]));
        assert_ne!(RngStreams::new(43).stream("arrivals").random::<u64>(), x[0]);
    }

    #[test]
    fn indexed_streams_differ() {
        let s = RngStreams::new(1);
        let a: u64 = s.indexed("worker", 0).random();
        let b: u64 = s.indexed("worker", 1).random();
        assert_ne!(a, b);
    }

    #[test]
    fn fnv_matches_reference_vectors() {
        // Reference values from the FNV specification's test suite.
        assert_eq!(fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn exp_sample_has_the_right_mean() {
        let mut rng = RngStreams::new(7).stream("t");
        let n = 200_000;
        let mean = (0..n).map(|_| exp_sample(&mut rng, 2.0)).sum::<f64>() / n as f64;
        assert!((mean - 2.0).abs() < 0.03, "mean {mean}");
    }
}
