//! Issues, the values they take, and the finite grid of values that analysis enumerates.
//!
//! An issue is one thing to agree on: a discrete choice among named options (optionally ordered, e.g.
//! `none < populated_areas < full`), an integer range with a step (`prisoners_per_hostage` from 3 to 50
//! by 1), or a real range. Every issue has a finite *grid* of values that outcomes are made of; a real
//! range is discretised into `levels` evenly spaced points. Proposals and red lines may still name
//! values off the grid (a press report's 37.5); those are evaluated by the value function directly.

use serde::{Deserialize, Serialize};

use crate::ModelError;

/// The largest number of grid values one issue may have.
pub const MAX_ISSUE_VALUES: u64 = u32::MAX as u64;

/// A value of one issue. Which variant is valid depends on the issue's [`IssueDomain`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// A discrete issue's option, by its position in the issue's option list.
    Option(u32),
    /// A value of an integer issue.
    Int(i64),
    /// A value of a real issue.
    Real(f64),
}

impl Value {
    /// The value as a number: the option position for discrete issues.
    #[must_use]
    pub fn as_f64(self) -> f64 {
        match self {
            Value::Option(i) => f64::from(i),
            #[allow(clippy::cast_precision_loss)]
            Value::Int(v) => v as f64,
            Value::Real(v) => v,
        }
    }
}

/// One thing to agree on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    /// The issue's name, unique in its outcome space (`aid_trucks_per_day`).
    pub name: String,
    /// What the issue means, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    domain: IssueDomain,
}

impl Issue {
    /// An issue with the given name and domain.
    pub fn new(name: impl Into<String>, domain: IssueDomain) -> Self {
        Self { name: name.into(), description: None, domain }
    }

    /// The values the issue can take.
    #[must_use]
    pub fn domain(&self) -> &IssueDomain {
        &self.domain
    }

    /// The number of grid values, at least 1.
    #[must_use]
    pub fn cardinality(&self) -> u32 {
        self.domain.cardinality()
    }

    /// Why `value` is not a value of this issue, in the words every reader and validation use (a
    /// message and a hint), or `None` when it is one.
    #[must_use]
    pub fn out_of_range(&self, value: Value) -> Option<(String, String)> {
        if self.domain.contains(value) {
            return None;
        }
        let range = match self.domain.numeric_bounds() {
            Some((lo, hi)) => format!(" (range {lo} to {hi})"),
            None => String::new(),
        };
        Some((
            format!("{} is not a value of `{}`{range}", self.format_value(value), self.name),
            format!("expected {}", self.domain.expected()),
        ))
    }

    /// Human-readable form of a value of this issue (`"populated_areas"`, `"30"`, `"37.5"`).
    #[must_use]
    pub fn format_value(&self, value: Value) -> String {
        self.domain.format_value(value)
    }
}

/// The values an issue can take. Built only through the checked constructors, so that every domain has
/// at least one value and at most [`MAX_ISSUE_VALUES`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum IssueDomain {
    /// Named options.
    Discrete(DiscreteDomain),
    /// Integers `min, min + step, ..., max`.
    Integer(IntegerDomain),
    /// Reals between `min` and `max`, discretised into `levels` evenly spaced points for enumeration.
    Real(RealDomain),
}

/// Named options, optionally ordered from worst-placed to best-placed on some scale the case defines
/// (order only matters to red lines that compare with `<` or `>=`).
///
/// Deserialises through the checks of [`IssueDomain::discrete`] (`try_from` a raw mirror), like every
/// model type with an invariant: JSON from a server or Python cannot build an empty or repeating list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawDiscrete", into = "RawDiscrete")]
pub struct DiscreteDomain {
    options: Vec<String>,
    ordered: bool,
}

/// Integers from `min` to `max` by `step`. Deserialises through the checks of
/// [`IssueDomain::integer`], so that no step of 0 or reversed range can be built from JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawInteger", into = "RawInteger")]
pub struct IntegerDomain {
    min: i64,
    max: i64,
    step: i64,
}

/// Reals from `min` to `max`, with `levels` grid points (both ends included when `levels >= 2`).
/// Deserialises through the checks of [`IssueDomain::real`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawReal", into = "RawReal")]
pub struct RealDomain {
    min: f64,
    max: f64,
    levels: u32,
}

