//! Elections through the use cases: every method end to end (the STV count is Wikipedia's
//! food election), receipts and replacement, eligibility, closing, nominations, sealing, the
//! BLT export, and ballot secrecy checked against every row of every table. Each test runs on
//! SQLite and, with `COOP_TEST_POSTGRES_URL`, on PostgreSQL.

#[macro_use]
mod common;

use common::*;
use coop_app::elections::{BallotReceipt, ElectionInput, ElectionView};
use coop_app::members::MemberSummary;
use coop_app::{Actor, App, AppError};
use coop_core::election::{self, Ballot, Method};
use coop_core::journal::sha256_hex;
use coop_core::member::{MemberState, Role};
use serde_json::Value;
use std::collections::BTreeSet;

const OP: &Actor = &Actor::Operator;

fn input(title: &str, seats: u32, method: Method, candidates: &[&str]) -> ElectionInput {
    ElectionInput { title: title.into(), seats, method, candidates: candidates.iter().map(|c| c.to_string()).collect(), closes_at: None, eligible: Vec::new() }
}

/// `n` members named "Voter 01".. with emails v01@example.org..
async fn voters(app: &App, n: usize, state: MemberState) -> Vec<MemberSummary> {
    let mut out = Vec::with_capacity(n);
    for i in 1..=n {
        out.push(add(app, &format!("Voter {i:02}"), &format!("v{i:02}@example.org"), state).await);
    }
    out
}

/// Casts `ballot` as the voter themselves (signed in), without a receipt.
async fn cast(app: &App, election_id: i64, voter: &MemberSummary, ballot: &str) -> BallotReceipt {
    app.cast_ballot(&actor(voter), election_id, voter.id, ballot, None).await.unwrap_or_else(|e| panic!("{} casting {ballot:?}: {e}", voter.email))
}

/// Casts the ballots in order, one voter each (`(how many, ballot)` groups).
async fn cast_all(app: &App, election_id: i64, voters: &[MemberSummary], groups: &[(usize, &str)]) -> Vec<String> {
    let mut cast_texts = Vec::new();
    let mut who = voters.iter();
    for &(n, ballot) in groups {
        for _ in 0..n {
            let v = who.next().expect("enough voters");
            let r = cast(app, election_id, v, ballot).await;
            assert!(!r.replaced);
            let code = r.receipt.expect("a first ballot gets a receipt");
            assert!(code.len() >= 16, "receipt {code:?}");
            cast_texts.push(ballot.to_string());
        }
    }
    cast_texts
}

fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// The closed election is sealed, the journal verifies, and the published ballots are
/// exactly `cast` (as a multiset).
async fn assert_closed_and_sealed(app: &App, e: &ElectionView, cast: &[String]) {
    assert_eq!(e.status, "closed");
    let hash = e.sealed_hash.as_deref().expect("a closed election is sealed");
    assert!(is_hex64(hash), "sealed_hash {hash:?}");
    let report = app.verify_journal(OP).await.unwrap();
    assert!(report.ok(), "journal: {:?}", report.fault);
    assert_eq!(e.turnout as usize, cast.len());
    let mut published: Vec<String> = e.ballots.iter().map(|b| b.ballot.clone()).collect();
    let mut expected = cast.to_vec();
    published.sort();
    expected.sort();
    assert_eq!(published, expected, "the published ballots are the ballots cast");
    for b in &e.ballots {
        assert!(is_hex64(&b.receipt_hash), "receipt hash {:?}", b.receipt_hash);
    }
}

fn winners(e: &ElectionView) -> Vec<&str> {
    e.winners.iter().map(String::as_str).collect()
}

/// The tallies of a round as text, in candidate order.
fn tallies(e: &ElectionView, round: usize) -> Vec<String> {
    e.rounds[round].tallies.iter().map(|t| t.votes.to_string()).collect()
}

