//! Black-box tests of the work and pay API: the real `coop` binary, prepared with the CLI and
//! served on a free port, driven with reqwest. Hours logged and reported (the same JSON as the
//! CLI), an import refused whole for one bad line, a pay system voted through, a month's pay
//! computed to the cent, approval that locks the month, the payroll CSV and a correction settled
//! by the next run; entries listed over a range (the member's own, locked once the month is
//! paid); and the contract's 401, 403 and 422 with nothing written.

mod common;

use common::api::{matches_schema, Answer, Caller};
use common::{coop as run_coop, TestCoop};
use reqwest::Method;
use serde_json::{json, Value};

/// Every work and pay route with its methods, and the tag the document gives it.
const WORK_ROUTES: &[(&str, &[&str], &str)] = &[
    ("/api/v1/hours", &["post"], "work"),
    ("/api/v1/hours/report", &["get"], "work"),
    ("/api/v1/hours/import", &["post"], "work"),
    ("/api/v1/hours/balance", &["get"], "work"),
    ("/api/v1/hours/corrections", &["get"], "work"),
    ("/api/v1/hours/entries", &["get"], "work"),
    ("/api/v1/hours/entries/{id}/corrections", &["post"], "work"),
    ("/api/v1/commitments/{member_id}/{year}", &["put"], "work"),
    ("/api/v1/projects", &["get", "post"], "work"),
    ("/api/v1/projects/{name}", &["patch"], "work"),
    ("/api/v1/leave", &["post"], "work"),
    ("/api/v1/leave/{member_id}/{date}", &["delete"], "work"),
    ("/api/v1/kinds/rates", &["get"], "pay"),
    ("/api/v1/kinds/{kind}/rates/{month}", &["put"], "pay"),
    ("/api/v1/pay/systems", &["get", "post"], "pay"),
    ("/api/v1/pay/runs", &["get"], "pay"),
    ("/api/v1/pay/runs/{month}", &["get"], "pay"),
    ("/api/v1/pay/runs/{month}/approve", &["post"], "pay"),
    ("/api/v1/pay/runs/{month}/csv", &["get"], "pay"),
];

/// The month the pay tests run (in the past, so no rule about future dates can get in the way).
const MONTH: &str = "2025-03";

/// Simple majority of votes cast, no quorum.
fn majority() -> Value {
    json!({"kind": "vote", "threshold": "1/2", "strict": false, "base": "cast", "quorum": null})
}

/// Equal pay at 19.99 an hour for billable hours only: an awkward rate, so that the amounts
/// below test the rounding (half away from zero, once per line).
fn equal_pay() -> Value {
    json!({"basis": {"kind": "equal_hourly", "rate": "19.99", "internal_paid": false}, "bonus_pool": null, "max_ratio": null})
}

// ---------------------------------------------------------------------------------------------
// The API in words, on the shared client (tests/common/api.rs).

impl Caller {
    /// Logs hours; asserts 201 and returns the entry.
    async fn log(&self, body: Value) -> Value {
        self.post("/api/v1/hours", body).await.ok(201)
    }

    /// The journal's head: it moves with every write, so an unchanged head means nothing was
    /// written.
    async fn head(&self) -> Value {
        self.get("/api/v1/journal/head").await.ok(200)
    }

    async fn report(&self, year: i32) -> Value {
        self.get(&format!("/api/v1/hours/report?year={year}")).await.ok(200)
    }
}

/// `coop ARGS... --json` on the test's data directory (the server keeps running: SQLite WAL).
fn cli_json(coop: &TestCoop, args: &[&str]) -> Value {
    let out = run_coop(&coop.data(), args, None);
    serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("coop {args:?} printed {out:?}: {e}"))
}

fn member<'a>(run: &'a Value, email: &str) -> &'a Value {
    run["members"].as_array().unwrap().iter().find(|m| m["email"] == email).unwrap_or_else(|| panic!("{email} not in {run}"))
}

// ---------------------------------------------------------------------------------------------
// The document and the contract's 401 and 403.

/// Every route is in the OpenAPI document, tagged, with its 401 and how to authenticate; and
/// every one of them refuses an anonymous caller before reading the request.
#[tokio::test]
async fn every_work_route_is_documented_and_refuses_anonymous_callers() {
    let coop = TestCoop::start();
    let anon = Caller::anonymous(&coop);
    let doc = anon.get("/api/v1/openapi.json").await.ok(200);
    for (path, methods, tag) in WORK_ROUTES {
        let item = doc["paths"].get(*path).unwrap_or_else(|| panic!("{path} is missing from the document"));
        for m in *methods {
            let op = item.get(*m).unwrap_or_else(|| panic!("{m} {path} is missing from the document"));
            assert!(op["responses"].as_object().is_some_and(|r| r.contains_key("401")), "{m} {path} documents its 401");
            assert!(op["security"].as_array().is_some_and(|s| !s.is_empty()), "{m} {path} says how to authenticate");
            assert_eq!(op["tags"], json!([tag]), "{m} {path}");
        }
    }
    let tags: Vec<&str> = doc["tags"].as_array().unwrap().iter().filter_map(|t| t["name"].as_str()).collect();
    assert!(tags.contains(&"work") && tags.contains(&"pay"), "{tags:?}");
    assert_eq!(
        doc["paths"]["/api/v1/pay/runs/{month}/csv"]["get"]["responses"]["200"]["content"].as_object().unwrap().keys().collect::<Vec<_>>(),
        vec!["text/csv"]
    );

    for (path, methods, _) in WORK_ROUTES {
        let concrete = path
            .replace("{id}", "1")
            .replace("{member_id}", "1")
            .replace("{year}", "2025")
            .replace("{name}", "Site")
            .replace("{kind}", "Design")
            .replace("{month}", MONTH)
            .replace("{date}", "2025-03-10");
        for m in *methods {
            let method = Method::from_bytes(m.to_uppercase().as_bytes()).unwrap();
            let body = matches!(*m, "post" | "put" | "patch").then(|| json!({}));
            anon.send(method, &concrete, body).await.assert_error(401, None);
        }
    }
}

