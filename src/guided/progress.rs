//! A learner's progress through the guided experiments, kept in the browser's local storage
//! (nothing leaves the machine unless the learner sends the summary link), and its compact
//! form for that link.
//!
//! The link form is three characters per lab, in curriculum order: each experiment of the lab
//! contributes three bits (seen; no prediction, a wrong one or the right one) to a number
//! written in base 32. A class of thirty can paste thirty such links into a chat, and the
//! teacher pastes the chat on the class page (`class`). Links from before wrong predictions
//! were kept (two characters per lab: seen, right) still read.

use super::questions::{Predict, QUESTIONS};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const KEY: &str = "scalelab.progress.v1";

/// The columns of a progress CSV, a learner's own or a whole class's.
pub const CSV_HEADER: &str = "student,lab,experiment,done,prediction\n";

/// What one experiment has seen from this learner.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The engine showed the experiment happen.
    #[serde(default)]
    pub seen: bool,
    /// The choice the learner predicted, if they did.
    #[serde(default)]
    pub predicted: Option<usize>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    #[serde(default)]
    pub name: String,
    /// `lab/id` → entry.
    #[serde(default)]
    pub entries: BTreeMap<String, Entry>,
}

fn key(lab: &str, id: &str) -> String {
    format!("{lab}/{id}")
}

fn storage() -> Option<web_sys::Storage> {
    gloo::utils::window().local_storage().ok().flatten()
}

impl Progress {
    /// The stored progress; anything unreadable (another version, a hand edit) starts afresh
    /// rather than breaking the page.
    pub fn load() -> Progress {
        storage()
            .and_then(|s| s.get_item(KEY).ok().flatten())
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    pub fn save(&self) {
        if let (Some(s), Ok(t)) = (storage(), serde_json::to_string(self)) {
            // A full or disabled storage only means progress is not remembered.
            let _ = s.set_item(KEY, &t);
        }
    }

    pub fn clear() {
        if let Some(s) = storage() {
            let _ = s.remove_item(KEY);
        }
    }

    pub fn entry(&self, lab: &str, id: &str) -> Entry {
        self.entries.get(&key(lab, id)).cloned().unwrap_or_default()
    }

    /// Records that the engine showed it; returns true if that is news.
    pub fn mark_seen(&mut self, lab: &str, id: &str) -> bool {
        let e = self.entries.entry(key(lab, id)).or_default();
        !std::mem::replace(&mut e.seen, true)
    }

    pub fn predict(&mut self, lab: &str, id: &str, choice: usize) {
        self.entries.entry(key(lab, id)).or_default().predicted = Some(choice);
    }

    /// This learner's rows for the progress CSV (see [`CSV_HEADER`]): one per experiment.
    pub fn csv_rows(&self, student: &str, out: &mut String) {
        for q in QUESTIONS {
            let e = self.entry(q.lab, q.id);
            let pred = match e.predicted {
                Some(c) if c == q.answer => "right",
                Some(_) => "wrong",
                None => "none",
            };
            out.push_str(&format!(
                "\"{}\",{},\"{}\",{},{}\n",
                student.replace('"', "'"),
                q.lab,
                q.title.replace('"', "'"),
                e.seen,
                pred
            ));
        }
    }

    /// One question's three bits: seen, then its prediction (0 none, 1 wrong, 2 right).
    fn bits(&self, q: &Predict) -> u32 {
        let e = self.entry(q.lab, q.id);
        let predicted = match e.predicted {
            None => 0,
            Some(c) if c == q.answer => 2,
            Some(_) => 1,
        };
        u32::from(e.seen) | predicted << 1
    }

    /// The compact form for a summary link: `<lab slug>` order from `labs`, three base-32
    /// digits per lab (up to five experiments each).
    pub fn encode(&self, labs: &[&str]) -> String {
        let mut out = String::new();
        for lab in labs {
            let mut v = 0u32;
            for (i, q) in lab_questions(lab).enumerate() {
                v |= self.bits(q) << (3 * i);
            }
            for shift in [10, 5, 0] {
                out.push(DIGITS[(v >> shift) as usize & 31] as char);
            }
        }
        out
    }

    /// Reads a summary link's `p` value back (three characters per lab, or the older two); the
    /// message names what is wrong.
    pub fn decode(code: &str, labs: &[&str]) -> Result<Progress, String> {
        let per_lab = match code.len() {
            n if n == labs.len() * 3 => 3,
            n if n == labs.len() * 2 => 2,
            n => {
                return Err(format!(
                    "p: expected {} characters (three per lab), got {n}",
                    labs.len() * 3
                ))
            }
        };
        let digit = |c: u8| {
            DIGITS
                .iter()
                .position(|d| *d == c.to_ascii_lowercase())
                .map(|d| d as u32)
                .ok_or_else(|| format!("p: `{}` is not one of 0-9 a-v", c as char))
        };
        let b = code.as_bytes();
        let mut p = Progress::default();
        for (k, lab) in labs.iter().enumerate() {
            let mut v = 0u32;
            for c in &b[per_lab * k..per_lab * (k + 1)] {
                v = v << 5 | digit(*c)?;
            }
            for (i, q) in lab_questions(lab).enumerate() {
                let e = p.entries.entry(key(q.lab, q.id)).or_default();
                let (seen, predicted) = if per_lab == 3 {
                    (v >> (3 * i) & 1, v >> (3 * i + 1) & 3)
                } else {
                    // Old links: bit 2i seen, bit 2i+1 right; a wrong prediction was not kept.
                    (v >> (2 * i) & 1, (v >> (2 * i + 1) & 1) * 2)
                };
                e.seen = seen == 1;
                e.predicted = match predicted {
                    2 => Some(q.answer),
                    // The link keeps that it was wrong, not which choice: any wrong one will do.
                    1 => Some((q.answer + 1) % q.choices.len().max(1)),
                    _ => None,
                };
            }
        }
        Ok(p)
    }
}

/// A lab's questions in curriculum order; the link has room for five.
fn lab_questions<'a>(lab: &'a str) -> impl Iterator<Item = &'static Predict> + 'a {
    QUESTIONS.iter().filter(move |q| q.lab == lab).take(5)
}

