//! Diagnostics: one problem in one input file, with its position and a hint; the [`Sources`] the
//! readers kept, and [`render`], which shows diagnostics against them the way compilers do:
//!
//! ```text
//! error[unknown-issue]: no issue is called `withdrawl`
//!   --> cases/broken.toml:41:1
//!    |
//! 41 | withdrawl = 0.2
//!    | ^^^^^^^^^
//!    |
//!    = hint: did you mean `withdrawal`?
//! ```
//!
//! Rendering never reads a file: it quotes the text the reader stored when it read the file.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;
use truce_model::{escape_text, is_hidden};

use serde::Serialize;
pub use truce_model::Severity;

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, in characters.
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` in `text` (clamped to the end of the text, and to a character
    /// boundary).
    #[must_use]
    pub fn from_offset(text: &str, offset: usize) -> Self {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..offset].chars().count() + 1;
        Self { line, column }
    }
}

/// One problem found in an input.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable kebab-case identifier of the kind of problem (`unknown-issue`, `toml-syntax`), for
    /// scripts and for the documentation's list of checks.
    pub code: &'static str,
    /// The file the problem is in.
    pub file: PathBuf,
    /// Where in the file, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error in `file`.
    pub fn error(code: &'static str, file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            file: file.as_ref().to_path_buf(),
            position: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning in `file`.
    pub fn warning(code: &'static str, file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, ..Self::error(code, file, message) }
    }

    /// The same diagnostic at a position.
    #[must_use]
    pub fn at(mut self, position: Position) -> Self {
        self.position = Some(position);
        self
    }

    /// The same diagnostic at byte `offset` of `text`, the file's contents.
    #[must_use]
    pub fn at_offset(self, text: &str, offset: usize) -> Self {
        self.at(Position::from_offset(text, offset))
    }

    /// The same diagnostic with a hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether this is an error.
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// `error[code]: file:line:column: message` and, on the next line, `  hint: ...`.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}[{}]: {}", self.code, self.file.display())?;
        if let Some(p) = self.position {
            write!(f, ":{}:{}", p.line, p.column)?;
        }
        write!(f, ": {}", escape_text(&self.message))?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {}", escape_text(hint))?;
        }
        Ok(())
    }
}

/// The text of every file a reader read, by path, in the order read: what [`render`] quotes. Cheap to
/// clone (each text is shared), so a [`crate::Loaded`] or [`crate::LoadFailure`] can hand it on.
///
/// It is also how a case arrives from memory: [`crate::load_memory`] reads the files it holds, by
/// path, as if they were on disk.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sources {
    files: Vec<(PathBuf, Arc<str>)>,
}

impl Sources {
    /// No files.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// One file.
    #[must_use]
    pub fn single(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> Self {
        let mut sources = Self::new();
        sources.insert(path, text);
        sources
    }

    /// Adds (or replaces) the text of `path`.
    pub fn insert(&mut self, path: impl Into<PathBuf>, text: impl Into<Arc<str>>) {
        let (path, text) = (path.into(), text.into());
        match self.files.iter_mut().find(|(p, _)| *p == path) {
            Some(entry) => entry.1 = text,
            None => self.files.push((path, text)),
        }
    }

    /// Adds every file of `other` (a later text of the same path replaces the earlier one).
    pub fn extend(&mut self, other: &Self) {
        for (path, text) in &other.files {
            self.insert(path.clone(), text.clone());
        }
    }

    /// The text of `path`, if it was read.
    #[must_use]
    pub fn get(&self, path: &Path) -> Option<&Arc<str>> {
        self.files.iter().find(|(p, _)| p == path).map(|(_, t)| t)
    }

    /// The files, in the order they were read.
    pub fn iter(&self) -> impl Iterator<Item = (&Path, &str)> {
        self.files.iter().map(|(p, t)| (p.as_path(), &**t))
    }

    /// How many files.
    #[must_use]
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file was read.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Every diagnostic rendered with the line it points at (quoted from `sources`) and a caret under the
/// word there, each followed by a blank line. A diagnostic whose file is not in `sources`, or whose
/// position lies outside it, is shown with its position alone.
#[must_use]
pub fn render(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let mut files = SimpleFiles::new();
    let ids: Vec<usize> = sources
        .files
        .iter()
        .map(|(p, t)| files.add(p.display().to_string(), visible(t).map_or_else(|| t.clone(), Arc::from)))
        .collect();
    let config = term::Config { chars: term::Chars::ascii(), ..term::Config::default() };
    let mut out = String::new();
    for d in diagnostics {
        let span = d.position.and_then(|p| {
            let index = sources.files.iter().position(|(path, _)| *path == d.file)?;
            Some((ids[index], byte_span(&sources.files[index].1, p)?))
        });
        // codespan ends each diagnostic with a blank line; the bare form does the same.
        match span.and_then(|(id, range)| {
            let text = files.get(id).ok()?.source().clone();
            if let Some((short, range)) = shorten(&text, range.clone()) {
                // A long line is quoted in part, in a copy of the file where it is shortened; the
                // header's column is then the copy's, and is put back to the file's own.
                let name = files.get(id).ok()?.name().clone();
                let mut one = SimpleFiles::new();
                let copy = one.add(name.clone(), short);
                let diagnostic = codespan(d).with_labels(vec![cs::Label::primary(copy, range.clone())]);
                let rendered = term::emit_into_string(&config, &one, &diagnostic).ok()?;
                let p = d.position?;
                let shown =
                    one.get(copy).ok()?.source()[..range.start].rsplit('\n').next()?.chars().count() + 1;
                return Some(rendered.replacen(
                    &format!("{name}:{}:{shown}\n", p.line),
                    &format!("{name}:{}:{}\n", p.line, p.column),
                    1,
                ));
            }
            let diagnostic = codespan(d).with_labels(vec![cs::Label::primary(id, range)]);
            term::emit_into_string(&config, &files, &diagnostic).ok()
        }) {
            Some(text) => out.push_str(&text),
            None => {
                out.push_str(&render_bare(d));
                out.push('\n');
            }
        }
    }
    out
}

/// The longest source line quoted whole, in characters; a longer one is quoted around what the
/// diagnostic points at.
const QUOTED_LINE: usize = 160;
/// Of a long line: characters kept before the underlined token, of the token, and after it.
const QUOTED_BEFORE: usize = 40;
const QUOTED_TOKEN: usize = 80;
const QUOTED_AFTER: usize = 40;

/// `text` with the line holding `range` (one line's bytes) shortened when it is longer than
/// [`QUOTED_LINE`] characters: what comes before the token, the token and what follows are each cut
/// to a few dozen characters, with `...` where something was left out. Returns the new text and the
/// token's range in it (the caret stays under the token); `None` when the line is short.
fn shorten(text: &str, range: std::ops::Range<usize>) -> Option<(String, std::ops::Range<usize>)> {
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[range.start..].find('\n').map_or(text.len(), |i| range.start + i);
    let line = text[line_start..line_end].trim_end_matches('\r');
    if line.chars().count() <= QUOTED_LINE {
        return None;
    }
    let end = range.end.min(line_start + line.len()).max(range.start);
    let (before, token, after) =
        (&text[line_start..range.start], &text[range.start..end], &text[end..line_start + line.len()]);
    let mut short = String::new();
    let n = before.chars().count();
    if n > QUOTED_BEFORE {
        short.push_str("...");
        short.extend(before.chars().skip(n - (QUOTED_BEFORE - 3)));
    } else {
        short.push_str(before);
    }
    let start = short.len();
    if token.chars().count() > QUOTED_TOKEN {
        short.extend(token.chars().take(QUOTED_TOKEN - 3));
        short.push_str("...");
    } else {
        short.push_str(token);
    }
    let token_end = short.len();
    if after.chars().count() > QUOTED_AFTER {
        short.extend(after.chars().take(QUOTED_AFTER - 3));
        short.push_str("...");
    } else {
        short.push_str(after);
    }
    let whole = format!("{}{short}{}", &text[..line_start], &text[line_start + line.len()..]);
    Some((whole, line_start + start..line_start + token_end))
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn codespan(d: &Diagnostic) -> cs::Diagnostic<usize> {
    let diagnostic = match d.severity {
        Severity::Error => cs::Diagnostic::error(),
        Severity::Warning => cs::Diagnostic::warning(),
    };
    let notes = d.hint.iter().map(|h| format!("hint: {}", escape_text(h))).collect();
    diagnostic.with_code(d.code).with_message(escape_text(&d.message)).with_notes(notes)
}

/// A diagnostic without its source line: the message, where, and the hint, in the same layout.
fn render_bare(d: &Diagnostic) -> String {
    let mut out = format!("{}[{}]: {}\n", severity_name(d.severity), d.code, escape_text(&d.message));
    match d.position {
        Some(p) => out.push_str(&format!(" --> {}:{}:{}\n", d.file.display(), p.line, p.column)),
        None => out.push_str(&format!(" --> {}\n", d.file.display())),
    }
    if let Some(hint) = &d.hint {
        out.push_str(&format!("  = hint: {}\n", escape_text(hint)));
    }
    out
}

/// How many items of a list a message shows before "and N more".
pub(crate) const SHOWN_ITEMS: usize = 5;

/// `items` joined with ", ", the first [`SHOWN_ITEMS`] of them and then "and N more": a message stays
/// one readable line whatever the size of the input (a GENIUS issue of 5,000 values without
/// evaluations).
pub(crate) fn summarise<S: AsRef<str>>(items: &[S]) -> String {
    let shown: Vec<&str> = items.iter().take(SHOWN_ITEMS).map(AsRef::as_ref).collect();
    let mut out = shown.join(", ");
    if items.len() > SHOWN_ITEMS {
        out.push_str(&format!(" and {} more", items.len() - SHOWN_ITEMS));
    }
    out
}

/// `text` with each control (but the layout's newlines and tabs), bidirectional-formatting or
/// invisible character replaced by a visible one of the same length in bytes (`?`, `¿`, `�` or
/// `𝕏`), so that a quoted line cannot reorder the terminal and every byte offset still points where
/// it did; `None` when there is none.
fn visible(text: &str) -> Option<String> {
    let shown = |c: char| matches!(c, '\n' | '\t' | '\r') || !is_hidden(c);
    if text.chars().all(shown) {
        return None;
    }
    Some(
        text.chars()
            .map(|c| match (shown(c), c.len_utf8()) {
                (true, _) => c,
                (false, 1) => '?',
                (false, 2) => '¿',
                (false, 3) => '\u{fffd}',
                (false, _) => '𝕏',
            })
            .collect(),
    )
}

/// The bytes of `text` to underline for a diagnostic at `position`: the token that starts there (a
/// quoted string, a `[header]`, or a word), or one character; `None` when the position is not in the
/// text.
fn byte_span(text: &str, position: Position) -> Option<std::ops::Range<usize>> {
    let line_start =
        if position.line == 1 { 0 } else { text.match_indices('\n').nth(position.line - 2)?.0 + 1 };
    let line = text[line_start..].split('\n').next().unwrap_or_default().trim_end_matches('\r');
    let column = position.column.checked_sub(1)?;
    let start = match line.char_indices().nth(column) {
        Some((i, _)) => i,
        None if line.chars().count() == column => line.len(),
        None => return None,
    };
    let rest = &line[start..];
    let width: usize = rest.chars().take(token_width(rest.chars())).map(char::len_utf8).sum();
    Some(line_start + start..line_start + start + width)
}

/// How many characters to underline from a position: a quoted string, a `[header]`, or a word.
fn token_width(mut rest: impl Iterator<Item = char>) -> usize {
    let Some(first) = rest.next() else { return 0 };
    match first {
        '"' | '\'' | '`' => {
            let mut n = 1;
            let mut escaped = false;
            for c in rest {
                n += 1;
                if c == first && !escaped {
                    return n;
                }
                escaped = c == '\\' && !escaped && first == '"';
            }
            n
        }
        '[' => {
            // Up to and including the run of `]` that closes a `[table]` or `[[array]]` header.
            let line: Vec<char> = rest.take_while(|c| *c != '\n').collect();
            line.iter()
                .position(|c| *c == ']')
                .map_or(1, |i| 1 + i + line[i..].iter().take_while(|c| **c == ']').count())
        }
        c if c.is_alphanumeric() || "_-.+".contains(c) => {
            1 + rest.take_while(|c| c.is_alphanumeric() || "_-.+".contains(*c)).count()
        }
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 300-digit number was quoted whole under its error (issue 14): a long line is quoted around
    /// the token, cut with `...`, the caret under the token and the header at the file's column.
    #[test]
    fn a_long_line_is_quoted_in_part_with_the_caret_in_place() {
        let digits = "9".repeat(300);
        let sources = Sources::single("case.toml", format!("[x]\nmax = {digits} # the end\n"));
        let d = Diagnostic::error("wrong-type", "case.toml", "too large").at(Position { line: 2, column: 7 });
        let text = render(&[d], &sources);
        let quoted = format!("2 | max = {}... # the end", &digits[..77]);
        let caret = format!("  |       {}", "^".repeat(80));
        assert!(text.contains("  --> case.toml:2:7\n"), "{text}");
        assert!(text.contains(&format!("{quoted}\n{caret}\n")), "{text}");
        assert!(text.lines().all(|l| l.chars().count() < 120), "{text}");

        // Far into a long line: what comes before is cut too, and the column is still the file's.
        let line = format!("{}= \"here\" {}", "a".repeat(400), "b".repeat(200));
        let sources = Sources::single("case.toml", format!("[x]\n{line}\n"));
        let d = Diagnostic::error("wrong-type", "case.toml", "bad").at(Position { line: 2, column: 403 });
        let text = render(&[d], &sources);
        assert!(text.contains("  --> case.toml:2:403\n"), "{text}");
        let quoted = format!("2 | ...{}= \"here\" {}...", "a".repeat(35), "b".repeat(36));
        assert!(text.contains(&format!("{quoted}\n  | {}^^^^^^\n", " ".repeat(40))), "{text}");

        // A short line is quoted whole, as before.
        let sources = Sources::single("case.toml", "[x]\nmax = 12\n");
        let d = Diagnostic::error("wrong-type", "case.toml", "bad").at(Position { line: 2, column: 7 });
        assert!(render(&[d], &sources).contains("2 | max = 12\n  |       ^^\n"));
    }

    #[test]
    fn renders_the_line_with_a_caret_under_the_word() {
        let d = Diagnostic::error("unknown-issue", "case.toml", "no issue is called `withdrawl`")
            .at(Position { line: 2, column: 3 })
            .with_hint("did you mean `withdrawal`?");
        let sources = Sources::single("case.toml", "[x]\n  withdrawl = 0.2\n");
        assert_eq!(
            render(&[d], &sources),
            "error[unknown-issue]: no issue is called `withdrawl`\n  --> case.toml:2:3\n  |\n2 |   withdrawl = 0.2\n  |   ^^^^^^^^^\n  |\n  = hint: did you mean `withdrawal`?\n\n"
        );
    }

    #[test]
    fn underlines_strings_and_headers_whole() {
        assert_eq!(token_width(r#""a \" b" = 1"#.chars()), 8);
        assert_eq!(token_width("[[parties]]\nid".chars()), 11);
        assert_eq!(token_width("= 3".chars()), 1);
        assert_eq!(token_width("".chars()), 0);
        assert_eq!(
            byte_span("a\nçé x", Position { line: 2, column: 1 }),
            Some(2..6),
            "bytes, not characters"
        );
        assert_eq!(byte_span("a", Position { line: 1, column: 2 }), Some(1..1), "the end of a line");
        assert_eq!(byte_span("a", Position { line: 3, column: 1 }), None);
    }

    #[test]
    fn renders_without_a_source_or_a_position() {
        let d = Diagnostic::warning("io", "missing.toml", "cannot read");
        assert_eq!(
            render(std::slice::from_ref(&d), &Sources::new()),
            "warning[io]: cannot read\n --> missing.toml\n\n"
        );
        let beyond = d.at(Position { line: 9, column: 1 });
        let sources = Sources::single("missing.toml", "one line");
        assert_eq!(render(&[beyond], &sources), "warning[io]: cannot read\n --> missing.toml:9:1\n\n");
    }

    #[test]
    fn sources_keep_one_text_per_path() {
        let mut sources = Sources::single("a.toml", "1");
        sources.insert("b.toml", "2");
        sources.insert("a.toml", "3");
        assert_eq!(
            sources.iter().collect::<Vec<_>>(),
            vec![(Path::new("a.toml"), "3"), (Path::new("b.toml"), "2")]
        );
    }

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "ab\nçd\n";
        assert_eq!(Position::from_offset(text, 0), Position { line: 1, column: 1 });
        assert_eq!(Position::from_offset(text, 3), Position { line: 2, column: 1 });
        assert_eq!(Position::from_offset(text, 5), Position { line: 2, column: 2 }, "ç is one character");
        assert_eq!(Position::from_offset(text, 4), Position { line: 2, column: 1 }, "inside ç: snapped back");
        assert_eq!(Position::from_offset(text, 999), Position { line: 3, column: 1 });
    }

    #[test]
    fn display_names_file_position_and_hint() {
        let d = Diagnostic::error("unknown-issue", "case.toml", "no issue `x`")
            .at(Position { line: 3, column: 7 })
            .with_hint("declare it under [[issues]]");
        assert_eq!(
            d.to_string(),
            "error[unknown-issue]: case.toml:3:7: no issue `x`\n  hint: declare it under [[issues]]"
        );
    }
}
