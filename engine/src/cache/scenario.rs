//! The caching lab's scenario: a read-heavy service, a slow store, and a cache in front of it.

use super::store::Policy;
use crate::sim::params::{ParamReader, Params};
use crate::sim::scenario::check_range;
use crate::sim::{FaultPlan, FieldError, Scenario, ValidationErrors};

/// What a write does to the cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteMode {
    /// The new value goes to the store and into the cache.
    Through,
    /// The new value goes to the store only; a cached copy stays (stale) until it expires.
    Around,
    /// The new value goes to the store and the cached copy is deleted.
    Invalidate,
}

pub const POLICIES: [(&str, Policy); 3] = [
    ("lru", Policy::Lru),
    ("lfu", Policy::Lfu),
    ("fifo", Policy::Fifo),
];
pub const WRITE_MODES: [(&str, WriteMode); 3] = [
    ("through", WriteMode::Through),
    ("around", WriteMode::Around),
    ("invalidate", WriteMode::Invalidate),
];

/// The cache node's name in fault plans (`crash:cache@30s+20s`).
pub const CACHE: &str = "cache";

#[derive(Clone, Debug, PartialEq)]
pub struct CacheScenario {
    pub seed: u64,
    pub keys: u32,
    /// Zipf exponent of key popularity.
    pub skew: f64,
    /// Reads per second.
    pub reads: f64,
    /// Writes per second (same popularity as reads).
    pub writes: f64,
    pub duration_s: f64,
    /// Mean time the store takes for one request, ms (exponential).
    pub store_ms: f64,
    /// Requests the store serves at once.
    pub store_servers: u32,
    /// A client gives up on a request after this long, ms.
    pub timeout_ms: f64,
    pub cache_ms: f64,
    /// Cache slots (keys it can hold); 0 = no cache.
    pub capacity: u32,
    pub policy: Policy,
    /// Time to live of a cached value, s; 0 = no expiry.
    pub ttl_s: f64,
    pub write_mode: WriteMode,
    pub faults: FaultPlan,
}

impl Default for CacheScenario {
    fn default() -> Self {
        CacheScenario {
            seed: 42,
            keys: 10_000,
            skew: 1.0,
            reads: 1000.0,
            writes: 20.0,
            duration_s: 60.0,
            store_ms: 20.0,
            store_servers: 12,
            timeout_ms: 2000.0,
            cache_ms: 1.0,
            capacity: 1000,
            policy: Policy::Lru,
            ttl_s: 30.0,
            write_mode: WriteMode::Around,
            faults: FaultPlan::default(),
        }
    }
}

pub mod limits {
    pub const KEYS: (u32, u32) = (1, 1_000_000);
    pub const SKEW: (f64, f64) = (0.0, 3.0);
    pub const READS: (f64, f64) = (0.1, 100_000.0);
    pub const WRITES: (f64, f64) = (0.0, 100_000.0);
    pub const DURATION_S: (f64, f64) = (1.0, 86_400.0);
    pub const STORE_MS: (f64, f64) = (0.01, 60_000.0);
    pub const STORE_SERVERS: (u32, u32) = (1, 1024);
    pub const TIMEOUT_MS: (f64, f64) = (1.0, 600_000.0);
    pub const CACHE_MS: (f64, f64) = (0.0, 1_000.0);
    pub const CAPACITY: (u32, u32) = (0, 1_000_000);
    pub const TTL_S: (f64, f64) = (0.0, 86_400.0);
}

