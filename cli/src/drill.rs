//! `scalelab drill`: a reliability drill run headless, with the scorecard as JSON and the event
//! log as JSON lines; `--ramp` runs the stress ramp instead.

use crate::CliError;
use clap::Args;
use scalelab_engine::drills::script::{built_in, names};
use scalelab_engine::drills::{reconcile, stress_ramp, DrillScenario, DrillWorld, Mitigations};
use scalelab_engine::sim::{FaultPlan, LabWorld, Scenario};
use serde_json::json;
use std::io::{BufWriter, Write};

#[derive(Args, Debug)]
pub struct DrillArgs {
    /// runway-closed, slow-disk, network-cut, holiday-rush, bad-batch, poison-message,
    /// cascading, or custom (with --faults).
    #[arg(long, default_value = "runway-closed")]
    name: String,
    /// all, none, or a comma list of retries, buffer, quarantine, replicas, breaker, dlq.
    #[arg(long, default_value = "none")]
    mitigations: String,
    /// A custom fault timeline (with --name custom), e.g. `cut:loader>warehouse@30s+20s`.
    #[arg(long, default_value = "")]
    faults: String,
    /// Records per second.
    #[arg(long, default_value_t = 130.0)]
    rate: f64,
    #[arg(long, default_value_t = 4)]
    workers: u32,
    #[arg(long = "service-ms", default_value_t = 25.0)]
    service_ms: f64,
    #[arg(long, default_value_t = 100)]
    batch: u32,
    #[arg(long = "write-ms", default_value_t = 200.0)]
    write_ms: f64,
    #[arg(long = "duration-s", default_value_t = 240.0)]
    duration_s: f64,
    /// Latency objective: seconds from sent to in the warehouse.
    #[arg(long = "slo-s", default_value_t = 30.0)]
    slo_s: f64,
    /// Run the stress ramp (load +25% every 30 s until the objective breaks).
    #[arg(long)]
    ramp: bool,
    /// List the built-in drills.
    #[arg(long)]
    list: bool,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Write the event log as JSON lines.
    #[arg(long)]
    events: Option<std::path::PathBuf>,
    #[arg(long)]
    json: bool,
}

