//! The MapReduce lab: a real job over the shipped books on a simulated cluster, with the
//! splits, a Gantt of every task attempt, the shuffle matrix, one word's journey and the result
//! filling in as reducers commit.

use super::frame::{use_lab, Lab};
use crate::data::{use_texts, Texts};
use crate::player::Status;
use crate::widgets::{
    BarState, Challenge, Experiment, Experiments, Explain, Explanation, Gantt, GanttBar, GanttData,
    Heatmap, HeatmapData,
};
use scalelab_engine::mapreduce::cluster::TaskState;
use scalelab_engine::mapreduce::{
    Input, Job, MapReduceScenario, MapReduceWorld, Outcome, TaskRef, CORPUS,
};
use scalelab_engine::sim::LabWorld;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct MapReduceLabProps {
    pub presenter: bool,
}

#[component]
pub fn MapReduceLab(p: &MapReduceLabProps) -> Html {
    match use_texts() {
        None => {
            html! { <p class="loading" data-testid="loading">{ "Loading the eight books and the sample log…" }</p> }
        }
        Some(Err(e)) => {
            html! { <div class="banner error" role="alert">{ format!("Could not load the sample texts: {e}") }</div> }
        }
        Some(Ok(texts)) => html! { <Loaded texts={TextsProp(texts)} presenter={p.presenter} /> },
    }
}

#[derive(Clone)]
struct TextsProp(Texts);
impl PartialEq for TextsProp {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.0, &o.0)
    }
}

#[derive(Properties, PartialEq)]
struct LoadedProps {
    texts: TextsProp,
    presenter: bool,
}

/// File name of a scenario input (`pg-grimm` → `pg-grimm.txt`), as the CLI names its inputs.
fn file_name(input: &str) -> String {
    if input.contains('.') {
        input.to_string()
    } else {
        format!("{input}.txt")
    }
}

fn inputs_for(s: &MapReduceScenario, texts: &Texts) -> Vec<Input> {
    s.inputs
        .iter()
        .filter_map(|n| {
            let f = file_name(n);
            texts
                .iter()
                .find(|(name, _)| *name == f)
                .map(|(name, t)| Input::new(name.clone(), t.clone()))
        })
        .collect()
}

/// One finished run, remembered to detect comparisons across runs.
#[derive(Clone, Debug, PartialEq)]
struct Finished {
    hash: String,
    combiner: bool,
    reducers: u32,
    bytes_shuffled: u64,
}

