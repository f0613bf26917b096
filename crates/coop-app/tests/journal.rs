//! The journal through the use cases: what each write appends, the hash chain, filters,
//! verification, tamper detection (SQLite, edited with the `sqlite3` client) and that a
//! failed use case leaves nothing behind.

#[macro_use]
mod common;

use common::*;
use coop_app::members::{MemberEdit, NewMember, StateInput};
use coop_app::{Actor, App, AppError, JournalFilter};
use coop_core::journal::{canonical_json, entry_hash, EntryFields, GENESIS_HASH};
use coop_core::member::{MemberState, Role};
use coop_core::CoopSettings;
use serde_json::json;

fn state_input(state: MemberState, on: &str) -> StateInput {
    StateInput { state, on: Some(d(on)), note: String::new(), planned_end: None }
}

/// Asserts that the entries appended since `before` have exactly these actions; returns the new head.
async fn appended(app: &App, before: i64, expected: &[&str]) -> i64 {
    let actions = actions_after(app, before).await;
    assert_eq!(actions, expected, "entries appended after seq {before}");
    let head = journal_len(app).await;
    assert_eq!(head, before + expected.len() as i64);
    head
}

fn filter() -> JournalFilter {
    JournalFilter { limit: 1000, ..JournalFilter::default() }
}

