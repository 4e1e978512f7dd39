//! The page's components: each a public function returning an HTML fragment (tables are real
//! `<table>`s, plots inline SVG in a `<figure>` with a caption), so that the live-mediation server
//! shows the same views with the same templates. The main ones: [`frontier_plot`] (the utility
//! space, with the parallel coordinates past two parties), [`verdict_table`] (proposals at a glance,
//! a verdict per party), [`red_lines_timeline`] and [`package_table`] (a package's terms by phase,
//! marking what changes from each side's last proposal), [`approval_table`] (whose approval within
//! each party a proposal lacks).

use truce_analysis::{
    Anchor, Bridging, Evaluation, Findings, Package, RecordStatus, Size, Subject, Verdict, describe, label,
};
use truce_model::Case;

use super::{Cell, Row, Table, figure, paragraph, subheading};
use crate::fmt::{approx, count, pct, u};
use crate::plot::canvas::esc;
use crate::svg::Utilities;
use crate::text;

fn names(case: &Case, f: &Findings) -> Vec<String> {
    f.parties.iter().map(|p| case.party(p.party).id.clone()).collect()
}

fn date_cell(text: String) -> Cell {
    Cell::new(text).class("date")
}

/// The summary under the page's title: the space, the negotiators, the date, the frontier.
#[must_use]
pub fn summary(case: &Case, f: &Findings) -> Vec<String> {
    let names = names(case, f);
    let mut out = vec![format!(
        "{} outcomes over {} issues; negotiators: {}.",
        count(&f.outcomes.to_string()),
        count(&case.space().len().to_string()),
        names.join(", ")
    )];
    if text::all_red_lines(case, f).iter().any(|(_, r)| r.is_dated()) {
        out.push(format!(
            "Analysed {}: the zone, solutions and bridging use the red lines in force then; each proposal and each recorded response is judged by the red lines in force on its own date.",
            text::at(f.date)
        ));
    }
    out
}

/// The state of play the analysis read from a signed agreement's event logs (`--events`): where
/// it comes from, each count, and what the reader must check. Empty without events.
#[must_use]
pub fn state_of_play(case: &Case, f: &Findings) -> Vec<String> {
    let Some(play) = &f.play else { return Vec::new() };
    let text = crate::play::PlayText::new(case, play);
    let mut out = vec![paragraph(&text.title)];
    let items: Vec<String> = text.counts.iter().map(|l| format!("<li>{}</li>", esc(l))).collect();
    out.push(format!("<ul>{}</ul>", items.concat()));
    if !text.warnings.is_empty() {
        let items: Vec<String> = text.warnings.iter().map(|l| format!("<li>{}</li>", esc(l))).collect();
        out.push(format!("<ul class=\"unexplained\">{}</ul>", items.concat()));
    }
    out
}

/// The utility space as figures: `svg` (from [`crate::svg::plot`]) and, past two parties, the
/// parallel coordinates, each with a caption saying what is drawn.
#[must_use]
pub fn frontier_plot(case: &Case, f: &Findings, svg: &str) -> String {
    let n = f.parties.len();
    let mut out = if n > 2 {
        figure(
            "space pairwise",
            svg,
            &format!(
                "The utility space seen from each pair of the {n} negotiators. The Pareto frontier is a set of points in {n} dimensions: each panel shows them as dots, never as a line, since a projection of the frontier is not a frontier. Proposals are numbered by date, as in the tables."
            ),
        )
    } else {
        figure(
            "space",
            svg,
            "Each outcome's utility to the two negotiators, the Pareto frontier, the zone of agreement (no red line broken, both at or above their reservation values), the bargaining solutions, and every proposal, numbered by date as in the tables.",
        )
    };
    if n > 2
        && let Some(parallel) = crate::svg::parallel(case, f)
    {
        out.push_str(&figure(
            "parallel",
            &parallel,
            "Every party on an axis of its own: each frontier point, solution and proposal is a line across the axes, so no party is left out.",
        ));
    }
    out
}

