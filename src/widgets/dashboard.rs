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

fn ms(v: f64) -> String {
    if v >= 10_000.0 {
        format!("{:.1} s", v / 1000.0)
    } else if v >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

#[component]
pub fn Dashboard(p: &DashboardProps) -> Html {
    let m = &p.metrics;
    html! {
        <section class="dashboard" aria-label="Metrics">
            { tile("throughput", "Throughput", format!("{:.1}", m.throughput_per_s), " /s",
                "Work completed per simulated second (recent window)", false) }
            { tile("latency", "Latency p50 / p95 / p99",
                format!("{} / {} / {}", ms(m.latency_p50_ms), ms(m.latency_p95_ms), ms(m.latency_p99_ms)), " ms",
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