/// A plain member reads hours and pay but does none of the admins' work, and a refusal writes
/// nothing.
#[tokio::test]
async fn a_member_cannot_do_what_needs_the_admin_role() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    let ben = Caller::signed_in(&coop, &coop.member).await;
    let before = ada.head().await;
    let admin = coop.admin.id;

    let refusals = [
        ben.post("/api/v1/hours", json!({"member": coop.admin.email, "date": "2025-03-10", "hours": "1"})).await,
        ben.post("/api/v1/hours", json!({"member": admin, "date": "2025-03-10", "hours": "1"})).await,
        ben.post("/api/v1/hours", json!({"date": "2025-03-10", "hours": "1", "project": "New", "create_unknown": true})).await,
        ben.post("/api/v1/hours/import", json!({"csv": "email,date,hours\nben@example.org,2025-03-10,1\n"})).await,
        ben.put(&format!("/api/v1/commitments/{}/2025", coop.member.id), json!({"hours": "1560"})).await,
        ben.post("/api/v1/projects", json!({"name": "Site"})).await,
        ben.put("/api/v1/kinds/Design/rates/2025-03", json!({"rate": "50.00"})).await,
        ben.post("/api/v1/leave", json!({"member": admin, "from": "2025-03-10"})).await,
        ben.post("/api/v1/pay/systems", json!({"system": equal_pay(), "from": MONTH})).await,
        ben.post(&format!("/api/v1/pay/runs/{MONTH}/approve"), json!({})).await,
        ben.get(&format!("/api/v1/pay/runs/{MONTH}/csv")).await,
    ];
    for answer in &refusals {
        answer.assert_error(403, None);
    }
    assert_eq!(ada.head().await, before, "a refusal writes nothing");
    assert_eq!(ada.report(2025).await, json!([]));
    assert_eq!(ben.get("/api/v1/projects").await.ok(200), json!([]));

    // Reading is open to every current participant.
    for path in
        ["/api/v1/hours/report?year=2025", "/api/v1/hours/corrections", "/api/v1/projects", "/api/v1/kinds/rates", "/api/v1/pay/systems", "/api/v1/pay/runs"]
    {
        assert_eq!(ben.get(path).await.status, 200, "{path}");
    }
    // And a member logs their own hours.
    let own = ben.log(json!({"date": "2025-03-10", "hours": "1"})).await;
    assert_eq!(own["member_id"], coop.member.id, "absent `member` means the caller");
}

// ---------------------------------------------------------------------------------------------
// 422 naming the field, nothing written.

