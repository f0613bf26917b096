//! Meetings and minutes as pure rules: when a recurring meeting falls (in the co-op's time
//! zone, so that a 19:00 meeting stays at 19:00 local across daylight-saving changes), who
//! should take a role next (fair rotation), how minutes move from draft to approved, and the
//! text forms of minutes (Markdown, a printable HTML page) and of calendars (iCalendar).
//!
//! Minutes are the legal record of the co-op's decisions, so the renderers here take one
//! [`MinutesDoc`] built by the application from stored facts: every export (Markdown, HTML,
//! PDF) shows the same items, decisions and seal.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::Serialize;

/// The kinds of meeting a co-op holds.
pub const KINDS: [&str; 4] = ["general", "production", "board", "committee"];

/// The attendance a member can have; `remote` counts as present.
pub const ATTENDANCE: [&str; 4] = ["present", "remote", "absent", "excused"];

/// The roles taken at each meeting, in the order they are shown.
pub const ROLES: [&str; 3] = ["facilitator", "note_taker", "timekeeper"];

/// How a meeting repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Repeat {
    /// Every `n` weeks (weekly is `EveryWeeks(1)`).
    EveryWeeks(u8),
    /// The same day of every month (the 31st falls on the month's last day).
    Monthly,
}

impl Repeat {
    /// Parses `weekly`, `monthly` or `every-N-weeks` (N from 1 to 52).
    pub fn parse(s: &str) -> Result<Repeat, String> {
        let s = s.trim().to_ascii_lowercase();
        match s.as_str() {
            "weekly" => return Ok(Repeat::EveryWeeks(1)),
            "monthly" => return Ok(Repeat::Monthly),
            _ => {}
        }
        let n = s.strip_prefix("every-").and_then(|r| r.strip_suffix("-weeks").or_else(|| r.strip_suffix("-week")));
        match n.and_then(|n| n.parse::<u8>().ok()) {
            Some(n) if (1..=52).contains(&n) => Ok(Repeat::EveryWeeks(n)),
            _ => Err(format!("{s:?} is not a repeat (use weekly, monthly or every-N-weeks, e.g. every-6-weeks)")),
        }
    }

    pub fn text(self) -> String {
        match self {
            Repeat::EveryWeeks(1) => "weekly".into(),
            Repeat::EveryWeeks(n) => format!("every-{n}-weeks"),
            Repeat::Monthly => "monthly".into(),
        }
    }
}

/// The most occurrences one `meeting new --repeat` may create (two years of weekly meetings).
pub const MAX_OCCURRENCES: usize = 104;

/// The start instants of a series: the first at `first`, the next ones at the same local
/// time of day in `tz`, `count` in all or up to and including the local date `until`.
///
/// Each occurrence is computed from the first one's civil date and time (not by adding
/// 168 hours), so a weekly 19:00 meeting is at 19:00 local before and after a daylight-saving
/// change; a local time that does not exist that day (a spring-forward gap) moves forward by
/// the gap, as jiff's "compatible" rule (and RFC 5545) says.
pub fn occurrences(first: Timestamp, tz: &TimeZone, repeat: Repeat, count: Option<usize>, until: Option<Date>) -> Result<Vec<Timestamp>, String> {
    if count.is_none() && until.is_none() {
        return Err("a repeating meeting needs --count or --until".into());
    }
    if count == Some(0) {
        return Err("--count must be at least 1".into());
    }
    let start: DateTime = first.to_zoned(tz.clone()).datetime();
    let mut out = Vec::new();
    for i in 0i64.. {
        if count.is_some_and(|c| out.len() >= c) {
            break;
        }
        let date = match repeat {
            Repeat::EveryWeeks(n) => start.date().checked_add((i * 7 * i64::from(n)).days()),
            Repeat::Monthly => start.date().checked_add(i.months()),
        }
        .map_err(|e| format!("the series runs past the calendar: {e}"))?;
        if until.is_some_and(|u| date > u) {
            break;
        }
        if out.len() >= MAX_OCCURRENCES {
            return Err(format!("a series has at most {MAX_OCCURRENCES} meetings; give a smaller --count or an earlier --until"));
        }
        let local = date.to_datetime(start.time());
        let ts = tz.to_ambiguous_zoned(local).compatible().map_err(|e| e.to_string())?.timestamp();
        out.push(ts);
    }
    if out.is_empty() {
        return Err("--until is before the first meeting".into());
    }
    Ok(out)
}

