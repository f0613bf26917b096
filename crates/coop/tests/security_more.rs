//! Web security checks that tests/http.rs and tests/pages.rs do not make yet:
//!
//! - session fixation: a session cookie a visitor already carries when signing in (planted by
//!   someone else, or an older session of another member) is never the one they are signed in
//!   with afterwards, and never becomes theirs — through the API and through the sign-in form;
//! - signing out through the page ends the session on the server (the old cookie, replayed,
//!   opens nothing), a new password set from the command line ends every session, and a
//!   departure ends the member's sessions and API tokens;
//! - no secret in the server's output: with the most verbose logging (`RUST_LOG=trace`), the
//!   server is signed in to (right and wrong passwords), issues an API token that is then
//!   used, issues a reset link that is then used to set a new password, issues a private
//!   calendar feed that is then fetched, and the captured output contains none of the
//!   passwords, the token, the reset secret, the calendar secret or the session cookies; nor
//!   does the database file (with its write-ahead log).

mod common;

use common::{add_member, coop as run_coop, coop_command, init, Account, TestCoop};
use reqwest::redirect::Policy;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

/// A client that keeps no cookies: every cookie is sent by hand, so a test can plant one.
fn bare_client() -> reqwest::Client {
    reqwest::Client::builder().redirect(Policy::none()).build().unwrap()
}

/// The `coop_session` value a response sets, if any.
fn session_set(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.split(';').next().and_then(|kv| kv.strip_prefix("coop_session=")).map(str::to_string))
        .filter(|v| !v.is_empty())
}

/// The email of whoever `cookie` signs in, or `None` when it opens nothing.
async fn who(base: &str, cookie: &str) -> Option<String> {
    let res = bare_client().get(format!("{base}/api/v1/session")).header("cookie", format!("coop_session={cookie}")).send().await.unwrap();
    match res.status().as_u16() {
        200 => Some(res.json::<Value>().await.unwrap()["member"]["email"].as_str().unwrap().to_string()),
        401 => None,
        other => panic!("GET /api/v1/session answered {other}"),
    }
}

async fn api_sign_in(base: &str, planted: Option<&str>, who: &Account) -> String {
    let mut req = bare_client().post(format!("{base}/api/v1/session")).json(&json!({"email": who.email, "password": who.password}));
    if let Some(p) = planted {
        req = req.header("cookie", format!("coop_session={p}"));
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200, "sign-in of {}", who.email);
    session_set(&res).expect("a session cookie")
}

/// The value of `name="csrf_token" value="..."` in a page.
fn csrf_in(html: &str) -> String {
    let prefix = r#"name="csrf_token" value=""#;
    let i = html.find(prefix).unwrap_or_else(|| panic!("no csrf_token in {html}")) + prefix.len();
    let end = html[i..].find('"').unwrap() + i;
    html[i..end].to_string()
}

/// Signs in through the form with `extra_cookie` already in the browser ("k=v" pairs); returns
/// the new session cookie.
async fn form_sign_in(base: &str, extra_cookie: &str, who: &Account) -> String {
    let client = bare_client();
    // The form is fetched without the cookie (a signed-in visitor is sent home from /login);
    // the cookie rides along with the sign-in itself, as a planted one would.
    let form = client.get(format!("{base}/login")).send().await.unwrap();
    assert_eq!(form.status().as_u16(), 200);
    let login_csrf = form
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.split(';').next().and_then(|kv| kv.strip_prefix("coop_login_csrf=")).map(str::to_string))
        .expect("the login form's CSRF cookie");
    let token = csrf_in(&form.text().await.unwrap());
    let res = client
        .post(format!("{base}/login"))
        .header("cookie", format!("{extra_cookie}; coop_login_csrf={login_csrf}"))
        .form(&[("csrf_token", token.as_str()), ("next", "/"), ("email", &who.email), ("password", &who.password)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303, "sign-in of {} through the form", who.email);
    session_set(&res).expect("the form sets a session cookie")
}

