//! Writing then reading gives back the same model `Case`: for the fixtures, the example, and cases
//! generated at random over everything the format expresses.

use std::path::Path;

use proptest::prelude::*;
use truce_model::{
    AdditiveUtility, Aggregation, Alternative, Basis, Bound, Case, Citation, CmpOp, Constraint, Continuation,
    Domain, HyperRectangle, Issue, IssueDomain, IssueId, IssueUtility, OutcomeSpace, PartialDate, Party,
    PartyId, Phase, PositionKind, Preferences, Probability, Proposal, ProposalId, ProposalKind,
    RectangleFunction, RectangleUtility, RedLine, Response, Role, Source, SourceId, SourceKind, Stance,
    StatedPosition, Term, TermValue, Utility, Value, ValueFunction,
};

use super::{data, load_ok, repo, show};

fn round_trip(case: &Case) -> Case {
    let (text, warnings) = match truce_formats::case_to_toml(case, Path::new("out.toml")) {
        Ok(written) => written,
        Err(failure) => panic!("cannot write:\n{}", show(&failure.diagnostics)),
    };
    assert!(warnings.is_empty(), "{}", show(&warnings));
    match truce_formats::parse_case(&text, Path::new("out.toml")) {
        Ok(loaded) => loaded.case,
        Err(failure) => panic!("cannot read back:\n{}\n---\n{text}", show(&failure.diagnostics)),
    }
}

#[test]
fn fixtures_and_the_example_survive_save_and_load() {
    for path in [
        repo("cases/harbour-truce.toml"),
        repo("cases/gaza-2024"),
        data("good/everything.toml"),
        data("good/constituencies.toml"),
        data("folder"),
    ] {
        let case = load_ok(&path).case;
        assert_eq!(round_trip(&case), case, "{}", path.display());
    }
}

#[test]
fn save_writes_a_file_that_loads_to_the_same_case() {
    let case = load_ok(&repo("cases/harbour-truce.toml")).case;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("written.toml");
    let warnings = truce_formats::save(&case, &out, None).unwrap();
    assert!(warnings.is_empty());
    let again = load_ok(&out).case;
    assert_eq!(again, case);
    // Writing is deterministic: the same case gives the same bytes.
    let first = std::fs::read(&out).unwrap();
    truce_formats::save(&again, &out, None).unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), first);
}

#[test]
fn what_the_format_cannot_express_is_refused_or_warned_about() {
    let mut case = load_ok(&repo("cases/harbour-truce.toml")).case;
    let prefs = case.parties[0].preferences.as_mut().unwrap();
    let only = prefs.red_lines[0].rule.clone();
    prefs.red_lines[0].rule = Constraint::AllOf(vec![only.clone()]);
    let (_, warnings) = truce_formats::case_to_toml(&case, Path::new("out.toml")).unwrap();
    assert_eq!(warnings.iter().map(|w| w.code).collect::<Vec<_>>(), ["simplified-red-line"]);
    let prefs = case.parties[0].preferences.as_mut().unwrap();
    prefs.red_lines[0].rule = Constraint::AnyOf(vec![]);
    let failure = truce_formats::case_to_toml(&case, Path::new("out.toml")).unwrap_err();
    assert_eq!(failure.diagnostics[0].code, "unwritable");
}

// -------------------------------------------------------------------------------------------------
// Random cases.

fn text() -> impl Strategy<Value = String> {
    // Printable text with the characters that need escaping in TOML and in rules.
    prop_oneof![4 => "[a-zA-Z0-9 _.-]{1,12}", 1 => "[\\PC\"'`\\\\\n\t]{1,12}"]
}

fn distinct(n: usize) -> impl Strategy<Value = Vec<String>> {
    prop::collection::hash_set(text(), n).prop_map(|s| {
        let mut v: Vec<String> = s.into_iter().collect();
        v.sort();
        v
    })
}

