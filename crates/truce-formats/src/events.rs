//! Event logs: what happened under a signed agreement, one observation a row, in CSV or JSON Lines
//! (`docs/monitoring.md`).
//!
//! Columns (CSV header or JSON keys): `date` (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`: its precision),
//! `commitment` (the id of a commitment of the agreement), `quantity` (a number from 0 to
//! [`MAX_QUANTITY`]), `unit` (the commitment's), `source` (a source id of the case), and optionally
//! `actor` (a party id), `place`, `quote` (the source's words, verbatim) and `note`. Every problem is reported at its file,
//! line and column, all at once; two rows of one source that contradict each other (the same
//! commitment, date and place, different quantities) are kept and flagged (`event-dispute`).

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use truce_model::{Case, Commitment, Observation, PartialDate, PartyId, SignedAgreement, SourceId};

use crate::Diagnostic;
use crate::case::suggest::did_you_mean;

/// The largest quantity one row may report: a thousand million million, beyond any count of people,
/// trucks or violations, and below 2^53, so that every whole number up to it is exact. A log's sums
/// stay finite: the rows a file of [`MAX_FILE_BYTES`](crate::MAX_FILE_BYTES) can hold, each at
/// most this, add up to far less than `f64::MAX`.
pub const MAX_QUANTITY: f64 = 1e15;

/// The columns an event log may hold, in the documented order.
pub const EVENT_COLUMNS: &[&str] =
    &["date", "commitment", "quantity", "unit", "actor", "place", "source", "quote", "note"];

/// The observations read, and the warnings (disputes) about them.
#[derive(Clone, Debug, Default)]
pub struct EventLog {
    /// Every row, in file order.
    pub observations: Vec<Observation>,
    /// Rows kept but flagged: one source contradicting itself.
    pub warnings: Vec<Diagnostic>,
}

/// One row of an event log as written, every field text (a quantity too, so that a bad one is
/// reported by the reader, not refused here): what a front end that takes observations one at a
/// time (the server's monitoring page) stores, and writes back as JSON Lines or CSV for
/// `truce monitor --events`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventRecord {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: String,
    /// The commitment's id.
    pub commitment: String,
    /// The quantity, as written.
    #[serde(deserialize_with = "text_or_number_required")]
    pub quantity: String,
    /// The commitment's unit.
    pub unit: String,
    /// The party that delivered or violated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// Where.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// A source id of the case.
    pub source: String,
    /// The source's words, verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Anything else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn text_or_number_required<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(text_or_number(d)?.unwrap_or_default())
}

impl EventRecord {
    /// The row as one line of a JSON Lines log (no newline).
    #[must_use]
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Rows as a JSON Lines log, one line each.
#[must_use]
pub fn write_jsonl(records: &[EventRecord]) -> String {
    records.iter().map(|r| r.to_line() + "\n").collect()
}

/// Rows as a CSV log with every column's header ([`EVENT_COLUMNS`]), quoted where a field needs it.
#[must_use]
pub fn write_csv(records: &[EventRecord]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(EVENT_COLUMNS);
    for r in records {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        let _ = writer.write_record([
            r.date.clone(),
            r.commitment.clone(),
            r.quantity.clone(),
            r.unit.clone(),
            o(&r.actor),
            o(&r.place),
            r.source.clone(),
            o(&r.quote),
            o(&r.note),
        ]);
    }
    writer.into_inner().map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default()
}

/// One row as written: every field text, so that a bad number is reported, not refused by serde.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRow {
    date: Option<String>,
    commitment: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    quantity: Option<String>,
    unit: Option<String>,
    actor: Option<String>,
    place: Option<String>,
    source: Option<String>,
    quote: Option<String>,
    note: Option<String>,
}

fn text_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Q {
        Number(serde_json::Number),
        // What the CSV reader takes for a number or a boolean but JSON cannot hold (`inf`, `NaN`,
        // `true`): kept as text, so that the row's check names it.
        Float(f64),
        Bool(bool),
        Text(String),
    }
    Ok(Option::<Q>::deserialize(d)?.map(|q| match q {
        Q::Number(n) => n.to_string(),
        Q::Float(f) => f.to_string(),
        Q::Bool(b) => b.to_string(),
        Q::Text(t) => t,
    }))
}