#[component]
fn Loaded(p: &LoadedProps) -> Html {
    let texts = p.texts.0.clone();
    let lab: Lab<MapReduceScenario, MapReduceWorld> = {
        let texts = texts.clone();
        use_lab(
            move |s: &MapReduceScenario| MapReduceWorld::new(s, inputs_for(s, &texts)),
            p.presenter,
        )
    };
    lab.set_main_fault(|w| w.crash_worker_now(0));
    let word = use_state(|| "the".to_string());
    let target = use_state(|| 0usize);
    let history = use_mut_ref(Vec::<Finished>::new);
    let upload_msg = use_state(|| None::<Result<String, String>>);
    let s = (*lab.scenario).clone();

    let status = lab.player.status();
    let v = lab.player.with(|st| view_of(&st.world, &word));
    if status == Status::Finished {
        remember(&history, &v, &s);
    }
    let h = history.borrow();
    let seen_combiner = h.iter().any(|f| f.combiner) && h.iter().any(|f| !f.combiner);
    let reducer_counts: BTreeSet<u32> = h.iter().map(|f| f.reducers).collect();
    drop(h);
    let experiments = vec![
        Experiment { id: "crash-map", title: "Crash a worker during the map phase",
            how: "Start a run, pick a worker and press “Crash worker now” while maps are running. Watch its attempt get struck out, and the maps it had already finished run again elsewhere: their output lived on its disk.",
            seen: v.lost_outputs > 0 },
        Experiment { id: "combiner", title: "Combiner off, then on",
            how: "Finish a word count without the combiner, then with it. Compare “bytes shuffled”: the combiner adds up each word's count on the map side, so far less crosses the network.",
            seen: seen_combiner },
        Experiment { id: "reducers", title: "Add reducers until it stops helping",
            how: "Finish runs with 1, 2, 4 and 8 reducers (and enough workers). The reduce phase shortens, then stops shortening once reducers outnumber workers or start-up costs dominate.",
            seen: reducer_counts.len() >= 3 },
        Experiment { id: "backup", title: "Let a backup task beat a straggler",
            how: "Turn on speculative backups, start a run and make a worker slow (×10). When the others are idle, the coordinator launches a copy of the slow task; the first to finish wins and the other is killed.",
            seen: v.killed > 0 && v.backups > 0 },
    ];
    let challenge = (status == Status::Finished).then(|| {
        let all = s.inputs.len() == 8 && CORPUS.iter().all(|c| s.inputs.iter().any(|i| i == c));
        let ok = all && s.job == Job::WordCount && v.finished_s <= 3.0 && s.workers <= 2;
        (
            ok,
            format!(
                "{} on {} input(s) finished in {:.2} s of simulated time with {} worker(s)",
                s.job.name(),
                s.inputs.len(),
                v.finished_s,
                s.workers
            ),
        )
    });

    html! {
        <div class="lab-frame mapreduce">
            { lab.error_banner() }
            { lab.playback_bar() }
            { lab.dashboard() }
            <div class="frame-body">
                <div class="frame-main">
                    <section class="panel" aria-label="Tasks">
                        <h2>{ format!("Tasks — map {}/{} done, reduce {}/{} committed", v.maps_done, v.maps, v.reduces_done, s.reducers) }</h2>
                        <div class="splits" data-testid="splits" aria-label="Input splits (one square per map task)">
                            { for v.split_states.iter().enumerate().map(|(i, st)| html! {
                                <span class={classes!("split", *st)} title={format!("map task m{i}: {}", v.split_titles[i])} />
                            }) }
                        </div>
                        <Gantt data={Rc::new(v.gantt.clone())} testid="gantt" />
                        <p class="muted small" data-testid="attempt-summary">{ &v.attempt_summary }</p>
                    </section>
                    <div class="two-col">
                        <section class="panel" aria-label="Shuffle">
                            <h2>{ "Shuffle: bytes from each map task to each reducer" }</h2>
                            <Heatmap data={Rc::new(v.matrix.clone())} height={160} />
                            <p class="muted small">{ format!("{} bytes shuffled so far", v.bytes_shuffled) }</p>
                        </section>
                        <section class="panel" aria-label="A word's journey">
                            <h2>{ "Follow a word" }</h2>
                            <input type="text" data-testid="word" value={(*word).clone()} aria-label="Word to follow"
                                oninput={{ let word = word.clone(); Callback::from(move |e: InputEvent| {
                                    let i: HtmlInputElement = e.target_unchecked_into(); word.set(i.value()); }) }} />
                            <p class="journey" data-testid="journey">{ &v.journey }</p>
                        </section>
                    </div>
                    <section class="panel" aria-label="Result">
                        <h2>{ format!("Result: top words ({} of {} partitions committed)", v.reduces_done, s.reducers) }</h2>
                        <table class="results" data-testid="results">
                            <thead><tr><th>{ "key" }</th><th>{ "value" }</th></tr></thead>
                            <tbody>
                                { for v.top.iter().map(|(k, val)| html! { <tr><td>{ k }</td><td>{ val }</td></tr> }) }
                            </tbody>
                        </table>
                        if v.verified.is_some() {
                            <p class="reconcile" data-testid="verified">{ v.verified.clone().unwrap_or_default() }</p>
                        }
                    </section>
                    { lab.chart(v.finished_s.max(1.0)) }
                </div>
                <div class="frame-side">
                    { run_on_spark(&s) }
                    { controls(&lab, &s, &texts) }
                    { upload_box(&lab, &upload_msg) }
                    { live_faults(&lab, &s, &target) }
                    <Experiments lab="mapreduce" items={experiments} />
                    <Challenge goal="Finish word count on all eight books in at most 3.0 s of simulated time using no more than 2 workers." result={challenge} />
                </div>
            </div>
            <Explanation sections={explain()} real_names={real_names()} />
        </div>
    }
}

