//! Members through the use cases: adding, states over time, lists, roles, permissions and
//! the dashboard. Each test runs on SQLite and, with `COOP_TEST_POSTGRES_URL`, on PostgreSQL.

#[macro_use]
mod common;

use common::*;
use coop_app::members::{MemberEdit, MemberFilter, NewMember, StateInput};
use coop_app::{Actor, AppError};
use coop_core::member::{MemberState, Role};

fn state_input(state: MemberState, on: &str) -> StateInput {
    StateInput { state, on: Some(d(on)), note: String::new(), planned_end: None }
}

backend_test!(adds_a_member_in_each_start_state, |app, clock| {
    let before = journal_len(&app).await;
    let ann = add(&app, "Ann Applicant", "ann@example.org", MemberState::Applicant).await;
    let cal = add(&app, "Cal Candidate", "cal@example.org", MemberState::Candidate).await;
    let mo = add(&app, "Mo Member", "mo@example.org", MemberState::Member).await;
    let dee = app
        .add_member(&Actor::Operator, NewMember { name: "Dee Default".into(), email: "dee@example.org".into(), ..NewMember::default() })
        .await
        .unwrap();

    assert_eq!(ann.state, Some(MemberState::Applicant));
    assert_eq!(cal.state, Some(MemberState::Candidate));
    assert_eq!(mo.state, Some(MemberState::Member));
    assert_eq!(dee.state, Some(MemberState::Applicant), "no state given means applicant");
    for m in [&ann, &cal, &mo, &dee] {
        assert_eq!(m.since.as_deref(), Some(TODAY), "{}: since defaults to today in the co-op's zone", m.name);
        assert!(m.roles.is_empty());
    }
    assert_eq!(ann.planned_end, None);
    assert_eq!(mo.planned_end, None);
    assert!(cal.planned_end.is_some());
    let ids: std::collections::BTreeSet<i64> = [ann.id, cal.id, mo.id, dee.id].into();
    assert_eq!(ids.len(), 4, "distinct ids");
    assert_eq!(journal_len(&app).await, before + 4 * 3);

    // What was stored reads back the same.
    let listed = members(&app).await;
    assert_eq!(listed, vec![ann.clone(), cal.clone(), dee.clone(), mo.clone()]);
    let detail = app.member(&Actor::Operator, mo.id).await.unwrap();
    assert_eq!(detail.history.len(), 1);
    assert_eq!(detail.history[0].state, MemberState::Member);
    assert!(detail.history[0].sealed_hash.is_some(), "the first state is sealed");
    assert!(!detail.has_password);

    // on_leave and departed are not ways in.
    for state in [MemberState::OnLeave, MemberState::Departed] {
        let r = app.add_member(&Actor::Operator, new_member("Xavier", "x@example.org", state)).await;
        assert_invalid(r, "state");
    }
    assert_eq!(members(&app).await.len(), 4);
    assert_eq!(journal_len(&app).await, before + 12);
});

backend_test!(candidacy_gets_a_planned_end_nine_months_on_by_default, |app, clock| {
    let today = add(&app, "Cal", "cal@example.org", MemberState::Candidate).await;
    assert_eq!(today.planned_end.as_deref(), Some("2027-08-28"));

    let march = NewMember { since: Some(d("2026-03-01")), ..new_member("Cleo", "cleo@example.org", MemberState::Candidate) };
    let march = app.add_member(&Actor::Operator, march).await.unwrap();
    assert_eq!(march.since.as_deref(), Some("2026-03-01"));
    assert_eq!(march.planned_end.as_deref(), Some("2026-12-01"));

    let given = NewMember { planned_end: Some(d("2027-02-01")), ..new_member("Cy", "cy@example.org", MemberState::Candidate) };
    assert_eq!(app.add_member(&Actor::Operator, given).await.unwrap().planned_end.as_deref(), Some("2027-02-01"));

    let before = journal_len(&app).await;
    let not_candidate = NewMember { planned_end: Some(d("2027-02-01")), ..new_member("Mo", "mo@example.org", MemberState::Member) };
    assert_invalid(app.add_member(&Actor::Operator, not_candidate).await, "planned_end");
    let end_before_start = NewMember { planned_end: Some(d("2026-11-01")), ..new_member("Mo", "mo@example.org", MemberState::Candidate) };
    assert_invalid(app.add_member(&Actor::Operator, end_before_start).await, "state");
    assert_eq!(journal_len(&app).await, before);
    assert_eq!(members(&app).await.len(), 3);
});

