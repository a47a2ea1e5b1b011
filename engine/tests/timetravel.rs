//! Time travel must be the same run: jumping back to time T and replaying from the nearest
//! snapshot gives exactly the state a straight run has at T (same trace hash, same event count),
//! and playing on from there ends where the original run ended. Checked for every lab's world.

use scalelab_engine::cache::{CacheScenario, CacheWorld};
use scalelab_engine::dag::{DagScenario, DagWorld};
use scalelab_engine::demo::{DemoScenario, DemoWorld};
use scalelab_engine::drills::{DrillScenario, DrillWorld};
use scalelab_engine::mapreduce::{Input, MapReduceScenario, MapReduceWorld};
use scalelab_engine::partition::{PartitionScenario, PartitionWorld};
use scalelab_engine::pipeline::{PipelineScenario, PipelineWorld};
use scalelab_engine::queue::{QueueScenario, QueueWorld};
use scalelab_engine::scaling::{PairScenario, PairWorld};
use scalelab_engine::sim::{LabWorld, SimTime, Snapshots};
use scalelab_engine::stream::{StreamScenario, StreamWorld};

/// Longest run a check plays (long open-ended labs are cut here).
const HORIZON: SimTime = SimTime::from_secs(600);

/// Plays `world` in small uneven steps the way the page does, keeping snapshots; returns them
/// and the end state.
fn play<W: LabWorld>(mut world: W) -> (W, Snapshots<W>) {
    let mut snaps = Snapshots::new(&world, SimTime::from_millis(250));
    let mut i = 0u64;
    while !world.is_done() && world.now() < HORIZON {
        let step = SimTime::from_millis(3 + (i % 5) * 2);
        world.advance((world.now() + step).min(HORIZON), 3_000 + (i % 7) * 500);
        snaps.observe(&world);
        i += 1;
    }
    (world, snaps)
}

/// The first events of a run as the downloadable log has them: every event must have a `kind`
/// and its fields as JSON, never the Debug fallback. Returns the kinds seen.
fn logged_kinds<W: LabWorld>(name: &str, mut world: W) -> std::collections::BTreeSet<String> {
    let mut kinds = std::collections::BTreeSet::new();
    let mut n = 0u64;
    world.advance_logged(SimTime::MAX, 5_000, &mut |_, e| {
        let j = e.to_json();
        assert!(!j.contains_key("debug"), "{name}: {e:?} did not serialise");
        let kind = j.get("kind").and_then(|k| k.as_str());
        let kind = kind.unwrap_or_else(|| panic!("{name}: {e:?} has no kind"));
        assert!(!kind.ends_with('?'), "{name}: {e:?} is not an enum variant");
        kinds.insert(kind.to_string());
        n += 1;
    });
    assert_eq!(n, world.events(), "{name}: an event was not logged");
    kinds
}

fn check<W: LabWorld>(name: &str, fresh: impl Fn() -> W) {
    let kinds = logged_kinds(name, fresh());
    assert!(kinds.len() >= 2, "{name}: the log has only {kinds:?}");
    let (end, snaps) = play(fresh());
    let reached = snaps.furthest();
    assert!(reached > SimTime::ZERO, "{name}: the run went nowhere");
    assert!(snaps.len() >= 2, "{name}: only {} snapshot(s)", snaps.len());
    for frac in [0.0, 0.13, 0.5, 0.77, 1.0] {
        let target = SimTime::from_micros((reached.as_micros() as f64 * frac) as u64);
        let mut straight = fresh();
        straight.advance(target, u64::MAX);
        let (back, how) = snaps.rewind(target);
        assert!(
            how.from <= target,
            "{name}: replay started after its target"
        );
        assert_eq!(
            (back.trace_hash(), back.events(), back.now()),
            (straight.trace_hash(), straight.events(), straight.now()),
            "{name}: rewinding to {target:?} is not the straight run at that time"
        );
        // Playing on from the rewound state ends exactly where the original run ended.
        let mut on = back;
        on.advance(end.now(), u64::MAX);
        assert_eq!(
            (on.trace_hash(), on.events()),
            (end.trace_hash(), end.events()),
            "{name}: playing on after rewinding to {target:?} diverged"
        );
    }
}

