//! Black-box tests of the pay commands: a pay system proposed and adopted by the members' vote,
//! a month's run to the cent, approval that locks the month, the payroll CSV, a correction
//! settled by the next run, rates by kind of work, leave, projects and import mappings. Each
//! drives the real binary on a fresh data directory; a refusal is one `error:` line and exit 1.

mod common;

use common::cli::{fails, json_of, ok};
use serde_json::Value;
use tempfile::TempDir;

fn member<'a>(run: &'a Value, email: &str) -> &'a Value {
    run["members"].as_array().unwrap().iter().find(|m| m["email"] == email).unwrap_or_else(|| panic!("{email} not in {run}"))
}

/// Two members and a majority class; the pay system (rates by kind, general 25.00, internal
/// projects paid) adopted from January 2026 by both members' votes.
fn coop_with_pay() -> TempDir {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    ok(d, &["init", "--name", "Pay Co"]);
    for (name, email) in [("Ana", "ana@example.coop"), ("Ben", "ben@example.coop")] {
        ok(d, &["member", "add", "--name", name, "--email", email, "--state", "member", "--since", "2025-01-06"]);
    }
    ok(d, &["class", "set", "general", "--rule-json", r#"{"kind":"vote","threshold":"1/2","strict":true,"base":"cast","quorum":null}"#]);
    let file = d.join("system.json");
    std::fs::write(&file, r#"{"basis":{"kind":"by_kind","general_rate":"25.00","internal_paid":true},"max_ratio":"3:1"}"#).unwrap();
    let proposed = json_of(d, &["pay", "system", "propose", file.to_str().unwrap(), "--from", "2026-01", "--json"]);
    assert_eq!(proposed["status"], "pending");
    let id = proposed["proposal"].to_string();
    fails(d, &["pay", "run", "--month", "2026-02"]);
    for email in ["ana@example.coop", "ben@example.coop"] {
        ok(d, &["vote", &id, "--member", email, "--choice", "yes"]);
    }
    let systems = json_of(d, &["pay", "system", "list", "--json"]);
    assert_eq!(systems[0]["status"], "adopted", "{systems}");
    dir
}

#[test]
fn a_month_is_paid_approved_exported_and_corrected() {
    let dir = coop_with_pay();
    let d = dir.path();
    ok(d, &["project", "add", "Bakery POS", "--client", "Bakery"]);
    ok(d, &["project", "add", "Co-op admin", "--internal"]);
    assert!(fails(d, &["project", "add", "bakery pos"]).contains("already"));
    let entry = json_of(d, &["hours", "log", "--member", "ana@example.coop", "--date", "2026-02-02", "--hours", "6", "--project", "Bakery POS", "--category", "Programming", "--json"]);
    ok(d, &["hours", "log", "--member", "ana@example.coop", "--date", "2026-02-03", "--hours", "2", "--project", "Co-op admin"]);
    ok(d, &["hours", "log", "--member", "ben@example.coop", "--date", "2026-02-02", "--hours", "7.5", "--project", "Bakery POS", "--category", "Support"]);
    ok(d, &["kind", "rate", "Programming", "--from", "2026-02", "--rate", "50.00", "--weight", "1.5"]);
    let rates = json_of(d, &["kind", "rates", "--json"]);
    assert_eq!((rates[0]["rate"].as_str(), rates[0]["weight"].as_str()), (Some("50.00"), Some("1.50")));
    // Ana: 6 h programming x 50.00 + 2 h internal x 25.00 = 350.00; Ben: 7.5 h x 25.00 = 187.50.
    let run = json_of(d, &["pay", "run", "--month", "2026-02", "--json"]);
    assert_eq!(member(&run, "ana@example.coop")["gross"], "350.00");
    assert_eq!(member(&run, "ben@example.coop")["gross"], "187.50");
    assert_eq!(run["total"], "537.50");
    assert_eq!(run["status"], "draft");
    assert!(fails(d, &["pay", "export", "--month", "2026-02"]).contains("not approved"));
    let approved = json_of(d, &["pay", "approve", "--month", "2026-02", "--json"]);
    assert_eq!(approved["status"], "approved");
    assert!(approved["sealed_hash"].as_str().is_some_and(|h| h.len() == 64));
    let csv = ok(d, &["pay", "export", "--month", "2026-02"]);
    assert_eq!(csv.lines().next(), Some("email,name,month,paid_hours,gross,adjustments,total"));
    assert!(csv.contains("ana@example.coop,Ana,2026-02,8.00,350.00,0.00,350.00"), "{csv}");
    // Locked: a new entry in February is refused; a correction is the way.
    assert!(fails(d, &["hours", "log", "--member", "ben@example.coop", "--date", "2026-02-04", "--hours", "1"]).contains("locked"));
    let entry_id = entry["id"].to_string();
    fails(d, &["hours", "correct", &entry_id, "--hours", "7", "--reason", " "]);
    ok(d, &["hours", "correct", &entry_id, "--hours", "7", "--reason", "a missed hour"]);
    let trail = json_of(d, &["hours", "corrections", "--json"]);
    assert_eq!((trail[0]["old_hours"].as_str(), trail[0]["new_hours"].as_str()), (Some("6.00"), Some("7.00")));
    // March settles the extra programming hour: +50.00.
    let march = json_of(d, &["pay", "run", "--month", "2026-03", "--json"]);
    let ana = member(&march, "ana@example.coop");
    assert_eq!(ana["adjustments"][0]["amount_cents"], 5000, "{march}");
    assert_eq!(ana["total"], "50.00");
    let out = ok(d, &["journal", "verify"]);
    assert!(out.starts_with("ok "), "{out}");
}

#[test]
fn leave_and_import_mappings() {
    let dir = coop_with_pay();
    let d = dir.path();
    fails(d, &["leave", "take", "ana@example.coop", "--from", "2026-03-02"]);
    ok(d, &["commitment", "set", "ana@example.coop", "--year", "2026", "--hours", "1305", "--leave-weeks", "1"]);
    let taken = json_of(d, &["leave", "take", "ana@example.coop", "--from", "2026-03-06", "--to", "2026-03-09", "--json"]);
    assert_eq!(taken["days"], serde_json::json!(["2026-03-06", "2026-03-09"]));
    // 1,305 h over 261 working days is 5 h a day: two days of leave count 10 h in the balance.
    let b = json_of(d, &["hours", "balance", "ana@example.coop", "--year", "2026", "--on", "2026-03-09", "--json"]);
    // Expected to 9 March: 48 working days (22 in January, 20 in February, 6 in March) x 5 h =
    // 240 h; worked 0; leave 10 h.
    assert_eq!((b["expected_to_date"].as_str(), b["balance"].as_str()), (Some("240.00"), Some("-230.00")), "{b}");
    assert!(fails(d, &["leave", "take", "ana@example.coop", "--from", "2026-04-01", "--to", "2026-04-07"]).contains("entitlement"));
    ok(d, &["leave", "cancel", "ana@example.coop", "--date", "2026-03-09"]);
    let b = json_of(d, &["hours", "balance", "ana@example.coop", "--year", "2026", "--on", "2026-03-09", "--json"]);
    assert_eq!(b["balance"], "-235.00");

    // Import with mappings: the file's "POS" is the co-op's "Bakery POS", "Dev" is "Programming".
    ok(d, &["project", "add", "Bakery POS"]);
    let csv = d.join("hours.csv");
    std::fs::write(&csv, "email,date,hours,project,category,note\nana@example.coop,2026-05-04,2,POS,Dev,\nben@example.coop,2026-05-04,3,Bakery POS,,\n").unwrap();
    let refused = fails(d, &["hours", "import", csv.to_str().unwrap(), "--format", "generic", "--no-new-names"]);
    assert!(refused.contains("line 2"), "{refused}");
    fails(d, &["hours", "import", csv.to_str().unwrap(), "--map-project", "POS"]);
    let report = json_of(d, &["hours", "import", csv.to_str().unwrap(), "--format", "generic", "--map-project", "POS=Bakery POS", "--map-kind", "Dev=", "--no-new-names", "--json"]);
    assert_eq!(report["would_import"], 2);
    assert_eq!(report["created_projects"], serde_json::json!([]));
    let projects = json_of(d, &["project", "list", "--json"]);
    assert_eq!(projects.as_array().unwrap().len(), 1, "{projects}");
    assert_eq!(projects[0]["hours"], "5.00");
}
