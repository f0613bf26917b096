//! Sign-in, sessions, throttling, passwords, reset links and API tokens through the use
//! cases. Each test runs on SQLite and, with `COOP_TEST_POSTGRES_URL`, on PostgreSQL.

#[macro_use]
mod common;

use common::*;
use coop_app::members::{NewMember, StateInput};
use coop_app::{Actor, AppError};
use coop_core::member::MemberState;
use std::time::Duration;

const NEW_PASSWORD: &str = "a brand new passphrase";
const OFFICE: &str = "203.0.113.7";
const HOME: &str = "198.51.100.4";

fn hours(h: u64) -> Duration {
    Duration::from_secs(h * 3600)
}

#[track_caller]
fn assert_unauthenticated<T: std::fmt::Debug>(r: Result<T, AppError>) {
    assert!(matches!(r, Err(AppError::Unauthenticated)), "expected Unauthenticated, got {r:?}");
}

#[track_caller]
fn assert_throttled<T: std::fmt::Debug>(r: Result<T, AppError>) -> u64 {
    match r {
        Err(AppError::Throttled { retry_after_secs }) => {
            assert!(retry_after_secs >= 1, "a retry time the user can act on");
            retry_after_secs
        }
        other => panic!("expected Throttled, got {other:?}"),
    }
}

/// The member id behind a session token, if the session is live.
async fn session_member(app: &coop_app::App, token: &str) -> Option<i64> {
    app.session(token).await.unwrap().map(|(a, _)| a.member_id().expect("a session is a member's"))
}

backend_test!(login_opens_a_session_for_the_member, |app, clock| {
    let ana = add_with_password(&app, "Ana", "ana@example.org", MemberState::Member).await;
    let before = journal_len(&app).await;

    let s = app.login("  ANA@example.org ", PASSWORD, OFFICE).await.unwrap();
    assert_eq!(s.member_id, ana.id);
    assert_eq!(s.expires_at, "2026-11-29T00:00:00Z".parse::<jiff::Timestamp>().unwrap(), "twelve hours after sign-in");
    assert_eq!(s.token.len(), 64);
    assert_ne!(s.token, s.csrf);

    let (who, csrf) = app.session(&s.token).await.unwrap().expect("a live session");
    assert_eq!(csrf, s.csrf);
    match who {
        Actor::Member(m) => {
            assert_eq!(m.id, ana.id);
            assert_eq!(m.email, "ana@example.org");
            assert_eq!(m.name, "Ana");
            assert_eq!(m.state, Some(MemberState::Member));
        }
        other => panic!("expected a member, got {other:?}"),
    }
    assert_eq!(app.session("not-a-token").await.unwrap(), None);
    assert_eq!(app.session(&s.csrf).await.unwrap(), None, "the CSRF token is not a session token");

    assert_eq!(journal_len(&app).await, before + 1);
    let e = all_entries(&app).await.pop().unwrap();
    assert_eq!((e.action.as_str(), e.actor.as_str()), ("session.login", format!("member:{}", ana.id).as_str()));
    assert!(!e.payload.to_string().contains(&s.token), "the secret never reaches the journal");

    // A second sign-in is a second, independent session.
    let s2 = app.login("ana@example.org", PASSWORD, HOME).await.unwrap();
    assert_ne!(s2.token, s.token);
    assert_eq!(session_member(&app, &s.token).await, Some(ana.id));
    assert_eq!(session_member(&app, &s2.token).await, Some(ana.id));
});

backend_test!(wrong_password_and_unknown_email_are_unauthenticated, |app, clock| {
    add_with_password(&app, "Ana", "ana@example.org", MemberState::Member).await;
    add(&app, "Nopass", "nopass@example.org", MemberState::Member).await;
    let before = journal_len(&app).await;
    assert_unauthenticated(app.login("ana@example.org", "not the password", OFFICE).await);
    assert_unauthenticated(app.login("ana@example.org", "", OFFICE).await);
    assert_unauthenticated(app.login("nobody@example.org", PASSWORD, OFFICE).await);
    assert_unauthenticated(app.login("nopass@example.org", PASSWORD, OFFICE).await);
    assert_unauthenticated(app.login("not an email", PASSWORD, OFFICE).await);
    assert_eq!(journal_len(&app).await, before, "failed sign-ins write nothing");
    app.login("ana@example.org", PASSWORD, OFFICE).await.expect("the right password still works");
});