/// Bad input is answered 422 naming the field at fault, and nothing is written: the journal's
/// head (which every write moves) stays where it was.
#[tokio::test]
async fn bad_input_is_422_naming_the_field_and_writes_nothing() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    let ben = Caller::signed_in(&coop, &coop.member).await;
    ada.post("/api/v1/projects", json!({"name": "Site"})).await.ok(201);
    ben.log(json!({"date": "2025-03-10", "hours": "20", "project": "Site"})).await;
    let before = ada.head().await;

    let cases: Vec<(Answer, &str)> = vec![
        (ben.post("/api/v1/hours", json!({"date": "2025-03-10", "hours": "5"})).await, "hours"),
        (ben.post("/api/v1/hours", json!({"date": "2025-03-11", "hours": "25"})).await, "hours"),
        (ben.post("/api/v1/hours", json!({"date": "2025-03-11", "hours": "lots"})).await, "hours"),
        (ben.post("/api/v1/hours", json!({"date": "2025-03-11", "hours": 7.5})).await, "hours"),
        (ben.post("/api/v1/hours", json!({"date": "2025-02-30", "hours": "1"})).await, "date"),
        (ben.post("/api/v1/hours", json!({"date": "2025-03-11", "hours": "1", "project": "Nope"})).await, "project"),
        (ben.post("/api/v1/hours", json!({"date": "2025-03-11", "hours": "1", "category": "Nope"})).await, "category"),
        (ada.post("/api/v1/hours", json!({"member": "nobody@example.org", "date": "2025-03-11", "hours": "1"})).await, "member"),
        (ada.post("/api/v1/hours", json!({"member": 999, "date": "2025-03-11", "hours": "1"})).await, "member"),
        (ben.post("/api/v1/hours", json!({"date": "2025-03-11", "hours": "1", "minutes": 60})).await, "minutes"),
        (ada.put(&format!("/api/v1/commitments/{}/2025", coop.member.id), json!({"hours": "1560", "leave_weeks": 7})).await, "leave_weeks"),
        (ada.put(&format!("/api/v1/commitments/{}/2025", coop.member.id), json!({"hours": "9000"})).await, "hours"),
        (ada.put(&format!("/api/v1/commitments/{}/next", coop.member.id), json!({"hours": "1560"})).await, "year"),
        (ada.put("/api/v1/commitments/x/2025", json!({"hours": "1560"})).await, "member_id"),
        (ben.get("/api/v1/hours/report?year=last").await, "year"),
        (ben.get("/api/v1/hours/balance?on=yesterday").await, "on"),
        (ben.get("/api/v1/hours/balance?member=nobody@example.org").await, "member"),
        (ben.post("/api/v1/hours/entries/1/corrections", json!({"hours": "2", "reason": "  "})).await, "reason"),
        (ben.post("/api/v1/hours/entries/1/corrections", json!({"hours": "-2", "reason": "typo"})).await, "hours"),
        (ada.post("/api/v1/projects", json!({"name": " "})).await, "name"),
        (ada.put("/api/v1/kinds/Design/rates/March", json!({"rate": "50.00"})).await, "month"),
        (ada.put("/api/v1/kinds/Design/rates/2025-03", json!({"rate": "50.00"})).await, "kind"),
        (ada.put("/api/v1/kinds/Design/rates/2025-03", json!({"rate": "fifty"})).await, "rate"),
        (ada.put("/api/v1/kinds/Design/rates/2025-03", json!({"weight": "heavy"})).await, "weight"),
        (ben.post("/api/v1/leave", json!({"from": "2025-03-10"})).await, "member"),
        (ben.post("/api/v1/leave", json!({"from": "2025-03-12", "to": "2025-03-10"})).await, "to"),
        (ada.post("/api/v1/hours/import", json!({"csv": "email,date,hours\n", "format": "excel"})).await, "format"),
        (ada.post("/api/v1/pay/systems", json!({"system": equal_pay(), "from": "2025-3"})).await, "from"),
        (
            ada.post("/api/v1/pay/systems", json!({"system": {"basis": {"kind": "equal_hourly", "rate": "-1.00", "internal_paid": false}}, "from": MONTH}))
                .await,
            "system",
        ),
        (
            ada.post("/api/v1/pay/systems", json!({"system": {"basis": {"kind": "equal_hourly", "rate": "1.00"}}, "from": MONTH})).await,
            "system.basis.internal_paid",
        ),
        (ada.post("/api/v1/pay/systems", json!({"system": equal_pay(), "from": MONTH, "adopted_by": 1, "class": "x"})).await, "adopted_by"),
        (ben.get("/api/v1/pay/runs/2025-13").await, "month"),
    ];
    for (answer, field) in &cases {
        answer.assert_error(422, Some(field));
    }
    assert_eq!(ada.head().await, before, "no bad request wrote anything");
    assert_eq!(ada.report(2025).await, json!([{"email": "ben@example.org", "hours": "20.00", "by_category": {"(none)": "20.00"}}]));
    assert_eq!(ada.get("/api/v1/projects").await.ok(200).as_array().unwrap().len(), 1, "no project was created");
    assert_eq!(ada.get("/api/v1/pay/systems").await.ok(200), json!([]));
}

// ---------------------------------------------------------------------------------------------
// Hours.

