//! Meetings and minutes through the use cases, on SQLite and PostgreSQL: attendance and the
//! live quorum of linked decisions, a show of hands under base `present`, minutes approved
//! by the record keeper or by a passed proposal and sealed (tampering is found by verify),
//! errata, series across a daylight-saving change, roles and rotation, the agenda, actions
//! across meetings, and private calendar tokens.

#[macro_use]
mod common;

use common::*;
use coop_app::decisions::{ClassChange, ClassInput, ProposalInput, ResultsVisibility};
use coop_app::meetings::{ExportFormat, ItemInput, MeetingInput};
use coop_app::members::{MemberSummary, NewMember};
use coop_app::notify::Event;
use coop_app::{Actor, App};
use coop_core::decision::{Choice, DecisionRule};
use coop_core::meeting::Repeat;
use coop_core::member::{MemberState, Role};
use jiff::{SignedDuration, Timestamp};

const OP: &Actor = &Actor::Operator;
const PRESENT_MAJORITY: &str = r#"{"kind":"vote","threshold":"1/2","strict":true,"base":"present","quorum":"1/2"}"#;

async fn class(app: &App, name: &str, rule_json: &str) {
    let input = ClassInput {
        name: name.into(),
        rule: DecisionRule::parse_json(rule_json).unwrap(),
        eligible: vec![MemberState::Member],
        results: ResultsVisibility::Live,
        governs_rules: false,
    };
    assert!(matches!(app.set_class(OP, input, None).await.unwrap(), ClassChange::Applied { .. }));
}

async fn people(app: &App, n: usize) -> Vec<MemberSummary> {
    let mut out = Vec::new();
    for i in 1..=n {
        let new = NewMember { since: Some(d("2026-01-05")), ..new_member(&format!("Member {i}"), &format!("m{i}@example.org"), MemberState::Member) };
        out.push(app.add_member(OP, new).await.unwrap());
    }
    out
}

async fn secretary(app: &App) -> (MemberSummary, Actor) {
    let new = NewMember { roles: vec![Role::Secretary], since: Some(d("2026-01-05")), ..new_member("Sam Secretary", "sam@example.org", MemberState::Member) };
    let s = app.add_member(OP, new).await.unwrap();
    let a = actor(&s);
    (s, a)
}

fn later(hours: i64) -> Timestamp {
    start().checked_add(SignedDuration::from_hours(hours)).unwrap()
}

fn one_off(title: &str, at: Timestamp) -> MeetingInput {
    MeetingInput {
        title: title.into(),
        kind: "general".into(),
        starts_at: at,
        minutes_long: 90,
        place: "The office".into(),
        link: String::new(),
        repeat: None,
        count: None,
        until: None,
    }
}

fn proposal_at(class: &str, title: &str, meeting: i64) -> ProposalInput {
    ProposalInput { class: class.into(), title: title.into(), body: "Body".into(), meeting_id: Some(meeting), ..ProposalInput::default() }
}

