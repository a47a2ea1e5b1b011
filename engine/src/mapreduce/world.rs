//! The MapReduce lab as the UI and CLI drive it: a [`Cluster`] on the simulation core, plus
//! read-only views shaped for the page (Gantt, shuffle matrix, results, a word's journey).

use super::cluster::{Attempt, Cluster, Counters, Event, MapTask, Outcome, TaskRef, TaskState};
use super::job::{partition_of, Input};
use super::scenario::MapReduceScenario;
use crate::sim::fault::Phase;
use crate::sim::{Advance, FaultKind, LabWorld, MetricsSnapshot, SimTime, Simulation, TimeSeries};

#[derive(Clone)]
pub struct MapReduceWorld {
    sim: Simulation<Cluster>,
}

/// Where one word went: the map tasks that emitted it, its partition, its final value.
#[derive(Clone, Debug, PartialEq)]
pub struct WordJourney {
    pub word: String,
    /// (map task, records for this word in that task's stored output)
    pub from_maps: Vec<(u32, u64)>,
    pub partition: u32,
    /// The committed reduce output, once its partition is done.
    pub value: Option<String>,
}

impl MapReduceWorld {
    /// Builds a world; the scenario must have passed `validate()`, and `inputs` are the texts
    /// named by `scenario.inputs` (in that order).
    pub fn new(scenario: &MapReduceScenario, inputs: Vec<Input>) -> Self {
        MapReduceWorld {
            sim: Simulation::new(Cluster::new(scenario, inputs)),
        }
    }

    pub fn cluster(&self) -> &Cluster {
        self.sim.model()
    }

    pub fn counters(&self) -> &Counters {
        &self.sim.model().counters
    }

    pub fn run_to_end(&mut self) -> Advance {
        self.sim.run_to_end(u64::MAX)
    }

    pub fn finished_at(&self) -> Option<SimTime> {
        self.sim.model().finished_at
    }

    pub fn stalled(&self) -> bool {
        self.sim.model().stalled
    }

    pub fn attempts(&self) -> &[Attempt] {
        &self.sim.model().attempts
    }

    pub fn maps(&self) -> &[MapTask] {
        &self.sim.model().maps
    }

    /// Bytes each map task's stored output holds for each reduce partition (rows: map tasks).
    pub fn shuffle_matrix(&self) -> Vec<Vec<u64>> {
        let r = self.sim.model().reduces.len();
        self.sim
            .model()
            .maps
            .iter()
            .map(|m| m.output.as_ref().map_or(vec![0; r], |o| o.bytes.clone()))
            .collect()
    }

    /// Committed output per reduce partition (`None` until that partition commits).
    pub fn parts(&self) -> Vec<Option<&[(String, String)]>> {
        self.sim
            .model()
            .reduces
            .iter()
            .map(|r| r.output.as_deref())
            .collect()
    }

    /// The whole result as `(key, value)` in key order, once every partition has committed.
    pub fn result(&self) -> Option<Vec<(String, String)>> {
        let parts = self.parts();
        if parts.iter().any(Option::is_none) {
            return None;
        }
        let mut all: Vec<(String, String)> =
            parts.into_iter().flatten().flatten().cloned().collect();
        all.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Some(all)
    }

