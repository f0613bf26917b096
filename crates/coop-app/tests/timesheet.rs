//! The weekly timesheet and the Work reports through the use cases: saving a week's cells,
//! editing a cell down, up and to zero (manual entries only), the 24-hour day, a month locked by
//! an approved pay run, imported entries left as they are, and the reports the Work page draws.
//! Each test runs on SQLite and, with `COOP_TEST_POSTGRES_URL`, on PostgreSQL.

#[macro_use]
mod common;
use common::*;
use coop_app::timesheet::{CellInput, WeekSheet};
use coop_app::work::NewTimeEntry;
use coop_app::{Actor, App, AppError};
use coop_core::hours::Minutes;
use coop_core::import::Mapping;
use coop_core::member::MemberState;
use coop_app::members::NewMember;

const MONDAY: &str = "2026-11-23";

fn h(hours: f64) -> Minutes {
    Minutes((hours * 60.0).round() as i64)
}

fn cell(project: &str, date: &str, minutes: Minutes) -> CellInput {
    CellInput { project: Some(project.to_string()).filter(|p| !p.is_empty()), date: d(date), minutes }
}

/// Ana and Ben, members since 2025, and the projects Bakery and Internal (from an entry of
/// Ana's three weeks before [`MONDAY`]). Returns (ana, ben) as actors with their ids.
async fn setup(app: &App) -> ((i64, Actor), (i64, Actor)) {
    let mut out = Vec::new();
    for (name, email) in [("Ana Silva", "ana@example.coop"), ("Ben Okafor", "ben@example.coop")] {
        let new = NewMember { since: Some(d("2025-01-06")), ..new_member(name, email, MemberState::Member) };
        let m = app.add_member(&Actor::Operator, new).await.unwrap_or_else(|e| panic!("add {email}: {e}"));
        out.push((m.id, actor(&m)));
    }
    for project in ["Bakery", "Internal"] {
        let e = NewTimeEntry {
            member_id: out[0].0,
            date: d("2026-11-02"),
            minutes: Minutes(60),
            project: Some(project.into()),
            category: Some("Programming".into()),
            note: String::new(),
            create_unknown: true,
        };
        app.log_hours(&Actor::Operator, e).await.unwrap();
    }
    let ben = out.pop().unwrap();
    let ana = out.pop().unwrap();
    (ana, ben)
}

/// The cell of `project` on day `i` (0 = Monday).
fn at(sheet: &WeekSheet, project: &str, i: usize) -> Minutes {
    sheet.rows.iter().find(|r| r.project.as_deref() == Some(project)).unwrap_or_else(|| panic!("no row {project} in {sheet:?}")).cells[i].minutes
}

/// Entries of member `id` in the week of [`MONDAY`], as "date|minutes|source" lines in order.
fn week_rows(db: &TestDb, id: i64) -> Vec<String> {
    db.exec(&format!(
        "SELECT date || '|' || CAST(minutes AS TEXT) || '|' || source FROM time_entries \
         WHERE member_id = {id} AND date >= '2026-11-23' AND date <= '2026-11-29' ORDER BY date, id"
    ))
    .lines()
    .map(str::to_string)
    .collect()
}

/// Approves a pay run for `month` straight in the database (foreign keys off: the pay system
/// and the decision behind it do not matter to the lock).
fn lock_month(db: &TestDb, month: &str) {
    let insert = format!(
        "INSERT INTO pay_runs (month, pay_system_version, status, total_cents, result, created_at, approved_at, approved_by) \
         VALUES ('{month}', 1, 'approved', 0, '{{}}', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', 'cli')"
    );
    if db.is_postgres() {
        db.exec(&format!("SET session_replication_role = replica; {insert}"));
    } else {
        db.exec(&format!("PRAGMA foreign_keys = OFF; {insert}"));
    }
}

