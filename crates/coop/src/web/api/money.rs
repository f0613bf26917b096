//! The surplus and capital part of the JSON API: fiscal years and their net surplus (entered,
//! or imported from the income statement), the allocation policy versions adopted by decision,
//! proposed by admins (they apply only if the proposal passes), the year-end allocation (a
//! preview that changes nothing, and its commit, once, sealed) and each member's written
//! notice of it (HTML or PDF), capital accounts and the collective reserve with the equity
//! check, buy-in plans, a year's interest, the revolving fund's redemptions (refused with a
//! 409 when the reserve cannot carry them: the solvency guard), a departing member's
//! repayment schedule, the scheduled cash payments and marking one paid, and the ledger export.
//!
//! Same rules as the rest of [`super`]: read the request (422 naming the field), call one
//! `coop-app` use case with the caller's actor, shape the answer with the DTOs below (mirrors
//! of `coop_app::surplus` and `coop_app::capital` types, converted with exhaustive `From`
//! impls). Who may do what is the use cases' call: the fiscal years, policies, allocations
//! (previews included), the reserve, the equity check and the ledger are open books for every
//! current participant; a capital account, its cash payments and a notice of allocation are
//! its member's and the admins'; everything that writes needs the admin role.
//!
//! The shapes follow the contract: `GET /allocations/{year}` carries the keys of `coop
//! patronage run --json` (`year`, `surplus_cents`, `reserve_cents`, `pool_cents`, `notice`,
//! `members[]` with `email`, `patronage`, `allocation_cents`, `cash_cents`, `retained_cents`)
//! and more; `GET /capital/{member}` the keys of `coop capital show --json` (`balance_cents`,
//! `entries[]` with `date`, `kind`, `amount_cents`, `ref`) and more. Money is integer cents in
//! fields ending `_cents`; amounts sent are decimal strings (`"100000.00"`), percentages
//! `"25"` or `"25%"`, dates `YYYY-MM-DD`.
//!
//! A fiscal year is named by the calendar year it starts in. Members are named in paths by
//! `member`, their id or email; one who does not exist is a missing resource (404).
//!
//! An income statement import is all or nothing: a bad line refuses the whole file with a 422
//! naming `csv` whose message starts `line N:`, and nothing is written.

use super::{date, invalid, non_empty, rename, Body, Id, Params, PathParams};
use crate::web::auth::Auth;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use coop_app::capital as app_capital;
use coop_app::surplus::{self as app_surplus, parse_basis, LedgerFormat, RunInput};
use coop_app::AppError;
use coop_core::money::Money;
use coop_core::patronage::{self as core_patronage, AllocationPolicy, Basis, Notice, Percent};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/fiscal-years", get(fiscal_years).post(open_fiscal_year))
        .route("/fiscal-years/{year}", get(fiscal_year))
        .route("/fiscal-years/{year}/surplus", put(enter_surplus))
        .route("/fiscal-years/{year}/close", post(close_fiscal_year))
        .route("/allocation-policies", get(allocation_policies).post(propose_allocation_policy))
        .route("/allocations/{year}", get(preview_allocation).post(commit_allocation))
        .route("/allocations/{year}/notices/{member}", get(allocation_notice))
        .route("/capital", get(capital_overview))
        .route("/capital/interest", post(post_interest))
        .route("/capital/redemptions", post(redeem))
        .route("/capital/{member}", get(capital_account))
        .route("/capital/{member}/departure", post(depart))
        .route("/capital/{member}/buy-in", put(set_buy_in))
        .route("/capital/{member}/buy-in/payments", post(pay_buy_in))
        .route("/cash-payments", get(cash_payments))
        .route("/cash-payments/{id}/paid", post(mark_cash_paid))
        .route("/ledger/{year}", get(ledger))
}

// ---------------------------------------------------------------------------------------------
// Reading requests.

/// The one parameter of a path (`{year}`, `{member}`), read as text, so that a bad one is a
/// JSON answer naming it.
pub(super) struct PathText(String);

impl<S: Send + Sync> FromRequestParts<S> for PathText {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state).await.map_err(|e| super::json_error(StatusCode::NOT_FOUND, e.body_text(), None))?;
        Ok(PathText(raw.trim().to_string()))
    }
}

impl PathText {
    /// A fiscal year, named by the calendar year it starts in (the use cases check its range).
    fn year(&self) -> Result<i64, ApiError> {
        year_text(&self.0)
    }
}

fn year_text(text: &str) -> Result<i64, ApiError> {
    text.parse::<i64>().map_err(|_| invalid("year", format!("{text:?} is not a year: write four digits, e.g. 2025")))
}

fn money(field: &str, value: &str) -> Result<Money, ApiError> {
    Money::parse(value).map_err(|m| invalid(field, m))
}

fn percent(field: &str, value: &str) -> Result<Percent, ApiError> {
    Percent::parse(value).map_err(|e| invalid(field, e.to_string()))
}

/// The member a path names, by id or email. One that does not exist is a 404.
async fn member_in_path(state: &AppState, auth: &Auth, text: &str) -> Result<i64, ApiError> {
    if let Ok(id) = text.parse::<i64>() {
        return if id > 0 { Ok(id) } else { Err(invalid("member", format!("{id} is not an id (ids are positive whole numbers)"))) };
    }
    state.app.member_id_by_email(&auth.actor, text).await.map_err(|e| match e {
        AppError::NotFound(_) | AppError::Invalid { .. } => ApiError(AppError::NotFound(format!("member {text:?}"))),
        other => ApiError(other),
    })
}

/// The `basis` parameter as the CLI writes it: `hours`, `wages`, `weighted`, `mix:50/50`.
fn basis_text(b: &Basis) -> String {
    match b {
        Basis::Hours => "hours".into(),
        Basis::Wages => "wages".into(),
        Basis::Weighted => "weighted".into(),
        Basis::Mix { hours, wages } => format!("mix:{hours}/{wages}"),
    }
}

// ---------------------------------------------------------------------------------------------
// The API's own types: fiscal years and policies.

/// Whether a fiscal year still takes changes to its surplus.
#[allow(dead_code)]
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FiscalYearStatus {
    Open,
    /// Closed after its last day, or by the commit of its allocation.
    Closed,
}

/// A fiscal year.
#[derive(Debug, Serialize, ToSchema)]
pub struct FiscalYear {
    /// The calendar year it starts in.
    pub year: i64,
    #[schema(format = Date)]
    pub starts: String,
    #[schema(format = Date)]
    pub ends: String,
    #[schema(value_type = FiscalYearStatus)]
    pub status: String,
    /// The net surplus entered; negative: a loss; null: not entered yet.
    pub surplus_cents: Option<i64>,
    /// Whether its allocation is committed.
    pub committed: bool,
}

impl From<app_surplus::FiscalYearView> for FiscalYear {
    fn from(y: app_surplus::FiscalYearView) -> Self {
        let app_surplus::FiscalYearView { year, starts, ends, status, surplus_cents, committed } = y;
        FiscalYear { year, starts, ends, status, surplus_cents, committed }
    }
}

