//! `truce convert`: read a case in any supported format and write it in another.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use truce::{Diagnostic, Format, Sources};

use crate::error::{CliError, EXIT_FAILURE, EXIT_INPUT, eprint};

/// Arguments of `truce convert`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Formats (--to; guessed from OUT when omitted: .toml is Truce TOML, .json is GeniusWeb JSON, .yaml a NegMAS folder, anything else a GENIUS folder):
  truce      Truce TOML case file
  genius     GENIUS XML folder: a domain file and one profile per negotiating party
  geniusweb  GeniusWeb JSON: a folder (domain and profiles), or OUT.json for a one-party case
  negmas     NegMAS YAML scenario: a folder (outcome space and one utility function per party)

What the target format cannot express is either refused or written with a warning; nothing is overwritten: OUT must not exist as a file, nor be or lie inside the input. A phased case whose parties doubt the later phases is refused by GENIUS, GeniusWeb and NegMAS unless --flatten folds its phases and beliefs into one profile per party (with a warning saying what is lost, and by how much an approximate fold may move a utility).

Examples:
  truce convert domains/anac2010_Travel travel.toml
  truce convert travel.toml travel-genius
  truce convert domains/anac2011_Laptop laptop-gw --to geniusweb --json
  truce convert domains/anac2011_Laptop laptop.yaml
  truce convert cases/harbour-truce.toml harbour-genius --flatten")]
pub struct Args {
    /// The case to read: a Truce case, or a GENIUS, GeniusWeb or NegMAS domain.
    pub input: PathBuf,
    /// Where to write: a file or a folder, depending on the format.
    pub output: PathBuf,
    /// The format to write.
    #[arg(long, value_enum)]
    pub to: Option<Target>,
    /// Fold phases and beliefs into one profile per party (GENIUS, GeniusWeb, NegMAS), warning what
    /// is lost, instead of refusing a phased case.
    #[arg(long)]
    pub flatten: bool,
    /// Print a JSON summary (files written, warnings) instead of text.
    #[arg(long)]
    pub json: bool,
    /// Do not print warnings.
    #[arg(long, short)]
    pub quiet: bool,
}

/// A format `truce convert` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// Truce TOML.
    #[value(alias = "toml", alias = "truce-toml")]
    Truce,
    /// GENIUS XML.
    #[value(alias = "genius-xml", alias = "xml")]
    Genius,
    /// GeniusWeb JSON.
    #[value(alias = "geniusweb-json", alias = "json")]
    Geniusweb,
    /// NegMAS YAML: a scenario folder.
    #[value(alias = "negmas-yaml", alias = "yaml")]
    Negmas,
}

impl Target {
    fn format(self) -> Format {
        match self {
            Self::Truce => Format::TruceToml,
            Self::Genius => Format::GeniusXml,
            Self::Geniusweb => Format::GeniusWebJson,
            Self::Negmas => Format::NegmasYaml,
        }
    }
}

/// The JSON summary.
#[derive(serde::Serialize)]
struct Summary<'a> {
    input: &'a Path,
    input_format: Format,
    output: &'a Path,
    output_format: Format,
    written: Vec<PathBuf>,
    warnings: Vec<Diagnostic>,
}

