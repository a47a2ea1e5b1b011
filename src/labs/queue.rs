//! The message-queue lab: producers on the left, the broker's partitions (or its one queue) in
//! the middle, consumers on the right, the dead-letter queue as its own bin, and a
//! reconciliation strip that proves nothing was lost.

use super::frame::{use_lab, Lab, ScenarioControls};
use crate::player::Status;
use crate::widgets::partitions::describe;
use crate::widgets::{
    Challenge, ChartData, Experiment, Experiments, Explain, Explanation, PartitionBars,
    TimeSeriesChart,
};
use scalelab_engine::queue::scenario::{limits, Load, Mode, Overflow};
use scalelab_engine::queue::world::{ConsumerView, Dot, GroupView, QueueSummary};
use scalelab_engine::queue::{QueueScenario, QueueWorld};
use scalelab_engine::sim::units::bytes;
use scalelab_engine::sim::{FaultKind, FaultPlan};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct QueueLabProps {
    pub presenter: bool,
}

type QueueLabHandle = Lab<QueueScenario, QueueWorld>;

/// Dots drawn per partition (more are summarised as "+N").
const MAX_DOTS: usize = 120;
/// p99 target of the challenge, ms.
const CHALLENGE_P99_MS: f64 = 1000.0;

/// What the page shows of one frame of the run.
struct Snapshot {
    sum: QueueSummary,
    rows: Rc<Vec<scalelab_engine::queue::world::PartitionView>>,
    consumers: Vec<ConsumerView>,
    groups: Vec<GroupView>,
    dlq: Vec<Dot>,
    lag: Rc<ChartData>,
    spike: f64,
}

/// The two heaviest pictures: the partition bars (up to 64 rows of dots) and the lag chart.
type Pictures = (
    Rc<Vec<scalelab_engine::queue::world::PartitionView>>,
    Rc<ChartData>,
);

/// While the run plays, the partition bars and the lag chart take turns: one redraws on a
/// frame, the other on the next, so each updates 30 times a second and a frame pays for one of
/// them. Drawing both every frame kept the largest setting (64 partitions, 32 consumers) at
/// 30 fps in headless Chromium (scripts/bench-browser.sh). Paused, stepped or finished, both
/// are current.
#[derive(Clone, Copy, PartialEq)]
enum Refresh {
    Both,
    Bars,
    Lag,
}

fn snapshot(w: &QueueWorld, finished: bool, prev: Option<&Pictures>, refresh: Refresh) -> Snapshot {
    let bars = || Rc::new(w.partitions(MAX_DOTS));
    let lag = || Rc::new(ChartData::from_series(w.lag_series(), w.expected_span_s()));
    let (rows, lag) = match (prev, refresh) {
        (Some((rows, _)), Refresh::Lag) => (rows.clone(), lag()),
        (Some((_, old)), Refresh::Bars) => (bars(), old.clone()),
        _ => (bars(), lag()),
    };
    Snapshot {
        // The full census once the run is over; the counters while it plays.
        sum: if finished {
            w.summary()
        } else {
            w.live_summary()
        },
        rows,
        consumers: w.consumers(),
        groups: w.groups(),
        dlq: w.dead_letters(40),
        lag,
        spike: w.broker().spike,
    }
}

