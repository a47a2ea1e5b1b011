//! The teaching parts every lab shares: the explanation panel, the guided experiments (ticked
//! when the engine shows they happened, not when a button is pressed) and the challenge.

use std::collections::BTreeSet;
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
    pub items: Vec<Experiment>,
}

/// Ticks stay ticked for the visit even after a restart clears the run that showed them.
#[component]
pub fn Experiments(p: &ExperimentsProps) -> Html {
    let ticked = use_mut_ref(BTreeSet::<&'static str>::new);
    for e in &p.items {
        if e.seen {
            ticked.borrow_mut().insert(e.id);
        }
    }
    let done = ticked.borrow().len();
    html! {
        <section class="panel experiments" aria-label="Guided experiments">
            <h2>{ format!("Guided experiments ({done}/{})", p.items.len()) }</h2>
            <ol>
                { for p.items.iter().map(|e| {
                    let ok = ticked.borrow().contains(e.id);
                    html! {
                        <li class={classes!(ok.then_some("seen"))} data-testid={format!("exp-{}", e.id)}
                            data-seen={ok.to_string()}>
                            <span class="tick" aria-label={if ok { "done" } else { "not yet" }}>{ if ok { "✔" } else { "○" } }</span>
                            <div><strong>{ e.title }</strong><p>{ e.how }</p></div>
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
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
