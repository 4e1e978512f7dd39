//! Red-line rules: a small expression language, parsed by hand (recursive descent) so that every
//! error points at the exact column inside the rule string.
//!
//! ```text
//! rule       := all ("or" all)*
//! all        := primary ("and" primary)*
//! primary    := "(" rule ")" | comparison
//! comparison := issue op value | issue "in" "[" value ("," value)* [","] "]"
//! op         := "==" | "!=" | "<" | "<=" | ">" | ">="
//! issue      := name | `any text`             (backticks for names that are not plain words)
//! value      := "text" | 'text' | number | true | false | name
//! name       := [A-Za-z_][A-Za-z0-9_-]*        (a bare name as a value is an option name)
//! ```
//!
//! `a and b and c` is one [`Constraint::AllOf`] with three parts; parentheses make a nested one, so
//! that [`format`] and [`parse`] round-trip every constraint with at least two parts per combination.

use truce_model::{CmpOp, Constraint, OutcomeSpace, Value};

use super::raw::RawValue;
use super::values::{ValueError, raw_of, value_of};

/// A syntax or resolution error at byte `start..end` of the rule.
#[derive(Debug, PartialEq)]
pub(crate) struct ExprError {
    pub start: usize,
    pub end: usize,
    pub code: &'static str,
    pub message: String,
    pub hint: Option<String>,
}

/// The parsed form, with the byte span of every name and value.
#[derive(Debug, PartialEq)]
pub(crate) enum Expr {
    Compare { issue: Spanned<String>, op: CmpOp, value: Spanned<RawValue> },
    OneOf { issue: Spanned<String>, values: Vec<Spanned<RawValue>> },
    All(Vec<Expr>),
    Any(Vec<Expr>),
}

/// A value with its byte span in the rule.
#[derive(Debug, PartialEq)]
pub(crate) struct Spanned<T> {
    pub value: T,
    pub start: usize,
    pub end: usize,
}

const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Name(String),
    Quoted(String),
    Str(String),
    Int(i64),
    Float(f64),
    True,
    False,
    And,
    Or,
    In,
    Op(CmpOp),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
}

struct Token {
    tok: Tok,
    start: usize,
    end: usize,
}

fn err(start: usize, end: usize, message: impl Into<String>, hint: Option<&str>) -> ExprError {
    ExprError { start, end, code: "red-line-syntax", message: message.into(), hint: hint.map(str::to_owned) }
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn lex(text: &str) -> Result<Vec<Token>, ExprError> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let single = |tok| Token { tok, start, end: start + c.len_utf8() };
        let next_is = |s: &str| text[start..].starts_with(s);
        let token = match c {
            '(' => single(Tok::LParen),
            ')' => single(Tok::RParen),
            '[' => single(Tok::LBracket),
            ']' => single(Tok::RBracket),
            ',' => single(Tok::Comma),
            '=' | '!' | '<' | '>' => {
                let (op, len) = if next_is("==") {
                    (CmpOp::Eq, 2)
                } else if next_is("!=") {
                    (CmpOp::Ne, 2)
                } else if next_is("<=") {
                    (CmpOp::Le, 2)
                } else if next_is(">=") {
                    (CmpOp::Ge, 2)
                } else if c == '<' {
                    (CmpOp::Lt, 1)
                } else if c == '>' {
                    (CmpOp::Gt, 1)
                } else if c == '=' {
                    return Err(err(
                        start,
                        start + 1,
                        "`=` is not a comparison",
                        Some("write `==` to compare"),
                    ));
                } else {
                    return Err(err(
                        start,
                        start + 1,
                        "`!` on its own is not an operator",
                        Some("write `!=`"),
                    ));
                };
                Token { tok: Tok::Op(op), start, end: start + len }
            }
            '&' | '|' => {
                let word = if c == '&' { "and" } else { "or" };
                return Err(err(
                    start,
                    start + 1,
                    format!("`{c}` is not an operator"),
                    Some(&format!("write `{word}`")),
                ));
            }
            '"' | '\'' | '`' => {
                let (content, end) = quoted(text, start, c)?;
                Token { tok: if c == '`' { Tok::Quoted(content) } else { Tok::Str(content) }, start, end }
            }
            c if c.is_ascii_digit() || c == '-' || c == '+' || c == '.' => number(text, start)?,
            c if is_name_start(c) => {
                let end = text[start..].find(|ch: char| !is_name_char(ch)).map_or(text.len(), |i| start + i);
                let word = &text[start..end];
                let tok = match word {
                    "and" => Tok::And,
                    "or" => Tok::Or,
                    "in" => Tok::In,
                    "true" => Tok::True,
                    "false" => Tok::False,
                    "not" => {
                        return Err(err(
                            start,
                            end,
                            "`not` is not supported",
                            Some(
                                "use `!=`, the opposite comparison, or list the allowed values with `in [...]`",
                            ),
                        ));
                    }
                    _ => Tok::Name(word.to_owned()),
                };
                Token { tok, start, end }
            }
            other => {
                return Err(err(
                    start,
                    start + other.len_utf8(),
                    format!("unexpected character `{other}`"),
                    None,
                ));
            }
        };
        while chars.peek().is_some_and(|&(i, _)| i < token.end) {
            chars.next();
        }
        tokens.push(token);
    }
    Ok(tokens)
}

