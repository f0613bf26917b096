//! The work and pay part of the JSON API: hours logged and imported, commitments and balances,
//! corrections, projects, rates of kinds of work, leave, pay systems and monthly pay runs.
//!
//! Same rules as the rest of [`super`]: read the request (422 naming the field), call one
//! `coop-app` use case with the caller's actor, shape the answer with the DTOs below (mirrors
//! of `coop_app::work`, `coop_app::pay` and `coop_app::projects` types, converted with
//! exhaustive `From` impls). Who may do what is the use cases' call: a member logs, corrects and
//! takes leave for themselves, an admin for anyone; importing, commitments, projects, rates,
//! pay systems and approving or exporting a run need the admin role; everyone current reads.
//!
//! The shapes follow the contract: hours are strings with two decimals (`"7.50"`), money is a
//! decimal string (`"149.93"`) or integer cents in fields ending `_cents`, dates `YYYY-MM-DD`,
//! months `YYYY-MM`. `GET /hours/report` is `coop hours report --json`, and `GET
//! /hours/balance` carries the keys of `coop hours balance --json` (and a few more). `GET
//! /hours/entries` lists one member's entries over at most 366 days, by date then id, each with
//! whether its month is locked and its corrections: a member sees their own, an admin anyone's.
//!
//! Members are named in bodies and queries by `member`, their id or email; absent, it is the
//! caller. An unknown member named there is bad input (422 naming `member`); one named in a
//! path is a missing resource (404).
//!
//! An import is all or nothing: a bad line refuses the whole file with a 422 naming `csv`
//! whose message starts `line N:` (the file's line), and nothing is written. The file travels
//! as a JSON string in the body, so it is bounded by the server's body limit.
//!
//! Once a month's pay run is approved its hours and leave are locked: a new entry or a day of
//! leave in it is 409, and its hours change only through a correction, settled by the next run.

use super::{date, explicit_null, invalid, non_empty, rename, Body, Id, Params, PathParams};
use crate::web::auth::Auth;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post, put};
use axum::{Json, Router};
use coop_app::pay::{self as app_pay, parse_weight, Month};
use coop_app::projects as app_projects;
use coop_app::work::{self as app_work, NewTimeEntry};
use coop_app::{policy, AppError};
use coop_core::hours::{parse_hours, parse_total_hours, BalanceOn, Commitment, CommitmentError, Minutes};
use coop_core::import::{Format, Mapping};
use coop_core::money::Money;
use coop_core::pay::{PayBasis, PaySystem};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use utoipa::{IntoParams, ToSchema};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/hours", post(log_hours))
        .route("/hours/report", get(hours_report))
        .route("/hours/import", post(import_hours))
        .route("/hours/balance", get(hours_balance))
        .route("/hours/corrections", get(corrections))
        .route("/hours/entries", get(time_entries))
        .route("/hours/entries/{id}/corrections", post(correct_entry))
        .route("/commitments/{member_id}/{year}", put(set_commitment))
        .route("/projects", get(list_projects).post(add_project))
        .route("/projects/{name}", patch(update_project))
        .route("/kinds/rates", get(kind_rates))
        .route("/kinds/{kind}/rates/{month}", put(set_kind_rate))
        .route("/leave", post(take_leave))
        .route("/leave/{member_id}/{date}", delete(cancel_leave))
        .route("/pay/systems", get(pay_systems).post(new_pay_system))
        .route("/pay/runs", get(pay_runs))
        .route("/pay/runs/{month}", get(pay_run))
        .route("/pay/runs/{month}/approve", post(approve_pay_run))
        .route("/pay/runs/{month}/csv", get(pay_run_csv))
}

// ---------------------------------------------------------------------------------------------
// Reading requests.



impl PathParams {
    /// A `YYYY-MM` month.
    fn month(&self, name: &str) -> Result<Month, ApiError> {
        Month::parse(&self.text(name)).map_err(|e| rename(e, &[("month", name)]))
    }
}



fn entry_hours(field: &str, value: &str) -> Result<Minutes, ApiError> {
    parse_hours(value).map_err(|e| invalid(field, e.to_string()))
}

/// A calendar year, 1 to 9999.
fn year(field: &str, value: &str) -> Result<i16, ApiError> {
    value.trim().parse::<i16>().ok().filter(|y| (1..=9999).contains(y)).ok_or_else(|| invalid(field, format!("{value:?} is not a year: write four digits, e.g. 2027")))
}

/// A member named by id or email.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum MemberRef {
    Id(i64),
    /// An email, or an id written as text.
    Email(String),
}

/// The member a request is about: the one named in `field`, else the caller. A member named
/// who does not exist is bad input naming `field`.
async fn member_of(state: &AppState, auth: &Auth, field: &str, member: Option<MemberRef>) -> Result<i64, ApiError> {
    let text = match member {
        None => return auth.actor.member_id().ok_or_else(|| invalid(field, "name the member: their id or email")),
        Some(MemberRef::Id(id)) => return known_member(state, auth, field, id).await,
        Some(MemberRef::Email(text)) => text,
    };
    let text = text.trim();
    if text.is_empty() {
        return auth.actor.member_id().ok_or_else(|| invalid(field, "name the member: their id or email"));
    }
    if let Ok(id) = text.parse::<i64>() {
        return known_member(state, auth, field, id).await;
    }
    state.app.member_id_by_email(&auth.actor, text).await.map_err(|e| match e {
        AppError::NotFound(_) => invalid(field, format!("no member has the email {text:?}")),
        AppError::Invalid { message, .. } => invalid(field, message),
        other => ApiError(other),
    })
}

async fn known_member(state: &AppState, auth: &Auth, field: &str, id: i64) -> Result<i64, ApiError> {
    if id <= 0 {
        return Err(invalid(field, format!("{id} is not an id (ids are positive whole numbers)")));
    }
    match state.app.member(&auth.actor, id).await {
        Ok(_) => Ok(id),
        Err(AppError::NotFound(_)) => Err(invalid(field, format!("no member has the id {id}"))),
        Err(other) => Err(ApiError(other)),
    }
}

// ---------------------------------------------------------------------------------------------
// The API's own types: hours.

/// An entry as logged.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoggedEntry {
    /// The entry's id (corrections name it).
    pub id: i64,
    pub member_id: i64,
    #[schema(format = Date)]
    pub date: String,
    #[schema(example = "7.50")]
    pub hours: String,
    /// The member's total for that day, this entry included.
    #[schema(example = "8.00")]
    pub day_total: String,
    pub project: Option<String>,
    /// The kind of work.
    pub category: Option<String>,
}

