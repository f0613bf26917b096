//! Black-box tests of the elections API: the real `coop` binary, prepared with the CLI and
//! served on a free port, driven with reqwest. An STV count small enough to check by hand,
//! nominations, every ballot shape, receipts, the BLT export, and the OpenAPI document.

mod common;

use common::api::{matches_schema, Answer, Caller};
use common::{add_member, coop as run_coop, Account, TestCoop};
use coop_core::election::{parse_blt, Ballot};
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// Every elections route, with its methods.
const ELECTION_ROUTES: &[(&str, &[&str])] = &[
    ("/api/v1/elections", &["get", "post"]),
    ("/api/v1/elections/{id}", &["get"]),
    ("/api/v1/elections/{id}/nominations", &["post"]),
    ("/api/v1/elections/{id}/open", &["post"]),
    ("/api/v1/elections/{id}/ballots", &["post"]),
    ("/api/v1/elections/{id}/close", &["post"]),
    ("/api/v1/elections/{id}/blt", &["get"]),
];

// ---------------------------------------------------------------------------------------------
// The API in words, on the shared client (tests/common/api.rs).

impl Caller {
    async fn election(&self, id: i64) -> Value {
        self.get(&format!("/api/v1/elections/{id}")).await.ok(200)
    }

    async fn ballot(&self, id: i64, body: Value) -> Answer {
        self.post(&format!("/api/v1/elections/{id}/ballots"), body).await
    }
}

fn id_of(v: &Value) -> i64 {
    v["id"].as_i64().unwrap_or_else(|| panic!("no id in {v}"))
}

/// `coop election show ID --json`, as the contract defines it.
fn cli_show(coop: &TestCoop, id: i64) -> Value {
    let out = run_coop(&coop.data(), &["election", "show", &id.to_string(), "--json"], None);
    serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("election show --json printed {out:?}: {e}"))
}

/// The votes of `candidate` in a round's tallies.
#[track_caller]
fn votes(round: &Value, candidate: &str) -> String {
    round["tallies"]
        .as_array()
        .and_then(|ts| ts.iter().find(|t| t["candidate"] == candidate))
        .and_then(|t| t["votes"].as_str())
        .unwrap_or_else(|| panic!("no tally of {candidate} in {round}"))
        .to_string()
}

/// Two more members, so that five people vote: Ada, Ben, Cleo (a candidate), Dee and Eve.
fn two_more(coop: &TestCoop) -> (Account, Account) {
    let dee = add_member(&coop.data(), "Dee Dough", "dee@example.org", "member", &[], Some("dee-password-1"));
    let eve = add_member(&coop.data(), "Eve Oven", "eve@example.org", "member", &[], Some("eve-password-1"));
    (dee, eve)
}

// ---------------------------------------------------------------------------------------------

