//! GENIUS XML: every shared ANAC domain loads (or fails for its documented reason), utilities match
//! GENIUS' formula computed independently from the raw XML, the facts in `reference.json` hold, and
//! bad input fails with a position.

use std::collections::HashMap;
use std::path::Path;

use truce_formats::{Diagnostic, Format, Loaded, Position};
use truce_model::{Domain, Outcomes, Utility};

use crate::common;

/// What each shared domain folder gives: the warning codes it raises (sorted, deduplicated), or the
/// error code it fails with. Documented in `docs/formats.md`.
const EXPECTED: &[(&str, Result<&[&str], &str>)] = &[
    ("anac2010_EnglandZimbabwe", Ok(&[])),
    ("anac2010_ItexvsCypress", Ok(&[])),
    ("anac2010_Travel", Ok(&[])),
    ("anac2011_Amsterdam", Ok(&[])),
    ("anac2011_Camera", Ok(&[])),
    ("anac2011_Car", Ok(&["genius-similarity-ignored"])),
    ("anac2011_Energy", Ok(&[])),
    ("anac2011_Grocery", Ok(&[])),
    ("anac2011_IS_BT_Acquisition", Ok(&[])),
    ("anac2011_Laptop", Ok(&[])),
    ("anac2011_NiceOrDie", Ok(&[])),
    ("anac2013_Acquisition", Ok(&[])),
    ("anac2013_Animal", Ok(&[])),
    ("anac2013_Coffee", Ok(&[])),
    ("anac2013_DefensiveCharms", Ok(&[])),
    ("anac2013_DogChoosing", Ok(&[])),
    ("anac2013_Fifty2013", Ok(&[])),
    ("anac2013_HouseKeeping", Ok(&[])),
    ("anac2013_Icecream", Ok(&[])),
    ("anac2013_Kitchen", Ok(&[])),
    ("anac2013_Laptop", Ok(&[])),
    ("anac2013_Lunch", Ok(&[])),
    ("anac2013_NiceOrDie", Ok(&[])),
    ("anac2013_Outfit", Ok(&[])),
    ("anac2013_SmartPhone", Ok(&[])),
    ("anac2013_Ultimatum", Ok(&[])),
    ("anac2013_Wholesaler", Ok(&[])),
    ("anac2013_cameradomain", Ok(&[])),
    ("anac2013_planes", Ok(&[])),
    ("anac2014_10issues", Ok(&[])),
    ("anac2014_10issuesDiscounted", Ok(&[])),
    ("anac2014_10issuesDiscountedwithRV", Ok(&[])),
    ("anac2014_10issueswithRV", Ok(&[])),
    ("anac2015_group1-university", Ok(&[])),
    ("anac2015_group2-dinner", Ok(&[])),
    ("anac2015_group2-politics", Ok(&[])),
    ("negmastests_10issues", Ok(&[])),
    (
        "negmastests_AMPOvsCity",
        Ok(&[
            "genius-duplicate-item",
            "genius-index-gap",
            "genius-similarity-ignored",
            "genius-untyped-issue",
        ]),
    ),
    ("negmastests_Car-A-domain", Ok(&["genius-similarity-ignored"])),
    ("negmastests_ItexvsCypress", Ok(&[])),
    ("negmastests_Laptop", Ok(&[])),
    ("negmastests_Laptop1Issue", Ok(&[])),
    // Profile 2 scores one issue `0` with 27 items (a flattened conversion) against a domain of
    // three issues: the profile's issues do not match the domain's.
    ("negmastests_LaptopConv", Err("genius-issue-mismatch")),
    ("negmastests_LaptopConv1D", Ok(&[])),
    ("negmastests_fuzzyagent", Ok(&["genius-real-grid"])),
];

fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    let mut codes: Vec<_> = diagnostics.iter().map(|d| d.code).collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}

#[test]
fn every_shared_domain_loads_or_fails_for_its_documented_reason() {
    let Some(root) = common::domains() else { return };
    let folders = common::domain_folders(&root);
    let names: Vec<_> = folders.iter().map(|f| file_name(f)).collect();
    let expected: Vec<_> = EXPECTED.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(names, expected, "the table must list every shared domain folder");
    for (folder, (name, expect)) in folders.iter().zip(EXPECTED) {
        match (truce_formats::load(folder), expect) {
            (Ok(loaded), Ok(warnings)) => {
                assert_eq!(loaded.format, Format::GeniusXml);
                assert_eq!(&codes(&loaded.warnings), warnings, "{name}: {:#?}", loaded.warnings);
                let errors: Vec<_> = loaded.validate().into_iter().filter(Diagnostic::is_error).collect();
                assert!(errors.is_empty(), "{name} has model errors: {errors:#?}");
            }
            (Err(failure), Err(code)) => {
                let errors: Vec<_> = failure.diagnostics.iter().filter(|d| d.is_error()).collect();
                assert_eq!(errors.iter().map(|d| d.code).collect::<Vec<_>>(), [*code], "{name}");
                assert!(errors[0].position.is_some(), "{name}: the error has a position");
            }
            (Ok(_), Err(code)) => panic!("{name} loaded but should fail with {code}"),
            (Err(failure), Ok(_)) => panic!("{name} failed: {:#?}", failure.diagnostics),
        }
    }
}

