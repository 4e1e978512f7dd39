//! Reading case files: a single `.toml` file or a case folder, each file parsed as TOML and its items
//! deserialized one at a time, so that one malformed party does not hide the problems of the next.
//!
//! A case folder is read as follows: `case.toml` first, then every other `*.toml` file under the folder
//! (subfolders included) in sorted order of relative path, compared component by component, byte-wise.
//! Names starting with `.` are skipped; symbolic links to folders are not followed (so there can be no
//! cycle), symbolic links to files are read. Each file adds its `sources`, `issues`, `phases`, `parties`
//! and `proposals` to the case's, in that order; `[case]` is allowed only in `case.toml`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_spanned::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::raw::{
    DATE_WITH_TIME, RawAgreement, RawCase, RawIssue, RawParty, RawPhase, RawProposal, RawSource,
    RawStateOfPlay, Span, TOP_LEVEL_KEYS,
};
use super::suggest::did_you_mean;
use crate::Diagnostic;
use crate::load::Files;

/// One file of a case, kept for positions.
pub(crate) struct SourceFile {
    /// The path as the user would write it (the case path joined with the file's relative path).
    pub path: PathBuf,
    /// The file's contents.
    pub text: String,
    /// The byte offset at which each line starts.
    line_starts: Vec<usize>,
}

impl SourceFile {
    fn new(path: PathBuf, text: String) -> Self {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Self { path, text, line_starts }
    }

    /// The line and column of byte `offset`, as [`crate::Position::from_offset`] computes them, in
    /// O(log lines + line length) rather than O(offset): a large case records tens of thousands.
    pub fn position(&self, offset: usize) -> crate::Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = self.line_starts[line - 1];
        crate::Position { line, column: self.text[start..offset].chars().count() + 1 }
    }
}

/// An item read from file `file`, at `span`.
pub(crate) struct Item<T> {
    pub file: usize,
    pub span: Span,
    pub value: T,
}

/// Names declared by items that could not be read: references to them are not reported again.
#[derive(Default)]
pub(crate) struct Broken {
    pub sources: HashSet<String>,
    pub issues: HashSet<String>,
    pub phases: HashSet<String>,
    pub parties: HashSet<String>,
    pub proposals: HashSet<String>,
}

/// Everything read from a case's files, before resolution.
#[derive(Default)]
pub(crate) struct RawCaseFiles {
    pub files: Vec<SourceFile>,
    pub case: Option<Item<RawCase>>,
    pub sources: Vec<Item<RawSource>>,
    pub issues: Vec<Item<RawIssue>>,
    pub phases: Vec<Item<RawPhase>>,
    pub parties: Vec<Item<RawParty>>,
    pub proposals: Vec<Item<RawProposal>>,
    pub state_of_play: Vec<Item<RawStateOfPlay>>,
    pub agreements: Vec<Item<RawAgreement>>,
    pub broken: Broken,
    /// Problems found while reading; any error means the case cannot be built.
    pub diagnostics: Vec<Diagnostic>,
}

impl RawCaseFiles {
    /// A diagnostic-ready (file, position) for a span of file `file`.
    pub fn error_at(
        &self,
        code: &'static str,
        file: usize,
        offset: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        let f = &self.files[file];
        Diagnostic::error(code, &f.path, message).at(f.position(offset))
    }
}

/// Reads the case at `path`: a `.toml` file, or a folder holding `case.toml`.
pub(crate) fn read_path(path: &Path, input: &mut Files) -> RawCaseFiles {
    let mut raw = RawCaseFiles::default();
    if input.is_dir(path) {
        let mut files = Vec::new();
        if let Some(tree) = input.memory_tree(path) {
            files.extend(tree.into_iter().filter(|p| {
                p.extension().is_some_and(|e| e == "toml")
                    && !p.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
            }));
        } else if let Err(d) = list_toml_files(path, Path::new(""), &mut files, &mut raw.diagnostics) {
            raw.diagnostics.push(d);
            return raw;
        }
        let case_toml = Path::new("case.toml");
        files.sort_by(|a, b| (a.as_path() != case_toml, a).cmp(&(b.as_path() != case_toml, b)));
        if files.first().map(PathBuf::as_path) != Some(case_toml) {
            raw.diagnostics.push(
                Diagnostic::error("missing-case", path, "the folder holds no case.toml")
                    .with_hint("a case folder needs a case.toml with the [case] table"),
            );
            return raw;
        }
        for relative in files {
            let is_case_toml = relative.as_path() == case_toml;
            let full = path.join(&relative);
            match input.read(&full, read_text) {
                Ok(text) => parse_file(&mut raw, full, text.to_string(), is_case_toml),
                Err(d) => raw.diagnostics.push(d),
            }
        }
    } else {
        match input.read(path, read_text) {
            Ok(text) => parse_file(&mut raw, path.to_path_buf(), text.to_string(), true),
            Err(d) => raw.diagnostics.push(d),
        }
    }
    if raw.case.is_none() && !raw.diagnostics.iter().any(Diagnostic::is_error) {
        let file = raw.files.first().map_or_else(|| path.to_path_buf(), |f| f.path.clone());
        raw.diagnostics.push(
            Diagnostic::error("missing-case", file, "the case has no [case] table")
                .with_hint("start the file with [case] and its id and title")
                .at(crate::Position { line: 1, column: 1 }),
        );
    }
    raw
}

