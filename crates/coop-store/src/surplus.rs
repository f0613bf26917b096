//! Surplus: fiscal years, allocation-policy versions adopted by decision, each year's committed
//! allocation (sealed), and the patronage aggregation the allocation is computed from. The rules
//! live in `coop_core::patronage`; this module only stores and reads.

use crate::Result;
use coop_core::member::MemberState;
use serde_json::{json, Value};
use sqlx::AnyConnection;

/// A fiscal year as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FiscalYearRow {
    pub year: i64,
    pub starts: String,
    pub ends: String,
    /// `open` or `closed`.
    pub status: String,
    pub surplus_cents: Option<i64>,
    pub opened_at: String,
    pub closed_at: Option<String>,
}

type YearTuple = (i64, String, String, String, Option<i64>, String, Option<String>);

fn year_row((year, starts, ends, status, surplus_cents, opened_at, closed_at): YearTuple) -> FiscalYearRow {
    FiscalYearRow { year, starts, ends, status, surplus_cents, opened_at, closed_at }
}

const YEAR_COLUMNS: &str = "year, starts, ends, status, surplus_cents, opened_at, closed_at";

pub async fn fiscal_year(c: &mut AnyConnection, year: i64) -> Result<Option<FiscalYearRow>> {
    let row: Option<YearTuple> = sqlx::query_as(&format!("SELECT {YEAR_COLUMNS} FROM fiscal_years WHERE year = $1")).bind(year).fetch_optional(c).await?;
    Ok(row.map(year_row))
}

/// Every fiscal year, newest first.
pub async fn fiscal_years(c: &mut AnyConnection) -> Result<Vec<FiscalYearRow>> {
    let rows: Vec<YearTuple> = sqlx::query_as(&format!("SELECT {YEAR_COLUMNS} FROM fiscal_years ORDER BY year DESC")).fetch_all(c).await?;
    Ok(rows.into_iter().map(year_row).collect())
}