/// Who held a role at a past meeting, for the rotation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleTurn {
    pub role: String,
    pub member_id: i64,
    /// When that meeting started (any totally ordered text, e.g. stored instants).
    pub at: String,
}

/// Suggests who takes each role in [`ROLES`] next: for each role, the candidate who held it
/// least recently (never beats any date; ties go to the lowest member id), and, while there
/// are enough candidates, no one takes two roles at once. Returns `(role, member_id)` pairs;
/// a role is left out when there is no candidate for it.
pub fn suggest_rotation(candidates: &[i64], history: &[RoleTurn]) -> Vec<(String, i64)> {
    let mut taken: Vec<i64> = Vec::new();
    let mut out = Vec::new();
    for role in ROLES {
        let last = |m: i64| history.iter().filter(|t| t.role == role && t.member_id == m).map(|t| t.at.as_str()).max();
        let mut pool: Vec<i64> = candidates.iter().copied().filter(|m| !taken.contains(m)).collect();
        if pool.is_empty() {
            pool = candidates.to_vec();
        }
        pool.sort_unstable();
        pool.dedup();
        // `None` (never held it) sorts before every `Some`.
        if let Some(best) = pool.iter().copied().min_by(|a, b| last(*a).cmp(&last(*b)).then(a.cmp(b))) {
            taken.push(best);
            out.push((role.to_string(), best));
        }
    }
    out
}

/// Where the minutes are on their way to becoming the legal record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MinutesStatus {
    /// Being written: notes, attendance and actions may change.
    Draft,
    /// Sent to members for reading before approval; may still be corrected.
    Circulated,
    /// Approved and sealed: changes only as appended errata.
    Approved,
}

impl MinutesStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MinutesStatus::Draft => "draft",
            MinutesStatus::Circulated => "circulated",
            MinutesStatus::Approved => "approved",
        }
    }

    pub fn parse(s: &str) -> Result<MinutesStatus, String> {
        match s {
            "draft" => Ok(MinutesStatus::Draft),
            "circulated" => Ok(MinutesStatus::Circulated),
            "approved" => Ok(MinutesStatus::Approved),
            other => Err(format!("{other:?} is not a minutes status")),
        }
    }

    /// Whether the record itself (notes, attendance, items, actions) may still change.
    pub fn editable(self) -> bool {
        self != MinutesStatus::Approved
    }

    /// The one allowed move to `to`, or why not. Circulated minutes go back to draft when
    /// someone reopens them; approval comes from draft or circulated; nothing leaves approved.
    pub fn transition(self, to: MinutesStatus) -> Result<MinutesStatus, String> {
        use MinutesStatus::*;
        match (self, to) {
            (Draft, Circulated) | (Circulated, Draft) | (Draft, Approved) | (Circulated, Approved) => Ok(to),
            (Approved, _) => Err("the minutes are approved and sealed; correct them with an erratum".into()),
            (from, to) => Err(format!("the minutes are already {}; they cannot become {} again", from.as_str(), to.as_str())),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The minutes as a document

/// One agenda item as recorded.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct MinutesItem {
    pub title: String,
    pub presenter: Option<String>,
    pub minutes_box: Option<i64>,
    pub notes: String,
    /// Decisions linked to this item: one line each, e.g. "#4 Hire Ana: passed (yes 4, no 1)".
    pub decisions: Vec<String>,
}

/// One action agreed.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct MinutesAction {
    pub title: String,
    pub owner: String,
    pub due: String,
    pub done: bool,
}