backend_test!(a_week_is_saved_and_cells_edited_down_up_and_to_zero, |app, clock, db| {
    let ((ana_id, ana), (ben_id, ben)) = setup(&app).await;
    let sheet = app.week_sheet(&ana, ana_id, d("2026-11-26")).await.unwrap();
    assert_eq!(sheet.monday, d(MONDAY), "any day of the week gives its Monday");
    assert_eq!(sheet.days.len(), 7);
    assert_eq!(sheet.days[6].date, d("2026-11-29"));
    assert!(sheet.days.iter().all(|day| !day.locked));
    let names: Vec<_> = sheet.rows.iter().map(|r| r.project.clone().unwrap_or_default()).collect();
    assert_eq!(names, vec!["Bakery", "Internal", ""], "a co-op with few projects shows them all, then time without a project");
    assert_eq!(sheet.total, Minutes::ZERO);

    let before = journal_len(&app).await;
    let saved = app
        .save_week(
            &ana,
            ana_id,
            d(MONDAY),
            vec![
                cell("Bakery", "2026-11-23", h(8.0)),
                cell("Bakery", "2026-11-24", h(7.5)),
                cell("Internal", "2026-11-23", h(1.0)),
                // Unchanged cells may be sent too; they are ignored.
                cell("Internal", "2026-11-24", Minutes::ZERO),
            ],
        )
        .await
        .unwrap();
    assert_eq!((saved.changed, saved.total), (3, h(16.5)));
    assert_eq!(actions_after(&app, before).await, vec!["hours.week"], "one journal entry for the whole week");
    let sheet = app.week_sheet(&ana, ana_id, d(MONDAY)).await.unwrap();
    assert_eq!((at(&sheet, "Bakery", 0), at(&sheet, "Bakery", 1), at(&sheet, "Internal", 0)), (h(8.0), h(7.5), h(1.0)));
    assert_eq!(sheet.days[0].total, h(9.0));
    assert_eq!(sheet.days[1].total, h(7.5));
    assert_eq!(sheet.total, h(16.5));
    assert_eq!(week_rows(&db, ana_id), vec!["2026-11-23|480|manual", "2026-11-23|60|manual", "2026-11-24|450|manual"]);

    // Down, up, and to zero: the one manual entry changes, then goes.
    app.save_week(&ana, ana_id, d(MONDAY), vec![cell("Bakery", "2026-11-23", h(6.0))]).await.unwrap();
    assert_eq!(week_rows(&db, ana_id)[0], "2026-11-23|360|manual");
    app.save_week(&ana, ana_id, d(MONDAY), vec![cell("bakery", "2026-11-23", h(10.25))]).await.unwrap();
    assert_eq!(week_rows(&db, ana_id)[0], "2026-11-23|615|manual", "project names match ignoring case");
    app.save_week(&ana, ana_id, d(MONDAY), vec![cell("Bakery", "2026-11-23", Minutes::ZERO)]).await.unwrap();
    assert_eq!(week_rows(&db, ana_id), vec!["2026-11-23|60|manual", "2026-11-24|450|manual"]);

    // The same values again change nothing and write no journal entry.
    let before = journal_len(&app).await;
    let saved = app.save_week(&ana, ana_id, d(MONDAY), vec![cell("Internal", "2026-11-23", h(1.0))]).await.unwrap();
    assert_eq!(saved.changed, 0);
    assert_eq!(journal_len(&app).await, before);

    // Ben may not fill in Ana's week; the operator may.
    assert!(matches!(app.week_sheet(&ben, ana_id, d(MONDAY)).await, Err(AppError::Forbidden(_))));
    assert_forbidden(app.save_week(&ben, ana_id, d(MONDAY), vec![cell("Bakery", "2026-11-25", h(1.0))]).await);
    app.save_week(&Actor::Operator, ana_id, d(MONDAY), vec![cell("Bakery", "2026-11-25", h(1.0))]).await.unwrap();
    app.save_week(&ben, ben_id, d(MONDAY), vec![cell("Bakery", "2026-11-25", h(2.0))]).await.unwrap();

    // Refused, changing nothing: an unknown project, a day outside the week, a week not starting on Monday.
    let before = journal_len(&app).await;
    let rows = week_rows(&db, ana_id);
    let msg = assert_invalid(
        app.save_week(&ana, ana_id, d(MONDAY), vec![cell("Internal", "2026-11-26", h(2.0)), cell("Garden", "2026-11-26", h(1.0))]).await,
        "project",
    );
    assert!(msg.contains("Garden"), "{msg}");
    assert_invalid(app.save_week(&ana, ana_id, d(MONDAY), vec![cell("Internal", "2026-11-30", h(2.0))]).await, "date");
    assert_invalid(app.save_week(&ana, ana_id, d("2026-11-24"), vec![cell("Internal", "2026-11-24", h(2.0))]).await, "week");
    assert_eq!(week_rows(&db, ana_id), rows);
    assert_eq!(journal_len(&app).await, before);

    // Time without a project gets its own row.
    app.save_week(&ana, ana_id, d(MONDAY), vec![cell("", "2026-11-27", h(0.5))]).await.unwrap();
    let sheet = app.week_sheet(&ana, ana_id, d(MONDAY)).await.unwrap();
    let last = sheet.rows.last().unwrap();
    assert_eq!((last.project.clone(), last.cells[4].minutes), (None, h(0.5)), "the row without a project comes last");
});

