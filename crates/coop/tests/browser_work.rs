//! The timesheet in a real browser, driven by the keyboard: headless Chromium through
//! ChromeDriver types hours into a cell, presses Tab to move along the row, types again and
//! presses Enter to submit, then finds the saved week with its totals. It also checks that the
//! stylesheet reaches the server-drawn SVG charts (class-based colours, since the CSP forbids
//! inline style), that the grid mirrors in Arabic, and keeps screenshots in
//! `target/screenshots/` (`timesheet-en.png`, `work-en.png`, `timesheet-ar.png`).
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (`apt-get install -y chromium
//! chromium-driver`, as the CI script does); without them the test fails, saying so. The
//! WebDriver helpers are the same few W3C commands as in `tests/browser.rs`, repeated here
//! because each test file is its own crate.

mod common;

use common::{coop, Account, TestCoop};
use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The W3C WebDriver codes of the Tab and Enter keys.
const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// How long to wait for a page or an element.
const WAIT: Duration = Duration::from_secs(20);
/// The W3C key of an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A running ChromeDriver, killed on drop.
struct ChromeDriver {
    child: Child,
    url: String,
}

impl ChromeDriver {
    async fn start() -> ChromeDriver {
        for (path, what) in [(CHROMEDRIVER, "chromedriver"), (CHROMIUM, "chromium")] {
            assert!(
                Path::new(path).exists(),
                "{what} is not installed at {path}: the browser test needs it. \
                 Install both with `apt-get install -y chromium chromium-driver` (the CI script does)."
            );
        }
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {CHROMEDRIVER}: {e}"));
        let driver = ChromeDriver { child, url: format!("http://127.0.0.1:{port}") };
        let client = reqwest::Client::new();
        let deadline = Instant::now() + WAIT;
        loop {
            let ready = match client.get(format!("{}/status", driver.url)).send().await {
                Ok(r) => r.json::<Value>().await.ok().and_then(|v| v["value"]["ready"].as_bool()).unwrap_or(false),
                Err(_) => false,
            };
            if ready {
                return driver;
            }
            assert!(Instant::now() < deadline, "chromedriver did not become ready on port {port}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One browser session.
struct WebDriver {
    http: reqwest::Client,
    session: String,
    _profile: tempfile::TempDir,
}

impl WebDriver {
    /// A headless Chromium; `arabic` sets its interface and Accept-Language to Arabic.
    async fn open(driver: &ChromeDriver, arabic: bool) -> WebDriver {
        let profile = tempfile::tempdir().expect("a profile directory");
        let mut args = vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-background-networking".into(),
            "--disable-dev-shm-usage".into(),
            "--no-first-run".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let mut options = json!({ "binary": CHROMIUM });
        if arabic {
            args.push("--lang=ar".into());
            options["prefs"] = json!({ "intl.accept_languages": "ar" });
        }
        options["args"] = json!(args);
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": options,
            "goog:loggingPrefs": { "browser": "ALL" },
        }}});
        let http = reqwest::Client::new();
        let res = http.post(format!("{}/session", driver.url)).json(&caps).send().await.expect("chromedriver answers");
        let body: Value = res.json().await.expect("a JSON answer");
        let session = body["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("chromedriver could not start Chromium: {body}")).to_string();
        WebDriver { http, session: format!("{}/session/{session}", driver.url), _profile: profile }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self.http.request(method.clone(), format!("{}{path}", self.session));
        if let Some(b) = body {
            req = req.json(&b);
        } else if method == reqwest::Method::POST {
            req = req.json(&json!({}));
        }
        let res = req.send().await.unwrap_or_else(|e| panic!("webdriver {path}: {e}"));
        let status = res.status();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "webdriver {method} {path} failed ({status}): {body}");
        body["value"].clone()
    }

    async fn goto(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", Some(json!({ "url": url }))).await;
    }

    async fn current_url(&self) -> String {
        self.call(reqwest::Method::GET, "/url", None).await.as_str().unwrap_or_default().to_string()
    }

    async fn run(&self, script: &str) -> Value {
        self.call(reqwest::Method::POST, "/execute/sync", Some(json!({ "script": script, "args": [] }))).await
    }

