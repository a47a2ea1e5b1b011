//! The queue lab's scenario: producers, the broker's mode and shape, consumers, and faults.

use crate::sim::params::{ParamReader, Params};
use crate::sim::scenario::check_range;
use crate::sim::{FaultPlan, FieldError, Scenario, ValidationErrors};

/// How the broker hands out messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Kafka-like: an append-only log per partition, consumer groups, committed offsets.
    Log,
    /// SQS/RabbitMQ-like: one queue, competing consumers, visibility timeout, redelivery.
    Queue,
}

/// How producers space their messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Load {
    Constant,
    Poisson,
    /// Poisson at 4× the rate for 2 s of every 8 s, silent otherwise (same average).
    Bursty,
}

/// What a bounded queue does when it is full (queue mode).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overflow {
    /// The producer waits until there is room (back-pressure).
    Block,
    /// The new message is refused and counted as dropped.
    DropNewest,
}

/// How consumers' processing times vary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    Exponential,
    Constant,
}

pub const MODES: [(&str, Mode); 2] = [("log", Mode::Log), ("queue", Mode::Queue)];
pub const LOADS: [(&str, Load); 3] = [
    ("constant", Load::Constant),
    ("poisson", Load::Poisson),
    ("bursty", Load::Bursty),
];
pub const OVERFLOWS: [(&str, Overflow); 2] =
    [("block", Overflow::Block), ("drop", Overflow::DropNewest)];
pub const SERVICES: [(&str, Service); 2] =
    [("exp", Service::Exponential), ("const", Service::Constant)];

/// Most consumers a group may have (including ones added live).
pub const MAX_CONSUMERS: u32 = 64;
pub const MAX_PARTITIONS: u32 = 256;

#[derive(Clone, Debug, PartialEq)]
pub struct QueueScenario {
    pub seed: u64,
    pub mode: Mode,
    pub partitions: u32,
    pub producers: u32,
    /// Messages per second, per producer.
    pub rate: f64,
    pub load: Load,
    /// Distinct keys; 0 sends keyless records, spread round-robin.
    pub keys: u32,
    /// Zipf exponent of key popularity; 0 = uniform.
    pub key_skew: f64,
    pub msg_bytes: u32,
    pub consumers: u32,
    /// Mean processing time of one message, in ms.
    pub service_ms: f64,
    pub service: Service,
    /// Share of messages that can never be processed.
    pub poison_rate: f64,
    /// Failed deliveries before a message goes to the dead-letter queue.
    pub max_deliveries: u32,
    /// How long production runs; the run then continues until everything is settled.
    pub duration_s: f64,
    /// Log mode: how often consumers commit offsets (`auto.commit.interval.ms`); 0 = after every
    /// message.
    pub commit_ms: f64,
    /// Log mode: how long the group waits before declaring a silent consumer dead.
    pub session_ms: f64,
    /// Log mode: messages older than this are deleted even if unread; 0 = keep forever.
    pub retention_s: f64,
    /// Log mode: a second consumer group ("monitoring") reads the same topic from the start.
    pub monitor: bool,
    /// Queue mode: how long a delivered message stays invisible before it is handed out again.
    pub visibility_ms: f64,
    /// Queue mode: most messages the queue holds (ready + unacknowledged); 0 = unbounded.
    pub buffer: u32,
    pub overflow: Overflow,
    pub faults: FaultPlan,
}

impl Default for QueueScenario {
    fn default() -> Self {
        QueueScenario {
            seed: 42,
            mode: Mode::Log,
            partitions: 4,
            producers: 2,
            rate: 20.0,
            load: Load::Poisson,
            keys: 1000,
            key_skew: 0.0,
            msg_bytes: 1024,
            consumers: 3,
            service_ms: 40.0,
            service: Service::Exponential,
            poison_rate: 0.0,
            max_deliveries: 3,
            duration_s: 60.0,
            commit_ms: 1000.0,
            session_ms: 3000.0,
            retention_s: 0.0,
            monitor: false,
            visibility_ms: 5000.0,
            buffer: 0,
            overflow: Overflow::Block,
            faults: FaultPlan::default(),
        }
    }
}

impl QueueScenario {
    /// Names faults may target: `consumer-1` … `consumer-64` (consumers can be added live).
    pub fn node_names() -> Vec<String> {
        (1..=MAX_CONSUMERS)
            .map(|i| format!("consumer-{i}"))
            .collect()
    }

