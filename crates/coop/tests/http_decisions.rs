//! Black-box tests of the decisions API: the real `coop` binary, prepared with the CLI and
//! served on a free port, driven with reqwest. Classes, proposals, votes, secret ballots,
//! decisions at meetings, and 200 members voting at the same moment.
//!
//! Run `cargo test -p coop --test http_decisions -- --nocapture` to see the timings the
//! concurrency test prints.

mod common;

use common::api::{matches_schema, Answer, Caller};
use common::{coop as run_coop, Account, TestCoop};
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Every decisions route, with its methods.
const DECISION_ROUTES: &[(&str, &[&str])] = &[
    ("/api/v1/classes", &["get"]),
    ("/api/v1/classes/{name}", &["put"]),
    ("/api/v1/proposals", &["get", "post"]),
    ("/api/v1/proposals/{id}", &["get"]),
    ("/api/v1/proposals/{id}/votes", &["post"]),
    ("/api/v1/proposals/{id}/close", &["post"]),
    ("/api/v1/proposals/{id}/count", &["post"]),
    ("/api/v1/proposals/{id}/comments", &["post"]),
    ("/api/v1/proposals/{id}/ballot-lookup", &["post"]),
];

/// Simple majority of votes cast, no quorum.
fn majority() -> Value {
    json!({"kind": "vote", "threshold": "1/2", "strict": false, "base": "cast", "quorum": null})
}

// ---------------------------------------------------------------------------------------------
// The API in words, on the shared client (tests/common/api.rs).

impl Caller {
    // The decisions API in words.

    async fn set_class(&self, name: &str, rule: Value, eligible: &[&str]) -> Value {
        let answer = self.put(&format!("/api/v1/classes/{name}"), json!({"rule": rule, "eligible": eligible, "results": "live"})).await;
        let change = answer.ok(200);
        assert_eq!(change["result"], "applied", "{change}");
        change["class"].clone()
    }

    async fn open(&self, class: &str, title: &str, extra: Value) -> Value {
        let mut body = json!({"class": class, "title": title, "body": "Because *we* said so."});
        for (k, v) in extra.as_object().expect("an object") {
            body[k] = v.clone();
        }
        self.post("/api/v1/proposals", body).await.ok(201)
    }

    async fn proposal(&self, id: i64) -> Value {
        self.get(&format!("/api/v1/proposals/{id}")).await.ok(200)
    }

    async fn vote(&self, id: i64, body: Value) -> Answer {
        self.post(&format!("/api/v1/proposals/{id}/votes"), body).await
    }
}

fn id_of(v: &Value) -> i64 {
    v["id"].as_i64().unwrap_or_else(|| panic!("no id in {v}"))
}

/// `coop proposal show ID --json`, as the contract defines it.
fn cli_show(coop: &TestCoop, id: i64) -> Value {
    let out = run_coop(&coop.data(), &["proposal", "show", &id.to_string(), "--json"], None);
    serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("proposal show --json printed {out:?}: {e}"))
}

// ---------------------------------------------------------------------------------------------
// The contract's shape.

