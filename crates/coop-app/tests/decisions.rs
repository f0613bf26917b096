//! Decisions through the use cases: decision classes and how they change after founding,
//! every status a proposal can reach, votes and who may cast them, the outcome summary,
//! results visibility, sealing, secret ballots (and that no row links a member to a choice),
//! decisions at a meeting, notifications and permissions. Each test runs on SQLite and, with
//! `COOP_TEST_POSTGRES_URL`, on PostgreSQL.

#[macro_use]
mod common;

use common::*;
use coop_app::decisions::{ClassChange, ClassInput, ClassView, ProposalInput, ProposalView, ResultsVisibility, VoteReceipt};
use coop_app::members::{MemberSummary, NewMember, StateInput};
use coop_app::notify::{Event, MemoryNotifier};
use coop_app::{Actor, App, AppError};
use coop_core::decision::{Choice, DecisionRule};
use coop_core::journal::sha256_hex;
use coop_core::member::{MemberState, Role};
use jiff::{SignedDuration, Timestamp};
use serde_json::{json, Value};
use std::sync::Arc;

// ---------------------------------------------------------------------------------------
// Rules used below (the contract's JSON).

/// Two-thirds of votes cast, at least half of the eligible taking part.
const TWO_THIRDS_QUORUM_HALF: &str = r#"{"kind":"vote","threshold":"2/3","strict":false,"base":"cast","quorum":"1/2"}"#;
/// More than half of votes cast, no quorum.
const MAJORITY: &str = r#"{"kind":"vote","threshold":"1/2","strict":true,"base":"cast","quorum":null}"#;
const THREE_QUARTERS: &str = r#"{"kind":"vote","threshold":"3/4","strict":false,"base":"cast","quorum":null}"#;
const CONSENSUS: &str = r#"{"kind":"consensus","max_stand_asides":null,"quorum":null,"fallback":null}"#;
const CONSENSUS_FALLBACK: &str =
    r#"{"kind":"consensus","max_stand_asides":null,"quorum":null,"fallback":{"kind":"vote","threshold":"3/4","strict":false,"base":"cast","quorum":null}}"#;
const CONSENT: &str = r#"{"kind":"consent","quorum":null}"#;
/// Two-thirds of the members present at the meeting, half of the eligible present.
const PRESENT_TWO_THIRDS: &str = r#"{"kind":"vote","threshold":"2/3","strict":false,"base":"present","quorum":"1/2"}"#;

fn rule(json: &str) -> DecisionRule {
    DecisionRule::parse_json(json).unwrap_or_else(|e| panic!("bad test rule {json}: {e}"))
}

fn class_input(name: &str, rule_json: &str, eligible: &[MemberState], results: ResultsVisibility) -> ClassInput {
    ClassInput { name: name.into(), rule: rule(rule_json), eligible: eligible.to_vec(), results, governs_rules: false }
}

/// Sets a class as the operator before founding; it must apply at once.
async fn set_class_now(app: &App, name: &str, rule_json: &str, eligible: &[MemberState], results: ResultsVisibility) -> ClassView {
    match app.set_class(&Actor::Operator, class_input(name, rule_json, eligible, results), None).await {
        Ok(ClassChange::Applied { class }) => class,
        other => panic!("set class {name}: expected Applied, got {other:?}"),
    }
}

/// A class voted on by state `member` with live results.
async fn member_class(app: &App, name: &str, rule_json: &str) -> ClassView {
    set_class_now(app, name, rule_json, &[MemberState::Member], ResultsVisibility::Live).await
}

async fn class_named(app: &App, name: &str) -> ClassView {
    app.classes(&Actor::Operator).await.unwrap().into_iter().find(|c| c.name == name).unwrap_or_else(|| panic!("no class {name}"))
}

/// `n` full members since 2026-01-05, named `{prefix} 1` .. `{prefix} n`.
async fn members_named(app: &App, prefix: &str, n: usize) -> Vec<MemberSummary> {
    let mut out = Vec::new();
    for i in 1..=n {
        let new = NewMember {
            since: Some(d("2026-01-05")),
            ..new_member(&format!("{prefix} {i}"), &format!("{}{i}@example.org", prefix.to_lowercase().replace(' ', ".")), MemberState::Member)
        };
        out.push(app.add_member(&Actor::Operator, new).await.unwrap());
    }
    out
}

fn input(class: &str, title: &str) -> ProposalInput {
    ProposalInput { class: class.into(), title: title.into(), body: "Some **Markdown**.".into(), ..ProposalInput::default() }
}

/// Opens a proposal as the operator, closing a week from now.
async fn open(app: &App, class: &str, title: &str) -> ProposalView {
    app.new_proposal(&Actor::Operator, input(class, title)).await.unwrap_or_else(|e| panic!("open {title}: {e}"))
}

/// Votes as the member themselves.
async fn cast(app: &App, proposal: i64, m: &MemberSummary, choice: &str) -> VoteReceipt {
    app.vote(&actor(m), proposal, m.id, choice, None, None).await.unwrap_or_else(|e| panic!("{} votes {choice}: {e}", m.name))
}

async fn cast_with_reason(app: &App, proposal: i64, m: &MemberSummary, choice: &str, reason: &str) -> VoteReceipt {
    app.vote(&actor(m), proposal, m.id, choice, Some(reason), None).await.unwrap_or_else(|e| panic!("{} votes {choice}: {e}", m.name))
}

async fn show(app: &App, proposal: i64) -> ProposalView {
    app.proposal(&Actor::Operator, proposal).await.unwrap()
}

fn later(hours: i64) -> Timestamp {
    start().checked_add(SignedDuration::from_hours(hours)).unwrap()
}

/// The journal entries about one proposal with this action, oldest first.
async fn entries_of(app: &App, proposal: i64, action: &str) -> Vec<coop_app::JournalEntry> {
    let subject = format!("proposal:{proposal}");
    all_entries(app).await.into_iter().filter(|e| e.action == action && e.subject == subject).collect()
}

fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Decides one proposal so the co-op is founded (its rules change only by proposal from now on).
async fn found(app: &App, class: &str, voters: &[MemberSummary]) -> ProposalView {
    let p = open(app, class, "Adopt our founding statutes").await;
    for m in voters {
        cast(app, p.id, m, "yes").await;
    }
    let p = show(app, p.id).await;
    assert_eq!(p.status, "passed", "the founding proposal passes: {:?}", p.summary);
    p
}

// ---------------------------------------------------------------------------------------
// Classes.

backend_test!(classes_apply_at_once_before_founding_and_the_first_one_governs, |app, clock| {
    assert!(app.classes(&Actor::Operator).await.unwrap().is_empty());
    let before = journal_len(&app).await;

    let general = member_class(&app, "general", TWO_THIRDS_QUORUM_HALF).await;
    assert_eq!((general.name.as_str(), general.version, general.adopted_by), ("general", 1, None));
    assert_eq!(general.rule, rule(TWO_THIRDS_QUORUM_HALF));
    assert_eq!(general.eligible, vec![MemberState::Member]);
    assert_eq!(general.results, ResultsVisibility::Live);
    assert!(general.governs_rules, "the first class governs the rules");

    let hiring = set_class_now(&app, "hiring", CONSENSUS, &[MemberState::Member, MemberState::Candidate], ResultsVisibility::AfterClose).await;
    assert_eq!(hiring.version, 1);
    assert!(!hiring.governs_rules, "only the first class governs");
    assert_eq!(hiring.eligible, vec![MemberState::Member, MemberState::Candidate]);
    assert_eq!(hiring.results, ResultsVisibility::AfterClose);

    // A second set of the same class is version 2 and applies at once (still before founding).
    let general2 = member_class(&app, "general", MAJORITY).await;
    assert_eq!((general2.version, general2.adopted_by), (2, None));
    assert_eq!(general2.rule, rule(MAJORITY));
    assert!(general2.governs_rules, "a new version keeps the governing role");

    let classes = app.classes(&Actor::Operator).await.unwrap();
    let shown: Vec<(&str, i64, bool)> = classes.iter().map(|c| (c.name.as_str(), c.version, c.governs_rules)).collect();
    assert_eq!(shown, vec![("general", 2, true), ("hiring", 1, false)]);
    let sets: Vec<(String, Value)> =
        all_entries(&app).await.into_iter().filter(|e| e.action == "class.set").map(|e| (e.subject, e.payload["version"].clone())).collect();
    assert_eq!(sets, vec![("class:general".into(), json!(1)), ("class:hiring".into(), json!(1)), ("class:general".into(), json!(2))]);
    assert_eq!(journal_len(&app).await, before + 3);

    // Marking another class moves the governing role there (and away from the first).
    let moved = ClassInput { governs_rules: true, ..class_input("hiring", CONSENSUS, &[MemberState::Member], ResultsVisibility::Live) };
    let hiring2 = match app.set_class(&Actor::Operator, moved, None).await.unwrap() {
        ClassChange::Applied { class } => class,
        other => panic!("expected Applied before founding, got {other:?}"),
    };
    assert_eq!(hiring2.version, 2);
    let governing: Vec<String> = app.classes(&Actor::Operator).await.unwrap().into_iter().filter(|c| c.governs_rules).map(|c| c.name).collect();
    assert_eq!(governing, vec!["hiring".to_string()]);

    // A proposal records the version it was opened under.
    let p = open(&app, "general", "Buy a kettle").await;
    assert_eq!((p.class.as_str(), p.class_version), ("general", 2));
    assert_eq!(p.rule, rule(MAJORITY));
});

