//! The properties the fuzz targets check, shared by the targets in `fuzz_targets/`.
//!
//! Each target feeds arbitrary text to one of coop-core's parsers of outside input and, beyond
//! "it does not panic", asserts what must hold of what it accepts: a value written back out
//! reads back the same, the compact and the plain readers agree, totals and line numbers make
//! sense, and everything resolved against the co-op points at something the co-op has.

use coop_core::email::Email;
use coop_core::import::{self, Format, ImportRow, Mapping, PersonRef};
use std::collections::HashMap;

/// The fixed roster imports are resolved against: `(id, email, name)`. Two members share a
/// name, so that Harvest's refusal of an ambiguous name is reached too.
pub const MEMBERS: &[(i64, &str, &str)] = &[
    (1, "ana@example.coop", "Ana Silva"),
    (2, "ben@example.coop", "Ben Okafor"),
    (3, "chloe@example.coop", "Chloé Martin"),
    (4, "dev@example.coop", "Dev Patel"),
    (5, "dev.p@example.coop", "Dev Patel"),
];
pub const PROJECTS: &[&str] = &["Bakery POS", "Internal", "Website relaunch", "Intranet"];
pub const CATEGORIES: &[&str] = &["Programming", "Admin", "Design", "Meetings"];

/// The input as text; the parsers take `&str` (the web and CLI layers refuse other bytes).
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// The mappings every file is resolved with: none, "create what is unknown", and one that
/// renames, drops, and sends a name to a project the co-op does not have.
fn mappings() -> Vec<Mapping> {
    let map = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<HashMap<_, _>>();
    vec![
        Mapping::default(),
        Mapping { create_unknown: true, ..Mapping::default() },
        Mapping {
            projects: map(&[("Forno Bakery", "bakery pos"), ("Cooperative", ""), ("Ghost", "No Such Project")]),
            categories: map(&[("Development", "Programming"), ("meetings", "MEETINGS")]),
            create_unknown: false,
        },
    ]
}

/// The number of the last line of `text` as an editor shows it (lines end at `\n`, `\r\n` or a
/// lone `\r`).
fn last_line(text: &str) -> usize {
    text.replace("\r\n", "\n").bytes().filter(|&b| b == b'\n' || b == b'\r').count() + 1
}

/// Parses `text` as `format` and checks everything that must hold of the answer.
pub fn check_import(format: Format, text: &str) {
    let parsed = import::parse(format, text);
    let compact = import::parse_compact(format, text);
    let last = last_line(text);
    let rows = match (&parsed, &compact) {
        (Ok(rows), Ok(file)) => {
            assert_eq!(&file.to_rows(), rows, "parse_compact disagrees with parse");
            rows
        }
        (Err(a), Err(b)) => {
            assert_eq!(a, b, "parse and parse_compact give different errors");
            assert!(a.line >= 1 && a.line <= last, "error line {} outside the file's {} lines: {a}", a.line, last);
            check_bom(format, text, &parsed);
            return;
        }
        _ => panic!("parse and parse_compact disagree: {parsed:?} / {:?}", compact.as_ref().map(|f| f.to_rows())),
    };
    let file = compact.as_ref().unwrap();
    assert!(!rows.is_empty(), "an accepted file has entries");
    check_bom(format, text, &parsed);

    let mut prev = 1;
    for r in rows {
        assert!(r.line > prev && r.line <= last, "row line {} after {} in a file of {} lines", r.line, prev, last);
        prev = r.line;
        assert!((0..=24 * 60).contains(&r.minutes), "minutes {} outside one day", r.minutes);
        for name in [&r.project, &r.category].into_iter().flatten() {
            assert!(!name.is_empty() && name.trim() == name, "name {name:?} is not trimmed or is empty");
        }
        assert_eq!(r.note.trim(), r.note, "note not trimmed");
        match &r.person {
            PersonRef::Email(e) => assert_eq!(Email::parse(e).map(|e| e.as_str().to_string()).as_deref(), Ok(e.as_str()), "email not canonical"),
            PersonRef::Name { first, last } => {
                assert_eq!(format, Format::Harvest, "only Harvest names people by name");
                assert!(first.trim() == first && last.trim() == last && !(first.is_empty() && last.is_empty()));
            }
        }
    }

    // Written back in the generic format, the rows read back the same (billable is not written).
    if rows.iter().all(|r| matches!(r.person, PersonRef::Email(_))) {
        let written = import::write_generic(rows).expect("rows with emails can be written");
        assert_eq!(import::detect(&written), Some(Format::Generic), "written file not detected as generic");
        let back = import::parse(Format::Generic, &written).unwrap_or_else(|e| panic!("written file does not read back: {e}\n{written}"));
        assert_eq!(back.len(), rows.len());
        for (a, b) in rows.iter().zip(&back) {
            let same = ImportRow { line: b.line, billable: None, ..a.clone() };
            assert_eq!(&same, b, "row changed on the way through write_generic");
        }
    }

    let total: i64 = rows.iter().map(|r| r.minutes).sum();
    for mapping in mappings() {
        check_resolve(rows, file, &mapping, total);
    }
}

