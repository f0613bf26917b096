//! Year-end surplus and capital accounts through the use cases, with hours logged, policies
//! adopted by vote and accounts posted, each amount computed by hand in the comments. Every test
//! runs on SQLite and, with `COOP_TEST_POSTGRES_URL`, on PostgreSQL.
//!
//! The clock stands at 2026-11-28, so fiscal years 2024 and 2025 (calendar years) are over and
//! 2026 is not.

#[macro_use]
mod common;
use common::*;
use coop_app::decisions::{ClassChange, ClassInput, ResultsVisibility};
use coop_app::members::{MemberSummary, NewMember, StateInput};
use coop_app::surplus::{AllocationView, LedgerFormat, RunInput, SurplusPolicy};
use coop_app::work::NewTimeEntry;
use coop_app::{Actor, App, AppError};
use coop_core::decision::DecisionRule;
use coop_core::hours::Minutes;
use coop_core::member::MemberState;
use coop_core::money::Money;
use coop_core::patronage::{AllocationPolicy, Basis, Notice, Percent};

const OP: &Actor = &Actor::Operator;

fn pct(s: &str) -> Percent {
    Percent::parse(s).unwrap()
}

/// Members (state `member` since 2023-01-01) and a majority class governing the rules.
async fn coop_with(app: &App, people: &[(&str, &str)]) -> Vec<MemberSummary> {
    let input = ClassInput {
        name: "general".into(),
        rule: DecisionRule::parse_json(r#"{"kind":"vote","threshold":"1/2","strict":true,"base":"cast","quorum":null}"#).unwrap(),
        eligible: vec![MemberState::Member],
        results: ResultsVisibility::Live,
        governs_rules: true,
    };
    assert!(matches!(app.set_class(OP, input, None).await.unwrap(), ClassChange::Applied { .. }));
    let mut out = Vec::new();
    for (name, email) in people {
        let new = NewMember { since: Some(d("2023-01-01")), ..new_member(name, email, MemberState::Member) };
        let id = app.add_member(OP, new).await.unwrap().id;
        out.push(members(app).await.into_iter().find(|m| m.id == id).unwrap());
    }
    out
}

/// Logs `hours` for a member in 8-hour days from `first` on, with an optional kind of work.
async fn log_total(app: &App, member_id: i64, first: &str, hours: i64, kind: Option<&str>) {
    let mut left = hours;
    let mut day = d(first);
    while left > 0 {
        let h = left.min(8);
        app.log_hours(
            OP,
            NewTimeEntry {
                member_id,
                date: day,
                minutes: Minutes(h * 60),
                project: Some("Work".into()),
                category: kind.map(str::to_string),
                note: String::new(),
                create_unknown: true,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("log {h} h on {day}: {e}"));
        left -= h;
        day = day.tomorrow().unwrap();
    }
}

fn run(year: i64, surplus: &str, reserve: &str, cash: &str, basis: Basis, commit: bool) -> RunInput {
    RunInput { year, surplus: Some(Money::parse(surplus).unwrap()), reserve: Some(pct(reserve)), cash: Some(pct(cash)), basis: Some(basis), commit }
}

/// (email, allocation, cash, retained) of each member.
fn rows(v: &AllocationView) -> Vec<(String, i64, i64, i64)> {
    v.allocation.members.iter().map(|m| (m.email.clone(), m.allocation_cents, m.cash_cents, m.retained_cents)).collect()
}

fn r(email: &str, a: i64, c: i64, t: i64) -> (String, i64, i64, i64) {
    (email.to_string(), a, c, t)
}

async fn balance(app: &App, m: &MemberSummary) -> i64 {
    app.capital(OP, m.id).await.unwrap().balance_cents
}

/// Proposes `policy` for `year` with the clock at `when` and has everyone vote yes.
async fn adopt(app: &App, clock: &coop_app::clock::FixedClock, ms: &[MemberSummary], policy: SurplusPolicy, year: i64, when: &str) -> i64 {
    clock.set(when.parse().unwrap());
    let (proposal, view) = app.propose_allocation_policy(OP, policy, year, None, None).await.unwrap();
    assert_eq!(view.status, "pending");
    for m in ms {
        app.vote(&actor(m), proposal, m.id, "yes", None, None).await.unwrap();
    }
    clock.set(start());
    let adopted = app.allocation_policies(OP).await.unwrap().into_iter().find(|p| p.proposal_id == proposal).unwrap();
    assert_eq!(adopted.status, "adopted", "the vote passed, so the policy is adopted");
    proposal
}

backend_test!(seventy_five_percent_to_members_by_hours_paid_in_instalments, |app, clock, db| {
    let ms = coop_with(&app, &[("Ana", "ana@example.coop"), ("Ben", "ben@example.coop"), ("Cai", "cai@example.coop")]).await;
    // Design Action: 25% kept, 75% to members by hours, all of it in cash, in three instalments.
    let mut policy = SurplusPolicy::from_figures(AllocationPolicy::new(pct("25"), pct("100"), Basis::Hours));
    policy.instalments = vec!["03-15".into(), "06-15".into(), "09-15".into()];
    // A policy for a year that has begun is refused: it must be adopted before.
    assert_invalid(app.propose_allocation_policy(OP, policy.clone(), 2025, None, None).await, "year");
    adopt(&app, &clock, &ms, policy, 2025, "2024-11-01T12:00:00Z").await;
    // 10 h, 8 h, 6 h.
    log_total(&app, ms[0].id, "2025-03-03", 10, None).await;
    log_total(&app, ms[1].id, "2025-03-03", 8, None).await;
    log_total(&app, ms[2].id, "2025-03-03", 6, None).await;

    // The preview changes nothing.
    let before = journal_len(&app).await;
    let preview = app.patronage_run(OP, run(2025, "10000.01", "25", "100", Basis::Hours, false)).await.unwrap();
    assert_eq!(journal_len(&app).await, before);
    assert_eq!(db.count("SELECT COUNT(*) FROM capital_entries"), 0);
    // 1000001 x 25% = 250000.25 -> 250000; x 75% = 750000.75 -> 750000; the cent to the larger remainder, the pool.
    assert_eq!((preview.allocation.reserve_cents, preview.allocation.pool_cents), (250_000, 750_001));
    // 750001 x 10/24 = 312500.42, x 8/24 = 250000.33, x 6/24 = 187500.25: floors 750000, the cent to Ana.
    assert_eq!(
        rows(&preview),
        vec![r("ana@example.coop", 312_501, 312_501, 0), r("ben@example.coop", 250_000, 250_000, 0), r("cai@example.coop", 187_500, 187_500, 0)]
    );
    assert_eq!(preview.policy_version, Some(1));
    // Each member's cash in three: Ana 104167 x 3; Ben 83334, 83333, 83333; Cai 62500 x 3.
    // By date: 250001, 250000, 250000 (all by the deadline 2026-09-15).
    let by_date: Vec<(String, i64)> = preview.instalments.iter().map(|c| (c.date.clone(), c.cash_cents)).collect();
    assert_eq!(by_date, vec![("2026-03-15".into(), 250_001), ("2026-06-15".into(), 250_000), ("2026-09-15".into(), 250_000)]);
    assert_eq!(preview.cash_by_month.iter().map(|c| c.cash_cents).sum::<i64>(), 750_001);

    // A what-if that differs from the adopted policy is shown with a warning, but not committed.
    let what_if = app.patronage_run(OP, run(2025, "10000.01", "25", "20", Basis::Hours, false)).await.unwrap();
    assert!(what_if.allocation.warnings.iter().any(|w| w.contains("cash share 20%")), "{:?}", what_if.allocation.warnings);
    match app.patronage_run(OP, run(2025, "10000.01", "25", "20", Basis::Hours, true)).await {
        Err(AppError::Conflict(m)) => assert!(m.contains("cash share 20% (policy: 100%)"), "{m}"),
        other => panic!("expected a refusal naming the difference, got {other:?}"),
    }
    assert_eq!(journal_len(&app).await, before);

    // A member may preview but not commit.
    assert!(app.patronage_run(&actor(&ms[0]), run(2025, "10000.01", "25", "100", Basis::Hours, false)).await.is_ok());
    assert_forbidden(app.patronage_run(&actor(&ms[0]), run(2025, "10000.01", "25", "100", Basis::Hours, true)).await);

    let committed = app.patronage_run(OP, run(2025, "10000.01", "25", "100", Basis::Hours, true)).await.unwrap();
    assert!(committed.committed && committed.sealed_hash.is_some());
    assert_eq!(rows(&committed), rows(&preview));
    assert_eq!(app.reserve(OP).await.unwrap().balance_cents, 250_000);
    // All cash, so nothing retained.
    assert_eq!(balance(&app, &ms[0]).await, 0);
    let ben = app.capital(OP, ms[1].id).await.unwrap();
    assert_eq!(ben.payments.iter().map(|p| p.principal_cents).collect::<Vec<_>>(), vec![83_334, 83_333, 83_333]);
    assert_eq!(app.fiscal_year(OP, 2025).await.unwrap().status, "closed");
    // A year commits once.
    assert_conflict(app.patronage_run(OP, run(2025, "10000.01", "25", "100", Basis::Hours, true)).await);
    assert!(app.equity(OP).await.unwrap().balanced);
    // Notices: qualified, box 1 = the whole allocation.
    let notices = app.allocation_notices(OP, 2025).await.unwrap();
    assert_eq!(notices.len(), 3);
    assert_eq!(notices[0].box1_cents, 312_501);
    assert!(notices[0].html.contains("Qualified written notice of allocation") && notices[0].html.contains("3125.01 USD"));
    assert!(notices[0].pdf.starts_with(b"%PDF-"));
});

backend_test!(fifty_fifty_with_twenty_percent_cash_then_a_loss_absorbed_by_the_reserve, |app, clock, db| {
    let ms = coop_with(&app, &[("Ana", "ana@example.coop"), ("Ben", "ben@example.coop"), ("Cai", "cai@example.coop")]).await;
    // Hours 8 : 6 : 2, shares 1/2, 3/8, 1/8.
    log_total(&app, ms[0].id, "2024-05-06", 8, None).await;
    log_total(&app, ms[1].id, "2024-05-06", 6, None).await;
    log_total(&app, ms[2].id, "2024-05-06", 2, None).await;
    let v = app.patronage_run(OP, run(2024, "12345.67", "50", "20", Basis::Hours, true)).await.unwrap();
    // 1234567 / 2 = 617283.5 each: the tied cent goes to the reserve (listed first).
    assert_eq!((v.allocation.reserve_cents, v.allocation.pool_cents), (617_284, 617_283));
    // 617283 x 1/2 = 308641.5, x 3/8 = 231481.125, x 1/8 = 77160.375: the cent to Ana.
    // Cash 20% rounded up: 61728.4 -> 61729; 46296.2 -> 46297; 15432.
    assert_eq!(
        rows(&v),
        vec![r("ana@example.coop", 308_642, 61_729, 246_913), r("ben@example.coop", 231_481, 46_297, 185_184), r("cai@example.coop", 77_160, 15_432, 61_728)]
    );
    assert_eq!(v.allocation.notice, Notice::Qualified);
    // Without an adopted policy the commit says so.
    assert!(v.allocation.warnings.iter().any(|w| w.contains("no allocation policy adopted by decision governs 2024")));
    assert!(all_entries(&app).await.iter().any(|e| e.action == "allocation.commit" && e.payload["warnings"].to_string().contains("no allocation policy")));
    // The next year a loss of 5,000.00, all absorbed by the reserve: nobody is charged.
    log_total(&app, ms[0].id, "2025-05-05", 8, None).await;
    let l = app.patronage_run(OP, run(2025, "-5000.00", "100", "20", Basis::Hours, true)).await.unwrap();
    assert_eq!((l.allocation.reserve_cents, l.allocation.pool_cents), (-500_000, 0));
    assert!(l.allocation.members.iter().all(|m| m.allocation_cents == 0 && m.cash_cents == 0));
    assert_eq!(l.allocation.notice, Notice::NonQualified);
    // Reserve 617284 - 500000; Ana keeps 246913.
    assert_eq!(app.reserve(OP).await.unwrap().balance_cents, 117_284);
    assert_eq!(balance(&app, &ms[0]).await, 246_913);
    let eq = app.equity(OP).await.unwrap();
    assert!(eq.balanced, "{eq:?}");
    // Equity: 1234567 - cash (61729 + 46297 + 15432 = 123458) - 500000 = 611109 = members 493825 + reserve 117284.
    assert_eq!(eq.equity_cents, 611_109);
    assert_eq!(db.count("SELECT COUNT(*) FROM allocations"), 2);
});

backend_test!(mondragon_45_45_10_by_weighted_hours_with_seven_percent_interest, |app, clock, db| {
    let ms = coop_with(&app, &[("Ana", "ana@example.coop"), ("Ben", "ben@example.coop")]).await;
    // Ana 10 h of development (weight 1.5), Ben 10 h of admin (weight 1.0): 15 : 10 = 3 : 2.
    log_total(&app, ms[0].id, "2024-03-04", 10, Some("development")).await;
    log_total(&app, ms[1].id, "2024-03-04", 10, Some("admin")).await;
    app.set_kind_rate(OP, "development", coop_app::pay::Month::parse("2024-01").unwrap(), None, 150).await.unwrap();
    let mut policy = SurplusPolicy::from_figures(AllocationPolicy::new(pct("45"), pct("30"), Basis::Weighted));
    policy.allocation.community = pct("10");
    policy.interest = pct("7");
    adopt(&app, &clock, &ms, policy, 2024, "2023-12-01T12:00:00Z").await;
    let v = app.patronage_run(OP, run(2024, "10000.03", "45", "30", Basis::Weighted, true)).await.unwrap();
    // 1000003 x 45% = 450001.35, x 10% = 100000.3, x 45% = 450001.35: the cent to the reserve (tie, listed first).
    assert_eq!((v.allocation.reserve_cents, v.allocation.community_cents, v.allocation.pool_cents), (450_002, 100_000, 450_001));
    // 450001 x 3/5 = 270000.6 -> +1 cent; x 2/5 = 180000.4. Cash 30%: 81000.3 -> 81001; 54000.
    assert_eq!(rows(&v), vec![r("ana@example.coop", 270_001, 81_001, 189_000), r("ben@example.coop", 180_000, 54_000, 126_000)]);
    assert_eq!(v.allocation.members[0].patronage, "15.00", "weighted hours");
    // 7% on a year's balance, paid from the reserve: 189000 x .07 = 13230; 126000 x .07 = 8820.
    let posted = app.post_interest(OP, 2025, None).await.unwrap();
    assert_eq!(posted.members.iter().map(|m| m.amount_cents).collect::<Vec<_>>(), vec![13_230, 8_820]);
    assert_eq!(balance(&app, &ms[0]).await, 202_230);
    assert_eq!(app.reserve(OP).await.unwrap().balance_cents, 450_002 - 22_050);
    assert_conflict(app.post_interest(OP, 2025, None).await);
    // Interest for a year not over yet is refused.
    assert_conflict(app.post_interest(OP, 2026, None).await);
    assert!(app.equity(OP).await.unwrap().balanced);
    assert_eq!(db.count("SELECT COUNT(*) FROM capital_entries WHERE kind = 'interest'"), 3);
});

backend_test!(a_loss_year_is_charged_to_members_by_patronage, |app, clock, db| {
    let ms = coop_with(&app, &[("Ana", "ana@example.coop"), ("Ben", "ben@example.coop"), ("Cai", "cai@example.coop")]).await;
    // 20 h and 10 h; Cai has no hours and is not charged.
    log_total(&app, ms[0].id, "2025-02-03", 20, None).await;
    log_total(&app, ms[1].id, "2025-02-03", 10, None).await;
    let v = app.patronage_run(OP, run(2025, "-10000.01", "30", "50", Basis::Hours, true)).await.unwrap();
    // 1000001 x 30% = 300000.3 -> 300000; x 70% = 700000.7 -> 700001 (the cent of loss to the pool).
    assert_eq!((v.allocation.reserve_cents, v.allocation.pool_cents), (-300_000, -700_001));
    // 700001 x 2/3 = 466667.33, x 1/3 = 233333.67: the cent to Ben. No cash in a loss year.
    assert_eq!(rows(&v), vec![r("ana@example.coop", -466_667, 0, -466_667), r("ben@example.coop", -233_334, 0, -233_334)]);
    assert_eq!(balance(&app, &ms[0]).await, -466_667);
    let ana = app.capital(OP, ms[0].id).await.unwrap();
    assert_eq!(ana.entries[0].kind, "loss");
    assert!(ana.payments.is_empty());
    assert_eq!(balance(&app, &ms[2]).await, 0);
    assert!(app.equity(OP).await.unwrap().balanced);
    // The loss notice reports nothing in box 1.
    assert!(app.allocation_notices(OP, 2025).await.unwrap().iter().all(|n| n.box1_cents == 0));
    assert_eq!(db.count("SELECT COUNT(*) FROM cash_payments"), 0);
});

backend_test!(a_member_who_joined_mid_year_counts_only_hours_as_a_member, |app, clock, db| {
    let ms = coop_with(&app, &[("Ana", "ana@example.coop"), ("Cai", "cai@example.coop")]).await;
    let new = NewMember { since: Some(d("2025-01-01")), ..new_member("Ben", "ben@example.coop", MemberState::Candidate) };
    let ben = app.add_member(OP, new).await.unwrap();
    app.change_state(OP, ben.id, StateInput { state: MemberState::Member, on: Some(d("2025-07-01")), note: String::new(), planned_end: None }).await.unwrap();
    // Ana 20 h; Ben 5 h as a candidate in March (not counted) and 10 h as a member in September; Cai 15 h.
    log_total(&app, ms[0].id, "2025-03-03", 20, None).await;
    log_total(&app, ben.id, "2025-03-03", 5, None).await;
    log_total(&app, ben.id, "2025-09-01", 10, None).await;
    log_total(&app, ms[1].id, "2025-03-03", 15, None).await;
    let v = app.patronage_run(OP, run(2025, "5000.00", "20", "25", Basis::Hours, false)).await.unwrap();
    assert_eq!((v.allocation.reserve_cents, v.allocation.pool_cents), (100_000, 400_000));
    // Members in id order: Ana, Cai, Ben = 20 : 15 : 10.
    // 400000 x 4/9 = 177777.78, x 3/9 = 133333.33, x 2/9 = 88888.89: cents to Ben then Ana.
    // Cash 25% up: 44444.5 -> 44445; 33333.25 -> 33334; 22222.25 -> 22223.
    assert_eq!(
        rows(&v),
        vec![r("ana@example.coop", 177_778, 44_445, 133_333), r("cai@example.coop", 133_333, 33_334, 99_999), r("ben@example.coop", 88_889, 22_223, 66_666)]
    );
    assert_eq!(v.allocation.members[2].patronage, "10.00");
    // Candidates' hours count when the policy says so: then Ben has 15 h of 50.
    let mut policy = SurplusPolicy::from_figures(AllocationPolicy::new(pct("20"), pct("25"), Basis::Hours));
    policy.allocation.counts_candidates = true;
    adopt(&app, &clock, &ms, policy, 2025, "2024-12-01T12:00:00Z").await;
    let w = app.patronage_run(OP, run(2025, "5000.00", "20", "25", Basis::Hours, false)).await.unwrap();
    assert_eq!(w.allocation.members[2].patronage, "15.00");
    // 400000 x 15/50 = 120000 exactly.
    assert_eq!(w.allocation.members[2].allocation_cents, 120_000);
    assert_eq!(db.count("SELECT COUNT(*) FROM allocations"), 0);
});

backend_test!(an_exact_tie_on_the_remainder_goes_to_the_lowest_member_id, |app, clock, db| {
    let ms = coop_with(&app, &[("Ana", "ana@example.coop"), ("Ben", "ben@example.coop"), ("Cai", "cai@example.coop")]).await;
    for m in ms.iter().rev() {
        log_total(&app, m.id, "2025-04-07", 3, None).await;
    }
    let v = app.patronage_run(OP, run(2025, "1.00", "0", "20", Basis::Hours, true)).await.unwrap();
    // 100 cents / 3 = 33.33 each; the odd cent to the lowest id, Ana. Cash 20% up: 6.8 -> 7, 6.6 -> 7.
    assert_eq!(rows(&v), vec![r("ana@example.coop", 34, 7, 27), r("ben@example.coop", 33, 7, 26), r("cai@example.coop", 33, 7, 26)]);
    // Everything sums exactly.
    assert_eq!(v.allocation.members.iter().map(|m| m.allocation_cents).sum::<i64>(), 100);
});

backend_test!(a_committed_allocation_is_sealed_and_tampering_breaks_verify, |app, clock, db| {
    let ms = coop_with(&app, &[("Ana", "ana@example.coop"), ("Ben", "ben@example.coop")]).await;
    log_total(&app, ms[0].id, "2025-04-07", 3, None).await;
    log_total(&app, ms[1].id, "2025-04-07", 1, None).await;
    app.patronage_run(OP, run(2025, "400.00", "25", "20", Basis::Hours, true)).await.unwrap();
    assert!(app.verify_journal(OP).await.unwrap().ok());
    db.exec("UPDATE capital_entries SET amount_cents = amount_cents + 100 WHERE kind = 'allocation' AND member_id IS NOT NULL AND amount_cents > 15000");
    let report = app.verify_journal(OP).await.unwrap();
    assert!(report.fault.as_deref().is_some_and(|f| f.contains("allocation")), "{report:?}");
});

backend_test!(bad_input_changes_nothing, |app, clock, db| {
    let ms = coop_with(&app, &[("Ana", "ana@example.coop")]).await;
    log_total(&app, ms[0].id, "2026-04-06", 3, None).await;
    let before = journal_len(&app).await;
    // The year is not over.
    assert_conflict(app.patronage_run(OP, run(2026, "100.00", "25", "20", Basis::Hours, true)).await);
    // Nobody has patronage in 2025.
    assert_conflict(app.patronage_run(OP, run(2025, "100.00", "25", "20", Basis::Hours, true)).await);
    // No surplus and no policy.
    assert_invalid(app.patronage_run(OP, RunInput { year: 2025, ..RunInput::default() }).await, "surplus");
    assert_invalid(app.patronage_run(OP, RunInput { year: 2025, surplus: Some(Money(1)), ..RunInput::default() }).await, "reserve");
    assert_invalid(app.patronage_run(OP, RunInput { year: 1800, ..RunInput::default() }).await, "year");
    // Reserve and community over 100% in a policy document.
    assert_invalid(SurplusPolicy::from_json(r#"{"reserve":"95","community":"10","cash":"20","basis":"hours","loss_reserve_share":"0"}"#), "policy");
    assert_invalid(SurplusPolicy::from_json(r#"{"reserve":"25","cash":"20","basis":"hours","loss_reserve_share":"0","instalments":["13-01"]}"#), "instalments");
    let late = SurplusPolicy::from_json(r#"{"reserve":"25","cash":"20","basis":"hours","loss_reserve_share":"0","instalments":["10-01"]}"#).unwrap();
    assert_invalid(late.payment_dates(d("2025-12-31")), "instalments");
    assert_eq!(journal_len(&app).await, before);
    assert_eq!(db.count("SELECT COUNT(*) FROM fiscal_years"), 0);
});

backend_test!(buy_in_redemption_with_the_solvency_guard_and_departure, |app, clock, db| {
    let ms = coop_with(&app, &[("Ana", "ana@example.coop"), ("Ben", "ben@example.coop")]).await;
    // A buy-in of 3,000.00 at 50.00 a pay period.
    app.set_buy_in_plan(OP, ms[0].id, Money(300_000), Money(5_000), d("2024-01-15")).await.unwrap();
    for day in ["2024-01-15", "2024-01-31", "2024-02-15"] {
        app.pay_buy_in(OP, ms[0].id, Money(5_000), d(day)).await.unwrap();
    }
    let ana = app.capital(OP, ms[0].id).await.unwrap();
    let plan = ana.buy_in.clone().unwrap();
    assert_eq!((plan.paid_cents, plan.remaining_cents, plan.instalments_left), (15_000, 285_000, 57));
    assert_invalid(app.pay_buy_in(OP, ms[0].id, Money(285_001), d("2024-03-01")).await, "amount");
    assert_forbidden(app.capital(&actor(&ms[1]), ms[0].id).await);
    assert!(app.capital(&actor(&ms[0]), ms[0].id).await.is_ok());

    // 2024: 1,000.00, 10% reserve, 20% cash, Ana 3 h and Ben 1 h.
    log_total(&app, ms[0].id, "2024-04-01", 3, None).await;
    log_total(&app, ms[1].id, "2024-04-01", 1, None).await;
    app.patronage_run(OP, run(2024, "1000.00", "10", "20", Basis::Hours, true)).await.unwrap();
    // Pool 90000: Ana 67500 (cash 13500, retained 54000), Ben 22500 (4500, 18000). Reserve 10000.
    assert_eq!(balance(&app, &ms[0]).await, 15_000 + 54_000);
    // Redeeming 2024's allocations one year on needs 72000 from a reserve of 10000: refused.
    let before = journal_len(&app).await;
    match app.redeem(OP, 2025, Some(1), Some(Money(0)), d("2025-06-30")).await {
        Err(AppError::Conflict(m)) => assert!(m.contains("cannot carry"), "{m}"),
        other => panic!("expected the solvency guard, got {other:?}"),
    }
    assert_eq!(journal_len(&app).await, before);
    // After a larger year 2025 the reserve carries it: 50% of 200,000.00 kept.
    log_total(&app, ms[0].id, "2025-04-01", 1, None).await;
    app.patronage_run(OP, run(2025, "200000.00", "50", "20", Basis::Hours, true)).await.unwrap();
    let posted = app.redeem(OP, 2026, Some(2), Some(Money(1_000_000)), d("2026-06-30")).await.unwrap();
    // 2024 is two years before 2026: Ana's 54000 and Ben's 18000 are redeemed; buy-ins are not.
    assert_eq!(posted.members.iter().map(|m| m.amount_cents).collect::<Vec<_>>(), vec![-54_000, -18_000]);
    assert_eq!(balance(&app, &ms[1]).await, 0);
    assert!(app.equity(OP).await.unwrap().balanced);

    // Ben departs; his balance is 0 now, so nothing to repay.
    app.change_state(OP, ms[1].id, StateInput { state: MemberState::Departed, on: Some(d("2026-07-01")), note: String::new(), planned_end: None })
        .await
        .unwrap();
    assert_conflict(app.depart_capital(OP, ms[1].id, d("2026-07-01"), Some(1), Some(3), Some(pct("7"))).await);
    // Ana is not departed: refused.
    assert_invalid(app.depart_capital(OP, ms[0].id, d("2026-07-01"), Some(1), Some(3), Some(pct("7"))).await, "on");
    app.change_state(OP, ms[0].id, StateInput { state: MemberState::Departed, on: Some(d("2026-08-01")), note: String::new(), planned_end: None })
        .await
        .unwrap();
    let held = balance(&app, &ms[0]).await;
    let gone = app.depart_capital(OP, ms[0].id, d("2026-08-01"), Some(1), Some(3), Some(pct("7"))).await.unwrap();
    assert_eq!(gone.balance_cents, 0);
    let repay: Vec<_> = gone.payments.iter().filter(|p| p.kind == "repayment").collect();
    assert_eq!(repay.len(), 3);
    assert_eq!(repay.iter().map(|p| p.principal_cents).sum::<i64>(), held);
    assert_eq!(repay.iter().map(|p| p.due.as_str()).collect::<Vec<_>>(), vec!["2026-12-01", "2027-04-01", "2027-08-01"]);
    // Interest on the outstanding balance for a third of a year at 7%, half to even.
    assert_eq!(repay[0].interest_cents, coop_core::patronage::interest(held, pct("7"), 1, 3));
    assert!(app.equity(OP).await.unwrap().balanced);
    assert_eq!(db.count("SELECT COUNT(*) FROM capital_entries WHERE kind = 'departure'"), 1);
});

backend_test!(the_ledger_export_is_balanced_and_accepted_by_hledger_and_beancount, |app, clock, db| {
    let ms = coop_with(&app, &[("Ana", "ana@example.coop"), ("Ben", "ben@example.coop")]).await;
    app.set_buy_in_plan(OP, ms[0].id, Money(300_000), Money(5_000), d("2025-01-15")).await.unwrap();
    app.pay_buy_in(OP, ms[0].id, Money(5_000), d("2025-01-15")).await.unwrap();
    log_total(&app, ms[0].id, "2024-04-01", 3, None).await;
    log_total(&app, ms[1].id, "2024-04-01", 1, None).await;
    app.patronage_run(OP, run(2024, "1000.00", "10", "20", Basis::Hours, true)).await.unwrap();
    log_total(&app, ms[0].id, "2025-04-01", 3, None).await;
    app.patronage_run(OP, run(2025, "5000.00", "50", "20", Basis::Hours, true)).await.unwrap();
    app.post_interest(OP, 2025, Some(pct("5"))).await.unwrap();
    app.redeem(OP, 2025, Some(1), None, d("2025-12-01")).await.unwrap();
    let txs = app.ledger_transactions(OP, 2025).await.unwrap();
    for t in &txs {
        assert_eq!(t.postings().iter().map(|p| p.amount_cents).sum::<i64>(), 0, "{t:?}");
    }
    let kinds: Vec<&str> = txs.iter().map(|t| t.reference()).collect();
    for expected in ["allocation:2025", "cash:2025", "interest:2025", "redemption:2025"] {
        assert!(kinds.contains(&expected), "{expected} missing from {kinds:?}");
    }
    assert!(kinds.iter().any(|k| k.starts_with("buy_in:")));
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("coop.journal");
    std::fs::write(&journal, app.export_ledger(OP, 2025, LedgerFormat::Hledger).await.unwrap()).unwrap();
    let bean = dir.path().join("coop.beancount");
    std::fs::write(&bean, app.export_ledger(OP, 2025, LedgerFormat::Beancount).await.unwrap()).unwrap();
    check_with("hledger", &["check", "--strict", "-f"], &journal);
    check_with("bean-check", &[], &bean);
    let csv = app.export_ledger(OP, 2025, LedgerFormat::Csv).await.unwrap();
    let total: i64 = csv.lines().skip(1).map(|l| Money::parse(l.split(',').nth(4).unwrap()).unwrap().cents()).sum();
    assert_eq!(total, 0);
    let _ = db;
});

/// Runs a ledger tool on `file`; without the tool the check is skipped, except in CI (`CI`
/// set), where `.ci/run` installs it and its absence is a failure.
fn check_with(tool: &str, args: &[&str], file: &std::path::Path) {
    let out = match std::process::Command::new(tool).args(args).arg(file).output() {
        Ok(o) => o,
        Err(e) => {
            assert!(std::env::var_os("CI").is_none(), "{tool} is missing in CI ({e}): .ci/run installs it");
            eprintln!("skipped: {tool} is not installed ({e})");
            return;
        }
    };
    assert!(
        out.status.success(),
        "{tool} refused {}:\n{}{}\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(file).unwrap_or_default()
    );
}

backend_test!(a_policy_recorded_after_its_year_began_is_flagged, |app, clock, db| {
    let ms = coop_with(&app, &[("Ana", "ana@example.coop"), ("Ben", "ben@example.coop")]).await;
    log_total(&app, ms[0].id, "2025-03-03", 2, None).await;
    log_total(&app, ms[1].id, "2025-03-03", 2, None).await;
    let figures = SurplusPolicy::from_figures(AllocationPolicy::new(pct("25"), pct("20"), Basis::Hours));
    // A decision taken now (for 2027, ahead of time) is passed; recording a 2025 policy under it
    // is allowed (a meeting may have decided it) but the year began before its adoption.
    let passed = adopt(&app, &clock, &ms, figures.clone(), 2027, START).await;
    assert!(matches!(app.record_allocation_policy(OP, figures.clone(), 2025, 999_999).await, Err(AppError::NotFound(_))));
    let recorded = app.record_allocation_policy(OP, figures, 2025, passed).await.unwrap();
    assert_eq!(recorded.status, "adopted");
    let v = app.patronage_run(OP, run(2025, "100.00", "25", "20", Basis::Hours, false)).await.unwrap();
    assert_eq!(v.policy_version, Some(recorded.version));
    assert!(v.allocation.warnings.iter().any(|w| w.contains("after fiscal year 2025 began")), "{:?}", v.allocation.warnings);
    assert_eq!(db.count("SELECT COUNT(*) FROM allocation_policies WHERE status = 'adopted'"), 2);
});

backend_test!(the_surplus_is_imported_from_the_income_statement_all_or_nothing, |app, clock, db| {
    let ms = coop_with(&app, &[("Ana", "ana@example.coop")]).await;
    let (_, ada) = admin(&app).await;
    // income 12,000.00 + 500.25; expenses 4,000.00 + 99.99: net 8,400.26.
    let good = "account,type,amount\nSales,income,\"12,000.00\"\nGrants,income,500.25\nRent,expense,\"4,000.00\"\nTools,expense,99.99\n";
    let before = journal_len(&app).await;
    // A member may not import; nothing is written.
    assert_forbidden(app.import_fiscal_surplus(&actor(&ms[0]), 2025, good).await);
    // A bad line refuses the whole file, naming the line, and changes nothing.
    let bad = "account,type,amount\nSales,income,\"12,000.00\"\nRent,expense,four thousand\n";
    let message = assert_invalid(app.import_fiscal_surplus(&ada, 2025, bad).await, "csv");
    assert!(message.starts_with("line 3: "), "{message}");
    assert_invalid(app.import_fiscal_surplus(&ada, 2025, "account,amount\n").await, "csv");
    assert_eq!(journal_len(&app).await, before);
    assert_eq!(db.count("SELECT COUNT(*) FROM fiscal_years"), 0);

    // A good file sets the surplus (opening the year), and the journal names the import.
    let v = app.import_fiscal_surplus(&ada, 2025, good).await.unwrap();
    assert_eq!((v.net_cents, v.lines, v.format.as_str()), (840_026, 4, "csv"));
    assert_eq!(v.fiscal_year.surplus_cents, Some(840_026));
    assert_eq!(app.fiscal_year(OP, 2025).await.unwrap().surplus_cents, Some(840_026));
    let entry = all_entries(&app).await.pop().unwrap();
    assert_eq!((entry.action.as_str(), entry.subject.as_str()), ("fiscal_year.surplus", "fiscal_year:2025"));
    assert_eq!(entry.payload["imported"]["lines"], 4);
    assert_eq!(entry.payload["imported"]["net_cents"], 840_026);

    // A bad file later leaves the entered surplus as it was.
    let after = journal_len(&app).await;
    assert_invalid(app.import_fiscal_surplus(&ada, 2025, "account,amount\nSales,1\n,2\n").await, "csv");
    assert_eq!(app.fiscal_year(OP, 2025).await.unwrap().surplus_cents, Some(840_026));
    // hledger's income statement is read too: a loss of 348.75.
    let hledger = "\"Income Statement 2025\",\"\"\n\"Account\",\"2025\"\n\"Revenues\",\"\"\n\"revenues:sales\",\"$1,200.50\"\n\"total\",\"$1,200.50\"\n\"Expenses\",\"\"\n\"expenses:rent\",\"$1,549.25\"\n\"total\",\"$1,549.25\"\n\"Net:\",\"$-348.75\"\n";
    let v = app.import_fiscal_surplus(&ada, 2025, hledger).await.unwrap();
    assert_eq!((v.net_cents, v.lines, v.format.as_str()), (-34_875, 2, "hledger"));
    assert_eq!(journal_len(&app).await, after + 1);

    // A closed year refuses, as the typed surplus does.
    app.close_fiscal_year(&ada, 2025).await.unwrap();
    let closed = journal_len(&app).await;
    assert_conflict(app.import_fiscal_surplus(&ada, 2025, good).await);
    assert_conflict(app.set_fiscal_surplus(&ada, 2025, Money(1)).await);
    assert_eq!(app.fiscal_year(OP, 2025).await.unwrap().surplus_cents, Some(-34_875));
    assert_eq!(journal_len(&app).await, closed);
});

backend_test!(a_cash_instalment_is_marked_paid_once_by_an_admin_journaled_and_exported_on_that_day, |app, clock, db| {
    let ms = coop_with(&app, &[("Ana", "ana@example.coop"), ("Ben", "ben@example.coop")]).await;
    log_total(&app, ms[0].id, "2025-04-07", 3, None).await;
    log_total(&app, ms[1].id, "2025-04-07", 1, None).await;
    // 1000.00: 10% kept (10000), pool 90000 by hours 3 : 1 = 67500 and 22500; 20% cash: 13500 and
    // 4500, each one payment on the deadline, 8 1/2 months after the year end: 2026-09-15.
    app.patronage_run(OP, run(2025, "1000.00", "10", "20", Basis::Hours, true)).await.unwrap();
    let all = app.cash_payments(OP, Some(2025)).await.unwrap();
    let seen: Vec<(i64, &str, i64, Option<&str>)> =
        all.iter().map(|p| (p.member_id, p.payment.due.as_str(), p.payment.payment_cents, p.payment.paid_on.as_deref())).collect();
    assert_eq!(seen, vec![(ms[0].id, "2026-09-15", 13_500, None), (ms[1].id, "2026-09-15", 4_500, None)]);
    assert!(app.cash_payments(OP, Some(2024)).await.unwrap().is_empty());
    // A member sees only their own payments.
    let own = app.cash_payments(&actor(&ms[0]), None).await.unwrap();
    assert_eq!(own.iter().map(|p| p.member_id).collect::<Vec<_>>(), vec![ms[0].id]);
    let ana_payment = all[0].payment.id;

    let before = journal_len(&app).await;
    // Only admins mark a payment paid; not on a day still to come (the clock is at 2026-11-28).
    assert_forbidden(app.mark_cash_paid(&actor(&ms[0]), ana_payment, d("2026-03-01")).await);
    assert_invalid(app.mark_cash_paid(OP, ana_payment, d("2026-11-29")).await, "on");
    assert!(matches!(app.mark_cash_paid(OP, 999_999, d("2026-03-01")).await, Err(AppError::NotFound(_))));
    assert_eq!(journal_len(&app).await, before, "refusals write nothing");
    assert_eq!(db.count("SELECT COUNT(*) FROM cash_payments WHERE paid_on IS NOT NULL"), 0);

    let paid = app.mark_cash_paid(OP, ana_payment, d("2026-03-01")).await.unwrap();
    assert_eq!(
        (paid.member_id, paid.payment.paid_on.as_deref(), paid.payment.payment_cents, paid.payment.due.as_str()),
        (ms[0].id, Some("2026-03-01"), 13_500, "2026-09-15")
    );
    assert_eq!(actions_after(&app, before).await, vec!["cash_payment.paid".to_string()]);
    // Once: a second time is a conflict and changes nothing.
    let after = journal_len(&app).await;
    assert_conflict(app.mark_cash_paid(OP, ana_payment, d("2026-03-02")).await);
    assert_eq!(journal_len(&app).await, after);
    assert_eq!(app.capital(OP, ms[0].id).await.unwrap().payments[0].paid_on.as_deref(), Some("2026-03-01"));
    assert_eq!(app.capital(OP, ms[1].id).await.unwrap().payments[0].paid_on, None);
    assert_eq!(db.count("SELECT COUNT(*) FROM cash_payments WHERE paid_on = '2026-03-01' AND principal_cents = 13500"), 1);
    // Paying is not changing the allocation: its seal still verifies.
    assert!(app.verify_journal(OP).await.unwrap().ok());

    // The ledger books Ana's cash on the day it was paid, Ben's still on the day it is due.
    let cash: Vec<(String, i64)> = app
        .ledger_transactions(OP, 2025)
        .await
        .unwrap()
        .iter()
        .filter(|t| t.reference() == "cash:2025")
        .map(|t| (t.date().to_string(), t.postings().iter().filter(|p| p.amount_cents > 0).map(|p| p.amount_cents).sum()))
        .collect();
    assert_eq!(cash, vec![("2026-03-01".to_string(), 13_500), ("2026-09-15".to_string(), 4_500)]);
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("coop.journal");
    std::fs::write(&journal, app.export_ledger(OP, 2025, LedgerFormat::Hledger).await.unwrap()).unwrap();
    let bean = dir.path().join("coop.beancount");
    std::fs::write(&bean, app.export_ledger(OP, 2025, LedgerFormat::Beancount).await.unwrap()).unwrap();
    check_with("hledger", &["check", "--strict", "-f"], &journal);
    check_with("bean-check", &[], &bean);
});
