//! Black-box tests of the work commands (`hours log`, `hours import`, `hours report`,
//! `hours balance`, `commitment set`) against the contract: each drives the real binary on a
//! fresh data directory; a refused command prints one `error:` line (a bad import file names
//! the line: `line N:`), exits 1 and changes nothing.

mod common;

use common::cli::{fails, json_of, ok};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../coop-core/tests/data").join(name)
}

/// The journal's length from `coop journal verify` (`ok N HASH`).
fn journal_len(dir: &Path) -> i64 {
    let out = ok(dir, &["journal", "verify"]);
    out.split(' ').nth(1).unwrap().parse().unwrap()
}

/// A co-op with the people the sample files name, members since 2025.
fn coop_with_members() -> TempDir {
    let dir = TempDir::new().unwrap();
    ok(dir.path(), &["init", "--name", "Work Co"]);
    for (name, email) in [("Ana Silva", "ana@example.coop"), ("Ben Okafor", "ben@example.coop"), ("Chloé Martin", "chloe@example.coop")] {
        ok(dir.path(), &["member", "add", "--name", name, "--email", email, "--state", "member", "--since", "2025-01-06", "--json"]);
    }
    dir
}

fn report(dir: &Path, year: &str) -> Value {
    json_of(dir, &["hours", "report", "--year", year, "--json"])
}

#[test]
fn log_report_commitment_and_balance() {
    let dir = coop_with_members();
    let d = dir.path();
    ok(d, &["hours", "log", "--member", "ana@example.coop", "--date", "2026-01-05", "--hours", "8", "--project", "Bakery POS", "--category", "Programming"]);
    ok(d, &["hours", "log", "--member", "ana@example.coop", "--date", "2026-01-06", "--hours", "7:30", "--category", "Admin", "--note", "Payroll"]);
    let before = journal_len(d);
    let err = fails(d, &["hours", "log", "--member", "ana@example.coop", "--date", "2026-01-05", "--hours", "16.5"]);
    assert!(err.contains("hours") && err.contains("24"), "{err}");
    fails(d, &["hours", "log", "--member", "nobody@example.coop", "--date", "2026-01-05", "--hours", "1"]);
    fails(d, &["hours", "log", "--member", "ana@example.coop", "--date", "2026-01-32", "--hours", "1"]);
    fails(d, &["hours", "log", "--member", "ana@example.coop", "--date", "2026-01-07", "--hours", "25"]);
    assert_eq!(journal_len(d), before);
    assert_eq!(report(d, "2026"), json!([{"email": "ana@example.coop", "hours": "15.50", "by_category": {"Admin": "7.50", "Programming": "8.00"}}]));
    assert_eq!(report(d, "2025"), json!([]));

    ok(d, &["commitment", "set", "ana@example.coop", "--year", "2026", "--hours", "1560", "--leave-weeks", "5"]);
    fails(d, &["commitment", "set", "ana@example.coop", "--year", "2026", "--hours", "1560", "--leave-weeks", "7"]);
    // 2026 has 261 weekdays, January 22: 1560 x 22 / 261 hours = 131.50 (to the minute).
    let b = json_of(d, &["hours", "balance", "ana@example.coop", "--year", "2026", "--on", "2026-01-31", "--json"]);
    assert_eq!(b, json!({"declared": "1560.00", "expected_to_date": "131.50", "worked": "15.50", "balance": "-116.00"}));
    // No commitment for Ben: refused.
    fails(d, &["hours", "balance", "ben@example.coop", "--year", "2026", "--on", "2026-01-31", "--json"]);
}

#[test]
fn import_each_sample_file() {
    let dir = coop_with_members();
    let d = dir.path();
    for (file, format, rows) in [("generic.csv", "generic", 3), ("toggl_detailed.csv", "toggl", 5), ("kimai.csv", "kimai", 4), ("harvest.csv", "harvest", 3)] {
        let path = sample(file);
        let r = json_of(d, &["hours", "import", path.to_str().unwrap(), "--format", format, "--json"]);
        assert_eq!(r["rows"], json!(rows), "{file}: {r}");
        assert_eq!(r["would_import"], json!(rows), "{file}: {r}");
        assert_eq!(r["dry_run"], json!(false));
    }
    let hours: Vec<String> = report(d, "2026").as_array().unwrap().iter().map(|r| r["email"].as_str().unwrap().to_string()).collect();
    assert_eq!(hours, vec!["ana@example.coop", "ben@example.coop", "chloe@example.coop"]);
    // The format is guessed from the header when not given; a second import is flagged.
    let r = json_of(d, &["hours", "import", sample("generic.csv").to_str().unwrap(), "--dry-run", "--json"]);
    assert_eq!(r["duplicates"], json!([2, 3, 4]));
    assert_eq!(r["format"], json!("generic"));
    // Without --json: a summary on stdout.
    let out = ok(d, &["hours", "import", sample("generic.csv").to_str().unwrap(), "--dry-run"]);
    assert!(out.contains("would import 3 of 3 rows") && out.contains("duplicates at lines 2, 3, 4"), "{out}");
}

#[test]
fn a_bad_file_names_the_line_and_imports_nothing() {
    let dir = coop_with_members();
    let d = dir.path();
    let before = journal_len(d);
    for (file, line) in [("generic_bad.csv", 3), ("toggl_detailed_bad.csv", 5), ("kimai_bad.csv", 3), ("harvest_bad.csv", 3)] {
        let err = fails(d, &["hours", "import", sample(file).to_str().unwrap()]);
        assert!(err.contains(&format!("line {line}: ")), "{file}: {err}");
    }
    fails(d, &["hours", "import", sample("generic.csv").to_str().unwrap(), "--format", "clockify"]);
    fails(d, &["hours", "import", "/nonexistent/file.csv"]);
    assert_eq!(journal_len(d), before);
    assert_eq!(report(d, "2026"), json!([]));
}

#[test]
fn a_dry_run_writes_nothing() {
    let dir = coop_with_members();
    let d = dir.path();
    let before = journal_len(d);
    let r = json_of(d, &["hours", "import", sample("kimai.csv").to_str().unwrap(), "--dry-run", "--json"]);
    assert_eq!(r["dry_run"], json!(true));
    assert_eq!(r["would_import"], json!(4));
    assert_eq!(r["hours"], json!("12.50"));
    assert_eq!(journal_len(d), before);
    assert_eq!(report(d, "2026"), json!([]));
    ok(d, &["hours", "import", sample("kimai.csv").to_str().unwrap()]);
    assert_eq!(journal_len(d), before + 1, "one journal entry per import");
}
