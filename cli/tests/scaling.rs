use scalelab_cli::run_to_string;
use serde_json::Value;

fn scaling(args: &[&str]) -> Value {
    let mut v = vec!["scalelab", "scaling"];
    v.extend_from_slice(args);
    v.push("--json");
    serde_json::from_str(&run_to_string(v).unwrap_or_else(|e| panic!("{}", e.message))).unwrap()
}

#[test]
fn vertical_crash_is_an_outage_horizontal_is_not() {
    let v = scaling(&[
        "--mode",
        "vertical",
        "--machine",
        "s-16",
        "--duration-s",
        "60",
        "--rate",
        "150",
        "--faults",
        "crash:machine-1@20s+20s",
    ]);
    let h = scaling(&[
        "--machines",
        "4",
        "--duration-s",
        "60",
        "--rate",
        "150",
        "--faults",
        "crash:machine-1@20s+20s",
    ]);
    assert!(v["availability"].as_f64().unwrap() < 0.8);
    assert!(h["availability"].as_f64().unwrap() > 0.99);
    assert_eq!(h["trace_hash"].as_str().unwrap().len(), 16);
}

#[test]
fn speedup_curve_is_printed_with_usl() {
    let v = scaling(&[
        "--machine",
        "s-2",
        "--duration-s",
        "10",
        "--speedup-to",
        "4",
        "--sigma",
        "0.1",
    ]);
    let curve = v["speedup"].as_array().unwrap();
    assert_eq!(curve.len(), 4);
    assert!(curve[3]["throughput"].as_f64().unwrap() > curve[0]["throughput"].as_f64().unwrap());
}

#[test]
fn bad_values_name_the_flag() {
    let e = run_to_string(["scalelab", "scaling", "--machine", "s-1000"]).unwrap_err();
    assert!(e.message.contains("--machine"), "{}", e.message);
    let e = run_to_string(["scalelab", "scaling", "--sigma", "5"]).unwrap_err();
    assert!(
        e.message.contains("--sigma") && e.message.contains("between 0 and 1"),
        "{}",
        e.message
    );
}