backend_test!(a_duplicate_email_is_a_conflict_and_writes_nothing, |app, clock, db| {
    let ana = add(&app, "Ana Lima", "ana@example.org", MemberState::Member).await;
    let count = members(&app).await.len();
    let head = app.journal_head().await.unwrap();

    // Emails compare case-insensitively: this is the same address.
    let r = app.add_member(&Actor::Operator, new_member("Another Ana", "  ANA@Example.ORG ", MemberState::Applicant)).await;
    assert_conflict(r);
    assert_eq!(members(&app).await.len(), count);
    assert_eq!(app.journal_head().await.unwrap(), head, "no journal entry for a refused add");
    assert_eq!(db.count("SELECT COUNT(*) FROM members"), count as i64);
    assert_eq!(db.count("SELECT COUNT(*) FROM member_states"), count as i64);

    // The same goes for an edit that would take someone else's address.
    let bo = add(&app, "Bo", "bo@example.org", MemberState::Member).await;
    let head = app.journal_head().await.unwrap();
    let r = app.update_member(&Actor::Operator, bo.id, MemberEdit { email: Some("Ana@example.org".into()), ..MemberEdit::default() }).await;
    assert_conflict(r);
    assert_eq!(app.journal_head().await.unwrap(), head);
    let bo_now = app.member(&Actor::Operator, bo.id).await.unwrap().summary;
    assert_eq!(bo_now.email, "bo@example.org");
    assert_eq!(app.member(&Actor::Operator, ana.id).await.unwrap().summary.name, "Ana Lima");
});

backend_test!(invalid_names_and_emails_name_the_field, |app, clock| {
    let before = journal_len(&app).await;
    for bad_name in ["", "   ", "tab\tinside", &"n".repeat(201)] {
        assert_invalid(app.add_member(&Actor::Operator, new_member(bad_name, "ok@example.org", MemberState::Member)).await, "name");
    }
    for bad_email in ["", "ana", "ana@example", "a b@example.org", "@example.org"] {
        assert_invalid(app.add_member(&Actor::Operator, new_member("Ana", bad_email, MemberState::Member)).await, "email");
    }
    let lang = NewMember { language: Some("fr".into()), ..new_member("Ana", "ana@example.org", MemberState::Member) };
    assert_invalid(app.add_member(&Actor::Operator, lang).await, "language");
    assert!(members(&app).await.is_empty());
    assert_eq!(journal_len(&app).await, before);

    // A name of exactly 200 characters is fine, and names are trimmed.
    let long = add(&app, &"n".repeat(200), "long@example.org", MemberState::Member).await;
    assert_eq!(long.name.chars().count(), 200);
    let trimmed = add(&app, "  Bo Trim  ", "Bo@Example.org", MemberState::Member).await;
    assert_eq!(trimmed.name, "Bo Trim");
    assert_eq!(trimmed.email, "bo@example.org", "emails are stored lower-cased");

    let r = app.update_member(&Actor::Operator, trimmed.id, MemberEdit { name: Some(" ".into()), ..MemberEdit::default() }).await;
    assert_invalid(r, "name");
    let r = app.update_member(&Actor::Operator, trimmed.id, MemberEdit { email: Some("nope".into()), ..MemberEdit::default() }).await;
    assert_invalid(r, "email");
});

