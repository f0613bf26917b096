//! A small client for the JSON API, shared by the HTTP tests: a [`Caller`] (nobody, a session
//! cookie or a bearer token) sends requests and reads each [`Answer`] whole.
//!
//! There is no cookie store: credentials are sent explicitly, so a test can keep using a cookie
//! the server has ended. Each test file adds its own domain words with an `impl Caller` block.

use super::{Account, TestCoop};
use reqwest::header::{HeaderMap, HeaderName, AUTHORIZATION, CONTENT_TYPE, COOKIE};
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// An answer, read whole.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
}

impl Answer {
    /// The body as JSON; panics (naming the status and body) if it is not.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}), status {}: {:?}", self.status, self.text))
    }

    /// Asserts a success status and returns the JSON body.
    #[track_caller]
    pub fn ok(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "status; body {}", self.text);
        self.json()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
    }

    /// Asserts an error answer: this status, a JSON body `{"error": "..."}` and the field, if
    /// any. Returns the body.
    #[track_caller]
    pub fn assert_error(&self, status: u16, field: Option<&str>) -> Value {
        assert_eq!(self.status, status, "status; body {:?}", self.text);
        let content_type = self.header("content-type").unwrap_or_default();
        assert!(content_type.starts_with("application/json"), "an error is JSON: {content_type:?} {:?}", self.text);
        let body = self.json();
        assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()), "an error says what was wrong: {body}");
        assert_eq!(body.get("field").and_then(Value::as_str), field, "field of {body}");
        body
    }

    /// [`Answer::assert_error`], returning the error's text.
    #[track_caller]
    pub fn error_text(&self, status: u16, field: Option<&str>) -> String {
        self.assert_error(status, field)["error"].as_str().unwrap_or_default().to_string()
    }

    /// The error's text, without asserting anything.
    pub fn error(&self) -> String {
        self.json()["error"].as_str().unwrap_or_default().to_string()
    }

    /// The `coop_session` value this answer sets.
    #[track_caller]
    pub fn session_cookie(&self) -> String {
        let set = self.header("set-cookie").expect("a Set-Cookie header");
        set.split(';').next().and_then(|kv| kv.strip_prefix("coop_session=")).expect("the coop_session cookie").to_string()
    }
}

/// Someone calling the API.
#[derive(Clone)]
pub struct Caller {
    base: String,
    client: reqwest::Client,
    auth: Option<(HeaderName, String)>,
}

impl Caller {
    pub fn anonymous(coop: &TestCoop) -> Caller {
        Caller { base: coop.server.base.clone(), client: reqwest::Client::new(), auth: None }
    }

    /// This caller with a session cookie instead of its own credentials.
    pub fn with_cookie(&self, session: &str) -> Caller {
        Caller { auth: Some((COOKIE, format!("coop_session={session}"))), ..self.clone() }
    }

    /// This caller with a bearer token instead of its own credentials.
    pub fn with_bearer(&self, token: &str) -> Caller {
        Caller { auth: Some((AUTHORIZATION, format!("Bearer {token}"))), ..self.clone() }
    }

    /// The value of the credential header this caller sends (`coop_session=...` or
    /// `Bearer ...`), for a request written by hand.
    pub fn credentials(&self) -> Option<&str> {
        self.auth.as_ref().map(|(_, v)| v.as_str())
    }

    /// Signs `who` in (on this caller's client) and returns a caller with their session cookie.
    pub async fn sign_in(&self, who: &Account) -> Caller {
        let answer = self.post("/api/v1/session", json!({"email": who.email, "password": who.password})).await;
        assert_eq!(answer.status, 200, "sign-in of {}: {}", who.email, answer.text);
        self.with_cookie(&answer.session_cookie())
    }

    /// Signs `who` in on a fresh client.
    pub async fn signed_in(coop: &TestCoop, who: &Account) -> Caller {
        Caller::anonymous(coop).sign_in(who).await
    }

    /// Sends any body with any content type (or none).
    pub async fn send_raw(&self, method: Method, path: &str, content_type: Option<&str>, body: Option<Vec<u8>>) -> Answer {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some((name, value)) = &self.auth {
            req = req.header(name, value);
        }
        if let Some(ct) = content_type {
            req = req.header(CONTENT_TYPE, ct);
        }
        if let Some(body) = body {
            req = req.body(body);
        }
        let res = req.send().await.unwrap_or_else(|e| panic!("{path}: {e}"));
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let text = res.text().await.expect("a readable body");
        Answer { status, headers, text }
    }

    /// Sends `body` as JSON, if any.
    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        match body {
            Some(b) => self.send_raw(method, path, Some("application/json"), Some(b.to_string().into_bytes())).await,
            None => self.send_raw(method, path, None, None).await,
        }
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.send(Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Answer {
        self.send(Method::PUT, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Answer {
        self.send(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Answer {
        self.send(Method::DELETE, path, None).await
    }
}

/// Asserts that `value` has exactly the properties the OpenAPI document `doc` gives `schema`,
/// and all the required ones: what the server sends is what it documents.
#[track_caller]
pub fn matches_schema(doc: &Value, schema: &str, value: &Value) {
    let s = &doc["components"]["schemas"][schema];
    let props = s["properties"].as_object().unwrap_or_else(|| panic!("{schema} has properties: {s}"));
    let obj = value.as_object().unwrap_or_else(|| panic!("{schema}: an object, got {value}"));
    let sent: BTreeSet<&String> = obj.keys().collect();
    let described: BTreeSet<&String> = props.keys().collect();
    assert_eq!(sent, described, "{schema}");
    for required in s["required"].as_array().into_iter().flatten() {
        assert!(obj.contains_key(required.as_str().unwrap()), "{schema}.{required}");
    }
}
