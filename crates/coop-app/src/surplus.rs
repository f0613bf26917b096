//! Year-end surplus: fiscal years, the allocation policy adopted by decision, the allocation's
//! preview (a what-if that changes nothing) and its commit (posted to the capital accounts,
//! sealed in the journal, once per year), written notices of allocation, the ledger export,
//! and the equity check.
//!
//! How a year is allocated:
//! 1. A fiscal year runs from the co-op's fiscal-year start (settings) for one year and is
//!    named by the calendar year it starts in. Its net surplus (negative: a loss) is entered.
//! 2. An [`SurplusPolicy`] is adopted by a decision before the first year it governs: reserve
//!    and community shares, the patronage basis, whether candidates' hours count, the cash share
//!    (20% or more gives qualified notices) and the dates the cash is paid on.
//! 3. [`App::patronage_run`] aggregates each member's patronage (hours on days in a counted
//!    state, weighted by kind of work, or the wages of approved pay runs) and lets
//!    `coop_core::patronage::allocate` split the surplus to the cent. With `commit` the result
//!    is posted: retained amounts to members' capital accounts, the reserve's share to the
//!    collective reserve, the cash as payments due on the policy's dates; it is sealed and the
//!    year is closed. A year commits once.
//!
//! When no adopted policy governs the year, a commit uses the figures given and says so in a
//! warning kept in the result and the journal; when one does, the figures given must agree.

use crate::decisions::ProposalInput;
use crate::{policy, Actor, App, AppError, Result};
use coop_core::ledger::{self, Posting, Transaction};
use coop_core::member::{MemberState, StateChange, StateHistory};
use coop_core::money::Money;
use coop_core::patronage::{
    allocate, form_1099_patr_box1, instalment_dates, instalments, payment_deadline, plan_instalments, weighted_hours_text, Allocation, AllocationPolicy, Basis,
    MemberPatronage, Notice, Percent,
};
use coop_core::CoopSettings;
use coop_store::capital as cap;
use coop_store::surplus as store;
use jiff::civil::Date;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn corrupt(what: impl std::fmt::Display) -> AppError {
    AppError::Store(coop_store::StoreError::Corrupt(what.to_string()))
}

fn default_repayment_years() -> u32 {
    3
}

fn default_repayments_per_year() -> u32 {
    12
}

/// Everything the co-op decides about year-end money, adopted as one versioned document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurplusPolicy {
    /// The split, the basis, the cash share and the loss share.
    #[serde(flatten)]
    pub allocation: AllocationPolicy,
    /// The dates cash is paid on, as `MM-DD`, each the first such day after the year end; all
    /// must fall by the payment deadline. Empty: one payment on the deadline itself.
    #[serde(default)]
    pub instalments: Vec<String>,
    /// Yearly interest credited to capital accounts (paid from the reserve).
    #[serde(default)]
    pub interest: Percent,
    /// Retained allocations are redeemed this many years later (a revolving fund); `None`: not revolved.
    #[serde(default)]
    pub revolve_years: Option<u32>,
    /// The least the collective reserve must keep after a redemption (the solvency guard), cents.
    #[serde(default)]
    pub min_reserve_cents: i64,
    /// A departing member's balance is repaid over this many years...
    #[serde(default = "default_repayment_years")]
    pub repayment_years: u32,
    /// ...in this many instalments a year (1, 2, 3, 4, 6 or 12).
    #[serde(default = "default_repayments_per_year")]
    pub repayments_per_year: u32,
}

impl SurplusPolicy {
    /// The policy the command line's figures describe, with every other choice at its default.
    pub fn from_figures(allocation: AllocationPolicy) -> SurplusPolicy {
        SurplusPolicy {
            allocation,
            instalments: Vec::new(),
            interest: Percent::ZERO,
            revolve_years: None,
            min_reserve_cents: 0,
            repayment_years: default_repayment_years(),
            repayments_per_year: default_repayments_per_year(),
        }
    }

