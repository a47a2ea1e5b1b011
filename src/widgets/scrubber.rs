//! The time-travel scrubber: a slider over the virtual time the run has reached. Dragging it
//! back restores the world from the nearest snapshot and re-simulates to the chosen moment, so
//! a teacher can replay the instant a worker crashed. The marks show where snapshots are.

use scalelab_engine::sim::{Rewind, SimTime};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ScrubberProps {
    pub now: SimTime,
    /// The latest time the run has reached: the right end.
    pub furthest: SimTime,
    /// Where snapshots are held.
    pub marks: Vec<SimTime>,
    pub last: Option<Rewind>,
    pub on_scrub: Callback<SimTime>,
}

#[component]
pub fn Scrubber(p: &ScrubberProps) -> Html {
    let max_ms = (p.furthest.as_micros() / 1000).max(1);
    let oninput = {
        let cb = p.on_scrub.clone();
        Callback::from(move |e: InputEvent| {
            let i: HtmlInputElement = e.target_unchecked_into();
            if let Ok(ms) = i.value().parse::<f64>() {
                cb.emit(SimTime::from_micros((ms.max(0.0) * 1000.0) as u64));
            }
        })
    };
    let pct =
        |t: SimTime| ((t.as_micros() / 1000) as f64 / max_ms as f64 * 100.0).clamp(0.0, 100.0);
    let note = match p.last {
        Some(r) => format!(
            "replayed {} events from the snapshot at {}",
            r.replayed, r.from
        ),
        None if p.marks.len() == 1 => "1 snapshot kept".to_string(),
        None => format!("{} snapshots kept", p.marks.len()),
    };
    html! {
        <div class="scrubber" data-testid="scrubber">
            <label for="time-travel">{ "Time travel" }</label>
            <div class="scrub-track">
                <input id="time-travel" type="range" data-testid="scrub" min="0" max={max_ms.to_string()}
                    step="1" value={(p.now.as_micros() / 1000).min(max_ms).to_string()}
                    disabled={p.furthest == SimTime::ZERO}
                    aria-valuetext={format!("{} of {}", p.now, p.furthest)}
                    title="Drag back to replay an earlier moment of this run" {oninput} />
                <div class="scrub-marks" aria-hidden="true">
                    { for p.marks.iter().map(|t| html! { <span style={format!("left:{:.2}%", pct(*t))}></span> }) }
                </div>
            </div>
            <span class="muted small" data-testid="scrub-note">{ note }</span>
        </div>
    }
}