backend_test!(member_goes_on_leave_and_comes_back, |app, clock| {
    let (_, admin) = admin(&app).await;
    let mo = app
        .add_member(&admin, NewMember { since: Some(d("2026-01-05")), ..new_member("Mo", "mo@example.org", MemberState::Member) })
        .await
        .unwrap();

    let before = journal_len(&app).await;
    let leave = StateInput { note: "parental leave".into(), ..state_input(MemberState::OnLeave, "2026-11-01") };
    let detail = app.change_state(&admin, mo.id, leave).await.unwrap();
    assert_eq!(detail.summary.state, Some(MemberState::OnLeave));
    assert_eq!(detail.summary.since.as_deref(), Some("2026-11-01"));
    assert_eq!(journal_len(&app).await, before + 2, "member.state + record.seal");

    let back = app.change_state(&admin, mo.id, StateInput { on: None, ..state_input(MemberState::Member, TODAY) }).await.unwrap();
    assert_eq!(back.summary.state, Some(MemberState::Member));
    assert_eq!(back.summary.since.as_deref(), Some(TODAY), "no date means today");
    let states: Vec<(MemberState, &str, &str)> = back.history.iter().map(|h| (h.state, h.since.as_str(), h.note.as_str())).collect();
    assert_eq!(
        states,
        vec![
            (MemberState::Member, "2026-01-05", ""),
            (MemberState::OnLeave, "2026-11-01", "parental leave"),
            (MemberState::Member, TODAY, ""),
        ]
    );
    assert!(back.history.iter().all(|h| h.sealed_hash.is_some()), "every state change is sealed");
    assert_eq!(journal_len(&app).await, before + 4);

    // A day in the middle of the leave still reads as on leave.
    clock.set("2026-11-02T12:00:00Z".parse().unwrap());
    let on_nov_2 = app.member(&admin, mo.id).await.unwrap();
    assert_eq!(on_nov_2.summary.state, Some(MemberState::OnLeave));
    assert!(app.verify_journal(&admin).await.unwrap().ok());
});

backend_test!(a_disallowed_move_is_invalid_and_writes_nothing, |app, clock| {
    let (_, admin) = admin(&app).await;
    let cal = add(&app, "Cal", "cal@example.org", MemberState::Candidate).await;
    let before = journal_len(&app).await;
    for state in [MemberState::OnLeave, MemberState::Candidate, MemberState::Applicant] {
        let msg = assert_invalid(app.change_state(&admin, cal.id, state_input(state, TODAY)).await, "state");
        assert!(msg.contains("candidate"), "the message says where the member stands: {msg}");
    }
    assert_eq!(journal_len(&app).await, before);
    let detail = app.member(&admin, cal.id).await.unwrap();
    assert_eq!(detail.history.len(), 1);
    assert_eq!(detail.summary.state, Some(MemberState::Candidate));

    // A planned end belongs to a candidacy only.
    let r = app.change_state(&admin, cal.id, StateInput { planned_end: Some(d("2027-01-01")), ..state_input(MemberState::Member, TODAY) }).await;
    assert_invalid(r, "planned_end");
    // Unknown members are NotFound, not a panic or a half-write.
    assert!(matches!(app.change_state(&admin, 9999, state_input(MemberState::Member, TODAY)).await, Err(AppError::NotFound(_))));
    assert_eq!(journal_len(&app).await, before);
});

backend_test!(a_change_dated_before_the_last_one_is_refused, |app, clock| {
    let (_, admin) = admin(&app).await;
    let mo = app
        .add_member(&admin, NewMember { since: Some(d("2026-06-01")), ..new_member("Mo", "mo@example.org", MemberState::Member) })
        .await
        .unwrap();
    app.change_state(&admin, mo.id, state_input(MemberState::OnLeave, "2026-09-01")).await.unwrap();
    let before = journal_len(&app).await;
    let msg = assert_invalid(app.change_state(&admin, mo.id, state_input(MemberState::Member, "2026-08-31")).await, "state");
    assert!(msg.contains("2026-09-01"), "the message names the last change's date: {msg}");
    assert_eq!(journal_len(&app).await, before);
    assert_eq!(app.member(&admin, mo.id).await.unwrap().history.len(), 2);
    // The same day as the last change is in order.
    app.change_state(&admin, mo.id, state_input(MemberState::Member, "2026-09-01")).await.unwrap();
    assert_eq!(app.member(&admin, mo.id).await.unwrap().summary.state, Some(MemberState::Member));
});

