//! Time entries from other tools' CSV files: the generic format of the contract, Toggl Track's
//! detailed report, Kimai's timesheet export and Harvest's detailed time report.
//!
//! Members already track time elsewhere; this module takes those files in without retyping. It is
//! pure: the input is the file's text and the co-op's members, projects and kinds of work, the
//! output is rows ready to record or the first reason a file cannot be imported. Three steps:
//!
//! 1. [`parse`] reads the file into [`ImportRow`]s (people as written, dates, minutes). A bad line
//!    fails the whole file: **all or nothing**, and the error names the line (`line N: reason`),
//!    counting the header as line 1 and a quoted field's newlines as lines, as an editor shows them.
//! 2. [`resolve`] matches people to members (by email, or by first and last name for Harvest,
//!    refusing a name two members share) and projects and kinds of work to the co-op's, through a
//!    [`Mapping`] for names the co-op does not know. [`unknown_names`] lists what needs mapping.
//! 3. [`flag_duplicates`] (or [`find_duplicates`]) points at lines that repeat an existing entry or
//!    an earlier line of the same file, for the person importing to look at.
//!
//! # Columns
//!
//! Header names are matched after folding case, `_`/`-` to spaces and dropping punctuation, so
//! `Billable?`, `billable` and `BILLABLE` are one column, and `E-mail` is `e mail`. Columns may come in
//! any order and unknown columns are ignored; a missing required column fails on line 1, naming it.
//!
//! | field    | generic    | Toggl (detailed)   | Kimai                        | Harvest (detailed time) |
//! |----------|------------|--------------------|------------------------------|-------------------------|
//! | person   | `email`    | `Email`            | `Email`/`E-mail`, else `User` holding an email | `First Name` + `Last Name` (an `Email` column wins if present) |
//! | date     | `date`     | `Start date`       | `Date`                       | `Date`                  |
//! | duration | `hours`    | `Duration`         | `Duration`                   | `Hours` (not `Hours Rounded`) |
//! | project  | `project`  | `Project`          | `Project`                    | `Project`               |
//! | kind     | `category` | `Task`             | `Activity`                   | `Task`                  |
//! | note     | `note`     | `Description`      | `Description`                | `Notes`                 |
//! | billable | (`billable`) | `Billable`       | `Billable`                   | `Billable?`             |
//!
//! Kimai's headers are translated with the user's language; besides the English names the German
//! ones (`Datum`, `Dauer`, `Benutzer`, `Projekt`, `Tätigkeit`, `Beschreibung`, `Abrechenbar`) are
//! accepted. Kimai's `Category` column is its timesheet category ("work"), not a kind of work.
//!
//! # Dates
//!
//! Every format takes ISO `2026-03-02`, which is what Toggl and Kimai write and Harvest's default.
//! Kimai also takes `02.03.2026` (day first, its German format), Harvest also `3/2/2026` (month first,
//! the other format Harvest documents). Slashed dates are refused elsewhere: `03/02/2026` means two
//! different days on the two sides of the Atlantic, and a wrong guess would silently move hours.
//!
//! # Durations
//!
//! Read by the co-op's one rule, [`crate::hours::parse_hours`]: decimal hours as Harvest and Kimai
//! write them (`1.5`, `1,5`, `.25`, `8`) and clock durations as Toggl writes them (`1:30`, `01:30:00`),
//! rounded once to the nearest minute, half a minute up (`0.33` is 20 minutes, `00:20:30` is 21).
//! Negative durations and a single entry of more than 24 hours are refused; a zero duration (a Toggl
//! entry of a few seconds) is kept as 0 minutes and left to the caller.
//!
//! The delimiter is a comma, or a semicolon or tab when the header line has more of those (as a
//! spreadsheet saves a CSV in some locales). A UTF-8 byte-order mark, CRLF and old Mac (CR) line ends
//! are accepted.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::num::NonZeroU32;
use std::str::FromStr;

use jiff::civil::Date;

use crate::email::Email;
use crate::hours;

/// Which tool wrote the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// `email,date,hours,project,category,note`, the contract's format.
    Generic,
    /// Toggl Track, Reports > Detailed > Export > CSV.
    Toggl,
    /// Kimai, Export > CSV (timesheets).
    Kimai,
    /// Harvest, Reports > Detailed time > Export > CSV.
    Harvest,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Generic, Format::Toggl, Format::Kimai, Format::Harvest];

    /// The name used by `--format`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Generic => "generic",
            Format::Toggl => "toggl",
            Format::Kimai => "kimai",
            Format::Harvest => "harvest",
        }
    }

    /// How a person would call the file.
    pub fn describe(self) -> &'static str {
        match self {
            Format::Generic => "generic CSV",
            Format::Toggl => "Toggl Track detailed report",
            Format::Kimai => "Kimai export",
            Format::Harvest => "Harvest detailed time report",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Format, String> {
        let s = s.trim().to_ascii_lowercase();
        Format::ALL.into_iter().find(|f| f.as_str() == s).ok_or_else(|| format!("{s:?} is not an import format (expected generic, toggl, kimai or harvest)"))
    }
}

/// Who did the work, as the file names them.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonRef {
    /// A well-formed, lower-cased email address.
    Email(String),
    /// Harvest's first and last name, trimmed, as written.
    Name { first: String, last: String },
}

impl fmt::Display for PersonRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PersonRef::Email(e) => f.write_str(e),
            PersonRef::Name { first, last } => write!(f, "{first} {last}"),
        }
    }
}

/// One time entry as the file has it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ImportRow {
    /// The line the record starts on (the header is line 1).
    pub line: usize,
    pub person: PersonRef,
    pub date: Date,
    /// Whole minutes, 0 to 1440.
    pub minutes: i64,
    /// Trimmed; `None` when empty.
    pub project: Option<String>,
    /// The kind of work (Toggl task, Kimai activity, Harvest task); `None` when empty.
    pub category: Option<String>,
    /// Trimmed; may hold commas and newlines.
    pub note: String,
    /// `None` when the file has no billable column or leaves it empty.
    pub billable: Option<bool>,
}

/// Why a file cannot be imported, at which line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ImportError {
    /// 1-based; the header is line 1.
    pub line: usize,
    pub message: String,
    /// How many further lines are bad too (parse only counts these; 0 elsewhere).
    pub more: usize,
}