    /// Parses and checks a policy document (JSON).
    pub fn from_json(text: &str) -> Result<SurplusPolicy> {
        let p: SurplusPolicy = serde_json::from_str(text).map_err(|e| AppError::invalid("policy", format!("not an allocation policy: {e}")))?;
        p.validate()?;
        Ok(p)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Refuses shares that do not fit, instalment days that are not dates, and repayment terms
    /// that cannot be scheduled.
    pub fn validate(&self) -> Result<()> {
        self.allocation.validate().map_err(|e| AppError::invalid("policy", e.to_string()))?;
        self.month_days()?;
        if self.min_reserve_cents < 0 {
            return Err(AppError::invalid("policy", "min_reserve_cents cannot be negative"));
        }
        if !(1..=30).contains(&self.repayment_years) {
            return Err(AppError::invalid("policy", "repayment_years must be 1 to 30"));
        }
        if ![1, 2, 3, 4, 6, 12].contains(&self.repayments_per_year) {
            return Err(AppError::invalid("policy", "repayments_per_year must be 1, 2, 3, 4, 6 or 12 (a whole number of months apart)"));
        }
        Ok(())
    }

    fn month_days(&self) -> Result<Vec<(i8, i8)>> {
        self.instalments
            .iter()
            .map(|t| {
                let bad = || AppError::invalid("instalments", format!("{t:?} is not a day of the year: write MM-DD, e.g. 03-15"));
                let (m, d) = t.trim().split_once('-').ok_or_else(bad)?;
                let (m, d): (i8, i8) = (m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
                Date::new(2001, m, d).map_err(|_| bad())?;
                Ok((m, d))
            })
            .collect()
    }

    /// The payment dates for a year ending `year_end`, checked against the payment deadline.
    pub fn payment_dates(&self, year_end: Date) -> Result<Vec<Date>> {
        let days = self.month_days()?;
        if days.is_empty() {
            return Ok(vec![payment_deadline(year_end)]);
        }
        let dates =
            instalment_dates(year_end, &days).map_err(|(m, d)| AppError::invalid("instalments", format!("{m:02}-{d:02} is not a day of every year")))?;
        plan_instalments(0, &dates, year_end).map_err(|e| AppError::invalid("instalments", e.to_string()))?;
        Ok(dates)
    }
}

/// The first and last day of fiscal year `year` (named by the calendar year it starts in).
pub fn fiscal_bounds(settings: &CoopSettings, year: i64) -> Result<(Date, Date)> {
    if !(1900..=9000).contains(&year) {
        return Err(AppError::invalid("year", format!("{year} is not a fiscal year coop can keep: use a year from 1900 to 9000")));
    }
    let (m, d) = settings.fiscal_year_start.split_once('-').ok_or_else(|| corrupt("fiscal year start"))?;
    let (m, d): (i8, i8) = (m.parse().map_err(corrupt)?, d.parse().map_err(corrupt)?);
    // A start on 29 February would not exist in most years: it then starts on 1 March.
    let start = Date::new(year as i16, m, d).or_else(|_| Date::new(year as i16, 3, 1)).map_err(corrupt)?;
    let next = Date::new(year as i16 + 1, m, d).or_else(|_| Date::new(year as i16 + 1, 3, 1)).map_err(corrupt)?;
    Ok((start, next.yesterday().map_err(corrupt)?))
}

/// A fiscal year as shown.
#[derive(Clone, Debug, Serialize)]
pub struct FiscalYearView {
    pub year: i64,
    pub starts: String,
    pub ends: String,
    /// `open` or `closed`.
    pub status: String,
    pub surplus_cents: Option<i64>,
    /// Whether its allocation is committed.
    pub committed: bool,
}

/// What an import of the year's income statement did.
#[derive(Clone, Debug, Serialize)]
pub struct SurplusImportView {
    /// The year with its surplus now entered.
    #[serde(flatten)]
    pub fiscal_year: FiscalYearView,
    /// The net the file adds up to (income minus expenses; negative: a loss).
    pub net_cents: i64,
    /// The account lines it was summed from.
    pub lines: usize,
    /// `csv` (account,amount[,type]) or `hledger`.
    pub format: String,
}

/// A version of the allocation policy as shown.
#[derive(Clone, Debug, Serialize)]
pub struct PolicyView {
    pub version: i64,
    /// The first day of the first fiscal year it governs.
    pub effective_from: String,
    pub policy: SurplusPolicy,
    pub proposal_id: i64,
    /// `pending`, `adopted` or `rejected`.
    pub status: String,
    pub adopted_at: Option<String>,
}

fn policy_view(row: store::PolicyRow) -> Result<PolicyView> {
    Ok(PolicyView {
        version: row.version,
        policy: serde_json::from_str(&row.policy).map_err(corrupt)?,
        effective_from: row.effective_from,
        proposal_id: row.proposal_id,
        status: row.status,
        adopted_at: row.adopted_at,
    })
}

/// Cash due on one date.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct CashDue {
    pub date: String,
    pub cash_cents: i64,
}

/// Cash needed in one month, `YYYY-MM`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct CashMonth {
    pub month: String,
    pub cash_cents: i64,
}

/// A year's allocation: the keys of `coop patronage run --json` and more.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct AllocationView {
    pub year: i64,
    pub starts: String,
    pub ends: String,
    /// `surplus_cents`, `reserve_cents`, `community_cents`, `pool_cents`, `notice`,
    /// `warnings` and `members` (each with `email`, `patronage`, `allocation_cents`,
    /// `cash_cents`, `retained_cents`).
    #[serde(flatten)]
    pub allocation: Allocation,
    /// The cash instalments (every member's cash split over the dates, summed per date).
    pub instalments: Vec<CashDue>,
    /// The same by month: the cash the co-op needs when.
    pub cash_by_month: Vec<CashMonth>,
    pub policy: SurplusPolicy,
    /// The adopted version that governs the year, if any.
    pub policy_version: Option<i64>,
    pub committed: bool,
    pub committed_at: Option<String>,
    pub sealed_hash: Option<String>,
}

/// What `coop patronage run` asks: the year, and optionally the surplus and a what-if of the
/// policy's reserve share (for a loss: the share the reserve absorbs), cash share and basis.
#[derive(Clone, Debug, Default)]
pub struct RunInput {
    pub year: i64,
    /// The year's surplus; the one entered for the year if `None`.
    pub surplus: Option<Money>,
    pub reserve: Option<Percent>,
    pub cash: Option<Percent>,
    pub basis: Option<Basis>,
    pub commit: bool,
}

/// One member's written notice of allocation.
#[derive(Clone, Debug)]
pub struct NoticeDocument {
    pub member_id: i64,
    pub email: String,
    pub name: String,
    /// The figure for box 1 of form 1099-PATR.
    pub box1_cents: i64,
    pub html: String,
    pub pdf: Vec<u8>,
}

/// The ledger formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LedgerFormat {
    Hledger,
    Beancount,
    Csv,
}

impl LedgerFormat {
    pub fn parse(s: &str) -> Result<LedgerFormat> {
        match s.trim() {
            "hledger" => Ok(LedgerFormat::Hledger),
            "beancount" => Ok(LedgerFormat::Beancount),
            "csv" => Ok(LedgerFormat::Csv),
            other => Err(AppError::invalid("format", format!("{other:?} is not a ledger format: use hledger, beancount or csv"))),
        }
    }
}

/// The equity invariant: member accounts plus the collective reserve against the co-op's
/// equity as the committed years, buy-ins, redemptions and departures make it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct EquityView {
    pub members_cents: i64,
    pub reserve_cents: i64,
    /// Σ(surplus − community − cash) of committed years + buy-ins − redemptions − balances
    /// converted to debts at departure.
    pub equity_cents: i64,
    pub balanced: bool,
}

fn basis_text(b: &Basis) -> String {
    match b {
        Basis::Hours => "hours".into(),
        Basis::Wages => "wages".into(),
        Basis::Weighted => "weighted".into(),
        Basis::Mix { hours, wages } => format!("mix of {hours}% hours and {wages}% wages"),
    }
}

/// Parses `hours`, `wages`, `weighted` or `mix:50/50` (hours/wages percentages).
pub fn parse_basis(s: &str) -> Result<Basis> {
    let t = s.trim();
    match t {
        "hours" => Ok(Basis::Hours),
        "wages" => Ok(Basis::Wages),
        "weighted" => Ok(Basis::Weighted),
        _ => {
            let bad = || AppError::invalid("basis", format!("{t:?} is not a basis: use hours, wages, weighted or mix:H/W (e.g. mix:50/50)"));
            let (h, w) = t.strip_prefix("mix:").and_then(|r| r.split_once('/')).ok_or_else(bad)?;
            let hours = Percent::parse(h).map_err(|_| bad())?;
            let wages = Percent::parse(w).map_err(|_| bad())?;
            if hours.units() + wages.units() != Percent::HUNDRED.units() {
                return Err(AppError::invalid("basis", format!("a mix must add up to 100%: {hours}% + {wages}% does not")));
            }
            Ok(Basis::Mix { hours, wages })
        }
    }
}