#[tokio::test]
async fn a_proposal_reads_as_the_contract_says_and_as_the_cli_shows_it() {
    let coop = TestCoop::start();
    let anon = Caller::anonymous(&coop);
    let ada = anon.sign_in(&coop.admin).await;
    let ben = anon.sign_in(&coop.member).await;

    let class = ada.set_class("ordinary", json!({"kind": "vote", "threshold": "2/3", "base": "cast", "quorum": "1/2"}), &["member"]).await;
    assert_eq!(class["name"], "ordinary");
    assert_eq!(class["version"], 1);
    // The rule comes back in the contract's canonical form, every field present.
    assert_eq!(class["rule"], json!({"kind": "vote", "threshold": "2/3", "strict": false, "base": "cast", "quorum": "1/2"}));
    assert_eq!(class["eligible"], json!(["member"]));
    let classes = ben.get("/api/v1/classes").await.ok(200);
    assert_eq!(classes.as_array().unwrap().len(), 1);
    assert_eq!(classes[0], class);

    let opened = ben.open("ordinary", "Buy a second oven", json!({})).await;
    let id = id_of(&opened);
    let p = ben.proposal(id).await;
    assert_eq!(p, opened, "POST answers what GET reads");
    assert_eq!(p["id"], id);
    assert_eq!(p["title"], "Buy a second oven");
    assert_eq!(p["class"], "ordinary");
    assert_eq!(p["rule"], class["rule"]);
    assert_eq!(p["status"], "open");
    assert_eq!(p["eligible"], 2, "Ada and Ben are members; Cleo is a candidate");
    assert_eq!(p["tally"], json!({"yes": 0, "no": 0, "abstain": 0}));
    assert_eq!(p["round"], 1);
    assert_eq!(p["sealed_hash"], Value::Null);

    // The API's document is `coop proposal show --json` (for a caller who has not voted, the
    // operator's view and a member's are the same).
    ben.vote(id, json!({"choice": "yes", "reason": "we turn customers away"})).await.ok(200);
    let by_ada = ada.proposal(id).await;
    assert_eq!(by_ada, cli_show(&coop, id), "GET /api/v1/proposals/{{id}} is `coop proposal show --json`");

    // Decided: the same again, sealed.
    let closed = ada.post(&format!("/api/v1/proposals/{id}/close"), json!({})).await.ok(200);
    assert_eq!(closed["status"], "passed", "{closed}");
    assert!(closed["sealed_hash"].as_str().is_some_and(|h| h.len() == 64), "{closed}");
    assert!(closed["summary"].as_str().is_some_and(|s| s.starts_with("passed")), "{closed}");
    assert_eq!(ada.proposal(id).await, cli_show(&coop, id));

    // Lists.
    let decided = ben.get("/api/v1/proposals?status=decided").await.ok(200);
    assert_eq!(decided.as_array().unwrap().iter().map(id_of).collect::<Vec<_>>(), vec![id]);
    assert_eq!(ben.get("/api/v1/proposals?status=open").await.ok(200), json!([]));
    assert_eq!(ben.get("/api/v1/proposals").await.ok(200).as_array().unwrap().len(), 1);
    ben.get("/api/v1/proposals?status=maybe").await.assert_error(422, Some("status"));
}

#[tokio::test]
async fn the_openapi_document_describes_the_decisions_api_as_sent() {
    let coop = TestCoop::start();
    let anon = Caller::anonymous(&coop);
    let doc = anon.get("/api/v1/openapi.json").await.ok(200);
    for (path, methods) in DECISION_ROUTES {
        let item = &doc["paths"][*path];
        for m in *methods {
            let op = &item[*m];
            assert!(op["responses"].as_object().is_some_and(|r| r.contains_key("401")), "{m} {path} is documented with its 401: {item}");
            assert!(op["security"].as_array().is_some_and(|s| !s.is_empty()), "{m} {path} says how to authenticate");
            assert_eq!(op["tags"], json!(["decisions"]), "{m} {path}");
        }
    }
    let vote = &doc["paths"]["/api/v1/proposals/{id}/votes"]["post"];
    for status in ["200", "401", "403", "404", "409", "422"] {
        assert!(vote["responses"].get(status).is_some(), "the vote documents {status}");
    }
    // Every decisions route refuses a caller who is not signed in, before reading anything.
    for (path, methods) in DECISION_ROUTES {
        for m in *methods {
            let concrete = path.replace("{id}", "1").replace("{name}", "ordinary");
            let method = Method::from_bytes(m.to_uppercase().as_bytes()).unwrap();
            let body = matches!(*m, "post" | "put").then(|| json!({}));
            anon.send(method, &concrete, body).await.assert_error(401, None);
        }
    }

    let ada = anon.sign_in(&coop.admin).await;
    let ben = anon.sign_in(&coop.member).await;
    let change = ada.put("/api/v1/classes/ordinary", json!({"rule": majority()})).await.ok(200);
    matches_schema(&doc, "ClassView", &change["class"]);
    matches_schema(&doc, "VoteRule", &change["class"]["rule"]);
    let consensus = ada
        .put(
            "/api/v1/classes/hiring",
            json!({"rule": {"kind": "consensus", "max_stand_asides": 2, "quorum": "1/2", "fallback": {"threshold": "3/4", "base": "cast"}}}),
        )
        .await
        .ok(200);
    matches_schema(&doc, "ConsensusRule", &consensus["class"]["rule"]);
    matches_schema(&doc, "VoteRule", &consensus["class"]["rule"]["fallback"]);
    let consent = ada.put("/api/v1/classes/daily", json!({"rule": {"kind": "consent"}})).await.ok(200);
    matches_schema(&doc, "ConsentRule", &consent["class"]["rule"]);

    let open = ben.open("ordinary", "Paint the shop", json!({})).await;
    matches_schema(&doc, "ProposalView", &open);
    let receipt = ben.vote(id_of(&open), json!({"choice": "yes"})).await.ok(200);
    matches_schema(&doc, "VoteReceipt", &receipt);
    let commented = ben.post(&format!("/api/v1/proposals/{}/comments", id_of(&open)), json!({"body": "Blue, please."})).await.ok(201);
    matches_schema(&doc, "CommentView", &commented["comments"][0]);
    matches_schema(&doc, "VoteView", &commented["votes"][0]);

    let secret = ben.open("ordinary", "Elect the treasurer's helper", json!({"secret": true})).await;
    let code = ben.vote(id_of(&secret), json!({"choice": "no"})).await.ok(200)["receipt"].as_str().unwrap().to_string();
    ada.post(&format!("/api/v1/proposals/{}/close", id_of(&secret)), json!({})).await.ok(200);
    let ballot = ben.post(&format!("/api/v1/proposals/{}/ballot-lookup", id_of(&secret)), json!({"receipt": code})).await.ok(200);
    matches_schema(&doc, "BallotView", &ballot);

    // After founding, a class change is a proposal: 202 with the proposal.
    let proposed = ada.put("/api/v1/classes/ordinary", json!({"rule": majority(), "eligible": ["member", "candidate"]})).await.ok(202);
    assert_eq!(proposed["result"], "proposed", "{proposed}");
    matches_schema(&doc, "ProposalView", &proposed["proposal"]);
}

