//! The exported PySpark script: it compiles, its plain-Python mode writes exactly what
//! `scalelab mapreduce` writes on two real texts, and (where pyspark is installed) so does Spark.

use scalelab_cli::run_to_string;
use std::path::{Path, PathBuf};
use std::process::Command;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../static/data/corpus");

fn python() -> Option<&'static str> {
    Command::new("python3")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| "python3")
}

fn texts() -> Vec<String> {
    ["pg-frankenstein.txt", "pg-being_ernest.txt"]
        .iter()
        .map(|f| format!("{CORPUS}/{f}"))
        .collect()
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("scalelab-export-{}-{name}", std::process::id()));
    std::fs::remove_dir_all(&d).ok();
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn read_parts(dir: &Path, r: u32) -> Vec<String> {
    (0..r)
        .map(|i| std::fs::read_to_string(dir.join(format!("part-{i:05}"))).unwrap())
        .collect()
}

fn engine_parts(job: &str, r: u32, dir: &Path) -> Vec<String> {
    let rs = r.to_string();
    let out = dir.to_str().unwrap();
    let mut args = vec![
        "scalelab",
        "mapreduce",
        "--job",
        job,
        "--reducers",
        &rs,
        "--out",
        out,
    ];
    let files = texts();
    for f in &files {
        args.push("--input");
        args.push(f);
    }
    run_to_string(args).unwrap_or_else(|e| panic!("{}", e.message));
    read_parts(dir, r)
}

#[test]
fn the_script_compiles_and_its_local_mode_matches_the_engine() {
    let Some(py) = python() else {
        eprintln!("SKIPPED: python3 is not installed, the exported script was not checked");
        return;
    };
    for (job, r) in [("wordcount", 3u32), ("indexer", 2)] {
        let d = tmp(job);
        let script = run_to_string([
            "scalelab",
            "export-pyspark",
            "--job",
            job,
            "--reducers",
            &r.to_string(),
            "--out",
            "out",
        ])
        .unwrap();
        assert!(script.contains(&format!("REDUCERS = {r}")));
        let path = d.join("job.py");
        std::fs::write(&path, &script).unwrap();
        let c = Command::new(py)
            .args(["-m", "py_compile"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            c.status.success(),
            "py_compile: {}",
            String::from_utf8_lossy(&c.stderr)
        );
        let local = d.join("local");
        let o = Command::new(py)
            .arg(&path)
            .args(["--local", "--out"])
            .arg(&local)
            .args(texts())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let sim = engine_parts(job, r, &d.join("sim"));
        let py_parts = read_parts(&local, r);
        for (i, (a, b)) in sim.iter().zip(&py_parts).enumerate() {
            assert!(a.lines().count() > 100, "{job} part {i} is nearly empty");
            if a != b {
                let diff = a.lines().zip(b.lines()).find(|(x, y)| x != y);
                panic!("{job} part-{i:05} differs: first difference {diff:?}");
            }
        }
        std::fs::remove_dir_all(&d).ok();
    }
}

#[test]
fn under_real_pyspark_the_parts_match_the_engine() {
    let Some(py) = python() else {
        eprintln!("SKIPPED: python3 is not installed");
        return;
    };
    let has = Command::new(py)
        .args(["-c", "import pyspark"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !has {
        eprintln!("SKIPPED: pyspark is not installed here (pip install pyspark, Java 17); the Spark run was not checked");
        return;
    }
    let d = tmp("spark");
    let script = run_to_string([
        "scalelab",
        "export-pyspark",
        "--job",
        "wordcount",
        "--reducers",
        "4",
    ])
    .unwrap();
    std::fs::write(d.join("job.py"), script).unwrap();
    let o = Command::new(py)
        .current_dir(&d)
        .arg("job.py")
        .args(["--out", "spark-out"])
        .args(texts())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        read_parts(&d.join("spark-out"), 4),
        engine_parts("wordcount", 4, &d.join("sim"))
    );
    let logs = std::fs::read_dir(d.join("spark-events")).unwrap().count();
    assert!(logs > 0, "the run wrote an event log");
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn bad_export_flags() {
    let e = run_to_string(["scalelab", "export-pyspark", "--reducers", "0"]).unwrap_err();
    assert!(e.message.contains("--reducers"));
    let e = run_to_string(["scalelab", "export-pyspark", "--job", "grep"]).unwrap_err();
    assert!(e.message.contains("grep"), "{}", e.message);
    let readme = run_to_string(["scalelab", "export-pyspark", "--readme"]).unwrap();
    assert!(readme.contains("spark-submit") && readme.contains("sparklog"));
}
