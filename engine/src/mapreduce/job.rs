//! The jobs themselves: real map and reduce functions over real text.
//!
//! - word count: a word is a maximal run of Unicode letters (`char::is_alphabetic`), case kept
//!   (the MIT 6.824 rule); value = occurrences.
//! - inverted index: word → number of documents containing it, and their sorted names.
//! - grep: lines containing a literal pattern; key = `name:line`, value = the line.
//! - log analysis: counts by `level:` and `status:` field of the format in
//!   [`super::logs`]; lines that do not parse count as `malformed`.
//!
//! Keys are interned once per world ([`Keys`]) so map output is compact `(key id, value)`
//! records; the partitioner and the output order use the key *text*, never the id, so results
//! do not depend on the order in which keys were first seen.

use crate::sim::fxhash::FxHashMap;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Which job to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Job {
    WordCount,
    Indexer,
    Grep { pattern: String },
    Logs,
}

impl Job {
    pub fn name(&self) -> &'static str {
        match self {
            Job::WordCount => "wordcount",
            Job::Indexer => "indexer",
            Job::Grep { .. } => "grep",
            Job::Logs => "logs",
        }
    }

    /// Whether map-side combining is meaningful (grep keys are unique already).
    pub fn combinable(&self) -> bool {
        !matches!(self, Job::Grep { .. })
    }
}

/// A named input text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub name: String,
    pub text: Arc<str>,
}

impl Input {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        Input {
            name: name.into(),
            text: text.into(),
        }
    }
}

/// 6.824's `ihash`: FNV-1a 32-bit of the key, made non-negative; partition = ihash % R.
pub fn partition_of(key: &str, reducers: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in key.as_bytes() {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    (h & 0x7fff_ffff) % reducers.max(1)
}

/// Iterates the words of `text`: maximal runs of Unicode letters.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        // Skip non-letters.
        loop {
            if i >= bytes.len() {
                return None;
            }
            let b = bytes[i];
            if b < 0x80 {
                if b.is_ascii_alphabetic() {
                    break;
                }
                i += 1;
            } else {
                let c = text[i..].chars().next().expect("char boundary");
                if c.is_alphabetic() {
                    break;
                }
                i += c.len_utf8();
            }
        }
        let start = i;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                if !b.is_ascii_alphabetic() {
                    break;
                }
                i += 1;
            } else {
                let c = text[i..].chars().next().expect("char boundary");
                if !c.is_alphabetic() {
                    break;
                }
                i += c.len_utf8();
            }
        }
        Some(&text[start..i])
    })
}

/// Interned key strings with their partition hash.
#[derive(Clone, Default)]
pub struct Keys {
    ids: FxHashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Keys {
    #[inline]
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(id) = self.ids.get(s) {
            return *id;
        }
        let id = self.names.len() as u32;
        self.names.push(s.into());
        self.ids.insert(s.into(), id);
        id
    }

