//! Black-box tests of the meeting and calendar commands against the contract: a meeting with
//! mixed attendance and a decision by a show of hands, `meeting show --json` in the contract's
//! shape, the minutes approved and sealed (tampering in the database makes `journal verify`
//! exit 1), the PDF read back with `pdftotext` (Debian's poppler-utils), and the iCalendar
//! exports read back with an independent parser (the `ical` crate), keeping the exact instant
//! of a meeting on the day clocks change, whatever the time zone of the machine.

mod common;

use common::cli::{coop, fails, json_of, ok};
use serde_json::Value;
use std::io::BufReader;
use tempfile::TempDir;

const MEMBERS: [&str; 5] = ["a@x.org", "b@x.org", "c@x.org", "d@x.org", "e@x.org"];
const HANDS: &str = r#"{"kind":"vote","threshold":"1/2","strict":true,"base":"present","quorum":"1/2"}"#;

/// A co-op in New York with five members and a class decided by a show of hands.
fn coop_in_new_york() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["init", "--name", "Meet Co", "--timezone", "America/New_York"]);
    for email in MEMBERS {
        let name = email.split('@').next().unwrap().to_uppercase();
        ok(dir.path(), &["member", "add", "--name", &name, "--email", email, "--state", "member", "--since", "2024-01-01", "--json"]);
    }
    ok(dir.path(), &["class", "set", "hands", "--rule-json", HANDS]);
    dir
}

/// The one calendar in `text`, parsed by the `ical` crate; panics on anything it rejects.
fn parse_ics(text: &str) -> ical::parser::ical::component::IcalCalendar {
    assert!(text.contains("\r\n"), "iCalendar lines end in CRLF");
    let mut parser = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let cal = parser.next().expect("one calendar").unwrap_or_else(|e| panic!("the ical parser refused the export: {e:?}\n{text}"));
    assert!(parser.next().is_none(), "exactly one calendar");
    cal
}

fn prop<'a>(event: &'a ical::parser::ical::component::IcalEvent, name: &str) -> &'a str {
    event.properties.iter().find(|p| p.name == name).and_then(|p| p.value.as_deref()).unwrap_or_else(|| panic!("no {name} in {event:?}"))
}

/// An iCalendar UTC date-time (`20270314T230000Z`) as an instant.
fn instant_of(value: &str) -> jiff::Timestamp {
    let dt = jiff::civil::DateTime::strptime("%Y%m%dT%H%M%SZ", value).unwrap_or_else(|e| panic!("{value:?}: {e}"));
    dt.to_zoned(jiff::tz::TimeZone::UTC).unwrap().timestamp()
}

