//! The fault plan every machine shares: faults at fixed virtual times (so a drill replays
//! exactly) plus the same faults injected live from the UI as commands.
//!
//! Each fault has a compact text form used on the command line and in share links:
//!
//! ```text
//! KIND[:TARGET][*FACTOR | =PROBABILITY]@AT[+DURATION]
//! crash:worker-2@5s          crash a node at 5 s (until a restart)
//! crash:server@10s+20s       crash at 10 s, restart 20 s later
//! restart:worker-2@30s
//! slow:worker-1*4@0s         worker-1 runs 4× slower from the start
//! cut:coordinator>worker-3@2s+5s   the link is down for 5 s
//! drop=0.1@0s+60s            drop 10% of messages for a minute
//! corrupt=0.05@0s            corrupt 5% of records
//! poison=0.01@30s+10s        1% of records make the transform fail every time
//! spike*5@20s+10s            five times the load for 10 s
//! ```
//! Times accept `us`, `ms`, `s` (the default) and `min`.

use crate::sim::{FieldError, SimTime, TraceHash, Traceable};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    Crash {
        target: String,
    },
    Restart {
        target: String,
    },
    Slow {
        target: String,
        factor: f64,
    },
    CutLink {
        from: String,
        to: String,
    },
    Drop {
        p: f64,
    },
    Corrupt {
        p: f64,
    },
    /// Records that fail processing on every attempt (a poison message).
    Poison {
        p: f64,
    },
    LoadSpike {
        factor: f64,
    },
}

/// One fault at a virtual time; with a duration it is undone afterwards (a crash restarts, a
/// slow node recovers, a cut link heals, a spike ends, drop/corrupt go back to zero).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fault {
    pub at: SimTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<SimTime>,
    #[serde(flatten)]
    pub kind: FaultKind,
}

/// Whether a fault event starts a fault or undoes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Phase {
    Begin,
    End,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FaultPlan {
    pub faults: Vec<Fault>,
}

impl FaultKind {
    fn tag(&self) -> u64 {
        match self {
            FaultKind::Crash { .. } => 1,
            FaultKind::Restart { .. } => 2,
            FaultKind::Slow { .. } => 3,
            FaultKind::CutLink { .. } => 4,
            FaultKind::Drop { .. } => 5,
            FaultKind::Corrupt { .. } => 6,
            FaultKind::LoadSpike { .. } => 7,
            FaultKind::Poison { .. } => 8,
        }
    }

    /// The node a fault is aimed at, if any.
    pub fn target(&self) -> Option<&str> {
        match self {
            FaultKind::Crash { target }
            | FaultKind::Restart { target }
            | FaultKind::Slow { target, .. } => Some(target),
            FaultKind::CutLink { to, .. } => Some(to),
            _ => None,
        }
    }
}

impl Traceable for FaultKind {
    fn trace(&self, h: &mut TraceHash) {
        h.word(self.tag());
        match self {
            FaultKind::Crash { target } | FaultKind::Restart { target } => {
                h.bytes(target.as_bytes())
            }
            FaultKind::Slow { target, factor } => {
                h.bytes(target.as_bytes());
                h.word(factor.to_bits());
            }
            FaultKind::CutLink { from, to } => {
                h.bytes(from.as_bytes());
                h.bytes(to.as_bytes());
            }
            FaultKind::Drop { p } | FaultKind::Corrupt { p } | FaultKind::Poison { p } => {
                h.word(p.to_bits())
            }
            FaultKind::LoadSpike { factor } => h.word(factor.to_bits()),
        }
    }
}

impl FaultPlan {
    pub fn new(faults: Vec<Fault>) -> Self {
        FaultPlan { faults }
    }

    pub fn is_empty(&self) -> bool {
        self.faults.is_empty()
    }

