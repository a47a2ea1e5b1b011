//! `scalelab scaling`: a scaling scenario headless: one big machine or many behind a balancer.

use crate::CliError;
use clap::{Args, ValueEnum};
use scalelab_engine::scaling::catalogue::by_name;
use scalelab_engine::scaling::world::{speedup_curve, usl};
use scalelab_engine::scaling::{Load, Mode, Policy, ScalingScenario, ScalingWorld, CATALOGUE};
use scalelab_engine::sim::{FaultPlan, LabWorld, Scenario};
use serde_json::json;
use std::io::Write;

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ModeArg {
    Vertical,
    Horizontal,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LbArg {
    RoundRobin,
    Random,
    LeastOutstanding,
    P2c,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LoadArg {
    Constant,
    Poisson,
    Diurnal,
    Spike,
}

#[derive(Args, Debug)]
pub struct ScalingArgs {
    /// One machine from the catalogue, or several behind a load balancer.
    #[arg(long, value_enum, default_value = "horizontal")]
    mode: ModeArg,
    /// Machine type: s-2, s-4, s-8, s-16, s-32, s-64, s-96, s-128, s-192 (cores in the name).
    #[arg(long, default_value = "s-4")]
    machine: String,
    /// Machines behind the balancer (horizontal mode), 1..=64.
    #[arg(long, default_value_t = 4)]
    machines: u32,
    /// Load-balancing policy.
    #[arg(long, value_enum, default_value = "round-robin")]
    lb: LbArg,
    /// Load shape: constant, Poisson, diurnal (±60% over 10 min), spike (×5 from 40% to 60%).
    #[arg(long, value_enum, default_value = "poisson")]
    load: LoadArg,
    /// Mean requests per second.
    #[arg(long, default_value_t = 100.0)]
    rate: f64,
    /// Mean CPU time per request on one core, ms (log-normal).
    #[arg(long = "cpu-ms", default_value_t = 30.0)]
    cpu_ms: f64,
    /// Memory each in-flight request holds, MB (machines swap when short).
    #[arg(long = "mem-mb", default_value_t = 64.0)]
    mem_mb: f64,
    /// USL contention σ per added machine.
    #[arg(long, default_value_t = 0.02)]
    sigma: f64,
    /// USL coherence κ per pair of machines.
    #[arg(long, default_value_t = 0.0005)]
    kappa: f64,
    /// Simulated seconds of load.
    #[arg(long = "duration-s", default_value_t = 120.0)]
    duration_s: f64,
    /// Seconds before the health check takes a dead machine out.
    #[arg(long = "detect-s", default_value_t = 3.0)]
    detect_s: f64,
    /// Retries of a failed request on another machine.
    #[arg(long, default_value_t = 2)]
    retries: u32,
    /// Autoscaler target utilisation (0 = off), e.g. 0.6.
    #[arg(long, default_value_t = 0.0)]
    autoscale: f64,
    /// Fault plan, e.g. `crash:machine-1@30s+20s,spike*5@60s+10s`.
    #[arg(long, default_value = "")]
    faults: String,
    /// Also measure throughput with 1..=N machines and print it next to the USL prediction.
    #[arg(long = "speedup-to")]
    speedup_to: Option<u32>,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    #[arg(long)]
    json: bool,
}

pub fn run(a: ScalingArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let machine = by_name(&a.machine).ok_or_else(|| {
        let names: Vec<&str> = CATALOGUE.iter().map(|m| m.name).collect();
        CliError::usage(format!(
            "--machine: `{}` is not in the catalogue ({})",
            a.machine,
            names.join(", ")
        ))
    })?;
    let faults =
        FaultPlan::parse("--faults", &a.faults).map_err(|e| CliError::usage(e.to_string()))?;
    let s = ScalingScenario {
        seed: a.seed,
        mode: match a.mode {
            ModeArg::Vertical => Mode::Vertical,
            ModeArg::Horizontal => Mode::Horizontal,
        },
        machine,
        machines: a.machines,
        policy: match a.lb {
            LbArg::RoundRobin => Policy::RoundRobin,
            LbArg::Random => Policy::Random,
            LbArg::LeastOutstanding => Policy::LeastOutstanding,
            LbArg::P2c => Policy::P2c,
        },
        load: match a.load {
            LoadArg::Constant => Load::Constant,
            LoadArg::Poisson => Load::Poisson,
            LoadArg::Diurnal => Load::Diurnal,
            LoadArg::Spike => Load::Spike,
        },
        rate: a.rate,
        cpu_ms: a.cpu_ms,
        mem_mb: a.mem_mb,
        sigma: a.sigma,
        kappa: a.kappa,
        duration_s: a.duration_s,
        detect_s: a.detect_s,
        retries: a.retries,
        autoscale_target: a.autoscale,
        faults,
    };
    s.validate().map_err(|e| {
        crate::flag_errors(
            e,
            &[
                ("machines", "--machines"),
                ("rate", "--rate"),
                ("cpu_ms", "--cpu-ms"),
                ("mem_mb", "--mem-mb"),
                ("sigma", "--sigma"),
                ("kappa", "--kappa"),
                ("dur", "--duration-s"),
                ("detect_s", "--detect-s"),
                ("retries", "--retries"),
                ("autoscale", "--autoscale"),
                ("faults", "--faults"),
            ],
        )
    })?;
    let mut w = ScalingWorld::new(&s);
    w.run_to_end();
    let m = w.metrics();
    let c = w.cluster();
    let curve = a.speedup_to.map(|n| speedup_curve(&s, n));
    if a.json {
        let per_machine: Vec<_> = w
            .machines()
            .iter()
            .filter(|v| v.routed > 0 || v.active)
            .map(|v| json!({"name": v.name, "cores": v.cores, "routed": v.routed, "up": v.up}))
            .collect();
        let mut v = json!({
            "mode": format!("{:?}", s.mode).to_lowercase(),
            "machine": CATALOGUE[s.machine].name,
            "machines": s.machine_count(),
            "completed": c.completed,
            "failed": c.failed,
            "retried": c.retried,
            "throughput_per_s": m.throughput_per_s,
            "latency_p50_ms": m.latency_p50_ms,
            "latency_p95_ms": m.latency_p95_ms,
            "latency_p99_ms": m.latency_p99_ms,
            "error_rate": m.error_rate,
            "availability": w.availability(),
            "cost_per_hour": w.cost_per_hour(),
            "cost_per_million": w.cost_per_million(),
            "per_machine": per_machine,
            "events": w.events(),
            "trace_hash": w.trace_hash(),
        });
        if let Some(curve) = &curve {
            let x1 = curve[0].1;
            v["speedup"] = json!(curve
                .iter()
                .map(|(n, x)| json!({"machines": n, "throughput": x, "usl": usl(x1, *n, s.sigma, s.kappa)}))
                .collect::<Vec<_>>());
        }
        writeln!(out, "{v}")?;
    } else {
        writeln!(
            out,
            "{:?} scaling on {} × {} ({} cores each), {:?} load at {} req/s",
            s.mode,
            s.machine_count(),
            CATALOGUE[s.machine].name,
            CATALOGUE[s.machine].cores,
            s.load,
            s.rate
        )?;
        writeln!(
            out,
            "  completed {}, failed {}, retried {}; availability {:.3}%",
            c.completed,
            c.failed,
            c.retried,
            w.availability() * 100.0
        )?;
        writeln!(
            out,
            "  latency p50/p95/p99 {:.1} / {:.1} / {:.1} ms",
            m.latency_p50_ms, m.latency_p95_ms, m.latency_p99_ms
        )?;
        writeln!(
            out,
            "  cost ${:.2}/h, ${:.3} per million requests; trace {}",
            w.cost_per_hour(),
            w.cost_per_million(),
            w.trace_hash()
        )?;
        if let Some(curve) = &curve {
            let x1 = curve[0].1;
            for (n, x) in curve {
                writeln!(
                    out,
                    "  {n:>3} machines: {x:>9.1} req/s measured, {:>9.1} by USL",
                    usl(x1, *n, s.sigma, s.kappa)
                )?;
            }
        }
    }
    Ok(())
}
