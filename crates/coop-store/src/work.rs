//! Work: projects, kinds of work (categories), time entries and yearly commitments.
//!
//! The rules (the 24-hour day, imports, balances) live in `coop-core`; this module only
//! stores and reads. Names of projects and kinds of work are matched ignoring case.

use crate::Result;
use sqlx::AnyConnection;

/// A time entry to record.
#[derive(Clone, Debug)]
pub struct NewEntry<'a> {
    pub member_id: i64,
    /// `YYYY-MM-DD`.
    pub date: &'a str,
    pub minutes: i64,
    pub project_id: Option<i64>,
    pub category_id: Option<i64>,
    pub note: &'a str,
    /// `manual` or `import`.
    pub source: &'a str,
}

pub async fn project_names(c: &mut AnyConnection) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT name FROM projects ORDER BY name").fetch_all(c).await?;
    Ok(rows.into_iter().map(|(n,)| n).collect())
}

pub async fn category_names(c: &mut AnyConnection) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT name FROM work_categories ORDER BY name").fetch_all(c).await?;
    Ok(rows.into_iter().map(|(n,)| n).collect())
}

/// The id of the project named `name`, ignoring case.
pub async fn project_id(c: &mut AnyConnection, name: &str) -> Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM projects WHERE LOWER(name) = LOWER($1) ORDER BY id LIMIT 1").bind(name).fetch_optional(c).await?;
    Ok(row.map(|(id,)| id))
}

/// The id of the kind of work named `name`, ignoring case.
pub async fn category_id(c: &mut AnyConnection, name: &str) -> Result<Option<i64>> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM work_categories WHERE LOWER(name) = LOWER($1) ORDER BY id LIMIT 1").bind(name).fetch_optional(c).await?;
    Ok(row.map(|(id,)| id))
}

pub async fn insert_project(c: &mut AnyConnection, name: &str, client: Option<&str>, billable: bool, at: &str) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as("INSERT INTO projects (name, client, billable, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(name)
        .bind(client)
        .bind(billable as i64)
        .bind(at)
        .fetch_one(c)
        .await?;
    Ok(id)
}

pub async fn insert_category(c: &mut AnyConnection, name: &str, at: &str) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as("INSERT INTO work_categories (name, created_at) VALUES ($1, $2) RETURNING id").bind(name).bind(at).fetch_one(c).await?;
    Ok(id)
}