// The serialised forms: the same fields, unchecked. Deserialising goes through the checked
// constructors (`TryFrom`), never around them.

#[derive(Serialize, Deserialize)]
struct RawDiscrete {
    options: Vec<String>,
    #[serde(default)]
    ordered: bool,
}

#[derive(Clone, Copy, Serialize, Deserialize)]
struct RawInteger {
    min: i64,
    max: i64,
    step: i64,
}

#[derive(Clone, Copy, Serialize, Deserialize)]
struct RawReal {
    min: f64,
    max: f64,
    levels: u32,
}

impl TryFrom<RawDiscrete> for DiscreteDomain {
    type Error = ModelError;
    fn try_from(raw: RawDiscrete) -> Result<Self, Self::Error> {
        Self::new(raw.options, raw.ordered)
    }
}

impl From<DiscreteDomain> for RawDiscrete {
    fn from(d: DiscreteDomain) -> Self {
        Self { options: d.options, ordered: d.ordered }
    }
}

impl TryFrom<RawInteger> for IntegerDomain {
    type Error = ModelError;
    fn try_from(raw: RawInteger) -> Result<Self, Self::Error> {
        Self::new(raw.min, raw.max, raw.step)
    }
}

impl From<IntegerDomain> for RawInteger {
    fn from(d: IntegerDomain) -> Self {
        Self { min: d.min, max: d.max, step: d.step }
    }
}

impl TryFrom<RawReal> for RealDomain {
    type Error = ModelError;
    fn try_from(raw: RawReal) -> Result<Self, Self::Error> {
        Self::new(raw.min, raw.max, raw.levels)
    }
}

impl From<RealDomain> for RawReal {
    fn from(d: RealDomain) -> Self {
        Self { min: d.min, max: d.max, levels: d.levels }
    }
}

impl DiscreteDomain {
    fn new(options: Vec<String>, ordered: bool) -> Result<Self, ModelError> {
        if options.is_empty() {
            return Err(ModelError::EmptyIssue);
        }
        if options.len() as u64 > MAX_ISSUE_VALUES {
            return Err(ModelError::TooManyValues { count: options.len() as u128 });
        }
        let mut seen = std::collections::HashSet::with_capacity(options.len());
        for option in &options {
            if !seen.insert(option.as_str()) {
                return Err(ModelError::DuplicateOption { option: option.clone() });
            }
        }
        Ok(Self { options, ordered })
    }
}

impl IntegerDomain {
    fn new(min: i64, max: i64, step: i64) -> Result<Self, ModelError> {
        if min > max || step <= 0 {
            return Err(ModelError::InvalidRange {
                reason: format!("integer range {min}..={max} by {step}: need min <= max and step >= 1"),
            });
        }
        let span = i128::from(max) - i128::from(min);
        if span % i128::from(step) != 0 {
            return Err(ModelError::InvalidRange {
                reason: format!("integer range {min}..={max} by {step}: max - min is not a multiple of step"),
            });
        }
        let count = span / i128::from(step) + 1;
        #[allow(clippy::cast_sign_loss)]
        if count as u128 > u128::from(MAX_ISSUE_VALUES) {
            return Err(ModelError::TooManyValues { count: count as u128 });
        }
        Ok(Self { min, max, step })
    }
}

impl RealDomain {
    fn new(min: f64, max: f64, levels: u32) -> Result<Self, ModelError> {
        if !min.is_finite() || !max.is_finite() || min > max {
            return Err(ModelError::InvalidRange {
                reason: format!("real range {min}..={max}: need finite bounds with min <= max"),
            });
        }
        if levels == 0 || (min == max && levels != 1) || (min < max && levels < 2) {
            return Err(ModelError::InvalidRange {
                reason: format!(
                    "real range {min}..={max} with {levels} levels: need 1 level for a single point, at least 2 otherwise"
                ),
            });
        }
        Ok(Self { min, max, levels })
    }
}

impl IssueDomain {
    /// Named options, which must be non-empty and distinct.
    ///
    /// # Errors
    /// [`ModelError::EmptyIssue`], [`ModelError::DuplicateOption`] or [`ModelError::TooManyValues`].
    pub fn discrete(options: Vec<String>, ordered: bool) -> Result<Self, ModelError> {
        DiscreteDomain::new(options, ordered).map(Self::Discrete)
    }

