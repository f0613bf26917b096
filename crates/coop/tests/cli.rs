//! Black-box tests of the `coop` command line against the contract: each test drives the real
//! binary on a fresh data directory and checks stdout, stderr, exit codes and that refused
//! commands change nothing. The tamper tests edit the database behind coop's back with the
//! `sqlite3` tool and expect `coop journal verify` to notice.

mod common;

use common::cli::{coop, fails, json_of, ok, refused};
use assert_cmd::Command;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn init(dir: &Path) {
    assert_eq!(ok(dir, &["init", "--name", "Test Co"]), format!("initialised Test Co in {}\n", dir.display()));
}

fn add(dir: &Path, name: &str, email: &str, state: &str, since: &str) -> Value {
    json_of(dir, &["member", "add", "--name", name, "--email", email, "--state", state, "--since", since, "--json"])
}

fn members(dir: &Path) -> Vec<Value> {
    json_of(dir, &["member", "list", "--json"]).as_array().expect("member list --json is an array").clone()
}

/// `(entries, head)` from `coop journal verify`, which must succeed with exactly `ok N HASH`.
fn verify(dir: &Path) -> (i64, String) {
    let out = ok(dir, &["journal", "verify"]);
    let line = out.strip_suffix('\n').expect("one line");
    let parts: Vec<&str> = line.split(' ').collect();
    assert_eq!(parts.len(), 3, "expected `ok N HASH`, got {out:?}");
    assert_eq!(parts[0], "ok");
    assert!(is_hash(parts[2]), "head is not a SHA-256 hex: {out:?}");
    (parts[1].parse().expect("entry count"), parts[2].to_string())
}

fn is_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// Runs SQL on the co-op's database behind coop's back.
fn sqlite(dir: &Path, sql: &str) {
    let tool = ["/usr/bin/sqlite3", "sqlite3"].into_iter().find(|t| Path::new(t).exists()).unwrap_or("sqlite3");
    let out = std::process::Command::new(tool)
        .arg(dir.join("coop.db"))
        .arg(sql)
        .output()
        .unwrap_or_else(|e| panic!("the tamper tests need the sqlite3 command-line tool (apt-get install sqlite3): {e}"));
    assert!(out.status.success(), "sqlite3 {sql:?} failed: {}", String::from_utf8_lossy(&out.stderr));
}

/// A co-op with two members: journal entries 1 (init), 2-4 (Ana), 5-7 (Bo).
fn coop_with_members() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path());
    add(dir.path(), "Ana Silva", "ana@example.org", "member", "2024-01-01");
    add(dir.path(), "Bo Berg", "bo@example.org", "candidate", "2025-01-01");
    dir
}

#[test]
fn help_lists_the_commands() {
    let out = Command::cargo_bin("coop").unwrap().arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for command in ["init", "serve", "demo", "member", "journal", "backup", "restore"] {
        assert!(help.lines().any(|l| l.trim_start().starts_with(command)), "--help does not list {command}: {help}");
    }
    let out = Command::cargo_bin("coop").unwrap().args(["member", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for command in ["add", "list", "show", "edit", "set-state", "set-roles", "reset-link", "set-password"] {
        assert!(help.lines().any(|l| l.trim_start().starts_with(command)), "member --help does not list {command}: {help}");
    }
}

#[test]
fn init_twice_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path());
    let before = verify(dir.path());
    assert_eq!(before.0, 1, "init writes one journal entry");
    let err = fails(dir.path(), &["init", "--name", "Other Co"]);
    assert_eq!(err, r#"error: this data directory already holds the co-op "Test Co""#);
    assert_eq!(verify(dir.path()), before);
}

#[test]
fn init_refuses_bad_settings_without_creating_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(fails(&data, &["init", "--name", "X", "--timezone", "Mars/Base"]).starts_with("error: timezone: "));
    assert!(fails(&data, &["init", "--name", "X", "--fiscal-year-start", "13-01"]).starts_with("error: fiscal_year_start: "));
    assert!(!data.join("coop.db").exists());
}

