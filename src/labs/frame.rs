//! The shared lab frame as a hook: scenario from the URL (with a banner naming invalid fields),
//! the player, the playback bar, the six-metric dashboard and the live chart. A lab module
//! supplies only its own live view and controls.

use crate::player::SPEEDS;
use crate::player::{use_player, Player};
use crate::url_state::{current_query, link_query, replace_query, split_view, ViewFlags};
use crate::widgets::export::{chart_png, chart_svg, download, event_log_jsonl};
use crate::widgets::monitor::panels;
use crate::widgets::share::ShareRow;
use crate::widgets::{ChartData, Dashboard, Monitor, PlaybackBar, Scrubber, TimeSeriesChart};
use scalelab_engine::sim::monitor::{Metric, MetricsHistory, Threshold};
use scalelab_engine::sim::params::Params;
use scalelab_engine::sim::{FieldError, LabWorld, Scenario, SimTime};
use std::cell::RefCell;
use std::rc::Rc;

/// Thresholds that hold in every lab: a machine busy nearly all the time has no headroom, and
/// more than 1% of work failing is an incident.
pub const DEFAULT_THRESHOLDS: [Threshold; 2] = [
    Threshold {
        metric: Metric::Utilization,
        warn: 80.0,
        bad: 95.0,
        above: true,
    },
    Threshold {
        metric: Metric::ErrorRate,
        warn: 0.1,
        bad: 1.0,
        above: true,
    },
];
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The lab's main fault, shared with the keyboard listener.
type MainFault<W> = Rc<RefCell<Option<fn(&mut W)>>>;

/// Everything a lab page needs from the frame.
pub struct Lab<S: 'static, W: 'static> {
    pub scenario: UseStateHandle<S>,
    pub url_errors: Rc<Vec<FieldError>>,
    pub player: Player<W>,
    build: Rc<dyn Fn(&S) -> W>,
    /// Tiles or Grafana-style panels.
    monitor_view: UseStateHandle<bool>,
    /// Metrics sampled by the frame for worlds that keep no history of their own.
    history: Rc<RefCell<MetricsHistory>>,
    /// The keyboard-shortcut list is showing.
    help: UseStateHandle<bool>,
    /// What `F` does: the lab's main fault, if it has one.
    main_fault: MainFault<W>,
}

impl<S, W> Clone for Lab<S, W> {
    fn clone(&self) -> Self {
        Lab {
            scenario: self.scenario.clone(),
            url_errors: self.url_errors.clone(),
            player: self.player.clone(),
            build: self.build.clone(),
            monitor_view: self.monitor_view.clone(),
            history: self.history.clone(),
            help: self.help.clone(),
            main_fault: self.main_fault.clone(),
        }
    }
}

/// Opens a lab: reads its scenario from the URL once, builds the world, keeps the URL in step.
#[hook]
pub fn use_lab<S, W, F>(build: F, presenter: bool) -> Lab<S, W>
where
    S: Scenario + 'static,
    W: LabWorld + 'static,
    F: Fn(&S) -> W + 'static,
{
    let build: Rc<dyn Fn(&S) -> W> = {
        let b = use_mut_ref(|| None::<Rc<dyn Fn(&S) -> W>>);
        let f = b.borrow_mut().get_or_insert_with(|| Rc::new(build)).clone();
        f
    };
    let initial = use_memo((), |_| {
        let (params, view) = split_view(Params::parse(&current_query()));
        let (s, errors) = S::from_params(&params);
        (s, errors, view)
    });
    let scenario = use_state(|| initial.0.clone());
    let player = {
        let s = initial.0.clone();
        let build = build.clone();
        use_player(move || build(&s))
    };
    {
        let player = player.clone();
        let speed = initial.2.speed;
        use_effect_with((), move |_| {
            if let Some(s) = speed {
                player.set_speed(s);
            }
        });
    }
    let monitor_view = use_state(|| initial.2.panels);
    {
        // Keep the address bar a share link of what is on screen: the compact scenario plus
        // the view (presenter, speed, panels). Written only when it changes.
        let written = use_mut_ref(String::new);
        let s = (*scenario).clone();
        let view = ViewFlags {
            presenter,
            speed: Some(player.with(|st| st.speed)),
            panels: *monitor_view,
        };
        use_effect(move || {
            let q = link_query(&s.to_link_params(), view);
            if *written.borrow() != q {
                replace_query(&q);
                *written.borrow_mut() = q;
            }
        });
    }
    // The benchmark's "lab ready" time: the world is built and the lab drawn once.
    use_effect_with((), |_| {
        if let Some(p) = gloo::utils::window().performance() {
            let _ = p.mark("scalelab-lab-ready");
        }
    });
    let history = use_mut_ref(|| MetricsHistory::new(SimTime::from_millis(500), 240));
    let help = use_state(|| false);
    let main_fault = use_mut_ref(|| None::<fn(&mut W)>);
    let lab = Lab {
        scenario,
        url_errors: Rc::new(initial.1.clone()),
        player,
        build,
        monitor_view,
        history,
        help,
        main_fault,
    };
    use_shortcuts(&lab);
    lab
}

