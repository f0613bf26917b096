//! The timesheet in a real browser, driven by the keyboard: headless Chromium through
//! ChromeDriver types hours into a cell, presses Tab to move along the row, types again and
//! presses Enter to submit, then finds the saved week with its totals. It also checks that the
//! stylesheet reaches the server-drawn SVG charts (class-based colours, since the CSP forbids
//! inline style), that the grid mirrors in Arabic, and keeps screenshots in
//! `target/screenshots/` (`timesheet-en.png`, `work-en.png`, `timesheet-ar.png`).
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (`apt-get install -y chromium
//! chromium-driver`, as the CI script does); without them the test fails, saying so. The
//! WebDriver helpers are in `tests/common/webdriver.rs`, shared with `tests/browser.rs`.

mod common;

use common::{coop, Account, TestCoop};
use serde_json::json;

/// The W3C WebDriver codes of the Tab and Enter keys.
const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";

use common::webdriver::*;


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
