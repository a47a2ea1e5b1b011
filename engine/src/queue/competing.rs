//! Queue mode (SQS/RabbitMQ-like): one queue, competing consumers that each take the next
//! message, a visibility timeout after which an unacknowledged message is handed out again, a
//! redrive policy that moves a message to the dead-letter queue after too many deliveries, and
//! an optional bound with back-pressure or drop-newest.

use super::broker::{Broker, Event, LifeKind, MsgState, Work};
use super::scenario::Overflow;
use crate::sim::{Ctx, SimTime};

impl Broker {
    fn stored(&self) -> u64 {
        self.ready_live + self.unacked
    }

    fn full(&self) -> bool {
        self.scenario.buffer > 0 && self.stored() >= u64::from(self.scenario.buffer)
    }

    /// A producer offers a new message; returns false if the producer is now blocked.
    pub(super) fn offer(&mut self, id: u64, producer: usize, ctx: &mut Ctx<'_, Event>) -> bool {
        let now = ctx.now();
        if self.full() {
            match self.scenario.overflow {
                Overflow::DropNewest => {
                    self.msgs[id as usize].offset = id;
                    self.life(now, LifeKind::Produced, id, None);
                    self.drop_msg(id, now, false);
                    return true;
                }
                Overflow::Block => {
                    self.producers[producer].blocked = Some(id);
                    self.blocked.push_back(producer as u16);
                    return false;
                }
            }
        }
        self.enqueue(id, ctx);
        true
    }

    fn enqueue(&mut self, id: u64, ctx: &mut Ctx<'_, Event>) {
        let m = &mut self.msgs[id as usize];
        m.offset = id;
        m.state = MsgState::Stored;
        self.ready.push_back(id);
        self.ready_live += 1;
        self.life(ctx.now(), LifeKind::Produced, id, None);
        self.wake_one(ctx);
    }

    /// The first idle consumer (in name order) takes the next message.
    fn wake_one(&mut self, ctx: &mut Ctx<'_, Event>) {
        if let Some(c) = (0..self.consumers.len()).find(|&i| {
            let c = &self.consumers[i];
            c.up && c.joined && c.work.is_none()
        }) {
            self.queue_poll(c, ctx);
        }
    }

    pub(super) fn queue_poll(&mut self, c: usize, ctx: &mut Ctx<'_, Event>) {
        while let Some(id) = self.ready.pop_front() {
            if self.msgs[id as usize].state != MsgState::Stored {
                continue; // settled while it waited (a late ack after its timeout)
            }
            self.ready_live -= 1;
            self.unacked += 1;
            let work = Work {
                msg: id,
                partition: 0,
                offset: id,
                attempt: 1,
                delivery: 0,
                started: ctx.now(),
            };
            self.start_work(c, work, ctx);
            let delivery = self.msgs[id as usize].deliveries;
            ctx.after(
                SimTime::from_secs_f64(self.scenario.visibility_ms / 1000.0),
                Event::Visible { msg: id, delivery },
            );
            return;
        }
    }

    /// Leaves the queue's counts as if `id` were no longer held, and lets a blocked producer in.
    fn release(&mut self, prev: MsgState, ctx: &mut Ctx<'_, Event>) {
        match prev {
            MsgState::Stored => self.ready_live -= 1,
            MsgState::InFlight => self.unacked -= 1,
            _ => return,
        }
        if let Some(p) = self.blocked.pop_front() {
            let p = p as usize;
            if let Some(id) = self.producers[p].blocked.take() {
                self.enqueue(id, ctx);
                // The producer resumes from now.
                self.schedule_send(p, ctx);
            }
        }
    }

    pub(super) fn queue_done(
        &mut self,
        c: usize,
        work: Work,
        failed: bool,
        ctx: &mut Ctx<'_, Event>,
    ) {
        let now = ctx.now();
        let prev = self.msgs[work.msg as usize].state;
        if !failed {
            if self.ack(work.msg, c, now) {
                self.groups[0].acked += 1;
                self.release(prev, ctx);
            }
        } else if prev == MsgState::InFlight
            && self.msgs[work.msg as usize].deliveries == work.delivery
        {
            // A negative acknowledgement: back in the queue, or to the DLQ when out of tries.
            if u32::from(work.delivery) >= self.scenario.max_deliveries {
                self.dead_letter(work.msg, Some(c as u16), now);
                self.groups[0].dead_lettered += 1;
                self.release(prev, ctx);
            } else {
                self.msgs[work.msg as usize].state = MsgState::Stored;
                self.unacked -= 1;
                self.ready_live += 1;
                self.ready.push_back(work.msg);
            }
        }
        self.queue_poll(c, ctx);
    }

    /// The visibility timeout of delivery `delivery` of `msg` ran out without an ack.
    pub(super) fn visibility_expired(&mut self, msg: u64, delivery: u16, ctx: &mut Ctx<'_, Event>) {
        let m = &self.msgs[msg as usize];
        if m.state != MsgState::InFlight || m.deliveries != delivery {
            return;
        }
        let now = ctx.now();
        if u32::from(delivery) >= self.scenario.max_deliveries {
            self.dead_letter(msg, None, now);
            self.groups[0].dead_lettered += 1;
            self.release(MsgState::InFlight, ctx);
        } else {
            self.msgs[msg as usize].state = MsgState::Stored;
            self.unacked -= 1;
            self.ready_live += 1;
            self.ready.push_back(msg);
            self.wake_one(ctx);
        }
        self.check_done(now);
    }

    /// A clean shutdown: the message in hand is released at once (a nack, not a timeout).
    pub(super) fn queue_leave(&mut self, c: usize, ctx: &mut Ctx<'_, Event>) {
        let consumer = &mut self.consumers[c];
        consumer.up = false;
        consumer.joined = false;
        consumer.epoch += 1;
        if let Some(w) = consumer.work.take() {
            let m = &mut self.msgs[w.msg as usize];
            if m.state == MsgState::InFlight && m.deliveries == w.delivery {
                m.state = MsgState::Stored;
                self.unacked -= 1;
                self.ready_live += 1;
                self.ready.push_front(w.msg);
                self.wake_one(ctx);
            }
        }
    }
}
