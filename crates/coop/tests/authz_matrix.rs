//! The authorisation matrix: every operation of `/api/v1`, read from the OpenAPI document at
//! run time, is called as an anonymous visitor, a candidate, a member and an admin, and each
//! answer is checked against the table below: one line per (method, path) with the status
//! each of the four must get. An endpoint added without a line here fails the test, and so does
//! a line for an endpoint that no longer exists.
//!
//! The rules the table spells out: 401 for anyone not signed in, except the public operations
//! (signing in, the OpenAPI document); 403 where the role may not do it; otherwise a 2xx, or the
//! 404/409/422 the state of the co-op calls for. Never a 5xx.
//!
//! The calls run in table order, anonymous, candidate, member, then admin, so that a refused
//! call leaves the state as it was for the next role, and the table is arranged so that each
//! allowed call finds what it needs (a class before the proposal closes, a nomination before
//! the election opens, a commitment before the balance).
//!
//! A second test sends odd input (missing and malformed ids, odd bodies and query strings) to
//! every documented operation and insists that none is answered with a 5xx.

mod common;

use common::{coop as run_coop, TestCoop};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const ROLES: [&str; 4] = ["anonymous", "candidate", "member", "admin"];

/// Status codes for [anonymous, candidate, member, admin].
type Expect = [u16; 4];

/// One line of the matrix.
struct Row {
    method: &'static str,
    /// The path as the OpenAPI document names it.
    template: &'static str,
    /// The path called, with the fixture's ids.
    path: String,
    /// The JSON body; `"ROLE"` inside a string becomes the caller's role, and `"EMAIL"` /
    /// `"PASSWORD"` the caller's sign-in (the member's for the anonymous visitor).
    body: Option<Value>,
    expect: Expect,
}

fn row(method: &'static str, template: &'static str, path: impl Into<String>, body: Option<Value>, expect: Expect) -> Row {
    Row { method, template, path: path.into(), body, expect }
}

/// The ids the table's paths name, made before the matrix runs.
struct Fixture {
    ben: i64,
    dan: i64,
    admin_token: i64,
    proposal: i64,
    election: i64,
    ben_entry: i64,
    /// A meeting with an item, a suggestion waiting and Ben as note-taker, and an action of Ben's.
    meeting: i64,
    item: i64,
    suggestion: i64,
    action: i64,
    /// A second meeting whose minutes go through to approval, with two items to reorder.
    board: i64,
    board_items: [i64; 2],
    /// The cash instalment of 2024's committed allocation.
    cash_payment: i64,
    /// Fay, a member since 2024 in 2024's committed allocation, departed on 2026-01-31.
    fay: i64,
}

const U: u16 = 401;
const F: u16 = 403;

