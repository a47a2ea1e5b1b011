//! The performance lab's scenario: the tables, the cluster, and which optimisations are on.

use crate::sim::params::{ParamReader, Params};
use crate::sim::scenario::check_range;
use crate::sim::{FieldError, Scenario, ValidationErrors};

/// One optimisation the learner can switch on. Each is a real change to how the engine runs the
/// query, never a discount on a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Opt {
    /// Apply the date/status filter while scanning, before the join.
    FilterEarly,
    /// Send the small customers table to every executor instead of shuffling both sides.
    Broadcast,
    /// Pre-aggregate on the map side so only partial sums cross the network.
    Combiner,
    /// Process only the newest day and merge it into yesterday's stored result.
    Incremental,
    /// Keep the joined rows in memory for the second output instead of recomputing them.
    Cache,
    /// Store orders column by column and read only the 4 columns the query needs.
    Columnar,
    /// Store files compressed: fewer bytes to read, some CPU to decompress.
    Compression,
    /// A few large files instead of thousands of small ones (also one output file).
    CompactFiles,
    /// Store orders in one folder per date and skip the folders outside the window.
    Pruning,
}

impl Opt {
    pub const ALL: [Opt; 9] = [
        Opt::FilterEarly,
        Opt::Broadcast,
        Opt::Combiner,
        Opt::Incremental,
        Opt::Cache,
        Opt::Columnar,
        Opt::Compression,
        Opt::CompactFiles,
        Opt::Pruning,
    ];

