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
            <section class="panel teaching" data-testid="teaching" aria-labelledby="teaching-title">
                <h2 id="teaching-title">{ "Teaching with ScaleLab" }</h2>
                <ul>
                    <li>{ "Presenter mode (top right) enlarges everything for a projector; press ? in a lab for its keys \
                           (Space plays, F injects the lab's main fault, R restarts)." }</li>
                    <li>{ "Copy link in any lab gives a short address that replays exactly that run, faults and all, \
                           on every student's screen; the time-travel slider rewinds to the moment it broke." }</li>
                    <li>{ "Each lab's guided experiments ask for a prediction first. Students send the summary link from " }
                        <a href="#/progress">{ "My progress" }</a>{ "; paste a class's links on the " }
                        <a href="#/class" data-testid="home-class-link">{ "class page" }</a>
                        { " to see who did what and which predictions to discuss." }</li>
                    <li>{ "Once loaded, the site works offline." }</li>
                </ul>
            </section>
        </section>
    }
}
