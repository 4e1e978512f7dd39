//! A negotiation as a page: the summary, who got what as a table, and its plot.

use super::{Section, Table, document, figure};

/// The page of one negotiation: `title`, the `summary` lines, the parties' table and the `svg` (from
/// [`crate::sim::negotiation_plot`]) with its `caption`.
#[must_use]
pub fn negotiation_page(
    title: &str,
    summary: &[String],
    parties: &Table,
    svg: &str,
    caption: &str,
) -> String {
    let sections = vec![
        Section { id: "result".into(), title: "Result".into(), parts: vec![parties.html()] },
        Section {
            id: "plot".into(),
            title: "Offers over time and in utility space".into(),
            parts: vec![figure("negotiation", svg, caption)],
        },
    ];
    document("Truce negotiation", title, summary, &sections)
}
