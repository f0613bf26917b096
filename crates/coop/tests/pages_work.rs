//! Black-box tests of the Work pages: the real `coop` binary served on a free port, driven like
//! a browser without JavaScript. Projects, hours and commitments are set up through the CLI
//! (the contract's `hours log` and `commitment set`); the timesheet is filled in through its form.

mod common;

use common::browser::{Browser, Page};
use common::{coop, TestCoop};
use std::path::Path;

const WEEK: &str = "2026-11-23";

/// Runs SQL on the served co-op's SQLite file (to approve a pay run, which has no page yet).
fn sqlite(data: &Path, sql: &str) {
    let tool = ["/usr/bin/sqlite3", "sqlite3"].into_iter().find(|t| Path::new(t).exists()).unwrap_or("sqlite3");
    let out = std::process::Command::new(tool)
        .args(["-batch", "-bail", "-cmd", ".timeout 10000"])
        .arg(data.join("coop.db"))
        .arg(sql)
        .output()
        .unwrap_or_else(|e| panic!("these tests need the sqlite3 command-line tool (apt-get install sqlite3): {e}"));
    assert!(out.status.success(), "sqlite3 {sql:?} failed: {}", String::from_utf8_lossy(&out.stderr));
}

/// Logs `hours` for `email` through the CLI, creating the project if needed.
fn log(c: &TestCoop, email: &str, date: &str, hours: &str, project: &str) {
    coop(&c.data(), &["hours", "log", "--member", email, "--date", date, "--hours", hours, "--project", project], None);
}

