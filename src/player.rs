//! The playback loop shared by every lab: on each animation frame, advance the world by
//! (elapsed wall time × speed) of virtual time, within an event budget so a frame never does
//! unbounded work, then redraw. The world is owned here and lent to views by reference.

use gloo::render::{request_animation_frame, AnimationFrame};
use scalelab_engine::sim::{LabWorld, Rewind, SimTime, Snapshots, StopReason};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Playback speeds offered (virtual seconds per wall second).
pub const SPEEDS: [f64; 9] = [0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0];

/// Most events one frame may process while playing; keeps a frame well under 16 ms in WASM.
pub const FRAME_EVENT_BUDGET: u64 = 60_000;
/// Budget per frame for "run to end", which trades smoothness for speed.
pub const RUN_TO_END_BUDGET: u64 = 400_000;
/// Wall-clock milliseconds of engine work per frame while playing: a quarter of a 60 Hz frame.
/// The redraw and the browser's style, layout and paint need the rest (scripts/bench-browser.sh
/// measures both); a heavy lab at top speed plays slower than asked rather than stutter.
const ENGINE_MS_PLAYING: f64 = 4.0;
/// ... and while running to the end, where finishing sooner matters more than smoothness.
const ENGINE_MS_TO_END: f64 = 40.0;
/// Events per engine call between clock checks: small enough that one chunk of the heaviest
/// world (queues holding millions of messages) barely overshoots the budget (500 overshot it by
/// up to 5 ms; see the engine column of scripts/bench-browser.sh).
const CHUNK_EVENTS: u64 = 100;
/// Virtual time between time-travel snapshots at the start of a run (it doubles as a long run
/// thins them; see `Snapshots`).
const SNAPSHOT_EVERY: SimTime = SimTime::from_millis(250);
/// Longest wall-clock gap a frame accounts for (a background tab must not jump minutes ahead).
const MAX_FRAME_MS: f64 = 100.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Paused,
    Running,
    /// Running as fast as the budget allows until the world is done.
    RunningToEnd,
    Finished,
}

impl Status {
    /// The word shown on the page (and read by the e2e suite).
    pub fn label(self) -> &'static str {
        match self {
            Status::Paused => "paused",
            Status::Running | Status::RunningToEnd => "running",
            Status::Finished => "finished",
        }
    }
}

pub struct PlayerState<W> {
    pub world: W,
    pub status: Status,
    pub speed: f64,
    last_ts: Option<f64>,
    raf: Option<AnimationFrame>,
    /// Events processed by the last frame (shown to explain "engine-limited" playback).
    pub last_frame_events: u64,
    pub frames: u64,
    /// Periodic copies of the world for the time-travel scrubber.
    pub snaps: Snapshots<W>,
    /// What the last jump back did (shown next to the scrubber).
    pub last_rewind: Option<Rewind>,
}

impl<W: LabWorld> PlayerState<W> {
    /// One animation frame: advance the world in chunks until the frame's target time, the
    /// event budget, or the engine's share of the frame (`ENGINE_MS_*`, wall clock) is used up,
    /// so a heavy lab at top speed falls behind its playback speed instead of dropping frames.
    fn frame(&mut self, ts: f64, clock: &dyn Fn() -> f64) -> bool {
        let dt_ms = self
            .last_ts
            .map(|l| (ts - l).clamp(0.0, MAX_FRAME_MS))
            .unwrap_or(0.0);
        self.last_ts = Some(ts);
        self.frames += 1;
        let (target, budget, ms) = match self.status {
            Status::Running => (
                self.world.now() + SimTime::from_secs_f64(dt_ms / 1000.0 * self.speed),
                FRAME_EVENT_BUDGET,
                ENGINE_MS_PLAYING,
            ),
            Status::RunningToEnd => (SimTime::MAX, RUN_TO_END_BUDGET, ENGINE_MS_TO_END),
            Status::Paused | Status::Finished => return false,
        };
        let start = clock();
        let mut events = 0;
        loop {
            let chunk = CHUNK_EVENTS.min(budget - events);
            let adv = self.world.advance(target, chunk);
            events += adv.events;
            if adv.reason != StopReason::Budget || events >= budget || clock() - start >= ms {
                break;
            }
        }
        self.last_frame_events = events;
        if self.status == Status::RunningToEnd {
            self.snaps.observe_dense(&self.world);
        } else {
            self.snaps.observe(&self.world);
        }
        if self.world.is_done() {
            self.status = Status::Finished;
            self.raf = None;
            return false;
        }
        true
    }
}

/// A handle to the player: cheap to clone, compares by identity.
pub struct Player<W> {
    state: Rc<RefCell<PlayerState<W>>>,
    redraw: Callback<()>,
}

impl<W> Clone for Player<W> {
    fn clone(&self) -> Self {
        Player {
            state: self.state.clone(),
            redraw: self.redraw.clone(),
        }
    }
}

impl<W> PartialEq for Player<W> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state)
    }
}

