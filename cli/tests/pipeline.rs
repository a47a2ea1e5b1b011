use scalelab_cli::run_to_string;
use serde_json::Value;

fn pipeline(args: &[&str]) -> Value {
    let mut v = vec!["scalelab", "pipeline"];
    v.extend_from_slice(args);
    v.push("--json");
    serde_json::from_str(&run_to_string(v).unwrap_or_else(|e| panic!("{}", e.message))).unwrap()
}

#[test]
fn optimised_job_is_faster_reads_less_and_keeps_the_report() {
    let small = [
        "--days",
        "30",
        "--orders-per-day",
        "500",
        "--small-files",
        "2000",
    ];
    let mut none = small.to_vec();
    none.extend(["--opts", "none"]);
    let mut all = small.to_vec();
    all.extend(["--opts", "all"]);
    let (a, b) = (pipeline(&none), pipeline(&all));
    for v in [&a, &b] {
        assert_eq!(v["report_matches_reference"], true);
        assert_eq!(v["trace_hash"].as_str().unwrap().len(), 16);
    }
    assert_eq!(a["report_rows"], b["report_rows"]);
    assert!(b["duration_s"].as_f64().unwrap() * 10.0 < a["duration_s"].as_f64().unwrap());
    assert!(b["bytes_read"].as_f64().unwrap() < a["bytes_read"].as_f64().unwrap());
    assert_eq!(a["baseline"]["duration_s"], a["duration_s"]);
    assert!(a["bottleneck"]["suggestion"].is_string());
    assert!(b["bottleneck"]["suggestion"].is_null());
}

#[test]
fn compare_lists_every_optimisation_and_each_helps() {
    let v = pipeline(&["--days", "30", "--orders-per-day", "500", "--compare"]);
    let c = v["compare"].as_array().unwrap();
    assert_eq!(c.len(), 9);
    for x in c {
        let (off, on) = (&x["off"], &x["on"]);
        assert!(
            on["duration_s"].as_f64() < off["duration_s"].as_f64(),
            "{x}"
        );
        assert_eq!(on["report_matches_reference"], true);
    }
}

#[test]
fn bad_flags_are_named() {
    let e = run_to_string(["scalelab", "pipeline", "--opts", "turbo"]).unwrap_err();
    assert!(
        e.message.contains("--opts") && e.message.contains("turbo"),
        "{}",
        e.message
    );
    let e = run_to_string(["scalelab", "pipeline", "--window", "100", "--days", "30"]).unwrap_err();
    assert!(e.message.contains("--window"), "{}", e.message);
    let e = run_to_string([
        "scalelab",
        "pipeline",
        "--days",
        "365",
        "--orders-per-day",
        "20000",
    ])
    .unwrap_err();
    assert!(e.message.contains("--orders-per-day"), "{}", e.message);
}