    #[inline]
    pub fn get(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    pub fn lookup(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// One intermediate record: key id and a value whose meaning depends on the job (a count, a
/// document index, or the id of a grep line).
pub type Record = (u32, u64);

/// What one map attempt produced: per reduce partition, records in key-id order.
#[derive(Clone, Debug, Default)]
pub struct MapOutput {
    pub runs: Vec<Vec<Record>>,
    /// Serialized size per partition (`key\tvalue\n`), what the shuffle moves.
    pub bytes: Vec<u64>,
    /// Input lines read.
    pub records_in: u64,
    /// Pairs the map function emitted (before the combiner).
    pub emitted: u64,
    /// Records after the combiner (what is stored and shuffled).
    pub records_out: u64,
}

fn digits(v: u64) -> u64 {
    v.checked_ilog10().map_or(1, |d| u64::from(d) + 1)
}

/// Runs the map function (and the combiner, if on) over one split.
#[allow(clippy::too_many_arguments)]
pub fn run_map(
    job: &Job,
    doc: u32,
    doc_name: &str,
    text: &str,
    first_line: u64,
    combiner: bool,
    reducers: u32,
    keys: &mut Keys,
) -> MapOutput {
    // key id → (occurrences, value accumulator)
    let mut acc: FxHashMap<u32, (u64, u64)> = FxHashMap::default();
    let mut emitted = 0u64;
    let records_in = text.bytes().filter(|b| *b == b'\n').count() as u64
        + u64::from(!text.is_empty() && !text.ends_with('\n'));
    match job {
        Job::WordCount | Job::Indexer => {
            // Count per distinct word first (one hash probe per word, borrowing the text),
            // then intern only the distinct words.
            let mut local: FxHashMap<&str, u64> = FxHashMap::default();
            for w in words(text) {
                *local.entry(w).or_default() += 1;
                emitted += 1;
            }
            acc.reserve(local.len());
            for (w, n) in local {
                acc.insert(keys.intern(w), (n, u64::from(doc)));
            }
        }
        Job::Grep { pattern } => {
            for (i, line) in text.lines().enumerate() {
                if line.contains(pattern.as_str()) {
                    let key = keys.intern(&format!("{doc_name}:{}", first_line + i as u64));
                    let val = keys.intern(line);
                    acc.insert(key, (1, u64::from(val)));
                    emitted += 1;
                }
            }
        }
        Job::Logs => {
            for line in text.lines() {
                for k in super::logs::fields(line) {
                    let id = keys.intern(&k);
                    acc.entry(id).or_insert((0, 0)).0 += 1;
                    emitted += 1;
                }
            }
        }
    }
    // Records are stored in key-id order: canonical (ids are handed out in a deterministic
    // order) and an integer sort. The sort by key *text* happens in the reducer, which groups
    // a partition's records and writes its keys in byte order.
    let mut ids: Vec<(u32, (u64, u64))> = acc.into_iter().collect();
    ids.sort_unstable_by_key(|x| x.0);
    let r = reducers.max(1) as usize;
    let mut runs: Vec<Vec<Record>> = vec![Vec::new(); r];
    let mut bytes = vec![0u64; r];
    let mut records_out = 0u64;
    for (id, (n, v)) in ids {
        let key = keys.get(id);
        let p = partition_of(key, reducers) as usize;
        let klen = key.len() as u64 + 2;
        match job {
            Job::WordCount | Job::Logs => {
                if combiner {
                    runs[p].push((id, n));
                    bytes[p] += klen + digits(n);
                    records_out += 1;
                } else {
                    // Without a combiner every occurrence travels as its own `(word, 1)`.
                    runs[p].extend(std::iter::repeat_n((id, 1), n as usize));
                    bytes[p] += n * (klen + 1);
                    records_out += n;
                }
            }
            Job::Indexer => {
                let k = if combiner { 1 } else { n };
                runs[p].extend(std::iter::repeat_n((id, v), k as usize));
                bytes[p] += k * (klen + digits(v));
                records_out += k;
            }
            Job::Grep { .. } => {
                runs[p].push((id, v));
                bytes[p] += klen + keys.get(v as u32).len() as u64;
                records_out += 1;
            }
        }
    }
    MapOutput {
        runs,
        bytes,
        records_in,
        emitted,
        records_out,
    }
}

/// The reduce function over all records of one partition: group by key, combine, and return
/// `(key, value)` lines sorted by key.
pub fn run_reduce(
    job: &Job,
    records: impl Iterator<Item = Record>,
    keys: &Keys,
    doc_names: &[String],
) -> Vec<(String, String)> {
    let mut groups: FxHashMap<u32, Vec<u64>> = FxHashMap::default();
    let mut sums: FxHashMap<u32, u64> = FxHashMap::default();
    match job {
        Job::WordCount | Job::Logs => {
            for (k, v) in records {
                *sums.entry(k).or_default() += v;
            }
        }
        Job::Indexer | Job::Grep { .. } => {
            for (k, v) in records {
                groups.entry(k).or_default().push(v);
            }
        }
    }
    let mut out: Vec<(String, String)> = match job {
        Job::WordCount | Job::Logs => sums
            .into_iter()
            .map(|(k, n)| (keys.get(k).to_string(), n.to_string()))
            .collect(),
        Job::Indexer => groups
            .into_iter()
            .map(|(k, docs)| {
                let mut names: Vec<&str> = docs
                    .iter()
                    .map(|d| doc_names[*d as usize].as_str())
                    .collect();
                names.sort_unstable();
                names.dedup();
                (
                    keys.get(k).to_string(),
                    format!("{}\t{}", names.len(), names.join(",")),
                )
            })
            .collect(),
        Job::Grep { .. } => groups
            .into_iter()
            .map(|(k, lines)| {
                (
                    keys.get(k).to_string(),
                    keys.get(lines[0] as u32).to_string(),
                )
            })
            .collect(),
    };
    out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The same job computed directly, with no splits, workers or shuffle: the reference every
/// distributed run must match exactly.
pub fn run_sequential(job: &Job, inputs: &[Input]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    match job {
        Job::WordCount => {
            let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
            for input in inputs {
                for w in words(&input.text) {
                    *counts.entry(w).or_default() += 1;
                }
            }
            for (k, v) in counts {
                out.insert(k.to_string(), v.to_string());
            }
        }
        Job::Indexer => {
            let mut docs: BTreeMap<&str, std::collections::BTreeSet<&str>> = BTreeMap::new();
            for input in inputs {
                for w in words(&input.text) {
                    docs.entry(w).or_default().insert(input.name.as_str());
                }
            }
            for (k, names) in docs {
                let list: Vec<&str> = names.into_iter().collect();
                out.insert(k.to_string(), format!("{}\t{}", list.len(), list.join(",")));
            }
        }
        Job::Grep { pattern } => {
            for input in inputs {
                for (i, line) in input.text.lines().enumerate() {
                    if line.contains(pattern.as_str()) {
                        out.insert(format!("{}:{}", input.name, i + 1), line.to_string());
                    }
                }
            }
        }
        Job::Logs => {
            let mut counts: BTreeMap<String, u64> = BTreeMap::new();
            for input in inputs {
                for line in input.text.lines() {
                    for k in super::logs::fields(line) {
                        *counts.entry(k).or_default() += 1;
                    }
                }
            }
            for (k, v) in counts {
                out.insert(k, v.to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_maximal_letter_runs_with_case_kept() {
        let w: Vec<_> = words("Don't stop—Café au lait, naïve 42x ÆON!").collect();
        assert_eq!(
            w,
            vec!["Don", "t", "stop", "Café", "au", "lait", "naïve", "x", "ÆON"]
        );
        assert_eq!(words("").count(), 0);
        assert_eq!(words("123 ... !!").count(), 0);
    }

    #[test]
    fn partitioner_is_fnv1a_masked() {
        // FNV-1a 32 of "a" is 0xe40c292c; masked and mod 10.
        assert_eq!(partition_of("a", 10), (0xe40c292c_u32 & 0x7fff_ffff) % 10);
        for k in ["", "the", "Café"] {
            assert!(partition_of(k, 7) < 7);
        }
    }

    #[test]
    fn map_and_reduce_match_sequential_for_every_job() {
        let inputs = vec![
            Input::new("a.txt", "the cat\nthe hat sat\n"),
            Input::new("b.txt", "a cat and THE dog\n"),
        ];
        let jobs = [
            Job::WordCount,
            Job::Indexer,
            Job::Grep {
                pattern: "cat".into(),
            },
            Job::Logs,
        ];
        for job in jobs {
            for combiner in [false, true] {
                let mut keys = Keys::default();
                let names: Vec<String> = inputs.iter().map(|i| i.name.clone()).collect();
                let outs: Vec<MapOutput> = inputs
                    .iter()
                    .enumerate()
                    .map(|(d, i)| {
                        run_map(&job, d as u32, &i.name, &i.text, 1, combiner, 3, &mut keys)
                    })
                    .collect();
                let mut all = BTreeMap::new();
                for p in 0..3 {
                    let recs = outs.iter().flat_map(|o| o.runs[p].iter().copied());
                    for (k, v) in run_reduce(&job, recs, &keys, &names) {
                        assert!(all.insert(k, v).is_none(), "a key in two partitions");
                    }
                }
                assert_eq!(
                    all,
                    run_sequential(&job, &inputs),
                    "{job:?} combiner={combiner}"
                );
            }
        }
    }

    #[test]
    fn combiner_shrinks_what_is_shuffled() {
        let text = "to be or not to be ".repeat(100);
        let mut k1 = Keys::default();
        let mut k2 = Keys::default();
        let off = run_map(&Job::WordCount, 0, "x", &text, 1, false, 2, &mut k1);
        let on = run_map(&Job::WordCount, 0, "x", &text, 1, true, 2, &mut k2);
        assert_eq!(off.emitted, on.emitted);
        assert_eq!(on.records_out, 4);
        assert!(on.bytes.iter().sum::<u64>() * 50 < off.bytes.iter().sum::<u64>());
    }
}