backend_test!(five_wrong_passwords_lock_the_account, |app, clock| {
    let ana = add_with_password(&app, "Ana", "ana@example.org", MemberState::Member).await;
    let ben = add_with_password(&app, "Ben", "ben@example.org", MemberState::Member).await;
    for _ in 0..4 {
        assert_unauthenticated(app.login("ana@example.org", "wrong password", OFFICE).await);
    }
    // The fifth failure locks the account and says so.
    let wait = assert_throttled(app.login("ana@example.org", "wrong password", OFFICE).await);
    assert_eq!(wait, 60);
    // The sixth attempt is refused even with the right password, from any address.
    assert_throttled(app.login("ana@example.org", PASSWORD, OFFICE).await);
    assert_throttled(app.login("Ana@Example.org", PASSWORD, HOME).await);
    // A colleague behind the same address is not affected (5 < 20 failures there).
    let s = app.login("ben@example.org", PASSWORD, OFFICE).await.expect("Ben signs in");
    assert_eq!(s.member_id, ben.id);
    assert!(ana.id != ben.id);
});

backend_test!(a_throttled_address_still_admits_right_passwords, |app, clock| {
    let ana = add_with_password(&app, "Ana", "ana@example.org", MemberState::Member).await;
    let ben = add_with_password(&app, "Ben", "ben@example.org", MemberState::Member).await;
    // 19 failures spread over 10 accounts (at most 2 each, so no account locks).
    for i in 0..19 {
        let r = app.login(&format!("ghost{}@example.org", i % 10), "guessing", OFFICE).await;
        assert_unauthenticated(r);
    }
    // The 20th failure from the address throttles it.
    assert_throttled(app.login("ghost9@example.org", "guessing", OFFICE).await);
    // From now on a wrong password from there is answered with 429, even for a clean account...
    assert_throttled(app.login("ana@example.org", "typo typo typo", OFFICE).await);
    // ...but a member with no recent failures and the right password gets in.
    let s = app.login("ben@example.org", PASSWORD, OFFICE).await.expect("Ben signs in from the throttled address");
    assert_eq!(s.member_id, ben.id);
    // Ana now has a recent failure, so from the throttled address she is refused outright,
    assert_throttled(app.login("ana@example.org", PASSWORD, OFFICE).await);
    // while from another address her single failure does not stop her.
    assert_eq!(app.login("ana@example.org", PASSWORD, HOME).await.unwrap().member_id, ana.id);
});

backend_test!(a_session_ends_twelve_hours_after_sign_in, |app, clock| {
    let ana = add_with_password(&app, "Ana", "ana@example.org", MemberState::Member).await;
    let s = app.login("ana@example.org", PASSWORD, OFFICE).await.unwrap();
    clock.advance(hours(11) + Duration::from_secs(59 * 60));
    assert_eq!(session_member(&app, &s.token).await, Some(ana.id), "still live at 11h59");
    clock.advance(Duration::from_secs(60));
    assert_eq!(session_member(&app, &s.token).await, None, "over at exactly 12h");
    clock.advance(hours(1));
    assert_eq!(session_member(&app, &s.token).await, None);
    // Signing in again works and starts a new twelve hours.
    let s2 = app.login("ana@example.org", PASSWORD, OFFICE).await.unwrap();
    assert_eq!(s2.expires_at, "2026-11-29T13:00:00Z".parse::<jiff::Timestamp>().unwrap(), "signed in at 01:00Z");
    assert_eq!(session_member(&app, &s2.token).await, Some(ana.id));
});

backend_test!(logout_ends_only_that_session, |app, clock| {
    let ana = add_with_password(&app, "Ana", "ana@example.org", MemberState::Member).await;
    let s1 = app.login("ana@example.org", PASSWORD, OFFICE).await.unwrap();
    let s2 = app.login("ana@example.org", PASSWORD, HOME).await.unwrap();
    let before = journal_len(&app).await;
    app.logout(&s1.token).await.unwrap();
    assert_eq!(session_member(&app, &s1.token).await, None);
    assert_eq!(session_member(&app, &s2.token).await, Some(ana.id));
    assert_eq!(actions_after(&app, before).await, vec!["session.logout"]);
    // Logging out again, or with a made-up token, is harmless and journals nothing.
    app.logout(&s1.token).await.unwrap();
    app.logout("made-up").await.unwrap();
    assert_eq!(journal_len(&app).await, before + 1);
});