/// Everything an export of the minutes shows, as text already in the co-op's time zone.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct MinutesDoc {
    pub coop: String,
    pub title: String,
    pub kind: String,
    /// "2027-03-14 19:00 (America/New_York)".
    pub when: String,
    pub minutes_long: i64,
    pub place: String,
    pub link: String,
    pub status: String,
    /// `(role, name)`.
    pub roles: Vec<(String, String)>,
    /// `(attendance, names)` for present, remote, absent, excused.
    pub attendance: Vec<(String, Vec<String>)>,
    pub items: Vec<MinutesItem>,
    /// Decisions taken at the meeting that no item links.
    pub other_decisions: Vec<String>,
    pub actions: Vec<MinutesAction>,
    pub sealed_hash: Option<String>,
    pub journal_head: Option<String>,
    pub approved_at: Option<String>,
    /// `(when, text)` of each erratum, oldest first.
    pub errata: Vec<(String, String)>,
}

/// A line of text in a document, as every renderer sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Heading(u8, String),
    Paragraph(String),
    /// Bulleted lines.
    List(Vec<String>),
}

impl MinutesDoc {
    /// The document as headings, paragraphs and lists: the one structure that Markdown, HTML
    /// and PDF render, so the three exports never disagree on content.
    pub fn blocks(&self) -> Vec<Block> {
        let mut b = vec![Block::Heading(1, format!("Minutes: {}", self.title))];
        let mut facts =
            vec![format!("Co-op: {}", self.coop), format!("Kind: {} meeting", self.kind), format!("When: {} ({} minutes)", self.when, self.minutes_long)];
        if !self.place.is_empty() {
            facts.push(format!("Place: {}", self.place));
        }
        if !self.link.is_empty() {
            facts.push(format!("Online: {}", self.link));
        }
        facts.push(format!("Status: {}", self.status));
        b.push(Block::List(facts));
        if !self.roles.is_empty() {
            b.push(Block::Heading(2, "Roles".into()));
            b.push(Block::List(self.roles.iter().map(|(r, n)| format!("{}: {n}", r.replace('_', "-"))).collect()));
        }
        b.push(Block::Heading(2, "Attendance".into()));
        b.push(Block::List(
            self.attendance
                .iter()
                .map(|(a, names)| if names.is_empty() { format!("{a}: 0") } else { format!("{a}: {} ({})", names.len(), names.join(", ")) })
                .collect(),
        ));
        b.push(Block::Heading(2, "Agenda and notes".into()));
        if self.items.is_empty() {
            b.push(Block::Paragraph("No items.".into()));
        }
        for (i, item) in self.items.iter().enumerate() {
            let mut head = format!("{}. {}", i + 1, item.title);
            let mut extra = Vec::new();
            if let Some(p) = &item.presenter {
                extra.push(format!("presented by {p}"));
            }
            if let Some(m) = item.minutes_box {
                extra.push(format!("{m} min"));
            }
            if !extra.is_empty() {
                head.push_str(&format!(" ({})", extra.join(", ")));
            }
            b.push(Block::Heading(3, head));
            if !item.notes.trim().is_empty() {
                for para in item.notes.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
                    b.push(Block::Paragraph(para.to_string()));
                }
            }
            if !item.decisions.is_empty() {
                b.push(Block::List(item.decisions.iter().map(|d| format!("Decision: {d}")).collect()));
            }
        }
        if !self.other_decisions.is_empty() {
            b.push(Block::Heading(2, "Other decisions".into()));
            b.push(Block::List(self.other_decisions.clone()));
        }
        b.push(Block::Heading(2, "Actions".into()));
        if self.actions.is_empty() {
            b.push(Block::Paragraph("No actions.".into()));
        } else {
            b.push(Block::List(
                self.actions.iter().map(|a| format!("{} - {}, due {}{}", a.title, a.owner, a.due, if a.done { " (done)" } else { "" })).collect(),
            ));
        }
        b.push(Block::Heading(2, "Record".into()));
        let mut record = Vec::new();
        match &self.sealed_hash {
            Some(h) => record.push(format!("Seal (SHA-256 of the approved minutes): {h}")),
            None => record.push("Not sealed yet: these minutes are not approved.".to_string()),
        }
        if let Some(at) = &self.approved_at {
            record.push(format!("Approved at: {at}"));
        }
        if let Some(h) = &self.journal_head {
            record.push(format!("Journal head at approval: {h}"));
        }
        b.push(Block::List(record));
        if !self.errata.is_empty() {
            b.push(Block::Heading(2, "Errata".into()));
            b.push(Block::List(self.errata.iter().map(|(at, text)| format!("{at}: {text}")).collect()));
        }
        b
    }

    /// The minutes as Markdown. Text from people is escaped so it cannot turn into headings,
    /// links or lists that were not written in the record.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        for block in self.blocks() {
            match block {
                Block::Heading(level, text) => {
                    out.push_str(&"#".repeat(level as usize));
                    out.push(' ');
                    out.push_str(&md_escape(&text));
                    out.push_str("\n\n");
                }
                Block::Paragraph(text) => {
                    out.push_str(&md_escape(&text));
                    out.push_str("\n\n");
                }
                Block::List(lines) => {
                    for l in lines {
                        out.push_str("- ");
                        out.push_str(&md_escape(&l));
                        out.push('\n');
                    }
                    out.push('\n');
                }
            }
        }
        out
    }

    /// A complete, printable HTML page (no scripts, inline print styles).
    pub fn to_html(&self) -> String {
        let mut out = String::from("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        out.push_str(&format!("<title>{}</title>\n", html_escape(&format!("Minutes: {}", self.title))));
        out.push_str(
            "<style>body{font-family:system-ui,sans-serif;max-inline-size:42rem;margin-inline:auto;padding:1rem;line-height:1.45}\
             code{word-break:break-all}@media print{body{max-inline-size:none}}</style>\n</head>\n<body>\n",
        );
        for block in self.blocks() {
            match block {
                Block::Heading(level, text) => out.push_str(&format!("<h{level}>{}</h{level}>\n", html_escape(&text))),
                Block::Paragraph(text) => out.push_str(&format!("<p>{}</p>\n", html_escape(&text).replace('\n', "<br>"))),
                Block::List(lines) => {
                    out.push_str("<ul>\n");
                    for l in lines {
                        out.push_str(&format!("<li>{}</li>\n", html_escape(&l)));
                    }
                    out.push_str("</ul>\n");
                }
            }
        }
        out.push_str("</body>\n</html>\n");
        out
    }

    /// The minutes as a PDF (see [`crate::pdf`] for its limits).
    pub fn to_pdf(&self) -> Vec<u8> {
        let mut doc = crate::pdf::PdfDocument::new(&format!("Minutes: {}", self.title));
        for block in self.blocks() {
            match block {
                Block::Heading(level, text) => doc.heading(level, &text),
                Block::Paragraph(text) => doc.paragraph(&text),
                Block::List(lines) => {
                    for l in lines {
                        doc.bullet(&l);
                    }
                    doc.space();
                }
            }
        }
        doc.finish()
    }
}

