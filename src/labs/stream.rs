//! The batch-vs-streaming lab: one stream of card transactions feeds a scheduled batch job and
//! a streaming operator side by side; the page compares time to detect fraud, freshness and
//! cost, and shows the windows each produced, late events included.

use super::frame::{use_lab, Lab, ScenarioControls};
use crate::player::Status;
use crate::widgets::{Challenge, Experiment, Experiments, Explain, Explanation};
use scalelab_engine::sim::{FaultKind, FaultPlan, LabWorld};
use scalelab_engine::stream::model::{BATCH_PRICE_PER_H, STREAM_PRICE_PER_H};
use scalelab_engine::stream::world::spread;
use scalelab_engine::stream::{StreamScenario, StreamWorld, TimeMode, WindowKind};
use std::collections::BTreeMap;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StreamLabProps {
    pub presenter: bool,
}

type StreamLabHandle = Lab<StreamScenario, StreamWorld>;

/// The challenge's target: 95% of fraud caught within this many seconds.
const TARGET_S: f64 = 5.0;
/// Upper edges of the time-to-detect histogram's bins, seconds.
const BINS: [f64; 9] = [0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0, f64::INFINITY];

#[derive(Clone, PartialEq)]
struct View {
    batch_detect: Vec<f64>,
    stream_detect: Vec<f64>,
    bucket: usize,
    queue: usize,
    batch_running: Option<(f64, usize)>,
    last_run: Option<(f64, u64, f64)>,
    runs: usize,
    freshness: (f64, f64),
    cost: (f64, f64),
    late_dropped: u64,
    watermark_s: f64,
    windows: Vec<(u64, u64, u64, u64, Option<u64>)>,
    done: bool,
    total: usize,
}

fn view(w: &StreamWorld) -> View {
    let p = w.pipelines();
    let now = w.now().as_secs_f64();
    let windows = p
        .windows
        .emitted
        .iter()
        .rev()
        .take(8)
        .map(|(start, e)| {
            (
                *start,
                e.agg.events,
                e.agg.fraud,
                e.late_dropped,
                p.batch_windows.get(start).map(|a| a.events),
            )
        })
        .collect();
    View {
        batch_detect: p.batch_detect.clone(),
        stream_detect: p.stream_detect.clone(),
        bucket: p.bucket.len(),
        queue: p.queue.len(),
        batch_running: p
            .batch_running
            .as_ref()
            .map(|(start, ids)| (now - start.as_secs_f64(), ids.len())),
        last_run: p.batch_runs.iter().rev().find_map(|r| {
            r.end.map(|e| {
                (
                    r.cutoff.as_secs_f64(),
                    r.events,
                    e.saturating_sub(r.start).as_secs_f64(),
                )
            })
        }),
        runs: p.batch_runs.iter().filter(|r| r.end.is_some()).count(),
        freshness: w.freshness(),
        cost: w.cost(),
        late_dropped: p.windows.late_dropped,
        watermark_s: if p.windows.watermark == u64::MAX {
            f64::INFINITY
        } else {
            p.windows.watermark as f64 / 1e6
        },
        windows,
        done: p.done_at.is_some(),
        total: p.txns.len(),
    }
}

