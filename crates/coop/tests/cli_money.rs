//! Black-box tests of the surplus and capital commands of the contract: `patronage run` (a
//! preview that changes nothing, then a commit that happens once), `capital show`, and `export
//! ledger` checked by `hledger check` and `bean-check`; plus notices, the equity check and the
//! seal. Each drives the real binary on a fresh data directory; a refusal is one `error:` line
//! and exit 1.

mod common;

use common::cli::{coop, fails, json_of, ok};
use serde_json::{json, Value};
use std::path::Path;
use tempfile::TempDir;

/// The number of journal entries, from `journal verify` ("ok N HASH").
fn journal_entries(dir: &Path) -> i64 {
    let out = ok(dir, &["journal", "verify"]);
    out.split_whitespace().nth(1).and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("journal verify said {out:?}"))
}

/// Three members since 2024 with 10, 8 and 6 hours in March 2025.
fn coop_with_hours() -> TempDir {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    ok(d, &["init", "--name", "Surplus Co"]);
    for (name, email, hours) in [("Ana", "ana@example.coop", "10"), ("Ben", "ben@example.coop", "8"), ("Cai", "cai@example.coop", "6")] {
        ok(d, &["member", "add", "--name", name, "--email", email, "--state", "member", "--since", "2024-01-01"]);
        ok(d, &["hours", "log", "--member", email, "--date", "2025-03-03", "--hours", hours]);
    }
    dir
}

const RUN: &[&str] = &["patronage", "run", "--year", "2025", "--surplus", "10000.01", "--reserve", "25%", "--cash", "20", "--basis", "hours", "--json"];