/// "Where the parties stand": each party's reservation value, best and red lines, the zone and its
/// size, the solutions (or why there are none), and the utility space.
#[must_use]
pub fn zone(case: &Case, f: &Findings, svg: &str) -> Vec<String> {
    let names = names(case, f);
    let dated = text::all_red_lines(case, f).iter().any(|(_, r)| r.is_dated());
    let mut parties = Table::new([
        "party",
        "reservation",
        "best",
        "best in zone",
        if dated { "red lines in force" } else { "red lines" },
    ]);
    for (p, name) in f.parties.iter().zip(&names) {
        let lines: Vec<_> = case
            .party(p.party)
            .preferences
            .as_ref()
            .map(|x| x.red_lines.iter().collect())
            .unwrap_or_default();
        let now = lines.iter().filter(|r| text::in_force(r, f.date)).count();
        parties.rows.push(Row::from(vec![
            Cell::new(name.clone()),
            Cell::num(u(p.reservation)),
            Cell::num(u(p.best)),
            Cell::num(p.zone_best.map_or_else(|| "-".into(), u)),
            Cell::num(if dated { format!("{now} of {}", lines.len()) } else { lines.len().to_string() }),
        ]));
    }
    parties.caption = Some("The negotiators".into());
    let size = match &f.zone.size {
        Size::Exact(n) => {
            let share = n.to_string().parse::<f64>().unwrap_or(0.0)
                / f.outcomes.to_string().parse::<f64>().unwrap_or(1.0);
            format!("{} outcomes ({} of all)", count(&n.to_string()), pct(100.0 * share))
        }
        Size::Estimate { value, low, high, .. } => {
            format!("about {} outcomes (95% interval {} to {})", approx(*value), approx(*low), approx(*high))
        }
        _ => "unknown".into(),
    };
    let mut out = vec![
        parties.html(),
        paragraph(&format!(
            "Zone of agreement{} (no red line broken, every party at or above its reservation value): {size}. Its frontier has {} points; the Pareto frontier over every outcome has {} ({}).",
            text::when(case, f),
            count(&f.zone.frontier.len().to_string()),
            count(&f.frontier.points.len().to_string()),
            text::method(&f.frontier.method)
        )),
    ];
    let s = &f.solutions;
    if s.nash.is_none() {
        out.push(paragraph(
            "There are no bargaining solutions: no outcome is acceptable to every party, so there is nothing to choose among. What closes the zone, and what relaxing it would make possible, follows.",
        ));
    } else {
        let mut t = Table::new(["solution", "criterion", "value"]);
        t.header.extend(names.iter().map(|n| Cell::new(n.clone()).class("num")));
        t.header.push(Cell::new("outcome"));
        t.caption = Some(format!(
            "Solutions over the zone (disagreement point {})",
            text::vector(&f.parties.iter().map(|p| p.reservation).collect::<Vec<_>>())
        ));
        for (name, criterion, sol) in [
            ("Nash (1950)", "product of gains", &s.nash),
            ("Kalai-Smorodinsky (1975)", "smallest share of possible gain", &s.kalai_smorodinsky),
            ("egalitarian (Kalai 1977)", "smallest gain", &s.egalitarian),
            ("maximum welfare", "sum of utilities", &s.max_welfare),
        ] {
            let Some(sol) = sol else { continue };
            let mut cells = vec![Cell::new(name), Cell::new(criterion), Cell::num(u(sol.value))];
            cells.extend(sol.point.utilities.iter().map(|&x| Cell::num(u(x))));
            cells.push(Cell::new(describe(case.space(), &sol.point.outcome)));
            t.rows.push(cells.into());
        }
        out.push(t.html());
        if let Some(o) = f.opposition {
            out.push(paragraph(&format!(
                "Opposition (distance from everyone's best to the nearest acceptable outcome): {}.",
                u(o)
            )));
        }
    }
    out.push(frontier_plot(case, f, svg));
    out
}