fn remember(history: &Rc<RefCell<Vec<Finished>>>, v: &View, s: &MapReduceScenario) {
    let mut h = history.borrow_mut();
    if h.iter().all(|f| f.hash != v.hash) {
        h.push(Finished {
            hash: v.hash.clone(),
            combiner: s.combiner,
            reducers: s.reducers,
            bytes_shuffled: v.bytes_shuffled,
        });
    }
}

#[derive(Clone, PartialEq)]
struct View {
    maps: usize,
    maps_done: usize,
    reduces_done: usize,
    split_states: Vec<&'static str>,
    split_titles: Vec<String>,
    gantt: GanttData,
    attempt_summary: String,
    matrix: HeatmapData,
    bytes_shuffled: u64,
    journey: String,
    top: Vec<(String, String)>,
    verified: Option<String>,
    finished_s: f64,
    lost_outputs: u64,
    killed: u64,
    backups: u64,
    hash: String,
}

fn view_of(w: &MapReduceWorld, word: &str) -> View {
    let c = w.cluster();
    let now = w.now().as_secs_f64();
    let split_states = c
        .maps
        .iter()
        .map(|m| match m.state {
            TaskState::Idle => "idle",
            TaskState::Running => "running",
            TaskState::Done => "done",
        })
        .collect();
    let split_titles = c
        .maps
        .iter()
        .map(|m| {
            format!(
                "{} bytes {}–{} of {}",
                m.split.len(),
                m.split.start,
                m.split.end,
                c.doc_names[m.split.doc as usize]
            )
        })
        .collect();
    let bars = w
        .attempts()
        .iter()
        .map(|a| GanttBar {
            lane: a.worker,
            start: a.start.as_secs_f64(),
            end: a.end.map(|e| e.as_secs_f64()),
            kind: usize::from(matches!(a.task, TaskRef::Reduce(_))),
            state: match a.outcome {
                Outcome::Running => BarState::Running,
                Outcome::Done => BarState::Done,
                _ => BarState::Failed,
            },
            speculative: a.speculative,
            label: MapReduceWorld::task_label(a.task),
        })
        .collect();
    let gantt = GanttData {
        lanes: c.workers.iter().map(|w| w.name.clone()).collect(),
        down: c.workers.iter().map(|w| !w.up).collect(),
        bars,
        legend: vec!["map".into(), "reduce".into()],
        now,
        x_end: w.finished_at().map_or(now * 1.05, |t| t.as_secs_f64()),
        unit: "s",
    };
    let counts = w.outcome_counts();
    let attempt_summary = format!(
        "{} attempts: {} running, {} done, {} crashed, {} killed by a backup, {} finished maps lost with their worker",
        w.attempts().len(), counts[0].1, counts[1].1, counts[2].1, counts[3].1, counts[4].1
    );
    let ((_, _, maps_done), (_, _, reduces_done)) = w.progress();
    let j = w.journey(word);
    let journey = if word.is_empty() {
        "Type a word to follow it through map, shuffle and reduce.".to_string()
    } else {
        let maps = if j.from_maps.is_empty() {
            "no finished map task emitted it yet".to_string()
        } else {
            let list: Vec<String> = j
                .from_maps
                .iter()
                .take(8)
                .map(|(m, n)| format!("m{m} ({n})"))
                .collect();
            format!(
                "emitted by {} map task(s): {}{}",
                j.from_maps.len(),
                list.join(", "),
                if j.from_maps.len() > 8 { ", …" } else { "" }
            )
        };
        let value = match &j.value {
            Some(v) => format!("committed value: {v}"),
            None => "not committed yet".to_string(),
        };
        format!(
            "“{}”: {maps} → shuffled to reducer r{} → {value}",
            j.word, j.partition
        )
    };
    let verified = w
        .committed_keys()
        .map(|n| format!("{n} keys committed; every key in exactly one partition ✓"));
    let counters = w.counters();
    View {
        maps: c.maps.len(),
        maps_done,
        reduces_done,
        split_states,
        split_titles,
        gantt,
        attempt_summary,
        matrix: HeatmapData {
            rows: w.shuffle_matrix(),
            row_label: "maps",
            col_label: "reducers →",
        },
        bytes_shuffled: counters.bytes_shuffled,
        journey,
        top: w.top(12),
        verified,
        finished_s: w.finished_at().map_or(now, |t| t.as_secs_f64()),
        lost_outputs: counters.lost_map_outputs,
        killed: counters.killed_attempts,
        backups: counters.backup_tasks,
        hash: w.trace_hash(),
    }
}

