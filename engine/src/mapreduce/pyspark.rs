//! "Run this on Spark": the MapReduce lab's job as a PySpark script that produces, line for line,
//! what `scalelab mapreduce` writes: `DIR/part-00000` … with `key<TAB>value`, the same word
//! rule (maximal runs of letters), the same partitioner (6.824's FNV-1a `ihash` mod R) and keys in
//! byte order within each part. `--local` runs the same functions without Spark, so the script's
//! logic can be checked on a machine with only Python.

use super::job::Job;

/// The jobs the export covers.
pub const EXPORTABLE: [&str; 2] = ["wordcount", "indexer"];

/// The script for `job` with `reducers` partitions, or why it cannot be exported.
pub fn script(job: &Job, reducers: u32, out_dir: &str) -> Result<String, String> {
    let name = match job {
        Job::WordCount => "wordcount",
        Job::Indexer => "indexer",
        other => {
            return Err(format!(
                "only word count and the inverted index can be exported so far, not `{}`",
                other.name()
            ))
        }
    };
    let r = reducers.max(1);
    Ok(TEMPLATE
        .replace("@JOB@", name)
        .replace("@REDUCERS@", &r.to_string())
        .replace("@OUT@", &out_dir.replace('\\', "\\\\").replace('"', "\\\"")))
}

/// How to run the script, and how to bring its event log back.
pub fn readme(job: &Job, reducers: u32) -> String {
    format!(
        "# Run the ScaleLab {} job on Spark\n\n\
         `job.py` is the job you ran in the MapReduce lab ({} reduce partitions), written for \
         PySpark. It writes `OUT/part-00000` … in the same `key<TAB>value` format as `scalelab \
         mapreduce`, so the outputs can be compared line by line.\n\n\
         Locally (needs Java 17 and `pip install pyspark`):\n\n    \
         spark-submit job.py --out out pg-frankenstein.txt pg-dracula.txt\n    \
         # or: python3 job.py --out out pg-frankenstein.txt pg-dracula.txt\n\n\
         On a cluster: `spark-submit --master yarn job.py --out hdfs:///tmp/out FILES...` (the \
         driver collects each partition and writes the parts, so OUT must be a local path of \
         the driver).\n\n\
         Without Spark, the same functions run in plain Python: `python3 job.py --local --out \
         out FILES...`.\n\n\
         Compare: `scalelab mapreduce --job {} --reducers {} --input FILES... --out sim` then \
         `diff -r out sim`.\n\n\
         The script turns on event logging (`spark.eventLog.enabled=true`, written to \
         `./spark-events`). Import the file it writes there on the Tools page (or `scalelab \
         sparklog spark-events/…`) to see the real run's tasks, stages and stragglers.\n",
        job.name(),
        reducers,
        job.name(),
        reducers
    )
}

const TEMPLATE: &str = r#"#!/usr/bin/env python3
"""ScaleLab export: the @JOB@ job with @REDUCERS@ reduce partitions.

Writes OUT/part-00000 ... OUT/part-NNNNN with key<TAB>value lines, exactly as
`scalelab mapreduce --job @JOB@ --reducers @REDUCERS@ --out OUT` does.

    spark-submit job.py --out OUT FILE...     (or python3 job.py ... with pyspark installed)
    python3 job.py --local --out OUT FILE...  (the same functions, no Spark)
"""
import argparse
import os
import unicodedata

JOB = "@JOB@"
REDUCERS = @REDUCERS@


def is_letter(c):
    # Rust's char::is_alphabetic: letters, letter numbers and other alphabetic marks. Python
    # has no Other_Alphabetic property; this approximation agrees on the lab's texts (tested),
    # but some combining vowel signs of Indic scripts are treated differently.
    return c.isalpha() or unicodedata.category(c) == "Nl" or (
        unicodedata.category(c) in ("Mn", "Mc", "So") and "LETTER" in unicodedata.name(c, "")
    )


def words(text):
    """Maximal runs of letters, case kept (the lab's word rule)."""
    out, start = [], None
    for i, c in enumerate(text):
        if is_letter(c):
            if start is None:
                start = i
        elif start is not None:
            out.append(text[start:i])
            start = None
    if start is not None:
        out.append(text[start:])
    return out


def ihash(key):
    """6.824's partitioner: FNV-1a 32-bit of the UTF-8 key, made non-negative."""
    h = 0x811C9DC5
    for b in key.encode("utf-8"):
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h & 0x7FFFFFFF


def partition(key):
    return ihash(key) % REDUCERS


def wordcount_pairs(name, text):
    return [(w, 1) for w in words(text)]


def indexer_pairs(name, text):
    return [(w, name) for w in set(words(text))]


def finish(key, values):
    if JOB == "wordcount":
        return "%s\t%d" % (key, sum(values))
    names = sorted(set(values))
    return "%s\t%d\t%s" % (key, len(names), ",".join(names))


def write_parts(out, parts):
    os.makedirs(out, exist_ok=True)
    for i in range(REDUCERS):
        lines = sorted(parts.get(i, []), key=lambda kv: kv[0].encode("utf-8"))
        with open(os.path.join(out, "part-%05d" % i), "w", encoding="utf-8", newline="\n") as f:
            for _, line in lines:
                f.write(line + "\n")


def read(path):
    with open(path, encoding="utf-8") as f:
        return os.path.basename(path), f.read()


def run_local(files, out):
    pairs = wordcount_pairs if JOB == "wordcount" else indexer_pairs
    groups = {}
    for path in files:
        name, text = read(path)
        for k, v in pairs(name, text):
            groups.setdefault(k, []).append(v)
    parts = {}
    for k, vs in groups.items():
        parts.setdefault(partition(k), []).append((k, finish(k, vs)))
    write_parts(out, parts)


def run_spark(files, out):
    from pyspark.sql import SparkSession

    os.makedirs("spark-events", exist_ok=True)
    spark = (
        SparkSession.builder.appName("scalelab-" + JOB)
        .config("spark.eventLog.enabled", "true")
        .config("spark.eventLog.dir", "file://" + os.path.abspath("spark-events"))
        .getOrCreate()
    )
    sc = spark.sparkContext
    docs = sc.parallelize([read(p) for p in files], max(1, len(files)))
    pairs = wordcount_pairs if JOB == "wordcount" else indexer_pairs
    grouped = docs.flatMap(lambda d: pairs(d[0], d[1])).groupByKey(
        numPartitions=REDUCERS, partitionFunc=ihash
    )
    lines = grouped.mapPartitionsWithIndex(
        lambda i, kvs: [(i, [(k, finish(k, list(vs))) for k, vs in kvs])]
    ).collect()
    parts = {}
    for i, kv in lines:
        parts.setdefault(i, []).extend(kv)
    write_parts(out, parts)
    spark.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default="@OUT@")
    ap.add_argument("--local", action="store_true", help="run without Spark")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    (run_local if a.local else run_spark)(a.files, a.out)


if __name__ == "__main__":
    main()
"#;
