//! Persistence for coop: migrations, queries and the sealed journal.
//!
//! SQLite is the embedded default and PostgreSQL the scale-out backend; the backend is
//! chosen by the database URL (`sqlite:` or `postgres:`). Queries are written once in portable
//! SQL (`$1` placeholders, `RETURNING`, text dates) and run through sqlx's `Any` driver, so
//! the same code and the same tests serve both. Only the migrations differ per backend.
//!
//! Reads take a pooled connection ([`Store::read`]); writes go through one gate
//! ([`Store::begin_write`]) so that at most one write transaction is open per process, which
//! is what SQLite wants and what keeps the journal's sequence gap-free. On SQLite the write
//! transaction starts with `BEGIN IMMEDIATE`, so it never has to upgrade a read lock; on
//! PostgreSQL it takes a transaction-scoped advisory lock, which queues writers across processes.
//!
//! Small, frequent writes (votes) can go through [`Store::write_grouped`] instead: writes that
//! queue while another holds the gate are applied together in one transaction, each inside
//! its own SAVEPOINT (so one refusal undoes only itself), committed once, and only then
//! answered. Every answer still waits for the fsync of the commit that holds it; the group
//! shares the fsync. The journal stays one entry per write, in commit order, because each
//! write appends to the chain inside the shared transaction, seeing the writes before it.

pub mod accounts;
pub mod capital;
pub mod decisions;
pub mod elections;
pub mod journal;
pub mod meetings;
pub mod members;
pub mod pay;
pub mod projects;
mod migrate;
pub mod settings;
pub mod surplus;
pub mod timesheet;
pub mod work;

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyConnection, Executor};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, Connection, Transaction};
use std::collections::VecDeque;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

pub use journal::{JournalEntry, JournalFilter, VerifyReport};

/// A database error, or a stored fact that contradicts the schema's rules.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration {version} ({name}) failed: {message}")]
    Migration { version: i64, name: String, message: String },
    #[error("unsupported database URL {0:?}: use sqlite:PATH or postgres://...")]
    UnsupportedUrl(String),
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    /// The grouped transaction that held this write did not commit (the write is not recorded).
    #[error("the write was not recorded: {0}")]
    NotCommitted(String),
}

impl StoreError {
    /// True when the error is a UNIQUE constraint refusing a duplicate.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Sqlx(sqlx::Error::Database(e)) if e.is_unique_violation())
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which database engine a [`Store`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl(url.to_string()))
        }
    }
}

/// Set on every SQLite connection.
const SQLITE_PRAGMAS: &[&str] =
    &["PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 10000"];

/// The database behind one co-op.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    write_gate: Arc<Mutex<()>>,
    /// Writes waiting for [`Store::write_grouped`]'s next group.
    queue: Arc<std::sync::Mutex<VecDeque<(u64, Box<dyn GroupJob>)>>>,
}

/// Numbers the queued writes, so that a caller that goes away can take its write back.
static NEXT_JOB: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Takes a queued write out of the queue if its caller goes away before a group took it.
struct Unqueue<'a> {
    store: &'a Store,
    id: u64,
}

impl Drop for Unqueue<'_> {
    fn drop(&mut self) {
        let mut q = self.store.queue.lock().unwrap_or_else(|p| p.into_inner());
        q.retain(|(id, _)| *id != self.id);
    }
}

/// A boxed future borrowing for `'a`, as the jobs of [`Store::write_grouped`] return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Most writes one group applies before it commits.
const MAX_GROUP: usize = 512;

/// The URL of the SQLite database file inside a data directory.
pub fn sqlite_url_for_dir(dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", dir.join("coop.db").display())
}

