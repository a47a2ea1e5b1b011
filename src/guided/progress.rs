//! A learner's progress through the guided experiments, kept in the browser's local storage
//! (nothing leaves the machine unless the learner sends the summary link), and its compact
//! form for that link.
//!
//! The link form is two characters per lab, in curriculum order: each experiment of the lab
//! contributes two bits (seen, predicted right) to a number written in base 32. A class of
//! thirty can paste thirty such links into a chat and the teacher opens each one.

use super::questions::{Predict, QUESTIONS};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const KEY: &str = "scalelab.progress.v1";

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

    /// (seen, predicted right) for one question.
    fn bits(&self, q: &Predict) -> (bool, bool) {
        let e = self.entry(q.lab, q.id);
        (e.seen, e.predicted == Some(q.answer))
    }

    /// The compact form for a summary link: `<lab slug>` order from `labs`, two base-32 digits
    /// per lab (up to five experiments each).
    pub fn encode(&self, labs: &[&str]) -> String {
        let mut out = String::new();
        for lab in labs {
            let mut v = 0u32;
            for (i, q) in QUESTIONS
                .iter()
                .filter(|q| q.lab == *lab)
                .take(5)
                .enumerate()
            {
                let (seen, right) = self.bits(q);
                v |= (seen as u32) << (2 * i);
                v |= (right as u32) << (2 * i + 1);
            }
            out.push(DIGITS[(v >> 5) as usize & 31] as char);
            out.push(DIGITS[v as usize & 31] as char);
        }
        out
    }

    /// Reads a summary link's `p` value back; the message names what is wrong.
    pub fn decode(code: &str, labs: &[&str]) -> Result<Progress, String> {
        if code.len() != labs.len() * 2 {
            return Err(format!(
                "p: expected {} characters (two per lab), got {}",
                labs.len() * 2,
                code.len()
            ));
        }
        let digit = |c: u8| {
            DIGITS
                .iter()
                .position(|d| *d == c.to_ascii_lowercase())
                .ok_or_else(|| format!("p: `{}` is not one of 0-9 a-v", c as char))
        };
        let mut p = Progress::default();
        for (k, lab) in labs.iter().enumerate() {
            let b = code.as_bytes();
            let v = (digit(b[2 * k])? << 5) | digit(b[2 * k + 1])?;
            for (i, q) in QUESTIONS
                .iter()
                .filter(|q| q.lab == *lab)
                .take(5)
                .enumerate()
            {
                let e = p.entries.entry(key(q.lab, q.id)).or_default();
                e.seen = v >> (2 * i) & 1 == 1;
                if v >> (2 * i + 1) & 1 == 1 {
                    e.predicted = Some(q.answer);
                }
            }
        }
        Ok(p)
    }
}

const DIGITS: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";