impl App {
    async fn bounds(&self, year: i64) -> Result<(Date, Date)> {
        let settings = self.settings().await?;
        fiscal_bounds(&settings, year)
    }

    /// Opens fiscal year `year` (its dates from the co-op's fiscal-year start).
    pub async fn open_fiscal_year(&self, actor: &Actor, year: i64) -> Result<FiscalYearView> {
        policy::manage_surplus(actor)?;
        let (starts, ends) = self.bounds(year).await?;
        let mut tx = self.store.begin_write().await?;
        if store::fiscal_year(&mut tx, year).await?.is_some() {
            return Err(AppError::Conflict(format!("fiscal year {year} is already open (or closed)")));
        }
        store::insert_fiscal_year(&mut tx, year, &starts.to_string(), &ends.to_string(), &self.now_text()).await?;
        self.journal(&mut tx, actor, "fiscal_year.open", &format!("fiscal_year:{year}"), json!({"starts": starts.to_string(), "ends": ends.to_string()}))
            .await?;
        tx.commit().await?;
        self.fiscal_year(actor, year).await
    }

    /// Enters (or corrects) the year's net surplus; a negative amount is a loss. Refused once
    /// the year is closed. Opens the year if needed.
    pub async fn set_fiscal_surplus(&self, actor: &Actor, year: i64, surplus: Money) -> Result<FiscalYearView> {
        self.enter_surplus(actor, year, surplus, None).await
    }

    /// Enters the year's net surplus from the accountant's income statement (CSV: `account,amount`
    /// with an optional `type` of `income|expense`, or hledger's `incomestatement -O csv`): the
    /// same as [`App::set_fiscal_surplus`] with the net the file adds up to, all or nothing. A
    /// file with a bad line is refused as `csv` with `line N: reason` and changes nothing; the
    /// journal entry names the import, its line count and the net.
    pub async fn import_fiscal_surplus(&self, actor: &Actor, year: i64, csv_text: &str) -> Result<SurplusImportView> {
        policy::manage_surplus(actor)?;
        let statement = coop_core::income_statement::parse(csv_text).map_err(|e| AppError::invalid("csv", e.to_string()))?;
        let fiscal_year = self.enter_surplus(actor, year, statement.net, Some(&statement)).await?;
        Ok(SurplusImportView { fiscal_year, net_cents: statement.net.cents(), lines: statement.lines, format: statement.format.to_string() })
    }

    async fn enter_surplus(
        &self,
        actor: &Actor,
        year: i64,
        surplus: Money,
        import: Option<&coop_core::income_statement::IncomeStatement>,
    ) -> Result<FiscalYearView> {
        policy::manage_surplus(actor)?;
        let (starts, ends) = self.bounds(year).await?;
        let mut tx = self.store.begin_write().await?;
        match store::fiscal_year(&mut tx, year).await? {
            Some(y) if y.status == "closed" => return Err(AppError::Conflict(format!("fiscal year {year} is closed: its surplus can no longer change"))),
            Some(_) => {}
            None => store::insert_fiscal_year(&mut tx, year, &starts.to_string(), &ends.to_string(), &self.now_text()).await?,
        }
        if store::allocation(&mut tx, year).await?.is_some() {
            return Err(AppError::Conflict(format!("the allocation of {year} is committed: its surplus can no longer change")));
        }
        store::set_surplus(&mut tx, year, surplus.cents()).await?;
        let payload = match import {
            None => json!({"surplus_cents": surplus.cents()}),
            Some(st) => {
                json!({"surplus_cents": surplus.cents(), "imported": {"from": "income statement", "format": st.format.to_string(), "lines": st.lines, "net_cents": st.net.cents()}})
            }
        };
        self.journal(&mut tx, actor, "fiscal_year.surplus", &format!("fiscal_year:{year}"), payload).await?;
        tx.commit().await?;
        self.fiscal_year(actor, year).await
    }

    /// Closes a year whose surplus is entered, after its last day. Committing the allocation
    /// closes it too.
    pub async fn close_fiscal_year(&self, actor: &Actor, year: i64) -> Result<FiscalYearView> {
        policy::manage_surplus(actor)?;
        let today = self.today().await?;
        let mut tx = self.store.begin_write().await?;
        let y = store::fiscal_year(&mut tx, year).await?.ok_or_else(|| AppError::NotFound(format!("fiscal year {year}")))?;
        if y.status == "closed" {
            return Err(AppError::Conflict(format!("fiscal year {year} is already closed")));
        }
        if y.surplus_cents.is_none() {
            return Err(AppError::Conflict(format!("enter the net surplus (or loss) of {year} before closing it")));
        }
        if today.to_string() <= y.ends {
            return Err(AppError::Conflict(format!("fiscal year {year} runs until {}: close it after its last day", y.ends)));
        }
        store::close_fiscal_year(&mut tx, year, &self.now_text()).await?;
        self.journal(&mut tx, actor, "fiscal_year.close", &format!("fiscal_year:{year}"), json!({"surplus_cents": y.surplus_cents})).await?;
        tx.commit().await?;
        self.fiscal_year(actor, year).await
    }

    pub async fn fiscal_year(&self, actor: &Actor, year: i64) -> Result<FiscalYearView> {
        policy::view_surplus(actor)?;
        let mut c = self.store.read().await?;
        let y = store::fiscal_year(&mut c, year).await?.ok_or_else(|| AppError::NotFound(format!("fiscal year {year}")))?;
        let committed = store::allocation(&mut c, year).await?.is_some();
        Ok(FiscalYearView { year: y.year, starts: y.starts, ends: y.ends, status: y.status, surplus_cents: y.surplus_cents, committed })
    }

    /// Every fiscal year, newest first.
    pub async fn fiscal_years(&self, actor: &Actor) -> Result<Vec<FiscalYearView>> {
        policy::view_surplus(actor)?;
        let mut c = self.store.read().await?;
        let committed: Vec<i64> = store::allocations(&mut c).await?.into_iter().map(|a| a.year).collect();
        Ok(store::fiscal_years(&mut c)
            .await?
            .into_iter()
            .map(|y| FiscalYearView {
                committed: committed.contains(&y.year),
                year: y.year,
                starts: y.starts,
                ends: y.ends,
                status: y.status,
                surplus_cents: y.surplus_cents,
            })
            .collect())
    }

