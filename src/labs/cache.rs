//! The caching lab: a cache of limited size in front of a slow store, under a Zipf read load
//! with writes. The page shows the slots, the store's load, hits and stale reads as the engine
//! counts them, and the hit-ratio curve measured by re-running the engine at ten sizes.

use super::frame::{use_lab, Lab, ScenarioControls};
use crate::player::Status;
use crate::widgets::{Challenge, Experiment, Experiments, Explain, Explanation};
use scalelab_engine::cache::scenario::{POLICIES, WRITE_MODES};
use scalelab_engine::cache::{CacheScenario, CacheWorld, Policy, WriteMode};
use scalelab_engine::sim::{FaultPlan, LabWorld};
use std::collections::BTreeSet;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CacheLabProps {
    pub presenter: bool,
}

type CacheLabHandle = Lab<CacheScenario, CacheWorld>;
type Curve = Option<(CacheScenario, Vec<(u32, f64)>)>;

/// Slots drawn (the rest are summarised).
const MAX_SLOTS: usize = 240;
/// Challenge: p99 read latency target, ms.
const TARGET_P99_MS: f64 = 50.0;

#[derive(Clone, PartialEq)]
struct View {
    /// (key, stale, hits), in eviction order (first to go first).
    slots: Vec<(u32, bool, u64)>,
    used: usize,
    up: bool,
    counts: scalelab_engine::cache::model::Counts,
    evictions: u64,
    store_busy: u32,
    store_waiting: usize,
    recent: Vec<(u32, bool)>,
    window_ratio: f64,
    done: bool,
}

fn view(w: &CacheWorld) -> View {
    let sv = w.service();
    let slots = sv
        .slots
        .eviction_order()
        .take(MAX_SLOTS)
        .map(|k| {
            let e = sv.slots.get(k).copied();
            let stale = e.is_some_and(|e| e.version < sv.versions[k as usize]);
            (k, stale, e.map_or(0, |e| e.hits))
        })
        .collect();
    View {
        slots,
        used: sv.slots.len(),
        up: sv.cache_up,
        counts: sv.counts,
        evictions: sv.slots.evictions,
        store_busy: sv.store.busy(),
        store_waiting: sv.store.waiting(),
        recent: sv.recent.iter().copied().collect(),
        window_ratio: sv.window_hit_ratio(),
        done: sv.done_at.is_some(),
    }
}