/// What an income statement added up to.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementImport {
    /// Income minus expenses; negative: a loss.
    pub net_cents: i64,
    /// The account lines it was summed from.
    pub lines: usize,
    /// `csv` (`account,amount[,type]`) or `hledger` (`incomestatement -O csv`).
    pub format: String,
}

/// A fiscal year with its surplus entered, and what the income statement held when it was
/// imported.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurplusEntered {
    pub fiscal_year: FiscalYear,
    /// Null when the amount was given.
    pub imported: Option<StatementImport>,
}

impl From<app_surplus::SurplusImportView> for SurplusEntered {
    fn from(v: app_surplus::SurplusImportView) -> Self {
        let app_surplus::SurplusImportView { fiscal_year, net_cents, lines, format } = v;
        SurplusEntered { fiscal_year: fiscal_year.into(), imported: Some(StatementImport { net_cents, lines, format }) }
    }
}

/// An allocation policy: the split, the basis, the cash share, the loss share, the cash
/// instalment days, interest, the revolving fund and the repayment terms.
#[derive(Debug, Serialize, ToSchema)]
pub struct PolicyDoc {
    /// Share of a surplus kept in the collective reserve, `"25"` (percent).
    #[schema(example = "25")]
    pub reserve: String,
    /// Share of a surplus given to a community fund.
    pub community: String,
    /// Share of each member's allocation paid in cash (20 or more: qualified notices).
    pub cash: String,
    /// `hours`, `wages`, `weighted` or `mix:H/W`.
    #[schema(example = "hours")]
    pub basis: String,
    /// Whether candidates' hours count.
    pub counts_candidates: bool,
    /// Share of a loss the collective reserve absorbs.
    pub loss_reserve_share: String,
    /// The days cash is paid on, `MM-DD`; empty: once, on the payment deadline.
    pub instalments: Vec<String>,
    /// Yearly interest on capital accounts, percent.
    pub interest: String,
    /// Retained allocations are redeemed this many years later; null: not revolved.
    pub revolve_years: Option<u32>,
    /// The least the collective reserve keeps after a redemption.
    pub min_reserve_cents: i64,
    pub repayment_years: u32,
    pub repayments_per_year: u32,
}

impl From<app_surplus::SurplusPolicy> for PolicyDoc {
    fn from(p: app_surplus::SurplusPolicy) -> Self {
        let app_surplus::SurplusPolicy { allocation, instalments, interest, revolve_years, min_reserve_cents, repayment_years, repayments_per_year } = p;
        let core_patronage::AllocationPolicy { reserve, community, cash, basis, counts_candidates, loss_reserve_share } = allocation;
        PolicyDoc {
            reserve: reserve.to_string(),
            community: community.to_string(),
            cash: cash.to_string(),
            basis: basis_text(&basis),
            counts_candidates,
            loss_reserve_share: loss_reserve_share.to_string(),
            instalments,
            interest: interest.to_string(),
            revolve_years,
            min_reserve_cents,
            repayment_years,
            repayments_per_year,
        }
    }
}

/// Where a version of the policy stands.
#[allow(dead_code)]
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PolicyStatus {
    /// Its proposal is open.
    Pending,
    Adopted,
    Rejected,
}

/// A version of the allocation policy.
#[derive(Debug, Serialize, ToSchema)]
pub struct PolicyVersion {
    pub version: i64,
    /// The first day of the first fiscal year it governs.
    #[schema(format = Date)]
    pub effective_from: String,
    pub policy: PolicyDoc,
    /// The proposal that adopts (or adopted) it.
    pub proposal_id: i64,
    #[schema(value_type = PolicyStatus)]
    pub status: String,
    #[schema(format = DateTime)]
    pub adopted_at: Option<String>,
}

impl From<app_surplus::PolicyView> for PolicyVersion {
    fn from(v: app_surplus::PolicyView) -> Self {
        let app_surplus::PolicyView { version, effective_from, policy, proposal_id, status, adopted_at } = v;
        PolicyVersion { version, effective_from, policy: policy.into(), proposal_id, status, adopted_at }
    }
}

// ---------------------------------------------------------------------------------------------
// The API's own types: the allocation.

/// The kind of written notice of allocation a year's notices are.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoticeName {
    /// At least 20% paid in cash.
    Qualified,
    /// Less than 20% in cash, or a loss year.
    NonQualified,
}

impl From<Notice> for NoticeName {
    fn from(n: Notice) -> Self {
        match n {
            Notice::Qualified => NoticeName::Qualified,
            Notice::NonQualified => NoticeName::NonQualified,
        }
    }
}

/// One member's share of a year's allocation.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberAllocation {
    pub member_id: i64,
    pub email: String,
    /// Hours (`"1234.50"`), wages (`"52000.00"`) or a mix (`"1234.50 h + 52000.00"`).
    pub patronage: String,
    /// Share of the pool; negative in a loss year.
    pub allocation_cents: i64,
    /// Paid in cash (0 in a loss year).
    pub cash_cents: i64,
    /// Credited (negative: charged) to the capital account.
    pub retained_cents: i64,
}

impl From<core_patronage::MemberAllocation> for MemberAllocation {
    fn from(m: core_patronage::MemberAllocation) -> Self {
        let core_patronage::MemberAllocation { member_id, email, patronage, allocation_cents, cash_cents, retained_cents } = m;
        MemberAllocation { member_id, email, patronage, allocation_cents, cash_cents, retained_cents }
    }
}

/// Cash due on one date (every member's instalment that day).
#[derive(Debug, Serialize, ToSchema)]
pub struct CashDue {
    #[schema(format = Date)]
    pub date: String,
    pub cash_cents: i64,
}

/// Cash needed in one month.
#[derive(Debug, Serialize, ToSchema)]
pub struct CashMonth {
    /// `YYYY-MM`
    pub month: String,
    pub cash_cents: i64,
}

/// A year's allocation, previewed or committed: the keys of `coop patronage run --json` and more.
#[derive(Debug, Serialize, ToSchema)]
pub struct Allocation {
    pub year: i64,
    #[schema(format = Date)]
    pub starts: String,
    #[schema(format = Date)]
    pub ends: String,
    /// The net surplus; negative: a loss.
    pub surplus_cents: i64,
    /// Kept by the co-op (in a loss year: the share of the loss the reserve absorbs).
    pub reserve_cents: i64,
    pub community_cents: i64,
    /// Shared among members by patronage.
    pub pool_cents: i64,
    pub notice: NoticeName,
    /// What a reader should know: a what-if differing from the adopted policy, no policy, ...
    pub warnings: Vec<String>,
    /// By member id.
    pub members: Vec<MemberAllocation>,
    /// The cash instalments, summed per date.
    pub instalments: Vec<CashDue>,
    /// The same by month: the cash the co-op needs when.
    pub cash_by_month: Vec<CashMonth>,
    /// The policy applied (the adopted one, with any what-if figures).
    pub policy: PolicyDoc,
    /// The adopted version that governs the year; null: the figures given were used.
    pub policy_version: Option<i64>,
    pub committed: bool,
    #[schema(format = DateTime)]
    pub committed_at: Option<String>,
    /// The SHA-256 content hash sealed into the journal at commit.
    pub sealed_hash: Option<String>,
}

