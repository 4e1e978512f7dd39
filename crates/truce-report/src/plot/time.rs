//! Time on a time axis: the positions of every proposal over time, and the red lines over time, both
//! drawn against dates. A date known only to the month (or year) is drawn as the span of days it may
//! be, never as a point; proposals are numbered in date order below the axis, their numbers placed
//! in rows so that none overlaps another (the numbers are those of the tables beside the plots).

use truce_analysis::{Evaluation, Findings, Subject, timeline};
use truce_model::{Case, PartialDate, PartyId, RedLine};

use super::canvas::{Anchor, Canvas, Rect, Stroke, Text, text_box, text_width};
use super::{PALETTE, legend, party_colour};

/// The day number of a full date (days since 1970-01-01; Hinnant's `days_from_civil`).
fn day_number(d: PartialDate) -> f64 {
    let y = i64::from(d.year()) - i64::from(d.month().unwrap_or(1) <= 2);
    let m = i64::from(d.month().unwrap_or(1));
    let day = i64::from(d.day().unwrap_or(1));
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    #[allow(clippy::cast_precision_loss)]
    let days = (era * 146_097 + doe - 719_468) as f64;
    days
}

/// The days a date may be: from the start of its first day to the end of its last.
pub(crate) fn span(d: PartialDate) -> (f64, f64) {
    (day_number(d.first_day()), day_number(d.last_day()) + 1.0)
}

/// A horizontal time axis from `start` to `end` (day numbers) over pixels `x0..x1`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Axis {
    pub start: f64,
    pub end: f64,
    pub x0: f64,
    pub x1: f64,
}

impl Axis {
    /// An axis covering every date given, padded by a fortnight each side.
    fn over(dates: impl IntoIterator<Item = PartialDate>, x0: f64, x1: f64) -> Option<Self> {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for d in dates {
            let (a, b) = span(d);
            lo = lo.min(a);
            hi = hi.max(b);
        }
        (lo.is_finite() && hi > lo).then_some(Self { start: lo - 14.0, end: hi + 14.0, x0, x1 })
    }

    pub(crate) fn x(&self, day: f64) -> f64 {
        self.x0 + (day - self.start) / (self.end - self.start) * (self.x1 - self.x0)
    }

    /// Month ticks along `y`, labelled `2024-03` every `step` months, `step` the smallest of 1, 2, 3,
    /// 6 and 12 at which the labels do not touch.
    fn draw(&self, c: &mut Canvas, y: f64) {
        c.line((self.x0, y), (self.x1, y), Stroke::solid("#333", 1.0));
        let per_month = (self.x1 - self.x0) / (self.end - self.start) * 30.44;
        let label_width = text_width("2024-00", 11.0, false) + 10.0;
        let step =
            [1, 2, 3, 6, 12].into_iter().find(|s| f64::from(*s) * per_month > label_width).unwrap_or(24);
        let start = date_of(self.start);
        let (mut year, mut month) = (start.0, start.1);
        loop {
            // The first of the next month.
            month += 1;
            if month > 12 {
                month = 1;
                year += 1;
            }
            let Ok(d) = PartialDate::ymd(year, u8::try_from(month).unwrap_or(1), 1) else { break };
            let day = day_number(d);
            if day > self.end {
                break;
            }
            let x = self.x(day);
            let labelled = (year * 12 + month - 1) % step == 0;
            c.line((x, y), (x, y + if labelled { 5.0 } else { 3.0 }), Stroke::solid("#333", 1.0));
            if labelled {
                let text = if step == 12 { format!("{year}") } else { format!("{year}-{month:02}") };
                c.text(x, y + 17.0, &text, Text::plain(11.0).anchor(Anchor::Middle).colour("#333"));
            }
        }
    }
}

/// The (year, month) of a day number.
fn date_of(day: f64) -> (i32, i32) {
    #[allow(clippy::cast_possible_truncation)]
    let z = day.floor() as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (i32::try_from(y).unwrap_or(1970), i32::try_from(m).unwrap_or(1))
}