pub async fn insert_entry(c: &mut AnyConnection, e: &NewEntry<'_>, at: &str) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO time_entries (member_id, date, minutes, project_id, category_id, note, source, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(e.member_id)
    .bind(e.date)
    .bind(e.minutes)
    .bind(e.project_id)
    .bind(e.category_id)
    .bind(e.note)
    .bind(e.source)
    .bind(at)
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// Rows per multi-row `INSERT` in [`insert_entries`]: 6 bound values a row, 6,000 a statement,
/// far below SQLite's limit (32,766) and PostgreSQL's (65,535), and large enough that the
/// statement's round trip is spread over many rows.
pub const ENTRY_BATCH: usize = 1000;

/// `text` as an SQL string literal (standard SQL: quotes doubled), for both backends.
fn sql_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The SQL of a multi-row insert of `rows` entries of one `source` recorded `at`. SQLite gets
/// anonymous `?` placeholders: it looks a numbered one (`$7`) up by a linear scan, which makes
/// binding thousands of them quadratic (a thousand-row statement with `$N` inserts 17,000 rows
/// a second, with `?` 137,000). PostgreSQL needs `$N`. The source and the time, the same for
/// every row, are literals: sqlx copies every bound text value once more on its way to SQLite.
fn insert_entries_sql(rows: usize, sqlite: bool, source: &str, at: &str) -> String {
    let constants = format!("{}, {}", sql_literal(source), sql_literal(at));
    let mut sql = String::with_capacity(120 + rows * (40 + constants.len()));
    sql.push_str("INSERT INTO time_entries (member_id, date, minutes, project_id, category_id, note, source, created_at) VALUES ");
    for i in 0..rows {
        if i > 0 {
            sql.push(',');
        }
        if sqlite {
            sql.push_str("(?, ?, ?, ?, ?, ?, ");
        } else {
            let p = i * 6;
            sql.push_str(&format!("(${}, ${}, ${}, ${}, ${}, ${}, ", p + 1, p + 2, p + 3, p + 4, p + 5, p + 6));
        }
        sql.push_str(&constants);
        sql.push(')');
    }
    sql
}

/// True when the connection talks to SQLite.
fn is_sqlite(c: &AnyConnection) -> bool {
    c.backend_name().eq_ignore_ascii_case("sqlite")
}

/// Records many entries with multi-row inserts of up to [`ENTRY_BATCH`] rows, in the caller's
/// transaction: the same rows as [`insert_entry`] one by one, in order.
pub async fn insert_entries(c: &mut AnyConnection, entries: &[NewEntry<'_>], at: &str) -> Result<()> {
    let sqlite = is_sqlite(c);
    let mut start = 0;
    while start < entries.len() {
        // A statement per run of one source, at most ENTRY_BATCH rows long.
        let source = entries[start].source;
        let run = entries[start..].iter().take(ENTRY_BATCH).take_while(|e| e.source == source).count();
        let chunk = &entries[start..start + run];
        start += run;
        let sql = insert_entries_sql(chunk.len(), sqlite, source, at);
        let mut q = sqlx::query(&sql);
        for e in chunk {
            q = q.bind(e.member_id).bind(e.date).bind(e.minutes).bind(e.project_id).bind(e.category_id).bind(e.note);
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

/// Makes SQLite's page cache of this connection large (64 MiB) for a bulk write and returns
/// the size to restore with [`end_bulk_write`]; `None` on PostgreSQL. A million entries touch
/// four B-trees (the table and three indexes); with the default 2 MiB cache SQLite writes
/// pages out and reads them back while the transaction runs.
pub async fn begin_bulk_write(c: &mut AnyConnection) -> Result<Option<i64>> {
    if !is_sqlite(c) {
        return Ok(None);
    }
    let (size,): (i64,) = sqlx::query_as("PRAGMA cache_size").fetch_one(&mut *c).await?;
    sqlx::query("PRAGMA cache_size = -65536").execute(&mut *c).await?;
    Ok(Some(size))
}

/// Restores the page cache size [`begin_bulk_write`] returned.
pub async fn end_bulk_write(c: &mut AnyConnection, previous: Option<i64>) -> Result<()> {
    if let Some(size) = previous {
        sqlx::query(&format!("PRAGMA cache_size = {size}")).execute(&mut *c).await?;
    }
    Ok(())
}

/// The minutes a member has recorded on one day.
pub async fn day_minutes(c: &mut AnyConnection, member_id: i64, date: &str) -> Result<i64> {
    let (m,): (i64,) = sqlx::query_as("SELECT CAST(COALESCE(SUM(minutes), 0) AS BIGINT) FROM time_entries WHERE member_id = $1 AND date = $2")
        .bind(member_id)
        .bind(date)
        .fetch_one(c)
        .await?;
    Ok(m)
}

/// The minutes a member has recorded from `from` to `to`, both included.
pub async fn minutes_between(c: &mut AnyConnection, member_id: i64, from: &str, to: &str) -> Result<i64> {
    let (m,): (i64,) = sqlx::query_as("SELECT CAST(COALESCE(SUM(minutes), 0) AS BIGINT) FROM time_entries WHERE member_id = $1 AND date >= $2 AND date <= $3")
        .bind(member_id)
        .bind(from)
        .bind(to)
        .fetch_one(c)
        .await?;
    Ok(m)
}

/// Every entry from `from` to `to` (both included) as `(member_id, date, minutes, project)`.
pub async fn entries_between(c: &mut AnyConnection, from: &str, to: &str) -> Result<Vec<(i64, String, i64, Option<String>)>> {
    Ok(sqlx::query_as(
        "SELECT t.member_id, t.date, t.minutes, p.name FROM time_entries t LEFT JOIN projects p ON p.id = t.project_id \
         WHERE t.date >= $1 AND t.date <= $2 ORDER BY t.id",
    )
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await?)
}

/// Every entry from `from` to `to` (both included) as `(member_id, date, minutes, project_id)`,
/// in the order recorded: [`entries_between`] without the join, for large imports.
pub async fn entry_keys_between(c: &mut AnyConnection, from: &str, to: &str) -> Result<Vec<(i64, String, i64, Option<i64>)>> {
    Ok(sqlx::query_as("SELECT member_id, date, minutes, project_id FROM time_entries WHERE date >= $1 AND date <= $2 ORDER BY id")
        .bind(from)
        .bind(to)
        .fetch_all(c)
        .await?)
}

/// Every project as `(id, name)`.
pub async fn projects_by_id(c: &mut AnyConnection) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as("SELECT id, name FROM projects ORDER BY id").fetch_all(c).await?)
}

/// Every kind of work as `(id, name)`.
pub async fn categories_by_id(c: &mut AnyConnection) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as("SELECT id, name FROM work_categories ORDER BY id").fetch_all(c).await?)
}

/// Every member as `(id, email)`.
pub async fn member_emails(c: &mut AnyConnection) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as("SELECT id, email FROM members ORDER BY id").fetch_all(c).await?)
}

/// Minutes per member id and kind of work id (`None` for none) from `from` to `to`: the yearly
/// report's sums, read from its covering index without joining a name to each entry (the
/// names of a few hundred members and kinds are joined after summing).
pub async fn minutes_by_member_id_category_id(c: &mut AnyConnection, from: &str, to: &str) -> Result<Vec<(i64, Option<i64>, i64)>> {
    Ok(sqlx::query_as(
        "SELECT member_id, category_id, CAST(SUM(minutes) AS BIGINT) FROM time_entries \
         WHERE date >= $1 AND date <= $2 GROUP BY member_id, category_id",
    )
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await?)
}