backend_test!(a_bad_class_is_invalid_and_changes_nothing, |app, clock| {
    member_class(&app, "general", MAJORITY).await;
    let before = journal_len(&app).await;
    let classes_before: Vec<(String, i64)> = app.classes(&Actor::Operator).await.unwrap().into_iter().map(|c| (c.name, c.version)).collect();

    let r = app.set_class(&Actor::Operator, class_input("general", CONSENT, &[], ResultsVisibility::Live), None).await;
    assert_invalid(r, "eligible");
    // Departed members no longer take part; a class cannot give them a vote.
    let r =
        app.set_class(&Actor::Operator, class_input("general", CONSENT, &[MemberState::Member, MemberState::Departed], ResultsVisibility::Live), None).await;
    let msg = assert_invalid(r, "eligible");
    assert!(msg.contains("departed"), "{msg}");
    for bad in ["", "   ", "a,b", &"c".repeat(101)] {
        assert_invalid(app.set_class(&Actor::Operator, class_input(bad, CONSENT, &[MemberState::Member], ResultsVisibility::Live), None).await, "name");
    }
    assert_eq!(journal_len(&app).await, before);
    let classes_after: Vec<(String, i64)> = app.classes(&Actor::Operator).await.unwrap().into_iter().map(|c| (c.name, c.version)).collect();
    assert_eq!(classes_after, classes_before);
    assert_eq!(class_named(&app, "general").await.rule, rule(MAJORITY));

    // A proposal under a class that does not exist is refused too.
    assert_invalid(app.new_proposal(&Actor::Operator, input("nonesuch", "Anything")).await, "class");
    assert_invalid(app.new_proposal(&Actor::Operator, input("general", "   ")).await, "title");
    let past = ProposalInput { closes_at: Some(start()), ..input("general", "Already over") };
    assert_invalid(app.new_proposal(&Actor::Operator, past).await, "closes");
    assert_eq!(journal_len(&app).await, before);
    assert!(app.proposals(&Actor::Operator, None).await.unwrap().is_empty());
});

backend_test!(after_founding_a_class_change_is_a_proposal_under_the_governing_class, |app, clock| {
    member_class(&app, "general", MAJORITY).await;
    member_class(&app, "hiring", CONSENSUS).await;
    let ms = members_named(&app, "Member", 3).await;
    let founding = found(&app, "general", &ms).await;

    // After founding, set_class opens a proposal under the governing class ("general").
    let change = ClassInput { governs_rules: false, ..class_input("hiring", THREE_QUARTERS, &[MemberState::Member], ResultsVisibility::AfterVote) };
    let proposal = match app.set_class(&Actor::Operator, change, Some(later(48))).await.unwrap() {
        ClassChange::Proposed { proposal } => proposal,
        other => panic!("expected Proposed after founding, got {other:?}"),
    };
    assert_ne!(proposal.id, founding.id);
    assert_eq!((proposal.class.as_str(), proposal.class_version, proposal.status.as_str()), ("general", 1, "open"));
    assert_eq!(proposal.rule, rule(MAJORITY), "decided under the governing class's rule");
    assert_eq!(proposal.eligible, 3);
    assert_eq!(proposal.closes_at, "2026-11-30T12:00:00.000000Z");
    let amendment = proposal.amendment.clone().expect("the change it adopts");
    assert_eq!(amendment["class"], json!("hiring"));
    assert_eq!(amendment["results"], json!("after_vote"));
    assert_eq!(DecisionRule::from_value(&amendment["rule"]).unwrap(), rule(THREE_QUARTERS));

    // Nothing changes while it is open.
    let hiring = class_named(&app, "hiring").await;
    assert_eq!((hiring.version, hiring.adopted_by), (1, None));
    assert_eq!(hiring.rule, rule(CONSENSUS));
    cast(&app, proposal.id, &ms[0], "yes").await;
    cast(&app, proposal.id, &ms[1], "yes").await;
    assert_eq!(class_named(&app, "hiring").await.version, 1, "not until the proposal is decided");

    // The last vote decides it, and the class changes with it.
    let r = cast(&app, proposal.id, &ms[2], "no").await;
    assert_eq!(r.closed_with.as_deref(), Some("passed"));
    let hiring = class_named(&app, "hiring").await;
    assert_eq!((hiring.version, hiring.adopted_by), (2, Some(proposal.id)));
    assert_eq!(hiring.rule, rule(THREE_QUARTERS));
    assert_eq!(hiring.results, ResultsVisibility::AfterVote);
    assert!(!hiring.governs_rules);
    assert!(class_named(&app, "general").await.governs_rules);
    let set = all_entries(&app).await.into_iter().rfind(|e| e.action == "class.set").unwrap();
    assert_eq!((set.subject.as_str(), &set.payload["version"], &set.payload["adopted_by"]), ("class:hiring", &json!(2), &json!(proposal.id)));

    // A change that fails changes nothing.
    let change = class_input("general", CONSENT, &[MemberState::Member], ResultsVisibility::Live);
    let ClassChange::Proposed { proposal: failing } = app.set_class(&Actor::Operator, change, None).await.unwrap() else {
        panic!("expected Proposed");
    };
    for m in &ms {
        cast(&app, failing.id, m, "no").await;
    }
    assert_eq!(show(&app, failing.id).await.status, "failed");
    let general = class_named(&app, "general").await;
    assert_eq!((general.version, general.adopted_by), (1, None));
    assert_eq!(general.rule, rule(MAJORITY));

    // A bad change is still refused at once, without opening anything.
    let open_before = app.proposals(&Actor::Operator, Some(true)).await.unwrap().len();
    assert_invalid(app.set_class(&Actor::Operator, class_input("hiring", CONSENT, &[], ResultsVisibility::Live), None).await, "eligible");
    assert_eq!(app.proposals(&Actor::Operator, Some(true)).await.unwrap().len(), open_before);
    assert!(app.verify_journal(&Actor::Operator).await.unwrap().ok());
});

// ---------------------------------------------------------------------------------------
// Every status.

backend_test!(a_vote_passes_or_fails_on_its_threshold, |app, clock| {
    member_class(&app, "general", MAJORITY).await;
    let ms = members_named(&app, "Member", 4).await;

    // 2 of 4: exactly half is not more than half.
    let tie = open(&app, "general", "Paint the door red").await;
    for (m, c) in ms.iter().zip(["yes", "yes", "no", "no"]) {
        cast(&app, tie.id, m, c).await;
    }
    let tie = show(&app, tie.id).await;
    assert_eq!(tie.status, "failed");
    assert_eq!(tie.summary.as_deref(), Some("failed: 2 of 4 votes cast, more than half needed"));
    assert_eq!(tie.tally, Some(json!({"yes": 2, "no": 2, "abstain": 0})));

    // An abstention leaves the base (cast = yes + no): 2 of 3 is more than half.
    let p = open(&app, "general", "Paint the door blue").await;
    for (m, c) in ms.iter().zip(["yes", "yes", "no", "abstain"]) {
        cast(&app, p.id, m, c).await;
    }
    let p = show(&app, p.id).await;
    assert_eq!(p.status, "passed");
    assert_eq!(p.summary.as_deref(), Some("passed: 2 of 3 votes cast, more than half needed"));
    assert_eq!(p.tally, Some(json!({"yes": 2, "no": 1, "abstain": 1})));
    assert_eq!(p.round, 1);
    assert!(p.decided_at.is_some());
    assert_eq!(p.needed_to_pass, None, "nothing to show once decided");
    let listed: Vec<(i64, String)> = app.proposals(&Actor::Operator, Some(false)).await.unwrap().into_iter().map(|p| (p.id, p.status)).collect();
    assert_eq!(listed, vec![(p.id, "passed".to_string()), (tie.id, "failed".to_string())], "decided proposals, newest first");
    assert!(app.proposals(&Actor::Operator, Some(true)).await.unwrap().is_empty());
});