fn controls(
    lab: &Lab<MapReduceScenario, MapReduceWorld>,
    s: &MapReduceScenario,
    texts: &Texts,
) -> Html {
    let on_job = lab.edit(|s: &mut MapReduceScenario, v: String| {
        s.job = match v.as_str() {
            "indexer" => Job::Indexer,
            "grep" => Job::Grep {
                pattern: "whale".into(),
            },
            "logs" => Job::Logs,
            _ => Job::WordCount,
        };
        if s.job == Job::Logs {
            s.inputs = vec!["sample-app.log".into()];
        } else if s.inputs == ["sample-app.log"] {
            s.inputs = CORPUS.iter().map(|c| c.to_string()).collect();
        }
    });
    let on_job = Callback::from(move |e: Event| {
        let sel: HtmlSelectElement = e.target_unchecked_into();
        on_job.emit(sel.value());
    });
    let on_pattern = lab.edit(|s: &mut MapReduceScenario, v: String| {
        if !v.is_empty() && v.len() <= 200 {
            s.job = Job::Grep { pattern: v };
        }
    });
    let slider = |label: &'static str,
                  id: &'static str,
                  value: u32,
                  min: u32,
                  max: u32,
                  f: fn(&mut MapReduceScenario, u32)| {
        let set = lab.edit(move |s: &mut MapReduceScenario, v: u32| f(s, v.clamp(min, max)));
        let oninput = Callback::from(move |e: InputEvent| {
            let i: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = i.value().parse::<u32>() {
                set.emit(v);
            }
        });
        html! {
            <label class="control">
                <span class="control-label">{ label }<output>{ value }</output></span>
                <input type="range" data-testid={format!("control-{id}")} min={min.to_string()} max={max.to_string()} value={value.to_string()} {oninput} />
            </label>
        }
    };
    let toggle = |label: &'static str,
                  id: &'static str,
                  on: bool,
                  f: fn(&mut MapReduceScenario, bool)| {
        let set = lab.edit(move |s: &mut MapReduceScenario, v: bool| f(s, v));
        let onchange = Callback::from(move |e: Event| {
            let i: HtmlInputElement = e.target_unchecked_into();
            set.emit(i.checked());
        });
        html! { <label class="check"><input type="checkbox" data-testid={format!("control-{id}")} checked={on} {onchange} />{ label }</label> }
    };
    let split_choices = [16u32, 32, 64, 128, 256, 512, 1024];
    let on_split = lab.edit(|s: &mut MapReduceScenario, v: u32| s.split_kb = v);
    let on_split = Callback::from(move |e: Event| {
        let sel: HtmlSelectElement = e.target_unchecked_into();
        if let Ok(v) = sel.value().parse() {
            on_split.emit(v);
        }
    });
    let on_crash = lab.edit(|s: &mut MapReduceScenario, v: f64| s.crash_prob = v);
    let on_crash = Callback::from(move |e: InputEvent| {
        let i: HtmlInputElement = e.target_unchecked_into();
        if let Ok(v) = i.value().parse::<f64>() {
            on_crash.emit(v.clamp(0.0, 0.5));
        }
    });
    let input_box = |name: &str| {
        let key = name.strip_suffix(".txt").unwrap_or(name).to_string();
        let on = s.inputs.contains(&key);
        let k2 = key.clone();
        let set = lab.edit(move |s: &mut MapReduceScenario, v: bool| {
            if v {
                if !s.inputs.contains(&k2) {
                    s.inputs.push(k2.clone());
                }
            } else if s.inputs.len() > 1 {
                s.inputs.retain(|i| *i != k2);
            }
        });
        let onchange = Callback::from(move |e: Event| {
            let i: HtmlInputElement = e.target_unchecked_into();
            set.emit(i.checked());
        });
        let kb = texts
            .iter()
            .find(|(n, _)| n == name)
            .map_or(0, |(_, t)| t.len() / 1024);
        html! { <label class="check small"><input type="checkbox" checked={on} {onchange} />{ format!("{key} ({kb} KB)") }</label> }
    };
    html! {
        <section class="panel controls" aria-label="Job settings">
            <h2>{ "Job" }</h2>
            <label class="field"><span>{ "Job" }</span>
                <select data-testid="control-job" onchange={on_job}>
                    { for [("wordcount", "word count"), ("indexer", "inverted index"), ("grep", "grep"), ("logs", "log analysis")].iter().map(|(v, l)| html! {
                        <option value={*v} selected={s.job.name() == *v}>{ *l }</option>
                    }) }
                </select>
            </label>
            if let Job::Grep { pattern } = &s.job {
                <label class="field"><span>{ "Pattern" }</span>
                    <input type="text" value={pattern.clone()} onchange={Callback::from(move |e: Event| {
                        let i: HtmlInputElement = e.target_unchecked_into(); on_pattern.emit(i.value()); })} /></label>
            }
            <details class="inputs" open={false}>
                <summary>{ format!("Inputs: {} file(s)", s.inputs.len()) }</summary>
                { for texts.iter().map(|(n, _)| input_box(n)) }
            </details>
            { slider("Workers", "workers", s.workers, 1, 16, |s, v| s.workers = v) }
            { slider("Reducers", "reducers", s.reducers, 1, 16, |s, v| s.reducers = v) }
            <label class="field"><span>{ "Split size" }</span>
                <select data-testid="control-split" onchange={on_split}>
                    { for split_choices.iter().map(|k| html! { <option value={k.to_string()} selected={*k == s.split_kb}>{ format!("{k} KB") }</option> }) }
                </select>
            </label>
            { toggle("Combiner (sum on the map side)", "combiner", s.combiner, |s, v| s.combiner = v) }
            { toggle("Speculative backup tasks", "spec", s.speculative, |s, v| s.speculative = v) }
            <label class="control">
                <span class="control-label">{ "Crash probability per attempt" }<output>{ format!("{:.0}%", s.crash_prob * 100.0) }</output></span>
                <input type="range" data-testid="control-crash" min="0" max="0.5" step="0.05" value={s.crash_prob.to_string()} oninput={on_crash} />
            </label>
        </section>
    }
}