#[component]
pub fn StreamLab(p: &StreamLabProps) -> Html {
    let lab: StreamLabHandle = use_lab(StreamWorld::new, p.presenter);
    lab.set_main_fault(|w| w.spike_now(5.0));
    let s = (*lab.scenario).clone();
    let status = lab.player.status();
    let v = lab.player.with(|st| view(&st.world));
    let intervals = use_mut_ref(BTreeMap::<u64, (f64, f64)>::new);
    let max_queue = use_mut_ref(|| 0usize);
    let spiked = use_mut_ref(|| false);
    let best = use_mut_ref(|| None::<f64>);
    let peak = (*max_queue.borrow()).max(v.queue);
    *max_queue.borrow_mut() = peak;
    let planned_spike = s
        .faults
        .faults
        .iter()
        .any(|f| matches!(f.kind, FaultKind::LoadSpike { factor } if factor >= 5.0));
    let (_, b50, b95, _) = spread(&v.batch_detect);
    let (_, s50, s95, _) = spread(&v.stream_detect);
    if status == Status::Finished && v.done {
        intervals
            .borrow_mut()
            .insert((s.batch_s * 1000.0) as u64, (b50, v.cost.0));
    }
    let experiments = vec![
        Experiment { id: "interval", title: "Shrink the batch interval",
            how: "Finish a run, halve the batch interval and finish another. The batch side gets fresher, but it pays the start-up cost more often: compare the cost lines.",
            seen: intervals.borrow().len() >= 2 },
        Experiment { id: "late", title: "Send late events and see where they land",
            how: "Raise the share of late events and their delay above the allowed lateness. Event-time windows that already closed cannot take them: they are counted as dropped in the window table, never silently lost. The batch side, which runs later, still counts them.",
            seen: v.late_dropped > 0 && s.time_mode == TimeMode::Event },
        Experiment { id: "spike", title: "Hit both with a spike",
            how: "Press Spike ×5 while it runs. The streaming operator falls behind (its queue and freshness grow until the spike ends); the batch job simply has more to do on its next run.",
            seen: (*spiked.borrow() || planned_spike) && *max_queue.borrow() >= 100 },
        Experiment { id: "processing-time", title: "Window by processing time instead",
            how: "Switch the windows to processing time. Nothing is ever late any more, but a delayed transaction is counted in the window when it was processed, not when it happened: compare with the batch column.",
            seen: s.time_mode == TimeMode::Processing && v.done },
    ];
    let challenge = (status == Status::Finished).then(|| {
        let spike = planned_spike || *spiked.borrow();
        let total = v.cost.0 + v.cost.1;
        let fast = s95 <= TARGET_S || b95 <= TARGET_S;
        let fair = s.rate >= 20.0 && s.duration_s >= 600.0 && s.stream_ms >= 20.0 && s.batch_ms >= 2.0 && s.fraud > 0.0;
        let ok = spike && fast && fair;
        if ok {
            let mut b = best.borrow_mut();
            *b = Some(b.map_or(total, |x| x.min(total)));
        }
        (ok, format!("fraud caught: stream p95 {s95:.1} s, batch p95 {b95:.1} s · spike {} · cost ${total:.3}{}{}",
            if spike { "survived" } else { "not tried" },
            if fair { "" } else { " · keep the default load and costs (rate ≥ 20/s, 10 min, 20 ms per event)" },
            best.borrow().map(|b| format!(" · cheapest so far ${b:.3}")).unwrap_or_default()))
    });
    let spike_now = {
        let spiked = spiked.clone();
        let cmd = lab.command(|w: &mut StreamWorld, _: MouseEvent| w.spike_now(5.0));
        Callback::from(move |e: MouseEvent| {
            *spiked.borrow_mut() = true;
            cmd.emit(e);
        })
    };
    let end_spike = lab.command(|w: &mut StreamWorld, _: MouseEvent| w.end_spike_now());
    let expected_bucket = (s.rate * s.batch_s).max(1.0);
    let render_controls: fn(&StreamLabHandle, &StreamScenario) -> Html = controls;
    html! {
        <div class="lab-frame stream">
            { lab.error_banner() }
            { lab.playback_bar() }
            { lab.dashboard() }
            <div class="two-col">
                <section class="panel" aria-label="Batch pipeline" data-testid="batch">
                    <h2>{ format!("Batch: a job every {}", secs(s.batch_s)) }</h2>
                    <div class="bucket" title="events waiting for the next batch">
                        <span class="bucket-fill" style={format!("width:{:.0}%", (v.bucket as f64 / expected_bucket * 100.0).min(100.0))} />
                        <span class="bucket-label">{ format!("bucket: {} events waiting", v.bucket) }</span>
                    </div>
                    <p class="small">{ match v.batch_running {
                        Some((t, n)) => format!("⚙ job running for {t:.1} s over {n} events"),
                        None => "idle until the next scheduled run".to_string() } }</p>
                    <p class="small muted">{ match v.last_run {
                        Some((cut, n, d)) => format!("last run: {n} events up to t = {cut:.0} s, took {d:.1} s · {} runs so far", v.runs),
                        None => "no run has finished yet".into() } }</p>
                    { figures("batch", b50, b95, v.batch_detect.len(), v.freshness.0, v.cost.0) }
                </section>
                <section class="panel" aria-label="Streaming pipeline" data-testid="streaming">
                    <h2>{ if s.micro_ms > 0.0 { format!("Streaming: micro-batches every {}", secs(s.micro_ms / 1000.0)) } else { "Streaming: each event as it arrives".to_string() } }</h2>
                    <div class="bucket stream-queue" title="events waiting for the operator">
                        <span class="bucket-fill" style={format!("width:{:.0}%", (v.queue as f64 / 200.0 * 100.0).min(100.0))} />
                        <span class="bucket-label">{ format!("operator queue: {} events · {} worker{}", v.queue, s.stream_workers, if s.stream_workers == 1 { "" } else { "s" }) }</span>
                    </div>
                    <p class="small">{ if s.time_mode == TimeMode::Event {
                        format!("watermark: {} (newest event time − {} allowed lateness)", if v.watermark_s.is_finite() { format!("{:.1} s", v.watermark_s) } else { "end of input".into() }, secs(s.allowed_s))
                    } else { "windows by processing time: nothing is ever late".to_string() } }</p>
                    <p class="small muted">{ format!("late events dropped from closed windows: {}", v.late_dropped) }</p>
                    { figures("stream", s50, s95, v.stream_detect.len(), v.freshness.1, v.cost.1) }
                    <div class="fault-row">
                        <button class="btn fault" data-testid="spike" onclick={spike_now}>{ "Spike ×5" }</button>
                        <button class="btn" data-testid="end-spike" onclick={end_spike}>{ "End spike" }</button>
                    </div>
                </section>
            </div>
            <div class="frame-body">
                <div class="frame-main">
                    { histogram(&v.batch_detect, &v.stream_detect) }
                    { lab.chart(s.duration_s * 1.1) }
                    { windows_table(&s, &v) }
                </div>
                <div class="frame-side">
                    <ScenarioControls<StreamScenario, StreamWorld> lab={lab.clone()} scenario={s.clone()} render={render_controls} />
                    <Experiments lab="batch-stream" items={experiments} />
                    <Challenge goal={format!("Catch 95% of the fraud within {TARGET_S:.0} s, through a 5× spike, at the lowest total cost (batch ${BATCH_PRICE_PER_H:.2}/h while a job runs, streaming ${STREAM_PRICE_PER_H:.2}/h per worker, always on).")} result={challenge} />
                </div>
            </div>
            <p class="small muted" data-testid="total">{ format!("{} transactions so far", v.total) }</p>
            <Explanation sections={explain()} real_names={real_names()} />
        </div>
    }
}