/// A byte-order mark in front changes nothing.
fn check_bom(format: Format, text: &str, parsed: &Result<Vec<ImportRow>, import::ImportError>) {
    if !text.starts_with('\u{feff}') {
        let with_bom = format!("\u{feff}{text}");
        assert_eq!(&import::parse(format, &with_bom), parsed, "a byte-order mark changed the answer");
    }
}

fn check_resolve(rows: &[ImportRow], file: &import::ParsedFile, mapping: &Mapping, total: i64) {
    let plain = import::resolve(rows, MEMBERS, PROJECTS, CATEGORIES, mapping);
    let compact = import::resolve_compact(file, MEMBERS, PROJECTS, CATEGORIES, mapping);
    let (entries, resolved) = match (&plain, &compact) {
        (Ok(e), Ok(r)) => (e, r),
        (Err(a), Err(b)) => {
            assert_eq!(a, b, "resolve and resolve_compact give different errors");
            assert!(rows.iter().any(|r| r.line == a.line), "resolve's error names line {}, which holds no row", a.line);
            return;
        }
        _ => panic!("resolve and resolve_compact disagree: {plain:?} / {compact:?}"),
    };
    assert_eq!(entries.len(), rows.len(), "resolve dropped or added rows");
    assert_eq!(entries.iter().map(|e| e.minutes).sum::<i64>(), total, "resolving changed the total");
    if !mapping.create_unknown {
        assert!(import::unknown_names(rows, PROJECTS, CATEGORIES, mapping).is_empty(), "resolved although names are unknown");
    }
    for ((row, entry), compact_row) in rows.iter().zip(entries).zip(&file.rows) {
        assert_eq!(&resolved.entry(file, compact_row), entry, "resolve_compact's entry differs");
        assert_eq!((entry.line, entry.date, entry.minutes, &entry.note, entry.billable), (row.line, row.date, row.minutes, &row.note, row.billable));
        let member = MEMBERS.iter().find(|m| m.0 == entry.member_id).expect("resolved to a member of the roster");
        match &row.person {
            PersonRef::Email(e) => assert_eq!(member.1, e, "resolved to another member's email"),
            PersonRef::Name { first, last } => {
                let fold = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
                assert_eq!(fold(member.2), fold(&format!("{first} {last}")), "resolved to another member's name");
            }
        }
        for (got, known, written) in [(&entry.project, PROJECTS, &row.project), (&entry.category, CATEGORIES, &row.category)] {
            match got {
                None => {}
                Some(name) if known.contains(&name.as_str()) => {}
                Some(name) => {
                    assert!(mapping.create_unknown, "{name:?} is not the co-op's, and nothing may be created");
                    assert!(written.is_some(), "a name was created for a row without one");
                }
            }
        }
    }
    // The two duplicate finders agree, with and without an entry recorded already.
    let first = entries.first().map(|e| (e.member_id, e.date, e.minutes, e.project.clone()));
    for existing in [Vec::new(), first.into_iter().collect::<Vec<_>>()] {
        let plain = import::flag_duplicates(entries, &existing);
        assert_eq!(plain, resolved.duplicates(file, &existing), "duplicate finders disagree");
        if !existing.is_empty() {
            assert!(plain.contains(&entries[0].line), "an entry identical to a recorded one is not flagged");
        }
    }
}

/// Detection agrees with itself and with the hints parse gives, and every format's reader holds.
pub fn check_detect(text: &str) {
    let detected = import::detect(text);
    if !text.starts_with('\u{feff}') {
        assert_eq!(import::detect(&format!("\u{feff}{text}")), detected, "a byte-order mark changed detection");
    }
    // The header line alone (the first that is not empty) is enough, when it holds no quoted
    // field that could span lines.
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = body.split(['\r', '\n']).find(|l| !l.is_empty()).unwrap_or("");
    if !first.contains('"') {
        assert_eq!(import::detect(first), detected, "the header line alone is detected differently");
    }
    for format in Format::ALL {
        if let Err(e) = import::parse(format, text) {
            let hint = e.message.find("try --format ").map(|i| &e.message[i + "try --format ".len()..]);
            match (hint, detected) {
                (None, _) => {}
                (Some(h), Some(d)) => assert!(d != format && h.starts_with(d.as_str()), "hint {h:?} but detected {d:?} (reading as {format})"),
                (Some(h), None) => panic!("hint {h:?} for a file detect does not recognise"),
            }
        }
    }
    if let Some(format) = detected {
        check_import(format, text);
    }
}

