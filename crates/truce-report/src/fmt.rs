//! Number and table formatting shared by the text and HTML reports.

/// A utility with four decimals (`0.8402`); `-0.0000` is printed as `0.0000`.
pub(crate) fn u(x: f64) -> String {
    let s = format!("{x:.4}");
    if s == "-0.0000" { "0.0000".into() } else { s }
}

/// A decimal count with thousands separators (`188,160`), or in scientific form past 15 digits
/// (`1.00e50`).
pub(crate) fn count(digits: &str) -> String {
    if digits.len() > 15 {
        return scientific(digits);
    }
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A decimal count in scientific form with three significant digits, truncated (`1.26e30` for
/// 2^100, `1.00e50`, `7.00e0`): the one form every report writes large counts in.
pub(crate) fn scientific(digits: &str) -> String {
    let mut d: Vec<char> = digits.chars().take(3).collect();
    while d.len() < 3 {
        d.push('0');
    }
    format!("{}.{}{}e{}", d[0], d[1], d[2], digits.len().saturating_sub(1))
}

/// A float count (an estimate) in the same style.
pub(crate) fn approx(x: f64) -> String {
    if x.abs() >= 1e15 {
        format!("{x:.2e}")
    } else {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let n = x.max(0.0).round() as u64;
        count(&n.to_string())
    }
}

/// A percentage with one decimal; a number that is not finite (never expected) prints as `?%`
/// rather than `NaN%`.
pub(crate) fn pct(x: f64) -> String {
    if x.is_finite() { format!("{x:.1}%") } else { "?%".to_owned() }
}

/// `part / whole` as a number in `[0, 1]`, exact to 2^-64 whatever their size (both may pass
/// `f64::MAX`: 2^1030 outcomes of 2^1030 is 1, not `inf / inf`); 0 when `whole` is 0.
pub(crate) fn share(part: &num_bigint::BigUint, whole: &num_bigint::BigUint) -> f64 {
    use num_traits::ToPrimitive;
    if *whole == num_bigint::BigUint::ZERO {
        return 0.0;
    }
    let scaled: num_bigint::BigUint = (part << 64u32) / whole;
    (scaled.to_f64().unwrap_or(0.0) / 2f64.powi(64)).clamp(0.0, 1.0)
}

/// How many outcomes reach the frontier `points`, summed exactly (2^140 stays 2^140); the analysis
/// counts each point's multiplicity in `u128`, so a point at `u128::MAX` saturated and the total is
/// printed as a lower bound (`at least 3.40e38`).
pub(crate) fn frontier_total(points: &[truce_analysis::FrontierPoint]) -> String {
    let total = points.iter().fold(num_bigint::BigUint::ZERO, |acc, p| acc + p.count);
    let text = count(&total.to_string());
    if points.iter().any(|p| p.count == u128::MAX) { format!("at least {text}") } else { text }
}

/// Each column's width in characters: its widest cell, header included.
fn widths(header: &[&str], rows: &[Vec<String>]) -> Vec<usize> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    widths
}

/// Rows rendered as left-aligned columns separated by two spaces, indented by `indent`.
pub(crate) fn table(indent: &str, header: &[&str], rows: &[Vec<String>]) -> String {
    let columns = header.len();
    let widths = widths(header, rows);
    let line = |cells: Vec<&str>| {
        let mut s = String::from(indent);
        for (k, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            s.push_str(cell);
            if k + 1 < columns {
                s.push_str(&" ".repeat(w - cell.chars().count() + 2));
            }
        }
        s.trim_end().to_owned() + "\n"
    };
    let mut out = line(header.to_vec());
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

/// [`table`] with its last column (a free text such as an outcome's terms) wrapped at `width`
/// columns, continuing under the column's start; when the other columns leave it fewer than
/// [`MIN_WRAPPED`] columns and it does not fit beside them, it goes under its row instead, indented
/// and wrapped.
pub(crate) fn table_wrapped(indent: &str, header: &[&str], rows: &[Vec<String>], width: usize) -> String {
    let Some(last) = header.len().checked_sub(1) else { return table(indent, header, rows) };
    let widths = widths(header, rows);
    let start = indent.chars().count() + widths[..last].iter().map(|w| w + 2).sum::<usize>();
    let under = " ".repeat(indent.chars().count() + 4);
    let line = |cells: &[&str]| {
        let mut s = String::from(indent);
        for (cell, w) in cells[..last].iter().zip(&widths) {
            s.push_str(cell);
            s.push_str(&" ".repeat(w - cell.chars().count() + 2));
        }
        let text = cells.get(last).copied().unwrap_or("");
        if text.is_empty() {
            return s.trim_end().to_owned() + "\n";
        }
        if start + MIN_WRAPPED > width && start + text.chars().count() > width {
            return s.trim_end().to_owned() + "\n" + &wrap(text, width, &under, &under);
        }
        wrap(text, width, &s, &" ".repeat(start))
    };
    // The header names the last column in its place, wherever its text goes.
    let mut out = String::from(indent);
    for (cell, w) in header.iter().zip(&widths) {
        out.push_str(cell);
        out.push_str(&" ".repeat(w - cell.chars().count() + 2));
    }
    out = out.trim_end().to_owned() + "\n";
    for row in rows {
        out.push_str(&line(&row.iter().map(String::as_str).collect::<Vec<_>>()));
    }
    out
}

/// The fewest columns [`table_wrapped`] wraps its last column in.
const MIN_WRAPPED: usize = 30;

/// `text` wrapped at `width` columns at spaces, its first line indented by `first` and the others by
/// `rest`, each line ended by a newline. A word longer than the line stays whole.
pub(crate) fn wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
    let mut out = String::new();
    let mut line = String::from(first);
    let mut empty = true;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let len = line.chars().count() + usize::from(!empty) + word.chars().count();
        if !empty && len > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(rest);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_or_scientific() {
        assert_eq!(count("188160"), "188,160");
        assert_eq!(count("27"), "27");
        assert_eq!(count("1000"), "1,000");
        assert_eq!(count(&format!("1{}", "0".repeat(50))), "1.00e50");
        assert_eq!(u(-0.0), "0.0000");
        assert_eq!(scientific("1267650600228229401496703205376"), "1.26e30", "truncated, not rounded");
        assert_eq!(scientific("9995000"), "9.99e6");
        assert_eq!(scientific("42"), "4.20e1");
        assert_eq!(scientific("7"), "7.00e0");
    }

    #[test]
    fn a_wrapped_table_continues_its_last_column_under_its_start() {
        let rows = vec![vec!["0.5".to_owned(), "a=1, b=2, c=3, d=4, e=5, f=6, g=7, h=8".to_owned()]];
        let text = table_wrapped("  ", &["u", "outcome"], &rows, 40);
        assert_eq!(text, "  u    outcome\n  0.5  a=1, b=2, c=3, d=4, e=5, f=6,\n       g=7, h=8\n");
        // Too little room beside the row: under it.
        assert_eq!(
            table_wrapped("  ", &["u", "outcome"], &rows, 34),
            "  u    outcome\n  0.5\n      a=1, b=2, c=3, d=4, e=5,\n      f=6, g=7, h=8\n"
        );
    }

    #[test]
    fn wrapping_keeps_words_and_indents() {
        let text = "alpha beta gamma delta epsilon";
        assert_eq!(wrap(text, 14, "  ", "    "), "  alpha beta\n    gamma\n    delta\n    epsilon\n");
        assert_eq!(wrap("averyveryverylongword x", 8, "", ""), "averyveryverylongword\nx\n");
        for line in wrap(&"word ".repeat(50), 30, "", "  ").lines() {
            assert!(line.chars().count() <= 30);
        }
    }

    #[test]
    fn shares_of_counts_past_f64_are_finite() {
        use num_bigint::BigUint;
        let big = BigUint::from(1u8) << 1030u32;
        assert_eq!(share(&big, &big), 1.0);
        assert_eq!(share(&(big.clone() >> 1u32), &big), 0.5);
        assert_eq!(share(&big, &BigUint::ZERO), 0.0);
        assert_eq!(pct(f64::NAN), "?%");
    }

    #[test]
    fn tables_align_columns() {
        let t = table("  ", &["a", "bb"], &[vec!["long".into(), "x".into()]]);
        assert_eq!(t, "  a     bb\n  long  x\n");
    }
}
