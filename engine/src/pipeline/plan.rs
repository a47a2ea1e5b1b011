//! Runs the daily query for real, the way the chosen optimisations say: which files are opened,
//! where the filter sits, how the join and the aggregates move rows between tasks. Every task's
//! work (files, bytes, rows) is counted from the data it actually handled and priced with
//! [`super::cost`]; the report it produces must equal [`super::table::reference`].

use super::cost::*;
use super::scenario::{Opt, Opts, PipelineScenario};
use super::table::{
    wanted, window_start, Report, Tables, CUSTOMER_ROW_BYTES, ORDER_COLUMNS, QUERY_COLUMNS,
    ROW_COMPRESSION,
};
use std::collections::BTreeMap;
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageKind {
    Customers,
    Scan,
    Join,
    CacheRead,
    Aggregate,
    Write,
    Merge,
}

/// One task's work, split by what it waited on (µs of one core).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TaskCost {
    /// Task launch and file opens.
    pub overhead_us: f64,
    /// Reading and writing storage.
    pub io_us: f64,
    /// Fetching shuffle data over the network.
    pub net_us: f64,
    /// Decoding, decompressing, filtering, joining, aggregating.
    pub cpu_us: f64,
    /// Generated rows this task handled.
    pub rows: u64,
}

impl TaskCost {
    pub fn total_us(&self) -> f64 {
        self.overhead_us + self.io_us + self.net_us + self.cpu_us
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct StagePlan {
    pub name: String,
    pub kind: StageKind,
    /// True if this stage redoes work an earlier stage already did (nothing was cached).
    pub repeat: bool,
    pub tasks: Vec<TaskCost>,
    pub files: u64,
    pub read_bytes: f64,
    pub shuffle_bytes: f64,
    pub written_bytes: f64,
    /// Real rows in and out (generated rows × scale).
    pub rows_in: f64,
    pub rows_out: f64,
}

impl StagePlan {
    fn new(name: impl Into<String>, kind: StageKind) -> Self {
        StagePlan {
            name: name.into(),
            kind,
            repeat: false,
            tasks: Vec::new(),
            files: 0,
            read_bytes: 0.0,
            shuffle_bytes: 0.0,
            written_bytes: 0.0,
            rows_in: 0.0,
            rows_out: 0.0,
        }
    }

    /// Sum of the four cost parts over all tasks (core-µs).
    pub fn breakdown(&self) -> TaskCost {
        self.tasks
            .iter()
            .fold(TaskCost::default(), |a, t| TaskCost {
                overhead_us: a.overhead_us + t.overhead_us,
                io_us: a.io_us + t.io_us,
                net_us: a.net_us + t.net_us,
                cpu_us: a.cpu_us + t.cpu_us,
                rows: a.rows + t.rows,
            })
    }
}

#[derive(Clone, Debug)]
pub struct Plan {
    pub stages: Vec<StagePlan>,
    pub report: Report,
}

impl Plan {
    pub fn read_bytes(&self) -> f64 {
        self.stages.iter().map(|s| s.read_bytes).sum()
    }
    pub fn shuffle_bytes(&self) -> f64 {
        self.stages.iter().map(|s| s.shuffle_bytes).sum()
    }
    pub fn tasks(&self) -> usize {
        self.stages.iter().map(|s| s.tasks.len()).sum()
    }
}

/// One file of the orders table (or one split of a large file).
#[derive(Clone, Debug)]
struct Split {
    rows: Range<usize>,
    /// Bytes this split fetches from storage, and the same bytes uncompressed.
    read: f64,
    raw: f64,
}

#[derive(Clone, Copy)]
struct Row {
    date: u16,
    status: u8,
    customer: u32,
    amount: u32,
}

#[derive(Clone, Copy)]
struct Joined {
    date: u16,
    segment: u8,
    country: u8,
    amount: u32,
}

/// (day, segment or country) → (rows, revenue in cents).
type Groups = BTreeMap<(u16, u8), (u64, u64)>;
type Entry = ((u16, u8), (u64, u64));

/// A fixed integer mix (splitmix64's finaliser) so rows spread over shuffle partitions the way a
/// hash partitioner spreads them.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

struct Runner<'a> {
    s: &'a PipelineScenario,
    t: &'a Tables,
    opts: Opts,
    last: u32,
    scale: f64,
}

impl Runner<'_> {
    fn on(&self, o: Opt) -> bool {
        self.opts.has(o)
    }