/// The presenter's keys (see `widgets::share::SHORTCUTS`). Ignored while typing in a field.
#[hook]
fn use_shortcuts<S, W>(lab: &Lab<S, W>)
where
    S: Scenario + 'static,
    W: LabWorld + 'static,
{
    // The listener lives as long as the page; it reads the newest frame through this cell.
    let latest = use_mut_ref(|| None::<Lab<S, W>>);
    *latest.borrow_mut() = Some(lab.clone());
    use_effect_with((), move |_| {
        let listener =
            gloo::events::EventListener::new(&gloo::utils::window(), "keydown", move |e| {
                use wasm_bindgen::JsCast;
                let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                    return;
                };
                if e.ctrl_key() || e.meta_key() || e.alt_key() {
                    return;
                }
                let tag = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .map(|t| t.tag_name().to_ascii_lowercase())
                    .unwrap_or_default();
                if matches!(tag.as_str(), "input" | "select" | "textarea") {
                    return;
                }
                let lab = latest.borrow().clone();
                let Some(lab) = lab else { return };
                let speed = lab.player.with(|st| st.speed);
                let pos = SPEEDS
                    .iter()
                    .position(|s| (*s - speed).abs() < 1e-9)
                    .unwrap_or(2);
                match e.key().as_str() {
                    " " if tag != "button" => {
                        e.prevent_default();
                        lab.player.toggle();
                    }
                    "ArrowRight" => lab.player.step(),
                    "+" | "=" => lab
                        .player
                        .set_speed(SPEEDS[(pos + 1).min(SPEEDS.len() - 1)]),
                    "-" | "_" => lab.player.set_speed(SPEEDS[pos.saturating_sub(1)]),
                    "r" | "R" => lab.player.reset((lab.build)(&lab.scenario)),
                    "e" | "E" => lab.player.run_to_end(),
                    "?" => lab.help.set(!*lab.help),
                    "f" | "F" => {
                        let fault = *lab.main_fault.borrow();
                        if let Some(f) = fault {
                            lab.player.command(f);
                        }
                    }
                    _ => {}
                }
            });
        move || drop(listener)
    });
}

