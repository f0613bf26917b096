//! Black-box tests of the decision commands (`class`, `proposal`, `vote`, `meeting`) against
//! the contract: each test drives the real binary on a fresh data directory and checks every
//! status a proposal can reach, that votes replace and refuse as the contract says (a refused
//! command prints one `error:` line, exits 1 and changes nothing), secret ballots with their
//! receipts, decisions by a show of hands at a meeting, and that the journal still verifies.

mod common;

use common::cli::{fails, json_of, ok};
use assert_cmd::Command;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::path::Path;
use tempfile::TempDir;

/// `(entries, head)` from `coop journal verify`, which must succeed with exactly `ok N HASH`.
fn verify(dir: &Path) -> (i64, String) {
    let out = ok(dir, &["journal", "verify"]);
    let parts: Vec<&str> = out.trim_end().split(' ').collect();
    assert_eq!(parts.len(), 3, "expected `ok N HASH`, got {out:?}");
    assert_eq!(parts[0], "ok");
    assert!(is_hash(parts[2]), "head is not a SHA-256 hex: {out:?}");
    (parts[1].parse().expect("entry count"), parts[2].to_string())
}

fn is_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// Members `a@x.org`.. in state member (since 2024), and `cand@x.org`, a candidate.
const MEMBERS: [&str; 5] = ["a@x.org", "b@x.org", "c@x.org", "d@x.org", "e@x.org"];
const CANDIDATE: &str = "cand@x.org";

/// A co-op with `n` members (the first `n` of [`MEMBERS`]) and one candidate.
fn coop_with(n: usize) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["init", "--name", "Decide Co"]);
    for email in &MEMBERS[..n] {
        let name = email.split('@').next().unwrap().to_uppercase();
        ok(dir.path(), &["member", "add", "--name", &name, "--email", email, "--state", "member", "--since", "2024-01-01", "--json"]);
    }
    ok(dir.path(), &["member", "add", "--name", "Cand", "--email", CANDIDATE, "--state", "candidate", "--since", "2024-06-01", "--json"]);
    dir
}

const DAILY: &str = r#"{"kind":"vote","threshold":"2/3","strict":false,"base":"cast","quorum":"1/2"}"#;

fn set_class(dir: &Path, name: &str, rule: &str, extra: &[&str]) -> Value {
    let mut args = vec!["class", "set", name, "--rule-json", rule, "--json"];
    args.extend_from_slice(extra);
    json_of(dir, &args)
}

fn propose(dir: &Path, class: &str, title: &str, extra: &[&str]) -> i64 {
    let mut args = vec!["proposal", "new", "--class", class, "--title", title, "--json"];
    args.extend_from_slice(extra);
    let p = json_of(dir, &args);
    assert_eq!(p["status"], "open", "{p}");
    assert_eq!(p["title"], title);
    assert_eq!(p["class"], class);
    assert_eq!(p["round"], 1);
    assert!(p["sealed_hash"].is_null());
    p["id"].as_i64().expect("proposal new --json has an id")
}

fn vote(dir: &Path, id: i64, email: &str, choice: &str) -> Value {
    json_of(dir, &["vote", &id.to_string(), "--member", email, "--choice", choice, "--json"])
}

fn vote_why(dir: &Path, id: i64, email: &str, choice: &str, reason: &str) -> Value {
    json_of(dir, &["vote", &id.to_string(), "--member", email, "--choice", choice, "--reason", reason, "--json"])
}

fn show(dir: &Path, id: i64) -> Value {
    json_of(dir, &["proposal", "show", &id.to_string(), "--json"])
}

fn close(dir: &Path, id: i64) -> Value {
    json_of(dir, &["proposal", "close", &id.to_string(), "--json"])
}

