use scalelab_cli::{run_to_string, run_with_input};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

fn queue(args: &[&str]) -> Value {
    let mut v = vec!["scalelab", "queue"];
    v.extend_from_slice(args);
    serde_json::from_str(&run_to_string(v).unwrap_or_else(|e| panic!("{}", e.message))).unwrap()
}

fn partition(partitioner: &str, n: &str, input: &str) -> String {
    let mut out = Vec::new();
    run_with_input(
        [
            "scalelab",
            "partition",
            "--partitioner",
            partitioner,
            "--partitions",
            n,
        ],
        &mut input.as_bytes(),
        &mut out,
    )
    .unwrap_or_else(|e| panic!("{}", e.message));
    String::from_utf8(out).unwrap()
}

/// Every flag of the CLI contract, with a crash, a restart and poison.
const CONTRACT_RUN: [&str; 23] = [
    "--partitions",
    "4",
    "--producers",
    "2",
    "--rate",
    "50",
    "--consumers",
    "3",
    "--service-ms",
    "20",
    "--duration-s",
    "30",
    "--crash",
    "consumer-2@10s",
    "--restart",
    "consumer-2@18s",
    "--poison-rate",
    "0.01",
    "--max-deliveries",
    "3",
    "--seed",
    "7",
    "--json",
];

#[test]
fn queue_json_has_the_contract_keys_and_reconciles() {
    let v = queue(&CONTRACT_RUN);
    for k in [
        "produced",
        "acked",
        "redelivered",
        "dead_lettered",
        "dropped",
        "lost",
        "p50_ms",
        "p95_ms",
        "p99_ms",
        "max_backlog",
        "trace_hash",
    ] {
        assert!(v.get(k).is_some(), "missing {k}: {v}");
    }
    let n = |k: &str| v[k].as_u64().unwrap();
    assert_eq!(n("lost"), 0);
    assert_eq!(
        n("produced"),
        n("acked") + n("dead_lettered") + n("dropped")
    );
    assert!(n("dead_lettered") > 0 && n("redelivered") > 0, "{v}");
    assert_eq!(v["mode"], "log");
    assert_eq!(v["trace_hash"].as_str().unwrap().len(), 16);
    // Same flags, same run.
    let again = queue(&CONTRACT_RUN);
    assert_eq!(again, v);
}

#[test]
fn events_file_is_one_json_line_per_lifecycle_event() {
    let dir = std::env::temp_dir().join(format!("scalelab-queue-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("events.jsonl");
    let p = path.to_str().unwrap();
    let v = queue(&[
        "--partitions",
        "3",
        "--consumers",
        "2",
        "--duration-s",
        "15",
        "--crash",
        "consumer-1@5s",
        "--poison-rate",
        "0.05",
        "--max-deliveries",
        "2",
        "--seed",
        "3",
        "--events",
        p,
        "--json",
    ]);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut kinds: BTreeMap<String, u64> = BTreeMap::new();
    let mut first: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    let mut settled = BTreeSet::new();
    for line in text.lines() {
        let e: Value = serde_json::from_str(line).unwrap();
        let kind = e["kind"].as_str().unwrap().to_string();
        assert!(
            e["t_us"].is_u64()
                && e["msg"].is_u64()
                && e["partition"].is_u64()
                && e["offset"].is_u64(),
            "{e}"
        );
        if kind == "delivered" || kind == "acked" {
            assert!(
                e["consumer"].as_str().unwrap().starts_with("consumer-"),
                "{e}"
            );
            if kind == "delivered" && seen.insert(e["msg"].as_u64().unwrap()) {
                first
                    .entry(e["partition"].as_u64().unwrap())
                    .or_default()
                    .push(e["offset"].as_u64().unwrap());
            }
        }
        if ["acked", "dead_lettered", "dropped"].contains(&kind.as_str()) {
            settled.insert(e["msg"].as_u64().unwrap());
        }
        *kinds.entry(kind).or_default() += 1;
    }
    assert_eq!(kinds["produced"], v["produced"].as_u64().unwrap());
    assert_eq!(kinds["dead_lettered"], v["dead_lettered"].as_u64().unwrap());
    assert_eq!(
        settled.len() as u64,
        v["produced"].as_u64().unwrap(),
        "every message settles"
    );
    for offsets in first.values() {
        assert!(
            offsets.windows(2).all(|w| w[0] < w[1]),
            "first deliveries in offset order"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn queue_mode_and_bad_flags() {
    let v = queue(&[
        "--mode",
        "queue",
        "--consumers",
        "2",
        "--duration-s",
        "10",
        "--json",
    ]);
    assert_eq!(v["mode"], "queue");
    assert_eq!(v["lost"], 0);
    for (args, needle) in [
        (vec!["--mode", "kafka"], "--mode: must be one of log, queue"),
        (
            vec!["--partitions", "0"],
            "--partitions: must be between 1 and 256",
        ),
        (
            vec!["--poison-rate", "1.5"],
            "--poison-rate: must be between 0 and 1",
        ),
        (vec!["--crash", "consumer-9@1s"], "consumer-9"),
        (vec!["--crash", "consumer-1"], "--crash"),
    ] {
        let mut a = vec!["scalelab", "queue"];
        a.extend(args);
        let e = run_to_string(a).unwrap_err();
        assert_eq!(e.code, 2);
        assert!(e.message.contains(needle), "{} lacks {needle}", e.message);
    }
}

#[test]
fn partition_prints_key_tab_partition_in_input_order() {
    assert_eq!(
        partition("kafka", "50", "foobar\n21\n\nabc\n"),
        "foobar\t16\n21\t40\n\t31\nabc\t7\n"
    );
    // Spark: "hello".hashCode() = 99162322; an empty key hashes to 0.
    assert_eq!(
        partition("spark-hash", "10", "hello\n\n"),
        "hello\t2\n\t0\n"
    );
    assert_eq!(
        partition("round-robin", "3", "a\nb\nc\nd"),
        "a\t0\nb\t1\nc\t2\nd\t0\n"
    );
    assert_eq!(
        partition("range", "2", "d\na\nc\nb\n"),
        "d\t1\na\t0\nc\t1\nb\t0\n"
    );
    let e = run_with_input(
        [
            "scalelab",
            "partition",
            "--partitioner",
            "md5",
            "--partitions",
            "4",
        ],
        &mut "x\n".as_bytes(),
        &mut Vec::new(),
    )
    .unwrap_err();
    assert!(
        e.message
            .contains("--partitioner: must be one of kafka, spark-hash, round-robin, range"),
        "{}",
        e.message
    );
}
