//! A live negotiation's agreement, signed so that it can be followed as implemented (the server's
//! monitoring page, `truce monitor` on its exported record).
//!
//! A text agreed live carries values only: nobody tabled its schedules, days or conditions. They
//! come from the case the negotiation was opened on, which is the text's template:
//!
//! - **Provisions.** Each term takes the provision of the case's latest proposal that gives one for
//!   its issue (when, by which day, after which terms, while talks continue). A schedule or rates by
//!   category count that proposal's value: they are kept only when the live value is the same, since
//!   a schedule must add up to the value it delivers; otherwise the whole value is due by the day
//!   the last batch was.
//! - **The agreement.** The case's last `[[agreements]]` entry, if any, lends what the text says of
//!   itself: the first phase's length as signed (`days`), the last phase covered, the commitments it
//!   declares (a rate, a state to hold) and how sources are reconciled. Its start and extensions are
//!   its own and are not taken: the live agreement began on the day it was reached.
//!
//! What neither gives is no commitment, and the monitoring says so (a commitment a monitor names
//! that the agreement lacks is refused with the list of those it has).

use truce_model::{Case, PartialDate, ProposalId, Provision, SignedAgreement};

use crate::Error;

/// Signs proposal `proposal` of `record` (the record of a live negotiation opened on `template`,
/// with the same issues, phases, parties and sources) as an agreement that began on `began`, taking
/// its provisions and its declared commitments from `template` (see the module's documentation).
/// The record's other signed agreements and the state of play's references to them (the
/// template's, which named its own proposals) are dropped. Returns the agreement's index.
///
/// # Errors
/// [`ErrorKind::Parameter`](crate::ErrorKind::Parameter) when `record` has no proposal `proposal`
/// or `began` is not a day.
pub fn sign_live_agreement(
    record: &mut Case,
    template: &Case,
    proposal: &str,
    began: PartialDate,
) -> Result<usize, Error> {
    if began.day().is_none() {
        return Err(Error::parameter("began", format!("an agreement begins on a day, not in {began}")));
    }
    let index =
        record.proposals.iter().position(|p| p.id == proposal).ok_or_else(|| {
            Error::parameter("agreement", format!("the record has no proposal `{proposal}`"))
        })?;
    if let Some(signed) = record.proposals.get_mut(index) {
        for term in &mut signed.terms {
            let lent = template
                .proposals
                .iter()
                .rev()
                .find_map(|p| p.terms.iter().find(|t| t.issue == term.issue && !t.provision.is_empty()));
            if let Some(lent) = lent {
                let mut provision: Provision = lent.provision.clone();
                if lent.value != term.value {
                    // The whole value is then due by the day the last batch was.
                    let last = provision.schedule.iter().map(|b| b.day).max();
                    provision.by_day = provision.by_day.or(last);
                    provision.schedule.clear();
                    provision.by_category.clear();
                }
                term.provision = provision;
            }
        }
    }
    let model = template.agreements.last();
    let agreement = SignedAgreement {
        proposal: ProposalId::from_index(index),
        began,
        days: model.and_then(|a| a.days),
        last_phase: model.and_then(|a| a.last_phase),
        extensions: Vec::new(),
        commitments: model.map(|a| a.commitments.clone()).unwrap_or_default(),
        reconcile: model.map(|a| a.reconcile.clone()).unwrap_or_default(),
        basis: Default::default(),
        notes: Some("Agreed in a live negotiation: every party accepted this text.".into()),
    };
    for play in &mut record.state_of_play {
        play.agreement = None;
    }
    record.agreements = vec![agreement];
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use truce_model::{ProposalKind, TermValue};

    fn lakeside() -> Case {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../truce-formats/tests/data/monitor/lakeside.toml");
        crate::load_valid(&path).unwrap().loaded.case
    }

    /// The record of a live negotiation that agreed `hostages` = `hostages` and the rest as signed.
    fn record(template: &Case, hostages: i64) -> Case {
        let mut record = template.clone();
        let mut agreed = template.proposals[0].clone();
        agreed.id = "agreement".into();
        agreed.kind = ProposalKind::Agreement;
        for term in &mut agreed.terms {
            term.provision = Provision::default();
            if term.issue.index() == 0 {
                term.value = TermValue::Set { value: truce_model::Value::Int(hostages) };
            }
        }
        record.proposals = vec![agreed];
        record
    }

    #[test]
    fn a_live_agreement_takes_the_templates_provisions_and_declared_commitments() {
        let template = lakeside();
        let mut live = record(&template, 30);
        let began = "2031-06-01".parse().unwrap();
        assert_eq!(sign_live_agreement(&mut live, &template, "agreement", began).unwrap(), 0);
        let signed = &live.agreements[0];
        assert_eq!(signed.began, began);
        assert_eq!(signed.days, Some(4));
        assert!(signed.extensions.is_empty(), "the template's extensions are its own");
        let ids: Vec<String> = live.commitments(signed).into_iter().map(|c| c.id).collect();
        assert_eq!(ids, ["hostages", "checkpoint", "withdrawal", "aid_trucks_per_day", "no_fire"]);
        assert_eq!(live.proposals[0].terms[0].provision.schedule.len(), 3, "same value: the schedule holds");
        let errors: Vec<_> =
            live.validate().into_iter().filter(|p| p.severity == truce_model::Severity::Error).collect();
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn a_schedule_for_another_value_is_not_taken() {
        let template = lakeside();
        let mut live = record(&template, 20);
        sign_live_agreement(&mut live, &template, "agreement", "2031-06-01".parse().unwrap()).unwrap();
        let provision = &live.proposals[0].terms[0].provision;
        assert!(provision.schedule.is_empty());
        assert_eq!(provision.by_day, Some(6), "due by the last batch's day");
        let hostages =
            live.commitments(&live.agreements[0]).into_iter().find(|c| c.id == "hostages").unwrap();
        assert_eq!(
            hostages.kind,
            truce_model::CommitmentKind::Total { total: 20.0, schedule: Vec::new(), by_day: Some(6) }
        );
        let errors: Vec<_> =
            live.validate().into_iter().filter(|p| p.severity == truce_model::Severity::Error).collect();
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn refusals() {
        let template = lakeside();
        let mut live = record(&template, 30);
        let day = "2031-06-01".parse().unwrap();
        assert_eq!(
            sign_live_agreement(&mut live, &template, "nope", day).unwrap_err().kind(),
            crate::ErrorKind::Parameter
        );
        let month = "2031-06".parse().unwrap();
        assert!(sign_live_agreement(&mut live, &template, "agreement", month).is_err());
    }
}