backend_test!(mixed_attendance_gives_the_live_quorum_and_a_present_base_counts_those_present, |app, clock, db| {
    class(&app, "hands", PRESENT_MAJORITY).await;
    let (sam, sec) = secretary(&app).await;
    let ms = people(&app, 5).await; // 6 eligible with Sam
    let m = app.schedule_meeting(&sec, one_off("November general", later(2))).await.unwrap()[0];
    let p = app.new_proposal(OP, proposal_at("hands", "Buy a printer", m)).await.unwrap();
    app.add_item(
        &sec,
        m,
        ItemInput { title: "Printer".into(), proposal_id: Some(p.id), minutes_box: Some(15), presenter_id: Some(ms[0].id), ..ItemInput::default() },
    )
    .await
    .unwrap();

    // Nobody recorded yet: the quorum (half of 6 = 3) is not met.
    let v = app.meeting(OP, m).await.unwrap();
    assert_eq!(v.status, "scheduled");
    assert_eq!((v.decisions[0].needed, v.decisions[0].present, v.decisions[0].met), (3, 0, false));

    app.attend(&sec, m, sam.id, "present").await.unwrap();
    app.attend(&sec, m, ms[0].id, "remote").await.unwrap();
    let v = app.meeting(OP, m).await.unwrap();
    assert_eq!((v.decisions[0].present, v.decisions[0].met), (2, false), "two present of the three needed");
    app.attend(&sec, m, ms[1].id, "present").await.unwrap();
    app.attend(&sec, m, ms[2].id, "absent").await.unwrap();
    app.attend(&sec, m, ms[3].id, "excused").await.unwrap();
    let v = app.meeting(OP, m).await.unwrap();
    assert_eq!(v.status, "held");
    assert_eq!((v.attendance.present, v.attendance.remote, v.attendance.absent, v.attendance.excused), (2, 1, 1, 1));
    let d0 = &v.decisions[0];
    assert_eq!((d0.quorum.as_deref(), d0.eligible, d0.needed, d0.present, d0.met, d0.at_meeting), (Some("1/2"), 6, 3, 3, true, true));
    assert_eq!(v.items[0].presenter.as_deref(), Some("Member 1"));

    // Base present: 2 yes of 3 present is more than half; absent and excused do not count.
    let decided = app.count_hands(&sec, p.id, &[(Choice::Yes, 2), (Choice::No, 1)]).await.unwrap();
    assert_eq!(decided.status, "passed");
    assert_eq!(decided.summary.as_deref(), Some("passed: 2 of 3 members present, more than half needed, quorum 3 of 6 met"));
    // 1 yes of 3 present is not more than half, even with no one against.
    let q = app.new_proposal(OP, proposal_at("hands", "Paint the office", m)).await.unwrap();
    assert_eq!(app.count_hands(&sec, q.id, &[(Choice::Yes, 1), (Choice::Abstain, 2)]).await.unwrap().status, "failed");
    let _ = (clock, db);
});