#[component]
pub fn QueueLab(p: &QueueLabProps) -> Html {
    let lab: QueueLabHandle = use_lab(|s: &QueueScenario| QueueWorld::new(s), p.presenter);
    lab.set_main_fault(|w| w.crash_now("consumer-1"));
    let s = (*lab.scenario).clone();
    let status = lab.player.status();
    let pictures = use_mut_ref(|| None::<Pictures>);
    let turn = use_mut_ref(|| false);
    let refresh = if matches!(status, Status::Running | Status::RunningToEnd) {
        let bars = !*turn.borrow();
        *turn.borrow_mut() = bars;
        if bars {
            Refresh::Bars
        } else {
            Refresh::Lag
        }
    } else {
        Refresh::Both
    };
    let snap = lab.player.with(|st| {
        snapshot(
            &st.world,
            status == Status::Finished,
            pictures.borrow().as_ref(),
            refresh,
        )
    });
    *pictures.borrow_mut() = Some((snap.rows.clone(), snap.lag.clone()));
    let was_down = use_mut_ref(|| false);
    let spiked = use_mut_ref(|| false);
    let best = use_mut_ref(|| None::<u32>);
    if snap
        .consumers
        .iter()
        .any(|c| c.group == "workers" && !c.up && c.member)
    {
        *was_down.borrow_mut() = true;
    }
    if snap.spike > 1.0 {
        *spiked.borrow_mut() = true;
    }
    let sum = &snap.sum;
    let log = s.mode == Mode::Log;
    let workers = snap
        .consumers
        .iter()
        .filter(|c| c.group == "workers")
        .count() as u32;
    let experiments = vec![
        Experiment { id: "backlog", title: "Stop the consumers and watch the backlog wait, then drain",
            how: "Crash every consumer (or set consumers to 0 and add them back live). Producers carry on at their own pace; the backlog climbs. Restart them and it drains, with nothing lost.",
            seen: *was_down.borrow() && sum.max_backlog >= 100 && sum.in_flight * 4 < sum.max_backlog },
        Experiment { id: "idle", title: "Scale the slow stage, past the number of partitions",
            how: "Raise the service time until lag grows, then add consumers. In log mode each partition has one owner, so consumers beyond the partition count sit idle; in queue mode every consumer helps.",
            seen: log && status != Status::Paused && snap.consumers.iter().any(|c| c.group == "workers" && c.up && c.member && c.assigned.is_empty()) && sum.events > 0 },
        Experiment { id: "duplicates", title: "Crash a consumer mid-batch and find the duplicates",
            how: "In log mode, crash a busy consumer. After the session timeout the group rebalances and the new owner resumes from the last committed offset, so messages processed since that commit are processed again.",
            seen: sum.duplicates > 0 },
        Experiment { id: "poison", title: "Send poison and find it in the dead-letter queue",
            how: "Raise the poison rate. Each poison message is retried up to the maximum deliveries and then parked in the DLQ, so the partition (or queue) keeps moving.",
            seen: sum.dead_lettered > 0 },
        Experiment { id: "subscriber", title: "Add a subscriber without touching the producer",
            how: "In log mode, press “Add a monitoring group”. It reads the same topic from the oldest message kept, at its own pace, with its own offsets; the producers never notice.",
            seen: snap.groups.get(1).is_some_and(|g| g.acked > 0) },
    ];
    let planned_spike = s
        .faults
        .faults
        .iter()
        .any(|f| matches!(f.kind, FaultKind::LoadSpike { factor } if factor >= 5.0));
    let challenge = (status == Status::Finished).then(|| {
        let spike_seen = planned_spike || *spiked.borrow();
        let ok = spike_seen
            && sum.p99_ms <= CHALLENGE_P99_MS
            && sum.dropped == 0
            && sum.lost == 0
            && sum.drained;
        if ok {
            let mut b = best.borrow_mut();
            *b = Some(b.map_or(workers, |x| x.min(workers)));
        }
        (
            ok,
            format!(
                "{} consumer(s), 5× spike {}, p99 {:.0} ms, dropped {}, lost {}{}",
                workers,
                if spike_seen { "survived" } else { "not tried" },
                sum.p99_ms,
                sum.dropped,
                sum.lost,
                best.borrow()
                    .map(|b| format!(" · fewest so far: {b}"))
                    .unwrap_or_default()
            ),
        )
    });

    let render_controls: fn(&QueueLabHandle, &QueueScenario) -> Html = controls;
    html! {
        <div class="lab-frame queues">
            { lab.error_banner() }
            { lab.playback_bar() }
            { lab.dashboard() }
            { reconcile(sum) }
            <section class="panel pipeline" aria-label="Producers, broker and consumers">
                { producers(&lab, &s, snap.spike) }
                <div class="broker" data-testid="broker">
                    <h2>{ if log { format!("Topic “orders”: {} partition{}", s.partitions, if s.partitions == 1 { "" } else { "s" }) } else { "Queue “orders”".to_string() } }</h2>
                    <p class="small muted" data-testid="broker-size">{ format!("{} messages waiting or unacknowledged · {} held by the broker · {} produced in all",
                        sum.in_flight, bytes((sum.in_flight * u64::from(s.msg_bytes)) as f64), bytes((sum.produced * u64::from(s.msg_bytes)) as f64)) }</p>
                    <PartitionBars rows={snap.rows.clone()} queue_mode={!log} large={p.presenter} />
                    { dlq_bin(&snap.dlq, sum.dead_lettered) }
                </div>
                { consumers(&lab, &snap.consumers, log) }
            </section>
            <div class="frame-body">
                <div class="frame-main">
                    { groups(&snap.groups, log) }
                    { lab.chart(s.duration_s * 1.2) }
                    if log {
                        <section class="panel" aria-label="Lag per partition">
                            <h2>{ "Lag per partition (messages not yet committed)" }</h2>
                            <TimeSeriesChart data={snap.lag.clone()} overlay={true} height={200} testid="lag-chart" />
                        </section>
                    }
                </div>
                <div class="frame-side">
                    <ScenarioControls<QueueScenario, QueueWorld> lab={lab.clone()} scenario={s.clone()} render={render_controls} />
                    <Experiments lab="queues" items={experiments} />
                    <Challenge goal={format!("Keep p99 latency under {CHALLENGE_P99_MS:.0} ms through a 5× spike (plan one below, or press “Spike ×5” while it runs) with zero loss and no drops, using as few consumers as you can.")} result={challenge} />
                </div>
            </div>
            <Explanation sections={explain()} real_names={real_names()} />
        </div>
    }
}

