//! Black-box tests of the HTTP interface: the real `coop` binary, prepared with the CLI and
//! served on a free port, driven with reqwest.

mod common;

use common::api::Caller;
use common::{Account, TestCoop, COOP_NAME};
use reqwest::header::SET_COOKIE;
use reqwest::Method;
use serde_json::{json, Value};

/// Every route the API registers, with its methods (the OpenAPI test checks the same list).
const API_ROUTES: &[(&str, &[&str])] = &[
    ("/api/v1/session", &["post", "get", "delete"]),
    ("/api/v1/tokens", &["post", "get"]),
    ("/api/v1/tokens/{id}", &["delete"]),
    ("/api/v1/members", &["get", "post"]),
    ("/api/v1/members/{id}", &["get", "patch"]),
    ("/api/v1/members/{id}/state", &["post"]),
    ("/api/v1/members/{id}/roles", &["put"]),
    ("/api/v1/journal", &["get"]),
    ("/api/v1/journal/head", &["get"]),
    ("/api/v1/journal/verify", &["get"]),
    ("/api/v1/settings", &["get"]),
    ("/api/v1/openapi.json", &["get"]),
];

/// Routes anyone may call.
const PUBLIC: &[(&str, &str)] = &[("post", "/api/v1/session"), ("get", "/api/v1/openapi.json")];

fn emails(list: &Value) -> Vec<String> {
    let mut v: Vec<String> = list.as_array().expect("an array").iter().map(|m| m["email"].as_str().expect("email").to_string()).collect();
    v.sort();
    v
}

fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[tokio::test]
async fn healthz_answers_ok() {
    let coop = TestCoop::start();
    let answer = Caller::anonymous(&coop).get("/healthz").await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.text, "ok");
}

#[tokio::test]
async fn every_api_endpoint_refuses_callers_who_are_not_signed_in() {
    let coop = TestCoop::start();
    let anon = Caller::anonymous(&coop);
    let openapi = anon.get("/api/v1/openapi.json").await;
    assert_eq!(openapi.status, 200);
    let doc = openapi.json();
    // Every documented operation, not only the ones this test knows about.
    let mut operations: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("a path item").keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                operations.push((method.clone(), path.clone()));
            }
        }
    }
    for (path, methods) in API_ROUTES {
        for m in *methods {
            assert!(operations.contains(&(m.to_string(), path.to_string())), "{m} {path} is documented");
        }
    }
    let mut checked = 0;
    for (method, path) in &operations {
        if !path.starts_with("/api/v1/") || PUBLIC.contains(&(method.as_str(), path.as_str())) {
            continue;
        }
        let concrete = path.replace("{id}", &coop.member.id.to_string());
        let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let body = matches!(method.as_str(), "post" | "put" | "patch").then(|| json!({}));
        let answer = anon.send(m, &concrete, body).await;
        let body = answer.assert_error(401, None);
        assert!(body["error"].as_str().unwrap().contains("sign in"), "{method} {path}: {body}");
        checked += 1;
    }
    assert!(checked >= 14, "checked {checked} operations");
    // A bearer token nobody issued is no better.
    Caller::anonymous(&coop).with_bearer("coop_0000").get("/api/v1/members").await.assert_error(401, None);
    // Nor is a made-up session cookie.
    Caller::anonymous(&coop).with_cookie("forged").get("/api/v1/members").await.assert_error(401, None);
}