backend_test!(approved_minutes_are_sealed_and_tampering_is_found, |app, clock, db| {
    class(&app, "hands", PRESENT_MAJORITY).await;
    let (sam, sec) = secretary(&app).await;
    let ms = people(&app, 3).await;
    let m = app.schedule_meeting(&sec, one_off("General", later(1))).await.unwrap()[0];
    app.attend(&sec, m, sam.id, "present").await.unwrap();
    app.attend(&sec, m, ms[0].id, "present").await.unwrap();
    let item = app.add_item(&sec, m, ItemInput { title: "Budget".into(), notes: "We looked at the numbers.".into(), ..ItemInput::default() }).await.unwrap();
    app.add_action(&sec, m, "Send the budget", ms[0].id, d("2026-12-05"), Some(item)).await.unwrap();
    let p = app.new_proposal(OP, proposal_at("hands", "Adopt the budget", m)).await.unwrap();

    // Not while a decision at the meeting is still open; nothing changes.
    let before = journal_len(&app).await;
    assert_conflict(app.approve_minutes(&sec, m).await);
    assert_eq!(journal_len(&app).await, before);
    app.count_hands(&sec, p.id, &[(Choice::Yes, 2)]).await.unwrap();

    // A member without the secretary role cannot approve.
    assert_forbidden(app.approve_minutes(&actor(&ms[1]), m).await);
    app.circulate_minutes(&sec, m).await.unwrap();
    assert_conflict(app.circulate_minutes(&sec, m).await);
    let head_before = app.journal_head().await.unwrap().1;
    let v = app.approve_minutes(&sec, m).await.unwrap();
    assert_eq!((v.status.as_str(), v.minutes_status.as_str(), v.approved_by.as_deref()), ("approved", "approved", Some("record")));
    assert_eq!(v.journal_head_at_approval.as_deref(), Some(head_before.as_str()));
    let sealed = v.sealed_hash.clone().expect("sealed");
    assert!(app.verify_journal(OP).await.unwrap().ok());

    // The exports carry the seal and the journal head.
    let md = String::from_utf8(app.export_meeting(OP, m, ExportFormat::Markdown).await.unwrap()).unwrap();
    assert!(md.contains(&sealed) && md.contains(&head_before) && md.contains("Adopt the budget") && md.contains("We looked at the numbers."), "{md}");

    // After sealing: no direct change at all, and nothing half-written.
    let before = journal_len(&app).await;
    assert_conflict(app.attend(&sec, m, ms[1].id, "present").await);
    assert_conflict(app.set_notes(&sec, item, "Rewritten").await);
    assert_conflict(app.add_item(&sec, m, ItemInput { title: "Late".into(), ..ItemInput::default() }).await);
    assert_conflict(app.add_action(&sec, m, "Late", ms[0].id, d("2026-12-05"), None).await);
    assert_conflict(app.approve_minutes(&sec, m).await);
    assert_eq!(journal_len(&app).await, before);

    // Errata append and are sealed on their own; the original seal still holds.
    app.add_erratum(&sec, m, "Member 2 sent apologies.").await.unwrap();
    let v = app.meeting(OP, m).await.unwrap();
    assert_eq!(v.sealed_hash.as_deref(), Some(sealed.as_str()));
    assert_eq!(v.errata.len(), 1);
    assert!(v.errata[0].sealed_hash.is_some());
    assert!(app.verify_journal(OP).await.unwrap().ok());
    // Marking an action done is not a change to the record.
    app.set_action_done(&actor(&ms[0]), v.actions[0].id, true).await.unwrap();
    assert!(app.verify_journal(OP).await.unwrap().ok());

    // Changing the sealed minutes in the database is found.
    db.exec(&format!("UPDATE meeting_items SET notes = 'We never looked.' WHERE id = {item}"));
    let report = app.verify_journal(OP).await.unwrap();
    let fault = report.fault.expect("tampering must be found");
    assert!(fault.contains(&format!("sealed minutes {m} was changed")), "{fault}");
    let _ = clock;
});

backend_test!(a_passed_proposal_at_the_next_meeting_approves_the_minutes, |app, clock, db| {
    class(&app, "hands", PRESENT_MAJORITY).await;
    let (sam, sec) = secretary(&app).await;
    let ms = people(&app, 2).await;
    let first = app.schedule_meeting(&sec, one_off("October", later(1))).await.unwrap()[0];
    app.attend(&sec, first, sam.id, "present").await.unwrap();
    let next = app.schedule_meeting(&sec, one_off("November", later(24 * 28))).await.unwrap()[0];
    for m in [&sam, &ms[0], &ms[1]] {
        app.attend(&sec, next, m.id, "present").await.unwrap();
    }
    assert_invalid(app.propose_minutes_approval(&sec, first, "hands", Some(first), None).await, "meeting");
    let failing = app.propose_minutes_approval(&sec, first, "hands", Some(next), None).await.unwrap();
    assert_eq!(app.count_hands(&sec, failing.id, &[(Choice::Yes, 1), (Choice::No, 2)]).await.unwrap().status, "failed");
    assert_eq!(app.meeting(OP, first).await.unwrap().minutes_status, "draft", "a failed approval changes nothing");

    let p = app.propose_minutes_approval(&sec, first, "hands", Some(next), None).await.unwrap();
    assert_eq!(app.count_hands(&sec, p.id, &[(Choice::Yes, 3)]).await.unwrap().status, "passed");
    let v = app.meeting(OP, first).await.unwrap();
    assert_eq!(v.minutes_status, "approved");
    assert_eq!(v.approved_by, Some(format!("proposal:{}", p.id)));
    assert!(v.sealed_hash.is_some());
    assert!(app.verify_journal(OP).await.unwrap().ok());
    let _ = (clock, db);
});