/// The ballots the BLT export of a closed election reads back to, checked against `e`.
async fn blt_ballots(app: &App, e: &ElectionView) -> Vec<Ballot> {
    let text = app.election_blt(OP, e.id).await.expect("BLT export");
    let blt = election::parse_blt(&text).unwrap_or_else(|err| panic!("the export does not parse back ({err}):\n{text}"));
    assert_eq!(blt.title, e.title.replace('"', "'"), "BLT has no escape for a double quote");
    assert_eq!(blt.candidates, e.candidates);
    assert_eq!(blt.seats, e.seats as usize);
    blt.ballots
}

fn sorted(mut v: Vec<Ballot>) -> Vec<Ballot> {
    v.sort_by_key(|b| serde_json::to_string(b).unwrap());
    v
}

// ---------------------------------------------------------------------------------------------
// Each method end to end

backend_test!(plurality_end_to_end, |app, clock| {
    let vs = voters(&app, 6, MemberState::Member).await;
    let before = journal_len(&app).await;
    let e = app.new_election(OP, input("Treasurer", 1, Method::Plurality, &["Ana", "Ben", "Chidi"])).await.unwrap();
    assert_eq!((e.status.as_str(), e.eligible, e.turnout), ("open", 6, 0));
    assert_eq!(e.closes_at.as_deref(), Some("2026-12-05T12:00:00.000000Z"), "a week by default");
    assert_eq!(actions_after(&app, before).await, ["election.new", "election.open"]);
    let cast = cast_all(&app, e.id, &vs, &[(3, "Ana"), (2, "Ben"), (1, "Chidi")]).await;
    let open = app.election(OP, e.id).await.unwrap();
    assert_eq!((open.turnout, open.winners.len(), open.ballots.len()), (6, 0, 0), "nothing is published while open");
    assert_eq!(open.sealed_hash, None);

    let e = app.close_election(OP, e.id).await.unwrap();
    assert_eq!(winners(&e), ["Ana"]);
    assert_eq!(e.quota, None);
    assert_eq!(e.rounds.len(), 1);
    assert_eq!(tallies(&e, 0), ["3", "2", "1"]);
    assert_closed_and_sealed(&app, &e, &cast).await;
    // A plurality choice travels in BLT as a one-preference ranking.
    let expected: Vec<Ballot> = cast.iter().map(|c| election::parse_ranking(c, &e.candidates).unwrap()).collect();
    assert_eq!(sorted(blt_ballots(&app, &e).await), sorted(expected));
    assert_conflict(app.close_election(OP, e.id).await);
});

backend_test!(approval_end_to_end, |app, clock| {
    let vs = voters(&app, 5, MemberState::Member).await;
    let e = app.new_election(OP, input("Board", 2, Method::Approval, &["Ana", "Ben", "Chidi"])).await.unwrap();
    let cast = cast_all(&app, e.id, &vs, &[(2, "Ana,Ben"), (2, "Ben,Chidi"), (1, "Chidi")]).await;
    let e = app.close_election(OP, e.id).await.unwrap();
    assert_eq!(winners(&e), ["Ben", "Chidi"], "the most approved first");
    assert_eq!(e.quota, None);
    assert_eq!(tallies(&e, 0), ["2", "4", "3"]);
    assert_closed_and_sealed(&app, &e, &cast).await;
    // BLT carries rankings only: an approval election is refused, not mangled.
    assert!(app.election_blt(OP, e.id).await.is_err());
});