impl From<app_work::LoggedEntry> for LoggedEntry {
    fn from(e: app_work::LoggedEntry) -> Self {
        let app_work::LoggedEntry { id, member_id, date, hours, day_total, project, category } = e;
        LoggedEntry { id, member_id, date, hours: hours.to_hours_string(), day_total: day_total.to_hours_string(), project, category }
    }
}

/// A time entry as recorded, with whether its month is locked and its corrections.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimeEntryView {
    /// The entry's id (corrections name it).
    pub id: i64,
    pub member_id: i64,
    #[schema(format = Date)]
    pub date: String,
    /// The hours as they stand now, after any corrections.
    #[schema(example = "7.50")]
    pub hours: String,
    pub project: Option<String>,
    /// The kind of work.
    pub category: Option<String>,
    pub note: String,
    /// `manual` or `import`.
    pub source: String,
    /// Its month's pay run is approved: the entry changes only through a correction.
    pub locked: bool,
    /// The entry's corrections, oldest first.
    pub corrections: Vec<CorrectionView>,
}

impl From<app_work::TimeEntry> for TimeEntryView {
    fn from(e: app_work::TimeEntry) -> Self {
        let app_work::TimeEntry { id, member_id, date, hours, project, category, note, source, locked, corrections } = e;
        TimeEntryView {
            id,
            member_id,
            date,
            hours: hours.to_hours_string(),
            project,
            category,
            note,
            source,
            locked,
            corrections: corrections.into_iter().map(CorrectionView::from).collect(),
        }
    }
}

/// Which tool wrote an imported file.
#[derive(Clone, Copy, Debug, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FormatName {
    /// `email,date,hours,project,category,note`, the contract's format.
    Generic,
    Toggl,
    Kimai,
    Harvest,
}

impl From<Format> for FormatName {
    fn from(f: Format) -> Self {
        match f {
            Format::Generic => FormatName::Generic,
            Format::Toggl => FormatName::Toggl,
            Format::Kimai => FormatName::Kimai,
            Format::Harvest => FormatName::Harvest,
        }
    }
}

/// What an import did, or would do with `dry_run`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    pub format: FormatName,
    pub dry_run: bool,
    /// Time entries in the file.
    pub rows: usize,
    /// Entries recorded (or that would be): rows of more than zero minutes.
    pub would_import: usize,
    #[schema(example = "37.50")]
    pub hours: String,
    /// Lines that look like an existing entry or an earlier line (imported all the same).
    pub duplicates: Vec<usize>,
    pub created_projects: Vec<String>,
    pub created_categories: Vec<String>,
    /// SHA-256 (hex) of the file's text.
    pub sha256: String,
}

impl From<app_work::ImportReport> for ImportReport {
    fn from(r: app_work::ImportReport) -> Self {
        let app_work::ImportReport { format, dry_run, rows, would_import, hours, duplicates, created_projects, created_categories, sha256 } = r;
        ImportReport {
            format: format.into(),
            dry_run,
            rows,
            would_import,
            hours: hours.to_hours_string(),
            duplicates,
            created_projects,
            created_categories,
            sha256,
        }
    }
}

/// One member's hours in a year: the contract's `coop hours report --json` row.
#[derive(Debug, Serialize, ToSchema)]
pub struct HoursRow {
    pub email: String,
    #[schema(example = "1234.50")]
    pub hours: String,
    /// Hours per kind of work; entries without one under `"(none)"`.
    pub by_category: BTreeMap<String, String>,
}

impl From<app_work::HoursRow> for HoursRow {
    fn from(r: app_work::HoursRow) -> Self {
        let app_work::HoursRow { email, hours, by_category } = r;
        HoursRow { email, hours, by_category }
    }
}

/// A member's hours against their commitment on a date: the contract's `coop hours balance
/// --json` keys (`declared`, `expected_to_date`, `worked`, `balance`) and what they are about.
#[derive(Debug, Serialize, ToSchema)]
pub struct Balance {
    pub member_id: i64,
    pub year: i16,
    #[schema(format = Date)]
    pub on: String,
    /// Declared hours for the year, paid leave included.
    pub declared: String,
    /// The declaration pro-rated over the working days to `on` the member was in the co-op.
    pub expected_to_date: String,
    /// Hours worked from 1 January to `on`.
    pub worked: String,
    /// Paid leave taken from 1 January to `on`, in hours.
    pub leave_taken: String,
    /// `worked + leave_taken - expected_to_date`; negative means behind.
    #[schema(example = "-12.50")]
    pub balance: String,
}

impl Balance {
    fn new(member_id: i64, year: i16, on: Date, b: BalanceOn) -> Balance {
        let BalanceOn { declared, expected_to_date, worked, leave_taken, balance } = b;
        Balance {
            member_id,
            year,
            on: on.to_string(),
            declared: declared.to_hours_string(),
            expected_to_date: expected_to_date.to_hours_string(),
            worked: worked.to_hours_string(),
            leave_taken: leave_taken.to_hours_string(),
            balance: balance.to_hours_string(),
        }
    }
}

/// A member's commitment for a year, as set.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommitmentView {
    pub member_id: i64,
    pub year: i16,
    /// Declared hours for the year, paid leave included.
    #[schema(example = "1560.00")]
    pub declared: String,
    pub leave_weeks: u8,
}

/// A correction in the trail.
#[derive(Debug, Serialize, ToSchema)]
pub struct CorrectionView {
    pub id: i64,
    pub entry_id: i64,
    pub member_id: i64,
    #[schema(format = Date)]
    pub date: String,
    pub old_hours: String,
    pub new_hours: String,
    pub reason: String,
    /// `cli` or `member:<id>`.
    pub actor: String,
    #[schema(format = DateTime)]
    pub at: String,
    /// The pay run (by id) that settled it; null until an approved run does.
    pub settled_in: Option<i64>,
}

impl From<app_pay::CorrectionView> for CorrectionView {
    fn from(k: app_pay::CorrectionView) -> Self {
        let app_pay::CorrectionView { id, entry_id, member_id, date, old_hours, new_hours, reason, actor, at, settled_in } = k;
        CorrectionView { id, entry_id, member_id, date, old_hours, new_hours, reason, actor, at, settled_in }
    }
}

/// A project with the hours logged on it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectView {
    pub id: i64,
    pub name: String,
    pub client: Option<String>,
    /// A client's paid project (else internal); pay systems may pay only these.
    pub billable: bool,
    #[schema(example = "12.50")]
    pub hours: String,
}