/// A small deterministic generator of numbers from the input, for the counts a target needs
/// beside its text (FNV-1a of the input, then xorshift).
pub struct Numbers(u64);

impl Numbers {
    pub fn new(data: &[u8]) -> Numbers {
        Numbers(data.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Mostly small counts, sometimes the edges of `u32`.
    pub fn count(&mut self) -> u32 {
        match self.next() % 16 {
            0 => 0,
            1 => u32::MAX,
            2 => u32::MAX - (self.next() % 3) as u32,
            3 => (self.next() % 100_000) as u32,
            _ => (self.next() % 12) as u32,
        }
    }
}

/// Evaluates an accepted rule on tallies drawn from the input: quorum, rounds, the English
/// summary, and "what it takes to pass" against the count itself.
pub fn check_rule_evaluation(rule: &coop_core::decision::DecisionRule, data: &[u8]) {
    use coop_core::decision::{evaluate, votes_to_pass, Outcome, Tally};
    let mut n = Numbers::new(data);
    for _ in 0..8 {
        let tally = Tally {
            yes: n.count(),
            no: n.count(),
            abstain: n.count(),
            agree: n.count(),
            stand_aside: n.count(),
            block: n.count(),
            consent: n.count(),
            object: n.count(),
        };
        let eligible = n.count();
        let present = if n.next() % 3 == 0 { Some(n.count()) } else { None };
        for round in 0..=3u8 {
            let ev = evaluate(rule, round, &tally, eligible, present);
            assert!((1..=rule.rounds()).contains(&ev.round), "round {} of a rule with {} rounds", ev.round, rule.rounds());
            assert_eq!(ev.quorum_needed.is_none(), rule.quorum(ev.round).is_none());
            if let Some(q) = ev.quorum_needed {
                assert!(q <= eligible, "quorum {q} above the {eligible} eligible");
            }
            if !ev.quorum_met {
                assert_eq!(ev.outcome, Outcome::NoQuorum);
            }
            assert_eq!(ev.status().is_none(), ev.outcome == Outcome::NextRound);
            assert!(!ev.summary_en().is_empty());
            assert_eq!(evaluate(rule, round, &tally, eligible, present), ev, "evaluation is not deterministic");
            let remaining = n.count() % 1000;
            let support = rule.for_round(ev.round).expect("an evaluated round exists").support();
            if let Some(k) = votes_to_pass(rule, round, &tally, eligible, remaining) {
                assert!(k <= remaining);
                assert!(evaluate(rule, round, &tally.with(support, k), eligible, None).passed(), "{k} more would pass, says votes_to_pass");
                if k > 0 {
                    assert!(!evaluate(rule, round, &tally.with(support, k - 1), eligible, None).passed(), "{} more would already pass", k - 1);
                }
            } else {
                assert!(!evaluate(rule, round, &tally.with(support, remaining), eligible, None).passed(), "passes, though votes_to_pass says it cannot");
            }
        }
    }
}

/// Checks an election count: seats filled by distinct candidates, and for STV the documented
/// balance `Σ tallies + non_transferable + lost_to_rounding = valid ballots` in every round; the
/// named result's JSON reads back the same.
pub fn check_count(method: coop_core::election::Method, seats: usize, candidates: &[String], ballots: &[coop_core::election::Ballot]) {
    use coop_core::election::{count, ElectionResult, Method, Votes};
    let result = count(method, seats, candidates, ballots).unwrap_or_else(|e| panic!("valid ballots do not count ({method}, {seats} seats): {e}"));
    let mut winners = result.winners.clone();
    winners.sort_unstable();
    winners.dedup();
    assert_eq!(winners.len(), result.winners.len(), "a candidate won twice");
    assert!(winners.iter().all(|&w| w < candidates.len()));
    if method == Method::Stv || method == Method::Irv {
        assert_eq!(result.winners.len(), seats, "{method} left seats empty");
    } else {
        assert!(result.winners.len() <= seats);
    }
    if method == Method::Stv {
        let valid = Votes::whole(ballots.len() as u64).units();
        for r in &result.rounds {
            let sum: u64 = r.tallies.iter().map(|t| t.votes.units()).sum::<u64>() + r.non_transferable.units() + r.lost_to_rounding.units();
            assert_eq!(sum, valid, "round {} does not add up to the valid ballots", r.round);
        }
    }
    let named = result.named(candidates);
    let json = serde_json::to_string(&named).expect("a result serialises");
    let back: ElectionResult<String> = serde_json::from_str(&json).expect("a result's JSON reads back");
    assert_eq!(back, named);
}
