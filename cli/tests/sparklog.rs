use scalelab_cli::run_to_string;
use serde_json::Value;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../static/data/spark-events");

fn sparklog(file: &str) -> Value {
    let path = format!("{DIR}/{file}");
    let out = run_to_string(["scalelab", "sparklog", path.as_str(), "--json"])
        .unwrap_or_else(|e| panic!("{}", e.message));
    serde_json::from_str(&out).unwrap()
}

#[test]
fn the_contract_keys_for_every_shipped_log() {
    for (file, tasks, failed) in [
        ("spark4-2executors-wordcount.json", 19, 0),
        ("spark4-2executors-skewed-groupby.json.zst", 16, 0),
        ("spark4-2executors-retried-task.json", 17, 1),
    ] {
        let v = sparklog(file);
        assert!(v["app_id"].as_str().unwrap().starts_with("app-"));
        assert_eq!(v["jobs"], 1);
        assert_eq!(v["tasks"], tasks);
        assert_eq!(v["failed_tasks"], failed);
        assert_eq!(v["executors"], serde_json::json!(["0", "1"]));
        let stages = v["stages"].as_array().unwrap();
        assert_eq!(stages.len(), 2);
        for s in stages {
            for k in [
                "stage_id",
                "attempt",
                "tasks",
                "duration_ms",
                "min",
                "p50",
                "max",
                "shuffle_read_bytes",
                "shuffle_write_bytes",
            ] {
                assert!(s[k].is_number(), "{file}: stage lacks {k}: {s}");
            }
            assert!(
                s["min"].as_i64() <= s["p50"].as_i64() && s["p50"].as_i64() <= s["max"].as_i64()
            );
        }
        assert!(v["errors"].as_array().unwrap().is_empty());
    }
}

#[test]
fn a_rolling_log_folder_and_bad_input() {
    let dir = std::env::temp_dir().join(format!("scalelab-sparklog-{}", std::process::id()));
    let app = dir.join("eventlog_v2_app-1");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::copy(
        format!("{DIR}/spark4-2executors-wordcount.json.zst"),
        app.join("events_1_app-1.zstd"),
    )
    .unwrap();
    let out = run_to_string(["scalelab", "sparklog", app.to_str().unwrap(), "--json"]).unwrap();
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["tasks"], 19);
    let lz4 = dir.join("events.lz4");
    std::fs::write(&lz4, b"LZ4Block\x10\x00\x00").unwrap();
    let e = run_to_string(["scalelab", "sparklog", lz4.to_str().unwrap()]).unwrap_err();
    assert!(e.message.contains("lz4"), "{}", e.message);
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        "{\"Event\":\"SparkListenerLogStart\",\"Spark Version\":\"4.0.1\"}\nnot json\n",
    )
    .unwrap();
    let out = run_to_string(["scalelab", "sparklog", bad.to_str().unwrap(), "--json"]).unwrap();
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["errors"][0]["line"], 2);
    let e = run_to_string(["scalelab", "sparklog", "/nonexistent/file.json"]).unwrap_err();
    assert!(e.message.contains("/nonexistent/file.json"));
    std::fs::remove_dir_all(&dir).ok();
}