backend_test!(a_day_holds_at_most_24_hours, |app, clock, db| {
    let ((ana_id, ana), _) = setup(&app).await;
    let before = journal_len(&app).await;
    let msg = assert_invalid(
        app.save_week(&ana, ana_id, d(MONDAY), vec![cell("Bakery", "2026-11-23", h(20.0)), cell("Internal", "2026-11-23", h(4.25))]).await,
        "hours",
    );
    assert!(msg.contains("2026-11-23") && msg.contains("more than the 24 hours"), "{msg}");
    assert!(week_rows(&db, ana_id).is_empty(), "nothing of the refused week was written");
    assert_eq!(journal_len(&app).await, before);

    // An entry logged elsewhere counts too: 20 hours logged, then 4 fit and 4.25 do not.
    let e = NewTimeEntry {
        member_id: ana_id,
        date: d("2026-11-23"),
        minutes: h(20.0),
        project: Some("Bakery".into()),
        category: None,
        note: "logged".into(),
        create_unknown: false,
    };
    app.log_hours(&ana, e).await.unwrap();
    assert_invalid(app.save_week(&ana, ana_id, d(MONDAY), vec![cell("Internal", "2026-11-23", h(4.25))]).await, "hours");
    app.save_week(&ana, ana_id, d(MONDAY), vec![cell("Internal", "2026-11-23", h(4.0))]).await.unwrap();
    // Moving time between projects on a full day works: the day is judged after every change.
    app.save_week(&ana, ana_id, d(MONDAY), vec![cell("Bakery", "2026-11-23", h(19.0)), cell("Internal", "2026-11-23", h(5.0))]).await.unwrap();
    let sheet = app.week_sheet(&ana, ana_id, d(MONDAY)).await.unwrap();
    assert_eq!((at(&sheet, "Bakery", 0), at(&sheet, "Internal", 0), sheet.days[0].total), (h(19.0), h(5.0), h(24.0)));
    // A single cell over 24 hours is refused before anything else.
    assert_invalid(app.save_week(&ana, ana_id, d(MONDAY), vec![cell("Internal", "2026-11-24", Minutes(24 * 60 + 1))]).await, "hours");
});

