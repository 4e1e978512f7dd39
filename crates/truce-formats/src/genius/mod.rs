//! GENIUS XML domains and profiles (GENIUS 10.4, the ANAC competitions 2010-2019).
//!
//! A GENIUS domain is a folder: one domain file (root `<negotiation_template>`, or a `<utility_space>`
//! without evaluations) lists the issues, and every other XML file is a profile of one party (a
//! `<utility_space>` with weights and evaluations, or a `type="nonlinear"` one). `pareto.xml` (GENIUS'
//! cached frontier, not XML) is skipped. Parties are the profiles in file-name order, their ids the
//! file stems; the case is named after the folder.
//!
//! [`load`] reads a folder, [`save`] writes one; [`parse_domain`] and [`parse_profile`] read single
//! files' text (for tests and fuzzing). Utilities follow GENIUS exactly (see [`parse_profile`]'s
//! module for each evaluator); every lenient reading of a known quirk is a warning with a stable code,
//! listed in `docs/formats.md`.
//!
//! ```
//! use std::path::Path;
//! use truce_formats::genius::{parse_domain, parse_profile};
//!
//! let domain = parse_domain(
//!     r#"<negotiation_template><utility_space><objective index="0" name="relief">
//!          <issue index="1" name="trucks" type="integer" lowerbound="0" upperbound="4"/>
//!          <issue index="2" name="route" type="discrete"><item value="north"/><item value="sea"/></issue>
//!        </objective></utility_space></negotiation_template>"#,
//!     Path::new("relief-domain.xml"),
//! )?;
//! let agency = parse_profile(
//!     r#"<utility_space><objective index="0">
//!          <weight index="1" value="0.6"/><weight index="2" value="0.4"/>
//!          <issue index="1" name="trucks" type="integer"><evaluator ftype="linear" slope="0.25" offset="0"/></issue>
//!          <issue index="2" name="route"><item value="north" evaluation="2"/><item value="sea" evaluation="8"/></issue>
//!        </objective><reservation value="0.3"/></utility_space>"#,
//!     Path::new("agency.xml"),
//!     &domain,
//! )?;
//! // 2 trucks: 0.25 * 2 = 0.5; the northern route: 2 / 8.
//! let space = truce_model::Domain::unphased(domain.space().clone());
//! let u = agency.preferences.utility(&space, &[2, 0]);
//! assert!((u - (0.6 * 0.5 + 0.4 * 0.25)).abs() < 1e-12);
//! assert_eq!(agency.preferences.reservation, 0.3);
//! # Ok::<(), truce_formats::LoadFailure>(())
//! ```

mod domain;
mod fields;
mod profile;
mod write;
mod xml;

use std::path::Path;

use truce_model::{Case, Domain, Location, PartyId};

pub use domain::{GeniusDomain, REAL_LEVELS, parse_domain};
pub use profile::{GeniusProfile, parse_profile};
pub use write::save;

use crate::folder::{case_id, file_name, locate_profile, negotiator};
use crate::load::Files;
use crate::report::read_text;
use crate::{Diagnostic, Format, LoadFailure, Loaded, SourceMap, Sources};

/// What a file of a GENIUS folder holds.
#[derive(Debug, PartialEq)]
enum FileKind {
    Domain,
    Profile,
    Other(String),
}

/// Reads the GENIUS domain folder at `path`.
///
/// # Errors
/// Every problem found in any of its files.
pub fn load(path: &Path) -> Result<Loaded, LoadFailure> {
    let mut files = Files::disk();
    let result = load_from(path, &mut files);
    files.attach(result)
}

