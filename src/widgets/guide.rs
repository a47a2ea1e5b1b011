//! The teaching parts every lab shares: the explanation panel, the guided experiments (ticked
//! when the engine shows they happened, not when a button is pressed, with a prediction asked
//! first) and the challenge.

use crate::guided::progress::{Entry, Progress};
use crate::guided::questions::{Predict, QUESTIONS};
use yew::prelude::*;

/// One guided experiment: what to try, and whether the engine has seen it happen.
#[derive(Clone, Debug, PartialEq)]
pub struct Experiment {
    pub id: &'static str,
    pub title: &'static str,
    /// What to do and what to look for.
    pub how: &'static str,
    /// True once the run shows it (computed by the lab from engine state each frame).
    pub seen: bool,
}

#[derive(Properties, PartialEq)]
pub struct ExperimentsProps {
    /// The lab's slug: progress and predictions are kept per lab.
    pub lab: &'static str,
    pub items: Vec<Experiment>,
}

/// The checklist, with a "predict first" question on each experiment (guided mode): asked
/// before the learner runs it, answered and explained once the engine has shown it. Ticks and
/// predictions are kept in local storage, so they survive a restart and show on `#/progress`.
#[component]
pub fn Experiments(p: &ExperimentsProps) -> Html {
    let progress = use_mut_ref(Progress::load);
    let update = use_force_update();
    let mut changed = false;
    for e in &p.items {
        if e.seen {
            changed |= progress.borrow_mut().mark_seen(p.lab, e.id);
        }
    }
    if changed {
        progress.borrow().save();
    }
    let done = p
        .items
        .iter()
        .filter(|e| progress.borrow().entry(p.lab, e.id).seen)
        .count();
    let lab = p.lab;
    html! {
        <section class="panel experiments" aria-label="Guided experiments">
            <h2>{ format!("Guided experiments ({done}/{})", p.items.len()) }</h2>
            <ol>
                { for p.items.iter().map(|e| {
                    let entry = progress.borrow().entry(lab, e.id);
                    let ok = entry.seen;
                    let q = predict_for(lab, e.id);
                    let on_pick = {
                        let progress = progress.clone();
                        let update = update.clone();
                        let id = e.id;
                        Callback::from(move |choice: usize| {
                            progress.borrow_mut().predict(lab, id, choice);
                            progress.borrow().save();
                            update.force_update();
                        })
                    };
                    html! {
                        <li class={classes!(ok.then_some("seen"))} data-testid={format!("exp-{}", e.id)}
                            data-seen={ok.to_string()}>
                            <span class="tick" role="img" aria-label={if ok { "done" } else { "not yet" }}>{ if ok { "✔" } else { "○" } }</span>
                            <div>
                                <strong>{ e.title }</strong>
                                // The steps also say what to look for, which would give the
                                // answer away: they show once the learner has predicted.
                                if q.is_some() && entry.predicted.is_none() && !ok {
                                    <p class="muted small">{ "Make your prediction to see the steps." }</p>
                                } else {
                                    <p>{ e.how }</p>
                                }
                                if let Some(q) = q {
                                    { prediction(q, &entry, on_pick) }
                                }
                            </div>
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}

/// The question before the run; the verdict and the reason after it.
fn prediction(q: &'static Predict, entry: &Entry, on_pick: Callback<usize>) -> Html {
    let testid = format!("predict-{}", q.id);
    match (entry.predicted, entry.seen) {
        (None, false) => html! {
            <div class="predict" data-testid={testid} role="group" aria-label={format!("Predict: {}", q.question)}>
                <p class="predict-q"><span class="badge">{ "Predict first" }</span>{ " " }{ q.question }</p>
                <div class="choices">
                    { for q.choices.iter().enumerate().map(|(i, c)| {
                        let pick = on_pick.reform(move |_: MouseEvent| i);
                        html! { <button class="btn small choice" data-testid={format!("choice-{}-{i}", q.id)} onclick={pick}>{ *c }</button> }
                    }) }
                </div>
            </div>
        },
        (Some(c), false) => html! {
            <div class="predict" data-testid={testid}>
                <p class="predict-q">{ q.question }</p>
                <p class="small" data-testid={format!("predicted-{}", q.id)}>
                    { format!("You predicted: “{}”. Now run it and see.", q.choices.get(c).copied().unwrap_or("?")) }
                </p>
            </div>
        },
        (picked, true) => {
            let right = picked == Some(q.answer);
            let verdict = match picked {
                Some(_) if right => "✔ Your prediction was right.".to_string(),
                Some(c) => format!(
                    "✖ You predicted “{}”.",
                    q.choices.get(c).copied().unwrap_or("?")
                ),
                None => "You ran it before predicting.".to_string(),
            };
            html! {
                <div class={classes!("predict", "answered", right.then_some("right"))} data-testid={testid}>
                    <p class="predict-q">{ q.question }</p>
                    <p class="small" data-testid={format!("verdict-{}", q.id)}>
                        <strong>{ verdict }</strong>{ format!(" Answer: “{}”. ", q.choices[q.answer]) }{ q.why }
                    </p>
                </div>
            }
        }
    }
}

fn predict_for(lab: &str, id: &str) -> Option<&'static Predict> {
    QUESTIONS.iter().find(|q| q.lab == lab && q.id == id)
}

#[derive(Properties, PartialEq)]
pub struct ChallengeProps {
    pub goal: AttrValue,
    /// `None` until a run has finished; then whether the goal was met and the measured numbers.
    pub result: Option<(bool, String)>,
}

#[component]
pub fn Challenge(p: &ChallengeProps) -> Html {
    let (cls, text) = match &p.result {
        None => ("pending", "Finish a run to be scored.".to_string()),
        Some((true, m)) => ("met", format!("✔ Goal met: {m}")),
        Some((false, m)) => ("missed", format!("✖ Not yet: {m}")),
    };
    html! {
        <section class={classes!("panel", "challenge", cls)} aria-label="Challenge" data-testid="challenge">
            <h2>{ "Challenge" }</h2>
            <p>{ p.goal.clone() }</p>
            <p class="challenge-result" data-testid="challenge-result" aria-live="polite">{ text }</p>
        </section>
    }
}

/// A section of the explanation panel.
#[derive(Clone, Debug, PartialEq)]
pub struct Explain {
    pub heading: &'static str,
    pub body: &'static str,
}

#[derive(Properties, PartialEq)]
pub struct ExplanationProps {
    pub sections: Vec<Explain>,
    /// (what the lab calls it, what real systems call it).
    #[prop_or_default]
    pub real_names: Vec<(&'static str, &'static str)>,
}

#[component]
pub fn Explanation(p: &ExplanationProps) -> Html {
    html! {
        <section class="panel explanation" aria-label="Explanation">
            { for p.sections.iter().map(|s| html! {
                <>
                    <h3>{ s.heading }</h3>
                    <p>{ s.body }</p>
                </>
            }) }
            if !p.real_names.is_empty() {
                <h3>{ "What it's called in the real world" }</h3>
                <table class="real-names">
                    <thead><tr><th>{ "In this lab" }</th><th>{ "In real systems" }</th></tr></thead>
                    <tbody>
                        { for p.real_names.iter().map(|(a, b)| html! { <tr><td>{ *a }</td><td>{ *b }</td></tr> }) }
                    </tbody>
                </table>
            }
        </section>
    }
}