/// The matrix. Keep one line per (method, path); order matters (see the module doc).
fn table(f: &Fixture) -> Vec<Row> {
    let (ben, dan, p, e) = (f.ben, f.dan, f.proposal, f.election);
    let m = f.meeting;
    let majority = json!({"kind": "vote", "threshold": "1/2", "strict": false, "base": "cast", "quorum": null});
    let equal_pay = json!({"basis": {"kind": "equal_hourly", "rate": "20.00", "internal_paid": false}, "bonus_pool": null, "max_ratio": null});
    vec![
        // Session and tokens.
        row("post", "/api/v1/session", "/api/v1/session", Some(json!({"email": "EMAIL", "password": "PASSWORD"})), [200, 200, 200, 200]),
        row("get", "/api/v1/session", "/api/v1/session", None, [U, 200, 200, 200]),
        row("post", "/api/v1/tokens", "/api/v1/tokens", Some(json!({"label": "matrix ROLE"})), [U, 201, 201, 201]),
        row("get", "/api/v1/tokens", "/api/v1/tokens", None, [U, 200, 200, 200]),
        // Someone else's token is not found (its existence is not revealed); the admin revokes their own.
        row("delete", "/api/v1/tokens/{id}", format!("/api/v1/tokens/{}", f.admin_token), None, [U, 404, 404, 204]),
        row("get", "/api/v1/openapi.json", "/api/v1/openapi.json", None, [200, 200, 200, 200]),
        row("get", "/api/v1/settings", "/api/v1/settings", None, [U, 200, 200, 200]),
        // Members.
        row("get", "/api/v1/members", "/api/v1/members", None, [U, 200, 200, 200]),
        row("post", "/api/v1/members", "/api/v1/members", Some(json!({"name": "New ROLE", "email": "new-ROLE@example.org", "state": "applicant"})), [U, F, F, 201]),
        row("get", "/api/v1/members/{id}", format!("/api/v1/members/{ben}"), None, [U, 200, 200, 200]),
        // Ben edits himself; the candidate may not edit Ben.
        row("patch", "/api/v1/members/{id}", format!("/api/v1/members/{ben}"), Some(json!({"language": "en"})), [U, F, 200, 200]),
        row("post", "/api/v1/members/{id}/state", format!("/api/v1/members/{dan}/state"), Some(json!({"state": "on_leave", "note": "ROLE"})), [U, F, F, 200]),
        row("put", "/api/v1/members/{id}/roles", format!("/api/v1/members/{dan}/roles"), Some(json!({"roles": ["secretary"]})), [U, F, F, 200]),
        // The journal: every current participant can audit.
        row("get", "/api/v1/journal", "/api/v1/journal?limit=5", None, [U, 200, 200, 200]),
        row("get", "/api/v1/journal/head", "/api/v1/journal/head", None, [U, 200, 200, 200]),
        row("get", "/api/v1/journal/verify", "/api/v1/journal/verify", None, [U, 200, 200, 200]),
        // Decisions.
        row("get", "/api/v1/classes", "/api/v1/classes", None, [U, 200, 200, 200]),
        row("put", "/api/v1/classes/{name}", "/api/v1/classes/matrix", Some(json!({"rule": majority})), [U, F, F, 200]),
        row("get", "/api/v1/proposals", "/api/v1/proposals", None, [U, 200, 200, 200]),
        row("post", "/api/v1/proposals", "/api/v1/proposals", Some(json!({"class": "ordinary", "title": "Proposed by ROLE"})), [U, F, 201, 201]),
        row("get", "/api/v1/proposals/{id}", format!("/api/v1/proposals/{p}"), None, [U, 200, 200, 200]),
        // Candidates do not vote on a class for members.
        row("post", "/api/v1/proposals/{id}/votes", format!("/api/v1/proposals/{p}/votes"), Some(json!({"choice": "yes"})), [U, F, 200, 200]),
        row("post", "/api/v1/proposals/{id}/comments", format!("/api/v1/proposals/{p}/comments"), Some(json!({"body": "A word from ROLE"})), [U, 201, 201, 201]),
        // Ballots are published at close: while voting is open, a conflict for everyone signed in.
        row("post", "/api/v1/proposals/{id}/ballot-lookup", format!("/api/v1/proposals/{p}/ballot-lookup"), Some(json!({"receipt": "0123456789abcdef"})), [U, 409, 409, 409]),
        // A show of hands is for proposals decided at a meeting: the record keeper is told so (422, field id).
        row("post", "/api/v1/proposals/{id}/count", format!("/api/v1/proposals/{p}/count"), Some(json!({"yes": 1, "no": 0, "abstain": 0})), [U, F, F, 422]),
        row("post", "/api/v1/proposals/{id}/close", format!("/api/v1/proposals/{p}/close"), None, [U, F, F, 200]),
        // Elections: nominate, open, vote, close, export.
        row("get", "/api/v1/elections", "/api/v1/elections", None, [U, 200, 200, 200]),
        row("post", "/api/v1/elections", "/api/v1/elections", Some(json!({"title": "Called by ROLE", "seats": 1, "method": "plurality"})), [U, F, F, 201]),
        row("get", "/api/v1/elections/{id}", format!("/api/v1/elections/{e}"), None, [U, 200, 200, 200]),
        row("post", "/api/v1/elections/{id}/nominations", format!("/api/v1/elections/{e}/nominations"), Some(json!({"name": "Nominee of ROLE"})), [U, 201, 201, 201]),
        row("post", "/api/v1/elections/{id}/open", format!("/api/v1/elections/{e}/open"), Some(json!({})), [U, F, F, 200]),
        row("post", "/api/v1/elections/{id}/ballots", format!("/api/v1/elections/{e}/ballots"), Some(json!({"choice": "Nominee of admin"})), [U, F, 200, 200]),
        row("post", "/api/v1/elections/{id}/close", format!("/api/v1/elections/{e}/close"), None, [U, F, F, 200]),
        row("get", "/api/v1/elections/{id}/blt", format!("/api/v1/elections/{e}/blt"), None, [U, 200, 200, 200]),
        // Work: hours for oneself, the rest for admins; reading is open to all.
        row("post", "/api/v1/hours", "/api/v1/hours", Some(json!({"date": "2025-03-11", "hours": "1.50", "note": "ROLE"})), [U, 201, 201, 201]),
        row("get", "/api/v1/hours/report", "/api/v1/hours/report?year=2025", None, [U, 200, 200, 200]),
        row(
            "post",
            "/api/v1/hours/import",
            "/api/v1/hours/import",
            Some(json!({"csv": "email,date,hours,project,category,note\nben@example.org,2025-03-12,2.00,,,imported by ROLE\n", "format": "generic"})),
            [U, F, F, 201],
        ),
        row("put", "/api/v1/commitments/{member_id}/{year}", format!("/api/v1/commitments/{ben}/2025"), Some(json!({"hours": "1560", "leave_weeks": 5})), [U, F, F, 200]),
        row("get", "/api/v1/hours/balance", "/api/v1/hours/balance?member=ben@example.org&year=2025&on=2025-06-30", None, [U, 200, 200, 200]),
        // Ben corrects his own entry; the candidate may not.
        row(
            "post",
            "/api/v1/hours/entries/{id}/corrections",
            format!("/api/v1/hours/entries/{}/corrections", f.ben_entry),
            Some(json!({"hours": "2.50", "reason": "ROLE recounted"})),
            [U, F, 201, 201],
        ),
        row("get", "/api/v1/hours/corrections", "/api/v1/hours/corrections", None, [U, 200, 200, 200]),
        // Ben's entries: his own and the admins'; the candidate may not read them.
        row("get", "/api/v1/hours/entries", "/api/v1/hours/entries?member=ben@example.org&from=2025-01-01&to=2025-12-31", None, [U, F, 200, 200]),
        row("get", "/api/v1/projects", "/api/v1/projects", None, [U, 200, 200, 200]),
        row("post", "/api/v1/projects", "/api/v1/projects", Some(json!({"name": "Project of ROLE"})), [U, F, F, 201]),
        row("patch", "/api/v1/projects/{name}", "/api/v1/projects/Site", Some(json!({"client": "Client of ROLE"})), [U, F, F, 200]),
        // Leave: one's own (a Monday); Ben's day off is removed by Ben, then is no longer there.
        row("post", "/api/v1/leave", "/api/v1/leave", Some(json!({"from": "2025-06-09", "note": "ROLE"})), [U, 201, 201, 201]),
        row("delete", "/api/v1/leave/{member_id}/{date}", format!("/api/v1/leave/{ben}/2025-06-02"), None, [U, F, 204, 404]),
        // Pay.
        row("get", "/api/v1/kinds/rates", "/api/v1/kinds/rates", None, [U, 200, 200, 200]),
        row("put", "/api/v1/kinds/{kind}/rates/{month}", "/api/v1/kinds/Design/rates/2025-01", Some(json!({"rate": "30.00"})), [U, F, F, 200]),
        row("get", "/api/v1/pay/systems", "/api/v1/pay/systems", None, [U, 200, 200, 200]),
        row("post", "/api/v1/pay/systems", "/api/v1/pay/systems", Some(json!({"system": equal_pay, "from": "2025-01", "class": "ordinary"})), [U, F, F, 201]),
        row("get", "/api/v1/pay/runs", "/api/v1/pay/runs", None, [U, 200, 200, 200]),
        // No pay system is in force yet (the proposal is pending): 409 for everyone signed in.
        row("get", "/api/v1/pay/runs/{month}", "/api/v1/pay/runs/2025-03", None, [U, 409, 409, 409]),
        row("post", "/api/v1/pay/runs/{month}/approve", "/api/v1/pay/runs/2025-03/approve", None, [U, F, F, 409]),
        row("get", "/api/v1/pay/runs/{month}/csv", "/api/v1/pay/runs/2025-03/csv", None, [U, F, F, 409]),
        // Meetings: the record keeper (secretary or admin) keeps the record; everyone current reads.
        row("get", "/api/v1/meetings", "/api/v1/meetings", None, [U, 200, 200, 200]),
        row("post", "/api/v1/meetings", "/api/v1/meetings", Some(json!({"title": "Called by ROLE", "at": "2025-05-01T17:00:00Z"})), [U, F, F, 201]),
        row("get", "/api/v1/meetings/{id}", format!("/api/v1/meetings/{m}"), None, [U, 200, 200, 200]),
        row("post", "/api/v1/meetings/{id}/items", format!("/api/v1/meetings/{m}/items"), Some(json!({"title": "Item of ROLE"})), [U, F, F, 201]),
        row("post", "/api/v1/meetings/{id}/suggestions", format!("/api/v1/meetings/{m}/suggestions"), Some(json!({"title": "Suggested by ROLE"})), [U, 201, 201, 201]),
        row("post", "/api/v1/meetings/{id}/items/{item}/accept", format!("/api/v1/meetings/{m}/items/{}/accept", f.suggestion), None, [U, F, F, 200]),
        // Ben is the meeting's note-taker: he writes notes too.
        row("put", "/api/v1/meetings/{id}/items/{item}/notes", format!("/api/v1/meetings/{m}/items/{}/notes", f.item), Some(json!({"notes": "Noted by ROLE"})), [U, F, 200, 200]),
        row("put", "/api/v1/meetings/{id}/agenda", format!("/api/v1/meetings/{}/agenda", f.board), Some(json!({"order": [f.board_items[1], f.board_items[0]]})), [U, F, F, 200]),
        row("post", "/api/v1/meetings/{id}/publish", format!("/api/v1/meetings/{m}/publish"), None, [U, F, F, 200]),
        row("put", "/api/v1/meetings/{id}/attendance/{member}", format!("/api/v1/meetings/{m}/attendance/{ben}"), Some(json!({"as": "remote"})), [U, F, F, 200]),
        row("put", "/api/v1/meetings/{id}/roles/{role}", format!("/api/v1/meetings/{m}/roles/timekeeper"), Some(json!({"member": ben})), [U, F, F, 200]),
        row("get", "/api/v1/meetings/{id}/rotation", format!("/api/v1/meetings/{m}/rotation"), None, [U, 200, 200, 200]),
        row("post", "/api/v1/meetings/{id}/actions", format!("/api/v1/meetings/{m}/actions"), Some(json!({"title": "Action of ROLE", "owner": ben, "due": "2025-06-01"})), [U, F, F, 201]),
        row("get", "/api/v1/actions", "/api/v1/actions", None, [U, 200, 200, 200]),
        // Ben owns the action: he marks it done (the admin then finds it done), then opens it again.
        row("post", "/api/v1/actions/{id}/done", format!("/api/v1/actions/{}/done", f.action), None, [U, F, 204, 409]),
        row("post", "/api/v1/actions/{id}/reopen", format!("/api/v1/actions/{}/reopen", f.action), None, [U, F, 204, 409]),
        // The board meeting's minutes: circulated, back to draft, proposed, approved, then errata.
        row("post", "/api/v1/meetings/{id}/minutes/circulate", format!("/api/v1/meetings/{}/minutes/circulate", f.board), None, [U, F, F, 200]),
        row("post", "/api/v1/meetings/{id}/minutes/reopen", format!("/api/v1/meetings/{}/minutes/reopen", f.board), None, [U, F, F, 200]),
        row("post", "/api/v1/meetings/{id}/minutes/proposal", format!("/api/v1/meetings/{}/minutes/proposal", f.board), Some(json!({"class": "ordinary"})), [U, F, F, 201]),
        row("post", "/api/v1/meetings/{id}/minutes/approve", format!("/api/v1/meetings/{}/minutes/approve", f.board), None, [U, F, F, 200]),
        row("post", "/api/v1/meetings/{id}/errata", format!("/api/v1/meetings/{}/errata", f.board), Some(json!({"text": "Erratum by ROLE"})), [U, F, F, 201]),
        row("get", "/api/v1/meetings/{id}/minutes.md", format!("/api/v1/meetings/{}/minutes.md", f.board), None, [U, 200, 200, 200]),
        row("get", "/api/v1/meetings/{id}/minutes.html", format!("/api/v1/meetings/{}/minutes.html", f.board), None, [U, 200, 200, 200]),
        row("get", "/api/v1/meetings/{id}/minutes.pdf", format!("/api/v1/meetings/{}/minutes.pdf", f.board), None, [U, 200, 200, 200]),
        row("get", "/api/v1/meetings/{id}/event.ics", format!("/api/v1/meetings/{m}/event.ics"), None, [U, 200, 200, 200]),
        row("get", "/api/v1/calendar.ics", "/api/v1/calendar.ics", None, [U, 200, 200, 200]),
        // Money: the books are open to everyone current; writing needs the admin role; a capital
        // account is its member's and the admins'. Fay's hours make 2025's allocation committable.
        row("get", "/api/v1/fiscal-years", "/api/v1/fiscal-years", None, [U, 200, 200, 200]),
        row("post", "/api/v1/fiscal-years", "/api/v1/fiscal-years", Some(json!({"year": 2023})), [U, F, F, 201]),
        row("get", "/api/v1/fiscal-years/{year}", "/api/v1/fiscal-years/2023", None, [U, 200, 200, 200]),
        row("put", "/api/v1/fiscal-years/{year}/surplus", "/api/v1/fiscal-years/2023/surplus", Some(json!({"amount": "500.00"})), [U, F, F, 200]),
        row("post", "/api/v1/fiscal-years/{year}/close", "/api/v1/fiscal-years/2023/close", None, [U, F, F, 200]),
        row("get", "/api/v1/allocation-policies", "/api/v1/allocation-policies", None, [U, 200, 200, 200]),
        // A policy proposed for a year to come (it applies only if the proposal passes).
        row(
            "post",
            "/api/v1/allocation-policies",
            "/api/v1/allocation-policies",
            Some(json!({"year": 2090, "class": "ordinary", "policy": {"reserve": "10", "cash": "20", "basis": "hours"}})),
            [U, F, F, 201],
        ),
        // Fay's notice of 2024: hers and the admins' only.
        row("get", "/api/v1/allocations/{year}/notices/{member}", format!("/api/v1/allocations/2024/notices/{}", f.fay), None, [U, F, F, 200]),
        row("get", "/api/v1/allocations/{year}", "/api/v1/allocations/2025?surplus=1000.00&reserve=10&cash=20&basis=hours", None, [U, 200, 200, 200]),
        row(
            "post",
            "/api/v1/allocations/{year}",
            "/api/v1/allocations/2025",
            Some(json!({"surplus": "1000.00", "reserve": "10", "cash": "20", "basis": "hours"})),
            [U, F, F, 201],
        ),
        row("get", "/api/v1/capital", "/api/v1/capital", None, [U, 200, 200, 200]),
        // Ben reads his own account; the candidate may not.
        row("get", "/api/v1/capital/{member}", format!("/api/v1/capital/{ben}"), None, [U, F, 200, 200]),
        row(
            "put",
            "/api/v1/capital/{member}/buy-in",
            format!("/api/v1/capital/{ben}/buy-in"),
            Some(json!({"total": "3000.00", "instalment": "50.00", "starts": "2025-01-15"})),
            [U, F, F, 200],
        ),
        row(
            "post",
            "/api/v1/capital/{member}/buy-in/payments",
            format!("/api/v1/capital/{ben}/buy-in/payments"),
            Some(json!({"amount": "50.00", "on": "2025-02-01"})),
            [U, F, F, 201],
        ),
        row("post", "/api/v1/capital/interest", "/api/v1/capital/interest", Some(json!({"year": 2025, "rate": "5"})), [U, F, F, 201]),
        // Fay's 720.00 retained in 2024 is more than the reserve holds: the solvency guard refuses it.
        row("post", "/api/v1/capital/redemptions", "/api/v1/capital/redemptions", Some(json!({"year": 2025, "after": 1, "on": "2026-01-15"})), [U, F, F, 409]),
        // Fay departed on 2026-01-31: her balance becomes a repayment schedule.
        row(
            "post",
            "/api/v1/capital/{member}/departure",
            format!("/api/v1/capital/{}/departure", f.fay),
            Some(json!({"on": "2026-01-31", "years": 1, "per_year": 4})),
            [U, F, F, 201],
        ),
        row("get", "/api/v1/cash-payments", "/api/v1/cash-payments?year=2024", None, [U, 200, 200, 200]),
        row("post", "/api/v1/cash-payments/{id}/paid", format!("/api/v1/cash-payments/{}/paid", f.cash_payment), Some(json!({"on": "2025-09-15"})), [U, F, F, 200]),
        row("get", "/api/v1/ledger/{year}", "/api/v1/ledger/2024?format=beancount", None, [U, 200, 200, 200]),
        // Last: signing out (each role signs in again after it).
        row("delete", "/api/v1/session", "/api/v1/session", None, [U, 204, 204, 204]),
    ]
}