backend_test!(every_write_appends_exactly_its_entries, |app, clock| {
    let entries = all_entries(&app).await;
    assert_eq!(entries.len(), 1);
    assert_eq!((entries[0].seq, entries[0].action.as_str(), entries[0].actor.as_str(), entries[0].subject.as_str()), (1, "coop.init", "cli", "coop"));
    assert_eq!(entries[0].payload["name"], "Test Co-op");
    assert_eq!(entries[0].at, "2026-11-28T12:00:00.000000Z");
    let mut n = 1;

    // add_member: the member, their first state, and the seal of that state.
    let (ada, admin) = admin(&app).await;
    n = appended(&app, n, &["member.add", "member.state", "record.seal"]).await;
    let e = all_entries(&app).await;
    let first_state = app.member(&admin, ada.id).await.unwrap().history.remove(0);
    assert_eq!(e[1].subject, format!("member:{}", ada.id));
    assert_eq!(e[1].actor, "cli");
    assert_eq!(e[1].payload, json!({"name": "Ada Admin", "email": "ada@example.org", "roles": ["admin"], "language": null, "has_password": false}));
    assert_eq!(e[2].subject, format!("member:{}", ada.id));
    assert_eq!(e[2].payload["record"], first_state.id);
    assert_eq!(e[2].payload["state"], "member");
    assert_eq!(e[2].payload["since"], "2025-01-06");
    assert_eq!(e[3].subject, format!("member_state:{}", first_state.id));
    assert_eq!(e[3].payload["content_hash"], first_state.sealed_hash.clone().unwrap().as_str());

    // Done by a member, the entries name the member.
    let new = NewMember { password: Some(PASSWORD.into()), ..new_member("Bo", "bo@example.org", MemberState::Applicant) };
    let bo = app.add_member(&admin, new).await.unwrap();
    n = appended(&app, n, &["member.add", "member.state", "record.seal"]).await;
    assert!(all_entries(&app).await[n as usize - 3..].iter().all(|e| e.actor == format!("member:{}", ada.id)));

    app.change_state(&admin, bo.id, StateInput { note: "welcome".into(), ..state_input(MemberState::Candidate, TODAY) }).await.unwrap();
    n = appended(&app, n, &["member.state", "record.seal"]).await;

    app.update_member(&admin, bo.id, MemberEdit { name: Some("Bo Bright".into()), ..MemberEdit::default() }).await.unwrap();
    n = appended(&app, n, &["member.edit"]).await;
    app.update_member(&admin, bo.id, MemberEdit { name: Some("Bo Bright".into()), ..MemberEdit::default() }).await.unwrap();
    n = appended(&app, n, &[]).await;

    app.set_roles(&admin, bo.id, vec![Role::Secretary]).await.unwrap();
    n = appended(&app, n, &["member.roles"]).await;
    app.set_roles(&admin, bo.id, vec![Role::Secretary]).await.unwrap();
    n = appended(&app, n, &[]).await;

    let renamed = CoopSettings::new("Renamed Co-op", "USD", "America/New_York", "01-01", "en", 9).unwrap();
    app.update_settings(&admin, &renamed).await.unwrap();
    n = appended(&app, n, &["coop.settings"]).await;
    assert_eq!(app.settings().await.unwrap().name, "Renamed Co-op");
    app.update_settings(&admin, &renamed).await.unwrap();
    n = appended(&app, n, &[]).await;

    let s = app.login("bo@example.org", PASSWORD, "10.0.0.1").await.unwrap();
    n = appended(&app, n, &["session.login"]).await;
    app.logout(&s.token).await.unwrap();
    n = appended(&app, n, &["session.logout"]).await;

    let bo_actor = actor(&app.member(&admin, bo.id).await.unwrap().summary);
    app.change_password(&bo_actor, PASSWORD, "another good passphrase", None).await.unwrap();
    n = appended(&app, n, &["account.password"]).await;
    app.set_password(&admin, bo.id, PASSWORD).await.unwrap();
    n = appended(&app, n, &["account.password_set"]).await;

    let link = app.issue_reset(&admin, bo.id).await.unwrap();
    n = appended(&app, n, &["account.reset_issued"]).await;
    app.reset_password(&link.token, "reset passphrase ok").await.unwrap();
    n = appended(&app, n, &["account.reset_used"]).await;

    app.create_api_token(&bo_actor, "laptop").await.unwrap();
    n = appended(&app, n, &["account.token_created"]).await;
    let token_id = app.list_api_tokens(&bo_actor).await.unwrap()[0].id;
    app.revoke_api_token(&bo_actor, token_id).await.unwrap();
    n = appended(&app, n, &["account.token_revoked"]).await;

    // Refusals and failures append nothing.
    assert_conflict(app.add_member(&admin, new_member("Bo Again", "BO@example.org", MemberState::Member)).await);
    assert_invalid(app.change_state(&admin, bo.id, state_input(MemberState::OnLeave, TODAY)).await, "state");
    assert_forbidden(app.set_roles(&bo_actor, bo.id, vec![Role::Admin]).await);
    assert_conflict(app.init(&settings()).await);
    assert!(app.login("bo@example.org", "wrong password", "10.0.0.1").await.is_err());
    // Reads append nothing.
    app.list_members(&bo_actor, &Default::default()).await.unwrap();
    app.dashboard(&bo_actor).await.unwrap();
    app.verify_journal(&bo_actor).await.unwrap();
    app.journal_entries(&bo_actor, &filter()).await.unwrap();
    n = appended(&app, n, &[]).await;
    assert_eq!(n, 20);

    // Every entry carries the clock's instant.
    clock.advance(std::time::Duration::from_secs(90));
    app.update_member(&admin, bo.id, MemberEdit { name: Some("Bo".into()), ..MemberEdit::default() }).await.unwrap();
    assert_eq!(all_entries(&app).await.pop().unwrap().at, "2026-11-28T12:01:30.000000Z");
});

/// A small co-op with a few changes of every kind, written by the operator and by an admin.
async fn populate(app: &App) -> (i64, i64) {
    let (_, admin) = admin(app).await;
    let ana = app.add_member(&admin, new_member("Ana Lima", "ana@example.org", MemberState::Member)).await.unwrap();
    let bo = add(app, "Bo", "bo@example.org", MemberState::Candidate).await;
    app.change_state(&admin, bo.id, state_input(MemberState::Member, TODAY)).await.unwrap();
    app.change_state(&admin, ana.id, StateInput { note: "sabbatical".into(), ..state_input(MemberState::OnLeave, TODAY) }).await.unwrap();
    app.update_member(&admin, ana.id, MemberEdit { name: Some("Ana Lima Souza".into()), ..MemberEdit::default() }).await.unwrap();
    app.set_roles(&admin, bo.id, vec![Role::Secretary]).await.unwrap();
    (ana.id, bo.id)
}

