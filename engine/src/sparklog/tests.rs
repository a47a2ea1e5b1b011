use super::*;
use proptest::prelude::*;

const WORDCOUNT: &[u8] =
    include_bytes!("../../../static/data/spark-events/spark4-2executors-wordcount.json");
const WORDCOUNT_ZST: &[u8] =
    include_bytes!("../../../static/data/spark-events/spark4-2executors-wordcount.json.zst");
const SKEWED: &[u8] =
    include_bytes!("../../../static/data/spark-events/spark4-2executors-skewed-groupby.json");
const SKEWED_ZST: &[u8] =
    include_bytes!("../../../static/data/spark-events/spark4-2executors-skewed-groupby.json.zst");
const RETRIED: &[u8] =
    include_bytes!("../../../static/data/spark-events/spark4-2executors-retried-task.json");
const RETRIED_ZST: &[u8] =
    include_bytes!("../../../static/data/spark-events/spark4-2executors-retried-task.json.zst");

/// (plain, zstd, task ends, failed task ends, tasks per completed stage)
type Expected = (&'static [u8], &'static [u8], usize, usize, [usize; 2]);
const LOGS: [Expected; 3] = [
    (WORDCOUNT, WORDCOUNT_ZST, 19, 0, [11, 8]),
    (SKEWED, SKEWED_ZST, 16, 0, [8, 8]),
    (RETRIED, RETRIED_ZST, 17, 1, [9, 8]),
];

#[test]
fn every_shipped_log_parses_the_same_plain_and_zstd_with_the_counts_in_the_file() {
    for (plain, zst, tasks, failed, per_stage) in LOGS {
        assert_eq!(sniff(zst), Format::Zstd);
        assert_eq!(sniff(plain), Format::Json);
        let a = parse_bytes(plain).unwrap();
        let b = parse_bytes(zst).unwrap();
        assert_eq!(a, b);
        assert!(a.errors.is_empty(), "{:?}", a.errors);
        assert_eq!(a.spark_version, "4.0.1");
        assert!(a.app_id.starts_with("app-"));
        assert_eq!(a.jobs.len(), 1);
        assert_eq!(a.stages.len(), 2);
        assert_eq!(a.tasks.len(), tasks);
        assert_eq!(a.tasks.iter().filter(|t| t.failed()).count(), failed);
        assert_eq!(executors(&a), vec!["0".to_string(), "1".to_string()]);
        let stats = stage_stats(&a);
        assert_eq!([stats[0].tasks, stats[1].tasks], per_stage);
        // Skipped events are counted, not lost.
        assert_eq!(a.skipped.get("SparkListenerBlockManagerAdded"), Some(&3));
        let lines = std::str::from_utf8(plain).unwrap().lines().count();
        assert_eq!(a.lines, lines);
    }
}

#[test]
fn the_skewed_group_by_has_a_straggler_that_read_far_more_shuffle_data() {
    let log = parse_bytes(SKEWED).unwrap();
    let stats = stage_stats(&log);
    let reduce = &stats[1];
    let x = reduce
        .heavy
        .first()
        .expect("a task with far more shuffle data");
    assert!(x.read_times_median > 10.0, "{x:?}");
    let text = summary(&log, &stats).join(" ");
    assert!(text.contains("skewed key"), "{text}");
    assert!(text.contains(&format!("task {}", x.index)), "{text}");
}

#[test]
fn the_failed_attempt_and_its_retry_are_both_there() {
    let log = parse_bytes(RETRIED).unwrap();
    let failed: Vec<_> = log.tasks.iter().filter(|t| t.failed()).collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].reason, "ExceptionFailure");
    let retry = log
        .tasks
        .iter()
        .find(|t| t.stage == failed[0].stage && t.index == failed[0].index && t.attempt == 1)
        .expect("a second attempt");
    assert!(!retry.failed());
    assert!(summary(&log, &stage_stats(&log))
        .join(" ")
        .contains("succeeded when retried"));
}

#[test]
fn other_codecs_are_named_and_broken_zstd_is_an_error() {
    for (bytes, codec) in [
        (&b"LZ4Block\x10\x00"[..], "lz4"),
        (&b"\x82SNAPPY\x00rest"[..], "snappy"),
        (&b"ZV\x00\x01"[..], "lzf"),
    ] {
        let e = parse_bytes(bytes).unwrap_err();
        assert!(e.contains(codec), "{e}");
    }
    let e = parse_bytes(&WORDCOUNT_ZST[..WORDCOUNT_ZST.len() / 2]).unwrap_err();
    assert!(e.starts_with("zstd"), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn slices_of_any_size_give_the_same_log(cuts in proptest::collection::vec(1usize..20_000, 1..40)) {
        let text = std::str::from_utf8(WORDCOUNT).unwrap();
        let mut p = Parser::new();
        let mut at = 0;
        for c in cuts {
            let mut end = (at + c).min(text.len());
            while !text.is_char_boundary(end) { end += 1; }
            p.feed(&text[at..end]);
            at = end;
        }
        p.feed(&text[at..]);
        prop_assert_eq!(p.finish(), parse_bytes(WORDCOUNT).unwrap());
    }

    #[test]
    fn truncated_and_garbled_lines_never_panic_and_name_their_line(
        cut in 0usize..200_000, junk in "[\\x00-\\x7f]{0,40}", at_line in 1usize..60,
    ) {
        let text = std::str::from_utf8(RETRIED).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let k = at_line.min(lines.len() - 1);
        let l = &lines[k];
        let mut end = cut.min(l.len());
        while !l.is_char_boundary(end) { end -= 1; }
        lines[k] = format!("{}{}", &l[..end], junk);
        let text = lines.join("\n");
        let total = text.lines().count();
        let log = parse_bytes(text.as_bytes()).unwrap();
        for (n, msg) in &log.errors {
            prop_assert!(*n >= 1 && *n <= total && !msg.is_empty());
        }
        let stats = stage_stats(&log);
        let _ = summary(&log, &stats);
    }
}
