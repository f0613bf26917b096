//! Pay through the use cases: a pay system adopted only by a decision, monthly runs computed
//! to the cent, approval that seals the run and locks the month, corrections that leave a trail
//! and are settled by the next run, leave within the entitlement, and rates by kind of work that
//! change from a month on. Each test runs on SQLite and, with `COOP_TEST_POSTGRES_URL`, on
//! PostgreSQL.

#[macro_use]
mod common;
use common::*;
use coop_app::decisions::{ClassChange, ClassInput, ResultsVisibility};
use coop_app::members::{MemberSummary, NewMember};
use coop_app::pay::{Month, PayRunView};
use coop_app::work::NewTimeEntry;
use coop_app::{Actor, App, AppError};
use coop_core::decision::DecisionRule;
use coop_core::hours::Minutes;
use coop_core::member::MemberState;
use coop_core::money::Money;
use coop_core::pay::PaySystem;

fn month(s: &str) -> Month {
    Month::parse(s).unwrap()
}

/// Three members since 2026-01-05 and a majority class that governs the rules.
async fn coop_of_three(app: &App) -> Vec<MemberSummary> {
    let input = ClassInput {
        name: "general".into(),
        rule: DecisionRule::parse_json(r#"{"kind":"vote","threshold":"1/2","strict":true,"base":"cast","quorum":null}"#).unwrap(),
        eligible: vec![MemberState::Member],
        results: ResultsVisibility::Live,
        governs_rules: true,
    };
    assert!(matches!(app.set_class(&Actor::Operator, input, None).await.unwrap(), ClassChange::Applied { .. }));
    let mut out = Vec::new();
    for (name, email) in [("Ana", "ana@example.coop"), ("Ben", "ben@example.coop"), ("Chloé", "chloe@example.coop")] {
        let new = NewMember { since: Some(d("2026-01-05")), ..new_member(name, email, MemberState::Member) };
        let id = app.add_member(&Actor::Operator, new).await.unwrap().id;
        out.push(members(app).await.into_iter().find(|m| m.id == id).unwrap());
    }
    out
}

fn system(json: &str) -> PaySystem {
    PaySystem::from_json(json).unwrap_or_else(|e| panic!("bad test pay system {json}: {e}"))
}

/// Proposes `json` from `from` and has every member vote `choice`; returns the proposal's id.
async fn decide_system(app: &App, ms: &[MemberSummary], json: &str, from: &str, choice: &str) -> i64 {
    let (proposal, view) = app.propose_pay_system(&Actor::Operator, system(json), month(from), None, None).await.unwrap();
    assert_eq!(view.status, "pending");
    for m in ms {
        app.vote(&actor(m), proposal, m.id, choice, None, None).await.unwrap();
    }
    proposal
}

async fn log(app: &App, member_id: i64, date: &str, hours: i64, project: &str, kind: Option<&str>) -> i64 {
    app.log_hours(
        &Actor::Operator,
        NewTimeEntry {
            member_id,
            date: d(date),
            minutes: Minutes(hours * 60),
            project: Some(project.into()),
            category: kind.map(str::to_string),
            note: String::new(),
            create_unknown: true,
        },
    )
    .await
    .unwrap()
    .id
}

fn gross_of(run: &PayRunView, member_id: i64) -> &str {
    &run.members.iter().find(|m| m.member_id == member_id).unwrap_or_else(|| panic!("member {member_id} not in run {run:?}")).gross
}

fn total_of(run: &PayRunView, member_id: i64) -> &str {
    &run.members.iter().find(|m| m.member_id == member_id).unwrap().total
}

fn assert_conflict_message<T: std::fmt::Debug>(r: Result<T, AppError>) -> String {
    match r {
        Err(AppError::Conflict(m)) => m,
        other => panic!("expected Conflict, got {other:?}"),
    }
}

const EQUAL_20: &str = r#"{"basis":{"kind":"equal_hourly","rate":"20.00","internal_paid":false},"max_ratio":"2:1"}"#;

backend_test!(a_pay_system_applies_only_once_its_decision_passes, |app, clock, db| {
    let ms = coop_of_three(&app).await;
    log(&app, ms[0].id, "2026-03-02", 8, "Bakery POS", None).await;
    assert_conflict(app.pay_run(&Actor::Operator, month("2026-03")).await);
    // Voted down: rejected, nothing in force.
    let rejected = decide_system(&app, &ms, EQUAL_20, "2026-03", "no").await;
    assert_conflict(app.pay_run(&Actor::Operator, month("2026-03")).await);
    // Voted through: adopted from March, not before.
    let adopted = decide_system(&app, &ms, EQUAL_20, "2026-03", "yes").await;
    let systems = app.pay_systems(&Actor::Operator).await.unwrap();
    let status = |p: i64| systems.iter().find(|s| s.proposal_id == p).unwrap().status.clone();
    assert_eq!((status(rejected), status(adopted)), ("rejected".to_string(), "adopted".to_string()));
    assert_conflict(app.pay_run(&Actor::Operator, month("2026-02")).await);
    let run = app.pay_run(&Actor::Operator, month("2026-03")).await.unwrap();
    assert_eq!(gross_of(&run, ms[0].id), "160.00");
    // Recording against a proposal that did not pass is refused.
    assert_invalid(app.record_pay_system(&Actor::Operator, system(EQUAL_20), month("2026-04"), rejected).await, "adopted_by");
    // A member may read pay but not manage it.
    let ana = actor(&ms[0]);
    assert!(app.pay_runs(&ana).await.is_ok());
    assert_forbidden(app.propose_pay_system(&ana, system(EQUAL_20), month("2026-05"), None, None).await);
    assert_forbidden(app.approve_pay_run(&ana, month("2026-03")).await);
    assert_eq!(db.count("SELECT COUNT(*) FROM pay_runs WHERE status = 'approved'"), 0);
});

backend_test!(a_month_is_paid_to_the_cent_then_approval_seals_and_locks_it, |app, clock, db| {
    let ms = coop_of_three(&app).await;
    decide_system(&app, &ms, EQUAL_20, "2026-01", "yes").await;
    // Ana: 10 h billable + 2 h internal (unpaid under this system); Ben 7.5 h; Chloé nothing.
    log(&app, ms[0].id, "2026-03-02", 10, "Bakery POS", None).await;
    app.set_kind_rate(&Actor::Operator, "nothing", month("2026-01"), None, 100).await.expect_err("no such kind");
    log(&app, ms[0].id, "2026-03-03", 2, "Co-op admin", None).await;
    db.exec("UPDATE projects SET billable = 0 WHERE name = 'Co-op admin'");
    app.log_hours(
        &Actor::Operator,
        NewTimeEntry { member_id: ms[1].id, date: d("2026-03-04"), minutes: Minutes(450), project: Some("Bakery POS".into()), category: None, note: String::new(), create_unknown: false },
    )
    .await
    .unwrap();
    let run = app.pay_run(&Actor::Operator, month("2026-03")).await.unwrap();
    // 10 h x 20.00 = 200.00; 7.5 h x 20.00 = 150.00; Chloé was in the co-op, worked nothing: 0.00.
    assert_eq!(gross_of(&run, ms[0].id), "200.00");
    assert_eq!(gross_of(&run, ms[1].id), "150.00");
    assert_eq!(gross_of(&run, ms[2].id), "0.00");
    assert_eq!(run.total, "350.00");
    assert_eq!(run.status, "draft");
    assert_eq!(run.ratio["within_limit"], true, "{:?}", run.ratio);
    // A draft cannot be exported; approval seals it.
    assert_conflict(app.pay_run_csv(&Actor::Operator, month("2026-03")).await);
    let approved = app.approve_pay_run(&Actor::Operator, month("2026-03")).await.unwrap();
    assert_eq!(approved.status, "approved");
    assert!(approved.sealed_hash.is_some());
    assert_conflict(app.approve_pay_run(&Actor::Operator, month("2026-03")).await);
    let csv = app.pay_run_csv(&Actor::Operator, month("2026-03")).await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "email,name,month,paid_hours,gross,adjustments,total");
    assert!(lines.contains(&"ana@example.coop,Ana,2026-03,10.00,200.00,0.00,200.00"), "{csv}");
    assert!(lines.contains(&"ben@example.coop,Ben,2026-03,7.50,150.00,0.00,150.00"), "{csv}");
    // The month is locked: no new hours, no leave.
    let before = db.count("SELECT COUNT(*) FROM time_entries");
    let r = app
        .log_hours(&Actor::Operator, NewTimeEntry { member_id: ms[2].id, date: d("2026-03-05"), minutes: Minutes(60), project: None, category: None, note: String::new(), create_unknown: true })
        .await;
    assert!(assert_conflict_message(r).contains("locked"));
    assert_eq!(db.count("SELECT COUNT(*) FROM time_entries"), before);
    // An import with one line in March is refused whole, naming that line.
    let csv = "email,date,hours,project,category,note\nchloe@example.coop,2026-04-02,1,,,\nchloe@example.coop,2026-03-31,1,,,\n";
    let mapping = coop_core::import::Mapping { create_unknown: true, ..Default::default() };
    let msg = assert_invalid(app.import_hours(&Actor::Operator, csv, None, false, &mapping).await, "file");
    assert!(msg.starts_with("line 3:") && msg.contains("locked"), "{msg}");
    assert_eq!(db.count("SELECT COUNT(*) FROM time_entries"), before);
    // April is still open, and a re-read gives the approved run unchanged.
    log(&app, ms[2].id, "2026-04-01", 1, "Bakery POS", None).await;
    assert_eq!(app.pay_run(&Actor::Operator, month("2026-03")).await.unwrap(), approved);
    // The sealed run is tamper-evident.
    assert_eq!(app.verify_journal(&Actor::Operator).await.unwrap().fault, None);
    db.exec("UPDATE pay_runs SET total_cents = total_cents + 100 WHERE month = '2026-03'");
    let fault = app.verify_journal(&Actor::Operator).await.unwrap().fault.expect("tampering is detected");
    assert!(fault.contains("pay_run"), "{fault}");
});