const DIGITS: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";

#[cfg(test)]
mod tests {
    use super::*;

    use crate::guided::page::labs;

    #[test]
    fn a_summary_link_keeps_seen_right_and_wrong() {
        let labs = labs();
        let mut p = Progress::default();
        for (i, q) in QUESTIONS.iter().enumerate() {
            match i % 4 {
                0 => p.predict(q.lab, q.id, q.answer),
                1 => p.predict(q.lab, q.id, (q.answer + 1) % q.choices.len()),
                2 => {
                    p.mark_seen(q.lab, q.id);
                }
                _ => {}
            }
            if i % 3 == 0 {
                p.mark_seen(q.lab, q.id);
            }
        }
        let code = p.encode(&labs);
        assert_eq!(code.len(), 3 * labs.len());
        let back = Progress::decode(&code, &labs).unwrap();
        for q in QUESTIONS.iter() {
            let (a, b) = (p.entry(q.lab, q.id), back.entry(q.lab, q.id));
            assert_eq!(a.seen, b.seen, "{}/{} seen", q.lab, q.id);
            let verdict = |e: &Entry| e.predicted.map(|c| c == q.answer);
            assert_eq!(verdict(&a), verdict(&b), "{}/{} prediction", q.lab, q.id);
        }
    }

    #[test]
    fn old_two_character_links_still_read_and_bad_ones_say_why() {
        let labs = labs();
        let q = QUESTIONS[0];
        // Old form: first lab's first question seen (bit 0) and right (bit 1) = 3.
        let code = format!("03{}", "00".repeat(labs.len() - 1));
        let p = Progress::decode(&code, &labs).unwrap();
        let e = p.entry(q.lab, q.id);
        assert!(e.seen);
        assert_eq!(e.predicted, Some(q.answer));
        let err = Progress::decode("zz!", &labs).unwrap_err();
        assert!(err.starts_with("p: expected"), "{err}");
        let err = Progress::decode(&"!".repeat(labs.len() * 3), &labs).unwrap_err();
        assert!(err.contains("not one of"), "{err}");
    }
}