backend_test!(a_weekly_series_keeps_its_local_time_across_daylight_saving, |app, clock, db| {
    let (_, sec) = secretary(&app).await;
    // 19:00 in New York on Sunday 7 March 2027 (EST); DST starts on 14 March.
    let first: Timestamp = "2027-03-08T00:00:00Z".parse().unwrap();
    let before = journal_len(&app).await;
    let bad = MeetingInput { repeat: Some(Repeat::EveryWeeks(1)), ..one_off("Weekly", first) };
    assert_invalid(app.schedule_meeting(&sec, bad).await, "repeat");
    assert_invalid(app.schedule_meeting(&sec, MeetingInput { link: "javascript:alert(1)".into(), ..one_off("Weekly", first) }).await, "link");
    assert_invalid(app.schedule_meeting(&sec, MeetingInput { kind: "party".into(), ..one_off("Weekly", first) }).await, "kind");
    assert_eq!(journal_len(&app).await, before);
    assert!(app.meetings(OP, None, None).await.unwrap().is_empty(), "refused input schedules nothing");

    let ids = app.schedule_meeting(&sec, MeetingInput { repeat: Some(Repeat::EveryWeeks(1)), count: Some(3), ..one_off("Weekly", first) }).await.unwrap();
    assert_eq!(ids.len(), 3);
    let list = app.meetings(OP, None, None).await.unwrap();
    let at: Vec<&str> = list.iter().map(|m| m.at.as_str()).collect();
    assert_eq!(at, vec!["2027-03-08T00:00:00.000000Z", "2027-03-14T23:00:00.000000Z", "2027-03-21T23:00:00.000000Z"]);
    assert!(list.iter().all(|m| m.local_time.contains(" 19:00 (America/New_York)")), "{list:?}");
    let v = app.meeting(OP, ids[2]).await.unwrap();
    assert_eq!((v.series_id, v.repeat.as_deref()), (Some(ids[0]), Some("weekly")));
    let _ = (clock, db);
});

backend_test!(agenda_roles_rotation_and_who_may_do_what, |app, clock, db| {
    let (sam, sec) = secretary(&app).await;
    let ms = people(&app, 3).await;
    let member = actor(&ms[0]);
    let past = app.schedule_meeting(&sec, one_off("Past", later(1))).await.unwrap()[0];
    app.set_role(&sec, past, "facilitator", sam.id).await.unwrap();
    app.set_role(&sec, past, "note-taker", ms[0].id).await.unwrap();
    assert_invalid(app.set_role(&sec, past, "chair", sam.id).await, "role");
    assert_forbidden(app.set_role(&member, past, "timekeeper", ms[0].id).await);
    let m = app.schedule_meeting(&sec, one_off("Next", later(48))).await.unwrap()[0];
    let s = app.suggest_roles(OP, m).await.unwrap();
    let pick = |role: &str| s.iter().find(|x| x.role == role).map(|x| x.member_id);
    // Sam and Member 1 have each held one role; the others never held any: they come first.
    assert_ne!(pick("facilitator"), Some(sam.id));
    assert_ne!(pick("note_taker"), Some(ms[0].id));
    let mut chosen: Vec<i64> = s.iter().map(|x| x.member_id).collect();
    chosen.sort();
    chosen.dedup();
    assert_eq!(chosen.len(), 3, "three different people: {s:?}");

    // Agenda: a member may suggest but not add; the secretary accepts and reorders.
    assert_forbidden(app.add_item(&member, m, ItemInput { title: "Mine".into(), ..ItemInput::default() }).await);
    let a = app.add_item(&sec, m, ItemInput { title: "A".into(), ..ItemInput::default() }).await.unwrap();
    let b = app.add_item(&sec, m, ItemInput { title: "B".into(), ..ItemInput::default() }).await.unwrap();
    let c = app.suggest_item(&member, m, "C from a member", "").await.unwrap();
    assert_eq!(app.meeting(OP, m).await.unwrap().items.iter().find(|i| i.id == c).unwrap().state, "suggested");
    app.accept_item(&sec, c).await.unwrap();
    assert_conflict(app.accept_item(&sec, c).await);
    assert_invalid(app.reorder_agenda(&sec, m, &[c, a]).await, "order");
    assert_invalid(app.reorder_agenda(&sec, m, &[c, a, a]).await, "order");
    app.reorder_agenda(&sec, m, &[c, a, b]).await.unwrap();
    let titles: Vec<String> = app.meeting(OP, m).await.unwrap().items.into_iter().map(|i| i.title).collect();
    assert_eq!(titles, vec!["C from a member", "A", "B"]);
    app.publish_agenda(&sec, m).await.unwrap();
    assert!(app.meeting(OP, m).await.unwrap().agenda_published_at.is_some());

    // Notes: the note-taker of that meeting, not another member.
    assert_forbidden(app.set_notes(&member, a, "mine").await);
    app.set_role(&sec, m, "note_taker", ms[0].id).await.unwrap();
    app.set_notes(&member, a, "Agreed to try.").await.unwrap();
    assert_forbidden(app.set_notes(&actor(&ms[1]), a, "theirs").await);
    assert_eq!(app.meeting(OP, m).await.unwrap().items.iter().find(|i| i.id == a).unwrap().notes, "Agreed to try.");
    let _ = (clock, db);
});