/// Reads an event log for `agreement` of `case`: CSV for a `.csv` file, JSON Lines for `.jsonl`,
/// `.ndjson` or `.json`.
///
/// # Errors
/// Every problem, located: a syntax error, an unknown column, commitment, source or party, a date
/// that is not one or is before the agreement began, a quantity that is not a number from 0 to
/// [`MAX_QUANTITY`], a
/// unit that is not the commitment's, a missing field.
pub fn read_events(
    case: &Case,
    agreement: &SignedAgreement,
    path: &Path,
    text: &str,
) -> Result<EventLog, Vec<Diagnostic>> {
    let commitments = case.commitments(agreement);
    let mut reader = Reader {
        case,
        agreement,
        commitments: &commitments,
        path,
        text,
        log: EventLog::default(),
        starts: Vec::new(),
        errors: Vec::new(),
    };
    match path.extension().and_then(|e| e.to_str()) {
        Some("csv") => reader.csv(),
        Some("jsonl" | "ndjson" | "json") => reader.json_lines(),
        _ => reader.errors.push(
            Diagnostic::error("event-format", path, "an event log is a `.csv` or a `.jsonl` file")
                .with_hint("name the file events.csv (CSV with a header) or events.jsonl (JSON Lines)"),
        ),
    }
    reader.disputes();
    if reader.errors.is_empty() { Ok(reader.log) } else { Err(reader.errors) }
}

