//! A first-come-first-served queue in front of `c` identical servers: the M/M/c station at the
//! heart of the scaling lab, and of `scalelab mmc`, checked against the Erlang C formula.
//!
//! [`Station`] is only the queue discipline (who waits, who is served, when each leaves), so
//! machines with other arrival processes or service-time laws reuse it unchanged. [`Mmc`] is the
//! textbook model on top: Poisson arrivals, exponential service, a fixed number of customers.
//! Each customer's service time is drawn when it arrives, from its own stream, so the same seed
//! gives every customer the same arrival and service time whatever the number of servers.

use crate::sim::chunked::ChunkedDeque;
use crate::sim::metrics::BusyTracker;
use crate::sim::rng::exp_sample;
use crate::sim::{
    Ctx, LatencyHistogram, Model, RngStreams, SimRng, SimTime, Simulation, TraceHash, Traceable,
};

/// One customer (request, job) in a station.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Customer {
    pub id: u64,
    #[serde(rename = "arrived_us")]
    pub arrived: SimTime,
    #[serde(rename = "service_us")]
    pub service: SimTime,
}

/// FCFS with `c` servers. Returns, whenever a service starts, the customer and the time it
/// will leave; the caller schedules that departure.
#[derive(Clone, Debug)]
pub struct Station {
    servers: u32,
    busy: u32,
    /// Chunked: an overloaded store's line reaches millions, and time travel copies it.
    queue: ChunkedDeque<Customer>,
    pub busy_time: BusyTracker,
}

impl Station {
    pub fn new(servers: u32) -> Self {
        Station {
            servers: servers.max(1),
            busy: 0,
            queue: ChunkedDeque::new(),
            busy_time: BusyTracker::new(u64::from(servers.max(1))),
        }
    }

    pub fn servers(&self) -> u32 {
        self.servers
    }

    pub fn busy(&self) -> u32 {
        self.busy
    }

    pub fn waiting(&self) -> usize {
        self.queue.len()
    }

    /// A customer arrives; if a server is free it starts at once.
    pub fn arrive(&mut self, now: SimTime, c: Customer) -> Option<(Customer, SimTime)> {
        if self.busy < self.servers {
            self.busy += 1;
            self.busy_time.set_busy(now, u64::from(self.busy));
            Some((c, now + c.service))
        } else {
            self.queue.push_back(c);
            None
        }
    }

    /// A customer leaves; the next one in line (if any) starts on the freed server.
    pub fn depart(&mut self, now: SimTime) -> Option<(Customer, SimTime)> {
        match self.queue.pop_front() {
            Some(next) => Some((next, now + next.service)),
            None => {
                self.busy = self.busy.saturating_sub(1);
                self.busy_time.set_busy(now, u64::from(self.busy));
                None
            }
        }
    }

    /// Empties the queue (a crash): returns the customers that were waiting.
    pub fn drain(&mut self) -> Vec<Customer> {
        self.queue.drain_all()
    }
}

/// Events of the M/M/c model.
#[derive(Clone, Copy, Debug, serde::Serialize, PartialEq, Eq)]
pub enum MmcEvent {
    Arrival,
    Departure(Customer),
}

impl Traceable for MmcEvent {
    #[inline]
    fn trace(&self, h: &mut TraceHash) {
        match self {
            MmcEvent::Arrival => h.word(1),
            MmcEvent::Departure(c) => {
                h.word(2);
                h.word(c.id);
            }
        }
    }
}

/// Parameters of an M/M/c run; rates are per unit of time (seconds).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MmcParams {
    pub arrival_rate: f64,
    pub service_rate: f64,
    pub servers: u32,
    pub customers: u64,
    pub seed: u64,
}

/// The M/M/c model: Poisson arrivals into a [`Station`].
pub struct Mmc {
    p: MmcParams,
    station: Station,
    arrivals: SimRng,
    services: SimRng,
    next_id: u64,
    pub done: u64,
    pub wait: LatencyHistogram,
    pub sojourn: LatencyHistogram,
    wait_sum_us: u128,
    sojourn_sum_us: u128,
    last: SimTime,
}

impl Mmc {
    pub fn new(p: MmcParams) -> Self {
        let streams = RngStreams::new(p.seed);
        Mmc {
            station: Station::new(p.servers),
            arrivals: streams.stream("mmc/arrivals"),
            services: streams.stream("mmc/service"),
            next_id: 0,
            done: 0,
            wait: LatencyHistogram::new(),
            sojourn: LatencyHistogram::new(),
            wait_sum_us: 0,
            sojourn_sum_us: 0,
            last: SimTime::ZERO,
            p,
        }
    }

    fn next_arrival(&mut self, ctx: &mut Ctx<'_, MmcEvent>) {
        if self.next_id < self.p.customers {
            let gap = exp_sample(&mut self.arrivals, 1.0 / self.p.arrival_rate);
            ctx.after(SimTime::from_secs_f64(gap), MmcEvent::Arrival);
        }
    }

    fn begin(&mut self, c: Customer, leaves: SimTime, now: SimTime, ctx: &mut Ctx<'_, MmcEvent>) {
        let w = now - c.arrived;
        self.wait.record(w);
        self.wait_sum_us += u128::from(w.as_micros());
        ctx.at(leaves, MmcEvent::Departure(c));
    }

