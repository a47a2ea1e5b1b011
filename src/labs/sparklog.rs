//! A Spark event log, imported and drawn in the MapReduce lab's vocabulary: a Gantt of task
//! attempts per executor (failed attempts struck through, speculative copies dashed), one row
//! per stage with its task-time spread, skew, stragglers and shuffle bytes, and the engine's
//! plain-language summary. Used on the Tools page and inside the MapReduce lab.

use crate::widgets::{BarState, Gantt, GanttBar, GanttData};
use scalelab_engine::sparklog::parse::text_of;
use scalelab_engine::sparklog::{executors, stage_stats, summary, Parser, SparkLog, StageStats};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The logs that ship with the site: (file, label).
pub const SAMPLES: [(&str, &str); 3] = [
    (
        "spark4-2executors-wordcount.json.zst",
        "Word count over the eight texts",
    ),
    (
        "spark4-2executors-skewed-groupby.json.zst",
        "A skewed group-by",
    ),
    (
        "spark4-2executors-retried-task.json",
        "A failed and retried task",
    ),
];
/// Largest file the page reads.
const MAX_BYTES: f64 = 150e6;
/// Text parsed per slice before the page gets a frame back.
const SLICE: usize = 1 << 20;

pub struct Loaded {
    pub name: String,
    pub log: SparkLog,
    pub stats: Vec<StageStats>,
    pub summary: Vec<String>,
}

/// Decompresses (if needed) and parses in slices, reporting progress between slices.
async fn load(name: String, bytes: Vec<u8>, progress: Callback<String>) -> Result<Loaded, String> {
    progress.emit(format!(
        "Reading {name} ({:.1} MB)…",
        bytes.len() as f64 / 1e6
    ));
    gloo::timers::future::TimeoutFuture::new(0).await;
    let text = text_of(&bytes)?;
    let mut p = Parser::new();
    let total = text.len().max(1);
    let mut at = 0;
    while at < text.len() {
        let mut end = (at + SLICE).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        p.feed(&text[at..end]);
        at = end;
        progress.emit(format!(
            "Parsing {name}: {:.0}%",
            at as f64 / total as f64 * 100.0
        ));
        gloo::timers::future::TimeoutFuture::new(0).await;
    }
    let log = p.finish();
    if log.tasks.is_empty() && log.stages.is_empty() {
        return Err(format!(
            "{name}: no Spark events found ({} lines, {} not JSON). Is this a Spark event log?",
            log.lines,
            log.errors.len()
        ));
    }
    let stats = stage_stats(&log);
    let summary = summary(&log, &stats);
    Ok(Loaded {
        name,
        log,
        stats,
        summary,
    })
}

#[derive(Properties, PartialEq)]
pub struct SparkLogViewProps {
    #[prop_or(AttrValue::Static("spark-log"))]
    pub testid: AttrValue,
    /// A log to open at once: (file name, bytes).
    #[prop_or_default]
    pub open: Option<Rc<(String, Vec<u8>)>>,
}