// ---------------------------------------------------------------------------------------------
// Voting.

#[tokio::test]
async fn a_member_votes_and_a_second_vote_replaces_the_first() {
    let coop = TestCoop::start();
    let anon = Caller::anonymous(&coop);
    let ada = anon.sign_in(&coop.admin).await;
    let ben = anon.sign_in(&coop.member).await;
    ada.set_class("ordinary", majority(), &["member"]).await;
    let id = id_of(&ada.open("ordinary", "Open on Sundays", json!({})).await);

    let first = ben.vote(id, json!({"choice": "yes", "reason": "more customers"})).await.ok(200);
    assert_eq!(first, json!({"proposal_id": id, "round": 1, "replaced": false, "receipt": null, "closed_with": null}));
    let p = ben.proposal(id).await;
    assert_eq!(p["tally"], json!({"yes": 1, "no": 0, "abstain": 0}));
    assert_eq!(p["turnout"], 1);
    assert_eq!(p["my_vote"], "yes");
    assert_eq!(p["needed_to_pass"], 0, "{p}");
    assert_eq!(p["votes"].as_array().unwrap().len(), 1);
    assert_eq!(p["votes"][0]["member_id"], coop.member.id, "the vote is the caller's own");
    assert_eq!(p["votes"][0]["reason"], "more customers");

    // Changing one's mind replaces the vote: still counted once. An API token votes as its owner.
    let token = ben.post("/api/v1/tokens", json!({"label": "phone"})).await.ok(201)["token"].as_str().unwrap().to_string();
    let ben_by_token = anon.with_bearer(&token);
    let second = ben_by_token.vote(id, json!({"choice": "no"})).await.ok(200);
    assert_eq!(second["replaced"], true, "{second}");
    let p = ben.proposal(id).await;
    assert_eq!(p["tally"], json!({"yes": 0, "no": 1, "abstain": 0}), "{p}");
    assert_eq!(p["turnout"], 1);
    assert_eq!(p["my_vote"], "no");
    assert_eq!(p["votes"].as_array().unwrap().len(), 1);
    assert_eq!(p["status"], "open", "one of two eligible members has voted");
    assert_eq!(ada.proposal(id).await["my_vote"], Value::Null, "Ada has not voted");

    // The last eligible member's vote closes it early; the outcome is computed, not typed.
    let last = ada.vote(id, json!({"choice": "yes"})).await.ok(200);
    assert_eq!(last["closed_with"], "passed", "{last}: 1 yes of 2 cast reaches one half");
    let p = ben.proposal(id).await;
    assert_eq!(p["status"], "passed");
    assert_eq!(p["tally"], json!({"yes": 1, "no": 1, "abstain": 0}));
    assert!(p["sealed_hash"].is_string());
}