impl<W: LabWorld + 'static> Player<W> {
    /// Reads the world (and playback state) by reference.
    pub fn with<R>(&self, f: impl FnOnce(&PlayerState<W>) -> R) -> R {
        f(&self.state.borrow())
    }

    /// Sends commands to the world (a live fault, a learner action) and redraws.
    pub fn command(&self, f: impl FnOnce(&mut W)) {
        {
            let mut st = self.state.borrow_mut();
            f(&mut st.world);
            let PlayerState { world, snaps, .. } = &mut *st;
            snaps.commanded(world);
            // A command can give a finished world more to do (a cleared run, a restart).
            if st.status == Status::Finished && !st.world.is_done() {
                st.status = Status::Paused;
            }
        }
        self.redraw.emit(());
    }

    pub fn status(&self) -> Status {
        self.state.borrow().status
    }

    pub fn play(&self) {
        self.start(Status::Running);
    }

    pub fn run_to_end(&self) {
        self.start(Status::RunningToEnd);
    }

    fn start(&self, status: Status) {
        {
            let mut st = self.state.borrow_mut();
            if st.world.is_done() {
                st.status = Status::Finished;
                drop(st);
                self.redraw.emit(());
                return;
            }
            st.status = status;
            st.last_ts = None;
        }
        schedule(self.state.clone(), self.redraw.clone());
        self.redraw.emit(());
    }

    pub fn pause(&self) {
        {
            let mut st = self.state.borrow_mut();
            if st.status != Status::Finished {
                st.status = Status::Paused;
            }
            st.raf = None;
        }
        self.redraw.emit(());
    }

    pub fn toggle(&self) {
        match self.status() {
            Status::Running | Status::RunningToEnd => self.pause(),
            Status::Paused => self.play(),
            Status::Finished => {}
        }
    }

    /// Processes exactly one event (pausing first), so a learner can follow cause and effect.
    pub fn step(&self) {
        {
            let mut st = self.state.borrow_mut();
            st.raf = None;
            if st.status != Status::Finished {
                st.status = Status::Paused;
                st.world.advance(SimTime::MAX, 1);
                let PlayerState { world, snaps, .. } = &mut *st;
                snaps.observe(world);
                if st.world.is_done() {
                    st.status = Status::Finished;
                }
            }
        }
        self.redraw.emit(());
    }

    pub fn set_speed(&self, speed: f64) {
        self.state.borrow_mut().speed = speed.clamp(SPEEDS[0], SPEEDS[SPEEDS.len() - 1]);
        self.redraw.emit(());
    }

    /// Replaces the world (restart, or a new scenario); playback pauses.
    pub fn reset(&self, world: W) {
        {
            let mut st = self.state.borrow_mut();
            st.snaps = Snapshots::new(&world, SNAPSHOT_EVERY);
            st.last_rewind = None;
            st.world = world;
            st.status = Status::Paused;
            st.raf = None;
            st.last_ts = None;
        }
        self.redraw.emit(());
    }
}

impl<W: LabWorld + 'static> Player<W> {
    /// Time travel: pauses and puts the world back as it was at `target` (restored from the
    /// nearest snapshot and re-simulated, so it is the same run). Playing on from there
    /// replays the same future unless the learner changes it.
    pub fn scrub(&self, target: SimTime) {
        {
            let mut st = self.state.borrow_mut();
            st.raf = None;
            let (world, how) = st.snaps.rewind(target);
            st.world = world;
            st.last_rewind = Some(how);
            st.status = if st.world.is_done() {
                Status::Finished
            } else {
                Status::Paused
            };
        }
        self.redraw.emit(());
    }
}

fn schedule<W: LabWorld + 'static>(state: Rc<RefCell<PlayerState<W>>>, redraw: Callback<()>) {
    let s2 = state.clone();
    let handle = request_animation_frame(move |ts| {
        let perf = gloo::utils::window().performance();
        let clock = move || perf.as_ref().map_or(0.0, |p| p.now());
        let t0 = clock();
        let again = s2.borrow_mut().frame(ts, &clock);
        let t1 = clock();
        redraw.emit(());
        // Yew renders in a microtask queued by `emit`; a task spawned after it runs once the
        // redraw is done, so the recorded total includes diffing and patching the DOM.
        wasm_bindgen_futures::spawn_local(async move {
            record_frame_work(clock() - t0, t1 - t0);
        });
        if again {
            schedule(s2, redraw);
        }
    });
    state.borrow_mut().raf = Some(handle);
}

/// The frame budget benchmark (`scripts/bench-browser.sh`) puts an array at
/// `window.__scalelabFrameMs`; while it is there, each frame's work in milliseconds is appended
/// to it as `[total, engine]` (engine step, and engine step plus redraw). Without it this costs
/// one property lookup per frame.
fn record_frame_work(total_ms: f64, engine_ms: f64) {
    let key = wasm_bindgen::JsValue::from_str("__scalelabFrameMs");
    let window = gloo::utils::window();
    if let Ok(arr) = js_sys::Reflect::get(&window, &key) {
        if let Some(arr) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Array>(&arr) {
            if arr.length() < 100_000 {
                arr.push(&js_sys::Array::of2(&total_ms.into(), &engine_ms.into()));
            }
        }
    }
}

/// Owns a world for the lifetime of the component and re-renders it on every frame.
#[hook]
pub fn use_player<W, F>(init: F) -> Player<W>
where
    W: LabWorld + 'static,
    F: FnOnce() -> W,
{
    let update = use_force_update();
    let state = use_mut_ref(|| {
        let world = init();
        PlayerState {
            snaps: Snapshots::new(&world, SNAPSHOT_EVERY),
            last_rewind: None,
            world,
            status: Status::Paused,
            speed: 1.0,
            last_ts: None,
            raf: None,
            last_frame_events: 0,
            frames: 0,
        }
    });
    {
        // Stop the animation loop when the lab is left.
        let state = state.clone();
        use_effect_with((), move |_| move || state.borrow_mut().raf = None);
    }
    Player {
        state,
        redraw: Callback::from(move |_| update.force_update()),
    }
}