backend_test!(too_few_voters_by_the_deadline_is_no_quorum, |app, clock| {
    member_class(&app, "general", TWO_THIRDS_QUORUM_HALF).await;
    let ms = members_named(&app, "Member", 6).await;
    let p = app.new_proposal(&Actor::Operator, ProposalInput { closes_at: Some(later(24)), ..input("general", "Open on Sundays") }).await.unwrap();
    assert_eq!(p.eligible, 6);
    cast(&app, p.id, &ms[0], "yes").await;
    cast(&app, p.id, &ms[1], "yes").await;

    // Before the deadline the background close leaves it alone.
    clock.set(later(23));
    assert_eq!(app.close_due_proposals().await.unwrap(), Vec::<i64>::new());
    assert_eq!(show(&app, p.id).await.status, "open");

    clock.set(later(24));
    assert_eq!(app.close_due_proposals().await.unwrap(), vec![p.id]);
    let p = show(&app, p.id).await;
    assert_eq!(p.status, "no_quorum", "2 of the 3 needed took part, however they voted");
    assert_eq!(p.summary.as_deref(), Some("no quorum: 2 of 2 votes cast, two-thirds needed, quorum 3 of 6 not met (2 took part)"));
    assert_eq!(p.decided_at.as_deref(), Some("2026-11-29T12:00:00.000000Z"));
    let decided = entries_of(&app, p.id, "proposal.decided").await;
    assert_eq!(decided.len(), 1);
    assert_eq!(decided[0].actor, "system");
    assert_eq!(decided[0].payload["status"], json!("no_quorum"));
    // Closing again finds nothing to do.
    clock.set(later(48));
    assert_eq!(app.close_due_proposals().await.unwrap(), Vec::<i64>::new());
    assert_eq!(entries_of(&app, p.id, "proposal.decided").await.len(), 1);
});

backend_test!(a_consensus_block_without_fallback_is_blocked, |app, clock| {
    member_class(&app, "hiring", CONSENSUS).await;
    let ms = members_named(&app, "Member", 3).await;
    let p = open(&app, "hiring", "Hire a baker").await;
    assert_eq!(p.tally, Some(json!({"agree": 0, "stand_aside": 0, "block": 0})));
    cast(&app, p.id, &ms[0], "agree").await;
    cast(&app, p.id, &ms[1], "stand-aside").await;
    let r = cast_with_reason(&app, p.id, &ms[2], "block", "we cannot afford a fourth salary").await;
    assert_eq!(r.closed_with.as_deref(), Some("blocked"));
    let p = show(&app, p.id).await;
    assert_eq!((p.status.as_str(), p.round), ("blocked", 1));
    assert_eq!(p.tally, Some(json!({"agree": 1, "stand_aside": 1, "block": 1})));
    assert_eq!(p.summary.as_deref(), Some("blocked: 1 agree, 1 standing aside, 1 block"));
    let block = p.votes.iter().find(|v| v.member_id == ms[2].id).unwrap();
    assert_eq!((block.choice.as_str(), block.reason.as_str()), ("block", "we cannot afford a fourth salary"));
});

backend_test!(a_consensus_block_with_a_fallback_opens_a_second_round_decided_by_vote, |app, clock| {
    member_class(&app, "hiring", CONSENSUS_FALLBACK).await;
    let ms = members_named(&app, "Member", 4).await;
    let p = open(&app, "hiring", "Hire a baker").await;
    assert_eq!(p.closes_at, "2026-12-05T12:00:00.000000Z", "a week by default");
    cast(&app, p.id, &ms[0], "agree").await;
    cast(&app, p.id, &ms[1], "agree").await;
    cast(&app, p.id, &ms[2], "agree").await;
    clock.set(later(2));
    let r = cast_with_reason(&app, p.id, &ms[3], "block", "not before the ovens are paid for").await;
    assert_eq!((r.round, r.closed_with.clone()), (1, None), "a block with a fallback decides nothing yet");

    let p2 = show(&app, p.id).await;
    assert_eq!((p2.status.as_str(), p2.round), ("open", 2));
    assert_eq!(p2.closes_at, "2026-12-05T14:00:00.000000Z", "round 2 runs as long as round 1, from now");
    assert_eq!(p2.tally, Some(json!({"yes": 0, "no": 0, "abstain": 0})), "round 2 starts from nothing");
    assert_eq!(p2.turnout, 0);
    assert_eq!(p2.sealed_hash, None);
    assert_eq!(entries_of(&app, p.id, "proposal.next_round").await.len(), 1);

    // Round 2 takes the fallback's choices only.
    let before = journal_len(&app).await;
    assert_invalid(app.vote(&actor(&ms[0]), p.id, ms[0].id, "agree", None, None).await, "choice");
    assert_eq!(journal_len(&app).await, before);

    cast(&app, p.id, &ms[0], "yes").await;
    cast(&app, p.id, &ms[1], "yes").await;
    cast(&app, p.id, &ms[2], "yes").await;
    let r = cast(&app, p.id, &ms[3], "no").await;
    assert_eq!((r.round, r.closed_with.as_deref()), (2, Some("passed")));
    let p = show(&app, p.id).await;
    assert_eq!((p.status.as_str(), p.round), ("passed", 2));
    assert_eq!(p.tally, Some(json!({"yes": 3, "no": 1, "abstain": 0})));
    assert_eq!(p.summary.as_deref(), Some("passed: 3 of 4 votes cast, three-quarters needed"));
    assert!(p.sealed_hash.as_deref().is_some_and(is_hex64));
    // Both rounds' votes are kept (and sealed).
    assert_eq!(entries_of(&app, p.id, "proposal.vote").await.len(), 8);
});

backend_test!(the_fallback_vote_is_final_when_it_fails_too, |app, clock| {
    member_class(&app, "hiring", CONSENSUS_FALLBACK).await;
    let ms = members_named(&app, "Member", 4).await;
    let p = open(&app, "hiring", "Hire a baker").await;
    cast_with_reason(&app, p.id, &ms[0], "block", "no").await;
    // The secretary (here the operator) closes round 1 early: the block opens round 2.
    let p2 = app.close_proposal(&Actor::Operator, p.id).await.unwrap();
    assert_eq!((p2.status.as_str(), p2.round), ("open", 2));
    cast(&app, p.id, &ms[0], "yes").await;
    cast(&app, p.id, &ms[1], "yes").await;
    cast(&app, p.id, &ms[2], "no").await;
    let p = app.close_proposal(&Actor::Operator, p.id).await.unwrap();
    assert_eq!((p.status.as_str(), p.round), ("failed", 2), "2 of 3 is below three-quarters and there is no third round");
    assert_eq!(p.summary.as_deref(), Some("failed: 2 of 3 votes cast, three-quarters needed"));
});

backend_test!(consent_passes_unless_someone_objects, |app, clock| {
    member_class(&app, "ops", CONSENT).await;
    let ms = members_named(&app, "Member", 3).await;

    let objected = open(&app, "ops", "Move the stand-up to 9:30").await;
    cast(&app, objected.id, &ms[0], "consent").await;
    let before = journal_len(&app).await;
    assert_invalid(app.vote(&actor(&ms[1]), objected.id, ms[1].id, "object", None, None).await, "reason");
    assert_invalid(app.vote(&actor(&ms[1]), objected.id, ms[1].id, "object", Some("   "), None).await, "reason");
    assert_invalid(app.vote(&actor(&ms[1]), objected.id, ms[1].id, "yes", None, None).await, "choice");
    assert_eq!(journal_len(&app).await, before);
    cast_with_reason(&app, objected.id, &ms[1], "object", "I drop my child at school then").await;
    let r = cast(&app, objected.id, &ms[2], "consent").await;
    assert_eq!(r.closed_with.as_deref(), Some("blocked"));
    let objected = show(&app, objected.id).await;
    assert_eq!(objected.status, "blocked");
    assert_eq!(objected.tally, Some(json!({"consent": 2, "object": 1})));
    assert_eq!(objected.summary.as_deref(), Some("blocked: 2 consent, 1 objection"));

    // Silence is consent: one consent and a close passes it.
    let quiet = open(&app, "ops", "Order more coffee").await;
    cast(&app, quiet.id, &ms[0], "consent").await;
    let quiet = app.close_proposal(&Actor::Operator, quiet.id).await.unwrap();
    assert_eq!(quiet.status, "passed");
    assert_eq!(quiet.summary.as_deref(), Some("passed: 1 consent, 0 objections"));
});

// ---------------------------------------------------------------------------------------
// Votes.