#[tokio::test]
async fn who_may_vote_close_and_when() {
    let coop = TestCoop::start();
    let anon = Caller::anonymous(&coop);
    let ada = anon.sign_in(&coop.admin).await;
    let ben = anon.sign_in(&coop.member).await;
    let cleo = anon.sign_in(&coop.candidate).await;
    ada.set_class("ordinary", majority(), &["member"]).await;
    let id = id_of(&ada.open("ordinary", "Raise the bread price", json!({})).await);
    let path = format!("/api/v1/proposals/{id}");

    // Not signed in: 401, nothing recorded.
    anon.vote(id, json!({"choice": "yes"})).await.assert_error(401, None);
    anon.get(&path).await.assert_error(401, None);
    anon.post(&format!("{path}/close"), json!({})).await.assert_error(401, None);
    anon.with_bearer("coop_not_a_token").vote(id, json!({"choice": "yes"})).await.assert_error(401, None);

    // A candidate on a members-only class: 403 with the reason, nothing recorded.
    let refused = cleo.vote(id, json!({"choice": "no"})).await;
    refused.assert_error(403, None);
    assert!(refused.error().contains("candidates do not vote on this class"), "{}", refused.error());
    let p = ben.proposal(id).await;
    assert_eq!(p["turnout"], 0);
    assert_eq!(p["tally"], json!({"yes": 0, "no": 0, "abstain": 0}));
    // ...and candidates do not open proposals either.
    cleo.post("/api/v1/proposals", json!({"class": "ordinary", "title": "Free bread"})).await.assert_error(403, None);
    // Only admins set classes.
    ben.put("/api/v1/classes/ordinary", json!({"rule": majority()})).await.assert_error(403, None);

    // A plain member may not close it; the secretary or an admin may.
    ben.vote(id, json!({"choice": "yes"})).await.ok(200);
    let refused = ben.post(&format!("{path}/close"), json!({})).await;
    refused.assert_error(403, None);
    assert!(refused.error().contains("secretary or admin"), "{}", refused.error());
    assert_eq!(ben.proposal(id).await["status"], "open");
    let closed = ada.post(&format!("{path}/close"), json!({})).await.ok(200);
    assert_eq!(closed["status"], "passed");

    // After the close: 409, and nothing changes.
    let late = ben.vote(id, json!({"choice": "no"})).await;
    late.assert_error(409, None);
    assert!(late.error().contains("closed"), "{}", late.error());
    ada.post(&format!("{path}/close"), json!({})).await.assert_error(409, None);
    ben.post(&format!("{path}/comments"), json!({"body": "too late"})).await.assert_error(409, None);
    let p = ben.proposal(id).await;
    assert_eq!(p["tally"], json!({"yes": 1, "no": 0, "abstain": 0}));
    assert_eq!(p["my_vote"], "yes");

    // After the deadline, even before the background task closes it: 409.
    let soon = jiff::Timestamp::now().checked_add(jiff::SignedDuration::from_millis(1500)).unwrap();
    let quick = id_of(&ada.open("ordinary", "Decide quickly", json!({"closes_at": soon.to_string()})).await);
    tokio::time::sleep(Duration::from_millis(1700)).await;
    let late = ben.vote(quick, json!({"choice": "yes"})).await;
    late.assert_error(409, None);
    assert_eq!(ben.proposal(quick).await["turnout"], 0);

    // Unknown proposal: 404; a path id that is no number: 422 naming `id`.
    ben.vote(999_999, json!({"choice": "yes"})).await.assert_error(404, None);
    ben.get("/api/v1/proposals/abc").await.assert_error(422, Some("id"));
}

