//! A monitoring in HTML: components (each a fragment, every text escaped) that `truce monitor
//! --html`'s page and the server's monitoring page share, and the self-contained page.
//!
//! - [`status_table`]: every commitment with its status, score, what was delivered against what
//!   was due, its due date and each source's account beside it;
//! - [`compliance_table`]: each party's compliance on the day read, and the days before;
//! - [`upcoming_list`]: what falls due next;
//! - [`sections`]: the three, then the whole text report;
//! - [`page`]: the plots inline, then [`sections`].

use std::fmt::Write;

use truce_analysis::monitor::Monitoring;
use truce_model::Case;

use super::text::{delivered, score, status_word};
use super::{date_of, terms};
use crate::plot::canvas::esc;

/// Every commitment's reading, one row each, with a `status-<status>` class on its status cell.
#[must_use]
pub fn status_table(case: &Case, m: &Monitoring) -> String {
    let source = |s: truce_model::SourceId| case.sources.get(s.index()).map_or("?", |s| s.id.as_str());
    let party = |p: truce_model::PartyId| case.parties.get(p.index()).map_or("?", |p| p.id.as_str());
    let mut out = String::from(
        "<table class=\"monitor-status\">\n<caption>Commitments on the day read (score: Peace Accords Matrix, 0 not begun to 3 full)</caption>\n<thead><tr><th scope=\"col\">Commitment</th><th scope=\"col\">Owed by</th><th scope=\"col\">Status</th><th scope=\"col\">Score</th><th scope=\"col\">Delivered</th><th scope=\"col\">Commits to</th><th scope=\"col\">Due</th><th scope=\"col\">Each source</th></tr></thead>\n<tbody>\n",
    );
    if m.commitments.is_empty() {
        out.push_str("<tr><td colspan=\"8\">The agreement has no commitment Truce can follow.</td></tr>\n");
    }
    for c in &m.commitments {
        let owed: Vec<&str> = c.commitment.owed_by.iter().map(|p| party(*p)).collect();
        let due = c
            .commitment
            .due_day()
            .and_then(|d| date_of(case, m, i64::from(d)))
            .map_or_else(String::new, |d| d.to_string());
        let accounts: Vec<String> = c
            .by_source
            .iter()
            .map(|(s, r)| {
                let d = delivered(&c.commitment.kind, r);
                format!(
                    "{}: {}{}",
                    source(*s),
                    status_word(r.status),
                    if d.is_empty() { d } else { format!(", {d}") }
                )
            })
            .collect();
        let status = c.reading.status.as_str();
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{id} <small>({kind})</small></th><td>{owed}</td><td class=\"status status-{status}\">{word}</td><td>{score}</td><td>{delivered}</td><td>{terms}</td><td>{due}</td><td>{accounts}</td></tr>",
            id = esc(&c.commitment.id),
            kind = c.commitment.kind.as_str(),
            owed = if owed.is_empty() { "not said".into() } else { esc(&owed.join(", ")) },
            word = status_word(c.reading.status),
            score = score(&c.reading),
            delivered = esc(&delivered(&c.commitment.kind, &c.reading)),
            terms = esc(&terms(c)),
            due = esc(&due),
            accounts = esc(&accounts.join("; ")),
        );
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// Each party's compliance: the share of the commitments it owes that are due and known and are
/// met or on track, on the day read and on each day before.
#[must_use]
pub fn compliance_table(case: &Case, m: &Monitoring) -> String {
    let party = |p: truce_model::PartyId| case.parties.get(p.index()).map_or("?", |p| p.id.as_str());
    let share = |s: Option<f64>| s.map_or_else(|| "-".into(), |s| format!("{:.0}%", s * 100.0));
    let mut out = String::from(
        "<table class=\"monitor-compliance\">\n<caption>Compliance: the share of the commitments due and known that are met or on track</caption>\n<thead><tr><th scope=\"col\">Party</th><th scope=\"col\">On the day read</th><th scope=\"col\">Day by day</th></tr></thead>\n<tbody>\n",
    );
    for (p, days) in &m.parties {
        let all: Vec<String> = days.iter().map(|c| share(c.share)).collect();
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>",
            esc(party(*p)),
            share(days.last().and_then(|c| c.share)),
            esc(&all.join(" "))
        );
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// What falls due after the day read.
#[must_use]
pub fn upcoming_list(m: &Monitoring) -> String {
    let mut out = String::from("<ul class=\"monitor-upcoming\">\n");
    if m.upcoming.is_empty() {
        out.push_str("<li>Nothing more falls due.</li>\n");
    }
    for u in &m.upcoming {
        let date = u.date.map_or_else(|| format!("day {}", u.day), |d| d.to_string());
        let _ = writeln!(out, "<li>{} (day {}): {}</li>", esc(&date), u.day, esc(&u.what));
    }
    out.push_str("</ul>\n");
    out
}

/// The status, the compliance, what comes next, and the whole text report.
#[must_use]
pub fn sections(case: &Case, m: &Monitoring) -> String {
    format!(
        "<section><h2>Status</h2>\n{}</section>\n<section><h2>Compliance</h2>\n{}</section>\n<section><h2>Coming up</h2>\n{}</section>\n<section><h2>The report</h2>\n<pre>{}</pre>\n</section>\n",
        status_table(case, m),
        compliance_table(case, m),
        upcoming_list(m),
        esc(&super::text::report(case, m)),
    )
}

/// The page: the plots inline, then [`sections`].
#[must_use]
pub fn page(case: &Case, m: &Monitoring) -> String {
    let plots: String =
        super::svg::plots(case, m).into_iter().map(|p| format!("<figure>{p}</figure>\n")).collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}: monitoring at {at}</title>\n<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}figure{{margin:1rem 0}}pre{{white-space:pre-wrap;background:#f6f6f6;padding:1rem}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}}.status-breached{{color:#a11}}.status-met,.status-on_track{{color:#0a6b2d}}</style>\n</head>\n<body>\n<h1>{title}</h1>\n<p>Monitoring at {at} (day {day}).</p>\n{plots}{sections}</body>\n</html>\n",
        title = esc(&case.title),
        at = m.at,
        day = m.at_day,
        sections = sections(case, m),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_escaped_in_every_component() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../truce-formats/tests/data/monitor/lakeside.toml");
        let mut case = truce_formats::load(&path).unwrap().case;
        case.title = "<script>alert(1)</script>".into();
        case.parties[0].id = "<b>north</b>".into();
        let m = truce_analysis::monitor::monitor(&case, 0, &[], &Default::default()).unwrap();
        let page = page(&case, &m);
        assert!(!page.contains("<script>") && !page.contains("<b>north"), "{page}");
        assert!(page.contains("&lt;script&gt;"));
        assert!(status_table(&case, &m).contains("class=\"status status-"));
    }
}
