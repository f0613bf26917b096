//! The baseline for durable writes: raw SQLite inserts, one per committed transaction, with
//! the durability coop uses (WAL, `synchronous = FULL`), measured for a few seconds.
//! `bench/votes` prints the HTTP vote rate as a ratio to this.
//!
//! Run: `cargo bench -p coop-store --bench raw_inserts -- [SECONDS] [DIR]`

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, Executor};
use std::time::{Duration, Instant};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let seconds: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let dir = args.next().map(std::path::PathBuf::from).unwrap_or_else(std::env::temp_dir);
    let path = dir.join(format!("raw-inserts-{}.db", std::process::id()));
    let mut conn = SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .connect()
        .await
        .expect("open SQLite");
    conn.execute("CREATE TABLE votes (id INTEGER PRIMARY KEY, proposal INTEGER, member INTEGER, choice TEXT, at TEXT)").await.expect("create");
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut n: u64 = 0;
    while Instant::now() < until {
        let mut tx = conn.begin().await.expect("begin");
        sqlx::query("INSERT INTO votes (proposal, member, choice, at) VALUES (1, ?1, 'yes', '2026-11-28T12:00:00.000000Z')")
            .bind(n as i64)
            .execute(&mut *tx)
            .await
            .expect("insert");
        tx.commit().await.expect("commit");
        n += 1;
    }
    let rate = n as f64 / started.elapsed().as_secs_f64();
    println!("raw_inserts_per_second {rate:.0}");
    drop(conn);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