impl From<app_projects::ProjectView> for ProjectView {
    fn from(p: app_projects::ProjectView) -> Self {
        let app_projects::ProjectView { id, name, client, billable, hours } = p;
        ProjectView { id, name, client, billable, hours }
    }
}

/// A kind of work's rate and patronage weight from a month on.
#[derive(Debug, Serialize, ToSchema)]
pub struct KindRateView {
    pub kind: String,
    /// `YYYY-MM-01`
    #[schema(format = Date)]
    pub effective_from: String,
    /// Hourly rate, `"50.00"`; null: paid at the pay system's general rate.
    pub rate: Option<String>,
    /// Patronage weight, `"1.00"`.
    pub weight: String,
}

impl From<app_pay::KindRateView> for KindRateView {
    fn from(k: app_pay::KindRateView) -> Self {
        let app_pay::KindRateView { kind, effective_from, rate, weight } = k;
        KindRateView { kind, effective_from, rate, weight }
    }
}

/// The days of leave recorded by one request.
#[derive(Debug, Serialize, ToSchema)]
pub struct LeaveTaken {
    pub member_id: i64,
    /// The working days added (weekends and days already recorded are skipped).
    pub days: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// The API's own types: pay.

/// The `kind` of an `equal_hourly` basis.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EqualHourlyKind {
    EqualHourly,
}

/// The `kind` of a `by_kind` basis.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ByKindKind {
    ByKind,
}

/// The `kind` of a `base_plus_hourly` basis.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BasePlusHourlyKind {
    BasePlusHourly,
}

/// The `kind` of a `declared_salary` basis.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeclaredSalaryKind {
    DeclaredSalary,
}

/// Equal pay: one hourly rate for every paid hour (internal projects' hours too when
/// `internal_paid`); paid leave at the rate.
#[derive(Debug, Serialize, ToSchema)]
pub struct EqualHourlyBasis {
    pub kind: EqualHourlyKind,
    #[schema(example = "25.00")]
    pub rate: String,
    pub internal_paid: bool,
}

/// Rates by kind of work (set with `PUT /kinds/{kind}/rates/{month}`); other hours and paid
/// leave at `general_rate`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ByKindBasis {
    pub kind: ByKindKind,
    #[schema(example = "25.00")]
    pub general_rate: String,
    pub internal_paid: bool,
}

/// A monthly base salary of `base_hours` at `rate`, plus `rate` for every hour worked.
#[derive(Debug, Serialize, ToSchema)]
pub struct BasePlusHourlyBasis {
    pub kind: BasePlusHourlyKind,
    #[schema(example = "20.00")]
    pub base_hours: String,
    #[schema(example = "25.00")]
    pub rate: String,
}

/// A fixed monthly salary: declared hours for the year x `rate`, in twelve parts.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeclaredSalaryBasis {
    pub kind: DeclaredSalaryKind,
    #[schema(example = "25.00")]
    pub rate: String,
}

/// How a member's month is paid before any bonus, told apart by `kind`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum Basis {
    EqualHourly(EqualHourlyBasis),
    ByKind(ByKindBasis),
    BasePlusHourly(BasePlusHourlyBasis),
    DeclaredSalary(DeclaredSalaryBasis),
}

impl From<PayBasis> for Basis {
    fn from(b: PayBasis) -> Self {
        match b {
            PayBasis::EqualHourly { rate, internal_paid } => {
                Basis::EqualHourly(EqualHourlyBasis { kind: EqualHourlyKind::EqualHourly, rate: rate.to_decimal(), internal_paid })
            }
            PayBasis::ByKind { general_rate, internal_paid } => {
                Basis::ByKind(ByKindBasis { kind: ByKindKind::ByKind, general_rate: general_rate.to_decimal(), internal_paid })
            }
            PayBasis::BasePlusHourly { base_hours, rate } => Basis::BasePlusHourly(BasePlusHourlyBasis {
                kind: BasePlusHourlyKind::BasePlusHourly,
                base_hours: base_hours.to_hours_string(),
                rate: rate.to_decimal(),
            }),
            PayBasis::DeclaredSalary { rate } => Basis::DeclaredSalary(DeclaredSalaryBasis { kind: DeclaredSalaryKind::DeclaredSalary, rate: rate.to_decimal() }),
        }
    }
}

/// A monthly amount shared by the minutes worked on the priority projects.
#[derive(Debug, Serialize, ToSchema)]
pub struct BonusPool {
    #[schema(example = "1000.00")]
    pub amount: String,
    pub priorities: Vec<String>,
}

/// A pay system, the JSON a decision adopts:
/// `{"basis":{"kind":"equal_hourly","rate":"25.00","internal_paid":false}, "bonus_pool":null, "max_ratio":"2:1"}`.
/// Unknown keys are refused.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaySystemDoc {
    pub basis: Basis,
    pub bonus_pool: Option<BonusPool>,
    /// The top-to-bottom limit on effective hourly pay, e.g. `"2:1"`; null = none.
    #[schema(example = "2:1")]
    pub max_ratio: Option<String>,
}

impl From<PaySystem> for PaySystemDoc {
    fn from(s: PaySystem) -> Self {
        let PaySystem { basis, bonus_pool, max_ratio } = s;
        PaySystemDoc {
            basis: basis.into(),
            bonus_pool: bonus_pool.map(|p| {
                let coop_core::pay::BonusPool { amount, priorities } = p;
                BonusPool { amount: amount.to_decimal(), priorities }
            }),
            max_ratio: max_ratio.map(|r| r.to_string()),
        }
    }
}

/// Where a version of the pay system stands.
#[allow(dead_code)]
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaySystemStatus {
    /// Its proposal is open.
    Pending,
    Adopted,
    Rejected,
}

/// A version of the pay system.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaySystemView {
    pub version: i64,
    /// `YYYY-MM-01`: the first month it governs.
    #[schema(format = Date)]
    pub effective_from: String,
    pub system: PaySystemDoc,
    /// The proposal that adopts (or adopted) it.
    pub proposal_id: i64,
    #[schema(value_type = PaySystemStatus)]
    pub status: String,
}

impl From<app_pay::PaySystemView> for PaySystemView {
    fn from(v: app_pay::PaySystemView) -> Self {
        let app_pay::PaySystemView { version, effective_from, system, proposal_id, status } = v;
        PaySystemView { version, effective_from, system: system.into(), proposal_id, status }
    }
}

/// One line that explains a member's gross pay.
#[allow(dead_code)]
#[derive(Debug, Serialize, ToSchema)]
pub struct PayLine {
    /// Plain English, e.g. "Programming: 12.50 h at 50.00".
    pub label: String,
    pub minutes: Option<String>,
    pub rate: Option<String>,
    #[schema(example = "625.00")]
    pub amount: String,
}

