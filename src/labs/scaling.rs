//! The scaling lab: one big machine and a row of small ones behind a load balancer, fed the
//! same requests side by side, with the speed-up curve measured by the engine.

use super::frame::{use_lab, Lab};
use crate::player::Status;
use crate::widgets::{Challenge, Experiment, Experiments, Explain, Explanation};
use scalelab_engine::scaling::world::{fit_amdahl, fit_usl, speedup_curve, usl, MachineView};
use scalelab_engine::scaling::{Load, PairScenario, PairWorld, Policy, ScalingWorld, CATALOGUE};
use scalelab_engine::sim::{FaultPlan, LabWorld};
use std::collections::BTreeSet;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ScalingLabProps {
    pub presenter: bool,
}

type ScalingLabHandle = Lab<PairScenario, PairWorld>;
/// A measured speed-up curve and the scenario it was measured for.
type Measured = Option<(PairScenario, Vec<(u32, f64)>)>;

#[derive(Clone, PartialEq)]
struct Side {
    machines: Vec<MachineView>,
    throughput: f64,
    p50: f64,
    p95: f64,
    p99: f64,
    error_rate: f64,
    availability: f64,
    cost_per_hour: f64,
    cost_per_million: f64,
    /// Requests routed in the last second, per machine.
    recent: Vec<usize>,
}

fn side(w: &ScalingWorld) -> Side {
    let m = w.metrics();
    let now = w.now();
    let n = w.cluster().machines.len();
    let mut recent = vec![0; n];
    for r in w.recent_routings() {
        if now.saturating_sub(r.at).as_secs_f64() <= 1.0 {
            recent[r.machine as usize] += 1;
        }
    }
    Side {
        machines: w.machines(),
        throughput: m.throughput_per_s,
        p50: m.latency_p50_ms,
        p95: m.latency_p95_ms,
        p99: m.latency_p99_ms,
        error_rate: m.error_rate,
        availability: w.availability(),
        cost_per_hour: w.cost_per_hour(),
        cost_per_million: w.cost_per_million(),
        recent,
    }
}

