//! The newer admin forms and the paged member list in a real browser: headless Chromium driven
//! through ChromeDriver, typing into the fields and pressing Enter or clicking submit as a person
//! would.
//!
//! - `/work/projects`: a project added through the form shows under its client; a duplicate name
//!   is refused next to the name field with what was typed kept; unticking billable on a row
//!   makes the project internal.
//! - `/money` and `/money/{year}`: a fiscal year opened through the form; an income statement
//!   pasted with a bad amount on line 3 is refused next to the textarea (`line 3: ...`) and the
//!   surplus stays not entered; a good one sets it; the year closes.
//! - `/members`: with more than 100 members, Next and Previous move between the pages; the live
//!   search (htmx) narrows the table and the count without reloading the page, and the page links
//!   it draws keep the search and the state filter.
//!
//! Every page visited is checked for console errors (script errors, CSP refusals).
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (`apt-get install -y chromium
//! chromium-driver`, as the CI script does); without them the tests FAIL, saying so. The
//! WebDriver helpers are in `tests/common/webdriver.rs`, shared with `tests/browser.rs`.

mod common;

use common::webdriver::*;
use common::{add_member, coop, Account, TestCoop};
use serde_json::{json, Value};
use std::time::Instant;

/// The W3C WebDriver code of the Enter key.
const ENTER: &str = "\u{E007}";

async fn sign_in(coop: &TestCoop, web: &WebDriver, who: &Account) {
    web.goto(&coop.url("/login")).await;
    web.type_into("#login-email", &who.email).await;
    web.type_into("#login-password", &who.password).await;
    web.click("form[action='/login'] button[type='submit']").await;
    web.wait_for_path("/").await;
}

/// No script error, CSP refusal or other error in the console since the last look (the driver
/// hands each entry out once), with `page` naming where the browser is for the message.
/// `refused`: the status of a form the step expects the server to refuse (409, 422); Chromium
/// logs that answer as "Failed to load resource", which is then the one entry let through.
async fn assert_clean_console(web: &WebDriver, page: &str, refused: Option<u16>) {
    let console = web.console().await;
    let expected = |l: &str| refused.is_some_and(|s| l.contains(&format!("Failed to load resource: the server responded with a status of {s} ")));
    assert!(
        console.iter().all(|l| expected(l) || (!l.contains("Content Security Policy") && !l.contains("SEVERE"))),
        "browser console on {page}: {console:#?}"
    );
}

