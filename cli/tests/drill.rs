use scalelab_cli::run_to_string;
use serde_json::Value;

fn drill(args: &[&str]) -> Value {
    let mut v = vec!["scalelab", "drill"];
    v.extend_from_slice(args);
    v.push("--json");
    serde_json::from_str(&run_to_string(v).unwrap_or_else(|e| panic!("{}", e.message))).unwrap()
}

#[test]
fn the_contract_keys_are_there_and_add_up() {
    let v = drill(&[
        "--name",
        "network-cut",
        "--mitigations",
        "retries,buffer,quarantine",
        "--seed",
        "3",
    ]);
    for k in [
        "records_in",
        "records_out",
        "quarantined",
        "dead_lettered",
        "lost",
        "duplicates",
        "slo_violation_s",
        "recovery_s",
        "trace_hash",
    ] {
        assert!(!v[k].is_null(), "missing {k}: {v}");
    }
    let n = |k: &str| v[k].as_u64().unwrap();
    assert_eq!(n("lost"), 0);
    assert_eq!(
        n("records_in"),
        n("records_out") + n("quarantined") + n("dead_lettered") + n("lost") + n("in_flight")
    );
    assert_eq!(v["reconciliation_agrees"], true);
    assert!(v["slo_violation_s"].as_f64().unwrap() > 0.0);
    assert_eq!(v["trace_hash"].as_str().unwrap().len(), 16);
    // Same seed, same drill: same result.
    let again = drill(&[
        "--name",
        "network-cut",
        "--mitigations",
        "retries,buffer,quarantine",
        "--seed",
        "3",
    ]);
    assert_eq!(v, again);
}

#[test]
fn without_mitigations_the_loss_is_reported() {
    let v = drill(&["--name", "network-cut", "--mitigations", "none"]);
    assert!(v["lost"].as_u64().unwrap() > 0);
    assert_eq!(v["passed"], false);
    assert_eq!(v["reconciliation_agrees"], true);
}

#[test]
fn events_are_json_lines_that_reconcile() {
    let dir = std::env::temp_dir().join(format!("scalelab-drill-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("events.jsonl");
    let p = path.to_str().unwrap();
    let v = drill(&[
        "--name",
        "bad-batch",
        "--mitigations",
        "quarantine",
        "--duration-s",
        "90",
        "--events",
        p,
    ]);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut produced = 0u64;
    let mut quarantined = 0u64;
    for line in text.lines() {
        let e: Value = serde_json::from_str(line).unwrap();
        assert!(e["t_us"].is_u64() && e["record"].is_u64());
        match e["kind"].as_str().unwrap() {
            "produced" => produced += 1,
            "quarantined" => quarantined += 1,
            _ => {}
        }
    }
    assert_eq!(produced, v["records_in"].as_u64().unwrap());
    assert_eq!(quarantined, v["quarantined"].as_u64().unwrap());
    assert!(quarantined > 0);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn custom_drills_ramp_and_bad_flags() {
    let v = drill(&[
        "--name",
        "custom",
        "--faults",
        "crash:worker-1@5s+5s,spike*3@10s+10s",
        "--duration-s",
        "30",
    ]);
    assert_eq!(v["faults"], "crash:worker-1@5s+5s,spike*3@10s+10s");
    let r = drill(&["--ramp"]);
    assert!(r["breaking_rate"].as_f64().unwrap() > 130.0);
    assert_eq!(r["first_saturated"]["component"], "transform workers");
    let e = run_to_string(["scalelab", "drill", "--name", "meteor"]).unwrap_err();
    assert!(
        e.message.contains("--name") && e.message.contains("runway-closed"),
        "{}",
        e.message
    );
    let e = run_to_string(["scalelab", "drill", "--mitigations", "magic"]).unwrap_err();
    assert!(e.message.contains("--mitigations"), "{}", e.message);
    let e = run_to_string([
        "scalelab",
        "drill",
        "--name",
        "custom",
        "--faults",
        "crash:db@1s",
    ])
    .unwrap_err();
    assert!(
        e.message.contains("--faults") && e.message.contains("db"),
        "{}",
        e.message
    );
    let e = run_to_string(["scalelab", "drill", "--rate", "0"]).unwrap_err();
    assert!(e.message.contains("--rate"), "{}", e.message);
    let list = run_to_string(["scalelab", "drill", "--list"]).unwrap();
    assert_eq!(list.lines().count(), 7);
}
