//! The queue lab as the UI and the CLI see it: a [`QueueWorld`] that steps the broker, takes the
//! learner's live commands, and offers read-only views (partitions with their messages,
//! consumers, the dead-letter queue, the reconciliation).

use super::broker::{Broker, Event, LifeEvent, MsgState, NO_KEY};
use super::scenario::{Mode, QueueScenario};
use crate::sim::fault::Phase;
use crate::sim::{Advance, FaultKind, LabWorld, MetricsSnapshot, Simulation, TimeSeries};
use serde::Serialize;

/// The run's totals: what `scalelab queue --json` prints.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueueSummary {
    pub mode: &'static str,
    pub produced: u64,
    pub delivered: u64,
    pub redelivered: u64,
    pub acked: u64,
    pub duplicates: u64,
    pub dead_lettered: u64,
    pub dropped: u64,
    pub expired: u64,
    /// Still in the broker or held by a consumer (0 once a run has drained).
    pub in_flight: u64,
    /// Produced but neither acked, dead-lettered, knowingly dropped nor still held: must be 0.
    pub lost: u64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_backlog: u64,
    pub rebalances: u32,
    pub drained: bool,
    pub sim_time_s: f64,
    pub events: u64,
    pub trace_hash: String,
}

/// One message as drawn on the page.
#[derive(Clone, Debug, PartialEq)]
pub struct Dot {
    pub id: u64,
    pub key: Option<u32>,
    pub offset: u64,
    pub deliveries: u16,
    pub state: MsgState,
    pub poison: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PartitionView {
    pub index: usize,
    pub end: u64,
    pub committed: u64,
    pub lag: u64,
    pub owner: Option<String>,
    /// Messages not yet committed, oldest first, at most the requested number.
    pub dots: Vec<Dot>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConsumerView {
    pub name: String,
    pub group: &'static str,
    pub up: bool,
    pub member: bool,
    pub assigned: Vec<u16>,
    /// The message being processed and its attempt.
    pub working_on: Option<(u64, u16)>,
    pub processed: u64,
    pub failures: u64,
    pub slow: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GroupView {
    pub name: &'static str,
    pub members: usize,
    pub delivered: u64,
    pub acked: u64,
    pub dead_lettered: u64,
    pub lag: u64,
    pub rebalancing: bool,
    pub rebalances: u32,
}

#[derive(Clone)]
pub struct QueueWorld {
    sim: Simulation<Broker>,
}

impl QueueWorld {
    /// Builds a world for a validated scenario.
    pub fn new(s: &QueueScenario) -> Self {
        Self::build(s, false)
    }

    /// Like [`QueueWorld::new`], keeping every lifecycle event (for `--events` and tests).
    pub fn recording(s: &QueueScenario) -> Self {
        Self::build(s, true)
    }

    fn build(s: &QueueScenario, record: bool) -> Self {
        QueueWorld {
            sim: Simulation::new(Broker::new(s, record)),
        }
    }

    pub fn broker(&self) -> &Broker {
        self.sim.model()
    }

    pub fn scenario(&self) -> &QueueScenario {
        &self.sim.model().scenario
    }

    /// Runs until everything is settled (or nothing more can happen).
    pub fn run_to_end(&mut self) -> Advance {
        self.sim.run_to_end(u64::MAX)
    }

    pub fn life_events(&self) -> &[LifeEvent] {
        self.broker().record.as_deref().unwrap_or(&[])
    }

    pub fn crash_now(&mut self, consumer: &str) {
        self.fault(
            Phase::Begin,
            FaultKind::Crash {
                target: consumer.into(),
            },
        );
    }
    pub fn restart_now(&mut self, consumer: &str) {
        self.fault(
            Phase::Begin,
            FaultKind::Restart {
                target: consumer.into(),
            },
        );
    }
    pub fn spike_now(&mut self, factor: f64) {
        self.fault(Phase::Begin, FaultKind::LoadSpike { factor });
    }
    pub fn end_spike_now(&mut self) {
        self.fault(Phase::End, FaultKind::LoadSpike { factor: 1.0 });
    }
    pub fn add_consumer_now(&mut self) {
        self.sim.command(Event::AddConsumer);
    }
    pub fn remove_consumer_now(&mut self) {
        self.sim.command(Event::RemoveConsumer);
    }
    /// Adds the "monitoring" group reading the same topic (log mode only).
    pub fn add_monitor_now(&mut self) {
        self.sim.command(Event::AddMonitorGroup);
    }
    fn fault(&mut self, phase: Phase, kind: FaultKind) {
        self.sim.command(Event::Fault(phase, kind));
    }

    /// Messages in each state: (acked, dead-lettered, dropped, still held).
    fn census(&self) -> (u64, u64, u64, u64) {
        let mut n = (0, 0, 0, 0);
        for m in self.broker().msgs.iter() {
            match m.state {
                MsgState::Acked => n.0 += 1,
                MsgState::DeadLettered => n.1 += 1,
                MsgState::Dropped => n.2 += 1,
                MsgState::Waiting | MsgState::Stored | MsgState::InFlight => n.3 += 1,
            }
        }
        n
    }

    /// The totals, with `in_flight` and `lost` from a census of every message's state (the
    /// reconciliation the CLI prints and the tests check). Costs a pass over all messages.
    pub fn summary(&self) -> QueueSummary {
        self.summary_with(self.census())
    }

    /// The totals from the running counters alone, cheap enough for every animation frame;
    /// `lost` is 0 by construction here, so the page switches to [`QueueWorld::summary`] once
    /// the run is over.
    pub fn live_summary(&self) -> QueueSummary {
        let c = self.broker().counters;
        self.summary_with((c.acked, c.dead_lettered, c.dropped, c.in_flight()))
    }

    fn summary_with(&self, (acked, dead, dropped, held): (u64, u64, u64, u64)) -> QueueSummary {
        let b = self.broker();
        let c = b.counters;
        let q = |p: f64| b.latency.quantile(p).as_millis_f64();
        QueueSummary {
            mode: match b.mode() {
                Mode::Log => "log",
                Mode::Queue => "queue",
            },
            produced: c.produced,
            delivered: c.delivered,
            redelivered: c.redelivered,
            acked: c.acked,
            duplicates: c.duplicates,
            dead_lettered: c.dead_lettered,
            dropped: c.dropped,
            expired: c.expired,
            in_flight: held,
            lost: c.produced.saturating_sub(acked + dead + dropped + held),
            p50_ms: q(0.50),
            p95_ms: q(0.95),
            p99_ms: q(0.99),
            max_backlog: b.max_backlog,
            rebalances: b.groups.first().map_or(0, |g| g.rebalances),
            drained: held == 0 && b.done,
            sim_time_s: self.sim.now().as_secs_f64(),
            events: self.sim.events(),
            trace_hash: self.sim.trace().hex(),
        }
    }

    fn dot(&self, id: u64) -> Dot {
        let m = &self.broker().msgs[id as usize];
        Dot {
            id,
            key: (m.key != NO_KEY).then_some(m.key),
            offset: m.offset,
            deliveries: m.deliveries,
            state: m.state,
            poison: m.poison,
        }
    }

    /// The partitions (one, the queue, in queue mode) with up to `max_dots` waiting messages each.
    pub fn partitions(&self, max_dots: usize) -> Vec<PartitionView> {
        let b = self.broker();
        let g = &b.groups[0];
        match b.mode() {
            Mode::Log => (0..b.logs.len())
                .map(|p| {
                    let from = g.committed[p].max(b.log_start[p]);
                    let end = b.logs[p].len() as u64;
                    PartitionView {
                        index: p,
                        end,
                        committed: g.committed[p],
                        lag: b.lag(0, p),
                        owner: g.owner[p].map(|c| b.consumers[c].name.clone()),
                        dots: (from..end)
                            .take(max_dots)
                            .map(|o| self.dot(b.logs[p][o as usize]))
                            .collect(),
                    }
                })
                .collect(),
            Mode::Queue => {
                let mut dots: Vec<Dot> = b
                    .consumers
                    .iter()
                    .filter_map(|c| c.work.map(|w| w.msg))
                    .map(|id| self.dot(id))
                    .collect();
                dots.extend(
                    b.ready
                        .iter()
                        .filter(|&&id| b.msgs[id as usize].state == MsgState::Stored)
                        .take(max_dots)
                        .map(|&id| self.dot(id)),
                );
                dots.truncate(max_dots);
                vec![PartitionView {
                    index: 0,
                    end: b.counters.produced,
                    committed: b.counters.acked,
                    lag: b.ready_live + b.unacked,
                    owner: None,
                    dots,
                }]
            }
        }
    }

    pub fn consumers(&self) -> Vec<ConsumerView> {
        let b = self.broker();
        b.consumers
            .iter()
            .map(|c| ConsumerView {
                name: c.name.clone(),
                group: b.groups[c.group].name,
                up: c.up,
                member: c.joined,
                assigned: c.assigned.clone(),
                working_on: c.work.map(|w| (w.msg, w.attempt.max(w.delivery))),
                processed: c.processed,
                failures: c.failures,
                slow: c.slow,
            })
            .collect()
    }

    pub fn groups(&self) -> Vec<GroupView> {
        let b = self.broker();
        b.groups
            .iter()
            .enumerate()
            .map(|(i, g)| GroupView {
                name: g.name,
                members: g.members.len(),
                delivered: g.delivered,
                acked: g.acked,
                dead_lettered: g.dead_lettered,
                lag: match b.mode() {
                    Mode::Log => (0..b.logs.len()).map(|p| b.lag(i, p)).sum(),
                    Mode::Queue => b.lag(0, 0),
                },
                rebalancing: g.rebalancing,
                rebalances: g.rebalances,
            })
            .collect()
    }

    /// The most recent dead-lettered messages, newest last.
    pub fn dead_letters(&self, max: usize) -> Vec<Dot> {
        let dlq = &self.broker().dlq;
        dlq[dlq.len().saturating_sub(max)..]
            .iter()
            .map(|&id| self.dot(id))
            .collect()
    }

    pub fn lag_series(&self) -> &TimeSeries {
        &self.broker().lag_series
    }

    /// Seconds of simulated time the run is expected to take (for chart axes).
    pub fn expected_span_s(&self) -> f64 {
        self.scenario().duration_s * 1.2
    }
}

impl LabWorld for QueueWorld {
    crate::sim::world::clock_from_sim!();
    fn announcement(&self) -> Option<String> {
        let down: Vec<_> = self
            .broker()
            .consumers
            .iter()
            .filter(|c| !c.up)
            .map(|c| c.name.as_str())
            .collect();
        (!down.is_empty()).then(|| {
            format!(
                "{} down: its unacknowledged messages will be redelivered",
                down.join(", ")
            )
        })
    }
    fn is_done(&self) -> bool {
        self.broker().done || self.sim.pending() == 0
    }
    fn metrics(&self) -> MetricsSnapshot {
        let b = self.broker();
        let now = self.sim.now();
        let c = b.counters;
        let settled = c.acked + c.dead_lettered + c.dropped;
        let span = if b.done { b.last_settled } else { now };
        let short = now.saturating_sub(b.window.start).as_micros() * 10
            < super::broker::SAMPLE_EVERY.as_micros();
        let (throughput, utilization) = if b.done || short {
            let secs = span.as_secs_f64();
            let busy = b.busy.area(span) as f64 / 1e6;
            let cap = b.busy.capacity().max(1) as f64;
            if secs > 0.0 {
                (c.acked as f64 / secs, (busy / secs / cap).min(1.0))
            } else {
                (0.0, 0.0)
            }
        } else {
            (b.window.rate(now), b.window.utilization(now, &b.busy))
        };
        MetricsSnapshot {
            sim_time_s: now.as_secs_f64(),
            throughput_per_s: throughput,
            latency_p50_ms: b.latency.quantile(0.50).as_millis_f64(),
            latency_p95_ms: b.latency.quantile(0.95).as_millis_f64(),
            latency_p99_ms: b.latency.quantile(0.99).as_millis_f64(),
            utilization,
            error_rate: if settled == 0 {
                0.0
            } else {
                (c.dead_lettered + c.dropped) as f64 / settled as f64
            },
            backlog: c.in_flight(),
            job_duration_s: span.as_secs_f64(),
            total_completed: c.acked,
            total_failed: c.dead_lettered + c.dropped,
        }
    }
    fn series(&self) -> &TimeSeries {
        &self.broker().series
    }
}
