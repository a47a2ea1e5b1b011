//! The broker drawn on a canvas: one bar per partition (or one for the queue) holding a dot per
//! message not yet committed, coloured and shaped by its state, with the owning consumer and the
//! lag at the end of the bar. Hovering a dot names the message (id, key, offset, attempts).
//!
//! Thousands of dots move every frame, so they are painted, not diffed as DOM nodes.

use super::chart::PALETTE;
use scalelab_engine::queue::world::{Dot, PartitionView};
use scalelab_engine::queue::MsgState;
use std::rc::Rc;
use web_sys::{HtmlCanvasElement, MouseEvent};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PartitionBarsProps {
    pub rows: Rc<Vec<PartitionView>>,
    /// "partition" or "queue": how a row is labelled.
    pub queue_mode: bool,
    /// Presenter mode: bigger rows and type for a projector.
    #[prop_or(false)]
    pub large: bool,
}

const LABEL_W: f64 = 44.0;
/// Room at the right end of a bar for "+N · lag L owner".
fn tail_width(large: bool) -> f64 {
    if large {
        230.0
    } else {
        150.0
    }
}
const DOT: f64 = 7.0;

fn row_height(rows: usize, large: bool) -> f64 {
    let h = match rows {
        0..=4 => 30.0,
        5..=8 => 22.0,
        9..=16 => 14.0,
        _ => 8.0,
    };
    if large {
        h * 1.4
    } else {
        h
    }
}

const POISON: &str = "#D55E00";
const SETTLED: &str = "#999999";
const COLOURS: [&str; 5] = [PALETTE[0], PALETTE[1], PALETTE[2], SETTLED, POISON];

fn colour(d: &Dot) -> &'static str {
    if d.poison {
        return POISON;
    }
    match d.state {
        MsgState::InFlight => PALETTE[1],
        MsgState::Acked => PALETTE[2],
        MsgState::DeadLettered | MsgState::Dropped => SETTLED,
        _ => PALETTE[0],
    }
}

/// Describes a dot for the hover line and for screen readers.
pub fn describe(d: &Dot) -> String {
    let state = match d.state {
        MsgState::Waiting => "waiting at its producer",
        MsgState::Stored => "waiting in the broker",
        MsgState::InFlight => "being processed",
        MsgState::Acked => "acknowledged, offset not yet committed",
        MsgState::DeadLettered => "dead-lettered",
        MsgState::Dropped => "dropped",
    };
    format!(
        "message #{} · key {} · offset {} · {} deliver{} · {}{}",
        d.id,
        d.key.map_or("none".to_string(), |k| format!("user-{k}")),
        d.offset,
        d.deliveries,
        if d.deliveries == 1 { "y" } else { "ies" },
        state,
        if d.poison { " · poison" } else { "" }
    )
}

#[component]
pub fn PartitionBars(p: &PartitionBarsProps) -> Html {
    let canvas = use_node_ref();
    let hover = use_state(|| None::<String>);
    let rows = p.rows.clone();
    let large = p.large;
    let rh = row_height(rows.len(), large);
    let height = (rows.len() as f64 * rh).max(40.0) + 8.0;
    {
        let canvas = canvas.clone();
        let queue_mode = p.queue_mode;
        use_effect_with((rows.clone(), large), move |(rows, large)| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                draw(&c, rows, queue_mode, *large);
            }
        });
    }
    let onmousemove = {
        let hover = hover.clone();
        let rows = rows.clone();
        let canvas = canvas.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(c) = canvas.cast::<HtmlCanvasElement>() else {
                return;
            };
            let (x, y) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
            let width = f64::from(c.client_width());
            let row = ((y - 4.0) / rh).floor();
            let col = ((x - LABEL_W) / DOT).floor();
            let per_row = ((width - LABEL_W - tail_width(large)) / DOT)
                .floor()
                .max(1.0);
            let found = (row >= 0.0 && col >= 0.0 && col < per_row)
                .then(|| rows.get(row as usize))
                .flatten()
                .and_then(|r| r.dots.get(col as usize))
                .map(describe);
            if *hover != found {
                hover.set(found);
            }
        })
    };
    let onmouseleave = {
        let hover = hover.clone();
        Callback::from(move |_| hover.set(None))
    };
    let total: u64 = rows.iter().map(|r| r.lag).sum();
    let label = format!(
        "{} {} holding {} messages not yet committed",
        rows.len(),
        if p.queue_mode { "queue" } else { "partitions" },
        total
    );
    html! {
        <figure class="partitions">
            <canvas ref={canvas} data-testid="partition-bars" role="img" aria-label={label}
                style={format!("height:{height:.0}px")} {onmousemove} {onmouseleave} />
            <figcaption class="small" data-testid="dot-info" aria-live="polite">
                { match (*hover).clone() {
                    Some(t) => html! { { t } },
                    None => html! { <>
                        { "Hover a dot to see the message. " }
                        <span style={format!("color:{}", PALETTE[0])}>{ "●" }</span>{ " waiting · " }
                        <span style={format!("color:{}", PALETTE[1])}>{ "●" }</span>{ " being processed · " }
                        <span style={format!("color:{}", PALETTE[2])}>{ "●" }</span>{ " processed, offset not committed · " }
                        <span style={format!("color:{POISON}")}>{ "◆" }</span>{ " poison · ◯ ringed: delivered again" }
                    </> },
                } }
            </figcaption>
        </figure>
    }
}