#[component]
pub fn CacheLab(p: &CacheLabProps) -> Html {
    let lab: CacheLabHandle = use_lab(CacheWorld::new, p.presenter);
    lab.set_main_fault(|w| w.kill_cache_now());
    let s = (*lab.scenario).clone();
    let status = lab.player.status();
    let v = lab.player.with(|st| view(&st.world));
    let m = lab.player.with(|st| st.world.metrics());
    let curve = use_state(|| None as Curve);
    let ttl_runs = use_mut_ref(BTreeSet::<(u64, u64)>::new);
    let melted = use_mut_ref(|| false);
    let best = use_mut_ref(|| None::<u32>);
    let c = v.counts;
    if status == Status::Finished && v.done && s.write_mode == WriteMode::Around {
        ttl_runs
            .borrow_mut()
            .insert(((s.ttl_s * 1000.0) as u64, c.stale));
    }
    if !v.up && c.timeouts > 0 {
        *melted.borrow_mut() = true;
    }
    let ttl_seen = {
        let runs = ttl_runs.borrow();
        runs.iter()
            .any(|(t1, s1)| runs.iter().any(|(t2, s2)| t2 > t1 && s2 > s1))
    };
    let experiments = vec![
        Experiment { id: "grow", title: "Grow the cache and find diminishing returns",
            how: "Measure the hit-ratio curve. The first few hundred slots catch the popular keys and most reads; doubling again adds little, because the remaining keys are rarely asked for.",
            seen: curve.as_ref().is_some_and(|(_, c)| c.len() >= 5) },
        Experiment { id: "ttl", title: "Raise the time to live and count stale reads",
            how: "With write-around, finish a run, raise the TTL and finish another. A longer TTL keeps more values that the store has since changed: more hits, and more stale reads.",
            seen: ttl_seen },
        Experiment { id: "invalidate", title: "Turn on invalidate-on-write",
            how: "Switch the write policy to invalidate. Every write deletes the cached copy, so the next read fetches the new value: stale reads drop to zero, at the price of a few more misses.",
            seen: v.done && s.write_mode == WriteMode::Invalidate && s.writes > 0.0 && c.stale == 0 && c.writes > 0 },
        Experiment { id: "melt", title: "Kill the cache and watch the store melt",
            how: "Press “Kill the cache” while it runs. Every read now goes to the store, which was sized for the misses only: its queue explodes, latency climbs and clients time out. Restart it: it comes back cold.",
            seen: *melted.borrow() },
    ];
    let challenge = (status == Status::Finished).then(|| {
        let ok = s.reads >= 1000.0
            && s.writes >= 20.0
            && m.latency_p99_ms <= TARGET_P99_MS
            && c.stale == 0
            && c.timeouts == 0
            && s.store_servers <= 12
            && s.store_ms >= 20.0;
        if ok {
            let mut b = best.borrow_mut();
            *b = Some(b.map_or(s.capacity, |x| x.min(s.capacity)));
        }
        (
            ok,
            format!(
                "{} slots, p99 {:.1} ms, stale reads {}, timeouts {}, hit ratio {:.1}%{}",
                s.capacity,
                m.latency_p99_ms,
                c.stale,
                c.timeouts,
                if c.reads > 0 {
                    c.hits as f64 / c.reads as f64 * 100.0
                } else {
                    0.0
                },
                best.borrow()
                    .map(|b| format!(" · fewest slots so far: {b}"))
                    .unwrap_or_default()
            ),
        )
    });
    let kill = lab.command(|w: &mut CacheWorld, _: MouseEvent| w.kill_cache_now());
    let restart = lab.command(|w: &mut CacheWorld, _: MouseEvent| w.restart_cache_now());
    let ratio = if c.reads > 0 {
        c.hits as f64 / c.reads as f64
    } else {
        0.0
    };
    let store_pct = f64::from(v.store_busy) / f64::from(s.store_servers) * 100.0;
    let render_controls: fn(&CacheLabHandle, &CacheScenario) -> Html = controls;
    html! {
        <div class="lab-frame cache">
            { lab.error_banner() }
            { lab.playback_bar() }
            { lab.dashboard() }
            <div class="reconcile" data-testid="reconcile">
                { format!("reads {} = hits {} + misses {} · stale reads {} · expired {} · evictions {} · writes {}",
                    c.reads, c.hits, c.misses, c.stale, c.expired, v.evictions, c.writes) }
            </div>
            <div class="two-col">
                <section class={classes!("panel", (!v.up).then_some("down-panel"))} aria-label="Cache" data-testid="cache">
                    <h2>{ format!("Cache: {} of {} slots used, {} ({})", v.used, s.capacity, policy_name(s.policy), if v.up { "up" } else { "DOWN" }) }</h2>
                    <p class="small">{ format!("hit ratio {:.1}% overall, {:.1}% now", ratio * 100.0, v.window_ratio * 100.0) }</p>
                    <div class="slots" role="img" aria-label={format!("{} cached keys; {} hold a stale value", v.used, v.slots.iter().filter(|x| x.1).count())}>
                        { for v.slots.iter().map(|(k, stale, hits)| html! {
                            <span class={classes!("slot", stale.then_some("stale"), (*hits >= 10).then_some("hot"))}
                                title={format!("key-{k}: {hits} hits{}", if *stale { ", stale (the store has a newer value)" } else { "" })} />
                        }) }
                        if v.used > MAX_SLOTS { <span class="small muted">{ format!(" +{}", v.used - MAX_SLOTS) }</span> }
                    </div>
                    <p class="small muted">{ "Slots in eviction order: the first one goes next. Dark = 10+ hits, striped = stale." }</p>
                    <div class="recent" role="img" aria-label={format!("The latest {} reads: {} hits", v.recent.len(), v.recent.iter().filter(|(_, h)| *h).count())}>
                        { for v.recent.iter().map(|(k, hit)| html! { <span class={classes!("read", hit.then_some("hit"))} title={format!("key-{k}: {}", if *hit { "hit" } else { "miss" })}>{ if *hit { "●" } else { "○" } }</span> }) }
                    </div>
                    <div class="fault-row">
                        if v.up {
                            <button class="btn fault" data-testid="kill-cache" onclick={kill}>{ "Kill the cache" }</button>
                        } else {
                            <button class="btn" data-testid="restart-cache" onclick={restart}>{ "Restart the cache (cold)" }</button>
                        }
                    </div>
                </section>
                <section class="panel" aria-label="Store" data-testid="store">
                    <h2>{ format!("Store: {} servers × {:.0} ms", s.store_servers, s.store_ms) }</h2>
                    <div class="gauge big-gauge" title="store servers busy">
                        <span class={classes!("fill", (store_pct >= 90.0).then_some("swap"))} style={format!("width:{store_pct:.0}%")} />
                    </div>
                    <p class="small">{ format!("{} of {} servers busy · {} requests queued", v.store_busy, s.store_servers, v.store_waiting) }</p>
                    <table class="results">
                        <tbody>
                            <tr><td>{ "requests that reached the store" }</td><td>{ c.store_requests }</td></tr>
                            <tr><td>{ "reads the cache kept off the store" }</td><td>{ c.hits }</td></tr>
                            <tr><td>{ "reads while the cache was down" }</td><td>{ c.bypassed }</td></tr>
                            <tr><td>{ format!("client timeouts (> {:.0} ms)", s.timeout_ms) }</td><td>{ c.timeouts }</td></tr>
                        </tbody>
                    </table>
                </section>
            </div>
            <div class="frame-body">
                <div class="frame-main">
                    { lab.chart(s.duration_s * 1.05) }
                    { curve_panel(&s, &curve) }
                    <super::staging::StagingPanel />
                </div>
                <div class="frame-side">
                    <ScenarioControls<CacheScenario, CacheWorld> lab={lab.clone()} scenario={s.clone()} render={render_controls} />
                    <Experiments lab="caching" items={experiments} />
                    <Challenge goal={format!("Serve 1,000 reads/s (with 20+ writes/s) with p99 under {TARGET_P99_MS:.0} ms, no stale reads and no timeouts, on the default store (12 servers × 20 ms), using as few cache slots as you can.")} result={challenge} />
                </div>
            </div>
            <Explanation sections={explain()} real_names={real_names()} />
        </div>
    }
}