#[tokio::test]
async fn bad_input_is_422_naming_the_field() {
    let coop = TestCoop::start();
    let anon = Caller::anonymous(&coop);
    let ada = anon.sign_in(&coop.admin).await;
    let ben = anon.sign_in(&coop.member).await;

    // Classes.
    let bad_rule = ada.put("/api/v1/classes/ordinary", json!({"rule": {"kind": "vote", "threshold": "3/2", "base": "cast"}})).await;
    bad_rule.assert_error(422, Some("rule.threshold"));
    ada.put("/api/v1/classes/ordinary", json!({"rule": {"kind": "ballot"}})).await.assert_error(422, Some("rule.kind"));
    ada.put("/api/v1/classes/ordinary", json!({"rule": majority(), "eligible": ["member", "friend"]})).await.assert_error(422, Some("eligible[1]"));
    ada.put("/api/v1/classes/ordinary", json!({"rule": majority(), "results": "never"})).await.assert_error(422, Some("results"));
    ada.put("/api/v1/classes/ordinary", json!({"rule": majority(), "colour": "red"})).await.assert_error(422, Some("colour"));
    ada.put("/api/v1/classes/ordinary", json!({})).await.assert_error(422, Some("rule"));
    assert_eq!(ben.get("/api/v1/classes").await.ok(200), json!([]), "nothing half-applied");
    ada.set_class("ordinary", majority(), &["member"]).await;
    ada.set_class("hiring", json!({"kind": "consensus", "max_stand_asides": 1, "quorum": null, "fallback": null}), &["member"]).await;

    // Proposals.
    ben.post("/api/v1/proposals", json!({"class": "nope", "title": "x"})).await.assert_error(422, Some("class"));
    ben.post("/api/v1/proposals", json!({"class": "ordinary", "title": "  "})).await.assert_error(422, Some("title"));
    ben.post("/api/v1/proposals", json!({"class": "ordinary"})).await.assert_error(422, Some("title"));
    ben.post("/api/v1/proposals", json!({"class": "ordinary", "title": "x", "closes_at": "tomorrow"})).await.assert_error(422, Some("closes_at"));
    ben.post("/api/v1/proposals", json!({"class": "ordinary", "title": "x", "closes_at": "2001-01-01T00:00:00Z"})).await.assert_error(422, Some("closes_at"));
    ben.post("/api/v1/proposals", json!({"class": "ordinary", "title": "x", "meeting_id": 42})).await.assert_error(422, Some("meeting_id"));
    ben.post("/api/v1/proposals", json!({"class": "ordinary", "title": "x", "secret": "yes"})).await.assert_error(422, Some("secret"));
    assert_eq!(ben.get("/api/v1/proposals").await.ok(200), json!([]), "nothing half-applied");

    // Votes.
    let id = id_of(&ben.open("ordinary", "New aprons", json!({})).await);
    ben.vote(id, json!({"choice": "maybe"})).await.assert_error(422, Some("choice"));
    ben.vote(id, json!({"choice": "agree"})).await.assert_error(422, Some("choice"));
    ben.vote(id, json!({"choice": 1})).await.assert_error(422, Some("choice"));
    ben.vote(id, json!({})).await.assert_error(422, Some("choice"));
    ben.vote(id, json!({"choice": "yes", "weight": 2})).await.assert_error(422, Some("weight"));
    ben.vote(id, json!({"choice": "yes", "reason": "x".repeat(5001)})).await.assert_error(422, Some("reason"));
    let not_json = ben.send(Method::POST, &format!("/api/v1/proposals/{id}/votes"), None).await;
    assert_eq!(not_json.status, 415, "{}", not_json.text);
    assert_eq!(ben.proposal(id).await["turnout"], 0, "no refused vote was recorded");

    // A block stops the others, so it needs a reason.
    let hire = id_of(&ben.open("hiring", "Hire Dana", json!({})).await);
    ben.vote(hire, json!({"choice": "block"})).await.assert_error(422, Some("reason"));
    ben.vote(hire, json!({"choice": "block", "reason": "   "})).await.assert_error(422, Some("reason"));
    ben.vote(hire, json!({"choice": "yes"})).await.assert_error(422, Some("choice"));
    assert_eq!(ben.proposal(hire).await["turnout"], 0);
    let blocked = ben.vote(hire, json!({"choice": "block", "reason": "we cannot pay a fourth wage yet"})).await.ok(200);
    assert_eq!(blocked["replaced"], false);
    assert_eq!(ben.proposal(hire).await["tally"], json!({"agree": 0, "stand_aside": 0, "block": 1}));

    // Comments.
    ben.post(&format!("/api/v1/proposals/{id}/comments"), json!({"body": " "})).await.assert_error(422, Some("body"));
    ben.post(&format!("/api/v1/proposals/{id}/comments"), json!({})).await.assert_error(422, Some("body"));
    let commented = ben.post(&format!("/api/v1/proposals/{id}/comments"), json!({"body": "Linen, not polyester."})).await.ok(201);
    assert_eq!(commented["comments"][0]["body"], "Linen, not polyester.");
    assert_eq!(commented["comments"][0]["author"], "Ben Baker");

    // A show of hands is only for proposals decided at a meeting.
    ada.post(&format!("/api/v1/proposals/{id}/count"), json!({"yes": 1})).await.assert_error(422, Some("id"));
    ada.post(&format!("/api/v1/proposals/{id}/count"), json!({"yes": -1})).await.assert_error(422, Some("yes"));
    ada.post(&format!("/api/v1/proposals/{id}/count"), json!({"maybe": 1})).await.assert_error(422, Some("maybe"));
}

