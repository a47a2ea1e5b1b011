//! The two tables and the question the daily job answers, computed directly in one pass so every
//! optimised plan can be checked against it.
//!
//! Orders have 20 columns. The four the query reads (date, customer, amount, status) are
//! generated as values; the other 16 exist as byte widths in [`ORDER_COLUMNS`] (what a reader has
//! to fetch and decode when it cannot skip them) and as values on demand in [`preview_row`].

use super::scenario::PipelineScenario;
use crate::sim::RngStreams;
use rand::RngExt;
use rand_distr::{Distribution, LogNormal, Zipf};
use std::collections::BTreeMap;

/// (name, bytes per value uncompressed, compressed size as a fraction when stored column by
/// column). The ratios are typical of Parquet with dictionary/run-length encoding plus a fast
/// codec: sorted dates and low-cardinality strings shrink to almost nothing, ids and amounts much
/// less.
pub const ORDER_COLUMNS: [(&str, u32, f64); 20] = [
    ("order_id", 8, 0.30),
    ("order_date", 4, 0.01),
    ("customer_id", 8, 0.45),
    ("amount_cents", 8, 0.55),
    ("status", 10, 0.02),
    ("ship_country", 2, 0.10),
    ("product_id", 8, 0.50),
    ("quantity", 4, 0.20),
    ("unit_price_cents", 8, 0.50),
    ("discount_pct", 4, 0.20),
    ("tax_cents", 8, 0.50),
    ("shipping_cents", 8, 0.40),
    ("currency", 3, 0.02),
    ("warehouse", 12, 0.05),
    ("payment_method", 12, 0.04),
    ("channel", 8, 0.03),
    ("device", 10, 0.04),
    ("promo_code", 10, 0.20),
    ("shipping_address", 64, 0.40),
    ("notes", 40, 0.35),
];

/// The columns the query reads.
pub const QUERY_COLUMNS: [&str; 4] = ["order_date", "customer_id", "amount_cents", "status"];

/// Compressed size of a whole row stored row by row (a general-purpose codec over mixed values
/// does worse than per-column encodings).
pub const ROW_COMPRESSION: f64 = 0.45;

/// Bytes per customer row (id, name, segment, country, signup date, email, ...).
pub const CUSTOMER_ROW_BYTES: u32 = 120;

pub const SEGMENTS: [&str; 4] = ["consumer", "small business", "enterprise", "public sector"];
pub const COUNTRIES: [&str; 12] = [
    "DE", "FR", "GB", "NL", "ES", "IT", "US", "CA", "BR", "IN", "JP", "AU",
];
pub const STATUSES: [&str; 3] = ["completed", "cancelled", "returned"];
/// The status the report counts.
pub const COMPLETED: u8 = 0;

/// The orders table, one generated row per `scale` real orders, sorted by date (as a table that
/// is appended to daily is).
#[derive(Clone, Debug, Default)]
pub struct Orders {
    pub date: Vec<u16>,
    pub customer: Vec<u32>,
    pub amount: Vec<u32>,
    pub status: Vec<u8>,
    /// Row range of each day: `day_start[d]..day_start[d + 1]`.
    pub day_start: Vec<usize>,
}

impl Orders {
    pub fn len(&self) -> usize {
        self.date.len()
    }
    pub fn is_empty(&self) -> bool {
        self.date.is_empty()
    }
}

#[derive(Clone, Debug, Default)]
pub struct Customers {
    pub segment: Vec<u8>,
    pub country: Vec<u8>,
}

pub struct Tables {
    pub orders: Orders,
    pub customers: Customers,
}

