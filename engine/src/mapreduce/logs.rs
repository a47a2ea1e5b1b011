//! The log format of the log-analysis job, and a generator for the sample that ships with the
//! app (`static/data/logs/sample-app.log`, made by `scalelab gen-logs`).
//!
//! One request per line, space separated:
//!
//! ```text
//! 2026-03-01T09:00:00.123Z INFO checkout POST /api/orders 201 35ms
//! <timestamp>              <level> <service> <method> <path> <status> <latency>
//! ```
//! The job counts lines by `level:<LEVEL>` and by `status:<code>`; a line that does not have
//! seven fields, a known level and a three-digit status counts as `malformed`.

use crate::sim::RngStreams;
use rand::RngExt;

pub const LEVELS: [&str; 4] = ["DEBUG", "INFO", "WARN", "ERROR"];

/// The keys one log line contributes.
pub fn fields(line: &str) -> Vec<String> {
    let parts: Vec<&str> = line.split_whitespace().collect();
    if parts.len() != 7 {
        return vec!["malformed".to_string()];
    }
    let level = parts[1];
    let status = parts[5];
    let ok_status = status.len() == 3 && status.bytes().all(|b| b.is_ascii_digit());
    if !LEVELS.contains(&level) || !ok_status {
        return vec!["malformed".to_string()];
    }
    vec![format!("level:{level}"), format!("status:{status}")]
}

/// A deterministic synthetic access log: `lines` requests, with a brief incident (a burst of
/// 5xx errors) in the middle and a few malformed lines, so the counts have a story to tell.
pub fn generate(seed: u64, lines: usize) -> String {
    let mut rng = RngStreams::new(seed).stream("mapreduce/logs");
    let services = ["checkout", "catalog", "search", "auth", "payments"];
    let paths = [
        ("GET", "/api/products"),
        ("GET", "/api/search"),
        ("POST", "/api/orders"),
        ("GET", "/api/orders"),
        ("POST", "/api/login"),
        ("POST", "/api/payments"),
    ];
    let mut out = String::with_capacity(lines * 64);
    let mut t_ms: u64 = 0;
    for i in 0..lines {
        t_ms += rng.random_range(1..40u64);
        let incident = (lines * 45 / 100..lines * 50 / 100).contains(&i);
        let r: f64 = rng.random();
        let status = if incident && r < 0.4 {
            *[500u16, 502, 503]
                .get(rng.random_range(0..3usize))
                .unwrap_or(&500)
        } else if r < 0.80 {
            200
        } else if r < 0.88 {
            201
        } else if r < 0.93 {
            404
        } else if r < 0.97 {
            400
        } else if r < 0.985 {
            401
        } else {
            500
        };
        let level = if status >= 500 {
            "ERROR"
        } else if status >= 400 {
            "WARN"
        } else if rng.random::<f64>() < 0.03 {
            "DEBUG"
        } else {
            "INFO"
        };
        let (method, path) = paths[rng.random_range(0..paths.len())];
        let service = services[rng.random_range(0..services.len())];
        let latency = if status >= 500 {
            rng.random_range(800..3000u64)
        } else {
            rng.random_range(3..120u64)
        };
        if rng.random::<f64>() < 0.002 {
            out.push_str("-- log rotated: partial line\n");
            continue;
        }
        let (s, ms) = (t_ms / 1000, t_ms % 1000);
        out.push_str(&format!(
            "2026-03-01T{:02}:{:02}:{:02}.{ms:03}Z {level} {service} {method} {path} {status} {latency}ms\n",
            9 + s / 3600 % 15,
            s / 60 % 60,
            s % 60
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_good_and_flags_bad_lines() {
        assert_eq!(
            fields("2026-03-01T09:00:00.123Z INFO checkout POST /api/orders 201 35ms"),
            vec!["level:INFO", "status:201"]
        );
        assert_eq!(fields("garbage"), vec!["malformed"]);
        assert_eq!(fields("t NOPE s GET /x 200 1ms"), vec!["malformed"]);
        assert_eq!(fields("t INFO s GET /x 2000 1ms"), vec!["malformed"]);
    }

    #[test]
    fn generator_is_deterministic_and_parses() {
        let a = generate(1, 2000);
        assert_eq!(a, generate(1, 2000));
        assert_ne!(a, generate(2, 2000));
        let malformed = a.lines().filter(|l| fields(l) == ["malformed"]).count();
        assert!(malformed < 20);
        assert!(a.lines().any(|l| l.contains(" 503 ")));
    }
}