fn secs(s: f64) -> String {
    if s >= 3600.0 {
        format!("{:.1} h", s / 3600.0)
    } else if s >= 60.0 {
        format!("{:.1} min", s / 60.0)
    } else {
        format!("{s:.1} s")
    }
}

fn figures(id: &str, p50: f64, p95: f64, caught: usize, fresh: f64, cost: f64) -> Html {
    html! {
        <table class="results" data-testid={format!("{id}-figures")}>
            <tbody>
                <tr><td>{ "fraud caught" }</td><td>{ caught }</td></tr>
                <tr><td>{ "time to detect p50 / p95" }</td><td>{ format!("{} / {}", secs(p50), secs(p95)) }</td></tr>
                <tr><td>{ "freshness (data behind now)" }</td><td>{ secs(fresh) }</td></tr>
                <tr><td>{ "cost so far" }</td><td>{ format!("${cost:.3}") }</td></tr>
            </tbody>
        </table>
    }
}

fn histogram(batch: &[f64], stream: &[f64]) -> Html {
    let count = |v: &[f64]| {
        let mut c = [0usize; BINS.len()];
        for x in v {
            let i = BINS.iter().position(|b| x <= b).unwrap_or(BINS.len() - 1);
            c[i] += 1;
        }
        c
    };
    let (cb, cs) = (count(batch), count(stream));
    let max = cb
        .iter()
        .chain(cs.iter())
        .copied()
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let labels = [
        "≤0.1s", "≤0.3s", "≤1s", "≤3s", "≤10s", "≤30s", "≤100s", "≤300s", ">300s",
    ];
    let (w, h) = (560.0, 170.0);
    let bw = (w - 40.0) / BINS.len() as f64;
    html! {
        <section class="panel" aria-label="Time to detect fraud">
            <h2>{ "Time to detect fraud (from the transaction to the alert)" }</h2>
            <svg class="detect-hist" data-testid="detect-hist" viewBox={format!("0 0 {w} {h}")} role="img"
                aria-label={format!("Histogram: streaming caught {} frauds, batch {}", stream.len(), batch.len())}>
                { for (0..BINS.len()).map(|i| {
                    let x = 30.0 + i as f64 * bw;
                    let hs = cs[i] as f64 / max * (h - 40.0);
                    let hb = cb[i] as f64 / max * (h - 40.0);
                    html! { <g>
                        <rect x={format!("{:.1}", x + 2.0)} y={format!("{:.1}", h - 22.0 - hs)} width={format!("{:.1}", bw / 2.0 - 3.0)} height={format!("{hs:.1}")} class="hist-stream" />
                        <rect x={format!("{:.1}", x + bw / 2.0)} y={format!("{:.1}", h - 22.0 - hb)} width={format!("{:.1}", bw / 2.0 - 3.0)} height={format!("{hb:.1}")} class="hist-batch" />
                        <text x={format!("{:.1}", x + 4.0)} y={format!("{}", h - 6.0)} class="legend-text">{ labels[i] }</text>
                    </g> }
                }) }
                <text x="30" y="12" class="legend-text">{ "streaming (blue, left bar) · batch (orange, dashed outline, right bar)" }</text>
            </svg>
        </section>
    }
}

