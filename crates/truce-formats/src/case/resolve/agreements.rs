//! `[[agreements]]`: signed proposals, their extensions and declared commitments, resolved with
//! every name checked where it is written.

use serde_spanned::Spanned;
use truce_model::{
    Batch, CommitmentKind, DeclaredCommitment, Domain, Extension, Location, PartyId, PhaseId, Reconciliation,
    SignedAgreement, SourceId,
};

use super::{Kind, Resolver};
use crate::case::raw::{RawAgreement, RawCommitment};
use crate::case::read::Item;
use crate::case::suggest::did_you_mean;

const RULES: &[&str] = &["most_conservative", "trust", "per_source"];
const KINDS: &[&str] = &["total", "rate", "deadline", "hold", "gate"];

impl Resolver<'_> {
    pub(super) fn agreement(
        &mut self,
        k: usize,
        item: &Item<RawAgreement>,
        domain: Option<&Domain>,
    ) -> Option<SignedAgreement> {
        let (file, raw) = (item.file, &item.value);
        self.record(Location::Agreement { index: k }, file, item.span.start);
        let proposal = self.proposal_ref(file, &raw.proposal);
        let began = self.date(file, &raw.began);
        let trust: Vec<Option<SourceId>> = raw
            .trust
            .iter()
            .map(|s| {
                self.reference(Kind::Source, file, s.get_ref(), s.span().start).map(SourceId::from_index)
            })
            .collect();
        let trust: Option<Vec<SourceId>> = trust.into_iter().collect();
        let reconcile = match raw.reconcile.as_ref().map(|r| (r.get_ref().as_str(), r.span().start)) {
            None | Some(("most_conservative", _)) => Some(Reconciliation::MostConservative),
            Some(("per_source", _)) => Some(Reconciliation::PerSource),
            Some(("trust", at)) => {
                if raw.trust.is_empty() {
                    self.error(
                        "reconcile-trust",
                        file,
                        at,
                        "`reconcile = \"trust\"` needs an order of trust",
                        Some("add `trust = [\"S01\", \"S02\"]`, the most trusted source first".into()),
                    );
                    None
                } else {
                    trust.clone().map(|order| Reconciliation::Trust { order })
                }
            }
            Some((other, at)) => {
                let hint = match did_you_mean(other, RULES.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "one of `most_conservative`, `trust`, `per_source`".into(),
                };
                self.error("unknown-rule", file, at, format!("no reconciliation rule `{other}`"), Some(hint));
                None
            }
        };
        if !raw.trust.is_empty()
            && !matches!(raw.reconcile.as_ref().map(|r| r.get_ref().as_str()), Some("trust"))
        {
            self.warning(
                "unused-trust",
                file,
                raw.trust[0].span().start,
                "an order of trust, but the rule is not `trust`",
                Some("add `reconcile = \"trust\"`, or remove `trust`".into()),
            );
        }
        let mut ok = true;
        let last_phase = raw.last_phase.as_ref().map(|p| self.phase_ref(domain, file, p));
        ok &= !matches!(last_phase, Some(None));
        let mut extensions = Vec::with_capacity(raw.extensions.len());
        for e in &raw.extensions {
            let agreed = e.agreed.as_ref().map(|d| self.date(file, d));
            ok &= !matches!(agreed, Some(None));
            let phase = e.phase.as_ref().map(|p| self.phase_ref(domain, file, p));
            ok &= !matches!(phase, Some(None));
            if *e.days.get_ref() == 0 {
                self.error(
                    "agreement-days",
                    file,
                    e.days.span().start,
                    "an extension of 0 days",
                    Some("`days` counts the days it adds, from 1".into()),
                );
                ok = false;
            }
            extensions.push(Extension {
                agreed: agreed.flatten(),
                phase: phase.flatten(),
                days: *e.days.get_ref(),
                basis: self.basis(file, &e.cite, e.assumption.as_ref()),
                notes: e.notes.clone(),
            });
        }
        let commitments: Vec<Option<DeclaredCommitment>> = raw
            .commitments
            .iter()
            .enumerate()
            .map(|(i, c)| {
                self.record(Location::DeclaredCommitment { agreement: k, index: i }, file, c.span().start);
                self.commitment(file, c, domain)
            })
            .collect();
        let basis = self.basis(file, &raw.cite, raw.assumption.as_ref());
        let commitments: Option<Vec<DeclaredCommitment>> = commitments.into_iter().collect();
        if !ok {
            return None;
        }
        Some(SignedAgreement {
            proposal: proposal?,
            began: began?,
            days: raw.days,
            last_phase: last_phase.flatten(),
            extensions,
            commitments: commitments?,
            reconcile: reconcile?,
            basis,
            notes: raw.notes.clone(),
        })
    }

    fn phase_ref(&mut self, domain: Option<&Domain>, file: usize, name: &Spanned<String>) -> Option<PhaseId> {
        let phases = domain?.phases();
        if let Some(k) = phases.iter().position(|p| &p.name == name.get_ref()) {
            return Some(PhaseId::from_index(k));
        }
        let hint = match did_you_mean(name.get_ref(), phases.iter().map(|p| p.name.as_str())) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "name one of the case's [[phases]]".into(),
        };
        self.error(
            "unknown-phase",
            file,
            name.span().start,
            format!("no phase is called `{name}`", name = name.get_ref()),
            Some(hint),
        );
        None
    }

    fn commitment(
        &mut self,
        file: usize,
        item: &Spanned<RawCommitment>,
        domain: Option<&Domain>,
    ) -> Option<DeclaredCommitment> {
        let c = item.get_ref();
        let at = item.span().start;
        let owed_by: Vec<Option<PartyId>> = c.owed_by.iter().map(|p| self.party_ref(file, p)).collect();
        let phase = c.phase.as_ref().map(|p| self.phase_ref(domain, file, p));
        let basis = self.basis(file, &c.cite, c.assumption.as_ref());
        let missing = |this: &mut Self, key: &str, kind: &str| {
            this.error(
                "commitment-shape",
                file,
                at,
                format!("a `{kind}` commitment needs `{key}`"),
                Some("see docs/monitoring.md for what each kind of commitment holds".into()),
            );
        };
        let kind = match c.kind.as_ref().map(|k| (k.get_ref().as_str(), k.span().start)) {
            None => Some(None),
            Some(("total", _)) => match c.total {
                Some(total) => {
                    let schedule: Option<Vec<Batch>> =
                        c.schedule.iter().map(|b| Batch::new(b.day, b.count).ok()).collect();
                    if schedule.is_none() {
                        self.error(
                            "day-outside-phase",
                            file,
                            at,
                            "a phase's days count from 1",
                            Some("a batch is `{ day = N, count = M }`, N from 1".into()),
                        );
                    }
                    schedule.map(|schedule| Some(CommitmentKind::Total { total, schedule, by_day: c.by_day }))
                }
                None => {
                    missing(self, "total", "total");
                    None
                }
            },
            Some(("rate", _)) => match c.per_day {
                Some(per_day) => Some(Some(CommitmentKind::Rate {
                    per_day,
                    tolerance: c.tolerance.unwrap_or(0.0),
                    window_days: c.window_days.unwrap_or(1),
                })),
                None => {
                    missing(self, "per_day", "rate");
                    None
                }
            },
            Some(("deadline", _)) => match c.by_day {
                Some(by_day) => Some(Some(CommitmentKind::Deadline { by_day })),
                None => {
                    missing(self, "by_day", "deadline");
                    None
                }
            },
            Some(("hold", _)) => Some(Some(CommitmentKind::Hold)),
            Some(("gate", _)) if c.after.is_empty() => {
                missing(self, "after", "gate");
                None
            }
            Some(("gate", _)) => Some(Some(CommitmentKind::Gate { after: c.after.clone() })),
            Some((other, at)) => {
                let hint = match did_you_mean(other, KINDS.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "one of `total`, `rate`, `deadline`, `hold`, `gate`".into(),
                };
                self.error("unknown-kind", file, at, format!("no kind of commitment `{other}`"), Some(hint));
                None
            }
        };
        Some(DeclaredCommitment {
            id: c.id.get_ref().clone(),
            owed_by: owed_by.into_iter().collect::<Option<Vec<_>>>()?,
            unit: c.unit.clone(),
            phase: phase.map_or(Some(None), |p| p.map(Some))?,
            kind: kind?,
            basis,
            notes: c.notes.clone(),
        })
    }
}