    // -----------------------------------------------------------------------------------------
    // The policy, adopted by decision

    /// Opens a proposal to adopt `policy` from fiscal year `year` on, under `class` (the class
    /// that governs the rules if `None`). It applies only if the proposal passes, and it must be
    /// proposed before that year begins.
    pub async fn propose_allocation_policy(
        &self,
        actor: &Actor,
        policy: SurplusPolicy,
        year: i64,
        class: Option<String>,
        closes_at: Option<Timestamp>,
    ) -> Result<(i64, PolicyView)> {
        policy::manage_surplus(actor)?;
        policy.validate()?;
        let (starts, _) = self.bounds(year).await?;
        if self.today().await? >= starts {
            return Err(AppError::invalid(
                "year",
                format!("fiscal year {year} began on {starts}: a policy must be adopted before the year it governs; propose it for a later year"),
            ));
        }
        let class = match class {
            Some(c) => c,
            None => {
                let mut c = self.store.read().await?;
                coop_store::decisions::governing_class(&mut c).await?.map(|c| c.name).ok_or_else(|| {
                    AppError::Conflict("the co-op has no decision class yet: set one (coop class set) before adopting an allocation policy".into())
                })?
            }
        };
        let text = policy.to_json();
        let doc: Value = serde_json::from_str(&text).map_err(corrupt)?;
        let amendment = json!({"amends": "allocation_policy", "effective_from": starts.to_string(), "policy": doc});
        let proposal = self
            .open_proposal(
                actor,
                ProposalInput {
                    class,
                    title: format!("Adopt the allocation policy from fiscal year {year}"),
                    body: format!("Allocate the surplus of fiscal year {year} and later years under this policy:\n\n```json\n{text}\n```"),
                    closes_at,
                    secret: false,
                    meeting_id: None,
                },
                Some(amendment),
            )
            .await?;
        let mut tx = self.store.begin_write().await?;
        let version = store::insert_policy(&mut tx, &starts.to_string(), &text, proposal.id, "pending", &self.now_text()).await?;
        self.journal(&mut tx, actor, "allocation_policy.propose", &format!("allocation_policy:{version}"), json!({"proposal": proposal.id, "year": year}))
            .await?;
        tx.commit().await?;
        // Settle at once if the proposal was already decided.
        let mut tx = self.store.begin_write().await?;
        let status = coop_store::decisions::proposal(&mut tx, proposal.id).await?.map(|p| p.status).unwrap_or_default();
        if status == "passed" || status == "failed" || status == "blocked" || status == "no_quorum" {
            self.conclude_allocation_policy(&mut tx, &Actor::System, proposal.id, status == "passed").await?;
        }
        let row = store::policy_by_proposal(&mut tx, proposal.id).await?.ok_or_else(|| corrupt("policy vanished"))?;
        tx.commit().await?;
        Ok((proposal.id, policy_view(row)?))
    }

    /// Records `policy` from fiscal year `year` on as adopted by a proposal that has already
    /// passed (a decision taken at a meeting, say).
    pub async fn record_allocation_policy(&self, actor: &Actor, policy: SurplusPolicy, year: i64, adopted_by: i64) -> Result<PolicyView> {
        policy::manage_surplus(actor)?;
        policy.validate()?;
        let (starts, _) = self.bounds(year).await?;
        let mut tx = self.store.begin_write().await?;
        let proposal = coop_store::decisions::proposal(&mut tx, adopted_by).await?.ok_or_else(|| AppError::NotFound(format!("proposal {adopted_by}")))?;
        if proposal.status != "passed" {
            return Err(AppError::invalid(
                "adopted_by",
                format!("proposal {adopted_by} has not passed (it is {}): an allocation policy is adopted only by a decision", proposal.status),
            ));
        }
        if store::allocation(&mut tx, year).await?.is_some() {
            return Err(AppError::Conflict(format!("the allocation of {year} is committed: a new policy can govern only later years")));
        }
        let version = store::insert_policy(&mut tx, &starts.to_string(), &policy.to_json(), adopted_by, "adopted", &self.now_text()).await?;
        self.journal(
            &mut tx,
            actor,
            "allocation_policy.adopt",
            &format!("allocation_policy:{version}"),
            json!({"proposal": adopted_by, "year": year, "policy": serde_json::from_str::<Value>(&policy.to_json()).map_err(corrupt)?}),
        )
        .await?;
        let row = store::policy_by_proposal(&mut tx, adopted_by).await?.ok_or_else(|| corrupt("policy vanished"))?;
        tx.commit().await?;
        policy_view(row)
    }

    /// Applies a decided proposal to the policy version it would adopt (inside the transaction
    /// that decides it).
    pub(crate) async fn conclude_allocation_policy(&self, tx: &mut coop_store::WriteTx, actor: &Actor, proposal_id: i64, passed: bool) -> Result<()> {
        let Some(row) = store::policy_by_proposal(tx, proposal_id).await? else { return Ok(()) };
        if row.status != "pending" {
            return Ok(());
        }
        let status = if passed { "adopted" } else { "rejected" };
        store::settle_policy(tx, row.version, status, &self.now_text()).await?;
        self.journal(
            tx,
            actor,
            &format!("allocation_policy.{}", if passed { "adopt" } else { "reject" }),
            &format!("allocation_policy:{}", row.version),
            json!({"proposal": proposal_id}),
        )
        .await?;
        Ok(())
    }

    /// Every version of the allocation policy, newest first.
    pub async fn allocation_policies(&self, actor: &Actor) -> Result<Vec<PolicyView>> {
        policy::view_surplus(actor)?;
        let mut c = self.store.read().await?;
        store::policies(&mut c).await?.into_iter().map(policy_view).collect()
    }

    // -----------------------------------------------------------------------------------------
    // Preview and commit