backend_test!(irv_end_to_end, |app, clock| {
    let vs = voters(&app, 9, MemberState::Member).await;
    let e = app.new_election(OP, input("Coordinator \"2027\"", 1, Method::Irv, &["Ana", "Ben", "Chidi"])).await.unwrap();
    // Ana leads on first preferences, but Chidi's voters prefer Ben.
    let cast = cast_all(&app, e.id, &vs, &[(4, "Ana"), (3, "Ben>Ana"), (2, "Chidi>Ben")]).await;
    let e = app.close_election(OP, e.id).await.unwrap();
    assert_eq!(winners(&e), ["Ben"]);
    assert_eq!(e.quota, None);
    assert_eq!(e.rounds.len(), 2);
    assert_eq!(tallies(&e, 0), ["4", "3", "2"]);
    assert_eq!(e.rounds[1].excluded[0].candidate, "Chidi");
    assert_eq!(tallies(&e, 1), ["4", "5", "0"]);
    assert_closed_and_sealed(&app, &e, &cast).await;
    let expected: Vec<Ballot> = cast.iter().map(|c| election::parse_ranking(c, &e.candidates).unwrap()).collect();
    assert_eq!(sorted(blt_ballots(&app, &e).await), sorted(expected));
});

// Wikipedia, "Single transferable vote": the food for a party. 20 voters, 3 seats, Droop
// quota floor(20 / 4) + 1 = 6; Chocolate, Oranges and Strawberries are elected.
backend_test!(stv_food_election_end_to_end, |app, clock| {
    let vs = voters(&app, 20, MemberState::Member).await;
    let food = ["Oranges", "Pears", "Chocolate", "Strawberries", "Hamburgers"];
    let e = app.new_election(OP, input("Party food", 3, Method::Stv, &food)).await.unwrap();
    assert_eq!(e.eligible, 20);
    let groups = [(4, "Oranges"), (2, "Pears>Oranges"), (8, "Chocolate>Strawberries"), (4, "Chocolate>Hamburgers"), (1, "Strawberries"), (1, "Hamburgers")];
    let cast = cast_all(&app, e.id, &vs, &groups).await;
    let before = journal_len(&app).await;
    let e = app.close_election(OP, e.id).await.unwrap();
    assert_eq!(actions_after(&app, before).await, ["election.closed", "record.seal"]);

    assert_eq!(winners(&e), ["Chocolate", "Oranges", "Strawberries"]);
    assert_eq!(e.quota, Some(6));
    assert_eq!(e.rounds.len(), 4);
    assert_eq!(tallies(&e, 0), ["4", "2", "12", "1", "1"]);
    assert_eq!(e.rounds[0].elected[0].candidate, "Chocolate");
    assert_eq!(tallies(&e, 1), ["4", "2", "6", "5", "3"], "Chocolate's surplus of 6 moves at 0.5 a paper");
    assert_eq!(tallies(&e, 2), ["6", "0", "6", "5", "3"], "Pears excluded, Oranges reaches the quota");
    assert_eq!(e.rounds[2].excluded[0].candidate, "Pears");
    assert_eq!(e.rounds[3].excluded[0].candidate, "Hamburgers");
    assert_eq!(e.rounds[3].elected[0].candidate, "Strawberries");

    // The contract's JSON shape.
    let doc = serde_json::to_value(&e).unwrap();
    assert_eq!(doc["winners"], serde_json::json!(["Chocolate", "Oranges", "Strawberries"]));
    assert_eq!(doc["quota"], serde_json::json!(6));
    assert_eq!(doc["rounds"].as_array().unwrap().len(), 4);
    assert_eq!(doc["method"], "stv");

    assert_closed_and_sealed(&app, &e, &cast).await;
    let expected: Vec<Ballot> = cast.iter().map(|c| election::parse_ranking(c, &e.candidates).unwrap()).collect();
    let back = blt_ballots(&app, &e).await;
    assert_eq!(sorted(back.clone()), sorted(expected));
    // The exported file counts to the same result in any BLT reader; here, coop's own count.
    let recount = election::count(Method::Stv, 3, &e.candidates, &back).unwrap().named(&e.candidates);
    assert_eq!(recount.winners, e.winners);
    assert_eq!(recount.rounds, e.rounds);

    // The list shows it too.
    let all = app.elections(OP).await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].winners, e.winners);
});

// ---------------------------------------------------------------------------------------------
// Ballots: receipts, eligibility, closing, bad input

