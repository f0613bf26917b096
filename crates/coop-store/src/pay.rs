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

/// Sets the rate (cents per hour; `None`: the pay system's general rate) and patronage weight
/// (hundredths) of a kind of work from `from` on, replacing a version set for the same date.
pub async fn set_category_rate(c: &mut AnyConnection, category_id: i64, from: &str, rate_cents: Option<i64>, weight_hundredths: i64, at: &str) -> Result<()> {
    sqlx::query("DELETE FROM category_rates WHERE category_id = $1 AND effective_from = $2").bind(category_id).bind(from).execute(&mut *c).await?;
    sqlx::query("INSERT INTO category_rates (category_id, effective_from, rate_cents, weight_hundredths, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(category_id)
        .bind(from)
        .bind(rate_cents)
        .bind(weight_hundredths)
        .bind(at)
        .execute(c)
        .await?;
    Ok(())
}

/// One version of a kind of work's rate and weight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryRate {
    pub category: String,
    pub effective_from: String,
    pub rate_cents: Option<i64>,
    pub weight_hundredths: i64,
}

/// Every version of every kind of work's rate, by kind then date.
pub async fn category_rates(c: &mut AnyConnection) -> Result<Vec<CategoryRate>> {
    let rows: Vec<(String, String, Option<i64>, i64)> = sqlx::query_as(
        "SELECT w.name, r.effective_from, r.rate_cents, r.weight_hundredths FROM category_rates r \
         JOIN work_categories w ON w.id = r.category_id ORDER BY w.name, r.effective_from",
    )
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(|(category, effective_from, rate_cents, weight_hundredths)| CategoryRate { category, effective_from, rate_cents, weight_hundredths }).collect())
}

/// The version of each kind of work's rate in force on `date` (kinds without one are left out).
pub async fn category_rates_on(c: &mut AnyConnection, date: &str) -> Result<Vec<CategoryRate>> {
    let rows: Vec<(String, String, Option<i64>, i64)> = sqlx::query_as(
        "SELECT w.name, r.effective_from, r.rate_cents, r.weight_hundredths FROM category_rates r \
         JOIN work_categories w ON w.id = r.category_id \
         WHERE r.effective_from = (SELECT MAX(r2.effective_from) FROM category_rates r2 WHERE r2.category_id = r.category_id AND r2.effective_from <= $1) \
         ORDER BY w.name",
    )
    .bind(date)
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(|(category, effective_from, rate_cents, weight_hundredths)| CategoryRate { category, effective_from, rate_cents, weight_hundredths }).collect())
}

/// Records a day of leave; `false` when that day is already recorded.
pub async fn insert_leave(c: &mut AnyConnection, member_id: i64, date: &str, note: &str, at: &str) -> Result<bool> {
    let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM leave_taken WHERE member_id = $1 AND date = $2").bind(member_id).bind(date).fetch_optional(&mut *c).await?;
    if exists.is_some() {
        return Ok(false);
    }
    sqlx::query("INSERT INTO leave_taken (member_id, date, note, created_at) VALUES ($1, $2, $3, $4)")
        .bind(member_id)
        .bind(date)
        .bind(note)
        .bind(at)
        .execute(c)
        .await?;
    Ok(true)
}

/// Removes a recorded day of leave; `false` when there was none.
pub async fn delete_leave(c: &mut AnyConnection, member_id: i64, date: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM leave_taken WHERE member_id = $1 AND date = $2").bind(member_id).bind(date).execute(c).await?;
    Ok(done.rows_affected() > 0)
}

/// The member's days of leave from `from` to `to`, inclusive, oldest first.
pub async fn leave_dates(c: &mut AnyConnection, member_id: i64, from: &str, to: &str) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT date FROM leave_taken WHERE member_id = $1 AND date >= $2 AND date <= $3 ORDER BY date")
        .bind(member_id)
        .bind(from)
        .bind(to)
        .fetch_all(c)
        .await?;
    Ok(rows.into_iter().map(|(d,)| d).collect())
}