fn upload_box(
    lab: &Lab<MapReduceScenario, MapReduceWorld>,
    msg: &UseStateHandle<Option<Result<String, String>>>,
) -> Html {
    let add = lab.edit(|s: &mut MapReduceScenario, name: String| {
        if !s.inputs.contains(&name) {
            s.inputs.push(name);
        }
    });
    let onchange = {
        let msg = msg.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            let msg = msg.clone();
            let add = add.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match crate::data::read_upload(file).await {
                    Ok((name, text)) => {
                        let kb = text.len() / 1024;
                        crate::data::add_upload(name.clone(), text);
                        msg.set(Some(Ok(format!("Added {name} ({kb} KB) as an input."))));
                        add.emit(name);
                    }
                    Err(e) => msg.set(Some(Err(e))),
                }
            });
        })
    };
    html! {
        <section class="panel" aria-label="Your own file">
            <h2>{ "Your own file" }</h2>
            <input type="file" accept=".txt,.csv,.log" data-testid="upload" {onchange} aria-label="Add a text file as input" />
            <p class="muted small">{ "A .txt, .csv or .log file of up to 8 MiB. It stays in your browser and is not part of the share link." }</p>
            { match &**msg {
                Some(Ok(m)) => html! { <p class="small" role="status">{ m }</p> },
                Some(Err(e)) => html! { <p class="field-error" role="alert" data-testid="upload-error">{ e }</p> },
                None => html! {},
            } }
        </section>
    }
}