/// Runs the command.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<ExitCode, CliError> {
    // The output is a positional argument: the message alone, without an option's name.
    truce::refuse_overwrite("output", &args.output, &[&args.input])
        .map_err(|e| CliError::input(e.message()))?;
    let loaded = truce::load(&args.input)?;
    if !(args.quiet || args.json) {
        eprint(&truce::render(&loaded.warnings, &loaded.sources));
    }
    let errors: Vec<Diagnostic> = loaded.validate().into_iter().filter(Diagnostic::is_error).collect();
    if !errors.is_empty() {
        eprint(&truce::render(&errors, &loaded.sources));
        return Err(CliError::Reported(EXIT_INPUT));
    }
    let format = args.to.map_or_else(|| guess(&args.output), Target::format);
    if args.output.is_file() {
        return Err(CliError::input(format!(
            "{} exists: convert never overwrites a file; remove it or choose another name",
            args.output.display()
        )));
    }
    if format == Format::TruceToml && args.output.is_dir() {
        return Err(CliError::input(format!(
            "{} is a folder: a Truce case is written to a .toml file",
            args.output.display()
        )));
    }
    let before = existing_files(&args.output);
    let mut flat_warnings = Vec::new();
    let flat;
    let case = if args.flatten && format != Format::TruceToml {
        let (flattened, folded) = truce::formats::flatten(&loaded.case);
        flat_warnings.extend(truce::formats::flattened_warning(&loaded.case, &folded, &args.output));
        flat = flattened;
        &flat
    } else {
        &loaded.case
    };
    let warnings = match truce::formats::save(case, &args.output, Some(format)) {
        Ok(mut warnings) => {
            flat_warnings.append(&mut warnings);
            flat_warnings
        }
        Err(failure) => {
            eprint(&failure.render());
            let io = failure.diagnostics.iter().any(|d| d.code == "io");
            return Err(CliError::Reported(if io { EXIT_FAILURE } else { EXIT_INPUT }));
        }
    };
    let written: Vec<PathBuf> =
        existing_files(&args.output).into_iter().filter(|f| !before.contains(f)).collect();
    if args.json {
        let mut all = if args.quiet { Vec::new() } else { loaded.warnings.clone() };
        all.extend(warnings);
        let summary = Summary {
            input: &args.input,
            input_format: loaded.format,
            output: &args.output,
            output_format: format,
            written,
            warnings: all,
        };
        let text = serde_json::to_string_pretty(&summary)
            .context("cannot render the summary")
            .map_err(CliError::Failure)?;
        writeln!(out, "{text}")?;
    } else {
        if !args.quiet {
            eprint(&truce::render(&warnings, &Sources::new()));
        }
        let case = &loaded.case;
        writeln!(
            out,
            "read {} ({}): {} parties, {} issues, {} outcomes",
            args.input.display(),
            loaded.format.name(),
            case.parties.len(),
            case.space().len(),
            case.space().size()
        )?;
        writeln!(out, "wrote {} ({}):", args.output.display(), format.name())?;
        for file in &written {
            writeln!(out, "  {}", file.display())?;
        }
        if !warnings.is_empty() {
            writeln!(
                out,
                "{} warning(s) about what {} cannot hold (see above)",
                warnings.len(),
                format.name()
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The format a path suggests, as `truce::formats::save` guesses it.
fn guess(path: &Path) -> Format {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("toml") => Format::TruceToml,
        Some("json") => Format::GeniusWebJson,
        Some("yaml" | "yml") => Format::NegmasYaml,
        _ => Format::GeniusXml,
    }
}

/// The files at `path`: the file itself, or a folder's files, sorted.
fn existing_files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_file()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../truce-formats/tests/data").join(name)
    }

    fn args(input: PathBuf, output: PathBuf, to: Option<Target>, json: bool) -> Args {
        Args { input, output, to, flatten: false, json, quiet: true }
    }

    fn code(result: Result<ExitCode, CliError>) -> ExitCode {
        result.unwrap_or_else(CliError::report)
    }

    #[test]
    fn converts_genius_to_geniusweb_and_back_with_a_summary() {
        let dir = tempfile::tempdir().unwrap();
        let gw = dir.path().join("small-gw");
        let mut out = Vec::new();
        let result = run(&args(fixture("genius/small"), gw.clone(), Some(Target::Geniusweb), true), &mut out);
        assert_eq!(code(result), ExitCode::SUCCESS);
        let summary: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(summary["input_format"], "genius-xml");
        assert_eq!(summary["output_format"], "genius-web-json");
        let written: Vec<_> =
            summary["written"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
        assert_eq!(written.len(), 3, "{written:?}");
        assert!(written.iter().all(|f| f.ends_with(".json")));
        let codes: Vec<_> =
            summary["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap()).collect();
        assert!(codes.contains(&"geniusweb-discount"), "{codes:?}");

        let back = dir.path().join("small-genius");
        let mut out = Vec::new();
        assert_eq!(code(run(&args(gw, back.clone(), None, false), &mut out)), ExitCode::SUCCESS);
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("read "), "{text}");
        assert!(text.contains("(GeniusWeb JSON): 2 parties, 3 issues, 165 outcomes"), "{text}");
        assert!(text.contains("wrote ") && text.contains("(GENIUS XML):"), "{text}");
        assert!(back.join("buyer.xml").is_file());
    }

    /// Every outcome's utility, party by party.
    fn utilities(case: &truce::model::Case) -> Vec<Vec<f64>> {
        let domain = truce::model::Domain::unphased(case.space().clone());
        case.parties
            .iter()
            .filter_map(|p| p.preferences.as_ref())
            .map(|prefs| {
                let mut cursor = case.space().outcomes();
                let mut us = Vec::new();
                while let Some(o) = cursor.next() {
                    us.push(prefs.utility(&domain, o));
                }
                us
            })
            .collect()
    }

    #[test]
    fn converts_every_reader_s_format_to_truce_toml_with_the_same_utilities() {
        let dir = tempfile::tempdir().unwrap();
        for (input, name) in [
            (fixture("genius/small"), "small.toml"),
            (fixture("genius/quirks"), "quirks.toml"),
            (fixture("geniusweb/lease"), "lease.toml"),
            (fixture("negmas/relief"), "relief.toml"),
        ] {
            let out = dir.path().join(name);
            let result = run(&args(input.clone(), out.clone(), None, false), &mut Vec::new());
            assert_eq!(code(result), ExitCode::SUCCESS, "{}", input.display());
            let before = truce::formats::load(&input).unwrap().case;
            let after = truce::formats::load(&out).unwrap().case;
            let (u0, u1) = (utilities(&before), utilities(&after));
            assert_eq!(u0.len(), u1.len());
            for (a, b) in u0.iter().flatten().zip(u1.iter().flatten()) {
                assert!((a - b).abs() < 1e-12, "{}: {a} then {b}", input.display());
            }
        }
    }

    #[test]
    fn never_writes_over_or_into_the_input() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        std::fs::create_dir(&input).unwrap();
        for f in ["small_domain.xml", "buyer.xml", "seller.xml"] {
            std::fs::copy(fixture("genius/small").join(f), input.join(f)).unwrap();
        }
        let listing = |p: &Path| existing_files(p);
        let before = listing(&input);
        for output in [input.clone(), input.join("out"), input.join("buyer.xml"), input.join("sub/case.toml")]
        {
            let result =
                run(&args(input.clone(), output.clone(), Some(Target::Genius), false), &mut Vec::new());
            assert_eq!(code(result), ExitCode::from(EXIT_INPUT), "{}", output.display());
        }
        assert_eq!(listing(&input), before, "the input folder is untouched");
    }

    #[test]
    fn bad_input_and_impossible_output_exit_with_2() {
        let dir = tempfile::tempdir().unwrap();
        let missing =
            run(&args(dir.path().join("nowhere"), dir.path().join("o"), None, false), &mut Vec::new());
        assert_eq!(code(missing), ExitCode::from(EXIT_INPUT));
        let existing = dir.path().join("mine.toml");
        std::fs::write(&existing, "# my notes\n").unwrap();
        let over = run(&args(fixture("genius/small"), existing.clone(), None, false), &mut Vec::new());
        assert_eq!(code(over), ExitCode::from(EXIT_INPUT), "an existing file is never overwritten");
        assert_eq!(std::fs::read_to_string(&existing).unwrap(), "# my notes\n");
        let boxes =
            run(&args(fixture("negmas/relief"), dir.path().join("o.yaml"), None, false), &mut Vec::new());
        assert_eq!(code(boxes), ExitCode::from(EXIT_INPUT), "NegMAS holds no nested hyper-rectangles");
        let two_in_one_file =
            run(&args(fixture("genius/small"), dir.path().join("o.json"), None, false), &mut Vec::new());
        assert_eq!(code(two_in_one_file), ExitCode::from(EXIT_INPUT), "one JSON file holds one profile");
        assert!(!dir.path().join("o.json").exists());
    }
}
