//! The batch-vs-streaming scenario: one event stream, a scheduled batch job and a streaming
//! operator, windows, late events and their costs.

use crate::sim::params::{ParamReader, Params};
use crate::sim::scenario::check_range;
use crate::sim::{FaultPlan, FieldError, Scenario, ValidationErrors};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowKind {
    Tumbling,
    Sliding,
}

/// Which clock assigns an event to a window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeMode {
    /// When the event happened (needs a watermark to know when a window is complete).
    Event,
    /// When the operator processed it (simple, but late or delayed events land in the wrong window).
    Processing,
}

pub const WINDOWS: [(&str, WindowKind); 2] = [
    ("tumbling", WindowKind::Tumbling),
    ("sliding", WindowKind::Sliding),
];
pub const TIME_MODES: [(&str, TimeMode); 2] = [
    ("event", TimeMode::Event),
    ("processing", TimeMode::Processing),
];

#[derive(Clone, Debug, PartialEq)]
pub struct StreamScenario {
    pub seed: u64,
    /// Card transactions per second.
    pub rate: f64,
    pub duration_s: f64,
    /// Share of transactions that are fraudulent.
    pub fraud: f64,
    /// The batch job runs every this many seconds.
    pub batch_s: f64,
    /// Fixed time to start a batch job (cluster spin-up, reading, planning), s.
    pub batch_startup_s: f64,
    /// Batch processing time per event, ms.
    pub batch_ms: f64,
    /// Streaming processing time per event, ms.
    pub stream_ms: f64,
    pub stream_workers: u32,
    /// Micro-batch trigger interval, ms; 0 processes each event as it arrives.
    pub micro_ms: f64,
    pub window: WindowKind,
    pub window_s: f64,
    pub slide_s: f64,
    pub time_mode: TimeMode,
    /// Share of events that arrive late (delayed in the network or a phone offline).
    pub late: f64,
    /// Longest delay of a late event, s.
    pub late_max_s: f64,
    /// How long the watermark waits behind the newest event time, s (allowed lateness).
    pub allowed_s: f64,
    pub faults: FaultPlan,
}

impl Default for StreamScenario {
    fn default() -> Self {
        StreamScenario {
            seed: 42,
            rate: 20.0,
            duration_s: 600.0,
            fraud: 0.01,
            batch_s: 60.0,
            batch_startup_s: 5.0,
            batch_ms: 2.0,
            stream_ms: 20.0,
            stream_workers: 1,
            micro_ms: 0.0,
            window: WindowKind::Tumbling,
            window_s: 10.0,
            slide_s: 5.0,
            time_mode: TimeMode::Event,
            late: 0.05,
            late_max_s: 20.0,
            allowed_s: 5.0,
            faults: FaultPlan::default(),
        }
    }
}

pub mod limits {
    pub const RATE: (f64, f64) = (0.1, 5_000.0);
    pub const DURATION_S: (f64, f64) = (10.0, 86_400.0);
    pub const FRAUD: (f64, f64) = (0.0, 0.5);
    pub const BATCH_S: (f64, f64) = (1.0, 86_400.0);
    pub const BATCH_STARTUP_S: (f64, f64) = (0.0, 3_600.0);
    pub const BATCH_MS: (f64, f64) = (0.001, 1_000.0);
    pub const STREAM_MS: (f64, f64) = (0.001, 10_000.0);
    pub const STREAM_WORKERS: (u32, u32) = (1, 64);
    pub const MICRO_MS: (f64, f64) = (0.0, 600_000.0);
    pub const WINDOW_S: (f64, f64) = (0.1, 86_400.0);
    pub const LATE: (f64, f64) = (0.0, 1.0);
    pub const LATE_MAX_S: (f64, f64) = (0.0, 3_600.0);
    pub const ALLOWED_S: (f64, f64) = (0.0, 3_600.0);
}