backend_test!(a_departure_dated_in_the_future_leaves_them_a_member_today, |app, clock| {
    let (_, admin) = admin(&app).await;
    let mo = app
        .add_member(&admin, NewMember { since: Some(d("2025-01-01")), ..new_member("Mo", "mo@example.org", MemberState::Member) })
        .await
        .unwrap();
    let detail = app.change_state(&admin, mo.id, state_input(MemberState::Departed, "2026-12-31")).await.unwrap();
    assert_eq!(detail.summary.state, Some(MemberState::Member));
    assert_eq!(detail.summary.since.as_deref(), Some("2025-01-01"));
    assert_eq!(detail.history.last().unwrap().state, MemberState::Departed, "the departure is recorded");

    let listed = members(&app).await;
    let mo_listed = listed.iter().find(|m| m.id == mo.id).unwrap();
    assert_eq!(mo_listed.state, Some(MemberState::Member));
    let departed = app.list_members(&admin, &MemberFilter { state: Some(MemberState::Departed), ..MemberFilter::default() }).await.unwrap();
    assert!(departed.is_empty(), "not departed yet: {departed:?}");
    let current = app.list_members(&admin, &MemberFilter { state: Some(MemberState::Member), ..MemberFilter::default() }).await.unwrap();
    assert_eq!(current.iter().map(|m| m.id).collect::<Vec<_>>(), vec![admin.member_id().unwrap(), mo.id]);

    // 2026-12-31 in New York begins at 05:00 UTC.
    clock.set("2026-12-31T04:59:00Z".parse().unwrap());
    assert_eq!(app.member(&admin, mo.id).await.unwrap().summary.state, Some(MemberState::Member));
    clock.set("2026-12-31T05:00:00Z".parse().unwrap());
    let departed = app.list_members(&admin, &MemberFilter { state: Some(MemberState::Departed), ..MemberFilter::default() }).await.unwrap();
    assert_eq!(departed.len(), 1);
    assert_eq!(departed[0].id, mo.id);
    assert_eq!(departed[0].since.as_deref(), Some("2026-12-31"));
});

backend_test!(list_filters_by_state_and_searches_name_and_email, |app, clock| {
    let ana = add(&app, "Ana Lima", "ana@example.org", MemberState::Member).await;
    let bruno = add(&app, "Bruno Costa", "bruno@coop.example", MemberState::Candidate).await;
    let carla = add(&app, "carla Dias", "carla@example.org", MemberState::Applicant).await;
    let dmitri = add(&app, "Dmitri", "dmitri@LIMA.example", MemberState::Member).await;

    let search = |s: &str, state: Option<MemberState>| {
        let app = app.clone();
        let f = MemberFilter { search: Some(s.to_string()), state };
        async move { app.list_members(&Actor::Operator, &f).await.unwrap().into_iter().map(|m| m.id).collect::<Vec<_>>() }
    };

    assert_eq!(search("lima", None).await, vec![ana.id, dmitri.id], "name or email, in name order");
    assert_eq!(search("LiMa", None).await, vec![ana.id, dmitri.id], "case-insensitive");
    assert_eq!(search("  lima ", None).await, vec![ana.id, dmitri.id], "trimmed");
    assert_eq!(search("COOP.EX", None).await, vec![bruno.id], "part of an email");
    assert_eq!(search("CARLA d", None).await, vec![carla.id], "part of a name, across the space");
    assert_eq!(search("nobody", None).await, Vec::<i64>::new());
    assert_eq!(search("", None).await.len(), 4, "an empty search is no filter");
    // `_` and `%` are literal characters, not wildcards.
    assert_eq!(search("a_a", None).await, Vec::<i64>::new());
    assert_eq!(search("%", None).await, Vec::<i64>::new());
    assert_eq!(search("\\", None).await, Vec::<i64>::new(), "a backslash is searched for, not an error");

    assert_eq!(search("", Some(MemberState::Member)).await, vec![ana.id, dmitri.id]);
    assert_eq!(search("lima", Some(MemberState::Member)).await, vec![ana.id, dmitri.id]);
    assert_eq!(search("lima", Some(MemberState::Applicant)).await, Vec::<i64>::new());
    assert_eq!(search("", Some(MemberState::Candidate)).await, vec![bruno.id]);
    assert_eq!(search("", Some(MemberState::OnLeave)).await, Vec::<i64>::new());
});