#[test]
fn facts_match_the_reference_results() {
    let Some(root) = common::domains() else { return };
    let text = std::fs::read_to_string(root.join("reference.json")).expect("reference.json is readable");
    let reference: serde_json::Value = serde_json::from_str(&text).expect("reference.json is JSON");
    let entries = reference.as_array().expect("a list of domains");
    let mut checked = 0;
    for entry in entries.iter().filter(|e| e.get("skipped").is_none()) {
        let name = entry["domain"].as_str().expect("a domain name");
        let loaded = truce_formats::load(&root.join(name)).unwrap_or_else(|f| panic!("{name}: {f:?}"));
        let case = &loaded.case;
        assert_eq!(case.space().size_u64(), entry["outcomes"].as_u64(), "{name}: outcomes");
        let files: Vec<String> = (0..case.parties.len())
            .map(|i| {
                let (file, _) = loaded.source_map.locate(truce_model::Location::Preferences {
                    party: truce_model::PartyId::from_index(i),
                });
                file_name(&file)
            })
            .collect();
        let parties: Vec<String> = entry["parties"]
            .as_array()
            .expect("parties")
            .iter()
            .map(|p| p.as_str().unwrap_or("").to_owned())
            .collect();
        assert_eq!(files, parties, "{name}: party order");
        for (i, party) in case.parties.iter().enumerate() {
            let prefs = party.preferences.as_ref().expect("preferences");
            let d = entry["disagreement"][i].as_f64().expect("a disagreement value");
            assert!((prefs.reservation - d).abs() < 1e-15, "{name}: reservation of {}", party.id);
            let sum = entry["weights_sum"][i].as_f64().expect("a weight sum");
            let Utility::Additive(additive) = &prefs.utility else { panic!("{name} is additive") };
            assert!((additive.weight_sum() - sum).abs() < 1e-11, "{name}: weight sum of {}", party.id);
        }
        checked += 1;
    }
    assert_eq!(checked, 36, "every domain of the reference is checked");
}

#[test]
fn utilities_match_genius_computed_independently_on_shared_domains() {
    let Some(root) = common::domains() else { return };
    let mut checked = 0;
    for folder in common::domain_folders(&root) {
        if let Ok(loaded) = truce_formats::load(&folder) {
            checked += check_against_independent_reading(&folder, &loaded);
        }
    }
    assert!(checked > 50_000, "{checked} utilities checked");
}

#[test]
fn utilities_match_genius_computed_independently_on_fixtures() {
    let folder = common::data("genius/small");
    let loaded = truce_formats::load(&folder).expect("the fixture loads");
    assert_eq!(codes(&loaded.warnings), ["genius-real-grid"]);
    let checked = check_against_independent_reading(&folder, &loaded);
    assert_eq!(checked, 2 * 3 * 5 * 11);
    let buyer = &loaded.case.parties[0];
    assert_eq!((buyer.id.as_str(), buyer.name.as_str()), ("buyer", "Buyer"), "named by the template's agent");
    let prefs = buyer.preferences.as_ref().expect("preferences");
    assert_eq!((prefs.reservation, prefs.discount), (0.25, Some(0.8)));
    let seller = loaded.case.parties[1].preferences.as_ref().expect("preferences");
    assert_eq!(seller.discount, None, "a discount factor of 1 means none");
}