fn policy_name(p: Policy) -> &'static str {
    match p {
        Policy::Lru => "least recently used goes first",
        Policy::Lfu => "least frequently used goes first",
        Policy::Fifo => "oldest goes first",
    }
}

fn curve_panel(s: &CacheScenario, curve: &UseStateHandle<Curve>) -> Html {
    let measure = {
        let curve = curve.clone();
        let s = s.clone();
        Callback::from(move |_: MouseEvent| {
            let k = s.keys.max(1);
            let mut sizes: Vec<u32> = [0.0, 0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0]
                .iter()
                .map(|f| (f64::from(k) * f).round() as u32)
                .collect();
            sizes.dedup();
            curve.set(Some((s.clone(), CacheWorld::hit_ratio_curve(&s, &sizes))));
        })
    };
    let chart = match &**curve {
        None => {
            html! { <p class="muted small">{ "Runs the same load with caches from 0 to 100% of the keys (30 simulated seconds each) and plots the hit ratio each really got." }</p> }
        }
        Some((cs, points)) => {
            let (w, h) = (520.0, 200.0);
            let maxk = f64::from(cs.keys.max(1));
            // Log-ish x axis: sizes span three orders of magnitude.
            let px = |n: u32| 40.0 + (w - 50.0) * ((f64::from(n) + 1.0).ln() / (maxk + 1.0).ln());
            let py = |r: f64| h - 22.0 - (h - 34.0) * r;
            let line = points
                .iter()
                .map(|(n, r)| format!("{:.1},{:.1}", px(*n), py(*r)))
                .collect::<Vec<_>>()
                .join(" ");
            html! {
                <svg class="speedup" data-testid="hit-curve" viewBox={format!("0 0 {w} {h}")} role="img"
                    aria-label={format!("Hit ratio by cache size: {}", points.iter().map(|(n, r)| format!("{n} slots {:.0}%", r * 100.0)).collect::<Vec<_>>().join(", "))}>
                    <polyline points={line} class="measured" />
                    { for points.iter().map(|(n, r)| html! { <circle cx={format!("{:.1}", px(*n))} cy={format!("{:.1}", py(*r))} r="3" class="measured-dot"><title>{ format!("{n} slots: {:.1}%", r * 100.0) }</title></circle> }) }
                    <text x="40" y="12" class="legend-text">{ format!("hit ratio (0–100%) by cache size, {} keys, Zipf skew {:.1}, log scale", cs.keys, cs.skew) }</text>
                    <text x="40" y={format!("{}", h - 4.0)} class="legend-text">{ "no cache" }</text>
                    <text x={format!("{}", w - 90.0)} y={format!("{}", h - 4.0)} class="legend-text">{ "every key" }</text>
                    <text x="2" y={format!("{:.1}", py(1.0) + 4.0)} class="legend-text">{ "100%" }</text>
                    <text x="2" y={format!("{:.1}", py(0.0) + 4.0)} class="legend-text">{ "0%" }</text>
                </svg>
            }
        }
    };
    html! {
        <section class="panel" aria-label="Hit ratio by cache size">
            <h2>{ "Hit ratio vs cache size" }</h2>
            <button class="btn" data-testid="measure-curve" onclick={measure}>{ "Measure 10 cache sizes" }</button>
            { chart }
        </section>
    }
}

