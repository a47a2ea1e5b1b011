//! The demo world in the shared lab frame: one server with a Poisson load and a bounded queue.
//! It is the frame's reference user: playback, dashboard, chart, live faults and the URL.

use super::frame::use_lab;
use crate::player::Status;
use scalelab_engine::demo::{DemoScenario, DemoWorld};
use scalelab_engine::sim::LabWorld;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DemoLabProps {
    pub presenter: bool,
}

#[component]
pub fn DemoLab(p: &DemoLabProps) -> Html {
    let lab = use_lab(DemoWorld::new, p.presenter);
    lab.set_main_fault(|w| w.crash_now());
    let s = (*lab.scenario).clone();

    let view = lab.player.with(|st| {
        let w = &st.world;
        let srv = w.server();
        let backlog = w.metrics().backlog;
        ServerView {
            up: srv.is_up(),
            waiting: backlog,
            in_service: srv.in_system() > backlog,
            arrived: srv.arrived,
            completed: srv.completed,
            failed: srv.failed(),
            in_system: srv.in_system(),
            queue_limit: s.queue_limit,
        }
    });
    let status = lab.player.status();

    let slider = |label: &'static str,
                  id: &'static str,
                  value: f64,
                  (min, max, step): (f64, f64, f64),
                  unit: &'static str,
                  apply: fn(&mut DemoScenario, f64)| {
        let set = lab.edit(move |s: &mut DemoScenario, v: f64| apply(s, v.clamp(min, max)));
        let oninput = Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = input.value().parse::<f64>() {
                set.emit(v);
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
        let cmd = lab.command(move |w: &mut DemoWorld, _: MouseEvent| f(w));
        html! { <button class="btn fault" data-testid={format!("fault-{id}")} onclick={cmd}>{ label }</button> }
    };

    let load = s.arrival_rate * s.service_ms / 1000.0;
    let balanced = view.arrived == view.completed + view.failed + view.in_system;
    html! {
        <div class="lab-frame">
            { lab.error_banner() }
            { lab.playback_bar() }
            { lab.dashboard() }
            <div class="frame-body">
                <div class="frame-main">
                    <section class="panel live-view" aria-label="Live view">
                        <h2>{ "One server, one queue" }</h2>
                        { server_view(&view) }
                        <p class="reconcile" data-testid="reconcile">
                            { format!("arrived {} = completed {} + failed {} + in system {}",
                                view.arrived, view.completed, view.failed, view.in_system) }
                            { if balanced { " ✓" } else { " ✗" } }
                        </p>
                    </section>
                    { lab.chart(s.duration_s) }
                </div>
                <section class="panel controls" aria-label="Controls">
                    <h2>{ "Scenario" }</h2>
                    { slider("Arrivals", "rate", s.arrival_rate, (0.5, 50.0, 0.5), "/s", |s, v| s.arrival_rate = v) }
                    { slider("Service time", "service", s.service_ms, (10.0, 1000.0, 10.0), "ms", |s, v| s.service_ms = v) }
                    { slider("Queue limit", "queue", f64::from(s.queue_limit), (1.0, 500.0, 1.0), "", |s, v| s.queue_limit = v as u32) }
                    { slider("Load runs for", "dur", s.duration_s, (10.0, 600.0, 10.0), "s", |s, v| s.duration_s = v) }
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
            <div class="queue-strip" role="img" aria-label={format!("{} requests waiting, limit {}", v.waiting, v.queue_limit)}>
                { for (0..shown).map(|_| html! { <span class="dot" /> }) }
                if v.waiting > shown { <span class="more">{ format!("+{}", v.waiting - shown) }</span> }
            </div>
            <div class={classes!("server-box", (!v.up).then_some("down"), v.in_service.then_some("busy"))}>
                { if !v.up { "✖ down" } else if v.in_service { "● serving" } else { "○ idle" } }
            </div>
        </div>
    }
}
