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
use std::ops::{Deref, DerefMut};
use std::path::Path;
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
}

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
        let store = Store { pool, backend, write_gate: Arc::new(Mutex::new(())) };
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
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => {
                // Writers of every process (server and CLI) queue on one advisory lock, held
                // until commit, so the journal's next sequence number is never contended.
                let mut tx = self.pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock(7316)").execute(&mut *tx).await?;
                tx
            }
        };
        Ok(WriteTx { tx, _gate: gate })
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
    _gate: OwnedMutexGuard<()>,
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
