use super::*;
use crate::scaling::Policy;
use crate::sim::{FaultPlan, Scenario, SimTime, StopReason};

fn run(s: &ScalingScenario) -> ScalingWorld {
    assert!(s.validate().is_ok(), "{:?}", s.validate());
    let mut w = ScalingWorld::new(s);
    assert_eq!(w.run_to_end().reason, StopReason::Idle);
    assert!(w.is_done());
    w
}

fn base() -> ScalingScenario {
    ScalingScenario {
        duration_s: 60.0,
        rate: 150.0,
        ..Default::default()
    }
}

#[test]
fn every_request_completes_or_fails_and_runs_replay() {
    let s = base();
    let a = run(&s);
    let b = run(&s);
    assert_eq!(a.trace_hash(), b.trace_hash());
    let c = a.cluster();
    assert_eq!(c.in_flight(), 0);
    assert!(c.completed > 8_000);
    assert_eq!(c.failed, 0);
    let other = run(&ScalingScenario { seed: 7, ..s });
    assert_ne!(a.trace_hash(), other.trace_hash());
}

#[test]
fn one_crash_of_many_degrades_but_one_big_machine_is_an_outage() {
    let faults = FaultPlan::parse("faults", "crash:machine-1@20s+20s").unwrap();
    let horizontal = run(&ScalingScenario {
        faults: faults.clone(),
        ..base()
    });
    let vertical = run(&ScalingScenario {
        mode: Mode::Vertical,
        machine: 3,
        faults,
        ..base()
    });
    // Same total cores (4 × s-4 vs one s-16).
    assert!(
        horizontal.availability() > 0.99,
        "{}",
        horizontal.availability()
    );
    assert!(
        vertical.availability() < 0.75,
        "{}",
        vertical.availability()
    );
    assert!(vertical.metrics().error_rate > 0.25);
}

#[test]
fn a_crashed_machine_gets_no_traffic_after_detection() {
    let s = ScalingScenario {
        faults: FaultPlan::parse("faults", "crash:machine-2@10s").unwrap(),
        detect_s: 2.0,
        duration_s: 40.0,
        ..base()
    };
    let mut w = ScalingWorld::new(&s);
    w.advance(SimTime::from_secs(13), u64::MAX);
    let routed_then = w.machines()[1].routed;
    assert!(!w.machines()[1].in_lb);
    w.run_to_end();
    assert_eq!(w.machines()[1].routed, routed_then);
    assert!(
        w.availability() > 0.99,
        "retries hide the crash: {}",
        w.availability()
    );
}

#[test]
fn coordination_cost_bends_the_speedup_curve() {
    let s = ScalingScenario {
        sigma: 0.05,
        kappa: 0.002,
        machine: 0,
        ..base()
    };
    let curve = speedup_curve(&s, 8);
    let x1 = curve[0].1;
    let x8 = curve[7].1;
    assert!(x8 > 3.0 * x1 && x8 < 6.5 * x1, "x1 {x1}, x8 {x8}");
    let predicted = usl(x1, 8, 0.05, 0.002);
    assert!(
        (x8 - predicted).abs() / predicted < 0.1,
        "measured {x8}, USL {predicted}"
    );
    let free = speedup_curve(
        &ScalingScenario {
            sigma: 0.0,
            kappa: 0.0,
            ..s
        },
        8,
    );
    assert!(free[7].1 > 7.0 * free[0].1);
}

#[test]
fn running_out_of_memory_slows_a_machine_down() {
    let roomy = run(&ScalingScenario {
        mode: Mode::Vertical,
        machine: 0,
        rate: 55.0,
        mem_mb: 10.0,
        ..base()
    });
    let tight = run(&ScalingScenario {
        mode: Mode::Vertical,
        machine: 0,
        rate: 55.0,
        mem_mb: 900.0,
        ..base()
    });
    assert!(
        tight.metrics().latency_p95_ms > 2.0 * roomy.metrics().latency_p95_ms,
        "{} vs {}",
        tight.metrics().latency_p95_ms,
        roomy.metrics().latency_p95_ms
    );
}

#[test]
fn balancing_by_load_beats_blind_rotation_when_machines_differ() {
    let faults = FaultPlan::parse("faults", "slow:machine-1*4@0s").unwrap();
    let rr = run(&ScalingScenario {
        faults: faults.clone(),
        rate: 200.0,
        ..base()
    });
    let lo = run(&ScalingScenario {
        faults,
        rate: 200.0,
        policy: Policy::LeastOutstanding,
        ..base()
    });
    assert!(lo.metrics().latency_p99_ms < rr.metrics().latency_p99_ms);
}

#[test]
fn bigger_machines_cost_more_per_core_and_cost_is_counted() {
    let w = run(&base());
    assert!((w.cost_per_hour() - 4.0 * 0.20).abs() < 1e-9);
    assert!(w.cost_per_million() > 0.0);
}

#[test]
fn the_autoscaler_adds_machines_under_a_spike() {
    let s = ScalingScenario {
        machines: 2,
        load: Load::Spike,
        rate: 100.0,
        duration_s: 300.0,
        autoscale_target: 0.6,
        ..base()
    };
    let w = run(&s);
    assert!(w.machines().iter().filter(|m| m.routed > 0).count() > 2);
}

#[test]
fn fits_recover_the_parameters_of_a_usl_curve() {
    let pts: Vec<(u32, f64)> = (1..=16).map(|n| (n, usl(100.0, n, 0.04, 0.003))).collect();
    let (s, k) = fit_usl(&pts).unwrap();
    assert!(
        (s - 0.04).abs() < 1e-6 && (k - 0.003).abs() < 1e-6,
        "{s} {k}"
    );
    let amdahl: Vec<(u32, f64)> = (1..=8)
        .map(|n| (n, 50.0 * f64::from(n) / (1.0 + 0.1 * f64::from(n - 1))))
        .collect();
    assert!((fit_amdahl(&amdahl).unwrap() - 0.1).abs() < 1e-9);
    // And on a curve the engine measured, the USL fit lands near the σ, κ it was run with.
    let measured = speedup_curve(
        &ScalingScenario {
            sigma: 0.05,
            kappa: 0.002,
            machine: 0,
            ..base()
        },
        10,
    );
    let (s, k) = fit_usl(&measured).unwrap();
    assert!(
        (s - 0.05).abs() < 0.03 && (k - 0.002).abs() < 0.002,
        "fitted σ {s}, κ {k}"
    );
}