impl From<app_surplus::AllocationView> for Allocation {
    fn from(v: app_surplus::AllocationView) -> Self {
        let app_surplus::AllocationView {
            year,
            starts,
            ends,
            allocation,
            instalments,
            cash_by_month,
            policy,
            policy_version,
            committed,
            committed_at,
            sealed_hash,
        } = v;
        let core_patronage::Allocation { surplus_cents, reserve_cents, community_cents, pool_cents, notice, warnings, members } = allocation;
        Allocation {
            year,
            starts,
            ends,
            surplus_cents,
            reserve_cents,
            community_cents,
            pool_cents,
            notice: notice.into(),
            warnings,
            members: members.into_iter().map(MemberAllocation::from).collect(),
            instalments: instalments
                .into_iter()
                .map(|c| {
                    let app_surplus::CashDue { date, cash_cents } = c;
                    CashDue { date, cash_cents }
                })
                .collect(),
            cash_by_month: cash_by_month
                .into_iter()
                .map(|c| {
                    let app_surplus::CashMonth { month, cash_cents } = c;
                    CashMonth { month, cash_cents }
                })
                .collect(),
            policy: policy.into(),
            policy_version,
            committed,
            committed_at,
            sealed_hash,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The API's own types: capital accounts and cash payments.

/// One movement of a capital account.
#[derive(Debug, Serialize, ToSchema)]
pub struct CapitalEntry {
    #[schema(format = Date)]
    pub date: String,
    /// `buy_in`, `allocation`, `loss`, `interest`, `redemption`, `departure` or `reserve`.
    pub kind: String,
    /// Positive: credited; negative: charged.
    pub amount_cents: i64,
    /// What posted it, e.g. `allocation:2025`.
    #[serde(rename = "ref")]
    #[schema(rename = "ref")]
    pub reference: String,
    /// The fiscal year of the allocation it belongs to, if any.
    pub fiscal_year: Option<i64>,
}

impl From<app_capital::EntryView> for CapitalEntry {
    fn from(e: app_capital::EntryView) -> Self {
        let app_capital::EntryView { date, kind, amount_cents, reference, fiscal_year } = e;
        CapitalEntry { date, kind, amount_cents, reference, fiscal_year }
    }
}

/// A buy-in plan and how far it is paid.
#[derive(Debug, Serialize, ToSchema)]
pub struct BuyIn {
    pub total_cents: i64,
    pub instalment_cents: i64,
    #[schema(format = Date)]
    pub starts: String,
    pub paid_cents: i64,
    pub remaining_cents: i64,
    /// Instalments still to pay (the last one may be smaller).
    pub instalments_left: i64,
}

impl From<app_capital::BuyInView> for BuyIn {
    fn from(b: app_capital::BuyInView) -> Self {
        let app_capital::BuyInView { total_cents, instalment_cents, starts, paid_cents, remaining_cents, instalments_left } = b;
        BuyIn { total_cents, instalment_cents, starts, paid_cents, remaining_cents, instalments_left }
    }
}

/// Cash the co-op owes a member on a date: an instalment of a year's patronage cash
/// (`allocation_cash`) or a departure repayment (`repayment`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Payment {
    /// The payment's id (`POST /cash-payments/{id}/paid` names it).
    pub id: i64,
    #[schema(format = Date)]
    pub due: String,
    /// `allocation_cash` or `repayment`.
    pub kind: String,
    pub principal_cents: i64,
    pub interest_cents: i64,
    /// Principal plus interest.
    pub payment_cents: i64,
    #[serde(rename = "ref")]
    #[schema(rename = "ref")]
    pub reference: String,
    /// The day it was paid; null while unpaid.
    #[schema(format = Date)]
    pub paid_on: Option<String>,
}

impl From<app_capital::PaymentView> for Payment {
    fn from(p: app_capital::PaymentView) -> Self {
        let app_capital::PaymentView { id, due, kind, principal_cents, interest_cents, payment_cents, reference, paid_on } = p;
        Payment { id, due, kind, principal_cents, interest_cents, payment_cents, reference, paid_on }
    }
}

/// A member's capital account: the keys of `coop capital show --json` (`balance_cents`,
/// `entries`) and the buy-in plan and cash owed.
#[derive(Debug, Serialize, ToSchema)]
pub struct CapitalAccount {
    pub member_id: i64,
    pub email: String,
    pub balance_cents: i64,
    /// Oldest first.
    pub entries: Vec<CapitalEntry>,
    pub buy_in: Option<BuyIn>,
    /// Cash owed to the member, by date, paid or not.
    pub payments: Vec<Payment>,
}

impl From<app_capital::CapitalView> for CapitalAccount {
    fn from(v: app_capital::CapitalView) -> Self {
        let app_capital::CapitalView { member_id, email, balance_cents, entries, buy_in, payments } = v;
        CapitalAccount {
            member_id,
            email,
            balance_cents,
            entries: entries.into_iter().map(CapitalEntry::from).collect(),
            buy_in: buy_in.map(BuyIn::from),
            payments: payments.into_iter().map(Payment::from).collect(),
        }
    }
}

/// A scheduled cash payment with the member it is owed to (as `coop capital payments --json`).
#[derive(Debug, Serialize, ToSchema)]
pub struct CashPayment {
    /// The payment's id (`POST /cash-payments/{id}/paid` names it).
    pub id: i64,
    pub member_id: i64,
    pub email: String,
    #[schema(format = Date)]
    pub due: String,
    /// `allocation_cash` or `repayment`.
    pub kind: String,
    pub principal_cents: i64,
    pub interest_cents: i64,
    /// Principal plus interest.
    pub payment_cents: i64,
    #[serde(rename = "ref")]
    #[schema(rename = "ref")]
    pub reference: String,
    /// The day it was paid; null while unpaid.
    #[schema(format = Date)]
    pub paid_on: Option<String>,
}

impl From<app_capital::CashPaymentView> for CashPayment {
    fn from(v: app_capital::CashPaymentView) -> Self {
        let app_capital::CashPaymentView { member_id, email, payment } = v;
        let app_capital::PaymentView { id, due, kind, principal_cents, interest_cents, payment_cents, reference, paid_on } = payment;
        CashPayment { id, member_id, email, due, kind, principal_cents, interest_cents, payment_cents, reference, paid_on }
    }
}

/// The collective reserve's account.
#[derive(Debug, Serialize, ToSchema)]
pub struct Reserve {
    pub balance_cents: i64,
    pub entries: Vec<CapitalEntry>,
}

impl From<app_capital::ReserveView> for Reserve {
    fn from(r: app_capital::ReserveView) -> Self {
        let app_capital::ReserveView { balance_cents, entries } = r;
        Reserve { balance_cents, entries: entries.into_iter().map(CapitalEntry::from).collect() }
    }
}

/// The equity invariant: member accounts plus the collective reserve against the co-op's equity.
#[derive(Debug, Serialize, ToSchema)]
pub struct Equity {
    pub members_cents: i64,
    pub reserve_cents: i64,
    pub equity_cents: i64,
    /// `members_cents + reserve_cents == equity_cents`.
    pub balanced: bool,
}

impl From<app_surplus::EquityView> for Equity {
    fn from(e: app_surplus::EquityView) -> Self {
        let app_surplus::EquityView { members_cents, reserve_cents, equity_cents, balanced } = e;
        Equity { members_cents, reserve_cents, equity_cents, balanced }
    }
}

/// A member account's balance.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountBalance {
    pub member_id: i64,
    pub email: String,
    pub balance_cents: i64,
}

impl From<app_capital::AccountBalance> for AccountBalance {
    fn from(a: app_capital::AccountBalance) -> Self {
        let app_capital::AccountBalance { member_id, email, balance_cents } = a;
        AccountBalance { member_id, email, balance_cents }
    }
}

/// Every capital account the caller may see, the collective reserve and the equity check.
#[derive(Debug, Serialize, ToSchema)]
pub struct CapitalOverview {
    /// Every member account with a movement for admins; the caller's own for a member.
    pub accounts: Vec<AccountBalance>,
    pub reserve: Reserve,
    pub equity: Equity,
}

impl From<app_capital::CapitalOverview> for CapitalOverview {
    fn from(o: app_capital::CapitalOverview) -> Self {
        let app_capital::CapitalOverview { accounts, reserve, equity } = o;
        CapitalOverview { accounts: accounts.into_iter().map(AccountBalance::from).collect(), reserve: reserve.into(), equity: equity.into() }
    }
}

/// What a posting did to one member's capital account.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostedMember {
    pub member_id: i64,
    pub email: String,
    /// Positive: credited (interest); negative: charged (a redemption).
    pub amount_cents: i64,
}