fn name_of<T: PartialEq>(table: &[(&'static str, T)], v: T) -> &'static str {
    table.iter().find(|(_, x)| *x == v).map_or("", |(n, _)| *n)
}

impl StreamScenario {
    /// Faults here have no node to aim at: only load spikes apply.
    fn fault_errors(&self) -> Vec<FieldError> {
        self.faults
            .faults
            .iter()
            .filter(|f| !matches!(f.kind, crate::sim::FaultKind::LoadSpike { .. }))
            .map(|f| {
                FieldError::new(
                    "faults",
                    format!("only load spikes (spike*K@T+D) apply to this lab (got `{f}`)"),
                )
            })
            .collect()
    }
}

impl Scenario for StreamScenario {
    fn validate(&self) -> Result<(), ValidationErrors> {
        use limits::*;
        let mut e = Vec::new();
        check_range(&mut e, "rate", self.rate, RATE);
        check_range(&mut e, "dur", self.duration_s, DURATION_S);
        check_range(&mut e, "fraud", self.fraud, FRAUD);
        check_range(&mut e, "batch_s", self.batch_s, BATCH_S);
        check_range(&mut e, "startup_s", self.batch_startup_s, BATCH_STARTUP_S);
        check_range(&mut e, "batch_ms", self.batch_ms, BATCH_MS);
        check_range(&mut e, "stream_ms", self.stream_ms, STREAM_MS);
        check_range(&mut e, "workers", self.stream_workers, STREAM_WORKERS);
        check_range(&mut e, "micro_ms", self.micro_ms, MICRO_MS);
        check_range(&mut e, "window_s", self.window_s, WINDOW_S);
        check_range(
            &mut e,
            "slide_s",
            self.slide_s,
            (WINDOW_S.0, self.window_s.max(WINDOW_S.0)),
        );
        check_range(&mut e, "late", self.late, LATE);
        check_range(&mut e, "late_max_s", self.late_max_s, LATE_MAX_S);
        check_range(&mut e, "allowed_s", self.allowed_s, ALLOWED_S);
        if self.rate * self.duration_s > 5_000_000.0 {
            e.push(FieldError::new(
                "rate",
                format!(
                    "rate × duration must be at most 5,000,000 events (got {:.0})",
                    self.rate * self.duration_s
                ),
            ));
        }
        e.extend(self.fault_errors());
        ValidationErrors(e).into_result()
    }

    fn to_params(&self) -> Params {
        let mut p = Params::new()
            .with("seed", self.seed)
            .with("rate", self.rate)
            .with("dur", self.duration_s)
            .with("fraud", self.fraud)
            .with("batch_s", self.batch_s)
            .with("startup_s", self.batch_startup_s)
            .with("batch_ms", self.batch_ms)
            .with("stream_ms", self.stream_ms)
            .with("workers", self.stream_workers)
            .with("micro_ms", self.micro_ms)
            .with("window", name_of(&WINDOWS, self.window))
            .with("window_s", self.window_s)
            .with("slide_s", self.slide_s)
            .with("time", name_of(&TIME_MODES, self.time_mode))
            .with("late", self.late)
            .with("late_max_s", self.late_max_s)
            .with("allowed_s", self.allowed_s);
        if !self.faults.is_empty() {
            p.set("faults", &self.faults);
        }
        p
    }

    fn from_params(params: &Params) -> (Self, Vec<FieldError>) {
        use limits::*;
        let d = StreamScenario::default();
        let r = ParamReader::new(params);
        let window_s = r.float("window_s", d.window_s, WINDOW_S.0, WINDOW_S.1);
        let mut s = StreamScenario {
            seed: r.num("seed", d.seed, 0, u64::MAX),
            rate: r.float("rate", d.rate, RATE.0, RATE.1),
            duration_s: r.float("dur", d.duration_s, DURATION_S.0, DURATION_S.1),
            fraud: r.float("fraud", d.fraud, FRAUD.0, FRAUD.1),
            batch_s: r.float("batch_s", d.batch_s, BATCH_S.0, BATCH_S.1),
            batch_startup_s: r.float(
                "startup_s",
                d.batch_startup_s,
                BATCH_STARTUP_S.0,
                BATCH_STARTUP_S.1,
            ),
            batch_ms: r.float("batch_ms", d.batch_ms, BATCH_MS.0, BATCH_MS.1),
            stream_ms: r.float("stream_ms", d.stream_ms, STREAM_MS.0, STREAM_MS.1),
            stream_workers: r.num(
                "workers",
                d.stream_workers,
                STREAM_WORKERS.0,
                STREAM_WORKERS.1,
            ),
            micro_ms: r.float("micro_ms", d.micro_ms, MICRO_MS.0, MICRO_MS.1),
            window: r.choice("window", d.window, &WINDOWS),
            window_s,
            slide_s: r.float("slide_s", d.slide_s.min(window_s), WINDOW_S.0, window_s),
            time_mode: r.choice("time", d.time_mode, &TIME_MODES),
            late: r.float("late", d.late, LATE.0, LATE.1),
            late_max_s: r.float("late_max_s", d.late_max_s, LATE_MAX_S.0, LATE_MAX_S.1),
            allowed_s: r.float("allowed_s", d.allowed_s, ALLOWED_S.0, ALLOWED_S.1),
            faults: r.faults("faults"),
        };
        let fe = s.fault_errors();
        if !fe.is_empty() {
            s.faults = FaultPlan::default();
            fe.into_iter().for_each(|e| r.error(e));
        }
        if s.validate().is_err() {
            r.error(FieldError::new(
                "rate",
                "rate × duration must be at most 5,000,000 events (reset to defaults)",
            ));
            s.rate = d.rate;
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
        let s = StreamScenario {
            window: WindowKind::Sliding,
            time_mode: TimeMode::Processing,
            micro_ms: 500.0,
            faults: FaultPlan::parse("f", "spike*5@100s+30s").unwrap(),
            ..Default::default()
        };
        let (back, errs) = StreamScenario::from_params(&Params::parse(&s.to_params().encode()));
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(back, s);
        let (back, errs) = StreamScenario::from_params(&Params::parse(
            "fraud=2&window=hopping&faults=crash:worker-1@1s",
        ));
        let f: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(f, vec!["fraud", "window", "faults"]);
        assert_eq!(back, StreamScenario::default());
    }
}
