//! The test harness for coop-app's use-case tests.
//!
//! Every test gets a fresh co-op ("Test Co-op", USD, America/New_York, fiscal year from
//! 01-01, English, 9-month candidacies) on a fresh database, and a [`FixedClock`] standing at
//! [`START`] (2026-11-28T12:00:00Z, which is 07:00 on 2026-11-28 in New York).
//!
//! - [`test_app`] opens a fresh SQLite file in a temporary directory.
//! - [`test_app_postgres`] creates a fresh PostgreSQL database next to the one named by
//!   `COOP_TEST_POSTGRES_URL` (with the `psql` client, because coop-app has no direct sqlx
//!   dependency and `CREATE DATABASE` cannot run inside the store's write transaction) and
//!   drops it again afterwards (it is kept, and named on stderr, when the test panicked).
//! - [`backend_test!`] writes one test body once and runs it as two tests, `NAME::sqlite` and
//!   `NAME::postgres`; the second one only prints a note and passes when
//!   `COOP_TEST_POSTGRES_URL` is not set.
//!
//! Raw SQL (to tamper with rows, or to count rows the API does not show) goes through the
//! database's own command-line client: `sqlite3` or `psql`. See [`TestDb`].

#![allow(dead_code)]

use coop_app::clock::FixedClock;
use coop_app::members::{MemberFilter, MemberSummary, NewMember};
use coop_app::{Actor, App, AppConfig, AppError, JournalEntry, JournalFilter, MemberActor};
use coop_core::member::{MemberState, Role};
use coop_core::CoopSettings;
use jiff::civil::Date;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tempfile::TempDir;

/// Where every test's clock starts.
pub const START: &str = "2026-11-28T12:00:00Z";
/// "Today" at [`START`] in the co-op's time zone.
pub const TODAY: &str = "2026-11-28";
/// A password that satisfies the rules.
pub const PASSWORD: &str = "correct horse battery";
/// The environment variable that turns the PostgreSQL runs on.
pub const POSTGRES_ENV: &str = "COOP_TEST_POSTGRES_URL";

pub fn settings() -> CoopSettings {
    CoopSettings::new("Test Co-op", "USD", "America/New_York", "01-01", "en", 9).expect("valid test settings")
}

pub fn start() -> jiff::Timestamp {
    START.parse().unwrap()
}

/// A `YYYY-MM-DD` date.
pub fn d(s: &str) -> Date {
    s.parse().unwrap_or_else(|e| panic!("bad test date {s:?}: {e}"))
}

async fn open_initialised(url: &str) -> (App, Arc<FixedClock>) {
    let clock = Arc::new(FixedClock::new(start()));
    let app = App::open(url, clock.clone(), AppConfig::default()).await.unwrap_or_else(|e| panic!("open {url}: {e}"));
    app.init(&settings()).await.expect("init the test co-op");
    (app, clock)
}

/// A fresh, initialised co-op on a new SQLite file in a temporary directory.
pub async fn test_app() -> (App, Arc<FixedClock>, TempDir) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let (app, clock) = open_initialised(&coop_store::sqlite_url_for_dir(dir.path())).await;
    (app, clock, dir)
}

/// A fresh, initialised co-op on a new PostgreSQL database beside `base`.
pub async fn test_app_postgres(base: &str) -> (App, Arc<FixedClock>, PgDatabase) {
    let db = PgDatabase::create(base);
    let (app, clock) = open_initialised(&db.url).await;
    (app, clock, db)
}

