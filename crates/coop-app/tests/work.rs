//! Work through the use cases: logging hours and the 24-hour day, importing the sample files of
//! each time tracker (all or nothing, naming the bad line), dry runs that write nothing,
//! duplicates on a second import, commitments, the yearly report and the balance on a date.
//! Each test runs on SQLite and, with `COOP_TEST_POSTGRES_URL`, on PostgreSQL.

#[macro_use]
mod common;
use common::*;
use coop_app::members::NewMember;
use coop_app::work::{ImportReport, NewTimeEntry};
use coop_app::{Actor, App, AppError};
use coop_core::hours::Minutes;
use coop_core::import::{Format, Mapping};
use coop_core::member::MemberState;
use serde_json::{json, Value};

fn sample(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../coop-core/tests/data").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The people the sample files name, as members since 2025.
async fn sample_members(app: &App) -> Vec<i64> {
    let mut ids = Vec::new();
    for (name, email) in [("Ana Silva", "ana@example.coop"), ("Ben Okafor", "ben@example.coop"), ("Chloé Martin", "chloe@example.coop")] {
        let new = NewMember { since: Some(d("2025-01-06")), ..new_member(name, email, MemberState::Member) };
        ids.push(app.add_member(&Actor::Operator, new).await.unwrap_or_else(|e| panic!("add {email}: {e}")).id);
    }
    ids
}

fn creating() -> Mapping {
    Mapping { create_unknown: true, ..Mapping::default() }
}

fn entry(member_id: i64, date: &str, minutes: i64, project: Option<&str>, category: Option<&str>) -> NewTimeEntry {
    NewTimeEntry {
        member_id,
        date: d(date),
        minutes: Minutes(minutes),
        project: project.map(str::to_string),
        category: category.map(str::to_string),
        note: String::new(),
        create_unknown: true,
    }
}

fn entries(db: &TestDb) -> i64 {
    db.count("SELECT COUNT(*) FROM time_entries")
}

async fn import(app: &App, file: &str, dry_run: bool) -> Result<ImportReport, AppError> {
    app.import_hours(&Actor::Operator, &sample(file), None, dry_run, &creating()).await
}

backend_test!(log_refuses_a_day_over_24_hours_and_writes_nothing, |app, clock, db| {
    let ids = sample_members(&app).await;
    let logged = app.log_hours(&Actor::Operator, entry(ids[0], "2026-03-02", 20 * 60, Some("Bakery POS"), Some("Programming"))).await.unwrap();
    assert_eq!(logged.day_total, Minutes(20 * 60));
    let before = journal_len(&app).await;
    let msg = assert_invalid(app.log_hours(&Actor::Operator, entry(ids[0], "2026-03-02", 4 * 60 + 1, Some("New project"), None)).await, "hours");
    assert!(msg.contains("more than 24"), "{msg}");
    assert_eq!(entries(&db), 1);
    assert_eq!(db.count("SELECT COUNT(*) FROM projects"), 1, "the refused entry's project was not created");
    assert_eq!(journal_len(&app).await, before);
    // Exactly 24 hours fit; another member's day is separate.
    let logged = app.log_hours(&Actor::Operator, entry(ids[0], "2026-03-02", 4 * 60, None, None)).await.unwrap();
    assert_eq!(logged.day_total, Minutes(24 * 60));
    app.log_hours(&Actor::Operator, entry(ids[1], "2026-03-02", 8 * 60, None, None)).await.unwrap();
    assert_eq!(entries(&db), 3);
    assert_eq!(actions_after(&app, before).await, vec!["hours.log", "hours.log"]);
});

backend_test!(log_permissions_and_unknown_names, |app, clock, db| {
    let ids = sample_members(&app).await;
    let all = members(&app).await;
    let ana = all.iter().find(|m| m.id == ids[0]).unwrap();
    let ana_actor = actor(ana);
    app.log_hours(&ana_actor, entry(ids[0], "2026-03-02", 60, None, None)).await.unwrap();
    assert_forbidden(app.log_hours(&ana_actor, entry(ids[1], "2026-03-02", 60, None, None)).await);
    let mut e = entry(ids[0], "2026-03-03", 60, Some("Nowhere"), None);
    e.create_unknown = false;
    assert_invalid(app.log_hours(&Actor::Operator, e).await, "project");
    assert_forbidden(app.set_commitment(&ana_actor, ids[0], 2026, Minutes(1560 * 60), 4).await);
    assert_forbidden(app.import_hours(&ana_actor, &sample("generic.csv"), None, false, &creating()).await);
    assert_eq!(entries(&db), 1);
});

backend_test!(each_sample_file_imports, |app, clock, db| {
    sample_members(&app).await;
    let mut total = 0;
    for (file, format, rows) in
        [("generic.csv", Format::Generic, 3), ("toggl_detailed.csv", Format::Toggl, 5), ("kimai.csv", Format::Kimai, 4), ("harvest.csv", Format::Harvest, 3)]
    {
        let before = journal_len(&app).await;
        let report = import(&app, file, false).await.unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(report.format, format, "{file}");
        assert_eq!(report.rows, rows, "{file}");
        assert_eq!(report.would_import, rows, "{file}");
        total += rows as i64;
        assert_eq!(entries(&db), total, "{file}");
        assert_eq!(actions_after(&app, before).await, vec!["hours.import"], "one journal entry per import, {file}");
    }
    // One journal entry carries the count, the minutes and the file's hash.
    let last = all_entries(&app).await.pop().unwrap();
    let payload: Value = serde_json::from_str(&last.payload.to_string()).unwrap();
    assert_eq!(payload["count"], json!(3));
    assert_eq!(payload["sha256"], json!(coop_core::journal::sha256_hex(sample("harvest.csv").as_bytes())));
    // Harvest's 0.33 hours are 20 minutes.
    assert_eq!(payload["minutes"], json!(210 + 75 + 20));
    assert_eq!(db.count("SELECT COUNT(*) FROM time_entries WHERE source = 'import'"), total);
});

backend_test!(a_bad_file_imports_nothing_and_names_the_line, |app, clock, db| {
    sample_members(&app).await;
    for (file, line) in [("generic_bad.csv", 3), ("toggl_detailed_bad.csv", 5), ("kimai_bad.csv", 3), ("harvest_bad.csv", 3)] {
        let before = journal_len(&app).await;
        let msg = assert_invalid(import(&app, file, false).await, "file");
        assert!(msg.starts_with(&format!("line {line}: ")), "{file}: {msg}");
        assert_eq!(entries(&db), 0, "{file}");
        assert_eq!(db.count("SELECT COUNT(*) FROM projects"), 0, "{file}");
        assert_eq!(journal_len(&app).await, before, "{file}");
    }
});

backend_test!(an_import_over_24_hours_names_the_line, |app, clock, db| {
    let ids = sample_members(&app).await;
    // Ana already has 22 hours on 2026-03-02; the generic file adds 7.5 on line 2.
    app.log_hours(&Actor::Operator, entry(ids[0], "2026-03-02", 22 * 60, None, None)).await.unwrap();
    let before = journal_len(&app).await;
    let msg = assert_invalid(import(&app, "generic.csv", false).await, "file");
    assert!(msg.starts_with("line 2: ") && msg.contains("more than 24"), "{msg}");
    assert_eq!(entries(&db), 1);
    assert_eq!(journal_len(&app).await, before);
    // Within one file: two lines of 13 hours for the same member and day.
    let text =
        "email,date,hours,project,category,note\nben@example.coop,2026-04-01,13,,,\nchloe@example.coop,2026-04-01,13,,,\nben@example.coop,2026-04-01,13,,,\n";
    let msg = assert_invalid(app.import_hours(&Actor::Operator, text, None, false, &creating()).await, "file");
    assert!(msg.starts_with("line 4: "), "{msg}");
    assert_eq!(entries(&db), 1);
});

backend_test!(a_dry_run_writes_nothing, |app, clock, db| {
    sample_members(&app).await;
    let before = journal_len(&app).await;
    let report = import(&app, "kimai.csv", true).await.unwrap();
    assert!(report.dry_run);
    assert_eq!(report.would_import, 4);
    assert_eq!(report.created_projects, vec!["Bakery POS", "Intranet", "Internal"]);
    assert_eq!(report.created_categories, vec!["Development", "Programming", "Design", "Meetings"]);
    assert_eq!(entries(&db), 0);
    assert_eq!(db.count("SELECT COUNT(*) FROM projects") + db.count("SELECT COUNT(*) FROM work_categories"), 0);
    assert_eq!(journal_len(&app).await, before);
});

backend_test!(a_second_import_flags_duplicates, |app, clock, db| {
    sample_members(&app).await;
    let first = import(&app, "generic.csv", false).await.unwrap();
    assert!(first.duplicates.is_empty());
    assert_eq!(first.created_projects, vec!["Bakery POS", "Internal"]);
    let again = import(&app, "generic.csv", true).await.unwrap();
    assert_eq!(again.duplicates, vec![2, 3, 4]);
    assert!(again.created_projects.is_empty() && again.created_categories.is_empty());
    let again = import(&app, "generic.csv", false).await.unwrap();
    assert_eq!(again.duplicates, vec![2, 3, 4]);
    assert_eq!(entries(&db), 6, "duplicates are flagged, not dropped");
});

backend_test!(report_and_balance_values, |app, clock, db| {
    let ids = sample_members(&app).await;
    let op = &Actor::Operator;
    app.log_hours(op, entry(ids[0], "2026-01-05", 8 * 60, Some("Bakery POS"), Some("Programming"))).await.unwrap();
    app.log_hours(op, entry(ids[0], "2026-01-06", 7 * 60 + 30, Some("Internal"), Some("Admin"))).await.unwrap();
    app.log_hours(op, entry(ids[0], "2026-02-02", 60, None, None)).await.unwrap();
    app.log_hours(op, entry(ids[1], "2026-03-02", 20, None, Some("Admin"))).await.unwrap();
    app.log_hours(op, entry(ids[1], "2025-12-31", 60, None, Some("Admin"))).await.unwrap();
    let report = serde_json::to_value(app.hours_report(op, 2026).await.unwrap()).unwrap();
    assert_eq!(
        report,
        json!([
            {"email": "ana@example.coop", "hours": "16.50", "by_category": {"(none)": "1.00", "Admin": "7.50", "Programming": "8.00"}},
            {"email": "ben@example.coop", "hours": "0.33", "by_category": {"Admin": "0.33"}},
        ])
    );

    // Ana, a member all year, declares 1560 hours. 2026 has 261 weekdays; January 22.
    // Expected on 31 January: 1560 x 60 x 22 / 261 = 7889.66 -> 7890 minutes = 131.50 hours.
    app.set_commitment(op, ids[0], 2026, Minutes(1560 * 60), 5).await.unwrap();
    let b = serde_json::to_value(app.hours_balance(op, ids[0], 2026, d("2026-01-31")).await.unwrap()).unwrap();
    assert_eq!(b, json!({"declared": "1560.00", "expected_to_date": "131.50", "worked": "15.50", "balance": "-116.00"}));
    // A later commitment replaces the earlier one.
    app.set_commitment(op, ids[0], 2026, Minutes(1305 * 60), 5).await.unwrap();
    // 1305 x 60 x 22 / 261 = 6600 minutes = 110 hours.
    let b = serde_json::to_value(app.hours_balance(op, ids[0], 2026, d("2026-01-31")).await.unwrap()).unwrap();
    assert_eq!(b["expected_to_date"], json!("110.00"));

    // Dana joins as a candidate on 2026-07-01: nothing is expected before.
    // July 2026 has 23 weekdays: 1560 x 60 x 23 / 261 = 8248.28 -> 8248 minutes = 137.47 hours.
    let dana = NewMember { since: Some(d("2026-07-01")), ..new_member("Dana Doe", "dana@example.coop", MemberState::Candidate) };
    let dana = app.add_member(op, dana).await.unwrap().id;
    app.set_commitment(op, dana, 2026, Minutes(1560 * 60), 0).await.unwrap();
    let b = serde_json::to_value(app.hours_balance(op, dana, 2026, d("2026-06-30")).await.unwrap()).unwrap();
    assert_eq!(b["expected_to_date"], json!("0.00"));
    app.log_hours(op, entry(dana, "2026-07-01", 8 * 60, None, None)).await.unwrap();
    let b = serde_json::to_value(app.hours_balance(op, dana, 2026, d("2026-07-31")).await.unwrap()).unwrap();
    assert_eq!(b, json!({"declared": "1560.00", "expected_to_date": "137.47", "worked": "8.00", "balance": "-129.47"}));

    // No commitment: not found. A commitment out of range: refused.
    assert!(matches!(app.hours_balance(op, ids[2], 2026, d("2026-01-31")).await, Err(AppError::NotFound(_))));
    assert_invalid(app.set_commitment(op, ids[2], 2026, Minutes(1560 * 60), 7).await, "commitment");
    let _ = db;
});