backend_test!(a_correction_to_a_locked_month_is_settled_by_the_next_run, |app, clock, db| {
    let ms = coop_of_three(&app).await;
    decide_system(&app, &ms, EQUAL_20, "2026-01", "yes").await;
    let entry = log(&app, ms[0].id, "2026-03-02", 10, "Bakery POS", None).await;
    app.approve_pay_run(&Actor::Operator, month("2026-03")).await.unwrap();
    assert_invalid(app.correct_entry(&Actor::Operator, entry, Minutes(12 * 60), "  ").await, "reason");
    assert_invalid(app.correct_entry(&Actor::Operator, entry, Minutes(25 * 60), "typo").await, "hours");
    // Someone else cannot correct Ana's hours.
    assert_forbidden(app.correct_entry(&actor(&ms[1]), entry, Minutes(12 * 60), "typo").await);
    let k = app.correct_entry(&actor(&ms[0]), entry, Minutes(12 * 60), "forgot the Friday call").await.unwrap();
    assert_eq!((k.old_hours.as_str(), k.new_hours.as_str()), ("10.00", "12.00"));
    // The approved March run is unchanged; April pays the difference: 2 h x 20.00 = 40.00.
    assert_eq!(gross_of(&app.pay_run(&Actor::Operator, month("2026-03")).await.unwrap(), ms[0].id), "200.00");
    log(&app, ms[0].id, "2026-04-01", 5, "Bakery POS", None).await;
    let april = app.pay_run(&Actor::Operator, month("2026-04")).await.unwrap();
    let ana = april.members.iter().find(|m| m.member_id == ms[0].id).unwrap();
    assert_eq!(ana.gross, "100.00");
    assert_eq!(ana.adjustments.len(), 1);
    assert_eq!((ana.adjustments[0].month.as_str(), ana.adjustments[0].amount_cents), ("2026-03", 4000));
    assert_eq!(ana.total, "140.00");
    assert_eq!(april.total, "140.00");
    let approved = app.approve_pay_run(&Actor::Operator, month("2026-04")).await.unwrap();
    assert_eq!(total_of(&approved, ms[0].id), "140.00");
    let trail = app.corrections(&Actor::Operator).await.unwrap();
    assert_eq!(trail.len(), 1);
    assert!(trail[0].settled_in.is_some());
    // Settled once: May pays no second adjustment. A second correction, down to 9 h, takes
    // back 3 h x 20.00 from what March has been paid so far (12 h).
    assert!(app.pay_run(&Actor::Operator, month("2026-05")).await.unwrap().members.iter().all(|m| m.adjustments.is_empty()));
    app.correct_entry(&Actor::Operator, entry, Minutes(9 * 60), "the call was unpaid").await.unwrap();
    let may = app.pay_run(&Actor::Operator, month("2026-05")).await.unwrap();
    let ana = may.members.iter().find(|m| m.member_id == ms[0].id).unwrap();
    assert_eq!(ana.adjustments[0].amount_cents, -6000);
    assert_eq!(ana.total, "-60.00");
    assert_eq!(db.count("SELECT COUNT(*) FROM time_corrections"), 2);
});