fn issue_domain() -> impl Strategy<Value = IssueDomain> {
    prop_oneof![
        (1usize..4, any::<bool>()).prop_flat_map(|(n, ordered)| distinct(n)
            .prop_map(move |options| IssueDomain::discrete(options, ordered).unwrap())),
        Just(IssueDomain::discrete(vec!["no".into(), "yes".into()], false).unwrap()),
        (-50i64..50, 0i64..5, 1i64..4).prop_map(|(min, n, step)| IssueDomain::integer(
            min,
            min + n * step,
            step
        )
        .unwrap()),
        (-10.0f64..10.0, 0.5f64..20.0, 2u32..6).prop_map(|(min, span, levels)| IssueDomain::real(
            min,
            min + span,
            levels
        )
        .unwrap()),
    ]
}

fn space() -> impl Strategy<Value = OutcomeSpace> {
    (1usize..5).prop_flat_map(|n| (distinct(n), prop::collection::vec(issue_domain(), n))).prop_map(
        |(names, domains)| {
            OutcomeSpace::new(names.into_iter().zip(domains).map(|(name, d)| Issue::new(name, d)).collect())
                .unwrap()
        },
    )
}

/// A grid value of issue `i`.
fn value(space: &OutcomeSpace, i: usize) -> BoxedStrategy<Value> {
    let domain = space.issues()[i].domain().clone();
    (0..domain.cardinality()).prop_map(move |d| domain.grid_value(d).unwrap()).boxed()
}

fn basis(sources: usize) -> BoxedStrategy<Basis> {
    let citation = (0..sources.max(1), prop::option::of(text()))
        .prop_map(|(s, quote)| Citation { source: SourceId::from_index(s), quote });
    let citations = prop::collection::vec(citation, 1..3).boxed();
    if sources == 0 {
        return prop_oneof![
            Just(Basis::Unsourced),
            "[a-z]{1,8}".prop_map(|r| Basis::Assumption { rationale: r, citations: vec![] })
        ]
        .boxed();
    }
    prop_oneof![
        Just(Basis::Unsourced),
        citations.prop_map(|citations| Basis::Sourced { citations }),
        (
            "[a-z]{1,8}",
            prop::collection::vec(
                (0..sources).prop_map(|s| Citation { source: SourceId::from_index(s), quote: None }),
                0..2
            )
        )
            .prop_map(|(rationale, citations)| Basis::Assumption { rationale, citations }),
    ]
    .boxed()
}

fn leaf(space: &OutcomeSpace) -> BoxedStrategy<Constraint> {
    let space = space.clone();
    (0..space.len())
        .prop_flat_map(move |i| {
            let ordered = space.issues()[i].domain().is_ordered();
            let ops: Vec<CmpOp> = if ordered {
                vec![CmpOp::Eq, CmpOp::Ne, CmpOp::Lt, CmpOp::Le, CmpOp::Gt, CmpOp::Ge]
            } else {
                vec![CmpOp::Eq, CmpOp::Ne]
            };
            let issue = IssueId::from_index(i);
            prop_oneof![
                (prop::sample::select(ops), value(&space, i))
                    .prop_map(move |(op, value)| Constraint::Compare { issue, op, value }),
                prop::collection::vec(value(&space, i), 1..3)
                    .prop_map(move |values| Constraint::OneOf { issue, values }),
            ]
        })
        .boxed()
}

fn constraint(space: &OutcomeSpace) -> BoxedStrategy<Constraint> {
    leaf(space)
        .prop_recursive(2, 8, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 2..4).prop_map(Constraint::AllOf),
                prop::collection::vec(inner, 2..4).prop_map(Constraint::AnyOf),
            ]
        })
        .boxed()
}

fn value_function(issue: &Issue) -> BoxedStrategy<ValueFunction> {
    let n = issue.cardinality() as usize;
    let table = prop::collection::vec(0.0f64..100.0, n).prop_map(|scores| ValueFunction::Table { scores });
    if issue.domain().is_numeric() {
        let points = prop::collection::vec((-100.0f64..100.0, 0.0f64..1.0), 1..4).prop_map(|mut points| {
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            points.dedup_by(|a, b| a.0 == b.0);
            ValueFunction::PiecewiseLinear { points }
        });
        prop_oneof![table, points].boxed()
    } else {
        table.boxed()
    }
}