#[tokio::test]
async fn a_session_cookie_carried_into_sign_in_is_never_the_one_after() {
    let coop = TestCoop::start();
    let base = coop.server.base.clone();
    let planted = "fixed0000000000000000000000000000000000000000000000000000000000";

    // Through the API: an attacker's chosen value is not adopted.
    let ada = api_sign_in(&base, Some(planted), &coop.admin).await;
    assert_ne!(ada, planted, "the server adopted a session id the client chose");
    assert_eq!(who(&base, planted).await, None, "the planted id opens nothing");
    assert_eq!(who(&base, &ada).await.as_deref(), Some("ada@example.org"));

    // A valid session of another member (say, the attacker's own) is not upgraded either.
    let ben = api_sign_in(&base, None, &coop.member).await;
    let ada2 = api_sign_in(&base, Some(&ben), &coop.admin).await;
    assert_ne!(ada2, ben, "signing in over Ben's session reused his session id");
    assert_eq!(who(&base, &ben).await.as_deref(), Some("ben@example.org"), "Ben's session did not become Ada's");
    assert_eq!(who(&base, &ada2).await.as_deref(), Some("ada@example.org"));

    // Through the form, likewise.
    let form_ada = form_sign_in(&base, &format!("coop_session={planted}"), &coop.admin).await;
    assert_ne!(form_ada, planted, "the form adopted a session id the client chose");
    assert_eq!(who(&base, planted).await, None);
    assert_eq!(who(&base, &form_ada).await.as_deref(), Some("ada@example.org"));
    let form_ada2 = form_sign_in(&base, &format!("coop_session={ben}"), &coop.admin).await;
    assert_ne!(form_ada2, ben, "the form reused Ben's session id for Ada");
    assert_eq!(who(&base, &ben).await.as_deref(), Some("ben@example.org"));
    assert_eq!(who(&base, &form_ada2).await.as_deref(), Some("ada@example.org"));

    // Every sign-in is a new session: four sign-ins of Ada, four different cookies.
    let distinct: std::collections::BTreeSet<&String> = [&ada, &ada2, &form_ada, &form_ada2].into_iter().collect();
    assert_eq!(distinct.len(), 4);
}

