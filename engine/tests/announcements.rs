//! The page's live region reads `LabWorld::announcement`. It must say what a learner can hear
//! happening (a stage moving on, a job ending) and change only a few times a run, or a screen
//! reader would be flooded. Checked on the labs that announce progress rather than faults.

use scalelab_engine::partition::{PartitionScenario, PartitionWorld};
use scalelab_engine::pipeline::{PipelineScenario, PipelineWorld};
use scalelab_engine::sim::{LabWorld, SimTime};
use scalelab_engine::stream::{StreamScenario, StreamWorld};

/// Plays the run in small steps; returns every distinct announcement, in order.
fn heard<W: LabWorld>(mut w: W) -> Vec<String> {
    let mut said: Vec<String> = Vec::new();
    while !w.is_done() && w.now() < SimTime::from_secs(3_600) {
        w.advance(w.now() + SimTime::from_millis(50), 2_000);
        if let Some(a) = w.announcement() {
            if said.last() != Some(&a) {
                said.push(a);
            }
        }
    }
    assert!(w.is_done(), "the run did not finish");
    said
}

fn check(name: &str, said: &[String], first: &str, last: &str, most: usize) {
    println!("{name}: {said:#?}");
    assert!(
        said.first().is_some_and(|s| s.contains(first)),
        "{name}: first announcement {said:?} lacks {first:?}"
    );
    assert!(
        said.last().is_some_and(|s| s.contains(last)),
        "{name}: last announcement {said:?} lacks {last:?}"
    );
    assert!(
        said.len() <= most,
        "{name}: {} announcements (at most {most}): {said:?}",
        said.len()
    );
}

#[test]
fn progress_labs_announce_stages_and_the_end_a_few_times_a_run() {
    let partition = heard(PartitionWorld::new(&PartitionScenario::default()));
    check(
        "partitioning",
        &partition,
        "being aggregated",
        "match a single pass",
        3,
    );
    let pipeline = heard(PipelineWorld::new(&PipelineScenario::default()));
    check("performance", &pipeline, "stage 1 of", "job done", 12);
    let stream = heard(StreamWorld::new(&StreamScenario::default()));
    check(
        "batch-stream",
        &stream,
        "batch run(s) finished",
        "all windows closed",
        40,
    );
}
