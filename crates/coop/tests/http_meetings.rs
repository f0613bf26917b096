//! Black-box tests of the meetings API: the real `coop` binary, prepared with the CLI and served
//! on a free port, driven with reqwest. A meeting scheduled with an agenda, mixed attendance
//! whose counts and the quorum of a linked proposal move as it is recorded (the same JSON as
//! `coop meeting show --json`), actions with an owner, minutes approved and sealed after which
//! the record is closed (409) and only errata are appended, the minutes as a PDF read back
//! with `pdftotext` (Debian's poppler-utils); and the contract's 401, 403 and 422 (naming the
//! field) with nothing written.

mod common;

use common::api::Caller;
use common::{coop as run_coop, TestCoop};
use reqwest::Method;
use serde_json::{json, Value};

/// Every meetings route with its methods.
const MEETING_ROUTES: &[(&str, &[&str])] = &[
    ("/api/v1/meetings", &["get", "post"]),
    ("/api/v1/meetings/{id}", &["get"]),
    ("/api/v1/meetings/{id}/items", &["post"]),
    ("/api/v1/meetings/{id}/suggestions", &["post"]),
    ("/api/v1/meetings/{id}/items/{item}/accept", &["post"]),
    ("/api/v1/meetings/{id}/items/{item}/notes", &["put"]),
    ("/api/v1/meetings/{id}/agenda", &["put"]),
    ("/api/v1/meetings/{id}/publish", &["post"]),
    ("/api/v1/meetings/{id}/attendance/{member}", &["put"]),
    ("/api/v1/meetings/{id}/roles/{role}", &["put"]),
    ("/api/v1/meetings/{id}/rotation", &["get"]),
    ("/api/v1/meetings/{id}/actions", &["post"]),
    ("/api/v1/actions", &["get"]),
    ("/api/v1/actions/{id}/done", &["post"]),
    ("/api/v1/actions/{id}/reopen", &["post"]),
    ("/api/v1/meetings/{id}/minutes/circulate", &["post"]),
    ("/api/v1/meetings/{id}/minutes/reopen", &["post"]),
    ("/api/v1/meetings/{id}/minutes/approve", &["post"]),
    ("/api/v1/meetings/{id}/minutes/proposal", &["post"]),
    ("/api/v1/meetings/{id}/errata", &["post"]),
    ("/api/v1/meetings/{id}/minutes.md", &["get"]),
    ("/api/v1/meetings/{id}/minutes.html", &["get"]),
    ("/api/v1/meetings/{id}/minutes.pdf", &["get"]),
    ("/api/v1/meetings/{id}/event.ics", &["get"]),
    ("/api/v1/calendar.ics", &["get"]),
];

// ---------------------------------------------------------------------------------------------
// The API in words, on the shared client (tests/common/api.rs).

impl Caller {
    /// Schedules a meeting; asserts 201 and returns it.
    async fn schedule(&self, body: Value) -> Value {
        self.post("/api/v1/meetings", body).await.ok(201)
    }

    async fn meeting(&self, id: i64) -> Value {
        self.get(&format!("/api/v1/meetings/{id}")).await.ok(200)
    }

    /// Adds an agenda item; asserts 201 and returns it.
    async fn add_item(&self, meeting: i64, body: Value) -> Value {
        self.post(&format!("/api/v1/meetings/{meeting}/items"), body).await.ok(201)
    }

    /// Records attendance; asserts 200 and returns the meeting as now.
    async fn attend(&self, meeting: i64, member: &str, kind: &str) -> Value {
        self.put(&format!("/api/v1/meetings/{meeting}/attendance/{member}"), json!({"as": kind})).await.ok(200)
    }

    async fn minutes(&self, meeting: i64, step: &str) -> common::api::Answer {
        self.send(Method::POST, &format!("/api/v1/meetings/{meeting}/minutes/{step}"), None).await
    }

    /// The journal's head: an unchanged head means nothing was written.
    async fn head(&self) -> Value {
        self.get("/api/v1/journal/head").await.ok(200)
    }
}