struct Caller {
    role: &'static str,
    email: String,
    password: String,
    cookie: Option<String>,
}

async fn call(client: &reqwest::Client, base: &str, cookie: Option<&str>, method: &str, path: &str, body: Option<&Value>) -> (u16, String) {
    let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
    let mut req = client.request(m, format!("{base}{path}"));
    if let Some(c) = cookie {
        req = req.header("cookie", format!("coop_session={c}"));
    }
    if let Some(b) = body {
        req = req.header("content-type", "application/json").body(b.to_string());
    }
    let res = req.send().await.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    let status = res.status().as_u16();
    (status, res.text().await.unwrap_or_default())
}

async fn sign_in(client: &reqwest::Client, base: &str, email: &str, password: &str) -> String {
    let res = client.post(format!("{base}/api/v1/session")).json(&json!({"email": email, "password": password})).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200, "sign-in of {email}");
    let set = res.headers().get("set-cookie").expect("a session cookie").to_str().unwrap().to_string();
    set.split(';').next().unwrap().strip_prefix("coop_session=").unwrap().to_string()
}

#[track_caller]
fn ok(answer: (u16, String), want: u16, what: &str) -> Value {
    assert_eq!(answer.0, want, "fixture: {what}: {}", answer.1);
    serde_json::from_str(&answer.1).unwrap_or(Value::Null)
}