impl ImportError {
    pub fn new(line: usize, message: impl Into<String>) -> ImportError {
        ImportError { line, message: message.into(), more: 0 }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)?;
        match self.more {
            0 => Ok(()),
            1 => f.write_str(" (and 1 more bad line after it; nothing was imported)"),
            n => write!(f, " (and {n} more bad lines after it; nothing was imported)"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Headers and detection

/// Folds a header name: lower case, `_` and `-` as spaces, punctuation dropped, spaces collapsed.
fn norm_header(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    let mut space = false;
    for c in h.trim().trim_start_matches('\u{feff}').chars() {
        let c = if c == '_' || c == '-' { ' ' } else { c };
        if c.is_whitespace() {
            space = !out.is_empty();
        } else if c.is_alphanumeric() {
            if space {
                out.push(' ');
                space = false;
            }
            out.extend(c.to_lowercase());
        }
    }
    out
}

fn find(headers: &[String], names: &[&str]) -> Option<usize> {
    names.iter().find_map(|n| headers.iter().position(|h| h == n))
}

/// A duration column: `Duration`, `Duration (h)`, `Duration (h:mm:ss)`, `Dauer`.
fn find_duration(headers: &[String]) -> Option<usize> {
    headers.iter().position(|h| h == "duration" || h.starts_with("duration ") || h == "dauer")
}

const EMAIL: &[&str] = &["email", "e mail", "email address", "user email", "mail"];
const KIMAI_DATE: &[&str] = &["date", "datum"];
const KIMAI_USER: &[&str] = &["user", "username", "benutzer", "benutzername"];
const KIMAI_PROJECT: &[&str] = &["project", "projekt"];
const KIMAI_ACTIVITY: &[&str] = &["activity", "tätigkeit", "taetigkeit", "aktivität"];
const KIMAI_DESCRIPTION: &[&str] = &["description", "beschreibung"];
const KIMAI_BILLABLE: &[&str] = &["billable", "abrechenbar"];
const KIMAI_CUSTOMER: &[&str] = &["customer", "kunde"];

/// Picks the delimiter from the header line: comma unless semicolons or tabs outnumber commas.
fn sniff_delimiter(text: &str) -> u8 {
    // The header is the first line that is not empty (the CSV reader skips empty lines); a line
    // ends at a "\n", or at a lone "\r" as in old Mac files (the CSV reader ends a record there too).
    let first = text.split(['\r', '\n']).find(|l| !l.is_empty()).unwrap_or("");
    let count = |c: char| first.chars().filter(|&x| x == c).count();
    let (commas, semis, tabs) = (count(','), count(';'), count('\t'));
    if tabs > commas && tabs >= semis {
        b'\t'
    } else if semis > commas {
        b';'
    } else {
        b','
    }
}

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(sniff_delimiter(text)).from_reader(text.as_bytes())
}

fn header_names(text: &str) -> Option<Vec<String>> {
    let mut rdr = reader(text);
    let mut rec = csv::StringRecord::new();
    match rdr.read_record(&mut rec) {
        Ok(true) => Some(rec.iter().map(norm_header).collect()),
        _ => None,
    }
}

fn detect_headers(h: &[String]) -> Option<Format> {
    let has = |names: &[&str]| find(h, names).is_some();
    if has(&["first name"]) && has(&["last name"]) && has(&["hours"]) && has(&["date"]) {
        return Some(Format::Harvest);
    }
    if has(&["start date"]) && find_duration(h).is_some() {
        return Some(Format::Toggl);
    }
    if has(KIMAI_DATE) && find_duration(h).is_some() && (has(KIMAI_ACTIVITY) || has(KIMAI_CUSTOMER)) {
        return Some(Format::Kimai);
    }
    if has(EMAIL) && has(&["date"]) && (has(&["hours"]) || find_duration(h).is_some()) {
        return Some(Format::Generic);
    }
    None
}

/// Tells which tool wrote a file from its header line (the whole file's text will do as well).
///
/// Harvest has `First Name`, `Last Name`, `Hours`; Toggl `Start date` and a duration; Kimai
/// `Date`, `Duration` and `Activity` or `Customer`; the generic format `email`, `date`, `hours`.
pub fn detect(header: &str) -> Option<Format> {
    detect_headers(&header_names(strip_bom(header))?)
}

// ---------------------------------------------------------------------------------------------
// Values

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DateStyle {
    /// `YYYY-MM-DD` only.
    Iso,
    /// Also `DD.MM.YYYY`.
    IsoOrDayDotted,
    /// Also `M/D/YYYY`.
    IsoOrUs,
}

fn number(s: &str, min_len: usize, max_len: usize) -> Option<i16> {
    if s.len() < min_len || s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn parse_date(raw: &str, style: DateStyle) -> Result<Date, String> {
    let s = raw.trim();
    let expected = match style {
        DateStyle::Iso => "YYYY-MM-DD",
        DateStyle::IsoOrDayDotted => "YYYY-MM-DD or DD.MM.YYYY",
        DateStyle::IsoOrUs => "YYYY-MM-DD or M/D/YYYY",
    };
    let not_a_date = || {
        if s.is_empty() {
            format!("the date is empty (expected {expected})")
        } else {
            format!("{s:?} is not a date (expected {expected})")
        }
    };
    let ymd = if let Some((y, rest)) = s.split_once('-') {
        let (m, d) = rest.split_once('-').ok_or_else(not_a_date)?;
        (number(y, 4, 4), number(m, 1, 2), number(d, 1, 2))
    } else if style == DateStyle::IsoOrDayDotted && s.contains('.') {
        let mut it = s.splitn(3, '.');
        let (d, m, y) = (it.next().unwrap_or(""), it.next().unwrap_or(""), it.next().unwrap_or(""));
        (number(y, 4, 4), number(m, 1, 2), number(d, 1, 2))
    } else if style == DateStyle::IsoOrUs && s.contains('/') {
        let mut it = s.splitn(3, '/');
        let (m, d, y) = (it.next().unwrap_or(""), it.next().unwrap_or(""), it.next().unwrap_or(""));
        (number(y, 4, 4), number(m, 1, 2), number(d, 1, 2))
    } else {
        return Err(not_a_date());
    };
    match ymd {
        (Some(y), Some(m), Some(d)) => Date::new(y, m as i8, d as i8).map_err(|_| format!("{s:?} is not a date: there is no such day")),
        _ => Err(not_a_date()),
    }
}

/// Minutes in one entry's duration, by the co-op's one rule for hours ([`hours::parse_hours`]):
/// `1.5`, `1,5`, `.25`, `8`, `1:30`, `01:30:00`, `1h30m`, rounded once to the nearest minute;
/// negatives and more than 24 hours refused.
fn parse_duration(raw: &str) -> Result<i64, String> {
    hours::parse_hours(raw).map(|m| m.0).map_err(|e| e.to_string())
}

fn parse_billable(raw: &str) -> Result<Option<bool>, String> {
    let s = raw.trim().to_lowercase();
    match s.as_str() {
        "" => Ok(None),
        "yes" | "y" | "true" | "1" | "x" | "ja" | "billable" => Ok(Some(true)),
        "no" | "n" | "false" | "0" | "nein" | "non billable" | "non-billable" | "not billable" => Ok(Some(false)),
        _ => Err(format!("{:?} is not a billable flag (expected Yes or No)", raw.trim())),
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing

enum PersonCols {
    /// One column that must hold an email.
    Email(usize),
    /// Kimai: an email column, else (or when empty) a user column that holds an email.
    EmailOrUser { email: Option<usize>, user: Option<usize> },
    /// Harvest: first and last name; an email column, where present and filled, wins.
    Name { first: usize, last: usize, email: Option<usize> },
}

struct Layout {
    person: PersonCols,
    date: usize,
    duration: usize,
    project: Option<usize>,
    category: Option<usize>,
    note: Option<usize>,
    billable: Option<usize>,
    dates: DateStyle,
}

fn layout(format: Format, h: &[String]) -> Result<Layout, ImportError> {
    let missing = |col: &str| {
        let mut msg = format!("missing column {col:?}: a {} needs it", format.describe());
        if let Some(other) = detect_headers(h).filter(|&f| f != format) {
            msg.push_str(&format!(" (this header looks like a {}: try --format {other})", other.describe()));
        }
        ImportError::new(1, msg)
    };
    let need = |names: &[&str], col: &str| find(h, names).ok_or_else(|| missing(col));
    let need_duration = |col: &str| find_duration(h).ok_or_else(|| missing(col));
    Ok(match format {
        Format::Generic => Layout {
            person: PersonCols::Email(need(EMAIL, "email")?),
            date: need(&["date"], "date")?,
            duration: find(h, &["hours"]).or_else(|| find_duration(h)).ok_or_else(|| missing("hours"))?,
            project: find(h, &["project"]),
            category: find(h, &["category", "kind", "kind of work"]),
            note: find(h, &["note", "notes", "description"]),
            billable: find(h, &["billable"]),
            dates: DateStyle::Iso,
        },
        Format::Toggl => Layout {
            person: PersonCols::Email(need(EMAIL, "Email")?),
            date: need(&["start date"], "Start date")?,
            duration: need_duration("Duration")?,
            project: find(h, &["project"]),
            category: find(h, &["task"]),
            note: find(h, &["description"]),
            billable: find(h, &["billable"]),
            dates: DateStyle::Iso,
        },
        Format::Kimai => {
            let email = find(h, EMAIL);
            let user = find(h, KIMAI_USER);
            if email.is_none() && user.is_none() {
                return Err(missing("Email"));
            }
            Layout {
                person: PersonCols::EmailOrUser { email, user },
                date: need(KIMAI_DATE, "Date")?,
                duration: need_duration("Duration")?,
                project: find(h, KIMAI_PROJECT),
                category: find(h, KIMAI_ACTIVITY),
                note: find(h, KIMAI_DESCRIPTION),
                billable: find(h, KIMAI_BILLABLE),
                dates: DateStyle::IsoOrDayDotted,
            }
        }
        Format::Harvest => Layout {
            person: PersonCols::Name { first: need(&["first name"], "First Name")?, last: need(&["last name"], "Last Name")?, email: find(h, EMAIL) },
            date: need(&["date"], "Date")?,
            duration: need(&["hours"], "Hours")?,
            project: find(h, &["project"]),
            category: find(h, &["task"]),
            note: find(h, &["notes", "note"]),
            billable: find(h, &["billable"]),
            dates: DateStyle::IsoOrUs,
        },
    })
}

fn email_of(raw: &str) -> Result<String, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("the email is empty".to_string());
    }
    Email::parse(raw).map(|e| e.as_str().to_string()).map_err(|e| e.to_string())
}

/// Who a record names, read from its person columns.
fn read_person(l: &Layout, rec: &csv::StringRecord) -> Result<PersonRef, String> {
    let field = |i: usize| rec.get(i).unwrap_or("");
    let opt = |i: Option<usize>| i.map(field).unwrap_or("");
    Ok(match l.person {
        PersonCols::Email(i) => PersonRef::Email(email_of(field(i))?),
        PersonCols::EmailOrUser { email, user } => {
            let e = opt(email).trim();
            if !e.is_empty() {
                PersonRef::Email(email_of(e)?)
            } else {
                let u = opt(user).trim();
                match (user, u.is_empty()) {
                    (Some(_), false) => PersonRef::Email(
                        Email::parse(u)
                            .map(|e| e.as_str().to_string())
                            .map_err(|_| format!("Kimai user {u:?} is not an email address: export with the Email column (members are matched by email)"))?,
                    ),
                    _ => return Err("the email is empty".to_string()),
                }
            }
        }
        PersonCols::Name { first, last, email } => {
            let e = opt(email).trim();
            if !e.is_empty() {
                PersonRef::Email(email_of(e)?)
            } else {
                let (first, last) = (field(first).trim(), field(last).trim());
                if first.is_empty() && last.is_empty() {
                    return Err("the first and last name are empty".to_string());
                }
                PersonRef::Name { first: first.to_string(), last: last.to_string() }
            }
        }
    })
}

/// The people a file names, each read (and its email checked) once: a file of a million
/// lines names a few hundred people. Keyed by the raw text of the person columns, so a
/// person is read from exactly the text [`read_person`] would see.
#[derive(Default)]
struct People {
    index: HashMap<String, u32>,
    list: Vec<PersonRef>,
    key: String,
}

impl People {
    fn get(&mut self, l: &Layout, rec: &csv::StringRecord) -> Result<u32, String> {
        let field = |i: usize| rec.get(i).unwrap_or("");
        let opt = |i: Option<usize>| i.map(field).unwrap_or("");
        self.key.clear();
        match l.person {
            PersonCols::Email(i) => self.key.push_str(field(i)),
            PersonCols::EmailOrUser { email, user } => {
                for part in [opt(email), "\u{1f}", opt(user)] {
                    self.key.push_str(part);
                }
            }
            PersonCols::Name { first, last, email } => {
                for part in [opt(email), "\u{1f}", field(first), "\u{1f}", field(last)] {
                    self.key.push_str(part);
                }
            }
        }
        if let Some(&i) = self.index.get(self.key.as_str()) {
            return Ok(i);
        }
        let person = read_person(l, rec)?;
        let i = u32::try_from(self.list.len()).map_err(|_| "too many people in one file".to_string())?;
        self.list.push(person);
        self.index.insert(self.key.clone(), i);
        Ok(i)
    }
}

/// One record's values, borrowed from the CSV reader's record.
struct Fields<'r> {
    line: usize,
    /// Index into [`People::list`].
    person: u32,
    date: Date,
    minutes: i64,
    project: Option<&'r str>,
    category: Option<&'r str>,
    note: &'r str,
    billable: Option<bool>,
}

fn read_fields<'r>(l: &Layout, rec: &'r csv::StringRecord, people: &mut People, line: usize) -> Result<Fields<'r>, String> {
    let field = |i: usize| rec.get(i).unwrap_or("");
    let text = |i: Option<usize>| i.map(|i| field(i).trim()).filter(|s| !s.is_empty());
    let person = people.get(l, rec)?;
    let date = parse_date(field(l.date), l.dates)?;
    let minutes = parse_duration(field(l.duration))?;
    let billable = match l.billable {
        Some(i) => parse_billable(field(i))?,
        None => None,
    };
    Ok(Fields {
        line,
        person,
        date,
        minutes,
        project: text(l.project),
        category: text(l.category),
        note: l.note.map(|i| field(i).trim()).unwrap_or(""),
        billable,
    })
}