/// `coop ARGS...` on the test's data directory, read as JSON (the server keeps running: WAL).
fn cli_json(coop: &TestCoop, args: &[&str]) -> Value {
    let out = run_coop(&coop.data(), args, None);
    serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("coop {args:?} printed {out:?}: {e}"))
}

/// An instant as text without its zero fraction (`...:00.000000Z` is `...:00Z`).
fn instant(v: &Value) -> String {
    let t = v.as_str().unwrap_or_else(|| panic!("an instant: {v}"));
    match t.split_once('.') {
        Some((whole, frac)) if frac.trim_end_matches('Z').bytes().all(|b| b == b'0') => format!("{whole}Z"),
        _ => t.to_string(),
    }
}

fn decision<'a>(meeting: &'a Value, proposal: i64) -> &'a Value {
    meeting["decisions"].as_array().unwrap().iter().find(|d| d["proposal_id"] == proposal).unwrap_or_else(|| panic!("proposal {proposal} not in {meeting}"))
}

// ---------------------------------------------------------------------------------------------
// The document and the contract's 401.

#[tokio::test]
async fn every_meetings_route_is_documented_and_refuses_anonymous_callers() {
    let coop = TestCoop::start();
    let anon = Caller::anonymous(&coop);
    let doc = anon.get("/api/v1/openapi.json").await.ok(200);
    for (path, methods) in MEETING_ROUTES {
        let item = doc["paths"].get(*path).unwrap_or_else(|| panic!("{path} is missing from the document"));
        for m in *methods {
            let op = item.get(*m).unwrap_or_else(|| panic!("{m} {path} is missing from the document"));
            assert!(op["responses"].as_object().is_some_and(|r| r.contains_key("401")), "{m} {path} documents its 401");
            assert!(op["security"].as_array().is_some_and(|s| !s.is_empty()), "{m} {path} says how to authenticate");
            assert_eq!(op["tags"], json!(["meetings"]), "{m} {path}");
        }
    }
    assert!(doc["tags"].as_array().unwrap().iter().any(|t| t["name"] == "meetings"));
    // The meeting's schema carries the contract's keys.
    let props = doc["components"]["schemas"]["MeetingView"]["properties"].as_object().expect("MeetingView");
    for key in ["id", "title", "at", "status", "attendance", "items", "actions", "sealed_hash"] {
        assert!(props.contains_key(key), "MeetingView.{key}");
    }
    assert_eq!(
        doc["paths"]["/api/v1/meetings/{id}/minutes.md"]["get"]["responses"]["200"]["content"].as_object().unwrap().keys().collect::<Vec<_>>(),
        vec!["text/markdown"]
    );

    for (path, methods) in MEETING_ROUTES {
        let concrete = path.replace("{id}", "1").replace("{item}", "1").replace("{member}", "1").replace("{role}", "facilitator");
        for m in *methods {
            let method = Method::from_bytes(m.to_uppercase().as_bytes()).unwrap();
            let body = matches!(*m, "post" | "put").then(|| json!({}));
            anon.send(method, &concrete, body).await.assert_error(401, None);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A meeting from agenda to attendance and quorum.

#[tokio::test]
async fn a_meeting_gets_an_agenda_and_its_attendance_drives_the_quorum_of_a_linked_proposal() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    // A third member, so that the quorum below (3/4 of 3 eligible = 3) needs every member.
    let dan = ada.post("/api/v1/members", json!({"name": "Dan Dough", "email": "dan@example.org", "state": "member"})).await.ok(201)["id"].as_i64().unwrap();
    ada.put("/api/v1/classes/ordinary", json!({"rule": {"kind": "vote", "threshold": "1/2", "strict": false, "base": "cast", "quorum": "3/4"}})).await.ok(200);
    let proposal = ada.post("/api/v1/proposals", json!({"class": "ordinary", "title": "Buy an oven"})).await.ok(201)["id"].as_i64().unwrap();

    let m = ada
        .schedule(json!({"title": "General assembly", "at": "2025-04-01T17:00:00Z", "kind": "general", "minutes_long": 120, "place": "The bakery", "link": "https://meet.example.org/ga"}))
        .await;
    let id = m["id"].as_i64().unwrap();
    assert_eq!(m["meetings"], json!([id]), "a one-off is one meeting");
    assert_eq!((m["title"].as_str(), instant(&m["at"]), m["status"].as_str()), (Some("General assembly"), "2025-04-01T17:00:00Z".into(), Some("scheduled")));
    assert_eq!((m["minutes_long"].as_i64(), instant(&m["ends_at"]), m["minutes_status"].as_str()), (Some(120), "2025-04-01T19:00:00Z".into(), Some("draft")));
    assert_eq!(m["attendance"], json!({"present": 0, "remote": 0, "absent": 0, "excused": 0}));
    assert_eq!(m["sealed_hash"], Value::Null);

    let first = ada.add_item(id, json!({"title": "The oven", "presenter": "ben@example.org", "minutes": 20, "proposal_id": proposal})).await;
    assert_eq!((first["presenter_id"].as_i64(), first["presenter"].as_str()), (Some(coop.member.id), Some("Ben Baker")));
    assert_eq!((first["minutes_box"].as_i64(), first["proposal_id"].as_i64(), first["state"].as_str()), (Some(20), Some(proposal), Some("agenda")));
    let second = ada.add_item(id, json!({"title": "Any other business", "notes": "Nothing yet"})).await;
    // Reordered: the second item first.
    let (a, b) = (first["id"].as_i64().unwrap(), second["id"].as_i64().unwrap());
    let now = ada.put(&format!("/api/v1/meetings/{id}/agenda"), json!({"order": [b, a]})).await.ok(200);
    let titles: Vec<(&str, i64)> = now["items"].as_array().unwrap().iter().map(|i| (i["title"].as_str().unwrap(), i["position"].as_i64().unwrap())).collect();
    assert_eq!(titles, vec![("Any other business", 1), ("The oven", 2)]);
    let published = ada.post(&format!("/api/v1/meetings/{id}/publish"), json!({})).await;
    // No body is needed; one sent is ignored as for every bodiless POST.
    assert!(published.ok(200)["agenda_published_at"].as_str().is_some());

    // Linked by the item: its quorum is 3 of 3 eligible, nobody is recorded yet.
    let d = decision(&now, proposal).clone();
    assert_eq!(
        (d["at_meeting"].as_bool(), d["quorum"].as_str(), d["eligible"].as_u64(), d["needed"].as_u64(), d["present"].as_u64(), d["met"].as_bool()),
        (Some(false), Some("3/4"), Some(3), Some(3), Some(0), Some(false))
    );

    // Mixed attendance, by email and by id; remote counts as present.
    ada.attend(id, "ada@example.org", "present").await;
    ada.attend(id, &coop.member.id.to_string(), "Remote").await;
    ada.attend(id, &coop.candidate.id.to_string(), "excused").await;
    let now = ada.attend(id, &dan.to_string(), "absent").await;
    assert_eq!(now["attendance"], json!({"present": 1, "remote": 1, "absent": 1, "excused": 1}));
    assert_eq!(now["status"], "held", "attendance makes the meeting held");
    let d = decision(&now, proposal);
    assert_eq!((d["present"].as_u64(), d["needed"].as_u64(), d["met"].as_bool()), (Some(2), Some(3), Some(false)), "{d}");
    // Dan arrives: a later record replaces the earlier, and the quorum is met.
    let now = ada.attend(id, "dan@example.org", "present").await;
    assert_eq!(now["attendance"], json!({"present": 2, "remote": 1, "absent": 0, "excused": 1}));
    let d = decision(&now, proposal);
    assert_eq!((d["present"].as_u64(), d["met"].as_bool()), (Some(3), Some(true)), "{d}");
    let dan_row = now["attendees"].as_array().unwrap().iter().find(|a| a["member_id"] == dan).unwrap();
    assert_eq!(dan_row["attendance"], "present");

    // Roles; the note-taker (a plain member) then writes an item's notes, a candidate may not.
    let ben = Caller::signed_in(&coop, &coop.member).await;
    let cleo = Caller::signed_in(&coop, &coop.candidate).await;
    let notes = format!("/api/v1/meetings/{id}/items/{a}/notes");
    ben.put(&notes, json!({"notes": "Ben's notes"})).await.assert_error(403, None);
    let now = ada.put(&format!("/api/v1/meetings/{id}/roles/note_taker"), json!({"member": "ben@example.org"})).await.ok(200);
    assert_eq!(now["roles"], json!([{"role": "note_taker", "member_id": coop.member.id, "name": "Ben Baker", "email": "ben@example.org"}]));
    let now = ben.put(&notes, json!({"notes": "We buy the oven."})).await.ok(200);
    assert_eq!(now["items"].as_array().unwrap().iter().find(|i| i["id"] == a).unwrap()["notes"], "We buy the oven.");
    cleo.put(&notes, json!({"notes": "Cleo's notes"})).await.assert_error(403, None);
    // An item of another meeting is not found under this one.
    let other = ada.schedule(json!({"title": "Other", "at": "2025-05-01T17:00:00Z"})).await["id"].as_i64().unwrap();
    ada.put(&format!("/api/v1/meetings/{other}/items/{a}/notes"), json!({"notes": "x"})).await.assert_error(404, None);

    // A suggestion by the candidate waits for the record keeper.
    let s = cleo.post(&format!("/api/v1/meetings/{id}/suggestions"), json!({"title": "A day off"})).await.ok(201);
    assert_eq!((s["state"].as_str(), s["suggested_by"].as_i64()), (Some("suggested"), Some(coop.candidate.id)));
    let accept = format!("/api/v1/meetings/{id}/items/{}/accept", s["id"]);
    ben.post(&accept, json!({})).await.assert_error(403, None);
    let now = ada.post(&accept, json!({})).await.ok(200);
    assert_eq!(now["items"].as_array().unwrap().iter().find(|i| i["id"] == s["id"]).unwrap()["state"], "agenda");
    ada.post(&accept, json!({})).await.assert_error(409, None);

    // The API's meeting is `coop meeting show --json`, key for key.
    let api = ada.meeting(id).await;
    let cli = cli_json(&coop, &["meeting", "show", &id.to_string(), "--json"]);
    assert_eq!(api, cli);
    // And the list finds it by its start.
    let list = ben.get("/api/v1/meetings?from=2025-04-01T00:00:00Z&to=2025-04-02T00:00:00Z").await.ok(200);
    assert_eq!(list.as_array().unwrap().iter().map(|m| m["id"].as_i64().unwrap()).collect::<Vec<_>>(), vec![id]);
}

#[tokio::test]
async fn a_series_is_scheduled_at_once() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    let m = ada.schedule(json!({"title": "Production", "at": "2025-04-07T08:00:00Z", "kind": "production", "repeat": "weekly", "count": 3})).await;
    let ids = m["meetings"].as_array().unwrap();
    assert_eq!(ids.len(), 3);
    assert_eq!(m["repeat"], "weekly");
    let third = ada.meeting(ids[2].as_i64().unwrap()).await;
    assert_eq!((instant(&third["at"]), third["series_id"].as_i64()), ("2025-04-21T08:00:00Z".into(), m["id"].as_i64()));
}

// ---------------------------------------------------------------------------------------------
// Refusals: 403 and 422, with nothing written.

#[tokio::test]
async fn members_may_not_keep_the_record_and_bad_input_is_422_naming_the_field() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    let ben = Caller::signed_in(&coop, &coop.member).await;
    let id = ada.schedule(json!({"title": "General", "at": "2025-04-01T17:00:00Z"})).await["id"].as_i64().unwrap();
    let item = ada.add_item(id, json!({"title": "Budget"})).await["id"].as_i64().unwrap();
    let head = ada.head().await;

    // A plain member reads, but does not schedule or keep the record.
    ben.post("/api/v1/meetings", json!({"title": "Ben's meeting", "at": "2025-04-02T17:00:00Z"})).await.assert_error(403, None);
    ben.post(&format!("/api/v1/meetings/{id}/items"), json!({"title": "Ben's item"})).await.assert_error(403, None);
    ben.put(&format!("/api/v1/meetings/{id}/attendance/{}", coop.member.id), json!({"as": "present"})).await.assert_error(403, None);
    ben.minutes(id, "approve").await.assert_error(403, None);
    ben.meeting(id).await;

    // Bad input, naming the field.
    let cases: Vec<(&str, Method, String, Value, &str)> = vec![
        ("a bad instant", Method::POST, "/api/v1/meetings".into(), json!({"title": "T", "at": "next tuesday"}), "at"),
        ("an unknown kind", Method::POST, "/api/v1/meetings".into(), json!({"title": "T", "at": "2025-04-02T17:00:00Z", "kind": "party"}), "kind"),
        ("too short", Method::POST, "/api/v1/meetings".into(), json!({"title": "T", "at": "2025-04-02T17:00:00Z", "minutes_long": 1}), "minutes_long"),
        ("not a link", Method::POST, "/api/v1/meetings".into(), json!({"title": "T", "at": "2025-04-02T17:00:00Z", "link": "meet me"}), "link"),
        ("a bad repeat", Method::POST, "/api/v1/meetings".into(), json!({"title": "T", "at": "2025-04-02T17:00:00Z", "repeat": "daily", "count": 2}), "repeat"),
        ("an empty title", Method::POST, "/api/v1/meetings".into(), json!({"title": " ", "at": "2025-04-02T17:00:00Z"}), "title"),
        ("an unknown field", Method::POST, "/api/v1/meetings".into(), json!({"title": "T", "at": "2025-04-02T17:00:00Z", "colour": "red"}), "colour"),
        ("an unknown attendance", Method::PUT, format!("/api/v1/meetings/{id}/attendance/{}", coop.member.id), json!({"as": "asleep"}), "as"),
        ("an unknown presenter", Method::POST, format!("/api/v1/meetings/{id}/items"), json!({"title": "X", "presenter": "nobody@example.org"}), "presenter"),
        ("an unknown proposal", Method::POST, format!("/api/v1/meetings/{id}/items"), json!({"title": "X", "proposal_id": 999}), "proposal_id"),
        (
            "an unknown owner (email)",
            Method::POST,
            format!("/api/v1/meetings/{id}/actions"),
            json!({"title": "X", "owner": "nobody@example.org", "due": "2025-05-01"}),
            "owner",
        ),
        ("an unknown owner (id)", Method::POST, format!("/api/v1/meetings/{id}/actions"), json!({"title": "X", "owner": 999, "due": "2025-05-01"}), "owner"),
        ("a bad due date", Method::POST, format!("/api/v1/meetings/{id}/actions"), json!({"title": "X", "owner": coop.member.id, "due": "2025-02-30"}), "due"),
        ("an unknown role", Method::PUT, format!("/api/v1/meetings/{id}/roles/chair"), json!({"member": coop.member.id}), "role"),
        ("an unknown role holder", Method::PUT, format!("/api/v1/meetings/{id}/roles/facilitator"), json!({"member": 999}), "member"),
        ("an incomplete order", Method::PUT, format!("/api/v1/meetings/{id}/agenda"), json!({"order": []}), "order"),
        ("too long notes", Method::PUT, format!("/api/v1/meetings/{id}/items/{item}/notes"), json!({"notes": "x".repeat(100_001)}), "notes"),
    ];
    for (what, method, path, body, field) in cases {
        let answer = ada.send(method, &path, Some(body)).await;
        assert_eq!(answer.status, 422, "{what}: {}", answer.text);
        answer.assert_error(422, Some(field));
    }
    ada.get("/api/v1/meetings?from=yesterday").await.assert_error(422, Some("from"));
    ada.get("/api/v1/actions?owner=nobody@example.org").await.assert_error(422, Some("owner"));
    // An unknown member or meeting in the path is not found.
    ada.put(&format!("/api/v1/meetings/{id}/attendance/999"), json!({"as": "present"})).await.assert_error(404, None);
    ada.put(&format!("/api/v1/meetings/{id}/attendance/nobody@example.org"), json!({"as": "present"})).await.assert_error(404, None);
    ada.put("/api/v1/meetings/999/attendance/ada@example.org", json!({"as": "present"})).await.assert_error(404, None);
    ada.get("/api/v1/meetings/999").await.assert_error(404, None);
    ada.get("/api/v1/meetings/abc").await.assert_error(422, Some("id"));

    assert_eq!(ada.head().await, head, "no refusal wrote anything");
    let m = ada.meeting(id).await;
    assert_eq!(m["items"].as_array().unwrap().len(), 1);
    assert_eq!(m["attendance"], json!({"present": 0, "remote": 0, "absent": 0, "excused": 0}));
}