backend_test!(open_and_overdue_actions_by_member, |app, clock, db| {
    let (_, sec) = secretary(&app).await;
    let ms = people(&app, 2).await;
    let m1 = app.schedule_meeting(&sec, one_off("One", later(1))).await.unwrap()[0];
    let m2 = app.schedule_meeting(&sec, one_off("Two", later(2))).await.unwrap()[0];
    assert_invalid(app.add_action(&sec, m1, " ", ms[0].id, d("2026-12-01"), None).await, "title");
    assert_invalid(app.add_action(&sec, m1, "Ghost", 9999, d("2026-12-01"), None).await, "owner");
    let a1 = app.add_action(&sec, m1, "Call the bank", ms[0].id, d("2026-12-01"), None).await.unwrap();
    let a2 = app.add_action(&sec, m2, "Fix the door", ms[0].id, d("2026-12-20"), None).await.unwrap();
    let a3 = app.add_action(&sec, m2, "Buy paper", ms[1].id, d("2026-11-30"), None).await.unwrap();

    let mine = app.open_actions(&actor(&ms[0]), Some(ms[0].id)).await.unwrap();
    assert_eq!(mine.iter().map(|a| a.id).collect::<Vec<_>>(), vec![a1, a2]);
    assert!(mine.iter().all(|a| !a.overdue));
    assert_eq!(mine[1].meeting_title, "Two");

    clock.set("2026-12-10T12:00:00Z".parse().unwrap());
    let all = app.open_actions(OP, None).await.unwrap();
    let overdue: Vec<i64> = all.iter().filter(|a| a.overdue).map(|a| a.id).collect();
    assert_eq!(overdue, vec![a3, a1]);
    assert_forbidden(app.set_action_done(&actor(&ms[1]), a1, true).await);
    app.set_action_done(&actor(&ms[0]), a1, true).await.unwrap();
    assert_conflict(app.set_action_done(&actor(&ms[0]), a1, true).await);
    assert_eq!(app.open_actions(OP, Some(ms[0].id)).await.unwrap().iter().map(|a| a.id).collect::<Vec<_>>(), vec![a2]);
    let _ = db;
});

