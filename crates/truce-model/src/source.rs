//! Provenance: the sources a case is built from, citations of them, and the line between sourced facts
//! and the analyst's assumptions.

use serde::{Deserialize, Serialize};

use crate::{ModelError, SourceId};

/// A document the case draws on: an article, a resolution, a statement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// A short id, unique in the case (`reuters-2024-05-31`), used by citations.
    pub id: String,
    /// The document's title.
    pub title: String,
    /// Who published it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// When it was published, as precisely as known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// Where to find it: a web address or a file name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Notes on the source's reliability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Whose word it carries: an official text, a named official, unnamed officials, or a report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<SourceKind>,
}

/// Whose word a source carries, from the weakest to the strongest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A report (news, commentary) that names no official behind the fact.
    Report,
    /// A report of what unnamed officials or sources said.
    UnnamedOfficials,
    /// A report of what a named official said, or a party's own statement.
    NamedOfficial,
    /// The text itself: an agreement, a resolution, an official statement as issued.
    OfficialText,
}

impl SourceKind {
    /// The kind as written in case files.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Report => "report",
            Self::UnnamedOfficials => "unnamed_officials",
            Self::NamedOfficial => "named_official",
            Self::OfficialText => "official_text",
        }
    }
}

/// How well a fact is sourced: the strongest kind among the sources it cites, and how many it cites.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Sourcing {
    /// The strongest kind of source cited (`None`: no cited source says what it is).
    pub strongest: Option<SourceKind>,
    /// The number of distinct sources cited.
    pub sources: usize,
}

impl Sourcing {
    /// How a fact citing `basis` in `case_sources` is sourced.
    #[must_use]
    pub fn of(basis: &Basis, case_sources: &[Source]) -> Self {
        let mut ids: Vec<SourceId> = basis.citations().iter().map(|c| c.source).collect();
        ids.sort_unstable_by_key(|s| s.index());
        ids.dedup();
        let strongest = ids.iter().filter_map(|id| case_sources.get(id.index()).and_then(|s| s.kind)).max();
        Self { strongest, sources: ids.len() }
    }

    /// The weaker of two (a verdict that rests on several facts is as well sourced as its weakest).
    #[must_use]
    pub fn weaker(self, other: Self) -> Self {
        // A source of no stated kind counts as a report; one report is weaker than two.
        let key = |s: &Self| (s.strongest.unwrap_or(SourceKind::Report), s.sources.min(2));
        if key(&other) < key(&self) { other } else { self }
    }

    /// In words: "an official text", "a named official", "unnamed officials", "a single report",
    /// "2 reports", "no source".
    #[must_use]
    pub fn describe(&self) -> String {
        match (self.strongest, self.sources) {
            (_, 0) => "no source".into(),
            (Some(SourceKind::OfficialText), _) => "an official text".into(),
            (Some(SourceKind::NamedOfficial), _) => "a named official".into(),
            (Some(SourceKind::UnnamedOfficials), _) => "unnamed officials".into(),
            (_, 1) => "a single report".into(),
            (_, n) => format!("{n} reports"),
        }
    }
}

/// A citation of one source, with the words it relies on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Citation {
    /// The source cited.
    pub source: SourceId,
    /// The passage relied on, verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
}

/// Why a stated fact or a number is in the model.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Basis {
    /// Stated by the cited sources.
    Sourced {
        /// At least one citation.
        citations: Vec<Citation>,
    },
    /// The analyst's judgement (weights, probabilities, option scores), with the reason for it and any
    /// sources that informed it.
    Assumption {
        /// Why this value was chosen.
        rationale: String,
        /// Sources that informed the judgement.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        citations: Vec<Citation>,
    },
    /// Neither sourced nor marked as an assumption (linted as a warning in terms and red lines).
    #[default]
    Unsourced,
}

impl Basis {
    /// The citations, whichever the kind.
    #[must_use]
    pub fn citations(&self) -> &[Citation] {
        match self {
            Self::Sourced { citations } | Self::Assumption { citations, .. } => citations,
            Self::Unsourced => &[],
        }
    }