#[component]
pub fn SparkLogView(p: &SparkLogViewProps) -> Html {
    let loaded = use_state(|| None::<Rc<Loaded>>);
    let status = use_state(|| None::<Result<String, String>>);
    let start = {
        let loaded = loaded.clone();
        let status = status.clone();
        move |name: String, bytes: Result<Vec<u8>, String>| {
            let loaded = loaded.clone();
            let status = status.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let bytes = match bytes {
                    Ok(b) => b,
                    Err(e) => return status.set(Some(Err(e))),
                };
                let st = status.clone();
                let progress = Callback::from(move |m: String| st.set(Some(Ok(m))));
                match load(name, bytes, progress).await {
                    Ok(l) => {
                        status.set(None);
                        loaded.set(Some(Rc::new(l)));
                    }
                    Err(e) => status.set(Some(Err(e))),
                }
            });
        }
    };
    {
        let start = start.clone();
        use_effect_with(p.open.clone(), move |open| {
            if let Some(o) = open {
                start(o.0.clone(), Ok(o.1.clone()));
            }
        });
    }
    let samples = SAMPLES.iter().map(|(file, label)| {
        let start = start.clone();
        let file = file.to_string();
        let onclick = Callback::from(move |_: MouseEvent| {
            let start = start.clone();
            let file = file.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let bytes = crate::data::fetch_bytes(&format!("data/spark-events/{file}")).await;
                start(file, bytes);
            });
        });
        html! { <button class="btn small" data-testid={format!("sample-{}", SAMPLES.iter().position(|s| s.1 == *label).unwrap_or(0))} {onclick}>{ *label }</button> }
    });
    let onchange = {
        let start = start.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            let start = start.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match crate::data::read_bytes(file, MAX_BYTES).await {
                    Ok((name, bytes)) => start(name, Ok(bytes)),
                    Err(e) => start(String::new(), Err(e)),
                }
            });
        })
    };
    html! {
        <section class="panel" aria-label="Spark event log" data-testid={p.testid.clone()}>
            <h2>{ "A real Spark run, imported" }</h2>
            <div class="fault-row palette">{ for samples }</div>
            <label class="field"><span>{ "Or your own event log" }</span>
                <input type="file" data-testid="spark-upload" {onchange} aria-label="Import a Spark event log" /></label>
            <p class="small muted">{ "Accepted: Spark event logs as JSON lines (spark.eventLog.enabled=true), plain or zstd-compressed (.zst/.zstd, Spark 4's default; for a rolling eventlog_v2 folder pick its events_1_… file). Logs compressed with lz4, snappy or lzf are recognised and named; decompress them first. Up to 150 MB; the file stays in your browser." }</p>
            { match &*status {
                Some(Ok(m)) => html! { <p class="small" role="status" data-testid="spark-progress">{ m }</p> },
                Some(Err(e)) => html! { <p class="field-error" role="alert" data-testid="spark-error">{ e }</p> },
                None => html! {},
            } }
            if let Some(l) = &*loaded { { view(l) } }
        </section>
    }
}

fn gantt(l: &Loaded) -> GanttData {
    let log = &l.log;
    let execs = executors(log);
    let t0 = log
        .tasks
        .iter()
        .map(|t| t.launch_ms)
        .min()
        .unwrap_or(log.start_ms);
    let end = log.tasks.iter().map(|t| t.finish_ms).max().unwrap_or(t0);
    let stage_pos = |id: i64, attempt: i64| {
        l.stats
            .iter()
            .position(|s| s.id == id && s.attempt == attempt)
            .unwrap_or(0)
    };
    GanttData {
        lanes: execs.iter().map(|e| format!("executor {e}")).collect(),
        down: vec![false; execs.len()],
        bars: log
            .tasks
            .iter()
            .map(|t| GanttBar {
                lane: execs.iter().position(|e| *e == t.executor).unwrap_or(0),
                start: (t.launch_ms - t0) as f64 / 1000.0,
                end: Some((t.finish_ms - t0) as f64 / 1000.0),
                kind: stage_pos(t.stage, t.stage_attempt),
                state: if t.failed() {
                    BarState::Failed
                } else {
                    BarState::Done
                },
                speculative: t.speculative,
                label: format!(
                    "stage {} task {} attempt {}: {} ms on executor {}, shuffle read {} B{}",
                    t.stage,
                    t.index,
                    t.attempt,
                    t.duration_ms(),
                    t.executor,
                    t.shuffle_read_bytes,
                    if t.failed() {
                        format!(", {}", t.reason)
                    } else {
                        String::new()
                    }
                ),
            })
            .collect(),
        legend: l
            .stats
            .iter()
            .map(|s| format!("stage {}.{}", s.id, s.attempt))
            .collect(),
        now: (end - t0) as f64 / 1000.0,
        x_end: ((end - t0) as f64 / 1000.0).max(0.001),
        unit: "s",
    }
}