#[test]
fn quirks_are_read_leniently_and_said() {
    let loaded = truce_formats::load(&common::data("genius/quirks")).expect("the quirks fixture loads");
    let case = &loaded.case;
    assert_eq!(
        codes(&loaded.warnings),
        [
            "genius-duplicate-item",
            "genius-index-gap",
            "genius-missing-evaluation",
            "genius-missing-weight",
            "genius-similarity-ignored",
            "genius-unknown-item",
            "genius-untyped-issue",
        ]
    );
    let domain = Domain::unphased(case.space().clone());
    let a = case.parties[0].preferences.as_ref().expect("preferences");
    // Place: home is 4 (the last of its two evaluations), out of the maximum 8 of `park`, which the
    // domain lacks; Day has no weight: 1 - 0.6 is assumed; `tue` has no evaluation.
    assert!((a.utility(&domain, &[0, 0]) - (0.6 * 4.0 / 8.0 + 0.4)).abs() < 1e-12);
    assert!((a.utility(&domain, &[1, 1]) - 0.6 * 2.0 / 8.0).abs() < 1e-12);
    let b = case.parties[1].preferences.as_ref().expect("preferences");
    assert_eq!(
        (b.reservation, b.discount),
        (-0.1, None),
        "discount 0 means none; a negative reservation is kept"
    );
    assert!((b.utility(&domain, &[2, 1]) - 0.9).abs() < 1e-12, "weights are kept as written (sum 1.2)");
    let zero =
        loaded.validate().into_iter().find(|d| d.code == "zero-scores").expect("all-zero issue is linted");
    assert_eq!(file_name(&zero.file), "quirks-b.xml");
    assert_eq!(zero.position, Some(Position { line: 5, column: 3 }), "at the profile's issue");
    let sums: Vec<_> = loaded
        .validate()
        .into_iter()
        .filter(|d| d.code == "weights-not-normalised")
        .map(|d| file_name(&d.file))
        .collect();
    // quirks-b's weights sum to 1.2; quirks-a's Place weight is scaled by 4/8 so that its best
    // domain value scores 4/8 as in GENIUS, and the sum becomes 0.7.
    assert_eq!(sums, ["quirks-a.xml", "quirks-b.xml"]);
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

// ---- An independent reading of GENIUS files: raw quick-xml events, GENIUS' formulas. ----

/// An XML element as a flat record: its name, attributes and parent.
struct Node {
    name: String,
    attrs: HashMap<String, String>,
    parent: Option<usize>,
}

fn nodes(path: &Path) -> Vec<Node> {
    use quick_xml::events::Event;
    let text = std::fs::read_to_string(path).expect("readable");
    let mut reader = quick_xml::Reader::from_str(&text);
    let (mut out, mut stack): (Vec<Node>, Vec<usize>) = (Vec::new(), Vec::new());
    loop {
        let (start, open) = match reader.read_event().expect("well-formed XML") {
            Event::Start(s) => (s, true),
            Event::Empty(s) => (s, false),
            Event::End(_) => {
                stack.pop();
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let attrs = start
            .attributes()
            .map(|a| {
                let a = a.expect("attribute");
                (a.key.as_ref().to_owned(), a.value.to_string())
            })
            .collect();
        out.push(Node { name: start.name().as_ref().to_owned(), attrs, parent: stack.last().copied() });
        if open {
            stack.push(out.len() - 1);
        }
    }
    out
}

fn attr<'n>(node: &'n Node, name: &str) -> &'n str {
    node.attrs.get(name).map_or("", String::as_str)
}

fn num(node: &Node, name: &str) -> f64 {
    attr(node, name).trim().parse().unwrap_or_else(|_| panic!("{} of <{}> is a number", name, node.name))
}

/// A domain issue's grid values as GENIUS bids would hold them.
enum GridValues {
    Items(Vec<String>),
    Numbers(Vec<f64>),
}

/// Checks every profile of `loaded` against GENIUS' utility computed from the raw files, on all
/// outcomes of small spaces and 2000 sampled ones of large spaces. Returns how many were checked.
fn check_against_independent_reading(folder: &Path, loaded: &Loaded) -> usize {
    let case = &loaded.case;
    let (domain_file, _) = loaded.source_map.locate(truce_model::Location::Case);
    let domain_nodes = nodes(&domain_file);
    let issues: Vec<(i64, GridValues)> = domain_nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.name == "issue")
        .map(|(i, n)| {
            let kind =
                [attr(n, "type"), attr(n, "vtype"), attr(n, "etype")].into_iter().find(|t| !t.is_empty());
            let range = domain_nodes.iter().find(|r| r.parent == Some(i) && r.name == "range").unwrap_or(n);
            let values = match kind {
                Some("integer") => GridValues::Numbers(
                    (num(n, "lowerbound") as i64..=num(n, "upperbound") as i64).map(|v| v as f64).collect(),
                ),
                Some("real") => {
                    let (lo, hi) = (num(range, "lowerbound"), num(range, "upperbound"));
                    GridValues::Numbers(
                        (0..=10)
                            .map(|k| if k == 10 { hi } else { lo + (hi - lo) * f64::from(k) / 10.0 })
                            .collect(),
                    )
                }
                _ => {
                    let mut items: Vec<String> = Vec::new();
                    for item in domain_nodes.iter().filter(|c| c.parent == Some(i) && c.name == "item") {
                        if !items.iter().any(|v| v == attr(item, "value")) {
                            items.push(attr(item, "value").to_owned());
                        }
                    }
                    GridValues::Items(items)
                }
            };
            (num(n, "index") as i64, values)
        })
        .collect();
    let domain = Domain::unphased(case.space().clone());
    let mut checked = 0;
    for (p, party) in case.parties.iter().enumerate() {
        let (file, _) = loaded
            .source_map
            .locate(truce_model::Location::Preferences { party: truce_model::PartyId::from_index(p) });
        assert_eq!(file.parent(), Some(folder));
        let profile = nodes(&file);
        let prefs = party.preferences.as_ref().expect("preferences");
        let genius = |outcome: &[u32]| -> f64 {
            if profile.iter().any(|n| n.name == "hyperRectangle") {
                nonlinear_utility(&profile, &issues, outcome)
            } else {
                additive_utility(&profile, &issues, outcome)
            }
        };
        for outcome in sample(case.space()) {
            let expected = genius(&outcome);
            let actual = prefs.utility(&domain, &outcome);
            assert!(
                (expected - actual).abs() < 1e-12,
                "{}: {} gives {actual} to {outcome:?}, GENIUS {expected}",
                folder.display(),
                party.id
            );
            checked += 1;
        }
    }
    checked
}