#[test]
fn commands_before_init_say_what_to_do_and_create_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let err = fails(dir.path(), &["member", "list", "--json"]);
    assert_eq!(err, "error: no co-op here yet: run `coop init --name NAME` first");
    assert!(!dir.path().join("coop.db").exists());
    assert_eq!(fails(dir.path(), &["serve", "--addr", "127.0.0.1:0"]), err);
}

#[test]
fn empty_member_list_is_an_empty_array() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path());
    assert_eq!(ok(dir.path(), &["member", "list", "--json"]).trim(), "[]");
}

#[test]
fn member_add_and_list_json_have_the_contract_shape() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path());
    let added = json_of(
        dir.path(),
        &["member", "add", "--name", "Ana Silva", "--email", "Ana@Example.org", "--state", "candidate", "--since", "2025-03-01", "--role", "admin", "--json"],
    );
    assert_eq!(added["email"], "ana@example.org");
    assert_eq!(added["planned_end"], "2025-12-01", "a candidacy lasts the default nine months");

    let list = members(dir.path());
    assert_eq!(list.len(), 1);
    let m = list[0].as_object().unwrap();
    for key in ["id", "name", "email", "state", "since", "roles"] {
        assert!(m.contains_key(key), "member list --json lacks {key}: {m:?}");
    }
    assert_eq!(m["id"], added["id"]);
    assert_eq!(m["name"], "Ana Silva");
    assert_eq!(m["email"], "ana@example.org");
    assert_eq!(m["state"], "candidate");
    assert_eq!(m["since"], "2025-03-01");
    assert_eq!(m["roles"], json!(["admin"]));

    // The plain form names the member and the state.
    let line = ok(dir.path(), &["member", "add", "--name", "Bo Berg", "--email", "bo@example.org", "--role", "admin,secretary", "--role", "admin"]);
    assert!(line.starts_with("added Bo Berg bo@example.org as applicant since "), "{line}");
    let bo = members(dir.path()).into_iter().find(|m| m["email"] == "bo@example.org").unwrap();
    assert_eq!(bo["roles"], json!(["admin", "secretary"]));
}

#[test]
fn duplicate_email_is_refused_and_nothing_is_added() {
    let dir = coop_with_members();
    let before = verify(dir.path());
    let err = fails(dir.path(), &["member", "add", "--name", "Another Ana", "--email", "ANA@example.org"]);
    assert_eq!(err, "error: a member with the email ana@example.org already exists");
    assert_eq!(members(dir.path()).len(), 2);
    assert_eq!(verify(dir.path()), before);
}

#[test]
fn bad_email_state_and_date_are_refused_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path());
    let before = verify(dir.path());
    let base = ["member", "add", "--name", "Cy"];
    let cases: [(&[&str], &str); 4] = [
        (&["--email", "not-an-email"], "error: email: "),
        (&["--email", "cy@example.org", "--state", "boss"], "error: state: "),
        (&["--email", "cy@example.org", "--state", "on_leave"], "error: state: "),
        (&["--email", "cy@example.org", "--since", "2025-02-30"], "error: since: "),
    ];
    for (extra, prefix) in cases {
        let args: Vec<&str> = base.iter().chain(extra).copied().collect();
        let err = fails(dir.path(), &args);
        assert!(err.starts_with(prefix), "coop {args:?}: expected {prefix:?}, got {err:?}");
    }
    assert_eq!(members(dir.path()), Vec::<Value>::new());
    assert_eq!(verify(dir.path()), before);
}