/// Reads a whole file, all or nothing, handing each good record to `each` until the first bad
/// one: the first bad line is the error (with how many more there are), and a file with a
/// header but no entries is an error too. Returns the people the file names.
fn read_file(format: Format, text: &str, mut each: impl FnMut(Fields<'_>, &[PersonRef])) -> Result<People, ImportError> {
    let text = strip_bom(text);
    let mut rdr = reader(text);
    let mut rec = csv::StringRecord::new();
    let header = match rdr.read_record(&mut rec) {
        Ok(true) => rec.iter().map(norm_header).collect::<Vec<_>>(),
        Ok(false) => return Err(ImportError::new(1, "the file is empty: expected a header line")),
        Err(e) => return Err(csv_error(e, 1)),
    };
    let layout = layout(format, &header)?;
    let mut people = People::default();
    let mut rows = 0usize;
    let mut first_error: Option<ImportError> = None;
    let mut more = 0;
    let mut lines = LineCounter::new(text);
    loop {
        let line = match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => lines.line_at(rec.position().map_or(0, |p| p.byte())),
            Err(e) => {
                // The reader cannot go on past an error it reports.
                let line = lines.line_at(e.position().map_or(0, |p| p.byte()));
                let err = csv_error(e, line);
                match first_error {
                    None => first_error = Some(err),
                    Some(_) => more += 1,
                }
                break;
            }
        };
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue; // a line of empty cells, as spreadsheets leave at the end
        }
        let result = if rec.len() != header.len() {
            Err(format!("{} fields where the header has {}", rec.len(), header.len()))
        } else {
            read_fields(&layout, &rec, &mut people, line)
        };
        match result {
            Ok(fields) if first_error.is_none() => {
                rows += 1;
                each(fields, &people.list);
            }
            Ok(_) => {}
            Err(message) if first_error.is_none() => first_error = Some(ImportError::new(line, message)),
            Err(_) => more += 1,
        }
    }
    if let Some(mut e) = first_error {
        e.more = more;
        return Err(e);
    }
    if rows == 0 {
        return Err(ImportError::new(1, "the file has a header but no time entries"));
    }
    Ok(people)
}

/// Reads a whole file, all or nothing: the first bad line is the error (with how many more there
/// are), and a file with a header but no entries is an error too.
pub fn parse(format: Format, text: &str) -> Result<Vec<ImportRow>, ImportError> {
    let mut rows = Vec::new();
    read_file(format, text, |f, people| {
        rows.push(ImportRow {
            line: f.line,
            person: people[f.person as usize].clone(),
            date: f.date,
            minutes: f.minutes,
            project: f.project.map(str::to_string),
            category: f.category.map(str::to_string),
            note: f.note.to_string(),
            billable: f.billable,
        })
    })?;
    Ok(rows)
}

/// A whole file read into a compact form for large imports: each person, project and kind of
/// work is kept once and rows point at them, notes share one buffer. A million rows take some
/// 40 MB this way instead of some 250 MB as [`ImportRow`]s. [`ParsedFile::rows`] are in line
/// order; [`ParsedFile::to_rows`] gives the same rows as [`parse`].
#[derive(Clone, Debug, Default)]
pub struct ParsedFile {
    pub rows: Vec<ParsedRow>,
    /// The people the rows name, each once, in order of first appearance.
    pub people: Vec<PersonRef>,
    /// Projects as written (trimmed), each spelling once, in order of first appearance.
    pub projects: Vec<String>,
    /// Kinds of work as written (trimmed), each spelling once, in order of first appearance.
    pub categories: Vec<String>,
    notes: String,
}

/// One row of a [`ParsedFile`] in 32 bytes; `person`, `project` and `category` index its lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParsedRow {
    line: u32,
    pub person: u32,
    pub date: Date,
    /// Whole minutes, 0 to 1440.
    pub minutes: u16,
    pub billable: Option<bool>,
    /// The index in [`ParsedFile::projects`], plus one.
    project: Option<NonZeroU32>,
    /// The index in [`ParsedFile::categories`], plus one.
    category: Option<NonZeroU32>,
    note_start: u32,
    note_len: u32,
}

impl ParsedRow {
    /// The line the record starts on (the header is line 1).
    pub fn line(&self) -> usize {
        self.line as usize
    }

    /// The index of the row's project in [`ParsedFile::projects`].
    pub fn project(&self) -> Option<u32> {
        self.project.map(|p| p.get() - 1)
    }

    /// The index of the row's kind of work in [`ParsedFile::categories`].
    pub fn category(&self) -> Option<u32> {
        self.category.map(|c| c.get() - 1)
    }
}

impl ParsedFile {
    /// The row's note (trimmed; may be empty).
    pub fn note(&self, row: &ParsedRow) -> &str {
        let start = row.note_start as usize;
        &self.notes[start..start + row.note_len as usize]
    }

    /// The row as [`parse`] gives it.
    pub fn row(&self, r: &ParsedRow) -> ImportRow {
        ImportRow {
            line: r.line(),
            person: self.people[r.person as usize].clone(),
            date: r.date,
            minutes: i64::from(r.minutes),
            project: r.project().map(|p| self.projects[p as usize].clone()),
            category: r.category().map(|c| self.categories[c as usize].clone()),
            note: self.note(r).to_string(),
            billable: r.billable,
        }
    }

    /// Every row as [`parse`] gives them.
    pub fn to_rows(&self) -> Vec<ImportRow> {
        self.rows.iter().map(|r| self.row(r)).collect()
    }
}

fn intern(index: &mut HashMap<String, u32>, list: &mut Vec<String>, name: &str) -> u32 {
    if let Some(&i) = index.get(name) {
        return i;
    }
    let i = list.len() as u32;
    list.push(name.to_string());
    index.insert(name.to_string(), i);
    i
}

/// [`parse`] into a [`ParsedFile`]: the same rows, the same errors, less memory and no
/// allocation per row.
pub fn parse_compact(format: Format, text: &str) -> Result<ParsedFile, ImportError> {
    let mut file = ParsedFile::default();
    // Lines and notes are addressed in 32 bits, which keeps a row in 32 bytes.
    if u32::try_from(text.len()).is_err() {
        return Err(ImportError::new(1, "the file is larger than 4 GB: split it into smaller files"));
    }
    // One row a line at most: reserving that once avoids the vector's doublings (and the
    // moment the old and the new buffer both exist).
    file.rows.reserve_exact(text.as_bytes().iter().filter(|&&b| b == b'\n').count() + 1);
    let (mut projects, mut categories) = (HashMap::new(), HashMap::new());
    // Indexes plus one: the lists cannot reach u32::MAX entries in a file under 4 GB.
    let plus_one = |i: u32| NonZeroU32::new(i + 1);
    let people = read_file(format, text, |f, _| {
        let project = f.project.and_then(|p| plus_one(intern(&mut projects, &mut file.projects, p)));
        let category = f.category.and_then(|c| plus_one(intern(&mut categories, &mut file.categories, c)));
        let note_start = file.notes.len() as u32;
        file.notes.push_str(f.note);
        file.rows.push(ParsedRow {
            line: f.line as u32,
            person: f.person,
            date: f.date,
            minutes: f.minutes as u16, // 0 to 1440 by parse_duration
            billable: f.billable,
            project,
            category,
            note_start,
            note_len: f.note.len() as u32,
        });
    })?;
    file.people = people.list;
    Ok(file)
}

fn csv_error(e: csv::Error, line: usize) -> ImportError {
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "the text is not UTF-8: save the file as UTF-8 CSV".to_string(),
        _ => format!("unreadable CSV: {e}"),
    };
    ImportError::new(line, message)
}