fn histogram(l: &Loaded, s: &StageStats) -> Html {
    let d: Vec<i64> = l
        .log
        .tasks
        .iter()
        .filter(|t| t.stage == s.id && t.stage_attempt == s.attempt)
        .map(|t| t.duration_ms())
        .collect();
    let (lo, hi) = (
        s.min_ms as f64,
        (s.max_ms as f64).max(s.min_ms as f64 + 1.0),
    );
    let mut bins = [0u32; 10];
    for x in d {
        let b = (((x as f64 - lo) / (hi - lo)) * 10.0)
            .floor()
            .clamp(0.0, 9.0) as usize;
        bins[b] += 1;
    }
    let top = f64::from(*bins.iter().max().unwrap_or(&1)).max(1.0);
    html! {
        <svg class="hist" viewBox="0 0 100 24" preserveAspectRatio="none" role="img"
            aria-label={format!("task times from {} to {} ms: {:?}", s.min_ms, s.max_ms, bins)}>
            { for bins.iter().enumerate().map(|(i, n)| {
                let h = f64::from(*n) / top * 22.0;
                html! { <rect x={(i * 10 + 1).to_string()} y={format!("{:.1}", 23.0 - h)} width="8" height={format!("{h:.1}")} /> }
            }) }
        </svg>
    }
}

fn view(l: &Rc<Loaded>) -> Html {
    let log = &l.log;
    let failed = log.tasks.iter().filter(|t| t.failed()).count();
    html! {
        <div class="spark-view" data-testid="spark-view">
            <p><strong>{ format!("{} ", if log.app_name.is_empty() { &l.name } else { &log.app_name }) }</strong>
                { format!("({}), Spark {}: {} job(s), {} stage attempt(s), {} task attempts ({} failed) on executors {}",
                    log.app_id, log.spark_version, log.jobs.len(), l.stats.len(), log.tasks.len(), failed, executors(log).join(", ")) }</p>
            <ul class="spark-summary" data-testid="spark-summary">{ for l.summary.iter().map(|s| html! { <li>{ s }</li> }) }</ul>
            <Gantt data={Rc::new(gantt(l))} testid="spark-gantt" />
            <table class="results" data-testid="spark-stages">
                <thead><tr><th>{ "stage" }</th><th>{ "tasks" }</th><th>{ "time" }</th><th>{ "task min / median / max" }</th><th>{ "spread" }</th><th>{ "skew" }</th><th>{ "shuffle read / write" }</th><th>{ "stragglers, skewed tasks" }</th></tr></thead>
                <tbody>
                    { for l.stats.iter().map(|s| html! {
                        <tr>
                            <td title={s.name.clone()}>{ format!("{}.{} {}", s.id, s.attempt, s.name.split(" at ").next().unwrap_or("")) }</td>
                            <td>{ format!("{}{}", s.tasks, if s.failed > 0 { format!(" ({} failed)", s.failed) } else { String::new() }) }</td>
                            <td>{ format!("{:.2} s", s.duration_ms as f64 / 1000.0) }</td>
                            <td>{ format!("{} / {} / {} ms", s.min_ms, s.p50_ms, s.max_ms) }</td>
                            <td>{ histogram(l, s) }</td>
                            <td>{ format!("{:.1}×", s.skew) }</td>
                            <td>{ format!("{} / {} B", s.shuffle_read_bytes, s.shuffle_write_bytes) }</td>
                            <td>{ s.stragglers.iter().map(|x| format!("task {} {:.1}× time", x.index, x.times_median))
                                .chain(s.heavy.iter().map(|x| format!("task {} {:.0}× data", x.index, x.read_times_median)))
                                .collect::<Vec<_>>().join(", ") }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if !log.skipped.is_empty() || !log.errors.is_empty() {
                <p class="small muted" data-testid="spark-skipped">
                    { format!("{} lines read; events not used here: {}. ", log.lines,
                        log.skipped.iter().map(|(k, n)| format!("{} × {n}", k.trim_start_matches("SparkListener"))).collect::<Vec<_>>().join(", ")) }
                    { for log.errors.iter().take(5).map(|(n, m)| html! { <span class="field-error">{ format!("line {n}: {m}. ") }</span> }) }
                </p>
            }
        </div>
    }
}