#[tokio::test]
async fn a_secret_ballot_gives_a_receipt_that_finds_the_ballot_after_close() {
    let coop = TestCoop::start();
    let anon = Caller::anonymous(&coop);
    let ada = anon.sign_in(&coop.admin).await;
    let ben = anon.sign_in(&coop.member).await;
    ada.set_class("ordinary", majority(), &["member"]).await;
    let id = id_of(&ada.open("ordinary", "Elect the rota keeper", json!({"secret": true})).await);
    let path = format!("/api/v1/proposals/{id}");

    let first = ben.vote(id, json!({"choice": "yes"})).await.ok(200);
    let code = first["receipt"].as_str().expect("a secret vote returns a receipt code").to_string();
    assert!(code.len() >= 16 && code.bytes().all(|b| b.is_ascii_hexdigit()), "{code}");
    let p = ben.proposal(id).await;
    assert_eq!(p["secret"], true);
    assert_eq!(p["turnout"], 1);
    assert_eq!(p["votes"], json!([]), "a secret ballot lists no votes");
    assert_eq!(p["my_vote"], Value::Null, "nor knows the caller's own");
    assert_eq!(p["ballots"], json!([]), "ballots are published at close");

    // A second vote needs the receipt; a wrong one is refused; the right one replaces the ballot.
    ben.vote(id, json!({"choice": "no"})).await.assert_error(409, None);
    ben.vote(id, json!({"choice": "no", "receipt": "0123456789abcdef0123456789abcdef"})).await.assert_error(422, Some("receipt"));
    let changed = ben.vote(id, json!({"choice": "no", "receipt": code})).await.ok(200);
    assert_eq!(changed["replaced"], true);
    assert_eq!(changed["receipt"], Value::Null, "the code stays the same and is not shown again");
    let p = ben.proposal(id).await;
    assert_eq!(p["turnout"], 1);
    assert_eq!(p["tally"], json!({"yes": 0, "no": 1, "abstain": 0}));

    let ada_code = ada.vote(id, json!({"choice": "yes"})).await.ok(200);
    assert_eq!(ada_code["closed_with"], "passed", "everyone eligible voted: {ada_code}");
    let ada_code = ada_code["receipt"].as_str().unwrap().to_string();
    assert_ne!(ada_code, code);

    // Published: two ballots with no member; each receipt finds its own.
    let p = ben.proposal(id).await;
    assert_eq!(p["status"], "passed");
    let ballots = p["ballots"].as_array().unwrap();
    assert_eq!(ballots.len(), 2, "{p}");
    for b in ballots {
        assert!(b.get("member_id").is_none() && b.get("name").is_none(), "a published ballot names nobody: {b}");
    }
    let mine = ben.post(&format!("{path}/ballot-lookup"), json!({"receipt": code})).await.ok(200);
    assert_eq!(mine["choice"], "no");
    assert!(ballots.contains(&mine), "the ballot found is one of those published");
    let hers = ben.post(&format!("{path}/ballot-lookup"), json!({"receipt": ada_code})).await.ok(200);
    assert_eq!(hers["choice"], "yes");
    ben.post(&format!("{path}/ballot-lookup"), json!({"receipt": "ffffffffffffffffffffffffffffffff"})).await.assert_error(404, None);
    ben.post(&format!("{path}/ballot-lookup"), json!({"receipt": ""})).await.assert_error(422, Some("receipt"));
    ben.post(&format!("{path}/ballot-lookup"), json!({})).await.assert_error(422, Some("receipt"));
}

#[tokio::test]
async fn a_decision_at_a_meeting_is_counted_by_the_secretary() {
    let coop = TestCoop::start();
    let anon = Caller::anonymous(&coop);
    let ada = anon.sign_in(&coop.admin).await;
    let ben = anon.sign_in(&coop.member).await;
    ada.set_class("general", json!({"kind": "vote", "threshold": "1/2", "strict": true, "base": "present", "quorum": null}), &["member"]).await;
    let at = jiff::Timestamp::now().checked_add(jiff::SignedDuration::from_hours(1)).unwrap().to_string();
    let meeting = run_coop(&coop.data(), &["meeting", "new", "--title", "General meeting", "--at", &at, "--json"], None);
    let meeting_id = serde_json::from_str::<Value>(meeting.trim()).unwrap()["id"].as_i64().unwrap();
    run_coop(&coop.data(), &["meeting", "attend", &meeting_id.to_string(), "--member", &coop.admin.email, "--as", "present"], None);
    run_coop(&coop.data(), &["meeting", "attend", &meeting_id.to_string(), "--member", &coop.member.email, "--as", "remote"], None);

    // A class on base "present" needs its meeting.
    ada.post("/api/v1/proposals", json!({"class": "general", "title": "Adopt the budget"})).await.assert_error(422, Some("meeting_id"));
    ada.post("/api/v1/proposals", json!({"class": "general", "title": "Adopt the budget", "meeting_id": meeting_id, "secret": true}))
        .await
        .assert_error(422, Some("secret"));
    let p = ada.open("general", "Adopt the budget", json!({"meeting_id": meeting_id})).await;
    let id = id_of(&p);
    assert_eq!(p["meeting_id"], meeting_id);
    let path = format!("/api/v1/proposals/{id}");

    // Nobody votes on it online, and it cannot be closed without the count.
    ben.vote(id, json!({"choice": "yes"})).await.assert_error(409, None);
    ada.post(&format!("{path}/close"), json!({})).await.assert_error(409, None);
    // Only the secretary or an admin enters the count, which cannot exceed those present.
    ben.post(&format!("{path}/count"), json!({"yes": 2})).await.assert_error(403, None);
    ada.post(&format!("{path}/count"), json!({"yes": 2, "no": 1})).await.assert_error(422, Some("counts"));
    ada.post(&format!("{path}/count"), json!({"agree": 1})).await.assert_error(422, Some("counts"));
    assert_eq!(ben.proposal(id).await["status"], "open");
    let decided = ada.post(&format!("{path}/count"), json!({"yes": 2, "no": 0, "abstain": 0})).await.ok(200);
    assert_eq!(decided["status"], "passed", "{decided}");
    assert_eq!(decided["tally"], json!({"yes": 2, "no": 0, "abstain": 0}));
    ada.post(&format!("{path}/count"), json!({"yes": 0, "no": 2})).await.assert_error(409, None);
}