/// `sum_i w_i * eval_i(v_i)`: discrete `eval / max eval` (every item of the profile counts in the
/// maximum; a repeated item keeps its last evaluation), integer `clamp01(offset + slope * (v - lower))`,
/// real `clamp01(parameter0 + parameter1 * v)` or triangular.
fn additive_utility(profile: &[Node], issues: &[(i64, GridValues)], outcome: &[u32]) -> f64 {
    let weight = |index: i64| -> f64 {
        profile
            .iter()
            .filter(|n| n.name == "weight" && num(n, "index") as i64 == index)
            .map(|n| num(n, "value"))
            .next_back()
            .expect("every issue has a weight in these files")
    };
    let mut total = 0.0;
    for ((index, values), &d) in issues.iter().zip(outcome) {
        let (at, issue) = profile
            .iter()
            .enumerate()
            .find(|(_, n)| n.name == "issue" && num(n, "index") as i64 == *index)
            .expect("evaluated");
        let child = |name: &str| profile.iter().find(|c| c.parent == Some(at) && c.name == name);
        let eval = match values {
            GridValues::Items(items) => {
                let mut evaluations: HashMap<&str, f64> = HashMap::new();
                for item in profile.iter().filter(|c| c.parent == Some(at) && c.name == "item") {
                    evaluations.insert(attr(item, "value"), num(item, "evaluation"));
                }
                let max = evaluations.values().copied().fold(f64::MIN, f64::max);
                let e = evaluations.get(items[d as usize].as_str()).copied().unwrap_or(0.0);
                if max < 1e-5 { 0.0 } else { e / max }
            }
            GridValues::Numbers(xs) => {
                let x = xs[d as usize];
                let ev = child("evaluator").expect("an evaluator");
                let y = match attr(ev, "ftype") {
                    "triangular" => {
                        let (lo, hi, top) =
                            (num(ev, "parameter0"), num(ev, "parameter1"), num(ev, "parameter2"));
                        if x < lo {
                            0.0
                        } else if x < top {
                            (x - lo) / (top - lo)
                        } else if x < hi {
                            1.0 - (x - top) / (hi - top)
                        } else {
                            0.0
                        }
                    }
                    _ if ev.attrs.contains_key("slope") => {
                        num(ev, "offset") + num(ev, "slope") * (x - num(issue, "lowerbound"))
                    }
                    _ => num(ev, "parameter0") + num(ev, "parameter1") * x,
                };
                y.clamp(0.0, 1.0)
            }
        };
        total += weight(*index) * eval;
    }
    total
}

/// `min(1, sum of the utilities of the rectangles whose INCLUDES bounds all hold / maxutility)`: the
/// ANAC 2014 files have one summing `ufun` of inclusive rectangles.
fn nonlinear_utility(profile: &[Node], issues: &[(i64, GridValues)], outcome: &[u32]) -> f64 {
    assert!(profile.iter().filter(|n| n.name == "ufun").all(|n| attr(n, "aggregation") == "sum"));
    let max = num(profile.iter().find(|n| n.name == "utility").expect("<utility>"), "maxutility");
    let value = |index: i64| -> f64 {
        let k = issues.iter().position(|(i, _)| *i == index).expect("a domain issue");
        match &issues[k].1 {
            GridValues::Numbers(xs) => xs[outcome[k] as usize],
            GridValues::Items(_) => panic!("rectangles bound numeric issues"),
        }
    };
    let mut total = 0.0;
    for (r, rect) in profile.iter().enumerate().filter(|(_, n)| n.name == "hyperRectangle") {
        let inside = profile
            .iter()
            .filter(|b| b.parent == Some(r) && b.name == "INCLUDES")
            .all(|b| (num(b, "min")..=num(b, "max")).contains(&value(num(b, "index") as i64)));
        if inside {
            total += num(rect, "utility");
        }
    }
    (total / max).min(1.0)
}

/// Every outcome of a space of at most 20 000, else 2000 spread by a fixed pseudo-random sequence.
fn sample(space: &truce_model::OutcomeSpace) -> Vec<Vec<u32>> {
    if space.size_u64().is_some_and(|n| n <= 20_000) {
        let mut all = Vec::new();
        let mut cursor: Outcomes<'_> = space.outcomes();
        while let Some(o) = cursor.next() {
            all.push(o.to_vec());
        }
        return all;
    }
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    (0..2000)
        .map(|_| {
            space
                .radices()
                .iter()
                .map(|&r| {
                    state =
                        state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    u32::try_from((state >> 33) % u64::from(r)).expect("below a u32 radix")
                })
                .collect()
        })
        .collect()
}

// ---- Bad input: a clear error with file, line and column; never a panic. ----

fn folder_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("writable");
    }
    dir
}

const GOOD_DOMAIN: &str = r#"<negotiation_template><utility_space><objective index="0" name="root">
<issue index="1" name="a" type="discrete"><item value="x"/><item value="y"/></issue>
<issue index="2" name="n" type="integer" lowerbound="0" upperbound="4"/>
</objective></utility_space></negotiation_template>"#;

fn profile_with(body: &str) -> String {
    format!("<utility_space><objective index=\"0\">\n{body}\n</objective></utility_space>")
}

const GOOD_BODY: &str = r#"<weight index="1" value="0.5"/><weight index="2" value="0.5"/>
<issue index="1" name="a"><item value="x" evaluation="1"/><item value="y" evaluation="2"/></issue>
<issue index="2" name="n" type="integer"><evaluator ftype="linear" slope="0.25" offset="0"/></issue>"#;

fn first_error(files: &[(&str, &str)]) -> Diagnostic {
    let dir = folder_with(files);
    let failure = truce_formats::load(dir.path()).expect_err("the input is bad");
    failure.diagnostics.into_iter().find(Diagnostic::is_error).expect("an error")
}

