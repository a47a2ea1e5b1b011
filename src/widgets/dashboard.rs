//! The six metrics of the course (throughput, latency, utilisation, error rate, backlog, job
//! duration) as tiles, read straight from the engine's snapshot.

use scalelab_engine::sim::MetricsSnapshot;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DashboardProps {
    pub metrics: MetricsSnapshot,
    /// Utilisation above this (0..1) is flagged.
    #[prop_or(0.9)]
    pub hot_utilization: f64,
}

fn tile(id: &str, label: &str, value: String, unit: &str, hint: &str, alarm: bool) -> Html {
    html! {
        <div class={classes!("tile", alarm.then_some("alarm"))} title={hint.to_string()}>
            <div class="tile-label">{ label }{ if alarm { " ⚠" } else { "" } }</div>
            <div class="tile-value" data-testid={format!("metric-{id}")}>
                { value }<span class="unit">{ unit }</span>
            </div>
        </div>
    }
}

/// The three latencies in one unit: milliseconds, or seconds once the largest reaches 10 s
/// (mixing units in one tile reads wrong).
fn latencies(p50: f64, p95: f64, p99: f64) -> (String, &'static str) {
    if p99.max(p95).max(p50) >= 10_000.0 {
        let s = |v: f64| format!("{:.1}", v / 1000.0);
        (format!("{} / {} / {}", s(p50), s(p95), s(p99)), " s")
    } else {
        let ms = |v: f64| {
            if v >= 100.0 {
                format!("{v:.0}")
            } else {
                format!("{v:.1}")
            }
        };
        (format!("{} / {} / {}", ms(p50), ms(p95), ms(p99)), " ms")
    }
}

/// A rate in a unit that keeps a few significant digits: per second, minute or hour.
fn rate(per_s: f64) -> (String, &'static str) {
    if per_s >= 1.0 || per_s == 0.0 {
        (format!("{per_s:.1}"), " /s")
    } else if per_s * 60.0 >= 1.0 {
        (format!("{:.1}", per_s * 60.0), " /min")
    } else {
        (format!("{:.1}", per_s * 3600.0), " /h")
    }
}

#[component]
pub fn Dashboard(p: &DashboardProps) -> Html {
    let m = &p.metrics;
    let (lat, lat_unit) = latencies(m.latency_p50_ms, m.latency_p95_ms, m.latency_p99_ms);
    html! {
        <section class="dashboard" aria-label="Metrics">
            { tile("throughput", "Throughput", rate(m.throughput_per_s).0, rate(m.throughput_per_s).1,
                "Work completed per simulated second (recent window)", false) }
            { tile("latency", "Latency p50 / p95 / p99", lat, lat_unit,
                "Time from arrival to completion: half, 95% and 99% of requests were faster than this", false) }
            { tile("utilization", "Utilization", format!("{:.0}", m.utilization * 100.0), " %",
                "Share of the time the capacity was busy (recent window)", m.utilization > p.hot_utilization) }
            { tile("error-rate", "Error rate", format!("{:.1}", m.error_rate * 100.0), " %",
                "Failed requests out of all finished ones", m.error_rate > 0.01) }
            { tile("backlog", "Backlog", m.backlog.to_string(), "",
                "Work waiting to be served right now", false) }
            { tile("job-duration", "Job duration", format!("{:.1}", m.job_duration_s), " s",
                "Simulated time from the start until the last piece of work finished", false) }
        </section>
    }
}
