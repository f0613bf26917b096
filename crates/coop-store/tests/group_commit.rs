//! Group commit ([`Store::write_grouped`]): writes queued together share one transaction,
//! each answered only after that transaction committed; a refused write undoes only itself;
//! the journal stays one entry per write, gap-free, in commit order.
//!
//! Each test runs on a fresh SQLite file, and also on a fresh PostgreSQL database when
//! `COOP_TEST_POSTGRES_URL` is set.

use coop_store::{journal, Store, StoreError};
use serde_json::json;
use sqlx::{Connection, Executor};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

const POSTGRES_ENV: &str = "COOP_TEST_POSTGRES_URL";

/// A fresh store; dropping the guard removes a PostgreSQL database again.
struct Fresh {
    store: Store,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl Fresh {
    async fn sqlite() -> Fresh {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&coop_store::sqlite_url_for_dir(dir.path())).await.unwrap();
        Fresh { store, _dir: Some(dir), pg: None }
    }

    async fn postgres(base: &str) -> Fresh {
        sqlx::any::install_default_drivers();
        let name = format!("coop_group_commit_{}_{}", std::process::id(), rand_suffix());
        let mut admin = sqlx::AnyConnection::connect(base).await.unwrap();
        admin.execute(format!("CREATE DATABASE {name}").as_str()).await.unwrap();
        let (head, query) = base.split_once('?').map(|(h, q)| (h, format!("?{q}"))).unwrap_or((base, String::new()));
        let url = format!("{}/{name}{query}", &head[..head.rfind('/').unwrap()]);
        let store = Store::open(&url).await.unwrap();
        Fresh { store, _dir: None, pg: Some((base.to_string(), name)) }
    }

    async fn done(self) {
        self.store.close().await;
        if let Some((base, name)) = self.pg {
            let mut admin = sqlx::AnyConnection::connect(&base).await.unwrap();
            admin.execute(format!("DROP DATABASE IF EXISTS {name}").as_str()).await.unwrap();
        }
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
}

async fn each_backend<F, Fut>(test: F)
where
    F: Fn(Store) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let fresh = Fresh::sqlite().await;
    test(fresh.store.clone()).await;
    fresh.done().await;
    match std::env::var(POSTGRES_ENV).ok().filter(|s| !s.trim().is_empty()) {
        Some(base) => {
            let fresh = Fresh::postgres(base.trim()).await;
            test(fresh.store.clone()).await;
            fresh.done().await;
        }
        None => eprintln!("PostgreSQL half skipped: set {POSTGRES_ENV}"),
    }
}

/// Subjects of the journal entries after `after`, in sequence order, with their sequences.
async fn entries_after(store: &Store, after: i64) -> Vec<(i64, String)> {
    let mut c = store.read().await.unwrap();
    let f = journal::JournalFilter { action_prefix: Some("test.".into()), limit: 1000, ..Default::default() };
    let mut rows: Vec<(i64, String)> = journal::list(&mut c, &f).await.unwrap().into_iter().filter(|e| e.seq > after).map(|e| (e.seq, e.subject)).collect();
    rows.sort();
    rows
}

async fn head(store: &Store) -> i64 {
    let mut c = store.read().await.unwrap();
    journal::head(&mut c).await.unwrap().0
}

/// Queues `n` writes while the gate is held, so that they form one group, and makes write
/// `refuse` fail after it appended its journal entry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_write_undoes_only_itself_and_the_journal_stays_one_entry_per_write() {
    each_backend(|store| async move {
        let before = head(&store).await;
        let held = store.begin_write().await.unwrap();
        let mut tasks = Vec::new();
        for i in 0..10i64 {
            let s = store.clone();
            tasks.push(tokio::spawn(async move {
                s.write_grouped(move |tx| {
                    Box::pin(async move {
                        let e = journal::append(tx, "2026-11-28T12:00:00.000000Z", "test", "test.write", &format!("w:{i}"), &json!({"i": i})).await?;
                        if i == 4 {
                            return Err(StoreError::Corrupt("refused".into()));
                        }
                        Ok(e.seq)
                    })
                })
                .await
            }));
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        drop(held);
        let mut ok = Vec::new();
        for (i, t) in tasks.into_iter().enumerate() {
            match t.await.unwrap() {
                Ok(seq) => ok.push((seq, format!("w:{i}"))),
                Err(e) => {
                    assert_eq!(i, 4, "only write 4 is refused, but write {i} failed: {e}");
                    assert!(matches!(e, StoreError::Corrupt(_)), "the refusal itself is the answer: {e}");
                }
            }
        }
        assert_eq!(ok.len(), 9, "the nine others are recorded");
        ok.sort();
        let stored = entries_after(&store, before).await;
        assert_eq!(stored, ok, "each answered sequence is the stored entry of that write");
        let seqs: Vec<i64> = stored.iter().map(|e| e.0).collect();
        assert_eq!(seqs, ((before + 1)..=(before + 9)).collect::<Vec<_>>(), "one entry per write, no gap where the refused one was");
        let subjects: BTreeSet<String> = stored.into_iter().map(|e| e.1).collect();
        assert!(!subjects.contains("w:4"), "the refused write's journal entry was rolled back");
        let mut c = store.read().await.unwrap();
        let report = journal::verify(&mut c).await.unwrap();
        assert!(report.ok(), "the chain verifies: {:?}", report.fault);
    })
    .await;
}

/// Two writes in one group: the first is answered only once the group committed, which is
/// after the second (slow) one finished. Another connection sees both by then.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grouped_write_is_answered_only_after_the_commit() {
    each_backend(|store| async move {
        let before = head(&store).await;
        let held = store.begin_write().await.unwrap();
        let write = |s: Store, name: &'static str, linger: Duration| {
            tokio::spawn(async move {
                s.write_grouped(move |tx| {
                    Box::pin(async move {
                        journal::append(tx, "2026-11-28T12:00:00.000000Z", "test", "test.write", name, &json!({})).await?;
                        tokio::time::sleep(linger).await;
                        Ok::<_, StoreError>(())
                    })
                })
                .await
            })
        };
        let fast = write(store.clone(), "fast", Duration::ZERO);
        tokio::time::sleep(Duration::from_millis(100)).await;
        let slow = write(store.clone(), "slow", Duration::from_millis(400));
        tokio::time::sleep(Duration::from_millis(200)).await;
        let released = Instant::now();
        drop(held);
        fast.await.unwrap().expect("the fast write is recorded");
        let waited = released.elapsed();
        // Read on another connection, which sees only committed data.
        let seen: Vec<String> = entries_after(&store, before).await.into_iter().map(|e| e.1).collect();
        assert_eq!(seen, vec!["fast".to_string(), "slow".to_string()], "when the fast write is answered, its group (both) has committed");
        assert!(waited >= Duration::from_millis(400), "the fast write waited for its group's commit, not just its own savepoint ({waited:?})");
        slow.await.unwrap().expect("the slow write is recorded");
    })
    .await;
}

/// A write alone (nobody else queued) is committed and answered as before.
#[tokio::test]
async fn a_lone_write_commits() {
    each_backend(|store| async move {
        let before = head(&store).await;
        let seq = store
            .write_grouped(|tx| Box::pin(async move { Ok::<_, StoreError>(journal::append(tx, "2026-11-28T12:00:00.000000Z", "test", "test.write", "alone", &json!({})).await?.seq) }))
            .await
            .unwrap();
        assert_eq!(seq, before + 1);
        assert_eq!(entries_after(&store, before).await, vec![(seq, "alone".to_string())]);
    })
    .await;
}