/// The contract's keys of `proposal show --json`, and a decided proposal's seal.
fn assert_contract_shape(p: &Value) {
    for key in ["id", "title", "class", "rule", "status", "eligible", "tally", "round", "sealed_hash"] {
        assert!(p.get(key).is_some(), "proposal JSON lacks {key:?}: {p}");
    }
    let status = p["status"].as_str().unwrap();
    assert!(["open", "passed", "failed", "no_quorum", "blocked"].contains(&status), "{status}");
    if status == "open" {
        assert!(p["sealed_hash"].is_null(), "an open proposal is not sealed: {p}");
    } else {
        assert!(is_hash(p["sealed_hash"].as_str().unwrap_or("")), "a decided proposal is sealed with a SHA-256: {p}");
    }
}

fn decided(p: &Value, status: &str) {
    assert_eq!(p["status"], status, "{p}");
    assert_contract_shape(p);
}

#[test]
fn help_lists_the_decision_commands() {
    let help = String::from_utf8(Command::cargo_bin("coop").unwrap().arg("--help").output().unwrap().stdout).unwrap();
    for command in ["class", "proposal", "vote", "meeting"] {
        assert!(help.lines().any(|l| l.trim_start().starts_with(command)), "--help does not list {command}: {help}");
    }
    let help = String::from_utf8(Command::cargo_bin("coop").unwrap().args(["proposal", "--help"]).output().unwrap().stdout).unwrap();
    for command in ["new", "show", "list", "close", "count", "ballot", "comment"] {
        assert!(help.lines().any(|l| l.trim_start().starts_with(command)), "proposal --help does not list {command}: {help}");
    }
}