    /// Integers from `min` to `max` inclusive by `step`; `max - min` must be a multiple of `step`.
    ///
    /// # Errors
    /// [`ModelError::InvalidRange`] or [`ModelError::TooManyValues`].
    pub fn integer(min: i64, max: i64, step: i64) -> Result<Self, ModelError> {
        IntegerDomain::new(min, max, step).map(Self::Integer)
    }

    /// Reals from `min` to `max` with `levels` grid points (`levels` must be 1 when `min == max`).
    ///
    /// # Errors
    /// [`ModelError::InvalidRange`].
    pub fn real(min: f64, max: f64, levels: u32) -> Result<Self, ModelError> {
        RealDomain::new(min, max, levels).map(Self::Real)
    }

    /// The number of grid values, at least 1.
    #[must_use]
    pub fn cardinality(&self) -> u32 {
        match self {
            #[allow(clippy::cast_possible_truncation)]
            Self::Discrete(d) => d.options.len() as u32,
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Self::Integer(d) => ((i128::from(d.max) - i128::from(d.min)) / i128::from(d.step) + 1) as u32,
            Self::Real(d) => d.levels,
        }
    }

    /// The option names of a discrete issue.
    #[must_use]
    pub fn options(&self) -> Option<&[String]> {
        match self {
            Self::Discrete(d) => Some(&d.options),
            _ => None,
        }
    }

    /// Whether values can be compared with `<`, `>` (numeric issues, and ordered discrete ones).
    #[must_use]
    pub fn is_ordered(&self) -> bool {
        match self {
            Self::Discrete(d) => d.ordered,
            Self::Integer(_) | Self::Real(_) => true,
        }
    }

    /// Whether the issue is numeric (integer or real).
    #[must_use]
    pub fn is_numeric(&self) -> bool {
        !matches!(self, Self::Discrete(_))
    }

    /// Lowest and highest value of a numeric issue.
    #[must_use]
    pub fn numeric_bounds(&self) -> Option<(f64, f64)> {
        match self {
            Self::Discrete(_) => None,
            Self::Integer(d) => Some((Value::Int(d.min).as_f64(), Value::Int(d.max).as_f64())),
            Self::Real(d) => Some((d.min, d.max)),
        }
    }

    /// The step of an integer issue.
    #[must_use]
    pub fn integer_step(&self) -> Option<i64> {
        match self {
            Self::Integer(d) => Some(d.step),
            _ => None,
        }
    }

    /// The value at grid position `index`, or `None` past the end.
    #[must_use]
    pub fn grid_value(&self, index: u32) -> Option<Value> {
        match self {
            Self::Discrete(d) => ((index as usize) < d.options.len()).then_some(Value::Option(index)),
            // On the grid iff it does not pass `max` (step >= 1): no division, as this is on the
            // hot path of every utility evaluated from grid indices.
            Self::Integer(d) => i64::from(index)
                .checked_mul(d.step)
                .and_then(|offset| d.min.checked_add(offset))
                .filter(|&v| v <= d.max)
                .map(Value::Int),
            Self::Real(d) => {
                if index >= d.levels {
                    None
                } else if d.levels == 1 {
                    Some(Value::Real(d.min))
                } else {
                    let t = f64::from(index) / f64::from(d.levels - 1);
                    // Exact at both ends, whatever the rounding in between.
                    Some(Value::Real(if index == d.levels - 1 { d.max } else { d.min + (d.max - d.min) * t }))
                }
            }
        }
    }

    /// The grid position of `value`, if it is a grid value of this issue. A real value matches the
    /// nearest grid point within a relative tolerance of 1e-9.
    #[must_use]
    pub fn grid_index(&self, value: Value) -> Option<u32> {
        match (self, value) {
            (Self::Discrete(d), Value::Option(i)) => ((i as usize) < d.options.len()).then_some(i),
            (Self::Integer(d), Value::Int(v)) => {
                if v < d.min || v > d.max {
                    return None;
                }
                let offset = i128::from(v) - i128::from(d.min);
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                (offset % i128::from(d.step) == 0).then(|| (offset / i128::from(d.step)) as u32)
            }
            (Self::Real(d), Value::Real(_) | Value::Int(_)) => {
                let x = value.as_f64();
                if d.levels == 1 {
                    return close(x, d.min).then_some(0);
                }
                let t = (x - d.min) / (d.max - d.min) * f64::from(d.levels - 1);
                if !t.is_finite() || t < -0.5 || t > f64::from(d.levels - 1) + 0.5 {
                    return None;
                }
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let index = t.round() as u32;
                let grid = self.grid_value(index)?.as_f64();
                close(x, grid).then_some(index)
            }
            _ => None,
        }
    }