// ---------------------------------------------------------------------------------------------
// Actions.

#[tokio::test]
async fn actions_have_an_owner_who_marks_them_done() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    let ben = Caller::signed_in(&coop, &coop.member).await;
    let cleo = Caller::signed_in(&coop, &coop.candidate).await;
    let id = ada.schedule(json!({"title": "General", "at": "2025-04-01T17:00:00Z"})).await["id"].as_i64().unwrap();
    let item = ada.add_item(id, json!({"title": "Bank"})).await["id"].as_i64().unwrap();
    let action = ada
        .post(&format!("/api/v1/meetings/{id}/actions"), json!({"title": "Call the bank", "owner": "ben@example.org", "due": "2025-04-15", "item": item}))
        .await
        .ok(201);
    assert_eq!(
        (action["owner_id"].as_i64(), action["owner_email"].as_str(), action["due"].as_str()),
        (Some(coop.member.id), Some("ben@example.org"), Some("2025-04-15"))
    );
    assert_eq!(
        (action["item_id"].as_i64(), action["done"].as_bool(), action["overdue"].as_bool()),
        (Some(item), Some(false), Some(true)),
        "due in the past: overdue"
    );
    ada.post(&format!("/api/v1/meetings/{id}/actions"), json!({"title": "Bake", "owner": coop.admin.id, "due": "2099-01-01"})).await.ok(201);

    let bens = ben.get("/api/v1/actions?owner=ben@example.org").await.ok(200);
    assert_eq!(bens.as_array().unwrap().iter().map(|a| a["id"].clone()).collect::<Vec<_>>(), vec![action["id"].clone()]);
    assert_eq!(ben.get("/api/v1/actions").await.ok(200).as_array().unwrap().len(), 2);

    let done = format!("/api/v1/actions/{}/done", action["id"]);
    cleo.send(Method::POST, &done, None).await.assert_error(403, None);
    assert_eq!(ben.send(Method::POST, &done, None).await.status, 204);
    ben.send(Method::POST, &done, None).await.assert_error(409, None);
    assert_eq!(ben.get("/api/v1/actions?owner=ben@example.org").await.ok(200), json!([]));
    let m = ada.meeting(id).await;
    assert_eq!(m["actions"][0]["done"], true);
    assert_eq!(ben.send(Method::POST, &format!("/api/v1/actions/{}/reopen", action["id"]), None).await.status, 204);
    assert_eq!(ben.get("/api/v1/actions?owner=ben@example.org").await.ok(200).as_array().unwrap().len(), 1);
    ada.send(Method::POST, "/api/v1/actions/999/done", None).await.assert_error(404, None);
}