#[test]
fn a_vote_reaches_passed_failed_no_quorum_and_stays_open() {
    let dir = coop_with(4);
    let d = dir.path();
    let class = set_class(d, "daily", DAILY, &["--governs"]);
    assert_eq!(class["result"], "applied", "before founding a class applies at once: {class}");
    assert_eq!(class["class"]["version"], 1);

    // Passed: 2 of 3 cast, two-thirds needed; quorum 2 of 4 met. Open until closed.
    let passed = propose(d, "daily", "Buy an oven", &["--body", "A *deck* oven."]);
    vote(d, passed, "a@x.org", "yes");
    vote(d, passed, "b@x.org", "yes");
    vote(d, passed, "c@x.org", "no");
    let open = show(d, passed);
    assert_eq!(open["status"], "open");
    assert_eq!(open["eligible"], 4);
    assert_eq!(open["tally"], json!({"yes": 2, "no": 1, "abstain": 0}));
    assert_eq!(open["rule"], serde_json::from_str::<Value>(DAILY).unwrap());
    assert_contract_shape(&open);
    let text = ok(d, &["proposal", "show", &passed.to_string()]);
    assert!(text.contains(r#"rule:     {"kind":"vote","threshold":"2/3","strict":false,"base":"cast","quorum":"1/2"}"#), "{text}");
    assert!(text.contains("tally:    yes 2, no 1, abstain 0"), "{text}");
    let p = close(d, passed);
    decided(&p, "passed");
    assert_eq!(p["summary"], "passed: 2 of 3 votes cast, two-thirds needed, quorum 2 of 4 met");
    assert_eq!(show(d, passed), p, "show gives what close gave");
    let text = ok(d, &["proposal", "show", &passed.to_string()]);
    assert!(text.contains("outcome: passed: 2 of 3 votes cast, two-thirds needed, quorum 2 of 4 met"), "{text}");

    // Failed: 1 of 3.
    let failed = propose(d, "daily", "Sell the van", &[]);
    vote(d, failed, "a@x.org", "yes");
    vote(d, failed, "b@x.org", "no");
    vote(d, failed, "c@x.org", "no");
    let out = ok(d, &["proposal", "close", &failed.to_string()]);
    assert!(out.starts_with(&format!("proposal {failed}: failed: 1 of 3 votes cast, two-thirds needed")), "{out}");
    decided(&show(d, failed), "failed");

    // No quorum: 1 of 4 took part, 2 needed, although the one vote is a yes.
    let no_quorum = propose(d, "daily", "Paint the door", &[]);
    vote(d, no_quorum, "d@x.org", "yes");
    let p = close(d, no_quorum);
    decided(&p, "no_quorum");
    assert!(p["summary"].as_str().unwrap().contains("quorum 2 of 4 not met (1 took part)"), "{p}");

    // Open: voting goes on.
    let open = propose(d, "daily", "New logo", &[]);
    vote(d, open, "a@x.org", "abstain");
    let p = show(d, open);
    assert_eq!(p["status"], "open");
    assert_eq!(p["tally"], json!({"yes": 0, "no": 0, "abstain": 1}));
    assert_contract_shape(&p);

    let ids = |args: &[&str]| -> Vec<i64> { json_of(d, args).as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect() };
    assert_eq!(ids(&["proposal", "list", "--open", "--json"]), vec![open]);
    assert_eq!(ids(&["proposal", "list", "--decided", "--json"]), vec![no_quorum, failed, passed]);
    assert_eq!(ids(&["proposal", "list", "--json"]).len(), 4);
    verify(d);
}

#[test]
fn everyone_voting_closes_the_proposal_early() {
    let dir = coop_with(3);
    let d = dir.path();
    set_class(d, "daily", DAILY, &[]);
    let id = propose(d, "daily", "Early", &[]);
    assert!(vote(d, id, "a@x.org", "yes")["closed_with"].is_null());
    vote(d, id, "b@x.org", "yes");
    let out = ok(d, &["vote", &id.to_string(), "--member", "c@x.org", "--choice", "no"]);
    assert!(out.contains(&format!("everyone eligible has voted: proposal {id} is passed")), "{out}");
    decided(&show(d, id), "passed");
    verify(d);
}

#[test]
fn a_later_vote_by_the_same_member_replaces_the_earlier() {
    let dir = coop_with(4);
    let d = dir.path();
    set_class(d, "daily", DAILY, &[]);
    let id = propose(d, "daily", "Change twice", &[]);
    let first = vote(d, id, "a@x.org", "yes");
    assert_eq!(first["replaced"], false);
    let second = vote_why(d, id, "a@x.org", "no", "thought again");
    assert_eq!(second["replaced"], true);
    let out = ok(d, &["vote", &id.to_string(), "--member", "a@x.org", "--choice", "abstain"]);
    assert!(out.starts_with("replaced the vote of a@x.org"), "{out}");
    vote(d, id, "b@x.org", "yes");
    let p = show(d, id);
    assert_eq!(p["tally"], json!({"yes": 1, "no": 0, "abstain": 1}), "each member counts once: {p}");
    assert_eq!(p["turnout"], 2);
    assert_eq!(p["votes"].as_array().unwrap().len(), 2);
    verify(d);
}

#[test]
fn a_vote_by_someone_not_eligible_is_refused_with_the_reason_and_changes_nothing() {
    let dir = coop_with(4);
    let d = dir.path();
    set_class(d, "daily", DAILY, &[]);
    set_class(d, "open-door", DAILY, &["--eligible", "member,candidate"]);
    let id = propose(d, "daily", "Members only", &[]);
    vote(d, id, "a@x.org", "yes");
    let (before, journal) = (show(d, id), verify(d));

    let err = fails(d, &["vote", &id.to_string(), "--member", CANDIDATE, "--choice", "yes"]);
    assert!(err.contains("candidates do not vote on this class"), "{err}");
    assert_eq!(show(d, id), before);
    assert_eq!(verify(d), journal);

    // Bad choices and a block without a reason are refused the same way.
    assert!(fails(d, &["vote", &id.to_string(), "--member", "b@x.org", "--choice", "maybe"]).starts_with("error: choice: "));
    assert!(fails(d, &["vote", &id.to_string(), "--member", "b@x.org", "--choice", "agree"]).starts_with("error: choice: "));
    assert!(fails(d, &["vote", &id.to_string(), "--member", "nobody@x.org", "--choice", "yes"]).contains("not found"));
    assert_eq!(show(d, id), before);
    assert_eq!(verify(d), journal);

    // A class that admits candidates counts them.
    let wide = propose(d, "open-door", "Everyone", &[]);
    assert_eq!(show(d, wide)["eligible"], 5);
    vote(d, wide, CANDIDATE, "yes");
    assert_eq!(show(d, wide)["tally"]["yes"], 1);
}

#[test]
fn a_vote_after_close_is_refused_and_changes_nothing() {
    let dir = coop_with(4);
    let d = dir.path();
    set_class(d, "daily", DAILY, &[]);
    let id = propose(d, "daily", "Closed early", &[]);
    vote(d, id, "a@x.org", "yes");
    vote(d, id, "b@x.org", "yes");
    let closed = close(d, id);
    decided(&closed, "passed");
    let journal = verify(d);
    let err = fails(d, &["vote", &id.to_string(), "--member", "c@x.org", "--choice", "no"]);
    assert!(err.contains("closed"), "{err}");
    let err = fails(d, &["vote", &id.to_string(), "--member", "a@x.org", "--choice", "no"]);
    assert!(err.contains("closed"), "{err}");
    assert!(fails(d, &["proposal", "close", &id.to_string()]).contains("already decided"));
    assert_eq!(show(d, id), closed);
    assert_eq!(verify(d), journal);
}

#[test]
fn consensus_blocks_and_a_fallback_round_decides() {
    let dir = coop_with(4);
    let d = dir.path();
    // The classes are all set before founding (the first decision), when they apply at once.
    set_class(d, "hiring", r#"{"kind":"consensus","max_stand_asides":1,"quorum":"1/2","fallback":null}"#, &[]);
    let rule = r#"{"kind":"consensus","max_stand_asides":null,"quorum":"1/2","fallback":{"kind":"vote","threshold":"3/4","strict":false,"base":"cast","quorum":"1/2"}}"#;
    set_class(d, "policy", rule, &[]);
    set_class(d, "ops", r#"{"kind":"consent","quorum":null}"#, &[]);

    // Blocked: consensus without a fallback.
    let id = propose(d, "hiring", "Hire Dana", &[]);
    vote(d, id, "a@x.org", "agree");
    vote(d, id, "b@x.org", "stand_aside");
    let err = fails(d, &["vote", &id.to_string(), "--member", "c@x.org", "--choice", "block"]);
    assert!(err.starts_with("error: reason: "), "a block needs a reason: {err}");
    vote_why(d, id, "c@x.org", "block", "we cannot pay another wage yet");
    assert_eq!(show(d, id)["tally"], json!({"agree": 1, "stand_aside": 1, "block": 1}));
    let p = close(d, id);
    decided(&p, "blocked");
    assert_eq!(p["round"], 1);

    // Consensus passes with stand-asides within the limit.
    let id = propose(d, "hiring", "Hire Eli", &[]);
    vote(d, id, "a@x.org", "agree");
    vote(d, id, "b@x.org", "stand-aside");
    vote(d, id, "c@x.org", "agree");
    decided(&close(d, id), "passed");

    // Round 2: a block moves the decision to the fallback vote, whose result is final.
    let id = propose(d, "policy", "Four-day week", &[]);
    vote(d, id, "a@x.org", "agree");
    vote(d, id, "b@x.org", "agree");
    vote_why(d, id, "c@x.org", "block", "not before the busy season");
    let out = ok(d, &["vote", &id.to_string(), "--member", "d@x.org", "--choice", "agree"]);
    assert!(out.contains(&format!("proposal {id} goes to round 2")), "the last vote of round 1 opens round 2: {out}");
    let p = show(d, id);
    assert_eq!(p["status"], "open");
    assert_eq!(p["round"], 2);
    assert_eq!(p["tally"], json!({"yes": 0, "no": 0, "abstain": 0}), "round 2 is a fresh vote: {p}");
    assert_contract_shape(&p);
    let err = fails(d, &["vote", &id.to_string(), "--member", "a@x.org", "--choice", "agree"]);
    assert!(err.starts_with("error: choice: ") && err.contains("round 2"), "{err}");
    vote(d, id, "a@x.org", "yes");
    vote(d, id, "b@x.org", "yes");
    vote(d, id, "c@x.org", "no");
    vote(d, id, "d@x.org", "yes");
    let p = show(d, id);
    decided(&p, "passed");
    assert_eq!(p["round"], 2);
    assert_eq!(p["tally"], json!({"yes": 3, "no": 1, "abstain": 0}));
    assert_eq!(p["summary"], "passed: 3 of 4 votes cast, three-quarters needed, quorum 2 of 4 met");

    // A round-2 failure is final too: `close` on a round-1 block opens round 2, then closes it.
    let id = propose(d, "policy", "Move premises", &[]);
    vote_why(d, id, "a@x.org", "block", "too far away");
    vote(d, id, "b@x.org", "agree");
    let out = ok(d, &["proposal", "close", &id.to_string()]);
    assert!(out.starts_with(&format!("proposal {id} goes to round 2")), "{out}");
    vote(d, id, "a@x.org", "no");
    vote(d, id, "b@x.org", "yes");
    let p = close(d, id);
    decided(&p, "failed");
    assert_eq!(p["round"], 2);

    // Consent: an objection stops it.
    let id = propose(d, "ops", "New rota", &[]);
    vote(d, id, "a@x.org", "consent");
    vote_why(d, id, "b@x.org", "object", "clashes with school hours");
    decided(&close(d, id), "blocked");
    verify(d);
}

#[test]
fn after_founding_a_class_change_is_a_proposal_and_applies_when_it_passes() {
    let dir = coop_with(3);
    let d = dir.path();
    set_class(d, "daily", DAILY, &["--governs"]);
    // Before founding: applied at once, as a new version.
    let v2 = set_class(d, "hiring", r#"{"kind":"consensus"}"#, &[]);
    assert_eq!(v2["result"], "applied");
    // Founding: the first decided proposal.
    let first = propose(d, "daily", "Founding rules", &[]);
    for m in &MEMBERS[..3] {
        vote(d, first, m, "yes");
    }
    decided(&show(d, first), "passed");

    let strict = r#"{"kind":"vote","threshold":"3/4","strict":false,"base":"cast","quorum":"2/3"}"#;
    let out = ok(d, &["class", "set", "daily", "--rule-json", strict, "--results", "after-vote"]);
    let change = propose_id_from(&out);
    assert!(out.starts_with(&format!("a change of the rules is decided by the co-op: opened proposal {change} under class daily")), "{out}");
    let classes = json_of(d, &["class", "list", "--json"]);
    let daily = classes.as_array().unwrap().iter().find(|c| c["name"] == "daily").unwrap().clone();
    assert_eq!(daily["version"], 1, "the class does not change until the co-op decides: {classes}");

    let p = show(d, change);
    assert_eq!(p["class"], "daily");
    assert_eq!(p["amendment"]["rule"], serde_json::from_str::<Value>(strict).unwrap());
    for m in &MEMBERS[..3] {
        vote(d, change, m, "yes");
    }
    decided(&show(d, change), "passed");
    let classes = json_of(d, &["class", "list", "--json"]);
    let daily = classes.as_array().unwrap().iter().find(|c| c["name"] == "daily").unwrap().clone();
    assert_eq!(daily["version"], 2, "{classes}");
    assert_eq!(daily["rule"], serde_json::from_str::<Value>(strict).unwrap());
    assert_eq!(daily["results"], "after_vote");
    assert_eq!(daily["adopted_by"], change);
    assert_eq!(daily["governs_rules"], true);
    // The decided proposals keep the version they were decided under.
    assert_eq!(show(d, first)["class_version"], 1);
    let table = ok(d, &["class", "list"]);
    assert!(table.lines().next().unwrap().starts_with("NAME"), "{table}");
    assert!(table.contains(r#"{"kind":"vote","threshold":"3/4","strict":false,"base":"cast","quorum":"2/3"}"#), "{table}");

    // --json gives the opened proposal.
    let proposed = set_class(d, "hiring", DAILY, &[]);
    assert_eq!(proposed["result"], "proposed");
    assert_eq!(proposed["proposal"]["status"], "open");
    verify(d);
}

/// The proposal id in "... opened proposal N under class X".
fn propose_id_from(out: &str) -> i64 {
    let rest = out.split("opened proposal ").nth(1).unwrap_or_else(|| panic!("no proposal id in {out:?}"));
    rest.split_whitespace().next().unwrap().parse().unwrap()
}

#[test]
fn class_set_refuses_bad_rules_naming_the_field() {
    let dir = coop_with(1);
    let d = dir.path();
    let journal = verify(d);
    let err = fails(d, &["class", "set", "x", "--rule-json", r#"{"kind":"vote","threshold":"3/2","base":"cast"}"#]);
    assert!(err.starts_with("error: rule: threshold"), "{err}");
    let err = fails(d, &["class", "set", "x", "--rule-json", r#"{"kind":"vote","threshold":"1/2"}"#]);
    assert!(err.starts_with("error: rule: base"), "{err}");
    let err = fails(d, &["class", "set", "x", "--rule-json", r#"{"kind":"vote","threshold":"1/2","base":"cast","qourum":"1/2"}"#]);
    assert!(err.starts_with("error: rule: qourum"), "{err}");
    let err = fails(d, &["class", "set", "x", "--rule-json", r#"{"kind":"consensus","fallback":{"kind":"consent"}}"#]);
    assert!(err.starts_with("error: rule: fallback"), "{err}");
    assert!(fails(d, &["class", "set", "x", "--rule-json", "{"]).starts_with("error: rule: "));
    assert!(fails(d, &["class", "set", "x", "--rule-json", DAILY, "--eligible", "members"]).starts_with("error: eligible: "));
    assert!(fails(d, &["class", "set", "x", "--rule-json", DAILY, "--results", "never"]).starts_with("error: results: "));
    assert_eq!(ok(d, &["class", "list", "--json"]).trim(), "[]");
    assert!(fails(d, &["proposal", "new", "--class", "x", "--title", "T"]).starts_with("error: class: "));
    set_class(d, "daily", DAILY, &[]);
    let err = fails(d, &["proposal", "new", "--class", "daily", "--title", "T", "--closes", "2030-01-01"]);
    assert!(err.starts_with("error: closes: ") && err.contains("RFC 3339"), "{err}");
    let err = fails(d, &["proposal", "new", "--class", "daily", "--title", "T", "--closes", "2001-01-01T00:00:00Z"]);
    assert!(err.starts_with("error: closes: "), "{err}");
    assert!(fails(d, &["proposal", "show", "99", "--json"]).contains("proposal 99 not found"));
    assert!(json_of(d, &["proposal", "list", "--json"]).as_array().unwrap().is_empty());
    assert_eq!(verify(d).0, journal.0 + 1, "only the one good class set was journaled");
}

#[test]
fn a_secret_ballot_gives_receipts_that_find_the_published_ballots() {
    let dir = coop_with(4);
    let d = dir.path();
    set_class(d, "board", DAILY, &[]);
    let id = propose(d, "board", "Pay rise", &["--secret"]);
    let sid = id.to_string();
    let out = ok(d, &["vote", &sid, "--member", "a@x.org", "--choice", "yes"]);
    let line = out.lines().find(|l| l.starts_with("receipt: ")).unwrap_or_else(|| panic!("no receipt in {out:?}"));
    assert!(line.ends_with(" (keep it to find or change your ballot)"), "{line}");
    let receipt_a = line.trim_start_matches("receipt: ").split(' ').next().unwrap().to_string();
    let receipt_b = vote(d, id, "b@x.org", "no")["receipt"].as_str().expect("--json gives the receipt").to_string();
    assert_ne!(receipt_a, receipt_b);

    // Voting again needs the receipt; with it, the ballot is replaced.
    assert!(fails(d, &["vote", &sid, "--member", "a@x.org", "--choice", "no"]).contains("receipt"));
    let changed = json_of(d, &["vote", &sid, "--member", "a@x.org", "--choice", "abstain", "--receipt", &receipt_a, "--json"]);
    assert_eq!(changed["replaced"], true);
    assert!(changed["receipt"].is_null());
    let open = show(d, id);
    assert_eq!(open["secret"], true);
    assert_eq!(open["turnout"], 2);
    assert_eq!(open["tally"], json!({"yes": 0, "no": 1, "abstain": 1}));
    assert!(open["votes"].as_array().unwrap().is_empty(), "a secret ballot shows no votes: {open}");
    assert!(open["ballots"].as_array().unwrap().is_empty(), "ballots are published at close: {open}");
    vote(d, id, "c@x.org", "yes");

    let p = close(d, id);
    decided(&p, "failed");
    let ballots = p["ballots"].as_array().unwrap();
    assert_eq!(ballots.len(), 3);
    let mine = ballots.iter().find(|b| b["receipt_hash"] == sha256_hex(&receipt_a)).expect("a's ballot is published under sha256(receipt)");
    assert_eq!(mine["choice"], "abstain");
    assert!(ballots.iter().any(|b| b["receipt_hash"] == sha256_hex(&receipt_b) && b["choice"] == "no"));
    assert!(ballots.iter().all(|b| b.get("member_id").is_none() && b.get("member").is_none()));

    let found = json_of(d, &["proposal", "ballot", &sid, "--receipt", &receipt_a, "--json"]);
    assert_eq!(found["id"], mine["id"]);
    assert_eq!(found["choice"], "abstain");
    let out = ok(d, &["proposal", "ballot", &sid, "--receipt", &receipt_b]);
    assert!(out.contains(": no (round 1)"), "{out}");
    assert!(fails(d, &["proposal", "ballot", &sid, "--receipt", "not-a-receipt"]).contains("not found"));
    // A changed secret vote after close is refused like any other.
    assert!(fails(d, &["vote", &sid, "--member", "a@x.org", "--choice", "yes", "--receipt", &receipt_a]).contains("closed"));
    verify(d);
}

#[test]
fn a_meeting_decides_by_a_show_of_hands_counted_against_those_present() {
    let dir = coop_with(5);
    let d = dir.path();
    set_class(d, "assembly", r#"{"kind":"vote","threshold":"1/2","strict":true,"base":"present","quorum":"1/2"}"#, &[]);
    let meeting = json_of(d, &["meeting", "new", "--title", "General assembly", "--at", "2030-03-01T18:00:00Z", "--kind", "general", "--json"]);
    let mid = meeting["id"].as_i64().expect("meeting new --json has an id");
    assert_eq!(meeting["minutes_long"], 90);
    let smid = mid.to_string();
    for (email, attendance) in [("a@x.org", "present"), ("b@x.org", "present"), ("c@x.org", "present"), ("d@x.org", "remote"), ("e@x.org", "absent")] {
        ok(d, &["meeting", "attend", &smid, "--member", email, "--as", attendance]);
    }
    // Recording again replaces; --json gives the counts.
    let counts = json_of(d, &["meeting", "attend", &smid, "--member", "e@x.org", "--as", "absent", "--json"]);
    assert_eq!(counts["attendance"], json!({"present": 3, "remote": 1, "absent": 1, "excused": 0}));
    assert!(fails(d, &["meeting", "attend", &smid, "--member", "e@x.org", "--as", "asleep"]).starts_with("error: as: "));
    assert!(fails(d, &["meeting", "new", "--title", "T", "--at", "tomorrow"]).starts_with("error: at: "));

    // Base present needs a meeting.
    assert!(fails(d, &["proposal", "new", "--class", "assembly", "--title", "No meeting"]).starts_with("error: meeting: "));
    let id = propose(d, "assembly", "Adopt the budget", &["--meeting", &smid]);
    let sid = id.to_string();
    assert_eq!(show(d, id)["meeting_id"], mid);
    assert!(fails(d, &["vote", &sid, "--member", "a@x.org", "--choice", "yes"]).contains("show of hands"));
    assert!(fails(d, &["proposal", "close", &sid]).contains("proposal count"));
    let (before, journal) = (show(d, id), verify(d));
    let err = fails(d, &["proposal", "count", &sid, "--yes", "5"]);
    assert!(err.contains("only 4 members are recorded present"), "{err}");
    assert!(fails(d, &["proposal", "count", &sid, "--agree", "2"]).starts_with("error: counts: "));
    assert!(fails(d, &["proposal", "count", &sid]).starts_with("error: counts: "));
    assert_eq!(show(d, id), before);
    assert_eq!(verify(d), journal);

    let p = json_of(d, &["proposal", "count", &sid, "--yes", "3", "--no", "1", "--json"]);
    decided(&p, "passed");
    assert_eq!(p["tally"], json!({"yes": 3, "no": 1, "abstain": 0}));
    assert_eq!(p["summary"], "passed: 3 of 4 members present, more than half needed, quorum 3 of 5 met");
    assert!(fails(d, &["proposal", "count", &sid, "--yes", "4"]).contains("already decided"));

    // Against those present, not those who raised a hand: 2 of 4 is not more than half.
    let id = propose(d, "assembly", "Second item", &["--meeting", &smid]);
    let out = ok(d, &["proposal", "count", &id.to_string(), "--yes", "2", "--no", "1", "--abstain", "0"]);
    assert!(out.starts_with(&format!("proposal {id}: failed: 2 of 4 members present")), "{out}");
    let (_, head) = verify(d);
    assert!(is_hash(&head));
    let sealed = show(d, id)["sealed_hash"].as_str().unwrap().to_string();
    assert!(is_hash(&sealed), "{sealed}");
}

#[test]
fn a_proposal_past_its_deadline_is_decided_by_the_next_command() {
    let dir = coop_with(4);
    let d = dir.path();
    set_class(d, "daily", DAILY, &[]);
    let window = std::time::Duration::from_secs(5);
    let deadline = std::time::Instant::now() + window;
    let closes = jiff::Timestamp::now().checked_add(jiff::SignedDuration::try_from(window).unwrap()).unwrap().to_string();
    let id = propose(d, "daily", "Quick", &["--closes", &closes]);
    vote(d, id, "a@x.org", "yes");
    vote(d, id, "b@x.org", "yes");
    assert_eq!(show(d, id)["status"], "open");
    std::thread::sleep(deadline.saturating_duration_since(std::time::Instant::now()) + std::time::Duration::from_millis(500));
    let p = show(d, id);
    decided(&p, "passed");
    assert!(fails(d, &["vote", &id.to_string(), "--member", "c@x.org", "--choice", "no"]).contains("closed"));
    verify(d);
}

#[test]
fn comments_join_the_discussion_while_it_is_open() {
    let dir = coop_with(2);
    let d = dir.path();
    set_class(d, "daily", DAILY, &[]);
    let id = propose(d, "daily", "Talk first", &[]);
    ok(d, &["proposal", "comment", &id.to_string(), "--text", "Minutes say we agreed in principle."]);
    let p = show(d, id);
    assert_eq!(p["comments"][0]["body"], "Minutes say we agreed in principle.");
    close(d, id);
    assert!(fails(d, &["proposal", "comment", &id.to_string(), "--text", "late"]).starts_with("error: "));
    verify(d);
}