    /// Parses a comma-separated list of faults in the text form. `field` names where the text
    /// came from, for the error message.
    pub fn parse(field: &str, text: &str) -> Result<FaultPlan, FieldError> {
        let mut faults = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            faults.push(
                part.parse::<Fault>()
                    .map_err(|msg| FieldError::new(field, format!("`{part}`: {msg}")))?,
            );
        }
        Ok(FaultPlan { faults })
    }

    /// Begin and end events in time order (ties keep plan order), for a model to schedule.
    pub fn timeline(&self) -> Vec<(SimTime, Phase, FaultKind)> {
        let mut out = Vec::new();
        for f in &self.faults {
            out.push((f.at, Phase::Begin, f.kind.clone()));
            if let Some(d) = f.duration {
                out.push((f.at + d, Phase::End, f.kind.clone()));
            }
        }
        out.sort_by_key(|(t, _, _)| *t);
        out
    }

    /// Checks targets against the nodes a machine has and values against their ranges.
    pub fn validate(&self, field: &str, nodes: &[String]) -> Vec<FieldError> {
        let mut errs = Vec::new();
        for f in &self.faults {
            if let Some(t) = f.kind.target() {
                if !nodes.iter().any(|n| n == t) {
                    let list = if nodes.len() > 6 {
                        format!("{} … {}", nodes[0], nodes[nodes.len() - 1])
                    } else {
                        nodes.join(", ")
                    };
                    errs.push(FieldError::new(
                        field,
                        format!("unknown node `{t}` in `{f}` (nodes: {list})"),
                    ));
                }
            }
            match &f.kind {
                FaultKind::Slow { factor, .. } | FaultKind::LoadSpike { factor }
                    if !(1.0..=1000.0).contains(factor) =>
                {
                    errs.push(FieldError::new(
                        field,
                        format!("factor in `{f}` must be between 1 and 1000"),
                    ));
                }
                FaultKind::Drop { p } | FaultKind::Corrupt { p } | FaultKind::Poison { p }
                    if !(0.0..=1.0).contains(p) =>
                {
                    errs.push(FieldError::new(
                        field,
                        format!("probability in `{f}` must be between 0 and 1"),
                    ));
                }
                _ => {}
            }
        }
        errs
    }
}

impl fmt::Display for FaultPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, fault) in self.faults.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{fault}")?;
        }
        Ok(())
    }
}

/// Formats a time in the shortest exact unit of the text form.
pub fn format_time(t: SimTime) -> String {
    let us = t.as_micros();
    if us.is_multiple_of(1_000_000) {
        format!("{}s", us / 1_000_000)
    } else if us.is_multiple_of(1_000) {
        format!("{}ms", us / 1_000)
    } else {
        format!("{us}us")
    }
}

/// Parses `12`, `1.5s`, `250ms`, `40us`, `2min` (seconds by default).
pub fn parse_time(s: &str) -> Result<SimTime, String> {
    let s = s.trim();
    let (num, scale) = if let Some(n) = s.strip_suffix("us") {
        (n, 1e-6)
    } else if let Some(n) = s.strip_suffix("ms") {
        (n, 1e-3)
    } else if let Some(n) = s.strip_suffix("min") {
        (n, 60.0)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1.0)
    } else {
        (s, 1.0)
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a time (try 5s, 250ms or 2min)"))?;
    if !v.is_finite() || v < 0.0 || v * scale > 1e9 {
        return Err(format!(
            "time `{s}` must be between 0 and 1000000000 seconds"
        ));
    }
    Ok(SimTime::from_secs_f64(v * scale))
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            FaultKind::Crash { target } => write!(f, "crash:{target}")?,
            FaultKind::Restart { target } => write!(f, "restart:{target}")?,
            FaultKind::Slow { target, factor } => write!(f, "slow:{target}*{factor}")?,
            FaultKind::CutLink { from, to } => write!(f, "cut:{from}>{to}")?,
            FaultKind::Drop { p } => write!(f, "drop={p}")?,
            FaultKind::Corrupt { p } => write!(f, "corrupt={p}")?,
            FaultKind::Poison { p } => write!(f, "poison={p}")?,
            FaultKind::LoadSpike { factor } => write!(f, "spike*{factor}")?,
        }
        write!(f, "@{}", format_time(self.at))?;
        if let Some(d) = self.duration {
            write!(f, "+{}", format_time(d))?;
        }
        Ok(())
    }
}

impl std::str::FromStr for Fault {
    type Err = String;