    /// The year's allocation: a preview (what-if, changes nothing) or, with `commit`, the
    /// committed allocation (posted, sealed, the year closed). A committed year shows as
    /// committed and is never recomputed; a second commit is refused.
    pub async fn patronage_run(&self, actor: &Actor, input: RunInput) -> Result<AllocationView> {
        if input.commit {
            policy::manage_surplus(actor)?;
        } else {
            policy::view_surplus(actor)?;
        }
        let settings = self.settings().await?;
        let (starts, ends) = fiscal_bounds(&settings, input.year)?;
        let year = input.year;
        if input.commit {
            let mut tx = self.store.begin_write().await?;
            let mut view = self.compute_allocation(&mut tx, &input, starts, ends, true).await?;
            let now = self.now_text();
            let y = store::fiscal_year(&mut tx, year).await?;
            if y.is_none() {
                store::insert_fiscal_year(&mut tx, year, &starts.to_string(), &ends.to_string(), &now).await?;
            }
            store::set_surplus(&mut tx, year, view.allocation.surplus_cents).await?;
            store::close_fiscal_year(&mut tx, year, &now).await?;
            view.committed = true;
            view.committed_at = Some(now.clone());
            let reference = format!("allocation:{year}");
            let row = store::AllocationRow {
                id: 0,
                year,
                policy_version: view.policy_version,
                policy: view.policy.to_json(),
                result: serde_json::to_string(&view).map_err(corrupt)?,
                surplus_cents: view.allocation.surplus_cents,
                reserve_cents: view.allocation.reserve_cents,
                pool_cents: view.allocation.pool_cents,
                notice: if view.allocation.notice == Notice::Qualified { "qualified".into() } else { "non_qualified".into() },
                committed_at: now.clone(),
                committed_by: actor.journal_name(),
            };
            let id =
                store::insert_allocation(&mut tx, &row).await.map_err(|e| crate::unique_or(e, || format!("the allocation of {year} is already committed")))?;
            let end_text = ends.to_string();
            let mut entries: Vec<cap::NewEntry> = Vec::with_capacity(view.allocation.members.len() + 1);
            if view.allocation.reserve_cents != 0 {
                entries.push(cap::NewEntry {
                    member_id: None,
                    date: &end_text,
                    kind: "reserve",
                    amount_cents: view.allocation.reserve_cents,
                    fiscal_year: Some(year),
                    reference: &reference,
                });
            }
            let dates = view.policy.payment_dates(ends)?;
            let mut payments: Vec<cap::NewPayment> = Vec::new();
            for m in &view.allocation.members {
                if m.retained_cents != 0 {
                    let kind = if m.retained_cents < 0 { "loss" } else { "allocation" };
                    entries.push(cap::NewEntry {
                        member_id: Some(m.member_id),
                        date: &end_text,
                        kind,
                        amount_cents: m.retained_cents,
                        fiscal_year: Some(year),
                        reference: &reference,
                    });
                }
                for (date, cents) in instalments(m.cash_cents, &dates) {
                    if cents != 0 {
                        payments.push((m.member_id, date.to_string(), "allocation_cash", cents, 0, &reference));
                    }
                }
            }
            cap::insert_entries(&mut tx, &entries, &now).await?;
            cap::insert_payments(&mut tx, &payments, &now).await?;
            self.journal(
                &mut tx,
                actor,
                "allocation.commit",
                &format!("allocation:{year}"),
                json!({
                    "surplus_cents": view.allocation.surplus_cents, "reserve_cents": view.allocation.reserve_cents,
                    "community_cents": view.allocation.community_cents, "pool_cents": view.allocation.pool_cents,
                    "members": view.allocation.members.len(), "policy_version": view.policy_version, "warnings": view.allocation.warnings,
                }),
            )
            .await?;
            let content = store::allocation_content(&mut tx, id).await?.ok_or_else(|| corrupt("allocation vanished"))?;
            let hash = coop_store::journal::seal(&mut tx, &now, &actor.journal_name(), store::ALLOCATION_RECORD_KIND, &id.to_string(), &content).await?;
            tx.commit().await?;
            view.sealed_hash = Some(hash);
            return Ok(view);
        }
        let mut c = self.store.read().await?;
        if let Some(row) = store::allocation(&mut c, year).await? {
            drop(c);
            return self.stored_allocation(row).await;
        }
        self.compute_allocation(&mut c, &input, starts, ends, false).await
    }

    /// A committed year's allocation as it was committed.
    pub async fn allocation(&self, actor: &Actor, year: i64) -> Result<AllocationView> {
        policy::view_surplus(actor)?;
        let row = {
            let mut c = self.store.read().await?;
            store::allocation(&mut c, year).await?
        };
        match row {
            Some(r) => self.stored_allocation(r).await,
            None => Err(AppError::NotFound(format!("a committed allocation of {year}"))),
        }
    }

    async fn stored_allocation(&self, row: store::AllocationRow) -> Result<AllocationView> {
        let mut view: AllocationView = serde_json::from_str(&row.result).map_err(|e| corrupt(format!("allocation {}: {e}", row.year)))?;
        let mut c = self.store.read().await?;
        view.sealed_hash = coop_store::journal::sealed_hash(&mut c, store::ALLOCATION_RECORD_KIND, &row.id.to_string()).await?;
        Ok(view)
    }

