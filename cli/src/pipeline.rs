//! `scalelab pipeline`: the performance lab's daily report, run with a chosen set of
//! optimisations; `--compare` measures each optimisation on and off against the same data.

use crate::CliError;
use clap::Args;
use scalelab_engine::pipeline::world::{measure, Measured};
use scalelab_engine::pipeline::{Opts, PipelineScenario, PipelineWorld};
use scalelab_engine::sim::{LabWorld, Scenario};
use serde_json::{json, Value};
use std::io::Write;

#[derive(Args, Debug)]
pub struct PipelineArgs {
    /// Optimisations: `all`, `none`, or a comma list of filter-early, broadcast, combiner,
    /// incremental, cache, columnar, compression, compact-files, pruning.
    #[arg(long, default_value = "none")]
    opts: String,
    #[arg(long, default_value_t = 90)]
    days: u32,
    #[arg(long = "orders-per-day", default_value_t = 2_000)]
    orders_per_day: u32,
    /// Real orders each generated row stands for.
    #[arg(long, default_value_t = 5_000)]
    scale: u32,
    #[arg(long, default_value_t = 20_000)]
    customers: u32,
    /// Zipf exponent of orders per customer.
    #[arg(long, default_value_t = 1.0)]
    skew: f64,
    /// Days the report covers.
    #[arg(long, default_value_t = 7)]
    window: u32,
    #[arg(long, default_value_t = 10)]
    executors: u32,
    #[arg(long, default_value_t = 4)]
    cores: u32,
    /// Tasks per shuffle stage.
    #[arg(long = "shuffle-partitions", default_value_t = 200)]
    shuffle_partitions: u32,
    /// Files of the orders table when it is not compacted.
    #[arg(long = "small-files", default_value_t = 10_000)]
    small_files: u32,
    #[arg(long = "usd-per-executor-hour", default_value_t = 0.40)]
    usd: f64,
    /// Also measure every optimisation on and off.
    #[arg(long)]
    compare: bool,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    #[arg(long)]
    json: bool,
}

fn measured(m: &Measured) -> Value {
    json!({
        "duration_s": m.seconds, "bytes_read": m.read_bytes, "bytes_shuffled": m.shuffle_bytes,
        "cost_usd": m.cost_usd, "tasks": m.tasks, "report_matches_reference": m.verified,
    })
}

pub fn run(a: PipelineArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let opts = Opts::parse("--opts", &a.opts).map_err(|e| CliError::usage(e.to_string()))?;
    let s = PipelineScenario {
        seed: a.seed,
        days: a.days,
        orders_per_day: a.orders_per_day,
        scale: a.scale,
        customers: a.customers,
        skew: a.skew,
        window: a.window,
        executors: a.executors,
        cores: a.cores,
        shuffle_partitions: a.shuffle_partitions,
        small_files: a.small_files,
        usd_per_executor_hour: a.usd,
        opts,
    };
    s.validate().map_err(|e| {
        crate::flag_errors(
            e,
            &[
                ("days", "--days"),
                ("per_day", "--orders-per-day"),
                ("scale", "--scale"),
                ("customers", "--customers"),
                ("skew", "--skew"),
                ("window", "--window"),
                ("executors", "--executors"),
                ("cores", "--cores"),
                ("partitions", "--shuffle-partitions"),
                ("files", "--small-files"),
                ("usd", "--usd-per-executor-hour"),
            ],
        )
    })?;
    let mut w = PipelineWorld::new(&s);
    w.run_to_end();
    let plan = w.plan();
    let stages: Vec<Value> = plan
        .stages
        .iter()
        .enumerate()
        .map(|(i, st)| {
            json!({
                "name": st.name, "tasks": st.tasks.len(), "wall_s": w.stage_wall_s(i),
                "files": st.files, "bytes_read": st.read_bytes, "bytes_shuffled": st.shuffle_bytes,
                "rows_in": st.rows_in, "rows_out": st.rows_out,
            })
        })
        .collect();
    let hint = w.bottleneck();
    let comparisons = a.compare.then(|| {
        w.compare()
            .iter()
            .map(|c| json!({"opt": c.opt.key(), "off": measured(&c.off), "on": measured(&c.on)}))
            .collect::<Vec<_>>()
    });
    let baseline = measure(&s, &w.prepared, Opts::none());
    if a.json {
        let mut v = json!({
            "opts": s.opts.to_text(),
            "duration_s": w.job_time_s().unwrap_or(0.0),
            "bytes_read": plan.read_bytes(),
            "bytes_shuffled": plan.shuffle_bytes(),
            "cost_usd": w.cost_usd(),
            "tasks": plan.tasks(),
            "report_rows": plan.report.rows(),
            "report_matches_reference": w.verified(),
            "baseline": measured(&baseline),
            "bottleneck": hint.as_ref().map(|b| json!({
                "stage": b.name, "wall_s": b.wall_s, "share": b.share,
                "cause": format!("{:?}", b.cause).to_lowercase(), "skew": b.skew,
                "suggestion": b.suggestion.map(|o| o.key()),
            })),
            "stages": stages,
            "events": w.events(),
            "trace_hash": w.trace_hash(),
        });
        if let Some(c) = comparisons {
            v["compare"] = json!(c);
        }
        writeln!(out, "{v}")?;
        return Ok(());
    }
    let gb = |b: f64| b / 1e9;
    writeln!(
        out,
        "Daily report over {} days ({} orders), window {} days, {} executors × {} cores, optimisations: {}",
        s.days,
        s.rows() * u64::from(s.scale),
        s.window,
        s.executors,
        s.cores,
        s.opts.to_text()
    )?;
    for (i, st) in plan.stages.iter().enumerate() {
        writeln!(
            out,
            "  {:<34} {:>6} tasks {:>8.1} s  read {:>8.2} GB  shuffled {:>7.2} GB",
            st.name,
            st.tasks.len(),
            w.stage_wall_s(i),
            gb(st.read_bytes),
            gb(st.shuffle_bytes)
        )?;
    }
    writeln!(
        out,
        "job {:.1} s (baseline {:.1} s), read {:.2} GB, shuffled {:.2} GB, cost ${:.4}; report {} rows, {}",
        w.job_time_s().unwrap_or(0.0),
        baseline.seconds,
        gb(plan.read_bytes()),
        gb(plan.shuffle_bytes()),
        w.cost_usd(),
        plan.report.rows(),
        if w.verified() { "identical to the direct computation" } else { "DIFFERS from the direct computation" }
    )?;
    if let Some(b) = hint {
        writeln!(
            out,
            "slowest stage: {} ({:.0}% of the job, {:?}){}",
            b.name,
            b.share * 100.0,
            b.cause,
            b.suggestion
                .map(|o| format!("; try {}", o.key()))
                .unwrap_or_default()
        )?;
    }
    writeln!(out, "trace hash {}", w.trace_hash())?;
    Ok(())
}