/// Line numbers as an editor shows them, from the byte offsets the CSV reader reports.
///
/// The reader's own line count lags behind a CRLF or a blank line before a record (it reports
/// where the previous record ended), so a record starts at the first byte after its offset that
/// ends no line. Offsets only grow, so the text is scanned once.
pub(crate) struct LineCounter<'a> {
    text: &'a [u8],
    byte: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(text: &'a str) -> LineCounter<'a> {
        LineCounter { text: text.as_bytes(), byte: 0, line: 1 }
    }

    pub(crate) fn line_at(&mut self, byte: u64) -> usize {
        let mut start = (byte as usize).clamp(self.byte, self.text.len());
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        // A line ends at "\n", "\r\n" or a lone "\r" (old Mac files; the CSV reader splits there
        // and editors show a new line). No "\r\n" straddles two calls: `start` skips past both.
        let region = &self.text[self.byte..start];
        let newlines = region.iter().filter(|&&b| b == b'\n').count();
        let returns = region.iter().filter(|&&b| b == b'\r').count();
        let crlf = if returns == 0 { 0 } else { region.windows(2).filter(|w| w == b"\r\n").count() };
        self.line += newlines + returns - crlf;
        self.byte = start;
        self.line
    }
}

/// Writes rows in the generic format, the inverse of `parse(Format::Generic, ..)`.
///
/// Hours are written with two decimals where that is exact (`7.50`), else as `h:mm` (`0:07`).
/// A row naming its person by name (Harvest) cannot be written: the error names its line.
pub fn write_generic(rows: &[ImportRow]) -> Result<String, ImportError> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let io = |e: csv::Error| ImportError::new(0, e.to_string());
    w.write_record(["email", "date", "hours", "project", "category", "note"]).map_err(io)?;
    for r in rows {
        let PersonRef::Email(email) = &r.person else {
            return Err(ImportError::new(r.line, format!("{} has no email: the generic format needs one", r.person)));
        };
        let hours = if (r.minutes * 100) % 60 == 0 {
            let hundredths = r.minutes * 100 / 60;
            format!("{}.{:02}", hundredths / 100, hundredths % 100)
        } else {
            format!("{}:{:02}", r.minutes / 60, r.minutes % 60)
        };
        w.write_record([email.as_str(), &r.date.to_string(), &hours, r.project.as_deref().unwrap_or(""), r.category.as_deref().unwrap_or(""), &r.note])
            .map_err(io)?;
    }
    let bytes = w.into_inner().map_err(|e| ImportError::new(0, e.to_string()))?;
    Ok(String::from_utf8(bytes).expect("written from strings"))
}

// ---------------------------------------------------------------------------------------------
// Resolving people, projects and kinds of work

/// What to do with projects and kinds of work the co-op does not know yet.
///
/// Keys are names as the file writes them (matched exactly, else ignoring case); values are the
/// co-op's names (matched ignoring case). An empty value drops the name: the entry gets no
/// project or kind. With `create_unknown`, names neither known nor mapped are kept as written
/// (one spelling per name ignoring case, the first seen) for the caller to create.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mapping {
    pub projects: HashMap<String, String>,
    pub categories: HashMap<String, String>,
    pub create_unknown: bool,
}

/// A row matched to a member and to the co-op's projects and kinds of work.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ResolvedEntry {
    pub line: usize,
    pub member_id: i64,
    pub date: Date,
    pub minutes: i64,
    pub project: Option<String>,
    pub category: Option<String>,
    pub note: String,
    pub billable: Option<bool>,
}

/// Names in a file that the co-op neither knows nor maps, each with the first line using it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct UnknownNames {
    pub projects: Vec<(String, usize)>,
    pub categories: Vec<(String, usize)>,
}

impl UnknownNames {
    pub fn is_empty(&self) -> bool {
        self.projects.is_empty() && self.categories.is_empty()
    }
}

fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// One list of names (projects or kinds) with its mapping.
struct Names<'a> {
    known: HashMap<String, &'a str>,
    mapping: &'a HashMap<String, String>,
    mapping_folded: HashMap<String, &'a str>,
}

enum Name<'a> {
    Known(Option<&'a str>),
    /// Mapped to a name the co-op does not have.
    MappedToUnknown(&'a str),
    Unknown,
}

impl<'a> Names<'a> {
    fn new<S: AsRef<str>>(known: &'a [S], mapping: &'a HashMap<String, String>) -> Names<'a> {
        Names {
            known: known.iter().map(|k| (fold(k.as_ref()), k.as_ref())).collect(),
            mapping,
            mapping_folded: mapping.iter().map(|(k, v)| (fold(k), v.as_str())).collect(),
        }
    }

    fn look_up(&self, name: &str) -> Name<'a> {
        let target = self.mapping.get(name).map(String::as_str).or_else(|| self.mapping_folded.get(&fold(name)).copied());
        match target {
            Some(t) if t.trim().is_empty() => Name::Known(None),
            Some(t) => match self.known.get(&fold(t)) {
                Some(k) => Name::Known(Some(k)),
                None => Name::MappedToUnknown(t),
            },
            None => match self.known.get(&fold(name)) {
                Some(k) => Name::Known(Some(k)),
                None => Name::Unknown,
            },
        }
    }
}

fn collect_unknown<'r>(rows: &'r [ImportRow], names: &Names<'_>, get: impl Fn(&'r ImportRow) -> Option<&'r str>) -> Vec<(String, usize)> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for r in rows {
        if let Some(n) = get(r) {
            if matches!(names.look_up(n), Name::Unknown) && seen.insert(fold(n)) {
                out.push((n.to_string(), r.line));
            }
        }
    }
    out
}

/// The projects and kinds of work in `rows` that need a mapping (or `create_unknown`).
pub fn unknown_names<P: AsRef<str>, C: AsRef<str>>(rows: &[ImportRow], projects: &[P], categories: &[C], mapping: &Mapping) -> UnknownNames {
    let p = Names::new(projects, &mapping.projects);
    let c = Names::new(categories, &mapping.categories);
    UnknownNames { projects: collect_unknown(rows, &p, |r| r.project.as_deref()), categories: collect_unknown(rows, &c, |r| r.category.as_deref()) }
}

fn quoted_list(names: &[(String, usize)]) -> String {
    names.iter().map(|(n, _)| format!("{n:?}")).collect::<Vec<_>>().join(", ")
}

/// Resolves names against one list, remembering new spellings under `create_unknown` and each
/// distinct name's answer (a file has a million rows but a few dozen names).
struct Resolver<'a, 'r> {
    names: Names<'a>,
    create: bool,
    created: HashMap<String, String>,
    cache: HashMap<&'r str, Result<Option<String>, String>>,
}

impl<'a, 'r> Resolver<'a, 'r> {
    fn new(names: Names<'a>, create: bool) -> Resolver<'a, 'r> {
        Resolver { names, create, created: HashMap::new(), cache: HashMap::new() }
    }

    /// The co-op's name; `Err` with the mapping's target when it is unknown, or empty when the name is.
    fn get(&mut self, name: Option<&'r str>) -> Result<Option<String>, String> {
        let Some(name) = name else { return Ok(None) };
        if let Some(done) = self.cache.get(name) {
            return done.clone();
        }
        let created = &mut self.created;
        let mut create = |n: &str| Ok(Some(created.entry(fold(n)).or_insert_with(|| n.trim().to_string()).clone()));
        let answer = match self.names.look_up(name) {
            Name::Known(k) => Ok(k.map(str::to_string)),
            Name::MappedToUnknown(t) if self.create => create(t),
            Name::MappedToUnknown(t) => Err(t.to_string()),
            Name::Unknown if self.create => create(name),
            Name::Unknown => Err(String::new()),
        };
        self.cache.insert(name, answer.clone());
        answer
    }
}

/// The co-op's members, by email and by name, for matching the people a file names.
struct Members<'a> {
    by_email: HashMap<String, i64>,
    by_name: HashMap<String, Vec<(i64, &'a str)>>,
}