    /// Whether `value` is a value of this issue: an existing option, or a number within the range (on
    /// the step for integer issues). Off-grid reals within the range are values of the issue.
    #[must_use]
    pub fn contains(&self, value: Value) -> bool {
        match (self, value) {
            (Self::Discrete(_) | Self::Integer(_), _) => self.grid_index(value).is_some(),
            (Self::Real(d), Value::Real(_) | Value::Int(_)) => {
                let x = value.as_f64();
                x.is_finite() && x >= d.min && x <= d.max
            }
            (Self::Real(_), Value::Option(_)) => false,
        }
    }

    /// The position of the option called `name` in a discrete issue.
    #[must_use]
    pub fn option_index(&self, name: &str) -> Option<u32> {
        let options = self.options()?;
        #[allow(clippy::cast_possible_truncation)]
        options.iter().position(|o| o == name).map(|i| i as u32)
    }

    /// Human-readable form of a value (option name, integer, or real with its shortest exact form).
    #[must_use]
    pub fn format_value(&self, value: Value) -> String {
        match (self, value) {
            (Self::Discrete(d), Value::Option(i)) => {
                d.options.get(i as usize).cloned().unwrap_or_else(|| format!("<option {i}>"))
            }
            (_, Value::Option(i)) => format!("<option {i}>"),
            (_, Value::Int(v)) => v.to_string(),
            (_, Value::Real(v)) => v.to_string(),
        }
    }

