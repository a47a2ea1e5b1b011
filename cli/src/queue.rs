//! `scalelab queue` (the broker, headless) and `scalelab partition` (which partition each key
//! lands in). Both are contracts other tools check the engine through: keep flags, output and
//! JSON keys stable.

use crate::CliError;
use clap::Args;
use scalelab_engine::queue::partitioner::{assign, Partitioner, PARTITIONERS};
use scalelab_engine::queue::scenario::{Load, Mode, Overflow, Service, LOADS, MODES, OVERFLOWS};
use scalelab_engine::queue::{QueueScenario, QueueWorld};
use scalelab_engine::sim::{FaultPlan, Scenario};
use serde_json::json;
use std::io::{BufRead, BufWriter, Write};

#[derive(Args, Debug)]
pub struct QueueArgs {
    /// Partitions of the topic (log mode).
    #[arg(long, default_value_t = 4)]
    partitions: u32,
    /// Producers, each sending `--rate` messages per second.
    #[arg(long, default_value_t = 2)]
    producers: u32,
    /// Messages per second per producer.
    #[arg(long, default_value_t = 20.0)]
    rate: f64,
    /// How producers space messages: constant, poisson or bursty.
    #[arg(long, default_value = "poisson")]
    load: String,
    /// Distinct keys (`user-0` …); 0 sends keyless records round-robin.
    #[arg(long, default_value_t = 1000)]
    keys: u32,
    /// Zipf exponent of key popularity (0 = uniform).
    #[arg(long, default_value_t = 0.0)]
    skew: f64,
    /// Bytes per message (for the volume the broker holds).
    #[arg(long = "msg-bytes", default_value_t = 1024)]
    msg_bytes: u32,
    /// Consumers, named consumer-1 … consumer-C.
    #[arg(long, default_value_t = 3)]
    consumers: u32,
    /// Mean processing time per message, ms.
    #[arg(long = "service-ms", default_value_t = 40.0)]
    service_ms: f64,
    /// Processing-time distribution: exp or const.
    #[arg(long, default_value = "exp")]
    service: String,
    /// Simulated seconds of production; the run then continues until everything is settled.
    #[arg(long = "duration-s", default_value_t = 60.0)]
    duration_s: f64,
    /// Crash a consumer, e.g. `consumer-2@10s` (repeatable).
    #[arg(long)]
    crash: Vec<String>,
    /// Restart a consumer, e.g. `consumer-2@25s` (repeatable).
    #[arg(long)]
    restart: Vec<String>,
    /// More faults in the shared text form, e.g. `slow:consumer-1*4@5s+10s,spike*5@20s+10s`.
    #[arg(long, default_value = "")]
    faults: String,
    /// Share of messages that always fail processing.
    #[arg(long = "poison-rate", default_value_t = 0.0)]
    poison_rate: f64,
    /// Failed deliveries before a message goes to the dead-letter queue.
    #[arg(long = "max-deliveries", default_value_t = 3)]
    max_deliveries: u32,
    /// log (Kafka-like) or queue (SQS/RabbitMQ-like).
    #[arg(long, default_value = "log")]
    mode: String,
    /// Log mode: offset commit interval in ms (0 = after every message).
    #[arg(long = "commit-ms", default_value_t = 1000.0)]
    commit_ms: f64,
    /// Log mode: session timeout before a silent consumer is declared dead, ms.
    #[arg(long = "session-ms", default_value_t = 3000.0)]
    session_ms: f64,
    /// Log mode: delete messages older than this, read or not (0 = keep forever).
    #[arg(long = "retention-s", default_value_t = 0.0)]
    retention_s: f64,
    /// Log mode: add a second consumer group, "monitoring", reading the same topic.
    #[arg(long)]
    monitor: bool,
    /// Queue mode: visibility timeout, ms.
    #[arg(long = "visibility-ms", default_value_t = 5000.0)]
    visibility_ms: f64,
    /// Queue mode: most messages held (0 = unbounded).
    #[arg(long, default_value_t = 0)]
    buffer: u32,
    /// Queue mode: when full, `block` the producer or `drop` the new message.
    #[arg(long, default_value = "block")]
    overflow: String,
    /// Scenario seed (same seed, same run, same trace hash as the page).
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Write every lifecycle event to this file as JSON lines.
    #[arg(long)]
    events: Option<std::path::PathBuf>,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

fn choice<T: Copy>(flag: &str, v: &str, table: &[(&str, T)]) -> Result<T, CliError> {
    table
        .iter()
        .find(|(n, _)| *n == v)
        .map(|(_, t)| *t)
        .ok_or_else(|| {
            let names: Vec<_> = table.iter().map(|(n, _)| *n).collect();
            CliError::usage(format!(
                "{flag}: must be one of {} (got `{v}`)",
                names.join(", ")
            ))
        })
}

/// `consumer-K@T` → the fault plan's `KIND:consumer-K@T`.
fn consumer_faults(flag: &str, kind: &str, items: &[String]) -> Result<FaultPlan, CliError> {
    let mut plan = FaultPlan::default();
    for item in items {
        if !item.contains('@') {
            return Err(CliError::usage(format!(
                "{flag}: `{item}` must look like consumer-K@Ts, e.g. consumer-2@10s"
            )));
        }
        let p = FaultPlan::parse(flag, &format!("{kind}:{item}"))
            .map_err(|e| CliError::usage(e.to_string()))?;
        plan.faults.extend(p.faults);
    }
    Ok(plan)
}

pub fn scenario(a: &QueueArgs) -> Result<QueueScenario, CliError> {
    let mut faults = consumer_faults("--crash", "crash", &a.crash)?;
    faults
        .faults
        .extend(consumer_faults("--restart", "restart", &a.restart)?.faults);
    faults.faults.extend(
        FaultPlan::parse("--faults", &a.faults)
            .map_err(|e| CliError::usage(e.to_string()))?
            .faults,
    );
    let s = QueueScenario {
        seed: a.seed,
        mode: choice::<Mode>("--mode", &a.mode, &MODES)?,
        partitions: a.partitions,
        producers: a.producers,
        rate: a.rate,
        load: choice::<Load>("--load", &a.load, &LOADS)?,
        keys: a.keys,
        key_skew: a.skew,
        msg_bytes: a.msg_bytes,
        consumers: a.consumers,
        service_ms: a.service_ms,
        service: choice::<Service>(
            "--service",
            &a.service,
            &scalelab_engine::queue::scenario::SERVICES,
        )?,
        poison_rate: a.poison_rate,
        max_deliveries: a.max_deliveries,
        duration_s: a.duration_s,
        commit_ms: a.commit_ms,
        session_ms: a.session_ms,
        retention_s: a.retention_s,
        monitor: a.monitor,
        visibility_ms: a.visibility_ms,
        buffer: a.buffer,
        overflow: choice::<Overflow>("--overflow", &a.overflow, &OVERFLOWS)?,
        faults,
    };
    let flags = [
        ("partitions", "--partitions"),
        ("producers", "--producers"),
        ("rate", "--rate"),
        ("keys", "--keys"),
        ("skew", "--skew"),
        ("msg_bytes", "--msg-bytes"),
        ("consumers", "--consumers"),
        ("service_ms", "--service-ms"),
        ("poison", "--poison-rate"),
        ("max_deliveries", "--max-deliveries"),
        ("dur", "--duration-s"),
        ("commit_ms", "--commit-ms"),
        ("session_ms", "--session-ms"),
        ("retention_s", "--retention-s"),
        ("visibility_ms", "--visibility-ms"),
        ("buffer", "--buffer"),
        ("faults", "--crash/--restart/--faults"),
    ];
    s.validate().map_err(|e| crate::flag_errors(e, &flags))?;
    // Faults may only name consumers that exist in this run.
    let names: Vec<String> = (1..=s.consumers).map(|i| format!("consumer-{i}")).collect();
    let errs = s.faults.validate("faults", &names);
    if !errs.is_empty() {
        return Err(crate::flag_errors(
            scalelab_engine::sim::ValidationErrors(errs),
            &flags,
        ));
    }
    Ok(s)
}

pub fn run(a: QueueArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let s = scenario(&a)?;
    let mut world = if a.events.is_some() {
        QueueWorld::recording(&s)
    } else {
        QueueWorld::new(&s)
    };
    world.run_to_end();
    if let Some(path) = &a.events {
        write_events(&world, path)?;
    }
    let sum = world.summary();
    if a.json {
        let mut v = serde_json::to_value(&sum).map_err(|e| CliError::usage(e.to_string()))?;
        if let Some(o) = v.as_object_mut() {
            o.insert("seed".into(), json!(s.seed));
            o.insert("partitions".into(), json!(s.partitions));
            o.insert("consumers".into(), json!(s.consumers));
            o.insert(
                "bytes_produced".into(),
                json!(sum.produced * u64::from(s.msg_bytes)),
            );
            let groups: Vec<_> = world
                .groups()
                .iter()
                .map(|g| {
                    json!({"name": g.name, "delivered": g.delivered, "acked": g.acked,
                    "dead_lettered": g.dead_lettered, "lag": g.lag, "rebalances": g.rebalances})
                })
                .collect();
            o.insert("groups".into(), json!(groups));
        }
        writeln!(out, "{v}")?;
    } else {
        writeln!(
            out,
            "mode           {} ({} partitions, {} consumers)",
            sum.mode, s.partitions, s.consumers
        )?;
        writeln!(out, "produced       {}", sum.produced)?;
        writeln!(out, "acked          {}", sum.acked)?;
        writeln!(out, "dead-lettered  {}", sum.dead_lettered)?;
        writeln!(out, "dropped        {}", sum.dropped)?;
        writeln!(out, "in flight      {}", sum.in_flight)?;
        writeln!(out, "lost           {}", sum.lost)?;
        writeln!(
            out,
            "redelivered    {} ({} duplicates)",
            sum.redelivered, sum.duplicates
        )?;
        writeln!(
            out,
            "latency ms     p50 {:.1}  p95 {:.1}  p99 {:.1}",
            sum.p50_ms, sum.p95_ms, sum.p99_ms
        )?;
        writeln!(out, "max backlog    {}", sum.max_backlog)?;
        writeln!(
            out,
            "simulated      {:.3} s, {} events",
            sum.sim_time_s, sum.events
        )?;
        writeln!(out, "trace hash     {}", sum.trace_hash)?;
    }
    Ok(())
}

fn write_events(world: &QueueWorld, path: &std::path::Path) -> Result<(), CliError> {
    let file = std::fs::File::create(path)
        .map_err(|e| CliError::usage(format!("--events: cannot create {}: {e}", path.display())))?;
    let mut w = BufWriter::new(file);
    let names: Vec<&str> = world
        .broker()
        .consumers
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    for e in world.life_events() {
        let mut v = json!({
            "t_us": e.t.as_micros(),
            "kind": e.kind.name(),
            "msg": e.msg,
            "partition": e.partition,
            "offset": e.offset,
        });
        if let (Some(c), Some(o)) = (e.consumer, v.as_object_mut()) {
            o.insert(
                "consumer".into(),
                json!(names.get(c as usize).copied().unwrap_or("?")),
            );
        }
        writeln!(w, "{v}")?;
    }
    w.flush()?;
    Ok(())
}

#[derive(Args, Debug)]
pub struct PartitionArgs {
    /// kafka (murmur2), spark-hash (Java hashCode), round-robin or range.
    #[arg(long)]
    partitioner: String,
    /// Number of partitions (1 to 100000).
    #[arg(long)]
    partitions: u32,
}

/// Reads keys (one per line; an empty line is the empty key) and prints `key<TAB>partition`.
pub fn partition(
    a: PartitionArgs,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let p = Partitioner::parse(&a.partitioner).ok_or_else(|| {
        let names: Vec<_> = PARTITIONERS.iter().map(|(n, _)| *n).collect();
        CliError::usage(format!(
            "--partitioner: must be one of {} (got `{}`)",
            names.join(", "),
            a.partitioner
        ))
    })?;
    if !(1..=100_000).contains(&a.partitions) {
        return Err(CliError::usage(format!(
            "--partitions: must be between 1 and 100000 (got {})",
            a.partitions
        )));
    }
    let mut text = String::new();
    input.read_to_string(&mut text).map_err(|e| {
        CliError::usage(format!(
            "stdin: keys must be UTF-8 text, one per line ({e})"
        ))
    })?;
    let keys: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    // A trailing newline ends the last key; it does not start an empty one.
    let keys = match keys.split_last() {
        Some((&"", rest)) => rest,
        _ => &keys[..],
    };
    let parts = assign(p, keys, a.partitions);
    let mut w = BufWriter::new(out);
    for (k, part) in keys.iter().zip(parts) {
        writeln!(w, "{k}\t{part}")?;
    }
    w.flush()?;
    Ok(())
}