backend_test!(change_password_checks_the_current_one_and_ends_other_sessions, |app, clock| {
    let ana = add_with_password(&app, "Ana", "ana@example.org", MemberState::Member).await;
    let here = app.login("ana@example.org", PASSWORD, OFFICE).await.unwrap();
    let elsewhere = app.login("ana@example.org", PASSWORD, HOME).await.unwrap();
    let ana_actor = app.session(&here.token).await.unwrap().unwrap().0;
    let before = journal_len(&app).await;

    assert_invalid(app.change_password(&ana_actor, "not my password", NEW_PASSWORD, Some(&here.token)).await, "current_password");
    assert_invalid(app.change_password(&ana_actor, PASSWORD, "short", Some(&here.token)).await, "password");
    assert_forbidden(app.change_password(&Actor::Operator, PASSWORD, NEW_PASSWORD, None).await);
    assert_eq!(journal_len(&app).await, before);
    assert_eq!(session_member(&app, &elsewhere.token).await, Some(ana.id), "refused changes end nothing");

    app.change_password(&ana_actor, PASSWORD, NEW_PASSWORD, Some(&here.token)).await.unwrap();
    assert_eq!(session_member(&app, &here.token).await, Some(ana.id), "the session that changed it stays");
    assert_eq!(session_member(&app, &elsewhere.token).await, None, "every other session ends");
    let e = all_entries(&app).await.pop().unwrap();
    assert_eq!(e.action, "account.password");
    assert_eq!(e.payload["other_sessions_ended"], 1);

    assert_unauthenticated(app.login("ana@example.org", PASSWORD, OFFICE).await);
    assert_eq!(app.login("ana@example.org", NEW_PASSWORD, OFFICE).await.unwrap().member_id, ana.id);

    // Without a session to keep, all of them end.
    let ana_actor = actor(&ana);
    app.change_password(&ana_actor, NEW_PASSWORD, PASSWORD, None).await.unwrap();
    assert_eq!(session_member(&app, &here.token).await, None);
});

backend_test!(reset_links_are_for_admins_work_once_and_expire, |app, clock| {
    let (_, admin) = admin(&app).await;
    let ana = add_with_password(&app, "Ana", "ana@example.org", MemberState::Member).await;
    let bob = add(&app, "Bob", "bob@example.org", MemberState::Member).await;
    let old_session = app.login("ana@example.org", PASSWORD, OFFICE).await.unwrap();
    let before = journal_len(&app).await;

    assert_forbidden(app.issue_reset(&actor(&bob), ana.id).await);
    assert_forbidden(app.issue_reset(&actor(&ana), ana.id).await);
    assert!(matches!(app.issue_reset(&admin, 9999).await, Err(AppError::NotFound(_))));
    assert_eq!(journal_len(&app).await, before);

    let link = app.issue_reset(&admin, ana.id).await.unwrap();
    assert_eq!(link.expires_at, "2026-11-29T12:00:00.000000Z");
    assert!(app.reset_usable(&link.token).await.unwrap());
    // A password that breaks the rules does not use up the link.
    assert_invalid(app.reset_password(&link.token, "too short").await, "password");
    assert!(app.reset_usable(&link.token).await.unwrap());

    app.reset_password(&link.token, NEW_PASSWORD).await.unwrap();
    assert_eq!(actions_after(&app, before).await, vec!["account.reset_issued", "account.reset_used"]);
    assert_eq!(session_member(&app, &old_session.token).await, None, "a reset ends every session");
    assert_unauthenticated(app.login("ana@example.org", PASSWORD, OFFICE).await);
    assert_eq!(app.login("ana@example.org", NEW_PASSWORD, OFFICE).await.unwrap().member_id, ana.id);

    // Once only.
    assert!(!app.reset_usable(&link.token).await.unwrap());
    assert_invalid(app.reset_password(&link.token, "yet another passphrase").await, "token");
    assert_eq!(app.login("ana@example.org", NEW_PASSWORD, HOME).await.unwrap().member_id, ana.id);
    assert_invalid(app.reset_password("made-up-token", NEW_PASSWORD).await, "token");

    // A link works for 24 hours.
    let in_time = app.issue_reset(&admin, bob.id).await.unwrap();
    let too_late = app.issue_reset(&admin, bob.id).await.unwrap();
    clock.advance(hours(23) + Duration::from_secs(59 * 60));
    app.reset_password(&in_time.token, NEW_PASSWORD).await.expect("a link works until it expires");
    clock.advance(Duration::from_secs(60 * 60 + 60));
    assert!(!app.reset_usable(&too_late.token).await.unwrap());
    let before = journal_len(&app).await;
    assert_invalid(app.reset_password(&too_late.token, "bobs other passphrase").await, "token");
    assert_eq!(journal_len(&app).await, before);
    assert_eq!(app.login("bob@example.org", NEW_PASSWORD, HOME).await.unwrap().member_id, bob.id);
});