    fn real(&self, rows: usize) -> f64 {
        rows as f64 * self.scale
    }

    /// Bytes per real row a reader fetches, bytes per row the files hold, and per row uncompressed.
    fn widths(&self) -> (f64, f64, f64) {
        let compress = self.on(Opt::Compression);
        let all_raw: f64 = ORDER_COLUMNS.iter().map(|c| f64::from(c.1)).sum();
        if self.on(Opt::Columnar) {
            let stored = |cols: &mut dyn Iterator<Item = &(&str, u32, f64)>| {
                cols.map(|c| f64::from(c.1) * if compress { c.2 } else { 1.0 })
                    .sum::<f64>()
            };
            let query = || {
                ORDER_COLUMNS
                    .iter()
                    .filter(|c| QUERY_COLUMNS.contains(&c.0))
            };
            let raw: f64 = query().map(|c| f64::from(c.1)).sum();
            (stored(&mut query()), stored(&mut ORDER_COLUMNS.iter()), raw)
        } else {
            let stored = all_raw * if compress { ROW_COMPRESSION } else { 1.0 };
            (stored, stored, all_raw)
        }
    }

    /// The files the scan opens, cut into splits. Without pruning the reader lists every file;
    /// incremental runs know which files arrived since yesterday.
    fn splits(&self) -> Vec<Split> {
        let o = &self.t.orders;
        let days: Range<u32> = if self.on(Opt::Incremental) {
            self.last..self.last + 1
        } else if self.on(Opt::Pruning) {
            window_start(self.s, self.last)..self.last + 1
        } else {
            0..self.s.days
        };
        let (read_w, file_w, raw_w) = self.widths();
        let total_rows = o.len().max(1) as f64;
        let mut out = Vec::new();
        for d in days {
            let range = o.day_start[d as usize]..o.day_start[d as usize + 1];
            let n = range.len();
            let file_bytes = self.real(n) * file_w;
            let files = if self.on(Opt::CompactFiles) {
                (file_bytes / LARGE_FILE_BYTES).ceil().max(1.0) as usize
            } else {
                (f64::from(self.s.small_files) * n as f64 / total_rows)
                    .round()
                    .max(1.0) as usize
            };
            let files = files.min(n.max(1));
            for f in 0..files {
                let a = range.start + n * f / files;
                let b = range.start + n * (f + 1) / files;
                let read = self.real(b - a) * read_w;
                let pieces = ((read / SPLIT_BYTES).ceil() as usize).clamp(1, (b - a).max(1));
                for p in 0..pieces {
                    let pa = a + (b - a) * p / pieces;
                    let pb = a + (b - a) * (p + 1) / pieces;
                    out.push(Split {
                        rows: pa..pb,
                        read: self.real(pb - pa) * read_w,
                        raw: self.real(pb - pa) * raw_w,
                    });
                }
            }
        }
        out
    }

    fn join_one(&self, r: Row) -> Joined {
        let c = r.customer as usize;
        Joined {
            date: r.date,
            segment: self.t.customers.segment[c],
            country: self.t.customers.country[c],
            amount: r.amount,
        }
    }

    fn customers_bytes(&self) -> f64 {
        f64::from(self.s.customers) * f64::from(CUSTOMER_ROW_BYTES)
    }

    /// Reads the small table: once, to broadcast it, or as the build side of the shuffle join.
    fn customers_stage(&self) -> StagePlan {
        let mut st = StagePlan::new(
            if self.on(Opt::Broadcast) {
                "Broadcast customers"
            } else {
                "Scan customers"
            },
            StageKind::Customers,
        );
        let bytes = self.customers_bytes();
        let mut task = TaskCost {
            overhead_us: TASK_LAUNCH_US + FILE_OPEN_US,
            io_us: bytes_us(bytes, READ_MB_S),
            cpu_us: ns_us(f64::from(self.s.customers), DECODE_ROW_NS),
            rows: u64::from(self.s.customers),
            ..TaskCost::default()
        };
        if self.on(Opt::Broadcast) {
            // Every executor needs a copy. Spark's torrent broadcast lets executors fetch pieces
            // from each other, so the wait grows with the number of doubling rounds, not with
            // the number of executors; the bytes on the wire still do.
            let sent = bytes * f64::from(self.s.executors);
            let rounds = f64::from(self.s.executors + 1).log2().ceil().max(1.0);
            task.net_us = bytes_us(bytes * rounds, NET_MB_S);
            st.shuffle_bytes = sent;
        }
        st.tasks.push(task);
        st.files = 1;
        st.read_bytes = bytes;
        st.rows_in = f64::from(self.s.customers);
        st.rows_out = st.rows_in;
        st
    }

