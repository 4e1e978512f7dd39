//! Rendering analysis and simulation results: a text report for terminals, JSON with a documented
//! stable schema, an SVG plot of the utility space, a self-contained HTML page, and an SVG plot of a
//! negotiation from its transcript ([`sim`]), and a case as a reader wants it ([`show`]). Every renderer returns a string: writing files is the
//! caller's business.
//!
//! ```
//! # fn demo(case: &truce_model::Case) -> Result<(), truce_analysis::AnalysisError> {
//! let findings = truce_analysis::Analysis::new(case).run()?;
//! let text = truce_report::text::report(case, &findings);
//! let json = truce_report::json::to_string(case, &findings, None);
//! let svg = truce_report::svg::plot(case, &findings);
//! let html = truce_report::html::page(case, &findings, &svg);
//! # let _ = (text, json, html);
//! # Ok(()) }
//! ```

mod fmt;
pub mod html;
pub mod json;
pub mod monitor;
mod play;
mod plot;
pub mod show;
pub mod sim;
pub mod svg;
mod terms;
pub mod text;