impl Store {
    /// Connects, applies the SQLite durability settings, and applies pending migrations.
    pub async fn open(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let options = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 10 })
            .acquire_timeout(Duration::from_secs(30))
            // A SQLite connection is a file handle in this process: it cannot go stale, so the
            // ping before each acquire (a round trip to the connection's worker thread, on
            // every request) buys nothing. PostgreSQL connections are still checked.
            .test_before_acquire(backend != Backend::Sqlite)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL for readers beside the writer; FULL so an acknowledged vote or
                        // payment survives power loss; a busy timeout so that another process
                        // (the CLI beside the server) queues instead of failing.
                        for pragma in SQLITE_PRAGMAS {
                            conn.execute(*pragma).await?;
                        }
                    }
                    Ok(())
                })
            });
        let pool = options.connect(url).await?;
        let store = Store { pool, backend, write_gate: Arc::new(Mutex::new(())), queue: Arc::default() };
        migrate::run(&store).await?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A connection for reads.
    pub async fn read(&self) -> Result<PoolConnection<Any>> {
        Ok(self.pool.acquire().await?)
    }

    /// Opens the one write transaction of this process; waits while another is open.
    pub async fn begin_write(&self) -> Result<WriteTx> {
        let gate = self.write_gate.clone().lock_owned().await;
        self.begin_gated(gate).await
    }

    async fn begin_gated(&self, gate: OwnedMutexGuard<()>) -> Result<WriteTx> {
        Ok(WriteTx { tx: self.begin_tx().await?, _gate: Some(gate) })
    }

    /// Begins a write transaction; the caller holds the write gate.
    async fn begin_tx(&self) -> Result<Transaction<'static, Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => {
                // Writers of every process (server and CLI) queue on one advisory lock, held
                // until commit, so the journal's next sequence number is never contended.
                let mut tx = self.pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock(7316)").execute(&mut *tx).await?;
                tx
            }
        })
    }

    /// Runs `job` in a write transaction shared with the other writes queued at the same
    /// time (group commit), and returns its result once that transaction has committed.
    ///
    /// The job runs inside its own SAVEPOINT: when it returns `Err`, its changes (journal
    /// entries included) are rolled back and the others in the group are kept. The job must
    /// not commit; it must not hold on to anything that has to be done after the commit (do
    /// that with the returned value). If the commit fails, a job that succeeded gets
    /// [`StoreError::NotCommitted`] and nothing of it is recorded.
    ///
    /// How it groups: the caller queues its job and waits for the write gate. Whoever gets the
    /// gate takes every queued job and runs them as one transaction in a task of its own (so
    /// a caller that goes away cannot abandon the others' group half-way); the callers whose
    /// jobs were taken are answered when it commits. While one group commits, the next queues.
    pub async fn write_grouped<T, E, F>(&self, job: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: for<'t> FnOnce(&'t mut WriteTx) -> BoxFuture<'t, Result<T, E>> + Send + 'static,
    {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let id = NEXT_JOB.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.queue.lock().unwrap_or_else(|p| p.into_inner()).push_back((id, Box::new(Job { job: Some(job), result: None, answer })));
        let _unqueue = Unqueue { store: self, id };
        tokio::pin!(answered);
        loop {
            tokio::select! {
                biased;
                r = &mut answered => {
                    return r.unwrap_or_else(|_| Err(E::from(StoreError::NotCommitted("the group's writer stopped before committing".into()))));
                }
                gate = self.write_gate.clone().lock_owned() => {
                    let group: Vec<Box<dyn GroupJob>> = {
                        let mut q = self.queue.lock().unwrap_or_else(|p| p.into_inner());
                        let n = q.len().min(MAX_GROUP);
                        q.drain(..n).map(|(_, job)| job).collect()
                    };
                    if group.is_empty() {
                        // Our job went into the group that just committed: its answer is in.
                        drop(gate);
                        continue;
                    }
                    let store = self.clone();
                    tokio::spawn(store.run_group(gate, group));
                    // Wait for the answer (ours is in this group, or in an earlier one).
                    return answered
                        .await
                        .unwrap_or_else(|_| Err(E::from(StoreError::NotCommitted("the group's writer stopped before committing".into()))));
                }
            }
        }
    }

    /// Applies one group in one transaction, commits, then answers every job in it.
    fn run_group(self, gate: OwnedMutexGuard<()>, mut group: Vec<Box<dyn GroupJob>>) -> BoxFuture<'static, ()> {
        Box::pin(async move {
            let outcome: Result<()> = async {
                let mut tx = WriteTx { tx: self.begin_tx().await?, _gate: None };
                if let [job] = &mut group[..] {
                    // Alone: a refusal rolls the whole transaction back, no savepoint needed.
                    if !job.run(&mut tx).await {
                        tx.tx.rollback().await?;
                        return Ok(());
                    }
                    return tx.commit().await;
                }
                for job in group.iter_mut() {
                    savepoint(&mut tx, "SAVEPOINT coop_group_write").await?;
                    if job.run(&mut tx).await {
                        savepoint(&mut tx, "RELEASE SAVEPOINT coop_group_write").await?;
                    } else {
                        savepoint(&mut tx, "ROLLBACK TO SAVEPOINT coop_group_write").await?;
                        savepoint(&mut tx, "RELEASE SAVEPOINT coop_group_write").await?;
                    }
                }
                tx.commit().await
            }
            .await;
            let failure = outcome.err().map(|e| e.to_string());
            for job in group {
                job.finish(failure.as_deref());
            }
            drop(gate);
        })
    }

    /// Writes a consistent copy of the whole database to `path` while others keep working
    /// (SQLite `VACUUM INTO`). The file must not exist yet.
    pub async fn backup_to(&self, path: &Path) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::UnsupportedUrl("backup of PostgreSQL: use pg_dump".into()));
        }
        let mut conn = self.read().await?;
        sqlx::query("VACUUM INTO $1").bind(path.display().to_string()).execute(&mut *conn).await?;
        Ok(())
    }

    /// Closes every connection, checkpointing SQLite's WAL into the main file.
    pub async fn close(self) {
        if self.backend == Backend::Sqlite {
            if let Ok(mut c) = self.pool.acquire().await {
                let _ = sqlx::raw_sql("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut *c).await;
            }
        }
        self.pool.close().await;
    }
}