backend_test!(a_private_calendar_token_gives_the_members_feed, |app, clock, db| {
    class(&app, "ballot", r#"{"kind":"vote","threshold":"1/2","strict":true,"base":"cast","quorum":null}"#).await;
    let (_, sec) = secretary(&app).await;
    let ms = people(&app, 1).await;
    let candidate = app.add_member(OP, new_member("Cam Candidate", "cam@example.org", MemberState::Candidate)).await.unwrap();
    let m = app.schedule_meeting(&sec, one_off("Assembly, with a comma; and more", later(3))).await.unwrap()[0];
    let p = app
        .new_proposal(OP, ProposalInput { class: "ballot".into(), title: "Online vote".into(), body: "b".into(), ..ProposalInput::default() })
        .await
        .unwrap();

    assert_forbidden(app.calendar_token(OP).await);
    let token = app.calendar_token(&actor(&ms[0])).await.unwrap();
    let feed = app.calendar_for_token(&token).await.unwrap();
    assert!(feed.contains(&format!("UID:meeting-{m}@")), "{feed}");
    assert!(feed.contains("SUMMARY:Assembly\\, with a comma\\; and more"));
    assert!(feed.contains(&format!("UID:proposal-{}@", p.id)), "a member sees the deadline they vote on");
    // A candidate does not vote on it, so their feed has the meeting but not the deadline.
    let cam = app.calendar_for_token(&app.calendar_token(&actor(&candidate)).await.unwrap()).await.unwrap();
    assert!(cam.contains(&format!("UID:meeting-{m}@")) && !cam.contains("UID:proposal-"));

    // A new token replaces the old one; a made-up one finds nothing. Only the hash is stored.
    let newer = app.calendar_token(&actor(&ms[0])).await.unwrap();
    assert!(matches!(app.calendar_for_token(&token).await, Err(coop_app::AppError::NotFound(_))));
    assert!(matches!(app.calendar_for_token(&"0".repeat(64)).await, Err(coop_app::AppError::NotFound(_))));
    assert!(app.calendar_for_token(&newer).await.is_ok());
    assert_eq!(db.count(&format!("SELECT COUNT(*) FROM calendar_tokens WHERE token_hash = '{newer}'")), 0);
    let _ = clock;
});

backend_test!(publishing_circulating_and_approving_tell_the_members, |app, clock| {
    let _ = &clock;
    let notifier = std::sync::Arc::new(coop_app::notify::MemoryNotifier::default());
    let app = app.with_notifier(notifier.clone());
    let events = || notifier.0.lock().unwrap().clone();
    let (_, sec) = secretary(&app).await;
    let m = app.schedule_meeting(&sec, one_off("Members' meeting", later(24))).await.unwrap()[0];

    // A refused publish (no items yet) says nothing.
    assert_conflict(app.publish_agenda(&sec, m).await);
    assert!(events().is_empty(), "{:?}", events());
    app.add_item(&sec, m, ItemInput { title: "Budget".into(), ..ItemInput::default() }).await.unwrap();
    app.publish_agenda(&sec, m).await.unwrap();
    let at = app.meeting(OP, m).await.unwrap().at;
    assert_eq!(events(), vec![Event::AgendaPublished { meeting_id: m, title: "Members' meeting".into(), starts_at: at }]);

    // Circulating tells; taking the minutes back to draft does not; approval tells with the seal.
    app.circulate_minutes(&sec, m).await.unwrap();
    assert_eq!(events()[1], Event::MinutesCirculated { meeting_id: m, title: "Members' meeting".into() });
    app.reopen_minutes(&sec, m).await.unwrap();
    assert_eq!(events().len(), 2);
    let approved = app.approve_minutes(&sec, m).await.unwrap();
    let hash = approved.sealed_hash.clone().expect("sealed");
    assert_eq!(events()[2], Event::MinutesApproved { meeting_id: m, title: "Members' meeting".into(), sealed_hash: hash });
    assert_conflict(app.approve_minutes(&sec, m).await);
    assert_eq!(events().len(), 3, "a refused approval says nothing");
});