#[tokio::test]
async fn signing_in_sets_a_safe_session_cookie_that_opens_the_api() {
    let coop = TestCoop::start();
    let answer = Caller::anonymous(&coop).post("/api/v1/session", json!({"email": coop.admin.email, "password": coop.admin.password})).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let body = answer.json();
    assert_eq!(body["member"]["email"], coop.admin.email.as_str());
    assert_eq!(body["member"]["id"], coop.admin.id);
    assert_eq!(body["member"]["roles"], json!(["admin"]));
    assert_eq!(body["member"]["state"], "member");
    assert!(body["expires_at"].as_str().is_some_and(|t| t.ends_with('Z')), "{body}");

    let set_cookie: Vec<String> = answer.headers.get_all(SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_string()).collect();
    assert_eq!(set_cookie.len(), 1, "{set_cookie:?}");
    let cookie = &set_cookie[0];
    let attrs: Vec<String> = cookie.split(';').map(|a| a.trim().to_string()).collect();
    assert!(attrs[0].starts_with("coop_session=") && attrs[0].len() > "coop_session=".len() + 32, "{cookie}");
    assert!(attrs.iter().any(|a| a.eq_ignore_ascii_case("HttpOnly")), "{cookie}");
    assert!(attrs.iter().any(|a| a == "SameSite=Lax"), "{cookie}");
    assert!(attrs.iter().any(|a| a == "Path=/"), "{cookie}");
    let max_age: i64 = attrs.iter().find_map(|a| a.strip_prefix("Max-Age=")).expect("Max-Age").parse().unwrap();
    assert!((11 * 3600..=12 * 3600).contains(&max_age), "the session lasts 12 hours: {max_age}");
    assert!(!attrs.iter().any(|a| a.eq_ignore_ascii_case("Secure")), "plain http in tests: {cookie}");

    let admin = Caller::anonymous(&coop).with_cookie(&answer.session_cookie());
    let members = admin.get("/api/v1/members").await;
    assert_eq!(members.status, 200, "{}", members.text);
    assert_eq!(emails(&members.json()), vec!["ada@example.org", "ben@example.org", "cleo@example.org"]);
    let cleo = members.json().as_array().unwrap().iter().find(|m| m["email"] == "cleo@example.org").cloned().unwrap();
    assert_eq!(cleo["state"], "candidate");
    assert_eq!(cleo["roles"], json!([]));
    assert!(cleo["since"].as_str().is_some_and(|d| d.len() == 10), "{cleo}");
    for key in ["id", "name", "email", "state", "since", "roles"] {
        assert!(cleo.get(key).is_some(), "the contract's {key} is there: {cleo}");
    }

    let me = admin.get("/api/v1/session").await;
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["member"]["email"], "ada@example.org");
    assert_eq!(me.json()["via"], "cookie");

    // And the filters.
    let candidates = admin.get("/api/v1/members?state=candidate").await.json();
    assert_eq!(emails(&candidates), vec!["cleo@example.org"]);
    let found = admin.get("/api/v1/members?search=ben").await.json();
    assert_eq!(emails(&found), vec!["ben@example.org"]);
    admin.get("/api/v1/members?state=boss").await.assert_error(422, Some("state"));
}

#[tokio::test]
async fn a_wrong_password_or_unknown_email_is_401() {
    let coop = TestCoop::start();
    let anon = Caller::anonymous(&coop);
    let wrong = anon.post("/api/v1/session", json!({"email": coop.admin.email, "password": "not-the-password"})).await;
    let e1 = wrong.assert_error(401, None);
    assert!(wrong.header("set-cookie").is_none(), "no cookie for a wrong password");
    let unknown = anon.post("/api/v1/session", json!({"email": "nobody@example.org", "password": "whatever-it-is"})).await;
    let e2 = unknown.assert_error(401, None);
    assert_eq!(e1, e2, "the answer does not reveal who is a member");
}

#[tokio::test]
async fn repeated_wrong_passwords_lock_the_account_but_not_colleagues_at_the_same_address() {
    let coop = TestCoop::start();
    let anon = Caller::anonymous(&coop);
    let wrong = json!({"email": coop.member.email, "password": "guess-guess-guess"});
    let mut statuses = Vec::new();
    let mut last = None;
    for _ in 0..6 {
        let a = anon.post("/api/v1/session", wrong.clone()).await;
        statuses.push(a.status);
        last = Some(a);
    }
    assert_eq!(statuses[..4], [401, 401, 401, 401], "{statuses:?}");
    assert_eq!(statuses[4..], [429, 429], "{statuses:?}");
    let last = last.unwrap();
    last.assert_error(429, None);
    let retry: u64 = last.header("retry-after").expect("Retry-After").parse().expect("seconds");
    assert!((1..=15 * 60).contains(&retry), "Retry-After {retry}");

    // The locked account stays locked even with the right password...
    let right = anon.post("/api/v1/session", json!({"email": coop.member.email, "password": coop.member.password})).await;
    right.assert_error(429, None);
    assert!(right.header("retry-after").is_some());
    // ...while a colleague from the same address signs in normally.
    let colleague = anon.post("/api/v1/session", json!({"email": coop.candidate.email, "password": coop.candidate.password})).await;
    assert_eq!(colleague.status, 200, "{}", colleague.text);
    assert_eq!(colleague.json()["member"]["email"], coop.candidate.email.as_str());
}