    /// The kind of value this issue takes, for messages ("an option name", "an integer", "a number").
    #[must_use]
    pub fn expected(&self) -> &'static str {
        match self {
            Self::Discrete(_) => "one of the issue's option names",
            Self::Integer(_) => "an integer within the issue's range, on its step",
            Self::Real(_) => "a number within the issue's range",
        }
    }

    /// Whether two values of this issue compare as `left < right` on the issue's order; `None` when the
    /// issue is unordered or either value is not of this issue's kind.
    #[must_use]
    pub fn compare(&self, left: Value, right: Value) -> Option<std::cmp::Ordering> {
        match (self, left, right) {
            (Self::Discrete(d), Value::Option(a), Value::Option(b)) => {
                if a == b {
                    Some(std::cmp::Ordering::Equal)
                } else {
                    d.ordered.then(|| a.cmp(&b))
                }
            }
            (Self::Integer(_), Value::Int(a), Value::Int(b)) => Some(a.cmp(&b)),
            (Self::Real(_), Value::Real(_) | Value::Int(_), Value::Real(_) | Value::Int(_)) => {
                left.as_f64().partial_cmp(&right.as_f64())
            }
            _ => None,
        }
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discrete_rejects_empty_and_duplicates() {
        assert_eq!(IssueDomain::discrete(vec![], false), Err(ModelError::EmptyIssue));
        assert_eq!(
            IssueDomain::discrete(vec!["a".into(), "a".into()], false),
            Err(ModelError::DuplicateOption { option: "a".into() })
        );
    }

    #[test]
    fn json_goes_through_the_checked_constructors() {
        let bad = [
            r#"{"type": "integer", "min": 0, "max": 10, "step": 0}"#,
            r#"{"type": "integer", "min": 10, "max": 0, "step": 1}"#,
            r#"{"type": "integer", "min": -9223372036854775808, "max": 9223372036854775807, "step": 1}"#,
            r#"{"type": "real", "min": 0.0, "max": 1.0, "levels": 0}"#,
            r#"{"type": "real", "min": 1.0, "max": 0.0, "levels": 2}"#,
            r#"{"type": "discrete", "options": [], "ordered": false}"#,
            r#"{"type": "discrete", "options": ["a", "a"], "ordered": false}"#,
        ];
        for json in bad {
            assert!(serde_json::from_str::<IssueDomain>(json).is_err(), "{json} was accepted");
        }
        for domain in [
            IssueDomain::integer(0, 10, 5).unwrap(),
            IssueDomain::real(0.0, 1.0, 3).unwrap(),
            IssueDomain::discrete(vec!["a".into(), "b".into()], true).unwrap(),
        ] {
            let json = serde_json::to_string(&domain).unwrap();
            assert_eq!(serde_json::from_str::<IssueDomain>(&json).unwrap(), domain, "{json}");
        }
        let error = serde_json::from_str::<IssueDomain>(bad[0]).unwrap_err().to_string();
        assert!(error.contains("need min <= max and step >= 1"), "{error}");
    }

    #[test]
    fn integer_grid_and_lookup() {
        let d = IssueDomain::integer(10, 50, 10).unwrap();
        assert_eq!(d.cardinality(), 5);
        assert_eq!(d.grid_value(2), Some(Value::Int(30)));
        assert_eq!(d.grid_index(Value::Int(30)), Some(2));
        assert_eq!(d.grid_index(Value::Int(35)), None);
        assert!(!d.contains(Value::Int(35)));
        assert!(IssueDomain::integer(0, 5, 2).is_err());
        assert!(IssueDomain::integer(5, 0, 1).is_err());
        assert!(matches!(IssueDomain::integer(i64::MIN, i64::MAX, 1), Err(ModelError::TooManyValues { .. })));
    }

    proptest::proptest! {
        #[test]
        fn integer_grid_values_are_exactly_the_first_cardinality_indices(
            min in -1_000_000_000_000i64..1_000_000_000_000,
            count in 1i64..2_000,
            step in 1i64..1_000_000_000,
            extra in 0u32..5,
        ) {
            let d = IssueDomain::integer(min, min + (count - 1) * step, step).unwrap();
            let n = d.cardinality();
            proptest::prop_assert_eq!(i64::from(n), count);
            for index in [0, n / 2, n - 1] {
                let v = d.grid_value(index);
                proptest::prop_assert_eq!(v, Some(Value::Int(min + i64::from(index) * step)));
                proptest::prop_assert_eq!(d.grid_index(v.unwrap()), Some(index));
            }
            proptest::prop_assert_eq!(d.grid_value(n + extra), None);
            proptest::prop_assert_eq!(d.grid_value(u32::MAX), None);
        }
    }

    #[test]
    fn integer_grid_values_near_the_ends_of_i64_do_not_overflow() {
        let d = IssueDomain::integer(i64::MAX - 4, i64::MAX, 2).unwrap();
        assert_eq!(d.grid_value(2), Some(Value::Int(i64::MAX)));
        assert_eq!(d.grid_value(3), None);
        let d = IssueDomain::integer(i64::MIN, i64::MIN + 2, 1).unwrap();
        assert_eq!(d.grid_value(0), Some(Value::Int(i64::MIN)));
        assert_eq!(d.grid_value(3), None);
    }

    #[test]
    fn real_grid_hits_both_ends_and_allows_off_grid_values() {
        let d = IssueDomain::real(10.0, 40.0, 4).unwrap();
        assert_eq!(d.grid_value(0), Some(Value::Real(10.0)));
        assert_eq!(d.grid_value(3), Some(Value::Real(40.0)));
        assert_eq!(d.grid_index(Value::Real(20.0)), Some(1));
        assert_eq!(d.grid_index(Value::Real(25.0)), None);
        assert!(d.contains(Value::Real(25.0)));
        assert!(!d.contains(Value::Real(40.5)));
        assert!(IssueDomain::real(1.0, 1.0, 2).is_err());
        assert!(IssueDomain::real(f64::NAN, 1.0, 2).is_err());
    }

    #[test]
    fn ordering_only_for_ordered_issues() {
        let ordered = IssueDomain::discrete(vec!["none".into(), "some".into(), "full".into()], true).unwrap();
        let unordered = IssueDomain::discrete(vec!["a".into(), "b".into()], false).unwrap();
        assert_eq!(ordered.compare(Value::Option(0), Value::Option(2)), Some(std::cmp::Ordering::Less));
        assert_eq!(unordered.compare(Value::Option(0), Value::Option(1)), None);
        assert_eq!(unordered.compare(Value::Option(1), Value::Option(1)), Some(std::cmp::Ordering::Equal));
    }
}