/// An open write transaction. Dropping it without [`WriteTx::commit`] rolls everything back,
/// journal entries included.
pub struct WriteTx {
    tx: Transaction<'static, Any>,
    /// `None` inside a group, whose runner holds the gate.
    _gate: Option<OwnedMutexGuard<()>>,
}

fn savepoint<'a>(tx: &'a mut WriteTx, sql: &'static str) -> BoxFuture<'a, Result<()>> {
    Box::pin(async move {
        tx.execute(sql).await?;
        Ok(())
    })
}

/// One queued write of a group, with the way to answer its caller.
trait GroupJob: Send {
    /// Runs the write; true when it succeeded (its savepoint is kept).
    fn run<'t>(&'t mut self, tx: &'t mut WriteTx) -> BoxFuture<'t, bool>;
    /// Answers the caller, after the commit (`None`) or its failure (`Some(why)`).
    fn finish(self: Box<Self>, failure: Option<&str>);
}

struct Job<F, T, E> {
    job: Option<F>,
    result: Option<Result<T, E>>,
    answer: tokio::sync::oneshot::Sender<Result<T, E>>,
}

impl<T, E, F> GroupJob for Job<F, T, E>
where
    T: Send + 'static,
    E: From<StoreError> + Send + 'static,
    F: for<'t> FnOnce(&'t mut WriteTx) -> BoxFuture<'t, Result<T, E>> + Send + 'static,
{
    fn run<'t>(&'t mut self, tx: &'t mut WriteTx) -> BoxFuture<'t, bool> {
        Box::pin(async move {
            let Some(job) = self.job.take() else { return false };
            let result = job(tx).await;
            let ok = result.is_ok();
            self.result = Some(result);
            ok
        })
    }

    fn finish(self: Box<Self>, failure: Option<&str>) {
        let answer = match (self.result, failure) {
            // A refusal stands whatever happened to the others.
            (Some(Err(refused)), _) => Err(refused),
            (Some(Ok(done)), None) => Ok(done),
            (Some(Ok(_)), Some(why)) | (None, Some(why)) => Err(E::from(StoreError::NotCommitted(why.to_string()))),
            (None, None) => Err(E::from(StoreError::NotCommitted("the write was not run".into()))),
        };
        let _ = self.answer.send(answer);
    }
}

impl WriteTx {
    pub async fn commit(self) -> Result<()> {
        Ok(self.tx.commit().await?)
    }
}

impl Deref for WriteTx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

/// A database connection, as the query functions take it.
pub type Conn = AnyConnection;

/// Checks that a connection is usable (for `/healthz`).
pub async fn ping(conn: &mut AnyConnection) -> Result<()> {
    Ok(conn.ping().await?)
}