/// Five ballots, two seats, Scottish STV. By hand:
/// - quota = floor(5 / (2 + 1)) + 1 = 2;
/// - round 1, first preferences: Ana 3, Bo 1, Cy 1; Ana reaches the quota and is elected;
/// - round 2, Ana's surplus of 1 passes on: each of her 3 papers at 1 × 1 / 3 = 0.33333
///   (five decimals, truncated): two to Bo (0.66666), one to Cy (0.33333). Bo 1.66666,
///   Cy 1.33333, and 0.00001 is lost to the truncation;
/// - round 3, no surplus left: Cy, the lowest, is excluded; neither of Cy's papers (`Cy`,
///   and `Ana>Cy` at 0.33333) has a further choice, so 1.33333 becomes non-transferable; Bo is
///   the only continuing candidate for the last seat and is elected.
#[tokio::test]
async fn an_stv_election_is_counted_as_checked_by_hand_and_exports_blt() {
    let coop = TestCoop::start();
    let (dee, eve) = two_more(&coop);
    let anon = Caller::anonymous(&coop);
    let ada = anon.sign_in(&coop.admin).await;
    let ben = anon.sign_in(&coop.member).await;
    let cleo = anon.sign_in(&coop.candidate).await;
    let dee = anon.sign_in(&dee).await;
    let eve = anon.sign_in(&eve).await;

    let request = json!({"title": "Board 2026", "seats": 2, "method": "stv", "candidates": ["Ana", "Bo", "Cy"], "eligible": ["member", "candidate"]});
    // A plain member may not call an election.
    ben.post("/api/v1/elections", request.clone()).await.assert_error(403, None);
    let created = ada.post("/api/v1/elections", request).await.ok(201);
    let id = id_of(&created);
    assert_eq!(created["status"], "open");
    assert_eq!(created["method"], "stv");
    assert_eq!(created["seats"], 2);
    assert_eq!(created["candidates"], json!(["Ana", "Bo", "Cy"]));
    assert_eq!((created["eligible"].as_u64(), created["turnout"].as_u64()), (Some(5), Some(0)));
    assert_eq!((created["winners"].clone(), created["rounds"].clone(), created["quota"].clone()), (json!([]), json!([]), Value::Null));
    assert!(created["closes_at"].as_str().is_some_and(|c| c.ends_with('Z')), "{created}");
    let listed = ben.get("/api/v1/elections").await.ok(200);
    assert_eq!(listed.as_array().map(|l| l.len()), Some(1));

    // Bad ballots are refused, naming the key that was sent, and record nothing.
    ben.ballot(id, json!({"ranking": "Ana>Zed"})).await.assert_error(422, Some("ranking"));
    ben.ballot(id, json!({"ranking": "Ana>Ana"})).await.assert_error(422, Some("ranking"));
    ben.ballot(id, json!({"ranking": ""})).await.assert_error(422, Some("ranking"));
    ben.ballot(id, json!({"choice": "Ana"})).await.assert_error(422, Some("choice"));
    ben.ballot(id, json!({})).await.assert_error(422, Some("ballot"));
    ben.ballot(id, json!({"ranking": "Ana", "approve": "Ana"})).await.assert_error(422, Some("ballot"));
    ben.ballot(id, json!({"ranking": "Ana", "colour": "red"})).await.assert_error(422, Some("colour"));
    assert_eq!(ben.election(id).await["turnout"], 0);

    // Ben's first ballot gets a receipt; a second one without it is a conflict; with it, it
    // replaces the first (and here puts it back as it was).
    let first = ben.ballot(id, json!({"ranking": "Ana>Bo"})).await.ok(200);
    assert_eq!((first["election_id"].as_i64(), first["replaced"].as_bool()), (Some(id), Some(false)));
    let receipt = first["receipt"].as_str().expect("a receipt").to_string();
    assert_eq!(receipt.len(), 32, "{receipt}");
    ben.ballot(id, json!({"ranking": "Cy"})).await.assert_error(409, None);
    ben.ballot(id, json!({"ranking": "Cy", "receipt": "not-a-receipt"})).await.assert_error(422, Some("receipt"));
    let changed = ben.ballot(id, json!({"ranking": "Cy>Bo", "receipt": receipt})).await.ok(200);
    assert_eq!((changed["replaced"].as_bool(), changed["receipt"].clone()), (Some(true), Value::Null));
    ben.ballot(id, json!({"ranking": " Ana > Bo ", "receipt": format!(" {receipt} ")})).await.ok(200);
    let mid = ben.election(id).await;
    assert_eq!((mid["turnout"].as_u64(), mid["voted"].as_bool()), (Some(1), Some(true)));
    assert_eq!(mid["ballots"], json!([]), "ballots stay unpublished while voting is open");

    ada.ballot(id, json!({"ranking": "Ana>Bo"})).await.ok(200);
    cleo.ballot(id, json!({"ranking": "Ana>Cy"})).await.ok(200);
    dee.ballot(id, json!({"ranking": "Cy"})).await.ok(200);
    eve.ballot(id, json!({"ranking": "Bo>Cy"})).await.ok(200);

    // Not yet closed: no BLT; only the secretary or an admin closes.
    ben.get(&format!("/api/v1/elections/{id}/blt")).await.assert_error(409, None);
    ben.post(&format!("/api/v1/elections/{id}/close"), json!({})).await.assert_error(403, None);
    let closed = ada.post(&format!("/api/v1/elections/{id}/close"), json!({})).await.ok(200);
    ada.post(&format!("/api/v1/elections/{id}/close"), json!({})).await.assert_error(409, None);
    eve.ballot(id, json!({"ranking": "Ana"})).await.assert_error(409, None);

    let e = ben.election(id).await;
    assert_eq!(
        e,
        Value::Object({
            let mut m = closed.as_object().unwrap().clone();
            m.insert("voted".into(), json!(true));
            m
        }),
        "the close answers the election as counted"
    );
    assert_eq!(e["status"], "closed");
    assert_eq!(e["turnout"], 5);
    assert_eq!(e["quota"], 2);
    assert_eq!(e["winners"], json!(["Ana", "Bo"]));
    assert!(e["sealed_hash"].as_str().is_some_and(|h| h.len() == 64), "{e}");
    let rounds = e["rounds"].as_array().expect("rounds");
    assert_eq!(rounds.len(), 3, "{}", e["rounds"]);

    let r1 = &rounds[0];
    assert_eq!(r1["round"], 1);
    assert_eq!(r1["action"], json!({"kind": "count"}));
    assert_eq!((votes(r1, "Ana"), votes(r1, "Bo"), votes(r1, "Cy")), ("3".into(), "1".into(), "1".into()));
    assert_eq!(r1["elected"], json!([{"candidate": "Ana", "reason": "quota", "tie": null}]));
    assert_eq!(r1["excluded"], json!([]));

    let r2 = &rounds[1];
    assert_eq!(r2["action"], json!({"kind": "surplus", "candidate": "Ana", "surplus": "1", "tie": null}));
    assert_eq!((votes(r2, "Ana"), votes(r2, "Bo"), votes(r2, "Cy")), ("2".into(), "1.66666".into(), "1.33333".into()));
    assert_eq!(r2["lost_to_rounding"], "0.00001");
    assert_eq!(r2["non_transferable"], "0");
    let moved: BTreeSet<(String, String, u64)> = r2["transfers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["to"].as_str().unwrap_or("-").to_string(), t["votes"].as_str().unwrap().to_string(), t["papers"].as_u64().unwrap()))
        .collect();
    assert_eq!(moved, BTreeSet::from([("Bo".into(), "0.66666".into(), 2), ("Cy".into(), "0.33333".into(), 1)]));
    assert!(r2["transfers"].as_array().unwrap().iter().all(|t| t["from"] == "Ana"));

    let r3 = &rounds[2];
    assert_eq!(r3["action"], json!({"kind": "exclusion", "candidate": "Cy"}));
    assert_eq!(r3["excluded"], json!([{"candidate": "Cy", "reason": "lowest", "tie": null}]));
    assert_eq!((votes(r3, "Ana"), votes(r3, "Bo"), votes(r3, "Cy")), ("2".into(), "1.66666".into(), "0".into()));
    assert_eq!(r3["non_transferable"], "1.33333");
    assert_eq!(r3["elected"], json!([{"candidate": "Bo", "reason": "remaining_seats", "tie": null}]));
    assert_eq!(r3["transfers"], json!([{"from": "Cy", "to": null, "papers": 2, "votes": "1.33333"}]));

    // The API answers what `coop election show --json` prints (the caller's `voted` aside).
    let mut cli = cli_show(&coop, id);
    cli.as_object_mut().unwrap().remove("voted");
    let mut api = e.clone();
    api.as_object_mut().unwrap().remove("voted");
    assert_eq!(api, cli);

    // The ballots are published, without names; each receipt finds its own.
    let ballots = e["ballots"].as_array().unwrap();
    assert_eq!(ballots.len(), 5);
    let texts: BTreeSet<&str> = ballots.iter().map(|b| b["ballot"].as_str().unwrap()).collect();
    assert_eq!(texts, BTreeSet::from(["Ana>Bo", "Ana>Cy", "Cy", "Bo>Cy"]));
    let mine = coop_core::journal::sha256_hex(receipt.as_bytes());
    let found: Vec<&Value> = ballots.iter().filter(|b| b["receipt_hash"] == mine.as_str()).collect();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["ballot"], "Ana>Bo");
    assert!(!e.to_string().contains("Ben Baker"), "no name among the ballots");

    // The BLT export reads back: the same candidates, seats and ballots.
    let blt = ben.get(&format!("/api/v1/elections/{id}/blt")).await;
    assert_eq!(blt.status, 200, "{}", blt.text);
    assert!(blt.header("content-type").is_some_and(|c| c.starts_with("text/plain")), "{:?}", blt.headers);
    assert!(blt.header("content-disposition").is_some_and(|c| c.contains(&format!("election-{id}.blt"))));
    let parsed = parse_blt(&blt.text).unwrap_or_else(|e| panic!("{e}: {}", blt.text));
    assert_eq!(parsed.title, "Board 2026");
    assert_eq!(parsed.candidates, vec!["Ana", "Bo", "Cy"]);
    assert_eq!(parsed.seats, 2);
    assert_eq!(parsed.ballots.len(), ballots.len());
    let mut read: Vec<String> = parsed.ballots.iter().map(|b| b.to_text(&parsed.candidates)).collect();
    let mut sent: Vec<String> = ballots.iter().map(|b| b["ballot"].as_str().unwrap().to_string()).collect();
    read.sort();
    sent.sort();
    assert_eq!(read, sent);
    assert!(parsed.ballots.iter().all(|b| matches!(b, Ballot::Ranking(_))));
}