    /// Computes the year's allocation; with `for_commit`, also applies the checks a commit
    /// needs (the year over, not committed, the figures agreeing with the adopted policy).
    async fn compute_allocation(&self, c: &mut coop_store::Conn, input: &RunInput, starts: Date, ends: Date, for_commit: bool) -> Result<AllocationView> {
        let year = input.year;
        let stored_year = store::fiscal_year(c, year).await?;
        if for_commit {
            if store::allocation(c, year).await?.is_some() {
                return Err(AppError::Conflict(format!("the allocation of {year} is already committed: a year commits once")));
            }
            let today = self.today().await?;
            if today <= ends {
                return Err(AppError::Conflict(format!("fiscal year {year} runs until {ends}: commit its allocation after the year is over")));
            }
        }
        let entered = stored_year.as_ref().and_then(|y| y.surplus_cents);
        let surplus = match (input.surplus, entered) {
            (Some(given), Some(entered)) if for_commit && given.cents() != entered => {
                return Err(AppError::invalid(
                    "surplus",
                    format!(
                        "the surplus given ({}) differs from the one entered for {year} ({}): correct the year's surplus first",
                        given.to_decimal(),
                        Money(entered).to_decimal()
                    ),
                ))
            }
            (Some(given), _) => given.cents(),
            (None, Some(entered)) => entered,
            (None, None) => return Err(AppError::invalid("surplus", format!("no surplus is entered for {year}: give one"))),
        };
        let loss = surplus < 0;

        // The policy: the adopted version in force on the year's first day, else the figures.
        let mut warnings: Vec<String> = Vec::new();
        let adopted = store::policy_on(c, &starts.to_string()).await?;
        let (mut policy, version) = match &adopted {
            Some(row) => (serde_json::from_str::<SurplusPolicy>(&row.policy).map_err(corrupt)?, Some(row.version)),
            None => {
                let (Some(reserve), Some(cash), Some(basis)) = (input.reserve, input.cash, input.basis) else {
                    return Err(AppError::invalid(
                        "reserve",
                        format!("no allocation policy governs {year}: give the reserve share, the cash share and the basis"),
                    ));
                };
                (SurplusPolicy::from_figures(AllocationPolicy::new(reserve, cash, basis)), None)
            }
        };
        if let Some(row) = &adopted {
            // The what-if: figures that differ from the adopted policy.
            let mut differences = Vec::new();
            if let Some(r) = input.reserve {
                let (what, current) = if loss {
                    ("share of the loss the reserve absorbs", policy.allocation.loss_reserve_share)
                } else {
                    ("reserve share", policy.allocation.reserve)
                };
                if r != current {
                    differences.push(format!("{what} {r}% (policy: {current}%)"));
                    if loss {
                        policy.allocation.loss_reserve_share = r;
                    } else {
                        policy.allocation.reserve = r;
                    }
                }
            }
            if let Some(cash) = input.cash {
                if cash != policy.allocation.cash {
                    differences.push(format!("cash share {cash}% (policy: {}%)", policy.allocation.cash));
                    policy.allocation.cash = cash;
                }
            }
            if let Some(basis) = input.basis {
                if basis != policy.allocation.basis {
                    differences.push(format!("basis {} (policy: {})", basis_text(&basis), basis_text(&policy.allocation.basis)));
                    policy.allocation.basis = basis;
                }
            }
            if !differences.is_empty() {
                if for_commit {
                    return Err(AppError::Conflict(format!(
                        "allocation policy v{} adopted by proposal {} governs {year}, and the figures given differ: {}; commit with the policy's figures",
                        row.version,
                        row.proposal_id,
                        differences.join(", ")
                    )));
                }
                warnings.push(format!("what-if: {} differ from policy v{}", differences.join(", "), row.version));
            }
            if row.adopted_at.as_deref().is_some_and(|at| at.get(..10).unwrap_or(at) >= starts.to_string().as_str()) {
                warnings.push(format!(
                    "policy v{} was adopted on {} , after fiscal year {year} began: a policy should be adopted before the year it governs",
                    row.version,
                    row.adopted_at.as_deref().unwrap_or("").get(..10).unwrap_or("")
                ));
            }
        } else {
            warnings.push(format!("no allocation policy adopted by decision governs {year}: the figures given were used"));
        }
        // A policy that changed during the year.
        for p in store::policies(c).await? {
            if p.status == "adopted" && p.effective_from.as_str() > starts.to_string().as_str() && p.effective_from.as_str() <= ends.to_string().as_str() {
                warnings.push(format!("the allocation policy in force changed during {year}: v{} takes effect on {}", p.version, p.effective_from));
            }
        }
        policy.validate()?;

        let patronage = self.patronage(c, &policy.allocation, starts, ends).await?;
        let mut allocation = allocate(surplus, &policy.allocation, &patronage).map_err(|e| AppError::Conflict(e.to_string()))?;
        if policy.allocation.basis == Basis::Weighted {
            let by_id: BTreeMap<i64, i64> = patronage.iter().map(|m| (m.member_id, m.weighted_minutes)).collect();
            for m in &mut allocation.members {
                m.patronage = weighted_hours_text(by_id.get(&m.member_id).copied().unwrap_or(0));
            }
        }
        warnings.append(&mut allocation.warnings);
        allocation.warnings = warnings;

        let dates = policy.payment_dates(ends)?;
        let mut by_date: BTreeMap<Date, i64> = dates.iter().map(|d| (*d, 0)).collect();
        for m in &allocation.members {
            for (date, cents) in instalments(m.cash_cents, &dates) {
                *by_date.entry(date).or_default() += cents;
            }
        }
        let mut by_month: BTreeMap<String, i64> = BTreeMap::new();
        for (date, cents) in &by_date {
            *by_month.entry(format!("{:04}-{:02}", date.year(), date.month())).or_default() += cents;
        }
        Ok(AllocationView {
            year,
            starts: starts.to_string(),
            ends: ends.to_string(),
            allocation,
            instalments: by_date.into_iter().map(|(d, c)| CashDue { date: d.to_string(), cash_cents: c }).collect(),
            cash_by_month: by_month.into_iter().map(|(month, cash_cents)| CashMonth { month, cash_cents }).collect(),
            policy,
            policy_version: version,
            committed: false,
            committed_at: None,
            sealed_hash: None,
        })
    }

    /// Every member's patronage from `starts` to `ends` under `policy`: minutes and weighted
    /// minutes (weights in hundredths) on days the member was in a counted state, and the
    /// totals of approved pay runs of months on whose last day (the pay day) they were.
    async fn patronage(&self, c: &mut coop_store::Conn, policy: &AllocationPolicy, starts: Date, ends: Date) -> Result<Vec<MemberPatronage>> {
        let states: &[MemberState] =
            if policy.counts_candidates { coop_core::hours::COUNTS_MEMBERS_AND_CANDIDATES } else { coop_core::hours::COUNTS_MEMBERS_ONLY };
        let needs_hours = matches!(policy.basis, Basis::Hours | Basis::Weighted | Basis::Mix { .. });
        let needs_wages = matches!(policy.basis, Basis::Wages | Basis::Mix { .. });
        let mut rows: BTreeMap<i64, (i64, i64, i64)> = BTreeMap::new();
        if needs_hours {
            for h in store::patronage_hours(c, &starts.to_string(), &ends.to_string(), states, policy.basis == Basis::Weighted).await? {
                let r = rows.entry(h.member_id).or_default();
                r.0 += h.minutes;
                r.1 += h.weighted;
            }
        }
        if needs_wages {
            let (first_month, last_month) = (&starts.to_string()[..7], &ends.to_string()[..7]);
            let runs: Vec<coop_store::pay::PayRunRow> = coop_store::pay::pay_runs(c)
                .await?
                .into_iter()
                .filter(|r| r.status == "approved" && r.month.as_str() >= first_month && r.month.as_str() <= last_month)
                .collect();
            if !runs.is_empty() {
                let histories = histories(c).await?;
                for run in runs {
                    let view: crate::pay::PayRunView = serde_json::from_str(&run.result).map_err(|e| corrupt(format!("pay run {}: {e}", run.month)))?;
                    let pay_day = crate::pay::Month::parse(&run.month)?.last_day();
                    for m in &view.members {
                        let counted = histories.get(&m.member_id).and_then(|h| h.state_on(pay_day)).is_some_and(|s| states.contains(&s));
                        if counted {
                            let total = Money::parse(&m.total).map_err(corrupt)?.cents();
                            rows.entry(m.member_id).or_default().2 += total.max(0);
                        }
                    }
                }
            }
        }
        let emails: BTreeMap<i64, String> = coop_store::work::member_emails(c).await?.into_iter().collect();
        Ok(rows
            .into_iter()
            .filter(|(_, (m, w, g))| *m > 0 || *w > 0 || *g > 0)
            .map(|(member_id, (minutes, weighted_minutes, wages_cents))| MemberPatronage {
                member_id,
                email: emails.get(&member_id).cloned().unwrap_or_default(),
                minutes,
                weighted_minutes,
                wages_cents,
            })
            .collect())
    }