backend_test!(verify_agrees_with_the_head, |app, clock| {
    let report = app.verify_journal(&Actor::Operator).await.unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!((report.entries, report.seals), (1, 0));
    assert_eq!(report.head, app.journal_head().await.unwrap().1);

    populate(&app).await;
    let (seq, hash) = app.journal_head().await.unwrap();
    // init 1, three adds 9, two state changes 4, an edit 1, roles 1.
    assert_eq!(seq, 16);
    let report = app.verify_journal(&Actor::Operator).await.unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.fault, None);
    assert_eq!(report.entries, seq);
    assert_eq!(report.head, hash);
    assert_eq!(report.seals, 5, "three first states and two changes are sealed");
    assert_eq!(all_entries(&app).await.last().unwrap().hash, hash);

    // Any current participant may audit; someone who has left may not.
    let bo = members(&app).await.into_iter().find(|m| m.name == "Bo").unwrap();
    assert!(app.verify_journal(&actor(&bo)).await.unwrap().ok());
    let gone = coop_app::members::MemberSummary { state: Some(MemberState::Departed), ..bo };
    assert_forbidden(app.verify_journal(&actor(&gone)).await);
});

backend_test!(each_entry_links_to_the_one_before, |app, clock| {
    populate(&app).await;
    let entries = all_entries(&app).await;
    assert_eq!(entries.len(), 16);
    let mut prev = GENESIS_HASH.to_string();
    for (i, e) in entries.iter().enumerate() {
        assert_eq!(e.seq, i as i64 + 1, "sequence without gaps");
        assert_eq!(e.prev_hash, prev, "entry {} links to entry {}", e.seq, e.seq - 1);
        let payload = canonical_json(&e.payload);
        let recomputed = entry_hash(&EntryFields {
            seq: e.seq,
            at: &e.at,
            actor: &e.actor,
            action: &e.action,
            subject: &e.subject,
            payload: &payload,
            prev_hash: &e.prev_hash,
        });
        assert_eq!(e.hash, recomputed, "entry {} hashes its own fields", e.seq);
        assert_eq!(e.hash.len(), 64);
        assert_ne!(e.hash, prev);
        prev = e.hash.clone();
    }
    for pair in entries.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash);
    }
});

backend_test!(entries_filter_by_action_actor_subject_and_page, |app, clock| {
    let (ana, bo) = populate(&app).await;
    let ada = members(&app).await.into_iter().find(|m| m.name == "Ada Admin").unwrap();
    let list = |f: JournalFilter| {
        let app = app.clone();
        async move { app.journal_entries(&Actor::Operator, &f).await.unwrap() }
    };
    let actions = |v: &[coop_app::JournalEntry]| v.iter().map(|e| e.action.clone()).collect::<Vec<_>>();

    let all = list(filter()).await;
    assert_eq!(all.len(), 16);
    assert!(all.windows(2).all(|p| p[0].seq > p[1].seq), "newest first");

    let member_actions = list(JournalFilter { action_prefix: Some("member.".into()), ..filter() }).await;
    assert_eq!(
        actions(&member_actions),
        vec![
            "member.roles", "member.edit", "member.state", "member.state", "member.state", "member.add", "member.state",
            "member.add", "member.state", "member.add"
        ]
    );
    let states = list(JournalFilter { action_prefix: Some("member.st".into()), ..filter() }).await;
    assert_eq!(states.len(), 5);
    assert!(states.iter().all(|e| e.action == "member.state"));
    let seals = list(JournalFilter { action_prefix: Some("record.".into()), ..filter() }).await;
    assert_eq!(seals.len(), 5);
    assert!(list(JournalFilter { action_prefix: Some("member_".into()), ..filter() }).await.is_empty(), "`_` is not a wildcard");
    assert!(list(JournalFilter { action_prefix: Some("state".into()), ..filter() }).await.is_empty(), "a prefix, not a substring");

    // By actor: the operator added Ada and Bo and founded the co-op; Ada did the rest.
    let by_cli = list(JournalFilter { actor: Some("cli".into()), ..filter() }).await;
    assert_eq!(by_cli.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![10, 9, 8, 4, 3, 2, 1]);
    let by_ada = list(JournalFilter { actor: Some(format!("member:{}", ada.id)), ..filter() }).await;
    assert_eq!(by_ada.len(), 9);
    assert!(by_ada.iter().all(|e| e.actor == format!("member:{}", ada.id)));
    let ada_states = list(JournalFilter { actor: Some(format!("member:{}", ada.id)), action_prefix: Some("member.state".into()), ..filter() }).await;
    assert_eq!(ada_states.len(), 3, "Ana's first state and the two changes");
    assert!(list(JournalFilter { actor: Some("member:999".into()), ..filter() }).await.is_empty());

    // By subject.
    let about_ana = list(JournalFilter { subject: Some(format!("member:{ana}")), ..filter() }).await;
    assert_eq!(actions(&about_ana), vec!["member.edit", "member.state", "member.state", "member.add"]);
    let about_bo = list(JournalFilter { subject: Some(format!("member:{bo}")), ..filter() }).await;
    assert_eq!(actions(&about_bo), vec!["member.roles", "member.state", "member.state", "member.add"]);

    // Paging backwards.
    let page1 = list(JournalFilter { limit: 5, ..JournalFilter::default() }).await;
    assert_eq!(page1.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![16, 15, 14, 13, 12]);
    let page2 = list(JournalFilter { limit: 5, before_seq: Some(12), ..JournalFilter::default() }).await;
    assert_eq!(page2.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![11, 10, 9, 8, 7]);
    let last = list(JournalFilter { limit: 5, before_seq: Some(3), ..JournalFilter::default() }).await;
    assert_eq!(last.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![2, 1]);
});

