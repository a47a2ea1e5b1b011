//! Partitioners: which partition a record's key lands in. Byte-exact with the systems learners
//! will meet, so a key placed here lands in the same partition on a real cluster:
//! Kafka's default partitioner (murmur2 of the key bytes) and Spark's `HashPartitioner`
//! (Java `String.hashCode`, non-negative modulo), plus round-robin and a range partitioner.

/// Kafka's murmur2 (`org.apache.kafka.common.utils.Utils.murmur2`), as a signed 32-bit value
/// like the Java client returns.
pub fn murmur2(data: &[u8]) -> i32 {
    const SEED: u32 = 0x9747_b28c;
    const M: u32 = 0x5bd1_e995;
    const R: u32 = 24;
    let len = data.len();
    let mut h: u32 = SEED ^ (len as u32);
    let mut chunks = data.chunks_exact(4);
    for c in &mut chunks {
        let mut k = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }
    let rest = chunks.remainder();
    // Java's switch falls through from case 3 to case 1.
    if rest.len() >= 3 {
        h ^= u32::from(rest[2]) << 16;
    }
    if rest.len() >= 2 {
        h ^= u32::from(rest[1]) << 8;
    }
    if !rest.is_empty() {
        h ^= u32::from(rest[0]);
        h = h.wrapping_mul(M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h as i32
}

/// Kafka's `Utils.toPositive`: clears the sign bit (not `abs`, which overflows on `i32::MIN`).
pub fn to_positive(n: i32) -> u32 {
    (n & 0x7fff_ffff) as u32
}

/// The partition Kafka's default partitioner picks for a keyed record.
pub fn kafka_partition(key: &[u8], partitions: u32) -> u32 {
    to_positive(murmur2(key)) % partitions.max(1)
}

/// Java's `String.hashCode` over UTF-16 code units (what Spark hashes for a `String` key).
pub fn java_string_hash(s: &str) -> i32 {
    s.encode_utf16()
        .fold(0i32, |h, u| h.wrapping_mul(31).wrapping_add(i32::from(u)))
}

/// Spark's `HashPartitioner.getPartition` for a string key: `nonNegativeMod(hashCode, n)`.
pub fn spark_partition(key: &str, partitions: u32) -> u32 {
    let n = partitions.max(1) as i64;
    let raw = i64::from(java_string_hash(key)) % n;
    (if raw < 0 { raw + n } else { raw }) as u32
}

/// The partitioners `scalelab partition` offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Partitioner {
    Kafka,
    SparkHash,
    RoundRobin,
    Range,
}

pub const PARTITIONERS: [(&str, Partitioner); 4] = [
    ("kafka", Partitioner::Kafka),
    ("spark-hash", Partitioner::SparkHash),
    ("round-robin", Partitioner::RoundRobin),
    ("range", Partitioner::Range),
];

impl Partitioner {
    pub fn parse(name: &str) -> Option<Partitioner> {
        PARTITIONERS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, p)| *p)
    }
}

/// Assigns every key a partition, in input order.
///
/// Round-robin ignores the key and deals records out 0, 1, 2, … like Kafka's
/// `RoundRobinPartitioner`. Range sorts the distinct keys and cuts them into `partitions`
/// contiguous runs of (nearly) equal size, as Spark's `RangePartitioner` does from a sample; here
/// the sample is every key, so the split is exact. Keys compare by their UTF-8 bytes.
pub fn assign(partitioner: Partitioner, keys: &[&str], partitions: u32) -> Vec<u32> {
    let n = partitions.max(1);
    match partitioner {
        Partitioner::Kafka => keys
            .iter()
            .map(|k| kafka_partition(k.as_bytes(), n))
            .collect(),
        Partitioner::SparkHash => keys.iter().map(|k| spark_partition(k, n)).collect(),
        Partitioner::RoundRobin => (0..keys.len())
            .map(|i| (i as u64 % u64::from(n)) as u32)
            .collect(),
        Partitioner::Range => {
            let bounds = range_bounds(keys, n);
            keys.iter()
                .map(|k| bounds.partition_point(|b| b.as_str() < *k) as u32)
                .collect()
        }
    }
}

/// Upper bounds (inclusive) of the first `n - 1` ranges over the distinct keys.
fn range_bounds(keys: &[&str], n: u32) -> Vec<String> {
    let mut distinct: Vec<&str> = keys.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    let d = distinct.len();
    let n = n as usize;
    if d == 0 {
        return Vec::new();
    }
    (1..n.min(d))
        .map(|i| distinct[(i * d).div_ceil(n) - 1].to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Apache Kafka's `UtilsTest.testMurmur2` vectors, plus the empty key.
    #[test]
    fn murmur2_matches_kafka() {
        let cases: [(&[u8], i32); 7] = [
            (b"21", -973_932_308),
            (b"foobar", -790_332_482),
            (b"a-little-bit-long-string", -985_981_536),
            (b"a-little-bit-longer-string", -1_486_304_829),
            (
                b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8",
                -58_897_971,
            ),
            (b"abc", 479_470_107),
            (b"", 275_646_681),
        ];
        for (key, want) in cases {
            assert_eq!(murmur2(key), want, "{}", String::from_utf8_lossy(key));
        }
        assert_eq!(kafka_partition(b"foobar", 50), 16);
    }

    #[test]
    fn java_hash_code_and_spark_partition() {
        assert_eq!(java_string_hash(""), 0);
        assert_eq!(java_string_hash("a"), 97);
        assert_eq!(java_string_hash("hello"), 99_162_322);
        // Overflows like Java's int arithmetic.
        assert_eq!(java_string_hash("polygenelubricants"), i32::MIN);
        // Non-BMP characters hash as two UTF-16 surrogates.
        assert_eq!(java_string_hash("😀"), 0xD83D * 31 + 0xDE00);
        // A negative hash still lands in [0, n).
        assert_eq!(spark_partition("polygenelubricants", 7), {
            let r = (i32::MIN as i64) % 7;
            (r + 7) as u32
        });
        assert_eq!(spark_partition("hello", 10), 2);
    }

    #[test]
    fn round_robin_and_range() {
        let keys = ["d", "a", "c", "b", "a", "e"];
        assert_eq!(
            assign(Partitioner::RoundRobin, &keys, 4),
            vec![0, 1, 2, 3, 0, 1]
        );
        // Distinct a..e over 2 partitions: a, b, c | d, e.
        assert_eq!(assign(Partitioner::Range, &keys, 2), vec![1, 0, 0, 0, 0, 1]);
        // More partitions than keys: each key its own partition.
        assert_eq!(assign(Partitioner::Range, &["b", "a"], 8), vec![1, 0]);
        let p = assign(Partitioner::Kafka, &keys, 3);
        assert!(p.iter().all(|&x| x < 3));
        assert_eq!(
            p[1], p[4],
            "the same key always lands in the same partition"
        );
    }
}