// ---------------------------------------------------------------------------------------------
// Minutes: circulated, approved and sealed, then errata only.

#[tokio::test]
async fn approved_minutes_are_sealed_and_change_only_by_errata() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    let id = ada.schedule(json!({"title": "Board", "at": "2025-04-01T17:00:00Z", "kind": "board"})).await["id"].as_i64().unwrap();
    let item = ada.add_item(id, json!({"title": "Accounts", "notes": "Approved the accounts."})).await["id"].as_i64().unwrap();
    ada.attend(id, "ada@example.org", "present").await;

    // An erratum before approval is refused: the minutes are corrected directly.
    ada.post(&format!("/api/v1/meetings/{id}/errata"), json!({"text": "Too early"})).await.assert_error(409, None);
    assert_eq!(ada.minutes(id, "circulate").await.ok(200)["minutes_status"], "circulated");
    ada.minutes(id, "circulate").await.assert_error(409, None);
    assert_eq!(ada.minutes(id, "reopen").await.ok(200)["minutes_status"], "draft");
    ada.minutes(id, "circulate").await.ok(200);

    let approved = ada.minutes(id, "approve").await.ok(200);
    assert_eq!(
        (approved["status"].as_str(), approved["minutes_status"].as_str(), approved["approved_by"].as_str()),
        (Some("approved"), Some("approved"), Some("record"))
    );
    let hash = approved["sealed_hash"].as_str().expect("a seal").to_string();
    assert!(hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()), "{hash}");
    assert!(approved["journal_head_at_approval"].as_str().is_some());

    // The record is closed: every change is a conflict, and nothing changes.
    let head = ada.head().await;
    ada.post(&format!("/api/v1/meetings/{id}/items"), json!({"title": "Late item"})).await.assert_error(409, None);
    ada.put(&format!("/api/v1/meetings/{id}/attendance/ben@example.org"), json!({"as": "present"})).await.assert_error(409, None);
    ada.put(&format!("/api/v1/meetings/{id}/items/{item}/notes"), json!({"notes": "Rewritten"})).await.assert_error(409, None);
    ada.post(&format!("/api/v1/meetings/{id}/actions"), json!({"title": "Late", "owner": coop.admin.id, "due": "2025-05-01"})).await.assert_error(409, None);
    ada.minutes(id, "approve").await.assert_error(409, None);
    ada.minutes(id, "reopen").await.assert_error(409, None);
    ada.post(&format!("/api/v1/meetings/{id}/minutes/proposal"), json!({"class": "ordinary"})).await.assert_error(409, None);
    assert_eq!(ada.head().await, head, "a refused change wrote nothing");
    assert_eq!(ada.meeting(id).await["sealed_hash"], hash.as_str());

    // An erratum is appended and sealed on its own; the minutes' seal stays.
    Caller::signed_in(&coop, &coop.member).await.post(&format!("/api/v1/meetings/{id}/errata"), json!({"text": "Ben's erratum"})).await.assert_error(403, None);
    ada.post(&format!("/api/v1/meetings/{id}/errata"), json!({"text": "  "})).await.assert_error(422, Some("text"));
    let e = ada.post(&format!("/api/v1/meetings/{id}/errata"), json!({"text": "The accounts were approved unanimously."})).await.ok(201);
    assert_eq!(e["text"], "The accounts were approved unanimously.");
    assert!(e["sealed_hash"].as_str().is_some_and(|h| h.len() == 64 && h != hash), "{e}");
    let m = ada.meeting(id).await;
    assert_eq!(m["errata"], json!([e]));
    assert_eq!(m["sealed_hash"], hash.as_str());
    let verify = ada.get("/api/v1/journal/verify").await.ok(200);
    assert_eq!(verify["ok"], true, "{verify}");

    // The minutes as Markdown carry the item, the seal and the erratum.
    let md = ada.get(&format!("/api/v1/meetings/{id}/minutes.md")).await;
    assert_eq!(md.status, 200);
    assert!(md.header("content-type").unwrap().starts_with("text/markdown"), "{:?}", md.header("content-type"));
    for want in ["Board", "Accounts", "Approved the accounts.", hash.as_str(), "The accounts were approved unanimously."] {
        assert!(md.text.contains(want), "{want:?} in {}", md.text);
    }
    let ics = ada.get(&format!("/api/v1/meetings/{id}/event.ics")).await;
    assert!(ics.header("content-type").unwrap().starts_with("text/calendar"));
    assert!(ics.text.contains("BEGIN:VEVENT") && ics.text.contains("SUMMARY:Board"), "{}", ics.text);
}