#[tokio::test]
async fn a_plain_member_may_not_manage_members_but_may_edit_themselves() {
    let coop = TestCoop::start();
    let ben = Caller::signed_in(&coop, &coop.member).await;
    let cleo_id = coop.candidate.id;

    let add = ben.post("/api/v1/members", json!({"name": "Dan Intruder", "email": "dan@example.org", "state": "member"})).await;
    let body = add.assert_error(403, None);
    assert!(body["error"].as_str().unwrap().contains("admin"), "{body}");
    ben.post(&format!("/api/v1/members/{cleo_id}/state"), json!({"state": "member"})).await.assert_error(403, None);
    ben.put(&format!("/api/v1/members/{}/roles", coop.member.id), json!({"roles": ["admin"]})).await.assert_error(403, None);
    ben.patch(&format!("/api/v1/members/{}", coop.admin.id), json!({"name": "Ada Was Here"})).await.assert_error(403, None);

    // Nothing changed.
    let members = ben.get("/api/v1/members").await.json();
    assert_eq!(emails(&members), vec!["ada@example.org", "ben@example.org", "cleo@example.org"]);
    let cleo = ben.get(&format!("/api/v1/members/{cleo_id}")).await.json();
    assert_eq!(cleo["state"], "candidate");
    assert_eq!(cleo["history"].as_array().unwrap().len(), 1);
    let me = ben.get(&format!("/api/v1/members/{}", coop.member.id)).await.json();
    assert_eq!(me["roles"], json!([]));
    let ada = ben.get(&format!("/api/v1/members/{}", coop.admin.id)).await.json();
    assert_eq!(ada["name"], "Ada Admin");

    // Their own profile is theirs to edit.
    let own = ben.patch(&format!("/api/v1/members/{}", coop.member.id), json!({"name": "Benjamin Baker", "language": "ar"})).await;
    assert_eq!(own.status, 200, "{}", own.text);
    assert_eq!(own.json()["name"], "Benjamin Baker");
    assert_eq!(own.json()["language"], "ar");
    let again = ben.get(&format!("/api/v1/members/{}", coop.member.id)).await.json();
    assert_eq!(again["name"], "Benjamin Baker");
    assert_eq!(again["email"], "ben@example.org");
    // `null` clears the language; absent fields stay.
    let cleared = ben.patch(&format!("/api/v1/members/{}", coop.member.id), json!({"language": null})).await;
    assert_eq!(cleared.status, 200, "{}", cleared.text);
    assert_eq!(cleared.json()["language"], Value::Null);
    assert_eq!(cleared.json()["name"], "Benjamin Baker");
    // A bad value in their own edit names the field.
    ben.patch(&format!("/api/v1/members/{}", coop.member.id), json!({"email": "no-at-sign"})).await.assert_error(422, Some("email"));
}