/// Every member as `(id, email, name)`, for matching the people an import names.
pub async fn member_names(c: &mut AnyConnection) -> Result<Vec<(i64, String, String)>> {
    Ok(sqlx::query_as("SELECT id, email, name FROM members ORDER BY id").fetch_all(c).await?)
}

/// Minutes per member email and kind of work (`None` for none) from `from` to `to`.
pub async fn minutes_by_member_category(c: &mut AnyConnection, from: &str, to: &str) -> Result<Vec<(String, Option<String>, i64)>> {
    Ok(sqlx::query_as(
        "SELECT m.email, k.name, CAST(SUM(t.minutes) AS BIGINT) FROM time_entries t \
         JOIN members m ON m.id = t.member_id LEFT JOIN work_categories k ON k.id = t.category_id \
         WHERE t.date >= $1 AND t.date <= $2 GROUP BY m.email, k.name ORDER BY m.email, k.name",
    )
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await?)
}

/// Sets (or replaces) a member's commitment for a year.
pub async fn set_commitment(c: &mut AnyConnection, member_id: i64, year: i64, declared_minutes: i64, leave_weeks: i64, at: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO commitments (member_id, year, declared_minutes, leave_weeks, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (member_id, year) DO UPDATE SET declared_minutes = excluded.declared_minutes, leave_weeks = excluded.leave_weeks, \
         updated_at = excluded.updated_at",
    )
    .bind(member_id)
    .bind(year)
    .bind(declared_minutes)
    .bind(leave_weeks)
    .bind(at)
    .execute(c)
    .await?;
    Ok(())
}

/// `(declared_minutes, leave_weeks)` of a member's commitment for a year.
pub async fn commitment(c: &mut AnyConnection, member_id: i64, year: i64) -> Result<Option<(i64, i64)>> {
    Ok(sqlx::query_as("SELECT declared_minutes, leave_weeks FROM commitments WHERE member_id = $1 AND year = $2")
        .bind(member_id)
        .bind(year)
        .fetch_optional(c)
        .await?)
}

/// A time entry as recorded, with the names of its project and kind of work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryListRow {
    pub id: i64,
    pub member_id: i64,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub minutes: i64,
    pub project: Option<String>,
    pub category: Option<String>,
    pub note: String,
    /// `manual` or `import`.
    pub source: String,
}

type EntryListTuple = (i64, i64, String, i64, Option<String>, Option<String>, String, String);

/// A member's entries from `from` to `to` (both included), on one project when `project_id`
/// is given, ordered by date then id.
pub async fn member_entries_between(c: &mut AnyConnection, member_id: i64, from: &str, to: &str, project_id: Option<i64>) -> Result<Vec<EntryListRow>> {
    let on_project = if project_id.is_some() { " AND t.project_id = $4" } else { "" };
    let sql = format!(
        "SELECT t.id, t.member_id, t.date, t.minutes, p.name, k.name, t.note, t.source FROM time_entries t \
         LEFT JOIN projects p ON p.id = t.project_id LEFT JOIN work_categories k ON k.id = t.category_id \
         WHERE t.member_id = $1 AND t.date >= $2 AND t.date <= $3{on_project} ORDER BY t.date, t.id"
    );
    let mut q = sqlx::query_as::<_, EntryListTuple>(&sql).bind(member_id).bind(from).bind(to);
    if let Some(p) = project_id {
        q = q.bind(p);
    }
    Ok(q.fetch_all(c)
        .await?
        .into_iter()
        .map(|(id, member_id, date, minutes, project, category, note, source)| EntryListRow { id, member_id, date, minutes, project, category, note, source })
        .collect())
}

/// The corrections of a member's entries dated from `from` to `to` (both included), oldest
/// first: the rows of [`crate::pay::corrections`] for those entries only.
pub async fn member_corrections_between(c: &mut AnyConnection, member_id: i64, from: &str, to: &str) -> Result<Vec<crate::pay::CorrectionRow>> {
    let rows: Vec<crate::pay::CorrectionTuple> = sqlx::query_as(&format!(
        "SELECT {} FROM time_corrections k JOIN time_entries t ON t.id = k.entry_id \
         WHERE t.member_id = $1 AND t.date >= $2 AND t.date <= $3 ORDER BY k.id",
        crate::pay::CORRECTION_COLUMNS
    ))
    .bind(member_id)
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(crate::pay::CorrectionRow::from).collect())
}

/// The months (`YYYY-MM`) from `from` to `to` whose pay run is approved.
pub async fn locked_months_between(c: &mut AnyConnection, from: &str, to: &str) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT month FROM pay_runs WHERE status = 'approved' AND month >= $1 AND month <= $2 ORDER BY month")
        .bind(crate::pay::month_of(from))
        .bind(crate::pay::month_of(to))
        .fetch_all(c)
        .await?;
    Ok(rows.into_iter().map(|(m,)| m).collect())
}
