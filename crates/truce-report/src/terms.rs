//! Packages and proposals as terms grouped by phase, and a package as the changes it makes to each
//! side's last proposal: the one reading the text report and the HTML page share.

use truce_analysis::{Anchor, Package, Setting};
use truce_model::Case;

/// A term of a package: the issue, its value in the package, and per anchor (party), what that
/// party's last proposal had instead (`None`: the same, or no proposal to compare with).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Term {
    pub issue: String,
    pub value: String,
    pub was: Vec<Option<String>>,
}

impl Term {
    pub(crate) fn changed(&self) -> bool {
        self.was.iter().any(Option::is_some)
    }
}

/// The terms of one phase (or of no phase: `phase` is then "other terms").
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Group {
    pub phase: String,
    pub terms: Vec<Term>,
}

/// The issues by phase, in the case's phase order, then the issues of no phase.
pub(crate) fn phases(case: &Case) -> Vec<(String, Vec<usize>)> {
    let mut out: Vec<(String, Vec<usize>)> = Vec::new();
    let mut seen = vec![false; case.space().len()];
    for phase in case.domain.phases() {
        let issues: Vec<usize> = phase.issues.iter().map(|i| i.index()).filter(|&i| i < seen.len()).collect();
        for &i in &issues {
            seen[i] = true;
        }
        if !issues.is_empty() {
            out.push((phase.name.replace('_', " "), issues));
        }
    }
    let rest: Vec<usize> = (0..seen.len()).filter(|&i| !seen[i]).collect();
    if !rest.is_empty() {
        let name = if out.is_empty() { "terms" } else { "other terms" };
        out.push((name.to_owned(), rest));
    }
    out
}

/// A package's terms by phase, each with what each anchor's last proposal had when it differs.
pub(crate) fn package(case: &Case, anchors: &[Anchor], p: &Package) -> Vec<Group> {
    let space = case.space();
    phases(case)
        .into_iter()
        .map(|(phase, issues)| Group {
            phase,
            terms: issues
                .into_iter()
                .map(|i| {
                    let issue = space.issues().get(i);
                    let name = issue.map_or_else(|| format!("#{i}"), |x| x.name.clone());
                    let text = |v| issue.map_or_else(String::new, |x| x.format_value(v));
                    let value = p.point.outcome.get(i).map_or_else(String::new, |&v| text(v));
                    let was = (0..anchors.len())
                        .map(|k| {
                            let (_, changes) = p.changes.iter().find(|(a, _)| *a == k)?;
                            let c = changes.iter().find(|c| c.issue.index() == i)?;
                            Some(c.from.map_or_else(|| "open".to_owned(), text))
                        })
                        .collect();
                    Term { issue: name, value, was }
                })
                .collect(),
        })
        .collect()
}

/// A proposal's settings by phase: each issue and its value, range or `open`.
pub(crate) fn settings(case: &Case, settings: &[Setting]) -> Vec<(String, Vec<(String, String)>)> {
    let space = case.space();
    phases(case)
        .into_iter()
        .map(|(phase, issues)| {
            let terms = issues
                .into_iter()
                .filter_map(|i| {
                    let issue = space.issues().get(i)?;
                    let value = match *settings.get(i)? {
                        Setting::Set(v) => issue.format_value(v),
                        Setting::Range(a, b) => {
                            format!("{}..{}", issue.format_value(a), issue.format_value(b))
                        }
                        Setting::Open => "open".into(),
                    };
                    Some((issue.name.clone(), value))
                })
                .collect();
            (phase, terms)
        })
        .collect()
}

/// A changed term in words: `phase1_days 45 (both had 42)`, `permanence continues_while_talks
/// (hamas had permanent_guaranteed)`, `p1_hostages 112 (hamas left it open)`.
pub(crate) fn change_text(t: &Term, names: &[&str]) -> String {
    let had: Vec<(usize, &str)> =
        t.was.iter().enumerate().filter_map(|(k, w)| w.as_deref().map(|w| (k, w))).collect();
    let verb = |w: &str| if w == "open" { "left it open".to_owned() } else { format!("had {w}") };
    let all_same = had.len() == t.was.len() && had.len() > 1 && had.iter().all(|(_, w)| *w == had[0].1);
    let why = if all_same {
        format!("{} {}", if had.len() == 2 { "both" } else { "all" }, verb(had[0].1))
    } else {
        had.iter()
            .map(|(k, w)| format!("{} {}", names.get(*k).copied().unwrap_or("?"), verb(w)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!("{} {} ({why})", t.issue, t.value)
}
