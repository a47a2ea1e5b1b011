use scalelab_cli::run_to_string;
use serde_json::Value;

fn mmc(args: &[&str]) -> Value {
    let mut v = vec!["scalelab", "mmc"];
    v.extend_from_slice(args);
    serde_json::from_str(&run_to_string(v).unwrap_or_else(|e| panic!("{}", e.message))).unwrap()
}

#[test]
fn mmc_json_has_the_contract_keys_and_tracks_theory() {
    let v = mmc(&[
        "--arrival-rate",
        "3.2",
        "--service-rate",
        "1",
        "--servers",
        "4",
        "--customers",
        "200000",
        "--seed",
        "1",
        "--json",
    ]);
    for k in [
        "customers",
        "wq_mean",
        "w_mean",
        "utilization",
        "p50",
        "p95",
        "p99",
        "events",
        "trace_hash",
    ] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
    assert_eq!(v["customers"], 200000);
    assert_eq!(v["events"], 400000);
    let (wq, th) = (
        v["wq_mean"].as_f64().unwrap(),
        v["wq_theory"].as_f64().unwrap(),
    );
    assert!((wq - th).abs() / th < 0.06, "{wq} vs {th}");
    assert!(v["p50"].as_f64().unwrap() < v["p99"].as_f64().unwrap());
    let again = mmc(&[
        "--arrival-rate",
        "3.2",
        "--service-rate",
        "1",
        "--servers",
        "4",
        "--customers",
        "200000",
        "--seed",
        "1",
        "--json",
    ]);
    assert_eq!(v["trace_hash"], again["trace_hash"]);
}

#[test]
fn overload_has_no_theory_and_bad_rates_are_named() {
    let v = mmc(&[
        "--arrival-rate",
        "2",
        "--service-rate",
        "1",
        "--customers",
        "1000",
        "--json",
    ]);
    assert!(v["wq_theory"].is_null());
    let e = run_to_string([
        "scalelab",
        "mmc",
        "--arrival-rate",
        "-1",
        "--service-rate",
        "1",
    ])
    .unwrap_err();
    assert!(
        e.message.contains("--arrival-rate") && e.message.contains("between"),
        "{}",
        e.message
    );
    let e = run_to_string([
        "scalelab",
        "mmc",
        "--arrival-rate",
        "1",
        "--service-rate",
        "1",
        "--servers",
        "0",
    ])
    .unwrap_err();
    assert!(e.message.contains("--servers"), "{}", e.message);
}
