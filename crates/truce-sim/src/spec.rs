//! The small syntax that names a strategy with parameters: `micro`, `boulware(e=0.1)`,
//! `random(p_accept=0.2, p_end=0)`. Names are case-insensitive; `-` and `_` are the same.

use crate::SimError;

/// A name with numeric parameters, as written.
#[derive(Clone, Debug, PartialEq)]
pub struct Spec {
    /// The name, lower-cased, with `_` for `-`.
    pub name: String,
    /// `key=value` pairs in the order given.
    pub params: Vec<(String, f64)>,
}

impl Spec {
    /// Reads `name` or `name(key=value, ...)`.
    ///
    /// # Errors
    /// [`SimError::Syntax`] saying what was expected.
    pub fn parse(text: &str) -> Result<Self, SimError> {
        let err = |reason: &str| SimError::Syntax { spec: text.to_string(), reason: reason.to_string() };
        let text_trim = text.trim();
        let (name, rest) = match text_trim.find('(') {
            Some(i) => (&text_trim[..i], Some(&text_trim[i + 1..])),
            None => (text_trim, None),
        };
        let name = normalise(name);
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(err("expected a name made of letters, digits, `-` and `_`, e.g. `boulware(e=0.1)`"));
        }
        let mut params = Vec::new();
        if let Some(rest) = rest {
            let Some(inner) = rest.strip_suffix(')') else {
                return Err(err("missing `)` at the end"));
            };
            for part in inner.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let Some((key, value)) = part.split_once('=') else {
                    return Err(err(&format!("`{part}` is not key=value")));
                };
                let key = normalise(key);
                let value: f64 = value
                    .trim()
                    .parse()
                    .map_err(|_| err(&format!("the value of `{key}` is not a number: `{}`", value.trim())))?;
                if !value.is_finite() {
                    return Err(err(&format!("the value of `{key}` must be finite")));
                }
                if params.iter().any(|(k, _)| *k == key) {
                    return Err(err(&format!("`{key}` is given twice")));
                }
                params.push((key, value));
            }
        }
        Ok(Self { name, params })
    }
}

fn normalise(s: &str) -> String {
    s.trim().to_ascii_lowercase().replace('-', "_")
}

/// A parameter a strategy takes: its name, default, allowed range and meaning.
#[derive(Clone, Copy, Debug)]
pub struct ParamInfo {
    /// The name.
    pub name: &'static str,
    /// The value when not given.
    pub default: f64,
    /// Smallest allowed value.
    pub min: f64,
    /// Largest allowed value.
    pub max: f64,
    /// What it does.
    pub doc: &'static str,
}

/// Resolves the parameters of `spec` against the ones `owner` declares: every declared parameter's
/// value, in declaration order, defaults filled in.
///
/// # Errors
/// [`SimError::Parameter`] for an unknown parameter or a value out of range.
pub fn resolve(owner: &str, declared: &[ParamInfo], spec: &Spec) -> Result<Vec<f64>, SimError> {
    for (key, _) in &spec.params {
        if !declared.iter().any(|p| p.name == key) {
            let known: Vec<_> = declared.iter().map(|p| p.name).collect();
            return Err(SimError::Parameter {
                owner: owner.to_string(),
                name: key.clone(),
                reason: if known.is_empty() {
                    "this strategy takes no parameters".into()
                } else {
                    format!("unknown parameter; expected one of {}", known.join(", "))
                },
            });
        }
    }
    declared
        .iter()
        .map(|p| {
            let value = spec.params.iter().find(|(k, _)| k == p.name).map_or(p.default, |(_, v)| *v);
            if value < p.min || value > p.max {
                return Err(SimError::Parameter {
                    owner: owner.to_string(),
                    name: p.name.to_string(),
                    reason: format!("{value} is out of range: expected {} to {}", p.min, p.max),
                });
            }
            Ok(value)
        })
        .collect()
}

/// `name` or `name(k=v, ...)` listing only the values that differ from their defaults.
#[must_use]
pub fn label(name: &str, declared: &[ParamInfo], values: &[f64]) -> String {
    let changed: Vec<String> = declared
        .iter()
        .zip(values)
        .filter(|(p, v)| **v != p.default)
        .map(|(p, v)| format!("{}={}", p.name, v))
        .collect();
    if changed.is_empty() { name.to_string() } else { format!("{name}({})", changed.join(",")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const E: [ParamInfo; 1] = [ParamInfo { name: "e", default: 0.2, min: 0.0, max: 100.0, doc: "" }];

    #[test]
    fn parses_names_and_parameters() {
        assert_eq!(Spec::parse("MiCRO").unwrap(), Spec { name: "micro".into(), params: vec![] });
        let s = Spec::parse(" boulware( e = 0.1 ) ").unwrap();
        assert_eq!(s.params, vec![("e".to_string(), 0.1)]);
        assert_eq!(Spec::parse("nice-tit-for-tat").unwrap().name, "nice_tit_for_tat");
    }

    #[test]
    fn rejects_malformed_specs_with_a_reason() {
        for bad in ["", "boulware(e=0.1", "boulware(e)", "boulware(e=x)", "a b", "b(e=1,e=2)", "b(e=inf)"] {
            assert!(matches!(Spec::parse(bad), Err(SimError::Syntax { .. })), "{bad}");
        }
    }

    #[test]
    fn resolves_defaults_ranges_and_unknown_keys() {
        assert_eq!(resolve("b", &E, &Spec::parse("b").unwrap()).unwrap(), vec![0.2]);
        assert_eq!(resolve("b", &E, &Spec::parse("b(e=3)").unwrap()).unwrap(), vec![3.0]);
        assert!(resolve("b", &E, &Spec::parse("b(e=-1)").unwrap()).is_err());
        assert!(resolve("b", &E, &Spec::parse("b(x=1)").unwrap()).is_err());
        assert_eq!(label("b", &E, &[0.2]), "b");
        assert_eq!(label("b", &E, &[3.0]), "b(e=3)");
    }
}
