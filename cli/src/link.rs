//! `scalelab run --link URL`: opens a share link headless. The part after `#` names the lab and
//! carries its scenario; the same parsing as the page (invalid fields fall back to defaults and
//! are listed), the same engine, run to the end, the same trace hash the page shows.

use crate::CliError;
use clap::Args;
use scalelab_engine::cache::{CacheScenario, CacheWorld};
use scalelab_engine::dag::{DagScenario, DagWorld};
use scalelab_engine::demo::{DemoScenario, DemoWorld};
use scalelab_engine::drills::{DrillScenario, DrillWorld};
use scalelab_engine::mapreduce::{Input, MapReduceScenario, MapReduceWorld};
use scalelab_engine::partition::{PartitionScenario, PartitionWorld};
use scalelab_engine::pipeline::{PipelineScenario, PipelineWorld};
use scalelab_engine::queue::{QueueScenario, QueueWorld};
use scalelab_engine::scaling::{PairScenario, PairWorld};
use scalelab_engine::sim::params::Params;
use scalelab_engine::sim::{FieldError, LabWorld, Scenario};
use scalelab_engine::stream::{StreamScenario, StreamWorld};
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct RunArgs {
    /// A share link, e.g. `http://host/#/queues?partitions=8&seed=3` (or just `#/queues?…`).
    #[arg(long)]
    link: String,
    /// Where the shipped texts live (the MapReduce lab's inputs): `corpus/` and `logs/`.
    #[arg(long, default_value = "static/data")]
    data: PathBuf,
    #[arg(long)]
    json: bool,
}

/// Splits a link into the lab's slug and its parameters (view flags removed).
pub fn parse_link(link: &str) -> Result<(String, Params), String> {
    let frag = link.split_once('#').map_or(link, |(_, f)| f);
    let frag = frag.trim_start_matches('/');
    let (slug, query) = frag.split_once('?').unwrap_or((frag, ""));
    if slug.is_empty() {
        return Err("the link names no lab (expected …#/<lab>?…)".into());
    }
    let mut p = Params::parse(query);
    for k in scalelab_engine::sim::params::VIEW_KEYS {
        p.remove(k);
    }
    Ok((slug.to_string(), p))
}

fn run_world<S: Scenario, W: LabWorld>(
    params: &Params,
    build: impl Fn(&S) -> W,
) -> (W, Vec<FieldError>, Params) {
    let (s, errors) = S::from_params(params);
    let mut w = build(&s);
    while !w.is_done() {
        let a = w.advance(scalelab_engine::sim::SimTime::MAX, u64::MAX);
        if a.events == 0 {
            break;
        }
    }
    (w, errors, s.to_params())
}

fn inputs(dir: &std::path::Path, s: &MapReduceScenario) -> Vec<Input> {
    s.inputs
        .iter()
        .filter_map(|n| {
            let f = if n.contains('.') {
                n.clone()
            } else {
                format!("{n}.txt")
            };
            let sub = if f.ends_with(".log") {
                "logs"
            } else {
                "corpus"
            };
            let text = std::fs::read_to_string(dir.join(sub).join(&f)).ok()?;
            Some(Input::new(f, text))
        })
        .collect()
}

pub fn run(a: RunArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let (slug, params) =
        parse_link(&a.link).map_err(|e| CliError::usage(format!("--link: {e}")))?;
    macro_rules! go {
        ($build:expr) => {{
            let (w, e, p) = run_world(&params, $build);
            (
                w.trace_hash(),
                w.metrics(),
                w.events(),
                w.now().as_secs_f64(),
                e,
                p,
            )
        }};
    }
    let data = a.data.clone();
    let (hash, metrics, events, sim_s, errors, canonical) = match slug.as_str() {
        "scaling" => go!(|s: &PairScenario| PairWorld::new(s)),
        "batch-stream" => go!(|s: &StreamScenario| StreamWorld::new(s)),
        "partitioning" => go!(|s: &PartitionScenario| PartitionWorld::new(s)),
        "mapreduce" => go!(|s: &MapReduceScenario| MapReduceWorld::new(s, inputs(&data, s))),
        "queues" => go!(|s: &QueueScenario| QueueWorld::new(s)),
        "caching" => go!(|s: &CacheScenario| CacheWorld::new(s)),
        "performance" => go!(|s: &PipelineScenario| PipelineWorld::new(s)),
        "drills" => go!(|s: &DrillScenario| DrillWorld::new(s)),
        "tools" => go!(|s: &DagScenario| DagWorld::new(s)),
        "sandbox" => go!(|s: &DemoScenario| DemoWorld::new(s)),
        other => {
            return Err(CliError::usage(format!(
                "--link: `{other}` is not a lab (scaling, batch-stream, partitioning, mapreduce, queues, caching, performance, drills, tools, sandbox)"
            )))
        }
    };
    if a.json {
        let v = json!({
            "lab": slug,
            "params": canonical.encode(),
            "url_errors": errors.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
            "sim_time_s": sim_s,
            "events": events,
            "metrics": metrics,
            "trace_hash": hash,
        });
        writeln!(out, "{v}")?;
    } else {
        for e in &errors {
            writeln!(out, "link: {e} (the default was used)")?;
        }
        writeln!(
            out,
            "{slug}: {events} events, {sim_s:.3} simulated s, trace hash {hash}"
        )?;
    }
    Ok(())
}