fn live_faults(
    lab: &Lab<MapReduceScenario, MapReduceWorld>,
    s: &MapReduceScenario,
    target: &UseStateHandle<usize>,
) -> Html {
    let t = (**target).min(s.workers as usize - 1);
    let on_target = {
        let target = target.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            target.set(sel.value().parse().unwrap_or(0));
        })
    };
    let crash = lab.command(move |w: &mut MapReduceWorld, _: MouseEvent| w.crash_worker_now(t));
    let restart = lab.command(move |w: &mut MapReduceWorld, _: MouseEvent| w.restart_worker_now(t));
    let slow = lab.command(move |w: &mut MapReduceWorld, _: MouseEvent| w.slow_worker_now(t, 10.0));
    html! {
        <section class="panel" aria-label="Inject a fault">
            <h2>{ "Inject a fault now" }</h2>
            <label class="field"><span>{ "Worker" }</span>
                <select data-testid="fault-target" onchange={on_target}>
                    { for (0..s.workers as usize).map(|i| html! { <option value={i.to_string()} selected={i == t}>{ format!("worker-{}", i + 1) }</option> }) }
                </select>
            </label>
            <div class="fault-row">
                <button class="btn fault" data-testid="fault-crash" onclick={crash}>{ "Crash worker now" }</button>
                <button class="btn fault" data-testid="fault-slow" onclick={slow}>{ "Slow ×10" }</button>
                <button class="btn" data-testid="fault-restart" onclick={restart}>{ "Restart" }</button>
            </div>
            <p class="muted small">{ "A crashed machine loses the map output on its disk. Crashes drawn from the probability slider only kill the worker process, which restarts on the same machine a few seconds later." }</p>
        </section>
    }
}

fn explain() -> Vec<Explain> {
    vec![
        Explain { heading: "Split, map, shuffle, reduce",
            body: "The input is cut into splits, one map task each. A map task reads its split and emits key–value pairs (for word count: each word with a 1). Every pair is routed by a hash of its key to one of R reduce partitions; the shuffle moves each partition's pairs to the reducer that owns it, sorted so equal keys sit together; the reducer combines each key's values and writes one output file per partition. Every key ends up in exactly one file." },
        Explain { heading: "The coordinator and failures",
            body: "A coordinator hands tasks to idle workers and listens for their heartbeats. When a worker falls silent it re-queues the task that worker was running, and, because finished map output sits on the worker's own disk, it also re-runs the maps that worker had finished. Reduce output is committed once per partition, so re-running never duplicates a key: the answer is exactly the same as a single computer counting the whole text." },
        Explain { heading: "Combiner, reducers, stragglers",
            body: "A combiner runs the reduce logic on the map side, so a book's 4,000 copies of “the” travel as one record. More reducers split the reduce phase into more parallel pieces, until there are more pieces than workers. A slow machine (a straggler) can hold up the whole job; near the end, the coordinator can launch backup copies of the slowest tasks and keep whichever finishes first." },
    ]
}

fn real_names() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "reducers",
            "mapreduce.job.reduces (Hadoop), spark.sql.shuffle.partitions / numPartitions (Spark)",
        ),
        (
            "split size",
            "mapreduce.input.fileinputformat.split.maxsize; HDFS block size",
        ),
        (
            "combiner",
            "Job.setCombinerClass (Hadoop); reduceByKey does it for you (Spark)",
        ),
        (
            "speculative backups",
            "mapreduce.map.speculative, spark.speculation",
        ),
        (
            "coordinator / workers",
            "JobTracker/ResourceManager and TaskTrackers/NodeManagers; Spark driver and executors",
        ),
        (
            "heartbeat timeout",
            "mapreduce.task.timeout, spark.network.timeout",
        ),
    ]
}

/// "Run this on Spark": the current job as a PySpark script, and a real run's log to compare.
fn run_on_spark(s: &MapReduceScenario) -> Html {
    let script = scalelab_engine::mapreduce::pyspark::script(&s.job, s.reducers, "out");
    html! {
        <section class="panel" aria-label="Run this on Spark" data-testid="run-on-spark">
            <h2>{ "Run this on Spark" }</h2>
            { match script {
                Ok(text) => html! {
                    <>
                        <a class="btn" download="job.py" data-testid="mr-download-job"
                            href={format!("data:text/x-python;charset=utf-8,{}", js_sys::encode_uri_component(&text))}>
                            { format!("Download job.py ({}, {} partitions)", s.job.name(), s.reducers) }</a>
                        <p class="small muted">{ "spark-submit job.py FILE… writes out/part-00000 … in the same format as this lab, with event logging on. The Tools page imports that log and explains its stages." }</p>
                    </>
                },
                Err(e) => html! { <p class="small muted">{ e }</p> },
            } }
            <details><summary>{ "Compare with a real Spark run" }</summary>
                <super::sparklog::SparkLogView testid="mr-spark-log" />
            </details>
        </section>
    }
}