impl From<app_capital::PostedMember> for PostedMember {
    fn from(m: app_capital::PostedMember) -> Self {
        let app_capital::PostedMember { member_id, email, amount_cents } = m;
        PostedMember { member_id, email, amount_cents }
    }
}

/// A posting to the capital accounts: a year's interest (credited to each account, paid from
/// the collective reserve) or the revolving fund's redemptions (charged to each account, paid
/// out in cash).
#[derive(Debug, Serialize, ToSchema)]
pub struct CapitalPosting {
    /// `interest:YYYY` or `redemption:YYYY`: once per year.
    #[serde(rename = "ref")]
    #[schema(rename = "ref")]
    pub reference: String,
    /// The day it is booked on (the year's last day for interest).
    #[schema(format = Date)]
    pub date: String,
    /// The sum over the members: positive for interest, negative for redemptions.
    pub total_cents: i64,
    /// The accounts it moved, by member id.
    pub members: Vec<PostedMember>,
}

impl From<app_capital::PostedView> for CapitalPosting {
    fn from(v: app_capital::PostedView) -> Self {
        let app_capital::PostedView { reference, date, total_cents, members } = v;
        CapitalPosting { reference, date, total_cents, members: members.into_iter().map(PostedMember::from).collect() }
    }
}

// ---------------------------------------------------------------------------------------------
// Requests.

/// A fiscal year to open.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenYearRequest {
    /// The calendar year it starts in (1900 to 9000).
    #[schema(example = 2025)]
    pub year: i64,
}

/// The year's net surplus: an `amount`, or the accountant's income statement as `csv`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurplusRequest {
    /// A decimal, `"100000.00"`; negative: a loss.
    #[serde(default)]
    #[schema(example = "100000.00")]
    pub amount: Option<String>,
    /// The income statement (UTF-8): `account,amount[,type]` with `type` `income|expense`, or
    /// hledger's `incomestatement -O csv`. All or nothing.
    #[serde(default)]
    #[schema(example = "account,amount,type\nSales,150000.00,income\nWages,-50000.00,expense\n")]
    pub csv: Option<String>,
}

/// The figures of a commit: when no adopted policy governs the year, the reserve and cash
/// shares and the basis are needed; when one does, figures given must agree with it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitRequest {
    /// The year's surplus; the one entered for the year if absent (they must agree).
    #[serde(default)]
    #[schema(example = "100000.00")]
    pub surplus: Option<String>,
    /// Reserve share in percent (for a loss: the share the reserve absorbs).
    #[serde(default)]
    #[schema(example = "25")]
    pub reserve: Option<String>,
    /// Cash share in percent.
    #[serde(default)]
    #[schema(example = "20")]
    pub cash: Option<String>,
    /// `hours`, `wages`, `weighted` or `mix:H/W`.
    #[serde(default)]
    #[schema(example = "hours")]
    pub basis: Option<String>,
}

/// A member's buy-in plan.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BuyInRequest {
    /// The whole buy-in, `"3000.00"`.
    #[schema(example = "3000.00")]
    pub total: String,
    /// Each instalment, `"50.00"`.
    #[schema(example = "50.00")]
    pub instalment: String,
    /// The first instalment's day (default: today).
    #[serde(default)]
    #[schema(format = Date)]
    pub starts: Option<String>,
}

/// A buy-in instalment paid.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BuyInPaymentRequest {
    #[schema(example = "50.00")]
    pub amount: String,
    #[schema(format = Date)]
    pub on: String,
}

/// The day a scheduled cash payment was paid.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaidRequest {
    /// Not in the future.
    #[schema(format = Date, example = "2026-03-15")]
    pub on: String,
}

/// An allocation policy as proposed: the keys of [`PolicyDoc`], percentages as `"25"`, the
/// least reserve as an amount. Absent keys take their defaults.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyInput {
    /// Share of a surplus kept in the collective reserve, percent.
    #[schema(example = "25")]
    pub reserve: String,
    /// Share of a surplus given to a community fund (default 0).
    #[serde(default)]
    #[schema(example = "0")]
    pub community: Option<String>,
    /// Share of each member's allocation paid in cash (20 or more: qualified notices).
    #[schema(example = "20")]
    pub cash: String,
    /// `hours`, `wages`, `weighted` or `mix:H/W`.
    #[schema(example = "hours")]
    pub basis: String,
    /// Whether candidates' hours count (default false).
    #[serde(default)]
    pub counts_candidates: Option<bool>,
    /// Share of a loss the collective reserve absorbs (default: the `reserve` share).
    #[serde(default)]
    pub loss_reserve_share: Option<String>,
    /// The days cash is paid on, `MM-DD` (default: once, on the payment deadline).
    #[serde(default)]
    #[schema(example = json!(["03-15", "09-15"]))]
    pub instalments: Option<Vec<String>>,
    /// Yearly interest on capital accounts, percent (default 0).
    #[serde(default)]
    pub interest: Option<String>,
    /// Retained allocations are redeemed this many years later (default: not revolved).
    #[serde(default)]
    pub revolve_years: Option<u32>,
    /// The least the collective reserve keeps after a redemption, `"5000.00"` (default 0).
    #[serde(default)]
    pub min_reserve: Option<String>,
    /// A departing member's balance is repaid over this many years, 1 to 30 (default 3)...
    #[serde(default)]
    pub repayment_years: Option<u32>,
    /// ...in 1, 2, 3, 4, 6 or 12 instalments a year (default 12).
    #[serde(default)]
    pub repayments_per_year: Option<u32>,
}

/// A policy to propose from a fiscal year on: a proposal opens under `class` and the policy
/// applies only if it passes.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyRequest {
    /// The first fiscal year it governs; it must not have begun.
    #[schema(example = 2030)]
    pub year: i64,
    pub policy: PolicyInput,
    /// The decision class (default: the one that governs the rules).
    #[serde(default)]
    pub class: Option<String>,
    /// When voting closes, RFC 3339 (default: a week from now).
    #[serde(default)]
    #[schema(format = DateTime)]
    pub closes_at: Option<String>,
}

