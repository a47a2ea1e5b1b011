//! The home page: the nine topics of the course, each a door into its lab.

use crate::catalog::LABS;
use yew::prelude::*;

#[component]
pub fn Home() -> Html {
    html! {
        <section class="home" data-testid="home">
            <div class="hero">
                <h1>{ "ScaleLab" }</h1>
                <p class="lead">
                    { "Run real data machinery in your browser and watch it scale, queue and fail. \
                       Every bar, dot and number comes from an engine doing the actual work on a \
                       simulated clock: same scenario and seed, same run, on every screen." }
                </p>
            </div>
            <ol class="lab-grid">
                { for LABS.iter().map(|l| html! {
                    <li>
                        <a class="lab-card" data-testid={format!("lab-link-{}", l.slug)} href={format!("#/{}", l.slug)}>
                            <span class="lab-number" aria-hidden="true">{ l.number }</span>
                            <span class="lab-title">{ l.title }</span>
                            <span class="lab-tagline">{ l.tagline }</span>
                        </a>
                    </li>
                }) }
            </ol>
        </section>
    }
}