#[tokio::test]
async fn an_admin_adds_members_and_duplicates_or_bad_emails_add_nobody() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    let added = ada
        .post(
            "/api/v1/members",
            json!({"name": "Dana Dough", "email": "dana@example.org", "state": "candidate", "since": "2026-01-05",
                   "note": "met at the fair", "roles": ["secretary"], "password": "dana-password-1", "language": "en"}),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text);
    let dana = added.json();
    assert_eq!(dana["name"], "Dana Dough");
    assert_eq!(dana["email"], "dana@example.org");
    assert_eq!(dana["state"], "candidate");
    assert_eq!(dana["since"], "2026-01-05");
    assert_eq!(dana["planned_end"], "2026-10-05", "the co-op's default 9-month candidacy");
    assert_eq!(dana["roles"], json!(["secretary"]));
    let dana_id = dana["id"].as_i64().unwrap();

    let listed = ada.get("/api/v1/members").await.json();
    assert_eq!(emails(&listed), vec!["ada@example.org", "ben@example.org", "cleo@example.org", "dana@example.org"]);
    let detail = ada.get(&format!("/api/v1/members/{dana_id}")).await;
    assert_eq!(detail.status, 200);
    let detail = detail.json();
    assert_eq!(detail["has_password"], true);
    assert_eq!(detail["history"][0]["note"], "met at the fair");
    // The password given works.
    let dana_account = Account { id: dana_id, name: "Dana Dough".into(), email: "dana@example.org".into(), password: "dana-password-1".into() };
    Caller::signed_in(&coop, &dana_account).await;

    let dup = ada.post("/api/v1/members", json!({"name": "Dana Again", "email": "DANA@example.org"})).await;
    let body = dup.assert_error(409, None);
    assert!(body["error"].as_str().unwrap().contains("dana@example.org"), "{body}");
    ada.post("/api/v1/members", json!({"name": "Eve", "email": "eve-at-example.org"})).await.assert_error(422, Some("email"));
    ada.post("/api/v1/members", json!({"name": "Eve", "email": "eve@example.org", "password": "short"})).await.assert_error(422, Some("password"));
    ada.post("/api/v1/members", json!({"name": "Eve", "email": "eve@example.org", "state": "on_leave"})).await.assert_error(422, Some("state"));

    let after = ada.get("/api/v1/members").await.json();
    assert_eq!(after.as_array().unwrap().len(), 4, "nothing added by refused requests: {after}");
    let journal = ada.get("/api/v1/journal?action=member.add").await.json();
    assert_eq!(journal.as_array().unwrap().len(), 4, "three from the CLI and Dana");
    assert_eq!(journal[0]["actor"], format!("member:{}", coop.admin.id));
}