impl<'a> Members<'a> {
    fn new<E: AsRef<str>, N: AsRef<str>>(members: &'a [(i64, E, N)]) -> Members<'a> {
        let by_email = members.iter().map(|(id, e, _)| (e.as_ref().trim().to_lowercase(), *id)).collect();
        let mut by_name: HashMap<String, Vec<(i64, &str)>> = HashMap::new();
        for (id, e, n) in members {
            by_name.entry(fold(n.as_ref())).or_default().push((*id, e.as_ref()));
        }
        Members { by_email, by_name }
    }

    /// The member a file's person is, or why there is none.
    fn member(&self, person: &PersonRef) -> Result<i64, String> {
        match person {
            PersonRef::Email(e) => {
                self.by_email.get(e.as_str()).or_else(|| self.by_email.get(&e.to_lowercase())).copied().ok_or_else(|| format!("no member has the email {e}"))
            }
            PersonRef::Name { first, last } => {
                let full = format!("{first} {last}");
                match self.by_name.get(&fold(&full)).map(Vec::as_slice) {
                    Some([(id, _)]) => Ok(*id),
                    Some(several) => Err(format!(
                        "{:?} is ambiguous: {} members have that name ({}); give them distinct names before importing",
                        full.trim(),
                        several.len(),
                        several.iter().map(|(_, e)| *e).collect::<Vec<_>>().join(", ")
                    )),
                    None => Err(format!("no member is named {:?}", full.trim())),
                }
            }
        }
    }
}

/// Matches every row to a member, a project and a kind of work, all or nothing.
///
/// `members` are `(id, email, name)`. Emails match ignoring case; Harvest names match the member's
/// name as "first last", ignoring case and extra spaces, and a name two members share is refused.
/// Unknown projects and kinds are refused together in one error listing them all, unless the
/// mapping maps them or allows creating them. The error is the one with the lowest line.
pub fn resolve<E: AsRef<str>, N: AsRef<str>, P: AsRef<str>, C: AsRef<str>>(
    rows: &[ImportRow],
    members: &[(i64, E, N)],
    projects: &[P],
    categories: &[C],
    mapping: &Mapping,
) -> Result<Vec<ResolvedEntry>, ImportError> {
    let people = Members::new(members);
    let mut project_names = Resolver::new(Names::new(projects, &mapping.projects), mapping.create_unknown);
    let mut category_names = Resolver::new(Names::new(categories, &mapping.categories), mapping.create_unknown);

    let mut first_error: Option<ImportError> = None;
    let mut note_error = |e: ImportError| {
        if first_error.as_ref().is_none_or(|f| e.line < f.line) {
            first_error = Some(e);
        }
    };
    let mut unknown_seen = false;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let member = people.member(&r.person);
        let project = project_names.get(r.project.as_deref());
        let category = category_names.get(r.category.as_deref());
        let member = match member {
            Ok(m) => m,
            Err(msg) => {
                note_error(ImportError::new(r.line, msg));
                // Nothing later can come before this line; an unknown name seen earlier still can.
                if unknown_seen {
                    continue;
                }
                break;
            }
        };
        let (project, category) = match (project, category) {
            (Ok(p), Ok(c)) => (p, c),
            (p, c) => {
                for (res, what) in [(p, "project"), (c, "kind of work")] {
                    if let Err(target) = res {
                        if !target.is_empty() {
                            note_error(ImportError::new(r.line, format!("the mapping sends a {what} to {target:?}, which the co-op does not have")));
                        }
                    }
                }
                unknown_seen = true;
                continue;
            }
        };
        out.push(ResolvedEntry {
            line: r.line,
            member_id: member,
            date: r.date,
            minutes: r.minutes,
            project,
            category,
            note: r.note.clone(),
            billable: r.billable,
        });
    }
    if unknown_seen {
        let unknown = unknown_names(rows, projects, categories, mapping);
        if !unknown.is_empty() {
            let first = unknown.projects.iter().chain(&unknown.categories).map(|(_, l)| *l).min().unwrap_or(1);
            let mut parts = Vec::new();
            if !unknown.projects.is_empty() {
                parts.push(format!("unknown projects {}", quoted_list(&unknown.projects)));
            }
            if !unknown.categories.is_empty() {
                parts.push(format!("unknown kinds of work {}", quoted_list(&unknown.categories)));
            }
            note_error(ImportError::new(first, format!("{}: map each to an existing one or let the import create them", parts.join("; "))));
        }
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// A [`ParsedFile`] matched to members, projects and kinds of work: [`resolve`] for large
/// files, answering once per distinct person and name instead of once per row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedFile {
    /// The member id of each of [`ParsedFile::people`].
    pub members: Vec<i64>,
    /// For each of [`ParsedFile::projects`], its index in [`ResolvedFile::projects`] (`None`:
    /// mapped to no project).
    pub project_of: Vec<Option<u32>>,
    /// For each of [`ParsedFile::categories`], its index in [`ResolvedFile::categories`].
    pub category_of: Vec<Option<u32>>,
    /// The co-op's names the file's projects resolve to (or, with `create_unknown`, the new
    /// names), each once; what [`ResolvedEntry::project`] would hold.
    pub projects: Vec<String>,
    /// The same for kinds of work.
    pub categories: Vec<String>,
}

impl ResolvedFile {
    /// The member of a row.
    pub fn member(&self, r: &ParsedRow) -> i64 {
        self.members[r.person as usize]
    }

    /// The index in [`ResolvedFile::projects`] of a row's project.
    pub fn project(&self, r: &ParsedRow) -> Option<u32> {
        r.project().and_then(|p| self.project_of[p as usize])
    }

    /// The index in [`ResolvedFile::categories`] of a row's kind of work.
    pub fn category(&self, r: &ParsedRow) -> Option<u32> {
        r.category().and_then(|c| self.category_of[c as usize])
    }

    /// The row as [`resolve`] gives it.
    pub fn entry(&self, file: &ParsedFile, r: &ParsedRow) -> ResolvedEntry {
        ResolvedEntry {
            line: r.line(),
            member_id: self.member(r),
            date: r.date,
            minutes: i64::from(r.minutes),
            project: self.project(r).map(|p| self.projects[p as usize].clone()),
            category: self.category(r).map(|c| self.categories[c as usize].clone()),
            note: file.note(r).to_string(),
            billable: r.billable,
        }
    }

    /// [`flag_duplicates`] of the file's rows, without building them: the same rule, the same lines.
    pub fn duplicates<P: AsRef<str>>(&self, file: &ParsedFile, existing: &[(i64, Date, i64, Option<P>)]) -> Vec<usize> {
        // Projects compare folded; fold each distinct name once and compare numbers.
        let mut folded: HashMap<String, u32> = HashMap::new();
        let mut fold_id = |name: &str| {
            let f = fold(name);
            let next = folded.len() as u32;
            *folded.entry(f).or_insert(next)
        };
        let file_projects: Vec<u32> = self.projects.iter().map(|p| fold_id(p)).collect();
        let mut existing_projects: HashMap<&str, u32> = HashMap::new();
        let recorded = existing.iter().map(|(m, d, min, p)| {
            let p = p.as_ref().map(|p| *existing_projects.entry(p.as_ref()).or_insert_with(|| fold_id(p.as_ref())));
            (*m, *d, *min, p)
        });
        let recorded: Vec<_> = recorded.collect();
        if folded.len() >= (1 << 21) - 1 {
            // Too many projects to pack a key in 64 bits: compare whole keys.
            let rows = file.rows.iter().map(|r| (r.line(), (self.member(r), r.date, i64::from(r.minutes), self.project(r).map(|p| file_projects[p as usize]))));
            return duplicates_by(recorded, rows).into_iter().map(|d| d.line).collect();
        }
        // A million keys of (member, date, minutes, project) take 80 MB in a hash map; as one
        // u64 each (the member's day as a number, minutes, project) beside the line they take
        // 16 MB, and sorting them finds the repeats faster than hashing: the same rule as
        // `duplicates_by` (a key recorded already, or on an earlier line).
        let mut days: HashMap<(i64, Date), u32> = HashMap::new();
        let pack = |day: u32, minutes: u16, project: Option<u32>| (u64::from(day) << 32) | (u64::from(minutes) << 21) | u64::from(project.map_or(0, |p| p + 1));
        let mut last: Option<((i64, Date), u32)> = None;
        let mut rows: Vec<(u64, usize)> = file
            .rows
            .iter()
            .map(|r| {
                let member_day = (self.member(r), r.date);
                let day = match last {
                    Some((k, day)) if k == member_day => day,
                    _ => {
                        let next = days.len() as u32;
                        let day = *days.entry(member_day).or_insert(next);
                        last = Some((member_day, day));
                        day
                    }
                };
                (pack(day, r.minutes, self.project(r).map(|p| file_projects[p as usize])), r.line())
            })
            .collect();
        // A recorded entry on a day no row has, or of more minutes than any row, matches none.
        let recorded: HashSet<u64> = recorded
            .into_iter()
            .filter_map(|(m, d, min, p)| {
                let day = *days.get(&(m, d))?;
                let min = u16::try_from(min).ok().filter(|&min| min < 2048)?;
                Some(pack(day, min, p))
            })
            .collect();
        rows.sort_unstable();
        let mut out = Vec::new();
        for (i, &(key, line)) in rows.iter().enumerate() {
            let earlier = i > 0 && rows[i - 1].0 == key;
            if earlier || recorded.contains(&key) {
                out.push(line);
            }
        }
        out.sort_unstable();
        out
    }
}

/// [`resolve`] for a [`ParsedFile`]: the same answers and the same errors (a file with any
/// error is resolved row by row again to name the same line as [`resolve`]).
pub fn resolve_compact<E: AsRef<str>, N: AsRef<str>, P: AsRef<str>, C: AsRef<str>>(
    file: &ParsedFile,
    members: &[(i64, E, N)],
    projects: &[P],
    categories: &[C],
    mapping: &Mapping,
) -> Result<ResolvedFile, ImportError> {
    let slow = || match resolve(&file.to_rows(), members, projects, categories, mapping) {
        Err(e) => e,
        Ok(_) => ImportError::new(1, "the file's names could not be matched"),
    };
    let people = Members::new(members);
    let Ok(member_ids) = file.people.iter().map(|p| people.member(p)).collect::<Result<Vec<i64>, String>>() else {
        return Err(slow());
    };
    let names = |written: &[String], known: &[_], map| -> Option<(Vec<Option<u32>>, Vec<String>)> {
        let mut resolver = Resolver::new(Names::new(known, map), mapping.create_unknown);
        let mut index: HashMap<String, u32> = HashMap::new();
        let mut list = Vec::new();
        let mut of = Vec::with_capacity(written.len());
        for w in written {
            of.push(resolver.get(Some(w)).ok()?.map(|name| intern(&mut index, &mut list, &name)));
        }
        Some((of, list))
    };
    let projects_known: Vec<&str> = projects.iter().map(AsRef::as_ref).collect();
    let categories_known: Vec<&str> = categories.iter().map(AsRef::as_ref).collect();
    let (Some((project_of, projects)), Some((category_of, categories))) =
        (names(&file.projects, &projects_known, &mapping.projects), names(&file.categories, &categories_known, &mapping.categories))
    else {
        return Err(slow());
    };
    Ok(ResolvedFile { members: member_ids, project_of, category_of, projects, categories })
}

// ---------------------------------------------------------------------------------------------
// Duplicates

/// What a likely duplicate repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateOf {
    /// An entry already recorded.
    Existing,
    /// An earlier line of the same file.
    Line(usize),
}