backend_test!(a_second_ballot_needs_the_receipt_and_replaces_the_first, |app, clock| {
    let vs = voters(&app, 2, MemberState::Member).await;
    let e = app.new_election(OP, input("Board", 1, Method::Irv, &["Ana", "Ben", "Chidi"])).await.unwrap();
    let first = cast(&app, e.id, &vs[0], "Ana>Ben").await;
    let code = first.receipt.clone().unwrap();
    cast(&app, e.id, &vs[1], "Ben").await;

    let before = journal_len(&app).await;
    assert_conflict(app.cast_ballot(&actor(&vs[0]), e.id, vs[0].id, "Chidi", None).await);
    assert_invalid(app.cast_ballot(&actor(&vs[0]), e.id, vs[0].id, "Chidi", Some("not-a-receipt")).await, "receipt");
    assert_eq!(journal_len(&app).await, before, "a refused ballot writes nothing");

    let again = app.cast_ballot(&actor(&vs[0]), e.id, vs[0].id, "Chidi>Ana", Some(&code)).await.unwrap();
    assert!(again.replaced);
    assert_eq!(again.receipt, None, "the receipt stays the same");
    assert_eq!(actions_after(&app, before).await, ["election.ballot_changed"]);
    // The same receipt works again while voting is open.
    app.cast_ballot(&actor(&vs[0]), e.id, vs[0].id, "Chidi", Some(&format!(" {code} "))).await.unwrap();

    let e = app.close_election(OP, e.id).await.unwrap();
    assert_eq!(e.turnout, 2);
    assert_eq!(e.ballots.len(), 2, "one ballot per voter, the replacement in place of the first");
    let mine = e.ballots.iter().find(|b| b.receipt_hash == sha256_hex(code.as_bytes())).expect("the receipt finds the ballot");
    assert_eq!(mine.ballot, "Chidi");
    assert!(!e.ballots.iter().any(|b| b.ballot.starts_with("Ana")), "the first ballot is gone");
    assert_closed_and_sealed(&app, &e, &["Chidi".to_string(), "Ben".to_string()]).await;
});

backend_test!(a_voter_not_eligible_is_refused_and_nothing_changes, |app, clock| {
    let mo = add(&app, "Mo Member", "mo@example.org", MemberState::Member).await;
    let cal = add(&app, "Cal Candidate", "cal@example.org", MemberState::Candidate).await;
    let e = app.new_election(OP, input("Board", 1, Method::Plurality, &["Ana", "Ben"])).await.unwrap();
    assert_eq!(e.eligible, 1, "by default only state member votes");
    let before = journal_len(&app).await;
    let r = app.cast_ballot(OP, e.id, cal.id, "Ana", None).await;
    match &r {
        Err(AppError::Forbidden(why)) => assert!(why.contains("member"), "the refusal says who may vote: {why}"),
        other => panic!("expected Forbidden, got {other:?}"),
    }
    assert_eq!(journal_len(&app).await, before);
    // Someone who became a member after voting opened is not on the roll either.
    let late = add(&app, "Lee Late", "lee@example.org", MemberState::Member).await;
    let before = journal_len(&app).await;
    assert_forbidden(app.cast_ballot(OP, e.id, late.id, "Ana", None).await);
    // A member votes only for themselves.
    assert_forbidden(app.cast_ballot(&actor(&mo), e.id, cal.id, "Ana", None).await);
    assert_eq!(journal_len(&app).await, before);
    assert_eq!(app.election(OP, e.id).await.unwrap().turnout, 0);
    cast(&app, e.id, &mo, "Ben").await;

    // An election that admits candidates takes Cal's ballot.
    let wide = ElectionInput { eligible: vec![MemberState::Member, MemberState::Candidate], ..input("Committee", 1, Method::Plurality, &["Ana", "Ben"]) };
    let wide = app.new_election(OP, wide).await.unwrap();
    assert_eq!(wide.eligible, 3, "Mo, Cal and Lee");
    cast(&app, wide.id, &cal, "Ana").await;
});