/// `GET path` as `caller`, by hand: the body as bytes (a PDF is not text), with the status and
/// content type.
async fn get_bytes(coop: &TestCoop, caller: &Caller, path: &str) -> (u16, String, Vec<u8>) {
    let mut req = reqwest::Client::new().get(format!("{}{path}", coop.server.base));
    if let Some(credentials) = caller.credentials() {
        let name = if credentials.starts_with("Bearer ") { "authorization" } else { "cookie" };
        req = req.header(name, credentials);
    }
    let res = req.send().await.unwrap_or_else(|e| panic!("{path}: {e}"));
    let status = res.status().as_u16();
    let content_type = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    (status, content_type, res.bytes().await.expect("a readable body").to_vec())
}

/// The text of a PDF, read back by `pdftotext`.
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("minutes.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext (apt-get install poppler-utils)");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The minutes as a PDF: the agenda's items while a draft, and the seal once approved; a member
/// reads it too, an unknown meeting is 404 and a bad id 422.
#[tokio::test]
async fn the_minutes_as_a_pdf_carry_the_items_and_after_approval_the_seal() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    let ben = Caller::signed_in(&coop, &coop.member).await;
    let doc = ada.get("/api/v1/openapi.json").await.ok(200);
    let op = &doc["paths"]["/api/v1/meetings/{id}/minutes.pdf"]["get"];
    assert_eq!(op["responses"]["200"]["content"].as_object().unwrap().keys().collect::<Vec<_>>(), vec!["application/pdf"]);
    for status in ["401", "403", "404", "422"] {
        assert!(op["responses"].get(status).is_some(), "the PDF documents its {status}");
    }

    let id = ada.schedule(json!({"title": "Spring assembly", "at": "2025-04-01T17:00:00Z", "kind": "general"})).await["id"].as_i64().unwrap();
    ada.add_item(id, json!({"title": "Replace the delivery bike", "notes": "Two quotes compared."})).await;
    ada.attend(id, "ada@example.org", "present").await;

    let path = format!("/api/v1/meetings/{id}/minutes.pdf");
    let (status, content_type, draft) = get_bytes(&coop, &ben, &path).await;
    assert_eq!((status, content_type.as_str()), (200, "application/pdf"));
    assert!(draft.starts_with(b"%PDF"), "a PDF: {:?}", String::from_utf8_lossy(&draft[..draft.len().min(40)]));
    let text = pdf_text(&draft);
    for want in ["Spring assembly", "Replace the delivery bike", "Two quotes compared."] {
        assert!(text.contains(want), "the draft's text lacks {want:?}:\n{text}");
    }

    ada.minutes(id, "circulate").await.ok(200);
    let hash = ada.minutes(id, "approve").await.ok(200)["sealed_hash"].as_str().expect("a seal").to_string();
    assert!(!text.contains(&hash), "no seal before approval");
    let (status, _, approved) = get_bytes(&coop, &ada, &path).await;
    assert_eq!(status, 200);
    assert!(approved.starts_with(b"%PDF"));
    let text = pdf_text(&approved);
    for want in ["Replace the delivery bike", hash.as_str()] {
        assert!(text.contains(want), "the approved minutes' text lacks {want:?}:\n{text}");
    }

    ada.get("/api/v1/meetings/99999/minutes.pdf").await.assert_error(404, None);
    ada.get("/api/v1/meetings/x/minutes.pdf").await.assert_error(422, Some("id"));
    Caller::anonymous(&coop).get(&path).await.assert_error(401, None);
}
