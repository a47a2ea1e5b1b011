//! Reads Spark event logs (`spark.eventLog.enabled=true`): JSON lines, plain or as Spark 4
//! writes them by default, zstd-compressed. The parser takes text in slices so a page can show
//! progress on a large file; a line that is not JSON is reported with its number and skipped,
//! events it does not use are counted, and nothing in the input can make it panic.

use serde_json::Value;
use std::collections::BTreeMap;

/// One finished task attempt (a `SparkListenerTaskEnd`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaskEnd {
    pub stage: i64,
    pub stage_attempt: i64,
    pub task_id: i64,
    pub index: i64,
    pub attempt: i64,
    pub launch_ms: i64,
    pub finish_ms: i64,
    pub executor: String,
    pub host: String,
    pub locality: String,
    pub speculative: bool,
    /// `Success`, or the reason it ended otherwise (`ExceptionFailure`, `TaskKilled`, ...).
    pub reason: String,
    pub run_ms: i64,
    pub gc_ms: i64,
    pub shuffle_read_bytes: i64,
    pub shuffle_read_records: i64,
    pub shuffle_write_bytes: i64,
    pub shuffle_write_records: i64,
    pub input_bytes: i64,
    pub spilled_bytes: i64,
}

impl TaskEnd {
    pub fn failed(&self) -> bool {
        self.reason != "Success"
    }
    pub fn duration_ms(&self) -> i64 {
        (self.finish_ms - self.launch_ms).max(0)
    }
}

/// A completed stage attempt.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StageInfo {
    pub id: i64,
    pub attempt: i64,
    pub name: String,
    pub tasks: i64,
    pub submitted_ms: i64,
    pub completed_ms: i64,
    pub failure: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct JobInfo {
    pub id: i64,
    pub submitted_ms: i64,
    pub completed_ms: i64,
    pub result: String,
    pub stages: Vec<i64>,
}

/// An executor as added (and perhaps removed) during the run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Executor {
    pub host: String,
    pub cores: i64,
    pub added_ms: i64,
    /// When and why it was removed.
    pub removed: Option<(i64, String)>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SparkLog {
    pub spark_version: String,
    pub app_name: String,
    pub app_id: String,
    pub start_ms: i64,
    pub end_ms: i64,
    pub jobs: Vec<JobInfo>,
    pub stages: Vec<StageInfo>,
    pub tasks: Vec<TaskEnd>,
    pub executors: BTreeMap<String, Executor>,
    /// Events this reader does not use, by name, with how many were skipped.
    pub skipped: BTreeMap<String, u64>,
    /// (line number, what was wrong).
    pub errors: Vec<(usize, String)>,
    pub lines: usize,
}

/// Feeds text in any slices; complete lines are parsed as they arrive.
#[derive(Default)]
pub struct Parser {
    pending: String,
    pub log: SparkLog,
}