pub async fn insert_fiscal_year(c: &mut AnyConnection, year: i64, starts: &str, ends: &str, at: &str) -> Result<()> {
    sqlx::query("INSERT INTO fiscal_years (year, starts, ends, status, surplus_cents, opened_at) VALUES ($1, $2, $3, 'open', NULL, $4)")
        .bind(year)
        .bind(starts)
        .bind(ends)
        .bind(at)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn set_surplus(c: &mut AnyConnection, year: i64, surplus_cents: i64) -> Result<()> {
    sqlx::query("UPDATE fiscal_years SET surplus_cents = $1 WHERE year = $2").bind(surplus_cents).bind(year).execute(c).await?;
    Ok(())
}

pub async fn close_fiscal_year(c: &mut AnyConnection, year: i64, at: &str) -> Result<()> {
    sqlx::query("UPDATE fiscal_years SET status = 'closed', closed_at = $1 WHERE year = $2 AND status = 'open'").bind(at).bind(year).execute(c).await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Policies

/// A version of the allocation policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyRow {
    pub version: i64,
    /// The first day of the first fiscal year it governs.
    pub effective_from: String,
    /// JSON of `coop_app::surplus::SurplusPolicy`.
    pub policy: String,
    pub proposal_id: i64,
    /// `pending`, `adopted` or `rejected`.
    pub status: String,
    pub created_at: String,
    /// When the decision adopted it (or when it was recorded against a passed decision).
    pub adopted_at: Option<String>,
}

type PolicyTuple = (i64, String, String, i64, String, String, Option<String>);

fn policy_row((version, effective_from, policy, proposal_id, status, created_at, adopted_at): PolicyTuple) -> PolicyRow {
    PolicyRow { version, effective_from, policy, proposal_id, status, created_at, adopted_at }
}

const POLICY_COLUMNS: &str = "version, effective_from, policy, proposal_id, status, created_at, adopted_at";

/// Records a version; its number is the next free one.
pub async fn insert_policy(c: &mut AnyConnection, effective_from: &str, policy: &str, proposal_id: i64, status: &str, at: &str) -> Result<i64> {
    let (last,): (Option<i64>,) = sqlx::query_as("SELECT MAX(version) FROM allocation_policies").fetch_one(&mut *c).await?;
    let version = last.unwrap_or(0) + 1;
    let adopted_at = (status == "adopted").then_some(at);
    sqlx::query(
        "INSERT INTO allocation_policies (version, effective_from, policy, proposal_id, status, created_at, adopted_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(version)
    .bind(effective_from)
    .bind(policy)
    .bind(proposal_id)
    .bind(status)
    .bind(at)
    .bind(adopted_at)
    .execute(c)
    .await?;
    Ok(version)
}

pub async fn policy_by_proposal(c: &mut AnyConnection, proposal_id: i64) -> Result<Option<PolicyRow>> {
    let row: Option<PolicyTuple> = sqlx::query_as(&format!("SELECT {POLICY_COLUMNS} FROM allocation_policies WHERE proposal_id = $1 ORDER BY version DESC LIMIT 1"))
        .bind(proposal_id)
        .fetch_optional(c)
        .await?;
    Ok(row.map(policy_row))
}

/// Moves a pending version to `adopted` (at `at`) or `rejected`.
pub async fn settle_policy(c: &mut AnyConnection, version: i64, status: &str, at: &str) -> Result<()> {
    sqlx::query("UPDATE allocation_policies SET status = $1, adopted_at = CASE WHEN $1 = 'adopted' THEN $2 ELSE NULL END WHERE version = $3 AND status = 'pending'")
        .bind(status)
        .bind(at)
        .bind(version)
        .execute(c)
        .await?;
    Ok(())
}

/// The adopted version in force on `date`.
pub async fn policy_on(c: &mut AnyConnection, date: &str) -> Result<Option<PolicyRow>> {
    let row: Option<PolicyTuple> = sqlx::query_as(&format!(
        "SELECT {POLICY_COLUMNS} FROM allocation_policies WHERE status = 'adopted' AND effective_from <= $1 ORDER BY effective_from DESC, version DESC LIMIT 1"
    ))
    .bind(date)
    .fetch_optional(c)
    .await?;
    Ok(row.map(policy_row))
}

/// Every version, newest first.
pub async fn policies(c: &mut AnyConnection) -> Result<Vec<PolicyRow>> {
    let rows: Vec<PolicyTuple> = sqlx::query_as(&format!("SELECT {POLICY_COLUMNS} FROM allocation_policies ORDER BY version DESC")).fetch_all(c).await?;
    Ok(rows.into_iter().map(policy_row).collect())
}

// ---------------------------------------------------------------------------------------------
// Patronage

/// One member's patronage in hours: minutes, and minutes × weight in hundredths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HoursRow {
    pub member_id: i64,
    pub minutes: i64,
    /// Σ minutes × the weight (hundredths) of the entry's kind of work on its date; 100 (1.00)
    /// for entries without a kind or before the kind's first weight. 0 unless asked for.
    pub weighted: i64,
}

/// Every member's minutes from `from` to `to` (inclusive) that count: only entries dated on a
/// day when the member's state (the last change on or before that day, in recorded order) is one
/// of `states`. With `weighted`, each entry is also weighted by its kind of work's patronage
/// weight in force on its date. One query, aggregated by the database.
pub async fn patronage_hours(c: &mut AnyConnection, from: &str, to: &str, states: &[MemberState], weighted: bool) -> Result<Vec<HoursRow>> {
    let states_sql = if states.is_empty() {
        "NULL".to_string()
    } else {
        // The states are an enum's fixed spellings, never user text.
        states.iter().map(|s| format!("'{}'", s.as_str())).collect::<Vec<_>>().join(", ")
    };
    // The weight of each entry's kind of work on its date, as one CASE over the (few) versions,
    // latest first within each kind, so the database evaluates it per row without a subquery.
    let weight_sql = if weighted {
        let versions: Vec<(i64, String, i64)> =
            sqlx::query_as("SELECT category_id, effective_from, weight_hundredths FROM category_rates ORDER BY category_id, effective_from DESC").fetch_all(&mut *c).await?;
        let mut case = String::from("CASE");
        for (category_id, from, weight) in versions {
            // Inlined, so checked to be a plain date (it is one: the store writes only those).
            if from.len() != 10 || !from.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                return Err(crate::StoreError::Corrupt(format!("category rate dated {from:?}")));
            }
            case.push_str(&format!(" WHEN t.category_id = {category_id} AND t.date >= '{from}' THEN {weight}"));
        }
        case.push_str(" ELSE 100 END");
        format!("CAST(SUM(t.minutes * {}) AS BIGINT)", if case == "CASE ELSE 100 END" { "100".to_string() } else { case })
    } else {
        "CAST(0 AS BIGINT)".to_string()
    };
    // Most members keep one state all year: for them the state on the first day decides, once
    // per member (HAVING), over the same covering index as the plain yearly report. Only members
    // whose state changes during the period are checked entry by entry, against the state on
    // each entry's date.
    let changed = "SELECT s.member_id FROM member_states s WHERE s.since > $1 AND s.since <= $2";
    let state_on = |day: &str| format!("(SELECT s.state FROM member_states s WHERE s.member_id = t.member_id AND s.since <= {day} ORDER BY s.since DESC, s.id DESC LIMIT 1)");
    let sql = format!(
        "SELECT t.member_id, CAST(SUM(t.minutes) AS BIGINT), {weight_sql} FROM time_entries t \
         WHERE t.date >= $1 AND t.date <= $2 \
         GROUP BY t.member_id HAVING t.member_id NOT IN ({changed}) AND {at_start} IN ({states_sql}) \
         UNION ALL \
         SELECT t.member_id, CAST(SUM(t.minutes) AS BIGINT), {weight_sql} FROM time_entries t \
         WHERE t.member_id IN ({changed}) AND t.date >= $1 AND t.date <= $2 AND {on_date} IN ({states_sql}) \
         GROUP BY t.member_id",
        at_start = state_on("$1"),
        on_date = state_on("t.date"),
    );
    let mut rows: Vec<(i64, i64, i64)> = sqlx::query_as(&sql).bind(from).bind(to).fetch_all(c).await?;
    rows.sort_unstable_by_key(|r| r.0);
    Ok(rows.into_iter().map(|(member_id, minutes, weighted)| HoursRow { member_id, minutes, weighted }).collect())
}