/// Hours logged over the API are the CLI's report and balance; a correction keeps the old
/// value and shows in the report; leave is taken and cancelled.
#[tokio::test]
async fn hours_logged_over_the_api_are_reported_as_the_cli_reports_them() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    let ben = Caller::signed_in(&coop, &coop.member).await;
    let doc = ben.get("/api/v1/openapi.json").await.ok(200);

    let site = ada.post("/api/v1/projects", json!({"name": "Site", "client": "Bakery"})).await.ok(201);
    matches_schema(&doc, "ProjectView", &site);
    assert_eq!(site, json!({"id": site["id"], "name": "Site", "client": "Bakery", "billable": true, "hours": "0.00"}));
    ada.post("/api/v1/projects", json!({"name": "site"})).await.assert_error(409, None);

    // An admin creates a kind of work by logging it; a member then uses it.
    let first = ada
        .log(json!({"member": coop.member.email, "date": "2025-03-10", "hours": "7:30", "project": "Site", "category": "Design", "create_unknown": true}))
        .await;
    matches_schema(&doc, "LoggedEntry", &first);
    assert_eq!(first["member_id"], coop.member.id);
    assert_eq!(first["hours"], "7.50");
    assert_eq!(first["day_total"], "7.50");
    let second = ben.log(json!({"date": "2025-03-10", "hours": "1h20m", "project": "site", "category": "design", "note": "fonts"})).await;
    assert_eq!(second["day_total"], "8.83", "7:30 + 1:20 = 8:50, 8.83 hours");
    ben.log(json!({"date": "2025-04-01", "hours": "2"})).await;
    ada.log(json!({"date": "2025-03-11", "hours": "6"})).await;
    ada.log(json!({"date": "2024-12-31", "hours": "3"})).await;

    let report = ben.report(2025).await;
    assert_eq!(
        report,
        json!([
            {"email": "ada@example.org", "hours": "6.00", "by_category": {"(none)": "6.00"}},
            {"email": "ben@example.org", "hours": "10.83", "by_category": {"(none)": "2.00", "Design": "8.83"}},
        ])
    );
    matches_schema(&doc, "HoursRow", &report[0]);
    assert_eq!(report, cli_json(&coop, &["hours", "report", "--year", "2025", "--json"]), "the API's report is `coop hours report --json`");
    assert_eq!(ben.report(2024).await, json!([{"email": "ada@example.org", "hours": "3.00", "by_category": {"(none)": "3.00"}}]));
    let projects = ben.get("/api/v1/projects").await.ok(200);
    assert_eq!(projects[0]["hours"], "8.83");

    // A commitment and the balance, as `coop hours balance --json` has it.
    let set = ada.put(&format!("/api/v1/commitments/{}/2025", coop.member.id), json!({"hours": "1560", "leave_weeks": 4})).await.ok(200);
    matches_schema(&doc, "CommitmentView", &set);
    assert_eq!(set, json!({"member_id": coop.member.id, "year": 2025, "declared": "1560.00", "leave_weeks": 4}));
    let balance = ben.get("/api/v1/hours/balance?year=2025&on=2025-03-31").await.ok(200);
    matches_schema(&doc, "Balance", &balance);
    assert_eq!(balance["member_id"], coop.member.id);
    assert_eq!(balance["worked"], "8.83");
    let cli = cli_json(&coop, &["hours", "balance", &coop.member.email, "--year", "2025", "--on", "2025-03-31", "--json"]);
    for key in ["declared", "expected_to_date", "worked", "balance"] {
        assert_eq!(balance[key], cli[key], "{key}: the API's balance is the CLI's");
    }
    let by_admin = ada.get(&format!("/api/v1/hours/balance?member={}&on=2025-03-31", coop.member.id)).await.ok(200);
    assert_eq!(by_admin, balance, "`member` by id, the year from `on`");
    ben.get(&format!("/api/v1/hours/balance?member={}&year=2025", coop.admin.email)).await.assert_error(404, None);

    // A correction keeps the old value.
    let k = ben.post(&format!("/api/v1/hours/entries/{}/corrections", second["id"]), json!({"hours": "2", "reason": "forgot the logo"})).await.ok(201);
    matches_schema(&doc, "CorrectionView", &k);
    assert_eq!((k["old_hours"].as_str(), k["new_hours"].as_str(), k["settled_in"].clone()), (Some("1.33"), Some("2.00"), Value::Null));
    ada.post(&format!("/api/v1/hours/entries/{}/corrections", 999), json!({"hours": "2", "reason": "x"})).await.assert_error(404, None);
    let trail = ada.get("/api/v1/hours/corrections").await.ok(200);
    assert_eq!(trail.as_array().unwrap().len(), 1);
    assert_eq!(trail[0]["reason"], "forgot the logo");
    assert_eq!(ben.report(2025).await[1]["by_category"]["Design"], "9.50");

    // Leave: working days only, cancelled one day at a time.
    let leave = ben.post("/api/v1/leave", json!({"from": "2025-03-14", "to": "2025-03-17", "note": "wedding"})).await.ok(201);
    matches_schema(&doc, "LeaveTaken", &leave);
    assert_eq!(leave, json!({"member_id": coop.member.id, "days": ["2025-03-14", "2025-03-17"]}), "the weekend is skipped");
    assert_eq!(ben.post("/api/v1/leave", json!({"from": "2025-03-14"})).await.ok(200)["days"], json!([]), "already recorded");
    assert_eq!(ben.delete(&format!("/api/v1/leave/{}/2025-03-17", coop.member.id)).await.status, 204);
    ben.delete(&format!("/api/v1/leave/{}/2025-03-17", coop.member.id)).await.assert_error(404, None);
    ben.delete(&format!("/api/v1/leave/{}/2025-03-14", coop.admin.id)).await.assert_error(403, None);
    ben.delete(&format!("/api/v1/leave/{}/someday", coop.member.id)).await.assert_error(422, Some("date"));
    let with_leave = ben.get("/api/v1/hours/balance?year=2025&on=2025-03-31").await.ok(200);
    assert_ne!(with_leave["leave_taken"], "0.00", "a day of leave counts: {with_leave}");

    // A project patched: absent keys stay, null clears the client.
    let internal = ada.patch("/api/v1/projects/SITE", json!({"billable": false})).await.ok(200);
    assert_eq!((internal["client"].as_str(), internal["billable"].as_bool()), (Some("Bakery"), Some(false)));
    let cleared = ada.patch("/api/v1/projects/Site", json!({"client": null})).await.ok(200);
    assert_eq!((cleared["client"].clone(), cleared["billable"].as_bool()), (Value::Null, Some(false)));
    ada.patch("/api/v1/projects/Nope", json!({"billable": true})).await.assert_error(404, None);
}

