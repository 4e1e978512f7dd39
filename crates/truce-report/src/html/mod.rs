//! The analysis as one self-contained HTML page (no network, one file: inline CSS, inline SVG, a
//! small inline script that sorts tables), every section of the text report a section of the page,
//! in the same order: where the parties stand, what closes the zone or what could bridge it, the
//! proposals at a glance and in detail, positions and red lines over time, the texts and responses
//! over time (a chart only the page has), the record against the model, the sensitivity, the frontier
//! (sortable) and the notes. It prints to a clean PDF.
//!
//! The page is built from [`components`], HTML fragments that the live-mediation server embeds in
//! its own pages: one set of templates (askama, checked at compile time, in
//! `crates/truce-report/templates/`).

pub mod components;
mod negotiation;

use askama::Template;
use truce_analysis::{Bridging, Findings};
use truce_model::Case;

pub use crate::svg::Utilities;
pub use negotiation::negotiation_page;

/// A table cell: its text, and optionally a class, a tooltip and a sort key.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cell {
    /// What the cell says.
    pub text: String,
    /// CSS classes (`num`, `date`, a verdict such as `acceptable`).
    pub class: String,
    /// A tooltip.
    pub title: String,
    /// What the cell sorts by, when not its text.
    pub sort: Option<String>,
}

impl Cell {
    /// A plain cell.
    pub fn new(text: impl Into<String>) -> Self {
        Self { text: text.into(), ..Self::default() }
    }

    /// The cell with CSS `class`.
    #[must_use]
    pub fn class(mut self, class: impl Into<String>) -> Self {
        self.class = class.into();
        self
    }

    /// The cell with a tooltip.
    #[must_use]
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// A number, right-aligned.
    pub fn num(text: impl Into<String>) -> Self {
        Self::new(text).class("num")
    }
}

/// A table row.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Row {
    /// The cells.
    pub cells: Vec<Cell>,
    /// CSS classes of the row.
    pub class: String,
}

impl From<Vec<Cell>> for Row {
    fn from(cells: Vec<Cell>) -> Self {
        Self { cells, class: String::new() }
    }
}

/// A table: the one table component every view renders its tables with.
#[derive(Clone, Debug, Default, PartialEq, Template)]
#[template(path = "table.html")]
pub struct Table {
    /// CSS classes.
    pub class: String,
    /// The caption, if any.
    pub caption: Option<String>,
    /// The header cells.
    pub header: Vec<Cell>,
    /// The rows.
    pub rows: Vec<Row>,
    /// Whether clicking a header sorts by that column (the page's script).
    pub sortable: bool,
}

impl Table {
    /// A table with these column titles.
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Self {
        Self { header: header.into_iter().map(Cell::new).collect(), ..Self::default() }
    }

    /// The table as HTML.
    #[must_use]
    pub fn html(&self) -> String {
        self.render().unwrap_or_default()
    }
}

/// A figure: an SVG plot with its caption.
#[derive(Template)]
#[template(path = "figure.html")]
struct Figure<'a> {
    class: &'a str,
    svg: &'a str,
    caption: &'a str,
}

/// An SVG plot and its caption as a `<figure>`.
#[must_use]
pub fn figure(class: &str, svg: &str, caption: &str) -> String {
    Figure { class, svg, caption }.render().unwrap_or_default()
}

/// One section of a page.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    /// Its anchor (`zone`, `glance`...).
    pub id: String,
    /// Its heading.
    pub title: String,
    /// Its HTML fragments, in order.
    pub parts: Vec<String>,
}

impl Section {
    /// A section of `parts`, or none when there are no parts (a view with nothing to show).
    fn unless_empty(id: &str, title: &str, parts: Vec<String>) -> Option<Self> {
        (!parts.is_empty()).then(|| Self { id: id.into(), title: title.into(), parts })
    }
}

/// A whole page.
#[derive(Template)]
#[template(path = "page.html")]
struct Page<'a> {
    kind: &'a str,
    title: &'a str,
    summary: &'a [String],
    sections: &'a [Section],
    version: &'a str,
}