pub fn generate(s: &PipelineScenario) -> Tables {
    let streams = RngStreams::new(s.seed);
    let mut crng = streams.stream("customers");
    let n = s.customers as usize;
    let mut customers = Customers {
        segment: Vec::with_capacity(n),
        country: Vec::with_capacity(n),
    };
    for _ in 0..n {
        // Most customers are consumers; a few large accounts.
        let r: f64 = crng.random();
        let seg = if r < 0.6 {
            0
        } else if r < 0.85 {
            1
        } else if r < 0.97 {
            2
        } else {
            3
        };
        customers.segment.push(seg);
        customers
            .country
            .push(crng.random_range(0..COUNTRIES.len() as u8));
    }
    let mut rng = streams.stream("orders");
    let zipf = Zipf::new(f64::from(s.customers), s.skew).ok();
    let amount: LogNormal<f64> = LogNormal::new(8.3, 0.9).expect("valid log-normal");
    let rows = s.rows() as usize;
    let mut o = Orders {
        date: Vec::with_capacity(rows),
        customer: Vec::with_capacity(rows),
        amount: Vec::with_capacity(rows),
        status: Vec::with_capacity(rows),
        day_start: Vec::with_capacity(s.days as usize + 1),
    };
    for d in 0..s.days {
        o.day_start.push(o.len());
        for _ in 0..s.orders_per_day {
            let c = match &zipf {
                Some(z) => (z.sample(&mut rng) as u32).clamp(1, s.customers) - 1,
                None => rng.random_range(0..s.customers),
            };
            let r: f64 = rng.random();
            let st = if r < 0.88 {
                0
            } else if r < 0.95 {
                1
            } else {
                2
            };
            o.date.push(d as u16);
            o.customer.push(c);
            o.amount
                .push((amount.sample(&mut rng).round() as u32).clamp(50, 5_000_000));
            o.status.push(st);
        }
    }
    o.day_start.push(o.len());
    Tables {
        orders: o,
        customers,
    }
}

/// The report: for each (day, segment) the number of completed orders and their revenue in
/// cents, and for each (day, customer country) the revenue. Counts are in generated rows; the
/// page multiplies by the scale.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub by_segment: BTreeMap<(u16, u8), (u64, u64)>,
    pub by_country: BTreeMap<(u16, u8), u64>,
}

impl Report {
    pub fn rows(&self) -> usize {
        self.by_segment.len() + self.by_country.len()
    }
}

/// The first day of the report window when the job runs after day `last`.
pub fn window_start(s: &PipelineScenario, last: u32) -> u32 {
    (last + 1).saturating_sub(s.window)
}

/// True if a row belongs in the report ending on day `last`.
pub fn wanted(s: &PipelineScenario, last: u32, date: u16, status: u8) -> bool {
    let d = u32::from(date);
    d >= window_start(s, last) && d <= last && status == COMPLETED
}

/// The report computed the obvious way: one loop, no plan, no cost. The reference every plan is
/// checked against.
pub fn reference(s: &PipelineScenario, t: &Tables, last: u32) -> Report {
    let mut r = Report::default();
    let o = &t.orders;
    for i in 0..o.len() {
        if !wanted(s, last, o.date[i], o.status[i]) {
            continue;
        }
        let c = o.customer[i] as usize;
        let seg = r
            .by_segment
            .entry((o.date[i], t.customers.segment[c]))
            .or_default();
        seg.0 += 1;
        seg.1 += u64::from(o.amount[i]);
        *r.by_country
            .entry((o.date[i], t.customers.country[c]))
            .or_default() += u64::from(o.amount[i]);
    }
    r
}

/// All 20 columns of order row `i` as text, for the data preview. The 16 columns the query never
/// reads are derived from the row number, so they cost nothing until someone looks.
pub fn preview_row(t: &Tables, i: usize) -> Vec<String> {
    let o = &t.orders;
    let h = |k: u64| crate::sim::rng::fnv1a64(&(i as u64 * 31 + k).to_le_bytes());
    let c = o.customer[i] as usize;
    vec![
        format!("{}", 1_000_000 + i),
        format!("day {}", o.date[i]),
        format!("{}", o.customer[i]),
        format!("{:.2}", f64::from(o.amount[i]) / 100.0),
        STATUSES[o.status[i] as usize].to_string(),
        COUNTRIES[t.customers.country[c] as usize].to_string(),
        format!("P{:05}", h(1) % 50_000),
        format!("{}", 1 + h(2) % 5),
        format!("{:.2}", (h(3) % 20_000) as f64 / 100.0),
        format!("{}%", [0, 0, 0, 5, 10, 20][(h(4) % 6) as usize]),
        format!("{:.2}", (h(5) % 2_000) as f64 / 100.0),
        format!("{:.2}", (h(6) % 1_500) as f64 / 100.0),
        ["EUR", "USD", "GBP"][(h(7) % 3) as usize].to_string(),
        format!(
            "WH-{}",
            ["north", "south", "east", "west"][(h(8) % 4) as usize]
        ),
        ["card", "paypal", "invoice", "bank"][(h(9) % 4) as usize].to_string(),
        ["web", "app", "store", "phone"][(h(10) % 4) as usize].to_string(),
        ["desktop", "mobile", "tablet"][(h(11) % 3) as usize].to_string(),
        if h(12) % 5 == 0 {
            format!("SAVE{}", h(13) % 50)
        } else {
            String::new()
        },
        format!("{} Main St", h(14) % 999),
        String::new(),
    ]
}