/// An import is all or nothing: a bad line refuses the file, naming the line, and nothing is
/// imported (no entry, no project, no journal entry); a dry run writes nothing; the good file
/// then imports whole.
#[tokio::test]
async fn an_import_is_all_or_nothing() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    let doc = ada.get("/api/v1/openapi.json").await.ok(200);
    let before = ada.head().await;

    let bad = "email,date,hours,project,category,note\n\
               ada@example.org,2025-03-10,7.5,Site,Design,mockups\n\
               ben@example.org,2025-03-10,2:00,Site,,\n\
               ben@example.org,2025-03-11,a lot,Site,Design,\n";
    let error = ada.post("/api/v1/hours/import", json!({"csv": bad})).await.error_text(422, Some("csv"));
    assert!(error.starts_with("line 4:"), "the message names the file's line: {error:?}");
    assert_eq!(ada.head().await, before, "nothing written");
    assert_eq!(ada.report(2025).await, json!([]));
    assert_eq!(ada.get("/api/v1/projects").await.ok(200), json!([]), "no project created by a refused file");

    // Over 24 hours on a day, counting the file's earlier lines, is refused the same way.
    let long_day = "email,date,hours\nben@example.org,2025-03-10,20\nben@example.org,2025-03-10,5\n";
    let error = ada.post("/api/v1/hours/import", json!({"csv": long_day})).await.error_text(422, Some("csv"));
    assert!(error.starts_with("line 3:"), "{error:?}");
    // Refusing unknown names instead of creating them.
    let error = ada.post("/api/v1/hours/import", json!({"csv": bad.replace("a lot", "1"), "create_unknown": false})).await.error_text(422, Some("csv"));
    assert!(error.starts_with("line 2:"), "{error:?}");
    // A file whose tool cannot be told from its header: the body's `format` says.
    let error = ada.post("/api/v1/hours/import", json!({"csv": "who,when,how long\nada,monday,1\n"})).await.error_text(422, Some("csv"));
    assert!(error.starts_with("line 1:") && error.contains("\"format\""), "{error:?}");
    assert_eq!(ada.head().await, before);

    let good = bad.replace("a lot", "1.25");
    let dry = ada.post("/api/v1/hours/import", json!({"csv": good, "dry_run": true, "map_kinds": {"Design": "Graphic design"}})).await.ok(200);
    matches_schema(&doc, "ImportReport", &dry);
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["format"], "generic");
    assert_eq!((dry["rows"].as_u64(), dry["would_import"].as_u64(), dry["hours"].as_str()), (Some(3), Some(3), Some("10.75")));
    assert_eq!(dry["created_projects"], json!(["Site"]));
    assert_eq!(dry["created_categories"], json!(["Graphic design"]), "the mapping renames the file's kind");
    assert_eq!(ada.head().await, before, "a dry run writes nothing");

    let done = ada.post("/api/v1/hours/import", json!({"csv": good, "format": "generic", "map_kinds": {"Design": "Graphic design"}})).await.ok(201);
    assert_eq!((done["dry_run"].as_bool(), done["would_import"].as_u64()), (Some(false), Some(3)));
    assert_eq!(done["sha256"], dry["sha256"]);
    assert_eq!(
        ada.report(2025).await,
        json!([
            {"email": "ada@example.org", "hours": "7.50", "by_category": {"Graphic design": "7.50"}},
            {"email": "ben@example.org", "hours": "3.25", "by_category": {"(none)": "2.00", "Graphic design": "1.25"}},
        ])
    );
    // The same file again: every line looks like a duplicate (a dry run says so).
    let again = ada.post("/api/v1/hours/import", json!({"csv": good, "dry_run": true})).await.ok(200);
    assert_eq!(again["duplicates"], json!([2, 3, 4]));
}

// ---------------------------------------------------------------------------------------------
// Pay.