/// A version of the pay system.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaySystemRow {
    pub version: i64,
    /// `YYYY-MM-01`.
    pub effective_from: String,
    /// JSON of `coop_core::pay::PaySystem`.
    pub system: String,
    pub proposal_id: i64,
    /// `pending`, `adopted` or `rejected`.
    pub status: String,
    pub created_at: String,
}

type PaySystemTuple = (i64, String, String, i64, String, String);

fn pay_system_row((version, effective_from, system, proposal_id, status, created_at): PaySystemTuple) -> PaySystemRow {
    PaySystemRow { version, effective_from, system, proposal_id, status, created_at }
}

const PAY_SYSTEM_COLUMNS: &str = "version, effective_from, system, proposal_id, status, created_at";

/// Records a version of the pay system; its number is the next free one.
pub async fn insert_pay_system(c: &mut AnyConnection, effective_from: &str, system: &str, proposal_id: i64, status: &str, at: &str) -> Result<i64> {
    let (last,): (Option<i64>,) = sqlx::query_as("SELECT MAX(version) FROM pay_systems").fetch_one(&mut *c).await?;
    let version = last.unwrap_or(0) + 1;
    sqlx::query("INSERT INTO pay_systems (version, effective_from, system, proposal_id, status, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(version)
        .bind(effective_from)
        .bind(system)
        .bind(proposal_id)
        .bind(status)
        .bind(at)
        .execute(c)
        .await?;
    Ok(version)
}

/// The pay-system version a proposal would adopt, if any.
pub async fn pay_system_by_proposal(c: &mut AnyConnection, proposal_id: i64) -> Result<Option<PaySystemRow>> {
    let row: Option<PaySystemTuple> = sqlx::query_as(&format!("SELECT {PAY_SYSTEM_COLUMNS} FROM pay_systems WHERE proposal_id = $1 ORDER BY version DESC LIMIT 1"))
        .bind(proposal_id)
        .fetch_optional(c)
        .await?;
    Ok(row.map(pay_system_row))
}

/// Moves a pending version to `adopted` or `rejected`.
pub async fn settle_pay_system(c: &mut AnyConnection, version: i64, status: &str) -> Result<()> {
    sqlx::query("UPDATE pay_systems SET status = $1 WHERE version = $2 AND status = 'pending'").bind(status).bind(version).execute(c).await?;
    Ok(())
}

/// The adopted version in force on `date`: the latest effective date on or before it, and of
/// those the latest adopted.
pub async fn pay_system_on(c: &mut AnyConnection, date: &str) -> Result<Option<PaySystemRow>> {
    let row: Option<PaySystemTuple> = sqlx::query_as(&format!(
        "SELECT {PAY_SYSTEM_COLUMNS} FROM pay_systems WHERE status = 'adopted' AND effective_from <= $1 ORDER BY effective_from DESC, version DESC LIMIT 1"
    ))
    .bind(date)
    .fetch_optional(c)
    .await?;
    Ok(row.map(pay_system_row))
}

/// Every version, newest first.
pub async fn pay_systems(c: &mut AnyConnection) -> Result<Vec<PaySystemRow>> {
    let rows: Vec<PaySystemTuple> = sqlx::query_as(&format!("SELECT {PAY_SYSTEM_COLUMNS} FROM pay_systems ORDER BY version DESC")).fetch_all(c).await?;
    Ok(rows.into_iter().map(pay_system_row).collect())
}

/// One member's worked minutes in a period, grouped by project and kind of work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkedRow {
    pub member_id: i64,
    pub project: Option<String>,
    /// Entries without a project count as billable work.
    pub billable: bool,
    pub category: Option<String>,
    pub minutes: i64,
}

type WorkedTuple = (i64, Option<String>, Option<i64>, Option<String>, i64);

