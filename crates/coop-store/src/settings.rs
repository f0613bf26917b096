//! The co-op's settings row (there is exactly one co-op per database).

use crate::{Result, StoreError};
use coop_core::CoopSettings;
use sqlx::AnyConnection;

pub async fn get(c: &mut AnyConnection) -> Result<Option<CoopSettings>> {
    let row: Option<(String, String, String, String, String, i64)> =
        sqlx::query_as("SELECT name, currency, timezone, fiscal_year_start, language, candidacy_months FROM coop_settings WHERE id = 1")
            .fetch_optional(c)
            .await?;
    row.map(|(name, currency, tz, fy, lang, months)| {
        CoopSettings::new(&name, &currency, &tz, &fy, &lang, months as i32).map_err(|e| StoreError::Corrupt(e.to_string()))
    })
    .transpose()
}

pub async fn insert(c: &mut AnyConnection, s: &CoopSettings, at: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO coop_settings (id, name, currency, timezone, fiscal_year_start, language, candidacy_months, created_at) \
         VALUES (1, $1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&s.name)
    .bind(&s.currency)
    .bind(&s.timezone)
    .bind(&s.fiscal_year_start)
    .bind(&s.language)
    .bind(s.candidacy_months as i64)
    .bind(at)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn update(c: &mut AnyConnection, s: &CoopSettings) -> Result<()> {
    sqlx::query(
        "UPDATE coop_settings SET name = $1, currency = $2, timezone = $3, fiscal_year_start = $4, language = $5, candidacy_months = $6 WHERE id = 1",
    )
    .bind(&s.name)
    .bind(&s.currency)
    .bind(&s.timezone)
    .bind(&s.fiscal_year_start)
    .bind(&s.language)
    .bind(s.candidacy_months as i64)
    .execute(c)
    .await?;
    Ok(())
}
