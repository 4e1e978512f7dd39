//! The analysis' plots as SVG (each a string, the same for the same findings):
//!
//! - [`plot`]: the utility space. Outcomes (each one, or their density when there are many), the
//!   Pareto frontier, the zone of agreement and its frontier, the reservation values, the bargaining
//!   solutions and every proposal, numbered by date (a cross when complete, the box of its
//!   completions' utilities when partial). With two negotiators, one panel; with more, a panel per
//!   pair of negotiators, where the frontier is the points it is seen from that pair, never a line.
//! - [`parallel`]: every negotiator's utility on an axis of its own, each frontier point, solution
//!   and proposal a line across them: the view of three or more parties that hides none.
//! - [`positions`] and [`red_lines`]: positions and red lines over time, against dates.
//! - [`history`]: the texts and offers in the order tabled, each negotiator's verdict and response
//!   to each, and (when [`Utilities::Shown`]) its utility of each: a negotiation without dates, as
//!   the live-mediation server shows it.
//!
//! Every label is placed by a greedy pass that checks it against every text and mark already
//! placed, so that no two texts overlap; what finds no place is left to the tables beside the plot.

use truce_analysis::Findings;
use truce_model::Case;

use crate::plot::canvas::{Canvas, Text};
use crate::plot::{analysis_space, space, time};

/// The utility-space plot of an analysis of `case`: one panel for two negotiators, a panel per pair
/// for more.
#[must_use]
pub fn plot(case: &Case, findings: &Findings) -> String {
    if findings.parties.len() < 2 {
        return message("Only one negotiating party: there is no utility space to plot.");
    }
    let s = analysis_space(case, findings);
    if findings.parties.len() == 2 { space::single(&s) } else { space::pairwise(&s) }
}

/// The parallel-coordinates view of the frontier, the solutions and the proposals; `None` with
/// fewer than two negotiators.
#[must_use]
pub fn parallel(case: &Case, findings: &Findings) -> Option<String> {
    (findings.parties.len() >= 2).then(|| space::parallel(&analysis_space(case, findings)))
}

/// Positions over time: each dated proposal's utility to each negotiator against its date (a date
/// known to the month drawn as a span), a line per party with its reservation value dashed. `None`
/// when fewer than two proposals are dated.
#[must_use]
pub fn positions(case: &Case, findings: &Findings) -> Option<String> {
    time::positions(case, findings)
}

/// Red lines over time: a bar per red line over the days it is in force, the analysis date, and the
/// proposals' dates. `None` when no red line is dated.
#[must_use]
pub fn red_lines(case: &Case, findings: &Findings) -> Option<String> {
    time::red_lines_timeline(case, findings)
}

/// Whether a view shows the parties' utilities, or only what is computed from them (verdicts, red
/// lines broken): the live-mediation server's `neutral` disclosure shows the mediator no utility.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Utilities {
    /// Utilities, reservation values and verdicts (the analysis page; a party's own view).
    #[default]
    Shown,
    /// Verdicts and the red lines broken only: no number computed from a preference.
    Hidden,
}

/// The history of the texts and offers of `case` in the order tabled (no dates needed): a column
/// per proposal, numbered as in the tables, a row per negotiator with its verdict and its recorded
/// response, and, when `utilities` are shown, each negotiator's utility of each above them. `None`
/// without proposals or negotiators.
#[must_use]
pub fn history(case: &Case, findings: &Findings, utilities: Utilities) -> Option<String> {
    crate::plot::history::history(case, findings, utilities == Utilities::Shown)
}

fn message(text: &str) -> String {
    let mut c = Canvas::new(720.0, 50.0);
    c.text(12.0, 30.0, text, Text::plain(14.0));
    c.finish(text, "plot message")
}