backend_test!(a_second_vote_by_the_same_member_replaces_the_first, |app, clock| {
    member_class(&app, "general", MAJORITY).await;
    let ms = members_named(&app, "Member", 3).await;
    let p = open(&app, "general", "Buy a van").await;

    let first = cast(&app, p.id, &ms[0], "yes").await;
    assert!(!first.replaced);
    clock.set(later(1));
    let second = app.vote(&actor(&ms[0]), p.id, ms[0].id, "no", Some("on reflection, too dear"), None).await.unwrap();
    assert!(second.replaced);
    assert_eq!(second.closed_with, None);

    let view = app.proposal(&actor(&ms[0]), p.id).await.unwrap();
    assert_eq!(view.tally, Some(json!({"yes": 0, "no": 1, "abstain": 0})), "counted once, as the later choice");
    assert_eq!(view.turnout, 1);
    assert_eq!(view.my_vote.as_deref(), Some("no"));
    assert_eq!(view.votes.len(), 1);
    assert_eq!(
        (view.votes[0].member_id, view.votes[0].choice.as_str(), view.votes[0].reason.as_str(), view.votes[0].cast_at.as_str()),
        (ms[0].id, "no", "on reflection, too dear", "2026-11-28T13:00:00.000000Z")
    );
    // The journal keeps both.
    let journaled: Vec<(Value, Value, String)> =
        entries_of(&app, p.id, "proposal.vote").await.into_iter().map(|e| (e.payload["voter"].clone(), e.payload["choice"].clone(), e.actor)).collect();
    let who = format!("member:{}", ms[0].id);
    assert_eq!(journaled, vec![(json!(ms[0].id), json!("yes"), who.clone()), (json!(ms[0].id), json!("no"), who)]);

    // Everyone else voting closes it with the replaced vote counted once: 2 yes, 1 no.
    cast(&app, p.id, &ms[1], "yes").await;
    let r = cast(&app, p.id, &ms[2], "yes").await;
    assert_eq!(r.closed_with.as_deref(), Some("passed"));
    assert_eq!(show(&app, p.id).await.tally, Some(json!({"yes": 2, "no": 1, "abstain": 0})));
});

backend_test!(a_vote_after_the_deadline_is_refused_and_changes_nothing, |app, clock| {
    member_class(&app, "general", MAJORITY).await;
    let ms = members_named(&app, "Member", 3).await;
    let p = app.new_proposal(&Actor::Operator, ProposalInput { closes_at: Some(later(1)), ..input("general", "Buy a van") }).await.unwrap();
    cast(&app, p.id, &ms[0], "yes").await;

    clock.set(later(1)); // the deadline itself is too late
    let before = journal_len(&app).await;
    let r = app.vote(&actor(&ms[1]), p.id, ms[1].id, "no", None, None).await;
    assert_conflict(r);
    let r = app.vote(&actor(&ms[0]), p.id, ms[0].id, "no", None, None).await;
    assert_conflict(r);
    assert_eq!(journal_len(&app).await, before);
    let view = show(&app, p.id).await;
    assert_eq!(view.status, "open", "not closed until the background task runs");
    assert_eq!(view.tally, Some(json!({"yes": 1, "no": 0, "abstain": 0})));
    assert_eq!(view.turnout, 1);

    assert_eq!(app.close_due_proposals().await.unwrap(), vec![p.id]);
    assert_eq!(show(&app, p.id).await.status, "passed");
    // A decided proposal refuses votes too, and closing it again is a conflict.
    let before = journal_len(&app).await;
    assert_conflict(app.vote(&actor(&ms[2]), p.id, ms[2].id, "no", None, None).await);
    assert_conflict(app.close_proposal(&Actor::Operator, p.id).await);
    assert_eq!(journal_len(&app).await, before);
    assert!(matches!(app.vote(&actor(&ms[2]), 9999, ms[2].id, "no", None, None).await, Err(AppError::NotFound(_))));
});

backend_test!(a_candidate_does_not_vote_on_a_class_for_members, |app, clock| {
    member_class(&app, "general", MAJORITY).await;
    set_class_now(&app, "rota", MAJORITY, &[MemberState::Member, MemberState::Candidate], ResultsVisibility::Live).await;
    let ms = members_named(&app, "Member", 2).await;
    let cal = add(&app, "Cal Candidate", "cal@example.org", MemberState::Candidate).await;

    let p = open(&app, "general", "Raise the wage floor").await;
    assert_eq!(p.eligible, 2);
    let before = journal_len(&app).await;
    let err = app.vote(&actor(&cal), p.id, cal.id, "yes", None, None).await.unwrap_err();
    match &err {
        AppError::Forbidden(msg) => assert!(msg.contains("candidates do not vote"), "{msg}"),
        other => panic!("expected Forbidden, got {other:?}"),
    }
    // The operator cannot enter it on their behalf either.
    assert!(matches!(app.vote(&Actor::Operator, p.id, cal.id, "yes", None, None).await, Err(AppError::Forbidden(_))));
    assert_eq!(journal_len(&app).await, before);
    assert_eq!(show(&app, p.id).await.turnout, 0);

    // A class that admits candidates counts them.
    let rota = open(&app, "rota", "Swap the Friday shift").await;
    assert_eq!(rota.eligible, 3);
    cast(&app, rota.id, &cal, "yes").await;
    assert_eq!(show(&app, rota.id).await.tally, Some(json!({"yes": 1, "no": 0, "abstain": 0})));
    let _ = ms;
});

backend_test!(members_vote_for_themselves_and_the_operator_for_anyone, |app, clock| {
    member_class(&app, "general", MAJORITY).await;
    let ms = members_named(&app, "Member", 3).await;
    let p = open(&app, "general", "Buy a van").await;
    let before = journal_len(&app).await;

    assert_forbidden(app.vote(&actor(&ms[0]), p.id, ms[1].id, "yes", None, None).await);
    assert_forbidden(app.vote(&Actor::System, p.id, ms[1].id, "yes", None, None).await);
    assert_eq!(journal_len(&app).await, before);
    assert_eq!(show(&app, p.id).await.turnout, 0);

    // A paper ballot entered from the command line.
    let r = app.vote(&Actor::Operator, p.id, ms[1].id, "no", None, None).await.unwrap();
    assert!(!r.replaced);
    let view = show(&app, p.id).await;
    let votes: Vec<(i64, &str)> = view.votes.iter().map(|v| (v.member_id, v.choice.as_str())).collect();
    assert_eq!(votes, vec![(ms[1].id, "no")]);
    let e = entries_of(&app, p.id, "proposal.vote").await.pop().unwrap();
    assert_eq!((e.actor.as_str(), &e.payload["voter"]), ("cli", &json!(ms[1].id)));
    // Someone who was never eligible is refused with a reason.
    let r = app.vote(&Actor::Operator, p.id, 9999, "no", None, None).await;
    assert!(matches!(r, Err(AppError::Forbidden(_))), "{r:?}");
});

backend_test!(a_block_or_objection_needs_a_reason_and_choices_belong_to_the_rule, |app, clock| {
    member_class(&app, "hiring", CONSENSUS).await;
    member_class(&app, "general", MAJORITY).await;
    let ms = members_named(&app, "Member", 2).await;
    let p = open(&app, "hiring", "Hire a baker").await;
    let v = open(&app, "general", "Buy flour").await;
    let before = journal_len(&app).await;

    let msg = assert_invalid(app.vote(&actor(&ms[0]), p.id, ms[0].id, "block", None, None).await, "reason");
    assert!(msg.contains("block needs a reason"), "{msg}");
    assert_invalid(app.vote(&actor(&ms[0]), p.id, ms[0].id, "block", Some(" \n "), None).await, "reason");
    assert_invalid(app.vote(&actor(&ms[0]), p.id, ms[0].id, "yes", None, None).await, "choice");
    assert_invalid(app.vote(&actor(&ms[0]), p.id, ms[0].id, "maybe", None, None).await, "choice");
    // A block is not a choice in a vote at all: that is about the choice, not a missing reason.
    let msg = assert_invalid(app.vote(&actor(&ms[0]), v.id, ms[0].id, "block", None, None).await, "choice");
    assert!(msg.contains("not a choice"), "{msg}");
    assert_eq!(journal_len(&app).await, before);
    assert_eq!(show(&app, p.id).await.turnout, 0);
});

backend_test!(everyone_eligible_having_voted_closes_early, |app, clock| {
    member_class(&app, "general", MAJORITY).await;
    let ms = members_named(&app, "Member", 3).await;
    let p = open(&app, "general", "Buy a van").await;
    assert_eq!(cast(&app, p.id, &ms[0], "yes").await.closed_with, None);
    assert_eq!(cast(&app, p.id, &ms[1], "no").await.closed_with, None);
    let mid = show(&app, p.id).await;
    assert_eq!((mid.status.as_str(), mid.decided_at.clone(), mid.sealed_hash.clone()), ("open", None, None));

    clock.set(later(5));
    let r = cast(&app, p.id, &ms[2], "yes").await;
    assert_eq!(r.closed_with.as_deref(), Some("passed"));
    let p = show(&app, p.id).await;
    assert_eq!(p.status, "passed");
    assert_eq!(p.decided_at.as_deref(), Some("2026-11-28T17:00:00.000000Z"), "decided with the last vote, days before the deadline");
    assert_eq!(p.closes_at, "2026-12-05T12:00:00.000000Z");
    assert_eq!(p.summary.as_deref(), Some("passed: 2 of 3 votes cast, more than half needed"));
    // The decision is attributed to the vote that completed it.
    let decided = entries_of(&app, p.id, "proposal.decided").await;
    assert_eq!(decided.len(), 1);
    assert_eq!(decided[0].actor, format!("member:{}", ms[2].id));
    // Decided: no more votes, and the deadline task has nothing to do.
    assert_conflict(app.vote(&actor(&ms[2]), p.id, ms[2].id, "no", None, None).await);
    clock.set(later(24 * 8));
    assert_eq!(app.close_due_proposals().await.unwrap(), Vec::<i64>::new());
});

