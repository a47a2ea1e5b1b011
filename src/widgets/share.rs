//! The classroom row under the playback bar: copy the share link, export the run (metrics CSV,
//! chart SVG/PNG, event log) and the keyboard shortcuts (also shown with `?`).

use yew::prelude::*;

/// The keys the lab frame answers to.
pub const SHORTCUTS: [(&str, &str); 7] = [
    ("Space", "play / pause"),
    ("→", "one event"),
    ("+ / −", "faster / slower"),
    ("R", "restart the same run"),
    ("E", "run to the end"),
    (
        "F",
        "inject the lab's main fault (a crash, a killed cache, a spike)",
    ),
    ("?", "show or hide this list"),
];

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    pub help: bool,
    pub on_help: Callback<()>,
    /// Build and download the exports (done on click, not every frame).
    pub on_csv: Callback<()>,
    pub on_svg: Callback<()>,
    pub on_png: Callback<()>,
    pub on_events: Callback<()>,
}

#[component]
pub fn ShareRow(p: &ShareProps) -> Html {
    let copied = use_state(|| None::<bool>);
    let copy = {
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            let w = gloo::utils::window();
            let href = w.location().href().unwrap_or_default();
            let promise = w.navigator().clipboard().write_text(&href);
            let copied = copied.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
                copied.set(Some(ok));
            });
        })
    };
    let help = p.on_help.reform(|_: MouseEvent| ());
    let csv = p.on_csv.reform(|_: MouseEvent| ());
    let svg = p.on_svg.reform(|_: MouseEvent| ());
    let png = p.on_png.reform(|_: MouseEvent| ());
    let events = p.on_events.reform(|_: MouseEvent| ());
    html! {
        <div class="share-row">
            <button class="btn small" data-testid="copy-link" onclick={copy}>{ "Copy link" }</button>
            { match *copied {
                Some(true) => html! { <span class="small ok-text" role="status">{ "Link copied: it opens this exact run." }</span> },
                Some(false) => html! { <span class="small" role="status">{ "The browser refused the clipboard: copy the address bar instead." }</span> },
                None => html! {},
            } }
            <span class="export" role="group" aria-label="Export this run">
                <span class="small muted">{ "Export:" }</span>
                <button class="btn small" data-testid="download-csv" onclick={csv}>{ "Metrics CSV" }</button>
                <button class="btn small" data-testid="download-svg" onclick={svg}>{ "Chart SVG" }</button>
                <button class="btn small" data-testid="download-png" onclick={png}>{ "Chart PNG" }</button>
                <button class="btn small" data-testid="download-events" onclick={events}
                    title="Every event of the run as it happened, one JSON object per line">{ "Event log (JSON lines)" }</button>
            </span>
            <button class="btn small" data-testid="shortcuts" aria-expanded={p.help.to_string()} onclick={help}>{ "⌨ Shortcuts (?)" }</button>
            if p.help {
                <div class="shortcuts" data-testid="shortcuts-help" role="dialog" aria-label="Keyboard shortcuts">
                    <table><tbody>
                        { for SHORTCUTS.iter().map(|(k, v)| html! { <tr><td><kbd>{ *k }</kbd></td><td>{ *v }</td></tr> }) }
                    </tbody></table>
                </div>
            }
        </div>
    }
}
