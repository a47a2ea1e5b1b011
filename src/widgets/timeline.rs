//! A fault timeline on a time axis: each fault is a bar from its start to its end, the run's
//! clock is a cursor, and (optionally) windows that broke the objective are marked red. In edit
//! mode the learner picks a fault from the palette and clicks the axis to place it, drags a bar
//! to move it, or removes it; every change goes out as a new fault plan.

use scalelab_engine::sim::{FaultKind, FaultPlan, SimTime};
use web_sys::SvgElement;
use yew::prelude::*;

/// A fault the palette can place: a label and the fault text with `{T}` for its start.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    pub label: &'static str,
    pub text: &'static str,
}

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub plan: FaultPlan,
    pub end_s: f64,
    pub now_s: f64,
    /// Verdict of each objective window (true = broken).
    #[prop_or_default]
    pub windows: Vec<bool>,
    #[prop_or(10.0)]
    pub window_s: f64,
    #[prop_or_default]
    pub templates: Vec<Template>,
    pub on_change: Callback<FaultPlan>,
}

const W: f64 = 900.0;
const LEFT: f64 = 14.0;
const ROW: f64 = 22.0;

pub fn fault_label(k: &FaultKind) -> String {
    match k {
        FaultKind::Crash { target } => format!("{target} crashed"),
        FaultKind::Restart { target } => format!("{target} restarts"),
        FaultKind::Slow { target, factor } => format!("{target} ×{factor:.0} slower"),
        FaultKind::CutLink { from, to } => format!("{from} → {to} cut"),
        FaultKind::Drop { p } => format!("drop {:.0}%", p * 100.0),
        FaultKind::Corrupt { p } => format!("{:.1}% corrupt", p * 100.0),
        FaultKind::Poison { p } => format!("{:.1}% poison", p * 100.0),
        FaultKind::LoadSpike { factor } => format!("load ×{factor:.0}"),
    }
}