#[test]
fn state_changes_make_a_sealed_history() {
    let dir = coop_with_members();
    let d = dir.path();
    let out = ok(d, &["member", "set-state", "ana@example.org", "on_leave", "--on", "2025-01-01", "--note", "sabbatical"]);
    assert!(out.contains("on_leave from 2025-01-01"), "{out}");
    ok(d, &["member", "set-state", "ana@example.org", "member", "--on", "2025-06-01"]);

    let shown = json_of(d, &["member", "show", "ana@example.org", "--json"]);
    assert_eq!(shown["state"], "member");
    assert_eq!(shown["since"], "2025-06-01");
    let history = shown["history"].as_array().unwrap();
    let states: Vec<&str> = history.iter().map(|h| h["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["member", "on_leave", "member"]);
    let sinces: Vec<&str> = history.iter().map(|h| h["since"].as_str().unwrap()).collect();
    assert_eq!(sinces, ["2024-01-01", "2025-01-01", "2025-06-01"]);
    assert_eq!(history[1]["note"], "sabbatical");
    assert!(history.iter().all(|h| h["sealed_hash"].as_str().is_some_and(is_hash)), "every state change is sealed: {history:?}");
    assert_eq!(verify(d).0, 7 + 2 * 2, "each change adds a journal entry and its seal");
}

#[test]
fn a_transition_the_life_cycle_forbids_is_refused() {
    let dir = coop_with_members();
    let before = verify(dir.path());
    let err = fails(dir.path(), &["member", "set-state", "bo@example.org", "on-leave", "--on", "2025-06-01"]);
    assert_eq!(err, "error: state: a candidate cannot become on_leave directly");
    let shown = json_of(dir.path(), &["member", "show", "bo@example.org", "--json"]);
    assert_eq!(shown["history"].as_array().unwrap().len(), 1);
    assert_eq!(verify(dir.path()), before);
}

#[test]
fn unknown_member_is_refused() {
    let dir = coop_with_members();
    assert_eq!(fails(dir.path(), &["member", "show", "nobody@example.org"]), "error: member with email nobody@example.org not found");
}

#[test]
fn journal_verify_prints_count_and_head() {
    let dir = coop_with_members();
    let out = ok(dir.path(), &["journal", "verify"]);
    let (entries, head) = verify(dir.path());
    assert_eq!(entries, 7);
    assert_eq!(out, format!("ok 7 {head}\n"));
    let report = json_of(dir.path(), &["journal", "verify", "--json"]);
    assert_eq!(report["entries"], 7);
    assert_eq!(report["seals"], 2);
    assert_eq!(report["head"], head.as_str());
    assert_eq!(report["fault"], Value::Null);
    let listed = json_of(dir.path(), &["journal", "list", "--limit", "1", "--json"]);
    assert_eq!(listed[0]["hash"], head.as_str());
    assert_eq!(listed.as_array().unwrap().len(), 1);
}

/// `coop journal verify` after tampering: exit 1 and one line that names the fault.
fn verify_fails(dir: &Path) -> String {
    let line = refused(coop(dir).args(["journal", "verify"]));
    assert!(line.starts_with("journal verify failed: "), "{line}");
    line
}

#[test]
fn tampering_with_a_journal_entry_is_found() {
    let dir = coop_with_members();
    sqlite(dir.path(), "UPDATE journal SET actor='mallory' WHERE seq=2");
    let line = verify_fails(dir.path());
    assert!(line.contains("journal entry 2 "), "the fault names entry 2: {line}");
}

#[test]
fn tampering_with_a_sealed_state_change_is_found() {
    let dir = coop_with_members();
    sqlite(dir.path(), "UPDATE member_states SET note='x' WHERE id=1");
    let line = verify_fails(dir.path());
    assert!(line.contains("seal") && line.contains("member_state 1"), "the fault names the seal: {line}");
}

#[test]
fn deleting_a_journal_entry_is_found() {
    let dir = coop_with_members();
    sqlite(dir.path(), "DELETE FROM journal WHERE seq=(SELECT MAX(seq)-1 FROM journal)");
    let line = verify_fails(dir.path());
    assert!(line.contains("journal entry 7 "), "the entry after the gap is named: {line}");
}

fn backup(dir: &Path, file: &Path) -> (i64, String) {
    let (entries, head) = verify(dir);
    let out = ok(dir, &["backup", file.to_str().unwrap()]);
    assert_eq!(out, format!("backed up to {} ({entries} journal entries, head {head})\n", file.display()));
    (entries, head)
}

#[test]
fn backup_then_restore_into_a_fresh_directory() {
    let source = coop_with_members();
    let elsewhere = tempfile::tempdir().unwrap();
    let file = elsewhere.path().join("coop-backup.db");
    let (entries, head) = backup(source.path(), &file);
    assert_eq!(fails(source.path(), &["backup", file.to_str().unwrap()]), format!("error: {} already exists; choose a new file name", file.display()));

    let target = elsewhere.path().join("restored");
    let out = ok(&target, &["restore", file.to_str().unwrap()]);
    assert_eq!(out, format!("restored Test Co from {}: journal ok {entries} {head}\n", file.display()));
    // Checked before anything else opens the database: a later reader may leave SQLite's own
    // -wal/-shm files for a moment, which is not what restore left.
    let leftovers: Vec<PathBuf> = std::fs::read_dir(&target).unwrap().map(|e| e.unwrap().path()).filter(|p| p.file_name().unwrap() != "coop.db").collect();
    assert_eq!(leftovers, Vec::<PathBuf>::new(), "restore leaves only coop.db behind");
    assert_eq!(verify(&target), (entries, head));
    assert_eq!(members(&target), members(source.path()));
}

#[test]
fn restore_over_an_existing_coop_needs_force() {
    let source = coop_with_members();
    let file = source.path().join("backup.db");
    let (entries, head) = backup(source.path(), &file);

    let target = tempfile::tempdir().unwrap();
    ok(target.path(), &["init", "--name", "Other Co"]);
    let theirs = verify(target.path());
    let err = fails(target.path(), &["restore", file.to_str().unwrap()]);
    assert_eq!(err, "error: the data directory already holds a co-op; use --force to replace it");
    assert_eq!(verify(target.path()), theirs);

    ok(target.path(), &["restore", file.to_str().unwrap(), "--force"]);
    assert_eq!(verify(target.path()), (entries, head));
    assert_eq!(members(target.path()).len(), 2);
}

#[test]
fn restore_refuses_files_that_are_not_a_verified_coop() {
    let source = coop_with_members();
    let junk = source.path().join("junk.db");
    std::fs::write(&junk, "not a database").unwrap();
    let target = tempfile::tempdir().unwrap();
    let err = fails(target.path(), &["restore", junk.to_str().unwrap()]);
    assert!(err.contains("is not a coop database"), "{err}");

    // A backup whose journal was tampered with is refused too.
    let file = source.path().join("backup.db");
    backup(source.path(), &file);
    let copy = tempfile::tempdir().unwrap();
    std::fs::copy(&file, copy.path().join("coop.db")).unwrap();
    sqlite(copy.path(), "UPDATE journal SET subject='member:9' WHERE seq=5");
    let err = fails(target.path(), &["restore", copy.path().join("coop.db").to_str().unwrap()]);
    assert!(err.contains("does not verify") && err.contains("journal entry 5"), "{err}");
    assert!(!target.path().join("coop.db").exists(), "a refused restore leaves no database behind");
}

#[test]
fn restore_refuses_postgres() {
    let source = coop_with_members();
    let file = source.path().join("backup.db");
    backup(source.path(), &file);
    let target = tempfile::tempdir().unwrap();
    let err = refused(coop(target.path()).env("COOP_DATABASE_URL", "postgres://localhost/coop").args(["restore", file.to_str().unwrap()]));
    assert!(err.contains("SQLite"), "{err}");
}

#[test]
fn passwords_come_from_stdin_and_short_ones_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path());
    let before = verify(dir.path());
    let add = ["member", "add", "--name", "Ana Silva", "--email", "ana@example.org", "--password-stdin"];
    let err = refused(coop(dir.path()).args(add).write_stdin("too-short\n"));
    assert_eq!(err, "error: password: a password needs at least 10 characters");
    assert_eq!(members(dir.path()).len(), 0, "a refused password adds nobody");
    assert_eq!(verify(dir.path()), before);

    let out = coop(dir.path()).args(add).write_stdin("correct horse battery\n").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json_of(dir.path(), &["member", "show", "ana@example.org", "--json"])["has_password"], true);

    let err = refused(coop(dir.path()).args(["member", "set-password", "ana@example.org", "--password-stdin"]).write_stdin("short\n"));
    assert!(err.starts_with("error: password: "), "{err}");
}