/// A member and their effective hourly pay.
#[allow(dead_code)]
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberHourly {
    pub member_id: i64,
    pub hourly: String,
}

/// The top-to-bottom check of effective hourly pay.
#[allow(dead_code)]
#[derive(Debug, Serialize, ToSchema)]
pub struct RatioCheck {
    pub highest: Option<MemberHourly>,
    pub lowest: Option<MemberHourly>,
    /// `"2.00:1"`; null when no finite ratio exists.
    pub ratio: Option<String>,
    pub limit: Option<String>,
    pub within_limit: bool,
}

/// A correction's effect on an earlier month's pay, settled in this run.
#[derive(Debug, Serialize, ToSchema)]
pub struct Adjustment {
    /// The corrected month, `YYYY-MM`.
    pub month: String,
    pub amount_cents: i64,
    /// The corrections it settles.
    pub corrections: Vec<i64>,
}

impl From<app_pay::Adjustment> for Adjustment {
    fn from(a: app_pay::Adjustment) -> Self {
        let app_pay::Adjustment { month, amount_cents, corrections } = a;
        Adjustment { month, amount_cents, corrections }
    }
}

/// One member's line in a pay run.
#[derive(Debug, Serialize, ToSchema)]
pub struct PayRunMember {
    pub member_id: i64,
    pub email: String,
    pub name: String,
    /// The month's pay under the system, `"1234.56"`.
    pub gross: String,
    pub paid_hours: String,
    #[schema(value_type = Vec<PayLine>)]
    pub lines: Vec<Value>,
    pub adjustments: Vec<Adjustment>,
    /// `gross` plus the adjustments: what the payroll provider pays.
    pub total: String,
}

impl From<app_pay::PayRunMember> for PayRunMember {
    fn from(m: app_pay::PayRunMember) -> Self {
        let app_pay::PayRunMember { member_id, email, name, gross, paid_hours, lines, adjustments, total } = m;
        PayRunMember { member_id, email, name, gross, paid_hours, lines, adjustments: adjustments.into_iter().map(Adjustment::from).collect(), total }
    }
}

/// Where a pay run stands.
#[allow(dead_code)]
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PayRunStatus {
    /// Computed now, recomputed every time until approved.
    Draft,
    /// Frozen and sealed; the month's hours and leave are locked.
    Approved,
}

/// A month's pay run.
#[derive(Debug, Serialize, ToSchema)]
pub struct PayRunView {
    /// `YYYY-MM`
    pub month: String,
    #[schema(value_type = PayRunStatus)]
    pub status: String,
    pub pay_system_version: i64,
    /// Ordered by member id.
    pub members: Vec<PayRunMember>,
    /// Sum of the members' totals, `"12345.67"`.
    pub total: String,
    pub total_cents: i64,
    /// What happened to the bonus pool, when the system has one.
    pub bonus_note: Option<String>,
    #[schema(value_type = RatioCheck)]
    pub ratio: Value,
    #[schema(format = DateTime)]
    pub approved_at: Option<String>,
    /// `member:<id>` or `cli`.
    pub approved_by: Option<String>,
    /// The SHA-256 content hash sealed into the journal at approval.
    pub sealed_hash: Option<String>,
}

impl From<app_pay::PayRunView> for PayRunView {
    fn from(r: app_pay::PayRunView) -> Self {
        let app_pay::PayRunView { month, status, pay_system_version, members, total, total_cents, bonus_note, ratio, approved_at, approved_by, sealed_hash } = r;
        PayRunView {
            month,
            status,
            pay_system_version,
            members: members.into_iter().map(PayRunMember::from).collect(),
            total,
            total_cents,
            bonus_note,
            ratio,
            approved_at,
            approved_by,
            sealed_hash,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Requests.

/// Hours worked by a member on a day (a day holds at most 24 hours).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogRequest {
    /// Whose hours: an id or email; absent, the caller's. Only admins log for others.
    #[serde(default)]
    pub member: Option<MemberRef>,
    #[schema(format = Date, example = "2027-03-10")]
    pub date: String,
    /// `"7.50"`, `"7,5"`, `"7:30"`, `"7h30m"`...
    #[schema(example = "7.50")]
    pub hours: String,
    #[serde(default)]
    pub project: Option<String>,
    /// The kind of work.
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// Create a project or kind of work the co-op does not have yet (admins); otherwise an
    /// unknown name is refused. Default false.
    #[serde(default)]
    pub create_unknown: Option<bool>,
}

/// A time tracker's CSV file to import, all or nothing.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportRequest {
    /// The file's text (UTF-8).
    #[schema(example = "email,date,hours,project,category,note\nada@example.org,2027-03-10,7.5,Site,Design,\n")]
    pub csv: String,
    /// `generic`, `toggl`, `kimai` or `harvest`; guessed from the header when absent.
    #[serde(default)]
    pub format: Option<String>,
    /// Report what would be imported and write nothing.
    #[serde(default)]
    pub dry_run: Option<bool>,
    /// The file's project names read as the co-op's (`{"Their name": "Ours"}`; `""` drops it).
    #[serde(default)]
    pub map_projects: Option<HashMap<String, String>>,
    /// The file's kinds of work read as the co-op's, likewise.
    #[serde(default)]
    pub map_kinds: Option<HashMap<String, String>>,
    /// Create projects and kinds of work the co-op does not know yet (default true, as the CLI
    /// does); false refuses the file instead.
    #[serde(default)]
    pub create_unknown: Option<bool>,
}

/// A member's commitment for a year.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitmentRequest {
    /// Declared hours for the year, paid leave included, e.g. `"1560"`.
    #[schema(example = "1560")]
    pub hours: String,
    /// Weeks of paid leave, 0 to 6 (default 0).
    #[serde(default)]
    pub leave_weeks: Option<u8>,
}

/// A change to an entry's hours, with the reason kept in the trail.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionRequest {
    #[schema(example = "6.00")]
    pub hours: String,
    pub reason: String,
}

/// A new project.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectRequest {
    /// 1 to 200 characters, unique ignoring case.
    pub name: String,
    #[serde(default)]
    pub client: Option<String>,
    /// Default true; false for an internal project.
    #[serde(default)]
    pub billable: Option<bool>,
}

/// Changes to a project; absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectPatch {
    /// null removes the client.
    #[serde(default, deserialize_with = "explicit_null")]
    #[schema(value_type = Option<String>)]
    pub client: Option<Option<String>>,
    #[serde(default)]
    pub billable: Option<bool>,
}