/// The dated proposals in date order with their evaluations, numbered from 1.
pub(crate) fn dated_proposals<'f>(case: &Case, f: &'f Findings) -> Vec<(usize, PartialDate, &'f Evaluation)> {
    timeline(case)
        .into_iter()
        .filter_map(|id| f.evaluations.iter().find(|e| e.subject == Subject::Proposal(id)))
        .enumerate()
        .filter_map(|(k, e)| match e.subject {
            Subject::Proposal(id) => case.proposal(id).date.map(|d| (k + 1, d, e)),
            Subject::Outcome(_) => None,
        })
        .collect()
}

/// The proposals' numbers under the axis, in as many rows as they need (each at its date: a tick
/// for a day, a bracket for a month); returns the height used.
fn numbers(c: &mut Canvas, axis: &Axis, y: f64, items: &[(usize, PartialDate)]) -> f64 {
    let size = 10.5;
    let mut rows: Vec<Vec<Rect>> = Vec::new();
    for &(k, d) in items {
        let (a, b) = span(d);
        let x = 0.5 * (axis.x(a) + axis.x(b));
        let text = k.to_string();
        let mut row = 0;
        let rect = loop {
            let baseline = y + 12.0 + 13.0 * f64::from(u16::try_from(row).unwrap_or(0));
            let r = text_box(&text, x, baseline, size, Anchor::Middle, false);
            if rows.get(row).is_none_or(|taken| !taken.iter().any(|t| t.overlaps(&r.grow(1.5)))) {
                break (r, baseline);
            }
            row += 1;
        };
        if rows.len() <= row {
            rows.resize(row + 1, Vec::new());
        }
        rows[row].push(rect.0);
        if b - a > 1.5 {
            c.line((axis.x(a), y + 1.5), (axis.x(b), y + 1.5), Stroke::solid("#555", 2.0));
        } else {
            c.line((x, y), (x, y + 3.0), Stroke::solid("#555", 1.0));
        }
        c.text(x, rect.1, &text, Text::plain(size).anchor(Anchor::Middle).colour("#444"));
    }
    12.0 + 13.0 * f64::from(u16::try_from(rows.len()).unwrap_or(1))
}

const WIDTH: f64 = 900.0;

