//! Signed agreements: a proposal marked signed, the day its first phase began, the extensions agreed
//! after, the commitments the text does not let Truce derive, and how several sources' accounts of
//! what was delivered are reconciled.
//!
//! Days count from the agreement's start: day 1 is the day the first phase began. A phase lasts its
//! [`Phase::duration_days`](crate::Phase::duration_days) (the agreement's `days` overrides the
//! first's), each extension adds days to the phase in force when it was agreed, and the next phase
//! begins the day after. [`Case::commitments`](crate::Case::commitments) derives the measurable
//! commitments ([`crate::Commitment`]) from this and the text.

use serde::{Deserialize, Serialize};

use crate::{Basis, CommitmentKind, PartialDate, PartyId, PhaseId, ProposalId, SourceId};

/// A proposal signed and in force from a date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignedAgreement {
    /// The proposal signed (its terms and provisions are the text followed).
    pub proposal: ProposalId,
    /// The day the first phase began (known to the day).
    pub began: PartialDate,
    /// The first phase's length as signed, in days (overrides the phase's `duration_days`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// The last phase the agreement covers (`None`: every phase of the case); later phases are not
    /// placed on its calendar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_phase: Option<PhaseId>,
    /// Extensions agreed after signature, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension>,
    /// Commitments declared where the text does not let them be derived (or to complete a derived
    /// one with who owes it, its unit, its tolerance).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commitments: Vec<DeclaredCommitment>,
    /// How several sources' accounts of one fact are reconciled.
    #[serde(default)]
    pub reconcile: Reconciliation,
    /// Where the signature and start are reported.
    #[serde(default)]
    pub basis: Basis,
    /// Anything else worth knowing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// Days added to the phase in force.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Extension {
    /// When the extension was agreed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreed: Option<PartialDate>,
    /// The phase extended (`None`: the first phase, or the only one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<PhaseId>,
    /// How many days it adds.
    pub days: u32,
    /// Where it is reported.
    #[serde(default)]
    pub basis: Basis,
    /// Anything else worth knowing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// A commitment written in the case: an id events name, who owes it, what it commits to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeclaredCommitment {
    /// The id event logs name (`aid_trucks`); the name of a term's issue completes that term's
    /// derived commitment instead of adding one.
    pub id: String,
    /// The parties that owe it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owed_by: Vec<PartyId>,
    /// The unit events count it in (`people`, `trucks`, `violations`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The phase it belongs to (`None`: the term's phase, or the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<PhaseId>,
    /// What it commits to (`None`: what the term's provision says).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<CommitmentKind>,
    /// Where it is reported.
    #[serde(default)]
    pub basis: Basis,
    /// Anything else worth knowing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// How several sources' accounts of one fact on one day are reconciled. They are always kept side by
/// side; the rule says which one the status is computed from, and none averages them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Reconciliation {
    /// The figure least favourable to the party owing it (the smallest delivery, the most violations),
    /// the dispute noted (as ACLED keeps its figures).
    #[default]
    MostConservative,
    /// The first source in this order that reports the fact; sources not listed come after, in the
    /// case's order.
    Trust {
        /// The sources, the most trusted first.
        order: Vec<SourceId>,
    },
    /// No reconciliation: one status per source, and the commitment disputed where they differ.
    PerSource,
}

impl Reconciliation {
    /// The rule as written in case files.
    #[must_use]
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::MostConservative => "most_conservative",
            Self::Trust { .. } => "trust",
            Self::PerSource => "per_source",
        }
    }
}

/// A day number: days since 0001-01-01 (the proleptic Gregorian calendar), for date arithmetic.
#[must_use]
pub fn day_number(date: PartialDate) -> i64 {
    let d = date.first_day();
    let (y, m, dd) =
        (i64::from(d.year()), i64::from(d.month().unwrap_or(1)), i64::from(d.day().unwrap_or(1)));
    // Howard Hinnant's days_from_civil, shifted to a positive epoch.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + dd - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe
}

/// The date of a day number (the inverse of [`day_number`]); `None` outside years 1 to 9999.
#[must_use]
pub fn date_of_day(n: i64) -> Option<PartialDate> {
    let era = n.div_euclid(146_097);
    let doe = n - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    PartialDate::ymd(i32::try_from(y).ok()?, u8::try_from(m).ok()?, u8::try_from(d).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip_and_count_days() {
        let date = |t: &str| t.parse::<PartialDate>().unwrap();
        for t in ["2023-11-24", "2024-02-29", "2024-03-01", "0001-01-01", "9999-12-31", "2000-02-29"] {
            assert_eq!(date_of_day(day_number(date(t))), Some(date(t)), "{t}");
        }
        assert_eq!(day_number(date("2023-12-01")) - day_number(date("2023-11-24")), 7);
        assert_eq!(day_number(date("2024-03-01")) - day_number(date("2024-02-28")), 2);
        assert_eq!(day_number(date("2023-03-01")) - day_number(date("2023-02-28")), 1);
        assert_eq!(
            day_number(date("2023-11")),
            day_number(date("2023-11-01")),
            "a month counts from its first day"
        );
    }
}
