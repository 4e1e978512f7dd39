//! A case read and checked (`Case`), and its analysis (`Analysis`): thin wrappers over the facade's
//! `load_valid` / `validated` and `analyze`. What they hand Python is the report crate's own output
//! (the `truce show` JSON, the `truce-analysis/1` JSON, the SVG and HTML views), which the pure-Python
//! layer turns into objects: nothing is serialised twice.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use pyo3::prelude::*;
use truce::analysis::Findings;
use truce::model::PartialDate;
use truce::negotiate::Stage;
use truce::report::json::AnalysisJson;
use truce::{AnalyzeOptions, Sources, Valid};

use crate::error::{Diagnostic, IntoPy, parameter};

/// Files as `(name, text)`.
type Texts = Vec<(String, String)>;

/// A case that read and passed the model's checks.
#[pyclass(module = "truce._truce", frozen)]
pub struct Case {
    pub(crate) valid: Arc<Valid>,
    /// The days negotiated so far, made ready once (pools built, analysis run) and reused by every
    /// later negotiation of the same day; the most recent [`STAGES_KEPT`].
    stages: Mutex<Vec<(Option<PartialDate>, Stage)>>,
}

/// How many negotiated days a [`Case`] keeps ready.
const STAGES_KEPT: usize = 4;

impl Case {
    fn new(valid: Valid) -> Self {
        Self { valid: Arc::new(valid), stages: Mutex::default() }
    }

    /// The day `at` made ready for negotiations, from the cache or made now.
    pub(crate) fn stage(&self, at: Option<PartialDate>) -> Result<Stage, truce::Error> {
        let mut stages = self.stages.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, stage)) = stages.iter().find(|(day, _)| *day == at) {
            return Ok(stage.clone());
        }
        let stage = Stage::of(self.valid.case(), at)?;
        if stages.len() == STAGES_KEPT {
            stages.remove(0);
        }
        stages.push((at, stage.clone()));
        Ok(stage)
    }
}

/// Reads and checks the case at `path` (a Truce case file or folder, or a GENIUS, GeniusWeb or
/// NegMAS domain).
#[pyfunction]
pub fn load(py: Python<'_>, path: PathBuf) -> PyResult<Case> {
    let valid = py.detach(|| truce::load_valid(&path)).py()?;
    Ok(Case::new(valid))
}

/// Reads and checks a case from texts in memory: `files` maps each file's name to its text, and
/// `root` is the file (or the folder of the files) to read, as `load` reads a path.
#[pyfunction]
pub fn load_files(py: Python<'_>, root: PathBuf, files: Vec<(String, String)>) -> PyResult<Case> {
    let mut sources = Sources::new();
    for (name, text) in files {
        sources.insert(name.as_str(), text);
    }
    let valid = py.detach(|| truce::load_files(&root, sources).and_then(truce::validated)).py()?;
    Ok(Case::new(valid))
}

/// A date argument (`2024-07-05`, `2024-07`, `2024`).
pub(crate) fn date(at: Option<&str>) -> PyResult<Option<PartialDate>> {
    at.map(|text| {
        text.parse::<PartialDate>().map_err(|e| parameter("at", format!("{text:?} is not a date: {e}")))
    })
    .transpose()
}

#[pymethods]
impl Case {
    /// The case's id.
    #[getter]
    fn id(&self) -> &str {
        &self.valid.case().id
    }

    /// The case's title.
    #[getter]
    fn title(&self) -> &str {
        &self.valid.case().title
    }