/// Every member's minutes from `from` to `to`, inclusive, by project and kind of work.
pub async fn worked_between(c: &mut AnyConnection, from: &str, to: &str) -> Result<Vec<WorkedRow>> {
    let rows: Vec<WorkedTuple> = sqlx::query_as(
        "SELECT t.member_id, p.name, p.billable, w.name, CAST(SUM(t.minutes) AS BIGINT) FROM time_entries t \
         LEFT JOIN projects p ON p.id = t.project_id LEFT JOIN work_categories w ON w.id = t.category_id \
         WHERE t.date >= $1 AND t.date <= $2 GROUP BY t.member_id, p.name, p.billable, w.name \
         ORDER BY t.member_id, p.name, w.name",
    )
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(member_id, project, billable, category, minutes)| WorkedRow { member_id, project, billable: billable.unwrap_or(1) != 0, category, minutes })
        .collect())
}

/// A month's pay run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayRunRow {
    pub id: i64,
    /// `YYYY-MM`.
    pub month: String,
    pub pay_system_version: i64,
    /// `draft` or `approved`.
    pub status: String,
    pub total_cents: i64,
    /// JSON of the computed run.
    pub result: String,
    pub created_at: String,
    pub approved_at: Option<String>,
    pub approved_by: Option<String>,
}

type PayRunTuple = (i64, String, i64, String, i64, String, String, Option<String>, Option<String>);

const PAY_RUN_COLUMNS: &str = "id, month, pay_system_version, status, total_cents, result, created_at, approved_at, approved_by";

fn pay_run_row((id, month, pay_system_version, status, total_cents, result, created_at, approved_at, approved_by): PayRunTuple) -> PayRunRow {
    PayRunRow { id, month, pay_system_version, status, total_cents, result, created_at, approved_at, approved_by }
}

pub async fn pay_run(c: &mut AnyConnection, month: &str) -> Result<Option<PayRunRow>> {
    let row: Option<PayRunTuple> = sqlx::query_as(&format!("SELECT {PAY_RUN_COLUMNS} FROM pay_runs WHERE month = $1")).bind(month).fetch_optional(c).await?;
    Ok(row.map(pay_run_row))
}

/// Every pay run, newest month first.
pub async fn pay_runs(c: &mut AnyConnection) -> Result<Vec<PayRunRow>> {
    let rows: Vec<PayRunTuple> = sqlx::query_as(&format!("SELECT {PAY_RUN_COLUMNS} FROM pay_runs ORDER BY month DESC")).fetch_all(c).await?;
    Ok(rows.into_iter().map(pay_run_row).collect())
}

/// Writes a month's draft, replacing an earlier draft (never an approved run: the caller
/// checks). Returns the run's id.
pub async fn save_draft(c: &mut AnyConnection, month: &str, version: i64, total_cents: i64, result: &str, at: &str) -> Result<i64> {
    sqlx::query("DELETE FROM pay_runs WHERE month = $1 AND status = 'draft'").bind(month).execute(&mut *c).await?;
    sqlx::query("INSERT INTO pay_runs (month, pay_system_version, status, total_cents, result, created_at) VALUES ($1, $2, 'draft', $3, $4, $5)")
        .bind(month)
        .bind(version)
        .bind(total_cents)
        .bind(result)
        .bind(at)
        .execute(&mut *c)
        .await?;
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM pay_runs WHERE month = $1").bind(month).fetch_one(c).await?;
    Ok(id)
}

/// Approves a draft; `false` when the month has no draft.
pub async fn approve_run(c: &mut AnyConnection, month: &str, by: &str, at: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE pay_runs SET status = 'approved', approved_at = $1, approved_by = $2 WHERE month = $3 AND status = 'draft'")
        .bind(at)
        .bind(by)
        .bind(month)
        .execute(c)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// One time entry, for a correction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryRow {
    pub id: i64,
    pub member_id: i64,
    pub date: String,
    pub minutes: i64,
}

pub async fn entry(c: &mut AnyConnection, id: i64) -> Result<Option<EntryRow>> {
    let row: Option<(i64, i64, String, i64)> = sqlx::query_as("SELECT id, member_id, date, minutes FROM time_entries WHERE id = $1").bind(id).fetch_optional(c).await?;
    Ok(row.map(|(id, member_id, date, minutes)| EntryRow { id, member_id, date, minutes }))
}