backend_test!(a_failed_use_case_leaves_no_partial_change, |app, clock, db| {
    let (_, admin) = admin(&app).await;
    let bo = add(&app, "Bo", "bo@example.org", MemberState::Member).await;
    let head = app.journal_head().await.unwrap();
    let rows = |db: &TestDb| {
        [
            db.count("SELECT COUNT(*) FROM members"),
            db.count("SELECT COUNT(*) FROM member_roles"),
            db.count("SELECT COUNT(*) FROM member_states"),
            db.count("SELECT COUNT(*) FROM journal"),
            db.count("SELECT COUNT(*) FROM seals"),
        ]
    };
    let before = rows(&db);
    assert_eq!(before, [2, 1, 2, 7, 2]);

    // Refused at the first insert: a duplicate email.
    let dup = NewMember { roles: vec![Role::Secretary], ..new_member("Bo Two", "bo@example.org", MemberState::Member) };
    assert_conflict(app.add_member(&admin, dup).await);
    assert_eq!(rows(&db), before);

    // Failing in the middle: the member row, their roles and the `member.add` entry are
    // written, then the state insert fails. Everything must roll back.
    if db.is_postgres() {
        db.exec(
            "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN IF NEW.note = 'boom' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$; \
             CREATE TRIGGER boom BEFORE INSERT ON member_states FOR EACH ROW EXECUTE FUNCTION boom();",
        );
    } else {
        db.exec("CREATE TRIGGER boom BEFORE INSERT ON member_states WHEN NEW.note = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END;");
    }
    let failing = NewMember { note: "boom".into(), roles: vec![Role::Secretary], ..new_member("Cy", "cy@example.org", MemberState::Member) };
    let r = app.add_member(&admin, failing).await;
    assert!(matches!(r, Err(AppError::Store(_))), "expected the store's error, got {r:?}");
    assert_eq!(rows(&db), before, "no member, role, state, entry or seal is left behind");
    assert_eq!(db.count("SELECT COUNT(*) FROM members WHERE email = 'cy@example.org'"), 0);
    assert_eq!(app.journal_head().await.unwrap(), head);
    assert!(matches!(app.member_id_by_email(&admin, "cy@example.org").await, Err(AppError::NotFound(_))));

    let r = app.change_state(&admin, bo.id, StateInput { note: "boom".into(), ..state_input(MemberState::OnLeave, TODAY) }).await;
    assert!(matches!(r, Err(AppError::Store(_))), "got {r:?}");
    assert_eq!(rows(&db), before);
    assert_eq!(app.member(&admin, bo.id).await.unwrap().summary.state, Some(MemberState::Member));

    // The journal is intact and the next write follows on from the same head.
    assert!(app.verify_journal(&admin).await.unwrap().ok());
    let cy = app.add_member(&admin, new_member("Cy", "cy@example.org", MemberState::Member)).await.expect("the email is free");
    assert_eq!(journal_len(&app).await, head.0 + 3);
    assert_eq!(all_entries(&app).await[head.0 as usize].prev_hash, head.1);
    assert_eq!(app.member(&admin, cy.id).await.unwrap().history.len(), 1);
    assert!(app.verify_journal(&admin).await.unwrap().ok());
});