/// The `<svg ...>...</svg>` whose root has `id="ID"`.
fn svg(page: &Page, id: &str) -> String {
    let at = page.html.find(&format!(r#"id="{id}""#)).unwrap_or_else(|| panic!("no chart {id} in {}", page.html));
    let start = page.html[..at].rfind("<svg").expect("the chart is an svg");
    let end = page.html[at..].find("</svg>").expect("the svg closes") + at + 6;
    page.html[start..end].to_string()
}

/// The value of attribute `name` of the `<rect>`s of `svg`, in order.
fn rect_attr(svg: &str, name: &str) -> Vec<String> {
    svg.match_indices("<rect ")
        .map(|(i, _)| {
            let tag = &svg[i..i + svg[i..].find('>').unwrap()];
            let key = format!(r#" {name}=""#);
            let s = tag.find(&key).unwrap_or_else(|| panic!("no {name} in {tag}")) + key.len();
            tag[s..s + tag[s..].find('"').unwrap()].to_string()
        })
        .collect()
}

/// The text of the element with `id` (from its tag to its closing tag), tags removed.
fn cell_text(page: &Page, id: &str, tag: &str) -> String {
    let el = page.element(id, tag);
    let mut out = String::new();
    let mut inside = false;
    for ch in el.chars() {
        match ch {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

#[tokio::test]
async fn a_member_fills_in_a_week_through_the_form() {
    let c = TestCoop::start();
    // Two projects, through the CLI, on an earlier week.
    log(&c, &c.admin.email, "2026-11-02", "1", "Bakery");
    log(&c, &c.admin.email, "2026-11-02", "1", "Internal");
    let ben = Browser::new(&c, None);
    ben.sign_in_and_reload(&c.member).await;

    let page = ben.get("/work/timesheet?week=2026-11-26").await;
    page.assert_status(200).assert_contains("Ben Baker: week of 23 Nov 2026 to 29 Nov 2026");
    // One labelled number input per project and day, in row order (so Tab walks along a row).
    assert!(page.html.contains(r#"<input class="hours" id="c-0-0" name="c-0-0" type="number" inputmode="decimal" min="0" max="24" step="0.25" value="""#), "{}", page.html);
    page.assert_contains(r#"<label class="visually-hidden" for="c-0-0">Hours on Bakery, Mon 23 Nov 2026</label>"#);
    page.assert_contains(r#"for="c-1-6">Hours on Internal, Sun 29 Nov 2026</label>"#);
    page.assert_contains(r#"for="c-2-0">Hours on No project, Mon 23 Nov 2026</label>"#);
    let order: Vec<usize> = ["c-0-0", "c-0-1", "c-0-6", "c-1-0"].iter().map(|id| page.html.find(&format!(r#"id="{id}""#)).unwrap()).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "inputs follow the rows");
    page.assert_contains(r#"href="/work/timesheet?week=2026-11-16" id="prev-week""#).assert_contains(r#"href="/work/timesheet?week=2026-11-30" id="next-week""#);

    // Save three cells.
    let csrf = page.csrf();
    let member = c.member.id.to_string();
    let base = [("csrf_token", csrf.as_str()), ("week", WEEK), ("member", member.as_str()), ("p-0", "Bakery"), ("p-1", "Internal")];
    let mut form: Vec<(&str, &str)> = base.to_vec();
    form.extend([("c-0-0", "7.5"), ("c-0-1", "8"), ("c-1-0", "1:30"), ("c-1-1", "")]);
    let saved = ben.post("/work/timesheet", &form).await;
    assert_eq!(saved.location(), "/work/timesheet?week=2026-11-23");
    let page = ben.follow(&saved).await;
    page.assert_contains("3 cells were saved. The week now holds 17.00 hours.");
    page.assert_contains(r#"id="c-0-0" name="c-0-0" type="number" inputmode="decimal" min="0" max="24" step="0.25" value="7.50""#);
    page.assert_contains(r#"id="c-1-0" name="c-1-0" type="number" inputmode="decimal" min="0" max="24" step="0.25" value="1.50""#);
    assert_eq!(cell_text(&page, "total-0", "td"), "9.00");
    assert_eq!(cell_text(&page, "total-1", "td"), "8.00");
    assert_eq!(cell_text(&page, "week-total", "td"), "17.00");

    // A cell that is not a number: 422, the typed text kept beside its message, nothing saved.
    let csrf = page.csrf();
    let mut form: Vec<(&str, &str)> = vec![("csrf_token", csrf.as_str()), ("week", WEEK), ("member", member.as_str()), ("p-0", "Bakery"), ("p-1", "Internal")];
    form.extend([("c-0-0", "6"), ("c-0-2", "lots")]);
    let bad = ben.post("/work/timesheet", &form).await;
    bad.assert_status(422).assert_contains("Some cells need attention").assert_contains(r#"value="lots" aria-invalid="true" aria-describedby="c-0-2-error""#);
    assert!(bad.element("c-0-2-error", "p").contains("is not a duration"));
    bad.assert_contains(r#"name="c-0-0" type="number" inputmode="decimal" min="0" max="24" step="0.25" value="6""#);
    assert_eq!(cell_text(&bad, "week-total", "td"), "17.00", "nothing was saved");

    // Over 24 hours in a day: 422 with the reason, the input kept.
    let mut form: Vec<(&str, &str)> = vec![("csrf_token", csrf.as_str()), ("week", WEEK), ("member", member.as_str()), ("p-0", "Bakery"), ("p-1", "Internal")];
    form.extend([("c-0-3", "20"), ("c-1-3", "4.5")]);
    let over = ben.post("/work/timesheet", &form).await;
    over.assert_status(422).assert_contains("2026-11-26 would hold 24.50 hours, more than the 24 hours of a day").assert_contains(r#"value="4.5""#);

    // With few projects every one has a row; with many, the grid shows Ben's recent ones and
    // offers the rest on an extra row.
    let page = ben.get("/work/timesheet?week=2026-11-23").await;
    assert!(!page.html.contains(r#"id="p-new""#), "every project already has a row");
    for i in 1..=7 {
        log(&c, &c.admin.email, "2026-01-05", "1", &format!("Project {i}"));
    }
    let page = ben.get("/work/timesheet?week=2026-11-23").await;
    page.assert_contains(r#"<option value="Project 3">Project 3</option>"#).assert_lacks(r#"<input type="hidden" name="p-2" value="Project 3">"#);
    let unnamed = ben.post("/work/timesheet", &[("csrf_token", csrf.as_str()), ("week", WEEK), ("member", member.as_str()), ("p-new", ""), ("c-new-2", "2")]).await;
    unnamed.assert_status(422).assert_contains("Choose a project for the added row").assert_contains(r#"name="c-new-2" type="number" inputmode="decimal" min="0" max="24" step="0.25" value="2""#);
    let added = ben.post("/work/timesheet", &[("csrf_token", csrf.as_str()), ("week", WEEK), ("member", member.as_str()), ("p-new", "Project 3"), ("c-new-2", "2")]).await;
    let page = ben.follow(&added).await;
    page.assert_contains("1 cell was saved. The week now holds 19.00 hours.").assert_contains(r#"<input type="hidden" name="p-2" value="Project 3">"#);

    // Nothing changed: said so.
    let same = ben.post("/work/timesheet", &[("csrf_token", csrf.as_str()), ("week", WEEK), ("member", member.as_str()), ("p-0", "Bakery"), ("c-0-0", "7.50")]).await;
    ben.follow(&same).await.assert_contains("Nothing changed in this week.");

    // Someone else's week: Cleo may not; without the token: refused.
    let cleo = Browser::new(&c, None);
    cleo.sign_in_and_reload(&c.candidate).await;
    cleo.get(&format!("/work/timesheet?week={WEEK}&member={member}")).await.assert_status(403);
    let cleo_csrf = cleo.get("/work/timesheet").await.csrf();
    let refused = cleo.post("/work/timesheet", &[("csrf_token", cleo_csrf.as_str()), ("week", WEEK), ("member", member.as_str()), ("p-0", "Bakery"), ("c-0-0", "1")]).await;
    refused.assert_status(403);
    ben.post("/work/timesheet", &[("week", WEEK), ("member", member.as_str()), ("p-0", "Bakery"), ("c-0-0", "1")]).await.assert_status(403);
    assert_eq!(cell_text(&ben.get("/work/timesheet?week=2026-11-23").await, "week-total", "td"), "19.00");

    // An admin picks Ben's week and sees it.
    let ada = Browser::new(&c, None);
    ada.sign_in_and_reload(&c.admin).await;
    let page = ada.get(&format!("/work/timesheet?week={WEEK}&member={member}")).await;
    page.assert_status(200).assert_contains("Ben Baker: week of").assert_contains(r#"id="timesheet-member""#);
    assert_eq!(cell_text(&page, "week-total", "td"), "19.00");
    assert!(page.html.contains(&format!(r#"<option value="{member}" selected>Ben Baker</option>"#)), "{}", page.html);
}

#[tokio::test]
async fn locked_days_are_read_only() {
    let c = TestCoop::start();
    log(&c, &c.member.email, "2026-09-28", "2", "Bakery");
    sqlite(
        &c.data(),
        "PRAGMA foreign_keys = OFF; INSERT INTO pay_runs (month, pay_system_version, status, total_cents, result, created_at) \
         VALUES ('2026-10', 1, 'approved', 0, '{}', '2026-11-01T00:00:00Z');",
    );
    let ben = Browser::new(&c, None);
    ben.sign_in_and_reload(&c.member).await;
    let page = ben.get("/work/timesheet?week=2026-09-28").await;
    page.assert_status(200).assert_contains("Days marked locked belong to a month whose pay run is approved");
    assert!(page.html.contains(r#"id="c-0-2" name="c-0-2""#), "30 September is open");
    for d in 3..7 {
        assert!(!page.html.contains(&format!(r#"name="c-0-{d}""#)), "day {d} is in October, locked: no input");
        assert!(cell_text(&page, &format!("day-{d}"), "th").contains("(locked)"));
    }
    // A forged cell of a locked day is refused and nothing is saved.
    let csrf = page.csrf();
    let member = c.member.id.to_string();
    let forged =
        ben.post("/work/timesheet", &[("csrf_token", csrf.as_str()), ("week", "2026-09-28"), ("member", member.as_str()), ("p-0", "Bakery"), ("c-0-0", "3"), ("c-0-3", "2")]).await;
    forged.assert_status(409).assert_contains("the pay run of 2026-10 is approved");
    assert_eq!(cell_text(&forged, "week-total", "td"), "2.00");
}

#[tokio::test]
async fn the_work_page_draws_both_charts_with_one_bar_per_member() {
    let c = TestCoop::start();
    log(&c, &c.admin.email, "2026-01-15", "6", "Bakery");
    log(&c, &c.admin.email, "2026-03-02", "3", "Internal");
    log(&c, &c.member.email, "2026-03-03", "12", "Bakery");
    for who in [&c.admin.email, &c.member.email] {
        coop(&c.data(), &["commitment", "set", who, "--year", "2026", "--hours", "1200"], None);
    }
    let ben = Browser::new(&c, None);
    ben.sign_in_and_reload(&c.member).await;
    let page = ben.get("/work?year=2026").await;
    page.assert_status(200).assert_contains("Hours worked in 2026: 21.00").assert_contains(r#"<option value="2026" selected>2026</option>"#);

    // Hours per member per month: a panel of twelve bars for each of the two members.
    let hours = svg(&page, "chart-hours");
    assert!(hours.contains(r#"role="img""#) && hours.contains("<title id=\"chart-hours-title\">Hours per member per month</title>"));
    assert_eq!(hours.matches(r#"class="chart-panel""#).count(), 2);
    let minutes = rect_attr(&hours, "data-minutes");
    assert_eq!(minutes.len(), 24);
    let heights: Vec<f64> = rect_attr(&hours, "height").iter().map(|h| h.parse().unwrap()).collect();
    // Panels by name: Ada (Jan 6 h, Mar 3 h), then Ben (Mar 12 h, the tallest bar).
    assert_eq!((minutes[0].as_str(), minutes[2].as_str(), minutes[14].as_str()), ("360", "180", "720"));
    assert!((heights[0] * 2.0 - heights[14]).abs() < 0.02 && (heights[2] * 4.0 - heights[14]).abs() < 0.02, "{heights:?}");

    // Balance against commitment: exactly one bar per member with a commitment. Both joined
    // today (the CLI's default), so little is expected yet and both are ahead.
    let balance = svg(&page, "chart-balance");
    let classes = rect_attr(&balance, "class");
    assert_eq!(classes.len(), 2, "{balance}");
    assert!(classes.iter().all(|c| c.contains("balance-ahead")), "{classes:?}");
    assert!(balance.contains("Ada Admin") && balance.contains("Ben Baker"));

    // The same numbers in tables.
    let table = page.element("member-months", "table");
    assert!(table.contains("Ben Baker") && table.contains("12.00"), "{table}");
    let projects = page.element("by-project", "table");
    assert!(projects.contains("Bakery") && projects.contains("18.00") && projects.contains("3.00"), "{projects}");
    assert!(page.element("by-month", "table").contains("15.00"), "March holds 3 + 12 hours");
    let balances = page.element("balances", "table");
    assert!(balances.contains("1200.00") && balances.contains("ahead"), "{balances}");
    assert!(!page.html.contains("style="), "no inline style (the CSP forbids it)");

    // Another year is empty but still draws; the page reads in Arabic, right to left.
    ben.get("/work?year=2025").await.assert_status(200).assert_contains("No hours recorded in this year.");
    let ar = Browser::new(&c, Some("ar"));
    ar.sign_in_and_reload(&c.member).await;
    let page = ar.get("/work?year=2026").await;
    page.assert_status(200).assert_contains(r#"dir="rtl""#).assert_contains("الساعات لكل عضو في كل شهر");
    ar.get("/work/timesheet?week=2026-11-23").await.assert_status(200).assert_contains("الساعات في Bakery، الاثنين 23 نوفمبر 2026");
}
