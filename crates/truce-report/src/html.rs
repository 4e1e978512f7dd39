//! The analysis as one self-contained HTML page: the plots embedded as inline SVG (the utility space,
//! and the positions over time when the case has proposals), the key tables, and the full text
//! report. No scripts, no external files.

use std::fmt::Write as _;

use truce_analysis::{Findings, Size, Subject, Verdict, describe};
use truce_model::Case;

use crate::fmt::{approx, count, u};

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn row(out: &mut String, cells: &[String], header: bool) {
    let tag = if header { "th" } else { "td" };
    out.push_str("<tr>");
    for c in cells {
        let _ = write!(out, "<{tag}>{}</{tag}>", esc(c));
    }
    out.push_str("</tr>\n");
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}\
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}\
th{background:#f3f3f3}.acceptable{color:#1a7f37}.unacceptable{color:#b42318}.depends{color:#9a6700}\
pre{background:#f7f7f7;padding:1em;overflow-x:auto}.note{color:#9a6700}";

/// The HTML page of an analysis of `case`, with `svg` (from [`crate::svg::plot`]) embedded.
#[must_use]
pub fn page(case: &Case, findings: &Findings, svg: &str) -> String {
    let names: Vec<String> = findings.parties.iter().map(|p| case.party(p.party).id.clone()).collect();
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} - Truce analysis</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        esc(&case.title),
        esc(&case.title)
    );
    let zone = match &findings.zone.size {
        Size::Exact(n) => format!("{} outcomes", count(&n.to_string())),
        Size::Estimate { value, low, high, .. } => {
            format!("about {} outcomes (95% interval {} to {})", approx(*value), approx(*low), approx(*high))
        }
        _ => "unknown".into(),
    };
    let _ = writeln!(
        out,
        "<p>{} outcomes over {} issues. Pareto frontier: {} points ({}). Zone of agreement: {}.</p>",
        count(&findings.outcomes.to_string()),
        case.space().len(),
        findings.frontier.points.len(),
        if findings.frontier.method.is_exact() { "exact" } else { "approximate" },
        esc(&zone)
    );
    for n in &findings.notes {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", esc(n));
    }
    let _ = writeln!(out, "<figure>{svg}</figure>");
    // Solutions.
    out.push_str("<h2>Solutions over the zone of agreement</h2>\n<table>\n");
    let mut header = vec!["solution".to_owned(), "value".into()];
    header.extend(names.iter().cloned());
    header.push("outcome".into());
    row(&mut out, &header, true);
    let s = &findings.solutions;
    for (name, sol) in [
        ("Nash", &s.nash),
        ("Kalai-Smorodinsky", &s.kalai_smorodinsky),
        ("egalitarian", &s.egalitarian),
        ("maximum welfare", &s.max_welfare),
    ] {
        let Some(sol) = sol else { continue };
        let mut cells = vec![name.to_owned(), u(sol.value)];
        cells.extend(sol.point.utilities.iter().map(|&x| u(x)));
        cells.push(describe(case.space(), &sol.point.outcome));
        row(&mut out, &cells, false);
    }
    out.push_str("</table>\n");
    if s.nash.is_none() {
        out.push_str("<p>The zone of agreement is empty: no outcome is acceptable to every party.</p>\n");
    }
    // Proposals.
    if !findings.evaluations.is_empty() {
        out.push_str("<h2>Proposals</h2>\n<table>\n");
        let mut header = vec!["proposal".to_owned(), "date".into(), "verdict".into()];
        header.extend(names.iter().cloned());
        row(&mut out, &header, true);
        for e in &findings.evaluations {
            let (id, date) = match &e.subject {
                Subject::Proposal(p) => {
                    let p = case.proposal(*p);
                    (p.id.clone(), p.date.map(|d| d.to_string()).unwrap_or_default())
                }
                Subject::Outcome(l) => (format!("[{l}]"), String::new()),
            };
            out.push_str("<tr>");
            let _ = write!(out, "<td>{}</td><td>{}</td>", esc(&id), esc(&date));
            let class = |v: Verdict| v.as_str();
            let _ = write!(out, "<td class=\"{}\">{}</td>", class(e.verdict), e.verdict.as_str());
            for v in &e.parties {
                let text = match v.utility {
                    Some(x) if e.complete => u(x.low),
                    Some(x) => format!("{} to {}", u(x.low), u(x.high)),
                    None => "?".into(),
                };
                let _ = write!(
                    out,
                    "<td class=\"{}\">{} ({})</td>",
                    class(v.verdict),
                    esc(&text),
                    v.verdict.as_str()
                );
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n");
        if let Some(positions) = crate::svg::positions(case, findings) {
            let _ = writeln!(out, "<h2>Positions over time</h2>\n<figure>{positions}</figure>");
        }
    }
    let _ = write!(
        out,
        "<h2>Full report</h2>\n<pre>{}</pre>\n<p><small>Truce {}</small></p>\n</body>\n</html>\n",
        esc(&crate::text::report(case, findings)),
        env!("CARGO_PKG_VERSION")
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