    /// The short name used in links and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Opt::FilterEarly => "filter-early",
            Opt::Broadcast => "broadcast",
            Opt::Combiner => "combiner",
            Opt::Incremental => "incremental",
            Opt::Cache => "cache",
            Opt::Columnar => "columnar",
            Opt::Compression => "compression",
            Opt::CompactFiles => "compact-files",
            Opt::Pruning => "pruning",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Opt::FilterEarly => "Filter early (before the join)",
            Opt::Broadcast => "Broadcast the small table (no join shuffle)",
            Opt::Combiner => "Combiner (partial sums before the shuffle)",
            Opt::Incremental => "Incremental (only the new day)",
            Opt::Cache => "Cache the joined rows (used twice)",
            Opt::Columnar => "Columnar format (read 4 of 20 columns)",
            Opt::Compression => "Compression",
            Opt::CompactFiles => "Few large files",
            Opt::Pruning => "Partition pruning by date",
        }
    }

    pub fn from_key(k: &str) -> Option<Opt> {
        Opt::ALL.iter().copied().find(|o| o.key() == k)
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A set of optimisations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Opts(u16);

impl Opts {
    pub fn none() -> Self {
        Opts(0)
    }
    pub fn all() -> Self {
        Opt::ALL.iter().fold(Opts(0), |s, o| s.with(*o, true))
    }
    pub fn has(self, o: Opt) -> bool {
        self.0 & o.bit() != 0
    }
    pub fn with(self, o: Opt, on: bool) -> Self {
        if on {
            Opts(self.0 | o.bit())
        } else {
            Opts(self.0 & !o.bit())
        }
    }
    pub fn iter(self) -> impl Iterator<Item = Opt> {
        Opt::ALL.into_iter().filter(move |o| self.has(*o))
    }
    pub fn count(self) -> usize {
        self.iter().count()
    }

    /// Comma-separated keys (`none` when empty, `all` when full).
    pub fn to_text(self) -> String {
        if self == Opts::all() {
            return "all".into();
        }
        let keys: Vec<_> = self.iter().map(Opt::key).collect();
        if keys.is_empty() {
            "none".into()
        } else {
            keys.join(",")
        }
    }

    /// Parses `to_text`'s form; the error names the unknown entry and lists the allowed ones.
    pub fn parse(field: &str, text: &str) -> Result<Opts, FieldError> {
        let t = text.trim();
        if t == "all" {
            return Ok(Opts::all());
        }
        if t.is_empty() || t == "none" {
            return Ok(Opts::none());
        }
        let mut o = Opts::none();
        for part in t.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match Opt::from_key(part) {
                Some(x) => o = o.with(x, true),
                None => {
                    let names: Vec<_> = Opt::ALL.iter().map(|o| o.key()).collect();
                    return Err(FieldError::new(
                        field,
                        format!(
                            "unknown optimisation `{part}`; use all, none or a list of {}",
                            names.join(", ")
                        ),
                    ));
                }
            }
        }
        Ok(o)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PipelineScenario {
    pub seed: u64,
    /// Days of orders stored; the job runs on the morning after the last one.
    pub days: u32,
    /// Generated order rows per day.
    pub orders_per_day: u32,
    /// Real orders each generated row stands for (bytes and CPU are charged for all of them).
    pub scale: u32,
    pub customers: u32,
    /// Zipf exponent of orders per customer: a few customers place most orders.
    pub skew: f64,
    /// The report covers the last `window` days.
    pub window: u32,
    pub executors: u32,
    pub cores: u32,
    /// Tasks in each shuffle stage (Spark's `spark.sql.shuffle.partitions`).
    pub shuffle_partitions: u32,
    /// Files the orders table is split into when it is not compacted.
    pub small_files: u32,
    /// Price of one executor for one hour, US dollars.
    pub usd_per_executor_hour: f64,
    pub opts: Opts,
}

impl Default for PipelineScenario {
    fn default() -> Self {
        PipelineScenario {
            seed: 42,
            days: 90,
            orders_per_day: 2_000,
            scale: 5_000,
            customers: 20_000,
            skew: 1.0,
            window: 7,
            executors: 10,
            cores: 4,
            shuffle_partitions: 200,
            small_files: 10_000,
            usd_per_executor_hour: 0.40,
            opts: Opts::none(),
        }
    }
}

pub mod limits {
    pub const DAYS: (u32, u32) = (2, 365);
    pub const ORDERS_PER_DAY: (u32, u32) = (10, 20_000);
    pub const SCALE: (u32, u32) = (1, 100_000);
    pub const CUSTOMERS: (u32, u32) = (10, 200_000);
    pub const SKEW: (f64, f64) = (0.0, 2.0);
    pub const WINDOW: (u32, u32) = (1, 365);
    pub const EXECUTORS: (u32, u32) = (1, 200);
    pub const CORES: (u32, u32) = (1, 16);
    pub const SHUFFLE_PARTITIONS: (u32, u32) = (1, 2_000);
    pub const SMALL_FILES: (u32, u32) = (1, 50_000);
    pub const USD: (f64, f64) = (0.0, 100.0);
    /// Generated rows (days × orders per day) the browser can afford.
    pub const MAX_ROWS: u64 = 2_000_000;
}

impl PipelineScenario {
    pub fn slots(&self) -> u32 {
        self.executors * self.cores
    }
    pub fn rows(&self) -> u64 {
        u64::from(self.days) * u64::from(self.orders_per_day)
    }
}

impl Scenario for PipelineScenario {
    fn validate(&self) -> Result<(), ValidationErrors> {
        use limits::*;
        let mut e = Vec::new();
        check_range(&mut e, "days", self.days, DAYS);
        check_range(&mut e, "per_day", self.orders_per_day, ORDERS_PER_DAY);
        check_range(&mut e, "scale", self.scale, SCALE);
        check_range(&mut e, "customers", self.customers, CUSTOMERS);
        check_range(&mut e, "skew", self.skew, SKEW);
        check_range(
            &mut e,
            "window",
            self.window,
            (WINDOW.0, self.days.min(WINDOW.1)),
        );
        check_range(&mut e, "executors", self.executors, EXECUTORS);
        check_range(&mut e, "cores", self.cores, CORES);
        check_range(
            &mut e,
            "partitions",
            self.shuffle_partitions,
            SHUFFLE_PARTITIONS,
        );
        check_range(&mut e, "files", self.small_files, SMALL_FILES);
        check_range(&mut e, "usd", self.usd_per_executor_hour, USD);
        if self.rows() > MAX_ROWS {
            e.push(FieldError::new(
                "per_day",
                format!("days × orders per day must be at most {MAX_ROWS}"),
            ));
        }
        ValidationErrors(e).into_result()
    }

    fn to_params(&self) -> Params {
        Params::new()
            .with("seed", self.seed)
            .with("days", self.days)
            .with("per_day", self.orders_per_day)
            .with("scale", self.scale)
            .with("customers", self.customers)
            .with("skew", self.skew)
            .with("window", self.window)
            .with("executors", self.executors)
            .with("cores", self.cores)
            .with("partitions", self.shuffle_partitions)
            .with("files", self.small_files)
            .with("usd", self.usd_per_executor_hour)
            .with("opts", self.opts.to_text())
    }

    fn from_params(params: &Params) -> (Self, Vec<FieldError>) {
        use limits::*;
        let d = PipelineScenario::default();
        let r = ParamReader::new(params);
        let opts = match r.text("opts") {
            None => d.opts,
            Some(t) => Opts::parse("opts", t).unwrap_or_else(|e| {
                r.error(e);
                d.opts
            }),
        };
        let mut s = PipelineScenario {
            seed: r.num("seed", d.seed, 0, u64::MAX),
            days: r.num("days", d.days, DAYS.0, DAYS.1),
            orders_per_day: r.num(
                "per_day",
                d.orders_per_day,
                ORDERS_PER_DAY.0,
                ORDERS_PER_DAY.1,
            ),
            scale: r.num("scale", d.scale, SCALE.0, SCALE.1),
            customers: r.num("customers", d.customers, CUSTOMERS.0, CUSTOMERS.1),
            skew: r.float("skew", d.skew, SKEW.0, SKEW.1),
            window: r.num("window", d.window, WINDOW.0, WINDOW.1),
            executors: r.num("executors", d.executors, EXECUTORS.0, EXECUTORS.1),
            cores: r.num("cores", d.cores, CORES.0, CORES.1),
            shuffle_partitions: r.num(
                "partitions",
                d.shuffle_partitions,
                SHUFFLE_PARTITIONS.0,
                SHUFFLE_PARTITIONS.1,
            ),
            small_files: r.num("files", d.small_files, SMALL_FILES.0, SMALL_FILES.1),
            usd_per_executor_hour: r.float("usd", d.usd_per_executor_hour, USD.0, USD.1),
            opts,
        };
        if s.window > s.days {
            r.error(FieldError::new(
                "window",
                format!("must be at most days ({}); reset", s.days),
            ));
            s.window = s.window.min(d.window).min(s.days);
        }
        if s.rows() > MAX_ROWS {
            r.error(FieldError::new(
                "per_day",
                format!("days × orders per day must be at most {MAX_ROWS} (reset)"),
            ));
            s.days = d.days;
            s.orders_per_day = d.orders_per_day;
            s.window = s.window.min(s.days);
        }
        (s, r.finish())
    }
}
