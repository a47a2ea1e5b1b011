//! The demo world in the shared lab frame: one server with a Poisson load and a bounded queue.
//! It is the frame's reference user: playback, dashboard, chart, live faults and the URL.

use crate::player::{use_player, Player, Status};
use crate::url_state::{current_query, replace_query, split_view, ViewFlags};
use crate::widgets::{ChartData, Dashboard, PlaybackBar, TimeSeriesChart};
use scalelab_engine::demo::{DemoScenario, DemoWorld};
use scalelab_engine::sim::params::Params;
use scalelab_engine::sim::{FieldError, LabWorld, Scenario};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DemoLabProps {
    pub presenter: bool,
}

/// Reads the scenario from the URL once, when the lab opens.
fn scenario_from_url() -> (DemoScenario, Vec<FieldError>) {
    let (params, _) = split_view(Params::parse(&current_query()));
    DemoScenario::from_params(&params)
}

#[component]
pub fn DemoLab(p: &DemoLabProps) -> Html {
    let initial = use_memo((), |_| scenario_from_url());
    let scenario = use_state(|| initial.0.clone());
    let url_errors = use_state(|| initial.1.clone());
    let player: Player<DemoWorld> = {
        let s = (*scenario).clone();
        use_player(move || DemoWorld::new(&s))
    };
    let presenter = p.presenter;

    // Keep the address bar in step with the scenario (and presenter mode).
    use_effect_with(((*scenario).clone(), presenter), |(s, presenter)| {
        replace_query(
            &s.to_params(),
            ViewFlags {
                presenter: *presenter,
            },
        );
    });

    // Every change of the scenario builds a fresh world from it.
    let set_scenario = {
        let scenario = scenario.clone();
        let player = player.clone();
        Callback::from(move |next: DemoScenario| {
            if next.validate().is_ok() {
                player.reset(DemoWorld::new(&next));
                scenario.set(next);
            }
        })
    };

    let (metrics, sim_time, hash, events, status, speed, chart, srv_view) = player.with(|st| {
        let w = &st.world;
        let series = w.series();
        let chart = ChartData {
            times: series.times().iter().map(|t| t.as_secs_f64()).collect(),
            columns: series
                .columns()
                .iter()
                .enumerate()
                .map(|(i, c)| (c.to_string(), series.column(i).to_vec()))
                .collect(),
            x_end: scenario.duration_s,
        };
        let srv = w.server();
        let view = ServerView {
            up: srv.is_up(),
            waiting: w.metrics().backlog,
            in_service: srv.in_system() > w.metrics().backlog,
            arrived: srv.arrived,
            completed: srv.completed,
            failed: srv.failed(),
            in_system: srv.in_system(),
            queue_limit: scenario.queue_limit,
        };
        (
            w.metrics(),
            w.now(),
            w.trace_hash(),
            w.events(),
            st.status,
            st.speed,
            Rc::new(chart),
            view,
        )
    });

    let chart = use_memo(chart, |c| c.clone());

    let on_toggle = {
        let player = player.clone();
        Callback::from(move |_| player.toggle())
    };
    let on_step = {
        let player = player.clone();
        Callback::from(move |_| player.step())
    };
    let on_run_to_end = {
        let player = player.clone();
        Callback::from(move |_| player.run_to_end())
    };
    let on_speed = {
        let player = player.clone();
        Callback::from(move |s| player.set_speed(s))
    };
    let on_restart = {
        let player = player.clone();
        let scenario = scenario.clone();
        Callback::from(move |_| player.reset(DemoWorld::new(&scenario)))
    };
    let on_seed = {
        let set = set_scenario.clone();
        let scenario = scenario.clone();
        Callback::from(move |seed| {
            set.emit(DemoScenario {
                seed,
                ..(*scenario).clone()
            })
        })
    };

    let slider = |label: &'static str,
                  id: &'static str,
                  value: f64,
                  min: f64,
                  max: f64,
                  step: f64,
                  unit: &'static str,
                  apply: fn(&mut DemoScenario, f64)| {
        let set = set_scenario.clone();
        let scenario = scenario.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = input.value().parse::<f64>() {
                let mut next = (*scenario).clone();
                apply(&mut next, v.clamp(min, max));
                set.emit(next);
            }
        });
        html! {
            <label class="control">
                <span class="control-label">{ label }<output>{ format!("{value} {unit}") }</output></span>
                <input type="range" data-testid={format!("control-{id}")} min={min.to_string()} max={max.to_string()}
                    step={step.to_string()} value={value.to_string()} {oninput} />
            </label>
        }
    };

    let live = |label: &'static str, id: &'static str, f: fn(&mut DemoWorld)| {
        let player = player.clone();
        let onclick = Callback::from(move |_: MouseEvent| player.command(f));
        html! { <button class="btn fault" data-testid={format!("fault-{id}")} {onclick}>{ label }</button> }
    };

    let s = &*scenario;
    let load = s.arrival_rate * s.service_ms / 1000.0;
    html! {
        <div class="lab-frame">
            if !url_errors.is_empty() {
                <div class="banner error" data-testid="url-error" role="alert">
                    <strong>{ "Some settings in the link were not valid and were reset to defaults: " }</strong>
                    <ul>{ for url_errors.iter().map(|e| html! { <li>{ e.to_string() }</li> }) }</ul>
                </div>
            }
            <PlaybackBar status={status} speed={speed} seed={s.seed} sim_time={sim_time}
                trace_hash={hash} events={events}
                {on_toggle} {on_step} {on_restart} {on_run_to_end} {on_speed} {on_seed} />
            <Dashboard metrics={metrics} />
            <div class="frame-body">
                <div class="frame-main">
                <section class="panel live-view" aria-label="Live view">
                    <h2>{ "One server, one queue" }</h2>
                    { server_view(&srv_view) }
                    <p class="reconcile" data-testid="reconcile">
                        { format!("arrived {} = completed {} + failed {} + in system {}",
                            srv_view.arrived, srv_view.completed, srv_view.failed, srv_view.in_system) }
                        { if srv_view.arrived == srv_view.completed + srv_view.failed + srv_view.in_system { " ✓" } else { " ✗" } }
                    </p>
                </section>
                <TimeSeriesChart data={(*chart).clone()} />
                </div>
                <section class="panel controls" aria-label="Controls">
                    <h2>{ "Scenario" }</h2>
                    { slider("Arrivals", "rate", s.arrival_rate, 0.5, 50.0, 0.5, "/s", |s, v| s.arrival_rate = v) }
                    { slider("Service time", "service", s.service_ms, 10.0, 1000.0, 10.0, "ms", |s, v| s.service_ms = v) }
                    { slider("Queue limit", "queue", f64::from(s.queue_limit), 1.0, 500.0, 1.0, "", |s, v| s.queue_limit = v as u32) }
                    { slider("Load runs for", "dur", s.duration_s, 10.0, 600.0, 10.0, "s", |s, v| s.duration_s = v) }
                    <p class="muted">{ format!("Offered load ρ = λ × service time = {load:.2}") }
                        { if load >= 1.0 { " — more work arrives than one server can do: the queue will fill." } else { "" } }</p>
                    <h3>{ "Inject a fault now" }</h3>
                    <div class="fault-row">
                        { live("Crash server", "crash", |w| w.crash_now()) }
                        { live("Restart server", "restart", |w| w.restart_now()) }
                        { live("Spike ×5", "spike", |w| w.spike_now(5.0)) }
                        { live("End spike", "end-spike", |w| w.end_spike_now()) }
                    </div>
                </section>
            </div>
            if status == Status::Finished {
                <p class="muted finished-note">{ "Run finished. Restart replays it exactly; change the seed for a different run of the same scenario." }</p>
            }
        </div>
    }
}

#[derive(Clone, PartialEq)]
struct ServerView {
    up: bool,
    waiting: u64,
    in_service: bool,
    arrived: u64,
    completed: u64,
    failed: u64,
    in_system: u64,
    queue_limit: u32,
}

fn server_view(v: &ServerView) -> Html {
    let shown = v.waiting.min(60);
    html! {
        <div class="server-view" data-testid="server-view">
            <div class="queue-strip" aria-label={format!("{} requests waiting, limit {}", v.waiting, v.queue_limit)}>
                { for (0..shown).map(|_| html! { <span class="dot" /> }) }
                if v.waiting > shown { <span class="more">{ format!("+{}", v.waiting - shown) }</span> }
            </div>
            <div class={classes!("server-box", (!v.up).then_some("down"), v.in_service.then_some("busy"))}>
                { if !v.up { "✖ down" } else if v.in_service { "● serving" } else { "○ idle" } }
            </div>
        </div>
    }
}
