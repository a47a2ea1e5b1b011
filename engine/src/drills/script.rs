//! Drill scripts are data: `drills.json` lists the built-in drills (name, title, what happens,
//! and the fault timeline in the shared fault-plan text form). A custom drill is the same thing
//! built by the learner.

use crate::sim::FaultPlan;
use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct DrillScript {
    pub name: String,
    pub title: String,
    pub what: String,
    pub faults: String,
}

impl DrillScript {
    pub fn plan(&self) -> FaultPlan {
        FaultPlan::parse("faults", &self.faults).unwrap_or_default()
    }
}

/// The built-in drills, in the order the page lists them.
pub fn built_in() -> &'static [DrillScript] {
    static DRILLS: OnceLock<Vec<DrillScript>> = OnceLock::new();
    DRILLS.get_or_init(|| serde_json::from_str(include_str!("drills.json")).unwrap_or_default())
}

pub fn by_name(name: &str) -> Option<&'static DrillScript> {
    built_in().iter().find(|d| d.name == name)
}

/// Names of the built-in drills plus `custom`.
pub fn names() -> Vec<&'static str> {
    built_in()
        .iter()
        .map(|d| d.name.as_str())
        .chain(std::iter::once("custom"))
        .collect()
}