backend_test!(eligibility_is_fixed_when_voting_opens, |app, clock| {
    member_class(&app, "general", MAJORITY).await;
    let admin = admin(&app).await.1;
    let ms = members_named(&app, "Member", 2).await;
    let cal = add(&app, "Cal Candidate", "cal@example.org", MemberState::Candidate).await;
    let p = open(&app, "general", "Buy a van").await;
    assert_eq!(p.eligible, 3, "Ada and the two members; not the candidate");

    // Admitted after voting opened: a member now, but not eligible for this proposal.
    let newcomer = add(&app, "Nia Newcomer", "nia@example.org", MemberState::Member).await;
    let before = journal_len(&app).await;
    match app.vote(&actor(&newcomer), p.id, newcomer.id, "yes", None, None).await {
        Err(AppError::Forbidden(msg)) => {
            assert!(msg.contains("when voting opened"), "{msg}");
            assert!(!msg.contains("members do not vote"), "a member is told the real reason: {msg}");
        }
        other => panic!("expected Forbidden, got {other:?}"),
    }
    // The candidate made a member the next day still votes as what they were at opening.
    clock.set(later(24));
    let cal =
        app.change_state(&admin, cal.id, StateInput { state: MemberState::Member, on: None, note: String::new(), planned_end: None }).await.unwrap().summary;
    assert_eq!(cal.state, Some(MemberState::Member));
    match app.vote(&actor(&cal), p.id, cal.id, "yes", None, None).await {
        Err(AppError::Forbidden(msg)) => assert!(msg.contains("candidates do not vote"), "{msg}"),
        other => panic!("expected Forbidden, got {other:?}"),
    }
    assert_eq!(journal_len(&app).await, before + 2, "only the state change (and its seal) was written");

    // And a member who goes on leave after opening keeps the vote they had.
    let on_leave =
        app.change_state(&admin, ms[1].id, StateInput { state: MemberState::OnLeave, on: None, note: String::new(), planned_end: None }).await.unwrap().summary;
    cast(&app, p.id, &on_leave, "yes").await;
    let view = show(&app, p.id).await;
    assert_eq!((view.eligible, view.turnout), (3, 1));
    // A proposal opened now sees today's states.
    assert_eq!(open(&app, "general", "Buy a second van").await.eligible, 4, "Ada, member 1, Cal and Nia");
});

// ---------------------------------------------------------------------------------------
// The outcome and what it takes to pass.

backend_test!(the_outcome_summary_quotes_the_numbers_and_the_rule, |app, clock| {
    member_class(&app, "general", TWO_THIRDS_QUORUM_HALF).await;
    let ms = members_named(&app, "Member", 6).await;
    let p = open(&app, "general", "Adopt the four-day week").await;
    assert_eq!(p.eligible, 6);
    assert_eq!(p.needed_to_pass, Some(3), "three yes votes would make two-thirds and the quorum of 3");
    assert_eq!(p.summary.as_deref(), Some("no quorum: 0 of 0 votes cast, two-thirds needed, quorum 3 of 6 not met (0 took part)"));

    cast(&app, p.id, &ms[0], "yes").await;
    cast(&app, p.id, &ms[1], "no").await;
    let v = show(&app, p.id).await;
    assert_eq!(v.needed_to_pass, Some(1), "(1+1)/(2+1) is two-thirds and 3 took part");
    assert_eq!(v.summary.as_deref(), Some("no quorum: 1 of 2 votes cast, two-thirds needed, quorum 3 of 6 not met (2 took part)"));
    cast(&app, p.id, &ms[2], "no").await;
    assert_eq!(show(&app, p.id).await.needed_to_pass, Some(3), "(1+3)/(3+3) is two-thirds, with all 3 remaining");
    // Changing minds: with 3 no of 4 cast, the 2 remaining could not carry it.
    cast(&app, p.id, &ms[3], "no").await;
    assert_eq!(show(&app, p.id).await.needed_to_pass, None);
    for m in &ms[1..4] {
        cast(&app, p.id, m, "yes").await;
    }
    let v = show(&app, p.id).await;
    assert_eq!(v.needed_to_pass, Some(0), "4 of 4 passes now");
    assert_eq!(v.summary.as_deref(), Some("passed: 4 of 4 votes cast, two-thirds needed, quorum 3 of 6 met"));

    cast(&app, p.id, &ms[4], "no").await;
    let closed = app.close_proposal(&Actor::Operator, p.id).await.unwrap();
    assert_eq!(closed.status, "passed");
    assert_eq!(closed.summary.as_deref(), Some("passed: 4 of 5 votes cast, two-thirds needed, quorum 3 of 6 met"));
    assert_eq!(closed.tally, Some(json!({"yes": 4, "no": 1, "abstain": 0})));
    let e = closed.evaluation.clone().unwrap();
    assert_eq!(
        (&e["outcome"], &e["participation"], &e["eligible"], &e["quorum_needed"], &e["needed"]),
        (&json!("passed"), &json!(5), &json!(6), &json!(3), &json!(4))
    );
    assert_eq!(
        e["explanation"],
        json!({"kind": "vote", "yes": 4, "no": 1, "abstain": 0, "base": "cast", "base_count": 5, "threshold": "2/3", "strict": false})
    );
    assert_eq!(closed.needed_to_pass, None);
    let decided = entries_of(&app, p.id, "proposal.decided").await;
    assert_eq!(decided[0].payload, json!({"status": "passed", "summary": "passed: 4 of 5 votes cast, two-thirds needed, quorum 3 of 6 met"}));
});

// ---------------------------------------------------------------------------------------
// Who sees the results when.

backend_test!(results_after_vote_are_hidden_until_the_viewer_has_voted, |app, clock| {
    set_class_now(&app, "general", MAJORITY, &[MemberState::Member], ResultsVisibility::AfterVote).await;
    let ms = members_named(&app, "Member", 3).await;
    let p = open(&app, "general", "Buy a van").await;
    cast(&app, p.id, &ms[0], "yes").await;

    let hidden = app.proposal(&actor(&ms[1]), p.id).await.unwrap();
    assert!(hidden.results_hidden);
    assert_eq!((hidden.tally.clone(), hidden.summary.clone(), hidden.evaluation.clone(), hidden.needed_to_pass), (None, None, None, None));
    assert!(hidden.votes.is_empty(), "who voted what is part of the results");
    assert_eq!(hidden.turnout, 1, "turnout is shown");

    let voter = app.proposal(&actor(&ms[0]), p.id).await.unwrap();
    assert!(!voter.results_hidden);
    assert_eq!(voter.tally, Some(json!({"yes": 1, "no": 0, "abstain": 0})));
    assert_eq!(voter.votes.len(), 1);
    let operator = show(&app, p.id).await;
    assert!(!operator.results_hidden);
    assert_eq!(operator.tally, Some(json!({"yes": 1, "no": 0, "abstain": 0})));
    // The proposal list hides the same way.
    let listed = app.proposals(&actor(&ms[1]), Some(true)).await.unwrap();
    assert_eq!((listed.len(), listed[0].tally.clone()), (1, None));

    cast(&app, p.id, &ms[1], "no").await;
    let now_voted = app.proposal(&actor(&ms[1]), p.id).await.unwrap();
    assert!(!now_voted.results_hidden);
    assert_eq!(now_voted.tally, Some(json!({"yes": 1, "no": 1, "abstain": 0})));
    assert_eq!(now_voted.my_vote.as_deref(), Some("no"));
    assert!(app.proposal(&actor(&ms[2]), p.id).await.unwrap().results_hidden);
});

backend_test!(results_after_close_are_hidden_until_decided, |app, clock| {
    set_class_now(&app, "general", MAJORITY, &[MemberState::Member], ResultsVisibility::AfterClose).await;
    let ms = members_named(&app, "Member", 3).await;
    let p = open(&app, "general", "Buy a van").await;
    cast(&app, p.id, &ms[0], "yes").await;
    cast(&app, p.id, &ms[1], "yes").await;
    for m in &ms {
        let v = app.proposal(&actor(m), p.id).await.unwrap();
        assert!(v.results_hidden, "hidden from {} even after voting", m.name);
        assert_eq!((v.tally, v.summary, v.needed_to_pass), (None, None, None));
        assert!(v.votes.is_empty());
    }
    // The voter still sees their own vote.
    assert_eq!(app.proposal(&actor(&ms[0]), p.id).await.unwrap().my_vote.as_deref(), Some("yes"));
    let operator = show(&app, p.id).await;
    assert!(!operator.results_hidden);
    assert_eq!(operator.tally, Some(json!({"yes": 2, "no": 0, "abstain": 0})));

    app.close_proposal(&Actor::Operator, p.id).await.unwrap();
    let decided = app.proposal(&actor(&ms[2]), p.id).await.unwrap();
    assert!(!decided.results_hidden);
    assert_eq!(decided.status, "passed");
    assert_eq!(decided.tally, Some(json!({"yes": 2, "no": 0, "abstain": 0})));
    assert_eq!(decided.summary.as_deref(), Some("passed: 2 of 2 votes cast, more than half needed"));
    assert_eq!(decided.votes.len(), 2);
});

