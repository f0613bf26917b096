//! Versioned migrations, embedded in the binary and applied at start.

use crate::{Backend, Result, Store, StoreError};
use coop_core::time::instant_text;

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

/// Every migration, oldest first. Never edit one that has shipped: add a new one.
const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sqlite: include_str!("../migrations/sqlite/0001_foundation.sql"),
        postgres: include_str!("../migrations/postgres/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        name: "decisions",
        sqlite: include_str!("../migrations/sqlite/0002_decisions.sql"),
        postgres: include_str!("../migrations/postgres/0002_decisions.sql"),
    },
    Migration {
        version: 3,
        name: "work",
        sqlite: include_str!("../migrations/sqlite/0003_work.sql"),
        postgres: include_str!("../migrations/postgres/0003_work.sql"),
    },
    Migration {
        version: 4,
        name: "pay",
        sqlite: include_str!("../migrations/sqlite/0004_pay.sql"),
        postgres: include_str!("../migrations/postgres/0004_pay.sql"),
    },
    Migration {
        version: 5,
        name: "meetings",
        sqlite: include_str!("../migrations/sqlite/0005_meetings.sql"),
        postgres: include_str!("../migrations/postgres/0005_meetings.sql"),
    },
    Migration {
        version: 6,
        name: "surplus",
        sqlite: include_str!("../migrations/sqlite/0006_surplus.sql"),
        postgres: include_str!("../migrations/postgres/0006_surplus.sql"),
    },
    Migration {
        version: 7,
        name: "drop_date_index",
        sqlite: include_str!("../migrations/sqlite/0007_drop_date_index.sql"),
        postgres: include_str!("../migrations/postgres/0007_drop_date_index.sql"),
    },
    Migration {
        version: 8,
        name: "cash_paid",
        sqlite: include_str!("../migrations/sqlite/0008_cash_paid.sql"),
        postgres: include_str!("../migrations/postgres/0008_cash_paid.sql"),
    },
];

pub(crate) async fn run(store: &Store) -> Result<()> {
    let mut tx = store.begin_write().await?;
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )
    .execute(&mut *tx)
    .await?;
    let applied: Vec<(i64,)> = sqlx::query_as("SELECT version FROM schema_migrations ORDER BY version").fetch_all(&mut *tx).await?;
    let latest_known = MIGRATIONS.last().map(|m| m.version).unwrap_or(0);
    if let Some((newest,)) = applied.last() {
        if *newest > latest_known {
            return Err(StoreError::Corrupt(format!(
                "the database is at schema version {newest}, newer than this coop knows ({latest_known}); upgrade coop"
            )));
        }
    }
    for m in MIGRATIONS {
        if applied.iter().any(|(v,)| *v == m.version) {
            continue;
        }
        let sql = match store.backend() {
            Backend::Sqlite => m.sqlite,
            Backend::Postgres => m.postgres,
        };
        sqlx::raw_sql(sql).execute(&mut *tx).await.map_err(|e| StoreError::Migration {
            version: m.version,
            name: m.name.to_string(),
            message: e.to_string(),
        })?;
        sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
            .bind(m.version)
            .bind(m.name)
            .bind(instant_text(jiff::Timestamp::now()))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}