    /// Whether this is a sourced fact.
    #[must_use]
    pub fn is_sourced(&self) -> bool {
        matches!(self, Self::Sourced { .. })
    }

    /// Whether this is the analyst's assumption.
    #[must_use]
    pub fn is_assumption(&self) -> bool {
        matches!(self, Self::Assumption { .. })
    }
}

/// A calendar date known to the year, the month or the day (`2024`, `2024-01`, `2024-01-28`): press
/// reports are often no more precise than that. Orders chronologically, a less precise date first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PartialDate {
    year: i32,
    month: Option<u8>,
    day: Option<u8>,
}

impl PartialDate {
    /// A date known to the day.
    ///
    /// # Errors
    /// [`ModelError::InvalidDate`] if the day does not exist.
    pub fn ymd(year: i32, month: u8, day: u8) -> Result<Self, ModelError> {
        Self::new(year, Some(month), Some(day))
    }

    fn new(year: i32, month: Option<u8>, day: Option<u8>) -> Result<Self, ModelError> {
        let bad =
            |why: &str| ModelError::InvalidDate { text: format_parts(year, month, day), reason: why.into() };
        if !(1..=9999).contains(&year) {
            return Err(bad("the year must be between 1 and 9999"));
        }
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            return Err(bad("the month must be between 01 and 12"));
        }
        if let Some(d) = day {
            let Some(m) = month else { return Err(bad("a day needs a month")) };
            if d == 0 || d > days_in_month(year, m) {
                return Err(bad("that day does not exist in that month"));
            }
        }
        Ok(Self { year, month, day })
    }

    /// The year.
    #[must_use]
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month (1-12), if known.
    #[must_use]
    pub fn month(self) -> Option<u8> {
        self.month
    }

    /// The day of the month, if known.
    #[must_use]
    pub fn day(self) -> Option<u8> {
        self.day
    }

    /// The first day this date may be: itself when known to the day, else the first day of its month
    /// or year (`2024-07` gives `2024-07-01`).
    #[must_use]
    pub fn first_day(self) -> Self {
        Self { year: self.year, month: Some(self.month.unwrap_or(1)), day: Some(self.day.unwrap_or(1)) }
    }

    /// The last day this date may be: itself when known to the day, else the last day of its month or
    /// year (`2024-02` gives `2024-02-29`).
    #[must_use]
    pub fn last_day(self) -> Self {
        let month = self.month.unwrap_or(12);
        Self {
            year: self.year,
            month: Some(month),
            day: Some(self.day.unwrap_or(days_in_month(self.year, month))),
        }
    }
}

/// Whether the period from the first day of `since` to the last day of `until` (either end open when
/// `None`) includes at least one of the days `date` may be.
pub(crate) fn period_overlaps(
    since: Option<PartialDate>,
    until: Option<PartialDate>,
    date: PartialDate,
) -> bool {
    since.is_none_or(|s| s.first_day() <= date.last_day())
        && until.is_none_or(|u| date.first_day() <= u.last_day())
}

/// Whether a period ends before it begins (`until`'s last day before `since`'s first day).
pub(crate) fn period_is_reversed(since: Option<PartialDate>, until: Option<PartialDate>) -> bool {
    matches!((since, until), (Some(s), Some(u)) if u.last_day() < s.first_day())
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

fn format_parts(year: i32, month: Option<u8>, day: Option<u8>) -> String {
    match (month, day) {
        (Some(m), Some(d)) => format!("{year:04}-{m:02}-{d:02}"),
        (Some(m), None) => format!("{year:04}-{m:02}"),
        _ => format!("{year:04}"),
    }
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&format_parts(self.year, self.month, self.day))
    }
}