fn rectangles(space: &OutcomeSpace) -> BoxedStrategy<Utility> {
    let numeric: Vec<IssueId> = space.issue_ids().filter(|i| space.issue(*i).domain().is_numeric()).collect();
    let bound = prop::sample::select(if numeric.is_empty() { vec![IssueId(0)] } else { numeric.clone() })
        .prop_flat_map(|issue| (Just(issue), -10.0f64..10.0, 0.0f64..10.0))
        .prop_map(|(issue, min, span)| Bound { issue, min, max: min + span });
    let bounds =
        if numeric.is_empty() { Just(vec![]).boxed() } else { prop::collection::vec(bound, 0..3).boxed() };
    let rectangle = (any::<bool>(), bounds, 0.0f64..10.0, prop_oneof![Just(1.0), 0.1f64..2.0]).prop_map(
        |(inclusive, bounds, utility, weight)| HyperRectangle { inclusive, bounds, utility, weight },
    );
    let aggregation = prop::sample::select(vec![Aggregation::Sum, Aggregation::Min, Aggregation::Max]);
    let child = (aggregation.clone(), 0.1f64..3.0, prop::collection::vec(rectangle.clone(), 0..3)).prop_map(
        |(aggregation, weight, rectangles)| RectangleFunction {
            aggregation,
            weight,
            rectangles,
            children: vec![],
        },
    );
    (
        aggregation,
        prop_oneof![Just(1.0), 0.5f64..2.0],
        prop::collection::vec(rectangle, 0..3),
        prop::collection::vec(child, 0..2),
        1.0f64..50.0,
    )
        .prop_map(|(aggregation, weight, rectangles, children, max_utility)| {
            Utility::Rectangles(RectangleUtility {
                max_utility,
                root: RectangleFunction { aggregation, weight, rectangles, children },
            })
        })
        .boxed()
}

fn preferences(domain: &Domain, sources: usize) -> BoxedStrategy<Preferences> {
    let space = domain.space().clone();
    let additive = space
        .issues()
        .iter()
        .map(|i| (0.0f64..1.0, value_function(i)).prop_map(|(weight, value)| IssueUtility { weight, value }))
        .collect::<Vec<_>>()
        .prop_map(|issues| Utility::Additive(AdditiveUtility { issues }));
    let utility = prop_oneof![3 => additive, 1 => rectangles(&space)];
    let transitions = domain.phases().len().saturating_sub(1);
    let by_issue = (0..space.len()).prop_flat_map({
        let space = space.clone();
        move |i| {
            let n = space.issues()[i].cardinality() as usize;
            prop::collection::vec(0.0f64..1.0, n)
                .prop_map(move |values| Probability::ByIssue { issue: IssueId::from_index(i), values })
        }
    });
    let probability = prop_oneof![(0.0f64..=1.0).prop_map(Probability::Fixed), by_issue];
    let continuation = prop::collection::vec(
        (probability, basis(sources)).prop_map(|(probability, basis)| Continuation { probability, basis }),
        0..=transitions,
    );
    let red_line = (text(), constraint(&space), prop::option::of(text()), period(), basis(sources)).prop_map(
        |(name, rule, description, (since, until), basis)| RedLine {
            description,
            since,
            until,
            ..RedLine::new(name, rule, basis)
        },
    );
    (
        utility,
        prop_oneof![Just(0.0), 0.0f64..1.0],
        prop::option::of(0.5f64..1.0),
        prop::collection::vec(red_line, 0..3),
        continuation,
        basis(sources),
    )
        .prop_map(|(utility, reservation, discount, red_lines, continuation, basis)| Preferences {
            utility,
            reservation,
            red_lines,
            discount,
            continuation,
            basis,
        })
        .boxed()
}

fn domain() -> impl Strategy<Value = Domain> {
    (space(), 0usize..4).prop_flat_map(|(space, phases)| {
        let n = space.len();
        // Each issue goes to one of the phases, or to none (index `phases`).
        (
            Just(space),
            prop::collection::vec(0..=phases, n),
            distinct(phases),
            prop::collection::vec(prop::option::of(1u32..100), phases),
        )
            .prop_map(move |(space, owner, names, days)| {
                let phases = names
                    .into_iter()
                    .zip(days)
                    .enumerate()
                    .map(|(k, (name, duration_days))| Phase {
                        name,
                        duration_days,
                        issues: (0..n).filter(|i| owner[*i] == k).map(IssueId::from_index).collect(),
                        next_condition: None,
                        description: None,
                        basis: Basis::Unsourced,
                    })
                    .collect();
                Domain::new(space, phases).unwrap()
            })
    })
}