#[test]
fn patronage_run_previews_then_commits_once() {
    let dir = coop_with_hours();
    let d = dir.path();
    let before = journal_entries(d);
    let preview = json_of(d, RUN);
    assert_eq!(journal_entries(d), before, "a preview changes nothing");
    // 1000001 x 25% -> 250000, pool 750001; by hours 10:8:6 -> 312501, 250000, 187500.
    // Cash 20% rounded up: 62500.2 -> 62501; 50000; 37500. Retained = allocation - cash.
    assert_eq!(preview["year"], 2025);
    assert_eq!(preview["surplus_cents"], 1_000_001);
    assert_eq!(preview["reserve_cents"], 250_000);
    assert_eq!(preview["pool_cents"], 750_001);
    assert_eq!(preview["notice"], "qualified");
    let members: Vec<Value> = preview["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| json!({"email": m["email"], "patronage": m["patronage"], "allocation_cents": m["allocation_cents"], "cash_cents": m["cash_cents"], "retained_cents": m["retained_cents"]}))
        .collect();
    assert_eq!(
        members,
        vec![
            json!({"email": "ana@example.coop", "patronage": "10.00", "allocation_cents": 312_501, "cash_cents": 62_501, "retained_cents": 250_000}),
            json!({"email": "ben@example.coop", "patronage": "8.00", "allocation_cents": 250_000, "cash_cents": 50_000, "retained_cents": 200_000}),
            json!({"email": "cai@example.coop", "patronage": "6.00", "allocation_cents": 187_500, "cash_cents": 37_500, "retained_cents": 150_000}),
        ]
    );
    let capital = json_of(d, &["capital", "show", "ana@example.coop", "--json"]);
    assert_eq!(capital["balance_cents"], 0);
    assert_eq!(capital["entries"], json!([]));

    let mut commit: Vec<&str> = RUN.to_vec();
    commit.push("--commit");
    let committed = json_of(d, &commit);
    assert_eq!(committed["members"], preview["members"]);
    assert_eq!(committed["committed"], true);
    assert!(committed["sealed_hash"].is_string());
    let second = fails(d, &commit);
    assert!(second.contains("already committed"), "{second}");

    let capital = json_of(d, &["capital", "show", "ana@example.coop", "--json"]);
    assert_eq!(capital["balance_cents"], 250_000);
    let entries: Vec<Value> = capital["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| json!({"date": e["date"], "kind": e["kind"], "amount_cents": e["amount_cents"], "ref": e["ref"]}))
        .collect();
    assert_eq!(entries, vec![json!({"date": "2025-12-31", "kind": "allocation", "amount_cents": 250_000, "ref": "allocation:2025"})]);
    // The committed year shows as committed, and a later preview returns it unchanged.
    assert_eq!(json_of(d, RUN)["committed"], true);
    assert!(ok(d, &["capital", "equity"]).contains("balanced"));
    assert!(ok(d, &["journal", "verify"]).starts_with("ok "));
}

#[test]
fn a_loss_is_charged_by_patronage_with_no_cash() {
    let dir = coop_with_hours();
    let d = dir.path();
    let loss = json_of(
        d,
        &["patronage", "run", "--year", "2025", "--surplus", "-2400.00", "--reserve", "50", "--cash", "20", "--basis", "hours", "--commit", "--json"],
    );
    // 240000 of loss, half absorbed by the reserve; 120000 charged 10:8:6 = 50000, 40000, 30000.
    assert_eq!(loss["reserve_cents"], -120_000);
    assert_eq!(loss["pool_cents"], -120_000);
    assert_eq!(loss["notice"], "non_qualified");
    let charged: Vec<(i64, i64)> =
        loss["members"].as_array().unwrap().iter().map(|m| (m["allocation_cents"].as_i64().unwrap(), m["cash_cents"].as_i64().unwrap())).collect();
    assert_eq!(charged, vec![(-50_000, 0), (-40_000, 0), (-30_000, 0)]);
    assert_eq!(json_of(d, &["capital", "show", "ben@example.coop", "--json"])["balance_cents"], -40_000);
}

#[test]
fn bad_input_is_refused_with_one_line_and_changes_nothing() {
    let dir = coop_with_hours();
    let d = dir.path();
    let before = journal_entries(d);
    let reserve = fails(d, &["patronage", "run", "--year", "2025", "--surplus", "100.00", "--reserve", "120", "--cash", "20", "--basis", "hours", "--commit"]);
    assert!(reserve.starts_with("error: reserve:"), "{reserve}");
    assert!(fails(d, &["patronage", "run", "--year", "2025", "--surplus", "1.234", "--reserve", "25", "--cash", "20", "--basis", "hours"])
        .starts_with("error: surplus:"));
    assert!(fails(d, &["patronage", "run", "--year", "2025", "--surplus", "100", "--reserve", "25", "--cash", "20", "--basis", "stars"])
        .starts_with("error: basis:"));
    // The year is not over.
    assert!(fails(d, &["patronage", "run", "--year", "2026", "--surplus", "100", "--reserve", "25", "--cash", "20", "--basis", "hours", "--commit"])
        .contains("after the year is over"));
    fails(d, &["capital", "show", "nobody@example.coop", "--json"]);
    assert!(fails(d, &["export", "ledger", "--year", "2025", "--format", "xlsx"]).starts_with("error: format:"));
    assert_eq!(journal_entries(d), before);
}

/// Runs a ledger tool on `file`; without the tool the check is skipped, except in CI (`CI`
/// set), where `.ci/run` installs it and its absence is a failure.
fn check_with(tool: &str, args: &[&str], file: &Path) {
    let out = match std::process::Command::new(tool).args(args).arg(file).output() {
        Ok(o) => o,
        Err(e) => {
            assert!(std::env::var_os("CI").is_none(), "{tool} is missing in CI ({e}): .ci/run installs it");
            eprintln!("skipped: {tool} is not installed ({e})");
            return;
        }
    };
    assert!(out.status.success(), "{tool} refused {}: {}{}", file.display(), String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

#[test]
fn exports_pass_hledger_check_and_bean_check_and_notices_are_written() {
    let dir = coop_with_hours();
    let d = dir.path();
    ok(d, &["capital", "buy-in", "ana@example.coop", "--total", "3000", "--instalment", "50", "--from", "2025-01-15"]);
    ok(d, &["capital", "pay-in", "ana@example.coop", "--amount", "50", "--on", "2025-01-15"]);
    let mut commit: Vec<&str> = RUN.to_vec();
    commit.push("--commit");
    ok(d, &commit);
    ok(d, &["capital", "interest", "--year", "2025", "--rate", "5"]);
    let journal = d.join("coop.journal");
    ok(d, &["export", "ledger", "--year", "2025", "--format", "hledger", "--out", journal.to_str().unwrap()]);
    let text = std::fs::read_to_string(&journal).unwrap();
    assert!(text.contains("(allocation:2025)") && text.contains("Equity:Capital:M1") && text.contains("Assets:Bank"), "{text}");
    check_with("hledger", &["check", "--strict", "-f"], &journal);
    let bean = d.join("coop.beancount");
    std::fs::write(&bean, ok(d, &["export", "ledger", "--year", "2025", "--format", "beancount"])).unwrap();
    check_with("bean-check", &[], &bean);
    let csv = ok(d, &["export", "ledger", "--year", "2025", "--format", "csv"]);
    assert_eq!(csv.lines().next(), Some("date,ref,description,account,amount,currency"));
    let sum: i64 = csv
        .lines()
        .skip(1)
        .map(|l| {
            let amount = l.split(',').nth(4).unwrap();
            let (whole, cents) = amount.trim_start_matches('-').split_once('.').unwrap();
            let v = whole.parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap();
            if amount.starts_with('-') {
                -v
            } else {
                v
            }
        })
        .sum();
    assert_eq!(sum, 0, "every transaction balances, so the postings sum to zero");

    let notices = d.join("notices");
    let written = json_of(d, &["patronage", "notices", "--year", "2025", "--dir", notices.to_str().unwrap(), "--json"]);
    assert_eq!(written.as_array().unwrap().len(), 3);
    assert_eq!(written[0]["box1_cents"], 312_501);
    let html = std::fs::read_to_string(written[0]["html"].as_str().unwrap()).unwrap();
    assert!(html.contains("3125.01 USD") && html.contains("625.01 USD") && html.contains("box 1"), "{html}");
    assert!(std::fs::read(written[0]["pdf"].as_str().unwrap()).unwrap().starts_with(b"%PDF-"));
}

#[test]
fn tampering_with_a_committed_allocation_fails_journal_verify() {
    let dir = coop_with_hours();
    let d = dir.path();
    let mut commit: Vec<&str> = RUN.to_vec();
    commit.push("--commit");
    ok(d, &commit);
    assert!(ok(d, &["journal", "verify"]).starts_with("ok "));
    let sqlite3 = if Path::new("/usr/bin/sqlite3").exists() { "/usr/bin/sqlite3" } else { "sqlite3" };
    let status = std::process::Command::new(sqlite3)
        .arg(d.join("coop.db"))
        .arg("UPDATE cash_payments SET principal_cents = principal_cents + 1 WHERE member_id = 1")
        .status()
        .expect("sqlite3 is needed to tamper with the database");
    assert!(status.success());
    let out = coop(d).args(["journal", "verify"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("allocation"), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The year's net surplus from the accountant's income statement: a good file sets it, a bad line
/// changes nothing and names the line, and the typed amount still works.
#[test]
fn fiscal_year_surplus_is_imported_from_the_income_statement() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    ok(d, &["init", "--name", "Import Co"]);
    // income 10,000.00 + 250.50, expenses 3,000.00 + 0.75: net 7,249.75.
    let good = d.join("pl.csv");
    std::fs::write(&good, "account,amount,type\nSales,\"10,000.00\",income\nGrants,250.50,income\nRent,\"3,000.00\",expense\nFees,0.75,expense\n").unwrap();
    let bad = d.join("bad.csv");
    std::fs::write(&bad, "account,amount,type\nSales,\"10,000.00\",income\nRent,3000,expense\nFees,0.75,costs\n").unwrap();
    let good = good.to_str().unwrap();
    let bad = bad.to_str().unwrap();

    let before = journal_entries(d);
    let err = fails(d, &["fiscal-year", "surplus", "--year", "2025", "--from-csv", bad, "--json"]);
    assert!(err.contains("line 4: \"costs\" is not a type"), "{err}");
    assert_eq!(journal_entries(d), before, "a bad line changes nothing");
    assert_eq!(json_of(d, &["fiscal-year", "list", "--json"]), json!([]));

    let v = json_of(d, &["fiscal-year", "surplus", "--year", "2025", "--from-csv", good, "--json"]);
    assert_eq!(
        (v["year"].as_i64(), v["surplus_cents"].as_i64(), v["net_cents"].as_i64(), v["lines"].as_i64()),
        (Some(2025), Some(724_975), Some(724_975), Some(4))
    );
    assert_eq!(v["status"], "open");
    assert_eq!(journal_entries(d), before + 1);
    let text = ok(d, &["fiscal-year", "surplus", "--year", "2025", "--from-csv", good]);
    assert!(text.contains("surplus 7249.75") && text.contains("4 lines"), "{text}");

    // A bad file later leaves the surplus as it was.
    let err = fails(d, &["fiscal-year", "surplus", "2025", "--from-csv", bad]);
    assert!(err.contains("line 4: "), "{err}");
    let years = json_of(d, &["fiscal-year", "list", "--json"]);
    assert_eq!(years[0]["surplus_cents"], 724_975);

    // The typed spelling still works, and the two are exclusive.
    let typed = json_of(d, &["fiscal-year", "surplus", "2025", "--amount", "-12.50", "--json"]);
    assert_eq!(typed["surplus_cents"], -1250);
    let out = coop(d).args(["fiscal-year", "surplus", "2025", "--amount", "1.00", "--from-csv", good]).output().unwrap();
    assert!(!out.status.success());
    let out = coop(d).args(["fiscal-year", "surplus", "--year", "2025"]).output().unwrap();
    assert!(!out.status.success());

    // An unreadable file and an empty statement are refused too.
    let missing = d.join("missing.csv");
    assert!(fails(d, &["fiscal-year", "surplus", "--year", "2025", "--from-csv", missing.to_str().unwrap()]).contains("cannot read"));
    let empty = d.join("empty.csv");
    std::fs::write(&empty, "account,amount\n").unwrap();
    assert!(fails(d, &["fiscal-year", "surplus", "--year", "2025", "--from-csv", empty.to_str().unwrap()]).contains("line 1: "));
    assert_eq!(json_of(d, &["fiscal-year", "list", "--json"])[0]["surplus_cents"], -1250);
}

/// `capital payments` lists a committed year's cash instalments; `capital pay-instalment`
/// marks one paid, once, not on a day still to come; the ledger books it on that day.
#[test]
fn a_cash_instalment_is_marked_paid_once() {
    let dir = coop_with_hours();
    let d = dir.path();
    let mut commit = RUN.to_vec();
    commit.push("--commit");
    json_of(d, &commit);
    let payments = json_of(d, &["capital", "payments", "--year", "2025", "--json"]);
    let list = payments.as_array().unwrap();
    // Cash 62501, 50000 and 37500, each paid once on the deadline.
    let seen: Vec<(&str, i64, &str)> =
        list.iter().map(|p| (p["email"].as_str().unwrap(), p["payment_cents"].as_i64().unwrap(), p["due"].as_str().unwrap())).collect();
    assert_eq!(seen, vec![("ana@example.coop", 62_501, "2026-09-15"), ("ben@example.coop", 50_000, "2026-09-15"), ("cai@example.coop", 37_500, "2026-09-15")]);
    assert!(list.iter().all(|p| p["paid_on"].is_null()));
    let id = list[1]["id"].as_i64().unwrap().to_string();

    let before = journal_entries(d);
    assert!(fails(d, &["capital", "pay-instalment", &id, "--on", "2999-01-01"]).contains("in the future"));
    fails(d, &["capital", "pay-instalment", "999999", "--on", "2026-03-01"]);
    assert_eq!(journal_entries(d), before, "refusals write nothing");
    let paid = json_of(d, &["capital", "pay-instalment", &id, "--on", "2026-03-01", "--json"]);
    assert_eq!((paid["email"].as_str(), paid["paid_on"].as_str(), paid["payment_cents"].as_i64()), (Some("ben@example.coop"), Some("2026-03-01"), Some(50_000)));
    assert_eq!(journal_entries(d), before + 1);
    assert!(fails(d, &["capital", "pay-instalment", &id, "--on", "2026-03-02"]).contains("already paid"));
    assert_eq!(json_of(d, &["capital", "show", "ben@example.coop", "--json"])["payments"][0]["paid_on"], "2026-03-01");
    assert!(ok(d, &["capital", "payments"]).contains("2026-03-01"));
    let ledger = ok(d, &["export", "ledger", "--year", "2025", "--format", "hledger"]);
    assert!(ledger.contains("2026-03-01 (cash:2025) Patronage cash of 2025 paid"), "{ledger}");
}
