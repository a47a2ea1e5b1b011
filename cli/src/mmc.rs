//! `scalelab mmc`: the textbook M/M/c queue, simulated, next to its Erlang C prediction.

use crate::CliError;
use clap::Args;
use scalelab_engine::sim::multiserver::{erlang_c, mmc_wq, run_mmc, MmcParams};
use serde_json::json;
use std::io::Write;

#[derive(Args, Debug)]
pub struct MmcArgs {
    /// λ: mean arrivals per unit of time (Poisson).
    #[arg(long = "arrival-rate", allow_negative_numbers = true)]
    arrival_rate: f64,
    /// μ: mean services per unit of time per server (exponential).
    #[arg(long = "service-rate", allow_negative_numbers = true)]
    service_rate: f64,
    /// c: number of servers.
    #[arg(long, default_value_t = 1)]
    servers: u32,
    /// Customers to serve.
    #[arg(long, default_value_t = 1_000_000)]
    customers: u64,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Print one JSON object (times in the unit of 1/rate).
    #[arg(long)]
    json: bool,
}

fn check(name: &str, v: f64, lo: f64, hi: f64) -> Result<(), CliError> {
    if v.is_finite() && v >= lo && v <= hi {
        Ok(())
    } else {
        Err(CliError::usage(format!(
            "{name}: must be between {lo} and {hi} (got {v})"
        )))
    }
}

pub fn run(a: MmcArgs, out: &mut dyn Write) -> Result<(), CliError> {
    check("--arrival-rate", a.arrival_rate, 1e-6, 1e6)?;
    check("--service-rate", a.service_rate, 1e-6, 1e6)?;
    check("--servers", f64::from(a.servers), 1.0, 10_000.0)?;
    check("--customers", a.customers as f64, 1.0, 1e8)?;
    let rho = a.arrival_rate / (a.service_rate * f64::from(a.servers));
    let sim = run_mmc(MmcParams {
        arrival_rate: a.arrival_rate,
        service_rate: a.service_rate,
        servers: a.servers,
        customers: a.customers,
        seed: a.seed,
    });
    let m = sim.model();
    let q = |p: f64| m.sojourn.quantile(p).as_secs_f64();
    // Theory only exists for a stable queue.
    let (wq_t, w_t, pw) = if rho < 1.0 {
        let wq = mmc_wq(a.arrival_rate, a.service_rate, a.servers);
        (
            Some(wq),
            Some(wq + 1.0 / a.service_rate),
            Some(erlang_c(a.arrival_rate, a.service_rate, a.servers)),
        )
    } else {
        (None, None, None)
    };
    if a.json {
        let v = json!({
            "customers": m.done,
            "servers": a.servers,
            "offered_load": rho,
            "wq_mean": m.mean_wait_s(),
            "w_mean": m.mean_sojourn_s(),
            "wq_theory": wq_t,
            "w_theory": w_t,
            "p_wait_theory": pw,
            "utilization": m.utilization(),
            "p50": q(0.5),
            "p95": q(0.95),
            "p99": q(0.99),
            "events": sim.events(),
            "trace_hash": sim.trace().hex(),
        });
        writeln!(out, "{v}")?;
    } else {
        writeln!(
            out,
            "M/M/{} with λ = {}, μ = {} (ρ = {:.3}), {} customers",
            a.servers, a.arrival_rate, a.service_rate, rho, m.done
        )?;
        writeln!(
            out,
            "  mean wait in queue Wq  {:.5}  (Erlang C: {})",
            m.mean_wait_s(),
            wq_t.map_or("unstable".into(), |x| format!("{x:.5}"))
        )?;
        writeln!(
            out,
            "  mean time in system W  {:.5}  (theory: {})",
            m.mean_sojourn_s(),
            w_t.map_or("unstable".into(), |x| format!("{x:.5}"))
        )?;
        writeln!(out, "  utilization            {:.4}", m.utilization())?;
        writeln!(
            out,
            "  time in system p50/p95/p99  {:.4} / {:.4} / {:.4}",
            q(0.5),
            q(0.95),
            q(0.99)
        )?;
        writeln!(
            out,
            "  events {}; trace {}",
            sim.events(),
            sim.trace().hex()
        )?;
    }
    Ok(())
}