/// Parses one file's text (already read) as the only file of a case: the in-memory entry point.
pub(crate) fn read_text_as_case(text: &str, file: &Path) -> RawCaseFiles {
    let mut raw = RawCaseFiles::default();
    parse_file(&mut raw, file.to_path_buf(), text.to_owned(), true);
    if raw.case.is_none() && !raw.diagnostics.iter().any(Diagnostic::is_error) {
        raw.diagnostics.push(
            Diagnostic::error("missing-case", file, "the case has no [case] table")
                .with_hint("start the file with [case] and its id and title")
                .at(crate::Position { line: 1, column: 1 }),
        );
    }
    raw
}

fn list_toml_files(
    root: &Path,
    relative: &Path,
    out: &mut Vec<PathBuf>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(), Diagnostic> {
    let folder = root.join(relative);
    let entries = std::fs::read_dir(&folder)
        .map_err(|e| Diagnostic::error("io", &folder, format!("cannot list the folder: {e}")))?;
    for entry in entries {
        let entry =
            entry.map_err(|e| Diagnostic::error("io", &folder, format!("cannot list the folder: {e}")))?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let rel = relative.join(&name);
        let file_type = entry
            .file_type()
            .map_err(|e| Diagnostic::error("io", entry.path(), format!("cannot read: {e}")))?;
        let is_toml = Path::new(&name).extension().is_some_and(|e| e == "toml");
        if file_type.is_dir() {
            list_toml_files(root, &rel, out, diagnostics)?;
        } else if file_type.is_symlink() {
            match std::fs::metadata(entry.path()) {
                Ok(m) if m.is_dir() => diagnostics.push(
                    Diagnostic::warning(
                        "ignored-symlink",
                        entry.path(),
                        "a symbolic link to a folder is not followed; its files are not part of the case",
                    )
                    .with_hint("move or copy the files into the case folder"),
                ),
                Ok(_) if is_toml => out.push(rel),
                Ok(_) => {}
                Err(e) => {
                    diagnostics.push(Diagnostic::error("io", entry.path(), format!("cannot read: {e}")))
                }
            }
        } else if is_toml {
            out.push(rel);
        }
    }
    Ok(())
}

fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes = crate::disk::read_bytes(path)?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        Diagnostic::error("not-utf8", path, "the file is not valid UTF-8 text")
            .at_offset(&text, valid)
            .with_hint("save the file as UTF-8")
    })
}

fn parse_file(raw: &mut RawCaseFiles, path: PathBuf, text: String, is_case_toml: bool) {
    let file = raw.files.len();
    raw.files.push(SourceFile::new(path, text));
    let text = raw.files[file].text.clone();
    let (table, errors) = DeTable::parse_recoverable(&text);
    if !errors.is_empty() {
        for e in errors {
            let offset = e.span().map_or(0, |s| s.start);
            raw.diagnostics.push(raw.error_at("toml-syntax", file, offset, syntax_message(e.message())));
        }
        // Declared names are still known, so that other files' references to them are not reported
        // as unknown: the syntax errors are the problem to fix.
        remember_names(&mut raw.broken, table.get_ref());
        return;
    }
    for (key, value) in table.into_inner() {
        let key_span = key.span();
        let key = key.into_inner();
        match &*key {
            "case" => {
                if !is_case_toml {
                    raw.diagnostics.push(
                        raw.error_at(
                            "misplaced-case",
                            file,
                            key_span.start,
                            "[case] is only allowed in case.toml",
                        )
                        .with_hint("move the case's id and title to case.toml"),
                    );
                } else if let Some(case) = deserialize_item::<RawCase>(raw, file, value) {
                    raw.case = Some(case);
                }
            }
            "sources" => read_array(raw, file, &key, value, |raw, v| {
                if let Some(item) = deserialize_item::<RawSource>(raw, file, v) {
                    raw.sources.push(item);
                }
            }),
            "issues" => read_array(raw, file, &key, value, |raw, v| {
                if let Some(item) = deserialize_item::<RawIssue>(raw, file, v) {
                    raw.issues.push(item);
                }
            }),
            "phases" => read_array(raw, file, &key, value, |raw, v| {
                if let Some(item) = deserialize_item::<RawPhase>(raw, file, v) {
                    raw.phases.push(item);
                }
            }),
            "parties" => read_array(raw, file, &key, value, |raw, v| {
                if let Some(item) = deserialize_item::<RawParty>(raw, file, v) {
                    raw.parties.push(item);
                }
            }),
            "proposals" => read_array(raw, file, &key, value, |raw, v| {
                if let Some(item) = deserialize_item::<RawProposal>(raw, file, v) {
                    raw.proposals.push(item);
                }
            }),
            "state_of_play" => read_array(raw, file, &key, value, |raw, v| {
                if let Some(item) = deserialize_item::<RawStateOfPlay>(raw, file, v) {
                    raw.state_of_play.push(item);
                }
            }),
            "agreements" => read_array(raw, file, &key, value, |raw, v| {
                if let Some(item) = deserialize_item::<RawAgreement>(raw, file, v) {
                    raw.agreements.push(item);
                }
            }),
            other => {
                let mut d = raw.error_at(
                    "unknown-field",
                    file,
                    key_span.start,
                    format!("unknown top-level key `{other}`"),
                );
                d = d.with_hint(match did_you_mean(other, TOP_LEVEL_KEYS.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? A case file holds {}", list(TOP_LEVEL_KEYS)),
                    None => format!("a case file holds {}", list(TOP_LEVEL_KEYS)),
                });
                raw.diagnostics.push(d);
            }
        }
    }
}

