use scalelab_cli::run_to_string;
use serde_json::Value;

fn demo(args: &[&str]) -> Value {
    let mut all = vec!["scalelab", "demo"];
    all.extend_from_slice(args);
    let out = run_to_string(all).unwrap_or_else(|e| panic!("{}", e.message));
    serde_json::from_str(&out).expect("one JSON object")
}

#[test]
fn demo_json_has_the_contract_keys_and_is_deterministic() {
    let a = demo(&["--seed", "7", "--until-s", "30", "--json"]);
    for key in [
        "throughput_per_s",
        "latency_p50_ms",
        "latency_p95_ms",
        "latency_p99_ms",
        "utilization",
        "error_rate",
        "backlog",
        "job_duration_s",
        "trace_hash",
    ] {
        assert!(a.get(key).is_some(), "missing {key}");
    }
    let b = demo(&["--seed", "7", "--until-s", "30", "--json"]);
    let c = demo(&["--seed", "8", "--until-s", "30", "--json"]);
    assert_eq!(a["trace_hash"], b["trace_hash"]);
    assert_ne!(a["trace_hash"], c["trace_hash"]);
    assert_eq!(a["trace_hash"].as_str().unwrap().len(), 16);
    let arrived = a["arrived"].as_u64().unwrap();
    assert_eq!(
        arrived,
        a["completed"].as_u64().unwrap() + a["failed"].as_u64().unwrap()
    );
}

#[test]
fn faults_show_up_in_the_counts() {
    let v = demo(&[
        "--seed",
        "1",
        "--until-s",
        "60",
        "--faults",
        "crash:server@20s+10s",
        "--json",
    ]);
    assert!(v["rejected_down"].as_u64().unwrap() > 0);
    assert!(v["error_rate"].as_f64().unwrap() > 0.0);
}

#[test]
fn bad_flags_name_the_flag_and_range() {
    let e = run_to_string(["scalelab", "demo", "--rate", "0", "--json"]).unwrap_err();
    assert_eq!(e.code, 2);
    assert!(
        e.message.contains("--rate") && e.message.contains("between 0.1 and 10000"),
        "{}",
        e.message
    );
    let e = run_to_string(["scalelab", "demo", "--faults", "crash:db@1s"]).unwrap_err();
    assert!(
        e.message.contains("--faults") && e.message.contains("db"),
        "{}",
        e.message
    );
    let e = run_to_string(["scalelab", "nonsense"]).unwrap_err();
    assert_eq!(e.code, 2);
}

#[test]
fn help_lists_subcommands() {
    let out = run_to_string(["scalelab", "--help"]).unwrap();
    assert!(out.contains("demo"));
}