#[tokio::test]
async fn bad_input_is_answered_422_with_json_naming_the_field() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    let anon = Caller::anonymous(&coop);

    // Broken JSON, on a public and on a protected endpoint.
    let broken = anon.send_raw(Method::POST, "/api/v1/session", Some("application/json"), Some(b"{\"email\": ".to_vec())).await;
    let body = broken.assert_error(422, None);
    assert!(body["error"].as_str().unwrap().contains("JSON"), "{body}");
    ada.send_raw(Method::POST, "/api/v1/members", Some("application/json"), Some(b"{name: 'x'}".to_vec())).await.assert_error(422, None);
    ada.send_raw(Method::POST, "/api/v1/members", Some("application/json"), Some(Vec::new())).await.assert_error(422, None);
    // Wrong types, missing and unknown fields.
    ada.post("/api/v1/members", json!({"name": 5, "email": "x@example.org"})).await.assert_error(422, Some("name"));
    ada.post("/api/v1/members", json!({"name": "X"})).await.assert_error(422, Some("email"));
    let unknown = ada.post("/api/v1/members", json!({"name": "X", "email": "x@example.org", "is_boss": true})).await;
    let body = unknown.assert_error(422, Some("is_boss"));
    assert!(body["error"].as_str().unwrap().contains("is_boss"), "{body}");
    ada.post("/api/v1/members", json!({"name": "X", "email": "x@example.org", "roles": "admin"})).await.assert_error(422, Some("roles"));
    anon.post("/api/v1/session", json!({"email": "a@example.org", "password": "p", "remember": true})).await.assert_error(422, Some("remember"));
    // Values the core refuses, each naming its field.
    ada.post("/api/v1/members", json!({"name": "X", "email": "x@example.org", "since": "2026-13-01"})).await.assert_error(422, Some("since"));
    ada.post("/api/v1/members", json!({"name": "X", "email": "x@example.org", "state": "boss"})).await.assert_error(422, Some("state"));
    ada.post("/api/v1/members", json!({"name": "X", "email": "x@example.org", "roles": ["admin", "king"]})).await.assert_error(422, Some("roles[1]"));
    ada.post("/api/v1/members", json!({"name": "", "email": "x@example.org"})).await.assert_error(422, Some("name"));
    let cleo = format!("/api/v1/members/{}/state", coop.candidate.id);
    ada.post(&cleo, json!({"state": "member", "on": "tomorrow"})).await.assert_error(422, Some("on"));
    ada.put(&format!("/api/v1/members/{}/roles", coop.member.id), json!({"roles": ["cook"]})).await.assert_error(422, Some("roles[0]"));
    ada.get("/api/v1/journal?limit=lots").await.assert_error(422, Some("limit"));
    ada.get("/api/v1/journal?limit=0").await.assert_error(422, Some("limit"));
    // Ids that are not numbers.
    ada.get("/api/v1/members/ben").await.assert_error(422, Some("id"));
    ada.delete("/api/v1/tokens/x1").await.assert_error(422, Some("id"));
    // An id that is a number but nobody's.
    ada.get("/api/v1/members/9999").await.assert_error(404, None);
    // A body that is not declared JSON.
    let plain = ada.send_raw(Method::POST, "/api/v1/members", Some("text/plain"), Some(b"{\"name\":\"X\",\"email\":\"x@example.org\"}".to_vec())).await;
    plain.assert_error(415, None);
    ada.send_raw(Method::POST, "/api/v1/members", None, Some(b"{}".to_vec())).await.assert_error(415, None);
    // Unknown routes and methods.
    ada.get("/api/v1/no-such-thing").await.assert_error(404, None);
    anon.get("/api/v1/members/1/shoe-size").await.assert_error(404, None);
    ada.send(Method::DELETE, "/api/v1/members", None).await.assert_error(405, None);

    // None of it added anyone.
    assert_eq!(ada.get("/api/v1/members").await.json().as_array().unwrap().len(), 3);
    let cleo = ada.get(&format!("/api/v1/members/{}", coop.candidate.id)).await.json();
    assert_eq!(cleo["state"], "candidate");
}

#[tokio::test]
async fn a_bearer_token_works_without_a_cookie_until_revoked() {
    let coop = TestCoop::start();
    let ben = Caller::signed_in(&coop, &coop.member).await;
    let created = ben.post("/api/v1/tokens", json!({"label": "payroll script"})).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let token = created.json()["token"].as_str().expect("token").to_string();
    assert!(token.starts_with("coop_") && token.len() > 40, "{token}");

    let script = Caller::anonymous(&coop).with_bearer(&token);
    let members = script.get("/api/v1/members").await;
    assert_eq!(members.status, 200, "{}", members.text);
    assert_eq!(members.json().as_array().unwrap().len(), 3);
    let me = script.get("/api/v1/session").await.json();
    assert_eq!(me["member"]["email"], coop.member.email.as_str());
    assert_eq!(me["via"], "bearer");
    // The token acts as its member: still no admin powers.
    script.post("/api/v1/members", json!({"name": "X", "email": "x@example.org"})).await.assert_error(403, None);

    let listed = ben.get("/api/v1/tokens").await.json();
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["label"], "payroll script");
    assert_eq!(listed[0]["revoked"], false);
    assert!(listed[0].get("token").is_none(), "the secret is never listed");
    let id = listed[0]["id"].as_i64().unwrap();

    // Another member cannot revoke it.
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    ada.delete(&format!("/api/v1/tokens/{id}")).await.assert_error(404, None);
    assert_eq!(script.get("/api/v1/members").await.status, 200);

    let revoked = ben.delete(&format!("/api/v1/tokens/{id}")).await;
    assert_eq!(revoked.status, 204, "{}", revoked.text);
    script.get("/api/v1/members").await.assert_error(401, None);
    let listed = ben.get("/api/v1/tokens").await.json();
    assert_eq!(listed[0]["revoked"], true);
    // No label is fine too.
    let unlabelled = ben.post("/api/v1/tokens", json!({})).await;
    assert_eq!(unlabelled.status, 201);
    let listed = ben.get("/api/v1/tokens").await.json();
    assert!(listed.as_array().unwrap().iter().any(|t| t["label"] == "api"), "{listed}");
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let coop = TestCoop::start();
    let answer = Caller::anonymous(&coop).post("/api/v1/session", json!({"email": coop.admin.email, "password": coop.admin.password})).await;
    let session = answer.session_cookie();
    let ada = Caller::anonymous(&coop).with_cookie(&session);
    assert_eq!(ada.get("/api/v1/members").await.status, 200);

    let out = ada.delete("/api/v1/session").await;
    assert_eq!(out.status, 204, "{}", out.text);
    let clear = out.header("set-cookie").expect("the cookie is cleared");
    assert!(clear.starts_with("coop_session=;") && clear.contains("Max-Age=0"), "{clear}");

    // The old cookie, sent anyway, opens nothing.
    ada.get("/api/v1/members").await.assert_error(401, None);
    ada.get("/api/v1/session").await.assert_error(401, None);
    // A new sign-in works again.
    let again = Caller::signed_in(&coop, &coop.admin).await;
    assert_eq!(again.get("/api/v1/members").await.status, 200);
}