/// The raw aggregation, without the state filter or weights: the benchmark's baseline.
pub async fn raw_minutes_by_member(c: &mut AnyConnection, from: &str, to: &str) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as("SELECT member_id, CAST(SUM(minutes) AS BIGINT) FROM time_entries WHERE date >= $1 AND date <= $2 GROUP BY member_id ORDER BY member_id")
        .bind(from)
        .bind(to)
        .fetch_all(c)
        .await?)
}

/// Every member's state history rows `(member_id, state, since)` in recorded order.
pub async fn all_state_changes(c: &mut AnyConnection) -> Result<Vec<(i64, String, String)>> {
    Ok(sqlx::query_as("SELECT member_id, state, since FROM member_states ORDER BY member_id, since, id").fetch_all(c).await?)
}

// ---------------------------------------------------------------------------------------------
// Committed allocations

/// A year's committed allocation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllocationRow {
    pub id: i64,
    pub year: i64,
    pub policy_version: Option<i64>,
    /// JSON of the policy applied.
    pub policy: String,
    /// JSON of the allocation (`coop_app::surplus::AllocationView`).
    pub result: String,
    pub surplus_cents: i64,
    pub reserve_cents: i64,
    pub pool_cents: i64,
    pub notice: String,
    pub committed_at: String,
    pub committed_by: String,
}

type AllocationTuple = (i64, i64, Option<i64>, String, String, i64, i64, i64, String, String, String);

fn allocation_row(t: AllocationTuple) -> AllocationRow {
    let (id, year, policy_version, policy, result, surplus_cents, reserve_cents, pool_cents, notice, committed_at, committed_by) = t;
    AllocationRow { id, year, policy_version, policy, result, surplus_cents, reserve_cents, pool_cents, notice, committed_at, committed_by }
}