backend_test!(ballots_after_close_or_past_the_deadline_are_refused, |app, clock| {
    let vs = voters(&app, 3, MemberState::Member).await;
    let e = app.new_election(OP, input("Board", 1, Method::Plurality, &["Ana", "Ben"])).await.unwrap();
    cast(&app, e.id, &vs[0], "Ana").await;
    let closed = app.close_election(OP, e.id).await.unwrap();
    let before = journal_len(&app).await;
    assert_conflict(app.cast_ballot(&actor(&vs[1]), e.id, vs[1].id, "Ben", None).await);
    assert_eq!(journal_len(&app).await, before);
    let after = app.election(OP, e.id).await.unwrap();
    assert_eq!((after.turnout, after.ballots.len()), (1, 1));
    assert_eq!(after.sealed_hash, closed.sealed_hash);

    // With a deadline: refused once it passes, then closed by the background closer.
    let closes = start().checked_add(jiff::SignedDuration::from_hours(1)).unwrap();
    let timed = app.new_election(OP, ElectionInput { closes_at: Some(closes), ..input("Chair", 1, Method::Plurality, &["Ana", "Ben"]) }).await.unwrap();
    let silent = app.new_election(OP, ElectionInput { closes_at: Some(closes), ..input("Nobody", 1, Method::Plurality, &["Ana", "Ben"]) }).await.unwrap();
    cast(&app, timed.id, &vs[0], "Ben").await;
    assert_eq!(app.close_due_elections().await.unwrap(), Vec::<i64>::new(), "nothing is due yet");
    clock.advance(std::time::Duration::from_secs(3600));
    assert_conflict(app.cast_ballot(&actor(&vs[1]), timed.id, vs[1].id, "Ana", None).await);
    assert_eq!(app.close_due_elections().await.unwrap(), vec![timed.id, silent.id], "both close at their deadline");
    let timed = app.election(OP, timed.id).await.unwrap();
    assert_eq!(winners(&timed), ["Ben"]);
    assert!(timed.sealed_hash.is_some());
    // One nobody voted in closes too, electing nobody, so it never stays open for ever.
    let silent = app.election(OP, silent.id).await.unwrap();
    assert_eq!((silent.status.as_str(), silent.winners.len(), silent.turnout), ("closed", 0, 0));
    assert!(silent.sealed_hash.is_some());
    // A closing time in the past is refused.
    let past = ElectionInput { closes_at: Some(start()), ..input("Past", 1, Method::Plurality, &["Ana", "Ben"]) };
    let before = journal_len(&app).await;
    assert_invalid(app.new_election(OP, past).await, "closes");
    assert_eq!(journal_len(&app).await, before);
});

backend_test!(a_bad_ballot_is_invalid_and_writes_nothing, |app, clock| {
    let vs = voters(&app, 1, MemberState::Member).await;
    let v = &vs[0];
    let stv = app.new_election(OP, input("Board", 2, Method::Stv, &["A", "B", "C"])).await.unwrap();
    let plural = app.new_election(OP, input("Chair", 1, Method::Plurality, &["A", "B", "C"])).await.unwrap();
    let approval = app.new_election(OP, input("Panel", 2, Method::Approval, &["A", "B", "C"])).await.unwrap();
    let before = journal_len(&app).await;
    for bad in ["A>Z", "A>A", "", "A>>B", "a>b"] {
        assert_invalid(app.cast_ballot(&actor(v), stv.id, v.id, bad, None).await, "ballot");
    }
    for bad in ["A,B", "A>B", "Z", ""] {
        assert_invalid(app.cast_ballot(&actor(v), plural.id, v.id, bad, None).await, "ballot");
    }
    for bad in ["A,A", "A,Z", ","] {
        assert_invalid(app.cast_ballot(&actor(v), approval.id, v.id, bad, None).await, "ballot");
    }
    assert_eq!(journal_len(&app).await, before);
    for id in [stv.id, plural.id, approval.id] {
        assert_eq!(app.election(OP, id).await.unwrap().turnout, 0);
    }
    // The voter can still vote afterwards: nothing was half-recorded.
    cast(&app, stv.id, v, " B > A ").await;
    assert_not_found(app.cast_ballot(&actor(v), 999, v.id, "A", None).await);
});