fn draw(canvas: &HtmlCanvasElement, rows: &[PartitionView], queue_mode: bool, large: bool) {
    let Some((ctx, w, _h)) = super::canvas::prepare(canvas, 300, 40) else {
        return;
    };
    let rh = row_height(rows.len(), large);
    let tail_w = tail_width(large);
    let per_row = ((w - LABEL_W - tail_w) / DOT).floor().max(1.0) as usize;
    let font = match (large, rh >= 14.0) {
        (true, true) => "17px system-ui, sans-serif",
        (false, true) => "12px system-ui, sans-serif",
        (true, false) => "11px system-ui, sans-serif",
        (false, false) => "9px system-ui, sans-serif",
    };
    ctx.set_font(font);
    let mid_of = |i: usize| 4.0 + i as f64 * rh + rh / 2.0;
    // Stripes: one path for every other row.
    ctx.set_fill_style_str("#f3f5f8");
    ctx.begin_path();
    for i in (0..rows.len()).step_by(2) {
        ctx.rect(0.0, 4.0 + i as f64 * rh, w, rh);
    }
    ctx.fill();
    // Thin rows hold thousands of dots: squares rasterise far faster than circles.
    let squares = rh < 14.0 || (large && rh < 20.0);
    let radius = (rh.min(DOT) / 2.0 - 0.5).max(1.5);
    let x_of = |j: usize| LABEL_W + j as f64 * DOT + DOT / 2.0;
    // One path per colour over all rows: a handful of fills per frame, not one per message.
    for fill in COLOURS {
        ctx.set_fill_style_str(fill);
        ctx.begin_path();
        let mut any = false;
        for (i, r) in rows.iter().enumerate() {
            let mid = mid_of(i);
            for (j, d) in r.dots.iter().take(per_row).enumerate() {
                if colour(d) != fill {
                    continue;
                }
                any = true;
                let x = x_of(j);
                if d.poison {
                    // A diamond: state is never told by colour alone.
                    ctx.move_to(x, mid - radius - 1.0);
                    ctx.line_to(x + radius + 1.0, mid);
                    ctx.line_to(x, mid + radius + 1.0);
                    ctx.line_to(x - radius - 1.0, mid);
                    ctx.close_path();
                } else if squares {
                    ctx.rect(x - radius, mid - radius, 2.0 * radius, 2.0 * radius);
                } else {
                    ctx.move_to(x + radius, mid);
                    let _ = ctx.arc(x, mid, radius, 0.0, std::f64::consts::TAU);
                }
            }
        }
        if any {
            ctx.fill();
        }
    }
    // Redelivered messages get a ring.
    ctx.set_stroke_style_str("#000");
    ctx.set_line_width(1.0);
    ctx.begin_path();
    let mut ringed = false;
    for (i, r) in rows.iter().enumerate() {
        let mid = mid_of(i);
        for (j, _) in r
            .dots
            .iter()
            .take(per_row)
            .enumerate()
            .filter(|(_, d)| d.deliveries > 1)
        {
            let x = x_of(j);
            ctx.move_to(x + radius, mid);
            let _ = ctx.arc(x, mid, radius, 0.0, std::f64::consts::TAU);
            ringed = true;
        }
    }
    if ringed {
        ctx.stroke();
    }
    // Labels: every row when there are few, every fourth when they are thin.
    ctx.set_fill_style_str("#333");
    let label_every = if rows.len() > 16 { 4 } else { 1 };
    for (i, r) in rows.iter().enumerate() {
        let mid = mid_of(i);
        if i % label_every == 0 {
            let name = if queue_mode {
                "queue".to_string()
            } else {
                format!("p{}", r.index)
            };
            let _ = ctx.fill_text(&name, 4.0, mid + 4.0);
        }
        let shown = r.dots.len().min(per_row) as u64;
        let more = r.lag.saturating_sub(shown);
        let owner = r
            .owner
            .as_deref()
            .unwrap_or(if queue_mode { "" } else { "no owner" });
        let tail = if more > 0 {
            format!("+{more} · lag {} {owner}", r.lag)
        } else {
            format!("lag {} {owner}", r.lag)
        };
        let _ = ctx.fill_text(&tail, w - tail_w + 6.0, mid + 4.0);
    }
}