/// "What closes the zone": the smallest sets of red lines (or reservation values) whose relaxation
/// opens it.
#[must_use]
pub fn blockers(case: &Case, f: &Findings) -> Vec<String> {
    let Some(Bridging::Blocked { relaxations, reservations_conflict, exhaustive, .. }) = &f.bridging else {
        return Vec::new();
    };
    let mut out =
        vec![paragraph(&format!("No outcome is acceptable to every party{}.", text::when(case, f)))];
    if *reservations_conflict {
        out.push(paragraph("Even without any red line the reservation values conflict."));
    }
    if relaxations.is_empty() {
        out.push(paragraph(&format!(
            "No relaxation found{}.",
            if *exhaustive { "" } else { " within the search budget" }
        )));
        return out;
    }
    let mut t = Table::new(["set", "what would have to give way"]);
    t.caption = Some("The smallest sets whose relaxation opens a zone of agreement".into());
    for (k, set) in relaxations.iter().enumerate() {
        let items: Vec<String> = set.iter().map(|b| text::blocker_text(case, b)).collect();
        t.rows.push(vec![Cell::num((k + 1).to_string()), Cell::new(items.join(" + "))].into());
    }
    out.push(t.html());
    out
}

fn anchors_table(case: &Case, anchors: &[Anchor]) -> String {
    let mut t = Table::new(["party", "aspires to", "from"]);
    t.caption = Some("Where each side stands: its last proposal".into());
    for a in anchors {
        t.rows.push(
            vec![
                Cell::new(case.party(a.party).id.clone()),
                Cell::num(u(a.aspiration)),
                Cell::new(a.proposal.map_or_else(
                    || "its best outcome: it tabled no proposal".into(),
                    |p| format!("its last proposal {}", case.proposal(p).id),
                )),
            ]
            .into(),
        );
    }
    t.html()
}

/// A package's terms as a table by phase: the package's value of each issue and, for each side with
/// a last proposal, what that proposal had, marked where the package changes it. The caption gives
/// the utilities, the Nash product and the concessions.
#[must_use]
pub fn package_table(case: &Case, names: &[String], anchors: &[Anchor], title: &str, p: &Package) -> String {
    let groups = crate::terms::package(case, anchors, p);
    let title = if title.is_empty() { "Package" } else { title };
    let with: Vec<(usize, String)> = anchors
        .iter()
        .enumerate()
        .filter_map(|(k, a)| {
            a.proposal.map(|id| {
                (k, format!("{}'s {}", names.get(k).map_or("?", String::as_str), case.proposal(id).id))
            })
        })
        .collect();
    let mut t = Table::new(["phase", "issue", "package"]);
    t.header.extend(with.iter().map(|(_, h)| Cell::new(h.clone())));
    t.class = "package".into();
    t.caption = Some(format!(
        "{title}: utilities {}, Nash product {}, concessions {} (total {})",
        text::vector(&p.point.utilities),
        u(p.nash_product),
        text::vector(&p.concessions),
        u(p.total_concession)
    ));
    for g in &groups {
        for term in &g.terms {
            let mut cells = vec![
                Cell::new(g.phase.clone()).class("muted"),
                Cell::new(term.issue.clone()),
                Cell::new(term.value.clone()).class("value"),
            ];
            for (k, _) in &with {
                cells.push(match &term.was[*k] {
                    Some(old) => Cell::new(format!("{old} \u{2192} {}", term.value)).class("changed"),
                    None => Cell::new("same").class("same"),
                });
            }
            t.rows.push(Row { cells, class: if term.changed() { "changed".into() } else { String::new() } });
        }
    }
    let mut html = t.html();
    for a in p.approvals.iter().filter(|a| text::approval_notable(a)) {
        html.push_str(&paragraph(&format!("Approval: {}.", text::approval_text(case, a))));
    }
    html
}

fn packages(
    case: &Case,
    names: &[String],
    anchors: &[Anchor],
    title: &str,
    a: Option<&Package>,
    b: Option<&Package>,
) -> Vec<String> {
    match (a, b) {
        (Some(a), Some(b)) if a.point.outcome == b.point.outcome => {
            vec![package_table(
                case,
                names,
                anchors,
                &format!("{title}Best by Nash product and by least concession"),
                a,
            )]
        }
        (a, b) => [(a, "Best by Nash product"), (b, "Best by least total concession")]
            .into_iter()
            .filter_map(|(p, what)| {
                p.map(|p| package_table(case, names, anchors, &format!("{title}{what}"), p))
            })
            .collect(),
    }
}

