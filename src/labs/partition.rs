//! The partitioning lab: a keyed data set split by a real partitioner, partitions drawn as bars
//! by size, workers taking them on a timeline, the combine step, the verified result, and the
//! speed-up curve measured by re-running the engine against the ideal line and Amdahl's law.

use super::frame::{use_lab, Lab, ScenarioControls};
use crate::player::Status;
use crate::widgets::{
    BarState, Challenge, Experiment, Experiments, Explain, Explanation, Gantt, GanttBar, GanttData,
};
use scalelab_engine::partition::job::key_name;
use scalelab_engine::partition::scenario::{limits, DISTS};
use scalelab_engine::partition::world::Stage;
use scalelab_engine::partition::{amdahl, KeyDist, PartitionScenario, PartitionWorld};
use scalelab_engine::queue::partitioner::{Partitioner, PARTITIONERS};
use scalelab_engine::sim::LabWorld;
use std::collections::BTreeSet;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PartitionLabProps {
    pub presenter: bool,
}

type PartitionLabHandle = Lab<PartitionScenario, PartitionWorld>;
type Curve = Option<(PartitionScenario, Vec<(u32, f64)>)>;

/// Partitions drawn as bars (more are summarised).
const MAX_BARS: usize = 64;
/// The challenge: the hot-key job must finish under this many simulated seconds.
const CHALLENGE_S: f64 = 1.2;

#[derive(Clone, PartialEq)]
struct Bar {
    index: usize,
    records: u64,
    state: BarState,
    running: bool,
    range: Option<(String, String)>,
}

