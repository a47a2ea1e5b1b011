//! Log mode (Kafka-like): append-only partitions, consumer groups that split the partitions
//! between their members, committed offsets, and eager rebalancing when a member joins, leaves
//! or goes silent. A new owner resumes from the last committed offset, so whatever the old owner
//! processed after its last commit is processed again: at-least-once delivery, made visible.

use super::broker::LifeKind;
use super::broker::{Broker, Event, MsgState, Work, REBALANCE_PAUSE};
use crate::sim::{Ctx, SimTime};

impl Broker {
    /// Appends a produced message to its partition and wakes the partition's owners.
    pub(super) fn append(&mut self, id: u64, ctx: &mut Ctx<'_, Event>) {
        let p = self.msgs[id as usize].partition as usize;
        let offset = self.logs[p].len() as u64;
        self.logs[p].push(id);
        let m = &mut self.msgs[id as usize];
        m.offset = offset;
        m.state = MsgState::Stored;
        self.life(ctx.now(), LifeKind::Produced, id, None);
        for g in 0..self.groups.len() {
            if let Some(c) = self.groups[g].owner[p] {
                self.poll(c, ctx);
            }
        }
    }

    /// Range assignment over the live members, in member order (Kafka's `RangeAssignor`):
    /// contiguous runs of partitions, the first `P mod n` members getting one extra.
    pub(super) fn assign(&mut self, g: usize) {
        let parts = self.logs.len();
        let live: Vec<usize> = self.groups[g]
            .members
            .iter()
            .copied()
            .filter(|&c| self.consumers[c].up && self.consumers[c].joined)
            .collect();
        for c in self.consumers.iter_mut().filter(|c| c.group == g) {
            c.assigned.clear();
        }
        let group = &mut self.groups[g];
        group.owner = vec![None; parts];
        if live.is_empty() {
            return;
        }
        let (per, extra) = (parts / live.len(), parts % live.len());
        let mut next = 0;
        for (i, &c) in live.iter().enumerate() {
            let n = per + usize::from(i < extra);
            for p in next..next + n {
                group.owner[p] = Some(c);
                self.consumers[c].assigned.push(p as u16);
            }
            next += n;
        }
    }

    /// Stops the group's consumption and schedules the end of a rebalance; a new trigger while
    /// one is running restarts it.
    pub(super) fn trigger_rebalance(&mut self, g: usize, ctx: &mut Ctx<'_, Event>) {
        let group = &mut self.groups[g];
        group.rebalancing = true;
        group.generation += 1;
        ctx.after(
            REBALANCE_PAUSE,
            Event::RebalanceEnd {
                group: g as u8,
                generation: group.generation,
            },
        );
    }

    pub(super) fn rebalance_end(&mut self, g: usize, generation: u32, ctx: &mut Ctx<'_, Event>) {
        if g >= self.groups.len() || self.groups[g].generation != generation {
            return;
        }
        let now = ctx.now();
        // Members give up what they are doing (revocation); their finished work is committed.
        let members = self.groups[g].members.clone();
        for &c in &members {
            let consumer = &mut self.consumers[c];
            if let Some(w) = consumer.work.take() {
                consumer.epoch += 1;
                if g == 0 {
                    let m = &mut self.msgs[w.msg as usize];
                    if m.state == MsgState::InFlight {
                        m.state = MsgState::Stored;
                    }
                }
            }
        }
        let parts = self.logs.len();
        for p in 0..parts {
            let group = &mut self.groups[g];
            if let Some(o) = group.owner[p] {
                if self.consumers[o].up {
                    group.committed[p] = group.consumed[p];
                }
            }
            let start = self.log_start[p];
            let group = &mut self.groups[g];
            group.committed[p] = group.committed[p].max(start);
            group.consumed[p] = group.committed[p];
            group.position[p] = group.committed[p];
        }
        self.assign(g);
        let group = &mut self.groups[g];
        group.rebalancing = false;
        group.rebalances += 1;
        for c in members {
            self.poll(c, ctx);
        }
        self.update_busy(now);
    }

    /// Fetches the next message from one of `c`'s partitions, taking turns between them.
    pub(super) fn log_poll(&mut self, c: usize, ctx: &mut Ctx<'_, Event>) {
        let g = self.consumers[c].group;
        if self.groups[g].rebalancing {
            return;
        }
        let n = self.consumers[c].assigned.len();
        for i in 0..n {
            let slot = (self.consumers[c].rr + i) % n;
            let p = self.consumers[c].assigned[slot] as usize;
            let group = &mut self.groups[g];
            let pos = group.position[p].max(self.log_start[p]);
            if pos < self.logs[p].len() as u64 {
                group.position[p] = pos + 1;
                self.consumers[c].rr = slot + 1;
                let msg = self.logs[p][pos as usize];
                let work = Work {
                    msg,
                    partition: p as u16,
                    offset: pos,
                    attempt: 1,
                    delivery: 0,
                    started: ctx.now(),
                };
                self.start_work(c, work, ctx);
                return;
            }
        }
    }