    fn from_str(s: &str) -> Result<Fault, String> {
        let (head, when) = s
            .split_once('@')
            .ok_or("missing `@TIME` (e.g. crash:worker-1@5s)")?;
        let (at, duration) = match when.split_once('+') {
            Some((a, d)) => (parse_time(a)?, Some(parse_time(d)?)),
            None => (parse_time(when)?, None),
        };
        let num = |v: &str, what: &str| -> Result<f64, String> {
            v.trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| format!("`{v}` is not a {what}"))
        };
        let target = |rest: Option<&str>| -> Result<String, String> {
            let t = rest.unwrap_or("").trim();
            if t.is_empty() {
                Err("needs a target node, e.g. `crash:worker-1@5s`".into())
            } else {
                Ok(t.to_string())
            }
        };
        let kind = if let Some(rest) = head.strip_prefix("crash") {
            FaultKind::Crash {
                target: target(rest.strip_prefix(':'))?,
            }
        } else if let Some(rest) = head.strip_prefix("restart") {
            FaultKind::Restart {
                target: target(rest.strip_prefix(':'))?,
            }
        } else if let Some(rest) = head.strip_prefix("slow") {
            let rest = rest.strip_prefix(':').ok_or("write slow:NODE*FACTOR")?;
            let (t, k) = rest.split_once('*').ok_or("write slow:NODE*FACTOR")?;
            FaultKind::Slow {
                target: target(Some(t))?,
                factor: num(k, "factor")?,
            }
        } else if let Some(rest) = head.strip_prefix("cut") {
            let rest = rest.strip_prefix(':').ok_or("write cut:FROM>TO")?;
            let (a, b) = rest.split_once('>').ok_or("write cut:FROM>TO")?;
            FaultKind::CutLink {
                from: target(Some(a))?,
                to: target(Some(b))?,
            }
        } else if let Some(rest) = head.strip_prefix("drop=") {
            FaultKind::Drop {
                p: num(rest, "probability")?,
            }
        } else if let Some(rest) = head.strip_prefix("corrupt=") {
            FaultKind::Corrupt {
                p: num(rest, "probability")?,
            }
        } else if let Some(rest) = head.strip_prefix("poison=") {
            FaultKind::Poison {
                p: num(rest, "probability")?,
            }
        } else if let Some(rest) = head.strip_prefix("spike*") {
            FaultKind::LoadSpike {
                factor: num(rest, "factor")?,
            }
        } else {
            return Err(format!(
                "unknown fault `{head}` (crash, restart, slow, cut, drop, corrupt, poison, spike)"
            ));
        };
        Ok(Fault { at, duration, kind })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_form_round_trips() {
        let text = "crash:worker-2@5s,crash:server@10s+20s,slow:w1*4@0s,cut:a>b@2s+500ms,drop=0.1@0s+1min,corrupt=0.05@3s,poison=0.01@4s+2s,spike*5@20s+10s,restart:worker-2@30s";
        let plan = FaultPlan::parse("faults", text).unwrap();
        assert_eq!(plan.faults.len(), 9);
        assert_eq!(plan.faults[1].duration, Some(SimTime::from_secs(20)));
        let again = FaultPlan::parse("faults", &plan.to_string()).unwrap();
        assert_eq!(plan, again);
        let json = serde_json_roundtrip(&plan);
        assert_eq!(plan, json);
    }

    fn serde_json_roundtrip(p: &FaultPlan) -> FaultPlan {
        serde_json::from_str(&serde_json::to_string(p).unwrap()).unwrap()
    }

    #[test]
    fn bad_text_names_the_field() {
        for bad in [
            "crash@5s",
            "explode:x@1s",
            "slow:w1@1s",
            "crash:w@soon",
            "drop=x@1s",
            "crash:w",
        ] {
            let e = FaultPlan::parse("faults", bad).unwrap_err();
            assert_eq!(e.field, "faults", "{bad}");
            assert!(!e.message.is_empty());
        }
    }

    #[test]
    fn timeline_orders_begins_and_ends() {
        let plan = FaultPlan::parse("f", "crash:a@10s+5s,slow:b*2@12s").unwrap();
        let tl = plan.timeline();
        let times: Vec<_> = tl.iter().map(|x| x.0.as_secs_f64()).collect();
        assert_eq!(times, vec![10.0, 12.0, 15.0]);
        assert_eq!(tl[2].1, Phase::End);
    }

    #[test]
    fn validate_checks_nodes_and_ranges() {
        let plan = FaultPlan::parse("f", "crash:ghost@1s,spike*0.5@1s,drop=2@1s").unwrap();
        let errs = plan.validate("f", &["server".to_string()]);
        assert_eq!(errs.len(), 3);
        assert!(errs[0].message.contains("ghost"));
    }
}