/// A self-contained page: `kind` above the title (`Truce analysis`), the summary paragraphs, and the
/// sections, with a table of contents when there are more than two.
#[must_use]
pub fn document(kind: &str, title: &str, summary: &[String], sections: &[Section]) -> String {
    Page { kind, title, summary, sections, version: env!("CARGO_PKG_VERSION") }.render().unwrap_or_default()
}

/// A paragraph, escaped.
#[must_use]
pub fn paragraph(text: &str) -> String {
    format!("<p>{}</p>", crate::plot::canvas::esc(text))
}

/// A heading of a subsection, escaped.
#[must_use]
pub fn subheading(text: &str) -> String {
    format!("<h3>{}</h3>", crate::plot::canvas::esc(text))
}

/// The HTML page of an analysis of `case`, with `svg` (from [`crate::svg::plot`]) as its
/// utility-space plot.
#[must_use]
pub fn page(case: &Case, findings: &Findings, svg: &str) -> String {
    use components as c;
    let f = findings;
    let mut sections = Vec::new();
    sections.extend(Section::unless_empty(
        "state-of-play",
        "State of play from the events",
        c::state_of_play(case, f),
    ));
    sections.push(Section {
        id: "zone".into(),
        title: "Where the parties stand".into(),
        parts: c::zone(case, f, svg),
    });
    match &f.bridging {
        Some(Bridging::Blocked { .. }) => {
            sections.push(Section {
                id: "closed".into(),
                title: "What closes the zone".into(),
                parts: c::blockers(case, f),
            });
            sections.extend(Section::unless_empty(
                "relaxations",
                "What each relaxation would make possible",
                c::relaxations(case, f),
            ));
        }
        Some(Bridging::Packages { .. }) => sections.push(Section {
            id: "bridging".into(),
            title: "Bridging packages".into(),
            parts: c::bridging(case, f),
        }),
        None => {}
    }
    if !f.evaluations.is_empty() {
        sections.push(Section {
            id: "glance".into(),
            title: "Proposals at a glance".into(),
            parts: vec![c::verdict_table(case, f)],
        });
        if f.approvals.iter().any(|a| !a.is_empty()) {
            sections.push(Section {
                id: "approval".into(),
                title: "Who must approve".into(),
                parts: vec![c::approval_table(case, f)],
            });
        }
        sections.push(Section {
            id: "proposals".into(),
            title: "Proposals in detail".into(),
            parts: c::proposals(case, f),
        });
    }
    sections.extend(Section::unless_empty("positions", "Positions over time", c::positions(case, f)));
    sections.extend(Section::unless_empty(
        "red-lines",
        "Red lines over time",
        c::red_lines_timeline(case, f),
    ));
    sections.extend(Section::unless_empty(
        "history",
        "Texts and responses over time",
        c::history(case, f, Utilities::Shown),
    ));
    if !f.record.is_empty() {
        sections.push(Section {
            id: "record".into(),
            title: "The record against the model".into(),
            parts: c::record(case, f),
        });
    }
    if f.sensitivity.is_some() {
        sections.push(Section {
            id: "sensitivity".into(),
            title: "Sensitivity to the analyst's assumptions".into(),
            parts: c::sensitivity(case, f),
        });
    }
    sections.push(Section {
        id: "frontier".into(),
        title: "The Pareto frontier".into(),
        parts: c::frontier(case, f),
    });
    if !f.notes.is_empty() {
        sections.push(Section {
            id: "notes".into(),
            title: "Notes".into(),
            parts: f.notes.iter().map(|n| paragraph(n)).collect(),
        });
    }
    document("Truce analysis", &case.title, &c::summary(case, f), &sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_escape_their_cells() {
        let mut t = Table::new(["a<b"]);
        t.rows.push(vec![Cell::new("x & \"y\"").title("t<")].into());
        let html = t.html();
        assert!(html.contains("<th scope=\"col\">a&#60;b</th>") || html.contains("a&lt;b"), "{html}");
        assert!(!html.contains("x & \"y\""), "{html}");
    }
}
