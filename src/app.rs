//! The app shell: header, presenter mode, and the router that maps `#/<slug>` to a lab.

use crate::catalog::{self, LABS};
use crate::guided::page::ProgressPage;
use crate::home::Home;
use crate::labs::LabPage;
use crate::route::Route;
use crate::url_state::{current_query, split_view};
use scalelab_engine::sim::params::Params;
use yew::prelude::*;
use yew_router::prelude::*;

/// View settings every page can read (presenter mode changes type size and hides prose).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    pub presenter: bool,
}

#[component]
pub fn App() -> Html {
    let presenter = use_state(|| split_view(Params::parse(&current_query())).1.presenter);
    let toggle = {
        let presenter = presenter.clone();
        Callback::from(move |_: MouseEvent| presenter.set(!*presenter))
    };
    let view = View {
        presenter: *presenter,
    };
    // The first-render budget is measured from this mark (see scripts/bench-browser.sh).
    use_effect_with((), |_| {
        if let Some(p) = gloo::utils::window().performance() {
            let _ = p.mark("scalelab-first-render");
        }
    });
    html! {
        <HashRouter>
            <ContextProvider<View> context={view}>
                <div class={classes!("app", view.presenter.then_some("presenter"))}>
                    <header class="top">
                        <a class="brand" href="#/">{ "ScaleLab" }</a>
                        <nav class="lab-nav" aria-label="Labs">
                            { for LABS.iter().map(|l| html! {
                                <a href={format!("#/{}", l.slug)} title={l.title}>{ l.number }</a>
                            }) }
                        </nav>
                        <a class="btn ghost" href="#/progress" data-testid="progress-link-nav">{ "My progress" }</a>
                        <button class="btn ghost" data-testid="presenter-toggle" onclick={toggle}
                            aria-pressed={view.presenter.to_string()}>
                            { if view.presenter { "Exit presenter mode" } else { "Presenter mode" } }
                        </button>
                    </header>
                    <main>
                        <Switch<Route> render={switch} />
                    </main>
                    <div id="fatal" class="fatal" role="alert"></div>
                </div>
            </ContextProvider<View>>
        </HashRouter>
    }
}

fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <Home /> },
        Route::Lab { slug } if slug == "progress" => html! { <ProgressPage /> },
        Route::Lab { slug } if slug == "class" => class_page(),
        Route::Lab { slug } => match catalog::lab(&slug) {
            Some(info) => html! { <LabPage key={slug.clone()} info={*info} /> },
            None => not_found(&slug),
        },
        Route::NotFound => not_found(""),
    }
}

/// The teachers' class page is in one release bundle (see `scripts/split-bundles.sh`).
#[cfg(feature = "lab-class")]
fn class_page() -> Html {
    html! { <crate::guided::class::ClassPage /> }
}

#[cfg(not(feature = "lab-class"))]
fn class_page() -> Html {
    html! { <crate::labs::bundle::OtherBundle slug="class" /> }
}

fn not_found(slug: &str) -> Html {
    html! {
        <section class="not-found">
            <h1>{ "No such lab" }</h1>
            <p data-testid="url-error" class="banner error">
                { format!("The address names `{slug}`, which is not one of the nine labs. ") }
                <a href="#/">{ "Back to the overview" }</a>
            </p>
        </section>
    }
}