struct Reader<'a> {
    case: &'a Case,
    agreement: &'a SignedAgreement,
    commitments: &'a [Commitment],
    path: &'a Path,
    text: &'a str,
    log: EventLog,
    /// Where each observation's row starts.
    starts: Vec<usize>,
    errors: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn error(&mut self, code: &'static str, offset: usize, message: String, hint: Option<String>) {
        let mut d = Diagnostic::error(code, self.path, message).at_offset(self.text, offset);
        d.hint = hint;
        self.errors.push(d);
    }

    fn csv(&mut self) {
        let mut reader =
            csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(self.text.as_bytes());
        let headers = match reader.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                self.error("event-syntax", 0, format!("the header cannot be read: {e}"), None);
                return;
            }
        };
        let mut ok_headers = true;
        for (i, h) in headers.iter().enumerate() {
            if !EVENT_COLUMNS.contains(&h) {
                let hint = match did_you_mean(h, EVENT_COLUMNS.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the columns are {}", EVENT_COLUMNS.join(", ")),
                };
                self.error(
                    "event-unknown-column",
                    field_offset(self.text, 0, i),
                    format!("no column `{h}`"),
                    Some(hint),
                );
                ok_headers = false;
            }
        }
        if !ok_headers {
            return;
        }
        let mut record = csv::StringRecord::new();
        loop {
            let start = reader.position().byte();
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let offset = e.position().map_or(start, csv::Position::byte);
                    self.error(
                        "event-syntax",
                        usize::try_from(offset).unwrap_or(0),
                        format!("this row cannot be read: {e}"),
                        Some(
                            "every row has as many fields as the header; quote a field that holds a comma"
                                .into(),
                        ),
                    );
                    continue;
                }
            }
            let start = record.position().map_or(start, csv::Position::byte);
            let start = usize::try_from(start).unwrap_or(0);
            let row: RawRow = match record.deserialize(Some(&headers)) {
                Ok(r) => r,
                Err(e) => {
                    self.error("event-syntax", start, format!("this row cannot be read: {e}"), None);
                    continue;
                }
            };
            let line = record.position().map_or(0, csv::Position::line);
            let column = |name: &str| {
                headers.iter().position(|h| h == name).map_or(start, |i| field_offset(self.text, start, i))
            };
            let offsets: HashMap<&'static str, usize> =
                EVENT_COLUMNS.iter().map(|c| (*c, column(c))).collect();
            self.row(row, start, &offsets, line);
        }
    }

    fn json_lines(&mut self) {
        let mut offset = 0;
        for (k, line) in self.text.split_inclusive('\n').enumerate() {
            let start = offset;
            offset += line.len();
            let body = line.trim();
            if body.is_empty() {
                continue;
            }
            let row: RawRow = match serde_json::from_str(body) {
                Ok(r) => r,
                Err(e) => {
                    let lead = line.len() - line.trim_start().len();
                    let at = start + lead + e.column().saturating_sub(1);
                    self.error(
                        "event-syntax",
                        at,
                        format!("this line is not an event: {e}"),
                        Some(format!("one JSON object a line, with keys among {}", EVENT_COLUMNS.join(", "))),
                    );
                    continue;
                }
            };
            let offsets: HashMap<&'static str, usize> = EVENT_COLUMNS
                .iter()
                .map(|c| (*c, line.find(&format!("\"{c}\"")).map_or(start, |i| start + i)))
                .collect();
            self.row(row, start, &offsets, (k + 1) as u64);
        }
    }

    fn row(&mut self, row: RawRow, start: usize, at: &HashMap<&'static str, usize>, line: u64) {
        let at = |c: &str| at.get(c).copied().unwrap_or(start);
        let mut ok = true;
        let required = |this: &mut Self, name: &'static str, value: Option<String>| -> Option<String> {
            match value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) {
                Some(v) => Some(v),
                None => {
                    this.error(
                        "event-missing-field",
                        start,
                        format!("the row has no `{name}`"),
                        Some(format!("every row gives {}", "date, commitment, quantity, unit and source")),
                    );
                    None
                }
            }
        };
        let date = required(self, "date", row.date);
        let commitment = required(self, "commitment", row.commitment);
        let quantity = required(self, "quantity", row.quantity);
        let unit = required(self, "unit", row.unit);
        let source = required(self, "source", row.source);
        let date = date.and_then(|d| match d.parse::<PartialDate>() {
            Ok(date) if date.last_day() < self.agreement.began => {
                self.error(
                    "event-before-agreement",
                    at("date"),
                    format!("{date} is before the agreement began on {}", self.agreement.began),
                    Some(
                        "an event log records what happened under the agreement, from the day it began"
                            .into(),
                    ),
                );
                None
            }
            Ok(date) => Some(date),
            Err(e) => {
                self.error(
                    "event-date",
                    at("date"),
                    e.to_string(),
                    Some("write YYYY, YYYY-MM or YYYY-MM-DD".into()),
                );
                None
            }
        });
        let commitment = commitment.and_then(|id| match self.commitments.iter().find(|c| c.id == id) {
            Some(c) => Some(c),
            None => {
                let hint = match did_you_mean(&id, self.commitments.iter().map(|c| c.id.as_str())) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "the agreement's commitments are {}",
                        self.commitments.iter().map(|c| format!("`{}`", c.id)).collect::<Vec<_>>().join(", ")
                    ),
                };
                self.error(
                    "event-unknown-commitment",
                    at("commitment"),
                    format!("the agreement has no commitment `{id}`"),
                    Some(hint),
                );
                None
            }
        });
        let quantity = quantity.and_then(|q| match q.parse::<f64>() {
            Ok(v) if (0.0..=MAX_QUANTITY).contains(&v) => Some(v),
            Ok(v) if v > MAX_QUANTITY => {
                self.error(
                    "event-quantity",
                    at("quantity"),
                    format!("a quantity of {v:e}, more than the most a row may report ({MAX_QUANTITY:e})"),
                    Some(
                        "a quantity counts what was delivered or how many violations: a typing error, or a unit too small?"
                            .into(),
                    ),
                );
                None
            }
            Ok(v) => {
                self.error(
                    "event-quantity",
                    at("quantity"),
                    format!("a quantity of {v}"),
                    Some(
                        "a quantity is a number at least 0: what was delivered, or how many violations"
                            .into(),
                    ),
                );
                None
            }
            Err(_) => {
                self.error(
                    "event-quantity",
                    at("quantity"),
                    format!("`{q}` is not a number"),
                    Some("a quantity is a number at least 0, such as 13 or 2.5".into()),
                );
                None
            }
        });
        if let (Some(c), Some(u)) = (commitment, unit.as_ref())
            && &c.unit != u
        {
            self.error(
                "event-unit",
                at("unit"),
                format!("`{}` is counted in `{}`, not `{u}`", c.id, c.unit),
                Some("write the commitment's unit (see `truce monitor`'s list of commitments)".into()),
            );
            ok = false;
        }
        let source = source.and_then(|s| match self.case.source_id(&s) {
            Some(id) => Some(id),
            None => {
                let hint = match did_you_mean(&s, self.case.sources.iter().map(|s| s.id.as_str())) {
                    Some(x) => format!("did you mean `{x}`?"),
                    None => "declare it under [[sources]] in the case".into(),
                };
                self.error(
                    "event-unknown-source",
                    at("source"),
                    format!("the case has no source `{s}`"),
                    Some(hint),
                );
                None
            }
        });
        let actor: Option<Option<PartyId>> =
            match row.actor.map(|a| a.trim().to_owned()).filter(|a| !a.is_empty()) {
                None => Some(None),
                Some(a) => match self.case.party_id(&a) {
                    Some(p) => Some(Some(p)),
                    None => {
                        self.error(
                            "event-unknown-party",
                            at("actor"),
                            format!("the case has no party `{a}`"),
                            Some("an actor is a party id of the case, or left empty".into()),
                        );
                        None
                    }
                },
            };
        let (Some(date), Some(commitment), Some(quantity), Some(unit), Some(source), Some(actor), true) =
            (date, commitment, quantity, unit, source, actor, ok)
        else {
            return;
        };
        let nonempty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        let file = self
            .path
            .file_name()
            .map_or_else(|| self.path.display().to_string(), |f| f.to_string_lossy().into_owned());
        self.starts.push(start);
        self.log.observations.push(Observation {
            date,
            commitment: commitment.id.clone(),
            quantity,
            unit,
            actor,
            place: nonempty(row.place),
            source,
            quote: nonempty(row.quote),
            note: nonempty(row.note),
            origin: Some(format!("{file}:{line}")),
        });
    }

    /// Flags rows of one source that contradict each other: the same commitment, date and place,
    /// different quantities. Both are kept.
    fn disputes(&mut self) {
        let mut seen: HashMap<FactKey<'_>, (f64, Option<&str>)> = HashMap::new();
        let mut warnings = Vec::new();
        for (o, &start) in self.log.observations.iter().zip(&self.starts) {
            let key = (o.source, o.commitment.as_str(), o.date, o.place.as_deref());
            match seen.get(&key) {
                Some((q, origin)) if (q - o.quantity).abs() > f64::EPSILON => {
                    let source = &self.case.source(o.source).id;
                    warnings.push(
                        Diagnostic::warning(
                            "event-dispute",
                            self.path,
                            format!(
                                "{source} gives {} `{}` on {} here and {q} at {}: both kept, the commitment disputed that day",
                                o.quantity,
                                o.commitment,
                                o.date,
                                origin.unwrap_or("another row")
                            ),
                        )
                        .at_offset(self.text, start)
                        .with_hint("if one row corrects the other, remove it; if they count different things, give each its `place`"),
                    );
                }
                Some(_) => {}
                None => {
                    seen.insert(key, (o.quantity, o.origin.as_deref()));
                }
            }
        }
        self.log.warnings.extend(warnings);
    }
}