// ---------------------------------------------------------------------------------------
// Tampering (SQLite only: the file is edited behind the application's back with `sqlite3`).

/// A populated co-op on SQLite and its directory.
async fn tamper_fixture() -> (App, tempfile::TempDir, Vec<coop_app::JournalEntry>) {
    let (app, _clock, dir) = test_app().await;
    populate(&app).await;
    assert!(app.verify_journal(&Actor::Operator).await.unwrap().ok(), "intact before tampering");
    let entries = all_entries(&app).await;
    (app, dir, entries)
}

fn sql_text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

#[track_caller]
fn assert_fault(report: &coop_app::VerifyReport, needles: &[&str]) -> String {
    assert!(!report.ok(), "verify should fail: {report:?}");
    let fault = report.fault.clone().unwrap();
    for n in needles {
        assert!(fault.contains(n), "fault {fault:?} should mention {n:?}");
    }
    fault
}

#[tokio::test]
async fn an_edited_payload_is_caught_at_its_entry() {
    let (app, dir, entries) = tamper_fixture().await;
    let edit = entries.iter().find(|e| e.action == "member.edit").unwrap();
    assert!(edit.payload.to_string().contains("Ana Lima Souza"));
    // Still canonical JSON, just a different name.
    sqlite_exec(dir.path(), &format!("UPDATE journal SET payload = replace(payload, 'Ana Lima Souza', 'Eve Lima Souza') WHERE seq = {}", edit.seq));
    let report = app.verify_journal(&Actor::Operator).await.unwrap();
    assert_fault(&report, &[&format!("journal entry {} ", edit.seq), "member.edit", "hash does not match"]);
    assert_eq!(report.entries, edit.seq - 1, "everything before it verified");
}

#[tokio::test]
async fn a_hand_formatted_payload_is_caught() {
    let (app, dir, entries) = tamper_fixture().await;
    let add = entries.iter().find(|e| e.action == "member.add").unwrap();
    sqlite_exec(dir.path(), &format!("UPDATE journal SET payload = replace(payload, ',', ', ') WHERE seq = {}", add.seq));
    let report = app.verify_journal(&Actor::Operator).await.unwrap();
    assert_fault(&report, &[&format!("journal entry {} ", add.seq), "canonical"]);
}

#[tokio::test]
async fn an_edited_actor_or_instant_is_caught() {
    let (app, dir, entries) = tamper_fixture().await;
    let e = &entries[5];
    sqlite_exec(dir.path(), &format!("UPDATE journal SET actor = 'cli' WHERE seq = {} AND actor <> 'cli'", e.seq));
    sqlite_exec(dir.path(), &format!("UPDATE journal SET at = '2020-01-01T00:00:00.000000Z' WHERE seq = {}", e.seq));
    let report = app.verify_journal(&Actor::Operator).await.unwrap();
    assert_fault(&report, &[&format!("journal entry {} ", e.seq)]);
}

#[tokio::test]
async fn a_rehashed_forgery_breaks_the_next_link() {
    let (app, dir, entries) = tamper_fixture().await;
    // Forge entry n completely (new payload, correctly recomputed hash): entry n+1 still
    // points at the old hash.
    let e = entries.iter().find(|e| e.action == "member.edit").unwrap();
    let mut payload = e.payload.clone();
    payload["after"]["name"] = json!("Mallory");
    let payload = canonical_json(&payload);
    let hash = entry_hash(&EntryFields { seq: e.seq, at: &e.at, actor: &e.actor, action: &e.action, subject: &e.subject, payload: &payload, prev_hash: &e.prev_hash });
    sqlite_exec(dir.path(), &format!("UPDATE journal SET payload = {}, hash = {} WHERE seq = {}", sql_text(&payload), sql_text(&hash), e.seq));
    let report = app.verify_journal(&Actor::Operator).await.unwrap();
    assert_fault(&report, &[&format!("journal entry {} ", e.seq + 1), "previous hash"]);
    assert_eq!(report.entries, e.seq, "the forged entry itself checks out; its successor does not");
}