/// "What each relaxation would make possible": per relaxation, its best packages as term tables.
#[must_use]
pub fn relaxations(case: &Case, f: &Findings) -> Vec<String> {
    let Some(Bridging::Blocked { anchors, if_relaxed, .. }) = &f.bridging else { return Vec::new() };
    if if_relaxed.is_empty() {
        return Vec::new();
    }
    let names = names(case, f);
    let mut out = vec![
        paragraph(
            "Bridging packages shown as changes from each side's last proposal: a highlighted row is a term the package changes.",
        ),
        anchors_table(case, anchors),
    ];
    for r in if_relaxed {
        let items: Vec<String> = r.relaxed.iter().map(|b| text::blocker_text(case, b)).collect();
        out.push(subheading(&format!("If {} gave way", items.join(" + "))));
        out.extend(packages(case, &names, anchors, "", r.by_nash.first(), r.by_concession.first()));
    }
    out
}

/// "Bridging packages": the anchors and each package as a term table.
#[must_use]
pub fn bridging(case: &Case, f: &Findings) -> Vec<String> {
    let Some(Bridging::Packages { anchors, by_nash, by_concession }) = &f.bridging else { return Vec::new() };
    let names = names(case, f);
    let mut out = vec![
        paragraph(&format!(
            "Packages from the frontier of the zone{}, shown as changes from each side's last proposal: a highlighted row is a term the package changes.",
            text::when(case, f)
        )),
        anchors_table(case, anchors),
    ];
    for (title, list) in [("By Nash product", by_nash), ("By least total concession", by_concession)] {
        out.push(subheading(title));
        for (k, p) in list.iter().enumerate() {
            out.push(package_table(case, &names, anchors, &format!("Package {}", k + 1), p));
        }
    }
    out
}

fn verdict_class(v: Verdict) -> &'static str {
    v.as_str()
}

/// "Proposals at a glance": a row per proposal in date order, numbered as in the plots, with each
/// party's verdict (judged by the red lines in force on its date) and utility.
#[must_use]
pub fn verdict_table(case: &Case, f: &Findings) -> String {
    verdict_table_for(case, f, Utilities::Shown)
}

/// [`verdict_table`] for a viewer who may or may not see utilities: with [`Utilities::Hidden`] (the
/// live server's mediator under `neutral` disclosure) each verdict says which red lines a proposal
/// breaks but never a utility or a reservation value. The columns are the negotiators of `f`: a
/// front end that must not show a party's verdicts analyses a case without its preferences.
#[must_use]
pub fn verdict_table_for(case: &Case, f: &Findings, utilities: Utilities) -> String {
    let names = names(case, f);
    let mut t = Table::new(["#", "date", "proposal", "by", "verdict"]);
    t.header.extend(names.iter().map(|n| Cell::new(n.clone())));
    t.class = "glance".into();
    t.sortable = true;
    t.caption = Some("Can each party accept it? Judged by the red lines in force on its date".into());
    for (k, e) in crate::plot::numbered(case, f) {
        let (date, by, title) = match e.subject {
            Subject::Proposal(id) => {
                let p = case.proposal(id);
                let by: Vec<&str> = p.tabled_by.iter().map(|&q| case.party(q).id.as_str()).collect();
                (p.date.map_or_else(|| "-".into(), |d| d.to_string()), by.join(", "), p.title.clone())
            }
            Subject::Outcome(_) => ("-".into(), String::new(), String::new()),
        };
        let mut cells = vec![
            Cell::num(k.to_string()),
            date_cell(date),
            Cell::new(label(case, &e.subject)).title(title),
            Cell::new(by),
            Cell::new(e.verdict.as_str()).class(verdict_class(e.verdict)),
        ];
        for (v, facts) in e.parties.iter().zip(&f.parties) {
            let utility = match v.utility {
                Some(x) if e.complete => u(x.low),
                Some(x) => format!("{} to {}", u(x.low), u(x.high)),
                None => "?".into(),
            };
            cells.push(match utilities {
                Utilities::Shown => Cell::new(text::verdict_cell(case, v, facts.reservation))
                    .class(verdict_class(v.verdict))
                    .title(format!("utility {utility}")),
                Utilities::Hidden => Cell::new(text::verdict_words(case, v)).class(verdict_class(v.verdict)),
            });
        }
        t.rows.push(cells.into());
    }
    t.html()
}