pub fn run(a: DrillArgs, out: &mut dyn Write) -> Result<(), CliError> {
    if a.list {
        for d in built_in() {
            writeln!(out, "{:<16} {}  [{}]", d.name, d.what, d.faults)?;
        }
        return Ok(());
    }
    let mitigations = Mitigations::parse("--mitigations", &a.mitigations)
        .map_err(|e| CliError::usage(e.to_string()))?;
    let base = DrillScenario {
        seed: a.seed,
        mitigations,
        rate: a.rate,
        workers: a.workers,
        service_ms: a.service_ms,
        batch: a.batch,
        write_ms: a.write_ms,
        duration_s: a.duration_s,
        slo_s: a.slo_s,
        ..DrillScenario::default()
    };
    let s = if a.name == "custom" {
        let faults =
            FaultPlan::parse("--faults", &a.faults).map_err(|e| CliError::usage(e.to_string()))?;
        DrillScenario {
            drill: "custom".into(),
            faults,
            ..base
        }
    } else if names().contains(&a.name.as_str()) {
        base.with_drill(&a.name)
    } else {
        return Err(CliError::usage(format!(
            "--name: `{}` is not a drill ({})",
            a.name,
            names().join(", ")
        )));
    };
    s.validate().map_err(|e| {
        crate::flag_errors(
            e,
            &[
                ("rate", "--rate"),
                ("workers", "--workers"),
                ("service_ms", "--service-ms"),
                ("batch", "--batch"),
                ("write_ms", "--write-ms"),
                ("dur", "--duration-s"),
                ("slo_s", "--slo-s"),
                ("faults", "--faults"),
            ],
        )
    })?;
    if a.ramp {
        let r = stress_ramp(&s);
        let steps: Vec<_> = r
            .steps
            .iter()
            .map(|x| json!({"rate": x.rate, "p95_s": x.p95_s, "oldest_s": x.oldest_s,
                "worker_util": x.worker_util, "loader_util": x.loader_util, "lost": x.lost, "broke": x.broke}))
            .collect();
        let v = json!({
            "steps": steps,
            "breaking_rate": r.breaking.map(|k| r.steps[k].rate),
            "first_saturated": r.first_saturated.map(|(k, c)| json!({"component": c, "rate": r.steps[k].rate})),
        });
        if a.json {
            writeln!(out, "{v}")?;
        } else {
            for x in &r.steps {
                writeln!(
                    out,
                    "{:>8.0} rec/s  p95 {:>7.1} s  oldest {:>7.1} s  workers {:>3.0}%  loader {:>3.0}%  lost {:>6}{}",
                    x.rate,
                    x.p95_s,
                    x.oldest_s,
                    x.worker_util * 100.0,
                    x.loader_util * 100.0,
                    x.lost,
                    if x.broke { "  ← objective broken" } else { "" }
                )?;
            }
            if let Some((k, c)) = r.first_saturated {
                writeln!(
                    out,
                    "first to saturate: {c} at {:.0} rec/s",
                    r.steps[k].rate
                )?;
            }
        }
        return Ok(());
    }
    let mut w = DrillWorld::new(&s);
    w.run_to_end();
    let card = w.scorecard();
    let recon = reconcile(&w.model().log);
    if let Some(path) = &a.events {
        let file = std::fs::File::create(path).map_err(|e| {
            CliError::usage(format!("--events: cannot create {}: {e}", path.display()))
        })?;
        let mut f = BufWriter::new(file);
        for e in &w.model().log {
            let v = json!({"t_us": e.t.as_micros(), "kind": e.kind, "record": e.record, "detail": e.detail});
            writeln!(f, "{v}")?;
        }
        f.flush()?;
    }
    if a.json {
        let v = json!({
            "drill": s.drill,
            "faults": s.faults.to_string(),
            "mitigations": s.mitigations.to_text(),
            "records_in": card.records_in,
            "records_out": card.records_out,
            "quarantined": card.quarantined,
            "quarantine_reasons": card.quarantine_reasons,
            "dead_lettered": card.dead_lettered,
            "lost": card.lost,
            "loss_reasons": card.loss_reasons,
            "duplicates": card.duplicates,
            "redelivered": card.redelivered,
            "bad_rows_loaded": card.bad_rows_loaded,
            "in_flight": card.in_flight,
            "slo_violation_s": card.slo_violation_s,
            "recovery_s": card.recovery_s,
            "cost_usd": card.cost_usd,
            "failed_calls": card.failed_calls,
            "retries": card.retries,
            "breaker_opens": card.breaker_opens,
            "passed": card.passed,
            "reconciliation_agrees": recon.records_in == card.records_in
                && recon.records_out == card.records_out
                && recon.quarantined == card.quarantined
                && recon.dead_lettered == card.dead_lettered
                && recon.lost == card.lost
                && recon.duplicates == card.duplicates
                && recon.balances(),
            "sim_time_s": w.now().as_secs_f64(),
            "events": w.events(),
            "trace_hash": w.trace_hash(),
        });
        writeln!(out, "{v}")?;
        return Ok(());
    }
    writeln!(
        out,
        "drill {} [{}], mitigations: {}",
        s.drill,
        s.faults,
        s.mitigations.to_text()
    )?;
    writeln!(
        out,
        "records in {} = out {} + quarantined {} + dead-lettered {} + lost {} + in flight {}",
        card.records_in,
        card.records_out,
        card.quarantined,
        card.dead_lettered,
        card.lost,
        card.in_flight
    )?;
    for (r, n) in &card.quarantine_reasons {
        writeln!(out, "  quarantined {n}: {r}")?;
    }
    for (r, n) in &card.loss_reasons {
        writeln!(out, "  lost {n}: {r}")?;
    }
    writeln!(
        out,
        "redelivered by the queue {}, duplicates caught {}, bad rows loaded {}, SLO violated {:.0} s, recovery {:.0} s, cost ${:.4}, failed warehouse calls {}",
        card.redelivered, card.duplicates, card.bad_rows_loaded, card.slo_violation_s, card.recovery_s, card.cost_usd, card.failed_calls
    )?;
    writeln!(
        out,
        "{}",
        if card.passed {
            "PASS: nothing lost"
        } else {
            "FAIL"
        }
    )?;
    writeln!(out, "trace hash {}", w.trace_hash())?;
    Ok(())
}