/// A fiscal year's interest on every capital account.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InterestRequest {
    /// The fiscal year, over.
    #[schema(example = 2025)]
    pub year: i64,
    /// Yearly percent (default: the adopted policy's).
    #[serde(default)]
    #[schema(example = "5")]
    pub rate: Option<String>,
}

/// The revolving fund's redemptions of a fiscal year.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedemptionRequest {
    /// The fiscal year redeeming.
    #[schema(example = 2025)]
    pub year: i64,
    /// Allocations at least this many years old are redeemed (default: the policy's).
    #[serde(default)]
    pub after: Option<u32>,
    /// The least the collective reserve must keep, `"5000.00"` (default: the policy's, or 0).
    #[serde(default)]
    #[schema(example = "0.00")]
    pub min_reserve: Option<String>,
    /// The day of the redemptions.
    #[schema(format = Date)]
    pub on: String,
}

/// A departing member's repayment terms; absent ones are the adopted policy's.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartureRequest {
    /// The day the balance becomes a debt of the co-op: the member must be departed on it.
    #[schema(format = Date)]
    pub on: String,
    /// Repaid over 1 to 30 years (default: the policy's, or 3).
    #[serde(default)]
    pub years: Option<u32>,
    /// In 1, 2, 3, 4, 6 or 12 instalments a year (default: the policy's, or 12).
    #[serde(default)]
    pub per_year: Option<u32>,
    /// Yearly interest on the outstanding balance, percent (default: the policy's, or 0).
    #[serde(default)]
    #[schema(example = "3")]
    pub rate: Option<String>,
}

/// The form of a notice.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoticeQuery {
    /// `html` (default) or `pdf`.
    pub format: Option<String>,
}

/// A preview's what-if figures; absent ones are the adopted policy's (or, without one, needed).
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PreviewQuery {
    /// The surplus, `"100000.00"`; default: the one entered for the year.
    pub surplus: Option<String>,
    /// Reserve share in percent (for a loss: the share the reserve absorbs).
    pub reserve: Option<String>,
    /// Cash share in percent.
    pub cash: Option<String>,
    /// `hours`, `wages`, `weighted` or `mix:H/W`.
    pub basis: Option<String>,
}

/// Which payments.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CashPaymentsQuery {
    /// The fiscal year whose allocation's cash instalments to list; default: every payment
    /// (departure repayments too).
    #[param(value_type = Option<i64>, example = 2025)]
    pub year: Option<String>,
}

/// The ledger format.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerQuery {
    /// `hledger` (default), `beancount` or `csv`.
    pub format: Option<String>,
}

fn run_input(
    year: i64,
    surplus: Option<String>,
    reserve: Option<String>,
    cash: Option<String>,
    basis: Option<String>,
    commit: bool,
) -> Result<RunInput, ApiError> {
    Ok(RunInput {
        year,
        surplus: non_empty(surplus).map(|s| money("surplus", &s)).transpose()?,
        reserve: non_empty(reserve).map(|s| percent("reserve", &s)).transpose()?,
        cash: non_empty(cash).map(|s| percent("cash", &s)).transpose()?,
        basis: non_empty(basis).map(|s| parse_basis(&s)).transpose()?,
        commit,
    })
}

/// The policy a request proposes, with the defaults of the keys left out; field errors name
/// `policy.KEY`.
fn surplus_policy(p: PolicyInput) -> Result<app_surplus::SurplusPolicy, ApiError> {
    let PolicyInput {
        reserve,
        community,
        cash,
        basis,
        counts_candidates,
        loss_reserve_share,
        instalments,
        interest,
        revolve_years,
        min_reserve,
        repayment_years,
        repayments_per_year,
    } = p;
    let reserve = percent("policy.reserve", &reserve)?;
    let cash = percent("policy.cash", &cash)?;
    let basis = parse_basis(&basis).map_err(|e| rename(e, &[("basis", "policy.basis")]))?;
    let mut allocation = AllocationPolicy::new(reserve, cash, basis);
    if let Some(c) = non_empty(community) {
        allocation.community = percent("policy.community", &c)?;
    }
    if let Some(l) = non_empty(loss_reserve_share) {
        allocation.loss_reserve_share = percent("policy.loss_reserve_share", &l)?;
    }
    allocation.counts_candidates = counts_candidates.unwrap_or(false);
    let mut policy = app_surplus::SurplusPolicy::from_figures(allocation);
    if let Some(days) = instalments {
        policy.instalments = days;
    }
    if let Some(i) = non_empty(interest) {
        policy.interest = percent("policy.interest", &i)?;
    }
    policy.revolve_years = revolve_years;
    if let Some(m) = non_empty(min_reserve) {
        policy.min_reserve_cents = money("policy.min_reserve", &m)?.cents();
    }
    if let Some(y) = repayment_years {
        policy.repayment_years = y;
    }
    if let Some(n) = repayments_per_year {
        policy.repayments_per_year = n;
    }
    Ok(policy)
}

// ---------------------------------------------------------------------------------------------
// Handlers: fiscal years and policies.

/// Every fiscal year, newest first.
#[utoipa::path(get, path = "/api/v1/fiscal-years", tag = "money", security(("cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "The fiscal years", body = Vec<FiscalYear>),
              (status = 401, description = "Not signed in", body = ErrorBody)))]
pub(super) async fn fiscal_years(State(state): State<AppState>, auth: Auth) -> Result<Json<Vec<FiscalYear>>, ApiError> {
    Ok(Json(state.app.fiscal_years(&auth.actor).await?.into_iter().map(FiscalYear::from).collect()))
}

/// Opens a fiscal year (admins): its dates follow from the co-op's fiscal-year start.
#[utoipa::path(post, path = "/api/v1/fiscal-years", tag = "money", security(("cookie" = []), ("bearer" = [])), request_body = OpenYearRequest,
    responses((status = 201, description = "Opened", body = FiscalYear),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the admin role", body = ErrorBody),
              (status = 409, description = "The year is already open (or closed)", body = ErrorBody),
              (status = 422, description = "A `year` coop cannot keep (1900 to 9000)", body = ErrorBody)))]
pub(super) async fn open_fiscal_year(State(state): State<AppState>, auth: Auth, Body(req): Body<OpenYearRequest>) -> Result<Response, ApiError> {
    let y = state.app.open_fiscal_year(&auth.actor, req.year).await?;
    Ok((StatusCode::CREATED, Json(FiscalYear::from(y))).into_response())
}

/// One fiscal year.
#[utoipa::path(get, path = "/api/v1/fiscal-years/{year}", tag = "money", security(("cookie" = []), ("bearer" = [])),
    params(("year" = i64, Path, description = "The calendar year it starts in")),
    responses((status = 200, description = "The year", body = FiscalYear),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 404, description = "No such fiscal year", body = ErrorBody),
              (status = 422, description = "A bad `year`", body = ErrorBody)))]