impl<S, W> Lab<S, W>
where
    S: Scenario + 'static,
    W: LabWorld + 'static,
{
    /// Applies a new scenario: a fresh world is built from it, the URL follows. Invalid
    /// scenarios are ignored (controls clamp to valid ranges, so this is a safety net).
    pub fn set(&self, next: S) {
        if next.validate().is_ok() {
            self.player.reset((self.build)(&next));
            self.scenario.set(next);
        }
    }

    /// Names the lab's main fault, the one the `F` key injects (a crash, a killed cache, a
    /// spike).
    pub fn set_main_fault(&self, f: fn(&mut W)) {
        *self.main_fault.borrow_mut() = Some(f);
    }

    /// A callback that edits the current scenario.
    pub fn edit<T: 'static>(&self, f: impl Fn(&mut S, T) + 'static) -> Callback<T> {
        let lab = self.clone();
        Callback::from(move |v: T| {
            let mut next = (*lab.scenario).clone();
            f(&mut next, v);
            lab.set(next);
        })
    }

    /// A callback that sends a command to the world.
    pub fn command<T: 'static>(&self, f: impl Fn(&mut W, T) + 'static) -> Callback<T> {
        let player = self.player.clone();
        Callback::from(move |v: T| player.command(|w| f(w, v)))
    }

    fn seed(&self) -> u64 {
        self.scenario
            .to_params()
            .get("seed")
            .and_then(|s| s.parse().ok())
            .unwrap_or(0)
    }

    pub fn error_banner(&self) -> Html {
        if self.url_errors.is_empty() {
            return html! {};
        }
        html! {
            <div class="banner error" data-testid="url-error" role="alert">
                <strong>{ "Some settings in the link were not valid and were reset to defaults: " }</strong>
                <ul>{ for self.url_errors.iter().map(|e| html! { <li>{ e.to_string() }</li> }) }</ul>
            </div>
        }
    }

    pub fn playback_bar(&self) -> Html {
        let p = &self.player;
        let (status, speed, now, hash, events) = p.with(|st| {
            (
                st.status,
                st.speed,
                st.world.now(),
                st.world.trace_hash(),
                st.world.events(),
            )
        });
        let (furthest, marks, last, announce) = p.with(|st| {
            (
                st.snaps.furthest(),
                st.snaps.times(),
                st.last_rewind,
                st.world.announcement(),
            )
        });
        let on_scrub = {
            let p = p.clone();
            let history = self.history.clone();
            Callback::from(move |t: SimTime| {
                p.scrub(t);
                history.borrow_mut().rewind(t.as_secs_f64());
            })
        };
        let on_toggle = {
            let p = p.clone();
            Callback::from(move |_| p.toggle())
        };
        let on_step = {
            let p = p.clone();
            Callback::from(move |_| p.step())
        };
        let on_run_to_end = {
            let p = p.clone();
            Callback::from(move |_| p.run_to_end())
        };
        let on_speed = {
            let p = p.clone();
            Callback::from(move |s| p.set_speed(s))
        };
        let on_restart = {
            let lab = self.clone();
            Callback::from(move |_| lab.player.reset((lab.build)(&lab.scenario)))
        };
        let on_seed = {
            let lab = self.clone();
            Callback::from(move |seed: u64| {
                let params = lab.scenario.to_params().with("seed", seed);
                let (next, errs) = S::from_params(&params);
                if errs.is_empty() {
                    lab.set(next);
                }
            })
        };
        let on_help = {
            let help = self.help.clone();
            Callback::from(move |_| help.set(!*help))
        };
        let on_csv = {
            let p = self.player.clone();
            Callback::from(move |_| {
                let csv = p.with(|st| series_csv(st.world.series()));
                download("scalelab-metrics.csv", "text/csv", &csv);
            })
        };
        let on_svg = {
            let lab = self.clone();
            Callback::from(move |_| {
                let svg = chart_svg(&lab.chart_data(0.0), &document_title());
                download("scalelab-chart.svg", "image/svg+xml", &svg);
            })
        };
        let on_png = Callback::from(|_| chart_png("scalelab-chart.png"));
        let on_events = {
            let p = self.player.clone();
            Callback::from(move |_| {
                let href = gloo::utils::window().location().href().unwrap_or_default();
                let log = p.with(|st| event_log_jsonl(&st.snaps, &st.world, &href));
                download("scalelab-events.jsonl", "application/x-ndjson", &log);
            })
        };
        html! {
            <>
                <PlaybackBar status={status} speed={speed} seed={self.seed()} sim_time={now}
                    trace_hash={hash} events={events}
                    {on_toggle} {on_step} {on_restart} {on_run_to_end} {on_speed} {on_seed} />
                <Scrubber now={now} {furthest} {marks} {last} {on_scrub} />
                // Screen readers announce key events (a crash, a re-queue) as they happen.
                <div class="sr-only" role="status" aria-live="polite" data-testid="announce">
                    { announce.unwrap_or_default() }
                </div>
                <ShareRow help={*self.help} {on_help} {on_csv} {on_svg} {on_png} {on_events} />
            </>
        }
    }

    /// A labelled drop-down that edits one field of the scenario; `options` are (value, label).
    pub fn select(
        &self,
        label: &'static str,
        id: &'static str,
        options: &[(&str, &str)],
        current: &str,
        f: fn(&mut S, String),
    ) -> Html {
        let set = self.edit(move |s: &mut S, v: String| f(s, v));
        let onchange = Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            set.emit(sel.value());
        });
        html! {
            <label class="field"><span>{ label }</span>
                <select data-testid={format!("control-{id}")} {onchange}>
                    { for options.iter().map(|(v, l)| html! { <option value={v.to_string()} selected={*v == current}>{ l.to_string() }</option> }) }
                </select>
            </label>
        }
    }

    /// A labelled range slider that edits one field; the value is clamped to `[min, max]`
    /// before it reaches the scenario.
    pub fn slider(
        &self,
        label: &'static str,
        id: &'static str,
        value: f64,
        (min, max, step): (f64, f64, f64),
        f: fn(&mut S, f64),
    ) -> Html {
        let set = self.edit(move |s: &mut S, v: f64| f(s, v.clamp(min, max)));
        let oninput = Callback::from(move |e: InputEvent| {
            let i: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = i.value().parse::<f64>() {
                set.emit(v);
            }
        });
        html! {
            <label class="control">
                <span class="control-label">{ label }<output>{ value }</output></span>
                <input type="range" data-testid={format!("control-{id}")} min={min.to_string()} max={max.to_string()}
                    step={step.to_string()} value={value.to_string()} {oninput} />
            </label>
        }
    }

    /// The six metrics as tiles, or (switch) as monitoring panels with the frame's default
    /// thresholds: utilisation and error rate, which mean the same in every lab.
    pub fn dashboard(&self) -> Html {
        let on = *self.monitor_view;
        let toggle = {
            let v = self.monitor_view.clone();
            Callback::from(move |_: MouseEvent| v.set(!*v))
        };
        html! {
            <>
                <div class="view-switch">
                    <button class="btn small" data-testid="monitor-toggle" aria-pressed={on.to_string()} onclick={toggle}>
                        { if on { "Show tiles" } else { "Show monitoring panels" } }
                    </button>
                </div>
                if on {
                    { self.monitor(&DEFAULT_THRESHOLDS) }
                } else {
                    <Dashboard metrics={self.player.with(|st| st.world.metrics())} />
                }
            </>
        }
    }

    /// Grafana-style panels: sparklines from the world's own history (or the frame's samples of
    /// it) and the lab's thresholds.
    pub fn monitor(&self, thresholds: &[Threshold]) -> Html {
        let panels = self.player.with(|st| {
            let now = st.world.metrics();
            match st.world.history() {
                Some(h) => panels(h, &now, thresholds),
                None => {
                    let mut h = self.history.borrow_mut();
                    h.offer(now.clone());
                    panels(&h, &now, thresholds)
                }
            }
        });
        html! { <Monitor {panels} /> }
    }

    /// The world's time series as a chart; `x_end` is the expected length of the run in seconds.
    pub fn chart(&self, x_end: f64) -> Html {
        html! { <TimeSeriesChart data={Rc::new(self.chart_data(x_end))} /> }
    }

    fn chart_data(&self, x_end: f64) -> ChartData {
        self.player
            .with(|st| ChartData::from_series(st.world.series(), x_end))
    }
}

