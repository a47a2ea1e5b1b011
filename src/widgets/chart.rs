//! A live time-series chart drawn on a canvas (motion goes on a canvas, not through Yew's diff:
//! see ARCHITECTURE.md). One small panel per series, sharing the time axis.

use std::rc::Rc;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

/// The points to draw, copied out of the engine's bounded series (at most a few thousand).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartData {
    /// Seconds of virtual time.
    pub times: Vec<f64>,
    /// (label, values aligned with `times`).
    pub columns: Vec<(String, Vec<f64>)>,
    /// Right end of the time axis (at least the last time).
    pub x_end: f64,
}

impl ChartData {
    /// A chart of every column of an engine time series.
    pub fn from_series(series: &scalelab_engine::sim::TimeSeries, x_end: f64) -> ChartData {
        ChartData {
            times: series.times().iter().map(|t| t.as_secs_f64()).collect(),
            columns: series
                .columns()
                .iter()
                .enumerate()
                .map(|(i, c)| (c.to_string(), series.column(i).to_vec()))
                .collect(),
            x_end,
        }
    }
}

/// Okabe–Ito: distinguishable with the common forms of colour blindness.
pub const PALETTE: [&str; 6] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
];

#[derive(Properties, PartialEq)]
pub struct ChartProps {
    pub data: Rc<ChartData>,
    #[prop_or(220)]
    pub height: u32,
    /// All columns in one panel sharing the y axis (e.g. lag per partition).
    #[prop_or(false)]
    pub overlay: bool,
    #[prop_or(AttrValue::Static("chart"))]
    pub testid: AttrValue,
}