/// A quoted string or name starting at `start` with `quote`: `\\` and `\<quote>` are its only escapes.
fn quoted(text: &str, start: usize, quote: char) -> Result<(String, usize), ExprError> {
    let mut out = String::new();
    let mut iter = text[start + 1..].char_indices();
    while let Some((i, c)) = iter.next() {
        let at = start + 1 + i;
        if c == quote {
            return Ok((out, at + 1));
        }
        if c == '\\' {
            match iter.next() {
                Some((_, e)) if e == quote || e == '\\' => out.push(e),
                Some((j, e)) => {
                    let e_at = start + 1 + j;
                    return Err(err(
                        at,
                        e_at + e.len_utf8(),
                        format!("unknown escape `\\{e}`"),
                        Some(&format!("only `\\{quote}` and `\\\\` are escapes here")),
                    ));
                }
                None => break,
            }
        } else {
            out.push(c);
        }
    }
    let what = if quote == '`' { "name" } else { "string" };
    Err(err(start, text.len(), format!("this {what} is not closed"), Some(&format!("end it with {quote}"))))
}

fn number(text: &str, start: usize) -> Result<Token, ExprError> {
    let bytes = text.as_bytes();
    let mut end = start;
    if end < bytes.len() && (bytes[end] == b'-' || bytes[end] == b'+') {
        end += 1;
    }
    let digits = |mut i: usize| {
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    let int_end = digits(end);
    let mut is_float = false;
    end = int_end;
    if end < bytes.len() && bytes[end] == b'.' {
        is_float = true;
        end = digits(end + 1);
    }
    if end < bytes.len() && (bytes[end] == b'e' || bytes[end] == b'E') {
        let mut e = end + 1;
        if e < bytes.len() && (bytes[e] == b'-' || bytes[e] == b'+') {
            e += 1;
        }
        let e_end = digits(e);
        if e_end > e {
            is_float = true;
            end = e_end;
        }
    }
    // A number runs into a name (`30days`): say so rather than splitting it.
    let tail = text[end..].chars().next();
    let body = &text[start..end];
    if !body.bytes().any(|b| b.is_ascii_digit()) || tail.is_some_and(|c| is_name_char(c) || c == '.') {
        let stop = text[start..]
            .find(|c: char| c.is_whitespace() || "()[],=!<>".contains(c))
            .map_or(text.len(), |i| start + i)
            .max(start + 1);
        return Err(err(
            start,
            stop,
            format!("`{}` is not a number", crate::report::excerpt(&text[start..stop])),
            None,
        ));
    }
    let tok = if is_float {
        match body.parse::<f64>() {
            Ok(v) if v.is_finite() => Tok::Float(v),
            _ => return Err(err(start, end, format!("`{body}` is not a finite number"), None)),
        }
    } else {
        match body.parse::<i64>() {
            Ok(v) => Tok::Int(v),
            Err(_) => {
                return Err(err(
                    start,
                    end,
                    format!("the number {body} is too large"),
                    Some("integers must lie between -2^63 and 2^63 - 1"),
                ));
            }
        }
    };
    Ok(Token { tok, start, end })
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    len: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn end_span(&self) -> (usize, usize) {
        (self.len, self.len)
    }

    fn here(&self) -> (usize, usize) {
        self.peek().map_or(self.end_span(), |t| (t.start, t.end))
    }

    fn describe(&self) -> String {
        match self.peek() {
            None => "the end of the rule".to_owned(),
            Some(t) => match &t.tok {
                Tok::Name(n) => format!("`{n}`"),
                Tok::Quoted(n) => format!("`{n}`"),
                Tok::Str(s) => format!("the string \"{s}\""),
                Tok::Int(v) => format!("the number {v}"),
                Tok::Float(v) => format!("the number {v}"),
                Tok::True => "`true`".to_owned(),
                Tok::False => "`false`".to_owned(),
                Tok::And => "`and`".to_owned(),
                Tok::Or => "`or`".to_owned(),
                Tok::In => "`in`".to_owned(),
                Tok::Op(op) => format!("`{}`", op.symbol()),
                Tok::LParen => "`(`".to_owned(),
                Tok::RParen => "`)`".to_owned(),
                Tok::LBracket => "`[`".to_owned(),
                Tok::RBracket => "`]`".to_owned(),
                Tok::Comma => "`,`".to_owned(),
            },
        }
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        if self.peek().is_some_and(|t| &t.tok == tok) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn rule(&mut self, depth: usize) -> Result<Expr, ExprError> {
        let mut parts = vec![self.all(depth)?];
        while self.eat(&Tok::Or) {
            parts.push(self.all(depth)?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Expr::Any(parts) })
    }

    fn all(&mut self, depth: usize) -> Result<Expr, ExprError> {
        let mut parts = vec![self.primary(depth)?];
        while self.eat(&Tok::And) {
            parts.push(self.primary(depth)?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Expr::All(parts) })
    }

    fn primary(&mut self, depth: usize) -> Result<Expr, ExprError> {
        let (start, end) = self.here();
        if self.eat(&Tok::LParen) {
            if depth >= MAX_DEPTH {
                return Err(err(start, end, format!("more than {MAX_DEPTH} nested parentheses"), None));
            }
            let inner = self.rule(depth + 1)?;
            if !self.eat(&Tok::RParen) {
                let (s, e) = self.here();
                return Err(err(
                    s,
                    e,
                    format!("expected `)` or `and` / `or`, found {}", self.describe()),
                    Some("close the parenthesis opened earlier"),
                ));
            }
            return Ok(inner);
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, ExprError> {
        let (start, end) = self.here();
        let issue = match self.peek().map(|t| t.tok.clone()) {
            Some(Tok::Name(n) | Tok::Quoted(n)) => {
                self.pos += 1;
                Spanned { value: n, start, end }
            }
            _ => {
                return Err(err(
                    start,
                    end,
                    format!("expected an issue name, found {}", self.describe()),
                    Some(CONDITION_HINT),
                ));
            }
        };
        let (op_start, op_end) = self.here();
        match self.peek().map(|t| t.tok.clone()) {
            Some(Tok::Op(op)) => {
                self.pos += 1;
                let value = self.value()?;
                Ok(Expr::Compare { issue, op, value })
            }
            Some(Tok::In) => {
                self.pos += 1;
                if !self.eat(&Tok::LBracket) {
                    let (s, e) = self.here();
                    return Err(err(
                        s,
                        e,
                        format!("expected `[` after `in`, found {}", self.describe()),
                        None,
                    ));
                }
                let mut values = Vec::new();
                loop {
                    if self.peek().is_some_and(|t| t.tok == Tok::RBracket) && !values.is_empty() {
                        self.pos += 1;
                        break;
                    }
                    if self.peek().is_some_and(|t| t.tok == Tok::RBracket) {
                        let (s, e) = self.here();
                        return Err(err(
                            s,
                            e,
                            "the list is empty: it could never hold",
                            Some("list at least one value"),
                        ));
                    }
                    values.push(self.value()?);
                    if self.eat(&Tok::Comma) {
                        continue;
                    }
                    if self.eat(&Tok::RBracket) {
                        break;
                    }
                    let (s, e) = self.here();
                    return Err(err(s, e, format!("expected `,` or `]`, found {}", self.describe()), None));
                }
                Ok(Expr::OneOf { issue, values })
            }
            _ => Err(err(
                op_start,
                op_end,
                format!("expected a comparison (==, !=, <, <=, >, >=) or `in`, found {}", self.describe()),
                None,
            )),
        }
    }

    fn value(&mut self) -> Result<Spanned<RawValue>, ExprError> {
        let (start, end) = self.here();
        let value = match self.peek().map(|t| t.tok.clone()) {
            Some(Tok::Str(s) | Tok::Name(s)) => RawValue::Str(s),
            Some(Tok::Int(v)) => RawValue::Int(v),
            Some(Tok::Float(v)) => RawValue::Float(v),
            Some(Tok::True) => RawValue::Bool(true),
            Some(Tok::False) => RawValue::Bool(false),
            _ => {
                return Err(err(
                    start,
                    end,
                    format!("expected a value, found {}", self.describe()),
                    Some("a value is an option name (\"populated_areas\"), a number, or true/false"),
                ));
            }
        };
        self.pos += 1;
        Ok(Spanned { value, start, end })
    }
}

/// Parses a rule. Errors carry byte offsets into `text`.
pub(crate) fn parse(text: &str) -> Result<Expr, ExprError> {
    let tokens = lex(text)?;
    if tokens.is_empty() {
        return Err(err(0, text.len(), "the rule is empty", Some("write a condition such as `ratio <= 30`")));
    }
    let mut parser = Parser { tokens, pos: 0, len: text.len() };
    let expr = parser.rule(0)?;
    if parser.pos < parser.tokens.len() {
        let (s, e) = parser.here();
        return Err(err(
            s,
            e,
            format!("unexpected {} after a complete condition", parser.describe()),
            Some("join conditions with `and` or `or`"),
        ));
    }
    Ok(expr)
}

/// What a condition looks like, in examples that parse.
const CONDITION_HINT: &str =
    "a condition reads like `ratio <= 30`, `scope == \"wide\"` or `scope in [\"narrow\", \"wide\"]`";

/// The hint of `unordered-comparison`, here and in validation: syntax that parses.
pub(crate) const UNORDERED_HINT: &str =
    "mark the issue `ordered = true`, or use `==`, `!=` or `in [...]` (e.g. `scope in [\"a\", \"b\"]`)";

/// Resolves names and values against the issues. Every error is reported, not just the first.
pub(crate) fn resolve(expr: &Expr, space: &OutcomeSpace, errors: &mut Vec<ExprError>) -> Option<Constraint> {
    let lookup = |issue: &Spanned<String>, errors: &mut Vec<ExprError>| {
        let found = space.issue_id(&issue.value);
        if found.is_none() {
            let names = space.issues().iter().map(|i| i.name.as_str());
            let hint =
                super::suggest::did_you_mean(&issue.value, names).map(|s| format!("did you mean `{s}`?"));
            errors.push(ExprError {
                start: issue.start,
                end: issue.end,
                code: "unknown-issue",
                message: format!("no issue is called `{}`", issue.value),
                hint,
            });
        }
        found
    };
    // The kind of value, then the range: both at the value's position, for every value of the rule.
    let value = |issue: truce_model::IssueId, v: &Spanned<RawValue>, errors: &mut Vec<ExprError>| {
        let def = space.issue(issue);
        match value_of(def, &v.value) {
            Ok(value) => match def.out_of_range(value) {
                None => Some(value),
                Some((message, hint)) => {
                    let code = "value-out-of-range";
                    errors.push(ExprError { start: v.start, end: v.end, code, message, hint: Some(hint) });
                    None
                }
            },
            Err(ValueError { code, message, hint }) => {
                errors.push(ExprError { start: v.start, end: v.end, code, message, hint });
                None
            }
        }
    };
    match expr {
        Expr::Compare { issue, op, value: v } => {
            let id = lookup(issue, errors)?;
            let def = space.issue(id);
            let unordered = op.needs_order() && !def.domain().is_ordered();
            if unordered {
                errors.push(ExprError {
                    start: issue.start,
                    end: v.end,
                    code: "unordered-comparison",
                    message: format!(
                        "`{}` is compared with `{}` but its options have no order",
                        def.name,
                        op.symbol()
                    ),
                    hint: Some(UNORDERED_HINT.to_owned()),
                });
            }
            let value = value(id, v, errors)?;
            (!unordered).then_some(Constraint::Compare { issue: id, op: *op, value })
        }
        Expr::OneOf { issue, values } => {
            let id = lookup(issue, errors)?;
            let resolved: Vec<Option<Value>> = values.iter().map(|v| value(id, v, errors)).collect();
            let values = resolved.into_iter().collect::<Option<Vec<_>>>()?;
            Some(Constraint::OneOf { issue: id, values })
        }
        Expr::All(parts) | Expr::Any(parts) => {
            let resolved: Vec<Option<Constraint>> = parts.iter().map(|p| resolve(p, space, errors)).collect();
            let parts = resolved.into_iter().collect::<Option<Vec<_>>>()?;
            Some(if matches!(expr, Expr::All(_)) {
                Constraint::AllOf(parts)
            } else {
                Constraint::AnyOf(parts)
            })
        }
    }
}

/// Why a constraint cannot be written as a rule.
#[derive(Debug, PartialEq)]
pub(crate) enum FormatError {
    /// An `all_of` / `any_of` with no parts has no syntax.
    EmptyCombination,
    /// A value does not belong to its issue's kind (e.g. an option index on an integer issue).
    Value(String),
}

/// Writes a constraint in the rule syntax. Combinations of a single part are written as that part
/// (`simplified` is set): the meaning is the same, the model value differs.
pub(crate) fn format(
    c: &Constraint,
    space: &OutcomeSpace,
    simplified: &mut bool,
) -> Result<String, FormatError> {
    match c {
        Constraint::Compare { issue, op, value } => {
            let issue =
                space.issues().get(issue.index()).ok_or(FormatError::Value(format!("issue #{issue}")))?;
            Ok(format!("{} {} {}", format_name(&issue.name), op.symbol(), format_value(issue, *value)?))
        }
        Constraint::OneOf { issue, values } => {
            if values.is_empty() {
                return Err(FormatError::EmptyCombination);
            }
            let issue =
                space.issues().get(issue.index()).ok_or(FormatError::Value(format!("issue #{issue}")))?;
            let values = values.iter().map(|v| format_value(issue, *v)).collect::<Result<Vec<_>, _>>()?;
            Ok(format!("{} in [{}]", format_name(&issue.name), values.join(", ")))
        }
        Constraint::AllOf(parts) | Constraint::AnyOf(parts) => {
            let sep = if matches!(c, Constraint::AllOf(_)) { " and " } else { " or " };
            match parts.as_slice() {
                [] => Err(FormatError::EmptyCombination),
                [only] => {
                    *simplified = true;
                    format(only, space, simplified)
                }
                parts => {
                    let mut out = Vec::with_capacity(parts.len());
                    for part in parts {
                        let text = format(part, space, simplified)?;
                        let nested =
                            matches!(part, Constraint::AllOf(p) | Constraint::AnyOf(p) if p.len() != 1);
                        out.push(if nested { format!("({text})") } else { text });
                    }
                    Ok(out.join(sep))
                }
            }
        }
    }
}

fn format_name(name: &str) -> String {
    let plain = name.chars().next().is_some_and(is_name_start)
        && name.chars().all(is_name_char)
        && !matches!(name, "and" | "or" | "in" | "true" | "false" | "not");
    if plain { name.to_owned() } else { format!("`{}`", escape(name, '`')) }
}

fn escape(text: &str, quote: char) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == quote || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn format_value(issue: &truce_model::Issue, value: Value) -> Result<String, FormatError> {
    match raw_of(issue, value) {
        Some(RawValue::Str(s)) => Ok(format!("\"{}\"", escape(&s, '"'))),
        Some(RawValue::Int(v)) => Ok(v.to_string()),
        Some(RawValue::Float(v)) if v.is_finite() => Ok(format!("{v:?}")),
        Some(RawValue::Bool(b)) => Ok(b.to_string()),
        Some(RawValue::Float(v)) => Err(FormatError::Value(format!("{v} for `{}`", issue.name))),
        None => Err(FormatError::Value(format!("{} for `{}`", issue.format_value(value), issue.name))),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use truce_model::{Issue, IssueDomain, IssueId};

    use super::*;

    /// Every rule a hint suggests, in the readers and in validation, parses: hints name the syntax
    /// the reader takes (`in [...]`, never `one_of`).
    #[test]
    fn every_rule_a_hint_suggests_parses() {
        let sources = [
            include_str!("expr.rs"),
            include_str!("resolve.rs"),
            include_str!("values.rs"),
            include_str!("../../../truce-model/src/validate.rs"),
        ];
        let ops = [" == ", " != ", " <= ", " >= ", " < ", " > ", " in ["];
        let mut rules = Vec::new();
        for line in sources.iter().flat_map(|s| s.lines()) {
            let line = line.replace("\\\"", "\"");
            for fragment in line.split('`').skip(1).step_by(2) {
                let starts_with_name = fragment.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
                if starts_with_name && ops.iter().any(|op| fragment.contains(op)) {
                    rules.push(fragment.to_owned());
                }
            }
        }
        assert!(rules.len() >= 4, "{rules:?}");
        assert!(rules.iter().any(|r| r.contains(" in [")), "{rules:?}");
        for rule in &rules {
            assert!(parse(rule).is_ok(), "the hint's rule `{rule}` does not parse: {:?}", parse(rule));
        }
        for hint in [CONDITION_HINT, UNORDERED_HINT] {
            assert!(!hint.contains("one_of"), "{hint}");
        }
    }

    fn space() -> OutcomeSpace {
        OutcomeSpace::new(vec![
            Issue::new(
                "withdrawal",
                IssueDomain::discrete(vec!["none".into(), "populated_areas".into(), "full".into()], true)
                    .unwrap(),
            ),
            Issue::new("ratio", IssueDomain::integer(0, 50, 1).unwrap()),
            Issue::new(
                "permanent_ceasefire",
                IssueDomain::discrete(vec!["no".into(), "yes".into()], false).unwrap(),
            ),
            Issue::new("aid per day", IssueDomain::real(0.0, 600.0, 7).unwrap()),
        ])
        .unwrap()
    }

    fn constraint(text: &str) -> Result<Constraint, Vec<ExprError>> {
        let expr = parse(text).map_err(|e| vec![e])?;
        let mut errors = Vec::new();
        resolve(&expr, &space(), &mut errors).ok_or(errors)
    }

    fn error_at(text: &str) -> (usize, String) {
        let errors = constraint(text).unwrap_err();
        (errors[0].start, errors[0].message.clone())
    }

    #[test]
    fn parses_the_brief_examples() {
        assert_eq!(
            constraint(r#"withdrawal >= "populated_areas""#),
            Ok(Constraint::Compare { issue: IssueId(0), op: CmpOp::Ge, value: Value::Option(1) })
        );
        assert_eq!(
            constraint("permanent_ceasefire == true"),
            Ok(Constraint::Compare { issue: IssueId(2), op: CmpOp::Eq, value: Value::Option(1) })
        );
        assert_eq!(
            constraint("ratio <= 30"),
            Ok(Constraint::Compare { issue: IssueId(1), op: CmpOp::Le, value: Value::Int(30) })
        );
        assert_eq!(
            constraint("`aid per day` > 199.5"),
            Ok(Constraint::Compare { issue: IssueId(3), op: CmpOp::Gt, value: Value::Real(199.5) })
        );
    }

    #[test]
    fn and_binds_tighter_than_or_and_parentheses_nest() {
        let c = constraint("ratio <= 30 or withdrawal == full and permanent_ceasefire == true").unwrap();
        let Constraint::AnyOf(parts) = &c else { panic!("{c:?}") };
        assert!(matches!(parts[1], Constraint::AllOf(ref inner) if inner.len() == 2));
        let c = constraint("(ratio <= 30 or ratio >= 40) and withdrawal in [none, 'full',]").unwrap();
        let Constraint::AllOf(parts) = &c else { panic!("{c:?}") };
        assert!(matches!(parts[0], Constraint::AnyOf(_)));
        assert_eq!(
            parts[1],
            Constraint::OneOf { issue: IssueId(0), values: vec![Value::Option(0), Value::Option(2)] }
        );
    }

    #[test]
    fn errors_point_at_the_offending_column() {
        assert_eq!(
            error_at("ratio <= 30 and"),
            (15, "expected an issue name, found the end of the rule".into())
        );
        assert_eq!(error_at("ratio = 30").0, 6);
        assert_eq!(error_at("ratio <= 30 withdrawal == none").0, 12);
        assert_eq!(error_at("withdrawl == none"), (0, "no issue is called `withdrawl`".into()));
        assert_eq!(error_at("withdrawal == \"nonee\"").0, 14);
        assert_eq!(error_at("ratio <= \"thirty\"").0, 9);
        assert_eq!(error_at("ratio <= 30.5").0, 9);
        assert_eq!(error_at("(ratio <= 30").0, 12);
        assert_eq!(error_at("ratio in []").0, 10);
        assert_eq!(error_at("ratio <= 99999999999999999999").0, 9);
        assert_eq!(error_at("ratio <= 3x").0, 9);
        assert_eq!(error_at("withdrawal == 'full").0, 14);
        assert_eq!(error_at("ratio <= 30 && ratio > 2").0, 12);
        assert_eq!(error_at("not ratio <= 30").0, 0);
        assert_eq!(error_at("   ").1, "the rule is empty");
        assert_eq!(error_at("ratio <= 30 §").0, 12);
        assert!(error_at(&format!("{}ratio <= 1{}", "(".repeat(100), ")".repeat(100))).1.contains("nested"));
    }

    #[test]
    fn reports_every_unknown_name() {
        let errors = constraint("foo == 1 and bar == 2").unwrap_err();
        assert_eq!(errors.iter().map(|e| e.start).collect::<Vec<_>>(), vec![0, 13]);
    }

    fn arb_leaf() -> impl Strategy<Value = Constraint> {
        prop_oneof![
            (0u32..3, 0usize..6).prop_map(|(v, op)| Constraint::Compare {
                issue: IssueId(0),
                op: [CmpOp::Eq, CmpOp::Ne, CmpOp::Lt, CmpOp::Le, CmpOp::Gt, CmpOp::Ge][op],
                value: Value::Option(v),
            }),
            (0i64..=50).prop_map(|v| Constraint::Compare {
                issue: IssueId(1),
                op: CmpOp::Le,
                value: Value::Int(v)
            }),
            (0u32..2).prop_map(|v| Constraint::Compare {
                issue: IssueId(2),
                op: CmpOp::Eq,
                value: Value::Option(v)
            }),
            (0.0f64..600.0).prop_map(|v| Constraint::Compare {
                issue: IssueId(3),
                op: CmpOp::Ge,
                value: Value::Real(v)
            }),
            prop::collection::vec(0i64..=50, 1..4).prop_map(|vs| Constraint::OneOf {
                issue: IssueId(1),
                values: vs.into_iter().map(Value::Int).collect()
            }),
        ]
    }

    fn arb_constraint() -> impl Strategy<Value = Constraint> {
        arb_leaf().prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 2..4).prop_map(Constraint::AllOf),
                prop::collection::vec(inner, 2..4).prop_map(Constraint::AnyOf),
            ]
        })
    }

    proptest! {
        #[test]
        fn format_then_parse_gives_back_the_constraint(c in arb_constraint()) {
            let space = space();
            let mut simplified = false;
            let text = format(&c, &space, &mut simplified).unwrap();
            prop_assert!(!simplified);
            prop_assert_eq!(constraint(&text), Ok(c), "{}", text);
        }

        #[test]
        fn never_panics_on_arbitrary_text(text in "\\PC{0,40}") {
            let _ = constraint(&text);
        }
    }
}
