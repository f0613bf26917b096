//! Black-box tests of the Projects page (`/work/projects`): the real `coop` binary served on a
//! free port, driven like a browser without JavaScript. Hours, kinds of work and the pay system
//! are set up through the CLI; projects and rates are managed through the page's forms, and what
//! the forms did is checked on the page and through the CLI's `project list` / `kind rates`.

mod common;

use common::browser::{Browser, Page};
use common::{coop, TestCoop};

/// The projects as the CLI lists them.
fn cli_projects(c: &TestCoop) -> Vec<serde_json::Value> {
    serde_json::from_str(&coop(&c.data(), &["project", "list", "--json"], None)).unwrap()
}

/// Every version of every kind's rate as the CLI lists them.
fn cli_rates(c: &TestCoop) -> Vec<serde_json::Value> {
    serde_json::from_str(&coop(&c.data(), &["kind", "rates", "--json"], None)).unwrap()
}

/// The id of the project listed as `name` (from its row's `id="project-ID"`).
fn project_id(page: &Page, name: &str) -> String {
    let cell = format!("<th scope=\"row\">{name}</th>");
    let at = page.html.find(&cell).unwrap_or_else(|| panic!("no row for {name} in:\n{}", page.html));
    let row = page.html[..at].rfind("<tr id=\"project-").expect("the row has an id") + "<tr id=\"project-".len();
    page.html[row..row + page.html[row..].find('"').unwrap()].to_string()
}

/// The row of the project listed as `name`, tags and all (from its `<tr>` to its `</tr>`).
fn project_row(page: &Page, name: &str) -> String {
    page.element(&format!("project-{}", project_id(page, name)), "tr")
}

/// The rows of the project list, in order: the first cell of each row (names and client headings).
fn listed_names(page: &Page) -> Vec<String> {
    let table = page.element("project-list", "table");
    table
        .match_indices("<th scope=\"row")
        .map(|(i, _)| {
            let s = i + table[i..].find('>').unwrap() + 1;
            table[s..s + table[s..].find("</th>").unwrap()].to_string()
        })
        .collect()
}

