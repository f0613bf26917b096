//! Importing 1,000,000 time entries from a generic CSV file through the real use case
//! (`App::import_hours`: parse, match, the 24-hour day, duplicates, one all-or-nothing
//! transaction with its journal entry) into a fresh SQLite co-op, and the yearly report over
//! them (`App::hours_report`), each beside a baseline measured in the same run:
//!
//! - the CSV parse alone: the `csv` crate reading every record of the same text, the least any
//!   import must do before it writes;
//! - raw SQLite inserts of the same rows, already parsed and matched, with multi-row `INSERT`s
//!   in one transaction through sqlx's native SQLite driver, into a table of the same shape
//!   (indexes and foreign keys) with the same durability (WAL, `synchronous = FULL`) and page
//!   cache (64 MiB): the least the writing costs. Once more without the index on `date` alone,
//!   which the report's index makes redundant, to show what dropping it would gain;
//! - for the report, the same grouping query on that raw table through the native driver.
//!
//! Peak memory is the process's high-water mark (VmHWM) before and after the import; the CSV
//! text itself (about 70 MB) is already counted before.
//!
//! The file is generated deterministically: 200 members over the 365 days of 2026, 20 projects,
//! 6 kinds of work, 13 or 14 entries of 15 to 90 minutes per member and day (never more than
//! 24 hours a day), each of a member's entries on a day on a different project (no duplicates).
//!
//! Run: `bench/hours` or `cargo bench -p coop-app --bench hours_import -- [ROWS]`.

use coop_app::clock::FixedClock;
use coop_app::members::NewMember;
use coop_app::{Actor, App, AppConfig};
use coop_core::import::{Format, Mapping};
use coop_core::member::MemberState;
use coop_core::CoopSettings;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, Executor, Row};
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

const MEMBERS: usize = 200;
const PROJECTS: usize = 20;
const KINDS: [&str; 6] = ["Programming", "Design", "Admin", "Meetings", "Support", "Training"];
const YEAR: i16 = 2026;
/// Rows per multi-row `INSERT` in the raw baseline.
const RAW_BATCH: usize = 1000;

/// A deterministic pseudo-random generator (xorshift), so every run imports the same file.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// One generated entry, as the raw baseline inserts it.
struct Entry {
    member: usize,
    date: String,
    minutes: i64,
    project: usize,
    kind: usize,
    note: String,
}

fn email(m: usize) -> String {
    format!("m{m:03}@bench.coop")
}

/// The generic CSV text of `n` entries, the entries, and their total minutes.
fn generate(n: usize) -> (String, Vec<Entry>, i64) {
    let days: Vec<String> = {
        let mut d = jiff::civil::date(YEAR, 1, 1);
        let mut v = Vec::new();
        while d.year() == YEAR {
            v.push(d.to_string());
            d = d.tomorrow().expect("a next day");
        }
        v
    };
    let slots = days.len() * MEMBERS;
    let (per_slot, extra) = (n / slots, n % slots);
    assert!(per_slot < 16, "at most 16 entries of 90 minutes fit in a day: use fewer rows");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut text = String::with_capacity(n * 72);
    text.push_str("email,date,hours,project,category,note\n");
    let mut entries = Vec::with_capacity(n);
    let mut total = 0;
    let mut slot = 0;
    for (day_index, day) in days.iter().enumerate() {
        for member in 0..MEMBERS {
            let count = per_slot + usize::from(slot < extra);
            slot += 1;
            for k in 0..count {
                let r = rng.next();
                let quarters = 1 + (r % 6) as i64;
                let minutes = quarters * 15;
                let project = (member + day_index + k) % PROJECTS;
                let kind = ((r >> 8) % KINDS.len() as u64) as usize;
                let note = match (r >> 16) % 4 {
                    0 => String::new(),
                    1 => format!("Ticket {}", (r >> 20) % 10_000),
                    2 => "Call, then follow-up".to_string(),
                    _ => "Review".to_string(),
                };
                let hours = format!("{}.{:02}", minutes / 60, minutes % 60 * 100 / 60);
                let quoted = if note.contains(',') { format!("\"{note}\"") } else { note.clone() };
                let _ = writeln!(text, "{},{day},{hours},Project {project:02},{},{quoted}", email(member), KINDS[kind]);
                total += minutes;
                entries.push(Entry { member, date: day.clone(), minutes, project, kind, note });
            }
        }
    }
    (text, entries, total)
}

/// The process's peak resident memory so far (VmHWM), in KiB.
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok()).unwrap_or(0)
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let out = f();
        best = best.min(t.elapsed());
        last = Some(out);
    }
    (best, last.expect("at least one run"))
}

