//! The records the drill pipeline carries, the schema the validator enforces, and the transform
//! that turns a valid record into a warehouse row. Both run for real on each record's JSON text.
//!
//! Schema (one JSON object per record):
//!
//! | field | type | rule |
//! |---|---|---|
//! | `id` | integer | required |
//! | `customer_id` | string | required, not empty |
//! | `amount` | number | required, ≥ 0 |
//! | `ts` | string | required, `YYYY-MM-DDTHH:MM:SSZ` |

use serde_json::Value;

/// How a record was damaged on its way in (the bad-batch drill).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Damage {
    /// Not JSON at all (a truncated line).
    Malformed,
    /// `customer_id` is missing.
    MissingField,
    /// `amount` is a string instead of a number.
    WrongType,
}

pub const DAMAGES: [Damage; 3] = [Damage::Malformed, Damage::MissingField, Damage::WrongType];

/// The record's text as the producer sent it.
pub fn record_text(id: u64, damage: Option<Damage>) -> String {
    let customer = format!("c-{:05}", id.wrapping_mul(2_654_435_761) % 50_000);
    let cents = 100 + id.wrapping_mul(7_919) % 99_900;
    let secs = id % 86_400;
    let ts = format!(
        "2026-11-24T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    );
    let amount = format!("{}.{:02}", cents / 100, cents % 100);
    match damage {
        None => {
            format!(r#"{{"id":{id},"customer_id":"{customer}","amount":{amount},"ts":"{ts}"}}"#)
        }
        Some(Damage::MissingField) => format!(r#"{{"id":{id},"amount":{amount},"ts":"{ts}"}}"#),
        Some(Damage::WrongType) => {
            format!(r#"{{"id":{id},"customer_id":"{customer}","amount":"{amount}","ts":"{ts}"}}"#)
        }
        Some(Damage::Malformed) => format!(r#"{{"id":{id},"customer_id":"{customer}","amou"#),
    }
}

/// Why the validator set a record aside.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    NotJson,
    Missing(&'static str),
    WrongType(&'static str),
    OutOfRange(&'static str),
    /// The transform failed on every attempt (a poison record caught by the quarantine).
    TransformFailed,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::NotJson => write!(f, "not valid JSON"),
            Reason::Missing(x) => write!(f, "missing required field `{x}`"),
            Reason::WrongType(x) => write!(f, "field `{x}` has the wrong type"),
            Reason::OutOfRange(x) => write!(f, "field `{x}` is out of range"),
            Reason::TransformFailed => write!(f, "transform failed on every attempt"),
        }
    }
}

fn is_ts(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

/// Checks a record against the schema; the first problem found is the reason.
pub fn validate(text: &str) -> Result<(), Reason> {
    let v: Value = serde_json::from_str(text).map_err(|_| Reason::NotJson)?;
    let o = v.as_object().ok_or(Reason::NotJson)?;
    match o.get("id") {
        None => return Err(Reason::Missing("id")),
        Some(x) if !x.is_u64() => return Err(Reason::WrongType("id")),
        _ => {}
    }
    match o.get("customer_id") {
        None => return Err(Reason::Missing("customer_id")),
        Some(Value::String(s)) if s.is_empty() => return Err(Reason::OutOfRange("customer_id")),
        Some(Value::String(_)) => {}
        Some(_) => return Err(Reason::WrongType("customer_id")),
    }
    match o.get("amount") {
        None => return Err(Reason::Missing("amount")),
        Some(Value::Number(n)) if n.as_f64().is_some_and(|a| a < 0.0) => {
            return Err(Reason::OutOfRange("amount"))
        }
        Some(Value::Number(_)) => {}
        Some(_) => return Err(Reason::WrongType("amount")),
    }
    match o.get("ts") {
        None => return Err(Reason::Missing("ts")),
        Some(Value::String(s)) if is_ts(s) => {}
        Some(_) => return Err(Reason::WrongType("ts")),
    }
    Ok(())
}

/// The warehouse row: (id, customer, amount in cents). Lenient like much real transform code:
/// it accepts an amount sent as a string, which is how a wrong-typed record slips through when
/// nobody validates.
pub fn transform(text: &str) -> Result<(u64, String, i64), String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("parse error: {e}"))?;
    let id = v["id"].as_u64().ok_or("no id")?;
    let customer = v["customer_id"]
        .as_str()
        .ok_or("no customer_id")?
        .to_string();
    let amount = match &v["amount"] {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse::<f64>().ok(),
        _ => None,
    }
    .ok_or("no amount")?;
    Ok((id, customer, (amount * 100.0).round() as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_records_pass_and_each_damage_is_caught_with_its_reason() {
        for id in [0, 1, 99, 123_456] {
            let t = record_text(id, None);
            assert_eq!(validate(&t), Ok(()), "{t}");
            assert_eq!(transform(&t).map(|r| r.0), Ok(id));
        }
        assert_eq!(
            validate(&record_text(5, Some(Damage::Malformed))),
            Err(Reason::NotJson)
        );
        assert_eq!(
            validate(&record_text(5, Some(Damage::MissingField))),
            Err(Reason::Missing("customer_id"))
        );
        assert_eq!(
            validate(&record_text(5, Some(Damage::WrongType))),
            Err(Reason::WrongType("amount"))
        );
        // Without validation: two kinds break the transform, one slips through as a bad row.
        assert!(transform(&record_text(5, Some(Damage::Malformed))).is_err());
        assert!(transform(&record_text(5, Some(Damage::MissingField))).is_err());
        assert!(transform(&record_text(5, Some(Damage::WrongType))).is_ok());
        assert_eq!(validate("[1,2]"), Err(Reason::NotJson));
        assert_eq!(
            validate(r#"{"id":1,"customer_id":"c","amount":-1,"ts":"2026-11-24T00:00:00Z"}"#),
            Err(Reason::OutOfRange("amount"))
        );
        assert_eq!(
            validate(r#"{"id":1,"customer_id":"c","amount":1,"ts":"yesterday"}"#),
            Err(Reason::WrongType("ts"))
        );
    }
}
