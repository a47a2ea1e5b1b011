//! The drill's scorecard, and the reconciliation recomputed from the event log alone (no access
//! to the model's counters), so the two can be compared.

use super::model::{DrillEvent, DrillModel, Fate};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scorecard {
    pub records_in: u64,
    pub records_out: u64,
    pub quarantined: u64,
    pub quarantine_reasons: BTreeMap<String, u64>,
    pub dead_lettered: u64,
    pub lost: u64,
    pub loss_reasons: BTreeMap<String, u64>,
    pub duplicates: u64,
    /// Deliveries the queue made again after a crash, a timeout or a failure.
    pub redelivered: u64,
    pub bad_rows_loaded: u64,
    pub in_flight: u64,
    pub slo_violation_s: f64,
    pub recovery_s: f64,
    pub cost_usd: f64,
    pub failed_calls: u64,
    pub retries: u64,
    pub breaker_opens: u64,
    pub passed: bool,
}

/// Counts recomputed from the event log: each record's last terminal event decides where it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reconciliation {
    pub records_in: u64,
    pub records_out: u64,
    pub quarantined: u64,
    pub dead_lettered: u64,
    pub lost: u64,
    pub duplicates: u64,
    pub in_flight: u64,
}

impl Reconciliation {
    /// in = out + quarantined + dead-lettered + lost + in flight.
    pub fn balances(&self) -> bool {
        self.records_in
            == self.records_out + self.quarantined + self.dead_lettered + self.lost + self.in_flight
    }
}

pub fn reconcile(log: &[DrillEvent]) -> Reconciliation {
    let mut last: BTreeMap<u64, &'static str> = BTreeMap::new();
    let mut r = Reconciliation::default();
    for e in log {
        match e.kind {
            "produced" => {
                r.records_in += 1;
                last.insert(e.record, "in_flight");
            }
            "staged" => {
                last.insert(e.record, "in_flight");
            }
            "loaded" | "quarantined" | "dead_lettered" | "lost" => {
                last.insert(e.record, e.kind);
            }
            "duplicate" => r.duplicates += 1,
            _ => {}
        }
    }
    for k in last.values() {
        match *k {
            "loaded" => r.records_out += 1,
            "quarantined" => r.quarantined += 1,
            "dead_lettered" => r.dead_lettered += 1,
            "lost" => r.lost += 1,
            _ => r.in_flight += 1,
        }
    }
    r
}

pub fn scorecard(m: &DrillModel, duration_s: f64) -> Scorecard {
    let c = &m.counts;
    let mut quarantine_reasons = BTreeMap::new();
    let mut loss_reasons = BTreeMap::new();
    for r in &m.recs {
        match &r.fate {
            Fate::Quarantined(reason) => {
                *quarantine_reasons.entry(reason.to_string()).or_insert(0) += 1
            }
            Fate::Lost(l) => *loss_reasons.entry(l.text().to_string()).or_insert(0) += 1,
            _ => {}
        }
    }
    let window_s = super::model::SLO_WINDOW.as_secs_f64();
    let violated = m.windows.iter().filter(|v| **v).count() as f64 * window_s;
    let last_bad_end = m
        .windows
        .iter()
        .rposition(|v| *v)
        .map(|i| (i + 1) as f64 * window_s);
    let recovery_s = match (last_bad_end, m.last_fault_end) {
        (Some(bad), Some(fault)) => (bad - fault.as_secs_f64()).max(0.0),
        _ => 0.0,
    };
    let workers = f64::from(m.broker.scenario.consumers);
    let cost_usd = workers * duration_s / 3600.0 * super::model::USD_PER_WORKER_HOUR
        + c.calls as f64 * super::model::USD_PER_CALL;
    let in_flight = m.in_flight();
    Scorecard {
        records_in: c.produced,
        records_out: c.loaded,
        quarantined: c.quarantined,
        quarantine_reasons,
        dead_lettered: c.dead_lettered,
        lost: c.lost,
        loss_reasons,
        duplicates: c.duplicates,
        redelivered: m.broker.counters.redelivered,
        bad_rows_loaded: c.bad_rows,
        in_flight,
        slo_violation_s: violated,
        recovery_s,
        cost_usd,
        failed_calls: c.failed_calls,
        retries: c.retries,
        breaker_opens: c.breaker_opens,
        passed: c.lost == 0 && in_flight == 0 && c.bad_rows == 0,
    }
}