fn list(names: &[&str]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// Calls `each` on every element of a top-level array of tables, in order.
fn read_array<'i>(
    raw: &mut RawCaseFiles,
    file: usize,
    key: &str,
    value: Spanned<DeValue<'i>>,
    mut each: impl FnMut(&mut RawCaseFiles, Spanned<DeValue<'i>>),
) {
    let span = value.span();
    match value.into_inner() {
        DeValue::Array(items) => {
            for item in items {
                remember_item_name(&mut raw.broken, key, item.get_ref());
                each(raw, item);
            }
        }
        _ => raw.diagnostics.push(
            raw.error_at("wrong-type", file, span.start, format!("`{key}` must be an array of tables"))
                .with_hint(format!("write each entry under a [[{key}]] header")),
        ),
    }
}

/// Deserializes one item; on failure records the error and returns `None`.
fn deserialize_item<'i, T: Deserialize<'i>>(
    raw: &mut RawCaseFiles,
    file: usize,
    value: Spanned<DeValue<'i>>,
) -> Option<Item<T>> {
    let span = value.span();
    match T::deserialize(ValueDeserializer::from(value)) {
        Ok(v) => {
            // Success: the name is not broken after all (it was recorded before deserializing).
            Some(Item { file, span, value: v })
        }
        Err(e) => {
            let offset = e.span().map_or(span.start, |s| s.start);
            let (code, message, hint) = schema_message(e.message());
            let mut d = raw.error_at(code, file, offset, message);
            if let Some(hint) = hint {
                d = d.with_hint(hint);
            }
            raw.diagnostics.push(d);
            None
        }
    }
}

/// Records the id or name an array element declares, if it is a table with a string `id`/`name`.
/// Names are recorded for every element; resolution ignores them for items that were read.
fn remember_item_name(broken: &mut Broken, key: &str, value: &DeValue<'_>) {
    let DeValue::Table(table) = value else { return };
    let field = if matches!(key, "issues" | "phases") { "name" } else { "id" };
    let Some(name) = table.get(field).and_then(|v| match v.get_ref() {
        DeValue::String(s) => Some(s.to_string()),
        _ => None,
    }) else {
        return;
    };
    let set = match key {
        "sources" => &mut broken.sources,
        "issues" => &mut broken.issues,
        "phases" => &mut broken.phases,
        "parties" => &mut broken.parties,
        "proposals" => &mut broken.proposals,
        _ => return,
    };
    set.insert(name);
}

fn remember_names(broken: &mut Broken, table: &DeTable<'_>) {
    for (key, value) in table {
        if let DeValue::Array(items) = value.get_ref() {
            for item in items {
                remember_item_name(broken, key.get_ref(), item.get_ref());
            }
        }
    }
}

fn syntax_message(message: &str) -> String {
    let message = message.trim();
    if message.is_empty() { "malformed TOML".to_owned() } else { format!("malformed TOML: {message}") }
}

/// Classifies a serde error message into a stable code, a clearer message and a hint.
fn schema_message(message: &str) -> (&'static str, String, Option<String>) {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (name, expected) = split_expected(rest);
        let hint = match did_you_mean(&name, expected.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`? Allowed here: {}", backticked(&expected)),
            None if expected.is_empty() => "no fields are allowed here".to_owned(),
            None => format!("allowed here: {}", backticked(&expected)),
        };
        return ("unknown-field", format!("unknown field `{name}`"), Some(hint));
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (name, expected) = split_expected(rest);
        let hint = match did_you_mean(&name, expected.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`? Expected one of {}", backticked(&expected)),
            None => format!("expected one of {}", backticked(&expected)),
        };
        return ("invalid-choice", format!("`{name}` is not one of the allowed words"), Some(hint));
    }
    if message.starts_with(DATE_WITH_TIME) {
        return ("invalid-date", message.to_owned(), None);
    }
    if let Some(number) = oversized_integer(message) {
        return (
            "wrong-type",
            format!("the number {number} is too large for this field"),
            Some("integers must lie between -2^63 and 2^63 - 1".to_owned()),
        );
    }
    if let Some(rest) = message.strip_prefix("invalid type: string ")
        && let Some(text) = rest.strip_suffix(", expected a sequence")
    {
        return (
            "wrong-type",
            format!("expected an array, found the string {text}"),
            Some(format!("write [{text}]")),
        );
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return ("missing-field", format!("missing field {rest}"), Some("add it to this table".to_owned()));
    }
    ("wrong-type", friendly_types(message), None)
}