/// A kind of work's rate and weight from a month on.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KindRateRequest {
    /// Hourly rate, `"50.00"`; null or absent: paid at the pay system's general rate.
    #[serde(default)]
    pub rate: Option<String>,
    /// Patronage weight with up to two decimals, default `"1"`.
    #[serde(default)]
    pub weight: Option<String>,
}

/// Paid leave on every working day from `from` to `to`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaveRequest {
    /// Whose leave: an id or email; absent, the caller's.
    #[serde(default)]
    pub member: Option<MemberRef>,
    #[schema(format = Date)]
    pub from: String,
    /// The last day (default: `from`).
    #[serde(default)]
    #[schema(format = Date)]
    pub to: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A pay system to adopt from a month: proposed to the co-op (it applies if the proposal
/// passes), or, with `adopted_by`, recorded against a proposal that has already passed.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaySystemRequest {
    #[schema(value_type = PaySystemDoc)]
    pub system: PaySystem,
    /// The first month it governs, `YYYY-MM`.
    #[schema(example = "2027-04")]
    pub from: String,
    /// The decision class (default: the one that governs the rules).
    #[serde(default)]
    pub class: Option<String>,
    /// When voting closes, RFC 3339 (default: a week from now).
    #[serde(default)]
    #[schema(format = DateTime)]
    pub closes_at: Option<String>,
    /// A proposal that has passed and adopted this system (a decision taken at a meeting).
    #[serde(default)]
    pub adopted_by: Option<i64>,
}

/// The year of a report.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Default: this year.
    #[param(value_type = Option<i16>, example = 2027)]
    pub year: Option<String>,
}

/// Whose balance, and when.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BalanceQuery {
    /// An id or email; default: the caller.
    pub member: Option<String>,
    /// The commitment's year; default: the year of `on`.
    #[param(value_type = Option<i16>)]
    pub year: Option<String>,
    /// `YYYY-MM-DD`; default: today.
    #[param(format = Date)]
    pub on: Option<String>,
}

/// Whose entries, over which days, on which project.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EntriesQuery {
    /// An id or email; default: the caller.
    pub member: Option<String>,
    /// The first day, `YYYY-MM-DD`; default: the first day of the month of `to`.
    #[param(format = Date)]
    pub from: Option<String>,
    /// The last day, `YYYY-MM-DD`, at most 365 days after `from`; default: the last day of the
    /// month of `from`, or today when neither is given.
    #[param(format = Date)]
    pub to: Option<String>,
    /// Only the entries on this project (any case).
    pub project: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Handlers: hours.

/// Records hours worked by a member on a day (the caller unless an admin names another).
#[utoipa::path(post, path = "/api/v1/hours", tag = "work", security(("cookie" = []), ("bearer" = [])), request_body = LogRequest,
    responses((status = 201, description = "Recorded", body = LoggedEntry),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Logging for someone else needs the admin role, as does creating a project or kind of work", body = ErrorBody),
              (status = 409, description = "The month's pay run is approved: its hours are locked (record a correction)", body = ErrorBody),
              (status = 422, description = "Bad input, naming the field: a day over 24 hours (`hours`), an unknown project or kind (`project`, `category`), an unknown member (`member`)", body = ErrorBody)))]
pub(super) async fn log_hours(State(state): State<AppState>, auth: Auth, Body(req): Body<LogRequest>) -> Result<Response, ApiError> {
    let member_id = member_of(&state, &auth, "member", req.member).await?;
    let date = date("date", &req.date)?;
    let minutes = entry_hours("hours", &req.hours)?;
    let create_unknown = req.create_unknown.unwrap_or(false);
    if create_unknown {
        // Creating projects is the admins' (the use case only asks whether to).
        policy::manage_projects(&auth.actor)?;
    }
    let entry = NewTimeEntry { member_id, date, minutes, project: req.project, category: req.category, note: req.note.unwrap_or_default(), create_unknown };
    let logged = state.app.log_hours(&auth.actor, entry).await?;
    Ok((StatusCode::CREATED, Json(LoggedEntry::from(logged))).into_response())
}

/// Each member's hours in a year with the split by kind of work: `coop hours report --json`.
#[utoipa::path(get, path = "/api/v1/hours/report", tag = "work", security(("cookie" = []), ("bearer" = [])), params(ReportQuery),
    responses((status = 200, description = "One row per member with hours that year, by email", body = Vec<HoursRow>),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 422, description = "A bad `year`", body = ErrorBody)))]
pub(super) async fn hours_report(State(state): State<AppState>, auth: Auth, Params(q): Params<ReportQuery>) -> Result<Json<Vec<HoursRow>>, ApiError> {
    let year = match non_empty(q.year) {
        Some(y) => year("year", &y)?,
        None => state.app.today().await?.year(),
    };
    Ok(Json(state.app.hours_report(&auth.actor, year).await?.into_iter().map(HoursRow::from).collect()))
}

/// Imports a time tracker's CSV file (admins), all or nothing: a bad line refuses the whole
/// file with a 422 naming `csv`, its message starting `line N:`. With `dry_run` nothing is written.
#[utoipa::path(post, path = "/api/v1/hours/import", tag = "work", security(("cookie" = []), ("bearer" = [])), request_body = ImportRequest,
    responses((status = 200, description = "Dry run: what would be imported", body = ImportReport),
              (status = 201, description = "Imported", body = ImportReport),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the admin role", body = ErrorBody),
              (status = 409, description = "A line falls in a month whose pay run is approved", body = ErrorBody),
              (status = 413, description = "The file is larger than the body limit", body = ErrorBody),
              (status = 422, description = "A bad line (`csv`, \"line N: ...\"), format (`format`) or mapping (`map_projects`, `map_kinds`)", body = ErrorBody)))]
pub(super) async fn import_hours(State(state): State<AppState>, auth: Auth, Body(req): Body<ImportRequest>) -> Result<Response, ApiError> {
    let format = non_empty(req.format).map(|f| f.parse::<Format>().map_err(|m| invalid("format", m))).transpose()?;
    let mapping_of = |field: &str, map: Option<HashMap<String, String>>| -> Result<HashMap<String, String>, ApiError> {
        map.unwrap_or_default()
            .into_iter()
            .map(|(from, to)| {
                let from = from.trim().to_string();
                if from.is_empty() {
                    Err(invalid(field, "a mapping names the file's project or kind of work before the colon"))
                } else {
                    Ok((from, to.trim().to_string()))
                }
            })
            .collect()
    };
    let mapping = Mapping {
        projects: mapping_of("map_projects", req.map_projects)?,
        categories: mapping_of("map_kinds", req.map_kinds)?,
        create_unknown: req.create_unknown.unwrap_or(true),
    };
    let dry_run = req.dry_run.unwrap_or(false);
    let report = state.app.import_hours(&auth.actor, &req.csv, format, dry_run, &mapping).await.map_err(|e| match e {
        // The use case speaks of the file and of the CLI's `--format`; here they are `csv` and `format`.
        AppError::Invalid { field, message } if field == "file" => invalid("csv", message.replace("give --format", "give \"format\":")),
        other => ApiError(other),
    })?;
    let status = if report.dry_run { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(ImportReport::from(report))).into_response())
}

