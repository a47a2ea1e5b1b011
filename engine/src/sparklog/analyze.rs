//! What a Spark log says, in the MapReduce lab's terms: per stage, the spread of task times, the
//! skew ratio, the stragglers and the shuffle bytes, and a plain-language summary.

use super::parse::{SparkLog, TaskEnd};
use crate::sim::units::bytes;

#[derive(Clone, Debug, PartialEq)]
pub struct Straggler {
    pub index: i64,
    pub attempt: i64,
    pub executor: String,
    pub duration_ms: i64,
    pub shuffle_read_bytes: i64,
    /// Its time over the stage's median task time.
    pub times_median: f64,
    /// Its shuffle read over the median task's.
    pub read_times_median: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StageStats {
    pub id: i64,
    pub attempt: i64,
    pub name: String,
    /// Task-end events of this stage attempt (failed ones included).
    pub tasks: usize,
    pub failed: usize,
    pub speculative: usize,
    pub duration_ms: i64,
    pub min_ms: i64,
    pub p50_ms: i64,
    pub max_ms: i64,
    /// Longest task over the median task: 1 is perfectly even.
    pub skew: f64,
    pub shuffle_read_bytes: i64,
    pub shuffle_write_bytes: i64,
    pub input_bytes: i64,
    /// Tasks that ran far longer than the median (≥ 2× and ≥ 1 s more), longest first.
    pub stragglers: Vec<Straggler>,
    /// Tasks that read far more shuffle data than the median (≥ 3× and ≥ 64 kB): a skewed key,
    /// whether or not it cost time yet. Heaviest first.
    pub heavy: Vec<Straggler>,
}

fn median(v: &mut [i64]) -> i64 {
    if v.is_empty() {
        return 0;
    }
    v.sort_unstable();
    v[(v.len() - 1) / 2]
}

/// Stats for every completed stage attempt, in the order they completed.
pub fn stage_stats(log: &SparkLog) -> Vec<StageStats> {
    log.stages
        .iter()
        .map(|st| {
            let tasks: Vec<&TaskEnd> = log
                .tasks
                .iter()
                .filter(|t| t.stage == st.id && t.stage_attempt == st.attempt)
                .collect();
            let mut d: Vec<i64> = tasks.iter().map(|t| t.duration_ms()).collect();
            let p50 = median(&mut d);
            let mut reads: Vec<i64> = tasks.iter().map(|t| t.shuffle_read_bytes).collect();
            let read_p50 = median(&mut reads);
            let max = d.last().copied().unwrap_or(0);
            let describe = |t: &&TaskEnd| Straggler {
                index: t.index,
                attempt: t.attempt,
                executor: t.executor.clone(),
                duration_ms: t.duration_ms(),
                shuffle_read_bytes: t.shuffle_read_bytes,
                times_median: t.duration_ms() as f64 / p50.max(1) as f64,
                read_times_median: if read_p50 > 0 {
                    t.shuffle_read_bytes as f64 / read_p50 as f64
                } else {
                    0.0
                },
            };
            let enough = tasks.len() > 2;
            let mut stragglers: Vec<Straggler> = tasks
                .iter()
                .filter(|t| enough && !t.failed() && t.duration_ms() >= (2 * p50).max(p50 + 1000))
                .map(describe)
                .collect();
            stragglers.sort_by(|a, b| {
                b.duration_ms
                    .cmp(&a.duration_ms)
                    .then(a.index.cmp(&b.index))
            });
            let mut heavy: Vec<Straggler> = tasks
                .iter()
                .filter(|t| {
                    enough
                        && !t.failed()
                        && t.shuffle_read_bytes >= 65_536
                        && t.shuffle_read_bytes >= 3 * read_p50.max(1)
                })
                .map(describe)
                .collect();
            heavy.sort_by(|a, b| {
                b.shuffle_read_bytes
                    .cmp(&a.shuffle_read_bytes)
                    .then(a.index.cmp(&b.index))
            });
            StageStats {
                id: st.id,
                attempt: st.attempt,
                name: st.name.clone(),
                tasks: tasks.len(),
                failed: tasks.iter().filter(|t| t.failed()).count(),
                speculative: tasks.iter().filter(|t| t.speculative).count(),
                duration_ms: (st.completed_ms - st.submitted_ms).max(0),
                min_ms: d.first().copied().unwrap_or(0),
                p50_ms: p50,
                max_ms: max,
                skew: if p50 > 0 {
                    max as f64 / p50 as f64
                } else {
                    1.0
                },
                shuffle_read_bytes: tasks.iter().map(|t| t.shuffle_read_bytes).sum(),
                shuffle_write_bytes: tasks.iter().map(|t| t.shuffle_write_bytes).sum(),
                input_bytes: tasks.iter().map(|t| t.input_bytes).sum(),
                stragglers,
                heavy,
            }
        })
        .collect()
}

/// Sorted executor ids seen in task ends.
pub fn executors(log: &SparkLog) -> Vec<String> {
    let mut v: Vec<String> = log.tasks.iter().map(|t| t.executor.clone()).collect();
    v.sort_by(|a, b| match (a.parse::<i64>(), b.parse::<i64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    });
    v.dedup();
    v
}

/// True if `t` was the first task its executor ran: it pays the start-up (deserialising the
/// job's code, warming the JVM and the Python workers).
fn first_on_executor(log: &SparkLog, t: &Straggler, stage: i64) -> bool {
    let first = log
        .tasks
        .iter()
        .filter(|u| u.executor == t.executor)
        .min_by_key(|u| (u.launch_ms, u.task_id));
    first.is_some_and(|u| u.stage == stage && u.index == t.index && u.attempt == t.attempt)
}

/// One sentence per stage that has something to say, and one per failed attempt.
pub fn summary(log: &SparkLog, stats: &[StageStats]) -> Vec<String> {
    let mut out = Vec::new();
    for s in stats {
        let mut said = false;
        if let Some(x) = s.stragglers.first() {
            let waited = (x.duration_ms - s.p50_ms).max(0) as f64 / 1000.0;
            let cause = if x.read_times_median >= 3.0 {
                format!(
                    " and read {:.0}× the median shuffle data ({}): a skewed key",
                    x.read_times_median,
                    bytes(x.shuffle_read_bytes as f64)
                )
            } else if first_on_executor(log, x, s.id) {
                format!(
                    " without reading more data: it was executor {}'s first task, which pays the start-up cost",
                    x.executor
                )
            } else {
                " without reading more data: a slow executor, garbage collection or an expensive record".to_string()
            };
            out.push(format!(
                "Stage {} waited {waited:.1} s on task {} (executor {}), which ran {:.1}× the median task time{cause}.",
                s.id, x.index, x.executor, x.times_median
            ));
            said = true;
        }
        if let Some(h) = s
            .heavy
            .iter()
            .find(|h| s.stragglers.first().is_none_or(|x| x.index != h.index))
        {
            out.push(format!(
                "Stage {}: task {} read {:.0}× the median shuffle data ({}): a skewed key. It took {:.1} s against a median of {:.1} s; with more data per key it becomes the task everyone waits for.",
                s.id,
                h.index,
                h.read_times_median,
                bytes(h.shuffle_read_bytes as f64),
                h.duration_ms as f64 / 1000.0,
                s.p50_ms as f64 / 1000.0
            ));
            said = true;
        }
        if !said && s.tasks > 0 {
            out.push(format!(
                "Stage {} ran {} tasks evenly: {:.1}–{:.1} s, median {:.1} s.",
                s.id,
                s.tasks,
                s.min_ms as f64 / 1000.0,
                s.max_ms as f64 / 1000.0,
                s.p50_ms as f64 / 1000.0
            ));
        }
    }
    for t in log.tasks.iter().filter(|t| t.failed()) {
        let retried = log.tasks.iter().any(|u| {
            u.stage == t.stage && u.index == t.index && u.attempt > t.attempt && !u.failed()
        });
        out.push(format!(
            "Task {} of stage {} failed on attempt {} ({}){}.",
            t.index,
            t.stage,
            t.attempt,
            t.reason,
            if retried {
                " and succeeded when retried"
            } else {
                ""
            }
        ));
    }
    out
}