    /// The `n` committed keys with the largest leading number in their value (word counts,
    /// document counts), ties by key.
    ///
    /// The page asks for this every frame while reducers commit tens of thousands of keys, so
    /// it selects the top `n` in linear time and sorts only those.
    pub fn top(&self, n: usize) -> Vec<(String, String)> {
        if n == 0 {
            return Vec::new();
        }
        let lead = |v: &str| {
            v.split('\t')
                .next()
                .and_then(|x| x.parse::<u64>().ok())
                .unwrap_or(0)
        };
        let mut all: Vec<(u64, &(String, String))> = self
            .parts()
            .into_iter()
            .flatten()
            .flatten()
            .map(|kv| (lead(&kv.1), kv))
            .collect();
        type Ranked<'a> = (u64, &'a (String, String));
        let order = |a: &Ranked, b: &Ranked| b.0.cmp(&a.0).then_with(|| a.1 .0.cmp(&b.1 .0));
        if all.len() > n {
            all.select_nth_unstable_by(n - 1, order);
            all.truncate(n);
        }
        all.sort_by(order);
        all.into_iter().map(|(_, kv)| kv.clone()).collect()
    }

    /// How many keys the job committed, once every partition has (`None` before).
    pub fn committed_keys(&self) -> Option<usize> {
        self.parts().into_iter().map(|p| p.map(<[_]>::len)).sum()
    }

    /// Follows one key through map, shuffle and reduce.
    pub fn journey(&self, word: &str) -> WordJourney {
        let c = self.sim.model();
        let partition = partition_of(word, c.scenario.reducers);
        let mut from_maps = Vec::new();
        if let Some(id) = c.keys.lookup(word) {
            for (i, m) in c.maps.iter().enumerate() {
                if let Some(o) = &m.output {
                    let n = o.runs[partition as usize]
                        .iter()
                        .filter(|(k, _)| *k == id)
                        .count() as u64;
                    if n > 0 {
                        from_maps.push((i as u32, n));
                    }
                }
            }
        }
        let value = c.reduces[partition as usize]
            .output
            .as_ref()
            .and_then(|lines| {
                lines
                    .binary_search_by(|(k, _)| k.as_str().cmp(word))
                    .ok()
                    .map(|i| lines[i].1.clone())
            });
        WordJourney {
            word: word.to_string(),
            from_maps,
            partition,
            value,
        }
    }

    /// Counts of map and reduce tasks by state: (idle, running, done).
    pub fn progress(&self) -> ((usize, usize, usize), (usize, usize, usize)) {
        let c = self.sim.model();
        let count = |states: Vec<TaskState>| {
            (
                states.iter().filter(|s| **s == TaskState::Idle).count(),
                states.iter().filter(|s| **s == TaskState::Running).count(),
                states.iter().filter(|s| **s == TaskState::Done).count(),
            )
        };
        (
            count(c.maps.iter().map(|m| m.state).collect()),
            count(c.reduces.iter().map(|r| r.state).collect()),
        )
    }

    /// Live commands: crash, restart or slow down worker `i` (0-based) now.
    pub fn crash_worker_now(&mut self, i: usize) {
        self.inject(Phase::Begin, |t| FaultKind::Crash { target: t }, i);
    }
    pub fn restart_worker_now(&mut self, i: usize) {
        self.inject(Phase::Begin, |t| FaultKind::Restart { target: t }, i);
    }
    pub fn slow_worker_now(&mut self, i: usize, factor: f64) {
        self.inject(
            Phase::Begin,
            |t| FaultKind::Slow {
                target: t,
                factor: factor.clamp(1.0, 1000.0),
            },
            i,
        );
    }

    fn inject(&mut self, phase: Phase, kind: impl FnOnce(String) -> FaultKind, i: usize) {
        if let Some(w) = self.sim.model().workers.get(i) {
            let k = kind(w.name.clone());
            self.sim.command(Event::Fault(phase, k));
        }
    }

    /// Whether any attempt of `task` ended in `outcome`.
    pub fn any_attempt(&self, pred: impl Fn(&Attempt) -> bool) -> bool {
        self.attempts().iter().any(pred)
    }

    pub fn task_label(t: TaskRef) -> String {
        match t {
            TaskRef::Map(i) => format!("m{i}"),
            TaskRef::Reduce(r) => format!("r{r}"),
        }
    }

    pub fn outcome_counts(&self) -> [(Outcome, usize); 5] {
        let n = |o| self.attempts().iter().filter(|a| a.outcome == o).count();
        [
            (Outcome::Running, n(Outcome::Running)),
            (Outcome::Done, n(Outcome::Done)),
            (Outcome::Crashed, n(Outcome::Crashed)),
            (Outcome::Killed, n(Outcome::Killed)),
            (Outcome::OutputLost, n(Outcome::OutputLost)),
        ]
    }
}

impl LabWorld for MapReduceWorld {
    crate::sim::world::clock_from_sim!();
    fn announcement(&self) -> Option<String> {
        self.sim.model().headline.clone()
    }
    fn is_done(&self) -> bool {
        self.sim.model().is_done()
    }
    fn metrics(&self) -> MetricsSnapshot {
        let c = self.sim.model();
        let now = self.sim.now();
        let end = c.finished_at.unwrap_or(now);
        let secs = end.as_secs_f64();
        let total = c.counters.map_records_out + c.counters.reduce_records_out;
        MetricsSnapshot {
            sim_time_s: now.as_secs_f64(),
            throughput_per_s: if c.is_done() {
                if secs > 0.0 {
                    total as f64 / secs
                } else {
                    0.0
                }
            } else {
                c.window_rate(now)
            },
            latency_p50_ms: c.task_latency.quantile(0.5).as_millis_f64(),
            latency_p95_ms: c.task_latency.quantile(0.95).as_millis_f64(),
            latency_p99_ms: c.task_latency.quantile(0.99).as_millis_f64(),
            utilization: c.utilization(now),
            error_rate: c.error_rate(),
            backlog: c.pending_tasks(),
            job_duration_s: secs,
            total_completed: c.counters.attempts,
            total_failed: c.counters.crashes,
        }
    }
    fn series(&self) -> &TimeSeries {
        &self.sim.model().series
    }
}

#[cfg(test)]
mod tests;