/// A member's hours against their commitment on a date (by default the caller's, today).
#[utoipa::path(get, path = "/api/v1/hours/balance", tag = "work", security(("cookie" = []), ("bearer" = [])), params(BalanceQuery),
    responses((status = 200, description = "The balance", body = Balance),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 404, description = "The member has no commitment for the year", body = ErrorBody),
              (status = 422, description = "A bad `member`, `year` or `on`", body = ErrorBody)))]
pub(super) async fn hours_balance(State(state): State<AppState>, auth: Auth, Params(q): Params<BalanceQuery>) -> Result<Json<Balance>, ApiError> {
    let member_id = member_of(&state, &auth, "member", non_empty(q.member).map(MemberRef::Email)).await?;
    let on = match non_empty(q.on) {
        Some(d) => date("on", &d)?,
        None => state.app.today().await?,
    };
    let year = match non_empty(q.year) {
        Some(y) => year("year", &y)?,
        None => on.year(),
    };
    let b = state.app.hours_balance(&auth.actor, member_id, year, on).await?;
    Ok(Json(Balance::new(member_id, year, on, b)))
}

/// Sets (or replaces) a member's declared hours and leave weeks for a year (admins).
#[utoipa::path(put, path = "/api/v1/commitments/{member_id}/{year}", tag = "work", security(("cookie" = []), ("bearer" = [])),
    params(("member_id" = i64, Path, description = "The member's id"), ("year" = i16, Path, description = "The year")),
    request_body = CommitmentRequest,
    responses((status = 200, description = "Set", body = CommitmentView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the admin role", body = ErrorBody),
              (status = 404, description = "No such member", body = ErrorBody),
              (status = 422, description = "Bad `member_id`, `year`, `hours` or `leave_weeks`", body = ErrorBody)))]
pub(super) async fn set_commitment(State(state): State<AppState>, auth: Auth, path: PathParams, Body(req): Body<CommitmentRequest>) -> Result<Json<CommitmentView>, ApiError> {
    let member_id = path.id("member_id")?;
    let year = year("year", &path.text("year"))?;
    let declared = parse_total_hours(&req.hours).map_err(|e| invalid("hours", e.to_string()))?;
    let leave_weeks = req.leave_weeks.unwrap_or(0);
    // Checked here too so that a 422 names the field at fault (the use case says `commitment`).
    Commitment::new(year, declared, leave_weeks).map_err(|e| {
        let field = match e {
            CommitmentError::BadYear(_) => "year",
            CommitmentError::NegativeDeclared(_) | CommitmentError::DeclaredTooLarge { .. } => "hours",
            CommitmentError::TooMuchLeave(_) => "leave_weeks",
        };
        invalid(field, e.to_string())
    })?;
    state.app.set_commitment(&auth.actor, member_id, year, declared, leave_weeks).await?;
    Ok(Json(CommitmentView { member_id, year, declared: declared.to_hours_string(), leave_weeks }))
}

/// Changes a time entry's hours with a reason, keeping the old value: in a month whose pay
/// run is approved, the only way; the next approved run settles the difference.
#[utoipa::path(post, path = "/api/v1/hours/entries/{id}/corrections", tag = "work", security(("cookie" = []), ("bearer" = [])),
    params(("id" = i64, Path, description = "The time entry's id")), request_body = CorrectionRequest,
    responses((status = 201, description = "Recorded", body = CorrectionView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Correcting someone else's hours needs the admin role", body = ErrorBody),
              (status = 404, description = "No such entry", body = ErrorBody),
              (status = 422, description = "Bad `hours` (or a day over 24 hours), no `reason`", body = ErrorBody)))]
pub(super) async fn correct_entry(State(state): State<AppState>, auth: Auth, Id(id): Id, Body(req): Body<CorrectionRequest>) -> Result<Response, ApiError> {
    let minutes = entry_hours("hours", &req.hours)?;
    let k = state.app.correct_entry(&auth.actor, id, minutes, &req.reason).await?;
    Ok((StatusCode::CREATED, Json(CorrectionView::from(k))).into_response())
}

/// A member's time entries from `from` to `to` (both included, at most 366 days), by date then
/// id: the caller's unless an admin names another member.
#[utoipa::path(get, path = "/api/v1/hours/entries", tag = "work", security(("cookie" = []), ("bearer" = [])), params(EntriesQuery),
    responses((status = 200, description = "The entries, by date then id", body = Vec<TimeEntryView>),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Someone else's entries need the admin role", body = ErrorBody),
              (status = 422, description = "A bad `from` or `to` (before `from`, or more than 366 days), an unknown `member` or `project`, or an unknown parameter", body = ErrorBody)))]
pub(super) async fn time_entries(State(state): State<AppState>, auth: Auth, Params(q): Params<EntriesQuery>) -> Result<Json<Vec<TimeEntryView>>, ApiError> {
    let member_id = member_of(&state, &auth, "member", non_empty(q.member).map(MemberRef::Email)).await?;
    let from = non_empty(q.from).map(|f| date("from", &f)).transpose()?;
    let to = non_empty(q.to).map(|t| date("to", &t)).transpose()?;
    let (from, to) = match (from, to) {
        (Some(from), Some(to)) => (from, to),
        (Some(from), None) => (from, from.last_of_month()),
        (None, Some(to)) => (to.first_of_month(), to),
        (None, None) => {
            let today = state.app.today().await?;
            (today.first_of_month(), today)
        }
    };
    let entries = state.app.time_entries(&auth.actor, member_id, from, to, non_empty(q.project).as_deref()).await?;
    Ok(Json(entries.into_iter().map(TimeEntryView::from).collect()))
}

/// The corrections trail, oldest first.
#[utoipa::path(get, path = "/api/v1/hours/corrections", tag = "work", security(("cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "The corrections", body = Vec<CorrectionView>),
              (status = 401, description = "Not signed in", body = ErrorBody)))]