    // -----------------------------------------------------------------------------------------
    // Notices

    /// Each member's written notice of allocation for a committed year, in HTML and PDF, with
    /// the figure for box 1 of form 1099-PATR.
    pub async fn allocation_notices(&self, actor: &Actor, year: i64) -> Result<Vec<NoticeDocument>> {
        policy::manage_surplus(actor)?;
        self.notices(actor, year, None).await
    }

    /// One member's notice for a committed year: the member themselves, or an admin.
    pub async fn allocation_notice(&self, actor: &Actor, year: i64, member_id: i64) -> Result<NoticeDocument> {
        policy::view_capital(actor, member_id)?;
        self.notices(actor, year, Some(member_id)).await?.pop().ok_or_else(|| AppError::NotFound(format!("the notice of member {member_id} for {year}")))
    }

    /// The notices of a committed year, of every member or only of `only`.
    async fn notices(&self, actor: &Actor, year: i64, only: Option<i64>) -> Result<Vec<NoticeDocument>> {
        let view = self.allocation(actor, year).await?;
        let settings = self.settings().await?;
        let names: BTreeMap<i64, String> = {
            let mut c = self.store.read().await?;
            coop_store::work::member_names(&mut c).await?.into_iter().map(|(id, _, name)| (id, name)).collect()
        };
        let dates = view.policy.payment_dates(view.ends.parse().map_err(corrupt)?)?;
        let mut out = Vec::new();
        for m in view.allocation.members.iter().filter(|m| only.is_none_or(|id| id == m.member_id)) {
            let name = names.get(&m.member_id).cloned().unwrap_or_default();
            let box1 = form_1099_patr_box1(view.allocation.notice, m.allocation_cents, m.cash_cents);
            let kind = match view.allocation.notice {
                Notice::Qualified => "Qualified written notice of allocation",
                Notice::NonQualified => "Non-qualified written notice of allocation",
            };
            let cur = &settings.currency;
            let money = |c: i64| format!("{} {cur}", Money(c).to_decimal());
            let schedule: Vec<(String, i64)> =
                instalments(m.cash_cents, &dates).into_iter().filter(|(_, c)| *c != 0).map(|(d, c)| (d.to_string(), c)).collect();
            let lines: Vec<(String, String)> = vec![
                ("Member".into(), format!("{name} <{}>", m.email)),
                ("Fiscal year".into(), format!("{year} ({} to {})", view.starts, view.ends)),
                ("Patronage".into(), m.patronage.clone()),
                ("Patronage allocation".into(), money(m.allocation_cents)),
                ("Paid in cash".into(), money(m.cash_cents)),
                ("Retained in your capital account".into(), money(m.retained_cents)),
                ("Form 1099-PATR box 1 (patronage dividends)".into(), money(box1)),
            ];
            let mut html = format!(
                "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{kind} {year}</title></head><body>\n<h1>{}</h1>\n<h2>{kind}, fiscal year {year}</h2>\n<table>\n",
                esc(&settings.name)
            );
            for (k, v) in &lines {
                html.push_str(&format!("<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n", esc(k), esc(v)));
            }
            html.push_str("</table>\n");
            if !schedule.is_empty() {
                html.push_str("<h3>Cash instalments</h3>\n<table><tr><th>Date</th><th>Amount</th></tr>\n");
                for (d, c) in &schedule {
                    html.push_str(&format!("<tr><td>{d}</td><td>{}</td></tr>\n", esc(&money(*c))));
                }
                html.push_str("</table>\n");
            }
            let note = match view.allocation.notice {
                Notice::Qualified => "At least 20% of this allocation is paid in cash. By accepting membership you consented to include the full allocation in your income for the year you receive this notice.",
                Notice::NonQualified => "This notice is non-qualified: the retained amount is taxed when it is redeemed, not now.",
            };
            html.push_str(&format!(
                "<p>{}</p>\n<p>Sealed allocation record: {}</p>\n</body></html>\n",
                esc(note),
                esc(view.sealed_hash.as_deref().unwrap_or("-"))
            ));
            let mut pdf = coop_core::pdf::PdfDocument::new(&format!("{kind} {year}"));
            pdf.heading(1, &settings.name);
            pdf.heading(2, &format!("{kind}, fiscal year {year}"));
            for (k, v) in &lines {
                pdf.line(&format!("{k}: {v}"));
            }
            if !schedule.is_empty() {
                pdf.heading(3, "Cash instalments");
                for (d, c) in &schedule {
                    pdf.line(&format!("{d}: {}", money(*c)));
                }
            }
            pdf.paragraph(note);
            pdf.line(&format!("Sealed allocation record: {}", view.sealed_hash.as_deref().unwrap_or("-")));
            out.push(NoticeDocument { member_id: m.member_id, email: m.email.clone(), name, box1_cents: box1, html, pdf: pdf.finish() });
        }
        Ok(out)
    }

    // -----------------------------------------------------------------------------------------
    // Ledger export and the equity check