backend_test!(api_tokens_resolve_until_revoked, |app, clock| {
    let ana = add_with_password(&app, "Ana", "ana@example.org", MemberState::Member).await;
    let bob = add(&app, "Bob", "bob@example.org", MemberState::Member).await;
    let me = actor(&ana);
    let before = journal_len(&app).await;

    let token = app.create_api_token(&me, "  laptop  ").await.unwrap();
    assert!(token.starts_with("coop_"));
    let other = app.create_api_token(&me, "").await.unwrap();
    assert_forbidden(app.create_api_token(&Actor::Operator, "cli").await);
    assert_invalid(app.create_api_token(&me, &"x".repeat(101)).await, "label");
    assert_eq!(journal_len(&app).await, before + 2);

    match app.token_actor(&token).await.unwrap() {
        Some(Actor::Member(m)) => assert_eq!(m.id, ana.id),
        other => panic!("expected Ana, got {other:?}"),
    }
    assert_eq!(app.token_actor("coop_not-a-token").await.unwrap(), None);
    assert_eq!(app.session(&token).await.unwrap(), None, "an API token is not a session");

    let listed = app.list_api_tokens(&me).await.unwrap();
    assert_eq!(listed.iter().map(|t| (t.label.as_str(), t.revoked)).collect::<Vec<_>>(), vec![("laptop", false), ("api", false)]);
    assert!(app.list_api_tokens(&actor(&bob)).await.unwrap().is_empty());

    // Bob cannot revoke Ana's token: to him it does not exist.
    assert!(matches!(app.revoke_api_token(&actor(&bob), listed[0].id).await, Err(AppError::NotFound(_))));
    assert!(app.token_actor(&token).await.unwrap().is_some());

    app.revoke_api_token(&me, listed[0].id).await.unwrap();
    assert_eq!(app.token_actor(&token).await.unwrap(), None);
    assert!(app.token_actor(&other).await.unwrap().is_some(), "only the revoked token stops");
    assert!(matches!(app.revoke_api_token(&me, listed[0].id).await, Err(AppError::NotFound(_))), "revoking twice");
    let listed = app.list_api_tokens(&me).await.unwrap();
    assert_eq!(listed.iter().map(|t| t.revoked).collect::<Vec<_>>(), vec![true, false]);
    assert_eq!(
        actions_after(&app, before).await,
        vec!["account.token_created", "account.token_created", "account.token_revoked"]
    );
});

backend_test!(a_departed_member_loses_access, |app, clock| {
    let (_, admin) = admin(&app).await;
    let ana = add_with_password(&app, "Ana", "ana@example.org", MemberState::Member).await;
    let token = app.create_api_token(&actor(&ana), "script").await.unwrap();

    // A departure dated next week changes nothing yet.
    let next_week = StateInput { state: MemberState::Departed, on: Some(d("2026-12-05")), note: "moving away".into(), planned_end: None };
    app.change_state(&admin, ana.id, next_week).await.unwrap();
    assert!(app.token_actor(&token).await.unwrap().is_some());
    // She signs in on her last afternoon (15:00 in New York)...
    clock.set("2026-12-04T20:00:00Z".parse().unwrap());
    let s = app.login("ana@example.org", PASSWORD, OFFICE).await.unwrap();
    assert_eq!(session_member(&app, &s.token).await, Some(ana.id));

    // ...and at 00:30 in New York on 2026-12-05 she has departed, long before the session's 12 hours are up.
    clock.set("2026-12-05T05:30:00Z".parse().unwrap());
    assert_eq!(session_member(&app, &s.token).await, None, "the old session no longer resolves");
    assert_eq!(app.token_actor(&token).await.unwrap(), None, "nor does the API token");
    let before = journal_len(&app).await;
    assert_forbidden(app.login("ana@example.org", PASSWORD, OFFICE).await);
    assert_unauthenticated(app.login("ana@example.org", "wrong password", HOME).await);
    assert_eq!(journal_len(&app).await, before, "no session was opened");
});

backend_test!(passwords_need_ten_characters, |app, clock| {
    let (_, admin) = admin(&app).await;
    let before = journal_len(&app).await;
    for short in ["", "123456789", "ééééééééé"] {
        let new = NewMember { password: Some(short.into()), ..new_member("Ana", "ana@example.org", MemberState::Member) };
        let msg = assert_invalid(app.add_member(&admin, new).await, "password");
        assert!(msg.contains("10"), "the message says how long: {msg}");
    }
    assert_eq!(journal_len(&app).await, before);
    assert_eq!(members(&app).await.len(), 1);

    // Ten characters (not bytes) are enough.
    let new = NewMember { password: Some("éééééééééé".into()), ..new_member("Ana", "ana@example.org", MemberState::Member) };
    let ana = app.add_member(&admin, new).await.unwrap();
    assert!(app.member(&admin, ana.id).await.unwrap().has_password);
    assert_eq!(app.login("ana@example.org", "éééééééééé", OFFICE).await.unwrap().member_id, ana.id);

    assert_invalid(app.set_password(&admin, ana.id, "123456789").await, "password");
    app.set_password(&admin, ana.id, "0123456789").await.unwrap();
    assert_eq!(app.login("ana@example.org", "0123456789", OFFICE).await.unwrap().member_id, ana.id);
});