/// A pay system proposed and voted through over the API; a month's pay to the cent; approval
/// seals the run and locks the month; the payroll CSV; a correction to the locked month is paid
/// by the next run.
#[tokio::test]
async fn a_pay_system_voted_through_pays_a_month_to_the_cent_and_approval_locks_it() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    let ben = Caller::signed_in(&coop, &coop.member).await;
    let doc = ada.get("/api/v1/openapi.json").await.ok(200);

    // The class that governs the rules decides the pay system.
    let class = ada.put("/api/v1/classes/ordinary", json!({"rule": majority(), "eligible": ["member"], "governs_rules": true})).await.ok(200);
    assert_eq!(class["result"], "applied", "{class}");
    ada.get(&format!("/api/v1/pay/runs/{MONTH}")).await.assert_error(409, None);

    let proposed = ada.post("/api/v1/pay/systems", json!({"system": equal_pay(), "from": MONTH})).await.ok(201);
    matches_schema(&doc, "PaySystemView", &proposed);
    matches_schema(&doc, "EqualHourlyBasis", &proposed["system"]["basis"]);
    assert_eq!(proposed["status"], "pending");
    assert_eq!(proposed["effective_from"], "2025-03-01");
    assert_eq!(proposed["system"], equal_pay(), "the system reads back as proposed");
    let proposal = proposed["proposal_id"].as_i64().expect("a proposal to vote on");
    assert_eq!(ada.get(&format!("/api/v1/proposals/{proposal}")).await.ok(200)["class"], "ordinary");
    ada.get(&format!("/api/v1/pay/runs/{MONTH}")).await.assert_error(409, None);

    ada.post(&format!("/api/v1/proposals/{proposal}/votes"), json!({"choice": "yes"})).await.ok(200);
    // The last eligible vote closes the proposal.
    let last = ben.post(&format!("/api/v1/proposals/{proposal}/votes"), json!({"choice": "yes"})).await.ok(200);
    assert_eq!(last["closed_with"], "passed", "{last}");
    assert_eq!(ben.get(&format!("/api/v1/proposals/{proposal}")).await.ok(200)["status"], "passed");
    let systems = ben.get("/api/v1/pay/systems").await.ok(200);
    assert_eq!(systems.as_array().unwrap().len(), 1);
    assert_eq!(systems[0]["status"], "adopted", "the vote adopted it: {systems}");
    assert_eq!(systems[0]["version"], proposed["version"]);

    // The month's work: a billable project and an internal one, not paid under this system.
    ada.post("/api/v1/projects", json!({"name": "Bakery site", "client": "The Bakery"})).await.ok(201);
    ada.post("/api/v1/projects", json!({"name": "Admin", "billable": false})).await.ok(201);
    ada.log(json!({"date": "2025-03-10", "hours": "7.50", "project": "Bakery site"})).await;
    let bens = ben.log(json!({"date": "2025-03-11", "hours": "1:20", "project": "Bakery site"})).await;
    ben.log(json!({"date": "2025-03-12", "hours": "2", "project": "Admin"})).await;

    // Hand-computed: Ada 7.5 h x 19.99 = 149.925, an exact half cent, rounded away from zero
    // to 149.93; Ben 80 min x 19.99 / 60 = 26.6533... -> 26.65, his 2 internal hours unpaid.
    let draft = ben.get(&format!("/api/v1/pay/runs/{MONTH}")).await.ok(200);
    matches_schema(&doc, "PayRunView", &draft);
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["pay_system_version"], proposed["version"]);
    let (a, b) = (member(&draft, "ada@example.org"), member(&draft, "ben@example.org"));
    matches_schema(&doc, "PayRunMember", a);
    matches_schema(&doc, "PayLine", &a["lines"][0]);
    assert_eq!((a["gross"].as_str(), a["paid_hours"].as_str(), a["total"].as_str()), (Some("149.93"), Some("7.50"), Some("149.93")));
    assert_eq!((b["gross"].as_str(), b["paid_hours"].as_str(), b["total"].as_str()), (Some("26.65"), Some("1.33"), Some("26.65")));
    assert_eq!((draft["total"].as_str(), draft["total_cents"].as_i64()), (Some("176.58"), Some(17658)));
    assert_eq!(draft["members"].as_array().unwrap().len(), 2, "Cleo worked nothing and was not in the co-op then: {draft}");

    // Not approved: no CSV for payroll yet, and only an admin approves.
    ada.get(&format!("/api/v1/pay/runs/{MONTH}/csv")).await.assert_error(409, None);
    ben.post(&format!("/api/v1/pay/runs/{MONTH}/approve"), json!({})).await.assert_error(403, None);

    let approved = ada.post(&format!("/api/v1/pay/runs/{MONTH}/approve"), json!({})).await.ok(200);
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["total_cents"], 17658);
    assert_eq!(approved["approved_by"], format!("member:{}", coop.admin.id));
    assert!(approved["sealed_hash"].as_str().is_some_and(|h| h.len() == 64), "sealed: {approved}");
    assert_eq!(ben.get(&format!("/api/v1/pay/runs/{MONTH}")).await.ok(200), approved, "the approved run reads back as approved");
    ada.post(&format!("/api/v1/pay/runs/{MONTH}/approve"), json!({})).await.assert_error(409, None);
    let verify = ada.get("/api/v1/journal/verify").await.ok(200);
    assert_eq!(verify["ok"], true, "{verify}");

    // The month is locked: no new hours, no leave; a correction is the way.
    let before = ada.head().await;
    ben.post("/api/v1/hours", json!({"date": "2025-03-20", "hours": "1", "project": "Bakery site"})).await.assert_error(409, None);
    ada.put(&format!("/api/v1/commitments/{}/2025", coop.member.id), json!({"hours": "1560", "leave_weeks": 4})).await.ok(200);
    let after_commitment = ada.head().await;
    assert_ne!(after_commitment, before);
    ben.post("/api/v1/leave", json!({"from": "2025-03-20"})).await.assert_error(409, None);
    ada.put(&format!("/api/v1/kinds/Design/rates/{MONTH}"), json!({"rate": "30.00"})).await.assert_error(409, None);
    assert_eq!(ada.head().await, after_commitment, "the refusals wrote nothing");
    assert_eq!(ada.report(2025).await[1]["hours"], "3.33", "Ben's hours are as approved");

    // The payroll CSV, exactly.
    let csv = ada.get(&format!("/api/v1/pay/runs/{MONTH}/csv")).await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    assert!(csv.header("content-type").unwrap_or_default().starts_with("text/csv"), "{}", csv.header("content-type").unwrap_or_default());
    assert!(csv.header("content-disposition").unwrap_or_default().contains("pay-run-2025-03.csv"));
    assert_eq!(
        csv.text,
        "email,name,month,paid_hours,gross,adjustments,total\n\
         ada@example.org,Ada Admin,2025-03,7.50,149.93,0.00,149.93\n\
         ben@example.org,Ben Baker,2025-03,1.33,26.65,0.00,26.65\n"
    );

    // Ben's 1:20 was 2:00: 120 min x 19.99 / 60 = 39.98, paid 26.65, so April pays 13.33.
    let k = ben.post(&format!("/api/v1/hours/entries/{}/corrections", bens["id"]), json!({"hours": "2:00", "reason": "timer stopped early"})).await.ok(201);
    let april = ada.post("/api/v1/pay/runs/2025-04/approve", json!({})).await.ok(200);
    let b = member(&april, "ben@example.org");
    matches_schema(&doc, "Adjustment", &b["adjustments"][0]);
    assert_eq!(b["adjustments"], json!([{"month": MONTH, "amount_cents": 1333, "corrections": [k["id"]]}]));
    assert_eq!((b["gross"].as_str(), b["total"].as_str()), (Some("0.00"), Some("13.33")));
    assert_eq!(april["total_cents"], 1333);
    let trail = ada.get("/api/v1/hours/corrections").await.ok(200);
    assert!(trail[0]["settled_in"].as_i64().is_some(), "the April run settled it: {trail}");
    let runs = ben.get("/api/v1/pay/runs").await.ok(200);
    assert_eq!(runs.as_array().unwrap().iter().map(|r| r["month"].as_str().unwrap()).collect::<Vec<_>>(), vec!["2025-04", MONTH], "newest first");
    let april_csv = ada.get("/api/v1/pay/runs/2025-04/csv").await;
    assert_eq!(april_csv.text, "email,name,month,paid_hours,gross,adjustments,total\nben@example.org,Ben Baker,2025-04,0.00,0.00,13.33,13.33\n");
}

