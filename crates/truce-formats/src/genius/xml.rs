//! A small element tree over `quick-xml` events that remembers where everything was: each element
//! and attribute keeps the byte offset of its first character, so that every later diagnostic can
//! name a line and column.
//!
//! GENIUS files are small (a few kilobytes) and their readers look things up by tag name in every
//! direction, so a borrowed tree is simpler than streaming and costs nothing measurable.

use std::borrow::Cow;

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

/// Elements nested deeper than this are refused: no GENIUS file comes close, and it keeps every
/// recursive walk of the tree (nested objectives, nested `ufun`s) far from the stack's limit.
pub(crate) const MAX_DEPTH: usize = 64;

/// One element: its tag, attributes in file order, and child elements (text is dropped: GENIUS
/// keeps everything in attributes).
#[derive(Debug)]
pub(crate) struct Element<'a> {
    pub name: &'a str,
    /// Byte offset of the `<` that opens the element.
    pub offset: usize,
    pub attrs: Vec<Attr<'a>>,
    pub children: Vec<Element<'a>>,
}

/// One attribute, its value unescaped.
#[derive(Debug)]
pub(crate) struct Attr<'a> {
    pub name: &'a str,
    pub value: Cow<'a, str>,
    /// Byte offset of the attribute's name.
    pub offset: usize,
}

/// Why a text is not an XML document, and where.
#[derive(Debug, PartialEq)]
pub(crate) struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

impl<'a> Element<'a> {
    /// The attribute called `name` (the first, if repeated).
    pub fn attr(&self, name: &str) -> Option<&Attr<'a>> {
        self.attrs.iter().find(|a| a.name == name)
    }

    /// The value of the attribute called `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.attr(name).map(|a| a.value.as_ref())
    }

    /// The child elements called `name`, in file order.
    pub fn children_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Element<'a>> + 's {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The first child element called `name`.
    pub fn child(&self, name: &str) -> Option<&Element<'a>> {
        self.children.iter().find(|c| c.name == name)
    }
}

/// Parses `text` into its root element.
pub(crate) fn parse(text: &str) -> Result<Element<'_>, SyntaxError> {
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element<'_>> = Vec::new();
    let mut root: Option<Element<'_>> = None;
    loop {
        let event = reader.read_event().map_err(|e| SyntaxError {
            offset: usize::try_from(reader.error_position()).unwrap_or(usize::MAX),
            message: e.to_string(),
        })?;
        let position = || usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        match event {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(SyntaxError {
                        offset: offset_in(text, start.name().as_ref()).map_or(position(), |o| o - 1),
                        message: format!("elements are nested more than {MAX_DEPTH} deep"),
                    });
                }
                let element = element(text, &start)?;
                if stack.is_empty() && root.is_some() {
                    return Err(second_root(&element));
                }
                stack.push(element);
            }
            Event::Empty(start) => {
                let element = element(text, &start)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None if root.is_some() => return Err(second_root(&element)),
                    None => root = Some(element),
                }
            }
            Event::End(_) => {
                // quick-xml checks that end tags match their start tags.
                let Some(done) = stack.pop() else {
                    return Err(SyntaxError { offset: position(), message: "unexpected end tag".into() });
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => root = Some(done),
                }
            }
            Event::Text(t)
                if stack.is_empty() && !t.xml_content(XmlVersion::Implicit1_0).trim().is_empty() =>
            {
                return Err(SyntaxError {
                    offset: position(),
                    message: "text outside the root element".into(),
                });
            }
            Event::CData(_) | Event::GeneralRef(_) if stack.is_empty() => {
                return Err(SyntaxError {
                    offset: position(),
                    message: "text outside the root element".into(),
                });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(SyntaxError {
            offset: open.offset,
            message: format!("the element <{}> is never closed", open.name),
        });
    }
    root.ok_or(SyntaxError { offset: 0, message: "the file holds no XML element".into() })
}

fn second_root(element: &Element<'_>) -> SyntaxError {
    SyntaxError {
        offset: element.offset,
        message: format!("a second root element <{}>: an XML file has exactly one", element.name),
    }
}

fn element<'a>(text: &'a str, start: &BytesStart<'_>) -> Result<Element<'a>, SyntaxError> {
    let name_offset = offset_in(text, start.name().as_ref()).unwrap_or(0);
    let offset = name_offset.saturating_sub(1);
    let name = slice_at(text, name_offset, start.name().as_ref().len());
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| SyntaxError { offset, message: format!("in <{name}>: {e}") })?;
        let key = attr.key.as_ref();
        let attr_offset = offset_in(text, key).unwrap_or(offset);
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| SyntaxError { offset: attr_offset, message: e.to_string() })?
            .into_owned();
        attrs.push(Attr {
            name: slice_at(text, attr_offset, key.len()),
            value: Cow::Owned(value),
            offset: attr_offset,
        });
    }
    Ok(Element { name, offset, attrs, children: Vec::new() })
}

/// The byte offset of `part` in `text`, when `part` is a slice of it.
fn offset_in(text: &str, part: &str) -> Option<usize> {
    let start = text.as_ptr() as usize;
    let at = part.as_ptr() as usize;
    (at >= start && at + part.len() <= start + text.len()).then(|| at - start)
}

/// `text[offset..offset + len]`, or an empty name when that is not a valid slice (never for input
/// read from `text`, whose names are borrowed from it).
fn slice_at(text: &str, offset: usize, len: usize) -> &str {
    text.get(offset..offset + len).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_a_tree_with_offsets() {
        let text = "<a x=\"1\">\n  <b y=\"&lt;2\"/>\n  <c></c>\n</a>";
        let root = parse(text).unwrap();
        assert_eq!(root.name, "a");
        assert_eq!(root.offset, 0);
        assert_eq!(root.get("x"), Some("1"));
        assert_eq!(root.children.len(), 2);
        let b = &root.children[0];
        assert_eq!((b.name, b.offset), ("b", 12));
        assert_eq!(b.get("y"), Some("<2"));
        assert_eq!(b.attr("y").unwrap().offset, 15);
        assert_eq!(root.child("c").map(|c| c.offset), Some(29));
    }

    #[test]
    fn reports_syntax_errors_with_offsets() {
        let err = parse("<a>\n<b></c>\n</a>").unwrap_err();
        assert!(err.message.contains('b') && err.message.contains('c'), "{err:?}");
        assert!(parse("<a>").unwrap_err().message.contains("never closed"));
        assert!(parse("").unwrap_err().message.contains("no XML element"));
        assert!(parse("<a/><b/>").unwrap_err().message.contains("second root"));
        assert!(parse("<a x=\"1\" x=\"2\"/>").is_err(), "duplicate attributes are refused");
        let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        assert!(parse(&deep).unwrap_err().message.contains("nested"));
    }
}