/// "Texts and responses": the history of a negotiation's texts and offers in the order tabled,
/// each negotiator's verdict and recorded response, and its utility of each when `utilities` are
/// shown ([`crate::svg::history`]); empty without proposals.
#[must_use]
pub fn history(case: &Case, f: &Findings, utilities: Utilities) -> Vec<String> {
    let Some(svg) = crate::svg::history(case, f, utilities) else { return Vec::new() };
    let caption = match utilities {
        Utilities::Shown => {
            "Each text and offer in the order tabled, numbered as in the tables: above, its utility to each party (dashed, each party's reservation value); below, whether each party can accept it (the cell's colour) and what it answered (the mark)."
        }
        Utilities::Hidden => {
            "Each text and offer in the order tabled, numbered as in the tables: whether each party can accept it (the cell's colour: its red lines and reservation value, never a utility shown) and what it answered (the mark)."
        }
    };
    vec![figure("history", &svg, caption)]
}

/// Who must approve: per proposal (in date order) and party with constituencies, whether the
/// party's rule carries it and whose approval it lacks.
#[must_use]
pub fn approval_table(case: &Case, f: &Findings) -> String {
    let parties: Vec<usize> =
        (0..case.parties.len()).filter(|&i| !case.parties[i].constituencies.is_empty()).collect();
    let mut t = Table::new(["date", "proposal"]);
    t.header.extend(parties.iter().map(|&i| Cell::new(case.parties[i].id.clone())));
    t.class = "approval".into();
    t.caption = Some(
        "Within each party: does its rule for what carries carry the proposal, and whose approval does it lack? Judged by the constituencies' red lines in force on its date"
            .into(),
    );
    for id in truce_analysis::timeline(case) {
        let Some(k) = f.evaluations.iter().position(|e| e.subject == Subject::Proposal(id)) else { continue };
        let Some(list) = f.approvals.get(k).filter(|l| !l.is_empty()) else { continue };
        let p = case.proposal(id);
        let mut cells = vec![
            date_cell(p.date.map_or_else(|| "-".into(), |d| d.to_string())),
            Cell::new(p.id.clone()).title(p.title.clone()),
        ];
        for &i in &parties {
            cells.push(match list.iter().find(|a| a.party.index() == i) {
                Some(a) => {
                    let text = text::approval_text(case, a);
                    let shown = text.split_once(": ").map_or(text.as_str(), |(_, rest)| rest).to_owned();
                    let class = match a.carries {
                        Some(true) => "acceptable",
                        Some(false) => "unacceptable",
                        None => "depends",
                    };
                    Cell::new(shown).class(class)
                }
                None => Cell::new("-"),
            });
        }
        t.rows.push(cells.into());
    }
    t.html()
}