/// Positions over time: each dated proposal's utility to each negotiator, against its date. A date
/// known to the month is a horizontal bar over the month; a partial proposal, a vertical bar from
/// its worst to its best completion; each party's line joins the middles, its reservation value
/// dashed. `None` with fewer than two dated proposals.
#[must_use]
pub(crate) fn positions(case: &Case, f: &Findings) -> Option<String> {
    let items = dated_proposals(case, f);
    if items.len() < 2 {
        return None;
    }
    let (left, top, plot_h) = (56.0, 34.0, 300.0);
    let axis = Axis::over(items.iter().map(|i| i.1), left, WIDTH - 20.0)?;
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for (_, _, e) in &items {
        for v in &e.parties {
            if let Some(u) = v.utility {
                lo = lo.min(u.low);
                hi = hi.max(u.high);
            }
        }
    }
    let y = |u: f64| top + (hi - u) / (hi - lo) * plot_h;
    let mut c = Canvas::new(WIDTH, 0.0);
    c.text(left, 20.0, &format!("{}: positions over time", case.title), Text::plain(15.0).bold());
    // Vertical axis.
    for t in super::canvas::ticks(lo, hi, 5) {
        c.line((left, y(t)), (axis.x1, y(t)), Stroke::solid("#eee", 1.0));
        c.text(
            left - 6.0,
            y(t) + 4.0,
            &format!("{t:.1}"),
            Text::plain(11.0).anchor(Anchor::End).colour("#333"),
        );
    }
    c.vertical_text(16.0, top + plot_h / 2.0, "utility", 12.0);
    c.line((left, top), (left, top + plot_h), Stroke::solid("#333", 1.0));
    let base = top + plot_h;
    axis.draw(&mut c, base);
    for (p, party) in f.parties.iter().enumerate() {
        let colour = party_colour(p);
        let d = party.reservation;
        c.line((axis.x0, y(d)), (axis.x1, y(d)), Stroke::dashed(colour, 1.0).faint(0.7));
        let mut line = Vec::new();
        for (k, date, e) in &items {
            let Some(u) = e.parties[p].utility else { continue };
            let (a, b) = span(*date);
            let (xa, xb) = (axis.x(a), axis.x(b));
            let xm = 0.5 * (xa + xb);
            let title = format!(
                "{k}. {} ({date}): utility to {} {}",
                truce_analysis::label(case, &e.subject),
                case.party(party.party).id,
                if u.high - u.low > 5e-5 {
                    format!("{} to {}", crate::fmt::u(u.low), crate::fmt::u(u.high))
                } else {
                    crate::fmt::u(u.low)
                }
            );
            if b - a > 1.5 || u.high - u.low > 5e-5 {
                let r =
                    Rect::new(xa.min(xm - 2.0), y(u.high).min(y(u.low) - 2.0), xb.max(xm + 2.0), y(u.low));
                c.rect(r, colour, 0.22, Some(Stroke::solid(colour, 1.0).faint(0.8)), &title);
            }
            let m = 0.5 * (u.low + u.high);
            c.circle((xm, y(m)), 3.5, colour, None, &title);
            line.push((xm, y(m)));
        }
        c.polyline(&line, Stroke::solid(colour, 1.6), "party-line");
    }
    let used = numbers(&mut c, &axis, base + 24.0, &items.iter().map(|i| (i.0, i.1)).collect::<Vec<_>>());
    let mut entries: Vec<legend::Entry> = f
        .parties
        .iter()
        .enumerate()
        .map(|(p, x)| {
            legend::Entry::line(
                format!("{}: utility of each proposal", case.party(x.party).id),
                party_colour(p),
            )
        })
        .collect();
    entries.push(legend::Entry::dashed("reservation value (the party's colour)", "#666"));
    entries
        .push(legend::Entry::band("utilities of a partial proposal, or a date known to the month", "#888"));
    entries.push(legend::Entry::text_only("numbers under the axis: the proposals, in date order"));
    let bottom = legend::draw(&mut c, left, base + 24.0 + used + 6.0, WIDTH - left - 10.0, &entries);
    c.height = bottom + 8.0;
    Some(c.finish(&format!("{}: positions over time", case.title), "plot positions"))
}

/// A negotiator's red lines in the order the timeline draws them: by party, then by the date each
/// came into force.
fn red_lines<'c>(case: &'c Case, f: &Findings) -> Vec<(usize, PartyId, &'c RedLine)> {
    let mut out: Vec<(usize, PartyId, &RedLine)> = f
        .parties
        .iter()
        .enumerate()
        .flat_map(|(k, p)| {
            let prefs = case.party(p.party).preferences.as_ref();
            prefs.into_iter().flat_map(|x| &x.red_lines).map(move |r| (k, p.party, r))
        })
        .collect();
    out.sort_by_key(|(k, _, r)| (*k, r.since));
    out
}