#[track_caller]
fn assert_not_found<T: std::fmt::Debug>(r: Result<T, AppError>) {
    assert!(matches!(r, Err(AppError::NotFound(_))), "expected NotFound, got {r:?}");
}

backend_test!(bad_elections_are_refused_and_write_nothing, |app, clock| {
    let before = journal_len(&app).await;
    assert_invalid(app.new_election(OP, input(" ", 1, Method::Stv, &["A", "B"])).await, "title");
    assert_invalid(app.new_election(OP, input("X", 0, Method::Stv, &["A", "B"])).await, "seats");
    assert_invalid(app.new_election(OP, input("X", 2, Method::Irv, &["A", "B"])).await, "seats");
    assert_invalid(app.new_election(OP, input("X", 3, Method::Stv, &["A", "B"])).await, "seats");
    assert_invalid(app.new_election(OP, input("X", 1, Method::Stv, &["A", "A"])).await, "candidates");
    assert_invalid(app.new_election(OP, input("X", 1, Method::Stv, &["A>B", "C"])).await, "candidates");
    assert_eq!(journal_len(&app).await, before);
    assert!(app.elections(OP).await.unwrap().is_empty());
    // Opening, closing and nominating are for the secretary or an admin.
    let mo = add(&app, "Mo Member", "mo@example.org", MemberState::Member).await;
    assert_forbidden(app.new_election(&actor(&mo), input("X", 1, Method::Stv, &["A", "B"])).await);
    let e = app.new_election(OP, input("X", 1, Method::Stv, &["A", "B"])).await.unwrap();
    cast(&app, e.id, &mo, "A").await;
    assert_forbidden(app.close_election(&actor(&mo), e.id).await);
    let (_, ada) = admin(&app).await;
    assert!(ada.has_role(Role::Admin));
    assert_eq!(winners(&app.close_election(&ada, e.id).await.unwrap()), ["A"]);
});

backend_test!(nominations_then_open, |app, clock| {
    let vs = voters(&app, 3, MemberState::Member).await;
    let before = journal_len(&app).await;
    let e = app.new_election(OP, input("Board", 2, Method::Stv, &[])).await.unwrap();
    assert_eq!(e.status, "nominating");
    assert!(e.candidates.is_empty());
    assert_eq!((e.opens_at.as_deref(), e.closes_at.as_deref(), e.eligible), (None, None, 0));
    assert_conflict(app.cast_ballot(&actor(&vs[0]), e.id, vs[0].id, "Ana", None).await);

    app.nominate(&actor(&vs[0]), e.id, "Ana").await.unwrap();
    // Too few candidates for the seats: not yet.
    assert_invalid(app.open_election(OP, e.id, None).await, "candidates");
    app.nominate(OP, e.id, " Ben ").await.unwrap();
    assert_invalid(app.nominate(OP, e.id, "Ana").await, "name");
    assert_invalid(app.nominate(OP, e.id, "  ").await, "name");
    assert_invalid(app.nominate(OP, e.id, "C>D").await, "name");
    let e = app.nominate(OP, e.id, "Chidi").await.unwrap();
    assert_eq!(e.candidates, ["Ana", "Ben", "Chidi"], "in the order nominated");
    assert_eq!(actions_after(&app, before).await, ["election.new", "election.nominate", "election.nominate", "election.nominate"]);

    let closes = start().checked_add(jiff::SignedDuration::from_hours(48)).unwrap();
    assert_forbidden(app.open_election(&actor(&vs[0]), e.id, None).await);
    let e = app.open_election(OP, e.id, Some(closes)).await.unwrap();
    assert_eq!(e.status, "open");
    assert_eq!(e.eligible, 3);
    assert_eq!(e.closes_at.as_deref(), Some("2026-11-30T12:00:00.000000Z"));
    assert_conflict(app.nominate(OP, e.id, "Dee").await);
    assert_conflict(app.open_election(OP, e.id, None).await);

    let cast = cast_all(&app, e.id, &vs, &[(2, "Ana>Chidi"), (1, "Ben>Chidi")]).await;
    let e = app.close_election(OP, e.id).await.unwrap();
    assert_eq!(e.quota, Some(2), "floor(3 / 3) + 1");
    assert_eq!(winners(&e), ["Ana", "Ben"]);
    assert_closed_and_sealed(&app, &e, &cast).await;
    assert_conflict(app.nominate(OP, e.id, "Dee").await);
});

