//! `scalelab sparklog FILE`: a Spark event log (JSON lines, `.zst`/`.zstd`, or a Spark 4
//! `eventlog_v2_*` folder of rolling files) summarised per stage, as text or JSON.

use crate::CliError;
use clap::Args;
use scalelab_engine::sparklog::parse::text_of;
use scalelab_engine::sparklog::{executors, stage_stats, summary, Parser};
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct SparklogArgs {
    /// The event log file, or an `eventlog_v2_<app id>` folder.
    file: PathBuf,
    #[arg(long)]
    json: bool,
}

/// The files of a log: the file itself, or a rolling-log folder's `events_N_*` files in order.
fn parts(path: &Path) -> Result<Vec<PathBuf>, CliError> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<(u64, PathBuf)> = std::fs::read_dir(path)
        .map_err(|e| CliError::usage(format!("{}: {e}", path.display())))?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            let n = name
                .strip_prefix("events_")?
                .split('_')
                .next()?
                .parse()
                .ok()?;
            Some((n, e.path()))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(CliError::usage(format!(
            "{}: no events_N_* files in this folder",
            path.display()
        )));
    }
    Ok(files.into_iter().map(|(_, p)| p).collect())
}

pub fn run(a: SparklogArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let mut p = Parser::new();
    for f in parts(&a.file)? {
        let bytes =
            std::fs::read(&f).map_err(|e| CliError::usage(format!("{}: {e}", f.display())))?;
        let text = text_of(&bytes).map_err(|e| CliError::usage(format!("{}: {e}", f.display())))?;
        p.feed(&text);
        if !text.ends_with('\n') {
            p.feed("\n");
        }
    }
    let log = p.finish();
    let stats = stage_stats(&log);
    let failed = log.tasks.iter().filter(|t| t.failed()).count();
    if a.json {
        let stages: Vec<_> = stats
            .iter()
            .map(|s| {
                json!({
                    "stage_id": s.id, "attempt": s.attempt, "name": s.name, "tasks": s.tasks,
                    "failed_tasks": s.failed, "speculative_tasks": s.speculative,
                    "duration_ms": s.duration_ms,
                    "min": s.min_ms, "p50": s.p50_ms, "max": s.max_ms,
                    "task_time_ms": {"min": s.min_ms, "p50": s.p50_ms, "max": s.max_ms},
                    "skew": s.skew,
                    "shuffle_read_bytes": s.shuffle_read_bytes,
                    "shuffle_write_bytes": s.shuffle_write_bytes,
                    "input_bytes": s.input_bytes,
                    "stragglers": s.stragglers.iter().map(|x| json!({
                        "index": x.index, "attempt": x.attempt, "executor": x.executor,
                        "duration_ms": x.duration_ms, "shuffle_read_bytes": x.shuffle_read_bytes,
                        "times_median": x.times_median, "read_times_median": x.read_times_median,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let v = json!({
            "app_id": log.app_id,
            "app_name": log.app_name,
            "spark_version": log.spark_version,
            "duration_ms": (log.end_ms - log.start_ms).max(0),
            "jobs": log.jobs.len(),
            "stages": stages,
            "tasks": log.tasks.len(),
            "failed_tasks": failed,
            "executors": executors(&log),
            "skipped_events": log.skipped,
            "errors": log.errors.iter().map(|(n, m)| json!({"line": n, "message": m})).collect::<Vec<_>>(),
            "lines": log.lines,
            "summary": summary(&log, &stats),
        });
        writeln!(out, "{v}")?;
        return Ok(());
    }
    writeln!(
        out,
        "{} ({}), Spark {}: {} job(s), {} stage attempt(s), {} task ends ({} failed), executors {}",
        log.app_name,
        log.app_id,
        log.spark_version,
        log.jobs.len(),
        stats.len(),
        log.tasks.len(),
        failed,
        executors(&log).join(", ")
    )?;
    for s in &stats {
        writeln!(
            out,
            "  stage {}.{} {:<40} {:>4} tasks {:>8} ms  task min/p50/max {}/{}/{} ms  skew {:.1}×  shuffle read {} B write {} B",
            s.id, s.attempt, s.name, s.tasks, s.duration_ms, s.min_ms, s.p50_ms, s.max_ms, s.skew,
            s.shuffle_read_bytes, s.shuffle_write_bytes
        )?;
    }
    for line in summary(&log, &stats) {
        writeln!(out, "  {line}")?;
    }
    for (n, m) in &log.errors {
        writeln!(out, "  line {n}: {m}")?;
    }
    Ok(())
}
