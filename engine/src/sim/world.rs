//! The read-only face a running lab shows the shared UI frame (playback bar, dashboard, chart).
//! The frame only ever calls these methods; it never reaches into a machine's internals.

use crate::sim::monitor::MetricsHistory;
use crate::sim::{Advance, MetricsSnapshot, SimTime, TimeSeries};

/// Receives each processed event: its time and the event.
pub type EventLog<'a> = dyn FnMut(SimTime, &dyn LoggedEvent) + 'a;

/// An event as the downloadable log writes it. `Debug` is for a quick look in a test; the JSON
/// form is for the learner's own analysis (pandas, jq), so it has a fixed shape rather than
/// Rust syntax: `kind` is the event's name, the event's named fields are keys beside it (times
/// in microseconds, with `_us` in the name), and unnamed ones are a list under `data`.
pub trait LoggedEvent: std::fmt::Debug {
    fn to_json(&self) -> serde_json::Map<String, serde_json::Value>;
}

impl<T: serde::Serialize + std::fmt::Debug> LoggedEvent for T {
    fn to_json(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut out = serde_json::Map::new();
        match serde_json::to_value(self) {
            Ok(v) => flatten_event(v, "", &mut out),
            // Nothing in an event fails to serialise today; if it ever does, the log still has
            // the event.
            Err(_) => {
                out.insert("debug".into(), format!("{self:?}").into());
            }
        }
        out
    }
}

/// Turns serde's form of an enum variant (`"Sample"`, `{"Name": fields}`, `{"Name": [a, b]}`)
/// into `kind` plus fields. A variant that wraps another model's event (the drill's queue)
/// reads as one event with a dotted kind (`Queue.Done`), not as a nest.
fn flatten_event(
    v: serde_json::Value,
    prefix: &str,
    out: &mut serde_json::Map<String, serde_json::Value>,
) {
    use serde_json::Value;
    let is_variant = |k: &str| k.starts_with(|c: char| c.is_ascii_uppercase());
    match v {
        Value::String(kind) if is_variant(&kind) => {
            out.insert("kind".into(), format!("{prefix}{kind}").into());
        }
        Value::Object(map) if map.len() == 1 && map.keys().all(|k| is_variant(k)) => {
            if let Some((kind, inner)) = map.into_iter().next() {
                let nested = match &inner {
                    Value::String(k) => is_variant(k),
                    Value::Object(m) => m.len() == 1 && m.keys().all(|k| is_variant(k)),
                    _ => false,
                };
                if nested {
                    flatten_event(inner, &format!("{prefix}{kind}."), out);
                    return;
                }
                out.insert("kind".into(), format!("{prefix}{kind}").into());
                match inner {
                    Value::Object(fields) => out.extend(fields),
                    Value::Array(items) => {
                        out.insert("data".into(), Value::Array(items));
                    }
                    one => {
                        out.insert("data".into(), Value::Array(vec![one]));
                    }
                }
            }
        }
        other => {
            out.insert("kind".into(), format!("{prefix}?").into());
            out.insert("data".into(), other);
        }
    }
}

pub trait LabWorld: Clone {
    /// The virtual clock.
    fn now(&self) -> SimTime;
    /// Steps the world: events up to `until`, at most `max_events` of them.
    fn advance(&mut self, until: SimTime, max_events: u64) -> Advance;
    /// The same as `advance`, showing every event to `log` as it is handled (for the event
    /// log a learner can download).
    fn advance_logged(
        &mut self,
        until: SimTime,
        max_events: u64,
        log: &mut EventLog<'_>,
    ) -> Advance;
    /// True once the run has nothing left to do.
    fn is_done(&self) -> bool;
    /// The six dashboard metrics as of now.
    fn metrics(&self) -> MetricsSnapshot;
    /// Chart data.
    fn series(&self) -> &TimeSeries;
    /// The run's trace hash so far, as 16 hex digits.
    fn trace_hash(&self) -> String;
    /// Events processed so far.
    fn events(&self) -> u64;
    /// The dashboard metrics over time, when the world samples them on its own clock (the frame
    /// samples the others itself).
    fn history(&self) -> Option<&MetricsHistory> {
        None
    }
    /// The latest key event in words ("worker-3 crashed; 4 tasks re-queued"), for the page's
    /// live region: screen readers announce it when it changes, so it must change only on
    /// events worth interrupting for, never every frame.
    fn announcement(&self) -> Option<String> {
        None
    }
}

/// The five `LabWorld` methods that every world built on one `Simulation` in a field named
/// `sim` answers the same way (clock, stepping, trace hash, event count).
macro_rules! clock_from_sim {
    () => {
        fn now(&self) -> $crate::sim::SimTime {
            self.sim.now()
        }
        fn advance(
            &mut self,
            until: $crate::sim::SimTime,
            max_events: u64,
        ) -> $crate::sim::Advance {
            self.sim.advance(until, max_events)
        }
        fn advance_logged(
            &mut self,
            until: $crate::sim::SimTime,
            max_events: u64,
            log: &mut $crate::sim::EventLog<'_>,
        ) -> $crate::sim::Advance {
            self.sim.advance_with(until, max_events, |t, e| log(t, e))
        }
        fn trace_hash(&self) -> String {
            self.sim.trace().hex()
        }
        fn events(&self) -> u64 {
            self.sim.events()
        }
    };
}
pub(crate) use clock_from_sim;

#[cfg(test)]
mod tests {
    use super::LoggedEvent;
    use serde_json::json;

    #[derive(Debug, serde::Serialize)]
    enum Inner {
        Commit,
        Done { consumer: u16 },
    }

    #[derive(Debug, serde::Serialize)]
    enum Outer {
        Sample,
        Join { machine: u32 },
        Arrive(u32),
        Fault(u8, &'static str),
        Queue(Inner),
    }

    fn line(e: &dyn LoggedEvent) -> serde_json::Value {
        serde_json::Value::Object(e.to_json())
    }

    #[test]
    fn every_variant_shape_reads_as_kind_and_fields() {
        assert_eq!(line(&Outer::Sample), json!({"kind": "Sample"}));
        assert_eq!(
            line(&Outer::Join { machine: 3 }),
            json!({"kind": "Join", "machine": 3})
        );
        assert_eq!(
            line(&Outer::Arrive(7)),
            json!({"kind": "Arrive", "data": [7]})
        );
        assert_eq!(
            line(&Outer::Fault(1, "crash")),
            json!({"kind": "Fault", "data": [1, "crash"]})
        );
        assert_eq!(
            line(&Outer::Queue(Inner::Done { consumer: 2 })),
            json!({"kind": "Queue.Done", "consumer": 2})
        );
        assert_eq!(
            line(&Outer::Queue(Inner::Commit)),
            json!({"kind": "Queue.Commit"})
        );
    }
}