fn reconcile(sum: &QueueSummary) -> Html {
    let ok = sum.lost == 0;
    html! {
        <div class={classes!("reconcile", (!ok).then_some("bad"))} data-testid="reconcile" role="status">
            <strong>{ if ok { "✔ Nothing lost: " } else { "✖ Messages unaccounted for: " } }</strong>
            { format!("produced {} = acked {} + dead-lettered {} + dropped {} + in flight {}",
                sum.produced, sum.acked, sum.dead_lettered, sum.dropped, sum.in_flight) }
            if sum.lost > 0 { { format!(" · lost {}", sum.lost) } }
            <span class="muted">{ format!(" · delivered {} · redelivered {} · duplicates {}", sum.delivered, sum.redelivered, sum.duplicates) }</span>
        </div>
    }
}

fn producers(lab: &QueueLabHandle, s: &QueueScenario, spike: f64) -> Html {
    let spike_now = lab.command(|w: &mut QueueWorld, _: MouseEvent| w.spike_now(5.0));
    let end_spike = lab.command(|w: &mut QueueWorld, _: MouseEvent| w.end_spike_now());
    html! {
        <div class="producers" data-testid="producers">
            <h2>{ "Producers" }</h2>
            { for (1..=s.producers.min(8)).map(|i| html! {
                <div class={classes!("producer", (spike > 1.0).then_some("spiking"))}>{ format!("producer-{i}") }
                    <span class="small muted">{ format!(" {:.0}/s · {}/s", s.rate * spike, bytes(s.rate * spike * f64::from(s.msg_bytes))) }</span></div>
            }) }
            if s.producers > 8 { <div class="small muted">{ format!("… and {} more", s.producers - 8) }</div> }
            <p class="small muted">{ format!("{} keys{}", s.keys, if s.key_skew > 0.0 { format!(", Zipf skew {:.1}", s.key_skew) } else { ", uniform".into() }) }</p>
            <div class="fault-row">
                <button class="btn fault" data-testid="spike" onclick={spike_now}>{ "Spike ×5" }</button>
                <button class="btn" data-testid="end-spike" onclick={end_spike}>{ "End spike" }</button>
            </div>
        </div>
    }
}

