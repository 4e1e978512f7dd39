//! Outcomes as the API writes them: a JSON object of issue name to value (an option name, a number,
//! or `true`/`false` for yes/no issues), read into the engine's grid indices and written back.

use serde_json::{Map, Value};
use truce::model::OutcomeSpace;
use truce::sim::Outcome;

use crate::error::ApiError;

/// Reads `{"issue": value, ...}`: every issue of the space once, each value one of the issue's grid
/// values.
///
/// # Errors
/// A 422 naming the issue and the values it takes.
pub fn parse(space: &OutcomeSpace, given: &Map<String, Value>) -> Result<Outcome, ApiError> {
    for name in given.keys() {
        if !space.issues().iter().any(|i| &i.name == name) {
            let names: Vec<_> = space.issues().iter().map(|i| i.name.as_str()).collect();
            return Err(ApiError::unprocessable(format!(
                "the outcome names `{name}`, which is not an issue (the issues are {})",
                names.join(", ")
            )));
        }
    }
    space
        .issues()
        .iter()
        .map(|issue| {
            let Some(value) = given.get(&issue.name) else {
                return Err(ApiError::unprocessable(format!(
                    "the outcome gives no value for `{}`: a text settles every issue",
                    issue.name
                )));
            };
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Bool(true) => "yes".into(),
                Value::Bool(false) => "no".into(),
                Value::Number(n) => n.to_string(),
                _ => String::new(),
            };
            let number = value.as_f64();
            (0..issue.cardinality())
                .find(|&d| {
                    issue.domain().grid_value(d).is_some_and(|v| {
                        let shown = issue.format_value(v);
                        shown == text
                            || number
                                .is_some_and(|n| shown.parse::<f64>().is_ok_and(|s| (s - n).abs() < 1e-9))
                    })
                })
                .ok_or_else(|| {
                    ApiError::unprocessable(format!(
                        "{value} is not a value of `{}` (expected {}: {})",
                        issue.name,
                        issue.domain().expected(),
                        values(space, issue_index(space, &issue.name)).join(", ")
                    ))
                })
        })
        .collect()
}

fn issue_index(space: &OutcomeSpace, name: &str) -> usize {
    space.issues().iter().position(|i| i.name == name).unwrap_or(0)
}

/// The grid values of issue `k` as people read them (the first 50, then an ellipsis).
#[must_use]
pub fn values(space: &OutcomeSpace, k: usize) -> Vec<String> {
    let Some(issue) = space.issues().get(k) else { return Vec::new() };
    let mut out: Vec<String> = (0..issue.cardinality().min(50))
        .filter_map(|d| issue.domain().grid_value(d).map(|v| issue.format_value(v)))
        .collect();
    if issue.cardinality() > 50 {
        out.push("...".into());
    }
    out
}

/// An outcome as `{"issue": value}`, numbers as numbers.
#[must_use]
pub fn to_json(space: &OutcomeSpace, outcome: &[u32]) -> Value {
    let mut map = Map::new();
    for (issue, &d) in space.issues().iter().zip(outcome) {
        let Some(v) = issue.domain().grid_value(d) else { continue };
        let shown = issue.format_value(v);
        let value = match (issue.domain().options(), shown.parse::<i64>(), shown.parse::<f64>()) {
            (None, Ok(i), _) => Value::from(i),
            (None, _, Ok(x)) => serde_json::Number::from_f64(x).map_or(Value::String(shown), Value::Number),
            _ => Value::String(shown),
        };
        map.insert(issue.name.clone(), value);
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use truce::model::{Issue, IssueDomain};

    fn space() -> OutcomeSpace {
        OutcomeSpace::new(vec![
            Issue::new("n", IssueDomain::integer(0, 60, 10).expect("domain")),
            Issue::new("w", IssueDomain::discrete(vec!["none".into(), "full".into()], true).expect("domain")),
        ])
        .expect("space")
    }

    #[test]
    fn reads_and_writes_back() {
        let space = space();
        let given = serde_json::json!({"n": 40, "w": "full"});
        let outcome = parse(&space, given.as_object().expect("object")).expect("an outcome");
        assert_eq!(outcome, vec![4, 1]);
        assert_eq!(to_json(&space, &outcome), given);
    }

    #[test]
    fn refuses_values_off_the_grid_and_unknown_issues() {
        let space = space();
        let off = serde_json::json!({"n": 45, "w": "full"});
        let e = parse(&space, off.as_object().expect("object")).expect_err("off the grid");
        assert!(e.message.contains("45 is not a value of `n`"), "{}", e.message);
        let unknown = serde_json::json!({"n": 40, "w": "full", "x": 1});
        let e = parse(&space, unknown.as_object().expect("object")).expect_err("unknown issue");
        assert!(e.message.contains("`x`, which is not an issue"), "{}", e.message);
        let missing = serde_json::json!({"n": 40});
        assert!(parse(&space, missing.as_object().expect("object")).is_err());
    }
}