/// The page title (the lab's name), for exported files.
fn document_title() -> String {
    gloo::utils::document()
        .query_selector("main h1")
        .ok()
        .flatten()
        .and_then(|h| h.text_content())
        .unwrap_or_else(|| "ScaleLab".into())
}

/// The world's time series as CSV: `t_s` and one column per series.
pub fn series_csv(series: &scalelab_engine::sim::TimeSeries) -> String {
    let mut out = String::from("t_s");
    for c in series.columns() {
        out.push(',');
        out.push_str(&c.replace(',', ";"));
    }
    out.push('\n');
    for (i, t) in series.times().iter().enumerate() {
        out.push_str(&format!("{:.3}", t.as_secs_f64()));
        for c in 0..series.columns().len() {
            out.push_str(&format!(",{}", series.column(c)[i]));
        }
        out.push('\n');
    }
    out
}

/// The props of [`ScenarioControls`]: the lab, the scenario shown, and the lab's own function
/// that draws its controls.
#[derive(Properties)]
pub struct ControlsProps<S: PartialEq + 'static, W: 'static> {
    pub lab: Lab<S, W>,
    pub scenario: S,
    pub render: fn(&Lab<S, W>, &S) -> Html,
}

/// Only the scenario decides what the controls show (each lab passes one fixed `render`), so
/// the controls skip the re-render that every animation frame brings.
impl<S: PartialEq, W> PartialEq for ControlsProps<S, W> {
    fn eq(&self, other: &Self) -> bool {
        self.scenario == other.scenario
    }
}

/// A lab's scenario controls as a component of their own.
#[component]
pub fn ScenarioControls<S, W>(p: &ControlsProps<S, W>) -> Html
where
    S: Scenario + 'static,
    W: LabWorld + 'static,
{
    (p.render)(&p.lab, &p.scenario)
}