/// Replaces the placeholders of a body for one caller.
fn personalise(v: &Value, c: &Caller) -> Value {
    match v {
        Value::String(s) => Value::String(s.replace("ROLE", c.role).replace("EMAIL", &c.email).replace("PASSWORD", &c.password)),
        Value::Array(a) => Value::Array(a.iter().map(|x| personalise(x, c)).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, x)| (k.clone(), personalise(x, c))).collect()),
        other => other.clone(),
    }
}

#[tokio::test]
async fn every_endpoint_answers_each_role_as_the_matrix_says() {
    let coop = TestCoop::start();
    let base = coop.server.base.clone();
    let client = reqwest::Client::new();

    // The fixture, made by the admin and Ben through the API.
    let ada = sign_in(&client, &base, &coop.admin.email, &coop.admin.password).await;
    let ben_s = sign_in(&client, &base, &coop.member.email, &coop.member.password).await;
    let post = |cookie: String, path: &'static str, body: Value| {
        let (client, base) = (client.clone(), base.clone());
        async move { call(&client, &base, Some(&cookie), "post", path, Some(&body)).await }
    };
    let dan = ok(post(ada.clone(), "/api/v1/members", json!({"name": "Dan Dough", "email": "dan@example.org", "state": "member"})).await, 201, "Dan")["id"]
        .as_i64()
        .unwrap();
    let majority = json!({"kind": "vote", "threshold": "1/2", "strict": false, "base": "cast", "quorum": null});
    ok(call(&client, &base, Some(&ada), "put", "/api/v1/classes/ordinary", Some(&json!({"rule": majority, "results": "live"}))).await, 200, "class");
    let proposal = ok(post(ada.clone(), "/api/v1/proposals", json!({"class": "ordinary", "title": "Bake on Sundays"})).await, 201, "proposal")["id"].as_i64().unwrap();
    let election = ok(post(ada.clone(), "/api/v1/elections", json!({"title": "Treasurer", "seats": 1, "method": "plurality"})).await, 201, "election")["id"].as_i64().unwrap();
    ok(post(ada.clone(), "/api/v1/projects", json!({"name": "Site"})).await, 201, "project");
    ok(post(ada.clone(), "/api/v1/hours", json!({"date": "2025-01-06", "hours": "1.00", "category": "Design", "create_unknown": true})).await, 201, "a kind of work");
    let ben_entry = ok(post(ben_s.clone(), "/api/v1/hours", json!({"date": "2025-03-10", "hours": "2.00", "project": "Site"})).await, 201, "Ben's hours")["id"].as_i64().unwrap();
    // Leave is counted against a yearly commitment, so everyone who takes leave below has one.
    for id in [coop.admin.id, coop.member.id, coop.candidate.id] {
        let path = format!("/api/v1/commitments/{id}/2025");
        ok(call(&client, &base, Some(&ada), "put", &path, Some(&json!({"hours": "1500", "leave_weeks": 5}))).await, 200, "a commitment");
    }
    ok(post(ben_s.clone(), "/api/v1/leave", json!({"from": "2025-06-02"})).await, 201, "Ben's day off");
    ok(post(ada.clone(), "/api/v1/tokens", json!({"label": "the admin's"})).await, 201, "the admin's token");
    let tokens = ok(call(&client, &base, Some(&ada), "get", "/api/v1/tokens", None).await, 200, "tokens");
    let admin_token = tokens.as_array().unwrap().iter().find(|t| t["label"] == "the admin's").unwrap()["id"].as_i64().unwrap();
    // Meetings: one with an item, Ben's suggestion, Ben as note-taker and an action of his; a
    // board meeting with two items.
    let meeting = ok(post(ada.clone(), "/api/v1/meetings", json!({"title": "General", "at": "2025-04-01T17:00:00Z"})).await, 201, "meeting")["id"].as_i64().unwrap();
    let items = format!("/api/v1/meetings/{meeting}/items");
    let item = ok(call(&client, &base, Some(&ada), "post", &items, Some(&json!({"title": "Budget"}))).await, 201, "item")["id"].as_i64().unwrap();
    let suggestions = format!("/api/v1/meetings/{meeting}/suggestions");
    let suggestion = ok(call(&client, &base, Some(&ben_s), "post", &suggestions, Some(&json!({"title": "Ben's idea"}))).await, 201, "suggestion")["id"].as_i64().unwrap();
    let note_taker = format!("/api/v1/meetings/{meeting}/roles/note_taker");
    ok(call(&client, &base, Some(&ada), "put", &note_taker, Some(&json!({"member": coop.member.id}))).await, 200, "note-taker");
    let actions = format!("/api/v1/meetings/{meeting}/actions");
    let bank = json!({"title": "Call the bank", "owner": "ben@example.org", "due": "2025-05-01"});
    let action = ok(call(&client, &base, Some(&ada), "post", &actions, Some(&bank)).await, 201, "action")["id"].as_i64().unwrap();
    let board = ok(post(ada.clone(), "/api/v1/meetings", json!({"title": "Board", "at": "2025-04-08T17:00:00Z", "kind": "board"})).await, 201, "board meeting")["id"].as_i64().unwrap();
    let board_items_path = format!("/api/v1/meetings/{board}/items");
    let mut board_items = [0; 2];
    for (i, title) in ["Minutes", "Accounts"].iter().enumerate() {
        board_items[i] = ok(call(&client, &base, Some(&ada), "post", &board_items_path, Some(&json!({"title": title}))).await, 201, "board item")["id"].as_i64().unwrap();
    }
    // Money: Fay, a member since 2024, with hours in 2024 and 2025; 2024's allocation is
    // committed (the table marks its cash instalment paid), 2025's is left to the table.
    let data = coop.data();
    let fay = run_coop(&data, &["member", "add", "--name", "Fay Founder", "--email", "fay@example.org", "--state", "member", "--since", "2024-01-01", "--json"], None);
    let fay = serde_json::from_str::<Value>(fay.trim()).expect("Fay")["id"].as_i64().unwrap();
    for day in ["2024-04-01", "2025-04-01"] {
        run_coop(&data, &["hours", "log", "--member", "fay@example.org", "--date", day, "--hours", "8"], None);
    }
    run_coop(&data, &["patronage", "run", "--year", "2024", "--surplus", "1000.00", "--reserve", "10", "--cash", "20", "--basis", "hours", "--commit", "--json"], None);
    let payments = ok(call(&client, &base, Some(&ada), "get", "/api/v1/cash-payments?year=2024", None).await, 200, "cash payments");
    let cash_payment = payments[0]["id"].as_i64().expect("a cash instalment of 2024");
    // Fay leaves in 2026 (her capital is repaid through the table's departure line).
    let fay_state = format!("/api/v1/members/{fay}/state");
    ok(call(&client, &base, Some(&ada), "post", &fay_state, Some(&json!({"state": "departed", "on": "2026-01-31"}))).await, 200, "Fay's departure");
    let fixture = Fixture { ben: coop.member.id, dan, admin_token, proposal, election, ben_entry, meeting, item, suggestion, action, board, board_items, cash_payment, fay };

    // Every operation the document lists.
    let (_, doc) = call(&client, &base, None, "get", "/api/v1/openapi.json", None).await;
    let doc: Value = serde_json::from_str(&doc).expect("the OpenAPI document");
    let mut documented: BTreeSet<(String, String)> = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) && path.starts_with("/api/v1/") {
                documented.insert((method.clone(), path.clone()));
            }
        }
    }
    let rows = table(&fixture);
    let listed: BTreeSet<(String, String)> = rows.iter().map(|r| (r.method.to_string(), r.template.to_string())).collect();
    assert_eq!(listed.len(), rows.len(), "one line per (method, path)");
    let missing: Vec<_> = documented.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&documented).collect();
    assert!(missing.is_empty(), "endpoints without a line in the authorisation matrix (add one to table()): {missing:?}");
    assert!(stale.is_empty(), "lines for endpoints the API no longer has: {stale:?}");

    let mut callers = [
        Caller { role: ROLES[0], email: coop.member.email.clone(), password: coop.member.password.clone(), cookie: None },
        Caller { role: ROLES[1], email: coop.candidate.email.clone(), password: coop.candidate.password.clone(), cookie: None },
        Caller { role: ROLES[2], email: coop.member.email.clone(), password: coop.member.password.clone(), cookie: Some(ben_s) },
        Caller { role: ROLES[3], email: coop.admin.email.clone(), password: coop.admin.password.clone(), cookie: Some(ada) },
    ];
    callers[1].cookie = Some(sign_in(&client, &base, &coop.candidate.email, &coop.candidate.password).await);

    let mut wrong = Vec::new();
    let mut calls = 0;
    for r in &rows {
        for (i, c) in callers.iter_mut().enumerate() {
            let body = r.body.as_ref().map(|b| personalise(b, c));
            let (status, text) = call(&client, &base, c.cookie.as_deref(), r.method, &r.path, body.as_ref()).await;
            calls += 1;
            assert!(status < 500, "{} {} as {}: {status} {text}", r.method.to_uppercase(), r.path, c.role);
            if status != r.expect[i] {
                wrong.push(format!("{} {} as {}: expected {}, got {status}: {}", r.method.to_uppercase(), r.path, c.role, r.expect[i], text.chars().take(200).collect::<String>()));
            }
            if status == 401 {
                let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()), "a 401 is a JSON error: {text}");
            }
            if r.method == "delete" && r.template == "/api/v1/session" && status == 204 {
                // The session is over: the old cookie opens nothing, and the role signs in again.
                let (after, _) = call(&client, &base, c.cookie.as_deref(), "get", "/api/v1/session", None).await;
                assert_eq!(after, 401, "the ended session of {} still works", c.role);
                c.cookie = Some(sign_in(&client, &base, &c.email, &c.password).await);
            }
        }
    }
    assert!(wrong.is_empty(), "{} of {calls} answers differ from the matrix:\n{}", wrong.len(), wrong.join("\n"));
    println!("{} operations x {} roles = {calls} calls, all as the matrix says", rows.len(), ROLES.len());
}