#[test]
fn a_meeting_with_mixed_attendance_decides_and_its_sealed_minutes_export_and_verify() {
    let dir = coop_in_new_york();
    let d = dir.path();
    let m = json_of(d, &["meeting", "new", "--title", "March general", "--at", "2027-03-14T19:00:00-04:00", "--place", "Room 1", "--json"]);
    let mid = m["id"].as_i64().unwrap().to_string();
    assert_eq!(m["at"], "2027-03-14T23:00:00.000000Z");
    assert_eq!(m["local_time"], "2027-03-14 19:00 (America/New_York)");

    for (email, how) in [("a@x.org", "present"), ("b@x.org", "remote"), ("c@x.org", "present"), ("d@x.org", "absent"), ("e@x.org", "excused")] {
        ok(d, &["meeting", "attend", &mid, "--member", email, "--as", how]);
    }
    let p = json_of(d, &["proposal", "new", "--class", "hands", "--title", "Buy a printer", "--meeting", &mid, "--json"]);
    let pid = p["id"].as_i64().unwrap().to_string();
    ok(d, &["meeting", "item", &mid, "--title", "Office printer", "--notes", "Costs compared; the laser one wins. Café – 5 €.", "--proposal", &pid]);
    ok(d, &["meeting", "action", &mid, "--title", "Order the printer", "--owner", "b@x.org", "--due", "2027-03-20"]);

    // The contract's shape, and the live quorum: 3 present (remote counts) of 5, half needed.
    let show = json_of(d, &["meeting", "show", &mid, "--json"]);
    for key in ["id", "title", "at", "status", "attendance", "items", "actions", "sealed_hash"] {
        assert!(show.get(key).is_some(), "meeting show lacks {key}: {show}");
    }
    assert_eq!(show["status"], "held");
    assert_eq!(show["attendance"], serde_json::json!({"present": 2, "remote": 1, "absent": 1, "excused": 1}));
    assert_eq!(show["sealed_hash"], Value::Null);
    assert_eq!(show["items"][0]["title"], "Office printer");
    assert_eq!(show["actions"][0]["due"], "2027-03-20");
    assert_eq!(show["actions"][0]["owner_email"], "b@x.org");
    assert_eq!(
        (show["decisions"][0]["present"].as_u64(), show["decisions"][0]["needed"].as_u64(), show["decisions"][0]["met"].as_bool()),
        (Some(3), Some(3), Some(true))
    );

    // Base present: more hands than members present is refused; 2 of 3 present passes.
    let refused = fails(d, &["proposal", "count", &pid, "--yes", "4", "--no", "0", "--abstain", "0"]);
    assert!(refused.contains("only 3 members are recorded present"), "{refused}");
    let counted = json_of(d, &["proposal", "count", &pid, "--yes", "2", "--no", "1", "--abstain", "0", "--json"]);
    assert_eq!(counted["status"], "passed");

    ok(d, &["meeting", "approve", &mid]);
    let show = json_of(d, &["meeting", "show", &mid, "--json"]);
    assert_eq!(show["status"], "approved");
    let seal = show["sealed_hash"].as_str().expect("sealed").to_string();
    let head = show["journal_head_at_approval"].as_str().expect("journal head at approval").to_string();
    assert_eq!(seal.len(), 64);
    let refused = fails(d, &["meeting", "attend", &mid, "--member", "d@x.org", "--as", "present"]);
    assert!(refused.contains("erratum"), "{refused}");

    // Markdown and HTML carry the items, the decision and the seal.
    let md = ok(d, &["meeting", "export", &mid, "--format", "md"]);
    for needle in ["Office printer", "Buy a printer", "passed", &seal, &head] {
        assert!(md.contains(needle), "markdown lacks {needle:?}:\n{md}");
    }
    let html = ok(d, &["meeting", "export", &mid, "--format", "html"]);
    assert!(html.starts_with("<!doctype html>") && html.contains(&seal) && html.contains("Office printer"));

    // The PDF, read back by pdftotext.
    let pdf = d.join("minutes.pdf");
    ok(d, &["meeting", "export", &mid, "--format", "pdf", "--out", pdf.to_str().unwrap()]);
    let text = std::process::Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext (apt-get install poppler-utils)");
    assert!(text.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&text.stderr));
    let text = String::from_utf8_lossy(&text.stdout);
    for needle in ["Minutes: March general", "Office printer", "Costs compared; the laser one wins. Café – 5 €.", "Buy a printer", "Order the printer", &seal, &head] {
        assert!(text.contains(needle), "the PDF's text lacks {needle:?}:\n{text}");
    }

    // Errata append; the journal still verifies.
    ok(d, &["meeting", "erratum", &mid, "--text", "E was on holiday."]);
    assert!(ok(d, &["journal", "verify"]).starts_with("ok "));

    // Changing the sealed minutes directly in the database is found.
    let db = d.join("coop.db");
    let out = std::process::Command::new("sqlite3").arg(&db).arg("UPDATE meeting_items SET notes = 'We bought nothing.'").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let verify = coop(d).args(["journal", "verify"]).output().unwrap();
    assert_eq!(verify.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&verify.stderr);
    assert!(stderr.contains(&format!("sealed minutes {mid} was changed")), "{stderr}");
}