#[component]
pub fn ScalingLab(p: &ScalingLabProps) -> Html {
    let lab: ScalingLabHandle = use_lab(PairWorld::new, p.presenter);
    lab.set_main_fault(|w| {
        w.crash_big_now();
        w.crash_small_now(0);
    });
    let s = (*lab.scenario).clone();
    let curve = use_state(|| None as Measured);
    let policies_done = use_mut_ref(BTreeSet::<&'static str>::new);
    let status = lab.player.status();
    let (big, small) = lab
        .player
        .with(|st| (side(&st.world.vertical), side(&st.world.horizontal)));
    let started = lab.player.with(|st| st.world.events() > 0);

    if status == Status::Finished {
        let name = match s.horizontal.policy {
            Policy::RoundRobin => "round-robin",
            Policy::Random => "random",
            Policy::LeastOutstanding => "least-outstanding",
            Policy::P2c => "p2c",
        };
        policies_done.borrow_mut().insert(name);
    }
    let crashed_both = big.machines.first().is_some_and(|m| m.routed > 0)
        && !s.horizontal.faults.is_empty()
        || big.availability < 0.95 && small.availability > 0.98;
    let experiments = vec![
        Experiment { id: "ceiling", title: "Grow the single machine until the catalogue runs out",
            how: "Pick ever bigger machines for the left side and raise the load. At s-192 there is nothing bigger to buy, and look at the price per hour of the last steps.",
            seen: s.big == CATALOGUE.len() - 1 && started },
        Experiment { id: "crash", title: "Crash the single machine, then one of N",
            how: "Press “Crash machine-1 on both sides”. On the left everything fails until it restarts; on the right the balancer routes around it after the health check notices, and retries hide most errors.",
            seen: crashed_both && big.availability < 0.98 && small.availability > big.availability },
        Experiment { id: "bend", title: "Find where adding machines stops paying off",
            how: "Set contention σ or coherence κ above zero and measure the speed-up curve. Each extra machine adds less; with κ > 0 the curve can even turn down.",
            seen: curve.as_ref().is_some_and(|(cs, _)| cs.horizontal.sigma > 0.0 || cs.horizontal.kappa > 0.0) },
        Experiment { id: "policies", title: "Compare balancing policies when machines differ",
            how: "Make one small machine slow (or raise the load), then finish runs with round-robin and with least-outstanding or power-of-two choices. Compare p99 latency.",
            seen: policies_done.borrow().len() >= 2 },
    ];
    let challenge = (status == Status::Finished).then(|| {
        let crashed = s.horizontal.faults.faults.iter().any(|f| matches!(f.kind, scalelab_engine::sim::FaultKind::Crash { .. }));
        let ok = s.horizontal.rate >= 400.0 && small.p99 <= 250.0 && small.availability >= 0.999 && crashed && small.cost_per_hour <= 1.2;
        (ok, format!("right side at {:.0} req/s: p99 {:.0} ms, availability {:.2}%, {} crash(es) planned, ${:.2}/h",
            s.horizontal.rate, small.p99, small.availability * 100.0, if crashed { "with" } else { "no" }, small.cost_per_hour))
    });

    html! {
        <div class="lab-frame scaling">
            { lab.error_banner() }
            { lab.playback_bar() }
            { lab.dashboard() }
            <div class="frame-body">
                <div class="frame-main">
                    <div class="two-col">
                        <section class="panel" aria-label="One big machine" data-testid="vertical">
                            <h2>{ format!("Scale up: one {}", CATALOGUE[s.big].name) }</h2>
                            { for big.machines.iter().map(|m| machine_box(m, 0, true)) }
                        </section>
                        <section class="panel" aria-label="Machines behind a load balancer" data-testid="horizontal">
                            <h2>{ format!("Scale out: {} × {} behind a balancer", s.horizontal.machines, CATALOGUE[s.horizontal.machine].name) }</h2>
                            <div class="lb" title="load balancer">{ format!("⇶ load balancer ({})", policy_name(s.horizontal.policy)) }</div>
                            <div class="machine-row">
                                { for small.machines.iter().enumerate().filter(|(_, m)| m.active || m.routed > 0).map(|(i, m)| machine_box(m, small.recent[i], false)) }
                            </div>
                        </section>
                    </div>
                    { compare(&big, &small) }
                    { lab.chart(s.horizontal.duration_s) }
                    { speedup_panel(&s, &curve) }
                </div>
                <div class="frame-side">
                    { controls(&lab, &s) }
                    <Experiments lab="scaling" items={experiments} />
                    <Challenge goal="Serve 400 req/s with p99 latency under 250 ms and 99.9% availability while surviving a planned crash (add one with the button under the controls), for at most $1.20 per hour." result={challenge} />
                </div>
            </div>
            <Explanation sections={explain()} real_names={real_names()} />
        </div>
    }
}

fn policy_name(p: Policy) -> &'static str {
    match p {
        Policy::RoundRobin => "round-robin",
        Policy::Random => "random",
        Policy::LeastOutstanding => "least outstanding",
        Policy::P2c => "power of two choices",
    }
}

fn machine_box(m: &MachineView, recent: usize, big: bool) -> Html {
    let shown_cores = m.cores.min(if big { 192 } else { 32 });
    let mem_pct = (m.memory_used_mb / m.memory_mb * 100.0).min(100.0);
    let state = if !m.up {
        "down"
    } else if !m.in_lb {
        "out"
    } else {
        "up"
    };
    let dots = if big {
        String::new()
    } else {
        "•".repeat(recent.min(24))
    };
    let dots_label = format!("{recent} requests in the last second");
    html! {
        <div class={classes!("machine", state, big.then_some("big"))} data-testid={format!("machine-{}", m.name)}>
            <div class="machine-head">
                <strong>{ &m.name }</strong>
                <span class="machine-state">{ match state { "down" => "✖ down", "out" => "⊘ out of balancer", _ => "● serving" } }</span>
            </div>
            <div class="cores" role="img" aria-label={format!("{} of {} cores busy", m.busy_cores, m.cores)}>
                { for (0..shown_cores).map(|i| html! { <span class={classes!("core", (i < m.busy_cores).then_some("busy"))} /> }) }
            </div>
            <div class="gauge" title="memory in use">
                <span class={classes!("fill", m.swapping.then_some("swap"))} style={format!("width:{mem_pct:.0}%")} />
            </div>
            <div class="machine-foot small">
                { format!("{:.0}% busy · {} queued · {:.1}/{:.0} GB{}", m.utilization * 100.0, m.queued,
                    m.memory_used_mb / 1024.0, m.memory_mb / 1024.0, if m.swapping { " · swapping!" } else { "" }) }
                <span class="dots" role="img" aria-label={dots_label}>{ dots }</span>
            </div>
        </div>
    }
}