fn term_value(space: &OutcomeSpace, i: usize) -> BoxedStrategy<TermValue> {
    let set = value(space, i).prop_map(|value| TermValue::Set { value });
    if space.issues()[i].domain().is_ordered() {
        prop_oneof![3 => set, 1 => (value(space, i), value(space, i)).prop_map(|(min, max)| TermValue::Range { min, max }), 1 => Just(TermValue::Open)]
            .boxed()
    } else {
        prop_oneof![3 => set, 1 => Just(TermValue::Open)].boxed()
    }
}

fn proposal(
    space: &OutcomeSpace,
    parties: usize,
    proposals: usize,
    sources: usize,
) -> BoxedStrategy<Proposal> {
    let terms = (0..space.len())
        .map(|i| {
            let alternative = (term_value(space, i), basis(sources), prop::option::of(text()))
                .prop_map(|(value, basis, notes)| Alternative { value, basis, notes });
            prop::option::of(
                (
                    term_value(space, i),
                    basis(sources),
                    prop::collection::vec(alternative, 0..2),
                    prop::option::of(text()),
                )
                    .prop_map(move |(value, basis, alternatives, notes)| Term {
                        issue: IssueId::from_index(i),
                        value,
                        basis,
                        alternatives,
                        notes,
                        provision: truce_model::Provision::default(),
                    }),
            )
        })
        .collect::<Vec<_>>()
        .prop_map(|terms| terms.into_iter().flatten().collect::<Vec<_>>());
    let party = (0..parties).prop_map(PartyId::from_index);
    let stance =
        prop::sample::select(vec![Stance::Accepted, Stance::Rejected, Stance::Countered, Stance::Unknown]);
    let response = (
        party.clone(),
        stance,
        prop::option::of(date()),
        prop::option::of(0..proposals),
        basis(sources),
        prop::option::of(text()),
    )
        .prop_map(|(party, stance, date, counter, basis, notes)| Response {
            party,
            stance,
            date,
            countered_with: counter.filter(|_| stance == Stance::Countered).map(ProposalId::from_index),
            basis,
            notes,
        });
    let kind = prop::sample::select(vec![
        ProposalKind::Proposal,
        ProposalKind::Counterproposal,
        ProposalKind::Bridging,
        ProposalKind::Agreement,
        ProposalKind::Resolution,
    ]);
    (
        (
            text(),
            kind,
            prop::option::of(date()),
            prop::collection::vec(party.clone(), 0..2),
            prop::collection::vec(party, 0..2),
        ),
        (
            prop::option::of(0..proposals),
            terms,
            prop::collection::vec(response, 0..3),
            basis(sources),
            prop::option::of(text()),
        ),
    )
        .prop_map(|((title, kind, date, tabled_by, via), (responds_to, terms, responses, basis, notes))| {
            Proposal {
                id: String::new(),
                title,
                kind,
                date,
                tabled_by,
                via,
                responds_to: responds_to.map(ProposalId::from_index),
                terms,
                responses,
                basis,
                notes,
            }
        })
        .boxed()
}

fn date() -> impl Strategy<Value = PartialDate> {
    (1900i32..2100, 0u8..13, 0u8..29).prop_map(|(y, m, d)| {
        let text = match (m, d) {
            (0, _) => format!("{y:04}"),
            (m, 0) => format!("{y:04}-{m:02}"),
            (m, d) => format!("{y:04}-{m:02}-{d:02}"),
        };
        text.parse().unwrap()
    })
}

/// Two optional dates, never reversed (sorted dates never are: see `PartialDate`'s order).
fn period() -> impl Strategy<Value = (Option<PartialDate>, Option<PartialDate>)> {
    (prop::option::of(date()), prop::option::of(date())).prop_map(|(a, b)| match (a, b) {
        (Some(a), Some(b)) if b < a => (Some(b), Some(a)),
        other => other,
    })
}