#[component]
pub fn PartitionLab(p: &PartitionLabProps) -> Html {
    let lab: PartitionLabHandle = use_lab(PartitionWorld::new, p.presenter);
    let s = (*lab.scenario).clone();
    let status = lab.player.status();
    let curve = use_state(|| None as Curve);
    let seen_counts = use_mut_ref(BTreeSet::<&'static str>::new);
    let (bars, gantt, stage, job_time, imbalance, verified, top, total_bars, now) =
        lab.player.with(|st| {
            let w = &st.world;
            let j = w.job();
            let now = w.now().as_secs_f64();
            let ranges = range_of_partitions(w);
            let bars: Vec<Bar> = j
                .tasks
                .iter()
                .take(MAX_BARS)
                .map(|t| Bar {
                    index: t.partition,
                    records: t.records,
                    state: if t.end.is_some() {
                        BarState::Done
                    } else {
                        BarState::Running
                    },
                    running: t.start.is_some() && t.end.is_none(),
                    range: ranges.get(t.partition).cloned().flatten(),
                })
                .collect();
            let top = w.prepared.top_keys.clone();
            (
                bars,
                Rc::new(gantt_of(w, now)),
                j.stage,
                w.job_time_s(),
                w.imbalance(),
                w.prepared.verified,
                top,
                j.tasks.len(),
                now,
            )
        });
    if status == Status::Finished {
        let mut seen = seen_counts.borrow_mut();
        if s.partitions < s.workers {
            seen.insert("fewer");
        }
        if s.partitions >= 2 * s.workers {
            seen.insert("more");
        }
    }
    let max_records = bars.iter().map(|b| b.records).max().unwrap_or(1).max(1);
    let finished = stage == Stage::Done;
    let experiments = vec![
        Experiment { id: "double", title: "Double the workers, then double again",
            how: "Measure the speed-up curve. At first each doubling nearly halves the job time; then it stops: the serial part and the number of partitions set the limit.",
            seen: curve.as_ref().is_some_and(|(_, c)| c.len() >= 16 && c[0].1 / c[1].1 > 1.6 && c[7].1 / c[15].1 < 1.3) },
        Experiment { id: "straggler", title: "Skew the keys until one partition is a straggler",
            how: "Choose the hot-key or Zipf distribution and raise the skew. One bar grows; on the timeline every other worker finishes and waits for it.",
            seen: finished && imbalance > 2.0 },
        Experiment { id: "range", title: "Switch to range partitioning",
            how: "Range partitioning samples the keys and cuts them into sorted runs: each partition holds a contiguous range of keys (shown on its bar), which keeps sorted output and range queries cheap. A hot key still cannot be cut in two.",
            seen: finished && s.partitioner == Partitioner::Range },
        Experiment { id: "granularity", title: "Try fewer partitions than workers, then many more",
            how: "With fewer partitions than workers, some workers have nothing to do. With many small partitions the load evens out, until the fixed cost of starting each task dominates.",
            seen: seen_counts.borrow().len() == 2 },
    ];
    let challenge = finished.then(|| {
        let t = job_time.unwrap_or(f64::MAX);
        let ok = s.dist == KeyDist::HotKey && s.hot_share >= 0.4 && s.records >= 200_000 && s.workers <= 8 && t <= CHALLENGE_S && verified;
        (ok, format!("{} distribution (hot share {:.0}%), {} records, {} workers, salt {}: {:.3} s, result {}",
            DISTS.iter().find(|(_, d)| *d == s.dist).map_or("", |(n, _)| *n), s.hot_share * 100.0, s.records, s.workers, s.salt, t,
            if verified { "verified" } else { "WRONG" }))
    });
    let render_controls: fn(&PartitionLabHandle, &PartitionScenario) -> Html = controls;
    html! {
        <div class="lab-frame partition">
            { lab.error_banner() }
            { lab.playback_bar() }
            { lab.dashboard() }
            <div class="frame-body">
                <div class="frame-main">
                    <section class="panel" aria-label="Partitions">
                        <h2>{ format!("{} records → {} partitions ({})", s.records, s.partitions, partitioner_label(s.partitioner)) }</h2>
                        <p class="small muted" data-testid="imbalance">{ format!("Biggest partition / average: {imbalance:.2}× (1.00 is perfectly even){}",
                            if total_bars > MAX_BARS { format!(" · first {MAX_BARS} of {total_bars} shown") } else { String::new() }) }</p>
                        <div class="pbars" data-testid="partition-sizes">
                            { for bars.iter().map(|b| html! {
                                <div class={classes!("pbar", b.running.then_some("running"), (b.state == BarState::Done).then_some("done"))}
                                    title={b.range.as_ref().map(|(a, z)| format!("keys {a} … {z}")).unwrap_or_default()}>
                                    <span class="pbar-name">{ format!("p{}", b.index) }</span>
                                    <span class="pbar-track"><span class="pbar-fill" style={format!("width:{:.1}%", b.records as f64 * 100.0 / max_records as f64)} /></span>
                                    <span class="pbar-count">{ format!("{}{}", b.records, if b.running { " ⚙" } else if b.state == BarState::Done { " ✔" } else { "" }) }</span>
                                    if s.partitioner == Partitioner::Range {
                                        if let Some((a, z)) = &b.range { <span class="pbar-range small muted">{ format!("{a} … {z}") }</span> }
                                    }
                                </div>
                            }) }
                        </div>
                    </section>
                    <section class="panel" aria-label="Timeline">
                        <h2>{ format!("Timeline: read & plan → {} workers → combine ({})", s.workers, match stage {
                            Stage::Serial => "reading and planning", Stage::Parallel => "workers busy", Stage::Combine => "combining", Stage::Done => "done" }) }</h2>
                        <Gantt data={gantt} testid="gantt" />
                    </section>
                    { result_panel(&top, job_time, verified, now) }
                    { speedup_panel(&lab, &s, &curve) }
                </div>
                <div class="frame-side">
                    <ScenarioControls<PartitionScenario, PartitionWorld> lab={lab.clone()} scenario={s.clone()} render={render_controls} />
                    <Experiments lab="partitioning" items={experiments} />
                    <Challenge goal={format!("The hot-key job: 200,000 records, 40% on one key, at most 8 workers. Finish in under {CHALLENGE_S} s of simulated time with a verified result. (Hint: salting.)")} result={challenge} />
                </div>
            </div>
            <Explanation sections={explain()} real_names={real_names()} />
        </div>
    }
}

fn partitioner_label(p: Partitioner) -> &'static str {
    match p {
        Partitioner::Kafka => "Kafka murmur2 hash",
        Partitioner::SparkHash => "Spark hash",
        Partitioner::Range => "range",
        Partitioner::RoundRobin => "round-robin",
    }
}