fn name_of<T: PartialEq>(table: &[(&'static str, T)], v: T) -> &'static str {
    table.iter().find(|(_, x)| *x == v).map_or("", |(n, _)| *n)
}

impl Scenario for CacheScenario {
    fn validate(&self) -> Result<(), ValidationErrors> {
        use limits::*;
        let mut e = Vec::new();
        check_range(&mut e, "keys", self.keys, KEYS);
        check_range(&mut e, "skew", self.skew, SKEW);
        check_range(&mut e, "reads", self.reads, READS);
        check_range(&mut e, "writes", self.writes, WRITES);
        check_range(&mut e, "dur", self.duration_s, DURATION_S);
        check_range(&mut e, "store_ms", self.store_ms, STORE_MS);
        check_range(&mut e, "store_servers", self.store_servers, STORE_SERVERS);
        check_range(&mut e, "timeout_ms", self.timeout_ms, TIMEOUT_MS);
        check_range(&mut e, "cache_ms", self.cache_ms, CACHE_MS);
        check_range(&mut e, "capacity", self.capacity, CAPACITY);
        check_range(&mut e, "ttl_s", self.ttl_s, TTL_S);
        if (self.reads + self.writes) * self.duration_s > 10_000_000.0 {
            e.push(FieldError::new(
                "reads",
                "(reads + writes) × duration must be at most 10,000,000 requests",
            ));
        }
        e.extend(self.faults.validate("faults", &[CACHE.to_string()]));
        ValidationErrors(e).into_result()
    }

    fn to_params(&self) -> Params {
        let mut p = Params::new()
            .with("seed", self.seed)
            .with("keys", self.keys)
            .with("skew", self.skew)
            .with("reads", self.reads)
            .with("writes", self.writes)
            .with("dur", self.duration_s)
            .with("store_ms", self.store_ms)
            .with("store_servers", self.store_servers)
            .with("timeout_ms", self.timeout_ms)
            .with("cache_ms", self.cache_ms)
            .with("capacity", self.capacity)
            .with("policy", name_of(&POLICIES, self.policy))
            .with("ttl_s", self.ttl_s)
            .with("write", name_of(&WRITE_MODES, self.write_mode));
        if !self.faults.is_empty() {
            p.set("faults", &self.faults);
        }
        p
    }

    fn from_params(params: &Params) -> (Self, Vec<FieldError>) {
        use limits::*;
        let d = CacheScenario::default();
        let r = ParamReader::new(params);
        let mut s = CacheScenario {
            seed: r.num("seed", d.seed, 0, u64::MAX),
            keys: r.num("keys", d.keys, KEYS.0, KEYS.1),
            skew: r.float("skew", d.skew, SKEW.0, SKEW.1),
            reads: r.float("reads", d.reads, READS.0, READS.1),
            writes: r.float("writes", d.writes, WRITES.0, WRITES.1),
            duration_s: r.float("dur", d.duration_s, DURATION_S.0, DURATION_S.1),
            store_ms: r.float("store_ms", d.store_ms, STORE_MS.0, STORE_MS.1),
            store_servers: r.num(
                "store_servers",
                d.store_servers,
                STORE_SERVERS.0,
                STORE_SERVERS.1,
            ),
            timeout_ms: r.float("timeout_ms", d.timeout_ms, TIMEOUT_MS.0, TIMEOUT_MS.1),
            cache_ms: r.float("cache_ms", d.cache_ms, CACHE_MS.0, CACHE_MS.1),
            capacity: r.num("capacity", d.capacity, CAPACITY.0, CAPACITY.1),
            policy: r.choice("policy", d.policy, &POLICIES),
            ttl_s: r.float("ttl_s", d.ttl_s, TTL_S.0, TTL_S.1),
            write_mode: r.choice("write", d.write_mode, &WRITE_MODES),
            faults: r.faults("faults"),
        };
        let fe = s.faults.validate("faults", &[CACHE.to_string()]);
        if !fe.is_empty() {
            s.faults = FaultPlan::default();
            fe.into_iter().for_each(|e| r.error(e));
        }
        if s.validate().is_err() {
            r.error(FieldError::new(
                "reads",
                "(reads + writes) × duration must be at most 10,000,000 requests (reset)",
            ));
            s.reads = d.reads;
            s.writes = d.writes;
            s.duration_s = d.duration_s;
        }
        (s, r.finish())
    }
}
