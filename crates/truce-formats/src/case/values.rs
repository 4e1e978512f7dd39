//! Values as written (option names, numbers, booleans) and as the model holds them, both ways.
//!
//! - discrete issue: an option name; `true`/`false` for the options `yes`/`no` when the issue has them;
//! - integer issue: an integer (a float, even `30.0`, is refused: it is likely a mistake);
//! - real issue: any number.
//!
//! Range checks (a value on the grid, within bounds) are the model's (`Case::validate`): here only the
//! kind of value and option names are checked, since those decide which model value to build.

use truce_model::{Issue, IssueDomain, Value};

use super::raw::RawValue;
use super::suggest::did_you_mean;

/// Why a written value cannot be a value of an issue.
#[derive(Debug, PartialEq)]
pub(crate) struct ValueError {
    pub code: &'static str,
    pub message: String,
    pub hint: Option<String>,
}

/// Whether a discrete issue is a yes/no issue, whose values may be written `true`/`false`.
pub(crate) fn is_yes_no(domain: &IssueDomain) -> bool {
    domain.options().is_some_and(|o| o.len() == 2 && o[0] == "no" && o[1] == "yes")
}

/// The model value a written value stands for.
pub(crate) fn value_of(issue: &Issue, raw: &RawValue) -> Result<Value, ValueError> {
    let domain = issue.domain();
    let wrong = |what: &str| ValueError {
        code: "wrong-value-kind",
        message: format!("`{}` takes {}, not {what}", issue.name, kind_of(domain)),
        hint: Some(format!("expected {}", example(issue))),
    };
    match (domain, raw) {
        (IssueDomain::Discrete(_), RawValue::Str(name)) => {
            domain.option_index(name).map(Value::Option).ok_or_else(|| {
                let options = domain.options().unwrap_or_default();
                let hint = match did_you_mean(name, options.iter().map(String::as_str)) {
                    Some(s) => format!("did you mean `{s}`? The options are {}", list(options)),
                    None => format!("the options are {}", list(options)),
                };
                ValueError {
                    code: "unknown-option",
                    message: format!("`{}` has no option `{name}`", issue.name),
                    hint: Some(hint),
                }
            })
        }
        (IssueDomain::Discrete(_), RawValue::Bool(b)) => {
            let name = if *b { "yes" } else { "no" };
            match domain.option_index(name) {
                Some(i) => Ok(Value::Option(i)),
                None => Err(ValueError {
                    code: "wrong-value-kind",
                    message: format!(
                        "`{}` has no option `{name}`, so `{b}` means nothing for it",
                        issue.name
                    ),
                    hint: Some(format!("the options are {}", list(domain.options().unwrap_or_default()))),
                }),
            }
        }
        (IssueDomain::Discrete(_), RawValue::Int(_) | RawValue::Float(_)) => Err(wrong("a number")),
        (IssueDomain::Integer(_), RawValue::Int(v)) => Ok(Value::Int(*v)),
        (IssueDomain::Integer(_), RawValue::Float(_)) => Err(wrong("a float")),
        (IssueDomain::Real(_), RawValue::Float(v)) => Ok(Value::Real(*v)),
        #[allow(clippy::cast_precision_loss)] // a real issue's values are f64 by definition
        (IssueDomain::Real(_), RawValue::Int(v)) => Ok(Value::Real(*v as f64)),
        (IssueDomain::Integer(_) | IssueDomain::Real(_), RawValue::Str(s)) => {
            Err(wrong(&format!("the string \"{s}\"")))
        }
        (IssueDomain::Integer(_) | IssueDomain::Real(_), RawValue::Bool(b)) => Err(wrong(&format!("`{b}`"))),
    }
}

/// How a model value is written; `None` if it is not a value of the issue's kind.
pub(crate) fn raw_of(issue: &Issue, value: Value) -> Option<RawValue> {
    let domain = issue.domain();
    match (domain, value) {
        (IssueDomain::Discrete(_), Value::Option(i)) => {
            let name = domain.options()?.get(i as usize)?;
            Some(if is_yes_no(domain) { RawValue::Bool(name == "yes") } else { RawValue::Str(name.clone()) })
        }
        (IssueDomain::Integer(_), Value::Int(v)) => Some(RawValue::Int(v)),
        #[allow(clippy::cast_precision_loss)]
        (IssueDomain::Real(_), Value::Real(_) | Value::Int(_)) => Some(RawValue::Float(value.as_f64())),
        _ => None,
    }
}

fn kind_of(domain: &IssueDomain) -> &'static str {
    match domain {
        IssueDomain::Discrete(_) if is_yes_no(domain) => "true/false (or \"yes\"/\"no\")",
        IssueDomain::Discrete(_) => "option names",
        IssueDomain::Integer(_) => "integers",
        IssueDomain::Real(_) => "numbers",
    }
}

fn example(issue: &Issue) -> String {
    let domain = issue.domain();
    match domain {
        IssueDomain::Discrete(_) => format!("one of {}", list(domain.options().unwrap_or_default())),
        IssueDomain::Integer(_) | IssueDomain::Real(_) => {
            let (lo, hi) = domain.numeric_bounds().unwrap_or_default();
            let step = domain
                .integer_step()
                .map_or(String::new(), |s| if s == 1 { String::new() } else { format!(" by {s}") });
            format!("a number from {lo} to {hi}{step}")
        }
    }
}

fn list(options: &[String]) -> String {
    crate::diagnostic::summarise(&options.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issues() -> [Issue; 4] {
        [
            Issue::new("w", IssueDomain::discrete(vec!["none".into(), "full".into()], true).unwrap()),
            Issue::new("yn", IssueDomain::discrete(vec!["no".into(), "yes".into()], false).unwrap()),
            Issue::new("n", IssueDomain::integer(0, 10, 5).unwrap()),
            Issue::new("x", IssueDomain::real(0.0, 1.0, 3).unwrap()),
        ]
    }

    #[test]
    fn each_kind_takes_its_own_values() {
        let [w, yn, n, x] = issues();
        assert_eq!(value_of(&w, &RawValue::Str("full".into())), Ok(Value::Option(1)));
        assert_eq!(value_of(&yn, &RawValue::Bool(true)), Ok(Value::Option(1)));
        assert_eq!(value_of(&yn, &RawValue::Str("no".into())), Ok(Value::Option(0)));
        assert_eq!(value_of(&n, &RawValue::Int(7)), Ok(Value::Int(7)), "range is the model's check");
        assert_eq!(value_of(&x, &RawValue::Int(1)), Ok(Value::Real(1.0)));
        assert_eq!(value_of(&w, &RawValue::Bool(true)).unwrap_err().code, "wrong-value-kind");
        assert_eq!(
            value_of(&w, &RawValue::Str("ful".into())).unwrap_err().hint.unwrap(),
            "did you mean `full`? The options are `none`, `full`"
        );
        assert_eq!(
            value_of(&n, &RawValue::Float(5.0)).unwrap_err().message,
            "`n` takes integers, not a float"
        );
        assert_eq!(value_of(&x, &RawValue::Str("a".into())).unwrap_err().code, "wrong-value-kind");
    }

    #[test]
    fn writing_inverts_reading() {
        for issue in issues() {
            for d in 0..issue.cardinality() {
                let value = issue.domain().grid_value(d).unwrap();
                let raw = raw_of(&issue, value).unwrap();
                assert_eq!(value_of(&issue, &raw), Ok(value), "{}", issue.name);
            }
        }
        assert_eq!(raw_of(&issues()[2], Value::Option(0)), None);
    }
}
