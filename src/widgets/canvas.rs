//! Canvas plumbing shared by the drawn widgets: size the backing store for the device pixel
//! ratio and hand back a context in CSS pixels.

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// Prepares `canvas` for drawing at its CSS size; returns the context and (width, height).
pub fn prepare(
    canvas: &HtmlCanvasElement,
    min_w: i32,
    min_h: i32,
) -> Option<(CanvasRenderingContext2d, f64, f64)> {
    let dpr = gloo::utils::window().device_pixel_ratio().max(1.0);
    let css_w = canvas.client_width().max(min_w) as f64;
    let css_h = canvas.client_height().max(min_h) as f64;
    let (w, h) = ((css_w * dpr) as u32, (css_h * dpr) as u32);
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    let ctx = canvas
        .get_context("2d")
        .ok()
        .flatten()?
        .dyn_into::<CanvasRenderingContext2d>()
        .ok()?;
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, css_w, css_h);
    Some((ctx, css_w, css_h))
}
