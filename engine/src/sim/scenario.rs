//! Scenarios: the plain data (parameters, seed, fault plan) that fully determine a run. A
//! scenario is validated before a world is built from it, and every problem names its field and
//! the allowed range, because learners and teachers edit scenarios by hand (URLs, CLI flags).

use crate::sim::params::Params;
use std::fmt;

/// A problem with one field of a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The standard out-of-range message.
    pub fn range(
        field: &str,
        min: impl fmt::Display,
        max: impl fmt::Display,
        got: impl fmt::Display,
    ) -> Self {
        FieldError::new(
            field,
            format!("must be between {min} and {max} (got {got})"),
        )
    }
}

/// Pushes the standard out-of-range error unless `value` is finite and within `[lo, hi]`; the
/// shared check behind every scenario's `validate`.
pub fn check_range<T: Into<f64> + Copy>(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: T,
    (lo, hi): (T, T),
) {
    let (v, lo, hi) = (value.into(), lo.into(), hi.into());
    if !(v.is_finite() && v >= lo && v <= hi) {
        errors.push(FieldError::range(field, lo, hi, v));
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for FieldError {}

/// All problems found in one scenario.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

impl ValidationErrors {
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

/// What every lab's scenario provides.
pub trait Scenario: Clone + Default + PartialEq {
    /// Checks every field; `Ok` means a world can be built without panicking.
    fn validate(&self) -> Result<(), ValidationErrors>;

    /// The scenario as URL/link parameters (only fields that differ from the default need be
    /// written, but writing all is allowed).
    fn to_params(&self) -> Params;

    /// Reads a scenario from parameters. Fields that are missing keep their default; fields
    /// that are malformed or out of range also keep their default and are reported, so a bad
    /// link still opens a working lab together with a message naming what was wrong.
    fn from_params(params: &Params) -> (Self, Vec<FieldError>);

    /// The parameters a share link carries: the seed and whatever differs from the default
    /// scenario, so a link stays short enough to paste in a chat.
    fn to_link_params(&self) -> Params {
        self.to_params()
            .minus(&Self::default().to_params(), &["seed"])
    }
}