    /// Scan (and, with a broadcast, join) the orders; then, without a broadcast, the shuffle
    /// join. Returns the stages and the joined, filtered rows of each task of the last stage.
    fn produce_joined(&self, again: bool) -> (Vec<StagePlan>, Vec<Vec<Joined>>) {
        let suffix = if again { " (again)" } else { "" };
        let o = &self.t.orders;
        let early = self.on(Opt::FilterEarly);
        let broadcast = self.on(Opt::Broadcast);
        let mut scan = StagePlan::new(format!("Scan orders{suffix}"), StageKind::Scan);
        scan.repeat = again;
        let mut scanned: Vec<Vec<Row>> = Vec::new();
        let mut joined_parts: Vec<Vec<Joined>> = Vec::new();
        for sp in self.splits() {
            let n = sp.rows.len();
            let mut cpu = if self.on(Opt::Columnar) {
                ns_us(self.real(n) * QUERY_COLUMNS.len() as f64, DECODE_VALUE_NS)
            } else {
                ns_us(self.real(n), DECODE_ROW_NS)
            };
            if self.on(Opt::Compression) {
                cpu += ns_us(sp.raw, DECOMPRESS_NS_PER_BYTE);
            }
            let mut rows = Vec::new();
            for i in sp.rows.clone() {
                let r = Row {
                    date: o.date[i],
                    status: o.status[i],
                    customer: o.customer[i],
                    amount: o.amount[i],
                };
                if !early || wanted(self.s, self.last, r.date, r.status) {
                    rows.push(r);
                }
            }
            if early {
                cpu += ns_us(self.real(n), FILTER_NS);
            }
            if broadcast {
                cpu += ns_us(self.real(rows.len()), JOIN_NS);
                if !early {
                    cpu += ns_us(self.real(rows.len()), FILTER_NS);
                }
                joined_parts.push(
                    rows.iter()
                        .filter(|r| early || wanted(self.s, self.last, r.date, r.status))
                        .map(|r| self.join_one(*r))
                        .collect(),
                );
                scan.rows_out += self.real(joined_parts.last().map_or(0, Vec::len));
            } else {
                scan.rows_out += self.real(rows.len());
                scanned.push(rows);
            }
            scan.tasks.push(TaskCost {
                overhead_us: TASK_LAUNCH_US + FILE_OPEN_US,
                io_us: bytes_us(sp.read, READ_MB_S),
                cpu_us: cpu,
                rows: n as u64,
                ..TaskCost::default()
            });
            scan.files += 1;
            scan.read_bytes += sp.read;
            scan.rows_in += self.real(n);
        }
        if broadcast {
            return (vec![scan], joined_parts);
        }
        // Shuffle join: both sides hashed on the customer id into the same partitions.
        let p = self.s.shuffle_partitions as usize;
        let mut buckets: Vec<Vec<Row>> = vec![Vec::new(); p];
        for r in scanned.into_iter().flatten() {
            buckets[(mix(u64::from(r.customer)) % p as u64) as usize].push(r);
        }
        let mut cust_per = vec![0u64; p];
        for c in 0..self.s.customers {
            cust_per[(mix(u64::from(c)) % p as u64) as usize] += 1;
        }
        let mut join = StagePlan::new(format!("Shuffle join{suffix}"), StageKind::Join);
        join.repeat = again;
        for (b, rows) in buckets.iter().enumerate() {
            let bytes = self.real(rows.len()) * SHUFFLE_ORDER_BYTES
                + cust_per[b] as f64 * f64::from(CUSTOMER_ROW_BYTES);
            let mut cpu =
                ns_us(cust_per[b] as f64, JOIN_NS) + ns_us(self.real(rows.len()), JOIN_NS);
            if !early {
                cpu += ns_us(self.real(rows.len()), FILTER_NS);
            }
            let out: Vec<Joined> = rows
                .iter()
                .filter(|r| early || wanted(self.s, self.last, r.date, r.status))
                .map(|r| self.join_one(*r))
                .collect();
            join.tasks.push(TaskCost {
                overhead_us: TASK_LAUNCH_US,
                net_us: bytes_us(bytes, NET_MB_S),
                cpu_us: cpu,
                rows: rows.len() as u64,
                ..TaskCost::default()
            });
            join.shuffle_bytes += bytes;
            join.rows_in += self.real(rows.len());
            join.rows_out += self.real(out.len());
            joined_parts.push(out);
        }
        (vec![scan, join], joined_parts)
    }