/// Stated positions; `red_line` is an index into the party's red lines, resolved once they are known.
fn stated_positions(
    sources: usize,
) -> impl Strategy<Value = Vec<(StatedPosition, Option<prop::sample::Index>)>> {
    let position = (
        date(),
        prop::option::of(date()),
        prop::sample::select(vec![PositionKind::RedLine, PositionKind::CoreDemand]),
        text(),
        prop::option::of(any::<prop::sample::Index>()),
        basis(sources),
    )
        .prop_map(|(a, b, kind, text, red_line, basis)| {
            let (date, until) = match b {
                Some(b) if b < a => (b, Some(a)),
                b => (a, b),
            };
            (StatedPosition { date, until, kind, text, red_line: None, basis }, red_line)
        });
    prop::collection::vec(position, 0..3)
}

fn case() -> impl Strategy<Value = Case> {
    (domain(), 0usize..3, 1usize..4, 0usize..3).prop_flat_map(|(domain, sources, parties, proposals)| {
        let source = (
            text(),
            prop::option::of(text()),
            prop::option::of(date()),
            prop::option::of(prop_oneof![text(), Just("https://example.org/x".to_owned())]),
            prop::option::of(text()),
            prop::option::of(prop::sample::select(vec![
                SourceKind::Report,
                SourceKind::UnnamedOfficials,
                SourceKind::NamedOfficial,
                SourceKind::OfficialText,
            ])),
        )
            .prop_map(|(title, publisher, date, location, notes, kind)| Source {
                id: String::new(),
                title,
                publisher,
                date,
                location,
                notes,
                kind,
            });
        let roles = prop::collection::vec(
            prop::sample::select(vec![Role::Negotiator, Role::Mediator, Role::Guarantor, Role::Observer]),
            1..3,
        );
        let party = (
            text(),
            roles,
            prop::collection::vec((0..parties).prop_map(PartyId::from_index), 0..2),
            prop::option::of(text()),
            basis(sources),
            prop::option::of(preferences(&domain, sources)),
            stated_positions(sources),
        )
            .prop_map(|(name, roles, aligned_with, description, basis, preferences, positions)| {
                let red_lines: Vec<String> =
                    preferences.iter().flat_map(|p| &p.red_lines).map(|r| r.name.clone()).collect();
                let stated_positions = positions
                    .into_iter()
                    .map(|(mut position, index)| {
                        position.red_line =
                            index.filter(|_| !red_lines.is_empty()).map(|i| i.get(&red_lines).clone());
                        position
                    })
                    .collect();
                Party {
                    id: String::new(),
                    name,
                    roles,
                    aligned_with,
                    description,
                    basis,
                    preferences,
                    stated_positions,
                    constituencies: Vec::new(),
                    approval: None,
                }
            });
        (
            Just(domain.clone()),
            distinct(sources + parties + proposals),
            prop::collection::vec(source, sources),
            prop::collection::vec(party, parties),
            prop::collection::vec(proposal(domain.space(), parties, proposals.max(1), sources), proposals),
            (text(), prop::option::of(text()), prop::option::of(date())),
        )
            .prop_map(
                move |(domain, ids, mut sources, mut parties, mut proposals, (title, description, as_of))| {
                    let mut ids = ids.into_iter();
                    sources.iter_mut().for_each(|s| s.id = ids.next().unwrap());
                    parties.iter_mut().for_each(|p| p.id = ids.next().unwrap());
                    proposals.iter_mut().for_each(|p| p.id = ids.next().unwrap());
                    Case {
                        id: "generated".into(),
                        title,
                        description,
                        as_of,
                        domain,
                        parties,
                        proposals,
                        sources,
                        state_of_play: vec![],
                        agreements: vec![],
                    }
                },
            )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    #[test]
    fn any_case_the_format_expresses_round_trips(case in case()) {
        prop_assert_eq!(round_trip(&case), case);
    }
}

/// Every shared ANAC domain that Truce reads is written as a case file and read back unchanged:
/// discrete, integer and real issues, GENIUS weights and evaluations, hyper-rectangle utilities.
#[test]
fn every_anac_domain_survives_a_trip_through_the_case_format() {
    let Some(root) = crate::common::domains() else { return };
    let mut written = 0;
    for folder in crate::common::domain_folders(&root) {
        let Ok(loaded) = truce_formats::load(&folder) else { continue };
        assert_eq!(round_trip(&loaded.case), loaded.case, "{}", folder.display());
        written += 1;
    }
    eprintln!("{written} domains written and read back");
    assert!(written >= 30, "only {written} domains were read");
}