#[tokio::test]
async fn a_browser_like_client_keeps_and_drops_the_cookie() {
    let coop = TestCoop::start();
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let login = client.post(coop.url("/api/v1/session")).json(&json!({"email": coop.admin.email, "password": coop.admin.password})).send().await.unwrap();
    assert_eq!(login.status(), 200);
    assert_eq!(client.get(coop.url("/api/v1/settings")).send().await.unwrap().status(), 200);
    assert_eq!(client.delete(coop.url("/api/v1/session")).send().await.unwrap().status(), 204);
    assert_eq!(client.get(coop.url("/api/v1/settings")).send().await.unwrap().status(), 401);
}

#[tokio::test]
async fn responses_carry_the_security_headers() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    for answer in [ada.get("/api/v1/members").await, Caller::anonymous(&coop).get("/healthz").await, Caller::anonymous(&coop).get("/api/v1/nowhere").await] {
        let csp = answer.header("content-security-policy").expect("a CSP");
        let script_src = csp.split(';').map(str::trim).find(|d| d.starts_with("script-src")).expect("a script-src directive");
        assert!(!script_src.contains("'unsafe-inline'") && !script_src.contains("'unsafe-eval'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert_eq!(answer.header("x-frame-options").as_deref(), Some("DENY"));
        assert_eq!(answer.header("x-content-type-options").as_deref(), Some("nosniff"));
    }
    let members = ada.get("/api/v1/members").await;
    assert_eq!(members.header("cache-control").as_deref(), Some("no-store"), "personal data is not cached");
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_with_413() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    // The server answers from the declared length without reading the body; a client that
    // kept writing 2 MiB could see the connection close before it read the answer, so the
    // request is written by hand: the headers, a little of the body, then read.
    let cookie = ada.credentials().unwrap_or_default().to_string();
    let addr = coop.server.base.trim_start_matches("http://").trim_end_matches('/').to_string();
    let status_line = tokio::task::spawn_blocking(move || {
        use std::io::{BufRead, BufReader, Write};
        let mut stream = std::net::TcpStream::connect(&addr).expect("connect");
        let head = format!(
            "POST /api/v1/members HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{{\"name\":\"",
            2 * 1024 * 1024
        );
        stream.write_all(head.as_bytes()).expect("write");
        let mut line = String::new();
        BufReader::new(stream).read_line(&mut line).expect("read the status line");
        line
    })
    .await
    .unwrap();
    assert!(status_line.starts_with("HTTP/1.1 413"), "{status_line}");
    assert_eq!(ada.get("/api/v1/members").await.json().as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let coop = TestCoop::start();
    let answer = Caller::anonymous(&coop).get("/api/v1/openapi.json").await;
    assert_eq!(answer.status, 200);
    assert!(answer.header("content-type").is_some_and(|c| c.starts_with("application/json")));
    let doc = answer.json();
    let version = doc["openapi"].as_str().expect("an openapi version");
    assert!(version.starts_with("3."), "{version}");
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.contains_key("/healthz"), "/healthz is documented");
    assert!(paths["/healthz"].get("get").is_some());
    for (path, methods) in API_ROUTES {
        let item = paths.get(*path).unwrap_or_else(|| panic!("{path} is missing from {:?}", paths.keys().collect::<Vec<_>>()));
        for m in *methods {
            let op = item.get(*m).unwrap_or_else(|| panic!("{m} {path} is missing"));
            assert!(op["responses"].as_object().is_some_and(|r| !r.is_empty()), "{m} {path} documents its responses");
        }
    }
    let documented_api: usize = paths.iter().filter(|(p, _)| p.starts_with("/api/v1/")).map(|(_, i)| i.as_object().unwrap().len()).sum();
    let registered: usize = API_ROUTES.iter().map(|(_, m)| m.len()).sum();
    assert!(documented_api >= registered, "{documented_api} documented operations, {registered} routes");

    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["cookie"]["in"], "cookie");
    assert_eq!(schemes["cookie"]["name"], "coop_session");
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    for name in ["MemberSummary", "MemberDetail", "ErrorBody", "NewMemberRequest", "VerifyReport", "JournalEntry"] {
        assert!(schemas.contains_key(name), "schema {name}");
    }
    let summary = &schemas["MemberSummary"]["properties"];
    for key in ["id", "name", "email", "state", "since", "roles"] {
        assert!(summary.get(key).is_some(), "MemberSummary.{key}");
    }
    // Protected operations say how to authenticate; sign-in does not need to.
    assert!(doc["paths"]["/api/v1/members"]["get"]["security"].as_array().is_some_and(|s| !s.is_empty()));
    assert!(doc["paths"]["/api/v1/session"]["post"].get("security").is_none());

    // What the API sends is what the document says: the same keys, the required ones present.
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    let check = |schema: &str, value: &Value| {
        let s = &schemas[schema];
        let props = s["properties"].as_object().unwrap_or_else(|| panic!("{schema} has properties"));
        let obj = value.as_object().unwrap_or_else(|| panic!("{schema}: an object, got {value}"));
        let mut sent: Vec<&String> = obj.keys().collect();
        let mut described: Vec<&String> = props.keys().collect();
        sent.sort();
        described.sort();
        assert_eq!(sent, described, "{schema}");
        for required in s["required"].as_array().into_iter().flatten() {
            assert!(obj.contains_key(required.as_str().unwrap()), "{schema}.{required}");
        }
    };
    let members = ada.get("/api/v1/members").await.json();
    check("MemberSummary", &members[0]);
    let detail = ada.get(&format!("/api/v1/members/{}", coop.candidate.id)).await.json();
    check("HistoryItem", &detail["history"][0]);
    check("JournalHead", &ada.get("/api/v1/journal/head").await.json());
    check("VerifyReport", &ada.get("/api/v1/journal/verify").await.json());
    check("CoopSettings", &ada.get("/api/v1/settings").await.json());
    check("JournalEntry", &ada.get("/api/v1/journal?limit=1").await.json()[0]);
    check("CurrentSession", &ada.get("/api/v1/session").await.json());
}