backend_test!(closing_with_no_ballots_is_a_conflict_and_changes_nothing, |app, clock| {
    voters(&app, 2, MemberState::Member).await;
    let e = app.new_election(OP, input("Board", 1, Method::Stv, &["A", "B"])).await.unwrap();
    let before = journal_len(&app).await;
    assert_conflict(app.close_election(OP, e.id).await);
    assert_eq!(journal_len(&app).await, before);
    let e = app.election(OP, e.id).await.unwrap();
    assert_eq!((e.status.as_str(), e.sealed_hash.as_deref()), ("open", None));
    assert_conflict(app.election_blt(OP, e.id).await);
    // Nor can an election taking nominations be closed.
    let n = app.new_election(OP, input("Later", 1, Method::Stv, &[])).await.unwrap();
    assert_conflict(app.close_election(OP, n.id).await);
    assert!(app.verify_journal(OP).await.unwrap().ok());
});

// ---------------------------------------------------------------------------------------------
// Secrecy: no row anywhere holds both a member and a ballot

/// Every row of every table in the database, as `(table, row as JSON)` (the scan of
/// `common::TestDb::tables` and `rows`, shared with the secret proposal ballots' test).
fn every_row(db: &TestDb) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for table in db.tables() {
        out.extend(db.rows(&table).into_iter().map(|r| (table.clone(), Value::Object(r))));
    }
    out
}

/// Every scalar in a JSON value with the key it sits under; strings that are themselves JSON
/// (payloads, ballots, results) are opened too.
fn leaves(v: &Value, key: &str, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(m) => m.iter().for_each(|(k, x)| leaves(x, k, out)),
        Value::Array(a) => a.iter().for_each(|x| leaves(x, key, out)),
        Value::String(s) => {
            out.push((key.to_string(), v.clone()));
            if let Ok(inner @ (Value::Object(_) | Value::Array(_))) = serde_json::from_str::<Value>(s) {
                leaves(&inner, key, out);
            }
        }
        _ => out.push((key.to_string(), v.clone())),
    }
}

/// Whether a row names one of `voters`: by a member-ish column holding their id (or the
/// journal's `member:ID`), or by their email or name anywhere.
fn names_a_voter(row: &Value, voters: &[MemberSummary]) -> bool {
    let mut ls = Vec::new();
    leaves(row, "", &mut ls);
    ls.iter().any(|(k, v)| {
        let k = k.to_ascii_lowercase();
        let memberish = ["member", "voter", "actor", "author", "owner", "user"].iter().any(|w| k.contains(w));
        voters.iter().any(|m| {
            let by_id = memberish && (v.as_i64() == Some(m.id) || v.as_str().is_some_and(|s| s == m.id.to_string() || s == format!("member:{}", m.id)));
            let by_text = v.as_str().is_some_and(|s| s.contains(&m.email) || s.contains(&m.name));
            by_id || by_text
        })
    })
}

/// Whether a row holds a ballot: a ballot's JSON (`ranking`/`approve`/`choice`) or the text
/// of one of the ballots cast.
fn holds_a_ballot(row: &Value, cast: &[&str]) -> bool {
    let mut ls = Vec::new();
    leaves(row, "", &mut ls);
    ls.iter().any(|(k, v)| ["ranking", "approve", "choice"].contains(&k.as_str()) || v.as_str().is_some_and(|s| cast.iter().any(|b| s.contains(b))))
}

