//! Play, pause, step, speed, restart, run-to-end and the seed: the controls every lab shares.

use crate::player::{Status, SPEEDS};
use scalelab_engine::sim::SimTime;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PlaybackProps {
    pub status: Status,
    pub speed: f64,
    pub seed: u64,
    pub sim_time: SimTime,
    pub trace_hash: String,
    pub events: u64,
    pub on_toggle: Callback<()>,
    pub on_step: Callback<()>,
    pub on_restart: Callback<()>,
    pub on_run_to_end: Callback<()>,
    pub on_speed: Callback<f64>,
    pub on_seed: Callback<u64>,
}

fn speed_label(s: f64) -> String {
    if s < 1.0 {
        format!("{s}×")
    } else {
        format!("{}×", s as u64)
    }
}

#[component]
pub fn PlaybackBar(p: &PlaybackProps) -> Html {
    let seed_error = use_state(|| None::<String>);
    let running = matches!(p.status, Status::Running | Status::RunningToEnd);
    let finished = p.status == Status::Finished;

    let toggle = p.on_toggle.reform(|_: MouseEvent| ());
    let step = p.on_step.reform(|_: MouseEvent| ());
    let restart = p.on_restart.reform(|_: MouseEvent| ());
    let to_end = p.on_run_to_end.reform(|_: MouseEvent| ());
    let on_speed = {
        let cb = p.on_speed.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(v) = sel.value().parse::<f64>() {
                cb.emit(v);
            }
        })
    };
    let on_seed = {
        let cb = p.on_seed.clone();
        let seed_error = seed_error.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            match input.value().trim().parse::<u64>() {
                Ok(v) => {
                    seed_error.set(None);
                    cb.emit(v);
                }
                Err(_) => seed_error.set(Some(format!(
                    "seed: must be a whole number between 0 and {} (got `{}`)",
                    u64::MAX,
                    input.value()
                ))),
            }
        })
    };

    html! {
        <div class="playback" role="toolbar" aria-label="Playback">
            <button data-testid="play" class={classes!("btn", "primary", running.then_some("active"))}
                onclick={toggle} disabled={finished}
                aria-label={if running { "Pause" } else { "Play" }}>
                { if running { "❚❚ Pause" } else { "▶ Play" } }
            </button>
            <button data-testid="step" class="btn" onclick={step} disabled={finished}
                title="Process the next event only">{ "Step ▸" }</button>
            <button data-testid="run-to-end" class="btn" onclick={to_end} disabled={finished}
                title="Run as fast as possible to the end">{ "To end »" }</button>
            <button data-testid="restart" class="btn" onclick={restart}
                title="Same scenario, same seed: the same run again">{ "↺ Restart" }</button>
            <label class="field">
                <span>{ "Speed" }</span>
                <select data-testid="speed" onchange={on_speed} aria-label="Playback speed">
                    { for SPEEDS.iter().map(|s| html! {
                        <option value={s.to_string()} selected={(*s - p.speed).abs() < 1e-9}>{ speed_label(*s) }</option>
                    }) }
                </select>
            </label>
            <label class="field">
                <span>{ "Seed" }</span>
                <input data-testid="seed" type="text" inputmode="numeric" size="8"
                    value={p.seed.to_string()} onchange={on_seed} aria-label="Random seed" />
            </label>
            <span class="clock" aria-live="off">
                <span class="muted">{ "t = " }</span>
                <span data-testid="sim-time">{ p.sim_time.to_string() }</span>
                <span class={classes!("status", p.status.label())} data-testid="run-status">{ p.status.label() }</span>
            </span>
            <span class="trace" title="Trace hash: every event of the run folded into one number. Same scenario and seed, same hash, here and in the scalelab CLI.">
                <span class="muted">{ format!("{} events · trace ", p.events) }</span>
                <code data-testid="trace-hash">{ &p.trace_hash }</code>
            </span>
            if let Some(err) = &*seed_error {
                <div class="field-error" role="alert">{ err }</div>
            }
        </div>
    }
}