pub(super) async fn corrections(State(state): State<AppState>, auth: Auth) -> Result<Json<Vec<CorrectionView>>, ApiError> {
    Ok(Json(state.app.corrections(&auth.actor).await?.into_iter().map(CorrectionView::from).collect()))
}

// ---------------------------------------------------------------------------------------------
// Handlers: projects, kinds of work, leave.

/// Every project with its hours, by name.
#[utoipa::path(get, path = "/api/v1/projects", tag = "work", security(("cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "The projects", body = Vec<ProjectView>),
              (status = 401, description = "Not signed in", body = ErrorBody)))]
pub(super) async fn list_projects(State(state): State<AppState>, auth: Auth) -> Result<Json<Vec<ProjectView>>, ApiError> {
    Ok(Json(state.app.projects(&auth.actor).await?.into_iter().map(ProjectView::from).collect()))
}

/// Adds a project (admins).
#[utoipa::path(post, path = "/api/v1/projects", tag = "work", security(("cookie" = []), ("bearer" = [])), request_body = ProjectRequest,
    responses((status = 201, description = "Added", body = ProjectView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the admin role", body = ErrorBody),
              (status = 409, description = "The co-op already has a project of that name", body = ErrorBody),
              (status = 422, description = "A bad `name`", body = ErrorBody)))]
pub(super) async fn add_project(State(state): State<AppState>, auth: Auth, Body(req): Body<ProjectRequest>) -> Result<Response, ApiError> {
    let p = state.app.add_project(&auth.actor, &req.name, req.client.as_deref(), req.billable.unwrap_or(true)).await?;
    Ok((StatusCode::CREATED, Json(ProjectView::from(p))).into_response())
}

/// Changes a project's client or whether it is billable (admins); absent fields stay.
#[utoipa::path(patch, path = "/api/v1/projects/{name}", tag = "work", security(("cookie" = []), ("bearer" = [])),
    params(("name" = String, Path, description = "The project's name (any case)")), request_body = ProjectPatch,
    responses((status = 200, description = "The project as now", body = ProjectView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the admin role", body = ErrorBody),
              (status = 404, description = "No such project", body = ErrorBody)))]
pub(super) async fn update_project(State(state): State<AppState>, auth: Auth, path: PathParams, Body(req): Body<ProjectPatch>) -> Result<Json<ProjectView>, ApiError> {
    let name = path.text("name");
    // The use case sets both; what the patch leaves out is taken from the project as it is.
    policy::manage_projects(&auth.actor)?;
    let current = state
        .app
        .projects(&auth.actor)
        .await?
        .into_iter()
        .find(|p| p.name.to_lowercase() == name.to_lowercase())
        .ok_or_else(|| AppError::NotFound(format!("project {name:?}")))?;
    let client = match req.client {
        None => current.client,
        Some(c) => c,
    };
    let billable = req.billable.unwrap_or(current.billable);
    Ok(Json(state.app.update_project(&auth.actor, &current.name, client.as_deref(), billable).await?.into()))
}

/// Every version of every kind of work's rate and weight.
#[utoipa::path(get, path = "/api/v1/kinds/rates", tag = "pay", security(("cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "The rates", body = Vec<KindRateView>),
              (status = 401, description = "Not signed in", body = ErrorBody)))]
pub(super) async fn kind_rates(State(state): State<AppState>, auth: Auth) -> Result<Json<Vec<KindRateView>>, ApiError> {
    Ok(Json(state.app.kind_rates(&auth.actor).await?.into_iter().map(KindRateView::from).collect()))
}

/// Sets a kind of work's hourly rate and patronage weight from the first day of a month on
/// (admins). A month already paid keeps its rate.
#[utoipa::path(put, path = "/api/v1/kinds/{kind}/rates/{month}", tag = "pay", security(("cookie" = []), ("bearer" = [])),
    params(("kind" = String, Path, description = "The kind of work"), ("month" = String, Path, description = "The first month, `YYYY-MM`")),
    request_body = KindRateRequest,
    responses((status = 200, description = "Set", body = KindRateView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the admin role", body = ErrorBody),
              (status = 409, description = "The month's pay run is approved: set the rate from a later month", body = ErrorBody),
              (status = 422, description = "An unknown `kind`, a bad `month`, `rate` or `weight`", body = ErrorBody)))]
pub(super) async fn set_kind_rate(State(state): State<AppState>, auth: Auth, path: PathParams, Body(req): Body<KindRateRequest>) -> Result<Json<KindRateView>, ApiError> {
    let kind = path.text("kind");
    let month = path.month("month")?;
    let rate = non_empty(req.rate).map(|r| Money::parse(&r).map_err(|m| invalid("rate", m))).transpose()?;
    let weight = parse_weight(non_empty(req.weight).as_deref().unwrap_or("1"))?;
    Ok(Json(state.app.set_kind_rate(&auth.actor, &kind, month, rate, weight).await?.into()))
}

/// Records paid leave on every working day from `from` to `to` (the caller's unless an admin
/// names another member). Needs a commitment for the year; refused beyond the entitlement.
#[utoipa::path(post, path = "/api/v1/leave", tag = "work", security(("cookie" = []), ("bearer" = [])), request_body = LeaveRequest,
    responses((status = 201, description = "Recorded; the days added", body = LeaveTaken),
              (status = 200, description = "Every day was a weekend or already recorded: nothing added", body = LeaveTaken),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Someone else's leave needs the admin role", body = ErrorBody),
              (status = 409, description = "A day falls in a month whose pay run is approved", body = ErrorBody),
              (status = 422, description = "Bad dates (`from`, `to`), no commitment or an unknown member (`member`), beyond the entitlement (`to`)", body = ErrorBody)))]
pub(super) async fn take_leave(State(state): State<AppState>, auth: Auth, Body(req): Body<LeaveRequest>) -> Result<Response, ApiError> {
    let member_id = member_of(&state, &auth, "member", req.member).await?;
    let from = date("from", &req.from)?;
    let to = match non_empty(req.to) {
        Some(t) => date("to", &t)?,
        None => from,
    };
    let days = state.app.take_leave(&auth.actor, member_id, from, to, req.note.as_deref().unwrap_or("")).await?;
    let status = if days.is_empty() { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(LeaveTaken { member_id, days })).into_response())
}