#[tokio::test]
async fn signing_out_through_the_page_ends_the_session_on_the_server() {
    let coop = TestCoop::start();
    let base = coop.server.base.clone();
    let session = form_sign_in(&base, "", &coop.member).await;
    let cookie = format!("coop_session={session}");
    let client = bare_client();
    let home = client.get(format!("{base}/")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(home.status().as_u16(), 200);
    let csrf = csrf_in(&home.text().await.unwrap());
    let out = client.post(format!("{base}/logout")).header("cookie", &cookie).form(&[("csrf_token", csrf.as_str())]).send().await.unwrap();
    assert_eq!(out.status().as_u16(), 303);

    // The browser was told to forget the cookie; one that kept it anyway gets nothing.
    assert_eq!(who(&base, &session).await, None, "the signed-out session still opens the API");
    let page = client.get(format!("{base}/members")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 303, "the signed-out session still opens pages");
    assert!(page.headers()["location"].to_str().unwrap().starts_with("/login"));
}

#[tokio::test]
async fn a_new_password_from_the_command_line_ends_every_session() {
    let coop = TestCoop::start();
    let base = coop.server.base.clone();
    let first = api_sign_in(&base, None, &coop.member).await;
    let second = form_sign_in(&base, "", &coop.member).await;
    assert_eq!(who(&base, &first).await.as_deref(), Some("ben@example.org"));
    run_coop(&coop.data(), &["member", "set-password", "ben@example.org", "--password-stdin"], Some("a completely new password\n"));
    assert_eq!(who(&base, &first).await, None, "the API session outlived the new password");
    assert_eq!(who(&base, &second).await, None, "the page session outlived the new password");
    let ben = Account { password: "a completely new password".into(), ..coop.member.clone() };
    let third = api_sign_in(&base, None, &ben).await;
    assert_eq!(who(&base, &third).await.as_deref(), Some("ben@example.org"));
}

#[tokio::test]
async fn a_departure_ends_the_members_sessions_and_tokens() {
    let coop = TestCoop::start();
    let base = coop.server.base.clone();
    let ben = api_sign_in(&base, None, &coop.member).await;
    let client = bare_client();
    let res = client.post(format!("{base}/api/v1/tokens")).header("cookie", format!("coop_session={ben}")).json(&json!({"label": "cron"})).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 201);
    let token = res.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string();
    assert_eq!(client.get(format!("{base}/api/v1/settings")).bearer_auth(&token).send().await.unwrap().status().as_u16(), 200);

    let ada = api_sign_in(&base, None, &coop.admin).await;
    let res = client
        .post(format!("{base}/api/v1/members/{}/state", coop.member.id))
        .header("cookie", format!("coop_session={ada}"))
        .json(&json!({"state": "departed", "note": "moved away"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200, "{}", res.text().await.unwrap());

    assert_eq!(who(&base, &ben).await, None, "a departed member's session still works");
    for path in ["/api/v1/settings", "/api/v1/journal/head", "/api/v1/members"] {
        let status = client.get(format!("{base}{path}")).bearer_auth(&token).send().await.unwrap().status().as_u16();
        assert!(status == 401 || status == 403, "{path} with a departed member's token: {status}");
    }
    let res = client.post(format!("{base}/api/v1/session")).json(&json!({"email": coop.member.email, "password": coop.member.password})).send().await.unwrap();
    assert!(matches!(res.status().as_u16(), 401 | 403), "a departed member signs in: {}", res.status());
    assert!(session_set(&res).is_none(), "no session cookie for a departed member");
}

/// Posts a form with the session's CSRF token and returns the text of the page the redirect
/// leads to, sending the one-time flash cookie as a browser would (`/` unescaped).
async fn post_and_show(base: &str, cookie: &str, path: &str, csrf: &str) -> String {
    let client = bare_client();
    let issued = client.post(format!("{base}{path}")).header("cookie", cookie).form(&[("csrf_token", csrf)]).send().await.unwrap();
    assert_eq!(issued.status().as_u16(), 303, "POST {path}");
    let location = issued.headers()["location"].to_str().unwrap().to_string();
    let flash: Vec<String> = issued
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|c| c.split(';').next().map(str::to_string))
        .filter(|kv| kv.starts_with("coop_flash="))
        .collect();
    let cookie = std::iter::once(cookie.to_string()).chain(flash).collect::<Vec<_>>().join("; ");
    client.get(format!("{base}{location}")).header("cookie", &cookie).send().await.unwrap().text().await.unwrap().replace("&#x2f;", "/")
}

/// `coop serve` with `RUST_LOG=trace`, every line of its output kept.
struct LoudServer {
    base: String,
    child: Child,
    log: Arc<Mutex<String>>,
}

impl LoudServer {
    fn start(data: &Path) -> LoudServer {
        let mut child = coop_command(data)
            .env("RUST_LOG", "trace")
            .args(["serve", "--addr", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("coop serve");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel::<String>();
        let (out, out_log) = (child.stdout.take().unwrap(), log.clone());
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                out_log.lock().unwrap().push_str(&format!("{line}\n"));
                let _ = tx.send(line);
            }
        });
        let (mut err, err_log) = (child.stderr.take().unwrap(), log.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                err_log.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let base = loop {
            let line = rx.recv_timeout(common::START_TIMEOUT).unwrap_or_else(|_| panic!("coop serve did not start:\n{}", log.lock().unwrap()));
            if let Some((_, url)) = line.strip_prefix("coop is serving ").and_then(|r| r.rsplit_once(" at ")) {
                break url.trim_end_matches('/').to_string();
            }
        };
        LoudServer { base, child, log }
    }

    /// Stops the server and returns everything it printed.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // The reader threads finish when the pipes close.
        std::thread::sleep(Duration::from_millis(200));
        self.log.lock().unwrap().clone()
    }
}