#[test]
fn icalendar_exports_parse_and_keep_the_instant_across_daylight_saving() {
    let dir = coop_in_new_york();
    let d = dir.path();
    // Weekly at 19:00 New York from Sunday 7 March 2027; clocks go forward on 14 March.
    let m = json_of(
        d,
        &[
            "meeting",
            "new",
            "--title",
            "Weekly, production; all",
            "--kind",
            "production",
            "--at",
            "2027-03-07T19:00:00-05:00",
            "--minutes-long",
            "60",
            "--repeat",
            "weekly",
            "--count",
            "3",
            "--link",
            "https://meet.example.org/weekly",
            "--json",
        ],
    );
    let ids: Vec<i64> = m["meetings"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 3);
    let dst_day = ids[1].to_string();

    let one = ok(d, &["meeting", "export", &dst_day, "--format", "ics"]);
    let cal = parse_ics(&one);
    assert_eq!(cal.events.len(), 1);
    let e = &cal.events[0];
    let expected: jiff::Timestamp = "2027-03-14T19:00:00-04:00".parse().unwrap();
    assert_eq!(instant_of(prop(e, "DTSTART")), expected, "19:00 EDT on the day clocks change is 23:00 UTC");
    assert_eq!(instant_of(prop(e, "DTEND")), expected.checked_add(jiff::SignedDuration::from_mins(60)).unwrap());
    assert_eq!(prop(e, "SUMMARY"), "Weekly\\, production\\; all", "TEXT values are escaped (the parser keeps escapes)");
    assert_eq!(prop(e, "URL"), "https://meet.example.org/weekly");

    // The whole calendar: three meetings at 19:00 New York time, and a member's deadlines.
    ok(d, &["proposal", "new", "--class", "hands", "--title", "Online question", "--meeting", &ids[0].to_string(), "--json"]);
    ok(d, &["class", "set", "ballot", "--rule-json", r#"{"kind":"vote","threshold":"1/2","strict":true,"base":"cast","quorum":null}"#]);
    ok(d, &["proposal", "new", "--class", "ballot", "--title", "Vote online", "--closes", "2027-03-28T12:00:00Z", "--json"]);
    let out = d.join("cal.ics");
    ok(d, &["calendar", "export", "--member", "a@x.org", "--out", out.to_str().unwrap()]);
    let cal = parse_ics(&std::fs::read_to_string(&out).unwrap());
    let ny = jiff::tz::TimeZone::get("America/New_York").unwrap();
    let meetings: Vec<_> = cal.events.iter().filter(|e| prop(e, "UID").starts_with("meeting-")).collect();
    assert_eq!(meetings.len(), 3);
    for e in &meetings {
        assert_eq!(instant_of(prop(e, "DTSTART")).to_zoned(ny.clone()).time(), jiff::civil::time(19, 0, 0, 0));
    }
    let deadline = cal.events.iter().find(|e| prop(e, "UID").starts_with("proposal-")).expect("the deadline of an open vote");
    assert_eq!(instant_of(prop(deadline, "DTEND")), "2027-03-28T12:00:00Z".parse::<jiff::Timestamp>().unwrap());
    assert!(prop(deadline, "SUMMARY").contains("Vote online"));

    // Bad input: one line, exit 1, nothing scheduled.
    let before = json_of(d, &["meeting", "list", "--json"]).as_array().unwrap().len();
    assert!(fails(d, &["meeting", "new", "--title", "X", "--at", "2027-03-07T19:00:00Z", "--repeat", "daily", "--count", "2"]).contains("every-N-weeks"));
    assert!(fails(d, &["meeting", "new", "--title", "X", "--at", "2027-03-07T19:00:00Z", "--repeat", "weekly"]).contains("--count or --until"));
    fails(d, &["meeting", "export", &dst_day, "--format", "docx"]);
    fails(d, &["calendar", "export", "--member", "nobody@x.org"]);
    assert_eq!(json_of(d, &["meeting", "list", "--json"]).as_array().unwrap().len(), before);
}