#[component]
pub fn TimeSeriesChart(p: &ChartProps) -> Html {
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        let data = p.data.clone();
        let overlay = p.overlay;
        use_effect_with(data, move |data| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                if overlay {
                    draw_overlay(&c, data);
                } else {
                    draw(&c, data);
                }
            }
        });
    }
    let summary = p
        .data
        .columns
        .iter()
        .map(|(name, v)| {
            format!(
                "{name}: {}",
                v.last().map(|x| format!("{x:.1}")).unwrap_or("–".into())
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        <figure class="chart">
            <canvas ref={canvas} data-testid={p.testid.clone()} height={p.height.to_string()}
                role="img" aria-label={format!("Time series over the run. Latest values: {summary}")} />
        </figure>
    }
}

pub(super) fn nice_max(v: f64) -> f64 {
    if v <= 0.0 || !v.is_finite() {
        return 1.0;
    }
    let mag = 10f64.powf(v.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if v <= m * mag {
            return m * mag;
        }
    }
    10.0 * mag
}

pub(super) fn fmt_tick(v: f64) -> String {
    if v >= 1000.0 {
        format!("{:.0}k", v / 1000.0)
    } else if v >= 10.0 || v == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

fn draw(canvas: &HtmlCanvasElement, data: &ChartData) {
    let Some((ctx, css_w, css_h)) = super::canvas::prepare(canvas, 200, 120) else {
        return;
    };
    let n = data.columns.len().max(1);
    let cols = if css_w > 1000.0 { n.min(4) } else { n.min(2) };
    let rows = n.div_ceil(cols);
    let pw = css_w / cols as f64;
    let ph = css_h / rows as f64;
    let x_end = data
        .x_end
        .max(data.times.last().copied().unwrap_or(0.0))
        .max(1e-9);
    let font = "12px system-ui, sans-serif";
    for (i, (label, values)) in data.columns.iter().enumerate() {
        let (x0, y0) = ((i % cols) as f64 * pw, (i / cols) as f64 * ph);
        let (left, right, top, bottom) = (x0 + 38.0, x0 + pw - 10.0, y0 + 22.0, y0 + ph - 20.0);
        let ymax = nice_max(values.iter().copied().fold(0.0, f64::max));
        ctx.set_font(font);
        ctx.set_fill_style_str("#333");
        let latest = values.last().copied();
        let title = match latest {
            Some(v) => format!("{label}  ({})", fmt_tick(v)),
            None => label.clone(),
        };
        let _ = ctx.fill_text(&title, left, y0 + 14.0);
        // Axes and grid.
        ctx.set_stroke_style_str("#d0d4da");
        ctx.set_line_width(1.0);
        for k in 0..=2 {
            let y = bottom - (bottom - top) * k as f64 / 2.0;
            ctx.begin_path();
            ctx.move_to(left, y);
            ctx.line_to(right, y);
            ctx.stroke();
            ctx.set_fill_style_str("#666");
            let _ = ctx.fill_text(&fmt_tick(ymax * k as f64 / 2.0), x0 + 2.0, y + 4.0);
        }
        let _ = ctx.fill_text(&format!("{:.0} s", x_end), right - 34.0, bottom + 14.0);
        let _ = ctx.fill_text("0", left, bottom + 14.0);
        // The line.
        if values.is_empty() {
            continue;
        }
        ctx.set_stroke_style_str(PALETTE[i % PALETTE.len()]);
        ctx.set_line_width(2.0);
        let points = data.times.iter().zip(values).map(|(t, v)| {
            (
                left + (right - left) * (t / x_end),
                bottom - (bottom - top) * (v / ymax).clamp(0.0, 1.0),
            )
        });
        stroke_line(&ctx, &thin(points));
    }
}

/// Every column in one panel; lines cycle through the palette and, past its length, dashes, so
/// neighbouring partitions stay apart without relying on colour alone.
fn draw_overlay(canvas: &HtmlCanvasElement, data: &ChartData) {
    let Some((ctx, w, h)) = super::canvas::prepare(canvas, 200, 120) else {
        return;
    };
    let x_end = data
        .x_end
        .max(data.times.last().copied().unwrap_or(0.0))
        .max(1e-9);
    let ymax = nice_max(
        data.columns
            .iter()
            .flat_map(|(_, v)| v.iter().copied())
            .fold(0.0, f64::max),
    );
    let (left, right, top, bottom) = (38.0, w - 10.0, 24.0, h - 20.0);
    ctx.set_font("12px system-ui, sans-serif");
    ctx.set_stroke_style_str("#d0d4da");
    ctx.set_line_width(1.0);
    for k in 0..=2 {
        let y = bottom - (bottom - top) * k as f64 / 2.0;
        ctx.begin_path();
        ctx.move_to(left, y);
        ctx.line_to(right, y);
        ctx.stroke();
        ctx.set_fill_style_str("#666");
        let _ = ctx.fill_text(&fmt_tick(ymax * k as f64 / 2.0), 2.0, y + 4.0);
    }
    let _ = ctx.fill_text(&format!("{:.0} s", x_end), right - 34.0, bottom + 14.0);
    let mut lx = left;
    for (i, (label, values)) in data.columns.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let dashed = (i / PALETTE.len()) % 2 == 1;
        let dash = js_sys::Array::new();
        if dashed {
            dash.push(&4.into());
            dash.push(&3.into());
        }
        let _ = ctx.set_line_dash(&dash);
        ctx.set_stroke_style_str(colour);
        ctx.set_line_width(1.6);
        let points = data.times.iter().zip(values).map(|(t, v)| {
            (
                left + (right - left) * (t / x_end),
                bottom - (bottom - top) * (v / ymax).clamp(0.0, 1.0),
            )
        });
        stroke_line(&ctx, &thin(points));
        if lx < right - 40.0 {
            ctx.set_fill_style_str(colour);
            let _ = ctx.fill_text(label, lx, 14.0);
            lx += 8.0 * label.len() as f64 + 12.0;
        }
    }
    let _ = ctx.set_line_dash(&js_sys::Array::new());
}

/// Horizontal pixels per bucket in [`thin`].
const THIN_PX: f64 = 2.0;

/// The points worth stroking for a line in screen coordinates: where several samples fall in
/// the same [`THIN_PX`]-wide column, only the lowest and the highest of them, in time order.
/// The line looks the same (spikes stay), but a series of a thousand samples in a few hundred
/// pixels costs a third as much to rasterise, which is what a canvas without a GPU spends most
/// of a frame on.
pub(super) fn thin(points: impl IntoIterator<Item = (f64, f64)>) -> Vec<(f64, f64)> {
    let all: Vec<(f64, f64)> = points.into_iter().collect();
    let mut out = Vec::with_capacity(all.len().min(1024));
    let mut start = 0;
    while start < all.len() {
        let column = (all[start].0 / THIN_PX).floor();
        let mut end = start + 1;
        while end < all.len() && (all[end].0 / THIN_PX).floor() == column {
            end += 1;
        }
        let run = &all[start..end];
        if run.len() <= 2 {
            out.extend_from_slice(run);
        } else {
            let by_y =
                |a: &(usize, &(f64, f64)), b: &(usize, &(f64, f64))| a.1 .1.total_cmp(&b.1 .1);
            let lo = run.iter().enumerate().min_by(by_y).map_or(0, |(i, _)| i);
            let hi = run.iter().enumerate().max_by(by_y).map_or(0, |(i, _)| i);
            out.push(run[lo.min(hi)]);
            if lo != hi {
                out.push(run[lo.max(hi)]);
            }
        }
        start = end;
    }
    out
}

fn stroke_line(ctx: &web_sys::CanvasRenderingContext2d, points: &[(f64, f64)]) {
    let Some(((x0, y0), rest)) = points.split_first() else {
        return;
    };
    ctx.begin_path();
    ctx.move_to(*x0, *y0);
    for (x, y) in rest {
        ctx.line_to(*x, *y);
    }
    ctx.stroke();
}

#[cfg(test)]
mod tests {
    use super::thin;

    #[test]
    fn thinning_keeps_each_columns_extremes_in_time_order() {
        // Ten samples per 2-px column over 100 px, with one spike.
        let points: Vec<(f64, f64)> = (0..500)
            .map(|i| {
                (
                    i as f64 * 0.2,
                    if i == 237 { 0.0 } else { 50.0 + (i % 7) as f64 },
                )
            })
            .collect();
        let out = thin(points.clone());
        assert!(out.len() <= 100, "{} points", out.len());
        assert!(out.contains(&(237.0 * 0.2, 0.0)), "the spike was lost");
        assert!(
            out.windows(2).all(|w| w[0].0 <= w[1].0),
            "out of time order"
        );
        assert_eq!(out.first(), Some(&(0.0, 50.0)));
        // Sparse data (at most two samples a column) is left alone.
        let sparse: Vec<(f64, f64)> = (0..50).map(|i| (i as f64 * 3.0, i as f64)).collect();
        assert_eq!(thin(sparse.clone()), sparse);
    }
}