#[tokio::test]
async fn the_server_log_holds_no_password_token_reset_secret_or_session() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    init(&data, "Quiet Co-op");
    let ada = add_member(&data, "Ada Admin", "ada@example.org", "member", &["admin"], Some("Ada-secret-pass-4471"));
    let ben = add_member(&data, "Ben Baker", "ben@example.org", "member", &[], Some("Ben-secret-pass-9902"));
    let server = LoudServer::start(&data);
    let base = server.base.clone();
    let api = bare_client();

    // Sign-ins: a wrong password, then the right one (API and form).
    let wrong = "Wrong-guess-pass-3310";
    let res = api.post(format!("{base}/api/v1/session")).json(&json!({"email": ada.email, "password": wrong})).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 401);
    let ada_session = api_sign_in(&base, None, &ada).await;
    let ada_form_session = form_sign_in(&base, "", &ada).await;
    // A password in a body the server refuses (an unknown field) is not echoed into the log.
    let res = api.post(format!("{base}/api/v1/session")).json(&json!({"email": ada.email, "password": ada.password, "otp": 1})).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 422);

    // An API token, used.
    let res = api.post(format!("{base}/api/v1/tokens")).header("cookie", format!("coop_session={ada_session}")).json(&json!({"label": "script"})).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 201);
    let token = res.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string();
    let res = api.get(format!("{base}/api/v1/members")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let res = api.get(format!("{base}/api/v1/members")).bearer_auth(format!("{token}x")).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 401);

    // A reset link, issued by the admin on Ben's page, then used to set a new password.
    let cookie = format!("coop_session={ada_form_session}");
    let page = api.get(format!("{base}/members/{}", ben.id)).header("cookie", &cookie).send().await.unwrap();
    let csrf = csrf_in(&page.text().await.unwrap());
    let shown = post_and_show(&base, &cookie, &format!("/members/{}/reset-link", ben.id), &csrf).await;
    let prefix = format!("{base}/reset/");
    let at = shown.find(&prefix).unwrap_or_else(|| panic!("no reset link in {shown}")) + prefix.len();
    let secret: String = shown[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect();
    assert!(secret.len() >= 16, "a reset secret: {secret:?}");
    let form = api.get(format!("{base}/reset/{secret}")).send().await.unwrap();
    assert_eq!(form.status().as_u16(), 200);
    let login_csrf = form
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.split(';').next().and_then(|kv| kv.strip_prefix("coop_login_csrf=")).map(str::to_string));
    let reset_csrf = csrf_in(&form.text().await.unwrap());
    let new_password = "Ben-brand-new-pass-5523";
    let mut req = api.post(format!("{base}/reset/{secret}")).form(&[("csrf_token", reset_csrf.as_str()), ("password", new_password)]);
    if let Some(c) = &login_csrf {
        req = req.header("cookie", format!("coop_login_csrf={c}"));
    }
    let done = req.send().await.unwrap();
    assert_eq!(done.status().as_u16(), 303, "the reset link sets the password");
    let ben_session = api_sign_in(&base, None, &Account { password: new_password.into(), ..ben.clone() }).await;

    // A private calendar feed: its secret is in the URL, which is fetched (and a wrong one too).
    let account = api.get(format!("{base}/account")).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    let shown = post_and_show(&base, &cookie, "/account/calendar", &csrf_in(&account)).await;
    let prefix = format!("{base}/calendar/");
    let at = shown.find(&prefix).unwrap_or_else(|| panic!("no calendar feed in {shown}")) + prefix.len();
    let calendar: String = shown[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect();
    assert!(calendar.len() >= 16, "a calendar secret: {calendar:?}");
    let feed = api.get(format!("{base}/calendar/{calendar}.ics")).send().await.unwrap();
    assert_eq!(feed.status().as_u16(), 200);
    assert!(feed.text().await.unwrap().starts_with("BEGIN:VCALENDAR"));
    assert_eq!(api.get(format!("{base}/calendar/{calendar}x.ics")).send().await.unwrap().status().as_u16(), 404);

    let log = server.stop();
    assert!(log.contains("coop is serving Quiet Co-op"), "the output was captured: {log}");
    assert!(log.lines().count() > 5, "trace logging produced output to search ({} lines)", log.lines().count());
    let secrets = [
        ("Ada's password", ada.password.as_str()),
        ("Ben's old password", ben.password.as_str()),
        ("Ben's new password", new_password),
        ("the wrong password", wrong),
        ("the API token", token.as_str()),
        ("the reset secret", secret.as_str()),
        ("the calendar feed's secret", calendar.as_str()),
        ("Ada's API session", ada_session.as_str()),
        ("Ada's page session", ada_form_session.as_str()),
        ("Ben's session", ben_session.as_str()),
    ];
    for (what, value) in secrets {
        assert!(!log.contains(value), "{what} ({value}) is in the server's output:\n{}", log.lines().filter(|l| l.contains(value)).collect::<Vec<_>>().join("\n"));
    }
    println!("searched {} lines ({} bytes) of trace output for {} secrets", log.lines().count(), log.len(), secrets.len());

    // Nor are they in the database at rest (the main file and its write-ahead log): only
    // argon2 hashes of passwords and SHA-256 hashes of tokens, sessions and links are kept.
    let mut stored = Vec::new();
    for file in ["coop.db", "coop.db-wal"] {
        if let Ok(bytes) = std::fs::read(data.join(file)) {
            stored.extend(bytes);
        }
    }
    assert!(stored.len() > 4096, "the database was read ({} bytes)", stored.len());
    for (what, value) in secrets {
        assert!(!stored.windows(value.len()).any(|w| w == value.as_bytes()), "{what} is stored in the database in plain text");
    }
}