/// A line that looks like an entry already there: same member, date, minutes and project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Duplicate {
    pub line: usize,
    pub of: DuplicateOf,
}

/// Every likely duplicate, in line order. Projects compare ignoring case.
///
/// `existing` are recorded entries as `(member_id, date, minutes, project)`.
pub fn find_duplicates<P: AsRef<str>>(entries: &[ResolvedEntry], existing: &[(i64, Date, i64, Option<P>)]) -> Vec<Duplicate> {
    let recorded = existing.iter().map(|(m, d, min, p)| (*m, *d, *min, p.as_ref().map(|p| fold(p.as_ref()))));
    let mut folded: HashMap<&str, String> = HashMap::new();
    let rows =
        entries.iter().map(|e| (e.line, (e.member_id, e.date, e.minutes, e.project.as_deref().map(|p| folded.entry(p).or_insert_with(|| fold(p)).clone()))));
    duplicates_by(recorded, rows)
}

/// The one rule of duplicates, over keys of (member, date, minutes, folded project): a line
/// whose key is recorded already, or was on an earlier line.
fn duplicates_by<K: std::hash::Hash + Eq>(recorded: impl IntoIterator<Item = K>, rows: impl Iterator<Item = (usize, K)>) -> Vec<Duplicate> {
    let recorded: HashSet<K> = recorded.into_iter().collect();
    let mut in_file: HashMap<K, usize> = HashMap::new();
    let mut out = Vec::new();
    for (line, key) in rows {
        if recorded.contains(&key) {
            out.push(Duplicate { line, of: DuplicateOf::Existing });
        } else if let Some(&earlier) = in_file.get(&key) {
            out.push(Duplicate { line, of: DuplicateOf::Line(earlier) });
        }
        in_file.entry(key).or_insert(line);
    }
    out.sort_by_key(|d| d.line);
    out
}

/// The lines of [`find_duplicates`].
pub fn flag_duplicates<P: AsRef<str>>(entries: &[ResolvedEntry], existing: &[(i64, Date, i64, Option<P>)]) -> Vec<usize> {
    find_duplicates(entries, existing).into_iter().map(|d| d.line).collect()
}

// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    const TOGGL: &str = include_str!("../tests/data/toggl_detailed.csv");
    const TOGGL_BAD: &str = include_str!("../tests/data/toggl_detailed_bad.csv");
    const KIMAI: &str = include_str!("../tests/data/kimai.csv");
    const KIMAI_BAD: &str = include_str!("../tests/data/kimai_bad.csv");
    const HARVEST: &str = include_str!("../tests/data/harvest.csv");
    const HARVEST_BAD: &str = include_str!("../tests/data/harvest_bad.csv");
    const GENERIC: &str = include_str!("../tests/data/generic.csv");
    const GENERIC_BAD: &str = include_str!("../tests/data/generic_bad.csv");

    fn members() -> Vec<(i64, &'static str, &'static str)> {
        vec![
            (1, "ana@example.coop", "Ana Silva"),
            (2, "ben@example.coop", "Ben Okafor"),
            (3, "chloe@example.coop", "Chloé Martin"),
            (4, "dev@example.coop", "Dev Patel"),
            (5, "dev.p@example.coop", "Dev  Patel"),
        ]
    }
    const PROJECTS: [&str; 3] = ["Bakery POS", "Website relaunch", "Internal"];
    const KINDS: [&str; 4] = ["Programming", "Design", "Admin", "Meetings"];

    fn email(e: &str) -> PersonRef {
        PersonRef::Email(e.to_string())
    }
    fn s(x: &str) -> Option<String> {
        Some(x.to_string())
    }
    fn resolve_all(rows: &[ImportRow], mapping: &Mapping) -> Result<Vec<ResolvedEntry>, ImportError> {
        resolve(rows, &members(), &PROJECTS, &KINDS, mapping)
    }

    #[test]
    fn import_detects_each_sample() {
        assert_eq!(detect(TOGGL), Some(Format::Toggl));
        assert_eq!(detect(KIMAI), Some(Format::Kimai));
        assert_eq!(detect(HARVEST), Some(Format::Harvest));
        assert_eq!(detect(GENERIC), Some(Format::Generic));
        assert_eq!(detect("email,date,hours,project,category,note"), Some(Format::Generic));
        assert_eq!(detect("Datum;Von;Bis;Dauer;Benutzer;E-Mail;Kunde;Projekt;Tätigkeit"), Some(Format::Kimai));
        assert_eq!(detect("name,amount\nx,1"), None);
        assert_eq!(detect(""), None);
        assert_eq!("Harvest".parse::<Format>(), Ok(Format::Harvest));
        assert!("clockify".parse::<Format>().is_err());
    }

    #[test]
    fn import_toggl_sample() {
        let rows = parse(Format::Toggl, TOGGL).unwrap();
        assert_eq!(rows.len(), 5);
        assert_eq!(
            rows[0],
            ImportRow {
                line: 2,
                person: email("ana@example.coop"),
                date: date(2026, 3, 2),
                minutes: 90,
                project: s("Bakery POS"),
                category: s("Programming"),
                note: "Receipt printer driver, first pass".into(),
                billable: Some(true),
            }
        );
        // Upper-case email folded; a note over two lines; the next record starts two lines on.
        assert_eq!(rows[2].person, email("ben@example.coop"));
        assert_eq!(rows[2].line, 4);
        assert_eq!(rows[2].note, "Invoices for February\nand the VAT return");
        assert_eq!(rows[2].billable, Some(false));
        assert_eq!((rows[2].minutes, rows[2].category.as_deref()), (135, Some("Admin")));
        assert_eq!(rows[3].line, 6);
        assert_eq!(rows[3].minutes, 211, "03:30:30 rounds half a minute up");
        assert_eq!(rows[3].person, email("chloe@example.coop"));
        assert_eq!(rows[4].line, 7);
        assert_eq!((rows[4].category.clone(), rows[4].date), (None, date(2026, 3, 4)));
    }

    #[test]
    fn import_kimai_sample() {
        let rows = parse(Format::Kimai, KIMAI).unwrap();
        assert_eq!(rows.len(), 4);
        assert_eq!(
            rows[0],
            ImportRow {
                line: 2,
                person: email("ana@example.coop"),
                date: date(2026, 3, 2),
                minutes: 90,
                project: s("Bakery POS"),
                category: s("Development"),
                note: "Till: discounts, \"happy hour\" prices".into(),
                billable: Some(true),
            }
        );
        assert_eq!(rows.iter().map(|r| r.minutes).collect::<Vec<_>>(), vec![90, 45, 135, 480]);
        assert_eq!(rows[3].person, email("ben@example.coop"));
        assert_eq!(rows[3].billable, Some(false));
        assert_eq!(rows[3].category, s("Meetings"));
    }

    #[test]
    fn import_harvest_sample() {
        let rows = parse(Format::Harvest, HARVEST).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[0],
            ImportRow {
                line: 2,
                person: PersonRef::Name { first: "Ana".into(), last: "Silva".into() },
                date: date(2026, 3, 2),
                minutes: 210,
                project: s("Bakery POS"),
                category: s("Programming"),
                note: "Stock sync, offline mode".into(),
                billable: Some(true),
            }
        );
        assert_eq!(rows[1].person, PersonRef::Name { first: "Chloé".into(), last: "Martin".into() });
        assert_eq!(rows[1].minutes, 75);
        assert_eq!(rows[2].minutes, 20, "Hours 0.33, not Hours Rounded 0.5");
        assert_eq!((rows[2].billable, rows[2].date), (Some(false), date(2026, 3, 3)));
        let resolved = resolve_all(&rows, &Mapping::default()).unwrap();
        assert_eq!(resolved.iter().map(|e| e.member_id).collect::<Vec<_>>(), vec![1, 3, 2]);
    }

    #[test]
    fn import_generic_sample() {
        let rows = parse(Format::Generic, GENERIC).unwrap();
        assert_eq!(
            rows,
            vec![
                ImportRow {
                    line: 2,
                    person: email("ana@example.coop"),
                    date: date(2026, 3, 2),
                    minutes: 450,
                    project: s("Bakery POS"),
                    category: s("Programming"),
                    note: "Printer driver".into(),
                    billable: None,
                },
                ImportRow {
                    line: 3,
                    person: email("ben@example.coop"),
                    date: date(2026, 3, 2),
                    minutes: 90,
                    project: s("Internal"),
                    category: s("Admin"),
                    note: "Payroll, March".into(),
                    billable: None,
                },
                ImportRow {
                    line: 4,
                    person: email("chloe@example.coop"),
                    date: date(2026, 3, 3),
                    minutes: 120,
                    project: None,
                    category: s("Meetings"),
                    note: String::new(),
                    billable: None,
                },
            ]
        );
        let resolved = resolve_all(&rows, &Mapping::default()).unwrap();
        assert_eq!(resolved[0].member_id, 1);
        assert_eq!(resolved[1].project, s("Internal"));
        assert_eq!(resolved[2].project, None);
    }

    #[test]
    fn import_bad_date_names_its_line() {
        let e = parse(Format::Toggl, TOGGL_BAD).unwrap_err();
        assert_eq!(e.line, 5, "{e}");
        assert!(e.to_string().starts_with("line 5: \"2026-02-30\" is not a date"), "{e}");
    }

    #[test]
    fn import_negative_duration_names_its_line() {
        let e = parse(Format::Kimai, KIMAI_BAD).unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.to_string().starts_with("line 3: \"-0.75\" is negative"), "{e}");
    }

    #[test]
    fn import_unknown_email_names_its_line() {
        let rows = parse(Format::Generic, GENERIC_BAD).unwrap();
        let e = resolve_all(&rows, &Mapping::default()).unwrap_err();
        assert_eq!(e.to_string(), "line 3: no member has the email zoe@example.coop");
    }

    #[test]
    fn import_ambiguous_harvest_name_is_refused() {
        let rows = parse(Format::Harvest, HARVEST_BAD).unwrap();
        let e = resolve_all(&rows, &Mapping::default()).unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.contains("\"Dev Patel\" is ambiguous: 2 members"), "{e}");
        assert!(e.message.contains("dev@example.coop, dev.p@example.coop"), "{e}");
        // An unknown name is refused too.
        let text = "Date,Project,Task,Notes,Hours,First Name,Last Name\n2026-03-02,Internal,Admin,,1,Zoe,Park\n";
        let e = resolve_all(&parse(Format::Harvest, text).unwrap(), &Mapping::default()).unwrap_err();
        assert_eq!(e.to_string(), "line 2: no member is named \"Zoe Park\"");
        // Names match ignoring case and spaces.
        let text = "Date,Hours,First Name,Last Name\n2026-03-02,1, ana ,SILVA\n";
        assert_eq!(resolve_all(&parse(Format::Harvest, text).unwrap(), &Mapping::default()).unwrap()[0].member_id, 1);
    }

    #[test]
    fn import_first_of_several_bad_lines_counts_the_rest() {
        let text = "email,date,hours\na@x.org,2026-01-01,1\na@x.org,2026-01-32,1\nnot-an-email,2026-01-02,1\na@x.org,2026-01-03,-2\n";
        let e = parse(Format::Generic, text).unwrap_err();
        assert_eq!((e.line, e.more), (3, 2));
        assert!(e.to_string().ends_with("(and 2 more bad lines after it; nothing was imported)"), "{e}");
    }

    #[test]
    fn import_missing_column_is_line_one() {
        let e = parse(Format::Toggl, "User,Client,Project,Start date,Duration\nAna,,Internal,2026-03-02,01:00:00\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.starts_with("missing column \"Email\""), "{e}");
        let e = parse(Format::Generic, HARVEST).unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("try --format harvest"), "{e}");
        assert_eq!(parse(Format::Generic, "").unwrap_err().line, 1);
        assert!(parse(Format::Generic, "email,date,hours\n").unwrap_err().message.contains("no time entries"));
    }

    #[test]
    fn import_accepts_crlf_bom_and_any_column_order() {
        let text = "\u{feff}note,hours,Date,EMAIL,extra\r\n\"a, b\",1.5,2026-03-02,Ana@Example.coop,x\r\n\r\nc,\"1,25\",2026-03-03,ben@example.coop,y\r\n";
        let rows = parse(Format::Generic, text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].line, rows[0].minutes, rows[0].note.as_str()), (2, 90, "a, b"));
        assert_eq!(rows[0].person, email("ana@example.coop"));
        assert_eq!((rows[1].line, rows[1].minutes), (4, 75));
        assert_eq!(detect(text), Some(Format::Generic));
        // The samples themselves, with CRLF line ends.
        let crlf = GENERIC.replace('\n', "\r\n");
        assert_eq!(parse(Format::Generic, &crlf).unwrap(), parse(Format::Generic, GENERIC).unwrap());
        let crlf = TOGGL.replace('\n', "\r\n");
        let rows = parse(Format::Toggl, &crlf).unwrap();
        assert_eq!(rows[2].note, "Invoices for February\r\nand the VAT return");
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![2, 3, 4, 6, 7]);
    }

    #[test]
    fn import_old_mac_line_ends_count_as_lines() {
        // Found by fuzzing (fuzz/fuzz_targets/import_*.rs): with lone CR line ends (Excel's
        // "Macintosh" CSV) every row was "line 1", and the delimiter was sniffed from the
        // whole file, so semicolons in notes could outvote the header's commas.
        let text = "email,date,hours,note\ra@x.org,2026-01-01,1,a;b;c;d;e\ra@x.org,2026-01-02,2,f;g\r\ra@x.org,2026-01-32,1,\r";
        assert_eq!(detect(text), Some(Format::Generic));
        let e = parse(Format::Generic, text).unwrap_err();
        assert_eq!(e.to_string(), "line 5: \"2026-01-32\" is not a date: there is no such day");
        let rows = parse(Format::Generic, &text.replace("2026-01-32", "2026-01-31")).unwrap();
        assert_eq!(rows.iter().map(|r| (r.line, r.minutes, r.note.as_str())).collect::<Vec<_>>(), vec![(2, 60, "a;b;c;d;e"), (3, 120, "f;g"), (5, 60, "")]);
        // The same file with LF and CRLF line ends reads the same.
        for ends in ["\n", "\r\n"] {
            assert_eq!(parse(Format::Generic, &text.replace("2026-01-32", "2026-01-31").replace('\r', ends)).unwrap(), rows);
        }
        assert_eq!(parse_compact(Format::Generic, text).unwrap_err(), e);
        // Empty lines before the header: the delimiter comes from the header, not the empty line.
        let text = "\r\n\nemail;date;hours\na@x.org;2026-01-01;1,5\n";
        assert_eq!(detect(text), Some(Format::Generic));
        assert_eq!(parse(Format::Generic, text).unwrap().iter().map(|r| (r.line, r.minutes)).collect::<Vec<_>>(), vec![(4, 90)]);
    }

    #[test]
    fn import_semicolons_and_german_kimai_headers() {
        let text = "Datum;Von;Bis;Dauer;Benutzer;E-Mail;Kunde;Projekt;Tätigkeit;Beschreibung;Abrechenbar\n\
                    02.03.2026;09:00;10:30;1,5;ana;ana@example.coop;Forno;Bakery POS;Programming;Kasse;Ja\n";
        assert_eq!(detect(text), Some(Format::Kimai));
        let rows = parse(Format::Kimai, text).unwrap();
        assert_eq!((rows[0].date, rows[0].minutes, rows[0].billable, rows[0].category.as_deref()), (date(2026, 3, 2), 90, Some(true), Some("Programming")));
    }

    #[test]
    fn import_kimai_user_column_must_hold_an_email() {
        let text = "Date,Duration,User,Project,Activity\n2026-03-02,1.5,ana@example.coop,Internal,Admin\n2026-03-02,1,ana,Internal,Admin\n";
        let e = parse(Format::Kimai, text).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("Kimai user \"ana\" is not an email address"), "{e}");
    }

    #[test]
    fn import_dates_per_tool() {
        assert_eq!(parse_date("2026-03-02", DateStyle::Iso), Ok(date(2026, 3, 2)));
        assert_eq!(parse_date("02.03.2026", DateStyle::IsoOrDayDotted), Ok(date(2026, 3, 2)));
        assert_eq!(parse_date("3/2/2026", DateStyle::IsoOrUs), Ok(date(2026, 3, 2)));
        assert_eq!(parse_date("03/02/2026", DateStyle::IsoOrUs), Ok(date(2026, 3, 2)));
        assert!(parse_date("03/02/2026", DateStyle::Iso).is_err());
        assert!(parse_date("02.03.2026", DateStyle::IsoOrUs).is_err());
        assert!(parse_date("13/02/2026", DateStyle::IsoOrUs).is_err());
        assert!(parse_date("2026-02-29", DateStyle::Iso).unwrap_err().contains("no such day"));
        assert!(parse_date("", DateStyle::Iso).unwrap_err().contains("empty"));
        assert!(parse_date("2026-03-02T09:00", DateStyle::Iso).is_err());
        let text = "Date,Project,Task,Notes,Hours,First Name,Last Name\n3/2/2026,Internal,Admin,,1.5,Ana,Silva\n";
        assert_eq!(parse(Format::Harvest, text).unwrap()[0].date, date(2026, 3, 2));
    }

    #[test]
    fn import_durations_as_the_tools_write_them() {
        for (text, minutes) in [
            ("1.5", 90),
            ("1,5", 90),
            (".25", 15),
            ("8", 480),
            ("0.33", 20),
            ("0.17", 10),
            ("1:30", 90),
            ("01:30:00", 90),
            ("00:20:30", 21),
            ("00:20:29", 20),
            ("00:00:12", 0),
            (" 2.00 ", 120),
        ] {
            assert_eq!(parse_duration(text), Ok(minutes), "{text}");
        }
        for bad in ["", "-1", "-00:30:00", "abc", "1:60", "1:30:60", "25:00:00", "24.5"] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
        let e = parse(Format::Generic, "email,date,hours\na@x.org,2026-01-01,1\na@x.org,2026-01-02,25:00\n").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.contains("more than the 24 hours"), "{e}");
    }

    #[test]
    fn import_quoted_fields_and_wrong_field_counts() {
        let text = "email,date,hours,project,category,note\n\
                    a@x.org,2026-01-01,1,\"Shop, online\",Design,\"said \"\"hi\"\"\nthen left\"\n\
                    a@x.org,2026-01-02,1,Shop\n";
        let e = parse(Format::Generic, text).unwrap_err();
        assert_eq!(e.to_string(), "line 4: 4 fields where the header has 6");
        let ok = parse(Format::Generic, &text[..text.rfind("a@x.org").unwrap()]).unwrap();
        assert_eq!(ok[0].project, s("Shop, online"));
        assert_eq!(ok[0].note, "said \"hi\"\nthen left");
        let e = parse(Format::Generic, "email,date,hours\na@x.org,2026-01-01,1,\"unterminated\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
    }

    #[test]
    fn import_unknown_projects_and_kinds_need_a_mapping() {
        let rows = parse(Format::Kimai, KIMAI).unwrap();
        let e = resolve_all(&rows, &Mapping::default()).unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(
            e.message,
            "unknown projects \"Intranet\"; unknown kinds of work \"Development\": map each to an existing one or let the import create them"
        );
        let unknown = unknown_names(&rows, &PROJECTS, &KINDS, &Mapping::default());
        assert_eq!(unknown.projects, vec![("Intranet".to_string(), 4)]);
        assert_eq!(unknown.categories, vec![("Development".to_string(), 2)]);

        let mut mapping = Mapping::default();
        mapping.categories.insert("development".into(), "programming".into());
        mapping.projects.insert("Intranet".into(), "".into());
        let resolved = resolve_all(&rows, &mapping).unwrap();
        assert_eq!(resolved[0].category, s("Programming"), "mapped, ignoring case, to the co-op's spelling");
        assert_eq!(resolved[2].project, None, "mapped to no project");
        assert_eq!(resolved[0].project, s("Bakery POS"));

        let create = Mapping { create_unknown: true, ..Mapping::default() };
        let resolved = resolve_all(&rows, &create).unwrap();
        assert_eq!(resolved[0].category, s("Development"));
        assert_eq!(resolved[2].project, s("Intranet"));

        let mut wrong = Mapping::default();
        wrong.categories.insert("Development".into(), "Coding".into());
        wrong.projects.insert("Intranet".into(), "Internal".into());
        let e = resolve_all(&rows, &wrong).unwrap_err();
        assert_eq!(e.to_string(), "line 2: the mapping sends a kind of work to \"Coding\", which the co-op does not have");
    }

    #[test]
    fn import_person_error_before_unknown_names_wins_by_line() {
        let text = "email,date,hours,project\nzed@x.org,2026-01-01,1,Internal\na@x.org,2026-01-01,1,Nowhere\n";
        let e = resolve_all(&parse(Format::Generic, text).unwrap(), &Mapping::default()).unwrap_err();
        assert_eq!(e.line, 2);
        let text = "email,date,hours,project\nana@example.coop,2026-01-01,1,Nowhere\nzed@x.org,2026-01-01,1,Internal\n";
        let e = resolve_all(&parse(Format::Generic, text).unwrap(), &Mapping::default()).unwrap_err();
        assert_eq!((e.line, e.message.starts_with("unknown projects \"Nowhere\"")), (2, true), "{e}");
    }

    #[test]
    fn import_duplicates_flagged() {
        let text = "email,date,hours,project,category,note\n\
                    ana@example.coop,2026-03-02,1.5,Bakery POS,Programming,morning\n\
                    ana@example.coop,2026-03-02,2,Internal,Admin,\n\
                    ben@example.coop,2026-03-02,1.5,Bakery POS,Programming,\n\
                    ana@example.coop,2026-03-02,1:30,bakery pos,Programming,again\n\
                    ana@example.coop,2026-03-03,2,Internal,Admin,\n";
        let entries = resolve_all(&parse(Format::Generic, text).unwrap(), &Mapping::default()).unwrap();
        let existing = [(1i64, date(2026, 3, 3), 120i64, Some("INTERNAL")), (2, date(2026, 3, 2), 90, None)];
        assert_eq!(flag_duplicates(&entries, &existing), vec![5, 6]);
        assert_eq!(
            find_duplicates(&entries, &existing),
            vec![Duplicate { line: 5, of: DuplicateOf::Line(2) }, Duplicate { line: 6, of: DuplicateOf::Existing },]
        );
        let none: [(i64, Date, i64, Option<String>); 0] = [];
        assert_eq!(flag_duplicates(&entries, &none), vec![5]);
    }

    #[test]
    fn import_write_generic_refuses_names() {
        let rows = parse(Format::Harvest, HARVEST).unwrap();
        assert_eq!(write_generic(&rows).unwrap_err().line, 2);
        let rows = parse(Format::Toggl, TOGGL).unwrap();
        let text = write_generic(&rows).unwrap();
        assert!(text.starts_with("email,date,hours,project,category,note\nana@example.coop,2026-03-02,1.50,"), "{text}");
        assert!(text.contains(",3:31,"), "{text}");
    }

    /// The compact path (for large imports) must give exactly what the row-by-row path gives:
    /// the same rows, the same matches, the same duplicates and the same first error.
    #[test]
    fn import_compact_path_matches_the_row_path() {
        let create = Mapping { create_unknown: true, ..Mapping::default() };
        let mut mapped = Mapping::default();
        mapped.categories.insert("development".into(), "programming".into());
        mapped.projects.insert("Intranet".into(), "".into());
        let dup = "email,date,hours,project,category,note\n\
                   ana@example.coop,2026-03-02,1.5,Bakery POS,Programming,morning\n\
                   ANA@example.coop,2026-03-02,1:30,bakery pos,Programming,again\n\
                   ben@example.coop,2026-03-03,2,Internal,Admin,\n";
        let existing = [(2i64, date(2026, 3, 3), 120i64, Some("INTERNAL"))];
        for (format, text) in [
            (Format::Toggl, TOGGL),
            (Format::Kimai, KIMAI),
            (Format::Harvest, HARVEST),
            (Format::Generic, GENERIC),
            (Format::Generic, dup),
            (Format::Toggl, TOGGL_BAD),
            (Format::Kimai, KIMAI_BAD),
            (Format::Harvest, HARVEST_BAD),
            (Format::Generic, GENERIC_BAD),
        ] {
            let rows = parse(format, text);
            let file = parse_compact(format, text);
            let (rows, file) = match (rows, file) {
                (Ok(r), Ok(f)) => (r, f),
                (Err(a), Err(b)) => {
                    assert_eq!(a, b, "{format}");
                    continue;
                }
                other => panic!("{format}: the two paths disagree: {other:?}"),
            };
            assert_eq!(file.to_rows(), rows, "{format}");
            for mapping in [&Mapping::default(), &create, &mapped] {
                match (resolve_all(&rows, mapping), resolve_compact(&file, &members(), &PROJECTS, &KINDS, mapping)) {
                    (Ok(entries), Ok(resolved)) => {
                        let back: Vec<ResolvedEntry> = file.rows.iter().map(|r| resolved.entry(&file, r)).collect();
                        assert_eq!(back, entries, "{format}");
                        assert_eq!(resolved.duplicates(&file, &existing), flag_duplicates(&entries, &existing), "{format}");
                    }
                    (Err(a), Err(b)) => assert_eq!(a, b, "{format}"),
                    other => panic!("{format}: resolve and resolve_compact disagree: {other:?}"),
                }
            }
        }
        // A million rows in 32 MB (the benchmark's peak memory counts on it).
        assert_eq!(std::mem::size_of::<ParsedRow>(), 32);
        // The duplicate sample really has duplicates, so the comparison above means something.
        let file = parse_compact(Format::Generic, dup).unwrap();
        let resolved = resolve_compact(&file, &members(), &PROJECTS, &KINDS, &Mapping::default()).unwrap();
        assert_eq!(resolved.duplicates(&file, &existing), vec![3, 4]);
    }

    fn row_strategy() -> impl Strategy<Value = ImportRow> {
        let name = "[A-Za-z0-9é][A-Za-z0-9 ,;\"'é&/-]{0,12}[A-Za-z0-9é]?".prop_map(|s| s.trim().to_string());
        let note = "[A-Za-z0-9 ,;\"'\né&]{0,30}".prop_map(|s| s.trim().to_string());
        (
            "[a-z][a-z0-9.]{0,8}[a-z]@[a-z]{1,8}\\.(org|coop)",
            (2000i16..2100, 1i8..=12, 1i8..=28),
            0i64..=1440,
            proptest::option::of(name.clone()),
            proptest::option::of(name),
            note,
        )
            .prop_map(|(email, (y, m, d), minutes, project, category, note)| ImportRow {
                line: 0,
                person: PersonRef::Email(email),
                date: date(y, m, d),
                minutes,
                project: project.filter(|p| !p.is_empty()),
                category: category.filter(|c| !c.is_empty()),
                note,
                billable: None,
            })
    }

    proptest! {
        #[test]
        fn import_generic_round_trips(mut rows in proptest::collection::vec(row_strategy(), 1..20)) {
            let mut line = 2;
            for r in &mut rows {
                r.line = line;
                line += 1 + [r.project.as_deref().unwrap_or(""), r.category.as_deref().unwrap_or(""), &r.note]
                    .iter()
                    .map(|f| f.matches('\n').count())
                    .sum::<usize>();
            }
            let text = write_generic(&rows).unwrap();
            prop_assert_eq!(detect(&text), Some(Format::Generic));
            let back = parse(Format::Generic, &text).unwrap();
            prop_assert_eq!(back, rows);
        }
    }
}