#[tokio::test]
async fn an_admin_adds_and_edits_projects_through_the_forms() {
    let c = TestCoop::start();
    coop(&c.data(), &["hours", "log", "--member", &c.member.email, "--date", "2026-11-02", "--hours", "2.5", "--project", "Bakery"], None);
    coop(&c.data(), &["project", "add", "Zebra", "--client", "Acme"], None);
    let ada = Browser::new(&c, None);
    ada.sign_in(&c.admin).await;

    // The Work area links the page; the page lists what the CLI made, with the hours logged.
    ada.get("/work").await.assert_status(200).assert_contains(r#"<a href="/work/projects" id="open-projects">Projects and kinds of work</a>"#);
    let page = ada.get("/work/projects").await;
    page.assert_status(200).assert_contains(r#"id="add-project-form""#).assert_contains(r#"id="set-rate-form""#);
    let bakery = project_row(&page, "Bakery");
    assert!(bakery.contains(">2.50<"), "{bakery}");

    // Add a billable project with a client: listed under its client.
    let added = ada.post("/work/projects", &[("csrf_token", &page.csrf()), ("name", "Mill Road"), ("client", "Mill Road Ltd"), ("billable", "on")]).await;
    assert_eq!(added.location(), "/work/projects");
    let page = ada.follow(&added).await;
    page.assert_status(200).assert_contains("The project Mill Road was added.");
    let row = project_row(&page, "Mill Road");
    assert!(row.contains("<td>Mill Road Ltd</td>") && row.contains("<td>Billable</td>") && row.contains(">0.00<"), "{row}");
    // By client: Acme's Zebra, then Mill Road Ltd's project, then the projects without a client.
    assert_eq!(listed_names(&page), vec!["Acme", "Zebra", "Mill Road Ltd", "Mill Road", "No client", "Bakery"]);
    // By name: one list.
    assert_eq!(listed_names(&ada.get("/work/projects?sort=name").await), vec!["Bakery", "Mill Road", "Zebra"]);
    let listed = cli_projects(&c);
    let mill = listed.iter().find(|p| p["name"] == "Mill Road").expect("the CLI lists the new project");
    assert_eq!((mill["client"].as_str(), mill["billable"].as_bool()), (Some("Mill Road Ltd"), Some(true)));

    // Untick billable on its row's form: the list says internal, and so does the CLI.
    let id = project_id(&page, "Mill Road");
    assert!(row.contains(&format!(r#"action="/work/projects/{id}""#)), "{row}");
    let edited = ada.post(&format!("/work/projects/{id}"), &[("csrf_token", &page.csrf()), ("client", "Mill Road Ltd")]).await;
    let page = ada.follow(&edited).await;
    page.assert_contains("The project Mill Road was changed.");
    let row = project_row(&page, "Mill Road");
    assert!(row.contains("<td>Internal</td>") && !row.contains(" checked"), "{row}");
    assert_eq!(cli_projects(&c).iter().find(|p| p["name"] == "Mill Road").unwrap()["billable"], false);
    // And back, with another client.
    let edited = ada.post(&format!("/work/projects/{id}"), &[("csrf_token", &page.csrf()), ("client", "Mill Road Bakery"), ("billable", "on")]).await;
    let row = project_row(&ada.follow(&edited).await, "Mill Road");
    assert!(row.contains("<td>Mill Road Bakery</td>") && row.contains("<td>Billable</td>"), "{row}");

    // The same name in other letters: refused next to the name, what was typed kept, nothing added.
    let dup = ada.post("/work/projects", &[("csrf_token", &page.csrf()), ("name", "mill road"), ("client", "Someone else")]).await;
    dup.assert_status(409);
    let error = dup.element("project-name-error", "p");
    assert!(error.contains("the co-op already has a project"), "{error}");
    dup.assert_contains(r#"id="project-name" name="name" type="text" value="mill road""#).assert_contains(r#"value="Someone else""#);
    assert_eq!(cli_projects(&c).len(), 3);
    // An empty name: 422 next to the name.
    let empty = ada.post("/work/projects", &[("csrf_token", &page.csrf()), ("name", "  ")]).await;
    empty.assert_status(422);
    assert!(empty.element("project-name-error", "p").contains("a project name has 1 to 200 characters"));
    assert_eq!(cli_projects(&c).len(), 3);

    // Without the session's token: refused, nothing added or changed.
    let forged = ada.post("/work/projects", &[("csrf_token", "forged"), ("name", "Forged")]).await;
    forged.assert_status(403).assert_contains("The form expired.");
    ada.post("/work/projects", &[("name", "Forged")]).await.assert_status(403);
    ada.post(&format!("/work/projects/{id}"), &[("csrf_token", "forged"), ("client", "Forged")]).await.assert_status(403);
    ada.post("/work/projects/rates", &[("kind", "Design"), ("from", "2020-01"), ("rate", "1.00"), ("weight", "1")]).await.assert_status(403);
    let listed = cli_projects(&c);
    assert_eq!(listed.len(), 3);
    assert_eq!(listed.iter().find(|p| p["name"] == "Mill Road").unwrap()["client"], "Mill Road Bakery");
    assert!(cli_rates(&c).is_empty());

    // A client's name is text, never markup.
    let page = ada.get("/work/projects").await;
    let added = ada.post("/work/projects", &[("csrf_token", &page.csrf()), ("name", "Odd <b>one</b>"), ("client", "<script>alert(1)</script>")]).await;
    let page = ada.follow(&added).await;
    page.assert_status(200);
    assert!(!page.html.contains("<script>alert(1)") && !page.html.contains("<b>one</b>"), "{}", page.html);
    assert!(page.html.contains("&lt;script&gt;alert(1)&lt;") && page.html.contains("Odd &lt;b&gt;one&lt;"), "{}", page.html);
}

#[tokio::test]
async fn a_member_sees_the_lists_but_no_forms_and_may_not_post_them() {
    let c = TestCoop::start();
    coop(
        &c.data(),
        &["hours", "log", "--member", &c.member.email, "--date", "2026-11-02", "--hours", "3", "--project", "Bakery", "--category", "Design"],
        None,
    );
    coop(&c.data(), &["project", "set", "Bakery", "--client", "Corner Shop"], None);
    coop(&c.data(), &["kind", "rate", "Design", "--from", "2020-01", "--rate", "30.00", "--weight", "1.25"], None);
    let ben = Browser::new(&c, None);
    ben.sign_in(&c.member).await;
    let page = ben.get("/work/projects").await;
    page.assert_status(200);
    let row = project_row(&page, "Bakery");
    assert!(row.contains("<td>Corner Shop</td>") && row.contains(">3.00<"), "{row}");
    let kinds = page.element("kind-list", "table");
    assert!(kinds.contains("Design") && kinds.contains(">30.00<") && kinds.contains(">1.25<") && kinds.contains(">2020-01-01<"), "{kinds}");
    // No form at all: neither to add, nor per project, nor for rates.
    page.assert_lacks(r#"id="add-project-form""#).assert_lacks(r#"action="/work/projects"#).assert_lacks(r#"id="set-rate-form""#).assert_lacks(r#"id="edit-"#);

    // Posting the forms anyway, with a valid token: refused by the use cases.
    let csrf = ben.get("/").await.csrf();
    let id = project_id(&page, "Bakery");
    ben.post("/work/projects", &[("csrf_token", csrf.as_str()), ("name", "Ben's"), ("billable", "on")]).await.assert_status(403);
    ben.post(&format!("/work/projects/{id}"), &[("csrf_token", csrf.as_str()), ("client", "Elsewhere")]).await.assert_status(403);
    ben.post("/work/projects/rates", &[("csrf_token", csrf.as_str()), ("kind", "Design"), ("from", "2021-01"), ("rate", "99.00"), ("weight", "1")])
        .await
        .assert_status(403);
    let listed = cli_projects(&c);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["client"], "Corner Shop");
    assert_eq!(cli_rates(&c).len(), 1);

    // In Arabic the page is translated and right to left, the plural chosen by Arabic's rules.
    let ar = Browser::new(&c, Some("ar"));
    ar.sign_in(&c.member).await;
    let page = ar.get("/work/projects").await;
    page.assert_status(200).assert_contains(r#"dir="rtl""#).assert_contains("<h1>المشاريع وأنواع العمل</h1>").assert_contains("نسخة واحدة");
    page.assert_lacks("Kinds of work");
}

#[tokio::test]
async fn a_kinds_rate_is_set_from_a_month_and_a_locked_month_is_refused() {
    let c = TestCoop::start();
    let data = c.data();
    // A pay system from October 2026, voted through, and November 2026 approved (locked).
    coop(&data, &["class", "set", "general", "--rule-json", r#"{"kind":"vote","threshold":"1/2","strict":true,"base":"cast","quorum":null}"#], None);
    let file = c.dir.path().join("system.json");
    std::fs::write(&file, r#"{"basis":{"kind":"equal_hourly","rate":"20.00","internal_paid":true},"max_ratio":"2:1"}"#).unwrap();
    let out = coop(&data, &["pay", "system", "propose", file.to_str().unwrap(), "--from", "2026-10", "--json"], None);
    let proposal = serde_json::from_str::<serde_json::Value>(&out).unwrap()["proposal"].to_string();
    for email in [&c.admin.email, &c.member.email] {
        coop(&data, &["vote", &proposal, "--member", email, "--choice", "yes"], None);
    }
    coop(&data, &["hours", "log", "--member", &c.member.email, "--date", "2026-11-02", "--hours", "7.5", "--project", "Bakery", "--category", "Design"], None);
    coop(&data, &["pay", "approve", "--month", "2026-11"], None);

    let ada = Browser::new(&c, None);
    ada.sign_in(&c.admin).await;
    let page = ada.get("/work/projects").await;
    page.assert_status(200).assert_contains(r#"id="no-rates""#).assert_contains(r#"<option value="Design"></option>"#);
    let csrf = page.csrf();

    // A rate from a past month: in force today, shown with its first day.
    let set =
        ada.post("/work/projects/rates", &[("csrf_token", csrf.as_str()), ("kind", "Design"), ("from", "2020-01"), ("rate", "30.00"), ("weight", "1")]).await;
    assert_eq!(set.location(), "/work/projects");
    let page = ada.follow(&set).await;
    page.assert_contains("The rate of Design from 2020-01-01 is set.");
    let kinds = page.element("kind-list", "table");
    assert!(
        kinds.contains(r#"<td class="num">30.00</td>"#) && kinds.contains(r#"<td class="num">1.00</td>"#) && kinds.contains("<td>2020-01-01</td>"),
        "{kinds}"
    );

    // A later version, typed as the first day of its month, far ahead: listed as upcoming, and
    // the rate in force stays.
    let set = ada
        .post("/work/projects/rates", &[("csrf_token", csrf.as_str()), ("kind", "Design"), ("from", "2099-01-01"), ("rate", "45.50"), ("weight", "1.5")])
        .await;
    let page = ada.follow(&set).await;
    let kinds = page.element("kind-list", "table");
    assert!(kinds.contains(r#"<td class="num">30.00</td>"#) && kinds.contains("<td>2020-01-01</td>"), "{kinds}");
    assert!(kinds.contains("2 versions"), "{kinds}");
    assert!(kinds.contains("From 2099-01-01: rate 45.50, weight 1.50 (upcoming)"), "{kinds}");
    assert!(kinds.contains("From 2020-01-01: rate 30.00, weight 1.00 (in force)"), "{kinds}");
    // Without a rate: the general rate, from its month.
    let set = ada.post("/work/projects/rates", &[("csrf_token", csrf.as_str()), ("kind", "Design"), ("from", "2021-06"), ("rate", ""), ("weight", "2")]).await;
    let kinds = ada.follow(&set).await.element("kind-list", "table");
    assert!(kinds.contains("<td class=\"num\">General rate</td>") && kinds.contains("<td>2021-06-01</td>") && kinds.contains(">2.00<"), "{kinds}");
    assert_eq!(cli_rates(&c).len(), 3);

    // The approved month: refused next to the month, what was typed kept, nothing recorded.
    let locked =
        ada.post("/work/projects/rates", &[("csrf_token", csrf.as_str()), ("kind", "Design"), ("from", "2026-11"), ("rate", "99.00"), ("weight", "1")]).await;
    locked.assert_status(409);
    let error = locked.element("rate-from-error", "p");
    assert!(error.contains("the pay run of 2026-11 is approved"), "{error}");
    locked.assert_contains(r#"id="rate-from" name="from" type="month" value="2026-11" required aria-invalid="true""#).assert_contains(r#"value="99.00""#);
    // A date that is not the first of a month, an unknown kind, a bad rate: each next to its field.
    let bad =
        ada.post("/work/projects/rates", &[("csrf_token", csrf.as_str()), ("kind", "Design"), ("from", "2027-02-15"), ("rate", "1"), ("weight", "1")]).await;
    bad.assert_status(422);
    assert!(bad.element("rate-from-error", "p").contains("a rate starts on the first day of a month"));
    let bad =
        ada.post("/work/projects/rates", &[("csrf_token", csrf.as_str()), ("kind", "Juggling"), ("from", "2027-02"), ("rate", "1"), ("weight", "1")]).await;
    bad.assert_status(422);
    assert!(bad.element("rate-kind-error", "p").contains("no kind of work \"Juggling\""));
    let bad =
        ada.post("/work/projects/rates", &[("csrf_token", csrf.as_str()), ("kind", "Design"), ("from", "2027-02"), ("rate", "lots"), ("weight", "x")]).await;
    bad.assert_status(422);
    bad.element("rate-rate-error", "p");
    assert!(bad.element("rate-weight-error", "p").contains("is not a weight"));
    // Without the token: refused.
    ada.post("/work/projects/rates", &[("csrf_token", "forged"), ("kind", "Design"), ("from", "2027-02"), ("rate", "1"), ("weight", "1")])
        .await
        .assert_status(403);
    assert_eq!(cli_rates(&c).len(), 3, "no refused form recorded a rate");
}