#[test]
fn the_well_formed_baseline_loads() {
    let profile = profile_with(GOOD_BODY);
    let dir = folder_with(&[("d.xml", GOOD_DOMAIN), ("p.xml", &profile)]);
    let loaded = truce_formats::load(dir.path()).expect("loads");
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn malformed_xml_is_reported_at_its_position() {
    let bad = profile_with(GOOD_BODY).replace("</objective>", "</objectiv>");
    let e = first_error(&[("d.xml", GOOD_DOMAIN), ("p.xml", &bad)]);
    assert_eq!((e.code, file_name(&e.file).as_str()), ("xml-syntax", "p.xml"));
    assert_eq!(e.position.map(|p| p.line), Some(5), "{e}");
    let e = first_error(&[("d.xml", "<negotiation_template><utility_space>")]);
    assert_eq!(e.code, "xml-syntax");
    assert!(e.message.contains("never closed"), "{e}");
}

#[test]
fn missing_files_are_reported() {
    let dir = folder_with(&[]);
    let missing = dir.path().join("nowhere");
    let failure = truce_formats::load(&missing).expect_err("absent");
    assert_eq!(failure.diagnostics[0].code, "io");
    let profile = profile_with(GOOD_BODY);
    assert_eq!(first_error(&[("p.xml", &profile)]).code, "genius-no-domain");
    assert_eq!(first_error(&[("d.xml", GOOD_DOMAIN), ("e.xml", GOOD_DOMAIN)]).code, "genius-two-domains");
    let e = first_error(&[
        ("d.xml", GOOD_DOMAIN),
        (
            "p.xml",
            &profile_with(&GOOD_BODY.replace("index=\"2\" name=\"n\" type", "index=\"1\" name=\"n\" type")),
        ),
    ]);
    assert_eq!(e.code, "genius-duplicate-issue");
}

#[test]
fn bad_numbers_are_reported_at_their_attribute() {
    let cases: &[(&str, &str, &str, (usize, usize))] = &[
        (
            "negative weight",
            "<weight index=\"1\" value=\"0.5\"/>",
            "<weight index=\"1\" value=\"-0.5\"/>",
            (2, 19),
        ),
        ("NaN evaluation", "evaluation=\"2\"", "evaluation=\"NaN\"", (3, 75)),
        ("huge evaluation", "evaluation=\"2\"", "evaluation=\"1e999\"", (3, 75)),
        ("negative evaluation", "evaluation=\"2\"", "evaluation=\"-2\"", (3, 75)),
        ("word for a number", "slope=\"0.25\"", "slope=\"steep\"", (4, 68)),
    ];
    for (what, from, to, (line, column)) in cases {
        let profile = profile_with(&GOOD_BODY.replacen(from, to, 1));
        let e = first_error(&[("d.xml", GOOD_DOMAIN), ("p.xml", &profile)]);
        assert_eq!(e.position, Some(Position { line: *line, column: *column }), "{what}: {e}");
        assert_eq!(file_name(&e.file), "p.xml", "{what}");
    }
}

#[test]
fn bad_domains_are_reported() {
    let cases: &[(&str, &str, &str)] = &[
        ("empty issue", "<item value=\"x\"/><item value=\"y\"/>", "genius-empty-issue"),
        ("huge range", "upperbound=\"4\"", "invalid-issue"),
        ("reversed range", "lowerbound=\"0\"", "invalid-issue"),
        ("unknown type", "type=\"integer\"", "genius-unknown-issue-type"),
        ("missing name", "name=\"a\" ", "genius-missing-attribute"),
    ];
    let replacements = ["", "upperbound=\"99999999999999\"", "lowerbound=\"9\"", "type=\"complex\"", ""];
    for ((what, from, code), to) in cases.iter().zip(replacements) {
        let domain = GOOD_DOMAIN.replacen(from, to, 1);
        let profile = profile_with(GOOD_BODY);
        let e = first_error(&[("d.xml", &domain), ("p.xml", &profile)]);
        assert_eq!(e.code, *code, "{what}: {e}");
        assert!(e.position.is_some(), "{what}: positioned");
        assert_eq!(file_name(&e.file), "d.xml", "{what}");
    }
}

#[test]
fn unknown_issue_indices_are_reported() {
    let body = GOOD_BODY.replace("<issue index=\"2\" name=\"n\"", "<issue index=\"9\" name=\"m\"");
    let e = first_error(&[("d.xml", GOOD_DOMAIN), ("p.xml", &profile_with(&body))]);
    assert_eq!(e.code, "genius-unknown-issue");
    assert_eq!(e.position, Some(Position { line: 4, column: 1 }));
    let nonlinear = r#"<utility_space type="nonlinear"><objective><utility maxutility="1">
<ufun aggregation="sum"><hyperRectangle utility="1"><INCLUDES index="7" min="0" max="1"/></hyperRectangle></ufun>
</utility></objective></utility_space>"#;
    let e = first_error(&[("d.xml", GOOD_DOMAIN), ("p.xml", nonlinear)]);
    assert_eq!((e.code, e.position), ("genius-unknown-issue", Some(Position { line: 2, column: 63 })));
}

#[test]
fn every_problem_is_reported_at_once() {
    let body =
        GOOD_BODY.replace("value=\"0.5\"", "value=\"x\"").replace("evaluation=\"1\"", "evaluation=\"\"");
    let dir =
        folder_with(&[("d.xml", GOOD_DOMAIN), ("p.xml", &profile_with(&body)), ("q.xml", "<utility_space>")]);
    let failure = truce_formats::load(dir.path()).expect_err("bad");
    let errors: Vec<_> = failure.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.code).collect();
    assert_eq!(
        errors,
        ["xml-syntax", "genius-invalid-number", "genius-invalid-number", "genius-invalid-number"]
    );
}

// ---- Writing: read -> write -> read gives the same utilities. ----