#[tokio::test]
async fn a_change_of_state_is_sealed_and_the_journal_verifies() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    let path = format!("/api/v1/members/{}/state", coop.candidate.id);
    let changed = ada.post(&path, json!({"state": "member", "on": "2030-01-01", "note": "admitted at the general meeting"})).await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    let detail = changed.json();
    let history = detail["history"].as_array().expect("history");
    assert_eq!(history.len(), 2);
    let last = &history[1];
    assert_eq!(last["state"], "member");
    assert_eq!(last["since"], "2030-01-01");
    assert_eq!(last["note"], "admitted at the general meeting");
    assert!(last["sealed_hash"].as_str().is_some_and(is_hex64), "sealed: {last}");
    assert!(history[0]["sealed_hash"].as_str().is_some_and(is_hex64), "the first state is sealed too");
    assert_ne!(history[0]["sealed_hash"], last["sealed_hash"]);
    assert_eq!(detail["state"], "candidate", "still a candidate until 2030");

    // A move the life cycle does not allow changes nothing.
    ada.post(&path, json!({"state": "applicant"})).await.assert_error(422, Some("state"));
    let again = ada.get(&format!("/api/v1/members/{}", coop.candidate.id)).await.json();
    assert_eq!(again["history"].as_array().unwrap().len(), 2);

    let newest = ada.get("/api/v1/journal?limit=1").await;
    assert_eq!(newest.status, 200, "{}", newest.text);
    let newest = newest.json();
    assert_eq!(newest.as_array().unwrap().len(), 1);
    let head = ada.get("/api/v1/journal/head").await.json();
    assert_eq!(head["seq"], newest[0]["seq"]);
    assert_eq!(head["hash"], newest[0]["hash"]);
    assert!(head["hash"].as_str().is_some_and(is_hex64));

    let states = ada.get(&format!("/api/v1/journal?action=member.state&subject=member:{}", coop.candidate.id)).await.json();
    let states = states.as_array().unwrap();
    assert_eq!(states.len(), 2, "{states:?}");
    assert_eq!(states[0]["payload"]["state"], "member");
    assert_eq!(states[0]["actor"], format!("member:{}", coop.admin.id));
    assert!(states[0]["seq"].as_i64() > states[1]["seq"].as_i64(), "newest first");
    let older = ada.get(&format!("/api/v1/journal?before={}&limit=1000", head["seq"])).await.json();
    assert_eq!(older.as_array().unwrap().len() as i64, head["seq"].as_i64().unwrap() - 1);

    // Any member may audit.
    let ben = Caller::signed_in(&coop, &coop.member).await;
    let report = ben.get("/api/v1/journal/verify").await;
    assert_eq!(report.status, 200, "{}", report.text);
    let report = report.json();
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(report["fault"], Value::Null);
    assert!(report["seals"].as_i64().unwrap() >= 4, "three first states and the change: {report}");
    let head_now = ben.get("/api/v1/journal/head").await.json();
    assert_eq!(report["head"], head_now["hash"]);
    assert_eq!(report["entries"], head_now["seq"]);
}