fn proposal_detail(case: &Case, f: &Findings, k: usize, e: &Evaluation) -> Vec<String> {
    let names = names(case, f);
    let (head, by) = match e.subject {
        Subject::Proposal(id) => {
            let p = case.proposal(id);
            let by: Vec<&str> = p.tabled_by.iter().map(|&q| case.party(q).id.as_str()).collect();
            (
                format!("{k}. {} ({})", p.title, p.date.map_or_else(|| "undated".into(), |d| d.to_string())),
                if by.is_empty() { String::new() } else { format!(" Tabled by {}.", by.join(", ")) },
            )
        }
        Subject::Outcome(ref l) => (format!("{k}. Outcome `{l}`"), String::new()),
    };
    let mut out = vec![
        subheading(&head),
        format!(
            "<p><span class=\"{}\">{}</span>{}{}</p>",
            e.verdict.as_str(),
            e.verdict.as_str().to_uppercase(),
            esc(if e.complete { "" } else { " (partial: ranges over the open issues)." }),
            esc(&by)
        ),
    ];
    let mut t = Table::new(["party", "utility", "percentile", "verdict", "why"]);
    for (v, name) in e.parties.iter().zip(&names) {
        let utility = match v.utility {
            Some(x) if e.complete => u(x.low),
            Some(x) => format!("{} to {}", u(x.low), u(x.high)),
            None => "cannot be evaluated".into(),
        };
        let rank = match v.rank {
            Some((a, _)) if e.complete => format!("{:.1}", a.percentile),
            Some((a, b)) => format!("{:.1} to {:.1}", a.percentile, b.percentile),
            None => "-".into(),
        };
        let mut why: Vec<String> = v
            .broken
            .iter()
            .map(|b| format!("breaks {}", text::red_line_name(case, v.party, b.red_line)))
            .collect();
        why.extend(
            v.at_risk.iter().map(|b| format!("may break {}", text::red_line_name(case, v.party, b.red_line))),
        );
        t.rows.push(
            vec![
                Cell::new(name.clone()),
                Cell::num(utility),
                Cell::num(rank),
                Cell::new(v.verdict.as_str()).class(v.verdict.as_str()),
                Cell::new(why.join("; ")),
            ]
            .into(),
        );
    }
    out.push(t.html());
    let mut terms = Table::new(["phase", "issue", "value"]);
    terms.class = "terms".into();
    for (phase, list) in crate::terms::settings(case, &e.settings) {
        for (issue, value) in list {
            let class = if value == "open" { "muted" } else { "" };
            terms.rows.push(
                vec![
                    Cell::new(phase.clone()).class("muted"),
                    Cell::new(issue),
                    Cell::new(value).class(class),
                ]
                .into(),
            );
        }
    }
    out.push(format!("<details><summary>Terms</summary>{}</details>", terms.html()));
    let mut notes = Vec::new();
    if let Some(d) = &e.dominated_by {
        let changes: Vec<String> = d
            .changes
            .iter()
            .map(|c| {
                let i = case.space().issue(c.issue);
                format!(
                    "{} {} \u{2192} {}",
                    i.name,
                    c.from.map_or_else(|| "open".into(), |v| i.format_value(v)),
                    i.format_value(c.to)
                )
            })
            .collect();
        notes.push(format!(
            "Dominated{}: every party gains {} by changing {}.",
            if d.respects_red_lines { "" } else { " (only by outcomes that break a red line)" },
            text::vector(&d.gains),
            changes.join("; ")
        ));
    } else if e.complete && e.parties.iter().all(|v| v.utility.is_some()) {
        notes.push("Not dominated: no outcome is better for every party.".into());
    }
    if let (Some(fd), Some(nd)) = (e.frontier_distance, e.nash_distance) {
        notes.push(format!("Distance to the frontier {}, to the Nash point {}.", u(fd), u(nd)));
    }
    if let Some(c) = &e.best_completion {
        notes.push(format!(
            "Best completion for all: {} {}.",
            text::vector(&c.utilities),
            describe(case.space(), &c.outcome)
        ));
    }
    if let Some(list) = f.evaluations.iter().position(|x| std::ptr::eq(x, e)).and_then(|k| f.approvals.get(k))
    {
        notes.extend(
            list.iter()
                .filter(|a| text::approval_notable(a))
                .map(|a| format!("Approval: {}.", text::approval_text(case, a))),
        );
    }
    notes.extend(e.notes.iter().map(|n| format!("Note: {n}")));
    out.extend(notes.iter().map(|n| paragraph(n)));
    out
}

/// "Proposals in detail": per proposal its verdict, each party's utility, percentile and reasons,
/// its terms by phase, and what dominates it.
#[must_use]
pub fn proposals(case: &Case, f: &Findings) -> Vec<String> {
    crate::plot::numbered(case, f).into_iter().flat_map(|(k, e)| proposal_detail(case, f, k, e)).collect()
}

/// "Positions over time": the plot against dates and the table of utilities.
#[must_use]
pub fn positions(case: &Case, f: &Findings) -> Vec<String> {
    let Some(svg) = crate::svg::positions(case, f) else { return Vec::new() };
    let names = names(case, f);
    let mut out = vec![figure(
        "positions",
        &svg,
        "Each proposal's utility to each party, at its date. A date known only to the month is drawn over the whole month; a partial proposal, from its worst to its best completion. Dashed: each party's reservation value.",
    )];
    let mut t = Table::new(["#", "date", "proposal", "by"]);
    t.header.extend(names.iter().map(|n| Cell::new(n.clone()).class("num")));
    t.sortable = true;
    for (k, e) in crate::plot::numbered(case, f) {
        let Subject::Proposal(id) = e.subject else { continue };
        let p = case.proposal(id);
        let mut cells = vec![
            Cell::num(k.to_string()),
            date_cell(p.date.map_or_else(|| "-".into(), |d| d.to_string())),
            Cell::new(p.id.clone()),
            Cell::new(p.tabled_by.iter().map(|&q| case.party(q).id.as_str()).collect::<Vec<_>>().join(", ")),
        ];
        cells.extend(e.parties.iter().map(|v| {
            Cell::num(match v.utility {
                Some(x) if (x.high - x.low).abs() < 5e-5 => u(x.low),
                Some(x) => format!("{} to {}", u(x.low), u(x.high)),
                None => "?".into(),
            })
        }));
        t.rows.push(cells.into());
    }
    out.push(t.html());
    out
}