// ---------------------------------------------------------------------------------------
// Sealing.

backend_test!(a_decided_proposal_is_sealed_and_an_edited_vote_breaks_the_seal, |app, clock, db| {
    member_class(&app, "general", MAJORITY).await;
    let ms = members_named(&app, "Member", 3).await;
    let p = open(&app, "general", "Buy a van").await;
    assert_eq!(p.sealed_hash, None);
    app.comment(&actor(&ms[0]), p.id, "Which van?").await.unwrap();
    cast(&app, p.id, &ms[0], "yes").await;
    cast(&app, p.id, &ms[1], "yes").await;
    cast(&app, p.id, &ms[2], "no").await;
    let p = show(&app, p.id).await;
    let hash = p.sealed_hash.clone().expect("a decided proposal is sealed");
    assert!(is_hex64(&hash), "{hash}");
    let seals: Vec<coop_app::JournalEntry> =
        all_entries(&app).await.into_iter().filter(|e| e.action == "record.seal" && e.subject == format!("proposal:{}", p.id)).collect();
    assert_eq!(seals.len(), 1);
    assert_eq!(seals[0].payload["content_hash"], json!(hash));
    let report = app.verify_journal(&Actor::Operator).await.unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(p.comments.len(), 1);
    assert_conflict(app.comment(&actor(&ms[0]), p.id, "Too late").await);

    // Turn the no into a yes behind the application's back.
    db.exec(&format!("UPDATE votes SET choice = 'yes' WHERE proposal_id = {} AND member_id = {}", p.id, ms[2].id));
    assert_eq!(show(&app, p.id).await.tally, Some(json!({"yes": 3, "no": 0, "abstain": 0})), "the edit is in the table");
    let report = app.verify_journal(&Actor::Operator).await.unwrap();
    let fault = report.fault.clone().expect("verify reports the edited vote");
    assert!(fault.contains(&format!("seal in journal entry {}", seals[0].seq)), "{fault}");
    assert!(fault.contains(&format!("proposal {} was changed", p.id)), "{fault}");
});

// ---------------------------------------------------------------------------------------
// Secret ballots.

async fn secret_proposal(app: &App, class: &str, title: &str) -> ProposalView {
    let p = app.new_proposal(&Actor::Operator, ProposalInput { secret: true, ..input(class, title) }).await.unwrap();
    assert!(p.secret);
    p
}

backend_test!(a_secret_ballot_gives_a_receipt_that_changes_and_finds_it, |app, clock, db| {
    member_class(&app, "general", MAJORITY).await;
    let ms = members_named(&app, "Member", 3).await;
    let p = secret_proposal(&app, "general", "Elect the treasurer's deputy").await;

    let r0 = cast(&app, p.id, &ms[0], "yes").await;
    let receipt0 = r0.receipt.clone().expect("a secret vote returns a receipt");
    assert_eq!(receipt0.len(), 32);
    assert!(!r0.replaced);
    // Voting again without the receipt is refused and changes nothing.
    let before = journal_len(&app).await;
    assert_conflict(app.vote(&actor(&ms[0]), p.id, ms[0].id, "no", None, None).await);
    assert_invalid(app.vote(&actor(&ms[0]), p.id, ms[0].id, "no", None, Some("not-my-receipt")).await, "receipt");
    assert_eq!(journal_len(&app).await, before);
    assert_eq!(show(&app, p.id).await.tally, Some(json!({"yes": 1, "no": 0, "abstain": 0})));

    // With the receipt the choice is replaced, still counted once.
    let changed = app.vote(&actor(&ms[0]), p.id, ms[0].id, "no", None, Some(&receipt0)).await.unwrap();
    assert!(changed.replaced);
    assert_eq!(changed.receipt, None, "the receipt stays the same");
    let v = show(&app, p.id).await;
    assert_eq!(v.tally, Some(json!({"yes": 0, "no": 1, "abstain": 0})));
    assert_eq!(v.turnout, 1);
    assert!(v.votes.is_empty() && v.ballots.is_empty(), "no open votes, and ballots only after close");
    assert_eq!(app.proposal(&actor(&ms[0]), p.id).await.unwrap().my_vote, None, "a secret vote is not shown back");
    assert_eq!(db.count(&format!("SELECT COUNT(*) FROM votes WHERE proposal_id = {}", p.id)), 0);

    let receipt1 = cast(&app, p.id, &ms[1], "yes").await.receipt.unwrap();
    let r2 = cast(&app, p.id, &ms[2], "yes").await;
    let receipt2 = r2.receipt.clone().unwrap();
    assert_eq!(r2.closed_with.as_deref(), Some("passed"));
    assert!(receipt0 != receipt1 && receipt1 != receipt2 && receipt0 != receipt2);

    let p = show(&app, p.id).await;
    assert_eq!(p.tally, Some(json!({"yes": 2, "no": 1, "abstain": 0})));
    assert_eq!(p.ballots.len(), 3);
    let mut published: Vec<(String, String)> = p.ballots.iter().map(|b| (b.receipt_hash.clone(), b.choice.clone())).collect();
    published.sort();
    let mut expected = vec![
        (sha256_hex(receipt0.as_bytes()), "no".to_string()),
        (sha256_hex(receipt1.as_bytes()), "yes".into()),
        (sha256_hex(receipt2.as_bytes()), "yes".into()),
    ];
    expected.sort();
    assert_eq!(published, expected, "each ballot is listed with the hash of its receipt");
    let mut ids: Vec<&str> = p.ballots.iter().map(|b| b.id.as_str()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "listed in the order of their random ids");
    ids.dedup();
    assert_eq!(ids.len(), 3);
    assert!(p.ballots.iter().all(|b| b.round == 1));

    let mine = app.find_ballot(&actor(&ms[0]), p.id, &format!("  {receipt0} ")).await.unwrap().expect("the receipt finds the ballot");
    assert_eq!((mine.choice.as_str(), mine.receipt_hash.clone()), ("no", sha256_hex(receipt0.as_bytes())));
    assert_eq!(app.find_ballot(&actor(&ms[0]), p.id, "0123456789abcdef0123456789abcdef").await.unwrap().map(|b| b.id), None);
    assert!(p.sealed_hash.is_some());
    assert!(app.verify_journal(&Actor::Operator).await.unwrap().ok());
});

/// Whether `hay` contains `needle` not directly followed by a digit (so "member:1" is not
/// found in "member:12").
fn contains_token(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(i, _)| !hay[i + needle.len()..].starts_with(|c: char| c.is_ascii_digit()))
}

/// Whether `hay` holds `"choice"` as a JSON value (not as a key, as in a tally `{"yes":2}`).
fn holds_quoted_value(hay: &str, choice: &str) -> bool {
    let quoted = format!("\"{choice}\"");
    hay.match_indices(&quoted).any(|(i, _)| !hay[i + quoted.len()..].trim_start().starts_with(':'))
}

fn cell_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// A cell names the member: it is their id, or it mentions them as the journal and JSON do.
fn names_member(cell: &str, m: &MemberSummary) -> bool {
    let id = m.id.to_string();
    cell == id
        || contains_token(cell, &format!("member:{id}"))
        || contains_token(cell, &format!("\"voter\":{id}"))
        || contains_token(cell, &format!("\"member\":{id}"))
        || contains_token(cell, &format!("\"member_id\":{id}"))
        || cell.contains(&m.email)
        || cell.contains(&m.name)
}

fn holds_choice(cell: &str, choice: &str) -> bool {
    cell == choice || holds_quoted_value(cell, choice)
}

/// Every row, of every table, in which one cell names the member and one holds the choice;
/// plus how many rows name the member and how many hold the choice at all.
fn rows_linking(db: &TestDb, m: &MemberSummary, choice: &str) -> (Vec<String>, usize, usize) {
    let (mut linking, mut naming, mut holding) = (Vec::new(), 0, 0);
    for table in db.tables() {
        for row in db.rows(&table) {
            let cells: Vec<String> = row.values().filter_map(cell_text).collect();
            let n = cells.iter().any(|c| names_member(c, m));
            let h = cells.iter().any(|c| holds_choice(c, choice));
            naming += n as usize;
            holding += h as usize;
            if n && h {
                linking.push(format!("{table}: {}", Value::Object(row)));
            }
        }
    }
    (linking, naming, holding)
}