backend_test!(search_folds_case_beyond_ascii, |app, clock| {
    let elodie = add(&app, "Élodie Durand", "elodie@example.org", MemberState::Member).await;
    let oyvind = add(&app, "ØYVIND Berg", "oyvind@example.org", MemberState::Member).await;
    add(&app, "Ana", "ana@example.org", MemberState::Member).await;
    let search = |s: &str| {
        let app = app.clone();
        let f = MemberFilter { search: Some(s.to_string()), state: None };
        async move { app.list_members(&Actor::Operator, &f).await.unwrap().into_iter().map(|m| m.id).collect::<Vec<_>>() }
    };
    assert_eq!(search("élodie").await, vec![elodie.id]);
    assert_eq!(search("ÉLODIE").await, vec![elodie.id]);
    assert_eq!(search("Élo").await, vec![elodie.id]);
    assert_eq!(search("øyvind").await, vec![oyvind.id]);
    assert_eq!(search("Øyv").await, vec![oyvind.id]);
});

backend_test!(list_is_ordered_by_name_ignoring_case_then_by_id, |app, clock| {
    let zoe = add(&app, "zoe", "zoe@example.org", MemberState::Member).await;
    let ana = add(&app, "Ana", "ana@example.org", MemberState::Member).await;
    let bruno = add(&app, "bruno", "bruno@example.org", MemberState::Applicant).await;
    let carla = add(&app, "Carla", "carla@example.org", MemberState::Candidate).await;
    let ana2 = add(&app, "ana", "ana2@example.org", MemberState::Member).await;
    let order: Vec<i64> = members(&app).await.into_iter().map(|m| m.id).collect();
    assert_eq!(order, vec![ana.id, ana2.id, bruno.id, carla.id, zoe.id]);
});

backend_test!(set_roles_sorts_dedups_and_journals_only_changes, |app, clock| {
    let (_, admin) = admin(&app).await;
    let bo = add(&app, "Bo", "bo@example.org", MemberState::Member).await;
    let before = journal_len(&app).await;
    let bo2 = app.set_roles(&admin, bo.id, vec![Role::Secretary, Role::Admin, Role::Secretary]).await.unwrap();
    assert_eq!(bo2.roles, vec![Role::Admin, Role::Secretary]);
    assert_eq!(members(&app).await.iter().find(|m| m.id == bo.id).unwrap().roles, vec![Role::Admin, Role::Secretary]);
    assert_eq!(journal_len(&app).await, before + 1);
    let last = all_entries(&app).await.pop().unwrap();
    assert_eq!(last.action, "member.roles");
    assert_eq!(last.subject, format!("member:{}", bo.id));
    assert_eq!(last.payload, serde_json::json!({"before": [], "after": ["admin", "secretary"]}));

    // The same roles again change nothing and journal nothing.
    app.set_roles(&admin, bo.id, vec![Role::Admin, Role::Secretary]).await.unwrap();
    assert_eq!(journal_len(&app).await, before + 1);

    let bo3 = app.set_roles(&admin, bo.id, vec![Role::Secretary]).await.unwrap();
    assert_eq!(bo3.roles, vec![Role::Secretary]);
    assert_eq!(journal_len(&app).await, before + 2);
});

backend_test!(the_last_admin_keeps_the_admin_role, |app, clock| {
    let (ada, admin) = admin(&app).await;
    let before = journal_len(&app).await;
    assert_conflict(app.set_roles(&admin, ada.id, vec![Role::Secretary]).await);
    assert_conflict(app.set_roles(&Actor::Operator, ada.id, vec![]).await);
    assert_eq!(app.member(&admin, ada.id).await.unwrap().summary.roles, vec![Role::Admin]);
    assert_eq!(journal_len(&app).await, before);

    // A departed admin does not count as the other admin.
    let old = add(&app, "Old Admin", "old@example.org", MemberState::Member).await;
    app.set_roles(&admin, old.id, vec![Role::Admin]).await.unwrap();
    app.change_state(&admin, old.id, state_input(MemberState::Departed, TODAY)).await.unwrap();
    assert_conflict(app.set_roles(&admin, ada.id, vec![]).await);

    // With a current second admin, Ada may step down.
    let bea = add(&app, "Bea", "bea@example.org", MemberState::Member).await;
    app.set_roles(&admin, bea.id, vec![Role::Admin]).await.unwrap();
    let ada2 = app.set_roles(&admin, ada.id, vec![]).await.unwrap();
    assert!(ada2.roles.is_empty());
    // And now Bea is the last one.
    assert_conflict(app.set_roles(&Actor::Operator, bea.id, vec![Role::Secretary]).await);
});