    pub(super) fn log_done(
        &mut self,
        c: usize,
        work: Work,
        failed: bool,
        ctx: &mut Ctx<'_, Event>,
    ) {
        let now = ctx.now();
        let g = self.consumers[c].group;
        if failed && u32::from(work.attempt) < self.scenario.max_deliveries {
            // Retry in place: the partition waits behind this message.
            let again = Work {
                attempt: work.attempt + 1,
                ..work
            };
            self.start_work(c, again, ctx);
            return;
        }
        if failed {
            // Out of attempts: publish to the dead-letter topic and move on.
            self.groups[g].dead_lettered += 1;
            if g == 0 {
                self.dead_letter(work.msg, Some(c as u16), now);
            }
        } else {
            self.groups[g].acked += 1;
            if g == 0 {
                self.ack(work.msg, c, now);
            }
        }
        let p = work.partition as usize;
        let group = &mut self.groups[g];
        group.consumed[p] = group.consumed[p].max(work.offset + 1);
        if self.scenario.commit_ms <= 0.0 {
            group.committed[p] = group.consumed[p];
        }
        self.poll(c, ctx);
    }

    /// A crash loses the consumer's uncommitted progress; the group notices after the session
    /// timeout.
    pub(super) fn log_crash(&mut self, c: usize, ctx: &mut Ctx<'_, Event>) {
        let g = self.consumers[c].group;
        let assigned = self.consumers[c].assigned.clone();
        for p in assigned {
            let group = &mut self.groups[g];
            group.consumed[p as usize] = group.committed[p as usize];
        }
        let epoch = self.consumers[c].epoch;
        ctx.after(
            SimTime::from_secs_f64(self.scenario.session_ms / 1000.0),
            Event::SessionTimeout {
                consumer: c as u16,
                epoch,
            },
        );
    }

    pub(super) fn session_timeout(&mut self, c: usize, epoch: u32, ctx: &mut Ctx<'_, Event>) {
        let consumer = &mut self.consumers[c];
        if consumer.up || consumer.epoch != epoch || !consumer.joined {
            return;
        }
        consumer.joined = false;
        let g = consumer.group;
        self.groups[g].members.retain(|&m| m != c);
        self.trigger_rebalance(g, ctx);
    }

    /// A (re)started or new consumer joins its group, which rebalances.
    pub(super) fn log_join(&mut self, c: usize, ctx: &mut Ctx<'_, Event>) {
        let g = self.consumers[c].group;
        self.consumers[c].joined = true;
        if !self.groups[g].members.contains(&c) {
            self.groups[g].members.push(c);
        }
        self.trigger_rebalance(g, ctx);
    }

    /// A clean leave: commit what is finished, hand back the rest.
    pub(super) fn log_leave(&mut self, c: usize, ctx: &mut Ctx<'_, Event>) {
        let g = self.consumers[c].group;
        for &p in &self.consumers[c].assigned {
            let group = &mut self.groups[g];
            group.committed[p as usize] = group.consumed[p as usize];
        }
        let consumer = &mut self.consumers[c];
        consumer.up = false;
        consumer.joined = false;
        consumer.epoch += 1;
        if let Some(w) = consumer.work.take() {
            if g == 0 {
                let m = &mut self.msgs[w.msg as usize];
                if m.state == MsgState::InFlight {
                    m.state = MsgState::Stored;
                }
            }
        }
        self.groups[g].members.retain(|&m| m != c);
        self.trigger_rebalance(g, ctx);
    }

    /// Periodic commit (`enable.auto.commit`): every live owner commits what it has finished.
    pub(super) fn commit_tick(&mut self, ctx: &mut Ctx<'_, Event>) {
        for g in 0..self.groups.len() {
            for p in 0..self.logs.len() {
                let group = &mut self.groups[g];
                if let Some(o) = group.owner[p] {
                    if self.consumers[o].up {
                        group.committed[p] = group.consumed[p];
                    }
                }
            }
        }
        if self.ticking {
            ctx.after(
                SimTime::from_secs_f64(self.scenario.commit_ms / 1000.0),
                Event::Commit,
            );
        }
    }

    /// Retention: deletes messages older than `retention_s`, read or not. Unread ones are lost
    /// to the primary group and counted as dropped (a loss the retention setting chose).
    pub(super) fn expire(&mut self, now: SimTime, ctx: &mut Ctx<'_, Event>) {
        let keep = SimTime::from_secs_f64(self.scenario.retention_s);
        for p in 0..self.logs.len() {
            while let Some(&id) = self.logs[p].get(self.log_start[p] as usize) {
                let m = &self.msgs[id as usize];
                if m.created + keep > now || m.state == MsgState::InFlight {
                    break;
                }
                if !m.state.settled() {
                    self.drop_msg(id, now, true);
                }
                self.log_start[p] += 1;
            }
            let start = self.log_start[p];
            for g in &mut self.groups {
                g.committed[p] = g.committed[p].max(start);
                g.consumed[p] = g.consumed[p].max(start);
                g.position[p] = g.position[p].max(start);
            }
        }
        let _ = ctx;
    }
}