impl std::str::FromStr for PartialDate {
    type Err = ModelError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || ModelError::InvalidDate {
            text: text.to_owned(),
            reason: "expected YYYY, YYYY-MM or YYYY-MM-DD".into(),
        };
        let parts: Vec<&str> = text.split('-').collect();
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        match parts[..] {
            [y] if digits(y, 4) => Self::new(y.parse().map_err(|_| bad())?, None, None),
            [y, m] if digits(y, 4) && digits(m, 2) => {
                Self::new(y.parse().map_err(|_| bad())?, Some(m.parse().map_err(|_| bad())?), None)
            }
            [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2) => Self::new(
                y.parse().map_err(|_| bad())?,
                Some(m.parse().map_err(|_| bad())?),
                Some(d.parse().map_err(|_| bad())?),
            ),
            _ => Err(bad()),
        }
    }
}

impl TryFrom<String> for PartialDate {
    type Error = ModelError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<PartialDate> for String {
    fn from(date: PartialDate) -> Self {
        date.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fact_is_as_well_sourced_as_its_strongest_source_and_a_verdict_as_its_weakest_fact() {
        let source = |id: &str, kind| Source {
            id: id.into(),
            title: id.into(),
            publisher: None,
            date: None,
            location: None,
            notes: None,
            kind,
        };
        let sources = vec![
            source("text", Some(SourceKind::OfficialText)),
            source("named", Some(SourceKind::NamedOfficial)),
            source("rumour", Some(SourceKind::UnnamedOfficials)),
            source("news", None),
            source("wire", Some(SourceKind::Report)),
        ];
        let cite = |ids: &[u32]| Basis::Sourced {
            citations: ids.iter().map(|&i| Citation { source: SourceId(i), quote: None }).collect(),
        };
        let of = |ids: &[u32]| Sourcing::of(&cite(ids), &sources);
        assert_eq!(of(&[0, 3]).describe(), "an official text");
        assert_eq!(of(&[2, 1]).describe(), "a named official");
        assert_eq!(of(&[2]).describe(), "unnamed officials");
        assert_eq!(of(&[3]).describe(), "a single report");
        assert_eq!(of(&[3, 3]).describe(), "a single report", "one source cited twice");
        assert_eq!(of(&[3, 4]).describe(), "2 reports");
        assert_eq!(Sourcing::of(&Basis::Unsourced, &sources).describe(), "no source");
        assert_eq!(of(&[0]).weaker(of(&[3])).describe(), "a single report");
        assert_eq!(of(&[3, 4]).weaker(of(&[3])).describe(), "a single report");
        assert_eq!(of(&[1]).weaker(of(&[0])).describe(), "a named official");
    }

    #[test]
    fn parses_and_prints_each_precision() {
        for text in ["2024", "2024-01", "2024-02-29"] {
            let date: PartialDate = text.parse().unwrap();
            assert_eq!(date.to_string(), text);
        }
    }

    #[test]
    fn rejects_impossible_dates_with_a_reason() {
        for text in ["2023-02-29", "2024-13", "24-01-01", "2024-1-5", "", "2024-01-01-01", "0000"] {
            assert!(text.parse::<PartialDate>().is_err(), "{text} should be rejected");
        }
    }

    #[test]
    fn partial_dates_span_their_first_to_their_last_day() {
        let date = |t: &str| t.parse::<PartialDate>().unwrap();
        assert_eq!(date("2024-02").first_day(), date("2024-02-01"));
        assert_eq!(date("2024-02").last_day(), date("2024-02-29"));
        assert_eq!(date("2023").last_day(), date("2023-12-31"));
        assert_eq!(date("2024-07-06").first_day(), date("2024-07-06"));
        assert_eq!(date("2024-07-06").last_day(), date("2024-07-06"));
    }

    #[test]
    fn orders_less_precise_dates_first() {
        let year: PartialDate = "2024".parse().unwrap();
        let month: PartialDate = "2024-01".parse().unwrap();
        let day: PartialDate = "2024-01-28".parse().unwrap();
        let later: PartialDate = "2024-02".parse().unwrap();
        assert!(year < month && month < day && day < later);
    }
}
