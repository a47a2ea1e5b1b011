//! `scalelab`: the engine, headless. Every lab scenario can be run, tested and benchmarked from
//! the command line with the same code and the same trace hash as the page.
//!
//! The binary is a thin `main` over [`run`], so tests (and the e2e suite) call exactly what a
//! user types without spawning a process.

mod demo;
mod drill;
mod export;
mod link;
mod mapreduce;
mod mmc;
mod pipeline;
mod queue;
mod scaling;
mod sparklog;

use clap::{Parser, Subcommand};
use std::ffi::OsString;
use std::io::{BufRead, Write};

#[derive(Parser, Debug)]
#[command(
    name = "scalelab",
    version,
    about = "Run ScaleLab's engines headless: the same scenarios, numbers and trace hashes as the app",
    long_about = None
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// The demo world: one server with a Poisson load and a bounded queue.
    Demo(demo::DemoArgs),
    /// MapReduce: a real job (word count, inverted index, grep, logs) on a simulated cluster.
    Mapreduce(mapreduce::MapReduceArgs),
    /// The M/M/c queue: simulated mean wait and percentiles next to Erlang C.
    Mmc(mmc::MmcArgs),
    /// Vertical vs horizontal scaling: one big machine or many behind a load balancer.
    Scaling(scaling::ScalingArgs),
    /// Message queue: a Kafka-like log or an SQS-like queue with consumers, faults and a DLQ.
    Queue(queue::QueueArgs),
    /// A reliability drill: a pipeline through a fault timeline, scored (`--ramp` for the stress ramp).
    Drill(drill::DrillArgs),
    /// The MapReduce job as a PySpark script (word count or inverted index).
    ExportPyspark(export::ExportArgs),
    /// Opens a share link headless: the lab's scenario from the URL, run to the end.
    Run(link::RunArgs),
    /// The performance lab: a daily report over a large table, with or without optimisations.
    Pipeline(pipeline::PipelineArgs),
    /// Reads a Spark event log (JSON lines, zstd, or an eventlog_v2 folder) and summarises it.
    Sparklog(sparklog::SparklogArgs),
    /// Reads keys from stdin (one per line) and prints `key<TAB>partition`.
    Partition(queue::PartitionArgs),
    /// Writes the sample access log used by the log-analysis job.
    GenLogs(mapreduce::GenLogsArgs),
}

/// What went wrong, with the exit code `main` should use.
#[derive(Debug)]
pub struct CliError {
    pub code: i32,
    pub message: String,
}

impl CliError {
    pub fn usage(message: impl Into<String>) -> Self {
        CliError {
            code: 2,
            message: message.into(),
        }
    }
    pub fn io(e: std::io::Error) -> Self {
        CliError {
            code: 1,
            message: format!("I/O error: {e}"),
        }
    }
}

/// Turns a scenario's validation errors into a usage error that names the flags the user
/// typed (`--workers`) instead of the scenario's field names (`workers`).
pub(crate) fn flag_errors(
    e: scalelab_engine::sim::ValidationErrors,
    flags: &[(&str, &str)],
) -> CliError {
    let msg =
        e.0.iter()
            .map(|fe| {
                let flag = flags
                    .iter()
                    .find(|(field, _)| *field == fe.field)
                    .map_or(fe.field.as_str(), |(_, flag)| flag);
                format!("{flag}: {}", fe.message)
            })
            .collect::<Vec<_>>()
            .join("; ");
    CliError::usage(msg)
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::io(e)
    }
}

/// Parses `args` (including the program name) and runs the command, writing to `out`; commands
/// that read input read standard input. `--help` and `--version` go to `out` and succeed.
pub fn run<I, T>(args: I, out: &mut dyn Write) -> Result<(), CliError>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    run_with_input(args, &mut input, out)
}

/// Like [`run`], reading input from `input` instead of standard input.
pub fn run_with_input<I, T>(
    args: I,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> Result<(), CliError>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    write!(out, "{e}")?;
                    Ok(())
                }
                _ => Err(CliError::usage(e.to_string())),
            };
        }
    };
    match cli.command {
        Command::Demo(a) => demo::run(a, out),
        Command::Mapreduce(a) => mapreduce::run(a, out),
        Command::GenLogs(a) => mapreduce::gen_logs(a, out),
        Command::Mmc(a) => mmc::run(a, out),
        Command::Scaling(a) => scaling::run(a, out),
        Command::Queue(a) => queue::run(a, out),
        Command::Drill(a) => drill::run(a, out),
        Command::ExportPyspark(a) => export::run(a, out),
        Command::Run(a) => link::run(a, out),
        Command::Pipeline(a) => pipeline::run(a, out),
        Command::Sparklog(a) => sparklog::run(a, out),
        Command::Partition(a) => queue::partition(a, input, out),
    }
}

/// Runs and captures stdout as a string (for tests and the e2e suite).
pub fn run_to_string<I, T>(args: I) -> Result<String, CliError>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let mut buf = Vec::new();
    run(args, &mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}