pub(super) async fn fiscal_year(State(state): State<AppState>, auth: Auth, path: PathText) -> Result<Json<FiscalYear>, ApiError> {
    let year = path.year()?;
    Ok(Json(state.app.fiscal_year(&auth.actor, year).await?.into()))
}

/// Enters (or corrects) the year's net surplus (admins): `{"amount":"100000.00"}`, or
/// `{"csv":"..."}` for the accountant's income statement, read all or nothing (a bad line is a
/// 422 naming `csv`, its message starting `line N:`). Opens the year if needed; refused once
/// the year is closed or its allocation committed.
#[utoipa::path(put, path = "/api/v1/fiscal-years/{year}/surplus", tag = "money", security(("cookie" = []), ("bearer" = [])),
    params(("year" = i64, Path, description = "The calendar year it starts in")), request_body = SurplusRequest,
    responses((status = 200, description = "Entered", body = SurplusEntered),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the admin role", body = ErrorBody),
              (status = 409, description = "The year is closed, or its allocation committed", body = ErrorBody),
              (status = 413, description = "The file is larger than the body limit", body = ErrorBody),
              (status = 422, description = "A bad `year`, `amount`, or a bad line of `csv` (\"line N: ...\"); neither or both given (`amount`)", body = ErrorBody)))]
pub(super) async fn enter_surplus(
    State(state): State<AppState>,
    auth: Auth,
    path: PathText,
    Body(req): Body<SurplusRequest>,
) -> Result<Json<SurplusEntered>, ApiError> {
    let year = path.year()?;
    match (non_empty(req.amount), req.csv) {
        (Some(amount), None) => {
            let amount = money("amount", &amount)?;
            let y = state.app.set_fiscal_surplus(&auth.actor, year, amount).await?;
            Ok(Json(SurplusEntered { fiscal_year: y.into(), imported: None }))
        }
        (None, Some(csv)) => Ok(Json(state.app.import_fiscal_surplus(&auth.actor, year, &csv).await?.into())),
        (Some(_), Some(_)) => Err(invalid("amount", "give the surplus as `amount` or the income statement as `csv`, not both")),
        (None, None) => Err(invalid("amount", "give the surplus as `amount` (e.g. \"100000.00\") or the income statement as `csv`")),
    }
}

/// Closes a year whose surplus is entered, after its last day (admins).
#[utoipa::path(post, path = "/api/v1/fiscal-years/{year}/close", tag = "money", security(("cookie" = []), ("bearer" = [])),
    params(("year" = i64, Path, description = "The calendar year it starts in")),
    responses((status = 200, description = "Closed", body = FiscalYear),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the admin role", body = ErrorBody),
              (status = 404, description = "No such fiscal year", body = ErrorBody),
              (status = 409, description = "Already closed, no surplus entered, or the year is not over", body = ErrorBody),
              (status = 422, description = "A bad `year`", body = ErrorBody)))]
pub(super) async fn close_fiscal_year(State(state): State<AppState>, auth: Auth, path: PathText) -> Result<Json<FiscalYear>, ApiError> {
    let year = path.year()?;
    Ok(Json(state.app.close_fiscal_year(&auth.actor, year).await?.into()))
}

/// Every version of the allocation policy, newest first.
#[utoipa::path(get, path = "/api/v1/allocation-policies", tag = "money", security(("cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "The versions", body = Vec<PolicyVersion>),
              (status = 401, description = "Not signed in", body = ErrorBody)))]
pub(super) async fn allocation_policies(State(state): State<AppState>, auth: Auth) -> Result<Json<Vec<PolicyVersion>>, ApiError> {
    Ok(Json(state.app.allocation_policies(&auth.actor).await?.into_iter().map(PolicyVersion::from).collect()))
}

/// Proposes a version of the allocation policy from a fiscal year on (admins): a proposal
/// opens under `class` and the policy applies only if it passes (`status` stays `pending`
/// until then, `rejected` if it fails). It must be proposed before the year begins.
#[utoipa::path(post, path = "/api/v1/allocation-policies", tag = "money", security(("cookie" = []), ("bearer" = [])), request_body = PolicyRequest,
    responses((status = 201, description = "Proposed: the version, with the `proposal_id` to vote on", body = PolicyVersion),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the admin role", body = ErrorBody),
              (status = 409, description = "No decision class yet to decide it", body = ErrorBody),
              (status = 422, description = "A bad `year` (out of range, or already begun), `policy.reserve`, `policy.cash`, `policy.basis`, `policy.community`, `policy.loss_reserve_share`, `policy.interest`, `policy.min_reserve`, `policy.instalments`, shares or terms that do not fit (`policy`), an unknown `class`, or a bad `closes_at`", body = ErrorBody)))]
pub(super) async fn propose_allocation_policy(State(state): State<AppState>, auth: Auth, Body(req): Body<PolicyRequest>) -> Result<Response, ApiError> {
    let policy = surplus_policy(req.policy)?;
    let closes_at = non_empty(req.closes_at).map(|t| coop_core::time::parse_instant(&t).map_err(|e| invalid("closes_at", e))).transpose()?;
    let (_, view) = state
        .app
        .propose_allocation_policy(&auth.actor, policy, req.year, non_empty(req.class), closes_at)
        .await
        .map_err(|e| rename(e, &[("closes", "closes_at"), ("instalments", "policy.instalments")]))?;
    Ok((StatusCode::CREATED, Json(PolicyVersion::from(view))).into_response())
}

// ---------------------------------------------------------------------------------------------
// Handlers: the allocation.

/// The year's allocation: the committed one as sealed, or a preview computed now that changes
/// nothing (with what-if figures, shown with a warning where they differ from the adopted
/// policy). The keys of `coop patronage run --json` and more.
#[utoipa::path(get, path = "/api/v1/allocations/{year}", tag = "money", security(("cookie" = []), ("bearer" = [])),
    params(("year" = i64, Path, description = "The fiscal year"), PreviewQuery),
    responses((status = 200, description = "The allocation (`committed` says which)", body = Allocation),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 409, description = "It cannot be split: a pool with nobody to share it", body = ErrorBody),
              (status = 422, description = "A bad `year`, `surplus`, `reserve`, `cash` or `basis`; no surplus entered or given (`surplus`); no policy and figures missing (`reserve`); shares that do not fit (`policy`)", body = ErrorBody)))]
pub(super) async fn preview_allocation(
    State(state): State<AppState>,
    auth: Auth,
    path: PathText,
    Params(q): Params<PreviewQuery>,
) -> Result<Json<Allocation>, ApiError> {
    let year = path.year()?;
    let input = run_input(year, q.surplus, q.reserve, q.cash, q.basis, false)?;
    Ok(Json(state.app.patronage_run(&auth.actor, input).await?.into()))
}

/// Commits the year's allocation (admins), once: retained amounts are credited to the capital
/// accounts, the reserve's share to the collective reserve, the cash scheduled as payments on
/// the policy's dates; it is sealed and the year closed.
#[utoipa::path(post, path = "/api/v1/allocations/{year}", tag = "money", security(("cookie" = []), ("bearer" = [])),
    params(("year" = i64, Path, description = "The fiscal year")), request_body = CommitRequest,
    responses((status = 201, description = "Committed and sealed", body = Allocation),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the admin role", body = ErrorBody),
              (status = 409, description = "Already committed, the year is not over, figures that differ from the adopted policy, or a pool with nobody to share it", body = ErrorBody),
              (status = 422, description = "A bad `year`, `surplus`, `reserve`, `cash` or `basis`; a surplus that differs from the one entered (`surplus`); no policy and figures missing (`reserve`); shares that do not fit (`policy`)", body = ErrorBody)))]