fn controls(lab: &CacheLabHandle, s: &CacheScenario) -> Html {
    let policy = POLICIES
        .iter()
        .find(|(_, x)| *x == s.policy)
        .map_or("lru", |(n, _)| *n);
    let write = WRITE_MODES
        .iter()
        .find(|(_, x)| *x == s.write_mode)
        .map_or("around", |(n, _)| *n);
    let plan_kill = lab.edit(|s: &mut CacheScenario, _: MouseEvent| {
        let at = (s.duration_s * 0.4).round();
        if let Ok(p) = FaultPlan::parse("faults", &format!("crash:cache@{at}s+10s")) {
            s.faults.faults.extend(p.faults);
        }
    });
    let clear = lab.edit(|s: &mut CacheScenario, _: MouseEvent| s.faults = FaultPlan::default());
    html! {
        <section class="panel controls" aria-label="Scenario">
            <h2>{ "Cache" }</h2>
            { lab.slider("Slots", "capacity", f64::from(s.capacity), (0.0, 10_000.0, 50.0), |s, v| s.capacity = v as u32) }
            { lab.select("Eviction", "policy", &[("lru", "LRU (least recently used)"), ("lfu", "LFU (least frequently used)"), ("fifo", "FIFO (oldest first)")], policy,
                |s, v| s.policy = POLICIES.iter().find(|(n, _)| *n == v).map_or(Policy::Lru, |(_, p)| *p)) }
            { lab.slider("Time to live (s, 0 = forever)", "ttl", s.ttl_s, (0.0, 300.0, 1.0), |s, v| s.ttl_s = v) }
            { lab.select("On a write", "write", &[("around", "write-around (cache keeps the old copy)"), ("through", "write-through (cache gets the new value)"), ("invalidate", "invalidate (delete the cached copy)")], write,
                |s, v| s.write_mode = WRITE_MODES.iter().find(|(n, _)| *n == v).map_or(WriteMode::Around, |(_, m)| *m)) }
            <h2>{ "Load" }</h2>
            { lab.slider("Reads per second", "reads", s.reads, (10.0, 5000.0, 10.0), |s, v| s.reads = v) }
            { lab.slider("Writes per second", "writes", s.writes, (0.0, 500.0, 1.0), |s, v| s.writes = v) }
            { lab.slider("Distinct keys", "keys", f64::from(s.keys), (100.0, 100_000.0, 100.0), |s, v| s.keys = v as u32) }
            { lab.slider("Popularity skew (Zipf)", "skew", s.skew, (0.0, 2.0, 0.1), |s, v| s.skew = v) }
            { lab.slider("Run length (s)", "dur", s.duration_s, (10.0, 600.0, 10.0), |s, v| s.duration_s = v) }
            <h2>{ "Store" }</h2>
            { lab.slider("Time per request (ms)", "store-ms", s.store_ms, (1.0, 200.0, 1.0), |s, v| s.store_ms = v) }
            { lab.slider("Servers", "store-servers", f64::from(s.store_servers), (1.0, 64.0, 1.0), |s, v| s.store_servers = v as u32) }
            <h3>{ "Planned faults" }</h3>
            <div class="fault-row">
                <button class="btn" data-testid="plan-kill" onclick={plan_kill}>{ "Plan a 10 s cache outage" }</button>
                <button class="btn" onclick={clear}>{ "Clear" }</button>
            </div>
            <p class="muted small">{ if s.faults.is_empty() { "No faults planned.".to_string() } else { format!("Planned: {}", s.faults) } }</p>
        </section>
    }
}

fn explain() -> Vec<Explain> {
    vec![
        Explain { heading: "A sticky note on the monitor", body: "If you look up the same phone number ten times a day, you write it on a sticky note instead of searching the directory each time. A cache is that note: a small, fast copy of answers that are asked for often, kept in front of a slow or expensive store. Because a few keys get most of the reads, a small cache can answer most of them." },
        Explain { heading: "What to keep, and for how long", body: "A cache is small, so something must go when a new key arrives: the least recently used, the least frequently used, or simply the oldest. A time to live throws values away after a while, which bounds how stale they can get. Writes are the hard part: either update the cached copy too (write-through), delete it (invalidate) or leave it (write-around) and accept stale reads until it expires." },
        Explain { heading: "The load a cache hides", body: "A store behind a cache is usually sized for the misses only. If the cache disappears, every read lands on the store at once; its queue grows faster than it can serve, and clients time out. A restarted cache starts cold, so the store stays hot until the popular keys are cached again." },
    ]
}

fn real_names() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "cache in front of a store",
            "Redis or Memcached in front of a database (cache-aside)",
        ),
        (
            "eviction policy",
            "Redis maxmemory-policy allkeys-lru / allkeys-lfu",
        ),
        ("time to live", "Redis EXPIRE / SET … EX"),
        (
            "keeping an intermediate result",
            "Spark cache() / persist()",
        ),
    ]
}