/// Found by the matrix above (fixed in d548c31): an admin who set a member's commitment again
/// with fewer leave weeks (or none: `leave_weeks` defaults to 0) than the leave days already
/// recorded that year was accepted, and from then on the member's balance was a 500 ("stored
/// data is not valid: 1 days of leave in 2025 is more than the entitlement of 0 days"). Now the
/// commitment is refused, naming `leave_weeks`, and the balance is untouched.
#[tokio::test]
async fn lowering_leave_weeks_below_the_leave_taken_never_makes_the_balance_a_500() {
    let coop = TestCoop::start();
    let base = coop.server.base.clone();
    let client = reqwest::Client::new();
    let ada = sign_in(&client, &base, &coop.admin.email, &coop.admin.password).await;
    let ben = sign_in(&client, &base, &coop.member.email, &coop.member.password).await;
    let commitment = format!("/api/v1/commitments/{}/2025", coop.member.id);
    ok(call(&client, &base, Some(&ada), "put", &commitment, Some(&json!({"hours": "1500", "leave_weeks": 5}))).await, 200, "a commitment");
    ok(call(&client, &base, Some(&ben), "post", "/api/v1/leave", Some(&json!({"from": "2025-06-02"}))).await, 201, "a day off");
    let balance = "/api/v1/hours/balance?member=ben@example.org&year=2025&on=2025-06-30";
    ok(call(&client, &base, Some(&ben), "get", balance, None).await, 200, "the balance");

    // The same commitment again without leave weeks: 0 weeks, while a day is already taken.
    let before = ok(call(&client, &base, Some(&ben), "get", balance, None).await, 200, "the balance");
    let (status, text) = call(&client, &base, Some(&ada), "put", &commitment, Some(&json!({"hours": "1500"}))).await;
    assert_eq!(status, 422, "refused: {text}");
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap()["field"], "leave_weeks", "{text}");
    let after = ok(call(&client, &base, Some(&ben), "get", balance, None).await, 200, "the balance after the refusal");
    assert_eq!(after, before, "a refused commitment changed nothing");
}