#[test]
fn roles_and_reset_links() {
    let dir = coop_with_members();
    let d = dir.path();
    ok(d, &["member", "set-roles", "ana@example.org", "admin,secretary"]);
    let err = fails(d, &["member", "set-roles", "ana@example.org", ""]);
    assert_eq!(err, "error: this is the co-op's last admin; make someone else admin first");
    ok(d, &["member", "set-roles", "bo@example.org", "admin"]);
    let ana = json_of(d, &["member", "set-roles", "ana@example.org", "", "--json"]);
    assert_eq!(ana["roles"], json!([]));

    let link = json_of(d, &["member", "reset-link", "bo@example.org", "--base-url", "https://coop.example.org/", "--json"]);
    let url = link["url"].as_str().unwrap();
    let token = url.strip_prefix("https://coop.example.org/reset/").expect("the link points at /reset/TOKEN");
    assert!(is_hash(token), "{url}");
    assert!(link["expires_at"].as_str().unwrap().ends_with('Z'));
}

/// A running `coop demo`; killed when the test ends, however it ends. Its stdout stays open
/// so that the server can keep printing.
struct Demo {
    child: std::process::Child,
    _stdout: std::io::Lines<std::io::BufReader<std::process::ChildStdout>>,
    password: String,
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `coop demo` on `data` and reads the login it prints before serving.
fn start_demo(data: &Path) -> Demo {
    use std::io::BufRead;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("coop"))
        .arg("--data")
        .arg(data)
        .args(["demo", "--addr", "127.0.0.1:0"])
        .env_remove("COOP_DATABASE_URL")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut next = || lines.next().expect("the demo prints its login").unwrap();
    assert_eq!(next(), "login: amina@brightwater.coop");
    let password = next().strip_prefix("password: ").expect("a password line").to_string();
    Demo { child, _stdout: lines, password }
}