backend_test!(the_last_admin_cannot_depart, |app, clock| {
    let (ada, admin) = admin(&app).await;
    let before = journal_len(&app).await;
    assert_conflict(app.change_state(&admin, ada.id, state_input(MemberState::Departed, TODAY)).await);
    assert_eq!(journal_len(&app).await, before, "a refused departure writes nothing");
    let bea = add(&app, "Bea", "bea@example.org", MemberState::Member).await;
    app.set_roles(&admin, bea.id, vec![Role::Admin]).await.unwrap();
    let gone = app.change_state(&admin, ada.id, state_input(MemberState::Departed, TODAY)).await.unwrap();
    assert_eq!(gone.summary.state, Some(MemberState::Departed));
});

backend_test!(a_member_without_the_admin_role_cannot_manage_members, |app, clock| {
    let (ada, _) = admin(&app).await;
    let bob = add(&app, "Bob", "bob@example.org", MemberState::Member).await;
    let sec = add(&app, "Sec", "sec@example.org", MemberState::Member).await;
    let sec = app.set_roles(&Actor::Operator, sec.id, vec![Role::Secretary]).await.unwrap();
    let before = journal_len(&app).await;
    let count = members(&app).await.len();

    for who in [actor(&bob), actor(&sec)] {
        assert_forbidden(app.add_member(&who, new_member("Eve", "eve@example.org", MemberState::Member)).await);
        assert_forbidden(app.change_state(&who, ada.id, state_input(MemberState::OnLeave, TODAY)).await);
        assert_forbidden(app.change_state(&who, bob.id, state_input(MemberState::Departed, TODAY)).await);
        assert_forbidden(app.set_roles(&who, bob.id, vec![Role::Admin]).await);
        assert_forbidden(app.set_password(&who, ada.id, PASSWORD).await);
        // Reading is open to every current participant.
        assert_eq!(app.list_members(&who, &MemberFilter::default()).await.unwrap().len(), count);
        app.member(&who, ada.id).await.unwrap();
    }
    assert_eq!(journal_len(&app).await, before);
    assert_eq!(members(&app).await.len(), count);
    assert!(app.member(&Actor::Operator, bob.id).await.unwrap().summary.roles.is_empty());
    assert_eq!(app.member(&Actor::Operator, ada.id).await.unwrap().history.len(), 1);
});

backend_test!(a_departed_member_cannot_even_list, |app, clock| {
    let (_, admin) = admin(&app).await;
    let dee = add(&app, "Dee", "dee@example.org", MemberState::Member).await;
    app.set_roles(&admin, dee.id, vec![Role::Admin]).await.unwrap();
    app.change_state(&admin, dee.id, state_input(MemberState::Departed, TODAY)).await.unwrap();
    let dee = members(&app).await.into_iter().find(|m| m.id == dee.id).unwrap();
    assert_eq!(dee.state, Some(MemberState::Departed));
    assert_eq!(dee.roles, vec![Role::Admin], "the role stays on record");
    let gone = actor(&dee);
    let before = journal_len(&app).await;

    assert_forbidden(app.list_members(&gone, &MemberFilter::default()).await);
    assert_forbidden(app.member(&gone, dee.id).await);
    assert_forbidden(app.dashboard(&gone).await);
    assert_forbidden(app.journal_entries(&gone, &coop_app::JournalFilter { limit: 10, ..Default::default() }).await);
    assert_forbidden(app.add_member(&gone, new_member("Eve", "eve@example.org", MemberState::Member)).await);
    assert_forbidden(app.update_member(&gone, dee.id, MemberEdit { name: Some("Dee D".into()), ..MemberEdit::default() }).await);
    assert_eq!(journal_len(&app).await, before);
    assert_eq!(members(&app).await.len(), 2);
});