/// The digits of an integer serde could only hold as an i128/u128 ("invalid type: integer `X` as i128").
fn oversized_integer(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("invalid type: integer `")?;
    let (number, tail) = rest.split_once('`')?;
    (tail.starts_with(" as i128") || tail.starts_with(" as u128")).then_some(number)
}

/// Splits "`name`, expected one of `a`, `b`" into the name and the expected names.
fn split_expected(rest: &str) -> (String, Vec<String>) {
    let mut parts = rest.split('`');
    parts.next();
    let name = parts.next().unwrap_or_default().to_owned();
    let expected = rest
        .split_once("expected")
        .map(|(_, list)| list.split('`').skip(1).step_by(2).map(str::to_owned).collect())
        .unwrap_or_default();
    (name, expected)
}

fn backticked(names: &[String]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// Serde names Rust types in its messages; say what they mean in TOML.
fn friendly_types(message: &str) -> String {
    let mut out = message.to_owned();
    for (rust, toml) in [
        ("expected u32", "expected a whole number from 0 to 4294967295"),
        ("expected i64", "expected an integer"),
        ("expected f64", "expected a number"),
        ("expected a boolean", "expected true or false"),
        ("expected a sequence", "expected an array"),
        ("expected a map", "expected a table"),
        ("expected a string", "expected a string"),
        ("expected a tuple of size 2", "expected a pair [value, score]"),
        ("invalid type: sequence", "invalid type: array"),
        ("invalid type: map", "invalid type: table"),
        ("invalid type: floating point", "invalid type: float"),
    ] {
        out = out.replace(rust, toml);
    }
    if let Some(i) = out.find("expected struct ") {
        out.replace_range(i.., "expected a table");
    }
    if let Some(i) = out.find("expected enum ") {
        out.replace_range(i.., "expected one of the allowed words");
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn line_index_positions_match_the_plain_count(text in "[a\n\réç\t]{0,40}", offset in 0usize..60) {
            let file = SourceFile::new(PathBuf::from("x"), text.clone());
            prop_assert_eq!(file.position(offset), crate::Position::from_offset(&text, offset));
        }
    }

    #[test]
    fn unknown_field_messages_get_a_suggestion() {
        let (code, message, hint) =
            schema_message("unknown field `titel`, expected one of `id`, `title`, `description`, `as_of`");
        assert_eq!(code, "unknown-field");
        assert_eq!(message, "unknown field `titel`");
        assert_eq!(
            hint.as_deref(),
            Some("did you mean `title`? Allowed here: `id`, `title`, `description`, `as_of`")
        );
    }

    #[test]
    fn type_errors_speak_toml() {
        let (code, message, _) =
            schema_message("invalid type: integer `99999999999999999999` as i128, expected i64");
        assert_eq!(
            (code, message.as_str()),
            ("wrong-type", "the number 99999999999999999999 is too large for this field")
        );
        let (_, message, hint) = schema_message("invalid type: string \"a\", expected a sequence");
        assert_eq!(
            (message.as_str(), hint.as_deref()),
            ("expected an array, found the string \"a\"", Some("write [\"a\"]"))
        );
        let (code, message, _) = schema_message("invalid type: string \"x\", expected u32");
        assert_eq!(code, "wrong-type");
        assert_eq!(message, "invalid type: string \"x\", expected a whole number from 0 to 4294967295");
        let (code, message, hint) =
            schema_message("unknown variant `negotiatr`, expected one of `negotiator`, `mediator`");
        assert_eq!(
            (code, message.as_str()),
            ("invalid-choice", "`negotiatr` is not one of the allowed words")
        );
        assert!(hint.unwrap().starts_with("did you mean `negotiator`?"));
    }
}