/// Asserts that `after` has the parties of `before` (by id) with the same reservation value, discount
/// and utility on `outcomes` (grid positions, which must mean the same values in both spaces).
pub fn assert_same_utilities(before: &truce_model::Case, after: &truce_model::Case, what: &str) {
    assert_eq!(before.space().radices(), after.space().radices(), "{what}: the grid");
    let (d0, d1) = (Domain::unphased(before.space().clone()), Domain::unphased(after.space().clone()));
    let outcomes = sample(before.space());
    for party in before.parties.iter().filter(|p| p.negotiates()) {
        let Some(p0) = &party.preferences else { continue };
        let id = after.party_id(&party.id).unwrap_or_else(|| panic!("{what}: party {} is written", party.id));
        let p1 = after.party(id).preferences.as_ref().expect("preferences");
        assert_eq!((p0.reservation, p0.discount), (p1.reservation, p1.discount), "{what}: {}", party.id);
        for o in &outcomes {
            let (u0, u1) = (p0.utility(&d0, o), p1.utility(&d1, o));
            assert!((u0 - u1).abs() < 1e-12, "{what}: {} gives {u0} then {u1} to {o:?}", party.id);
        }
    }
}

fn round_trip(folder: &Path) -> Vec<Diagnostic> {
    let before = truce_formats::load(folder).expect("loads");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("out");
    let warnings = truce_formats::genius::save(&before.case, &out).expect("writes");
    let after = truce_formats::load(&out).expect("reads back");
    assert_eq!(after.format, Format::GeniusXml);
    let what = folder.display().to_string();
    assert_same_utilities(&before.case, &after.case, &what);
    let names = |c: &truce_model::Case| c.parties.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&before.case), names(&after.case), "{what}: names travel through the template's agents");
    let issues =
        |c: &truce_model::Case| c.space().issues().iter().map(|i| i.name.clone()).collect::<Vec<_>>();
    assert_eq!(issues(&before.case), issues(&after.case), "{what}");
    warnings
}

#[test]
fn every_shared_domain_round_trips_through_the_writer() {
    let Some(root) = common::domains() else { return };
    for folder in common::domain_folders(&root) {
        if truce_formats::load(&folder).is_ok() {
            let warnings = round_trip(&folder);
            assert!(warnings.is_empty(), "{}: {warnings:?}", folder.display());
        }
    }
}

#[test]
fn fixtures_round_trip_through_the_writer() {
    assert!(round_trip(&common::data("genius/small")).is_empty());
    assert!(round_trip(&common::data("genius/quirks")).is_empty());
}

#[test]
fn the_writer_refuses_to_write_into_a_folder_with_xml_files() {
    let loaded = truce_formats::load(&common::data("genius/small")).expect("loads");
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("keep.xml"), "<mine/>").expect("writable");
    let failure = truce_formats::genius::save(&loaded.case, dir.path()).expect_err("refused");
    assert_eq!(failure.diagnostics[0].code, "output-exists");
    assert_eq!(std::fs::read_to_string(dir.path().join("keep.xml")).expect("kept"), "<mine/>");
}

mod writer {
    use super::*;
    use truce_model::{
        AdditiveUtility, Basis, Case, CmpOp, Constraint, Continuation, Issue, IssueDomain, IssueId,
        IssueUtility, OutcomeSpace, Party, Phase, Preferences, Probability, RedLine, Role, Utility, Value,
        ValueFunction,
    };

    fn party(id: &str, utility: Utility) -> Party {
        Party {
            id: id.into(),
            name: format!("The {id}"),
            roles: vec![Role::Negotiator],
            aligned_with: vec![],
            description: None,
            basis: Basis::Unsourced,
            preferences: Some(Preferences {
                reservation: 0.2,
                discount: Some(0.5),
                ..Preferences::new(utility)
            }),
            stated_positions: vec![],
            constituencies: vec![],
            approval: None,
        }
    }

    fn additive(issues: Vec<(f64, ValueFunction)>) -> Utility {
        Utility::Additive(AdditiveUtility {
            issues: issues.into_iter().map(|(weight, value)| IssueUtility { weight, value }).collect(),
        })
    }

    /// A case GENIUS can only partly carry: an integer issue with step 10, a real issue with 5 levels
    /// and a curved function, and a triangle that GENIUS can express.
    fn case() -> Case {
        let space = OutcomeSpace::new(vec![
            Issue::new("ratio", IssueDomain::integer(10, 50, 10).unwrap()),
            Issue::new("scope", IssueDomain::discrete(vec!["north".into(), "all".into()], true).unwrap()),
            Issue::new("speed", IssueDomain::real(0.0, 10.0, 5).unwrap()),
        ])
        .unwrap();
        let a = additive(vec![
            (0.5, ValueFunction::Table { scores: vec![1.0, 4.0, 2.0, 0.0, 3.0] }),
            (0.2, ValueFunction::Table { scores: vec![0.0, 10.0] }),
            (
                0.3,
                ValueFunction::PiecewiseLinear {
                    points: vec![(0.0, 0.2), (3.0, 0.9), (6.0, 0.4), (10.0, 0.6)],
                },
            ),
        ]);
        let b = additive(vec![
            (0.4, ValueFunction::linear(10.0, 1.0, 50.0, 0.0)),
            (0.4, ValueFunction::Table { scores: vec![5.0, 1.0] }),
            (0.2, ValueFunction::PiecewiseLinear { points: vec![(0.0, 0.0), (4.0, 1.0), (10.0, 0.0)] }),
        ]);
        Case::new("talks", "Talks", Domain::unphased(space), vec![party("a", a), party("b", b)])
    }