#[tokio::test]
async fn a_removed_entry_is_a_gap() {
    let (app, dir, entries) = tamper_fixture().await;
    let e = entries.iter().find(|e| e.action == "member.edit").unwrap();
    sqlite_exec(dir.path(), &format!("DELETE FROM journal WHERE seq = {}", e.seq));
    let report = app.verify_journal(&Actor::Operator).await.unwrap();
    assert_fault(&report, &[&format!("journal entry {} ", e.seq + 1), &format!("expected sequence {}", e.seq)]);
}

#[tokio::test]
async fn an_edited_state_note_breaks_its_seal() {
    let (app, dir, entries) = tamper_fixture().await;
    let ana = app.member_id_by_email(&Actor::Operator, "ana@example.org").await.unwrap();
    let leave = app.member(&Actor::Operator, ana).await.unwrap().history.pop().unwrap();
    assert_eq!((leave.state, leave.note.as_str()), (MemberState::OnLeave, "sabbatical"));
    let seal = entries.iter().find(|e| e.action == "record.seal" && e.subject == format!("member_state:{}", leave.id)).unwrap();

    sqlite_exec(dir.path(), &format!("UPDATE member_states SET note = 'never took leave' WHERE id = {}", leave.id));
    let report = app.verify_journal(&Actor::Operator).await.unwrap();
    assert_fault(&report, &[&format!("seal in journal entry {}", seal.seq), &format!("member_state {}", leave.id), "was changed"]);
    assert_eq!(report.entries, entries.len() as i64, "the chain itself is intact");
}

#[tokio::test]
async fn a_backdated_state_breaks_its_seal() {
    let (app, dir, entries) = tamper_fixture().await;
    let ana = app.member_id_by_email(&Actor::Operator, "ana@example.org").await.unwrap();
    let first = app.member(&Actor::Operator, ana).await.unwrap().history.remove(0);
    let seal = entries.iter().find(|e| e.subject == format!("member_state:{}", first.id)).unwrap();
    sqlite_exec(dir.path(), &format!("UPDATE member_states SET since = '2020-01-01' WHERE id = {}", first.id));
    let report = app.verify_journal(&Actor::Operator).await.unwrap();
    assert_fault(&report, &[&format!("seal in journal entry {}", seal.seq), &format!("member_state {}", first.id)]);
}

#[tokio::test]
async fn a_deleted_state_row_is_reported_missing() {
    let (app, dir, entries) = tamper_fixture().await;
    let bo = app.member_id_by_email(&Actor::Operator, "bo@example.org").await.unwrap();
    let last = app.member(&Actor::Operator, bo).await.unwrap().history.pop().unwrap();
    let seal = entries.iter().find(|e| e.subject == format!("member_state:{}", last.id)).unwrap();
    sqlite_exec(dir.path(), &format!("DELETE FROM member_states WHERE id = {}", last.id));
    let report = app.verify_journal(&Actor::Operator).await.unwrap();
    assert_fault(&report, &[&format!("seal in journal entry {}", seal.seq), "missing"]);
}

#[tokio::test]
async fn an_edited_seal_index_is_caught() {
    let (app, dir, entries) = tamper_fixture().await;
    let seal = entries.iter().filter(|e| e.action == "record.seal").nth(2).unwrap();
    sqlite_exec(
        dir.path(),
        &format!("UPDATE seals SET content_hash = '{}' WHERE journal_seq = {}", "0".repeat(64), seal.seq),
    );
    let report = app.verify_journal(&Actor::Operator).await.unwrap();
    assert_fault(&report, &["seal index", &format!("journal entry {} ", seal.seq)]);
}