#[test]
fn demo_seeds_a_coop_prints_the_login_and_refuses_a_real_coop() {
    let real = coop_with_members();
    let err = fails(real.path(), &["demo", "--addr", "127.0.0.1:0"]);
    assert!(err.contains("did not make"), "{err}");
    assert_eq!(members(real.path()).len(), 2, "the real co-op is untouched");

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    let demo = start_demo(&data);
    assert!(demo.password.len() >= 16, "{}", demo.password);

    let list = members(&data);
    let count = |state: &str| list.iter().filter(|m| m["state"] == state).count();
    assert_eq!(list.len(), 9);
    assert_eq!((count("member"), count("candidate"), count("applicant"), count("departed")), (6, 1, 1, 1));
    let rosa = list.iter().find(|m| m["email"] == "rosa@brightwater.coop").unwrap();
    assert_eq!(rosa["state"], "departed");
    let admin = json_of(&data, &["member", "show", "amina@brightwater.coop", "--json"]);
    assert_eq!((admin["roles"].clone(), admin["has_password"].clone()), (json!(["admin"]), json!(true)));
    let candidate = list.iter().find(|m| m["state"] == "candidate").unwrap();
    let candidate = json_of(&data, &["member", "show", candidate["email"].as_str().unwrap(), "--json"]);
    assert_eq!(candidate["candidacy_due"], true, "the candidacy ends within 30 days");
    verify(&data);
    // This year's work: hours imported, past months paid and approved under the adopted system.
    let this_month = jiff::Zoned::now().with_time_zone(jiff::tz::TimeZone::get("America/New_York").unwrap()).date().month();
    let runs = json_of(&data, &["pay", "runs", "--json"]);
    let runs = runs.as_array().unwrap();
    assert_eq!(runs.len(), usize::try_from(this_month - 1).unwrap());
    assert!(runs.iter().all(|r| r["status"] == "approved" && r["total_cents"].as_i64().unwrap() > 0), "{runs:?}");
    let systems = json_of(&data, &["pay", "system", "list", "--json"]);
    assert_eq!(systems[0]["status"], "adopted");
    let first_password = demo.password.clone();
    drop(demo);

    // A second run replaces the demo's own co-op with a fresh one and a new password.
    let again = start_demo(&data);
    assert_ne!(again.password, first_password);
    assert_eq!(members(&data).len(), 9);
}