backend_test!(rates_by_kind_change_from_a_month_and_leave_is_paid_within_the_entitlement, |app, clock, db| {
    let ms = coop_of_three(&app).await;
    decide_system(&app, &ms, r#"{"basis":{"kind":"by_kind","general_rate":"25.00","internal_paid":true}}"#, "2026-01", "yes").await;
    log(&app, ms[0].id, "2026-03-02", 4, "Bakery POS", Some("Programming")).await;
    log(&app, ms[0].id, "2026-03-03", 4, "Bakery POS", Some("Support")).await;
    app.set_kind_rate(&Actor::Operator, "programming", month("2026-03"), Some(Money(5000)), 150).await.unwrap();
    // Programming at 50.00 only for those hours: 4 x 50 + 4 x 25 = 300.00.
    let march = app.pay_run(&Actor::Operator, month("2026-03")).await.unwrap();
    assert_eq!(gross_of(&march, ms[0].id), "300.00");
    // From April programming pays 60.00; March keeps 50.00.
    app.set_kind_rate(&Actor::Operator, "Programming", month("2026-04"), Some(Money(6000)), 150).await.unwrap();
    log(&app, ms[0].id, "2026-04-01", 4, "Bakery POS", Some("Programming")).await;
    assert_eq!(gross_of(&app.pay_run(&Actor::Operator, month("2026-04")).await.unwrap(), ms[0].id), "240.00");
    assert_eq!(gross_of(&app.pay_run(&Actor::Operator, month("2026-03")).await.unwrap(), ms[0].id), "300.00");
    assert_eq!(app.kind_rates(&Actor::Operator).await.unwrap().len(), 2);

    // Leave: 1,040 declared hours over 2026's 261 working days (4 h a day), one week of leave.
    assert_invalid(app.take_leave(&Actor::Operator, ms[1].id, d("2026-03-09"), d("2026-03-10"), "").await, "member");
    app.set_commitment(&Actor::Operator, ms[1].id, 2026, Minutes(1040 * 60), 1).await.unwrap();
    // Monday to the next Monday: the weekend is skipped, 6 days is over the 5-day entitlement.
    assert_invalid(app.take_leave(&Actor::Operator, ms[1].id, d("2026-03-09"), d("2026-03-16"), "holiday").await, "to");
    assert_eq!(db.count("SELECT COUNT(*) FROM leave_taken"), 0);
    let added = app.take_leave(&Actor::Operator, ms[1].id, d("2026-03-12"), d("2026-03-16"), "holiday").await.unwrap();
    assert_eq!(added, vec!["2026-03-12", "2026-03-13", "2026-03-16"]);
    // Three days of leave are 3 x 1040 / 261 h = 11.95 h (717.24 min, to 717), paid at 25.00:
    // 717 x 25.00 / 60 = 298.75.
    let march = app.pay_run(&Actor::Operator, month("2026-03")).await.unwrap();
    assert_eq!(gross_of(&march, ms[1].id), "298.75");
    // The balance counts the leave: on 2026-03-16, worked 0 + leave 11.95.
    let balance = app.hours_balance(&Actor::Operator, ms[1].id, 2026, d("2026-03-16")).await.unwrap();
    let json = serde_json::to_value(balance).unwrap();
    // Expected to date: 1040 x 51 working days (5 Jan - 16 Mar) / 261 = 203.22 h.
    assert_eq!(json["expected_to_date"], "203.22");
    assert_eq!(json["balance"], "-191.27");
    // Three days are taken: an entitlement of none is refused and changes nothing.
    let msg = assert_invalid(app.set_commitment(&Actor::Operator, ms[1].id, 2026, Minutes(1040 * 60), 0).await, "leave_weeks");
    assert!(msg.contains("3 days of leave"), "{msg}");
    assert_eq!(db.count("SELECT leave_weeks FROM commitments"), 1);
    app.approve_pay_run(&Actor::Operator, month("2026-03")).await.unwrap();
    assert_conflict(app.take_leave(&Actor::Operator, ms[1].id, d("2026-03-17"), d("2026-03-17"), "").await);
    assert_conflict(app.cancel_leave(&Actor::Operator, ms[1].id, d("2026-03-12")).await);
    assert_conflict(app.set_kind_rate(&Actor::Operator, "Programming", month("2026-03"), Some(Money(1)), 100).await);
});