    #[test]
    fn what_genius_cannot_carry_is_converted_with_warnings_and_utilities_kept() {
        let before = case();
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("talks");
        let warnings = truce_formats::genius::save(&before, &out).expect("written");
        let mut codes: Vec<_> =
            warnings.iter().map(|w| (w.code, w.message.split('`').nth(1).unwrap_or(""))).collect();
        codes.sort_unstable();
        assert_eq!(
            codes,
            [
                ("dropped", "scope"),
                ("genius-issue-as-discrete", "ratio"),
                ("genius-issue-as-discrete", "speed")
            ]
        );
        let after = truce_formats::load(&out).expect("reads back").case;
        assert_same_utilities(&before, &after, "converted case");
        assert_eq!(after.parties[1].name, "The b");
        let mut files: Vec<_> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name()).collect();
        files.sort();
        assert_eq!(files, ["a.xml", "b.xml", "talks-domain.xml"]);
    }

    #[test]
    fn lines_and_triangles_stay_numeric() {
        let space = OutcomeSpace::new(vec![
            Issue::new("n", IssueDomain::integer(0, 6, 1).unwrap()),
            Issue::new("x", IssueDomain::real(0.0, 10.0, 11).unwrap()),
        ])
        .unwrap();
        let a = additive(vec![
            (0.5, ValueFunction::linear(0.0, 0.25, 6.0, 1.0)),
            (0.5, ValueFunction::PiecewiseLinear { points: vec![(2.0, 0.0), (5.0, 1.0), (9.0, 0.0)] }),
        ]);
        let b = additive(vec![
            (0.5, ValueFunction::linear(-6.0, 2.0, 6.0, -1.0)),
            (0.5, ValueFunction::linear(0.0, 1.0, 10.0, 0.0)),
        ]);
        let before =
            Case::new("numeric", "Numeric", Domain::unphased(space), vec![party("a", a), party("b", b)]);
        let dir = tempfile::tempdir().unwrap();
        let warnings = truce_formats::genius::save(&before, dir.path()).expect("written");
        assert!(warnings.is_empty(), "{warnings:?}");
        let profile = std::fs::read_to_string(dir.path().join("a.xml")).unwrap();
        assert!(profile.contains("ftype=\"triangular\""), "{profile}");
        let after = truce_formats::load(dir.path()).expect("reads back").case;
        assert!(matches!(after.space().issue(IssueId(0)).domain(), IssueDomain::Integer(_)));
        assert_same_utilities(&before, &after, "numeric case");
    }

    #[test]
    fn facts_genius_cannot_hold_are_dropped_with_a_warning() {
        let mut c = case();
        let prefs = c.parties[0].preferences.as_mut().unwrap();
        prefs.red_lines.push(RedLine::new(
            "all",
            Constraint::Compare { issue: IssueId(1), op: CmpOp::Eq, value: Value::Option(1) },
            Basis::Unsourced,
        ));
        let mut mediator = party("qatar", additive(vec![]));
        mediator.roles = vec![Role::Mediator];
        mediator.preferences = None;
        c.parties.push(mediator);
        let dir = tempfile::tempdir().unwrap();
        let warnings = truce_formats::genius::save(&c, dir.path()).expect("written");
        let dropped: Vec<_> =
            warnings.iter().filter(|w| w.code == "dropped").map(|w| w.message.as_str()).collect();
        assert_eq!(dropped.len(), 2, "{dropped:?}");
        assert!(dropped.iter().any(|m| m.contains("`qatar`")));
        assert!(
            dropped
                .iter()
                .any(|m| m.contains("1 red line(s)") && m.contains("order of the options of `scope`"))
        );
    }

    #[test]
    fn what_would_change_utilities_is_refused() {
        // Phase-weighted preferences.
        let mut c = case();
        let phase = |name: &str, issue: u32| Phase {
            name: name.into(),
            duration_days: None,
            issues: vec![IssueId(issue)],
            next_condition: None,
            description: None,
            basis: Basis::Unsourced,
        };
        c.domain = Domain::new(c.space().clone(), vec![phase("one", 0), phase("two", 1)]).unwrap();
        c.parties[0].preferences.as_mut().unwrap().continuation =
            vec![Continuation { probability: Probability::Fixed(0.5), basis: Basis::Unsourced }];
        let dir = tempfile::tempdir().unwrap();
        let failure = truce_formats::genius::save(&c, &dir.path().join("out")).expect_err("refused");
        assert_eq!(failure.diagnostics[0].code, "unsupported");
        assert!(!dir.path().join("out").exists(), "nothing is written when refusing");

        // A case with model errors.
        let mut c = case();
        c.parties[1].preferences.as_mut().unwrap().reservation = f64::NAN;
        let failure = truce_formats::genius::save(&c, &dir.path().join("out")).expect_err("refused");
        assert_eq!(failure.diagnostics[0].code, "invalid-reservation");
    }
}

#[test]
fn tables_over_huge_integer_ranges_are_refused_not_allocated() {
    let domain = GOOD_DOMAIN.replace("upperbound=\"4\"", "upperbound=\"4000000000\"");
    let body = GOOD_BODY.replace(
        "<evaluator ftype=\"linear\" slope=\"0.25\" offset=\"0\"/>",
        "<item value=\"1\" evaluation=\"1\"/>",
    );
    let e = first_error(&[("d.xml", &domain), ("p.xml", &profile_with(&body))]);
    assert_eq!(e.code, "genius-table-too-large", "{e}");
}

mod round_trip_property {
    use proptest::prelude::*;
    use truce_model::{
        AdditiveUtility, Basis, Case, Domain, Issue, IssueDomain, IssueUtility, OutcomeSpace, Party,
        Preferences, Role, Utility, ValueFunction,
    };

    use super::assert_same_utilities;