    /// The first element matching `css`, waiting for it to appear.
    async fn find(&self, css: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let res = self
                .http
                .post(format!("{}/element", self.session))
                .json(&json!({ "using": "css selector", "value": css }))
                .send()
                .await
                .expect("webdriver answers");
            if res.status().is_success() {
                let v: Value = res.json().await.unwrap();
                return v["value"][ELEMENT].as_str().expect("an element reference").to_string();
            }
            assert!(Instant::now() < deadline, "no element {css:?} at {} within {WAIT:?}; page text:\n{}", self.current_url().await, self.body_text().await);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn exists(&self, css: &str) -> bool {
        let res = self
            .http
            .post(format!("{}/element", self.session))
            .json(&json!({ "using": "css selector", "value": css }))
            .send()
            .await
            .expect("webdriver answers");
        res.status().is_success()
    }

    async fn type_into(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        self.call(reqwest::Method::POST, &format!("/element/{el}/clear"), None).await;
        self.call(reqwest::Method::POST, &format!("/element/{el}/value"), Some(json!({ "text": text }))).await;
    }

    async fn click(&self, css: &str) {
        let el = self.find(css).await;
        self.call(reqwest::Method::POST, &format!("/element/{el}/click"), None).await;
    }

    async fn text_of(&self, css: &str) -> String {
        let el = self.find(css).await;
        self.call(reqwest::Method::GET, &format!("/element/{el}/text"), None).await.as_str().unwrap_or_default().to_string()
    }

    async fn body_text(&self) -> String {
        self.run("return document.body ? document.body.innerText : '';").await.as_str().unwrap_or_default().to_string()
    }

    /// Waits until the address ends with `path` (after a redirect or a form post).
    async fn wait_for_path(&self, path: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let url = self.current_url().await;
            let here = url.split_once("://").and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string())).unwrap_or_default();
            if here == path {
                return;
            }
            assert!(Instant::now() < deadline, "still at {url}, expected {path}; page text:\n{}", self.body_text().await);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the text of `css` satisfies `ok`.
    async fn wait_for_text(&self, css: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = if self.exists(css).await { self.text_of(css).await } else { String::new() };
            if ok(&text) {
                return text;
            }
            assert!(Instant::now() < deadline, "{css} never showed {what}; it shows:\n{text}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn screenshot(&self, file: &Path) {
        let b64 = self.call(reqwest::Method::GET, "/screenshot", None).await;
        let png = base64_decode(b64.as_str().expect("base64 PNG"));
        assert!(png.starts_with(b"\x89PNG"), "the screenshot is a PNG");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, png).unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
    }

    /// The browser console, to catch Content-Security-Policy violations and script errors.
    async fn console(&self) -> Vec<String> {
        let v = self.call(reqwest::Method::POST, "/se/log", Some(json!({ "type": "browser" }))).await;
        v.as_array().map(|a| a.iter().map(|e| format!("{} {}", e["level"], e["message"])).collect()).unwrap_or_default()
    }
}

impl Drop for WebDriver {
    /// Deletes the session even when a test fails halfway: killing chromedriver alone would
    /// leave its Chromium running. Drop cannot await, so this is one plain HTTP request.
    fn drop(&mut self) {
        use std::io::{Read, Write};
        let Some(rest) = self.session.strip_prefix("http://") else { return };
        let Some((host, path)) = rest.split_once('/') else { return };
        let Ok(mut stream) = std::net::TcpStream::connect(host) else { return };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let request = format!("DELETE /{path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        if stream.write_all(request.as_bytes()).is_ok() {
            let mut answer = Vec::new();
            let _ = stream.read_to_end(&mut answer);
        }
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let clean: Vec<u8> = text.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=').collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= u32::from(value(*c)) << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

fn screenshots_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("screenshots")
}


impl WebDriver {
    /// Types `text` (keys included) into whatever has the focus, as a person at the keyboard.
    async fn keys(&self, text: &str) {
        let el = self.active().await;
        self.call(reqwest::Method::POST, &format!("/element/{el}/value"), Some(json!({ "text": text }))).await;
    }

    /// The element that has the focus.
    async fn active(&self) -> String {
        let v = self.call(reqwest::Method::GET, "/element/active", None).await;
        v[ELEMENT].as_str().expect("an element has the focus").to_string()
    }