backend_test!(a_locked_month_is_read_only, |app, clock, db| {
    let ((ana_id, ana), _) = setup(&app).await;
    lock_month(&db, "2026-10");
    // The week of Monday 28 September runs into October.
    let sheet = app.week_sheet(&ana, ana_id, d("2026-09-28")).await.unwrap();
    let locked: Vec<bool> = sheet.days.iter().map(|day| day.locked).collect();
    assert_eq!(locked, vec![false, false, false, true, true, true, true]);

    let before = journal_len(&app).await;
    let r = app.save_week(&ana, ana_id, d("2026-09-28"), vec![cell("Bakery", "2026-09-28", h(3.0)), cell("Bakery", "2026-10-01", h(2.0))]).await;
    match r {
        Err(AppError::Conflict(msg)) => assert!(msg.contains("2026-10") && msg.contains("locked"), "{msg}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(db.count(&format!("SELECT COUNT(*) FROM time_entries WHERE member_id = {ana_id} AND date >= '2026-09-28' AND date <= '2026-10-04'")), 0, "all or nothing");
    assert_eq!(journal_len(&app).await, before);
    // The open days of the same week still save.
    app.save_week(&ana, ana_id, d("2026-09-28"), vec![cell("Bakery", "2026-09-28", h(3.0))]).await.unwrap();
    let sheet = app.week_sheet(&ana, ana_id, d("2026-09-28")).await.unwrap();
    assert_eq!(at(&sheet, "Bakery", 0), h(3.0));
    // Sending a locked cell unchanged is not a change, so it is not refused.
    app.save_week(&ana, ana_id, d("2026-09-28"), vec![cell("Bakery", "2026-09-29", h(1.0)), cell("Bakery", "2026-10-02", Minutes::ZERO)]).await.unwrap();
});

backend_test!(imported_entries_stay_as_they_are, |app, clock, db| {
    let ((ana_id, ana), _) = setup(&app).await;
    let csv = "email,date,hours,project,category,note\nana@example.coop,2026-11-23,3,Bakery,Programming,from Toggl\n";
    app.import_hours(&Actor::Operator, csv, None, false, &Mapping::default()).await.unwrap();
    let sheet = app.week_sheet(&ana, ana_id, d(MONDAY)).await.unwrap();
    let bakery = &sheet.rows[0];
    assert_eq!((bakery.cells[0].minutes, bakery.cells[0].imported), (h(3.0), h(3.0)));

    app.save_week(&ana, ana_id, d(MONDAY), vec![cell("Bakery", MONDAY, h(5.0))]).await.unwrap();
    assert_eq!(week_rows(&db, ana_id), vec!["2026-11-23|180|import", "2026-11-23|120|manual"], "the difference is a manual entry");
    app.save_week(&ana, ana_id, d(MONDAY), vec![cell("Bakery", MONDAY, h(4.0))]).await.unwrap();
    assert_eq!(week_rows(&db, ana_id), vec!["2026-11-23|180|import", "2026-11-23|60|manual"]);
    app.save_week(&ana, ana_id, d(MONDAY), vec![cell("Bakery", MONDAY, h(3.0))]).await.unwrap();
    assert_eq!(week_rows(&db, ana_id), vec!["2026-11-23|180|import"]);

    let msg = assert_invalid(app.save_week(&ana, ana_id, d(MONDAY), vec![cell("Bakery", MONDAY, h(2.0))]).await, "hours");
    assert!(msg.contains("import"), "{msg}");
    assert_eq!(week_rows(&db, ana_id), vec!["2026-11-23|180|import"]);
    let sheet = app.week_sheet(&ana, ana_id, d(MONDAY)).await.unwrap();
    assert_eq!(at(&sheet, "Bakery", 0), h(3.0));
});

backend_test!(reports_by_member_month_project_kind_and_balances, |app, clock, db| {
    let ((ana_id, ana), (ben_id, ben)) = setup(&app).await;
    app.save_week(&ana, ana_id, d(MONDAY), vec![cell("Bakery", MONDAY, h(8.0)), cell("", "2026-11-24", h(2.0))]).await.unwrap();
    app.save_week(&ben, ben_id, d("2026-03-02"), vec![cell("Internal", "2026-03-02", h(5.0))]).await.unwrap();
    // Another year stays out.
    app.save_week(&ben, ben_id, d("2025-12-29"), vec![cell("Internal", "2025-12-31", h(7.0))]).await.unwrap();

    let by_member = app.hours_by_member_month(&ben, 2026).await.unwrap();
    let names: Vec<&str> = by_member.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, vec!["Ana Silva", "Ben Okafor"]);
    assert_eq!(by_member[0].months[10], h(12.0), "Ana's November: 2 hours logged in setup plus 10 in the grid");
    assert_eq!(by_member[0].total, h(12.0));
    assert_eq!(by_member[1].months[2], h(5.0));
    assert_eq!(by_member[1].months.iter().copied().sum::<Minutes>(), h(5.0));

    let projects = app.hours_by_project(&ana, 2026).await.unwrap();
    let p: Vec<(Option<String>, Minutes)> = projects.into_iter().map(|t| (t.name, t.minutes)).collect();
    assert_eq!(p, vec![(Some("Bakery".into()), h(9.0)), (Some("Internal".into()), h(6.0)), (None, h(2.0))]);
    let kinds = app.hours_by_kind(&ana, 2026).await.unwrap();
    let k: Vec<(Option<String>, Minutes)> = kinds.into_iter().map(|t| (t.name, t.minutes)).collect();
    assert_eq!(k, vec![(None, h(15.0)), (Some("Programming".into()), h(2.0))]);
    let months = app.hours_by_month(&ana, 2026).await.unwrap();
    assert_eq!(months.len(), 12);
    assert_eq!((months[2], months[10], months.iter().copied().sum::<Minutes>()), (h(5.0), h(12.0), h(17.0)));

    assert!(app.hours_balances(&ana, 2026).await.unwrap().is_empty(), "no commitment yet");
    app.set_commitment(&Actor::Operator, ana_id, 2026, Minutes::from_hours(1560), 4).await.unwrap();
    let balances = app.hours_balances(&ben, 2026).await.unwrap();
    assert_eq!(balances.len(), 1);
    let b = &balances[0];
    assert_eq!((b.member_id, b.name.as_str(), b.balance.worked), (ana_id, "Ana Silva", h(12.0)));
    assert_eq!(b.balance.balance, b.balance.worked - b.balance.expected_to_date);
    assert!(b.balance.balance.is_negative(), "12 hours by late November is far behind 1560 a year");

    let years = app.hours_years(&ana).await.unwrap();
    assert_eq!(years, vec![2026, 2025]);
});