backend_test!(members_edit_their_own_profile_only, |app, clock| {
    let (_, admin) = admin(&app).await;
    let bob = add(&app, "Bob", "bob@example.org", MemberState::Member).await;
    let cat = add(&app, "Cat", "cat@example.org", MemberState::Candidate).await;
    let before = journal_len(&app).await;

    let edit = MemberEdit { name: Some("Bob Builder".into()), language: Some(Some("ar".into())), ..MemberEdit::default() };
    let bob2 = app.update_member(&actor(&bob), bob.id, edit).await.unwrap();
    assert_eq!(bob2.name, "Bob Builder");
    assert_eq!(bob2.language.as_deref(), Some("ar"));
    assert_eq!(bob2.email, "bob@example.org", "fields not given stay");
    assert_eq!(journal_len(&app).await, before + 1);
    let e = all_entries(&app).await.pop().unwrap();
    assert_eq!((e.action.as_str(), e.actor.clone()), ("member.edit", format!("member:{}", bob.id)));
    assert_eq!(e.payload["before"]["name"], "Bob");
    assert_eq!(e.payload["after"]["name"], "Bob Builder");

    // Another member who is not an admin may not.
    assert_forbidden(app.update_member(&actor(&cat), bob.id, MemberEdit { name: Some("Bobby".into()), ..MemberEdit::default() }).await);
    assert_eq!(app.member(&admin, bob.id).await.unwrap().summary.name, "Bob Builder");
    assert_eq!(journal_len(&app).await, before + 1);

    // An admin may; an edit that changes nothing journals nothing.
    let bob3 = app.update_member(&admin, bob.id, MemberEdit { email: Some("Robert@Example.org".into()), language: Some(None), ..MemberEdit::default() }).await.unwrap();
    assert_eq!(bob3.email, "robert@example.org");
    assert_eq!(bob3.language, None);
    assert_eq!(journal_len(&app).await, before + 2);
    app.update_member(&admin, bob.id, MemberEdit { name: Some(" Bob Builder ".into()), ..MemberEdit::default() }).await.unwrap();
    assert_eq!(journal_len(&app).await, before + 2);
    assert!(matches!(app.update_member(&admin, 9999, MemberEdit::default()).await, Err(AppError::NotFound(_))));
});

backend_test!(dashboard_counts_every_state_and_lists_candidacies_due, |app, clock| {
    let (_, admin) = admin(&app).await;
    let first = app.dashboard(&admin).await.unwrap();
    assert_eq!(
        first.members_by_state,
        vec![
            (MemberState::Applicant, 0),
            (MemberState::Candidate, 0),
            (MemberState::Member, 1),
            (MemberState::OnLeave, 0),
            (MemberState::Departed, 0),
        ]
    );
    assert!(first.candidacies_due.is_empty());

    add(&app, "Ann", "ann@example.org", MemberState::Applicant).await;
    let soon = NewMember { planned_end: Some(d("2026-12-08")), ..new_member("Soon", "soon@example.org", MemberState::Candidate) };
    let soon = app.add_member(&admin, soon).await.unwrap();
    let later = NewMember { planned_end: Some(d("2027-01-27")), ..new_member("Later", "later@example.org", MemberState::Candidate) };
    app.add_member(&admin, later).await.unwrap();
    // Started 2026-01-02, nine months on is 2026-10-02: overdue, still listed, first.
    let overdue = NewMember { since: Some(d("2026-01-02")), ..new_member("Overdue", "overdue@example.org", MemberState::Candidate) };
    let overdue = app.add_member(&admin, overdue).await.unwrap();
    let edge = NewMember { planned_end: Some(d("2026-12-28")), ..new_member("Edge", "edge@example.org", MemberState::Candidate) };
    let edge = app.add_member(&admin, edge).await.unwrap();
    let past_edge = NewMember { planned_end: Some(d("2026-12-29")), ..new_member("Past Edge", "pastedge@example.org", MemberState::Candidate) };
    app.add_member(&admin, past_edge).await.unwrap();
    let leave = add(&app, "Lee", "lee@example.org", MemberState::Member).await;
    app.change_state(&admin, leave.id, state_input(MemberState::OnLeave, TODAY)).await.unwrap();
    let gone = add(&app, "Gus", "gus@example.org", MemberState::Member).await;
    app.change_state(&admin, gone.id, state_input(MemberState::Departed, TODAY)).await.unwrap();
    // Someone whose first state is dated in the future is not counted yet.
    let future = NewMember { since: Some(d("2027-01-01")), ..new_member("Fay", "fay@example.org", MemberState::Member) };
    app.add_member(&admin, future).await.unwrap();

    let dash = app.dashboard(&admin).await.unwrap();
    assert_eq!(
        dash.members_by_state,
        vec![
            (MemberState::Applicant, 1),
            (MemberState::Candidate, 5),
            (MemberState::Member, 1),
            (MemberState::OnLeave, 1),
            (MemberState::Departed, 1),
        ]
    );
    let due: Vec<(i64, Option<&str>)> = dash.candidacies_due.iter().map(|m| (m.id, m.planned_end.as_deref())).collect();
    assert_eq!(due, vec![(overdue.id, Some("2026-10-02")), (soon.id, Some("2026-12-08")), (edge.id, Some("2026-12-28"))]);
    assert_eq!(dash.recent_journal.len(), 10);
    assert_eq!(dash.recent_journal[0].seq, journal_len(&app).await, "newest first");

    // Admitting the soon-due candidate takes them off the list.
    app.change_state(&admin, soon.id, state_input(MemberState::Member, TODAY)).await.unwrap();
    let dash = app.dashboard(&admin).await.unwrap();
    assert_eq!(dash.candidacies_due.iter().map(|m| m.id).collect::<Vec<_>>(), vec![overdue.id, edge.id]);
    assert_eq!(dash.members_by_state[1], (MemberState::Candidate, 4));
    assert_eq!(dash.members_by_state[2], (MemberState::Member, 2));
});