/// Odd input never makes a 5xx: every operation of the document, called by an admin (with a
/// bearer token, so signing out ends nothing) and by a plain member, with every path parameter
/// replaced by odd values (a missing id, a word, zero, a bad month, an encoded space) and with
/// odd bodies (none, `{}`, an unknown field, an array, `null`, broken JSON) and odd query strings.
#[tokio::test]
async fn odd_input_to_any_endpoint_is_never_answered_with_a_5xx() {
    let coop = TestCoop::start();
    let base = coop.server.base.clone();
    let client = reqwest::Client::new();
    let ada = sign_in(&client, &base, &coop.admin.email, &coop.admin.password).await;
    let ben = sign_in(&client, &base, &coop.member.email, &coop.member.password).await;
    let token = ok(call(&client, &base, Some(&ada), "post", "/api/v1/tokens", Some(&json!({"label": "odd input"}))).await, 201, "a token")["token"]
        .as_str()
        .unwrap()
        .to_string();
    // Something for the ids to find: a class, a proposal, an election, hours.
    let majority = json!({"kind": "vote", "threshold": "1/2", "strict": false, "base": "cast", "quorum": null});
    ok(call(&client, &base, Some(&ada), "put", "/api/v1/classes/ordinary", Some(&json!({"rule": majority}))).await, 200, "class");
    ok(call(&client, &base, Some(&ada), "post", "/api/v1/proposals", Some(&json!({"class": "ordinary", "title": "Odd"}))).await, 201, "proposal");
    ok(call(&client, &base, Some(&ben), "post", "/api/v1/hours", Some(&json!({"date": "2025-03-10", "hours": "2.00"}))).await, 201, "hours");

    let (_, doc) = call(&client, &base, None, "get", "/api/v1/openapi.json", None).await;
    let doc: Value = serde_json::from_str(&doc).unwrap();
    let params = ["1", "999999", "abc", "0", "-1", "9999-99", "2025-02-30", "a%20b", "%E2%82%AC"];
    let bodies: [Option<&str>; 6] = [None, Some("{}"), Some(r#"{"zzz": 1}"#), Some("[]"), Some("null"), Some("{\"broken")];
    let queries = ["", "?year=abc", "?year=99999", "?limit=0&before=x", "?member=nobody@example.org&year=2025&on=2025-13-01", "?status=whatever&state=boss"];
    let mut calls = 0;
    let mut fives = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        if !path.starts_with("/api/v1/") {
            continue;
        }
        for method in item.as_object().unwrap().keys().filter(|m| ["get", "post", "put", "patch", "delete"].contains(&m.as_str())) {
            let variants: Vec<String> = if path.contains('{') {
                params
                    .iter()
                    .map(|p| {
                        let mut out = String::new();
                        let mut rest = path.as_str();
                        while let Some(open) = rest.find('{') {
                            let close = rest[open..].find('}').unwrap() + open;
                            out.push_str(&rest[..open]);
                            out.push_str(p);
                            rest = &rest[close + 1..];
                        }
                        out.push_str(rest);
                        out
                    })
                    .collect()
            } else {
                vec![path.clone()]
            };
            for concrete in variants {
                // Query strings matter to reads; bodies to writes.
                let qs: &[&str] = if method == "get" { &queries } else { &[""] };
                for q in qs {
                    for body in bodies {
                        if method == "get" && body.is_some() {
                            continue;
                        }
                        for (who, auth) in [("admin", format!("Bearer {token}")), ("member", String::new())] {
                            let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                            let mut req = client.request(m, format!("{base}{concrete}{}", *q));
                            req = if auth.is_empty() { req.header("cookie", format!("coop_session={ben}")) } else { req.header("authorization", auth.as_str()) };
                            if let Some(b) = body {
                                req = req.header("content-type", "application/json").body(b.to_string());
                            }
                            let res = req.send().await.unwrap();
                            calls += 1;
                            let status = res.status().as_u16();
                            if status >= 500 {
                                let text = res.text().await.unwrap_or_default();
                                fives.push(format!("{} {concrete}{} as {who} with {body:?}: {status} {text}", method.to_uppercase(), *q));
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(fives.is_empty(), "{} of {calls} odd calls were answered with a 5xx:\n{}", fives.len(), fives.join("\n"));
    println!("{calls} odd calls, none answered with a 5xx");
}
