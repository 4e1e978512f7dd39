//! A case on a chosen day: the red lines in force then (the model's rule,
//! [`truce_model::RedLine::in_force`]), whether any outcome is acceptable to every party (decided by
//! the analysis' zone of agreement, whatever the format of the case), which red lines close the zone
//! when none is, and whether the verdict rests on a date known only to the month or year.

use std::fmt;

use truce_analysis::{Analysis, Blocker, Bridging, Findings, Limits};
use truce_model::{Case, PartialDate};
use truce_sim::Scenario;

use crate::Error;

/// What a simulation of `case` on a day starts from.
#[derive(Clone, Debug, PartialEq)]
pub struct Day {
    /// The date (`None`: the case has no `as_of` and none was given; the red lines without `until`
    /// count).
    pub date: Option<PartialDate>,
    /// Whether some outcome is acceptable to every party.
    pub zone: ZoneVerdict,
    /// Red lines in force on only some of the days a partial date may be: the verdict counts them as
    /// in force.
    pub in_part: Vec<RedLineName>,
}

/// A party's red line, by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedLineName {
    /// The party's id.
    pub party: String,
    /// The red line's name.
    pub red_line: String,
}

/// Whether the zone of agreement is open on the day.
#[derive(Clone, Debug, PartialEq)]
pub enum ZoneVerdict {
    /// Some outcome is acceptable to every party.
    Open,
    /// No outcome is: every negotiation ends without agreement.
    Closed {
        /// The smallest sets of what to relax to open it (a red line, or a party's reservation
        /// value when `red_line` is `None`).
        relaxations: Vec<Vec<Closer>>,
    },
    /// The zone is too large to decide exactly within the analysis' limits.
    Unknown,
}

/// One thing whose relaxation helps open the zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Closer {
    /// The party's id.
    pub party: String,
    /// The red line, or `None` for the party's reservation value.
    pub red_line: Option<String>,
}

impl Day {
    /// The day of `case` at `date` (default: its `as_of`), with the analysis behind the verdict
    /// (`None` when the case is past the analysis' limits: the verdict is then
    /// [`ZoneVerdict::Unknown`], and a simulation still runs).
    #[must_use]
    pub fn of(case: &Case, date: Option<PartialDate>) -> (Self, Option<Findings>) {
        let date = date.or(case.as_of);
        // The verdict needs the zone's frontier (exact at any size for additive utilities) and the
        // red lines that close it, not exact ranks or counts: small counting and sampling budgets keep
        // a day quick on cases with many proposals.
        let limits = Limits { counting: 1 << 12, samples: 1_000, ..Limits::default() };
        let findings = Analysis::new(case)
            .at(date)
            .with_bridging(1)
            .with_sensitivity(false)
            .with_cloud(false)
            .with_limits(limits)
            .run()
            .ok();
        let zone = match findings.as_ref().and_then(zone_is_empty) {
            Some(false) => ZoneVerdict::Open,
            None => ZoneVerdict::Unknown,
            Some(true) => ZoneVerdict::Closed {
                relaxations: findings.as_ref().map(|f| relaxations(case, f)).unwrap_or_default(),
            },
        };
        let in_part = date
            .map(|d| {
                case.negotiators()
                    .flat_map(|(id, prefs)| prefs.red_lines.iter().map(move |r| (id, r)))
                    .filter(|(_, r)| r.in_force_in_part(d))
                    .map(|(id, r)| RedLineName { party: case.party(id).id.clone(), red_line: r.name.clone() })
                    .collect()
            })
            .unwrap_or_default();
        (Self { date, zone, in_part }, findings)
    }

    /// The scenario agents negotiate over on this day: every negotiator with the red lines in force
    /// then, its sampled pools seeded with `pool_seed`.
    ///
    /// # Errors
    /// [`ErrorKind::Input`](crate::ErrorKind::Input) when the case has fewer than two negotiators, or
    /// a party finds no outcome acceptable at all.
    pub fn scenario(&self, case: &Case, pool_seed: u64) -> Result<Scenario, Error> {
        let parties = case
            .negotiators()
            .map(|(id, prefs)| {
                let party = case.party(id);
                (party.id.clone(), party.name.clone(), prefs.in_force(self.date))
            })
            .collect();
        let scenario = Scenario::new(case.id.clone(), case.domain.clone(), parties)
            .map_err(|e| Error::new(crate::ErrorKind::Input, e.to_string()))?
            .with_pool_seed(pool_seed);
        scenario.check_acceptable().map_err(|e| {
            let when = self.date.map_or(String::new(), |d| format!(" on {d}"));
            Error::new(crate::ErrorKind::Input, format!("{e}{when}"))
        })?;
        Ok(scenario)
    }

    /// Whether the zone is closed.
    #[must_use]
    pub fn is_closed(&self) -> bool {
        matches!(self.zone, ZoneVerdict::Closed { .. })
    }