    async fn active_id(&self) -> String {
        self.run("return document.activeElement ? document.activeElement.id : '';").await.as_str().unwrap_or_default().to_string()
    }
}

async fn sign_in(coop: &TestCoop, web: &WebDriver, who: &Account) {
    web.goto(&coop.url("/login")).await;
    web.type_into("#login-email", &who.email).await;
    web.type_into("#login-password", &who.password).await;
    web.click("form[action='/login'] button[type='submit']").await;
    web.wait_for_path("/").await;
}

fn assert_clean_console(console: &[String]) {
    assert!(console.iter().all(|l| !l.contains("Content Security Policy") && !l.contains("SEVERE")), "browser console: {console:#?}");
}

#[tokio::test]
async fn a_week_is_typed_with_the_keyboard_and_saved() {
    let c = TestCoop::start();
    for project in ["Bakery", "Internal"] {
        coop(&c.data(), &["hours", "log", "--member", &c.admin.email, "--date", "2026-11-02", "--hours", "1", "--project", project], None);
    }
    coop(&c.data(), &["commitment", "set", &c.member.email, "--year", "2026", "--hours", "1200"], None);
    let driver = ChromeDriver::start().await;
    let web = WebDriver::open(&driver, false).await;
    sign_in(&c, &web, &c.member).await;

    web.goto(&c.url("/work/timesheet?week=2026-11-23")).await;
    web.click("#c-0-0").await;
    assert_eq!(web.active_id().await, "c-0-0");
    web.keys(&format!("7.5{TAB}")).await;
    assert_eq!(web.active_id().await, "c-0-1", "Tab moves along the project's week");
    web.keys(&format!("8{TAB}")).await;
    assert_eq!(web.active_id().await, "c-0-2");
    web.keys("0.75").await;
    // Enter in a cell submits the form, as in any form.
    web.keys(ENTER).await;
    web.wait_for_text("main .flash", "the saved message", |t| t.contains("3 cells were saved")).await;
    assert!(web.current_url().await.ends_with("/work/timesheet?week=2026-11-23"), "back on the same week");
    assert_eq!(web.text_of("#week-total").await.trim(), "16.25");
    assert_eq!(web.text_of("#total-1").await.trim(), "8.00");
    let value = web.run("return document.getElementById('c-0-0').value;").await;
    assert_eq!(value, "7.50");
    // The grid's inputs are styled (the stylesheet loaded) and line numbers up at their end.
    let align = web.run("return getComputedStyle(document.getElementById('c-0-0')).textAlign;").await;
    assert_eq!(align, "end");
    web.screenshot(&screenshots_dir().join("timesheet-en.png")).await;

    // The week's link to the next one and back keeps the keyboard path short.
    web.click("#next-week").await;
    web.wait_for_path("/work/timesheet?week=2026-11-30").await;
    web.click("#prev-week").await;
    web.wait_for_path("/work/timesheet?week=2026-11-23").await;

    // The Work page: the charts are drawn and coloured by the stylesheet's classes.
    web.click("nav.main-nav a[href='/work']").await;
    web.wait_for_path("/work").await;
    let chart = web
        .run(
            "const svg = document.getElementById('chart-hours');\
             const bars = svg.querySelectorAll('rect.bar');\
             const tallest = [...bars].reduce((a, b) => (a.getBBox().height > b.getBBox().height ? a : b));\
             return { width: svg.getBoundingClientRect().width, bars: bars.length, fill: getComputedStyle(tallest).fill,\
                      balance: document.querySelectorAll('#chart-balance rect.bar').length };",
        )
        .await;
    assert!(chart["width"].as_f64().unwrap() > 300.0, "the chart fills its column: {chart}");
    assert_eq!(chart["bars"], 24, "twelve months for Ada and for Ben: {chart}");
    assert_eq!(chart["fill"], "rgb(27, 94, 32)", "the bar takes the theme's green from a class: {chart}");
    assert_eq!(chart["balance"], 1, "one balance bar: Ben has the only commitment: {chart}");
    web.screenshot(&screenshots_dir().join("work-en.png")).await;
    web.run("document.getElementById('work-balances').scrollIntoView();").await;
    web.screenshot(&screenshots_dir().join("work-balance-en.png")).await;
    assert_clean_console(&web.console().await);
    drop(web);

    // Arabic: the grid runs right to left, the project column on the right.
    let web = WebDriver::open(&driver, true).await;
    sign_in(&c, &web, &c.member).await;
    web.goto(&c.url("/work/timesheet?week=2026-11-23")).await;
    web.find("#timesheet").await;
    assert_eq!(web.run("return document.documentElement.dir;").await, "rtl");
    let cols = web
        .run(
            "const th = document.querySelectorAll('#timesheet thead th');\
             return { project: th[0].getBoundingClientRect().left, monday: th[1].getBoundingClientRect().left };",
        )
        .await;
    assert!(cols["project"].as_f64().unwrap() > cols["monday"].as_f64().unwrap(), "columns run right to left: {cols}");
    web.click("#c-1-0").await;
    web.keys(&format!("2{TAB}")).await;
    assert_eq!(web.active_id().await, "c-1-1", "Tab follows the reading order in Arabic too");
    web.screenshot(&screenshots_dir().join("timesheet-ar.png")).await;
    assert_clean_console(&web.console().await);
}