/// The raw baseline: the same rows into a table of the same shape (its indexes and its foreign
/// keys to members, projects and kinds of work, checked as coop checks them), with multi-row
/// inserts in one transaction. With `by_date_index`, the table also has the old index
/// `time_entries_by_date (date)` that migration 7 dropped (`time_entries_report (date, ...)`
/// serves its queries): what dropping it gained. Returns the insert time and (with it) the report query's best of 3.
async fn raw_inserts(dir: &std::path::Path, entries: &[Entry], by_date_index: bool) -> (Duration, Duration) {
    let mut conn = SqliteConnectOptions::new()
        .filename(dir.join(if by_date_index { "raw.db" } else { "raw-without-by-date.db" }))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .connect()
        .await
        .expect("open the raw SQLite file");
    for ddl in [
        "CREATE TABLE members (id INTEGER PRIMARY KEY, email TEXT NOT NULL)",
        "CREATE TABLE projects (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
        "CREATE TABLE work_categories (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
        "CREATE TABLE time_entries (id INTEGER PRIMARY KEY, member_id INTEGER NOT NULL REFERENCES members (id), date TEXT NOT NULL, \
         minutes INTEGER NOT NULL CHECK (minutes >= 0 AND minutes <= 1440), project_id INTEGER REFERENCES projects (id), \
         category_id INTEGER REFERENCES work_categories (id), \
         note TEXT NOT NULL, source TEXT NOT NULL CHECK (source IN ('manual', 'import')), created_at TEXT NOT NULL)",
        "CREATE INDEX time_entries_by_member_date ON time_entries (member_id, date)",
        "CREATE INDEX time_entries_report ON time_entries (date, member_id, category_id, project_id, minutes)",
    ] {
        conn.execute(ddl).await.expect("create the raw table");
    }
    if by_date_index {
        conn.execute("CREATE INDEX time_entries_by_date ON time_entries (date)").await.expect("create the index");
    }
    for (table, n) in [("members", MEMBERS), ("projects", PROJECTS), ("work_categories", KINDS.len())] {
        for id in 1..=n {
            sqlx::query(&format!("INSERT INTO {table} VALUES ($1, 'x')")).bind(id as i64).execute(&mut conn).await.expect("a parent row");
        }
    }
    // The page cache the import uses for its bulk write (64 MiB instead of 2).
    conn.execute("PRAGMA cache_size = -65536").await.expect("cache size");
    let started = Instant::now();
    let mut tx = conn.begin().await.expect("begin");
    // Anonymous `?` placeholders: SQLite looks a named one (`$7`) up by a linear scan, which
    // makes binding a statement of thousands of named parameters quadratic.
    let row_sql = |rows: usize| {
        let mut sql = String::from("INSERT INTO time_entries (member_id, date, minutes, project_id, category_id, note, source, created_at) VALUES ");
        for i in 0..rows {
            sql.push_str(if i == 0 { "(?,?,?,?,?,?,'import','2026-11-28T12:00:00.000000Z')" } else { ",(?,?,?,?,?,?,'import','2026-11-28T12:00:00.000000Z')" });
        }
        sql
    };
    let full = row_sql(RAW_BATCH);
    for chunk in entries.chunks(RAW_BATCH) {
        let partial;
        let sql = if chunk.len() == RAW_BATCH {
            &full
        } else {
            partial = row_sql(chunk.len());
            &partial
        };
        let mut q = sqlx::query(sql);
        for e in chunk {
            q = q.bind(1 + e.member as i64).bind(e.date.as_str()).bind(e.minutes).bind(1 + e.project as i64).bind(1 + e.kind as i64).bind(e.note.as_str());
        }
        q.execute(&mut *tx).await.expect("insert");
    }
    tx.commit().await.expect("commit");
    let inserts = started.elapsed();
    let mut report = Duration::MAX;
    for _ in 0..if by_date_index { 0 } else { 3 } {
        let t = Instant::now();
        let rows = sqlx::query(
            "SELECT member_id, category_id, CAST(SUM(minutes) AS BIGINT) FROM time_entries WHERE date >= $1 AND date <= $2 GROUP BY member_id, category_id",
        )
        .bind(format!("{YEAR}-01-01"))
        .bind(format!("{YEAR}-12-31"))
        .fetch_all(&mut conn)
        .await
        .expect("raw report");
        let sum: i64 = rows.iter().map(|r| r.get::<i64, _>(2)).sum();
        assert_eq!(sum, entries.iter().map(|e| e.minutes).sum::<i64>());
        report = report.min(t.elapsed());
    }
    conn.close().await.expect("close");
    (inserts, report)
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1_000_000);
    let (text, entries, total_minutes) = generate(n);
    let dir = tempfile::tempdir().expect("a temporary directory");

    // The co-op: 200 members, created through the use cases.
    let clock = Arc::new(FixedClock::new("2026-11-28T12:00:00Z".parse().expect("a timestamp")));
    let app = App::open(&coop_store::sqlite_url_for_dir(dir.path()), clock, AppConfig::default()).await.expect("open the co-op");
    let settings = CoopSettings::new("Bench Co-op", "USD", "UTC", "01-01", "en", 9).expect("settings");
    app.init(&settings).await.expect("init");
    for m in 0..MEMBERS {
        let new = NewMember {
            name: format!("Member {m:03}"),
            email: email(m),
            state: Some(MemberState::Member),
            since: Some(jiff::civil::date(2025, 1, 6)),
            ..NewMember::default()
        };
        app.add_member(&Actor::Operator, new).await.expect("add a member");
    }

    let mapping = Mapping { create_unknown: true, ..Mapping::default() };
    let peak_before = peak_kib();
    let started = Instant::now();
    let report = app.import_hours(&Actor::Operator, &text, Some(Format::Generic), false, &mapping).await.expect("the import");
    let import = started.elapsed();
    let peak_after = peak_kib();
    assert_eq!(report.rows, n);
    assert_eq!(report.would_import, n);
    assert_eq!(report.hours.get(), total_minutes);
    assert!(report.duplicates.is_empty(), "the generated file has no duplicates: {:?}", &report.duplicates[..report.duplicates.len().min(5)]);
    assert_eq!((report.created_projects.len(), report.created_categories.len()), (PROJECTS, KINDS.len()));

    let mut hours_report = Duration::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        let rows = app.hours_report(&Actor::Operator, YEAR).await.expect("the report");
        hours_report = hours_report.min(t.elapsed());
        let minutes: i64 = rows.iter().map(|r| coop_core::hours::parse_total_hours(&r.hours).expect("hours").get()).sum();
        assert_eq!((rows.len(), minutes), (MEMBERS, total_minutes));
    }
    app.close().await;

    let (parse, records) = best_of(3, || {
        let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let mut rec = csv::StringRecord::new();
        let mut records = 0usize;
        while rdr.read_record(&mut rec).expect("a CSV record") {
            records += rec.len().min(1);
        }
        records
    });
    assert_eq!(records, n);
    // The baseline has coop's schema (migration 7 dropped the index on date alone); the second
    // raw run keeps that old index, to show what dropping it gained.
    let (raw, raw_report) = raw_inserts(dir.path(), &entries, false).await;
    let (raw_old, _) = raw_inserts(dir.path(), &entries, true).await;

    let rate = |d: Duration| n as f64 / d.as_secs_f64();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    // The import's floor: reading the text plus writing the rows; the report's: the raw query.
    let floor = parse + raw;
    println!("{:<62} {:>10} {:>12} {:>8}", "benchmark", "ms", "rows/s", "ratio");
    println!("{:<62} {:>10.0} {:>12.0} {:>8}", format!("baseline: csv crate parse of {n} rows"), ms(parse), rate(parse), "-");
    println!("{:<62} {:>10.0} {:>12.0} {:>8}", "baseline: raw SQLite multi-row inserts, one transaction", ms(raw), rate(raw), "-");
    println!("{:<62} {:>10.0} {:>12.0} {:>8.2}", "baseline: parse + raw inserts", ms(floor), rate(floor), 1.0);
    println!(
        "{:<62} {:>10.0} {:>12.0} {:>8.2}",
        "(raw inserts with the old index on date alone, before migration 7)",
        ms(raw_old),
        rate(raw_old),
        ms(raw_old) / ms(floor)
    );
    println!("{:<62} {:>10.0} {:>12.0} {:>8.2}", format!("App::import_hours, {n} rows"), ms(import), rate(import), ms(import) / ms(floor));
    println!("{:<62} {:>10.1} {:>12} {:>8.2}", "baseline: raw SQLite GROUP BY member, kind (best of 3)", ms(raw_report), "-", 1.0);
    println!(
        "{:<62} {:>10.1} {:>12} {:>8.2}",
        format!("App::hours_report {YEAR}, {MEMBERS} members (best of 3)"),
        ms(hours_report),
        "-",
        ms(hours_report) / ms(raw_report)
    );
    println!(
        "peak memory (VmHWM): {:.0} MiB before the import (CSV text {:.0} MiB included), {:.0} MiB after: +{:.0} MiB",
        peak_before as f64 / 1024.0,
        text.len() as f64 / 1048576.0,
        peak_after as f64 / 1024.0,
        (peak_after.saturating_sub(peak_before)) as f64 / 1024.0
    );
    println!(
        "targets: import >= 200000 rows/s: {}; report < 1 s: {}",
        if rate(import) >= 200_000.0 { "met" } else { "NOT met" },
        if hours_report < Duration::from_secs(1) { "met" } else { "NOT met" }
    );
}