    /// An issue: discrete with 2-4 options, integer with a small range and step 1-3, or real.
    fn issue(real_levels: std::ops::RangeInclusive<u32>) -> impl Strategy<Value = IssueDomain> {
        prop_oneof![
            (2usize..5).prop_map(
                |n| IssueDomain::discrete((0..n).map(|i| format!("v{i}")).collect(), false).unwrap()
            ),
            (-5i64..5, 1i64..4, 1i64..4).prop_map(|(min, steps, step)| IssueDomain::integer(
                min,
                min + steps * step,
                step
            )
            .unwrap()),
            (-10.0f64..10.0, 0.5f64..20.0, real_levels).prop_map(|(min, width, levels)| IssueDomain::real(
                min,
                min + width,
                levels
            )
            .unwrap()),
        ]
    }

    /// A value function for `domain`: a table, or (numeric issues) a line or a curve.
    fn function(domain: &IssueDomain, seed: u64) -> ValueFunction {
        let mut state = seed | 1;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % 1000) as f64 / 1000.0
        };
        match (domain.numeric_bounds(), seed % 3) {
            (Some((min, max)), 1) => ValueFunction::linear(min, next(), max, next()),
            (Some((min, max)), 2) if max > min => ValueFunction::PiecewiseLinear {
                points: vec![(min, next()), (min + (max - min) * 0.4, next()), (max, next())],
            },
            _ => ValueFunction::Table { scores: (0..domain.cardinality()).map(|_| 4.0 * next()).collect() },
        }
    }

    fn case(
        domains: Vec<IssueDomain>,
        seeds: Vec<u64>,
        weights: Vec<f64>,
        reservation: f64,
        discount: Option<f64>,
    ) -> Case {
        let issues =
            domains.iter().enumerate().map(|(i, d)| Issue::new(format!("issue{i}"), d.clone())).collect();
        let space = OutcomeSpace::new(issues).unwrap();
        let parties = (0..2)
            .map(|p| {
                let issues = domains
                    .iter()
                    .enumerate()
                    .map(|(i, d)| IssueUtility {
                        weight: weights[(p * domains.len() + i) % weights.len()],
                        value: function(d, seeds[(p * domains.len() + i) % seeds.len()]),
                    })
                    .collect();
                let mut prefs = Preferences::new(Utility::Additive(AdditiveUtility { issues }));
                prefs.reservation = reservation;
                prefs.discount = discount;
                Party {
                    id: format!("party{p}"),
                    name: format!("Party {p}"),
                    roles: vec![Role::Negotiator],
                    aligned_with: vec![],
                    description: None,
                    basis: Basis::Unsourced,
                    preferences: Some(prefs),
                    stated_positions: vec![],
                    constituencies: vec![],
                    approval: None,
                }
            })
            .collect();
        Case::new("random", "Random", Domain::unphased(space), parties)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// Whatever GENIUS cannot carry is converted so that utilities survive a write and a read.
        #[test]
        fn genius_round_trips_keep_every_utility(
            domains in prop::collection::vec(issue(11..=11), 1..4),
            seeds in prop::collection::vec(any::<u64>(), 6),
            weights in prop::collection::vec(0.0f64..1.0, 6),
            reservation in 0.0f64..0.5,
            discount in prop::option::of(0.1f64..0.9),
        ) {
            let before = case(domains, seeds, weights, reservation, discount);
            let dir = tempfile::tempdir().unwrap();
            truce_formats::genius::save(&before, &dir.path().join("out")).unwrap();
            let after = truce_formats::load(&dir.path().join("out")).unwrap().case;
            assert_same_utilities(&before, &after, "random GENIUS case");
        }

        /// The same through GeniusWeb JSON, whose number ranges keep any grid.
        #[test]
        fn geniusweb_round_trips_keep_every_utility(
            domains in prop::collection::vec(issue(2..=7), 1..4),
            seeds in prop::collection::vec(any::<u64>(), 6),
            weights in prop::collection::vec(0.0f64..1.0, 6),
            reservation in 0.0f64..0.5,
            discount in prop::option::of(0.1f64..0.9),
        ) {
            let before = case(domains, seeds, weights, reservation, discount);
            let dir = tempfile::tempdir().unwrap();
            truce_formats::geniusweb::save(&before, &dir.path().join("out")).unwrap();
            let after = truce_formats::load(&dir.path().join("out")).unwrap().case;
            assert_same_utilities(&before, &after, "random GeniusWeb case");
        }
    }
}

#[test]
fn long_lists_of_values_are_summarised_in_messages() {
    // 5,000 items of which the profile evaluates one: the warning names a few, and says how many more.
    let items: String = (0..5_000).map(|k| format!("<item value=\"v{k}\"/>")).collect();
    let domain = format!(
        "<negotiation_template><utility_space><objective index=\"0\" name=\"root\">\
         <issue index=\"1\" name=\"a\" type=\"discrete\">{items}</issue></objective></utility_space></negotiation_template>"
    );
    let profile = profile_with(
        r#"<weight index="1" value="1"/><issue index="1" name="a"><item value="v0" evaluation="1"/></issue>"#,
    );
    let dir = folder_with(&[("d.xml", &domain), ("p.xml", &profile)]);
    let loaded = truce_formats::load(dir.path()).expect("loads");
    let warning = loaded.warnings.iter().find(|d| d.code == "genius-missing-evaluation").expect("a warning");
    assert_eq!(
        warning.message,
        "`v1`, `v2`, `v3`, `v4`, `v5` and 4994 more of `a` ha(s) no evaluation: scored 0 (GENIUS cannot evaluate such outcomes)"
    );
}