/// Red lines over time: one row per red line, a bar over the days it is in force (open ends run to
/// the edge; the month a partial date may be is drawn lighter), the analysis date as a line, and the
/// proposals' numbers at their dates. `None` when no red line is dated.
#[must_use]
pub(crate) fn red_lines_timeline(case: &Case, f: &Findings) -> Option<String> {
    let lines = red_lines(case, f);
    if !lines.iter().any(|(_, _, r)| r.is_dated()) {
        return None;
    }
    let items = dated_proposals(case, f);
    let size = 11.5;
    let label_w = lines
        .iter()
        .map(|(_, p, r)| text_width(&format!("{}: {}", case.party(*p).id, r.name), size, false))
        .fold(0.0, f64::max)
        .min(360.0);
    let left = 12.0 + label_w + 10.0;
    let dates = lines
        .iter()
        .flat_map(|(_, _, r)| [r.since, r.until])
        .flatten()
        .chain(items.iter().map(|i| i.1))
        .chain(f.date);
    let axis = Axis::over(dates, left, WIDTH - 20.0)?;
    let mut c = Canvas::new(WIDTH, 0.0);
    c.text(12.0, 20.0, &format!("{}: red lines over time", case.title), Text::plain(15.0).bold());
    let (top, row) = (52.0, 22.0);
    #[allow(clippy::cast_precision_loss)]
    let base = top + row * lines.len() as f64 + 6.0;
    for (_, d, _) in &items {
        let (a, b) = span(*d);
        let x = 0.5 * (axis.x(a) + axis.x(b));
        c.line((x, top - 4.0), (x, base), Stroke::solid("#ddd", 1.0));
    }
    if let Some(d) = f.date {
        let (a, b) = span(d);
        let x = 0.5 * (axis.x(a) + axis.x(b));
        c.line((x, top - 10.0), (x, base), Stroke::dashed("#000", 1.2));
        let text = format!("analysed at {d}");
        let anchor = if x > axis.x1 - text_width(&text, 11.0, false) / 2.0 - 2.0 {
            Anchor::End
        } else {
            Anchor::Middle
        };
        c.text(x, top - 14.0, &text, Text::plain(11.0).anchor(anchor));
    }
    for (k, (p, party, r)) in lines.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let yy = top + row * k as f64;
        let colour = party_colour(*p);
        let in_force = r.in_force(f.date);
        let name = format!("{}: {}", case.party(*party).id, r.name);
        c.text(12.0, yy + 15.0, &name, Text::plain(size).colour(if in_force { "#111" } else { "#777" }));
        let (s0, s1) = r.since.map_or((axis.start, axis.start), span);
        let (u0, u1) = r.until.map_or((axis.end, axis.end), span);
        let title = format!(
            "{name} ({}): {}",
            match (r.since, r.until) {
                (None, None) => "throughout".to_owned(),
                (Some(s), None) => format!("since {s}"),
                (None, Some(u)) => format!("until {u}"),
                (Some(s), Some(u)) => format!("{s} to {u}"),
            },
            r.rule.describe(case.space())
        );
        let opacity = if in_force { 0.85 } else { 0.35 };
        // The days it is surely in force, and the lighter spans its partial dates may be.
        let solid = Rect::new(axis.x(s1), yy + 5.0, axis.x(u0), yy + 17.0);
        let outline = (!in_force).then(|| Stroke::dashed(colour, 1.0));
        c.rect(solid, colour, opacity, outline, &title);
        for (a, b) in [(s0, s1), (u0, u1)] {
            if b - a > 1.5 {
                c.rect(
                    Rect::new(axis.x(a), yy + 5.0, axis.x(b), yy + 17.0),
                    colour,
                    opacity * 0.35,
                    None,
                    &title,
                );
            }
        }
    }
    axis.draw(&mut c, base);
    let used = numbers(&mut c, &axis, base + 24.0, &items.iter().map(|i| (i.0, i.1)).collect::<Vec<_>>());
    let entries = [
        legend::Entry::band("in force at the analysis date", PALETTE[0]),
        legend::Entry::dashed("not in force then: a pale bar, dashed outline", PALETTE[0]),
        legend::Entry::faint_band("lighter ends: a date known only to the month", PALETTE[0]),
        legend::Entry::text_only("numbers under the axis: the proposals, in date order"),
    ];
    let bottom = legend::draw(&mut c, 12.0, base + 24.0 + used + 6.0, WIDTH - 24.0, &entries);
    c.height = bottom + 8.0;
    Some(c.finish(&format!("{}: red lines over time", case.title), "plot red-lines"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_count_days() {
        let d = |y, m, dd| day_number(PartialDate::ymd(y, m, dd).unwrap());
        assert!((d(1970, 1, 1)).abs() < 1e-9);
        assert!((d(2024, 3, 1) - d(2024, 2, 28) - 2.0).abs() < 1e-9, "2024 is a leap year");
        assert_eq!(date_of(d(2024, 7, 15)), (2024, 7));
        assert_eq!(date_of(d(2000, 1, 1)), (2000, 1));
    }

    #[test]
    fn a_month_is_a_span_of_its_days() {
        let july = "2024-07".parse::<PartialDate>().unwrap();
        let (a, b) = span(july);
        assert!((b - a - 31.0).abs() < 1e-9);
        let day = PartialDate::ymd(2024, 7, 2).unwrap();
        let (c, d) = span(day);
        assert!((d - c - 1.0).abs() < 1e-9 && c > a && d < b);
    }
}