/// One fact as one source reports it: the source, the commitment, the date, the place.
type FactKey<'a> = (SourceId, &'a str, PartialDate, Option<&'a str>);

/// The byte offset of field `index` of the CSV record starting at `start` (quotes respected).
fn field_offset(text: &str, start: usize, index: usize) -> usize {
    let bytes = text.as_bytes();
    let (mut i, mut field, mut quoted) = (start, 0, false);
    while i < bytes.len() && field < index {
        match bytes[i] {
            b'"' => quoted = !quoted,
            b',' if !quoted => field += 1,
            b'\n' if !quoted => break,
            _ => {}
        }
        i += 1;
    }
    i.min(text.len())
}

/// Reads the event log at `path` from disk (as [`read_events`] reads a text), returning its text too
/// so that diagnostics render.
///
/// # Errors
/// A file that cannot be read (`io`), is not UTF-8, or any problem [`read_events`] reports; with the
/// text when it was read.
pub fn load_events(
    case: &Case,
    agreement: &SignedAgreement,
    path: &Path,
) -> Result<(EventLog, String), (Vec<Diagnostic>, Option<String>)> {
    let bytes = crate::disk::read_bytes(path).map_err(|d| (vec![d], None))?;
    let Ok(text) = String::from_utf8(bytes) else {
        return Err((vec![Diagnostic::error("io", path, "the event log is not UTF-8 text")], None));
    };
    match read_events(case, agreement, path, &text) {
        Ok(log) => Ok((log, text)),
        Err(errors) => Err((errors, Some(text))),
    }
}