fn s(v: &Value, k: &str) -> String {
    match &v[k] {
        Value::String(x) => x.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}
fn i(v: &Value, k: &str) -> i64 {
    v[k].as_i64().unwrap_or(0)
}

impl Parser {
    pub fn new() -> Self {
        Parser::default()
    }

    pub fn feed(&mut self, chunk: &str) {
        self.pending.push_str(chunk);
        let Some(last) = self.pending.rfind('\n') else {
            return;
        };
        let rest = self.pending.split_off(last + 1);
        let done = std::mem::replace(&mut self.pending, rest);
        for line in done.lines() {
            self.line(line);
        }
    }

    pub fn finish(mut self) -> SparkLog {
        let rest = std::mem::take(&mut self.pending);
        if !rest.trim().is_empty() {
            self.line(&rest);
        }
        self.log
    }

    fn line(&mut self, line: &str) {
        self.log.lines += 1;
        let n = self.log.lines;
        if line.trim().is_empty() {
            return;
        }
        let v: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                self.log.errors.push((n, format!("not JSON: {e}")));
                return;
            }
        };
        let Some(event) = v["Event"].as_str() else {
            self.log.errors.push((n, "no \"Event\" field".into()));
            return;
        };
        let log = &mut self.log;
        match event {
            "SparkListenerLogStart" => log.spark_version = s(&v, "Spark Version"),
            "SparkListenerApplicationStart" => {
                log.app_name = s(&v, "App Name");
                log.app_id = s(&v, "App ID");
                log.start_ms = i(&v, "Timestamp");
            }
            "SparkListenerApplicationEnd" => log.end_ms = i(&v, "Timestamp"),
            "SparkListenerJobStart" => log.jobs.push(JobInfo {
                id: i(&v, "Job ID"),
                submitted_ms: i(&v, "Submission Time"),
                stages: v["Stage IDs"]
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_i64).collect())
                    .unwrap_or_default(),
                ..JobInfo::default()
            }),
            "SparkListenerJobEnd" => {
                let id = i(&v, "Job ID");
                if let Some(j) = log.jobs.iter_mut().find(|j| j.id == id) {
                    j.completed_ms = i(&v, "Completion Time");
                    j.result = s(&v["Job Result"], "Result");
                }
            }
            "SparkListenerStageCompleted" => {
                let si = &v["Stage Info"];
                log.stages.push(StageInfo {
                    id: i(si, "Stage ID"),
                    attempt: i(si, "Stage Attempt ID"),
                    name: s(si, "Stage Name"),
                    tasks: i(si, "Number of Tasks"),
                    submitted_ms: i(si, "Submission Time"),
                    completed_ms: i(si, "Completion Time"),
                    failure: si["Failure Reason"].as_str().map(str::to_string),
                });
            }
            "SparkListenerTaskEnd" => {
                let ti = &v["Task Info"];
                let tm = &v["Task Metrics"];
                let sr = &tm["Shuffle Read Metrics"];
                let sw = &tm["Shuffle Write Metrics"];
                log.tasks.push(TaskEnd {
                    stage: i(&v, "Stage ID"),
                    stage_attempt: i(&v, "Stage Attempt ID"),
                    task_id: i(ti, "Task ID"),
                    index: i(ti, "Index"),
                    attempt: i(ti, "Attempt"),
                    launch_ms: i(ti, "Launch Time"),
                    finish_ms: i(ti, "Finish Time"),
                    executor: s(ti, "Executor ID"),
                    host: s(ti, "Host"),
                    locality: s(ti, "Locality"),
                    speculative: ti["Speculative"].as_bool().unwrap_or(false),
                    reason: match s(&v["Task End Reason"], "Reason") {
                        r if r.is_empty() => "Unknown".into(),
                        r => r,
                    },
                    run_ms: i(tm, "Executor Run Time"),
                    gc_ms: i(tm, "JVM GC Time"),
                    shuffle_read_bytes: i(sr, "Remote Bytes Read") + i(sr, "Local Bytes Read"),
                    shuffle_read_records: i(sr, "Total Records Read"),
                    shuffle_write_bytes: i(sw, "Shuffle Bytes Written"),
                    shuffle_write_records: i(sw, "Shuffle Records Written"),
                    input_bytes: i(&tm["Input Metrics"], "Bytes Read"),
                    spilled_bytes: i(tm, "Memory Bytes Spilled") + i(tm, "Disk Bytes Spilled"),
                });
            }
            "SparkListenerExecutorAdded" => {
                let info = &v["Executor Info"];
                log.executors.insert(
                    s(&v, "Executor ID"),
                    Executor {
                        host: s(info, "Host"),
                        cores: i(info, "Total Cores"),
                        added_ms: i(&v, "Timestamp"),
                        removed: None,
                    },
                );
            }
            "SparkListenerExecutorRemoved" => {
                let id = s(&v, "Executor ID");
                let e = log.executors.entry(id).or_default();
                e.removed = Some((i(&v, "Timestamp"), s(&v, "Removed Reason")));
            }
            // Used only for its place in the timeline; nothing to keep.
            "SparkListenerStageSubmitted" | "SparkListenerTaskStart" => {}
            other => *log.skipped.entry(other.to_string()).or_insert(0) += 1,
        }
    }
}

/// What a file's first bytes say about its format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Zstd,
    /// Another codec Spark can write (`spark.eventLog.compression.codec`), named.
    Unsupported(&'static str),
}

pub fn sniff(bytes: &[u8]) -> Format {
    match bytes {
        [0x28, 0xB5, 0x2F, 0xFD, ..] => Format::Zstd,
        [b'L', b'Z', b'4', b'B', b'l', b'o', b'c', b'k', ..] => Format::Unsupported("lz4"),
        [0x04, 0x22, 0x4D, 0x18, ..] => Format::Unsupported("lz4"),
        [0x82, b'S', b'N', b'A', b'P', b'P', b'Y', 0, ..] | [0xff, 0x06, 0, 0, b's', b'N', ..] => {
            Format::Unsupported("snappy")
        }
        [b'Z', b'V', ..] => Format::Unsupported("lzf"),
        _ => Format::Json,
    }
}

/// Decompresses every zstd frame in `bytes`.
pub fn unzstd(bytes: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut rest = bytes;
    let mut out = Vec::new();
    while !rest.is_empty() {
        let mut dec =
            ruzstd::decoding::StreamingDecoder::new(&mut rest).map_err(|e| format!("zstd: {e}"))?;
        dec.read_to_end(&mut out)
            .map_err(|e| format!("zstd: {e}"))?;
    }
    Ok(out)
}

/// Turns a file's bytes into log text: plain JSON lines or zstd; another codec is named.
pub fn text_of(bytes: &[u8]) -> Result<String, String> {
    let raw = match sniff(bytes) {
        Format::Json => bytes.to_vec(),
        Format::Zstd => unzstd(bytes)?,
        Format::Unsupported(codec) => {
            return Err(format!(
                "this log is compressed with {codec}; ScaleLab reads plain JSON lines and zstd (Spark 4's default). Decompress it first, or set spark.eventLog.compression.codec=zstd"
            ))
        }
    };
    String::from_utf8(raw)
        .map_err(|e| format!("not UTF-8 text at byte {}", e.utf8_error().valid_up_to()))
}

/// Parses a whole file.
pub fn parse_bytes(bytes: &[u8]) -> Result<SparkLog, String> {
    let text = text_of(bytes)?;
    let mut p = Parser::new();
    p.feed(&text);
    Ok(p.finish())
}