/// The smallest and largest key of each partition (for range partitioning's bars).
fn range_of_partitions(w: &PartitionWorld) -> Vec<Option<(String, String)>> {
    let p = w.scenario.partitions as usize;
    if w.scenario.partitioner != Partitioner::Range {
        return vec![None; p];
    }
    let mut lo = vec![u32::MAX; p];
    let mut hi = vec![0u32; p];
    for (&k, &part) in w.prepared.data.keys.iter().zip(&w.prepared.split.of_record) {
        let part = part as usize;
        lo[part] = lo[part].min(k);
        hi[part] = hi[part].max(k);
    }
    lo.into_iter()
        .zip(hi)
        .map(|(a, z)| (a != u32::MAX).then(|| (key_name(a), key_name(z))))
        .collect()
}

fn gantt_of(w: &PartitionWorld, now: f64) -> GanttData {
    let j = w.job();
    let mut bars = Vec::new();
    let serial_end = j.serial_end.map(|t| t.as_secs_f64());
    bars.push(GanttBar {
        lane: 0,
        start: 0.0,
        end: serial_end,
        kind: 0,
        state: if serial_end.is_some() {
            BarState::Done
        } else {
            BarState::Running
        },
        speculative: false,
        label: "read & plan".into(),
    });
    for t in &j.tasks {
        if let (Some(wk), Some(start)) = (t.worker, t.start) {
            let end = t.end.map(|e| e.as_secs_f64());
            bars.push(GanttBar {
                lane: wk + 1,
                start: start.as_secs_f64(),
                end,
                kind: 1,
                state: if end.is_some() {
                    BarState::Done
                } else {
                    BarState::Running
                },
                speculative: false,
                label: format!("p{} ({})", t.partition, t.records),
            });
        }
    }
    if let Some(pe) = j.parallel_end {
        let end = j.done_at.map(|t| t.as_secs_f64());
        bars.push(GanttBar {
            lane: 0,
            start: pe.as_secs_f64(),
            end,
            kind: 2,
            state: if end.is_some() {
                BarState::Done
            } else {
                BarState::Running
            },
            speculative: false,
            label: "combine".into(),
        });
    }
    let mut lanes = vec!["driver".to_string()];
    lanes.extend((1..=j.workers).map(|i| format!("worker-{i}")));
    // The time axis: the job time with one worker divided by the workers, at least what has run.
    let total: f64 = j.serial_time.as_secs_f64()
        + j.combine_time.as_secs_f64()
        + j.tasks
            .iter()
            .map(|t| t.duration.as_secs_f64())
            .sum::<f64>()
            / j.workers as f64;
    GanttData {
        down: vec![false; lanes.len()],
        lanes,
        bars,
        legend: vec![
            "serial: read & plan".into(),
            "task (one partition)".into(),
            "combine".into(),
        ],
        now,
        x_end: total.max(now) * 1.05,
        unit: "s",
    }
}

fn result_panel(top: &[(u32, u64, u64)], job_time: Option<f64>, verified: bool, now: f64) -> Html {
    html! {
        <section class="panel" aria-label="Result">
            <h2>{ "Result: records and value sum per key" }</h2>
            if let Some(t) = job_time {
                <p data-testid="verified" class={classes!(if verified { "ok" } else { "bad" })}>
                    { if verified { format!("✔ Combined result equals a single-pass count of every record. Job time {t:.3} s.") }
                      else { "✖ The combined result differs from a single-pass count.".to_string() } }
                </p>
            } else {
                <p class="muted small">{ format!("Running: {now:.3} s so far. The partial results of every partition are combined at the end.") }</p>
            }
            if job_time.is_some() {
                <table class="results" data-testid="results">
                    <thead><tr><th>{ "key (most records first)" }</th><th>{ "records" }</th><th>{ "sum of values" }</th></tr></thead>
                    <tbody>
                        { for top.iter().map(|(k, c, sum)| html! { <tr><td>{ key_name(*k) }</td><td>{ c }</td><td>{ sum }</td></tr> }) }
                    </tbody>
                </table>
            }
        </section>
    }
}

