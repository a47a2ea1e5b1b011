//! `scalelab mapreduce`: a real job over real files on the simulated cluster. Output files use
//! the format of Hadoop/6.824 reducers: `DIR/part-00000` … with `key<TAB>value` lines, so two
//! runs (or a Spark run of the exported script) can be compared with `diff`.

use crate::CliError;
use clap::{Args, ValueEnum};
use scalelab_engine::mapreduce::upload::validate_upload;
use scalelab_engine::mapreduce::{Input, Job, MapReduceScenario, MapReduceWorld};
use scalelab_engine::sim::{FaultPlan, LabWorld, Scenario};
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, ValueEnum)]
enum JobArg {
    Wordcount,
    Indexer,
    Grep,
    Logs,
}

#[derive(Args, Debug)]
pub struct MapReduceArgs {
    /// The job: word count, inverted index, grep (needs --pattern) or log analysis.
    #[arg(long, value_enum, default_value = "wordcount")]
    job: JobArg,
    /// Input files (.txt, .csv, .log; up to 8 MiB each).
    #[arg(long, num_args = 1.., required = true)]
    input: Vec<PathBuf>,
    /// Simulated workers.
    #[arg(long, default_value_t = 4)]
    workers: u32,
    /// Reduce partitions (= part files).
    #[arg(long, default_value_t = 4)]
    reducers: u32,
    /// Split size in KiB (splits end at a line break or word boundary).
    #[arg(long = "split-kb", default_value_t = 256)]
    split_kb: u32,
    /// Combine on the map side (sum counts before the shuffle).
    #[arg(long)]
    combiner: bool,
    /// Probability that a worker crashes during any one task attempt (0..=0.9).
    #[arg(long = "crash-prob", default_value_t = 0.0)]
    crash_prob: f64,
    /// Launch backup copies of straggling tasks.
    #[arg(long)]
    speculative: bool,
    /// Literal pattern for --job grep.
    #[arg(long)]
    pattern: Option<String>,
    /// Fault plan, e.g. `crash:worker-2@3s+5s,slow:worker-1*10@0s`.
    #[arg(long, default_value = "")]
    faults: String,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Output directory for part-00000 … part-{R-1}.
    #[arg(long)]
    out: PathBuf,
    /// Print one JSON object with the counters and the trace hash.
    #[arg(long)]
    json: bool,
}

pub fn run(a: MapReduceArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let job = match a.job {
        JobArg::Wordcount => Job::WordCount,
        JobArg::Indexer => Job::Indexer,
        JobArg::Logs => Job::Logs,
        JobArg::Grep => Job::Grep {
            pattern: a
                .pattern
                .clone()
                .ok_or_else(|| CliError::usage("--job grep needs --pattern TEXT"))?,
        },
    };
    let mut inputs = Vec::new();
    for path in &a.input {
        let bytes = std::fs::read(path)
            .map_err(|e| CliError::usage(format!("--input {}: {e}", path.display())))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = validate_upload(&name, &bytes)
            .map_err(|e| CliError::usage(format!("--input {}: {}", path.display(), e.message)))?;
        inputs.push(Input::new(name, text));
    }
    let faults =
        FaultPlan::parse("--faults", &a.faults).map_err(|e| CliError::usage(e.to_string()))?;
    let scenario = MapReduceScenario {
        seed: a.seed,
        job,
        inputs: inputs.iter().map(|i| i.name.clone()).collect(),
        workers: a.workers,
        reducers: a.reducers,
        split_kb: a.split_kb,
        combiner: a.combiner,
        speculative: a.speculative,
        crash_prob: a.crash_prob,
        faults,
    };
    scenario.validate().map_err(|e| {
        crate::flag_errors(
            e,
            &[
                ("split_kb", "--split-kb"),
                ("crash", "--crash-prob"),
                ("workers", "--workers"),
                ("reducers", "--reducers"),
                ("faults", "--faults"),
                ("pattern", "--pattern"),
                ("inputs", "--input"),
            ],
        )
    })?;
    let mut world = MapReduceWorld::new(&scenario, inputs);
    world.run_to_end();
    if world.stalled() {
        return Err(CliError {
            code: 1,
            message: "the job stalled: every worker is down and none will restart (see --faults)"
                .into(),
        });
    }
    std::fs::create_dir_all(&a.out)
        .map_err(|e| CliError::usage(format!("--out {}: {e}", a.out.display())))?;
    for (r, part) in world.parts().into_iter().enumerate() {
        let mut text = String::new();
        for (k, v) in part.unwrap_or_default() {
            text.push_str(k);
            text.push('\t');
            text.push_str(v);
            text.push('\n');
        }
        std::fs::write(a.out.join(format!("part-{r:05}")), text)?;
    }
    let c = world.counters();
    let m = world.metrics();
    let sim_ms = world.finished_at().map_or(0.0, |t| t.as_millis_f64());
    if a.json {
        let v = json!({
            "job": scenario.job.name(),
            "inputs": scenario.inputs,
            "workers": scenario.workers,
            "map_tasks": c.map_tasks,
            "reduce_tasks": c.reduce_tasks,
            "attempts": c.attempts,
            "reexecuted_tasks": c.reexecuted_tasks,
            "crashes": c.crashes,
            "backup_tasks": c.backup_tasks,
            "killed_attempts": c.killed_attempts,
            "lost_map_outputs": c.lost_map_outputs,
            "bytes_shuffled": c.bytes_shuffled,
            "map_records_in": c.map_records_in,
            "map_records_out": c.map_records_out,
            "reduce_records_in": c.reduce_records_in,
            "reduce_records_out": c.reduce_records_out,
            "sim_duration_ms": sim_ms,
            "task_p50_ms": m.latency_p50_ms,
            "task_p99_ms": m.latency_p99_ms,
            "utilization": m.utilization,
            "events": world.events(),
            "trace_hash": world.trace_hash(),
        });
        writeln!(out, "{v}")?;
    } else {
        writeln!(
            out,
            "{} on {} input(s): {} map + {} reduce tasks on {} workers",
            scenario.job.name(),
            scenario.inputs.len(),
            c.map_tasks,
            c.reduce_tasks,
            scenario.workers
        )?;
        writeln!(out, "  attempts {} (re-executed {}, backups {}, killed {}), crashes {}, lost map outputs {}",
            c.attempts, c.reexecuted_tasks, c.backup_tasks, c.killed_attempts, c.crashes, c.lost_map_outputs)?;
        writeln!(
            out,
            "  bytes shuffled {}, output keys {}",
            c.bytes_shuffled, c.reduce_records_out
        )?;
        writeln!(
            out,
            "  simulated duration {:.1} ms; trace {}",
            sim_ms,
            world.trace_hash()
        )?;
        writeln!(
            out,
            "  wrote {}/part-00000 … part-{:05}",
            a.out.display(),
            scenario.reducers - 1
        )?;
    }
    Ok(())
}

#[derive(Args, Debug)]
pub struct GenLogsArgs {
    /// Number of log lines.
    #[arg(long, default_value_t = 3000)]
    lines: usize,
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

/// `scalelab gen-logs`: the deterministic sample log for the log-analysis job.
pub fn gen_logs(a: GenLogsArgs, out: &mut dyn Write) -> Result<(), CliError> {
    if a.lines == 0 || a.lines > 10_000_000 {
        return Err(CliError::usage("--lines: must be between 1 and 10000000"));
    }
    out.write_all(scalelab_engine::mapreduce::logs::generate(a.seed, a.lines).as_bytes())?;
    Ok(())
}