    /// Groups the joined rows by `key`: partial sums in the producing tasks with a combiner,
    /// then one reduce task per shuffle partition. Returns the stage and the groups per task.
    fn aggregate(
        &self,
        name: &str,
        parts: &[Vec<Joined>],
        producer: &mut StagePlan,
        key: fn(&Joined) -> (u16, u8),
    ) -> (StagePlan, Vec<Groups>) {
        let p = self.s.shuffle_partitions as usize;
        let mut inbox: Vec<Vec<Entry>> = vec![Vec::new(); p];
        let bucket = |k: (u16, u8)| (mix(u64::from(k.0) << 8 | u64::from(k.1)) % p as u64) as usize;
        let mut bytes_in = vec![0.0; p];
        for (i, part) in parts.iter().enumerate() {
            if self.on(Opt::Combiner) {
                let mut partial = Groups::new();
                for j in part {
                    let e = partial.entry(key(j)).or_default();
                    e.0 += 1;
                    e.1 += u64::from(j.amount);
                }
                producer.tasks[i].cpu_us += ns_us(self.real(part.len()), AGG_NS);
                for (k, v) in partial {
                    bytes_in[bucket(k)] += PARTIAL_BYTES;
                    inbox[bucket(k)].push((k, v));
                }
            } else {
                for j in part {
                    let k = key(j);
                    bytes_in[bucket(k)] += self.scale * JOINED_ROW_BYTES;
                    inbox[bucket(k)].push((k, (1, u64::from(j.amount))));
                }
            }
        }
        let mut st = StagePlan::new(name, StageKind::Aggregate);
        let mut out = Vec::with_capacity(p);
        for (b, entries) in inbox.into_iter().enumerate() {
            // A partial sum is one entry; a raw row stands for `scale` real rows.
            let weight = if self.on(Opt::Combiner) {
                1.0
            } else {
                self.scale
            };
            let mut g = Groups::new();
            for (k, v) in &entries {
                let e = g.entry(*k).or_default();
                e.0 += v.0;
                e.1 += v.1;
            }
            st.tasks.push(TaskCost {
                overhead_us: TASK_LAUNCH_US,
                net_us: bytes_us(bytes_in[b], NET_MB_S),
                cpu_us: ns_us(entries.len() as f64 * weight, AGG_NS),
                rows: entries.len() as u64,
                ..TaskCost::default()
            });
            st.shuffle_bytes += bytes_in[b];
            st.rows_in += entries.len() as f64 * weight;
            st.rows_out += g.len() as f64;
            out.push(g);
        }
        (st, out)
    }

    /// Writes both outputs: one file per non-empty reduce task, or one file per output when
    /// small files are being avoided.
    fn write(&self, outputs: &[&[Groups]]) -> StagePlan {
        let mut st = StagePlan::new("Write report", StageKind::Write);
        for groups in outputs {
            let sizes: Vec<usize> = groups
                .iter()
                .map(BTreeMap::len)
                .filter(|n| *n > 0)
                .collect();
            let files: Vec<usize> = if self.on(Opt::CompactFiles) {
                vec![sizes.iter().sum()]
            } else {
                sizes
            };
            for n in files {
                let bytes = n as f64 * RESULT_ROW_BYTES;
                st.tasks.push(TaskCost {
                    overhead_us: TASK_LAUNCH_US + FILE_OPEN_US,
                    io_us: bytes_us(bytes, WRITE_MB_S),
                    rows: n as u64,
                    ..TaskCost::default()
                });
                st.files += 1;
                st.written_bytes += bytes;
                st.rows_in += n as f64;
                st.rows_out += n as f64;
            }
        }
        st
    }
}

