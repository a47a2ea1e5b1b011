//! A monitoring board in the style of Grafana: one panel per metric with its current value, a
//! sparkline of the run so far and a threshold that turns the panel amber or red. The numbers
//! and the sampling come from the engine ([`scalelab_engine::sim::monitor`]); this only draws.

use scalelab_engine::sim::monitor::{Level, Metric, MetricsHistory, Threshold};
use scalelab_engine::sim::MetricsSnapshot;
use yew::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    pub id: &'static str,
    pub title: &'static str,
    pub value: String,
    pub unit: &'static str,
    pub values: Vec<f64>,
    pub level: Option<Level>,
    /// The threshold in words, e.g. "red above 10 s".
    pub rule: String,
    /// Where to draw the threshold line, in the panel's value scale.
    pub line: Option<f64>,
}

/// Formats a metric for a panel: (value, unit).
pub fn format_metric(metric: Metric, v: f64) -> (String, &'static str) {
    match metric {
        Metric::Throughput => {
            if v >= 1e9 {
                (format!("{:.2}", v / 1e9), " G/s")
            } else if v >= 1e6 {
                (format!("{:.2}", v / 1e6), " M/s")
            } else if v >= 1e4 {
                (format!("{:.1}", v / 1e3), " k/s")
            } else {
                (format!("{v:.1}"), " /s")
            }
        }
        Metric::LatencyP95 => {
            if v >= 10_000.0 {
                (format!("{:.1}", v / 1000.0), " s")
            } else {
                (format!("{v:.1}"), " ms")
            }
        }
        Metric::Utilization | Metric::ErrorRate => (format!("{v:.1}"), " %"),
        Metric::Backlog => (format!("{v:.0}"), ""),
        Metric::JobDuration => (format!("{v:.1}"), " s"),
    }
}

fn title(metric: Metric) -> (&'static str, &'static str) {
    match metric {
        Metric::Throughput => ("throughput", "Throughput"),
        Metric::LatencyP95 => ("latency", "Latency p95"),
        Metric::Utilization => ("utilization", "Utilisation"),
        Metric::ErrorRate => ("error-rate", "Error rate"),
        Metric::Backlog => ("backlog", "Backlog"),
        Metric::JobDuration => ("job-duration", "Job duration"),
    }
}

/// The six panels from a history and the current snapshot; `thresholds` may name any of them.
pub fn panels(h: &MetricsHistory, now: &MetricsSnapshot, thresholds: &[Threshold]) -> Vec<Panel> {
    Metric::ALL
        .iter()
        .map(|m| {
            let v = m.value(now);
            let (value, unit) = format_metric(*m, v);
            let (id, title) = title(*m);
            let t = thresholds.iter().find(|t| t.metric == *m);
            let rule = t.map_or_else(String::new, |t| {
                let (b, u) = format_metric(*m, t.bad);
                format!("red {} {b}{u}", if t.above { "above" } else { "below" })
            });
            let mut values = h.values(*m);
            values.push(v);
            Panel {
                id,
                title,
                value,
                unit,
                values,
                level: t.map(|t| t.level(v)),
                rule,
                line: t.map(|t| t.bad),
            }
        })
        .collect()
}

fn sparkline(values: &[f64], line: Option<f64>) -> Html {
    let (w, h) = (160.0, 40.0);
    let max = values
        .iter()
        .copied()
        .chain(line)
        .fold(0.0f64, f64::max)
        .max(1e-9);
    let n = values.len().max(2) - 1;
    let y = |v: f64| h - 2.0 - (h - 4.0) * (v / max).clamp(0.0, 1.0);
    let points = values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", w * i as f64 / n as f64, y(*v)))
        .collect::<Vec<_>>()
        .join(" ");
    html! {
        <svg class="sparkline" viewBox={format!("0 0 {w} {h}")} preserveAspectRatio="none" aria-hidden="true">
            if let Some(l) = line {
                <line x1="0" x2={w.to_string()} y1={format!("{:.1}", y(l))} y2={format!("{:.1}", y(l))} class="threshold" />
            }
            <polyline points={points} />
        </svg>
    }
}

#[derive(Properties, PartialEq)]
pub struct MonitorProps {
    pub panels: Vec<Panel>,
}

#[component]
pub fn Monitor(p: &MonitorProps) -> Html {
    html! {
        <section class="monitor" aria-label="Monitoring panels" data-testid="monitor">
            { for p.panels.iter().map(|x| {
                let (class, word) = match x.level {
                    Some(Level::Bad) => ("bad", " (red)"),
                    Some(Level::Warn) => ("warn", " (amber)"),
                    _ => ("ok", ""),
                };
                html! {
                    <div class={classes!("mpanel", class)} data-testid={format!("panel-{}", x.id)} data-level={class}>
                        <div class="mpanel-head"><span>{ x.title }</span><span class="rule">{ &x.rule }</span></div>
                        <div class="mpanel-value" aria-label={format!("{} {}{}{}", x.title, x.value, x.unit, word)}>
                            { &x.value }<span class="unit">{ x.unit }</span>
                            if class == "bad" { <span class="flag" aria-hidden="true">{ " ▲" }</span> }
                        </div>
                        { sparkline(&x.values, x.line) }
                    </div>
                }
            }) }
        </section>
    }
}
