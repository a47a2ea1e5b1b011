//! Getting a run out of the page: the main chart as SVG (redrawn as vector lines from the same
//! data the canvas shows) or PNG (the canvas's own pixels), and downloads built as blobs so a
//! long event log does not have to fit in a URL.

use super::chart::{fmt_tick as tick, nice_max, PALETTE};
use super::ChartData;
use std::fmt::Write;

/// The chart as a standalone SVG: one small panel per series, two per row, like the page.
pub fn chart_svg(data: &ChartData, title: &str) -> String {
    let n = data.columns.len().max(1);
    let cols = n.min(2);
    let rows = n.div_ceil(cols);
    let (pw, ph) = (480.0, 200.0);
    let (w, h) = (pw * cols as f64, ph * rows as f64 + 30.0);
    let x_end = data
        .x_end
        .max(data.times.last().copied().unwrap_or(0.0))
        .max(1e-9);
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="system-ui, sans-serif" font-size="12"><title>{}</title><rect width="100%" height="100%" fill="#fff"/><text x="8" y="18" font-size="14" font-weight="600">{}</text>"##,
        esc(title),
        esc(title)
    );
    for (i, (label, values)) in data.columns.iter().enumerate() {
        let (x0, y0) = ((i % cols) as f64 * pw, 30.0 + (i / cols) as f64 * ph);
        let (left, right, top, bottom) = (x0 + 44.0, x0 + pw - 12.0, y0 + 22.0, y0 + ph - 22.0);
        let ymax = nice_max(values.iter().copied().fold(0.0, f64::max));
        let _ = write!(
            s,
            r##"<text x="{left}" y="{}" fill="#333">{}</text>"##,
            y0 + 14.0,
            esc(label)
        );
        for k in 0..=2 {
            let y = bottom - (bottom - top) * k as f64 / 2.0;
            let _ = write!(
                s,
                r##"<line x1="{left}" y1="{y:.1}" x2="{right}" y2="{y:.1}" stroke="#d0d4da"/><text x="{}" y="{:.1}" fill="#666">{}</text>"##,
                x0 + 2.0,
                y + 4.0,
                tick(ymax * k as f64 / 2.0)
            );
        }
        let _ = write!(
            s,
            r##"<text x="{left}" y="{:.1}" fill="#666">0</text><text x="{:.1}" y="{:.1}" fill="#666" text-anchor="end">{x_end:.0} s</text>"##,
            bottom + 15.0,
            right,
            bottom + 15.0
        );
        let points: Vec<String> = data
            .times
            .iter()
            .zip(values)
            .map(|(t, v)| {
                let x = left + (right - left) * (t / x_end);
                let y = bottom - (bottom - top) * (v / ymax).clamp(0.0, 1.0);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let _ = write!(
            s,
            r##"<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>"##,
            PALETTE[i % PALETTE.len()],
            points.join(" ")
        );
    }
    s.push_str("</svg>");
    s
}

fn esc(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Starts a download of `text` as `name`.
pub fn download(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    download_url(name, &url);
    // Revoked later: revoking at once can cancel the download in some browsers.
    gloo::timers::callback::Timeout::new(30_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
}

/// Downloads the picture on the page's main chart canvas as PNG.
pub fn chart_png(name: &str) {
    use wasm_bindgen::JsCast;
    let canvas = gloo::utils::document()
        .query_selector("canvas[data-testid=chart]")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok());
    if let Some(url) = canvas.and_then(|c| c.to_data_url_with_type("image/png").ok()) {
        download_url(name, &url);
    }
}

/// Clicks a temporary link to `url` (the browser saves it as `name`).
fn download_url(name: &str, url: &str) {
    use wasm_bindgen::JsCast;
    let doc = gloo::utils::document();
    let Ok(a) = doc.create_element("a") else {
        return;
    };
    let _ = a.set_attribute("href", url);
    let _ = a.set_attribute("download", name);
    if let (Some(body), Ok(el)) = (doc.body(), a.clone().dyn_into::<web_sys::HtmlElement>()) {
        let _ = body.append_child(&a);
        el.click();
        let _ = body.remove_child(&a);
    }
}

/// Most event lines one download holds (a long run can process millions of events; past this
/// the file says it was cut short rather than freezing the tab).
pub const MAX_LOG_LINES: u64 = 250_000;

/// The run's event log as JSON lines: a header naming the run, then one object per event in
/// the order the engine handled it (`seq`, `t_s`, `event` as `kind` plus fields), with a
/// `command` line wherever the learner acted. Re-simulated from the time-travel snapshots, so
/// it is the run as it happened.
pub fn event_log_jsonl<W: scalelab_engine::sim::LabWorld>(
    snaps: &scalelab_engine::sim::Snapshots<W>,
    world: &W,
    link: &str,
) -> String {
    use serde_json::json;
    let mut out = json!({
        "link": link,
        "events": world.events(),
        "sim_time_s": world.now().as_secs_f64(),
        "trace_hash": world.trace_hash(),
        "event_format": "event.kind names the engine's event; its named fields sit beside it \
            (times in microseconds, named *_us); unnamed ones are listed in event.data",
    })
    .to_string();
    out.push('\n');
    let mut seq = 0u64;
    let mut cut = false;
    let cell = std::cell::RefCell::new(&mut out);
    snaps.replay_log(
        world.now(),
        &mut |t, e| {
            seq += 1;
            if seq > MAX_LOG_LINES {
                cut = true;
                return;
            }
            let line = json!({ "seq": seq, "t_s": t.as_secs_f64(), "event": e.to_json() });
            let mut o = cell.borrow_mut();
            o.push_str(&line.to_string());
            o.push('\n');
        },
        &mut |t| {
            let line = json!({ "t_s": t.as_secs_f64(), "command": "the learner acted here (a live fault or action); the run continues from the page's copy" });
            let mut o = cell.borrow_mut();
            o.push_str(&line.to_string());
            o.push('\n');
        },
    );
    if cut {
        let line = json!({ "truncated": true, "lines_kept": MAX_LOG_LINES, "events": seq });
        let mut o = cell.borrow_mut();
        o.push_str(&line.to_string());
        o.push('\n');
    }
    out
}
