//! A matrix of numbers as shaded cells on a canvas: the shuffle (map task × reduce partition,
//! bytes moved). Darker = more; empty cells stay white so missing data is visible.

use std::rc::Rc;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct HeatmapData {
    pub rows: Vec<Vec<u64>>,
    pub row_label: &'static str,
    pub col_label: &'static str,
}

#[derive(Properties, PartialEq)]
pub struct HeatmapProps {
    pub data: Rc<HeatmapData>,
    #[prop_or(180)]
    pub height: u32,
}

#[component]
pub fn Heatmap(p: &HeatmapProps) -> Html {
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        use_effect_with(p.data.clone(), move |d| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                draw(&c, d);
            }
        });
    }
    let total: u64 = p.data.rows.iter().flatten().sum();
    html! {
        <canvas ref={canvas} class="heatmap" data-testid="shuffle-matrix" style={format!("height:{}px", p.height)}
            role="img" aria-label={format!("{} × {} matrix of {} ({} in total)", p.data.rows.len(),
                p.data.rows.first().map_or(0, Vec::len), p.data.col_label, total)} />
    }
}

fn draw(canvas: &HtmlCanvasElement, d: &HeatmapData) {
    let Some((ctx, w, h)) = super::canvas::prepare(canvas, 120, 60) else {
        return;
    };
    let rows = d.rows.len();
    let cols = d.rows.first().map_or(0, Vec::len);
    if rows == 0 || cols == 0 {
        return;
    }
    let (left, top) = (28.0, 16.0);
    let cw = (w - left - 4.0) / cols as f64;
    let ch = (h - top - 4.0) / rows as f64;
    let max = d.rows.iter().flatten().copied().max().unwrap_or(1).max(1) as f64;
    ctx.set_font("11px system-ui, sans-serif");
    ctx.set_fill_style_str("#555");
    let _ = ctx.fill_text(d.col_label, left, 11.0);
    for (i, row) in d.rows.iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            let x = left + j as f64 * cw;
            let y = top + i as f64 * ch;
            if *v == 0 {
                ctx.set_fill_style_str("#ffffff");
            } else {
                // Light to dark blue by share of the largest cell.
                let t = (*v as f64 / max).sqrt();
                let l = 92.0 - 62.0 * t;
                ctx.set_fill_style_str(&format!("hsl(205, 80%, {l:.0}%)"));
            }
            ctx.fill_rect(x, y, (cw - 1.0).max(1.0), (ch - 1.0).max(0.5));
        }
    }
    ctx.set_fill_style_str("#555");
    let _ = ctx.fill_text(d.row_label, 0.0, top + 10.0);
    for j in 0..cols {
        if cw > 14.0 {
            let _ = ctx.fill_text(&format!("r{j}"), left + j as f64 * cw + 2.0, h - 1.0);
        }
    }
}