fn dlq_bin(dlq: &[Dot], total: u64) -> Html {
    html! {
        <div class="dlq" data-testid="dlq" aria-label={format!("Dead-letter queue: {total} messages")}>
            <strong>{ format!("Dead-letter queue: {total}") }</strong>
            <span class="dlq-dots">
                { for dlq.iter().map(|d| html! { <span class="dlq-dot" title={describe(d)}>{ "◆" }</span> }) }
            </span>
        </div>
    }
}

fn consumers(lab: &QueueLabHandle, list: &[ConsumerView], log: bool) -> Html {
    let add = lab.command(|w: &mut QueueWorld, _: MouseEvent| w.add_consumer_now());
    let remove = lab.command(|w: &mut QueueWorld, _: MouseEvent| w.remove_consumer_now());
    let card = |c: &ConsumerView| {
        let name = c.name.clone();
        let crash = {
            let n = name.clone();
            lab.command(move |w: &mut QueueWorld, _: MouseEvent| w.crash_now(&n))
        };
        let restart = {
            let n = name.clone();
            lab.command(move |w: &mut QueueWorld, _: MouseEvent| w.restart_now(&n))
        };
        let state = if !c.up && !c.member {
            "gone"
        } else if !c.up {
            "down"
        } else if log && c.assigned.is_empty() {
            "idle"
        } else if c.working_on.is_some() {
            "busy"
        } else {
            "waiting"
        };
        let primary = c.group == "workers";
        html! {
            <div class={classes!("consumer", state)} data-testid={format!("consumer-card-{}", c.name)}>
                <div class="machine-head">
                    <strong>{ &c.name }</strong>
                    <span class="machine-state">{ match state {
                        "gone" => "⊘ left the group", "down" => "✖ crashed", "idle" => "○ idle: no partition",
                        "busy" => "● processing", _ => "◌ waiting for messages" } }</span>
                </div>
                <div class="small">
                    if log && !c.assigned.is_empty() {
                        { format!("owns {} · ", c.assigned.iter().map(|p| format!("p{p}")).collect::<Vec<_>>().join(" ")) }
                    }
                    { match c.working_on { Some((m, a)) => format!("msg #{m} (attempt {a}) · "), None => String::new() } }
                    { format!("{} done · {} failed", c.processed, c.failures) }
                </div>
                if primary {
                    <div class="fault-row">
                        if c.up {
                            <button class="btn fault small" data-testid={format!("crash-{}", c.name)} onclick={crash}>{ "Crash" }</button>
                        } else {
                            <button class="btn small" data-testid={format!("restart-{}", c.name)} onclick={restart}>{ "Restart" }</button>
                        }
                    </div>
                }
            </div>
        }
    };
    html! {
        <div class="consumers" data-testid="consumers">
            <h2>{ "Consumers" }</h2>
            <div class="fault-row">
                <button class="btn" data-testid="add-consumer" onclick={add}>{ "+ consumer" }</button>
                <button class="btn" data-testid="remove-consumer" onclick={remove}>{ "− consumer" }</button>
            </div>
            <div class="consumer-list">{ for list.iter().map(card) }</div>
        </div>
    }
}

