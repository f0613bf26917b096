//! Use cases: what a person can do with coop.
//!
//! Each use case authorises the actor (one policy function per use case, in [`policy`]),
//! opens a transaction, lets `coop-core` decide, writes through `coop-store`, appends to the
//! journal in the same transaction and commits. The CLI and the web server both call these
//! and never the store, so a rule or a permission lives in exactly one place.

pub mod accounts;
pub mod capital;
pub mod clock;
pub mod coop;
pub mod decisions;
pub mod elections;
pub mod journal;
pub mod meetings;
pub mod members;
pub mod notify;
pub mod pay;
pub mod policy;
pub mod projects;
pub mod surplus;
pub mod throttle;
pub mod timesheet;
pub mod work;

use clock::Clock;
use coop_core::member::{MemberState, Role};
use coop_store::{Store, StoreError, WriteTx};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

pub use coop_store::{JournalEntry, JournalFilter, VerifyReport};

/// Why a use case refused or failed. Interfaces map these to exit codes and HTTP statuses.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("sign in first")]
    Unauthenticated,
    #[error("not allowed: {0}")]
    Forbidden(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("{message}")]
    Invalid { field: String, message: String },
    #[error("{0}")]
    Conflict(String),
    #[error("too many failed sign-ins; try again in {retry_after_secs} seconds")]
    Throttled { retry_after_secs: u64 },
    #[error("no co-op here yet: run `coop init --name NAME` first")]
    NotInitialised,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> AppError {
        AppError::Invalid { field: field.to_string(), message: message.into() }
    }
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// Who is asking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// coop itself: the background task that closes proposals at their deadline.
    System,
    /// Someone with shell access to the data directory (the CLI). They could edit the
    /// database file directly, so refusing them would protect nothing; their writes are
    /// journaled as `cli`.
    Operator,
    /// A signed-in member.
    Member(MemberActor),
}

/// A signed-in member as the policies see them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberActor {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub roles: Vec<Role>,
    /// Their state today.
    pub state: Option<MemberState>,
    pub language: Option<String>,
}

impl Actor {
    /// The text written into the journal's `actor` column.
    pub fn journal_name(&self) -> String {
        match self {
            Actor::Operator => "cli".to_string(),
            Actor::System => "system".to_string(),
            Actor::Member(m) => format!("member:{}", m.id),
        }
    }

    pub fn has_role(&self, role: Role) -> bool {
        match self {
            Actor::Operator | Actor::System => true,
            Actor::Member(m) => m.roles.contains(&role),
        }
    }

    pub fn member_id(&self) -> Option<i64> {
        match self {
            Actor::Operator | Actor::System => None,
            Actor::Member(m) => Some(m.id),
        }
    }
}

/// Tunable lifetimes and limits.
#[derive(Clone, Debug)]
pub struct AppConfig {
    /// A session ends this long after sign-in, whatever happens.
    pub session_ttl: Duration,
    /// A reset link works this long, once.
    pub reset_ttl: Duration,
    pub throttle: throttle::ThrottleConfig,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            session_ttl: Duration::from_secs(12 * 3600),
            reset_ttl: Duration::from_secs(24 * 3600),
            throttle: throttle::ThrottleConfig::default(),
        }
    }
}

/// The application: a store, a clock and the in-memory sign-in throttle.
#[derive(Clone)]
pub struct App {
    store: Store,
    clock: Arc<dyn Clock>,
    config: AppConfig,
    throttle: Arc<throttle::Throttle>,
    notifier: Arc<dyn notify::Notifier>,
}

impl App {
    /// Opens (and migrates) the database at `url`.
    pub async fn open(url: &str, clock: Arc<dyn Clock>, config: AppConfig) -> Result<App> {
        let store = Store::open(url).await?;
        let throttle = Arc::new(throttle::Throttle::new(config.throttle.clone()));
        Ok(App { store, clock, config, throttle, notifier: Arc::new(notify::LogNotifier) })
    }

    /// Sends notifications through `notifier` instead of the log.
    pub fn with_notifier(mut self, notifier: Arc<dyn notify::Notifier>) -> App {
        self.notifier = notifier;
        self
    }

    pub fn store_backend(&self) -> coop_store::Backend {
        self.store.backend()
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The current instant as stored text.
    fn now_text(&self) -> String {
        coop_core::time::instant_text(self.clock.now())
    }

    /// Today in the co-op's time zone (UTC before the co-op exists).
    pub async fn today(&self) -> Result<jiff::civil::Date> {
        let tz = match self.settings_opt().await? {
            Some(s) => s.tz(),
            None => jiff::tz::TimeZone::UTC,
        };
        Ok(self.clock.now().to_zoned(tz).date())
    }

    /// Appends a journal entry for a change made in `tx`.
    async fn journal(&self, tx: &mut WriteTx, actor: &Actor, action: &str, subject: &str, payload: Value) -> Result<JournalEntry> {
        Ok(coop_store::journal::append(tx, &self.now_text(), &actor.journal_name(), action, subject, &payload).await?)
    }

    /// Closes the database cleanly.
    pub async fn close(self) {
        self.store.close().await
    }
}

/// Maps a unique-constraint failure to a conflict a person can act on.
fn unique_or(e: StoreError, message: impl FnOnce() -> String) -> AppError {
    if e.is_unique_violation() {
        AppError::Conflict(message())
    } else {
        AppError::Store(e)
    }
}