#[test]
fn every_lab_replays_exactly_from_its_snapshots() {
    check("scaling", || PairWorld::new(&PairScenario::default()));
    check("batch-stream", || {
        StreamWorld::new(&StreamScenario::default())
    });
    check("partitioning", || {
        PartitionWorld::new(&PartitionScenario::default())
    });
    check("mapreduce", || {
        let s = MapReduceScenario {
            inputs: vec!["a".into(), "b".into()],
            ..MapReduceScenario::default()
        };
        let text = "the quick brown fox jumps over the lazy dog and the dog sleeps ".repeat(2000);
        MapReduceWorld::new(
            &s,
            vec![Input::new("a", text.clone()), Input::new("b", text)],
        )
    });
    check("queues", || QueueWorld::new(&QueueScenario::default()));
    check("caching", || CacheWorld::new(&CacheScenario::default()));
    check("performance", || {
        PipelineWorld::new(&PipelineScenario::default())
    });
    check("drills", || DrillWorld::new(&DrillScenario::default()));
    check("tools", || DagWorld::new(&DagScenario::default()));
    check("sandbox", || DemoWorld::new(&DemoScenario::default()));
}

/// A live command (a crash the learner clicked) is not in the scenario, so only a snapshot that
/// holds it can replay it: rewinding past it must still show the crash, rewinding before it
/// must not, and snapshots of the crash-free future are discarded.
#[test]
fn a_live_command_survives_rewinding() {
    let mut w = QueueWorld::new(&QueueScenario::default());
    let mut snaps = Snapshots::new(&w, SimTime::from_millis(250));
    while w.now() < SimTime::from_secs(20) {
        w.advance(w.now() + SimTime::from_millis(100), u64::MAX);
        snaps.observe(&w);
    }
    // Go back to 10 s and crash a consumer there: from now on the run differs from the first.
    let (mut w, _) = snaps.rewind(SimTime::from_secs(10));
    let consumer = w
        .consumers()
        .first()
        .map(|c| c.name.clone())
        .expect("a consumer");
    let before = w.clone();
    w.crash_now(&consumer);
    snaps.commanded(&w);
    assert_eq!(snaps.furthest(), SimTime::from_secs(10));
    let mut with_crash = w.clone();
    with_crash.advance(SimTime::from_secs(15), u64::MAX);
    let mut without = before;
    without.advance(SimTime::from_secs(15), u64::MAX);
    assert_ne!(
        with_crash.trace_hash(),
        without.trace_hash(),
        "the crash changed nothing"
    );
    while w.now() < SimTime::from_secs(20) {
        w.advance(w.now() + SimTime::from_millis(100), u64::MAX);
        snaps.observe(&w);
    }
    let (back, _) = snaps.rewind(SimTime::from_secs(15));
    assert_eq!(
        back.trace_hash(),
        with_crash.trace_hash(),
        "the crash was lost on replay"
    );
    let mut no_crash = QueueWorld::new(&QueueScenario::default());
    no_crash.advance(SimTime::from_secs(5), u64::MAX);
    let (early, _) = snaps.rewind(SimTime::from_secs(5));
    assert_eq!(early.trace_hash(), no_crash.trace_hash());
}

/// The downloadable event log lists every event of the run as it happened, the learner's
/// crash included: as many lines as the world processed, in time order, with one command.
#[test]
fn the_event_log_replays_the_whole_run_with_its_commands() {
    let mut w = QueueWorld::new(&QueueScenario::default());
    let mut snaps = Snapshots::new(&w, SimTime::from_millis(250));
    while w.now() < SimTime::from_secs(8) {
        w.advance(w.now() + SimTime::from_millis(100), 700);
        snaps.observe(&w);
    }
    let consumer = w.consumers()[0].name.clone();
    w.crash_now(&consumer);
    snaps.commanded(&w);
    while w.now() < SimTime::from_secs(16) {
        w.advance(w.now() + SimTime::from_millis(100), 700);
        snaps.observe(&w);
    }
    let mut lines = Vec::new();
    let mut commands = Vec::new();
    let n = snaps.replay_log(
        w.now(),
        &mut |t, e| lines.push((t, e.to_json())),
        &mut |t| commands.push(t),
    );
    assert_eq!(n, w.events());
    assert_eq!(lines.len() as u64, w.events());
    assert!(
        lines.windows(2).all(|p| p[0].0 <= p[1].0),
        "log out of time order"
    );
    assert_eq!(commands.len(), 1);
    assert!(
        lines
            .iter()
            .any(|(_, e)| e["kind"] == "Fault" && e["data"][1]["kind"] == "crash"),
        "the crash is not in the log"
    );
}