/// Removes a recorded day of leave (not in a locked month).
#[utoipa::path(delete, path = "/api/v1/leave/{member_id}/{date}", tag = "work", security(("cookie" = []), ("bearer" = [])),
    params(("member_id" = i64, Path, description = "The member's id"), ("date" = String, Path, description = "The day, `YYYY-MM-DD`")),
    responses((status = 204, description = "Removed"),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Someone else's leave needs the admin role", body = ErrorBody),
              (status = 404, description = "No leave recorded that day", body = ErrorBody),
              (status = 409, description = "The month's pay run is approved", body = ErrorBody),
              (status = 422, description = "A bad `member_id` or `date`", body = ErrorBody)))]
pub(super) async fn cancel_leave(State(state): State<AppState>, auth: Auth, path: PathParams) -> Result<StatusCode, ApiError> {
    let member_id = path.id("member_id")?;
    let day = date("date", &path.text("date"))?;
    state.app.cancel_leave(&auth.actor, member_id, day).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------------------------------------
// Handlers: pay systems and pay runs.

/// Every version of the pay system, newest first.
#[utoipa::path(get, path = "/api/v1/pay/systems", tag = "pay", security(("cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "The versions", body = Vec<PaySystemView>),
              (status = 401, description = "Not signed in", body = ErrorBody)))]
pub(super) async fn pay_systems(State(state): State<AppState>, auth: Auth) -> Result<Json<Vec<PaySystemView>>, ApiError> {
    Ok(Json(state.app.pay_systems(&auth.actor).await?.into_iter().map(PaySystemView::from).collect()))
}

/// Proposes a pay system from a month (admins): a proposal opens under `class` and the system
/// applies only if it passes. With `adopted_by`, records it against a proposal that has
/// already passed instead.
#[utoipa::path(post, path = "/api/v1/pay/systems", tag = "pay", security(("cookie" = []), ("bearer" = [])), request_body = PaySystemRequest,
    responses((status = 201, description = "Proposed (`status` pending, `proposal_id` to vote on) or recorded (`adopted`)", body = PaySystemView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the admin role", body = ErrorBody),
              (status = 404, description = "No such proposal (`adopted_by`)", body = ErrorBody),
              (status = 409, description = "No decision class yet, or the month's pay run is approved", body = ErrorBody),
              (status = 422, description = "A bad `system` (naming the key, e.g. `system.basis`), `from`, `class`, `closes_at`, or a proposal that has not passed (`adopted_by`)", body = ErrorBody)))]
pub(super) async fn new_pay_system(State(state): State<AppState>, auth: Auth, Body(req): Body<PaySystemRequest>) -> Result<Response, ApiError> {
    let from = Month::parse(&req.from).map_err(|e| rename(e, &[("month", "from")]))?;
    let class = non_empty(req.class);
    let closes_at = non_empty(req.closes_at).map(|t| coop_core::time::parse_instant(&t).map_err(|e| invalid("closes_at", e))).transpose()?;
    let view = match req.adopted_by {
        Some(proposal) => {
            if class.is_some() || closes_at.is_some() {
                return Err(invalid("adopted_by", "a system adopted by a decision already taken has no class or closing time to set: drop `class` and `closes_at`"));
            }
            state.app.record_pay_system(&auth.actor, req.system, from, proposal).await?
        }
        None => state.app.propose_pay_system(&auth.actor, req.system, from, class, closes_at).await.map_err(|e| rename(e, &[("closes", "closes_at")]))?.1,
    };
    Ok((StatusCode::CREATED, Json(PaySystemView::from(view))).into_response())
}

/// Every pay run, newest month first.
#[utoipa::path(get, path = "/api/v1/pay/runs", tag = "pay", security(("cookie" = []), ("bearer" = [])),
    responses((status = 200, description = "The runs", body = Vec<PayRunView>),
              (status = 401, description = "Not signed in", body = ErrorBody)))]
pub(super) async fn pay_runs(State(state): State<AppState>, auth: Auth) -> Result<Json<Vec<PayRunView>>, ApiError> {
    Ok(Json(state.app.pay_runs(&auth.actor).await?.into_iter().map(PayRunView::from).collect()))
}

/// A month's pay run: the approved one as approved, or a draft computed now from the hours as
/// they stand, under the system in force on the month's first day.
#[utoipa::path(get, path = "/api/v1/pay/runs/{month}", tag = "pay", security(("cookie" = []), ("bearer" = [])),
    params(("month" = String, Path, description = "`YYYY-MM`")),
    responses((status = 200, description = "The run", body = PayRunView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 409, description = "No pay system is in force that month, or it cannot pay it (e.g. a declared salary without a declaration)", body = ErrorBody),
              (status = 422, description = "A bad `month`", body = ErrorBody)))]
pub(super) async fn pay_run(State(state): State<AppState>, auth: Auth, path: PathParams) -> Result<Json<PayRunView>, ApiError> {
    let month = path.month("month")?;
    Ok(Json(state.app.pay_run(&auth.actor, month).await?.into()))
}

/// Approves a month's run as computed now (admins): it is sealed in the journal and the month's
/// hours and leave are locked.
#[utoipa::path(post, path = "/api/v1/pay/runs/{month}/approve", tag = "pay", security(("cookie" = []), ("bearer" = [])),
    params(("month" = String, Path, description = "`YYYY-MM`")),
    responses((status = 200, description = "Approved and sealed", body = PayRunView),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the admin role", body = ErrorBody),
              (status = 409, description = "Already approved, or no pay system in force", body = ErrorBody),
              (status = 422, description = "A bad `month`", body = ErrorBody)))]
pub(super) async fn approve_pay_run(State(state): State<AppState>, auth: Auth, path: PathParams) -> Result<Json<PayRunView>, ApiError> {
    let month = path.month("month")?;
    Ok(Json(state.app.approve_pay_run(&auth.actor, month).await?.into()))
}

/// An approved month's run for the payroll provider (admins), as `text/csv`: a header and one
/// row per member, `email,name,month,paid_hours,gross,adjustments,total`.
#[utoipa::path(get, path = "/api/v1/pay/runs/{month}/csv", tag = "pay", security(("cookie" = []), ("bearer" = [])),
    params(("month" = String, Path, description = "`YYYY-MM`")),
    responses((status = 200, description = "The CSV file", content_type = "text/csv", body = String),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Needs the admin role", body = ErrorBody),
              (status = 409, description = "The run is not approved yet", body = ErrorBody),
              (status = 422, description = "A bad `month`", body = ErrorBody)))]
pub(super) async fn pay_run_csv(State(state): State<AppState>, auth: Auth, path: PathParams) -> Result<Response, ApiError> {
    let month = path.month("month")?;
    let csv = state.app.pay_run_csv(&auth.actor, month).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"pay-run-{}.csv\"", month.text())),
        ],
        csv,
    )
        .into_response())
}