/// Escapes the characters that Markdown would read as markup.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

// ---------------------------------------------------------------------------------------------
// iCalendar (RFC 5545)

/// One event of a calendar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalEvent {
    /// Globally unique and stable, so calendar apps update rather than duplicate.
    pub uid: String,
    pub start: Timestamp,
    pub end: Timestamp,
    pub summary: String,
    pub description: String,
    pub location: String,
    pub url: String,
}

/// Writes a calendar. Times are UTC (`...Z`): an exact instant that every reader places
/// correctly in its own zone, whatever daylight-saving rules apply where, with no VTIMEZONE
/// block to go stale. Lines end in CRLF and fold at 75 octets, text is escaped.
pub fn ical(name: &str, stamp: Timestamp, events: &[CalEvent]) -> String {
    let mut out = String::new();
    let mut line = |s: String| out.push_str(&fold(&s));
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//coop//meetings//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", ical_escape(name)));
    for e in events {
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", ical_escape(&e.uid)));
        line(format!("DTSTAMP:{}", ical_utc(stamp)));
        line(format!("DTSTART:{}", ical_utc(e.start)));
        line(format!("DTEND:{}", ical_utc(e.end)));
        line(format!("SUMMARY:{}", ical_escape(&e.summary)));
        if !e.description.is_empty() {
            line(format!("DESCRIPTION:{}", ical_escape(&e.description)));
        }
        if !e.location.is_empty() {
            line(format!("LOCATION:{}", ical_escape(&e.location)));
        }
        if !e.url.is_empty() {
            // URL is a URI value: not escaped, but it must stay on one logical line.
            line(format!("URL:{}", e.url.replace(['\r', '\n'], "")));
        }
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

/// `20270314T230000Z`.
pub fn ical_utc(ts: Timestamp) -> String {
    ts.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a TEXT value: backslash, semicolon, comma and newlines (RFC 5545 3.3.11).
pub fn ical_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds one content line into lines of at most 75 octets (continuations start with a
/// space), never splitting a UTF-8 character, and ends it with CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ny() -> TimeZone {
        TimeZone::get("America/New_York").unwrap()
    }

    #[test]
    fn weekly_meetings_keep_local_time_across_dst() {
        // 19:00 New York on 2027-03-07 (EST, UTC-5); DST starts 2027-03-14.
        let first: Timestamp = "2027-03-08T00:00:00Z".parse().unwrap();
        let got = occurrences(first, &ny(), Repeat::EveryWeeks(1), Some(3), None).unwrap();
        let want: Vec<Timestamp> = ["2027-03-08T00:00:00Z", "2027-03-14T23:00:00Z", "2027-03-21T23:00:00Z"].iter().map(|s| s.parse().unwrap()).collect();
        assert_eq!(got, want);
        for ts in got {
            assert_eq!(ts.to_zoned(ny()).time().hour(), 19);
        }
    }

    #[test]
    fn every_six_weeks_until_a_date_and_monthly_on_the_last_day() {
        let first: Timestamp = "2027-01-05T17:00:00Z".parse().unwrap();
        let got = occurrences(first, &TimeZone::UTC, Repeat::EveryWeeks(6), None, Some("2027-04-01".parse().unwrap())).unwrap();
        assert_eq!(got.len(), 3, "5 Jan, 16 Feb, 30 Mar");
        assert_eq!(got[2], "2027-03-30T17:00:00Z".parse::<Timestamp>().unwrap());
        let first: Timestamp = "2027-01-31T10:00:00Z".parse().unwrap();
        let got = occurrences(first, &TimeZone::UTC, Repeat::Monthly, Some(3), None).unwrap();
        assert_eq!(got[1], "2027-02-28T10:00:00Z".parse::<Timestamp>().unwrap());
        assert_eq!(got[2], "2027-03-31T10:00:00Z".parse::<Timestamp>().unwrap(), "each month from the first date, not from the clamped one");
    }

    #[test]
    fn repeat_parses_and_refuses() {
        assert_eq!(Repeat::parse("weekly").unwrap(), Repeat::EveryWeeks(1));
        assert_eq!(Repeat::parse("every-6-weeks").unwrap(), Repeat::EveryWeeks(6));
        assert_eq!(Repeat::parse("Monthly").unwrap(), Repeat::Monthly);
        assert!(Repeat::parse("every-0-weeks").is_err());
        assert!(Repeat::parse("daily").is_err());
        let first: Timestamp = "2027-01-05T17:00:00Z".parse().unwrap();
        assert!(occurrences(first, &TimeZone::UTC, Repeat::Monthly, None, None).is_err());
        assert!(occurrences(first, &TimeZone::UTC, Repeat::EveryWeeks(1), Some(500), None).is_err());
        assert!(occurrences(first, &TimeZone::UTC, Repeat::EveryWeeks(1), None, Some("2026-01-01".parse().unwrap())).is_err());
    }

    #[test]
    fn rotation_picks_who_did_it_least_recently() {
        let t = |role: &str, m: i64, at: &str| RoleTurn { role: role.into(), member_id: m, at: at.into() };
        let history = vec![
            t("facilitator", 1, "2027-01-01"),
            t("facilitator", 2, "2027-02-01"),
            t("facilitator", 3, "2027-03-01"),
            t("note_taker", 1, "2027-03-01"),
            t("note_taker", 3, "2027-01-01"),
        ];
        let got = suggest_rotation(&[1, 2, 3, 4], &history);
        // 4 never facilitated; note-taker: 2 never did and 4 is taken; timekeeper: nobody has, 1 is free.
        assert_eq!(got, vec![("facilitator".into(), 4), ("note_taker".into(), 2), ("timekeeper".into(), 1)]);
        let got = suggest_rotation(&[1, 2, 3], &history);
        assert_eq!(got[0], ("facilitator".into(), 1));
        // With one candidate, they take every role.
        assert_eq!(suggest_rotation(&[7], &[]).len(), 3);
        assert!(suggest_rotation(&[], &history).is_empty());
    }

    #[test]
    fn minutes_transitions() {
        use MinutesStatus::*;
        assert_eq!(Draft.transition(Circulated), Ok(Circulated));
        assert_eq!(Circulated.transition(Approved), Ok(Approved));
        assert_eq!(Draft.transition(Approved), Ok(Approved));
        assert!(Approved.transition(Draft).is_err());
        assert!(Approved.transition(Approved).is_err());
        assert!(Circulated.transition(Circulated).is_err());
        assert!(!Approved.editable() && Draft.editable() && Circulated.editable());
    }

    #[test]
    fn ical_escapes_and_folds() {
        assert_eq!(ical_escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        let long = format!("SUMMARY:{}", "é".repeat(60));
        let folded = fold(&long);
        for l in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{l:?} is {} octets", l.len());
        }
        let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long);
    }

    #[test]
    fn markdown_escapes_people_text_and_shows_the_seal() {
        let doc = MinutesDoc {
            title: "May *general*".into(),
            items: vec![MinutesItem {
                title: "# Budget".into(),
                notes: "We agreed.".into(),
                decisions: vec!["#3 Budget: passed".into()],
                ..Default::default()
            }],
            sealed_hash: Some("ab".repeat(32)),
            ..Default::default()
        };
        let md = doc.to_markdown();
        assert!(md.starts_with("# Minutes: May \\*general\\*\n"));
        assert!(md.contains("### 1. \\# Budget"));
        assert!(md.contains(&"ab".repeat(32)));
        assert!(md.contains("Decision: \\#3 Budget: passed"));
        let html = MinutesDoc { title: "<script>".into(), ..Default::default() }.to_html();
        assert!(html.contains("&lt;script&gt;") && !html.contains("<script>"));
    }

    proptest! {
        #[test]
        fn folding_round_trips_and_respects_75_octets(s in "\\PC{0,300}") {
            let line = format!("DESCRIPTION:{}", ical_escape(&s));
            let folded = fold(&line);
            prop_assert!(folded.ends_with("\r\n"));
            for l in folded.trim_end_matches("\r\n").split("\r\n") {
                prop_assert!(l.len() <= 75);
            }
            prop_assert_eq!(folded.trim_end_matches("\r\n").replace("\r\n ", ""), line);
        }

        #[test]
        fn escaped_text_has_no_raw_separators(s in "\\PC{0,100}") {
            let e = ical_escape(&s);
            // Every ; and , is preceded by a backslash that is itself not escaped.
            let bytes = e.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'\\' { i += 2; continue; }
                prop_assert!(bytes[i] != b';' && bytes[i] != b',' && bytes[i] != b'\n');
                i += 1;
            }
        }

        #[test]
        fn weekly_series_stay_at_the_same_local_time(days in 0i64..3000, hour in 8i8..22, n in 1usize..30) {
            let date = Date::new(2025, 1, 1).unwrap().checked_add(days.days()).unwrap();
            let first = ny().to_ambiguous_zoned(date.at(hour, 0, 0, 0)).compatible().unwrap().timestamp();
            let got = occurrences(first, &ny(), Repeat::EveryWeeks(1), Some(n), None).unwrap();
            prop_assert_eq!(got.len(), n);
            for (i, ts) in got.iter().enumerate() {
                let z = ts.to_zoned(ny());
                prop_assert_eq!(z.time().hour(), hour);
                prop_assert_eq!(z.date(), date.checked_add((7 * i as i64).days()).unwrap());
            }
        }
    }
}
