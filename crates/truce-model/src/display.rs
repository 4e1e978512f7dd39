//! Characters that print as something else, or as nothing: control characters, bidirectional
//! formatting (which reorders a terminal line: `U+202E` makes `north` print as `htron`) and invisible
//! ones (a zero-width space makes two names that print alike). Names holding them are reported by
//! validation; wherever a name or a message is printed (`show`, diagnostics, reports) it goes through
//! [`escape_name`] or [`escape_text`] first, so that what is shown is what is there.

use std::borrow::Cow;

use unicode_security::GeneralSecurityProfile;
use unicode_security::general_security_profile::IdentifierType;

/// What kind of hidden character `c` is, if it is one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Hidden {
    /// A control character (`Cc`: tab, newline, escape, ...).
    Control,
    /// A bidirectional formatting character (`U+061C`, `U+200E`, `U+200F`, `U+202A` to `U+202E`,
    /// `U+2066` to `U+2069`).
    Bidi,
    /// A default-ignorable code point, which renders as nothing (zero-width space and joiners, soft
    /// hyphen, word joiner, variation selectors, ...).
    Invisible,
}

pub(crate) fn hidden(c: char) -> Option<Hidden> {
    if c.is_control() {
        Some(Hidden::Control)
    } else if matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    {
        Some(Hidden::Bidi)
    } else if c.identifier_type() == Some(IdentifierType::Default_Ignorable) {
        Some(Hidden::Invisible)
    } else {
        None
    }
}

/// Whether `c` prints as something else or as nothing: a control, bidirectional-formatting or
/// invisible character (what [`escape_name`] escapes).
#[must_use]
pub fn is_hidden(c: char) -> bool {
    hidden(c).is_some()
}

/// `name` with every control, bidirectional-formatting and invisible character written as `\u{...}`
/// (a newline too): a name as it is, visibly.
///
/// ```
/// assert_eq!(truce_model::escape_name("north\u{202e}"), r"north\u{202e}");
/// assert_eq!(truce_model::escape_name("ratio"), "ratio");
/// ```
#[must_use]
pub fn escape_name(name: &str) -> Cow<'_, str> {
    escape(name, false)
}

/// `text` (a message, a report) with every control, bidirectional-formatting and invisible
/// character written as `\u{...}`, except the newlines and tabs that lay it out.
///
/// ```
/// assert_eq!(truce_model::escape_text("a\n\u{200b}b"), "a\n\\u{200b}b");
/// ```
#[must_use]
pub fn escape_text(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

fn escape(text: &str, layout: bool) -> Cow<'_, str> {
    let keep = |c: char| (layout && matches!(c, '\n' | '\t' | '\r')) || hidden(c).is_none();
    if text.chars().all(keep) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if keep(c) {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        }
    }
    Cow::Owned(out)
}

/// The form two names are compared in for looking alike: invisible characters removed, NFKC, then the
/// UTS #39 confusable skeleton (`ratio` with a Cyrillic `о` and `ratio` share one).
pub(crate) fn skeleton(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let visible: String = name.chars().filter(|&c| hidden(c) != Some(Hidden::Invisible)).nfkc().collect();
    unicode_security::skeleton(&visible).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_are_told_apart() {
        assert_eq!(hidden('\u{202e}'), Some(Hidden::Bidi));
        assert_eq!(hidden('\u{2067}'), Some(Hidden::Bidi));
        assert_eq!(hidden('\u{1b}'), Some(Hidden::Control));
        assert_eq!(hidden('\u{200b}'), Some(Hidden::Invisible));
        assert_eq!(hidden('\u{ad}'), Some(Hidden::Invisible));
        assert_eq!(hidden('a'), None);
        assert_eq!(hidden('é'), None);
    }

    #[test]
    fn escaping_keeps_layout_only_in_texts() {
        assert_eq!(escape_name("a\nb"), "a\\u{a}b");
        assert_eq!(escape_text("a\nb\tc"), "a\nb\tc");
        assert_eq!(escape_text("\u{1b}[31mred"), "\\u{1b}[31mred");
        assert!(matches!(escape_text("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn names_that_render_alike_share_a_skeleton() {
        assert_eq!(skeleton("ratio"), skeleton("rati\u{043e}")); // Cyrillic o
        assert_eq!(skeleton("ratio"), skeleton("ra\u{200b}tio"));
        assert_eq!(skeleton("ratio"), skeleton("\u{ff52}atio")); // fullwidth r
        assert_ne!(skeleton("ratio"), skeleton("ration"));
    }
}
