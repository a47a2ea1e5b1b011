//! A Gantt timeline on a canvas: one lane per worker (or executor), one bar per task attempt.
//! Used by the MapReduce lab and the Spark event-log view, so both speak the same visual
//! language. State is shown by shape as well as colour: failed attempts are hatched and struck
//! through, running ones have an open right end, speculative copies a dashed outline.

use super::chart::PALETTE;
use std::rc::Rc;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BarState {
    Done,
    Running,
    /// Crashed, failed or killed: the work was thrown away.
    Failed,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GanttBar {
    pub lane: usize,
    pub start: f64,
    /// `None` while running (drawn up to `now`).
    pub end: Option<f64>,
    /// Index into the legend (and palette).
    pub kind: usize,
    pub state: BarState,
    pub speculative: bool,
    pub label: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct GanttData {
    pub lanes: Vec<String>,
    /// Lanes that are down (drawn with a hatched background).
    pub down: Vec<bool>,
    pub bars: Vec<GanttBar>,
    pub legend: Vec<String>,
    pub now: f64,
    pub x_end: f64,
    pub unit: &'static str,
}

#[derive(Properties, PartialEq)]
pub struct GanttProps {
    pub data: Rc<GanttData>,
    #[prop_or_default]
    pub testid: AttrValue,
}

#[component]
pub fn Gantt(p: &GanttProps) -> Html {
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        use_effect_with(p.data.clone(), move |data| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                draw(&c, data);
            }
        });
    }
    let height = 28 + 22 * p.data.lanes.len().max(1) + 24;
    let failed = p
        .data
        .bars
        .iter()
        .filter(|b| b.state == BarState::Failed)
        .count();
    html! {
        <figure class="gantt">
            <canvas ref={canvas} data-testid={p.testid.clone()} style={format!("height:{height}px")}
                role="img" aria-label={format!("Timeline of {} task attempts on {} lanes; {failed} failed or killed",
                    p.data.bars.len(), p.data.lanes.len())} />
            <figcaption class="legend">
                { for p.data.legend.iter().enumerate().map(|(i, l)| html! {
                    <span><i class="swatch" style={format!("background:{}", PALETTE[i % PALETTE.len()])} />{ l }</span>
                }) }
                <span><i class="swatch failed" />{ "failed / killed (struck out)" }</span>
                <span><i class="swatch running" />{ "running" }</span>
            </figcaption>
        </figure>
    }
}

fn draw(canvas: &HtmlCanvasElement, d: &GanttData) {
    let Some((ctx, w, h)) = super::canvas::prepare(canvas, 300, 60) else {
        return;
    };
    let left = 84.0;
    let right = w - 12.0;
    let top = 8.0;
    let lane_h = 22.0;
    let x_end = d.x_end.max(d.now).max(1e-9);
    let x = |t: f64| left + (right - left) * (t / x_end).clamp(0.0, 1.0);
    ctx.set_font("12px system-ui, sans-serif");
    for (i, name) in d.lanes.iter().enumerate() {
        let y = top + i as f64 * lane_h;
        if d.down.get(i).copied().unwrap_or(false) {
            ctx.set_fill_style_str("#fde4d3");
            ctx.fill_rect(left, y, right - left, lane_h - 2.0);
        }
        ctx.set_fill_style_str("#333");
        let _ = ctx.fill_text(name, 4.0, y + 15.0);
        ctx.set_stroke_style_str("#eceef2");
        ctx.begin_path();
        ctx.move_to(left, y + lane_h - 1.0);
        ctx.line_to(right, y + lane_h - 1.0);
        ctx.stroke();
    }
    for b in &d.bars {
        let y = top + b.lane as f64 * lane_h + 3.0;
        let bh = lane_h - 8.0;
        let x0 = x(b.start);
        let x1 = x(b.end.unwrap_or(d.now)).max(x0 + 1.5);
        let color = PALETTE[b.kind % PALETTE.len()];
        match b.state {
            BarState::Failed => {
                ctx.set_fill_style_str("#f3d2c2");
                ctx.fill_rect(x0, y, x1 - x0, bh);
                ctx.set_stroke_style_str("#b13f00");
                ctx.set_line_width(1.5);
                ctx.begin_path();
                ctx.move_to(x0, y + bh / 2.0);
                ctx.line_to(x1, y + bh / 2.0);
                ctx.stroke();
                ctx.stroke_rect(x0, y, x1 - x0, bh);
            }
            BarState::Done | BarState::Running => {
                ctx.set_fill_style_str(color);
                ctx.set_global_alpha(if b.state == BarState::Running {
                    0.55
                } else {
                    1.0
                });
                ctx.fill_rect(x0, y, x1 - x0, bh);
                ctx.set_global_alpha(1.0);
                if b.state == BarState::Running {
                    ctx.set_stroke_style_str(color);
                    ctx.set_line_width(1.0);
                    ctx.begin_path();
                    ctx.move_to(x1, y - 1.0);
                    ctx.line_to(x1, y + bh + 1.0);
                    ctx.stroke();
                }
            }
        }
        if b.speculative {
            let _ = ctx.set_line_dash(&js_sys::Array::of2(&3.0.into(), &2.0.into()));
            ctx.set_stroke_style_str("#111");
            ctx.set_line_width(1.0);
            ctx.stroke_rect(x0, y - 1.0, x1 - x0, bh + 2.0);
            let _ = ctx.set_line_dash(&js_sys::Array::new());
        }
        if x1 - x0 > 34.0 && !b.label.is_empty() {
            ctx.set_fill_style_str(if b.state == BarState::Failed {
                "#7a2a00"
            } else {
                "#fff"
            });
            let _ = ctx.fill_text(&b.label, x0 + 3.0, y + bh - 3.0);
        }
    }
    // Now line and time axis.
    let axis_y = top + d.lanes.len() as f64 * lane_h + 14.0;
    ctx.set_fill_style_str("#666");
    let _ = ctx.fill_text("0", left, axis_y.min(h - 4.0));
    let end_label = format!("{:.1} {}", x_end, d.unit);
    let _ = ctx.fill_text(&end_label, right - 60.0, axis_y.min(h - 4.0));
    if d.now > 0.0 {
        ctx.set_stroke_style_str("#d55e00");
        ctx.set_line_width(1.0);
        ctx.begin_path();
        ctx.move_to(x(d.now), top);
        ctx.line_to(x(d.now), top + d.lanes.len() as f64 * lane_h);
        ctx.stroke();
    }
}