backend_test!(no_row_anywhere_links_a_member_to_a_ballot, |app, clock, db| {
    let vs = voters(&app, 6, MemberState::Member).await;
    let e = app.new_election(OP, input("Board", 2, Method::Stv, &["Quokka", "Narwhal", "Axolotl", "Pangolin"])).await.unwrap();
    // Distinct ballots, each of two names or more, so that any copy of one is recognisable.
    let ballots = ["Quokka>Narwhal", "Narwhal>Axolotl>Quokka", "Axolotl>Pangolin", "Pangolin>Quokka>Narwhal>Axolotl", "Quokka>Axolotl", "Narwhal>Pangolin"];
    let mut receipts = Vec::new();
    for (v, b) in vs.iter().zip(ballots) {
        receipts.push(cast(&app, e.id, v, b).await.receipt.unwrap());
    }
    // One voter changes their ballot (signed in, with the receipt).
    let changed = "Pangolin>Narwhal>Quokka";
    app.cast_ballot(&actor(&vs[0]), e.id, vs[0].id, changed, Some(&receipts[0])).await.unwrap();
    let mut all_ballots: Vec<&str> = ballots.to_vec();
    all_ballots.push(changed);

    let check = |when: &str| {
        let rows = every_row(&db);
        let mut ballot_rows = 0;
        let mut member_rows = 0;
        for (table, row) in &rows {
            let member = names_a_voter(row, &vs);
            let ballot = holds_a_ballot(row, &all_ballots);
            assert!(!(member && ballot), "{when}: a row of {table} holds both a member and a ballot: {row}");
            ballot_rows += ballot as usize;
            member_rows += member as usize;
        }
        // The scan sees what it looks for: the ballots (one row each) and the turnout.
        assert!(ballot_rows >= vs.len(), "{when}: only {ballot_rows} rows hold ballots");
        assert!(member_rows >= 2 * vs.len(), "{when}: only {member_rows} rows name voters");
        rows.iter().map(|(t, _)| t.clone()).collect::<BTreeSet<String>>()
    };
    let tables = check("while open");
    for t in ["election_ballots", "election_turnout", "election_eligible", "elections", "journal", "seals", "members"] {
        assert!(tables.iter().any(|x| x == t || x.ends_with(&format!(".{t}"))), "the scan covers {t}: {tables:?}");
    }
    if !db.is_postgres() {
        // No rowid to betray the order in which ballots (or voters) came in.
        for t in ["election_ballots", "election_turnout"] {
            let sql = db.exec(&format!("SELECT sql FROM sqlite_master WHERE name = '{t}'"));
            assert!(sql.contains("WITHOUT ROWID"), "{sql}");
        }
    }
    let e = app.close_election(OP, e.id).await.unwrap();
    check("after close");

    // The ballot table has no member, time or order column.
    let columns: BTreeSet<String> = if db.is_postgres() {
        db.exec("SELECT column_name FROM information_schema.columns WHERE table_name = 'election_ballots'").lines().map(String::from).collect()
    } else {
        db.exec("SELECT name FROM pragma_table_info('election_ballots')").lines().map(String::from).collect()
    };
    assert_eq!(columns, ["ballot", "election_id", "id", "receipt_hash"].iter().map(|s| s.to_string()).collect());

    // Each receipt finds its voter's ballot (the changed one for the first voter).
    for (i, code) in receipts.iter().enumerate() {
        let b = e.ballots.iter().find(|b| b.receipt_hash == sha256_hex(code.as_bytes())).expect("the receipt finds a ballot");
        assert_eq!(b.ballot, if i == 0 { changed } else { ballots[i] });
    }
    assert!(app.verify_journal(OP).await.unwrap().ok());
});
