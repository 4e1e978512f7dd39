//! A monitoring as one self-contained HTML page: the text report and the plots.

use truce_analysis::monitor::Monitoring;
use truce_model::Case;

use crate::plot::canvas::esc;

/// The page: the plots inline, then the report.
#[must_use]
pub fn page(case: &Case, m: &Monitoring) -> String {
    let plots: String =
        super::svg::plots(case, m).into_iter().map(|p| format!("<figure>{p}</figure>\n")).collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}: monitoring at {at}</title>\n<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}figure{{margin:1rem 0}}pre{{white-space:pre-wrap;background:#f6f6f6;padding:1rem}}</style>\n</head>\n<body>\n<h1>{title}</h1>\n<p>Monitoring at {at} (day {day}).</p>\n{plots}<pre>{report}</pre>\n</body>\n</html>\n",
        title = esc(&case.title),
        at = m.at,
        day = m.at_day,
        report = esc(&super::text::report(case, m)),
    )
}