/// The PostgreSQL URL to test against, if the PostgreSQL runs are turned on.
pub fn postgres_base_url() -> Option<String> {
    std::env::var(POSTGRES_ENV).ok().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

// ---------------------------------------------------------------------------------------
// PostgreSQL: one database per test.

static NEXT_DB: AtomicU64 = AtomicU64::new(0);

/// A database created for one test; dropped when this value is dropped, unless the test
/// panicked (then it is kept for inspection and its URL printed).
pub struct PgDatabase {
    pub name: String,
    pub url: String,
    base: String,
}

/// `postgres://user@host:port/db?x=y` with the database replaced by `name`.
pub fn with_database(base: &str, name: &str) -> String {
    let (without_query, query) = match base.split_once('?') {
        Some((u, q)) => (u, format!("?{q}")),
        None => (base, String::new()),
    };
    let authority_start = without_query.find("://").map(|i| i + 3).unwrap_or_else(|| panic!("{POSTGRES_ENV}={base:?} is not a URL"));
    let path_start = without_query[authority_start..].find('/').map(|i| authority_start + i).unwrap_or(without_query.len());
    format!("{}/{name}{query}", &without_query[..path_start])
}

fn psql(url: &str, sql: &str) -> String {
    let out = Command::new("psql")
        .arg(url)
        .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .output()
        .unwrap_or_else(|e| panic!("cannot run psql (needed for the PostgreSQL test runs): {e}"));
    assert!(out.status.success(), "psql {url} -c {sql:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

impl PgDatabase {
    pub fn create(base: &str) -> PgDatabase {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
        let name = format!("coop_test_{}_{}_{nanos}", std::process::id(), NEXT_DB.fetch_add(1, Ordering::SeqCst));
        psql(base, &format!("CREATE DATABASE {name}"));
        PgDatabase { url: with_database(base, &name), name, base: base.to_string() }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("kept the PostgreSQL database of the failed test: {}", self.url);
            return;
        }
        psql(&self.base, &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
    }
}

// ---------------------------------------------------------------------------------------
// Raw SQL through the databases' own clients.

/// The database behind a test, for raw SQL the use cases would never run.
pub enum TestDb {
    Sqlite(TempDir),
    Postgres(PgDatabase),
}

/// The `sqlite3` command-line client; panics with a clear message when it is missing.
pub fn sqlite3_binary() -> PathBuf {
    let fixed = Path::new("/usr/bin/sqlite3");
    if fixed.exists() {
        return fixed.to_path_buf();
    }
    match Command::new("sqlite3").arg("-version").output() {
        Ok(o) if o.status.success() => PathBuf::from("sqlite3"),
        _ => panic!("the sqlite3 command-line client is needed to tamper with the database in these tests: install it (apt-get install sqlite3)"),
    }
}

/// Runs SQL on the co-op's SQLite file in `dir` with the `sqlite3` client; returns its output.
pub fn sqlite_exec(dir: &Path, sql: &str) -> String {
    let db = dir.join("coop.db");
    assert!(db.exists(), "no database at {}", db.display());
    let out = Command::new(sqlite3_binary())
        .args(["-batch", "-bail", "-cmd", ".timeout 10000"])
        .arg(&db)
        .arg(sql)
        .output()
        .expect("run sqlite3");
    assert!(out.status.success(), "sqlite3 {} {sql:?} failed: {}", db.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

impl TestDb {
    /// Runs SQL and returns the output as text (one row a line, columns separated by `|`).
    pub fn exec(&self, sql: &str) -> String {
        match self {
            TestDb::Sqlite(dir) => sqlite_exec(dir.path(), sql),
            TestDb::Postgres(db) => psql(&db.url, sql),
        }
    }

    /// Runs a query that returns one integer.
    pub fn count(&self, sql: &str) -> i64 {
        let out = self.exec(sql);
        out.parse().unwrap_or_else(|_| panic!("{sql:?} returned {out:?}, not a number"))
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, TestDb::Postgres(_))
    }
}

impl TestDb {
    /// Every table in the database: `sqlite_master` on SQLite (its own `sqlite_*` tables
    /// included), `schema.table` for every base table outside the system schemas on PostgreSQL.
    pub fn tables(&self) -> Vec<String> {
        let sql = match self {
            TestDb::Sqlite(_) => "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
            TestDb::Postgres(_) => {
                "SELECT table_schema || '.' || table_name FROM information_schema.tables \
                 WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
            }
        };
        self.exec(sql).lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
    }

    /// Every row of `table` (a name from [`TestDb::tables`]) as a JSON object of column to
    /// value, built by the database itself (`json_object` / `row_to_json`), so a value holding
    /// `|` or a line break cannot split a cell.
    pub fn rows(&self, table: &str) -> Vec<serde_json::Map<String, serde_json::Value>> {
        let sql = match self {
            TestDb::Sqlite(_) => {
                let columns = self.exec(&format!("SELECT name FROM pragma_table_info('{}') ORDER BY cid", table.replace('\'', "''")));
                let pairs: Vec<String> = columns.lines().map(|c| format!("'{}', \"{}\"", c.replace('\'', "''"), c.replace('"', "\"\""))).collect();
                assert!(!pairs.is_empty(), "table {table} has no columns?");
                format!("SELECT json_object({}) FROM \"{}\"", pairs.join(", "), table.replace('"', "\"\""))
            }
            TestDb::Postgres(_) => {
                let (schema, name) = table.split_once('.').unwrap_or(("public", table));
                format!("SELECT row_to_json(t)::text FROM \"{schema}\".\"{name}\" t")
            }
        };
        self.exec(&sql)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| match serde_json::from_str(l) {
                Ok(serde_json::Value::Object(m)) => m,
                other => panic!("a row of {table} is not a JSON object: {l:?} ({other:?})"),
            })
            .collect()
    }
}

/// Runs `body` on a fresh SQLite co-op.
pub async fn run_sqlite<F, Fut>(body: F)
where
    F: FnOnce(App, Arc<FixedClock>, Arc<TestDb>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let (app, clock, dir) = test_app().await;
    assert_eq!(app.store_backend(), coop_store::Backend::Sqlite);
    let db = Arc::new(TestDb::Sqlite(dir));
    body(app.clone(), clock, db.clone()).await;
    app.close().await;
    drop(db);
}

/// Runs `body` on a fresh PostgreSQL co-op, or says why not and returns.
pub async fn run_postgres<F, Fut>(body: F)
where
    F: FnOnce(App, Arc<FixedClock>, Arc<TestDb>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let Some(base) = postgres_base_url() else {
        // In CI a missing database is a failure, never a quiet pass.
        assert!(std::env::var_os("CI").is_none(), "CI must set {POSTGRES_ENV} so the PostgreSQL half of this test runs");
        eprintln!("skipped: set {POSTGRES_ENV}=postgres://USER@HOST:PORT/DB to run this test on PostgreSQL");
        return;
    };
    let (app, clock, pg) = test_app_postgres(&base).await;
    assert_eq!(app.store_backend(), coop_store::Backend::Postgres);
    let db = Arc::new(TestDb::Postgres(pg));
    body(app.clone(), clock, db.clone()).await;
    app.close().await;
    drop(db);
}

/// Writes a test once and runs it on both backends as `NAME::sqlite` and `NAME::postgres`.
///
/// ```ignore
/// backend_test!(some_rule, |app, clock| { ... });
/// backend_test!(some_rule_with_raw_sql, |app, clock, db| { db.exec("..."); ... });
/// ```
macro_rules! backend_test {
    ($name:ident, |$app:ident, $clock:ident| $body:block) => {
        backend_test!($name, |$app, $clock, _db| $body);
    };
    ($name:ident, |$app:ident, $clock:ident, $db:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[allow(unused_variables)]
            async fn body(
                $app: coop_app::App,
                $clock: std::sync::Arc<coop_app::clock::FixedClock>,
                $db: std::sync::Arc<crate::common::TestDb>,
            ) $body

            #[tokio::test]
            async fn sqlite() {
                crate::common::run_sqlite(body).await;
            }

            #[tokio::test]
            async fn postgres() {
                crate::common::run_postgres(body).await;
            }
        }
    };
}

// ---------------------------------------------------------------------------------------
// People and actors.

/// What a member as a signed-in actor looks like to the policies.
pub fn actor(m: &MemberSummary) -> Actor {
    Actor::Member(MemberActor {
        id: m.id,
        name: m.name.clone(),
        email: m.email.clone(),
        roles: m.roles.clone(),
        state: m.state,
        language: m.language.clone(),
    })
}

pub fn new_member(name: &str, email: &str, state: MemberState) -> NewMember {
    NewMember { name: name.into(), email: email.into(), state: Some(state), ..NewMember::default() }
}

/// Adds a member as the operator (the CLI).
pub async fn add(app: &App, name: &str, email: &str, state: MemberState) -> MemberSummary {
    app.add_member(&Actor::Operator, new_member(name, email, state)).await.unwrap_or_else(|e| panic!("add {email}: {e}"))
}

/// Adds a member with [`PASSWORD`].
pub async fn add_with_password(app: &App, name: &str, email: &str, state: MemberState) -> MemberSummary {
    let new = NewMember { password: Some(PASSWORD.into()), ..new_member(name, email, state) };
    app.add_member(&Actor::Operator, new).await.unwrap_or_else(|e| panic!("add {email}: {e}"))
}

/// Ada, a full member since 2025-01-06 with the admin role, and her actor.
pub async fn admin(app: &App) -> (MemberSummary, Actor) {
    let new = NewMember { since: Some(d("2025-01-06")), roles: vec![Role::Admin], ..new_member("Ada Admin", "ada@example.org", MemberState::Member) };
    let ada = app.add_member(&Actor::Operator, new).await.expect("add the admin");
    let a = actor(&ada);
    (ada, a)
}

// ---------------------------------------------------------------------------------------
// Looking at what was written.

/// The number of journal entries (the head's sequence number).
pub async fn journal_len(app: &App) -> i64 {
    app.journal_head().await.expect("journal head").0
}

/// Every journal entry, oldest first.
pub async fn all_entries(app: &App) -> Vec<JournalEntry> {
    let mut v = app.journal_entries(&Actor::Operator, &JournalFilter { limit: 1000, ..JournalFilter::default() }).await.expect("journal entries");
    v.reverse();
    v
}

/// The actions of the entries after `after_seq`, oldest first.
pub async fn actions_after(app: &App, after_seq: i64) -> Vec<String> {
    all_entries(app).await.into_iter().filter(|e| e.seq > after_seq).map(|e| e.action).collect()
}

/// Every member with their state today.
pub async fn members(app: &App) -> Vec<MemberSummary> {
    app.list_members(&Actor::Operator, &MemberFilter::default()).await.expect("list members")
}

/// Asserts that `r` is `AppError::Invalid` for `field`, and returns its message.
#[track_caller]
pub fn assert_invalid<T: std::fmt::Debug>(r: Result<T, AppError>, field: &str) -> String {
    match r {
        Err(AppError::Invalid { field: f, message }) => {
            assert_eq!(f, field, "Invalid names the wrong field (message: {message})");
            message
        }
        other => panic!("expected Invalid({field}), got {other:?}"),
    }
}

#[track_caller]
pub fn assert_forbidden<T: std::fmt::Debug>(r: Result<T, AppError>) {
    assert!(matches!(r, Err(AppError::Forbidden(_))), "expected Forbidden, got {r:?}");
}

#[track_caller]
pub fn assert_conflict<T: std::fmt::Debug>(r: Result<T, AppError>) {
    assert!(matches!(r, Err(AppError::Conflict(_))), "expected Conflict, got {r:?}");
}
