//! Rendering analysis and simulation results as text, JSON, SVG plots and HTML reports.

mod sim;

pub use sim::negotiation_svg;