backend_test!(after_a_secret_vote_no_row_anywhere_links_the_member_and_the_choice, |app, clock, db| {
    member_class(&app, "general", MAJORITY).await;
    // Fillers first, so that the voters' ids stand apart from the small numbers (proposal
    // ids, rounds) that share rows with a choice.
    let fillers = members_named(&app, "Filler", 3).await;
    let voters = members_named(&app, "Vera Voter", 3).await;
    let p = secret_proposal(&app, "general", "Choose the new bank").await;
    let ballots = [(&voters[0], "yes"), (&voters[1], "no"), (&voters[2], "abstain")];
    assert!(
        voters.iter().all(|v| v.id > p.id + 1 && v.id > 1),
        "voter ids {:?} must differ from proposal ids and rounds",
        voters.iter().map(|v| v.id).collect::<Vec<_>>()
    );

    let mut receipts = Vec::new();
    for (m, choice) in ballots {
        receipts.push(cast(&app, p.id, m, choice).await.receipt.unwrap());
    }
    // Change one ballot with its receipt: the replaced choice must not leak either.
    app.vote(&actor(&voters[0]), p.id, voters[0].id, "abstain", None, Some(&receipts[0])).await.unwrap();
    app.vote(&actor(&voters[0]), p.id, voters[0].id, "yes", None, Some(&receipts[0])).await.unwrap();

    let check = |when: &str| {
        for (m, choice) in ballots {
            let (linking, naming, holding) = rows_linking(&db, m, choice);
            assert!(linking.is_empty(), "{when}: rows linking {} to {choice:?}:\n{}", m.name, linking.join("\n"));
            assert!(naming > 0 && holding > 0, "{when}: the scan sees {} ({naming} rows) and {choice:?} ({holding} rows)", m.name);
        }
    };
    check("while open");
    let tables = db.tables();
    for t in ["secret_ballots", "turnout", "journal", "proposals", "members"] {
        assert!(tables.iter().any(|x| x == t || x.ends_with(&format!(".{t}"))), "the scan covers {t}: {tables:?}");
    }

    // The journal says who voted, never what.
    let secret_entries = entries_of(&app, p.id, "proposal.secret_vote").await;
    assert_eq!(secret_entries.len(), 3);
    for e in &secret_entries {
        assert_eq!(e.payload.get("choice"), None, "{:?}", e.payload);
        for choice in ["yes", "no", "abstain"] {
            assert!(!holds_quoted_value(&e.payload.to_string(), choice), "{:?}", e.payload);
        }
    }
    let changed = entries_of(&app, p.id, "proposal.secret_ballot_changed").await;
    assert_eq!(changed.len(), 2);
    assert!(changed.iter().all(|e| e.payload == json!({"round": 1})), "{:?}", changed.iter().map(|e| &e.payload).collect::<Vec<_>>());
    if !db.is_postgres() {
        // No rowid to betray the order of insertion.
        let sql = db.exec("SELECT sql FROM sqlite_master WHERE name = 'secret_ballots'");
        assert!(sql.contains("WITHOUT ROWID"), "{sql}");
    }

    // After the close (with the sealed record and the published ballots) still nothing links them.
    let closed = app.close_proposal(&Actor::Operator, p.id).await.unwrap();
    assert_eq!(closed.tally, Some(json!({"yes": 1, "no": 1, "abstain": 1})));
    assert_eq!(closed.status, "failed", "1 of 2 cast is not more than half");
    check("after close");

    // The scan is not blind: an open vote by the same member is found at once.
    let open_p = open(&app, "general", "Open question").await;
    cast(&app, open_p.id, &voters[2], "abstain").await;
    let (linking, _, _) = rows_linking(&db, &voters[2], "abstain");
    assert!(linking.iter().any(|r| r.starts_with("votes") || r.contains(".votes")), "{linking:?}");
    assert!(linking.iter().any(|r| r.contains("journal")), "{linking:?}");
    let _ = fillers;
});

// ---------------------------------------------------------------------------------------
// Decisions at a meeting.

backend_test!(a_show_of_hands_at_a_meeting_counts_those_present, |app, clock, db| {
    member_class(&app, "assembly", PRESENT_TWO_THIRDS).await;
    let sec = app
        .add_member(&Actor::Operator, NewMember { roles: vec![Role::Secretary], ..new_member("Sam Secretary", "sam@example.org", MemberState::Member) })
        .await
        .unwrap();
    let secretary = actor(&sec);
    let ms = members_named(&app, "Member", 5).await;
    let at = later(24);
    let meeting = app.new_meeting(&secretary, "General assembly", "general", at, 90).await.unwrap();
    assert_invalid(app.new_meeting(&secretary, "Coffee", "party", at, 90).await, "kind");
    assert_invalid(app.new_meeting(&secretary, "Coffee", "general", at, 2).await, "minutes_long");

    app.attend(&secretary, meeting, sec.id, "present").await.unwrap();
    app.attend(&secretary, meeting, ms[0].id, "present").await.unwrap();
    app.attend(&secretary, meeting, ms[1].id, "remote").await.unwrap();
    app.attend(&secretary, meeting, ms[2].id, "present").await.unwrap();
    app.attend(&secretary, meeting, ms[2].id, "absent").await.unwrap(); // corrected: replaces
    app.attend(&secretary, meeting, ms[3].id, "excused").await.unwrap();
    assert_invalid(app.attend(&secretary, meeting, ms[4].id, "late").await, "as");
    assert_eq!(app.attendance_counts(&Actor::Operator, meeting).await.unwrap(), [2, 1, 1, 1]);

    let p = app.new_proposal(&Actor::Operator, ProposalInput { meeting_id: Some(meeting), ..input("assembly", "Adopt the budget") }).await.unwrap();
    assert_eq!((p.meeting_id, p.eligible), (Some(meeting), 6));
    assert_eq!(p.closes_at, "2026-11-29T13:30:00.000000Z", "at the end of the meeting");
    let secret_at_meeting = ProposalInput { meeting_id: Some(meeting), secret: true, ..input("assembly", "Secret hands") };
    assert_invalid(app.new_proposal(&Actor::Operator, secret_at_meeting).await, "secret");

    // Members do not vote on it one by one, and it cannot be closed without the count.
    assert_conflict(app.vote(&actor(&ms[0]), p.id, ms[0].id, "yes", None, None).await);
    assert_conflict(app.close_proposal(&secretary, p.id).await);

    // More hands than members present (2 present + 1 remote) is refused, and nothing changes.
    let before = journal_len(&app).await;
    let msg = assert_invalid(app.count_hands(&secretary, p.id, &[(Choice::Yes, 3), (Choice::No, 1)]).await, "counts");
    assert!(msg.contains("only 3 members are recorded present"), "{msg}");
    assert_invalid(app.count_hands(&secretary, p.id, &[(Choice::Agree, 1)]).await, "counts");
    assert_eq!(journal_len(&app).await, before);
    let still = show(&app, p.id).await;
    assert_eq!((still.status.as_str(), still.tally.clone()), ("open", Some(json!({"yes": 0, "no": 0, "abstain": 0}))));
    assert_eq!(db.count(&format!("SELECT COUNT(*) FROM proposals WHERE id = {} AND hand_count_json IS NULL", p.id)), 1);

    // A valid count decides at once: 2 of the 3 present (remote counts; absent and excused do not).
    let decided = app.count_hands(&secretary, p.id, &[(Choice::Yes, 2), (Choice::No, 1), (Choice::Abstain, 0)]).await.unwrap();
    assert_eq!(decided.status, "passed");
    assert_eq!(decided.tally, Some(json!({"yes": 2, "no": 1, "abstain": 0})));
    assert_eq!(decided.summary.as_deref(), Some("passed: 2 of 3 members present, two-thirds needed, quorum 3 of 6 met"));
    assert!(decided.sealed_hash.is_some());
    assert_eq!(entries_of(&app, p.id, "proposal.hands").await[0].payload["present"], json!(3));
    assert_conflict(app.count_hands(&secretary, p.id, &[(Choice::Yes, 3)]).await);

    // Abstaining hands weigh against under base present: 1 yes of 3 present fails.
    let q = app.new_proposal(&Actor::Operator, ProposalInput { meeting_id: Some(meeting), ..input("assembly", "Rename the co-op") }).await.unwrap();
    let q = app.count_hands(&secretary, q.id, &[(Choice::Yes, 1), (Choice::Abstain, 2)]).await.unwrap();
    assert_eq!(q.status, "failed");
    assert_eq!(q.summary.as_deref(), Some("failed: 1 of 3 members present, two-thirds needed, quorum 3 of 6 met"));

    // Too few present is no quorum, whatever the hands say.
    let small = app.new_meeting(&secretary, "Small meeting", "production", later(48), 60).await.unwrap();
    app.attend(&secretary, small, ms[0].id, "present").await.unwrap();
    app.attend(&secretary, small, ms[1].id, "remote").await.unwrap();
    let r = app.new_proposal(&Actor::Operator, ProposalInput { meeting_id: Some(small), ..input("assembly", "Buy a van") }).await.unwrap();
    let r = app.count_hands(&secretary, r.id, &[(Choice::Yes, 2)]).await.unwrap();
    assert_eq!(r.status, "no_quorum");
    assert_eq!(r.summary.as_deref(), Some("no quorum: 2 of 2 members present, two-thirds needed, quorum 3 of 6 not met (2 took part)"));

    // The deadline task leaves meeting proposals to the secretary.
    let waiting = app.new_proposal(&Actor::Operator, ProposalInput { meeting_id: Some(small), ..input("assembly", "Later") }).await.unwrap();
    clock.set(later(24 * 30));
    assert_eq!(app.close_due_proposals().await.unwrap(), Vec::<i64>::new());
    assert_eq!(show(&app, waiting.id).await.status, "open");
    assert!(matches!(
        app.new_proposal(&Actor::Operator, ProposalInput { meeting_id: Some(9999), ..input("assembly", "Nowhere") }).await,
        Err(AppError::Invalid { .. })
    ));
});

