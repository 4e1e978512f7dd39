//! A YAML document as a small tree that remembers where each node starts, built from `saphyr`'s
//! marked nodes (which keep line and column).

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

use crate::Position;

/// Nodes nested deeper than this are refused (NegMAS files nest four or five levels).
const MAX_DEPTH: usize = 64;

/// One YAML node.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Y {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// A node and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub y: Y,
    pub at: Position,
}

/// Why a text is not a usable YAML document.
#[derive(Debug)]
pub(crate) struct YamlError {
    pub at: Option<Position>,
    pub message: String,
}

impl Node {
    /// The value of `key` in a mapping with string keys.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.y {
            Y::Map(entries) => {
                entries.iter().find(|(k, _)| matches!(&k.y, Y::Str(s) if s == key)).map(|(_, v)| v)
            }
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.y {
            Y::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A number (integers included).
    pub fn as_f64(&self) -> Option<f64> {
        match self.y {
            #[allow(clippy::cast_precision_loss)]
            Y::Int(i) => Some(i as f64),
            Y::Float(x) => Some(x),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.y {
            Y::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.y {
            Y::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// A scalar as text, the way NegMAS' values compare: strings as they are, numbers in their
    /// shortest form (`1`, `2.5`).
    pub fn scalar_text(&self) -> Option<String> {
        match &self.y {
            Y::Str(s) => Some(s.clone()),
            Y::Int(i) => Some(i.to_string()),
            Y::Float(x) => Some(x.to_string()),
            Y::Bool(b) => Some(if *b { "True" } else { "False" }.to_owned()),
            _ => None,
        }
    }

    /// What the node is, for messages.
    pub fn kind(&self) -> &'static str {
        match self.y {
            Y::Null => "null",
            Y::Bool(_) => "a boolean",
            Y::Int(_) => "an integer",
            Y::Float(_) => "a number",
            Y::Str(_) => "a string",
            Y::Seq(_) => "a list",
            Y::Map(_) => "a mapping",
        }
    }
}

/// Block collections nested deeper than this (by an upper bound read from indentation) are refused
/// before `saphyr` sees them: its parser recurses once per level and would overflow the stack on a
/// few thousand (flow collections it limits itself).
const MAX_BLOCK_DEPTH: usize = 128;

/// An upper bound of the block nesting depth of a YAML text: the open indentation levels of each
/// line, plus its compact `- ` and `? ` indicators and a key.
fn block_depth_bound(text: &str) -> (usize, usize) {
    let mut open: Vec<usize> = Vec::new();
    let mut worst = (0, 0);
    for (n, line) in text.lines().enumerate() {
        let rest = line.trim_start_matches(' ');
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        let indent = line.len() - rest.len();
        while open.last().is_some_and(|&top| top >= indent) {
            open.pop();
        }
        open.push(indent);
        let mut compact = 0;
        let mut tail = rest;
        while let Some(after) = tail.strip_prefix("- ").or_else(|| tail.strip_prefix("? ")) {
            compact += 1;
            tail = after.trim_start_matches(' ');
        }
        let depth = open.len() + compact + 1;
        if depth > worst.0 {
            worst = (depth, n + 1);
        }
    }
    worst
}

/// Parses the first document of `text`.
pub(crate) fn parse(text: &str) -> Result<Node, YamlError> {
    let (depth, line) = block_depth_bound(text);
    if depth > MAX_BLOCK_DEPTH {
        return Err(YamlError {
            at: Some(Position { line, column: 1 }),
            message: format!("collections are nested more than {MAX_BLOCK_DEPTH} deep"),
        });
    }
    let docs = MarkedYaml::load_from_str(text).map_err(|e| YamlError {
        at: Some(Position { line: e.marker().line(), column: e.marker().col() + 1 }),
        message: e.info().to_owned(),
    })?;
    let Some(doc) = docs.first() else {
        return Err(YamlError { at: None, message: "the file holds no YAML document".into() });
    };
    convert(doc, 0)
}

fn position(node: &MarkedYaml<'_>) -> Position {
    Position { line: node.span.start.line().max(1), column: node.span.start.col() + 1 }
}

fn convert(node: &MarkedYaml<'_>, depth: usize) -> Result<Node, YamlError> {
    let at = position(node);
    if depth > MAX_DEPTH {
        return Err(YamlError {
            at: Some(at),
            message: format!("nodes are nested more than {MAX_DEPTH} deep"),
        });
    }
    let y = match &node.data {
        YamlData::Value(scalar) => match scalar {
            Scalar::Null => Y::Null,
            Scalar::Boolean(b) => Y::Bool(*b),
            Scalar::Integer(i) => Y::Int(*i),
            Scalar::FloatingPoint(x) => Y::Float(x.into_inner()),
            Scalar::String(s) => Y::Str(s.to_string()),
        },
        YamlData::Representation(text, _, _) => Y::Str(text.to_string()),
        YamlData::Sequence(items) => {
            Y::Seq(items.iter().map(|i| convert(i, depth + 1)).collect::<Result<_, _>>()?)
        }
        YamlData::Mapping(entries) => Y::Map(
            entries
                .iter()
                .map(|(k, v)| Ok((convert(k, depth + 1)?, convert(v, depth + 1)?)))
                .collect::<Result<_, YamlError>>()?,
        ),
        YamlData::Tagged(_, inner) => return convert(inner, depth + 1),
        YamlData::Alias(_) => {
            return Err(YamlError { at: Some(at), message: "YAML aliases are not supported".into() });
        }
        YamlData::BadValue => {
            return Err(YamlError { at: Some(at), message: "a value that cannot be read".into() });
        }
    };
    Ok(Node { y, at })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_positions_and_values() {
        let doc = parse("name: x\nvalues:\n- 1\n- 2.5\n- -.inf\nmap:\n  'a b': true\n").unwrap();
        assert_eq!(doc.get("name").and_then(Node::as_str), Some("x"));
        let values = doc.get("values").and_then(Node::as_seq).unwrap();
        assert_eq!(values[0].y, Y::Int(1));
        assert_eq!(values[1].at, Position { line: 4, column: 3 });
        assert_eq!(values[2].as_f64(), Some(f64::NEG_INFINITY));
        let map = doc.get("map").and_then(Node::as_map).unwrap();
        assert_eq!(map[0].0.as_str(), Some("a b"));
        assert_eq!(map[0].1.y, Y::Bool(true));
    }

    #[test]
    fn reports_errors_with_positions() {
        let e = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(e.at.is_some(), "{e:?}");
        assert!(parse("a: 1\na: 2\n").is_err(), "duplicate keys are refused");
        let deep = "[".repeat(MAX_DEPTH + 2) + &"]".repeat(MAX_DEPTH + 2);
        assert!(parse(&deep).is_err());
    }

    // Found while hardening the NegMAS reader for fuzzing: a few thousand nested block mappings
    // overflowed the stack inside saphyr's parser.
    #[test]
    fn deeply_nested_block_mappings_are_refused_not_a_stack_overflow() {
        let deep: String = (0..5000).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        assert!(parse(&deep).unwrap_err().message.contains("nested more than"));
        let compact = "- ".repeat(5000) + "x\n";
        assert!(parse(&compact).is_err());
        let flow = "[".repeat(100_000) + &"]".repeat(100_000);
        assert!(parse(&flow).is_err());
        let fine = "a:\n  b:\n    - c: 1\n      d: [1, [2, {e: 3}]]\n";
        assert!(parse(fine).is_ok());
    }
}
