//! Internal capital accounts: one ledger of movements per member and one for the collective
//! reserve (`member_id` NULL), the cash the co-op owes on set dates, and buy-in plans. The
//! rules (interest, the revolving fund, the solvency guard, repayment plans) live in
//! `coop_core::patronage`; this module only stores and reads.

use crate::Result;
use sqlx::AnyConnection;

/// One movement of a capital account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryRow {
    pub id: i64,
    /// `None`: the collective reserve.
    pub member_id: Option<i64>,
    pub date: String,
    /// `buy_in`, `allocation`, `loss`, `interest`, `redemption`, `departure` or `reserve`.
    pub kind: String,
    pub amount_cents: i64,
    /// The fiscal year of the allocation the movement belongs to, if any.
    pub fiscal_year: Option<i64>,
    pub reference: String,
}

/// A movement to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEntry<'a> {
    pub member_id: Option<i64>,
    pub date: &'a str,
    pub kind: &'a str,
    pub amount_cents: i64,
    pub fiscal_year: Option<i64>,
    pub reference: &'a str,
}

type EntryTuple = (i64, Option<i64>, String, String, i64, Option<i64>, String);

fn entry_row((id, member_id, date, kind, amount_cents, fiscal_year, reference): EntryTuple) -> EntryRow {
    EntryRow { id, member_id, date, kind, amount_cents, fiscal_year, reference }
}

const ENTRY_COLUMNS: &str = "id, member_id, date, kind, amount_cents, fiscal_year, ref";

