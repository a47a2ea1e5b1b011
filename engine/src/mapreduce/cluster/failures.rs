//! How the coordinator handles failure.
//!
//! It follows the MapReduce paper: workers heartbeat every 500 ms; the coordinator declares a
//! worker dead after 2 s of silence (or when it comes back as a new incarnation) and re-queues
//! its in-progress task. When the *machine* is gone (a scheduled or
//! live "crash worker"), the map outputs on its disk are gone too, so its *completed* map tasks
//! run again while any reduce still has to fetch them. A crash drawn from the per-attempt crash
//! probability kills the worker *process* (it restarts 2–5 s later on the same machine, as a
//! Hadoop task JVM would): its in-progress attempt is lost but the outputs on the machine's disk
//! stay available, as Hadoop's node-level shuffle service keeps them. (Losing every completed map
//! on every one of many random crashes makes re-execution snowball and the job may never end.)

use super::{Cluster, Event, Outcome, TaskRef, TaskState};
use crate::sim::fault::Phase;
use crate::sim::{Ctx, FaultKind, SimTime};

impl Cluster {
    /// Finished maps whose output lived on a worker the coordinator knows is gone run again
    /// while any reduce still has to fetch it.
    pub(super) fn reclaim_lost_outputs(&mut self) {
        if !self.reduces.iter().any(|r| r.state == TaskState::Idle) {
            return;
        }
        for m in &mut self.maps {
            if let Some((hw, hinc, attempt)) = m.holder {
                let h = &self.workers[hw];
                if m.state == TaskState::Done && h.known_disk_gen != hinc {
                    m.state = TaskState::Idle;
                    m.holder = None;
                    m.output = None;
                    self.attempts[attempt].outcome = Outcome::OutputLost;
                    self.counters.lost_map_outputs += 1;
                }
            }
        }
    }

    /// Kills worker `w`; with `machine`, its disk (and the map outputs on it) is lost too.
    pub(super) fn crash(&mut self, w: usize, now: SimTime, machine: bool) {
        let worker = &mut self.workers[w];
        if !worker.up {
            return;
        }
        worker.up = false;
        if machine {
            worker.disk_gen += 1;
        }
        self.counters.crashes += 1;
        self.headline = Some(format!(
            "{} crashed{}",
            worker.name,
            if machine { " and lost its disk" } else { "" }
        ));
        if let Some(id) = worker.busy.take() {
            let a = &mut self.attempts[id];
            if a.outcome == Outcome::Running {
                a.outcome = Outcome::Crashed;
                a.end = Some(now);
                a.result = None;
                self.failed_attempts += 1;
                self.finished_attempts += 1;
            }
        }
        self.update_busy(now);
    }

    pub(super) fn restart(&mut self, w: usize, ctx: &mut Ctx<'_, Event>) {
        let worker = &mut self.workers[w];
        if worker.up {
            return;
        }
        worker.up = true;
        worker.incarnation += 1;
        worker.busy = None;
        let (wi, inc) = (w as u32, worker.incarnation);
        ctx.after(
            SimTime::ZERO,
            Event::Heartbeat {
                worker: wi,
                incarnation: inc,
            },
        );
    }

    /// The coordinator learns that worker `w`'s incarnation `inc` is gone.
    pub(super) fn declare_dead(&mut self, w: usize, ctx: &mut Ctx<'_, Event>) {
        let now = ctx.now();
        let inc = self.workers[w].known_incarnation;
        let idle_before = self.idle_tasks();
        self.workers[w].believed_alive = false;
        self.workers[w].known_disk_gen = self.workers[w].disk_gen;
        // Its in-progress work is lost.
        for i in 0..self.attempts.len() {
            let a = &self.attempts[i];
            if a.worker != w || a.incarnation != inc {
                continue;
            }
            if a.outcome == Outcome::Running {
                let a = &mut self.attempts[i];
                a.outcome = Outcome::Crashed;
                a.end = Some(now);
                a.result = None;
                self.failed_attempts += 1;
                self.finished_attempts += 1;
            }
        }
        for i in 0..self.maps.len() {
            if self.maps[i].state == TaskState::Running
                && self
                    .running_attempts(TaskRef::Map(i as u32))
                    .next()
                    .is_none()
            {
                self.maps[i].state = TaskState::Idle;
            }
        }
        for r in 0..self.reduces.len() {
            if self.reduces[r].state == TaskState::Running
                && self
                    .running_attempts(TaskRef::Reduce(r as u32))
                    .next()
                    .is_none()
            {
                self.reduces[r].state = TaskState::Idle;
            }
        }
        self.reclaim_lost_outputs();
        let requeued = self.idle_tasks().saturating_sub(idle_before);
        self.headline = Some(format!(
            "the coordinator declared {} dead; {requeued} task{} re-queued",
            self.workers[w].name,
            if requeued == 1 { "" } else { "s" }
        ));
        self.update_busy(now);
    }

    pub(super) fn idle_tasks(&self) -> usize {
        let maps = self.maps.iter().filter(|m| m.state == TaskState::Idle);
        let reduces = self.reduces.iter().filter(|r| r.state == TaskState::Idle);
        maps.count() + reduces.count()
    }

    pub(super) fn fault(&mut self, phase: Phase, kind: FaultKind, ctx: &mut Ctx<'_, Event>) {
        let Some(w) = kind.target().and_then(|t| self.worker_index(t)) else {
            return;
        };
        match (kind, phase) {
            (FaultKind::Crash { .. }, Phase::Begin) => self.crash(w, ctx.now(), true),
            (FaultKind::Crash { .. }, Phase::End) | (FaultKind::Restart { .. }, Phase::Begin) => {
                self.pending_restarts = self.pending_restarts.saturating_sub(1);
                self.restart(w, ctx)
            }
            (FaultKind::Slow { factor, .. }, Phase::Begin) => self.workers[w].slow = factor,
            (FaultKind::Slow { .. }, Phase::End) => self.workers[w].slow = 1.0,
            _ => {}
        }
    }
}
