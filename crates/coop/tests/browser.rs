//! The pages in a real browser: headless Chromium driven through ChromeDriver, in English and
//! in Arabic. Sign in, open Members, add a member through the form, see them in the table; in
//! Arabic also check that the page runs right to left, and keep a screenshot of it in
//! `target/screenshots/members-ar.png`.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (`apt-get install -y chromium
//! chromium-driver`, as the CI script does). Without them the test FAILS, saying so: a skipped
//! browser test would let a broken page through unnoticed.
//!
//! The WebDriver calls go through `tests/common/webdriver.rs`, a few W3C WebDriver commands
//! over reqwest.

mod common;

use common::{Account, TestCoop};

use common::webdriver::*;

/// Words the flow looks for, per language.
struct Words {
    members_nav: &'static str,
    added: &'static str,
}

const EN: Words = Words { members_nav: "Members", added: "was added." };
const AR: Words = Words { members_nav: "الأعضاء", added: "تمت إضافة" };

/// Sign in, go to Members, add someone through the form, find them in the table.
async fn add_a_member_through_the_pages(coop: &TestCoop, web: &WebDriver, who: &Account, words: &Words, new_name: &str, new_email: &str) {
    web.goto(&coop.url("/")).await;
    web.wait_for_path("/login?next=/").await;
    web.type_into("#login-email", &who.email).await;
    web.type_into("#login-password", &who.password).await;
    web.click("form[action='/login'] button[type='submit']").await;
    web.wait_for_path("/").await;
    let header = web.text_of(".site-header").await;
    assert!(header.contains(&who.name), "the header names who is signed in: {header}");

    // The main navigation leads to Members.
    let nav = web.text_of("nav.main-nav").await;
    assert!(nav.contains(words.members_nav), "nav: {nav}");
    web.click("nav.main-nav a[href='/members']").await;
    web.wait_for_path("/members").await;
    let current = web.text_of("nav.main-nav a[aria-current='page']").await;
    assert_eq!(current.trim(), words.members_nav);

    web.click("a[href='/members/new']").await;
    web.wait_for_path("/members/new").await;
    web.type_into("#new-name", new_name).await;
    web.type_into("#new-email", new_email).await;
    web.click("form[action='/members/new'] button[type='submit']").await;
    web.wait_for_path("/members").await;
    let flash = web.text_of("main .flash").await;
    assert!(flash.contains(words.added) && flash.contains(new_name), "flash: {flash}");
    let table = web.text_of("#members-table").await;
    assert!(table.contains(new_name) && table.contains(new_email), "the table lists the new member: {table}");
}

#[tokio::test]
async fn a_browser_adds_a_member_in_english_and_in_arabic() {
    let coop = TestCoop::start();
    let driver = ChromeDriver::start().await;

    // English.
    let web = WebDriver::open(&driver, false).await;
    add_a_member_through_the_pages(&coop, &web, &coop.admin, &EN, "Dora Designer", "dora@example.org").await;
    assert_eq!(web.run("return document.documentElement.lang;").await, "en");
    assert_eq!(web.run("return document.documentElement.dir;").await, "ltr");
    // The live search (htmx) narrows the table while typing, without submitting the form.
    web.type_into("#members-q", "Dora").await;
    web.wait_for_text("#member-results", "only Dora", |t| t.contains("Dora Designer") && !t.contains("Ben Baker")).await;
    web.wait_for_text("#member-count", "a count of one", |t| t.contains("1 person")).await;
    assert!(web.current_url().await.ends_with("/members"), "the search did not navigate");
    // The stylesheet applies (no CSP refusal): the header is the dark green of the theme.
    let bg = web.run("return getComputedStyle(document.querySelector('.site-header')).backgroundColor;").await;
    assert_eq!(bg, "rgb(16, 61, 20)");
    // A member's page and the journal, kept as pictures for whoever reviews a change.
    web.click("#members-table a").await;
    web.find("#change-state-form").await;
    web.screenshot(&screenshots_dir().join("member-en.png")).await;
    web.click("nav.main-nav a[href='/journal']").await;
    web.wait_for_path("/journal").await;
    web.click("form[action='/journal/verify'] button").await;
    web.wait_for_text("#verify-result", "the verification", |t| t.contains("The journal verifies")).await;
    web.screenshot(&screenshots_dir().join("journal-en.png")).await;
    let console = web.console().await;
    assert!(console.iter().all(|l| !l.contains("Content Security Policy") && !l.contains("SEVERE")), "browser console: {console:#?}");
    drop(web); // ends the session: Chromium quits

    // Arabic: the browser asks for Arabic, the pages answer right to left.
    let web = WebDriver::open(&driver, true).await;
    add_a_member_through_the_pages(&coop, &web, &coop.admin, &AR, "سامي العلي", "sami@example.org").await;
    assert_eq!(web.run("return document.documentElement.lang;").await, "ar");
    assert_eq!(web.run("return document.documentElement.dir;").await, "rtl");
    let nav = web.text_of("nav.main-nav").await;
    assert!(nav.contains("لوحة المتابعة") && nav.contains("السجل"), "Arabic navigation: {nav}");
    // The layout mirrors: the navigation starts at the right edge and the table's first column
    // (the name) sits to the right of the email column.
    let mirrored = web
        .run(
            "const nav = document.querySelector('nav.main-nav li').getBoundingClientRect();\
             const th = document.querySelectorAll('#members-table thead th');\
             return { navRight: nav.right, width: document.documentElement.clientWidth,\
                      name: th[0].getBoundingClientRect().left, email: th[1].getBoundingClientRect().left };",
        )
        .await;
    let (nav_right, width) = (mirrored["navRight"].as_f64().unwrap(), mirrored["width"].as_f64().unwrap());
    assert!(nav_right > width * 0.8, "the first nav item is at the right: {mirrored}");
    assert!(mirrored["name"].as_f64().unwrap() > mirrored["email"].as_f64().unwrap(), "columns run right to left: {mirrored}");
    let file = screenshots_dir().join("members-ar.png");
    web.screenshot(&file).await;
    eprintln!("screenshot: {}", file.display());
    let console = web.console().await;
    assert!(console.iter().all(|l| !l.contains("Content Security Policy") && !l.contains("SEVERE")), "browser console: {console:#?}");
    drop(web); // ends the session: Chromium quits
}