pub(super) async fn commit_allocation(State(state): State<AppState>, auth: Auth, path: PathText, Body(req): Body<CommitRequest>) -> Result<Response, ApiError> {
    let year = path.year()?;
    let input = run_input(year, req.surplus, req.reserve, req.cash, req.basis, true)?;
    let view = state.app.patronage_run(&auth.actor, input).await?;
    Ok((StatusCode::CREATED, Json(Allocation::from(view))).into_response())
}

/// A member's written notice of allocation for a committed year, with the figure for box 1 of
/// form 1099-PATR: HTML (`text/html`, the default) or PDF (`application/pdf`, `?format=pdf`).
/// The member themselves, or an admin.
#[utoipa::path(get, path = "/api/v1/allocations/{year}/notices/{member}", tag = "money", security(("cookie" = []), ("bearer" = [])),
    params(("year" = i64, Path, description = "The fiscal year"), ("member" = String, Path, description = "The member's id or email"), NoticeQuery),
    responses((status = 200, description = "The notice", content((String = "text/html"), (Vec<u8> = "application/pdf"))),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Someone else's notice needs the admin role", body = ErrorBody),
              (status = 404, description = "No such member, no committed allocation of the year, or none for the member in it", body = ErrorBody),
              (status = 422, description = "A bad `year` or `format`, or a `member` id that is not positive", body = ErrorBody)))]
pub(super) async fn allocation_notice(
    State(state): State<AppState>,
    auth: Auth,
    path: PathParams,
    Params(q): Params<NoticeQuery>,
) -> Result<Response, ApiError> {
    let year = year_text(&path.text("year"))?;
    let pdf = match non_empty(q.format).as_deref() {
        None | Some("html") => false,
        Some("pdf") => true,
        Some(other) => return Err(invalid("format", format!("{other:?} is not a format of a notice: use html or pdf"))),
    };
    let member_id = member_in_path(&state, &auth, &path.text("member")).await?;
    let notice = state.app.allocation_notice(&auth.actor, year, member_id).await?;
    let disposition = |ext: &str| format!("inline; filename=\"notice-{year}-{}.{ext}\"", notice.member_id);
    Ok(if pdf {
        ([(header::CONTENT_TYPE, "application/pdf".to_string()), (header::CONTENT_DISPOSITION, disposition("pdf"))], notice.pdf).into_response()
    } else {
        ([(header::CONTENT_TYPE, "text/html; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition("html"))], notice.html).into_response()
    })
}

// ---------------------------------------------------------------------------------------------
// Handlers: capital accounts.

/// Every capital account the caller may see (all for admins, their own for a member), the
/// collective reserve and the equity check.
#[utoipa::path(get, path = "/api/v1/capital", tag = "money", security(("cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "The accounts, the reserve and the equity check", body = CapitalOverview),
              (status = 401, description = "Not signed in", body = ErrorBody)))]
pub(super) async fn capital_overview(State(state): State<AppState>, auth: Auth) -> Result<Json<CapitalOverview>, ApiError> {
    Ok(Json(state.app.capital_overview(&auth.actor).await?.into()))
}

/// A member's capital account with their buy-in plan and the cash owed to them: the member
/// themselves, or an admin.
#[utoipa::path(get, path = "/api/v1/capital/{member}", tag = "money", security(("cookie" = []), ("bearer" = [])),
    params(("member" = String, Path, description = "The member's id or email")),
    responses((status = 200, description = "The account", body = CapitalAccount),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Someone else's account needs the admin role", body = ErrorBody),
              (status = 404, description = "No such member", body = ErrorBody),
              (status = 422, description = "A `member` id that is not positive", body = ErrorBody)))]
pub(super) async fn capital_account(State(state): State<AppState>, auth: Auth, path: PathText) -> Result<Json<CapitalAccount>, ApiError> {
    let member_id = member_in_path(&state, &auth, &path.0).await?;
    Ok(Json(state.app.capital(&auth.actor, member_id).await?.into()))
}

/// Sets (or replaces) a member's buy-in plan (admins); it cannot fall below what is paid.
#[utoipa::path(put, path = "/api/v1/capital/{member}/buy-in", tag = "money", security(("cookie" = []), ("bearer" = [])),
    params(("member" = String, Path, description = "The member's id or email")), request_body = BuyInRequest,
    responses((status = 200, description = "Set; the account", body = CapitalAccount),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the admin role", body = ErrorBody),
              (status = 404, description = "No such member", body = ErrorBody),
              (status = 422, description = "A bad `total`, `instalment` or `starts`, or a `member` id that is not positive", body = ErrorBody)))]
pub(super) async fn set_buy_in(
    State(state): State<AppState>,
    auth: Auth,
    path: PathText,
    Body(req): Body<BuyInRequest>,
) -> Result<Json<CapitalAccount>, ApiError> {
    let member_id = member_in_path(&state, &auth, &path.0).await?;
    let total = money("total", &req.total)?;
    let instalment = money("instalment", &req.instalment)?;
    let starts = match non_empty(req.starts) {
        Some(s) => date("starts", &s)?,
        None => state.app.today().await?,
    };
    Ok(Json(state.app.set_buy_in_plan(&auth.actor, member_id, total, instalment, starts).await?.into()))
}

/// Records a buy-in instalment paid (admins), within what the plan leaves to pay.
#[utoipa::path(post, path = "/api/v1/capital/{member}/buy-in/payments", tag = "money", security(("cookie" = []), ("bearer" = [])),
    params(("member" = String, Path, description = "The member's id or email")), request_body = BuyInPaymentRequest,
    responses((status = 201, description = "Recorded; the account", body = CapitalAccount),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the admin role", body = ErrorBody),
              (status = 404, description = "No such member", body = ErrorBody),
              (status = 409, description = "The member has no buy-in plan", body = ErrorBody),
              (status = 422, description = "A bad `amount` (or more than is left to pay) or `on`, or a `member` id that is not positive", body = ErrorBody)))]
pub(super) async fn pay_buy_in(State(state): State<AppState>, auth: Auth, path: PathText, Body(req): Body<BuyInPaymentRequest>) -> Result<Response, ApiError> {
    let member_id = member_in_path(&state, &auth, &path.0).await?;
    let amount = money("amount", &req.amount)?;
    let on = date("on", &req.on)?;
    let view = state.app.pay_buy_in(&auth.actor, member_id, amount, on).await?;
    Ok((StatusCode::CREATED, Json(CapitalAccount::from(view))).into_response())
}