#[tokio::test]
async fn nominations_come_first_then_the_secretary_opens_voting() {
    let coop = TestCoop::start();
    let anon = Caller::anonymous(&coop);
    let ada = anon.sign_in(&coop.admin).await;
    let ben = anon.sign_in(&coop.member).await;

    // Without candidates the election takes nominations.
    let created = ada.post("/api/v1/elections", json!({"title": "Treasurer", "seats": 1, "method": "plurality"})).await.ok(201);
    let id = id_of(&created);
    assert_eq!((created["status"].as_str(), created["eligible"].as_u64(), created["opens_at"].clone()), (Some("nominating"), Some(0), Value::Null));
    ben.ballot(id, json!({"choice": "Ana"})).await.assert_error(409, None);
    ada.post(&format!("/api/v1/elections/{id}/open"), json!({})).await.assert_error(422, Some("candidates"));

    // Anyone taking part nominates; a name twice, or one a ballot could not carry, is refused.
    let after = ben.post(&format!("/api/v1/elections/{id}/nominations"), json!({"name": "Ana"})).await.ok(201);
    assert_eq!(after["candidates"], json!(["Ana"]));
    ben.post(&format!("/api/v1/elections/{id}/nominations"), json!({"name": "Ana"})).await.assert_error(422, Some("name"));
    ben.post(&format!("/api/v1/elections/{id}/nominations"), json!({"name": "A>B"})).await.assert_error(422, Some("name"));
    ben.post(&format!("/api/v1/elections/{id}/nominations"), json!({})).await.assert_error(422, Some("name"));
    ada.post(&format!("/api/v1/elections/{id}/nominations"), json!({"name": "Bo"})).await.ok(201);

    // Only the secretary or an admin opens it, and not with a closing time in the past.
    ben.post(&format!("/api/v1/elections/{id}/open"), json!({})).await.assert_error(403, None);
    ada.post(&format!("/api/v1/elections/{id}/open"), json!({"closes_at": "2001-01-01T00:00:00Z"})).await.assert_error(422, Some("closes_at"));
    ada.post(&format!("/api/v1/elections/{id}/open"), json!({"closes_at": "next week"})).await.assert_error(422, Some("closes_at"));
    let opened = ada.post(&format!("/api/v1/elections/{id}/open"), json!({"closes_at": "2099-01-01T12:00:00Z"})).await.ok(200);
    assert_eq!((opened["status"].as_str(), opened["eligible"].as_u64()), (Some("open"), Some(2)));
    let closes: jiff::Timestamp = opened["closes_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(closes, "2099-01-01T12:00:00Z".parse::<jiff::Timestamp>().unwrap());
    ada.post(&format!("/api/v1/elections/{id}/open"), json!({})).await.assert_error(409, None);
    ben.post(&format!("/api/v1/elections/{id}/nominations"), json!({"name": "Cy"})).await.assert_error(409, None);

    // A plurality ballot is one choice; candidates do not vote unless the election admits them.
    ben.ballot(id, json!({"choice": "Ana,Bo"})).await.assert_error(422, Some("choice"));
    ben.ballot(id, json!({"ranking": "Ana>Bo"})).await.assert_error(422, Some("ranking"));
    ben.ballot(id, json!({"choice": "Bo"})).await.ok(200);
    ada.ballot(id, json!({"choice": "Bo"})).await.ok(200);
    let cleo = anon.sign_in(&coop.candidate).await;
    let refused = cleo.ballot(id, json!({"choice": "Ana"})).await.assert_error(403, None);
    assert!(refused["error"].as_str().unwrap().contains("member"), "{refused}");

    let e = ada.post(&format!("/api/v1/elections/{id}/close"), json!({})).await.ok(200);
    assert_eq!((e["winners"].clone(), e["quota"].clone()), (json!(["Bo"]), Value::Null));
    assert_eq!(e["rounds"][0]["elected"][0]["reason"], "most_votes");
    let blt = parse_blt(&ben.get(&format!("/api/v1/elections/{id}/blt")).await.text).expect("a BLT file");
    assert_eq!(blt.ballots.len(), 2);

    // Bad requests name their field.
    ada.post("/api/v1/elections", json!({"title": "X", "seats": 1, "method": "borda", "candidates": ["A"]})).await.assert_error(422, Some("method"));
    ada.post("/api/v1/elections", json!({"title": "X", "seats": 2, "method": "irv", "candidates": ["A", "B"]})).await.assert_error(422, Some("seats"));
    ada.post("/api/v1/elections", json!({"title": "X", "seats": 3, "method": "stv", "candidates": ["A", "B"]})).await.assert_error(422, Some("seats"));
    ada.post("/api/v1/elections", json!({"title": " ", "seats": 1, "method": "stv", "candidates": ["A"]})).await.assert_error(422, Some("title"));
    ada.post("/api/v1/elections", json!({"title": "X", "seats": 1, "method": "stv", "candidates": ["A", "A"]})).await.assert_error(422, Some("candidates"));
    ada.post("/api/v1/elections", json!({"title": "X", "seats": "one", "method": "stv"})).await.assert_error(422, Some("seats"));
    ada.post("/api/v1/elections", json!({"title": "X", "seats": 1, "method": "stv", "eligible": ["members"]})).await.assert_error(422, Some("eligible[0]"));
    ada.post("/api/v1/elections", json!({"title": "X", "seats": 1, "method": "stv", "candidates": ["A"], "closes_at": "soon"}))
        .await
        .assert_error(422, Some("closes_at"));
    ada.get("/api/v1/elections/999999").await.assert_error(404, None);
    ada.get("/api/v1/elections/abc").await.assert_error(422, Some("id"));
}

#[tokio::test]
async fn approval_ballots_count_but_have_no_blt_form() {
    let coop = TestCoop::start();
    let anon = Caller::anonymous(&coop);
    let ada = anon.sign_in(&coop.admin).await;
    let ben = anon.sign_in(&coop.member).await;
    let e = ada.post("/api/v1/elections", json!({"title": "Committee", "seats": 2, "method": "approval", "candidates": ["Ana", "Bo", "Cy"]})).await.ok(201);
    let id = id_of(&e);
    ben.ballot(id, json!({"ranking": "Ana>Bo"})).await.assert_error(422, Some("ranking"));
    ben.ballot(id, json!({"approve": "Ana,Cy"})).await.ok(200);
    ada.ballot(id, json!({"approve": "Cy"})).await.ok(200);
    let closed = ada.post(&format!("/api/v1/elections/{id}/close"), json!({})).await.ok(200);
    assert_eq!(closed["winners"], json!(["Cy", "Ana"]));
    assert_eq!(votes(&closed["rounds"][0], "Cy"), "2");
    let refused = ben.get(&format!("/api/v1/elections/{id}/blt")).await.assert_error(409, None);
    assert!(refused["error"].as_str().unwrap().contains("approval"), "{refused}");
}

#[tokio::test]
async fn the_openapi_document_describes_the_elections_api_and_every_route_needs_sign_in() {
    let coop = TestCoop::start();
    let anon = Caller::anonymous(&coop);
    let doc = anon.get("/api/v1/openapi.json").await.ok(200);
    for (path, methods) in ELECTION_ROUTES {
        let item = &doc["paths"][*path];
        for m in *methods {
            let op = &item[*m];
            assert!(op["responses"].as_object().is_some_and(|r| r.contains_key("401")), "{m} {path} is documented with its 401: {item}");
            assert!(op["security"].as_array().is_some_and(|s| !s.is_empty()), "{m} {path} says how to authenticate");
            assert_eq!(op["tags"], json!(["elections"]), "{m} {path}");
        }
    }
    let ballots = &doc["paths"]["/api/v1/elections/{id}/ballots"]["post"];
    for status in ["200", "401", "403", "404", "409", "422"] {
        assert!(ballots["responses"].get(status).is_some(), "the ballot documents {status}");
    }
    assert!(doc["paths"]["/api/v1/elections/{id}/blt"]["get"]["responses"]["200"]["content"].get("text/plain").is_some());
    // Not signed in: 401 everywhere, before anything is read.
    for (path, methods) in ELECTION_ROUTES {
        for m in *methods {
            let concrete = path.replace("{id}", "1");
            let method = Method::from_bytes(m.to_uppercase().as_bytes()).unwrap();
            let body = (*m == "post").then(|| json!({}));
            let body = anon.send(method, &concrete, body).await.assert_error(401, None);
            assert!(body["error"].as_str().unwrap().contains("sign in"), "{m} {path}: {body}");
        }
    }

    // What the API sends is what the document says.
    let ada = anon.sign_in(&coop.admin).await;
    let ben = anon.sign_in(&coop.member).await;
    let e = ada.post("/api/v1/elections", json!({"title": "Board", "seats": 1, "method": "irv", "candidates": ["Ana", "Bo", "Cy"]})).await.ok(201);
    matches_schema(&doc, "ElectionView", &e);
    let id = id_of(&e);
    let receipt = ben.ballot(id, json!({"ranking": "Cy>Bo"})).await.ok(200);
    matches_schema(&doc, "BallotReceipt", &receipt);
    ada.ballot(id, json!({"ranking": "Bo"})).await.ok(200);
    let closed = ada.post(&format!("/api/v1/elections/{id}/close"), json!({})).await.ok(200);
    matches_schema(&doc, "ElectionView", &closed);
    for round in closed["rounds"].as_array().unwrap() {
        matches_schema(&doc, "RoundView", round);
        matches_schema(&doc, "TallyView", &round["tallies"][0]);
        for d in round["elected"].as_array().unwrap().iter().chain(round["excluded"].as_array().unwrap()) {
            matches_schema(&doc, "DecisionView", d);
        }
        for t in round["transfers"].as_array().unwrap() {
            matches_schema(&doc, "TransferView", t);
        }
    }
    matches_schema(&doc, "ElectionBallotView", &closed["ballots"][0]);
    // IRV, one seat: Bo 1, Cy 1 is a tie broken by ballot order (Cy, listed last, goes first).
    assert_eq!(closed["winners"], json!(["Bo"]));
}