fn compare(big: &Side, small: &Side) -> Html {
    let row = |label: &str, a: String, b: String| html! { <tr><td>{ label.to_string() }</td><td>{ a }</td><td>{ b }</td></tr> };
    html! {
        <section class="panel" aria-label="Comparison">
            <table class="results" data-testid="compare">
                <thead><tr><th></th><th>{ "one big machine" }</th><th>{ "many small machines" }</th></tr></thead>
                <tbody>
                    { row("throughput /s", format!("{:.1}", big.throughput), format!("{:.1}", small.throughput)) }
                    { row("latency p50 / p95 / p99 ms", format!("{:.0} / {:.0} / {:.0}", big.p50, big.p95, big.p99), format!("{:.0} / {:.0} / {:.0}", small.p50, small.p95, small.p99)) }
                    { row("error rate", format!("{:.2}%", big.error_rate * 100.0), format!("{:.2}%", small.error_rate * 100.0)) }
                    { row("availability", format!("{:.2}%", big.availability * 100.0), format!("{:.2}%", small.availability * 100.0)) }
                    { row("cost per hour", format!("${:.2}", big.cost_per_hour), format!("${:.2}", small.cost_per_hour)) }
                    { row("cost per million requests", format!("${:.3}", big.cost_per_million), format!("${:.3}", small.cost_per_million)) }
                </tbody>
            </table>
        </section>
    }
}

