//! Imports larger than one multi-row insert (`coop_store::work::ENTRY_BATCH` rows), on a real
//! database: every row is recorded exactly once with its own values, a bad line or a day over
//! 24 hours late in the file imports nothing, and duplicates are found across batches.
//! Each test runs on SQLite and, with `COOP_TEST_POSTGRES_URL`, on PostgreSQL.

#[macro_use]
mod common;
use common::*;
use coop_app::members::NewMember;
use coop_app::{Actor, App};
use coop_core::import::{Format, Mapping};
use coop_core::member::MemberState;
use coop_store::work::ENTRY_BATCH;

const EMAILS: [&str; 3] = ["ana@example.coop", "ben@example.coop", "chloe@example.coop"];

async fn members(app: &App) {
    for (i, email) in EMAILS.iter().enumerate() {
        let new = NewMember { since: Some(d("2025-01-06")), ..new_member(&format!("Member {i}"), email, MemberState::Member) };
        app.add_member(&Actor::Operator, new).await.unwrap_or_else(|e| panic!("add {email}: {e}"));
    }
}

/// Two batches and a bit: 30 rows a day (10 of 30 minutes for each member), row `i` on line
/// `i + 2` with the note `row i` and minutes `30 + i % 2` (so the sums tell rows apart).
fn rows() -> usize {
    2 * ENTRY_BATCH + 7
}

fn line(i: usize) -> String {
    let day = jiff::civil::date(2026, 1, 1).checked_add(jiff::Span::new().days((i / 30) as i64)).unwrap();
    let minutes = 30 + i % 2;
    format!("{},{day},0:{minutes:02},Project {},Kind {},row {i}\n", EMAILS[i % 3], i % 7, i % 4)
}

fn file(n: usize) -> String {
    let mut text = String::from("email,date,hours,project,category,note\n");
    for i in 0..n {
        text.push_str(&line(i));
    }
    text
}

fn creating() -> Mapping {
    Mapping { create_unknown: true, ..Mapping::default() }
}

backend_test!(an_import_larger_than_a_batch_records_every_row_once, |app, clock, db| {
    members(&app).await;
    let n = rows();
    let report = app.import_hours(&Actor::Operator, &file(n), Some(Format::Generic), false, &creating()).await.unwrap();
    assert_eq!((report.rows, report.would_import), (n, n));
    assert!(report.duplicates.is_empty(), "{:?}", report.duplicates);
    assert_eq!(db.count("SELECT COUNT(*) FROM time_entries"), n as i64);
    assert_eq!(db.count("SELECT COUNT(DISTINCT note) FROM time_entries"), n as i64, "each row once");
    let expected: i64 = (0..n).map(|i| 30 + (i % 2) as i64).sum();
    assert_eq!(db.count("SELECT SUM(minutes) FROM time_entries"), expected);
    assert_eq!(report.hours.get(), expected);
    // Each row's own values, at the start, across each batch boundary and at the end.
    for i in [0, ENTRY_BATCH - 1, ENTRY_BATCH, 2 * ENTRY_BATCH, n - 1] {
        let got = db.exec(&format!(
            "SELECT m.email || ',' || t.date || ',' || t.minutes || ',' || p.name || ',' || k.name || ',' || t.source FROM time_entries t \
             JOIN members m ON m.id = t.member_id JOIN projects p ON p.id = t.project_id JOIN work_categories k ON k.id = t.category_id \
             WHERE t.note = 'row {i}'"
        ));
        let want = line(i);
        let fields: Vec<&str> = want.trim_end().split(',').collect();
        assert_eq!(got, format!("{},{},{},{},{},import", fields[0], fields[1], 30 + i % 2, fields[3], fields[4]), "row {i}");
    }
    // Rows are recorded in the file's order.
    assert_eq!(db.exec("SELECT note FROM time_entries ORDER BY id LIMIT 1"), "row 0");
    assert_eq!(db.exec("SELECT note FROM time_entries ORDER BY id DESC LIMIT 1"), format!("row {}", n - 1));
    assert_eq!(actions_after(&app, 0).await.iter().filter(|a| *a == "hours.import").count(), 1, "one journal entry");
    // The yearly report sees every minute.
    let report = app.hours_report(&Actor::Operator, 2026).await.unwrap();
    let minutes: i64 = report.iter().map(|r| coop_core::hours::parse_total_hours(&r.hours).unwrap().get()).sum();
    assert_eq!((report.len(), minutes), (3, expected));
});

backend_test!(a_bad_line_late_in_a_large_file_imports_nothing, |app, clock, db| {
    members(&app).await;
    let n = rows();
    let before = journal_len(&app).await;
    // A date that does not exist on the last line.
    let bad = format!("{}ana@example.coop,2026-02-30,1,Project 1,Kind 1,late\n", file(n));
    let msg = assert_invalid(app.import_hours(&Actor::Operator, &bad, Some(Format::Generic), false, &creating()).await, "file");
    assert!(msg.starts_with(&format!("line {}: ", n + 2)), "{msg}");
    // A day over 24 hours on the last line: found only after every row was read.
    let over = format!("{}ana@example.coop,2026-01-01,20,Project 1,Kind 1,late\n", file(n));
    let msg = assert_invalid(app.import_hours(&Actor::Operator, &over, Some(Format::Generic), false, &creating()).await, "file");
    assert!(msg.starts_with(&format!("line {}: ", n + 2)) && msg.contains("more than 24"), "{msg}");
    // An unknown email on the last line.
    let stranger = format!("{}zoe@example.coop,2026-01-01,1,Project 1,Kind 1,late\n", file(n));
    let msg = assert_invalid(app.import_hours(&Actor::Operator, &stranger, Some(Format::Generic), false, &creating()).await, "file");
    assert_eq!(msg, format!("line {}: no member has the email zoe@example.coop", n + 2));
    assert_eq!(db.count("SELECT COUNT(*) FROM time_entries"), 0);
    assert_eq!(db.count("SELECT COUNT(*) FROM projects") + db.count("SELECT COUNT(*) FROM work_categories"), 0);
    assert_eq!(journal_len(&app).await, before);
    // A dry run of the good file writes nothing either.
    let report = app.import_hours(&Actor::Operator, &file(n), Some(Format::Generic), true, &creating()).await.unwrap();
    assert_eq!(report.would_import, n);
    assert_eq!(db.count("SELECT COUNT(*) FROM time_entries"), 0);
    assert_eq!(journal_len(&app).await, before);
});

backend_test!(duplicates_are_found_across_batches_and_against_recorded_entries, |app, clock, db| {
    members(&app).await;
    let n = rows();
    // The last line repeats line 2 (row 0) with another note and the project in capitals.
    let text = format!("{}ana@example.coop,2026-01-01,0:30,PROJECT 0,Kind 3,again\n", file(n));
    let report = app.import_hours(&Actor::Operator, &text, Some(Format::Generic), false, &creating()).await.unwrap();
    assert_eq!(report.duplicates, vec![n + 2]);
    assert_eq!(db.count("SELECT COUNT(*) FROM time_entries"), n as i64 + 1, "flagged, not dropped");
    // Importing the same file again: every line repeats a recorded entry.
    let again = app.import_hours(&Actor::Operator, &text, Some(Format::Generic), true, &creating()).await.unwrap();
    assert_eq!(again.duplicates, (2..n + 3).collect::<Vec<_>>());
});