backend_test!(the_list_comes_in_pages_with_the_total_across_them, |app, clock| {
    let _ = &clock;
    let mut ids = Vec::new();
    for i in 0..7 {
        let state = if i % 3 == 0 { MemberState::Candidate } else { MemberState::Member };
        ids.push(add(&app, &format!("Page Person {i}"), &format!("p{i}@example.org"), state).await.id);
    }
    let page = |n: u32, per: u32, search: Option<&str>, state: Option<MemberState>| {
        let app = app.clone();
        let f = MemberFilter { search: search.map(str::to_string), state };
        async move { app.list_members_page(&Actor::Operator, &f, n, per).await }
    };
    // In name order, 3 to a page: 3 + 3 + 1, each page knowing the total.
    let mut seen = Vec::new();
    for n in 1..=3 {
        let p = page(n, 3, None, None).await.unwrap();
        assert_eq!((p.total, p.page, p.pages, p.per_page), (7, n, 3, 3));
        assert_eq!(p.members.len(), if n < 3 { 3 } else { 1 }, "page {n}");
        seen.extend(p.members.iter().map(|m| m.id));
    }
    assert_eq!(seen, ids, "every member once, in name order");
    // Past the last page: the last; page 0 is the first.
    let last = page(9, 3, None, None).await.unwrap();
    assert_eq!((last.page, last.members.iter().map(|m| m.id).collect::<Vec<_>>()), (3, vec![ids[6]]));
    assert_eq!(page(0, 3, None, None).await.unwrap().page, 1);
    // The state filter (in SQL) and the search (after it) count across pages.
    let candidates = page(1, 2, None, Some(MemberState::Candidate)).await.unwrap();
    assert_eq!((candidates.total, candidates.pages), (3, 2));
    assert_eq!(candidates.members.iter().map(|m| m.id).collect::<Vec<_>>(), vec![ids[0], ids[3]]);
    let searched = page(2, 2, Some("PERSON"), Some(MemberState::Member)).await.unwrap();
    assert_eq!((searched.total, searched.pages), (4, 2));
    assert_eq!(searched.members.iter().map(|m| m.id).collect::<Vec<_>>(), vec![ids[4], ids[5]]);
    let none = page(1, 3, Some("nobody"), None).await.unwrap();
    assert_eq!((none.total, none.pages, none.members.len()), (0, 1, 0));
    // A page size out of range is bad input.
    assert!(matches!(page(1, 0, None, None).await, Err(AppError::Invalid { .. })));
    assert!(matches!(page(1, 501, None, None).await, Err(AppError::Invalid { .. })));
});
