//! The year-end allocation for 100,000 members over 50,000,000 minutes of time entries on
//! SQLite, through the real use case (`App::patronage_run`: the policy, each member's minutes on
//! days in a counted state, the exact split, every member's cash instalments), beside the raw
//! aggregation query (`SUM(minutes) GROUP BY member_id` over the year, through the same sqlx
//! `Any` driver) measured in the same run. The weighted basis (each entry weighted by its kind
//! of work's weight on its date) and the commit (posting 100,000 capital entries and cash
//! payments, sealing all of it) are timed too.
//!
//! The data: 100,000 members since 2024 (every tenth a candidate until 1 July 2025, whose
//! earlier hours do not count), 5 entries of 100 minutes each in 2025 (500,000 entries,
//! 50,000,000 minutes), 3 kinds of work with weights 1.00, 1.50 and 0.75. It is generated
//! inside SQLite with recursive CTEs by the `sqlite3` client, after the app has created the
//! schema.
//!
//! Run: `cargo bench -p coop-app --bench allocation -- [MEMBERS]`.

use coop_app::clock::FixedClock;
use coop_app::surplus::RunInput;
use coop_app::{Actor, App, AppConfig};
use coop_core::money::Money;
use coop_core::patronage::{Basis, Percent};
use coop_core::CoopSettings;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

const ENTRIES_PER_MEMBER: usize = 5;
const MINUTES_PER_ENTRY: usize = 100;

fn sqlite3(db: &std::path::Path, sql: &str) {
    let out = Command::new("sqlite3").arg(db).arg(sql).output().expect("the sqlite3 client generates the benchmark data: install it");
    assert!(out.status.success(), "sqlite3: {}", String::from_utf8_lossy(&out.stderr));
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

fn main() {
    let members: usize = std::env::args().skip(1).find(|a| !a.starts_with('-')).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(run(members));
}

async fn run(members: usize) {
    let dir = tempfile::tempdir().unwrap();
    let url = coop_store::sqlite_url_for_dir(dir.path());
    let clock = Arc::new(FixedClock::new("2026-11-28T12:00:00Z".parse().unwrap()));
    let app = App::open(&url, clock, AppConfig::default()).await.unwrap();
    app.init(&CoopSettings::new("Bench Co-op", "USD", "UTC", "01-01", "en", 9).unwrap()).await.unwrap();
    let db = dir.path().join("coop.db");

    let t = Instant::now();
    sqlite3(
        &db,
        &format!(
            "BEGIN;
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {members})
             INSERT INTO members (id, name, email, created_at) SELECT i, 'Member ' || i, 'm' || i || '@bench.coop', '2024-01-01T00:00:00.000000Z' FROM n;
             INSERT INTO member_states (member_id, state, since, note, recorded_at)
               SELECT id, CASE WHEN id % 10 = 0 THEN 'candidate' ELSE 'member' END, CASE WHEN id % 10 = 0 THEN '2025-01-01' ELSE '2024-01-01' END, '', '2024-01-01T00:00:00.000000Z' FROM members;
             INSERT INTO member_states (member_id, state, since, note, recorded_at)
               SELECT id, 'member', '2025-07-01', '', '2025-07-01T00:00:00.000000Z' FROM members WHERE id % 10 = 0;
             INSERT INTO work_categories (id, name, created_at) VALUES (1, 'Development', 'x'), (2, 'Design', 'x'), (3, 'Admin', 'x');
             INSERT INTO category_rates (category_id, effective_from, rate_cents, weight_hundredths, created_at)
               VALUES (1, '2025-01-01', NULL, 100, 'x'), (2, '2025-01-01', NULL, 150, 'x'), (3, '2025-01-01', NULL, 75, 'x');
             WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < {last_entry})
             INSERT INTO time_entries (member_id, date, minutes, project_id, category_id, note, source, created_at)
               SELECT m.id, date('2025-01-06', '+' || (k.j * 70 + m.id % 60) || ' days'), {MINUTES_PER_ENTRY}, NULL, 1 + (m.id + k.j) % 3, '', 'import', 'x'
               FROM members m CROSS JOIN k;
             COMMIT;",
            last_entry = ENTRIES_PER_MEMBER - 1
        ),
    );
    let generated = t.elapsed();
    let total_minutes = members * ENTRIES_PER_MEMBER * MINUTES_PER_ENTRY;
    println!("data: {members} members, {} entries, {total_minutes} minutes, generated in {}", members * ENTRIES_PER_MEMBER, secs(generated));

    // The baseline: the raw aggregation through the same driver.
    let store = coop_store::Store::open(&url).await.unwrap();
    let mut best_raw = Duration::MAX;
    let mut raw_rows = 0;
    for _ in 0..3 {
        let mut c = store.read().await.unwrap();
        let t = Instant::now();
        raw_rows = coop_store::surplus::raw_minutes_by_member(&mut c, "2025-01-01", "2025-12-31").await.unwrap().len();
        best_raw = best_raw.min(t.elapsed());
    }
    println!("raw aggregation query ({raw_rows} rows): {}", secs(best_raw));
    // The parts of the preview that read the database, alone.
    {
        let mut c = store.read().await.unwrap();
        let states = coop_core::hours::COUNTS_MEMBERS_ONLY;
        for weighted in [false, true] {
            let mut best = Duration::MAX;
            let mut n = 0;
            for _ in 0..3 {
                let t = Instant::now();
                n = coop_store::surplus::patronage_hours(&mut c, "2025-01-01", "2025-12-31", states, weighted).await.unwrap().len();
                best = best.min(t.elapsed());
            }
            println!("  patronage query alone, {} ({n} rows): {}", if weighted { "weighted" } else { "hours" }, secs(best));
        }
        let t = Instant::now();
        let n = coop_store::work::member_emails(&mut c).await.unwrap().len();
        println!("  member emails ({n} rows): {}", secs(t.elapsed()));
    }

    let input = |basis: Basis, commit: bool| RunInput {
        year: 2025,
        surplus: Some(Money(1_234_567_891)),
        reserve: Some(Percent::whole(25).unwrap()),
        cash: Some(Percent::whole(20).unwrap()),
        basis: Some(basis),
        commit,
    };
    for (name, basis) in [("hours", Basis::Hours), ("weighted", Basis::Weighted)] {
        let mut best = Duration::MAX;
        let mut shared = 0;
        for _ in 0..3 {
            let t = Instant::now();
            let v = app.patronage_run(&Actor::Operator, input(basis, false)).await.unwrap();
            best = best.min(t.elapsed());
            shared = v.allocation.members.len();
            assert_eq!(v.allocation.members.iter().map(|m| m.allocation_cents).sum::<i64>(), v.allocation.pool_cents);
        }
        println!(
            "allocation preview, {name} basis ({shared} members with patronage): {}  = {:.2} x the raw query",
            secs(best),
            best.as_secs_f64() / best_raw.as_secs_f64()
        );
    }
    let t = Instant::now();
    let committed = app.patronage_run(&Actor::Operator, input(Basis::Hours, true)).await.unwrap();
    let commit = t.elapsed();
    assert!(committed.sealed_hash.is_some());
    println!("allocation commit, hours basis (posted, paid in instalments, sealed): {}  = {:.2} x the raw query", secs(commit), commit.as_secs_f64() / best_raw.as_secs_f64());
    store.close().await;
    app.close().await;
}