/// Rates of kinds of work are versioned by month, and a system recorded against a proposal
/// that has passed applies at once.
#[tokio::test]
async fn kind_rates_and_a_system_recorded_against_a_passed_proposal() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    let doc = ada.get("/api/v1/openapi.json").await.ok(200);
    ada.log(json!({"date": "2025-03-10", "hours": "2", "category": "Programming", "create_unknown": true})).await;

    let rate = ada.put("/api/v1/kinds/programming/rates/2025-03", json!({"rate": "50.00", "weight": "1.5"})).await.ok(200);
    matches_schema(&doc, "KindRateView", &rate);
    assert_eq!(rate, json!({"kind": "programming", "effective_from": "2025-03-01", "rate": "50.00", "weight": "1.50"}));
    ada.put("/api/v1/kinds/Programming/rates/2025-06", json!({"rate": null})).await.ok(200);
    let rates = ada.get("/api/v1/kinds/rates").await.ok(200);
    assert_eq!(rates.as_array().unwrap().len(), 2, "{rates}");
    assert!(rates.as_array().unwrap().iter().any(|r| r["rate"].is_null() && r["weight"] == "1.00"), "a general rate, weight 1 by default: {rates}");

    // A proposal decided by the members (here: opened and voted directly) adopts the system.
    ada.put("/api/v1/classes/ordinary", json!({"rule": majority(), "governs_rules": true})).await.ok(200);
    let opened = ada.post("/api/v1/proposals", json!({"class": "ordinary", "title": "Pay by kind of work"})).await.ok(201);
    let id = opened["id"].as_i64().unwrap();
    let by_kind = json!({"basis": {"kind": "by_kind", "general_rate": "20.00", "internal_paid": true}, "bonus_pool": null, "max_ratio": "3:1"});
    ada.post("/api/v1/pay/systems", json!({"system": by_kind, "from": MONTH, "adopted_by": id})).await.assert_error(422, Some("adopted_by"));
    ada.post(&format!("/api/v1/proposals/{id}/votes"), json!({"choice": "yes"})).await.ok(200);
    ada.post(&format!("/api/v1/proposals/{id}/close"), json!({})).await.ok(200);
    let recorded = ada.post("/api/v1/pay/systems", json!({"system": by_kind, "from": MONTH, "adopted_by": id})).await.ok(201);
    assert_eq!((recorded["status"].as_str(), recorded["proposal_id"].as_i64()), (Some("adopted"), Some(id)));
    assert_eq!(recorded["system"], by_kind);
    matches_schema(&doc, "ByKindBasis", &recorded["system"]["basis"]);

    // 2 h of programming at its own rate, 50.00: 100.00.
    let run = ada.get(&format!("/api/v1/pay/runs/{MONTH}")).await.ok(200);
    assert_eq!(member(&run, "ada@example.org")["gross"], "100.00", "{run}");
}

// ---------------------------------------------------------------------------------------------
// Entries over a range.

