//! `#/progress`: which guided experiments a learner has done and which predictions were right.
//! The learner copies a summary link (`#/progress?name=Ada&p=…`) for the teacher; opening that
//! link shows the same table for that learner, read-only, so a teacher can go through a class
//! by opening one link, or paste them all on the class page (`#/class`).

use super::progress::{Progress, CSV_HEADER};
use super::questions::QUESTIONS;
use crate::catalog::LABS;
use crate::url_state::current_query;
use crate::widgets::export::download;
use scalelab_engine::sim::params::Params;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The labs with guided experiments, in curriculum order (the link's order).
pub fn labs() -> Vec<&'static str> {
    LABS.iter()
        .map(|l| l.slug)
        .filter(|s| QUESTIONS.iter().any(|q| q.lab == *s))
        .collect()
}

/// A summary link's contents, or why it cannot be read.
fn shared() -> Option<Result<Progress, String>> {
    let params = Params::parse(&current_query());
    let code = params.get("p")?;
    Some(Progress::decode(code, &labs()).map(|mut p| {
        p.name = params.get("name").unwrap_or("").chars().take(60).collect();
        p
    }))
}

#[component]
pub fn ProgressPage() -> Html {
    let shared = use_memo((), |_| shared());
    let mine = use_state(Progress::load);
    let copied = use_state(|| None::<bool>);
    let confirm_reset = use_state(|| false);
    let (progress, read_only, error) = match &*shared {
        Some(Ok(p)) => (p.clone(), true, None),
        Some(Err(e)) => ((*mine).clone(), false, Some(e.clone())),
        None => ((*mine).clone(), false, None),
    };
    let labs = labs();
    let link = {
        let origin = gloo::utils::window().location().href().unwrap_or_default();
        let base = origin.split('#').next().unwrap_or("").to_string();
        let mut q = Params::new();
        if !progress.name.is_empty() {
            q.set("name", &progress.name);
        }
        q.set("p", progress.encode(&labs));
        format!("{base}#/progress?{}", q.encode())
    };
    let total = QUESTIONS.len();
    let seen = QUESTIONS
        .iter()
        .filter(|q| progress.entry(q.lab, q.id).seen)
        .count();
    let right = QUESTIONS
        .iter()
        .filter(|q| progress.entry(q.lab, q.id).predicted == Some(q.answer))
        .count();

    let on_name = {
        let mine = mine.clone();
        Callback::from(move |e: InputEvent| {
            let i: HtmlInputElement = e.target_unchecked_into();
            let mut p = (*mine).clone();
            p.name = i.value().chars().take(60).collect();
            p.save();
            mine.set(p);
        })
    };
    let on_copy = {
        let copied = copied.clone();
        let link = link.clone();
        Callback::from(move |_: MouseEvent| {
            let promise = gloo::utils::window()
                .navigator()
                .clipboard()
                .write_text(&link);
            let copied = copied.clone();
            wasm_bindgen_futures::spawn_local(async move {
                copied.set(Some(
                    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok(),
                ));
            });
        })
    };
    let on_csv = {
        let progress = progress.clone();
        Callback::from(move |_: MouseEvent| {
            let mut csv = CSV_HEADER.to_string();
            progress.csv_rows(&progress.name, &mut csv);
            download("scalelab-progress.csv", "text/csv", &csv);
        })
    };
    let on_reset = {
        let mine = mine.clone();
        let confirm_reset = confirm_reset.clone();
        Callback::from(move |_: MouseEvent| {
            if *confirm_reset {
                Progress::clear();
                mine.set(Progress::default());
                confirm_reset.set(false);
            } else {
                confirm_reset.set(true);
            }
        })
    };

    html! {
        <section class="progress-page" data-testid="progress-page">
            <h1>{ if read_only && !progress.name.is_empty() { format!("{}'s progress", progress.name) } else { "Progress".to_string() } }</h1>
            if let Some(e) = error {
                <p class="banner error" role="alert" data-testid="url-error">
                    { format!("This summary link could not be read ({e}); showing your own progress instead.") }
                </p>
            }
            if read_only {
                <p class="banner" data-testid="shared-banner">
                    { "A summary someone sent as a link: experiments they saw the engine show, and whether each prediction was right. " }
                    <a href="#/progress">{ "Show my own progress" }</a>
                    { " · " }
                    <a href="#/class" data-testid="class-page-link">{ "Got many? Paste them all on the class page" }</a>
                </p>
            } else {
                <p class="lead">{ "Each lab's guided experiments, ticked when the engine showed them on your screen. \
                    Kept in this browser only; copy the summary link to send it to your teacher." }</p>
                <div class="progress-actions">
                    <label class="field"><span>{ "Your name" }</span>
                        <input type="text" data-testid="student-name" value={progress.name.clone()} maxlength="60"
                            oninput={on_name} aria-label="Your name, shown to your teacher" />
                    </label>
                    <button class="btn primary" data-testid="copy-progress" onclick={on_copy}>{ "Copy summary link" }</button>
                    <button class="btn" data-testid="progress-csv" onclick={on_csv.clone()}>{ "Download as CSV" }</button>
                    <button class="btn" data-testid="progress-reset" onclick={on_reset}>
                        { if *confirm_reset { "Really forget everything?" } else { "Reset my progress" } }
                    </button>
                    { match *copied {
                        Some(true) => html! { <span class="small ok-text" role="status">{ "Copied." }</span> },
                        Some(false) => html! { <span class="small" role="status">{ "The browser refused the clipboard; the link is below." }</span> },
                        None => html! {},
                    } }
                </div>
                <p class="small muted">{ "Summary link: " }<code data-testid="progress-link">{ link.clone() }</code></p>
                <p class="small">{ "Teaching? " }<a href="#/class" data-testid="class-page-link">
                    { "Paste your students' summary links on the class page" }</a>{ " to see the whole class in one table." }</p>
            }
            <p class="progress-total" data-testid="progress-total" aria-live="polite">
                { format!("Done: {seen} of {total} experiments · predictions right: {right} of {total}") }
            </p>
            { for labs.iter().map(|slug| {
                let info = LABS.iter().find(|l| l.slug == *slug).expect("a lab");
                let qs: Vec<_> = QUESTIONS.iter().filter(|q| q.lab == *slug).collect();
                let n = qs.iter().filter(|q| progress.entry(q.lab, q.id).seen).count();
                html! {
                    <section class="panel progress-lab" data-testid={format!("progress-{slug}")}>
                        <h2><a href={format!("#/{slug}")}>{ format!("{}. {}", info.number, info.title) }</a>
                            <span class="muted small">{ format!("  {n}/{}", qs.len()) }</span></h2>
                        <table class="results progress-table">
                            <thead><tr><th>{ "Experiment" }</th><th>{ "Done" }</th><th>{ "Prediction" }</th></tr></thead>
                            <tbody>
                                { for qs.iter().map(|q| {
                                    let e = progress.entry(q.lab, q.id);
                                    let pred = match e.predicted {
                                        Some(c) if c == q.answer => "✔ right",
                                        Some(_) => "✖ not right",
                                        None if read_only => "–",
                                        None => "– not made",
                                    };
                                    html! {
                                        <tr data-testid={format!("row-{}-{}", q.lab, q.id)} data-done={e.seen.to_string()}>
                                            <td>{ q.title }</td>
                                            <td>{ if e.seen { "✔ done" } else { "○ not yet" } }</td>
                                            <td>{ pred }</td>
                                        </tr>
                                    }
                                }) }
                            </tbody>
                        </table>
                    </section>
                }
            }) }
        </section>
    }
}