/// "Red lines over time": the timeline, and the table of every red line with its period and rule.
#[must_use]
pub fn red_lines_timeline(case: &Case, f: &Findings) -> Vec<String> {
    let Some(svg) = crate::svg::red_lines(case, f) else { return Vec::new() };
    let mut out = vec![figure(
        "red-lines",
        &svg,
        &format!(
            "Each red line over the days it is in force; a date known only to the month is the lighter part of a bar. The dashed line is the analysis date ({}).",
            f.date.map_or_else(|| "the end of the record".into(), |d| d.to_string())
        ),
    )];
    let mut t = Table::new(["party", "in force now", "period", "red line", "rule"]);
    t.sortable = true;
    let mut rows: Vec<_> = text::all_red_lines(case, f);
    rows.sort_by_key(|(p, r)| (*p, r.since));
    for (party, r) in rows {
        let period = match (r.since, r.until) {
            (None, None) => "throughout".to_owned(),
            (Some(s), None) => format!("since {s}"),
            (None, Some(u)) => format!("until {u}"),
            (Some(s), Some(u)) => format!("{s} to {u}"),
        };
        let now = text::in_force(r, f.date);
        t.rows.push(
            vec![
                Cell::new(case.party(party).id.clone()),
                Cell::new(if now { "yes" } else { "no" }).class(if now { "yes" } else { "muted" }),
                Cell::new(period).class("nowrap"),
                Cell::new(r.name.clone()),
                Cell::new(r.rule.describe(case.space())),
            ]
            .into(),
        );
    }
    out.push(t.html());
    out
}

/// "The record against the model": every recorded response, the model's verdict and whether it
/// explains it, then what it does not explain.
#[must_use]
pub fn record(case: &Case, f: &Findings) -> Vec<String> {
    let mut t = Table::new(["proposal", "party", "date", "said", "model", "status", "why"]);
    t.sortable = true;
    for r in &f.record {
        let reasons: Vec<String> = r.reasons.iter().map(|x| text::reason_text(case, r.party, x)).collect();
        t.rows.push(
            vec![
                Cell::new(case.proposal(r.proposal).id.clone()),
                Cell::new(case.party(r.party).id.clone()),
                date_cell(r.date.map_or_else(|| "-".into(), |d| d.to_string())),
                Cell::new(r.stance.as_str()),
                Cell::new(r.verdict.map_or("-", Verdict::as_str))
                    .class(r.verdict.map_or("", Verdict::as_str)),
                Cell::new(r.status.as_str()).class(r.status.as_str()),
                Cell::new(reasons.join("; ")),
            ]
            .into(),
        );
    }
    let n = |s: RecordStatus| f.record.iter().filter(|r| r.status == s).count();
    let unexplained: Vec<_> = f
        .record
        .iter()
        .filter(|r| {
            matches!(
                r.status,
                RecordStatus::Inconsistent | RecordStatus::Undecided | RecordStatus::Bargaining
            )
        })
        .collect();
    let mut out = vec![
        paragraph(&format!(
            "{} rejections or counters explained, {} acceptances consistent, {} responses of parties without preferences; {} not explained by the model: {} inconsistent, {} undecided, {} bargaining.",
            n(RecordStatus::Explained),
            n(RecordStatus::Consistent),
            n(RecordStatus::Unmodelled),
            unexplained.len(),
            n(RecordStatus::Inconsistent),
            n(RecordStatus::Undecided),
            n(RecordStatus::Bargaining)
        )),
        t.html(),
    ];
    if !unexplained.is_empty() {
        out.push(subheading("Not explained by the model"));
        let items: Vec<String> = unexplained
            .iter()
            .map(|r| {
                format!(
                    "<li>{}</li>",
                    esc(&format!(
                        "{}, {}{}: {}",
                        case.proposal(r.proposal).id,
                        case.party(r.party).id,
                        r.date.map_or_else(String::new, |d| format!(" ({d})")),
                        text::unexplained(case, r)
                    ))
                )
            })
            .collect();
        out.push(format!("<ul class=\"unexplained\">{}</ul>", items.concat()));
    }
    out
}

