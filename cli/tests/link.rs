use scalelab_cli::run_to_string;
use serde_json::Value;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../static/data");

fn run(link: &str) -> Value {
    let out = run_to_string(["scalelab", "run", "--link", link, "--data", DATA, "--json"])
        .unwrap_or_else(|e| panic!("{}", e.message));
    serde_json::from_str(&out).unwrap()
}

fn hash_of(args: &[&str]) -> String {
    let v: Value = serde_json::from_str(&run_to_string(args.iter().copied()).unwrap()).unwrap();
    v["trace_hash"].as_str().unwrap().to_string()
}

#[test]
fn a_link_runs_the_same_scenario_as_the_lab_commands() {
    let d = run("https://example.org/scalelab/#/drills?drill=cascading&mit=retries,buffer,quarantine&presenter=1");
    assert_eq!(d["lab"], "drills");
    assert_eq!(
        d["trace_hash"].as_str().unwrap(),
        hash_of(&[
            "scalelab",
            "drill",
            "--name",
            "cascading",
            "--mitigations",
            "retries,buffer,quarantine",
            "--json"
        ])
    );
    let p = run("#/performance?opts=pruning");
    assert_eq!(
        p["trace_hash"].as_str().unwrap(),
        hash_of(&["scalelab", "pipeline", "--opts", "pruning", "--json"])
    );
    let s = run("#/sandbox?seed=7&dur=30");
    assert_eq!(
        s["trace_hash"].as_str().unwrap(),
        hash_of(&[
            "scalelab",
            "demo",
            "--seed",
            "7",
            "--until-s",
            "30",
            "--json"
        ])
    );
}

#[test]
fn every_lab_runs_from_a_link_and_mapreduce_reads_the_shipped_texts() {
    for lab in [
        "scaling",
        "batch-stream",
        "partitioning",
        "mapreduce",
        "queues",
        "caching",
        "performance",
        "drills",
        "tools",
        "sandbox",
    ] {
        let v = run(&format!("#/{lab}?seed=3"));
        assert_eq!(v["lab"], lab);
        assert!(v["events"].as_u64().unwrap() > 10, "{lab}: {v}");
        assert_eq!(v["trace_hash"].as_str().unwrap().len(), 16);
        assert!(v["url_errors"].as_array().unwrap().is_empty(), "{lab}: {v}");
    }
    let m = run("#/mapreduce?seed=3");
    assert!(m["metrics"]["total_completed"].as_u64().unwrap() > 0, "{m}");
}

#[test]
fn bad_links_are_explained() {
    let v = run("#/queues?partitions=abc");
    assert!(v["url_errors"][0].as_str().unwrap().contains("partitions"));
    let e = run_to_string(["scalelab", "run", "--link", "#/nope"]).unwrap_err();
    assert!(e.message.contains("nope") && e.message.contains("queues"));
    let e = run_to_string(["scalelab", "run", "--link", "http://host/#/"]).unwrap_err();
    assert!(e.message.contains("--link"));
}