    /// What a person should know before a negotiation of this day runs, one sentence a line: the
    /// zone closed and by what, a verdict resting on a partial date. Empty when there is nothing to
    /// say.
    #[must_use]
    pub fn notes(&self, name: &str) -> Vec<String> {
        let on = self.date.map_or_else(String::new, |d| format!("on {d}, "));
        let mut notes = Vec::new();
        if let ZoneVerdict::Closed { relaxations } = &self.zone {
            let mut note =
                format!("{on}no outcome of `{name}` is acceptable to every party: no agreement is possible");
            let sets: Vec<String> =
                relaxations.iter().take(3).map(|set| and_list(set.iter().map(Closer::to_string))).collect();
            if !sets.is_empty() {
                note.push_str(&format!("; the zone opens if {} gave way", or_list(sets)));
            }
            notes.push(note);
        }
        if let Some(d) = self.date.filter(|_| !self.in_part.is_empty()) {
            let lines = and_list(self.in_part.iter().map(|r| format!("{}'s `{}`", r.party, r.red_line)));
            let what = if d.day().is_none() && d.month().is_some() { "a month" } else { "a year" };
            notes.push(format!(
                "{d} is {what}, not a day: {lines} {} in force on only some of its days and {} counted as in force; give a day (YYYY-MM-DD) to be sure",
                if self.in_part.len() == 1 { "is" } else { "are" },
                if self.in_part.len() == 1 { "is" } else { "are" },
            ));
        }
        notes
    }
}

impl fmt::Display for Closer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.red_line {
            Some(r) => write!(f, "{}'s red line `{r}`", self.party),
            None => write!(f, "{}'s reservation value", self.party),
        }
    }
}

fn and_list(items: impl Iterator<Item = String>) -> String {
    join(items.collect(), "and")
}

fn or_list(items: Vec<String>) -> String {
    join(items, "or")
}

fn join(mut items: Vec<String>, word: &str) -> String {
    match items.len() {
        0 => String::new(),
        1 => items.remove(0),
        _ => {
            let last = items.pop().unwrap_or_default();
            format!("{} {word} {last}", items.join(", "))
        }
    }
}

/// Whether no outcome is acceptable to every party, exactly: from the zone's exact size, or else from
/// its frontier (an outcome on it is in the zone; an exact frontier with none in the zone means there
/// is none). `None` when neither is exact.
fn zone_is_empty(f: &Findings) -> Option<bool> {
    if f.zone.size.is_exact() {
        return Some(f.zone.size.is_empty());
    }
    if !f.zone.frontier.is_empty() {
        return Some(false);
    }
    let feasible = f.zone.red_lines.as_ref().unwrap_or(&f.frontier);
    feasible.method.is_exact().then_some(true)
}

fn relaxations(case: &Case, f: &Findings) -> Vec<Vec<Closer>> {
    let Some(Bridging::Blocked { relaxations, .. }) = &f.bridging else { return Vec::new() };
    relaxations
        .iter()
        .map(|set| {
            set.iter()
                .map(|b| match *b {
                    Blocker::RedLine { party, index } => Closer {
                        party: case.party(party).id.clone(),
                        red_line: case
                            .party(party)
                            .preferences
                            .as_ref()
                            .and_then(|p| p.red_lines.get(index))
                            .map(|r| r.name.clone()),
                    },
                    Blocker::Reservation { party } => {
                        Closer { party: case.party(party).id.clone(), red_line: None }
                    }
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testcases::gaza;

    #[test]
    fn the_gaza_zone_opens_in_july_2024_and_a_month_says_its_verdict_is_not_certain() {
        let case = gaza();
        let date = |t: &str| Some(t.parse::<PartialDate>().unwrap());
        let (june, _) = Day::of(&case, date("2024-06-15"));
        let ZoneVerdict::Closed { relaxations } = &june.zone else { panic!("closed in June: {june:?}") };
        assert!(
            relaxations.iter().flatten().any(|c| c.party == "hamas" && c.red_line.is_some()),
            "{relaxations:?}"
        );
        let notes = june.notes("gaza-2024");
        assert!(
            notes[0].starts_with("on 2024-06-15, no outcome of `gaza-2024` is acceptable to every party"),
            "{notes:?}"
        );
        assert!(notes[0].contains("hamas's red line `"), "{notes:?}");
        let (july, _) = Day::of(&case, date("2024-07-05"));
        assert_eq!(july.zone, ZoneVerdict::Open);
        assert!(july.notes("gaza-2024").is_empty());
        // Hamas dropped a red line on 1 July, Israel added one in July: the month alone cannot say.
        let (month, _) = Day::of(&case, date("2024-07"));
        assert!(month.in_part.iter().any(|r| r.party == "hamas"), "{:?}", month.in_part);
        let notes = month.notes("gaza-2024");
        assert!(notes.iter().any(|n| n.starts_with("2024-07 is a month, not a day: ")), "{notes:?}");
        // The scenario of a day is built from that day's red lines only.
        let lines = |d: &Day| -> Vec<usize> {
            case.negotiators().map(|(_, p)| p.in_force(d.date).red_lines.len()).collect()
        };
        assert_ne!(lines(&june), lines(&july));
        assert_eq!(july.scenario(&case, 0).unwrap().party_count(), 2);
    }

    #[test]
    fn lists_read_as_sentences() {
        assert_eq!(join(vec!["a".into()], "and"), "a");
        assert_eq!(join(vec!["a".into(), "b".into()], "and"), "a and b");
        assert_eq!(join(vec!["a".into(), "b".into(), "c".into()], "or"), "a, b or c");
    }
}
