//! Scenario parameters as `key=value&key=value` text: the part of a share link after `?`, and
//! what `scalelab run --link` reads. Parsing never panics; every problem becomes a
//! [`FieldError`] naming the key and the allowed range, and the field keeps its default.

use crate::sim::fault::FaultPlan;
use crate::sim::FieldError;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fmt::Display;
use std::str::FromStr;

/// Link keys that set how the page shows a run, not the run: the page reads them, the CLI and
/// the scenario parsers ignore them.
pub const VIEW_KEYS: [&str; 3] = ["presenter", "speed", "view"];

/// Ordered key/value pairs (order kept so an encoded link is stable).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    pub fn new() -> Self {
        Params::default()
    }

    /// Parses `a=1&b=x%20y`. A key without `=` gets an empty value; `+` means a space.
    pub fn parse(query: &str) -> Params {
        let query = query.strip_prefix('?').unwrap_or(query);
        let pairs = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (decode(k), decode(v)),
                None => (decode(p), String::new()),
            })
            .collect();
        Params { pairs }
    }

    /// Sets (or replaces) a key.
    pub fn set(&mut self, key: &str, value: impl Display) {
        let value = value.to_string();
        match self.pairs.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => self.pairs.push((key.to_string(), value)),
        }
    }

    pub fn with(mut self, key: &str, value: impl Display) -> Self {
        self.set(key, value);
        self
    }

    /// The last value given for `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Removes every value of `key`, returning the last one.
    pub fn remove(&mut self, key: &str) -> Option<String> {
        let last = self.get(key).map(str::to_string);
        self.pairs.retain(|(k, _)| k != key);
        last
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.pairs.iter().map(|(k, _)| k.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Only what differs from `defaults` (plus the `keep` keys): the compact form of a share
    /// link, since a missing key reads back as its default. A key the defaults have but this
    /// set lacks (an empty fault plan, say) is written empty, so it does not read back as the
    /// default's value.
    pub fn minus(&self, defaults: &Params, keep: &[&str]) -> Params {
        let mut out = Params::new();
        for (k, v) in &self.pairs {
            if keep.contains(&k.as_str()) || defaults.get(k) != Some(v.as_str()) {
                out.pairs.push((k.clone(), v.clone()));
            }
        }
        for (k, _) in &defaults.pairs {
            if self.get(k).is_none() {
                out.pairs.push((k.clone(), String::new()));
            }
        }
        out
    }

    /// `a=1&b=x%20y`.
    pub fn encode(&self) -> String {
        self.pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'~'
            | b':'
            | b'@'
            | b'*'
            | b','
            | b'>' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Reads typed fields out of [`Params`], collecting errors instead of failing, and remembers
/// which keys were used so unknown ones can be reported too.
pub struct ParamReader<'a> {
    params: &'a Params,
    used: RefCell<BTreeSet<String>>,
    errors: RefCell<Vec<FieldError>>,
}

impl<'a> ParamReader<'a> {
    pub fn new(params: &'a Params) -> Self {
        ParamReader {
            params,
            used: RefCell::default(),
            errors: RefCell::default(),
        }
    }

    fn raw(&self, key: &str) -> Option<&'a str> {
        self.used.borrow_mut().insert(key.to_string());
        self.params.get(key)
    }

    /// A free-text value (marked as read), for fields the caller validates itself.
    pub fn text(&self, key: &str) -> Option<&'a str> {
        self.raw(key)
    }

    pub fn error(&self, e: FieldError) {
        self.errors.borrow_mut().push(e);
    }

    /// A number in `[min, max]`; anything else keeps `default` and records an error.
    pub fn num<T>(&self, key: &str, default: T, min: T, max: T) -> T
    where
        T: FromStr + PartialOrd + Display + Copy,
    {
        let Some(v) = self.raw(key) else {
            return default;
        };
        match v.trim().parse::<T>() {
            Ok(x) if x >= min && x <= max => x,
            _ => {
                self.error(FieldError::range(key, min, max, format!("`{v}`")));
                default
            }
        }
    }

    /// A float in `[min, max]` that must be finite.
    pub fn float(&self, key: &str, default: f64, min: f64, max: f64) -> f64 {
        let Some(v) = self.raw(key) else {
            return default;
        };
        match v.trim().parse::<f64>() {
            Ok(x) if x.is_finite() && x >= min && x <= max => x,
            _ => {
                self.error(FieldError::range(key, min, max, format!("`{v}`")));
                default
            }
        }
    }

    /// `1/0/true/false/on/off`.
    pub fn flag(&self, key: &str, default: bool) -> bool {
        match self.raw(key).map(str::trim) {
            None => default,
            Some("1" | "true" | "on" | "yes" | "") => true,
            Some("0" | "false" | "off" | "no") => false,
            Some(v) => {
                self.error(FieldError::new(key, format!("must be 1 or 0 (got `{v}`)")));
                default
            }
        }
    }

    /// One of a fixed set of names.
    pub fn choice<T: Copy>(&self, key: &str, default: T, options: &[(&str, T)]) -> T {
        let Some(v) = self.raw(key) else {
            return default;
        };
        match options.iter().find(|(name, _)| *name == v.trim()) {
            Some((_, x)) => *x,
            None => {
                let names: Vec<_> = options.iter().map(|(n, _)| *n).collect();
                self.error(FieldError::new(
                    key,
                    format!("must be one of {} (got `{v}`)", names.join(", ")),
                ));
                default
            }
        }
    }

    /// A fault plan in its text form.
    pub fn faults(&self, key: &str) -> FaultPlan {
        match self.raw(key) {
            None => FaultPlan::default(),
            Some(v) => FaultPlan::parse(key, v).unwrap_or_else(|e| {
                self.error(e);
                FaultPlan::default()
            }),
        }
    }

    /// Finishes reading: reports keys nobody asked for, returns all errors.
    pub fn finish(self) -> Vec<FieldError> {
        let used = self.used.into_inner();
        let mut errors = self.errors.into_inner();
        for k in self.params.keys() {
            if !used.contains(k) {
                errors.push(FieldError::new(k, "is not a setting of this lab (ignored)"));
            }
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_encode_round_trip() {
        let p = Params::parse("?seed=42&name=a%20b&flag&f=crash:server@10s%2B5s");
        assert_eq!(p.get("seed"), Some("42"));
        assert_eq!(p.get("name"), Some("a b"));
        assert_eq!(p.get("flag"), Some(""));
        assert_eq!(p.get("f"), Some("crash:server@10s+5s"));
        let again = Params::parse(&p.encode());
        assert_eq!(p, again);
    }

    #[test]
    fn reader_falls_back_and_names_fields() {
        let p = Params::parse("seed=abc&rate=1e9&mode=fast&ok=3&extra=1&b=maybe&tail=%");
        let r = ParamReader::new(&p);
        assert_eq!(r.num::<u64>("seed", 7, 0, u64::MAX), 7);
        assert_eq!(r.float("rate", 5.0, 0.1, 1000.0), 5.0);
        assert_eq!(r.choice("mode", 1, &[("log", 1), ("queue", 2)]), 1);
        assert_eq!(r.num::<u32>("ok", 1, 1, 10), 3);
        assert!(r.flag("b", true));
        assert_eq!(r.raw("tail"), Some("%"));
        let errs = r.finish();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["seed", "rate", "mode", "b", "extra"]);
        assert!(
            errs[1].message.contains("between 0.1 and 1000"),
            "{}",
            errs[1]
        );
    }

    #[test]
    fn decode_never_panics_on_truncated_escapes() {
        for s in ["%", "%4", "%zz", "a=%E2%82", "%%%", "=", "&&&"] {
            let _ = Params::parse(s);
        }
    }
}
