//! Work through the use cases: logging hours and the 24-hour day, importing the sample files of
//! each time tracker (all or nothing, naming the bad line), dry runs that write nothing,
//! duplicates on a second import, commitments, the yearly report and the balance on a date,
//! and a member's entries listed over a range (locked months and corrections included).
//! Each test runs on SQLite and, with `COOP_TEST_POSTGRES_URL`, on PostgreSQL.

#[macro_use]
mod common;
use common::*;
use coop_app::decisions::{ClassChange, ClassInput, ResultsVisibility};
use coop_app::members::NewMember;
use coop_app::pay::Month;
use coop_app::work::{ImportReport, NewTimeEntry};
use coop_app::{Actor, App, AppError};
use coop_core::decision::DecisionRule;
use coop_core::hours::Minutes;
use coop_core::import::{Format, Mapping};
use coop_core::member::MemberState;
use coop_core::pay::PaySystem;
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

backend_test!(entries_over_a_range_with_locks_and_corrections, |app, clock, db| {
    let ids = sample_members(&app).await;
    let op = &Actor::Operator;
    let noted = |member_id, date, minutes, project: Option<&str>, category: Option<&str>, note: &str| NewTimeEntry {
        note: note.into(),
        ..entry(member_id, date, minutes, project, category)
    };
    // Logged out of order: listed by date, then id.
    let late = app.log_hours(op, noted(ids[0], "2026-04-01", 60, None, None, "april")).await.unwrap().id;
    let second = app.log_hours(op, noted(ids[0], "2026-03-03", 7 * 60 + 30, Some("Bakery POS"), Some("Programming"), "till")).await.unwrap().id;
    let first = app.log_hours(op, noted(ids[0], "2026-03-02", 90, Some("Internal"), Some("Admin"), "")).await.unwrap().id;
    let same_day = app.log_hours(op, noted(ids[0], "2026-03-03", 30, None, None, "standup")).await.unwrap().id;
    app.log_hours(op, noted(ids[0], "2026-02-27", 60, None, None, "before")).await.unwrap();
    app.log_hours(op, noted(ids[1], "2026-03-03", 120, Some("Bakery POS"), None, "ben's")).await.unwrap();

    let listed = app.time_entries(op, ids[0], d("2026-03-01"), d("2026-04-30"), None).await.unwrap();
    assert_eq!(listed.iter().map(|e| e.id).collect::<Vec<_>>(), vec![first, second, same_day, late]);
    let e = &listed[1];
    assert_eq!((e.member_id, e.date.as_str(), e.hours, e.note.as_str()), (ids[0], "2026-03-03", Minutes(450), "till"));
    assert_eq!((e.project.as_deref(), e.category.as_deref(), e.source.as_str()), (Some("Bakery POS"), Some("Programming"), "manual"));
    assert!(listed.iter().all(|e| !e.locked && e.corrections.is_empty()));
    let json = serde_json::to_value(&listed[1]).unwrap();
    assert_eq!(json["hours"], json!("7.50"));
    // One project, named in any case; an unknown one is refused naming `project`.
    let on_bakery = app.time_entries(op, ids[0], d("2026-03-01"), d("2026-04-30"), Some("bakery pos")).await.unwrap();
    assert_eq!(on_bakery.iter().map(|e| e.id).collect::<Vec<_>>(), vec![second]);
    assert_invalid(app.time_entries(op, ids[0], d("2026-03-01"), d("2026-04-30"), Some("Nope")).await, "project");

    // The range: ends on or after it starts, at most 366 days.
    assert_invalid(app.time_entries(op, ids[0], d("2026-03-02"), d("2026-03-01"), None).await, "to");
    assert_invalid(app.time_entries(op, ids[0], d("2025-01-01"), d("2026-01-02"), None).await, "to");
    assert_eq!(app.time_entries(op, ids[0], d("2025-03-01"), d("2026-03-01"), None).await.unwrap().len(), 1, "366 days are allowed");
    assert!(matches!(app.time_entries(op, 9999, d("2026-03-01"), d("2026-03-31"), None).await, Err(AppError::NotFound(_))));

    // A member sees their own entries, not another's; an admin sees anyone's.
    let (_, ada) = admin(&app).await;
    let all = members(&app).await;
    let ana = actor(all.iter().find(|m| m.id == ids[0]).unwrap());
    let ben = actor(all.iter().find(|m| m.id == ids[1]).unwrap());
    assert_eq!(app.time_entries(&ana, ids[0], d("2026-03-01"), d("2026-03-31"), None).await.unwrap().len(), 3);
    assert_forbidden(app.time_entries(&ben, ids[0], d("2026-03-01"), d("2026-03-31"), None).await);
    assert_eq!(app.time_entries(&ada, ids[1], d("2026-03-01"), d("2026-03-31"), None).await.unwrap().len(), 1);

    // March's pay run approved: March is locked, April is not; a correction shows on its entry.
    let class = ClassInput {
        name: "general".into(),
        rule: DecisionRule::parse_json(r#"{"kind":"vote","threshold":"1/2","strict":true,"base":"cast","quorum":null}"#).unwrap(),
        eligible: vec![MemberState::Member],
        results: ResultsVisibility::Live,
        governs_rules: true,
    };
    assert!(matches!(app.set_class(op, class, None).await.unwrap(), ClassChange::Applied { .. }));
    let system = PaySystem::from_json(r#"{"basis":{"kind":"equal_hourly","rate":"20.00","internal_paid":false},"max_ratio":null}"#).unwrap();
    let (proposal, _) = app.propose_pay_system(op, system, Month::parse("2026-01").unwrap(), None, None).await.unwrap();
    for m in all.iter().filter(|m| m.state == Some(MemberState::Member)) {
        app.vote(&actor(m), proposal, m.id, "yes", None, None).await.unwrap();
    }
    app.approve_pay_run(op, Month::parse("2026-03").unwrap()).await.unwrap();
    app.correct_entry(op, second, Minutes(6 * 60), "typo").await.unwrap();
    let listed = app.time_entries(&ana, ids[0], d("2026-03-01"), d("2026-04-30"), None).await.unwrap();
    assert_eq!(listed.iter().map(|e| (e.id, e.locked)).collect::<Vec<_>>(), vec![(first, true), (second, true), (same_day, true), (late, false)]);
    assert_eq!(listed[1].hours, Minutes(360));
    let k = &listed[1].corrections;
    assert_eq!(k.len(), 1);
    assert_eq!((k[0].entry_id, k[0].old_hours.as_str(), k[0].new_hours.as_str(), k[0].reason.as_str()), (second, "7.50", "6.00", "typo"));
    assert!(listed.iter().filter(|e| e.id != second).all(|e| e.corrections.is_empty()));
    let _ = (clock, db);
});
