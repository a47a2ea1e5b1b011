use scalelab_cli::run_to_string;
use scalelab_engine::mapreduce::{run_sequential, Input, Job};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn corpus() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../static/data/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("static/data/corpus")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 8);
    files
}

fn out_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("scalelab-mr-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn read_parts(dir: &Path, r: usize) -> Vec<(String, String)> {
    let mut all = Vec::new();
    for i in 0..r {
        let text = std::fs::read_to_string(dir.join(format!("part-{i:05}"))).unwrap();
        for line in text.lines() {
            let (k, v) = line.split_once('\t').unwrap();
            all.push((k.to_string(), v.to_string()));
        }
    }
    all
}

fn run(args: &[&str], files: &[PathBuf], out: &Path) -> Value {
    let mut v: Vec<String> = vec!["scalelab".into(), "mapreduce".into()];
    v.extend(args.iter().map(|s| s.to_string()));
    v.push("--input".into());
    v.extend(files.iter().map(|f| f.display().to_string()));
    v.push("--out".into());
    v.push(out.display().to_string());
    v.push("--json".into());
    serde_json::from_str(&run_to_string(v).unwrap_or_else(|e| panic!("{}", e.message))).unwrap()
}

#[test]
fn eight_texts_with_crashes_equal_the_sequential_count() {
    let files = corpus();
    let out = out_dir("crash");
    let v = run(
        &[
            "--job",
            "wordcount",
            "--workers",
            "6",
            "--reducers",
            "5",
            "--split-kb",
            "64",
            "--crash-prob",
            "0.3",
            "--seed",
            "11",
        ],
        &files,
        &out,
    );
    for key in [
        "map_tasks",
        "reduce_tasks",
        "attempts",
        "reexecuted_tasks",
        "crashes",
        "bytes_shuffled",
        "sim_duration_ms",
        "trace_hash",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert!(v["crashes"].as_u64().unwrap() > 0);
    assert!(v["reexecuted_tasks"].as_u64().unwrap() > 0);
    let inputs: Vec<Input> = files
        .iter()
        .map(|f| {
            Input::new(
                f.file_name().unwrap().to_string_lossy(),
                std::fs::read_to_string(f).unwrap(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = run_sequential(&Job::WordCount, &inputs)
        .into_iter()
        .collect();
    let mut got = read_parts(&out, 5);
    let n = got.len();
    got.sort();
    got.dedup_by(|a, b| a.0 == b.0);
    assert_eq!(got.len(), n, "a key in two parts");
    assert_eq!(got, expected);
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn indexer_lists_sorted_base_names() {
    let files: Vec<PathBuf> = corpus().into_iter().take(3).collect();
    let out = out_dir("idx");
    let v = run(
        &[
            "--job",
            "indexer",
            "--workers",
            "3",
            "--reducers",
            "2",
            "--combiner",
            "--seed",
            "1",
        ],
        &files,
        &out,
    );
    assert_eq!(v["reduce_tasks"], 2);
    let parts = read_parts(&out, 2);
    let (_, the) = parts.iter().find(|(k, _)| k == "the").unwrap();
    assert_eq!(
        the,
        "3\tpg-being_ernest.txt,pg-dorian_gray.txt,pg-frankenstein.txt"
    );
    let again = run(
        &[
            "--job",
            "indexer",
            "--workers",
            "3",
            "--reducers",
            "2",
            "--combiner",
            "--seed",
            "1",
        ],
        &files,
        &out,
    );
    assert_eq!(v["trace_hash"], again["trace_hash"]);
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn bad_input_is_refused_with_the_flag_named() {
    let dir = out_dir("bad");
    std::fs::create_dir_all(&dir).unwrap();
    let bin = dir.join("x.txt");
    std::fs::write(&bin, b"abc\0def").unwrap();
    let e = run_to_string([
        "scalelab",
        "mapreduce",
        "--input",
        bin.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ])
    .unwrap_err();
    assert_eq!(e.code, 2);
    assert!(
        e.message.contains("--input") && e.message.contains("binary"),
        "{}",
        e.message
    );
    let e = run_to_string([
        "scalelab",
        "mapreduce",
        "--input",
        "missing.txt",
        "--workers",
        "0",
        "--out",
        "x",
    ])
    .unwrap_err();
    assert!(e.message.contains("missing.txt"), "{}", e.message);
    let good = dir.join("g.txt");
    std::fs::write(&good, "hello").unwrap();
    let e = run_to_string([
        "scalelab",
        "mapreduce",
        "--input",
        good.to_str().unwrap(),
        "--workers",
        "0",
        "--out",
        dir.to_str().unwrap(),
    ])
    .unwrap_err();
    assert!(
        e.message.contains("--workers") && e.message.contains("between 1 and 64"),
        "{}",
        e.message
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn gen_logs_is_deterministic() {
    let a = run_to_string(["scalelab", "gen-logs", "--lines", "50", "--seed", "3"]).unwrap();
    let b = run_to_string(["scalelab", "gen-logs", "--lines", "50", "--seed", "3"]).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.lines().count(), 50);
}
