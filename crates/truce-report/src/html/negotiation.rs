//! A negotiation as a page: the summary as tables, and its plot.

use super::{Cell, Section, Table, document, figure, paragraph};

/// The page of one negotiation: `title`, the `summary` lines (from [`crate::sim::summary`]), the
/// parties' table and the `svg` (from [`crate::sim::negotiation_svg`]) with its `caption`.
#[must_use]
pub fn negotiation_page(title: &str, summary: &[String], parties: &Table, svg: &str, caption: &str) -> String {
    let sections = vec![
        Section { id: "result".into(), title: "Result".into(), parts: vec![parties.html()] },
        Section { id: "plot".into(), title: "Offers over time and in utility space".into(), parts: vec![figure("negotiation", svg, caption)] },
    ];
    let _ = Cell::default;
    let summary: Vec<String> = summary.to_vec();
    let _ = paragraph;
    document("Truce negotiation", title, &summary, &sections)
}
