//! One module per lab. A lab page is the lab's explanation plus its live machine; the sandbox
//! (`#/sandbox`) runs the shared frame on the demo world.

pub mod bundle;
pub mod cache;
pub mod dag;
pub mod demo;
pub mod drills;
pub mod frame;
pub mod mapreduce;
pub mod partition;
pub mod pipeline;
pub mod queue;
pub mod scaling;
pub mod sparklog;
pub mod staging;
pub mod stream;
pub mod tools;

use crate::app::View;
use crate::catalog::LabInfo;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LabPageProps {
    pub info: LabInfo,
}

#[component]
pub fn LabPage(p: &LabPageProps) -> Html {
    let view = use_context::<View>().unwrap_or(View { presenter: false });
    let info = p.info;
    let ready = use_after_first_paint();
    html! {
        <article class="lab" data-lab={info.slug}>
            <header class="lab-head">
                <span class="lab-number" aria-hidden="true">{ info.number }</span>
                <h1>{ info.title }</h1>
            </header>
            if !view.presenter {
                <p class="lab-summary" data-testid="lab-summary">{ info.summary }</p>
            } else {
                <p class="lab-summary presenter-hidden" data-testid="lab-summary">{ info.tagline }</p>
            }
            if ready {
                { lab_view(info.slug, view.presenter) }
            } else {
                <p class="preparing" role="status" data-testid="lab-preparing">{ "Preparing the lab…" }</p>
            }
        </article>
    }
}

/// False for the page's first paint, true from the frame after. Building a lab's world can take
/// a second at its largest settings (two million records to generate and aggregate), so the page
/// shows its title and summary first and builds the machine once they are on screen. Two
/// animation frames: the first callback runs before the first paint, the second after it.
#[hook]
fn use_after_first_paint() -> bool {
    let ready = use_state(|| false);
    let frames = use_mut_ref(|| None::<gloo::render::AnimationFrame>);
    {
        let ready = ready.clone();
        let frames = frames.clone();
        use_effect_with((), move |_| {
            let inner = frames.clone();
            *frames.borrow_mut() = Some(gloo::render::request_animation_frame(move |_| {
                *inner.borrow_mut() = Some(gloo::render::request_animation_frame(move |_| {
                    ready.set(true);
                }));
            }));
            move || drop(frames.borrow_mut().take())
        });
    }
    *ready
}

/// The live lab for `slug`, if this build has it. A split release bundle holds only some labs
/// (see `scripts/split-bundles.sh`); for the others it asks the page to load their bundle.
fn lab_view(slug: &'static str, presenter: bool) -> Html {
    match slug {
        #[cfg(feature = "lab-sandbox")]
        "sandbox" => html! { <demo::DemoLab {presenter} /> },
        #[cfg(feature = "lab-mapreduce")]
        "mapreduce" => html! { <mapreduce::MapReduceLab {presenter} /> },
        #[cfg(feature = "lab-scaling")]
        "scaling" => html! { <scaling::ScalingLab {presenter} /> },
        #[cfg(feature = "lab-partitioning")]
        "partitioning" => html! { <partition::PartitionLab {presenter} /> },
        #[cfg(feature = "lab-batch-stream")]
        "batch-stream" => html! { <stream::StreamLab {presenter} /> },
        #[cfg(feature = "lab-tools")]
        "tools" => html! { <tools::ToolsLab {presenter} /> },
        #[cfg(feature = "lab-drills")]
        "drills" => html! { <drills::DrillsLab {presenter} /> },
        #[cfg(feature = "lab-performance")]
        "performance" => html! { <pipeline::PipelineLab {presenter} /> },
        #[cfg(feature = "lab-caching")]
        "caching" => html! { <cache::CacheLab {presenter} /> },
        #[cfg(feature = "lab-queues")]
        "queues" => html! { <queue::QueueLab {presenter} /> },
        _ => html! { <bundle::OtherBundle {slug} /> },
    }
}