fn speedup_panel(s: &PairScenario, curve: &UseStateHandle<Measured>) -> Html {
    let measure = {
        let curve = curve.clone();
        let s = s.clone();
        Callback::from(move |_: MouseEvent| {
            let c = speedup_curve(&s.horizontal, 16);
            curve.set(Some((s.clone(), c)));
        })
    };
    let chart = match &**curve {
        None => {
            html! { <p class="muted small">{ "Runs the engine with 1 to 16 machines under a load far above capacity and plots what they really served." }</p> }
        }
        Some((cs, points)) => {
            let x1 = points.first().map_or(1.0, |p| p.1).max(1e-9);
            let max = points.iter().map(|p| p.1).fold(x1 * 16.0, f64::max);
            let (w, h) = (520.0, 200.0);
            let px = |n: u32| 40.0 + (w - 50.0) * (f64::from(n) - 1.0) / 15.0;
            let py = |x: f64| h - 20.0 - (h - 30.0) * (x / max);
            let line = |f: &dyn Fn(u32) -> f64| {
                (1..=16u32)
                    .map(|n| format!("{:.1},{:.1}", px(n), py(f(n))))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let measured = points
                .iter()
                .map(|(n, x)| format!("{:.1},{:.1}", px(*n), py(*x)))
                .collect::<Vec<_>>()
                .join(" ");
            let ideal = line(&|n| x1 * f64::from(n));
            // Both laws fitted to what the engine measured (least squares).
            let (fs, fk) = fit_usl(points).unwrap_or((cs.horizontal.sigma, cs.horizontal.kappa));
            let serial = fit_amdahl(points).unwrap_or(0.0);
            let usl_line = line(&|n| usl(x1, n, fs, fk));
            let amdahl = line(&|n| x1 * f64::from(n) / (1.0 + serial * (f64::from(n) - 1.0)));
            html! {
                <svg class="speedup" data-testid="speedup" viewBox={format!("0 0 {w} {h}")} role="img"
                    aria-label={format!("Throughput with 1 to 16 machines: measured {:.0} to {:.0} requests per second", x1, points.last().map_or(0.0, |p| p.1))}>
                    <polyline points={ideal} class="ideal" />
                    <polyline points={amdahl} class="amdahl" />
                    <polyline points={usl_line} class="usl" />
                    <polyline points={measured} class="measured" />
                    { for points.iter().map(|(n, x)| html! { <circle cx={format!("{:.1}", px(*n))} cy={format!("{:.1}", py(*x))} r="3" class="measured-dot" /> }) }
                    <text x="40" y="12" class="legend-text">{ format!("measured (blue dots) · USL fit σ={fs:.3} κ={fk:.4} (orange) · Amdahl fit s={serial:.3} (pink) · ideal (dashed)") }</text>
                    <text x="40" y={format!("{}", h - 4.0)} class="legend-text">{ "1 machine" }</text>
                    <text x={format!("{}", w - 70.0)} y={format!("{}", h - 4.0)} class="legend-text">{ "16 machines" }</text>
                </svg>
            }
        }
    };
    html! {
        <section class="panel" aria-label="Speed-up curve">
            <h2>{ "Speed-up: throughput vs machines" }</h2>
            <button class="btn" data-testid="measure-speedup" onclick={measure}>{ "Measure with 1–16 machines" }</button>
            { chart }
        </section>
    }
}

fn controls(lab: &ScalingLabHandle, s: &PairScenario) -> Html {
    let catalogue: Vec<(String, String)> = CATALOGUE
        .iter()
        .map(|m| {
            (
                m.name.to_string(),
                format!(
                    "{} — {} cores, {} GB, ${:.2}/h",
                    m.name, m.cores, m.memory_gb, m.price_per_hour
                ),
            )
        })
        .collect();
    let cat: Vec<(&str, &str)> = catalogue
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let h = &s.horizontal;
    let cmd = |f: fn(&mut PairWorld)| lab.command(move |w: &mut PairWorld, _: MouseEvent| f(w));
    let plan_crash = lab.edit(|s: &mut PairScenario, _: MouseEvent| {
        let at = (s.horizontal.duration_s * 0.4).round();
        let extra =
            FaultPlan::parse("faults", &format!("crash:machine-1@{at}s+20s")).unwrap_or_default();
        s.horizontal.faults.faults.extend(extra.faults);
    });
    let clear_plan =
        lab.edit(|s: &mut PairScenario, _: MouseEvent| s.horizontal.faults = FaultPlan::default());
    html! {
        <section class="panel controls" aria-label="Scenario">
            <h2>{ "Load" }</h2>
            { lab.slider("Requests per second", "rate", h.rate, (10.0, 2000.0, 10.0), |s, v| s.horizontal.rate = v) }
            { lab.select("Shape", "load", &[("constant", "constant"), ("poisson", "Poisson"), ("diurnal", "daily curve"), ("spike", "spike ×5 mid-run")],
                match h.load { Load::Constant => "constant", Load::Poisson => "poisson", Load::Diurnal => "diurnal", Load::Spike => "spike" },
                |s, v| s.horizontal.load = match v.as_str() { "constant" => Load::Constant, "diurnal" => Load::Diurnal, "spike" => Load::Spike, _ => Load::Poisson }) }
            { lab.slider("CPU per request (ms)", "cpu", h.cpu_ms, (1.0, 500.0, 1.0), |s, v| s.horizontal.cpu_ms = v) }
            { lab.slider("Memory per request (MB)", "mem", h.mem_mb, (0.0, 2000.0, 8.0), |s, v| s.horizontal.mem_mb = v) }
            <h2>{ "Machines" }</h2>
            { lab.select("Big machine", "big", &cat, CATALOGUE[s.big].name,
                |s, v| s.big = scalelab_engine::scaling::catalogue::by_name(&v).unwrap_or(s.big)) }
            { lab.select("Small machine", "small", &cat, CATALOGUE[h.machine].name,
                |s, v| s.horizontal.machine = scalelab_engine::scaling::catalogue::by_name(&v).unwrap_or(s.horizontal.machine)) }
            { lab.slider("How many small machines", "machines", f64::from(h.machines), (1.0, 32.0, 1.0), |s, v| s.horizontal.machines = v as u32) }
            { lab.select("Balancer", "lb", &[("round-robin", "round-robin"), ("random", "random"), ("least-outstanding", "least outstanding"), ("p2c", "power of two choices")],
                match h.policy { Policy::RoundRobin => "round-robin", Policy::Random => "random", Policy::LeastOutstanding => "least-outstanding", Policy::P2c => "p2c" },
                |s, v| s.horizontal.policy = match v.as_str() { "random" => Policy::Random, "least-outstanding" => Policy::LeastOutstanding, "p2c" => Policy::P2c, _ => Policy::RoundRobin }) }
            { lab.slider("Contention σ", "sigma", h.sigma, (0.0, 0.3, 0.01), |s, v| s.horizontal.sigma = v) }
            { lab.slider("Coherence κ", "kappa", h.kappa, (0.0, 0.02, 0.0005), |s, v| s.horizontal.kappa = v) }
            <h3>{ "Faults" }</h3>
            <div class="fault-row">
                <button class="btn fault" data-testid="fault-crash-both" onclick={cmd(|w| { w.crash_big_now(); w.crash_small_now(0); })}>{ "Crash machine-1 on both sides" }</button>
                <button class="btn" data-testid="fault-restart-both" onclick={cmd(|w| { w.restart_big_now(); w.restart_small_now(0); })}>{ "Restart it" }</button>
                <button class="btn fault" data-testid="fault-spike" onclick={cmd(|w| w.spike_now(5.0))}>{ "Spike ×5" }</button>
                <button class="btn" data-testid="fault-end-spike" onclick={cmd(|w| w.end_spike_now())}>{ "End spike" }</button>
            </div>
            <div class="fault-row">
                <button class="btn" data-testid="plan-crash" onclick={plan_crash}>{ "Plan a 20 s crash of machine-1" }</button>
                <button class="btn" onclick={clear_plan}>{ "Clear the plan" }</button>
            </div>
            <p class="muted small">{ if h.faults.is_empty() { "No faults planned.".to_string() } else { format!("Planned: {}", h.faults) } }</p>
        </section>
    }
}

fn explain() -> Vec<Explain> {
    vec![
        Explain { heading: "Scaling up", body: "Scaling up (vertically) means giving the one machine you have more cores and more memory, like upgrading a laptop. Nothing in the software has to change, which is why it is the first thing people try. But the catalogue ends, the biggest machines cost more per core than the middle ones, and when that one machine fails nothing is left to serve." },
        Explain { heading: "Scaling out", body: "Scaling out (horizontally) means adding more machines and spreading requests across them with a load balancer, like opening more checkout lanes instead of hiring one very fast cashier. A crashed machine only removes its share of the capacity once the health check has noticed, and retries send its requests elsewhere. The price is complexity: the software must work across machines, and the machines must coordinate." },
        Explain { heading: "Why the speed-up bends", body: "If machines never had to agree on anything, eight would serve eight times as much. In practice they contend for shared things (a lock, a database) and exchange data to stay consistent. The Universal Scalability Law captures both with two numbers, contention σ and coherence κ; with κ above zero, adding machines can even make things slower. Amdahl's law is the special case with only a serial fraction." },
        Explain { heading: "Where real systems sit", body: "Relational databases are often scaled up first because splitting their data is hard; stateless web and API tiers are scaled out behind load balancers, often by an autoscaler that adds machines when utilisation rises." },
    ]
}

fn real_names() -> Vec<(&'static str, &'static str)> {
    vec![
        ("machine catalogue", "cloud instance types (e.g. AWS m7i.large … m7i.48xlarge)"),
        ("load balancer policies", "NGINX round_robin / least_conn / random two; Envoy LEAST_REQUEST (power of two choices)"),
        ("health check + detection delay", "ALB target health checks (interval × unhealthy threshold)"),
        ("autoscaler target utilisation", "Kubernetes HorizontalPodAutoscaler targetCPUUtilizationPercentage; AWS target tracking"),
        ("σ, κ", "Gunther's Universal Scalability Law"),
    ]
}