/// Credits a fiscal year's interest to every capital account (admins), on each day's balance
/// over the year at `rate` (the adopted policy's if absent), paid from the collective reserve.
/// Once per year, after the year is over.
#[utoipa::path(post, path = "/api/v1/capital/interest", tag = "money", security(("cookie" = []), ("bearer" = [])), request_body = InterestRequest,
    responses((status = 201, description = "Posted", body = CapitalPosting),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the admin role", body = ErrorBody),
              (status = 409, description = "The year is not over, or its interest is already posted", body = ErrorBody),
              (status = 422, description = "A bad `year` or `rate`; no policy governs the year and no `rate` given (`rate`)", body = ErrorBody)))]
pub(super) async fn post_interest(State(state): State<AppState>, auth: Auth, Body(req): Body<InterestRequest>) -> Result<Response, ApiError> {
    let rate = non_empty(req.rate).map(|r| percent("rate", &r)).transpose()?;
    let posted = state.app.post_interest(&auth.actor, req.year, rate).await?;
    Ok((StatusCode::CREATED, Json(CapitalPosting::from(posted))).into_response())
}

/// The revolving fund (admins): on `on`, redeems every member's retained allocations of the
/// fiscal years at least `after` years before `year`. Refused as a whole, with a 409 and
/// nothing written, when the collective reserve would fall below `min_reserve` by carrying it
/// (the solvency guard). Once per year.
#[utoipa::path(post, path = "/api/v1/capital/redemptions", tag = "money", security(("cookie" = []), ("bearer" = [])), request_body = RedemptionRequest,
    responses((status = 201, description = "Redeemed", body = CapitalPosting),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the admin role", body = ErrorBody),
              (status = 409, description = "The reserve cannot carry it (the solvency guard), or the year's redemptions are already made", body = ErrorBody),
              (status = 422, description = "A bad `year`, `min_reserve` or `on`; no policy sets a revolving period and no `after` given (`after`)", body = ErrorBody)))]
pub(super) async fn redeem(State(state): State<AppState>, auth: Auth, Body(req): Body<RedemptionRequest>) -> Result<Response, ApiError> {
    let min_reserve = non_empty(req.min_reserve).map(|m| money("min_reserve", &m)).transpose()?;
    let on = date("on", &req.on)?;
    let posted = state.app.redeem(&auth.actor, req.year, req.after, min_reserve, on).await?;
    Ok((StatusCode::CREATED, Json(CapitalPosting::from(posted))).into_response())
}

/// At a member's departure (admins): their balance on `on` becomes a debt of the co-op, repaid
/// over `years` in `per_year` instalments a year with interest at `rate` on the outstanding
/// balance (the adopted policy's terms where absent). The repayments are in the account's
/// `payments`. Once per member; they must be departed on `on`.
#[utoipa::path(post, path = "/api/v1/capital/{member}/departure", tag = "money", security(("cookie" = []), ("bearer" = [])),
    params(("member" = String, Path, description = "The member's id or email")), request_body = DepartureRequest,
    responses((status = 201, description = "Converted; the account with its repayment schedule", body = CapitalAccount),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the admin role", body = ErrorBody),
              (status = 404, description = "No such member", body = ErrorBody),
              (status = 409, description = "Already converted, or nothing to repay", body = ErrorBody),
              (status = 422, description = "A bad `on` (or the member is not departed on it), `years`, `per_year` or `rate`, or a `member` id that is not positive", body = ErrorBody)))]
pub(super) async fn depart(State(state): State<AppState>, auth: Auth, path: PathText, Body(req): Body<DepartureRequest>) -> Result<Response, ApiError> {
    let member_id = member_in_path(&state, &auth, &path.0).await?;
    let on = date("on", &req.on)?;
    let rate = non_empty(req.rate).map(|r| percent("rate", &r)).transpose()?;
    let view = state.app.depart_capital(&auth.actor, member_id, on, req.years, req.per_year, rate).await.map_err(|e| rename(e, &[("year", "on")]))?;
    Ok((StatusCode::CREATED, Json(CapitalAccount::from(view))).into_response())
}

// ---------------------------------------------------------------------------------------------
// Handlers: cash payments and the ledger.

/// The scheduled cash payments, by date, paid or not: a year's allocation instalments, or
/// every payment. An admin sees everyone's; a member their own.
#[utoipa::path(get, path = "/api/v1/cash-payments", tag = "money", security(("cookie" = []), ("bearer" = [])), params(CashPaymentsQuery),
    responses((status = 200, description = "The payments", body = Vec<CashPayment>),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 422, description = "A bad `year`", body = ErrorBody)))]
pub(super) async fn cash_payments(State(state): State<AppState>, auth: Auth, Params(q): Params<CashPaymentsQuery>) -> Result<Json<Vec<CashPayment>>, ApiError> {
    let year =
        non_empty(q.year).map(|y| y.parse::<i64>().map_err(|_| invalid("year", format!("{y:?} is not a year: write four digits, e.g. 2025")))).transpose()?;
    Ok(Json(state.app.cash_payments(&auth.actor, year).await?.into_iter().map(CashPayment::from).collect()))
}

/// Records a scheduled cash payment as paid on a day (admins): the amount stays as scheduled,
/// the journal keeps who marked it, and the ledger export books it on that day.
#[utoipa::path(post, path = "/api/v1/cash-payments/{id}/paid", tag = "money", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The payment's id")), request_body = PaidRequest,
    responses((status = 200, description = "Marked paid", body = CashPayment),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the admin role", body = ErrorBody),
              (status = 404, description = "No such payment", body = ErrorBody),
              (status = 409, description = "Already paid", body = ErrorBody),
              (status = 422, description = "A bad `id`, or an `on` that is not a date or is in the future", body = ErrorBody)))]
pub(super) async fn mark_cash_paid(State(state): State<AppState>, auth: Auth, Id(id): Id, Body(req): Body<PaidRequest>) -> Result<Json<CashPayment>, ApiError> {
    let on = date("on", &req.on)?;
    Ok(Json(state.app.mark_cash_paid(&auth.actor, id, on).await?.into()))
}

/// Every transaction of a fiscal year (its allocation, each cash instalment on the day it was
/// paid or, unpaid, due; buy-ins, interest, redemptions and departures dated in it) as an
/// hledger journal (`text/plain`), a beancount file (`text/plain`) or CSV (`text/csv`).
#[utoipa::path(get, path = "/api/v1/ledger/{year}", tag = "money", security(("cookie" = []), ("bearer" = [])),
    params(("year" = i64, Path, description = "The fiscal year"), LedgerQuery),
    responses((status = 200, description = "The ledger file", content((String = "text/plain"), (String = "text/csv"))),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 422, description = "A bad `year` or `format`", body = ErrorBody)))]
pub(super) async fn ledger(State(state): State<AppState>, auth: Auth, path: PathText, Params(q): Params<LedgerQuery>) -> Result<Response, ApiError> {
    let year = path.year()?;
    let format = LedgerFormat::parse(non_empty(q.format).as_deref().unwrap_or("hledger"))?;
    let text = state.app.export_ledger(&auth.actor, year, format).await?;
    let (content_type, ext) = match format {
        LedgerFormat::Hledger => ("text/plain; charset=utf-8", "journal"),
        LedgerFormat::Beancount => ("text/plain; charset=utf-8", "beancount"),
        LedgerFormat::Csv => ("text/csv; charset=utf-8", "csv"),
    };
    Ok(([(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"coop-{year}.{ext}\""))], text)
        .into_response())
}