#[component]
pub fn FaultTimeline(p: &TimelineProps) -> Html {
    let svg = use_node_ref();
    let placing = use_state(|| None::<usize>);
    // (fault index, pointer x at the start, its start time then, preview start time)
    let drag = use_state(|| None::<(usize, f64, f64, f64)>);
    let end = p.end_s.max(1.0);
    let rows = p.plan.faults.len().max(1) as f64;
    let h = 34.0 + rows * ROW;
    let x = move |t: f64| LEFT + (W - 2.0 * LEFT) * (t / end).clamp(0.0, 1.0);
    let px_to_s = {
        let svg = svg.clone();
        move |dx: f64| {
            let width = svg
                .cast::<SvgElement>()
                .map_or(W, |e| e.get_bounding_client_rect().width().max(1.0));
            dx / width * W / (W - 2.0 * LEFT) * end
        }
    };
    let editable = !p.templates.is_empty();
    let onclick = {
        let placing = placing.clone();
        let templates = p.templates.clone();
        let plan = p.plan.clone();
        let on_change = p.on_change.clone();
        let svg = svg.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(i) = *placing else { return };
            let Some(el) = svg.cast::<SvgElement>() else {
                return;
            };
            let r = el.get_bounding_client_rect();
            let frac = ((f64::from(e.client_x()) - r.left()) / r.width().max(1.0) * W - LEFT)
                / (W - 2.0 * LEFT);
            let t = (frac.clamp(0.0, 1.0) * end).round();
            place(&templates[i], t, &plan, &on_change);
            placing.set(None);
        })
    };
    // Keyboard placing: pick a template, focus the timeline, Enter puts it at the playback time.
    let onkeydown = {
        let placing = placing.clone();
        let templates = p.templates.clone();
        let plan = p.plan.clone();
        let on_change = p.on_change.clone();
        let now = p.now_s;
        Callback::from(move |e: KeyboardEvent| {
            let Some(i) = *placing else { return };
            if e.key() != "Enter" && e.key() != " " {
                return;
            }
            e.prevent_default();
            let t = now.clamp(0.0, end).round();
            place(&templates[i], t, &plan, &on_change);
            placing.set(None);
        })
    };
    let onpointermove = {
        let drag = drag.clone();
        let px_to_s = px_to_s.clone();
        Callback::from(move |e: PointerEvent| {
            if let Some((i, x0, at0, _)) = *drag {
                let t = (at0 + px_to_s(f64::from(e.client_x()) - x0))
                    .clamp(0.0, end)
                    .round();
                drag.set(Some((i, x0, at0, t)));
            }
        })
    };
    let onpointerup = {
        let drag = drag.clone();
        let plan = p.plan.clone();
        let on_change = p.on_change.clone();
        Callback::from(move |_: PointerEvent| {
            if let Some((i, _, at0, t)) = *drag {
                if (t - at0).abs() >= 1.0 {
                    let mut next = plan.clone();
                    next.faults[i].at = SimTime::from_secs_f64(t);
                    on_change.emit(next);
                }
                drag.set(None);
            }
        })
    };
    let bars = p.plan.faults.iter().enumerate().map(|(i, f)| {
        let at = match *drag {
            Some((j, _, _, t)) if j == i => t,
            _ => f.at.as_secs_f64(),
        };
        let dur = f.duration.map_or(end - at, |d| d.as_secs_f64());
        let (x0, x1) = (x(at), x(at + dur));
        let y = 24.0 + i as f64 * ROW;
        let down = {
            let drag = drag.clone();
            Callback::from(move |e: PointerEvent| {
                if editable {
                    e.stop_propagation();
                    drag.set(Some((i, f64::from(e.client_x()), at, at)));
                }
            })
        };
        let remove = {
            let plan = p.plan.clone();
            let on_change = p.on_change.clone();
            Callback::from(move |e: MouseEvent| {
                e.stop_propagation();
                let mut next = plan.clone();
                next.faults.remove(i);
                on_change.emit(next);
            })
        };
        let label = format!("{} at {:.0} s{}", fault_label(&f.kind), at, f.duration.map(|d| format!(" for {:.0} s", d.as_secs_f64())).unwrap_or_default());
        // Keyboard: arrows move the fault (5 s, Shift 1 s), Delete removes it.
        let onkeydown = {
            let plan = p.plan.clone();
            let on_change = p.on_change.clone();
            Callback::from(move |e: KeyboardEvent| {
                let step = if e.shift_key() { 1.0 } else { 5.0 };
                let mut next = plan.clone();
                match e.key().as_str() {
                    "ArrowLeft" => next.faults[i].at = SimTime::from_secs_f64((at - step).max(0.0)),
                    "ArrowRight" => next.faults[i].at = SimTime::from_secs_f64((at + step).min(end)),
                    "Delete" | "Backspace" => {
                        next.faults.remove(i);
                    }
                    _ => return,
                }
                e.prevent_default();
                on_change.emit(next);
            })
        };
        let hint = format!("{label}. Arrow keys move it by 5 seconds (with Shift: 1 second); Delete removes it.");
        html! {
            <g class={classes!("fault-bar", editable.then_some("movable"))} data-testid={format!("fault-{i}")}
                tabindex={editable.then_some("0")} role={editable.then_some("button")}
                aria-label={editable.then_some(hint)} onkeydown={editable.then_some(onkeydown)}>
                <rect x={format!("{x0:.1}")} y={format!("{y:.1}")} width={format!("{:.1}", (x1 - x0).max(3.0))} height={(ROW - 6.0).to_string()} rx="3" onpointerdown={down}>
                    <title>{ &label }</title>
                </rect>
                <text x={format!("{:.1}", x0 + 4.0)} y={format!("{:.1}", y + 12.0)} class="fault-text">{ label.clone() }</text>
                if editable {
                    <text x={format!("{:.1}", (x0 - 11.0).max(0.0))} y={format!("{:.1}", y + 13.0)} class="fault-x" role="button" aria-label={format!("remove {label}")} onclick={remove}>{ "×" }</text>
                }
            </g>
        }
    });
    let ticks = (0..=((end / 30.0) as usize)).filter(|k| (*k as f64 * 30.0) < end - 10.0).map(|k| {
        let t = k as f64 * 30.0;
        html! { <text x={format!("{:.1}", x(t))} y="12" class="tick-text">{ format!("{t:.0}s") }</text> }
    });
    let windows = p.windows.iter().enumerate().filter(|(_, v)| **v).map(|(k, _)| {
        let (a, b) = (x(k as f64 * p.window_s), x((k + 1) as f64 * p.window_s));
        html! { <rect class="slo-bad" x={format!("{a:.1}")} y="16" width={format!("{:.1}", b - a)} height="4"><title>{ "objective broken in this window" }</title></rect> }
    });
    let palette = p.templates.iter().enumerate().map(|(i, t)| {
        let placing = placing.clone();
        let on = *placing == Some(i);
        let pick = Callback::from(move |_: MouseEvent| placing.set(if on { None } else { Some(i) }));
        html! { <button class={classes!("btn", "small", on.then_some("primary"))} data-testid={format!("place-{i}")} onclick={pick}>{ t.label }</button> }
    });
    html! {
        <div class="fault-timeline">
            if editable {
                <div class="fault-row palette">
                    { for palette }
                    <span class="small muted">{ if placing.is_some() { "Now click on the time axis to place it." } else { "Pick a fault, then click the axis; drag a bar to move it; × removes it." } }</span>
                </div>
            }
            <svg ref={svg} viewBox={format!("0 0 {W} {h}")} class={classes!("timeline-svg", placing.is_some().then_some("placing"))} data-testid="timeline"
                role="group" tabindex={placing.is_some().then_some("0")}
                aria-label={format!("Fault timeline{}: {}", if placing.is_some() { " (press Enter to place the chosen fault at the current time)" } else { "" }, if p.plan.is_empty() { "no faults".to_string() } else { p.plan.faults.iter().map(|f| fault_label(&f.kind)).collect::<Vec<_>>().join(", ") })}
                {onclick} {onpointermove} {onpointerup} {onkeydown}>
                <rect x="0" y="0" width={W.to_string()} height={h.to_string()} class="timeline-bg" />
                { for ticks }
                { for windows }
                { for bars }
                <line x1={format!("{:.1}", x(p.now_s))} x2={format!("{:.1}", x(p.now_s))} y1="14" y2={h.to_string()} class="now-line" />
            </svg>
        </div>
    }
}

/// Adds fault template `template` at `t` seconds to `plan` (mouse and keyboard placing).
fn place(template: &Template, t: f64, plan: &FaultPlan, on_change: &Callback<FaultPlan>) {
    let text = template.text.replace("{T}", &format!("{t}s"));
    if let Ok(add) = FaultPlan::parse("faults", &text) {
        let mut next = plan.clone();
        next.faults.extend(add.faults);
        on_change.emit(next);
    }
}