    pub fn mean_wait_s(&self) -> f64 {
        if self.done == 0 {
            0.0
        } else {
            self.wait_sum_us as f64 / self.done as f64 / 1e6
        }
    }

    pub fn mean_sojourn_s(&self) -> f64 {
        if self.done == 0 {
            0.0
        } else {
            self.sojourn_sum_us as f64 / self.done as f64 / 1e6
        }
    }

    /// Busy fraction of the servers from time 0 to the last departure.
    pub fn utilization(&self) -> f64 {
        let secs = self.last.as_secs_f64();
        if secs <= 0.0 {
            return 0.0;
        }
        self.station.busy_time.area(self.last) as f64
            / 1e6
            / (secs * f64::from(self.station.servers()))
    }
}

impl Model for Mmc {
    type Event = MmcEvent;

    fn start(&mut self, ctx: &mut Ctx<'_, MmcEvent>) {
        self.next_arrival(ctx);
    }

    #[inline]
    fn handle(&mut self, ev: MmcEvent, ctx: &mut Ctx<'_, MmcEvent>) {
        let now = ctx.now();
        match ev {
            MmcEvent::Arrival => {
                let service = SimTime::from_secs_f64(exp_sample(
                    &mut self.services,
                    1.0 / self.p.service_rate,
                ));
                let c = Customer {
                    id: self.next_id,
                    arrived: now,
                    service,
                };
                self.next_id += 1;
                if let Some((c, leaves)) = self.station.arrive(now, c) {
                    self.begin(c, leaves, now, ctx);
                }
                self.next_arrival(ctx);
            }
            MmcEvent::Departure(c) => {
                self.done += 1;
                self.last = now;
                let s = now - c.arrived;
                self.sojourn.record(s);
                self.sojourn_sum_us += u128::from(s.as_micros());
                if let Some((next, leaves)) = self.station.depart(now) {
                    self.begin(next, leaves, now, ctx);
                }
            }
        }
    }
}

/// Runs an M/M/c to completion.
pub fn run_mmc(p: MmcParams) -> Simulation<Mmc> {
    let mut sim = Simulation::new(Mmc::new(p));
    sim.run_to_end(u64::MAX);
    sim
}

/// Erlang C: the probability that an arrival has to wait, for offered load a = λ/μ on c servers.
pub fn erlang_c(arrival_rate: f64, service_rate: f64, servers: u32) -> f64 {
    let c = f64::from(servers);
    let a = arrival_rate / service_rate;
    let rho = a / c;
    if rho >= 1.0 {
        return 1.0;
    }
    // Sum a^k/k! iteratively to stay finite for large c.
    let mut term = 1.0;
    let mut sum = 0.0;
    for k in 0..servers {
        sum += term;
        term *= a / f64::from(k + 1);
    }
    let top = term / (1.0 - rho);
    top / (sum + top)
}

/// Mean time in queue (Wq) of M/M/c by Erlang C.
pub fn mmc_wq(arrival_rate: f64, service_rate: f64, servers: u32) -> f64 {
    erlang_c(arrival_rate, service_rate, servers)
        / (f64::from(servers) * service_rate - arrival_rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(servers: u32) {
        let mu = 1.0;
        let lambda = 0.8 * f64::from(servers) * mu;
        let sim = run_mmc(MmcParams {
            arrival_rate: lambda,
            service_rate: mu,
            servers,
            customers: 1_000_000,
            seed: 1,
        });
        let m = sim.model();
        assert_eq!(m.done, 1_000_000);
        let wq = m.mean_wait_s();
        let theory = mmc_wq(lambda, mu, servers);
        let err = (wq - theory).abs() / theory;
        assert!(
            err < 0.03,
            "M/M/{servers}: Wq {wq:.4} vs Erlang C {theory:.4} ({:.2}% off)",
            err * 100.0
        );
        let w = m.mean_sojourn_s();
        assert!(((w - (theory + 1.0 / mu)) / (theory + 1.0 / mu)).abs() < 0.03);
        assert!(
            (m.utilization() - 0.8).abs() < 0.01,
            "ρ {}",
            m.utilization()
        );
    }

    #[test]
    fn m_m_1_agrees_with_theory() {
        check(1);
    }

    #[test]
    fn m_m_4_agrees_with_erlang_c() {
        check(4);
    }

    #[test]
    fn m_m_16_agrees_with_erlang_c() {
        check(16);
    }

    #[test]
    fn erlang_c_known_values() {
        // M/M/1: P(wait) = ρ.
        assert!((erlang_c(0.8, 1.0, 1) - 0.8).abs() < 1e-12);
        // M/M/2 with a = 1: P(wait) = 1/3.
        assert!((erlang_c(1.0, 1.0, 2) - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(erlang_c(2.0, 1.0, 2), 1.0);
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(24))]
            #[test]
            fn more_servers_never_increase_mean_wait(seed in any::<u64>(), c in 1u32..6, load in 0.3f64..0.95) {
                let run = |servers| {
                    let sim = run_mmc(MmcParams { arrival_rate: load * f64::from(c), service_rate: 1.0, servers, customers: 3_000, seed });
                    (sim.model().mean_wait_s(), sim.trace().hex())
                };
                let (a, ha) = run(c);
                let (b, _) = run(c + 1);
                prop_assert!(b <= a + 1e-12, "c={c}: {a} then {b} with one more server");
                prop_assert_eq!(ha, run(c).1);
            }
        }
    }
}