fn groups(list: &[GroupView], log: bool) -> Html {
    html! {
        <section class="panel" aria-label="Consumer groups">
            <table class="results" data-testid="groups">
                <thead><tr><th>{ if log { "group" } else { "consumers" } }</th><th>{ "members" }</th><th>{ "delivered" }</th><th>{ "acked" }</th><th>{ "dead-lettered" }</th><th>{ "lag" }</th><th>{ "rebalances" }</th></tr></thead>
                <tbody>
                    { for list.iter().map(|g| html! {
                        <tr><td>{ g.name }{ if g.rebalancing { " (rebalancing…)" } else { "" } }</td><td>{ g.members }</td><td>{ g.delivered }</td>
                            <td>{ g.acked }</td><td>{ g.dead_lettered }</td><td>{ g.lag }</td><td>{ g.rebalances }</td></tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}

fn controls(lab: &QueueLabHandle, s: &QueueScenario) -> Html {
    let log = s.mode == Mode::Log;
    let add_monitor = lab.command(|w: &mut QueueWorld, _: MouseEvent| w.add_monitor_now());
    let plan_spike = lab.edit(|s: &mut QueueScenario, _: MouseEvent| {
        let at = (s.duration_s * 0.3).round();
        let len = (s.duration_s * 0.2).round().max(1.0);
        if let Ok(p) = FaultPlan::parse("faults", &format!("spike*5@{at}s+{len}s")) {
            s.faults.faults.extend(p.faults);
        }
    });
    let plan_crash = lab.edit(|s: &mut QueueScenario, _: MouseEvent| {
        let at = (s.duration_s * 0.4).round();
        if let Ok(p) = FaultPlan::parse("faults", &format!("crash:consumer-1@{at}s+10s")) {
            s.faults.faults.extend(p.faults);
        }
    });
    let clear = lab.edit(|s: &mut QueueScenario, _: MouseEvent| s.faults = FaultPlan::default());
    html! {
        <section class="panel controls" aria-label="Scenario">
            <h2>{ "Broker" }</h2>
            { lab.select("Mode", "mode", &[("log", "log (Kafka-like)"), ("queue", "queue (SQS/RabbitMQ-like)")],
                if log { "log" } else { "queue" }, |s, v| s.mode = if v == "queue" { Mode::Queue } else { Mode::Log }) }
            if log {
                { lab.slider("Partitions", "partitions", f64::from(s.partitions), (1.0, 64.0, 1.0), |s, v| s.partitions = v as u32) }
                { lab.slider("Commit interval (ms, 0 = every message)", "commit", s.commit_ms, (0.0, 10_000.0, 100.0), |s, v| s.commit_ms = v) }
                { lab.slider("Session timeout (ms)", "session", s.session_ms, (100.0, 30_000.0, 100.0), |s, v| s.session_ms = v) }
                { lab.slider("Retention (s, 0 = forever)", "retention", s.retention_s, (0.0, 600.0, 5.0), |s, v| s.retention_s = v) }
                <button class="btn" data-testid="add-monitor" onclick={add_monitor}>{ "Add a monitoring group" }</button>
            } else {
                { lab.slider("Visibility timeout (ms)", "visibility", s.visibility_ms, (50.0, 30_000.0, 50.0), |s, v| s.visibility_ms = v) }
                { lab.slider("Queue bound (0 = unbounded)", "buffer", f64::from(s.buffer), (0.0, 2000.0, 10.0), |s, v| s.buffer = v as u32) }
                { lab.select("When full", "overflow", &[("block", "block the producer (back-pressure)"), ("drop", "drop the new message")],
                    if s.overflow == Overflow::Block { "block" } else { "drop" }, |s, v| s.overflow = if v == "drop" { Overflow::DropNewest } else { Overflow::Block }) }
            }
            <h2>{ "Producers" }</h2>
            { lab.slider("Producers", "producers", f64::from(s.producers), (1.0, 16.0, 1.0), |s, v| s.producers = v as u32) }
            { lab.slider("Messages/s per producer", "rate", s.rate, (1.0, 500.0, 1.0), |s, v| s.rate = v) }
            { lab.select("Pattern", "load", &[("constant", "constant"), ("poisson", "Poisson"), ("bursty", "bursty (4× for 2 s of every 8 s)")],
                match s.load { Load::Constant => "constant", Load::Poisson => "poisson", Load::Bursty => "bursty" },
                |s, v| s.load = match v.as_str() { "constant" => Load::Constant, "bursty" => Load::Bursty, _ => Load::Poisson }) }
            { lab.slider("Key skew (Zipf exponent, 0 = uniform)", "skew", s.key_skew, (limits::KEY_SKEW.0, 2.0, 0.1), |s, v| s.key_skew = v) }
            { lab.slider("Message size (bytes)", "msg-bytes", f64::from(s.msg_bytes), (16.0, 65_536.0, 16.0), |s, v| s.msg_bytes = v as u32) }
            { lab.slider("Poison rate", "poison", s.poison_rate, (0.0, 0.2, 0.005), |s, v| s.poison_rate = v) }
            { lab.slider("Production time (s)", "dur", s.duration_s, (5.0, 600.0, 5.0), |s, v| s.duration_s = v) }
            <h2>{ "Consumers" }</h2>
            { lab.slider("Consumers at start", "consumers", f64::from(s.consumers), (0.0, 32.0, 1.0), |s, v| s.consumers = v as u32) }
            { lab.slider("Service time per message (ms)", "service", s.service_ms, (1.0, 1000.0, 1.0), |s, v| s.service_ms = v) }
            { lab.slider("Max deliveries before the DLQ", "max-deliveries", f64::from(s.max_deliveries), (1.0, 10.0, 1.0), |s, v| s.max_deliveries = v as u32) }
            <h3>{ "Planned faults" }</h3>
            <div class="fault-row">
                <button class="btn" data-testid="plan-spike" onclick={plan_spike}>{ "Plan a 5× spike" }</button>
                <button class="btn" data-testid="plan-crash" onclick={plan_crash}>{ "Plan a crash of consumer-1" }</button>
                <button class="btn" onclick={clear}>{ "Clear" }</button>
            </div>
            <p class="muted small" data-testid="plan">{ if s.faults.is_empty() { "No faults planned.".to_string() } else { format!("Planned: {}", s.faults) } }</p>
        </section>
    }
}

fn explain() -> Vec<Explain> {
    vec![
        Explain { heading: "Why put a queue in between", body: "Think of a coffee bar: the cashier takes orders and writes them on cups, and the baristas work through the line of cups. The cashier never waits for a drink to be made, and on a rush the line of cups simply gets longer. A message queue does the same for programs: producers hand messages to a broker and carry on, consumers take them at their own pace, and either side can be slow, restarted or scaled without the other noticing. The backlog is the line of cups." },
        Explain { heading: "Acknowledgements and at-least-once", body: "A broker only forgets a message once a consumer confirms it finished (an ack, or in a log a committed offset). If the consumer dies first, the message is handed out again. That makes delivery at-least-once: nothing is lost, but some work is done twice, so consumers should be idempotent (processing the same message twice must do no harm). Committing more often means fewer repeats and more overhead." },
        Explain { heading: "Logs, partitions and consumer groups", body: "A log broker keeps messages in order in partitions, like numbered relay lanes. The key decides the lane, so all messages of one customer stay in order. In a group, each lane is run by exactly one consumer at a time; adding consumers helps until every lane has one, and beyond that the extra consumers wait on the bench. Another group reads the same lanes independently, which is how a new subscriber is added without touching the producer." },
        Explain { heading: "Poison, dead letters and back-pressure", body: "A message that can never be processed would block its lane forever. After a few attempts it is set aside in a dead-letter queue for a human to inspect. When consumers fall behind for good, a bounded queue must either make producers wait (back-pressure) or refuse new messages (a loss you chose and can count)." },
    ]
}

fn real_names() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "consumer group",
            "Kafka group.id; each partition is owned by one member",
        ),
        (
            "commit interval",
            "Kafka enable.auto.commit + auto.commit.interval.ms",
        ),
        (
            "session timeout",
            "Kafka session.timeout.ms (then a rebalance)",
        ),
        (
            "partitioner",
            "Kafka's default partitioner: murmur2(key) mod partitions",
        ),
        ("visibility timeout", "Amazon SQS VisibilityTimeout"),
        (
            "max deliveries → DLQ",
            "SQS redrive policy maxReceiveCount; RabbitMQ dead-letter exchange (DLX)",
        ),
        ("one message at a time", "RabbitMQ prefetch (basic.qos) = 1"),
        ("retention", "Kafka retention.ms"),
    ]
}