/// "Sensitivity": how far each weight and reservation value may move before the Nash point moves,
/// and the smallest move that changes each proposal's verdict.
#[must_use]
pub fn sensitivity(case: &Case, f: &Findings) -> Vec<String> {
    let Some(s) = &f.sensitivity else { return Vec::new() };
    let mut out = Vec::new();
    let (weights, reservations, flips) = text::sensitivity_rows(case, f, s);
    let table = |header: &[&str], rows: Vec<Vec<String>>, caption: &str| {
        let mut t = Table::new(header.iter().copied());
        t.caption = Some(caption.to_owned());
        t.sortable = true;
        for row in rows {
            t.rows.push(row.into_iter().map(Cell::new).collect::<Vec<_>>().into());
        }
        t.html()
    };
    if f.solutions.nash.is_none() {
        out.push(paragraph(&format!(
            "There is no Nash point{}: the zone of agreement is empty.",
            text::when(case, f)
        )));
    } else {
        out.push(table(
            &["party", "weight of", "now", "moves below", "moves above"],
            weights,
            "The Nash point, as each weight moves (the party's other weights rescaled to keep their sum)",
        ));
        out.push(table(
            &["party", "reservation", "moves below", "moves above"],
            reservations,
            "The Nash point, as each reservation value moves",
        ));
    }
    if flips.is_empty() {
        out.push(paragraph("No proposal's verdict changes when any one weight moves over its whole range."));
    } else {
        out.push(table(
            &["proposal", "party", "becomes", "weight of", "moving"],
            flips,
            "Proposals' verdicts: the smallest move of one weight that changes each",
        ));
    }
    out
}

/// The frontier as a sortable table, every point (the JSON has them too).
#[must_use]
pub fn frontier(case: &Case, f: &Findings) -> Vec<String> {
    let names = names(case, f);
    let mut t = Table::new(names.iter().map(String::as_str).collect::<Vec<_>>());
    for h in &mut t.header {
        h.class = "num".into();
    }
    t.header.push(Cell::new("ties").class("num"));
    t.header.push(Cell::new("outcome"));
    t.sortable = true;
    t.class = "frontier".into();
    // On paper, the rows the text report shows (evenly spread, both ends included): all of a large
    // frontier would run to a hundred pages.
    let total = f.frontier.points.len();
    let k = text::FRONTIER_ROWS - 1;
    let printed: std::collections::BTreeSet<usize> = if total <= text::FRONTIER_ROWS {
        (0..total).collect()
    } else {
        (0..=k).map(|i| i * (total - 1) / k).collect()
    };
    for (i, p) in f.frontier.points.iter().enumerate() {
        let mut cells: Vec<Cell> = p.utilities.iter().map(|&x| Cell::num(u(x))).collect();
        cells.push(Cell::num(if p.count > 1 { count(&p.count.to_string()) } else { String::new() }));
        cells.push(Cell::new(describe(case.space(), &p.outcome)));
        let mut row: Row = cells.into();
        if !printed.contains(&i) {
            row.class = "screen-only".into();
        }
        t.rows.push(row);
    }
    vec![
        paragraph(&format!(
            "Every outcome, red lines and reservation values ignored: {} points, reached by {} outcomes ({}). Click a column to sort by it.",
            count(&f.frontier.points.len().to_string()),
            count(&f.frontier.outcomes().to_string()),
            text::method(&f.frontier.method)
        )),
        format!("<div class=\"scroll\">{}</div>", t.html()),
        format!(
            "<p class=\"print-only\">Printed: {} of the {} points, evenly spread, both ends included; the page lists them all.</p>",
            printed.len(),
            count(&total.to_string())
        ),
    ]
}