/// The entries listed for a range are what was logged, by date then id; a member reads only
/// their own, an admin anyone's; bad dates, too long a range and unknown names are 422 naming
/// the field; an approved pay run locks the month's entries, and a correction shows on its entry.
#[tokio::test]
async fn time_entries_are_listed_as_logged_and_locked_once_the_month_is_paid() {
    let coop = TestCoop::start();
    let ada = Caller::signed_in(&coop, &coop.admin).await;
    let ben = Caller::signed_in(&coop, &coop.member).await;
    let doc = ada.get("/api/v1/openapi.json").await.ok(200);
    ada.post("/api/v1/projects", json!({"name": "Bakery site"})).await.ok(201);
    ada.post("/api/v1/projects", json!({"name": "Admin", "billable": false})).await.ok(201);
    let kind = ada.log(json!({"date": "2025-03-10", "hours": "1", "category": "Design", "create_unknown": true})).await;
    let late = ben.log(json!({"date": "2025-04-01", "hours": "2", "project": "Admin", "note": "april"})).await;
    let second = ben.log(json!({"date": "2025-03-11", "hours": "7:30", "project": "Bakery site", "category": "Design", "note": "the till"})).await;
    let first = ben.log(json!({"date": "2025-03-10", "hours": "1.25", "note": ""})).await;
    let third = ben.log(json!({"date": "2025-03-11", "hours": "0.5", "project": "Admin", "note": "stand-up"})).await;
    ben.log(json!({"date": "2025-02-28", "hours": "3"})).await;

    let range = "from=2025-03-01&to=2025-04-30";
    let listed = ben.get(&format!("/api/v1/hours/entries?{range}")).await.ok(200);
    for e in listed.as_array().unwrap() {
        matches_schema(&doc, "TimeEntryView", e);
    }
    let ids: Vec<i64> = listed.as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [&first, &second, &third, &late].map(|e| e["id"].as_i64().unwrap()), "by date, then id: {listed}");
    assert_eq!(
        listed[1],
        json!({"id": second["id"], "member_id": coop.member.id, "date": "2025-03-11", "hours": "7.50", "project": "Bakery site",
               "category": "Design", "note": "the till", "source": "manual", "locked": false, "corrections": []})
    );
    assert_eq!((listed[0]["hours"].as_str(), listed[0]["project"].as_str(), listed[0]["category"].as_str()), (Some("1.25"), None, None));
    assert_eq!((listed[2]["hours"].as_str(), listed[2]["note"].as_str()), (Some("0.50"), Some("stand-up")));
    // Named by email or id, the same; one project only, in any case.
    let mine = ada.get(&format!("/api/v1/hours/entries?member=ben@example.org&{range}")).await.ok(200);
    assert_eq!(mine, listed, "an admin reads anyone's");
    assert_eq!(ada.get(&format!("/api/v1/hours/entries?member={}&{range}", coop.member.id)).await.ok(200), listed);
    let admin_only = ben.get(&format!("/api/v1/hours/entries?{range}&project=admin")).await.ok(200);
    assert_eq!(admin_only.as_array().unwrap().iter().map(|e| e["id"].clone()).collect::<Vec<_>>(), vec![third["id"].clone(), late["id"].clone()]);
    // The caller's own by default; Ada's one entry is not Ben's.
    let adas = ada.get(&format!("/api/v1/hours/entries?{range}")).await.ok(200);
    assert_eq!(adas.as_array().unwrap().iter().map(|e| e["id"].clone()).collect::<Vec<_>>(), vec![kind["id"].clone()]);
    // A month by default: `from` alone is its month.
    assert_eq!(ben.get("/api/v1/hours/entries?from=2025-04-01").await.ok(200).as_array().unwrap().len(), 1);

    // A member reads only their own.
    let refused = ben.get(&format!("/api/v1/hours/entries?member=ada@example.org&{range}")).await;
    refused.assert_error(403, None);
    ben.get(&format!("/api/v1/hours/entries?member={}&{range}", coop.admin.id)).await.assert_error(403, None);

    let cases: Vec<(Answer, &str)> = vec![
        (ben.get("/api/v1/hours/entries?from=2025-02-30&to=2025-03-31").await, "from"),
        (ben.get("/api/v1/hours/entries?from=2025-03-01&to=soon").await, "to"),
        (ben.get("/api/v1/hours/entries?from=2025-03-10&to=2025-03-09").await, "to"),
        (ben.get("/api/v1/hours/entries?from=2025-01-01&to=2026-01-02").await, "to"),
        (ada.get(&format!("/api/v1/hours/entries?member=nobody@example.org&{range}")).await, "member"),
        (ada.get(&format!("/api/v1/hours/entries?member=999&{range}")).await, "member"),
        (ben.get(&format!("/api/v1/hours/entries?{range}&project=Nope")).await, "project"),
    ];
    for (answer, field) in &cases {
        answer.assert_error(422, Some(field));
    }
    // 366 days is the limit, not beyond.
    assert_eq!(ben.get("/api/v1/hours/entries?from=2024-03-11&to=2025-03-11").await.ok(200).as_array().unwrap().len(), 4);

    // March paid: its entries are locked, April's are not; a correction shows on its entry.
    ada.put("/api/v1/classes/ordinary", json!({"rule": majority(), "eligible": ["member"], "governs_rules": true})).await.ok(200);
    let proposal = ada.post("/api/v1/pay/systems", json!({"system": equal_pay(), "from": "2025-01"})).await.ok(201)["proposal_id"].as_i64().unwrap();
    ada.post(&format!("/api/v1/proposals/{proposal}/votes"), json!({"choice": "yes"})).await.ok(200);
    ben.post(&format!("/api/v1/proposals/{proposal}/votes"), json!({"choice": "yes"})).await.ok(200);
    ada.post(&format!("/api/v1/pay/runs/{MONTH}/approve"), json!({})).await.ok(200);
    ben.post(&format!("/api/v1/hours/entries/{}/corrections", second["id"]), json!({"hours": "6", "reason": "typo"})).await.ok(201);
    let listed = ben.get(&format!("/api/v1/hours/entries?{range}")).await.ok(200);
    let locked: Vec<bool> = listed.as_array().unwrap().iter().map(|e| e["locked"].as_bool().unwrap()).collect();
    assert_eq!(locked, [true, true, true, false], "{listed}");
    assert_eq!(listed[1]["hours"], "6.00");
    let k = &listed[1]["corrections"];
    assert_eq!(k.as_array().unwrap().len(), 1, "{listed}");
    matches_schema(&doc, "CorrectionView", &k[0]);
    assert_eq!((k[0]["old_hours"].as_str(), k[0]["new_hours"].as_str(), k[0]["reason"].as_str()), (Some("7.50"), Some("6.00"), Some("typo")));
    assert!(listed.as_array().unwrap().iter().enumerate().all(|(i, e)| i == 1 || e["corrections"] == json!([])));
    assert_eq!(ben.get("/api/v1/hours/entries?from=2025-02-01&to=2025-02-28").await.ok(200)[0]["locked"], false, "February was not paid");
}