fn flatten(groups: &[Groups]) -> Groups {
    let mut all = Groups::new();
    for g in groups {
        for (k, v) in g {
            let e = all.entry(*k).or_default();
            e.0 += v.0;
            e.1 += v.1;
        }
    }
    all
}

/// Runs the daily report for the window ending on day `last` under `opts`.
pub fn execute(s: &PipelineScenario, t: &Tables, last: u32, opts: Opts) -> Plan {
    let r = Runner {
        s,
        t,
        opts,
        last,
        scale: f64::from(s.scale),
    };
    let mut stages = vec![r.customers_stage()];
    let (mut first, parts) = r.produce_joined(false);
    let mut producer = first.pop().expect("a producing stage");
    if opts.has(Opt::Cache) {
        for (task, part) in producer.tasks.iter_mut().zip(&parts) {
            task.cpu_us += ns_us(r.real(part.len()), CACHE_WRITE_NS);
        }
    }
    let (agg_a, groups_a) =
        r.aggregate("Aggregate by day and segment", &parts, &mut producer, |j| {
            (j.date, j.segment)
        });
    stages.extend(first);
    stages.push(producer);
    stages.push(agg_a);
    // The second output needs the same joined rows: from memory, or computed all over again.
    let (agg_b, groups_b) = if opts.has(Opt::Cache) {
        let mut cached = StagePlan::new("Read cached joined rows", StageKind::CacheRead);
        for part in &parts {
            cached.tasks.push(TaskCost {
                overhead_us: TASK_LAUNCH_US,
                cpu_us: ns_us(r.real(part.len()), CACHE_READ_NS),
                rows: part.len() as u64,
                ..TaskCost::default()
            });
            cached.rows_in += r.real(part.len());
            cached.rows_out += r.real(part.len());
        }
        let out = r.aggregate("Aggregate by day and country", &parts, &mut cached, |j| {
            (j.date, j.country)
        });
        stages.push(cached);
        out
    } else {
        let (mut again, parts2) = r.produce_joined(true);
        let mut producer2 = again.pop().expect("a producing stage");
        let out = r.aggregate(
            "Aggregate by day and country",
            &parts2,
            &mut producer2,
            |j| (j.date, j.country),
        );
        stages.extend(again);
        stages.push(producer2);
        out
    };
    stages.push(agg_b);
    stages.push(r.write(&[&groups_a, &groups_b]));
    let mut report = Report {
        by_segment: flatten(&groups_a),
        by_country: flatten(&groups_b)
            .into_iter()
            .map(|(k, v)| (k, v.1))
            .collect(),
    };
    if opts.has(Opt::Incremental) {
        // Yesterday's stored report: what the same job produced when it ran a day earlier.
        let yesterday = execute(
            s,
            t,
            last.saturating_sub(1),
            opts.with(Opt::Incremental, false),
        );
        let mut merge = StagePlan::new("Merge into yesterday's report", StageKind::Merge);
        let old = &yesterday.report;
        let files = yesterday.stages.last().map_or(1, |w| w.files.max(1));
        let bytes = old.rows() as f64 * RESULT_ROW_BYTES;
        merge.tasks.push(TaskCost {
            overhead_us: TASK_LAUNCH_US + FILE_OPEN_US * files as f64,
            io_us: bytes_us(bytes, READ_MB_S) + bytes_us(bytes, WRITE_MB_S),
            cpu_us: ns_us((old.rows() + report.rows()) as f64, AGG_NS),
            rows: old.rows() as u64,
            ..TaskCost::default()
        });
        merge.files = files;
        merge.read_bytes = bytes;
        merge.written_bytes = bytes;
        merge.rows_in = old.rows() as f64;
        let start = window_start(s, last) as u16;
        if last > 0 {
            for (k, v) in &old.by_segment {
                if k.0 >= start && u32::from(k.0) < last {
                    report.by_segment.insert(*k, *v);
                }
            }
            for (k, v) in &old.by_country {
                if k.0 >= start && u32::from(k.0) < last {
                    report.by_country.insert(*k, *v);
                }
            }
        }
        merge.rows_out = report.rows() as f64;
        stages.push(merge);
    }
    Plan { stages, report }
}