fn windows_table(s: &StreamScenario, v: &View) -> Html {
    html! {
        <section class="panel" aria-label="Windows">
            <h2>{ format!("{} windows of {}{} by {} time", match s.window { WindowKind::Tumbling => "Tumbling", WindowKind::Sliding => "Sliding" },
                secs(s.window_s), if s.window == WindowKind::Sliding { format!(" every {}", secs(s.slide_s)) } else { String::new() },
                if s.time_mode == TimeMode::Event { "event" } else { "processing" }) }</h2>
            <p class="small muted">{ "Windows, watermarks and late events go beyond the course notes: they are how real streaming engines decide when a result is complete." }</p>
            <table class="results" data-testid="windows">
                <thead><tr><th>{ "window" }</th><th>{ "stream count" }</th><th>{ "fraud" }</th><th>{ "late, dropped" }</th><th>{ "batch count (complete)" }</th></tr></thead>
                <tbody>
                    { for v.windows.iter().map(|(start, n, f, late, batch)| html! {
                        <tr><td>{ format!("{:.1}–{:.1} s", *start as f64 / 1e6, *start as f64 / 1e6 + s.window_s) }</td><td>{ n }</td><td>{ f }</td>
                            <td>{ late }</td><td>{ batch.map_or("not yet".to_string(), |b| b.to_string()) }</td></tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}

fn controls(lab: &StreamLabHandle, s: &StreamScenario) -> Html {
    let plan_spike = lab.edit(|s: &mut StreamScenario, _: MouseEvent| {
        let at = (s.duration_s * 0.3).round();
        let len = (s.duration_s * 0.1).round().max(1.0);
        if let Ok(p) = FaultPlan::parse("faults", &format!("spike*5@{at}s+{len}s")) {
            s.faults.faults.extend(p.faults);
        }
    });
    let clear = lab.edit(|s: &mut StreamScenario, _: MouseEvent| s.faults = FaultPlan::default());
    html! {
        <section class="panel controls" aria-label="Scenario">
            <h2>{ "Transactions" }</h2>
            { lab.slider("Per second", "rate", s.rate, (1.0, 500.0, 1.0), |s, v| s.rate = v) }
            { lab.slider("Fraud share", "fraud", s.fraud, (0.0, 0.1, 0.001), |s, v| s.fraud = v) }
            { lab.slider("Run length (s)", "dur", s.duration_s, (60.0, 3600.0, 60.0), |s, v| s.duration_s = v) }
            { lab.slider("Late share", "late", s.late, (0.0, 0.5, 0.01), |s, v| s.late = v) }
            { lab.slider("Longest lateness (s)", "late-max", s.late_max_s, (0.0, 120.0, 1.0), |s, v| s.late_max_s = v) }
            <h2>{ "Batch" }</h2>
            { lab.slider("Interval (s)", "batch", s.batch_s, (5.0, 3600.0, 5.0), |s, v| s.batch_s = v) }
            { lab.slider("Start-up per run (s)", "startup", s.batch_startup_s, (0.0, 120.0, 1.0), |s, v| s.batch_startup_s = v) }
            { lab.slider("Per event (ms)", "batch-ms", s.batch_ms, (0.1, 50.0, 0.1), |s, v| s.batch_ms = v) }
            <h2>{ "Streaming" }</h2>
            { lab.slider("Per event (ms)", "stream-ms", s.stream_ms, (1.0, 200.0, 1.0), |s, v| s.stream_ms = v) }
            { lab.slider("Workers", "workers", f64::from(s.stream_workers), (1.0, 8.0, 1.0), |s, v| s.stream_workers = v as u32) }
            { lab.slider("Micro-batch every (ms, 0 = per event)", "micro", s.micro_ms, (0.0, 10_000.0, 100.0), |s, v| s.micro_ms = v) }
            { lab.select("Windows", "window", &[("tumbling", "tumbling"), ("sliding", "sliding")],
                if s.window == WindowKind::Tumbling { "tumbling" } else { "sliding" },
                |s, v| s.window = if v == "sliding" { WindowKind::Sliding } else { WindowKind::Tumbling }) }
            { lab.slider("Window size (s)", "window-s", s.window_s, (1.0, 300.0, 1.0), |s, v| { s.window_s = v; s.slide_s = s.slide_s.min(v); }) }
            if s.window == WindowKind::Sliding {
                { lab.slider("Slide (s)", "slide", s.slide_s, (1.0, s.window_s.max(1.0), 1.0), |s, v| s.slide_s = v.min(s.window_s)) }
            }
            { lab.select("Window by", "time", &[("event", "event time (watermark)"), ("processing", "processing time")],
                if s.time_mode == TimeMode::Event { "event" } else { "processing" },
                |s, v| s.time_mode = if v == "processing" { TimeMode::Processing } else { TimeMode::Event }) }
            { lab.slider("Allowed lateness (s)", "allowed", s.allowed_s, (0.0, 120.0, 1.0), |s, v| s.allowed_s = v) }
            <h3>{ "Planned load" }</h3>
            <div class="fault-row">
                <button class="btn" data-testid="plan-spike" onclick={plan_spike}>{ "Plan a 5× spike" }</button>
                <button class="btn" onclick={clear}>{ "Clear" }</button>
            </div>
            <p class="muted small">{ if s.faults.is_empty() { "No spike planned.".to_string() } else { format!("Planned: {}", s.faults) } }</p>
        </section>
    }
}

fn explain() -> Vec<Explain> {
    vec![
        Explain { heading: "Batch: collect, then process", body: "A batch pipeline lets data pile up and processes the pile on a schedule, say every hour or every night. Each run sees everything that arrived before it, so its answers are complete, and machines are only paid for while a job runs. The price is staleness: a result can be up to one interval plus the job's run time behind reality. That is fine for an end-of-day sales report." },
        Explain { heading: "Streaming: process as it happens", body: "A streaming pipeline handles each event (or a small micro-batch) moments after it arrives, so a suspicious card payment can be blocked while the customer is still at the till. The operator runs all the time, which costs money even when little happens, and it must keep up: in a spike its queue grows and its answers fall behind." },
        Explain { heading: "Windows and late data", body: "Streams never end, so aggregates are computed over windows: tumbling (back to back, like hourly buckets) or sliding (overlapping). By event time, a window is complete only when no more of its events can arrive; a watermark trails the newest event time by an allowed lateness and closes windows as it passes. Anything later is reported as dropped, or sent to a side output in real engines." },
        Explain { heading: "Choosing", body: "The batch interval is a dial between freshness and cost. Time-sensitive decisions (fraud, alerts, live dashboards) call for streaming; big periodic reports and model training suit batch. Many systems run both on the same events." },
    ]
}

fn real_names() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "batch job",
            "a scheduled Spark job (e.g. by Airflow), reading a day's files",
        ),
        (
            "micro-batches",
            "Spark Structured Streaming's trigger(processingTime = …)",
        ),
        ("per-event streaming", "Apache Flink, Kafka Streams"),
        (
            "watermark, allowed lateness",
            "Flink WatermarkStrategy.forBoundedOutOfOrderness; Spark withWatermark",
        ),
        ("late side output", "Flink sideOutputLateData"),
    ]
}
