//! One module per lab. A lab page is the lab's explanation plus its live machine; the sandbox
//! (`#/sandbox`) runs the shared frame on the demo world.

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
            { match info.slug {
                "mapreduce" => html! { <mapreduce::MapReduceLab presenter={view.presenter} /> },
                "scaling" => html! { <scaling::ScalingLab presenter={view.presenter} /> },
                "partitioning" => html! { <partition::PartitionLab presenter={view.presenter} /> },
                "batch-stream" => html! { <stream::StreamLab presenter={view.presenter} /> },
                "tools" => html! { <tools::ToolsLab presenter={view.presenter} /> },
                "drills" => html! { <drills::DrillsLab presenter={view.presenter} /> },
                "performance" => html! { <pipeline::PipelineLab presenter={view.presenter} /> },
                "caching" => html! { <cache::CacheLab presenter={view.presenter} /> },
                "queues" => html! { <queue::QueueLab presenter={view.presenter} /> },
                _ => html! { <demo::DemoLab presenter={view.presenter} /> },
            } }
        </article>
    }
}
