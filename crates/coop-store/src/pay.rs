//! Pay: effective-dated rates of kinds of work, leave taken, pay-system versions, monthly pay
//! runs and corrections to locked months. The rules live in `coop_core::pay`; this module
//! only stores and reads.

use crate::Result;
use sqlx::AnyConnection;

/// The month (`YYYY-MM`) of a `YYYY-MM-DD` date.
pub fn month_of(date: &str) -> &str {
    date.get(..7).unwrap_or(date)
}

/// Whether the month holding `date` has an approved pay run, which locks its time entries and
/// leave: they then change only through corrections.
pub async fn month_locked(c: &mut AnyConnection, date: &str) -> Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM pay_runs WHERE month = $1 AND status = 'approved'")
        .bind(month_of(date))
        .fetch_optional(c)
        .await?;
    Ok(row.is_some())
}