/// Changes an entry's minutes and keeps the old value in the corrections trail.
pub async fn correct_entry(c: &mut AnyConnection, entry: &EntryRow, new_minutes: i64, reason: &str, actor: &str, at: &str) -> Result<i64> {
    sqlx::query("UPDATE time_entries SET minutes = $1 WHERE id = $2").bind(new_minutes).bind(entry.id).execute(&mut *c).await?;
    sqlx::query("INSERT INTO time_corrections (entry_id, old_minutes, new_minutes, reason, actor, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(entry.id)
        .bind(entry.minutes)
        .bind(new_minutes)
        .bind(reason)
        .bind(actor)
        .bind(at)
        .execute(&mut *c)
        .await?;
    let (id,): (i64,) = sqlx::query_as("SELECT MAX(id) FROM time_corrections WHERE entry_id = $1").bind(entry.id).fetch_one(c).await?;
    Ok(id)
}

/// A correction in the trail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorrectionRow {
    pub id: i64,
    pub entry_id: i64,
    pub member_id: i64,
    pub date: String,
    pub old_minutes: i64,
    pub new_minutes: i64,
    pub reason: String,
    pub actor: String,
    pub created_at: String,
    pub settled_in: Option<i64>,
}

/// A correction as the queries select it (see [`CORRECTION_COLUMNS`]).
pub(crate) type CorrectionTuple = (i64, i64, i64, String, i64, i64, String, String, String, Option<i64>);

/// The columns of a [`CorrectionTuple`], from `time_corrections k JOIN time_entries t`.
pub(crate) const CORRECTION_COLUMNS: &str =
    "k.id, k.entry_id, t.member_id, t.date, k.old_minutes, k.new_minutes, k.reason, k.actor, k.created_at, k.settled_in";

impl From<CorrectionTuple> for CorrectionRow {
    fn from((id, entry_id, member_id, date, old_minutes, new_minutes, reason, actor, created_at, settled_in): CorrectionTuple) -> Self {
        CorrectionRow { id, entry_id, member_id, date, old_minutes, new_minutes, reason, actor, created_at, settled_in }
    }
}

/// Every correction, oldest first; only those not yet settled by a pay run with `unsettled`.
pub async fn corrections(c: &mut AnyConnection, unsettled: bool) -> Result<Vec<CorrectionRow>> {
    let filter = if unsettled { "WHERE k.settled_in IS NULL" } else { "" };
    let rows: Vec<CorrectionTuple> = sqlx::query_as(&format!(
        "SELECT {CORRECTION_COLUMNS} FROM time_corrections k JOIN time_entries t ON t.id = k.entry_id {filter} ORDER BY k.id"
    ))
    .fetch_all(c)
    .await?;
    Ok(rows
        .into_iter()
        .map(CorrectionRow::from)
        .collect())
}

/// Marks corrections as settled by an approved pay run.
pub async fn settle_corrections(c: &mut AnyConnection, ids: &[i64], run_id: i64) -> Result<()> {
    for id in ids {
        sqlx::query("UPDATE time_corrections SET settled_in = $1 WHERE id = $2 AND settled_in IS NULL").bind(run_id).bind(id).execute(&mut *c).await?;
    }
    Ok(())
}

/// The kind of legal record an approved pay run is sealed as.
pub const PAY_RUN_RECORD_KIND: &str = "pay_run";

/// The sealed content of a pay run: everything that decides what members are paid.
pub async fn pay_run_content(c: &mut AnyConnection, id: i64) -> Result<Option<serde_json::Value>> {
    let row: Option<PayRunTuple> = sqlx::query_as(&format!("SELECT {PAY_RUN_COLUMNS} FROM pay_runs WHERE id = $1")).bind(id).fetch_optional(c).await?;
    Ok(row.map(pay_run_row).map(|r| {
        serde_json::json!({
            "id": r.id, "month": r.month, "pay_system_version": r.pay_system_version, "status": r.status,
            "total_cents": r.total_cents,
            "result": serde_json::from_str::<serde_json::Value>(&r.result).unwrap_or(serde_json::Value::String(r.result.clone())),
            "approved_at": r.approved_at, "approved_by": r.approved_by,
        })
    }))
}