// ---------------------------------------------------------------------------------------------
// Concurrency: every member votes at the same moment.

/// Voters in the concurrency test: Ada, Ben and this many more members.
const VOTERS: usize = 200;
/// Setup requests (adding members, signing in: argon2 on the server) in flight at once.
const SETUP_IN_FLIGHT: usize = 8;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_members_voting_at_once_are_each_counted_exactly_once() {
    let coop = TestCoop::start();
    let anon = Caller::anonymous(&coop);
    let ada = anon.sign_in(&coop.admin).await;
    ada.set_class("ordinary", majority(), &["member"]).await;

    // The members, added by the admin over the API (each password hashed with argon2 by the
    // server). Every hash takes 19 MiB, so at most SETUP_IN_FLIGHT requests are in flight.
    let gate = Arc::new(tokio::sync::Semaphore::new(SETUP_IN_FLIGHT));
    let started = Instant::now();
    let mut adding = tokio::task::JoinSet::new();
    for i in 0..VOTERS - 2 {
        let (ada, gate) = (ada.clone(), gate.clone());
        adding.spawn(async move {
            let _permit = gate.acquire_owned().await.unwrap();
            let (name, email, password) = (format!("Voter {i:03}"), format!("voter{i:03}@example.org"), format!("voter-password-{i:03}"));
            let added = ada.post("/api/v1/members", json!({"name": name, "email": email, "state": "member", "password": password})).await.ok(201);
            Account { id: id_of(&added), name, email, password }
        });
    }
    let mut accounts: Vec<Account> = vec![coop.admin.clone(), coop.member.clone()];
    while let Some(a) = adding.join_next().await {
        accounts.push(a.expect("an add task"));
    }
    let add_time = started.elapsed();

    // Everyone signs in (argon2 again).
    let started = Instant::now();
    let mut signing = tokio::task::JoinSet::new();
    for a in accounts.clone() {
        let (anon, gate) = (anon.clone(), gate.clone());
        signing.spawn(async move {
            let _permit = gate.acquire_owned().await.unwrap();
            (a.id, anon.sign_in(&a).await)
        });
    }
    let mut voters: Vec<(i64, Caller)> = Vec::new();
    while let Some(v) = signing.join_next().await {
        voters.push(v.expect("a sign-in task"));
    }
    let sign_in_time = started.elapsed();
    voters.sort_by_key(|(id, _)| *id);
    let ids: BTreeSet<i64> = voters.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids.len(), VOTERS);

    // Round A: everyone but Ben sends two different votes at the same moment. Each member must
    // end up counted once, whichever of their two votes committed last.
    let twice = id_of(&ada.open("ordinary", "Move to a four-day week", json!({})).await);
    let once = id_of(&ada.open("ordinary", "Join the regional federation", json!({})).await);
    assert_eq!(ada.proposal(once).await["eligible"], VOTERS as i64, "the candidate is not eligible");
    let barrier = Arc::new(tokio::sync::Barrier::new(2 * (VOTERS - 1)));
    let mut tasks = tokio::task::JoinSet::new();
    for (id, caller) in voters.iter().filter(|(id, _)| *id != coop.member.id) {
        for choice in ["yes", "no"] {
            let (id, caller, barrier) = (*id, caller.clone(), barrier.clone());
            tasks.spawn(async move {
                barrier.wait().await;
                (id, caller.vote(twice, json!({"choice": choice})).await)
            });
        }
    }
    let started = Instant::now();
    let mut replaced_per_member: std::collections::BTreeMap<i64, Vec<bool>> = Default::default();
    while let Some(done) = tasks.join_next().await {
        let (id, answer) = done.expect("a vote task");
        let receipt = answer.ok(200);
        replaced_per_member.entry(id).or_default().push(receipt["replaced"].as_bool().unwrap());
    }
    let double_time = started.elapsed();
    for (id, replaced) in &replaced_per_member {
        let mut r = replaced.clone();
        r.sort();
        assert_eq!(r, vec![false, true], "member {id}: one first vote and one replacement");
    }
    let p = ada.proposal(twice).await;
    assert_eq!(p["status"], "open", "Ben has not voted");
    assert_eq!(p["turnout"], VOTERS as i64 - 1);
    let t = &p["tally"];
    assert_eq!(t["yes"].as_i64().unwrap() + t["no"].as_i64().unwrap(), VOTERS as i64 - 1, "{t}");
    assert_eq!(t["abstain"], 0);
    let counted: Vec<i64> = p["votes"].as_array().unwrap().iter().map(|v| v["member_id"].as_i64().unwrap()).collect();
    assert_eq!(counted.len(), VOTERS - 1);
    assert_eq!(counted.iter().copied().collect::<BTreeSet<_>>(), ids.iter().copied().filter(|id| *id != coop.member.id).collect());

    // Round B: all 200 vote once at the same moment; the last one closes the proposal.
    let barrier = Arc::new(tokio::sync::Barrier::new(VOTERS));
    let mut tasks = tokio::task::JoinSet::new();
    for (i, (id, caller)) in voters.iter().enumerate() {
        let choice = if i % 4 == 0 { "no" } else { "yes" };
        let (id, caller, barrier) = (*id, caller.clone(), barrier.clone());
        tasks.spawn(async move {
            barrier.wait().await;
            let sent = Instant::now();
            let answer = caller.vote(once, json!({"choice": choice})).await;
            (id, choice, answer, sent.elapsed())
        });
    }
    let started = Instant::now();
    let mut closed_with = Vec::new();
    let mut latencies = Vec::new();
    while let Some(done) = tasks.join_next().await {
        let (id, _choice, answer, latency) = done.expect("a vote task");
        assert!(answer.status < 500, "member {id}: {} {}", answer.status, answer.text);
        let receipt = answer.ok(200);
        assert_eq!(receipt["replaced"], false, "member {id}");
        if let Some(s) = receipt["closed_with"].as_str() {
            closed_with.push(s.to_string());
        }
        latencies.push(latency);
    }
    let burst_time = started.elapsed();
    assert_eq!(closed_with, vec!["passed".to_string()], "exactly one vote, the last, closed it");
    let p = ada.proposal(once).await;
    let no = (VOTERS as i64 + 3) / 4;
    assert_eq!(p["status"], "passed", "{}", p["summary"]);
    assert_eq!(p["eligible"], VOTERS as i64);
    assert_eq!(p["turnout"], VOTERS as i64);
    assert_eq!(p["tally"], json!({"yes": VOTERS as i64 - no, "no": no, "abstain": 0}));
    let counted: Vec<i64> = p["votes"].as_array().unwrap().iter().map(|v| v["member_id"].as_i64().unwrap()).collect();
    assert_eq!(counted.len(), VOTERS, "one vote per member");
    assert_eq!(counted.into_iter().collect::<BTreeSet<_>>(), ids);
    assert!(p["sealed_hash"].is_string());
    // The CLI reads the same record, and the journal still verifies.
    let shown = cli_show(&coop, once);
    assert_eq!((shown["turnout"].clone(), shown["tally"].clone()), (p["turnout"].clone(), p["tally"].clone()));
    let verify = ada.get("/api/v1/journal/verify").await.ok(200);
    assert_eq!(verify["ok"], true, "{verify}");

    latencies.sort();
    let pct = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q) as usize];
    println!(
        "concurrency: {n} members added over the API ({SETUP_IN_FLIGHT} in flight) in {add:.2?} ({add_each:.1?} each); {VOTERS} sign-ins ({SETUP_IN_FLIGHT} in flight) in {sign:.2?}; \
         {double} double votes at once in {double_time:.2?}; {VOTERS} votes at once in {burst:.2?} ({rate:.0} votes/s), \
         latency p50 {p50:.2?} p95 {p95:.2?} max {max:.2?}",
        n = VOTERS - 2,
        add = add_time,
        add_each = add_time / (VOTERS as u32 - 2),
        sign = sign_in_time,
        double = 2 * (VOTERS - 1),
        burst = burst_time,
        rate = VOTERS as f64 / burst_time.as_secs_f64(),
        p50 = pct(0.5),
        p95 = pct(0.95),
        max = pct(1.0),
    );
}
