//! `scalelab demo`: the foundation's demo world, headless.

use crate::CliError;
use clap::Args;
use scalelab_engine::demo::{DemoScenario, DemoWorld};
use scalelab_engine::sim::{FaultPlan, LabWorld, Scenario};
use serde_json::json;
use std::io::Write;

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Scenario seed (same seed, same run, same trace hash as the page).
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Simulated seconds the load runs for; the queue then drains and the run ends.
    #[arg(long = "until-s", default_value_t = 120.0)]
    until_s: f64,
    /// Mean arrivals per simulated second (Poisson).
    #[arg(long, default_value_t = 8.0)]
    rate: f64,
    /// Mean service time per request in ms (exponential).
    #[arg(long = "service-ms", default_value_t = 100.0)]
    service_ms: f64,
    /// Requests allowed to wait; more are rejected and counted as errors.
    #[arg(long = "queue-limit", default_value_t = 50)]
    queue_limit: u32,
    /// Fault plan, e.g. `crash:server@20s+10s,spike*5@40s+10s` (comma-separated).
    #[arg(long, default_value = "")]
    faults: String,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(a: DemoArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let faults =
        FaultPlan::parse("--faults", &a.faults).map_err(|e| CliError::usage(e.to_string()))?;
    let scenario = DemoScenario {
        seed: a.seed,
        arrival_rate: a.rate,
        service_ms: a.service_ms,
        queue_limit: a.queue_limit,
        duration_s: a.until_s,
        faults,
    };
    scenario.validate().map_err(|e| {
        crate::flag_errors(
            e,
            &[
                ("rate", "--rate"),
                ("service_ms", "--service-ms"),
                ("queue", "--queue-limit"),
                ("dur", "--until-s"),
                ("faults", "--faults"),
            ],
        )
    })?;
    let mut world = DemoWorld::new(&scenario);
    world.run_to_end();
    let m = world.metrics();
    let srv = world.server();
    if a.json {
        let v = json!({
            "seed": a.seed,
            "until_s": a.until_s,
            "sim_time_s": m.sim_time_s,
            "arrived": srv.arrived,
            "completed": srv.completed,
            "failed": srv.failed(),
            "rejected_full": srv.rejected_full,
            "rejected_down": srv.rejected_down,
            "lost_in_crash": srv.lost_in_crash,
            "throughput_per_s": m.throughput_per_s,
            "latency_p50_ms": m.latency_p50_ms,
            "latency_p95_ms": m.latency_p95_ms,
            "latency_p99_ms": m.latency_p99_ms,
            "utilization": m.utilization,
            "error_rate": m.error_rate,
            "backlog": m.backlog,
            "job_duration_s": m.job_duration_s,
            "events": world.events(),
            "trace_hash": world.trace_hash(),
        });
        writeln!(out, "{v}")?;
    } else {
        writeln!(
            out,
            "demo: one server, seed {}, load for {} s",
            a.seed, a.until_s
        )?;
        writeln!(
            out,
            "  requests      {} arrived, {} completed, {} failed",
            srv.arrived,
            srv.completed,
            srv.failed()
        )?;
        writeln!(out, "  throughput    {:.2} /s", m.throughput_per_s)?;
        writeln!(
            out,
            "  latency       p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms",
            m.latency_p50_ms, m.latency_p95_ms, m.latency_p99_ms
        )?;
        writeln!(out, "  utilization   {:.1}%", m.utilization * 100.0)?;
        writeln!(out, "  error rate    {:.2}%", m.error_rate * 100.0)?;
        writeln!(out, "  job duration  {:.3} s", m.job_duration_s)?;
        writeln!(out, "  events        {}", world.events())?;
        writeln!(out, "  trace hash    {}", world.trace_hash())?;
    }
    Ok(())
}