backend_test!(a_class_counting_those_present_needs_a_meeting, |app, clock| {
    member_class(&app, "assembly", PRESENT_TWO_THIRDS).await;
    member_class(&app, "general", MAJORITY).await;
    // A consensus whose fallback counts those present needs one too.
    member_class(
        &app,
        "hiring",
        r#"{"kind":"consensus","max_stand_asides":null,"quorum":null,"fallback":{"kind":"vote","threshold":"2/3","strict":false,"base":"present","quorum":null}}"#,
    )
    .await;
    members_named(&app, "Member", 2).await;
    let before = journal_len(&app).await;
    let msg = assert_invalid(app.new_proposal(&Actor::Operator, input("assembly", "Adopt the budget")).await, "meeting");
    assert!(msg.contains("meeting"), "{msg}");
    assert_invalid(app.new_proposal(&Actor::Operator, input("hiring", "Hire a baker")).await, "meeting");
    assert_eq!(journal_len(&app).await, before);
    assert!(app.proposals(&Actor::Operator, None).await.unwrap().is_empty());

    // An ordinary proposal is not counted by hands.
    let p = open(&app, "general", "Buy a van").await;
    assert_invalid(app.count_hands(&Actor::Operator, p.id, &[(Choice::Yes, 1)]).await, "proposal");
});

// ---------------------------------------------------------------------------------------
// Notifications.

backend_test!(opening_and_deciding_notify, |app, clock| {
    let notifier = Arc::new(MemoryNotifier::default());
    let app = app.with_notifier(notifier.clone());
    let events = || notifier.0.lock().unwrap().clone();
    member_class(&app, "general", MAJORITY).await;
    member_class(&app, "hiring", CONSENSUS_FALLBACK).await;
    let ms = members_named(&app, "Member", 2).await;

    let p = open(&app, "general", "Buy a van").await;
    assert_eq!(events(), vec![Event::Opened { proposal_id: p.id, title: "Buy a van".into(), closes_at: "2026-12-05T12:00:00.000000Z".into() }]);
    cast(&app, p.id, &ms[0], "yes").await;
    assert_eq!(events().len(), 1, "a vote that decides nothing says nothing");
    let _ = app.vote(&actor(&ms[0]), p.id, ms[1].id, "yes", None, None).await.unwrap_err();
    assert_eq!(events().len(), 1, "nor does a refused vote");
    cast(&app, p.id, &ms[1], "yes").await;
    assert_eq!(events()[1], Event::Decided { proposal_id: p.id, title: "Buy a van".into(), status: "passed".into() });

    // A second round is not a decision; the deadline's close is.
    let h = app.new_proposal(&Actor::Operator, ProposalInput { closes_at: Some(later(10)), ..input("hiring", "Hire a baker") }).await.unwrap();
    cast(&app, h.id, &ms[0], "agree").await;
    cast_with_reason(&app, h.id, &ms[1], "block", "no budget").await;
    assert_eq!(events().len(), 3);
    assert!(matches!(&events()[2], Event::Opened { proposal_id, .. } if *proposal_id == h.id));
    clock.set(later(48));
    assert_eq!(app.close_due_proposals().await.unwrap(), vec![h.id]);
    assert_eq!(events()[3], Event::Decided { proposal_id: h.id, title: "Hire a baker".into(), status: "failed".into() });
    assert_eq!(events().len(), 4);

    // "Closing soon" is said once, only for what closes within the window.
    let soon = app.new_proposal(&Actor::Operator, ProposalInput { closes_at: Some(later(60)), ..input("general", "Paint the door") }).await.unwrap();
    let far = app.new_proposal(&Actor::Operator, ProposalInput { closes_at: Some(later(200)), ..input("general", "Move office") }).await.unwrap();
    let mut announced = std::collections::HashSet::new();
    let day = std::time::Duration::from_secs(24 * 3600);
    assert_eq!(app.announce_closing_soon(day, &mut announced).await.unwrap(), 1);
    assert_eq!(app.announce_closing_soon(day, &mut announced).await.unwrap(), 0, "said once");
    let last = events().last().cloned().unwrap();
    assert!(matches!(last, Event::ClosingSoon { proposal_id, .. } if proposal_id == soon.id), "{last:?}");
    assert!(!events().iter().any(|e| matches!(e, Event::ClosingSoon { proposal_id, .. } if *proposal_id == far.id)));
});

// ---------------------------------------------------------------------------------------
// Who may do what.

backend_test!(who_may_open_set_close_and_count, |app, clock| {
    member_class(&app, "general", MAJORITY).await;
    member_class(&app, "assembly", PRESENT_TWO_THIRDS).await;
    let (_, ada) = admin(&app).await;
    let mo = add(&app, "Mo Member", "mo@example.org", MemberState::Member).await;
    let cal = add(&app, "Cal Candidate", "cal@example.org", MemberState::Candidate).await;
    let ann = add(&app, "Ann Applicant", "ann@example.org", MemberState::Applicant).await;
    let sec = app
        .add_member(&Actor::Operator, NewMember { roles: vec![Role::Secretary], ..new_member("Sam Secretary", "sam@example.org", MemberState::Member) })
        .await
        .unwrap();
    let (member, secretary) = (actor(&mo), actor(&sec));
    let before = journal_len(&app).await;

    // Candidates and applicants do not open proposals.
    assert_forbidden(app.new_proposal(&actor(&cal), input("general", "Candidates' idea")).await);
    assert_forbidden(app.new_proposal(&actor(&ann), input("general", "Applicants' idea")).await);
    // A plain member can neither set a class nor close a proposal nor keep the record.
    let c = class_input("general", CONSENT, &[MemberState::Member], ResultsVisibility::Live);
    assert_forbidden(app.set_class(&member, c.clone(), None).await);
    assert_forbidden(app.set_class(&secretary, c.clone(), None).await);
    assert_forbidden(app.new_meeting(&member, "Meeting", "general", later(24), 60).await);
    assert_eq!(journal_len(&app).await, before);

    // A member opens a proposal (and is its author); they cannot close it.
    let p = app.new_proposal(&member, input("general", "Buy a van")).await.unwrap();
    assert_eq!(p.class, "general");
    app.comment(&actor(&cal), p.id, "Candidates may discuss").await.unwrap();
    cast(&app, p.id, &mo, "yes").await;
    assert_forbidden(app.close_proposal(&member, p.id).await);
    assert_eq!(show(&app, p.id).await.status, "open");
    // The secretary can.
    let closed = app.close_proposal(&secretary, p.id).await.unwrap();
    assert_eq!(closed.status, "passed");
    assert_eq!(closed.comments.iter().map(|c| c.author.clone()).collect::<Vec<_>>(), vec![Some("Cal Candidate".to_string())]);

    // The secretary schedules, records attendance and counts; a member does none of it.
    let meeting = app.new_meeting(&secretary, "Assembly", "general", later(24), 60).await.unwrap();
    assert_forbidden(app.attend(&member, meeting, mo.id, "present").await);
    app.attend(&secretary, meeting, mo.id, "present").await.unwrap();
    app.attend(&secretary, meeting, sec.id, "present").await.unwrap();
    app.attend(&secretary, meeting, ada_id(&ada), "remote").await.unwrap();
    let m = app.new_proposal(&member, ProposalInput { meeting_id: Some(meeting), ..input("assembly", "Adopt the budget") }).await.unwrap();
    assert_forbidden(app.count_hands(&member, m.id, &[(Choice::Yes, 3)]).await);
    let counted = app.count_hands(&secretary, m.id, &[(Choice::Yes, 3)]).await.unwrap();
    assert_eq!(counted.status, "passed");

    // After founding, an admin's class change is a proposal; a member's is still refused.
    assert!(matches!(app.set_class(&ada, c.clone(), None).await.unwrap(), ClassChange::Proposed { .. }));
    assert_forbidden(app.set_class(&member, c, None).await);
});

fn ada_id(a: &Actor) -> i64 {
    a.member_id().unwrap()
}