#[tokio::test]
async fn roles_are_replaced_by_admins_and_the_last_admin_stays() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    let ben_roles = format!("/api/v1/members/{}/roles", coop.member.id);
    let set = ada.put(&ben_roles, json!({"roles": ["secretary", "admin", "admin"]})).await;
    assert_eq!(set.status, 200, "{}", set.text);
    assert_eq!(set.json()["roles"], json!(["admin", "secretary"]));
    // Ben is admin now: he may add people.
    let ben = Caller::signed_in(&coop, &coop.member).await;
    assert_eq!(ben.post("/api/v1/members", json!({"name": "Finn", "email": "finn@example.org"})).await.status, 201);

    assert_eq!(ada.put(&format!("/api/v1/members/{}/roles", coop.admin.id), json!({"roles": []})).await.status, 200);
    let last = ben.put(&ben_roles, json!({"roles": []})).await;
    last.assert_error(409, None);
    let ben_now = ben.get(&format!("/api/v1/members/{}", coop.member.id)).await.json();
    assert_eq!(ben_now["roles"], json!(["admin", "secretary"]));
}

#[tokio::test]
async fn any_member_reads_the_settings() {
    let coop = TestCoop::start();
    let cleo = Caller::signed_in(&coop, &coop.candidate).await;
    let settings = cleo.get("/api/v1/settings").await;
    assert_eq!(settings.status, 200, "{}", settings.text);
    let s = settings.json();
    assert_eq!(s["name"], COOP_NAME);
    assert_eq!(s["currency"], "USD");
    assert_eq!(s["timezone"], "UTC");
    assert_eq!(s["fiscal_year_start"], "01-01");
    assert_eq!(s["candidacy_months"], 9);
}