/// [`load`], reading through `files`.
pub(crate) fn load_from(path: &Path, files_in: &mut Files) -> Result<Loaded, LoadFailure> {
    let mut files = files_in.list(path, &["xml"])?;
    files.retain(|f| !file_name(f).eq_ignore_ascii_case("pareto.xml"));
    let mut diagnostics = Vec::new();
    let mut domain_files = Vec::new();
    let mut profile_files = Vec::new();
    for file in files {
        let text = match files_in.read(&file, read_text) {
            Ok(text) => text,
            Err(failure) => {
                diagnostics.push(failure);
                continue;
            }
        };
        match classify(&text) {
            Ok(FileKind::Domain) => domain_files.push((file, text)),
            Ok(FileKind::Profile) => profile_files.push((file, text)),
            Ok(FileKind::Other(root)) => diagnostics.push(
                Diagnostic::warning(
                    "genius-ignored-file",
                    &file,
                    format!("root element <{root}> is neither a GENIUS domain nor a profile: file ignored"),
                )
                .at_offset(&text, 0),
            ),
            Err(d) => diagnostics.push(d.at_file(&file, &text)),
        }
    }
    let domain_file = match domain_files.len() {
        1 => domain_files.pop(),
        0 => {
            if !diagnostics.iter().any(Diagnostic::is_error) {
                diagnostics.push(
                    Diagnostic::error("genius-no-domain", path, "the folder holds no GENIUS domain file")
                        .with_hint("a domain file's root is <negotiation_template> (or <utility_space> without weights)"),
                );
            }
            None
        }
        _ => {
            let names: Vec<_> = domain_files.iter().map(|(f, _)| file_name(f)).collect();
            diagnostics.push(
                Diagnostic::error(
                    "genius-two-domains",
                    path,
                    format!(
                        "the folder holds {} domain files ({}): expected one",
                        names.len(),
                        names.join(", ")
                    ),
                )
                .with_hint("keep one domain per folder"),
            );
            None
        }
    };
    let Some((domain_file, domain_text)) = domain_file else {
        return Err(LoadFailure::new(path, diagnostics));
    };
    let domain = match parse_domain(&domain_text, &domain_file) {
        Ok(domain) => domain,
        Err(failure) => {
            diagnostics.extend(failure.diagnostics);
            return Err(LoadFailure::new(path, diagnostics));
        }
    };
    diagnostics.extend(domain.warnings.iter().cloned());

    let mut source_map = SourceMap::new(path);
    source_map.insert(Location::Case, &domain_file, None);
    for issue in domain.space().issue_ids() {
        source_map.insert(Location::Issue { issue }, &domain_file, Some(domain.position_of(issue)));
    }
    let mut parties = Vec::new();
    for (file, text) in &profile_files {
        match parse_profile(text, file, &domain) {
            Ok(profile) => {
                diagnostics.extend(profile.warnings.iter().cloned());
                let party = PartyId::from_index(parties.len());
                let issues = domain.space().issue_ids().map(|issue| profile.issue_position(issue));
                locate_profile(&mut source_map, file, party, profile.root_position(), issues);
                let name = domain.agent_name(&file_name(file)).map(str::to_owned);
                parties.push(negotiator(file, name, profile.preferences));
            }
            Err(failure) => diagnostics.extend(failure.diagnostics),
        }
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(LoadFailure::new(path, diagnostics));
    }
    if profile_files.is_empty() {
        diagnostics.push(Diagnostic::warning(
            "genius-no-profiles",
            path,
            "the folder holds a domain but no profiles: the case has no parties",
        ));
    }
    let name = case_id(path, "genius-domain");
    let profiles: Vec<_> = profile_files.iter().map(|(f, _)| file_name(f)).collect();
    let mut case = Case::new(&name, &name, Domain::unphased(domain.space().clone()), parties);
    case.description = Some(format!(
        "GENIUS domain {} with profiles {}",
        file_name(&domain_file),
        if profiles.is_empty() { "(none)".to_owned() } else { profiles.join(", ") }
    ));
    Ok(Loaded { case, format: Format::GeniusXml, warnings: diagnostics, source_map, sources: Sources::new() })
}

/// A syntax error found while classifying a file, positioned once the file is known.
struct Unreadable {
    offset: usize,
    message: String,
}

impl Unreadable {
    fn at_file(self, file: &Path, text: &str) -> Diagnostic {
        Diagnostic::error("xml-syntax", file, self.message).at_offset(text, self.offset)
    }
}

fn classify(text: &str) -> Result<FileKind, Unreadable> {
    let root = xml::parse(text).map_err(|e| Unreadable { offset: e.offset, message: e.message })?;
    Ok(match root.name {
        "negotiation_template" => FileKind::Domain,
        "utility_space" if is_profile(&root) => FileKind::Profile,
        "utility_space" => FileKind::Domain,
        other => FileKind::Other(other.to_owned()),
    })
}

/// A `<utility_space>` is a profile when it evaluates anything: weights, evaluations, evaluators, or
/// a nonlinear utility.
fn is_profile(root: &xml::Element<'_>) -> bool {
    fn evaluates(e: &xml::Element<'_>) -> bool {
        matches!(e.name, "weight" | "evaluator" | "utility")
            || (e.name == "item" && e.attr("evaluation").is_some())
            || e.children.iter().any(evaluates)
    }
    root.get("type").is_some_and(|t| t.eq_ignore_ascii_case("nonlinear"))
        || root.children.iter().any(evaluates)
}