/// Polls `script` (which returns a JSON value) until `ok` holds for it; returns it.
async fn wait_for_js(web: &WebDriver, script: &str, what: &str, ok: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        let v = web.run(script).await;
        if ok(&v) {
            return v;
        }
        assert!(Instant::now() < deadline, "never saw {what}; last: {v}; page text:\n{}", web.body_text().await);
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Waits for a message in `main .flash` containing every one of `parts`, read in one script so
/// that a page still being replaced after a submit is never half read.
async fn wait_for_flash(web: &WebDriver, parts: &[&str]) {
    let script = format!("return [...document.querySelectorAll('main .flash')].some(f => {}.every(p => f.innerText.includes(p)));", json!(parts));
    wait_for_js(web, &script, &format!("a message with {parts:?}"), |v| v == true).await;
}

/// The value of the form control `id` as the browser holds it.
async fn value_of(web: &WebDriver, id: &str) -> String {
    web.run(&format!("return document.getElementById({}).value;", json!(id))).await.as_str().unwrap_or_default().to_string()
}

/// The error shown for field `id` (`#ID-error`), and whether it belongs to the field: inside the
/// same `.field` block, named by the field's `aria-describedby`, just below it on screen.
async fn field_error(web: &WebDriver, id: &str) -> String {
    let v = web
        .run(&format!(
            "const input = document.getElementById({id}); const err = document.getElementById({id} + '-error');\
             if (!input || !err) return {{ missing: true }};\
             const a = input.getBoundingClientRect(), b = err.getBoundingClientRect();\
             return {{ text: err.innerText, same: err.closest('.field') === input.closest('.field'),\
                      described: (input.getAttribute('aria-describedby') || '').split(' ').includes({id} + '-error'),\
                      invalid: input.getAttribute('aria-invalid'), gap: b.top - a.bottom, visible: b.height > 0 }};",
            id = json!(id)
        ))
        .await;
    assert!(v["missing"].is_null(), "no error shown for #{id}; page text:\n{}", web.body_text().await);
    assert_eq!(v["same"], true, "the error of #{id} sits in the field's block: {v}");
    assert_eq!(v["described"], true, "#{id} is described by its error: {v}");
    assert_eq!(v["invalid"], "true", "#{id} is marked invalid: {v}");
    assert_eq!(v["visible"], true, "the error of #{id} is visible: {v}");
    let gap = v["gap"].as_f64().unwrap();
    assert!((0.0..120.0).contains(&gap), "the error of #{id} is right under the field: {v}");
    v["text"].as_str().unwrap().to_string()
}

/// The project list as the browser shows it: each client heading with the project names under it.
async fn projects_by_client(web: &WebDriver) -> Vec<(String, Vec<String>)> {
    let v = web
        .run(
            "return [...document.querySelectorAll('#project-list tbody')].map(tb => {\
               const head = tb.querySelector('tr.group-head th');\
               return [head ? head.innerText.trim() : '',\
                       [...tb.querySelectorAll('tr[id^=\"project-\"] > th')].map(th => th.innerText.trim())];\
             });",
        )
        .await;
    serde_json::from_value(v).expect("a list of [client, [names]]")
}

/// The `id` of the project row named `name` (`project-ID`), or "" if there is none.
async fn project_row_id(web: &WebDriver, name: &str) -> String {
    let v = web
        .run(&format!(
            "const th = [...document.querySelectorAll('#project-list tr[id^=\"project-\"] > th')].find(t => t.innerText.trim() === {});\
             return th ? th.parentElement.id : '';",
            json!(name)
        ))
        .await;
    v.as_str().unwrap_or_default().to_string()
}

/// The cells of the row `row_id` (name, client, billing, hours), as text.
async fn row_cells(web: &WebDriver, row_id: &str) -> Vec<String> {
    let v = web.run(&format!("return [...document.getElementById({}).children].slice(0, 4).map(c => c.innerText.trim());", json!(row_id))).await;
    serde_json::from_value(v).unwrap()
}

fn cli_projects(c: &TestCoop) -> Vec<Value> {
    serde_json::from_str(&coop(&c.data(), &["project", "list", "--json"], None)).unwrap()
}

#[tokio::test]
async fn an_admin_adds_and_changes_projects_through_the_forms_in_a_browser() {
    let c = TestCoop::start();
    coop(&c.data(), &["hours", "log", "--member", &c.member.email, "--date", "2026-11-02", "--hours", "2.5", "--project", "Bakery"], None);
    coop(&c.data(), &["project", "add", "Zebra", "--client", "Acme"], None);
    let driver = ChromeDriver::start().await;
    let web = WebDriver::open(&driver, false).await;
    sign_in(&c, &web, &c.admin).await;
    assert_clean_console(&web, "/", None).await;

    // From the Work area to its Projects page.
    web.goto(&c.url("/work")).await;
    web.click("#open-projects").await;
    web.wait_for_path("/work/projects").await;
    assert_eq!(projects_by_client(&web).await, vec![("Acme".into(), vec!["Zebra".into()]), ("No client".into(), vec!["Bakery".into()])]);
    assert_clean_console(&web, "/work/projects", None).await;

    // Add a project by typing and pressing Enter; a new project is billable unless unticked.
    assert_eq!(web.run("return document.getElementById('project-billable').checked;").await, true);
    web.type_into("#project-name", "Mill Road").await;
    web.type_into("#project-client", &format!("Mill Road Ltd{ENTER}")).await;
    wait_for_flash(&web, &["The project Mill Road was added."]).await;
    web.wait_for_path("/work/projects").await;
    assert_eq!(
        projects_by_client(&web).await,
        vec![("Acme".into(), vec!["Zebra".into()]), ("Mill Road Ltd".into(), vec!["Mill Road".into()]), ("No client".into(), vec!["Bakery".into()])],
        "the new project is listed under its client"
    );
    let row = project_row_id(&web, "Mill Road").await;
    assert!(row.starts_with("project-"), "{row}");
    assert_eq!(row_cells(&web, &row).await, ["Mill Road", "Mill Road Ltd", "Billable", "0.00"]);
    assert_eq!(row_cells(&web, &project_row_id(&web, "Bakery").await).await[3], "2.50");
    assert_clean_console(&web, "/work/projects after adding", None).await;

    // The same name in other letters, submitted with the button: refused next to the name field,
    // both typed values kept, nothing added.
    web.type_into("#project-name", "mill road").await;
    web.type_into("#project-client", "Someone else").await;
    web.click("#add-project-form button[type='submit']").await;
    wait_for_js(&web, "return !!document.getElementById('project-name-error');", "the name's error", |v| v == true).await;
    let error = field_error(&web, "project-name").await;
    assert!(error.contains("the co-op already has a project"), "{error}");
    assert_eq!(value_of(&web, "project-name").await, "mill road", "the typed name stays");
    assert_eq!(value_of(&web, "project-client").await, "Someone else", "the typed client stays");
    assert!(!web.exists("#project-client-error").await, "the client field is not blamed");
    assert_eq!(cli_projects(&c).len(), 3, "nothing was added");
    assert_eq!(projects_by_client(&web).await.iter().map(|(_, p)| p.len()).sum::<usize>(), 3);
    assert_clean_console(&web, "/work/projects refusing a duplicate", Some(409)).await;

    // Untick billable on the project's row and save: it shows as internal, here and in the CLI.
    let id = row.trim_start_matches("project-").to_string();
    let checkbox = format!("#edit-{id}-billable");
    assert_eq!(web.run(&format!("return document.querySelector('{checkbox}').checked;")).await, true);
    web.click(&checkbox).await;
    assert_eq!(web.run(&format!("return document.querySelector('{checkbox}').checked;")).await, false);
    web.click(&format!("#edit-{id} button[type='submit']")).await;
    wait_for_flash(&web, &["The project Mill Road was changed."]).await;
    web.wait_for_path("/work/projects").await;
    assert_eq!(row_cells(&web, &row).await, ["Mill Road", "Mill Road Ltd", "Internal", "0.00"]);
    assert_eq!(web.run(&format!("return document.querySelector('{checkbox}').checked;")).await, false, "the row's box stays unticked");
    let listed = cli_projects(&c);
    let mill = listed.iter().find(|p| p["name"] == "Mill Road").expect("the CLI lists Mill Road");
    assert_eq!((mill["client"].as_str(), mill["billable"].as_bool()), (Some("Mill Road Ltd"), Some(false)), "{mill}");
    assert_clean_console(&web, "/work/projects after unticking billable", None).await;
}

/// The surplus of fiscal year `year` in cents as `coop fiscal-year list --json` gives it: `None` while not entered.
fn cli_surplus(c: &TestCoop, year: i64) -> Option<i64> {
    let years: Vec<Value> = serde_json::from_str(&coop(&c.data(), &["fiscal-year", "list", "--json"], None)).unwrap();
    let y = years.iter().find(|y| y["year"] == year).unwrap_or_else(|| panic!("the CLI lists no fiscal year {year}: {years:?}"));
    y["surplus_cents"].as_i64()
}

#[tokio::test]
async fn an_admin_opens_a_year_and_pastes_its_income_statement_in_a_browser() {
    let c = TestCoop::start();
    let driver = ChromeDriver::start().await;
    let web = WebDriver::open(&driver, false).await;
    sign_in(&c, &web, &c.admin).await;

    // Open 2025 from the Money page, typing the year and pressing Enter.
    web.goto(&c.url("/money")).await;
    web.find("#open-year-form").await;
    assert_clean_console(&web, "/money", None).await;
    web.type_into("input#open-year", &format!("2025{ENTER}")).await;
    web.wait_for_path("/money/2025").await;
    wait_for_flash(&web, &["Fiscal year 2025 is open."]).await;
    assert!(web.text_of("#fiscal-year").await.contains("not entered"));
    assert_eq!(cli_surplus(&c, 2025), None);
    assert_clean_console(&web, "/money/2025", None).await;

    // The income statement pasted with a bad amount on line 3: refused next to the textarea, the
    // text kept, and the surplus still not entered.
    let bad_csv = "account,amount,type\nSales,\"20,000.00\",income\nRent,lots,expense\n";
    web.type_into("#import-csv", bad_csv).await;
    web.click("#import-form button[type='submit']").await;
    wait_for_js(&web, "return !!document.getElementById('import-csv-error');", "the statement's error", |v| v == true).await;
    let error = field_error(&web, "import-csv").await;
    assert!(error.contains("line 3") && error.contains("\"lots\" is not an amount"), "{error}");
    assert!(value_of(&web, "import-csv").await.contains("Rent,lots,expense"), "the pasted text stays");
    assert!(web.text_of("#fiscal-year").await.contains("not entered"), "the page still says not entered");
    assert!(!web.body_text().await.contains("is imported"), "no import is announced");
    assert_eq!(cli_surplus(&c, 2025), None, "a refused import enters nothing");
    assert_clean_console(&web, "/money/2025 refusing the statement", Some(422)).await;
    // The Money page agrees.
    web.goto(&c.url("/money")).await;
    let years = web.text_of("#fiscal-years").await;
    assert!(years.contains("2025") && years.contains("not entered"), "{years}");
    assert_clean_console(&web, "/money after the refusal", None).await;

    // A good statement: income 20,000.00 + 150.25, expenses 7,000.00, so 13,150.25.
    web.click("#fiscal-years a[href='/money/2025']").await;
    web.wait_for_path("/money/2025").await;
    let good_csv = "account,amount,type\nSales,\"20,000.00\",income\nInterest,150.25,income\nRent,\"7,000.00\",expense\n";
    web.type_into("#import-csv", good_csv).await;
    web.click("#import-form button[type='submit']").await;
    wait_for_flash(&web, &["is imported", "$13,150.25 from 3 lines"]).await;
    web.wait_for_path("/money/2025").await;
    assert!(web.text_of("#fiscal-year").await.contains("$13,150.25"));
    assert!(!web.exists("#import-csv-error").await);
    assert_eq!(cli_surplus(&c, 2025), Some(1_315_025));
    assert_clean_console(&web, "/money/2025 after the import", None).await;

    // 2025 is over: it closes, and its surplus forms go.
    web.click("#close-form button[type='submit']").await;
    wait_for_flash(&web, &["Fiscal year 2025 is closed."]).await;
    assert!(!web.exists("#surplus-form").await && !web.exists("#import-form").await && !web.exists("#close-form").await);
    assert!(web.text_of("#fiscal-year").await.contains("$13,150.25"), "the surplus stays");
    assert_eq!(cli_surplus(&c, 2025), Some(1_315_025));
    assert_clean_console(&web, "/money/2025 after closing", None).await;
    web.goto(&c.url("/money")).await;
    let years = web.text_of("#fiscal-years").await;
    assert!(years.contains("$13,150.25") && years.contains("Closed"), "{years}");
    assert_clean_console(&web, "/money after closing", None).await;
}

/// The number of rows in the member table.
async fn member_rows(web: &WebDriver) -> usize {
    web.run("return document.querySelectorAll('#members-table tbody tr').length;").await.as_u64().unwrap() as usize
}

#[tokio::test]
async fn the_member_list_pages_and_searches_live_in_a_browser() {
    let c = TestCoop::start();
    // 3 people from the harness and 110 more, 6 of them candidates: two pages of 100, and still
    // two when only the members among the "Paged" ones are listed (104).
    let started = Instant::now();
    for i in 0..110 {
        let state = if i % 20 == 0 { "candidate" } else { "member" };
        add_member(&c.data(), &format!("Paged {i:03}"), &format!("paged{i:03}@example.org"), state, &[], None);
    }
    eprintln!("110 members added in {:?}", started.elapsed());
    let driver = ChromeDriver::start().await;
    let web = WebDriver::open(&driver, false).await;
    sign_in(&c, &web, &c.admin).await;

    web.goto(&c.url("/members")).await;
    assert_eq!(web.text_of("#member-count").await.trim(), "113 people");
    assert_eq!(member_rows(&web).await, 100, "a page holds 100 members");
    assert!(web.text_of(".pager").await.contains("Page 1 of 2"));
    assert!(!web.exists("#members-prev").await);
    assert_clean_console(&web, "/members", None).await;

    // Next: page 2 with the last 13; Previous: back to the first.
    web.click("#members-next").await;
    web.wait_for_path("/members?page=2").await;
    wait_for_js(&web, "return document.querySelectorAll('#members-table tbody tr').length;", "13 rows", |v| v == 13).await;
    assert!(web.text_of(".pager").await.contains("Page 2 of 2"));
    let table = web.text_of("#members-table").await;
    assert!(table.contains("paged109@example.org") && !table.contains("ada@example.org"), "{table}");
    assert!(!web.exists("#members-next").await);
    assert_clean_console(&web, "/members?page=2", None).await;
    web.click("#members-prev").await;
    web.wait_for_path("/members?page=1").await;
    wait_for_js(&web, "return document.querySelectorAll('#members-table tbody tr').length;", "100 rows", |v| v == 100).await;
    assert!(web.text_of(".pager").await.contains("Page 1 of 2"));
    assert!(web.text_of("#members-table").await.contains("ada@example.org"));
    assert_clean_console(&web, "/members?page=1", None).await;

    // The live search: typing narrows the table and the count, with no page load (a mark left on
    // the window survives, the address stays).
    wait_for_js(&web, "return typeof htmx !== 'undefined';", "htmx loaded", |v| v == true).await;
    web.run("window.coopMark = 'same page';").await;
    let here = web.current_url().await;
    web.type_into("#members-q", "paged 09").await;
    wait_for_js(&web, "return document.getElementById('member-count').innerText.trim();", "a count of 10", |v| v == "10 people").await;
    wait_for_js(&web, "return document.querySelectorAll('#members-table tbody tr').length;", "10 rows", |v| v == 10).await;
    let table = web.text_of("#members-table").await;
    assert!(table.contains("paged090@example.org") && table.contains("paged099@example.org") && !table.contains("ada@example.org"), "{table}");
    assert!(!web.exists(".pager").await, "ten members fit one page");
    assert_eq!(web.run("return window.coopMark;").await, "same page", "the search did not reload the page");
    assert_eq!(web.current_url().await, here);

    // Wider: 110 people in two pages, and the pager drawn by the live search keeps the search.
    web.type_into("#members-q", "paged").await;
    wait_for_js(&web, "return document.getElementById('member-count').innerText.trim();", "a count of 110", |v| v == "110 people").await;
    wait_for_js(&web, "return document.querySelectorAll('#members-table tbody tr').length;", "100 rows", |v| v == 100).await;
    assert_eq!(web.run("return document.getElementById('members-next').getAttribute('href');").await, "/members?q=paged&page=2");
    // The state filter, live too: members only (104 of the 110).
    web.click("#members-state option[value='member']").await;
    wait_for_js(&web, "return document.getElementById('member-count').innerText.trim();", "a count of 104", |v| v == "104 people").await;
    assert_eq!(web.run("return window.coopMark;").await, "same page", "the filter did not reload the page");
    assert!(!web.text_of("#members-table").await.contains("Candidate"), "only members are listed");
    assert_clean_console(&web, "/members while searching", None).await;
    let next = web.run("return document.getElementById('members-next').getAttribute('href');").await;
    assert_eq!(next, "/members?q=paged&state=member&page=2", "the Next link keeps the search and the filter");
    web.click("#members-next").await;
    web.wait_for_path("/members?q=paged&state=member&page=2").await;
    wait_for_js(&web, "return document.querySelectorAll('#members-table tbody tr').length;", "the last 4 rows", |v| v == 4).await;
    assert!(web.text_of(".pager").await.contains("Page 2 of 2"));
    assert!(!web.text_of("#members-table").await.contains("Candidate"), "only members are listed");
    assert_eq!(value_of(&web, "members-q").await, "paged", "the search box keeps the search");
    assert_eq!(value_of(&web, "members-state").await, "member", "the filter stays chosen");
    assert_eq!(web.text_of("#member-count").await.trim(), "104 people");
    assert_clean_console(&web, "/members?q=paged&state=member&page=2", None).await;
    // Previous keeps them too.
    web.click("#members-prev").await;
    web.wait_for_path("/members?q=paged&state=member&page=1").await;
    wait_for_js(&web, "return document.querySelectorAll('#members-table tbody tr').length;", "100 rows", |v| v == 100).await;
    assert_eq!(value_of(&web, "members-q").await, "paged");
    assert_eq!(value_of(&web, "members-state").await, "member");
    assert!(web.text_of(".pager").await.contains("Page 1 of 2"));
    assert_clean_console(&web, "/members?q=paged&state=member&page=1", None).await;
}

/// Every label leads to its field and no id is used twice on these forms' pages. Found by this
/// test: on `/money` the section around the open-a-year form had the id `open-year`, like the
/// year's input, so the "Year" label named the section: clicking it did not focus the input and
/// assistive technology read the input without its label. The test also clicks the Year label.
#[tokio::test]
async fn every_label_leads_to_its_field_and_no_id_is_used_twice() {
    let c = TestCoop::start();
    coop(&c.data(), &["fiscal-year", "open", "2025"], None);
    let driver = ChromeDriver::start().await;
    let web = WebDriver::open(&driver, false).await;
    sign_in(&c, &web, &c.admin).await;
    let mut problems = Vec::new();
    for path in ["/work/projects", "/money", "/money/2025", "/members"] {
        web.goto(&c.url(path)).await;
        web.find("main").await;
        let found = web
            .run(
                "const seen = {}, twice = [];\
                 for (const e of document.querySelectorAll('[id]')) { if (seen[e.id]) twice.push(e.id); seen[e.id] = true; }\
                 const unlabelled = [...document.querySelectorAll('label[for]')].filter(l => !l.control).map(l => l.htmlFor);\
                 return { twice, unlabelled };",
            )
            .await;
        if found["twice"] != json!([]) || found["unlabelled"] != json!([]) {
            problems.push(format!("{path}: ids used twice {}, labels tied to no field {}", found["twice"], found["unlabelled"]));
        }
        assert_clean_console(&web, path, None).await;
    }
    // A person clicks the label "Year" of the open-a-year form: the year's field gets the focus.
    web.goto(&c.url("/money")).await;
    web.click("#open-year-form label").await;
    let focused = web.run("return document.activeElement ? document.activeElement.outerHTML.slice(0, 80) : '';").await;
    if !focused.as_str().unwrap_or_default().starts_with("<input id=\"open-year\"") {
        problems.push(format!("/money: clicking the label \"Year\" focuses {focused} instead of the year's field"));
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
