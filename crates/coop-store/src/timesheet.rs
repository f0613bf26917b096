//! The weekly timesheet and the Work reports: one member's entries over a week, changing the
//! minutes of a manual entry, and sums of minutes by member and month, project, kind of work and
//! month over a date range.
//!
//! Dates are `YYYY-MM-DD` text, so a month is the first seven characters (`SUBSTR(date, 1, 7)`,
//! the same in SQLite and PostgreSQL) and ranges compare as text. Sums are cast to `BIGINT` so
//! that both backends hand back an `i64` through sqlx's `Any` driver.

use crate::Result;
use sqlx::AnyConnection;

/// One time entry as the timesheet sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetEntry {
    pub id: i64,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub minutes: i64,
    pub project_id: Option<i64>,
    pub project: Option<String>,
    /// `manual` or `import`.
    pub source: String,
}

/// A row of [`member_entries`]' query, in [`SheetEntry`]'s field order.
type SheetEntryRow = (i64, String, i64, Option<i64>, Option<String>, String);

/// A member's entries from `from` to `to` (both included), oldest first.
pub async fn member_entries(c: &mut AnyConnection, member_id: i64, from: &str, to: &str) -> Result<Vec<SheetEntry>> {
    let rows: Vec<SheetEntryRow> = sqlx::query_as(
        "SELECT t.id, t.date, t.minutes, t.project_id, p.name, t.source FROM time_entries t LEFT JOIN projects p ON p.id = t.project_id \
         WHERE t.member_id = $1 AND t.date >= $2 AND t.date <= $3 ORDER BY t.date, t.id",
    )
    .bind(member_id)
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(|(id, date, minutes, project_id, project, source)| SheetEntry { id, date, minutes, project_id, project, source }).collect())
}

/// The projects (by name) a member logged time on from `from` to `to`, and whether they
/// logged time without a project then, as `(names, any_without_project)`.
pub async fn member_projects(c: &mut AnyConnection, member_id: i64, from: &str, to: &str) -> Result<(Vec<String>, bool)> {
    let rows: Vec<(Option<String>,)> = sqlx::query_as(
        "SELECT DISTINCT p.name FROM time_entries t LEFT JOIN projects p ON p.id = t.project_id \
         WHERE t.member_id = $1 AND t.date >= $2 AND t.date <= $3",
    )
    .bind(member_id)
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await?;
    let without = rows.iter().any(|(p,)| p.is_none());
    let mut names: Vec<String> = rows.into_iter().filter_map(|(p,)| p).collect();
    names.sort_by_key(|n| n.to_lowercase());
    Ok((names, without))
}

/// Sets the minutes of one entry.
pub async fn set_entry_minutes(c: &mut AnyConnection, id: i64, minutes: i64) -> Result<()> {
    sqlx::query("UPDATE time_entries SET minutes = $1 WHERE id = $2").bind(minutes).bind(id).execute(c).await?;
    Ok(())
}

/// Deletes one entry; an entry that a correction refers to is set to zero minutes instead, so
/// that the correction's trail keeps pointing at something.
pub async fn delete_entry(c: &mut AnyConnection, id: i64) -> Result<()> {
    let (refs,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM time_corrections WHERE entry_id = $1").bind(id).fetch_one(&mut *c).await?;
    if refs > 0 {
        set_entry_minutes(c, id, 0).await
    } else {
        sqlx::query("DELETE FROM time_entries WHERE id = $1").bind(id).execute(c).await?;
        Ok(())
    }
}

/// Minutes per member and month from `from` to `to`, as `(member_id, name, "YYYY-MM", minutes)`,
/// ordered by member name.
pub async fn minutes_by_member_month(c: &mut AnyConnection, from: &str, to: &str) -> Result<Vec<(i64, String, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT m.id, m.name, SUBSTR(t.date, 1, 7), CAST(SUM(t.minutes) AS BIGINT) FROM time_entries t JOIN members m ON m.id = t.member_id \
         WHERE t.date >= $1 AND t.date <= $2 GROUP BY m.id, m.name, SUBSTR(t.date, 1, 7) ORDER BY m.name, m.id, SUBSTR(t.date, 1, 7)",
    )
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await?)
}

/// Minutes per project (`None`: entries without one) from `from` to `to`, most first.
pub async fn minutes_by_project(c: &mut AnyConnection, from: &str, to: &str) -> Result<Vec<(Option<String>, i64)>> {
    Ok(sqlx::query_as(
        "SELECT p.name, CAST(SUM(t.minutes) AS BIGINT) FROM time_entries t LEFT JOIN projects p ON p.id = t.project_id \
         WHERE t.date >= $1 AND t.date <= $2 GROUP BY p.name ORDER BY CAST(SUM(t.minutes) AS BIGINT) DESC, p.name",
    )
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await?)
}

/// Minutes per kind of work (`None`: entries without one) from `from` to `to`, most first.
pub async fn minutes_by_category(c: &mut AnyConnection, from: &str, to: &str) -> Result<Vec<(Option<String>, i64)>> {
    Ok(sqlx::query_as(
        "SELECT k.name, CAST(SUM(t.minutes) AS BIGINT) FROM time_entries t LEFT JOIN work_categories k ON k.id = t.category_id \
         WHERE t.date >= $1 AND t.date <= $2 GROUP BY k.name ORDER BY CAST(SUM(t.minutes) AS BIGINT) DESC, k.name",
    )
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await?)
}

/// Minutes per month (`YYYY-MM`) from `from` to `to`, months without entries left out.
pub async fn minutes_by_month(c: &mut AnyConnection, from: &str, to: &str) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT SUBSTR(date, 1, 7), CAST(SUM(minutes) AS BIGINT) FROM time_entries WHERE date >= $1 AND date <= $2 \
         GROUP BY SUBSTR(date, 1, 7) ORDER BY SUBSTR(date, 1, 7)",
    )
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await?)
}

/// The members with a commitment for `year`, as `(member_id, name)` by name.
pub async fn committed_members(c: &mut AnyConnection, year: i64) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as("SELECT m.id, m.name FROM commitments k JOIN members m ON m.id = k.member_id WHERE k.year = $1 ORDER BY m.name, m.id")
        .bind(year)
        .fetch_all(c)
        .await?)
}

/// The years that have time entries or commitments, newest first (for a year picker).
pub async fn years_with_hours(c: &mut AnyConnection) -> Result<Vec<i64>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT SUBSTR(date, 1, 4) FROM time_entries UNION SELECT DISTINCT CAST(year AS TEXT) FROM commitments",
    )
    .fetch_all(c)
    .await?;
    let mut years: Vec<i64> = rows.into_iter().filter_map(|(y,)| y.parse().ok()).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    Ok(years)
}
