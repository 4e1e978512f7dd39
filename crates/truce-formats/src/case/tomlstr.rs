//! Positions inside TOML strings: where byte `i` of a string's value is written in the file, so that a
//! red-line error points at the exact column even in a string with escapes.

/// For a TOML string written at `raw` (its full token, quotes included) whose value is `value`: the
/// offset within `raw` of each byte of `value`, plus one entry for its end. `None` if `raw` does not
/// decode to `value` (then callers fall back to the string's start).
pub(crate) fn value_offsets(raw: &str, value: &str) -> Option<Vec<usize>> {
    let (quote, multi) = if raw.starts_with("'''") {
        ('\'', true)
    } else if raw.starts_with("\"\"\"") {
        ('"', true)
    } else if raw.starts_with('\'') {
        ('\'', false)
    } else if raw.starts_with('"') {
        ('"', false)
    } else {
        return None;
    };
    let mut r = if multi { 3 } else { 1 };
    if multi {
        if raw[r..].starts_with("\r\n") {
            r += 2;
        } else if raw[r..].starts_with('\n') {
            r += 1;
        }
    }
    let mut decoded = String::with_capacity(value.len());
    let mut offsets = Vec::with_capacity(value.len() + 1);
    let bytes = raw.as_bytes();
    while decoded.len() < value.len() {
        let c = raw[r..].chars().next()?;
        if quote == '"' && c == '\\' {
            let e = raw[r + 1..].chars().next()?;
            let (ch, len) = match e {
                'b' => ('\u{8}', 2),
                't' => ('\t', 2),
                'n' => ('\n', 2),
                'f' => ('\u{c}', 2),
                'r' => ('\r', 2),
                'e' => ('\u{1b}', 2),
                '"' => ('"', 2),
                '\\' => ('\\', 2),
                'x' | 'u' | 'U' => {
                    let digits = match e {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let hex = raw.get(r + 2..r + 2 + digits)?;
                    (char::from_u32(u32::from_str_radix(hex, 16).ok()?)?, 2 + digits)
                }
                w if multi && w.is_whitespace() => {
                    // A line-ending backslash: skip the newline and the whitespace after it.
                    r += 1;
                    while r < bytes.len() && (bytes[r] as char).is_ascii_whitespace() {
                        r += 1;
                    }
                    continue;
                }
                _ => return None,
            };
            for _ in 0..ch.len_utf8() {
                offsets.push(r);
            }
            decoded.push(ch);
            r += len;
        } else {
            for i in 0..c.len_utf8() {
                offsets.push(r + i);
            }
            decoded.push(c);
            r += c.len_utf8();
        }
    }
    offsets.push(r);
    (decoded == value).then_some(offsets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_strings_shift_by_their_quote() {
        assert_eq!(value_offsets("'ab'", "ab"), Some(vec![1, 2, 3]));
        assert_eq!(value_offsets("'''\nab'''", "ab"), Some(vec![4, 5, 6]));
    }

    #[test]
    fn basic_strings_map_through_escapes() {
        let raw = r#""a \"b\" \u00e9c""#;
        let value = "a \"b\" éc";
        let offsets = value_offsets(raw, value).unwrap();
        assert_eq!(offsets[2], 3, "the escaped quote starts at its backslash");
        assert_eq!(offsets[value.find('c').unwrap()], 15);
        assert_eq!(value_offsets("\"\"\"\na \\\n   b\"\"\"", "a b").unwrap(), vec![4, 5, 11, 12]);
    }

    #[test]
    fn refuses_what_does_not_decode_to_the_value() {
        assert_eq!(value_offsets("'ab'", "xy"), None);
        assert_eq!(value_offsets("42", "42"), None);
    }
}