const ALLOCATION_COLUMNS: &str = "id, year, policy_version, policy, result, surplus_cents, reserve_cents, pool_cents, notice, committed_at, committed_by";

/// Records a year's allocation. The year is UNIQUE: a second commit fails here even if a
/// caller forgot to check.
pub async fn insert_allocation(c: &mut AnyConnection, a: &AllocationRow) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO allocations (year, policy_version, policy, result, surplus_cents, reserve_cents, pool_cents, notice, committed_at, committed_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(a.year)
    .bind(a.policy_version)
    .bind(&a.policy)
    .bind(&a.result)
    .bind(a.surplus_cents)
    .bind(a.reserve_cents)
    .bind(a.pool_cents)
    .bind(&a.notice)
    .bind(&a.committed_at)
    .bind(&a.committed_by)
    .fetch_one(c)
    .await?;
    Ok(id)
}

pub async fn allocation(c: &mut AnyConnection, year: i64) -> Result<Option<AllocationRow>> {
    let row: Option<AllocationTuple> = sqlx::query_as(&format!("SELECT {ALLOCATION_COLUMNS} FROM allocations WHERE year = $1")).bind(year).fetch_optional(c).await?;
    Ok(row.map(allocation_row))
}

/// Every committed allocation, oldest first.
pub async fn allocations(c: &mut AnyConnection) -> Result<Vec<AllocationRow>> {
    let rows: Vec<AllocationTuple> = sqlx::query_as(&format!("SELECT {ALLOCATION_COLUMNS} FROM allocations ORDER BY year")).fetch_all(c).await?;
    Ok(rows.into_iter().map(allocation_row).collect())
}

/// A capital entry as sealed: id, member, date, kind, amount, fiscal year.
type SealedEntry = (i64, Option<i64>, String, String, i64, Option<i64>);

/// The kind of legal record a committed allocation is sealed as.
pub const ALLOCATION_RECORD_KIND: &str = "allocation";

/// The sealed content of a committed allocation: the row, and every capital entry and cash
/// payment it posted (their `ref` is `allocation:YEAR`), so that changing any of them breaks
/// the seal.
pub async fn allocation_content(c: &mut AnyConnection, id: i64) -> Result<Option<Value>> {
    let row: Option<AllocationTuple> = sqlx::query_as(&format!("SELECT {ALLOCATION_COLUMNS} FROM allocations WHERE id = $1")).bind(id).fetch_optional(&mut *c).await?;
    let Some(a) = row.map(allocation_row) else { return Ok(None) };
    let reference = format!("allocation:{}", a.year);
    let entries: Vec<SealedEntry> =
        sqlx::query_as("SELECT id, member_id, date, kind, amount_cents, fiscal_year FROM capital_entries WHERE ref = $1 ORDER BY id")
            .bind(&reference)
            .fetch_all(&mut *c)
            .await?;
    let payments: Vec<(i64, i64, String, String, i64, i64)> =
        sqlx::query_as("SELECT id, member_id, due, kind, principal_cents, interest_cents FROM cash_payments WHERE ref = $1 ORDER BY id")
            .bind(&reference)
            .fetch_all(&mut *c)
            .await?;
    let parse = |s: &str| serde_json::from_str::<Value>(s).unwrap_or(Value::String(s.to_string()));
    Ok(Some(json!({
        "id": a.id, "year": a.year, "policy_version": a.policy_version, "policy": parse(&a.policy), "result": parse(&a.result),
        "surplus_cents": a.surplus_cents, "reserve_cents": a.reserve_cents, "pool_cents": a.pool_cents, "notice": a.notice,
        "committed_at": a.committed_at, "committed_by": a.committed_by,
        "entries": entries.iter().map(|(id, m, d, k, amount, fy)| json!([id, m, d, k, amount, fy])).collect::<Vec<_>>(),
        "payments": payments.iter().map(|(id, m, d, k, p, i)| json!([id, m, d, k, p, i])).collect::<Vec<_>>(),
    })))
}