    /// Total production rate before spikes.
    pub fn total_rate(&self) -> f64 {
        self.rate * f64::from(self.producers)
    }
}

fn name_of<T: PartialEq>(table: &[(&'static str, T)], v: T) -> &'static str {
    table.iter().find(|(_, x)| *x == v).map_or("", |(n, _)| *n)
}

/// Allowed ranges, shared by validation, URL parsing and the page's sliders.
pub mod limits {
    pub const PARTITIONS: (u32, u32) = (1, super::MAX_PARTITIONS);
    pub const PRODUCERS: (u32, u32) = (1, 64);
    pub const RATE: (f64, f64) = (0.01, 100_000.0);
    pub const KEYS: (u32, u32) = (0, 1_000_000);
    pub const KEY_SKEW: (f64, f64) = (0.0, 3.0);
    pub const MSG_BYTES: (u32, u32) = (1, 10_485_760);
    pub const CONSUMERS: (u32, u32) = (0, super::MAX_CONSUMERS);
    pub const SERVICE_MS: (f64, f64) = (0.001, 600_000.0);
    pub const POISON: (f64, f64) = (0.0, 1.0);
    pub const MAX_DELIVERIES: (u32, u32) = (1, 100);
    pub const DURATION_S: (f64, f64) = (0.1, 86_400.0);
    pub const COMMIT_MS: (f64, f64) = (0.0, 600_000.0);
    pub const SESSION_MS: (f64, f64) = (1.0, 600_000.0);
    pub const RETENTION_S: (f64, f64) = (0.0, 1_000_000.0);
    pub const VISIBILITY_MS: (f64, f64) = (1.0, 43_200_000.0);
    pub const BUFFER: (u32, u32) = (0, 10_000_000);
}

impl Scenario for QueueScenario {
    fn validate(&self) -> Result<(), ValidationErrors> {
        use limits::*;
        let mut e = Vec::new();
        check_range(&mut e, "partitions", self.partitions, PARTITIONS);
        check_range(&mut e, "producers", self.producers, PRODUCERS);
        check_range(&mut e, "rate", self.rate, RATE);
        check_range(&mut e, "keys", self.keys, KEYS);
        check_range(&mut e, "skew", self.key_skew, KEY_SKEW);
        check_range(&mut e, "msg_bytes", self.msg_bytes, MSG_BYTES);
        check_range(&mut e, "consumers", self.consumers, CONSUMERS);
        check_range(&mut e, "service_ms", self.service_ms, SERVICE_MS);
        check_range(&mut e, "poison", self.poison_rate, POISON);
        check_range(
            &mut e,
            "max_deliveries",
            self.max_deliveries,
            MAX_DELIVERIES,
        );
        check_range(&mut e, "dur", self.duration_s, DURATION_S);
        check_range(&mut e, "commit_ms", self.commit_ms, COMMIT_MS);
        check_range(&mut e, "session_ms", self.session_ms, SESSION_MS);
        check_range(&mut e, "retention_s", self.retention_s, RETENTION_S);
        check_range(&mut e, "visibility_ms", self.visibility_ms, VISIBILITY_MS);
        check_range(&mut e, "buffer", self.buffer, BUFFER);
        // A run must stay small enough to hold in memory: 20 million messages at most.
        let expected = self.total_rate() * self.duration_s;
        if expected > 20_000_000.0 {
            e.push(FieldError::new(
                "rate",
                format!(
                    "producers × rate × duration must be at most 20,000,000 messages (got {expected:.0})"
                ),
            ));
        }
        e.extend(self.faults.validate("faults", &Self::node_names()));
        ValidationErrors(e).into_result()
    }

    fn to_params(&self) -> Params {
        let mut p = Params::new()
            .with("seed", self.seed)
            .with("mode", name_of(&MODES, self.mode))
            .with("partitions", self.partitions)
            .with("producers", self.producers)
            .with("rate", self.rate)
            .with("load", name_of(&LOADS, self.load))
            .with("keys", self.keys)
            .with("skew", self.key_skew)
            .with("msg_bytes", self.msg_bytes)
            .with("consumers", self.consumers)
            .with("service_ms", self.service_ms)
            .with("service", name_of(&SERVICES, self.service))
            .with("poison", self.poison_rate)
            .with("max_deliveries", self.max_deliveries)
            .with("dur", self.duration_s)
            .with("commit_ms", self.commit_ms)
            .with("session_ms", self.session_ms)
            .with("retention_s", self.retention_s)
            .with("monitor", u8::from(self.monitor))
            .with("visibility_ms", self.visibility_ms)
            .with("buffer", self.buffer)
            .with("overflow", name_of(&OVERFLOWS, self.overflow));
        if !self.faults.is_empty() {
            p.set("faults", &self.faults);
        }
        p
    }

    fn from_params(params: &Params) -> (Self, Vec<FieldError>) {
        use limits::*;
        let d = QueueScenario::default();
        let r = ParamReader::new(params);
        let mut s = QueueScenario {
            seed: r.num("seed", d.seed, 0, u64::MAX),
            mode: r.choice("mode", d.mode, &MODES),
            partitions: r.num("partitions", d.partitions, PARTITIONS.0, PARTITIONS.1),
            producers: r.num("producers", d.producers, PRODUCERS.0, PRODUCERS.1),
            rate: r.float("rate", d.rate, RATE.0, RATE.1),
            load: r.choice("load", d.load, &LOADS),
            keys: r.num("keys", d.keys, KEYS.0, KEYS.1),
            key_skew: r.float("skew", d.key_skew, KEY_SKEW.0, KEY_SKEW.1),
            msg_bytes: r.num("msg_bytes", d.msg_bytes, MSG_BYTES.0, MSG_BYTES.1),
            consumers: r.num("consumers", d.consumers, CONSUMERS.0, CONSUMERS.1),
            service_ms: r.float("service_ms", d.service_ms, SERVICE_MS.0, SERVICE_MS.1),
            service: r.choice("service", d.service, &SERVICES),
            poison_rate: r.float("poison", d.poison_rate, POISON.0, POISON.1),
            max_deliveries: r.num(
                "max_deliveries",
                d.max_deliveries,
                MAX_DELIVERIES.0,
                MAX_DELIVERIES.1,
            ),
            duration_s: r.float("dur", d.duration_s, DURATION_S.0, DURATION_S.1),
            commit_ms: r.float("commit_ms", d.commit_ms, COMMIT_MS.0, COMMIT_MS.1),
            session_ms: r.float("session_ms", d.session_ms, SESSION_MS.0, SESSION_MS.1),
            retention_s: r.float("retention_s", d.retention_s, RETENTION_S.0, RETENTION_S.1),
            monitor: r.flag("monitor", d.monitor),
            visibility_ms: r.float(
                "visibility_ms",
                d.visibility_ms,
                VISIBILITY_MS.0,
                VISIBILITY_MS.1,
            ),
            buffer: r.num("buffer", d.buffer, BUFFER.0, BUFFER.1),
            overflow: r.choice("overflow", d.overflow, &OVERFLOWS),
            faults: r.faults("faults"),
        };
        let fe = s.faults.validate("faults", &Self::node_names());
        if !fe.is_empty() {
            s.faults = FaultPlan::default();
            fe.into_iter().for_each(|e| r.error(e));
        }
        if let Err(ValidationErrors(errs)) = s.validate() {
            // Only the cross-field size check can fail here: fall back to the default load.
            for e in errs {
                r.error(e);
            }
            s.rate = d.rate;
            s.producers = d.producers;
            s.duration_s = d.duration_s;
        }
        (s, r.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_named_errors() {
        let s = QueueScenario {
            mode: Mode::Queue,
            load: Load::Bursty,
            overflow: Overflow::DropNewest,
            service: Service::Constant,
            monitor: true,
            buffer: 500,
            poison_rate: 0.01,
            faults: FaultPlan::parse("f", "crash:consumer-2@10s+5s,spike*5@20s+10s").unwrap(),
            ..Default::default()
        };
        let (back, errs) = QueueScenario::from_params(&Params::parse(&s.to_params().encode()));
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(back, s);
        let (back, errs) = QueueScenario::from_params(&Params::parse(
            "partitions=0&mode=carrier-pigeon&poison=2&faults=crash:worker-1@1s&colour=red",
        ));
        let f: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(f, vec!["mode", "partitions", "poison", "faults", "colour"]);
        assert_eq!(back, QueueScenario::default());
        let (back, errs) =
            QueueScenario::from_params(&Params::parse("rate=100000&producers=64&dur=86400"));
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].message.contains("20,000,000"), "{}", errs[0]);
        assert!(back.validate().is_ok());
    }
}