    /// Every transaction of fiscal year `year`: its allocation (the split, the retained credits,
    /// each cash instalment) and the buy-ins, interest, redemptions and departures dated in it.
    pub async fn ledger_transactions(&self, actor: &Actor, year: i64) -> Result<Vec<Transaction>> {
        policy::view_surplus(actor)?;
        let (starts, ends) = self.bounds(year).await?;
        let mut c = self.store.read().await?;
        let emails: BTreeMap<i64, String> = coop_store::work::member_emails(&mut c).await?.into_iter().collect();
        let who = |id: i64| emails.get(&id).cloned().unwrap_or_else(|| format!("member {id}"));
        let capital = |id: i64| format!("Equity:Capital:M{id}");
        let payable = |id: i64| format!("Liabilities:Patronage:M{id}");
        let bad = |e: coop_core::ledger::LedgerError| corrupt(format!("ledger: {e}"));
        let mut txs = Vec::new();
        if let Some(row) = store::allocation(&mut c, year).await? {
            let view: AllocationView = serde_json::from_str(&row.result).map_err(corrupt)?;
            let a = &view.allocation;
            let reference = format!("allocation:{year}");
            let loss = a.surplus_cents < 0;
            let mut postings = vec![
                Posting::new("Equity:Surplus", a.surplus_cents),
                Posting::new("Equity:Reserve", -a.reserve_cents),
                Posting::new("Liabilities:Community-Fund", -a.community_cents),
            ];
            for m in &a.members {
                // A loss is charged straight to the capital accounts; a surplus is first owed.
                postings.push(Posting::new(if loss { capital(m.member_id) } else { payable(m.member_id) }, -m.allocation_cents));
            }
            let what = if loss { "Loss" } else { "Surplus" };
            if let Some(t) = Transaction::maybe(ends, &reference, &format!("{what} of fiscal year {year} allocated"), postings).map_err(bad)? {
                txs.push(t);
            }
            if !loss {
                let mut retained = Vec::new();
                for m in &a.members {
                    retained.push(Posting::new(payable(m.member_id), m.retained_cents));
                    retained.push(Posting::new(capital(m.member_id), -m.retained_cents));
                }
                if let Some(t) =
                    Transaction::maybe(ends, &reference, &format!("Retained patronage of {year} credited to capital accounts"), retained).map_err(bad)?
                {
                    txs.push(t);
                }
                // Each instalment on the day it was paid, or, while unpaid, on the day it is due.
                let mut by_date: BTreeMap<(String, bool), Vec<Posting>> = BTreeMap::new();
                for p in cap::payments_by_ref(&mut c, &reference).await? {
                    let key = match &p.paid_on {
                        Some(paid) => (paid.clone(), true),
                        None => (p.due.clone(), false),
                    };
                    let v = by_date.entry(key).or_default();
                    v.push(Posting::new(payable(p.member_id), p.principal_cents));
                    v.push(Posting::new("Assets:Bank", -p.principal_cents));
                }
                for ((day, paid), postings) in by_date {
                    let date: Date = day.parse().map_err(corrupt)?;
                    let description = if paid { format!("Patronage cash of {year} paid") } else { format!("Patronage cash of {year} due (not yet paid)") };
                    if let Some(t) = Transaction::maybe(date, &format!("cash:{year}"), &description, postings).map_err(bad)? {
                        txs.push(t);
                    }
                }
            }
        }
        for e in cap::all_entries(&mut c).await? {
            if e.date.as_str() < starts.to_string().as_str() || e.date.as_str() > ends.to_string().as_str() {
                continue;
            }
            let Some(id) = e.member_id else { continue };
            let date: Date = e.date.parse().map_err(corrupt)?;
            let (other, description) = match e.kind.as_str() {
                "buy_in" => ("Assets:Bank".to_string(), format!("Buy-in paid by {}", who(id))),
                "interest" => ("Equity:Reserve".to_string(), format!("Interest on the capital account of {}", who(id))),
                "redemption" => ("Assets:Bank".to_string(), format!("Redemption paid to {}", who(id))),
                "departure" => (format!("Liabilities:Departed:M{id}"), format!("Capital of {} converted to a debt at departure", who(id))),
                _ => continue,
            };
            let postings = vec![Posting::new(other, e.amount_cents), Posting::new(capital(id), -e.amount_cents)];
            if let Some(t) = Transaction::maybe(date, &e.reference, &description, postings).map_err(bad)? {
                txs.push(t);
            }
        }
        txs.sort_by_key(|t| t.date());
        Ok(txs)
    }

    /// The year's transactions as hledger, beancount or CSV text.
    pub async fn export_ledger(&self, actor: &Actor, year: i64, format: LedgerFormat) -> Result<String> {
        let txs = self.ledger_transactions(actor, year).await?;
        let currency = self.settings().await?.currency;
        let text = match format {
            LedgerFormat::Hledger => ledger::hledger(&txs, &currency),
            LedgerFormat::Beancount => ledger::beancount(&txs, &currency),
            LedgerFormat::Csv => ledger::csv(&txs, &currency),
        };
        text.map_err(|e| corrupt(format!("ledger: {e}")))
    }

    /// Checks that member accounts plus the collective reserve equal the co-op's equity.
    pub async fn equity(&self, actor: &Actor) -> Result<EquityView> {
        policy::view_surplus(actor)?;
        let mut c = self.store.read().await?;
        let members_cents: i64 = cap::member_balances(&mut c).await?.iter().map(|(_, b)| b).sum();
        let reserve_cents = cap::balance(&mut c, None, None).await?;
        let mut equity_cents: i64 = 0;
        for a in store::allocations(&mut c).await? {
            let view: AllocationView = serde_json::from_str(&a.result).map_err(corrupt)?;
            equity_cents += view.allocation.surplus_cents - view.allocation.community_cents - view.allocation.cash_total();
        }
        for e in cap::all_entries(&mut c).await? {
            if matches!(e.kind.as_str(), "buy_in" | "redemption" | "departure") {
                equity_cents += e.amount_cents;
            }
        }
        Ok(EquityView { members_cents, reserve_cents, equity_cents, balanced: members_cents + reserve_cents == equity_cents })
    }
}

/// Every member's state history, from one query.
async fn histories(c: &mut coop_store::Conn) -> Result<BTreeMap<i64, StateHistory>> {
    let mut changes: BTreeMap<i64, Vec<StateChange>> = BTreeMap::new();
    for (member_id, state, since) in store::all_state_changes(c).await? {
        let state = MemberState::parse(&state).map_err(corrupt)?;
        let since: Date = since.parse().map_err(corrupt)?;
        changes.entry(member_id).or_default().push(StateChange { state, since, planned_end: None, note: String::new() });
    }
    Ok(changes.into_iter().map(|(id, v)| (id, StateHistory::from_recorded(v))).collect())
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