fn speedup_panel(
    lab: &PartitionLabHandle,
    s: &PartitionScenario,
    curve: &UseStateHandle<Curve>,
) -> Html {
    let measure = {
        let curve = curve.clone();
        let s = s.clone();
        let player = lab.player.clone();
        Callback::from(move |_: MouseEvent| {
            let c = player.with(|st| st.world.speedup_curve(16));
            curve.set(Some((s.clone(), c)));
        })
    };
    let chart = match &**curve {
        None => {
            html! { <p class="muted small">{ "Runs this job with 1 to 16 workers on the same partitions and plots the speed-up each really got." }</p> }
        }
        Some((cs, points)) => {
            let t1 = points.first().map_or(1.0, |p| p.1).max(1e-9);
            let speed: Vec<(u32, f64)> =
                points.iter().map(|(w, t)| (*w, t1 / t.max(1e-9))).collect();
            let (w, h) = (520.0, 220.0);
            let max = 16.0;
            let px = |n: f64| 40.0 + (w - 50.0) * (n - 1.0) / 15.0;
            let py = |x: f64| h - 22.0 - (h - 34.0) * (x / max).min(1.0);
            let line = |f: &dyn Fn(f64) -> f64| {
                (1..=16)
                    .map(|n| format!("{:.1},{:.1}", px(f64::from(n)), py(f(f64::from(n)))))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let measured = speed
                .iter()
                .map(|(n, x)| format!("{:.1},{:.1}", px(f64::from(*n)), py(*x)))
                .collect::<Vec<_>>()
                .join(" ");
            let last = speed.last().map_or(1.0, |p| p.1);
            html! {
                <svg class="speedup" data-testid="speedup" viewBox={format!("0 0 {w} {h}")} role="img"
                    aria-label={format!("Speed-up with 1 to 16 workers: measured up to {last:.1}×, Amdahl's law with serial fraction {:.2} predicts {:.1}×", cs.serial, amdahl(cs.serial, 16.0))}>
                    <polyline points={line(&|n| n)} class="ideal" />
                    <polyline points={line(&|n| amdahl(cs.serial, n))} class="amdahl" />
                    <polyline points={measured} class="measured" />
                    { for speed.iter().map(|(n, x)| html! { <circle cx={format!("{:.1}", px(f64::from(*n)))} cy={format!("{:.1}", py(*x))} r="3" class="measured-dot" /> }) }
                    <text x="40" y="12" class="legend-text">{ format!("measured (blue dots) · Amdahl, serial fraction {:.2} (pink) · ideal (dashed) · {} partitions", cs.serial, cs.partitions) }</text>
                    <text x="40" y={format!("{}", h - 4.0)} class="legend-text">{ "1 worker" }</text>
                    <text x={format!("{}", w - 70.0)} y={format!("{}", h - 4.0)} class="legend-text">{ "16 workers" }</text>
                    <text x="2" y={format!("{:.1}", py(16.0) + 4.0)} class="legend-text">{ "16×" }</text>
                    <text x="2" y={format!("{:.1}", py(1.0) + 4.0)} class="legend-text">{ "1×" }</text>
                </svg>
            }
        }
    };
    html! {
        <section class="panel" aria-label="Speed-up curve">
            <h2>{ "Speed-up: job time vs workers" }</h2>
            <button class="btn" data-testid="measure-speedup" onclick={measure}>{ "Measure with 1–16 workers" }</button>
            { chart }
        </section>
    }
}

fn controls(lab: &PartitionLabHandle, s: &PartitionScenario) -> Html {
    let dist = DISTS
        .iter()
        .find(|(_, d)| *d == s.dist)
        .map_or("uniform", |(n, _)| *n);
    let part = PARTITIONERS
        .iter()
        .find(|(_, p)| *p == s.partitioner)
        .map_or("spark-hash", |(n, _)| *n);
    html! {
        <section class="panel controls" aria-label="Scenario">
            <h2>{ "Data" }</h2>
            { lab.slider("Records", "records", f64::from(s.records), (10_000.0, 2_000_000.0, 10_000.0), |s, v| s.records = v as u32) }
            { lab.slider("Distinct keys", "keys", f64::from(s.keys), (1.0, 100_000.0, 1.0), |s, v| s.keys = v as u32) }
            { lab.select("Key distribution", "dist", &[("uniform", "uniform"), ("zipf", "Zipf (a few keys are common)"), ("hot", "one hot key")], dist,
                |s, v| s.dist = DISTS.iter().find(|(n, _)| *n == v).map_or(KeyDist::Uniform, |(_, d)| *d)) }
            if s.dist == KeyDist::Zipf {
                { lab.slider("Zipf skew", "skew", s.skew, (limits::SKEW.0, 2.0, 0.1), |s, v| s.skew = v) }
            }
            if s.dist == KeyDist::HotKey {
                { lab.slider("Hot key's share", "hot", s.hot_share, (0.0, 0.9, 0.05), |s, v| s.hot_share = v) }
            }
            <h2>{ "Split" }</h2>
            { lab.select("Partitioner", "partitioner", &[("spark-hash", "hash (Spark HashPartitioner)"), ("kafka", "hash (Kafka murmur2)"), ("range", "range (sampled split points)"), ("round-robin", "round-robin")], part,
                |s, v| s.partitioner = Partitioner::parse(&v).unwrap_or(Partitioner::SparkHash)) }
            { lab.slider("Partitions", "partitions", f64::from(s.partitions), (1.0, 128.0, 1.0), |s, v| s.partitions = v as u32) }
            { lab.slider("Salt the hottest key into", "salt", f64::from(s.salt), (1.0, 32.0, 1.0), |s, v| s.salt = v as u32) }
            <h2>{ "Workers" }</h2>
            { lab.slider("Workers", "workers", f64::from(s.workers), (1.0, 32.0, 1.0), |s, v| s.workers = v as u32) }
            { lab.slider("Cost per record (µs)", "cost", s.cost_us, (1.0, 200.0, 1.0), |s, v| s.cost_us = v) }
            { lab.slider("Task start-up (ms)", "task", s.task_ms, (0.0, 500.0, 5.0), |s, v| s.task_ms = v) }
            { lab.slider("Serial fraction (Amdahl)", "serial", s.serial, (0.0, 0.5, 0.01), |s, v| s.serial = v) }
        </section>
    }
}

fn explain() -> Vec<Explain> {
    vec![
        Explain { heading: "Many hands, one book", body: "Counting every word in a thousand-page book takes one reader days. Tear it into ten chapters, give each to a different reader, and add up their ten tallies at the end: the counting now takes a tenth of the time, plus the tearing and the adding. That is partitioning (tearing), parallelism (the readers) and combining (the adding)." },
        Explain { heading: "How records are split", body: "Hash partitioning feeds each key through a hash function and takes the remainder by the number of partitions, so the same key always lands in the same place and keys spread evenly when there are many of them. Range partitioning samples the keys, picks split points and gives each partition a sorted run of keys, which suits sorting and range lookups. Round-robin deals records out in turn: perfectly even, but records with the same key end up everywhere." },
        Explain { heading: "Why the speed-up flattens", body: "Work that cannot be split (reading the input, planning, combining) stays the same however many workers you add; Amdahl's law turns that serial fraction into a ceiling on the speed-up. A job also cannot use more workers than it has partitions, and each task has a fixed start-up cost, so very many tiny partitions waste time too." },
        Explain { heading: "Skew and stragglers", body: "If one key is far more common than the rest, its partition is far bigger, and the whole job waits for the one worker stuck with it. Salting appends a small random suffix to the hot key so its records spread over several partitions, at the price of one more combining step that strips the suffix again." },
    ]
}

fn real_names() -> Vec<(&'static str, &'static str)> {
    vec![
        ("hash (Spark)", "org.apache.spark.HashPartitioner: key.hashCode mod n"),
        ("hash (Kafka)", "Kafka's default partitioner: murmur2(key bytes) mod n"),
        ("range", "org.apache.spark.RangePartitioner (used by sortByKey)"),
        ("partitions", "Spark spark.sql.shuffle.partitions, repartition(n); Kafka topic partitions"),
        ("salting", "a common fix for skewed joins; Spark 3 adaptive query execution splits skewed partitions automatically"),
    ]
}
