//! The classroom row under the playback bar: copy the share link, download the run's metrics as
//! CSV, and the keyboard shortcuts (also shown with `?`).

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
    /// Builds and downloads the CSV (done on click, not every frame).
    pub on_csv: Callback<()>,
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
    html! {
        <div class="share-row">
            <button class="btn small" data-testid="copy-link" onclick={copy}>{ "Copy link" }</button>
            { match *copied {
                Some(true) => html! { <span class="small ok-text" role="status">{ "Link copied: it opens this exact run." }</span> },
                Some(false) => html! { <span class="small" role="status">{ "The browser refused the clipboard: copy the address bar instead." }</span> },
                None => html! {},
            } }
            <button class="btn small" data-testid="download-csv" onclick={csv}>{ "Metrics as CSV" }</button>
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

/// Starts a download of `text` as `name` (a temporary link, clicked and removed).
pub fn download(name: &str, mime: &str, text: &str) {
    use wasm_bindgen::JsCast;
    let doc = gloo::utils::document();
    let Ok(a) = doc.create_element("a") else {
        return;
    };
    let href = format!(
        "data:{mime};charset=utf-8,{}",
        js_sys::encode_uri_component(text)
    );
    let _ = a.set_attribute("href", &href);
    let _ = a.set_attribute("download", name);
    if let (Some(body), Ok(el)) = (doc.body(), a.clone().dyn_into::<web_sys::HtmlElement>()) {
        let _ = body.append_child(&a);
        el.click();
        let _ = body.remove_child(&a);
    }
}
