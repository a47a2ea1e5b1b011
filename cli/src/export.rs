//! `scalelab export-pyspark`: the MapReduce lab's job as a PySpark script on standard output.

use crate::CliError;
use clap::{Args, ValueEnum};
use scalelab_engine::mapreduce::job::Job;
use scalelab_engine::mapreduce::pyspark::{readme, script};
use std::io::Write;

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ExportJob {
    Wordcount,
    Indexer,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value = "wordcount")]
    job: ExportJob,
    /// Reduce partitions (`numPartitions`), 1–64 as in the lab.
    #[arg(long, default_value_t = 4)]
    reducers: u32,
    /// Where the script writes its part files unless told otherwise.
    #[arg(long, default_value = "out")]
    out: String,
    /// Print the README (how to run it, how to import its event log) instead of the script.
    #[arg(long)]
    readme: bool,
}

pub fn run(a: ExportArgs, out: &mut dyn Write) -> Result<(), CliError> {
    if !(1..=64).contains(&a.reducers) {
        return Err(CliError::usage(format!(
            "--reducers: must be between 1 and 64 (got {})",
            a.reducers
        )));
    }
    let job = match a.job {
        ExportJob::Wordcount => Job::WordCount,
        ExportJob::Indexer => Job::Indexer,
    };
    if a.readme {
        write!(out, "{}", readme(&job, a.reducers))?;
        return Ok(());
    }
    let text = script(&job, a.reducers, &a.out).map_err(CliError::usage)?;
    write!(out, "{text}")?;
    Ok(())
}