pub async fn insert_entry(c: &mut AnyConnection, e: &NewEntry<'_>, at: &str) -> Result<()> {
    sqlx::query("INSERT INTO capital_entries (member_id, date, kind, amount_cents, fiscal_year, ref, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(e.member_id)
        .bind(e.date)
        .bind(e.kind)
        .bind(e.amount_cents)
        .bind(e.fiscal_year)
        .bind(e.reference)
        .bind(at)
        .execute(c)
        .await?;
    Ok(())
}

/// Rows per multi-row `INSERT` (7 parameters each). Small on purpose: binding grows faster than
/// linearly with the number of parameters in one statement (1000 rows took ten times as long
/// per row as 50 in the allocation benchmark).
const BATCH: usize = 50;

/// Records many movements with multi-row `INSERT`s (a year's allocation posts one per member).
pub async fn insert_entries(c: &mut AnyConnection, entries: &[NewEntry<'_>], at: &str) -> Result<()> {
    for chunk in entries.chunks(BATCH) {
        let mut sql = String::from("INSERT INTO capital_entries (member_id, date, kind, amount_cents, fiscal_year, ref, created_at) VALUES ");
        for i in 0..chunk.len() {
            let b = i * 7;
            sql.push_str(&format!("{}(${}, ${}, ${}, ${}, ${}, ${}, ${})", if i == 0 { "" } else { ", " }, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7));
        }
        let mut q = sqlx::query(&sql);
        for e in chunk {
            q = q.bind(e.member_id).bind(e.date).bind(e.kind).bind(e.amount_cents).bind(e.fiscal_year).bind(e.reference).bind(at);
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

/// A payment to record: `(member_id, due, kind, principal_cents, interest_cents, ref)`.
pub type NewPayment<'a> = (i64, String, &'a str, i64, i64, &'a str);

/// Records many payments with multi-row `INSERT`s.
pub async fn insert_payments(c: &mut AnyConnection, payments: &[NewPayment<'_>], at: &str) -> Result<()> {
    for chunk in payments.chunks(BATCH) {
        let mut sql = String::from("INSERT INTO cash_payments (member_id, due, kind, principal_cents, interest_cents, ref, created_at) VALUES ");
        for i in 0..chunk.len() {
            let b = i * 7;
            sql.push_str(&format!("{}(${}, ${}, ${}, ${}, ${}, ${}, ${})", if i == 0 { "" } else { ", " }, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7));
        }
        let mut q = sqlx::query(&sql);
        for (member_id, due, kind, principal, interest, reference) in chunk {
            q = q.bind(*member_id).bind(due.as_str()).bind(*kind).bind(*principal).bind(*interest).bind(*reference).bind(at);
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

/// A member's movements (the reserve's with `None`), oldest first.
pub async fn entries(c: &mut AnyConnection, member_id: Option<i64>) -> Result<Vec<EntryRow>> {
    let rows: Vec<EntryTuple> = match member_id {
        Some(id) => {
            sqlx::query_as(&format!("SELECT {ENTRY_COLUMNS} FROM capital_entries WHERE member_id = $1 ORDER BY date, id")).bind(id).fetch_all(c).await?
        }
        None => sqlx::query_as(&format!("SELECT {ENTRY_COLUMNS} FROM capital_entries WHERE member_id IS NULL ORDER BY date, id")).fetch_all(c).await?,
    };
    Ok(rows.into_iter().map(entry_row).collect())
}

/// Every movement of every account, oldest first.
pub async fn all_entries(c: &mut AnyConnection) -> Result<Vec<EntryRow>> {
    let rows: Vec<EntryTuple> = sqlx::query_as(&format!("SELECT {ENTRY_COLUMNS} FROM capital_entries ORDER BY date, id")).fetch_all(c).await?;
    Ok(rows.into_iter().map(entry_row).collect())
}

/// Whether any movement carries this reference (postings are made once per reference).
pub async fn reference_used(c: &mut AnyConnection, reference: &str) -> Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM capital_entries WHERE ref = $1 LIMIT 1").bind(reference).fetch_optional(c).await?;
    Ok(row.is_some())
}

/// The balance of a member's account (the reserve's with `None`) at the end of `on`
/// (every movement if `on` is `None`).
pub async fn balance(c: &mut AnyConnection, member_id: Option<i64>, on: Option<&str>) -> Result<i64> {
    let on = on.unwrap_or("9999-12-31");
    let (sum,): (Option<i64>,) = match member_id {
        Some(id) => {
            sqlx::query_as("SELECT CAST(SUM(amount_cents) AS BIGINT) FROM capital_entries WHERE member_id = $1 AND date <= $2")
                .bind(id)
                .bind(on)
                .fetch_one(c)
                .await?
        }
        None => {
            sqlx::query_as("SELECT CAST(SUM(amount_cents) AS BIGINT) FROM capital_entries WHERE member_id IS NULL AND date <= $1").bind(on).fetch_one(c).await?
        }
    };
    Ok(sum.unwrap_or(0))
}

/// Each member's balance (members with any movement), by member id.
pub async fn member_balances(c: &mut AnyConnection) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT member_id, CAST(SUM(amount_cents) AS BIGINT) FROM capital_entries WHERE member_id IS NOT NULL GROUP BY member_id ORDER BY member_id",
    )
    .fetch_all(c)
    .await?)
}

/// A member's balance still held for each fiscal year's allocation (allocations, losses and
/// redemptions of that year), oldest first.
pub async fn held_by_year(c: &mut AnyConnection, member_id: i64) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT fiscal_year, CAST(SUM(amount_cents) AS BIGINT) FROM capital_entries \
         WHERE member_id = $1 AND fiscal_year IS NOT NULL AND kind IN ('allocation', 'loss', 'redemption') \
         GROUP BY fiscal_year ORDER BY fiscal_year",
    )
    .bind(member_id)
    .fetch_all(c)
    .await?)
}

// ---------------------------------------------------------------------------------------------
// Cash owed on set dates

/// Cash the co-op owes a member on a date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentRow {
    pub id: i64,
    pub member_id: i64,
    pub due: String,
    /// `allocation_cash` or `repayment`.
    pub kind: String,
    pub principal_cents: i64,
    pub interest_cents: i64,
    pub reference: String,
    /// When it was scheduled (an allocation's commit, a departure).
    pub created_at: String,
    /// The day it was paid; `None` while unpaid.
    pub paid_on: Option<String>,
}

type PaymentTuple = (i64, i64, String, String, i64, i64, String, String, Option<String>);

fn payment_row((id, member_id, due, kind, principal_cents, interest_cents, reference, created_at, paid_on): PaymentTuple) -> PaymentRow {
    PaymentRow { id, member_id, due, kind, principal_cents, interest_cents, reference, created_at, paid_on }
}

const PAYMENT_COLUMNS: &str = "id, member_id, due, kind, principal_cents, interest_cents, ref, created_at, paid_on";

#[allow(clippy::too_many_arguments)]
pub async fn insert_payment(
    c: &mut AnyConnection,
    member_id: i64,
    due: &str,
    kind: &str,
    principal_cents: i64,
    interest_cents: i64,
    reference: &str,
    at: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO cash_payments (member_id, due, kind, principal_cents, interest_cents, ref, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(member_id)
        .bind(due)
        .bind(kind)
        .bind(principal_cents)
        .bind(interest_cents)
        .bind(reference)
        .bind(at)
        .execute(c)
        .await?;
    Ok(())
}

/// The payments with a reference (e.g. `allocation:2025`), by date then member.
pub async fn payments_by_ref(c: &mut AnyConnection, reference: &str) -> Result<Vec<PaymentRow>> {
    let rows: Vec<PaymentTuple> =
        sqlx::query_as(&format!("SELECT {PAYMENT_COLUMNS} FROM cash_payments WHERE ref = $1 ORDER BY due, member_id, id")).bind(reference).fetch_all(c).await?;
    Ok(rows.into_iter().map(payment_row).collect())
}

/// A member's payments, by date.
pub async fn payments_of(c: &mut AnyConnection, member_id: i64) -> Result<Vec<PaymentRow>> {
    let rows: Vec<PaymentTuple> =
        sqlx::query_as(&format!("SELECT {PAYMENT_COLUMNS} FROM cash_payments WHERE member_id = $1 ORDER BY due, id")).bind(member_id).fetch_all(c).await?;
    Ok(rows.into_iter().map(payment_row).collect())
}

/// Every payment due from `from` to `to` (inclusive), by date.
pub async fn payments_between(c: &mut AnyConnection, from: &str, to: &str) -> Result<Vec<PaymentRow>> {
    let rows: Vec<PaymentTuple> =
        sqlx::query_as(&format!("SELECT {PAYMENT_COLUMNS} FROM cash_payments WHERE due >= $1 AND due <= $2 ORDER BY due, member_id, id"))
            .bind(from)
            .bind(to)
            .fetch_all(c)
            .await?;
    Ok(rows.into_iter().map(payment_row).collect())
}

/// One payment by id.
pub async fn payment(c: &mut AnyConnection, id: i64) -> Result<Option<PaymentRow>> {
    let row: Option<PaymentTuple> = sqlx::query_as(&format!("SELECT {PAYMENT_COLUMNS} FROM cash_payments WHERE id = $1")).bind(id).fetch_optional(c).await?;
    Ok(row.map(payment_row))
}

/// Every payment, by date then member.
pub async fn all_payments(c: &mut AnyConnection) -> Result<Vec<PaymentRow>> {
    let rows: Vec<PaymentTuple> = sqlx::query_as(&format!("SELECT {PAYMENT_COLUMNS} FROM cash_payments ORDER BY due, member_id, id")).fetch_all(c).await?;
    Ok(rows.into_iter().map(payment_row).collect())
}

/// Marks an unpaid payment paid on `on` (recorded at `at`); false if it is already paid (or
/// does not exist), so that two concurrent calls cannot both succeed.
pub async fn mark_paid(c: &mut AnyConnection, id: i64, on: &str, at: &str) -> Result<bool> {
    let done =
        sqlx::query("UPDATE cash_payments SET paid_on = $1, paid_at = $2 WHERE id = $3 AND paid_on IS NULL").bind(on).bind(at).bind(id).execute(c).await?;
    Ok(done.rows_affected() == 1)
}

// ---------------------------------------------------------------------------------------------
// Buy-in plans

/// A member's buy-in plan: `(total_cents, instalment_cents, starts)`.
pub async fn buy_in_plan(c: &mut AnyConnection, member_id: i64) -> Result<Option<(i64, i64, String)>> {
    Ok(sqlx::query_as("SELECT total_cents, instalment_cents, starts FROM buy_in_plans WHERE member_id = $1").bind(member_id).fetch_optional(c).await?)
}

/// Sets (or replaces) a member's buy-in plan.
pub async fn set_buy_in_plan(c: &mut AnyConnection, member_id: i64, total_cents: i64, instalment_cents: i64, starts: &str, at: &str) -> Result<()> {
    sqlx::query("DELETE FROM buy_in_plans WHERE member_id = $1").bind(member_id).execute(&mut *c).await?;
    sqlx::query("INSERT INTO buy_in_plans (member_id, total_cents, instalment_cents, starts, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(member_id)
        .bind(total_cents)
        .bind(instalment_cents)
        .bind(starts)
        .bind(at)
        .execute(c)
        .await?;
    Ok(())
}