    /// The format it was read from (`truce`, `genius`, `geniusweb`, `negmas`).
    #[getter]
    fn format(&self) -> &'static str {
        match self.valid.loaded.format {
            truce::Format::TruceToml => "truce",
            truce::Format::GeniusXml => "genius",
            truce::Format::GeniusWebJson => "geniusweb",
            truce::Format::NegmasYaml => "negmas",
        }
    }

    /// The path (or name) it was read from.
    #[getter]
    fn path(&self) -> PathBuf {
        self.valid.loaded.source_map.root().to_path_buf()
    }

    /// The warnings of reading and checking.
    #[getter]
    fn warnings(&self) -> Vec<Diagnostic> {
        self.valid.warnings.iter().map(Diagnostic::from).collect()
    }

    /// The case as `truce show --json` writes it.
    fn show_json(&self) -> PyResult<String> {
        let json = truce::report::show::json(self.valid.case(), self.valid.loaded.format);
        serde_json::to_string(&json).map_err(|e| parameter("case", e.to_string()))
    }

    /// The case as `truce show` prints it.
    fn show_text(&self) -> String {
        truce::report::show::text(self.valid.case(), self.valid.loaded.format)
    }

    /// The sources the case cites, as JSON (the model's own serialisation).
    fn sources_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.valid.case().sources).map_err(|e| parameter("case", e.to_string()))
    }

    /// The texts read, as `(name, text)` pairs.
    fn texts(&self) -> Vec<(String, String)> {
        self.valid.loaded.sources.iter().map(|(p, t)| (p.display().to_string(), t.to_string())).collect()
    }

    /// Writes the case to `path` in `format` (`truce`, `genius`, `geniusweb`, `negmas`; `None`: from
    /// the extension), as `truce convert` does. Returns the warnings about facts the format drops.
    #[pyo3(signature = (path, format=None))]
    fn save(&self, py: Python<'_>, path: PathBuf, format: Option<&str>) -> PyResult<Vec<Diagnostic>> {
        let format = format.map(parse_format).transpose()?;
        let case = self.valid.case();
        let warnings =
            py.detach(|| truce::formats::save(case, &path, format)).map_err(truce::Error::from).py()?;
        Ok(warnings.iter().map(Diagnostic::from).collect())
    }

    /// The case as a NegMAS scenario in memory: the YAML texts `truce convert --to negmas` writes,
    /// as `(file name, text)` (the outcome space first), and the warnings about what NegMAS drops.
    fn negmas_texts(&self) -> PyResult<(Texts, Vec<Diagnostic>)> {
        let case = self.valid.case();
        let (files, warnings) = truce::formats::negmas::texts(case, std::path::Path::new(&case.id))
            .map_err(truce::Error::from)
            .py()?;
        let files = files
            .into_iter()
            .map(|(path, text)| {
                (path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned()), text)
            })
            .collect();
        Ok((files, warnings.iter().map(Diagnostic::from).collect()))
    }

    /// Analyses the case on `at` (default its `as_of`): frontier, zone, solutions, proposals,
    /// bridging, sensitivity.
    #[pyo3(signature = (at=None, bridging=3, sensitivity=None, cloud=false, seed=0, outcomes=Vec::new()))]
    #[allow(clippy::too_many_arguments)]
    fn analyze(
        &self,
        py: Python<'_>,
        at: Option<&str>,
        bridging: usize,
        sensitivity: Option<bool>,
        cloud: bool,
        seed: u64,
        outcomes: Vec<String>,
    ) -> PyResult<Analysis> {
        let options = AnalyzeOptions {
            at: date(at)?,
            bridging,
            sensitivity,
            cloud,
            seed,
            outcomes,
            ..AnalyzeOptions::default()
        };
        let valid = self.valid.clone();
        let findings = py.detach(|| truce::analyze_valid(&valid, &options, None)).py()?;
        Ok(Analysis { valid: self.valid.clone(), findings, doc: OnceLock::new() })
    }

    fn __repr__(&self) -> String {
        let case = self.valid.case();
        format!("<Case {:?}: {} issues, {} parties>", case.id, case.space().len(), case.parties.len())
    }
}

fn parse_format(text: &str) -> PyResult<truce::Format> {
    use truce::Format;
    match text.to_ascii_lowercase().as_str() {
        "truce" | "toml" => Ok(Format::TruceToml),
        "genius" | "xml" => Ok(Format::GeniusXml),
        "geniusweb" | "json" => Ok(Format::GeniusWebJson),
        "negmas" | "yaml" | "yml" => Ok(Format::NegmasYaml),
        other => Err(parameter(
            "format",
            format!("there is no format called `{other}`: the formats are truce, genius, geniusweb, negmas"),
        )),
    }
}

/// The analysis of a case. Its JSON document is built on first use and kept; Python asks for it a
/// section at a time (`section`), so that reading the Nash point does not convert the frontier.
#[pyclass(module = "truce._truce", frozen)]
pub struct Analysis {
    valid: Arc<Valid>,
    findings: Findings,
    doc: OnceLock<AnalysisJson>,
}

impl Analysis {
    fn doc(&self) -> &AnalysisJson {
        self.doc.get_or_init(|| truce::report::json::analysis(self.valid.case(), &self.findings, None))
    }
}

#[pymethods]
impl Analysis {
    /// The `truce-analysis/1` JSON (the report crate's; documented in `docs/json-analysis.md`).
    fn to_json(&self, py: Python<'_>) -> String {
        // Serialising plain data to a string cannot fail.
        py.detach(|| serde_json::to_string_pretty(self.doc()).unwrap_or_default())
    }

    /// One top-level key of the `truce-analysis/1` JSON (`frontier`, `solutions`, ...), as compact
    /// JSON text.
    fn section(&self, py: Python<'_>, key: &str) -> PyResult<String> {
        py.detach(|| self.doc().section(key)).ok_or_else(|| {
            parameter(
                "key",
                format!(
                    "the analysis JSON has no key `{key}`: its keys are {}",
                    AnalysisJson::KEYS.join(", ")
                ),
            )
        })
    }

    /// The utility-space plot, as SVG.
    fn svg(&self) -> String {
        truce::report::svg::plot(self.valid.case(), &self.findings)
    }

    /// The positions-over-time plot, as SVG, when the case has dated proposals.
    fn positions_svg(&self) -> Option<String> {
        truce::report::svg::positions(self.valid.case(), &self.findings)
    }

    /// The self-contained HTML page `truce analyze --html` writes.
    fn html(&self) -> String {
        let svg = self.svg();
        truce::report::html::page(self.valid.case(), &self.findings, &svg)
    }

    /// The report `truce analyze` prints.
    fn text(&self) -> String {
        truce::report::text::report(self.valid.case(), &self.findings)
    }
}
