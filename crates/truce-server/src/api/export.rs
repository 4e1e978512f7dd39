//! `GET /api/v1/negotiations/{id}/case`: the record as a Truce case file, as the bearer may see
//! it: the case's issues, phases and parties without any preferences, its proposals replaced by the
//! texts, offers and positions of the record, each with the responses recorded to it, and the
//! agreement as a proposal of kind `agreement`, signed (`[[agreements]]`) with the sources its
//! monitors named, so that `truce analyze` reads it and `truce monitor` follows it with the log of
//! `GET .../monitoring/events`.

use std::path::Path;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use truce::model::{
    IssueId, PartialDate, PartyId, Proposal, ProposalKind, Response, Role as CaseRole, Stance, Term,
};
use truce::sim::Event;

use crate::app::{AppState, Participant};
use crate::error::ApiError;
use crate::live::Rules;
use crate::store::EventRow;
use crate::view::{self, Viewer};

/// The civil date (UTC) of a Unix time in milliseconds (H. Hinnant's `civil_from_days`).
#[must_use]
pub fn date_of(ms: i64) -> Option<PartialDate> {
    let z = ms.div_euclid(86_400_000) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    PartialDate::ymd(i32::try_from(year).ok()?, u8::try_from(month).ok()?, u8::try_from(day).ok()?).ok()
}

fn terms(rules: &Rules, outcome: &[u32]) -> Vec<Term> {
    let space = rules.case.domain.space();
    space
        .issues()
        .iter()
        .zip(outcome)
        .enumerate()
        .filter_map(|(k, (issue, &d))| Some(Term::set(IssueId::from_index(k), issue.domain().grid_value(d)?)))
        .collect()
}

/// The record as a case, as `viewer` may see it.
#[must_use]
pub fn record_case(rules: &Rules, viewer: &Viewer, rows: &[EventRow]) -> truce::model::Case {
    let mut case = rules.case.clone();
    for party in &mut case.parties {
        party.preferences = None;
    }
    let mediators: Vec<PartyId> = case
        .parties
        .iter()
        .enumerate()
        .filter(|(_, p)| p.has_role(CaseRole::Mediator))
        .map(|(i, _)| PartyId::from_index(i))
        .collect();
    let party_of = |seat: usize| -> Option<PartyId> {
        let id = &rules.seats.get(seat)?.id;
        case.parties.iter().position(|p| &p.id == id).map(PartyId::from_index)
    };
    let mut proposals: Vec<Proposal> = Vec::new();
    let mut pending_notes: std::collections::HashMap<String, String> = Default::default();
    for row in rows {
        let date = date_of(row.at);
        if row.kind == "note" {
            if let Some(seen) = view::row(rules, viewer, row)
                && let Some(note) = seen.get("event")
            {
                let party = note.get("party").and_then(|v| v.as_str()).unwrap_or_default().to_owned();
                let mut text = note.get("comment").and_then(|v| v.as_str()).unwrap_or_default().to_owned();
                if let Some(a) = note.get("amendment").filter(|a| !a.is_null()) {
                    text = format!("{text} (amendment: {a})").trim().to_owned();
                }
                pending_notes.insert(party, text);
            }
            continue;
        }
        let Ok(event) = serde_json::from_str::<Event>(&row.body) else { continue };
        let Some(event) = view::event(rules, viewer, &event) else { continue };
        let n = proposals.len() + 1;
        let mut respond = |seat: usize, stance: Stance, proposals: &mut Vec<Proposal>| {
            let Some(party) = party_of(seat) else { return };
            let id = rules.seats[seat].id.clone();
            let notes = pending_notes.remove(&id).filter(|n| !n.is_empty());
            let stance = if notes.as_deref().is_some_and(|n| n.contains("(amendment:")) {
                Stance::Countered
            } else {
                stance
            };
            if let Some(last) = proposals.iter_mut().rev().find(|p| p.kind != ProposalKind::Agreement) {
                last.responses.push(Response {
                    party,
                    stance,
                    date,
                    countered_with: None,
                    basis: Default::default(),
                    notes,
                });
            }
        };
        match &event {
            Event::Text { round, outcome, .. } => proposals.push(Proposal {
                id: format!("text-{n}"),
                title: format!("Mediator's text {n} (round {})", round + 1),
                kind: ProposalKind::Bridging,
                date,
                tabled_by: mediators.clone(),
                via: Vec::new(),
                responds_to: None,
                terms: terms(rules, outcome),
                responses: Vec::new(),
                basis: Default::default(),
                notes: None,
            }),
            Event::Offer { round, party, outcome, .. } | Event::Position { round, party, outcome, .. } => {
                let position = matches!(event, Event::Position { .. });
                let who = rules.seats.get(*party).map_or("?", |s| s.id.as_str());
                proposals.push(Proposal {
                    id: format!("{}-{n}", if position { "position" } else { "offer" }),
                    title: format!(
                        "{} of {who} (round {})",
                        if position { "Position" } else { "Offer" },
                        round + 1
                    ),
                    kind: if n == 1 { ProposalKind::Proposal } else { ProposalKind::Counterproposal },
                    date,
                    tabled_by: party_of(*party).into_iter().collect(),
                    via: if position { mediators.clone() } else { Vec::new() },
                    responds_to: None,
                    terms: terms(rules, outcome),
                    responses: Vec::new(),
                    basis: Default::default(),
                    notes: None,
                });
            }
            Event::Accept { party, .. } => respond(*party, Stance::Accepted, &mut proposals),
            Event::Reject { party, .. } => respond(*party, Stance::Rejected, &mut proposals),
            Event::End { party, .. } => respond(*party, Stance::Rejected, &mut proposals),
            Event::Vote { party, accept, .. } => {
                respond(*party, if *accept { Stance::Accepted } else { Stance::Rejected }, &mut proposals);
            }
            Event::Result(result) => {
                if let Some(agreement) = &result.agreement {
                    proposals.push(Proposal {
                        id: "agreement".into(),
                        title: "The agreement".into(),
                        kind: ProposalKind::Agreement,
                        date,
                        tabled_by: mediators.clone(),
                        via: Vec::new(),
                        responds_to: None,
                        terms: terms(rules, agreement),
                        responses: Vec::new(),
                        basis: Default::default(),
                        notes: Some("Every party accepted this text.".into()),
                    });
                }
            }
            Event::Start(_) | Event::Decision { .. } => {}
        }
    }
    case.proposals = proposals;
    case
}

/// `GET .../case`.
pub async fn case(State(state): State<AppState>, who: Participant) -> Result<impl IntoResponse, ApiError> {
    let rules = state.rules(&who.negotiation).await?;
    let rows = state.store.events(&who.negotiation, 0).await?;
    let mut case = record_case(&rules, &who.viewer, &rows);
    // An agreement reached is exported signed, with the sources its monitors named.
    crate::api::monitoring::sign_export(&state, &rules, &who.negotiation, &mut case).await?;
    let (text, _warnings) = truce::formats::case_to_toml(&case, Path::new("case.toml"))
        .map_err(|e| ApiError::internal(&e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, "application/toml; charset=utf-8")], text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(date_of(0).map(|d| d.to_string()), Some("1970-01-01".into()));
        // 2024-02-29T12:00:00Z
        assert_eq!(date_of(1_709_208_000_000).map(|d| d.to_string()), Some("2024-02-29".into()));
    }
}
