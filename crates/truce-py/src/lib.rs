//! Truce's Python bindings, the native module `truce._truce` of the `truce` package (`python/`):
//! thin `#[pyclass]` wrappers over the `truce` facade, as polars does. The core crates know nothing of
//! Python; this crate parses Python arguments, calls the facade and hands back what it returns (the
//! report crate's JSON, SVG and HTML, which the pure-Python layer turns into objects).
//!
//! - [`case`]: `load`, `load_files` (texts in memory) -> `Case`; `Case.analyze` -> `Analysis`.
//! - [`sim`]: `negotiate`, `tournament`, `merge`, the registry of agents and protocols.
//! - [`agent`]: agents written in Python playing through the simulation's `Agent` interface.
//! - [`error`]: the one mapping of `truce::ErrorKind` to the `TruceError` hierarchy.
//!
//! Built by maturin (`pip install ./python`); tested from Python (`python/tests`).

mod agent;
mod case;
mod error;
mod sim;

use pyo3::prelude::*;

/// The native module.
#[pymodule]
fn _truce(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    error::register(m)?;
    agent::register(m)?;
    m.add_class::<case::Case>()?;
    m.add_class::<case::Analysis>()?;
    m.add_class::<sim::NegotiationRun>()?;
    m.add_class::<sim::Results>()?;
    m.add_function(wrap_pyfunction!(case::load, m)?)?;
    m.add_function(wrap_pyfunction!(case::load_files, m)?)?;
    m.add_function(wrap_pyfunction!(sim::negotiate, m)?)?;
    m.add_function(wrap_pyfunction!(sim::tournament, m)?)?;
    m.add_function(wrap_pyfunction!(sim::merge, m)?)?;
    m.add_function(wrap_pyfunction!(sim::merge_folders, m)?)?;
    m.add_function(wrap_pyfunction!(sim::agents, m)?)?;
    m.add_function(wrap_pyfunction!(sim::protocols, m)?)?;
    Ok(())
}
