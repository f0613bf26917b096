//! One month's gross pay for every member under the co-op's pay system, with the lines that
//! explain each amount, and the top-to-bottom pay-ratio check.
//!
//! Co-ops pay in many ways and change their system as they learn (the Web Collective went
//! through four). A [`PaySystem`] is data, stored as JSON and adopted by a decision:
//!
//! ```json
//! {"basis": {"kind": "equal_hourly", "rate": "25.00", "internal_paid": false},
//!  "bonus_pool": {"amount": "1000.00", "priorities": ["Website relaunch"]},
//!  "max_ratio": "2:1"}
//! ```
//!
//! The [`PayBasis`] kinds are `equal_hourly` (one rate for every paid hour), `by_kind` (rates by
//! kind of work, TechCollective), `base_plus_hourly` (Web Collective step 3: a base salary plus
//! every hour on every project) and `declared_salary` (Web Collective step 4: a fixed salary from
//! the hours declared for the year). A [`BonusPool`] shares a monthly amount by the minutes
//! worked on the current priorities; a [`PayRatio`] caps the highest effective hourly pay at a
//! multiple of the lowest ("2:1"; Mondragon's "6:1").
//!
//! [`pay_month`] is pure: the application gathers each member's month ([`MemberMonth`]) and
//! the rates of kinds of work in force, and stores or shows the [`MonthPay`] it returns.
//!
//! # Rounding (the only one)
//!
//! Money is integer cents and time is integer minutes; no float is used anywhere.
//!
//! * An hourly line's amount is `rate x minutes / 60`, computed exactly in `i128` and rounded
//!   **half away from zero** to the cent. Minutes are added up per line first (all the hours of
//!   one kind at one rate make one line), then rounded once.
//! * A pro-rated line (a base salary, or a declared salary, for a member in the co-op for only
//!   part of the month's working days) is `amount x days_in_coop / working_days`, rounded the
//!   same way, once.
//! * A declared salary's year is `declared minutes x rate / 60` rounded once; its twelve months
//!   are [`split_largest_remainder`] of that (equal weights, so earlier months take the extra
//!   cents) and sum exactly to the year.
//! * The bonus pool is [`split_largest_remainder`] of the pool by minutes on the priorities,
//!   members in member-id order (so a tied leftover cent goes to the lowest member id); the
//!   shares sum exactly to the pool.
//! * A member's gross is the exact sum of their lines; the month's total is the sum of the grosses.
//!
//! # The ratio check
//!
//! Each member with paid time gets an effective hourly pay, `gross / paid hours`, kept as an
//! exact fraction: paid hours are the paid minutes worked plus paid leave (for a declared salary,
//! the salary's hours: the declaration / 12, pro-rated). The highest and the lowest are compared
//! by cross-multiplication, `highest x den <= lowest x num` for a limit `num:den`, so a ratio of
//! exactly the limit passes. Only the displayed hourly amounts and the ratio text ("2.00:1") are
//! rounded (half away from zero, to the cent and to two decimals).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::hours::{parse_total_hours, serialize_hours, Minutes};
use crate::money::{split_largest_remainder, Money};

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Everything that can stop a pay run, in words a treasurer can act on.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum PayError {
    #[error("month {0} does not exist: give a month from 1 (January) to 12 (December)")]
    MonthOutOfRange(u8),
    #[error(
        "{name} is recorded as in the co-op for {days_in_coop} working days, but the month has only {working_days}: \
         correct the days in the co-op (at most the month's working days)"
    )]
    DaysOverWorkingDays { member_id: i64, name: String, days_in_coop: u32, working_days: u32 },
    #[error(
        "the month is given {working_days} working days for {name}: a salary is pro-rated by working days, \
         so a month needs from 1 to 31; check the co-op's calendar and holidays"
    )]
    BadWorkingDays { member_id: i64, name: String, working_days: u32 },
    #[error(
        "{name} has no declared hours for the year, and this pay system pays a salary from them: \
         set {name}'s commitment for the year (coop commitment set) before running pay"
    )]
    NoDeclaration { member_id: i64, name: String },
    #[error("the {what} is negative ({}): a rate cannot be below zero; correct it, e.g. 25.00", rate.to_decimal())]
    NegativeRate { what: String, rate: Money },
    #[error("the bonus pool is negative ({}): give the amount to share, 0.00 or more", .0.to_decimal())]
    NegativePool(Money),
    #[error("{name} has negative {what} ({minutes} h): hours cannot be below zero; correct the entry")]
    NegativeMinutes { member_id: i64, name: String, what: &'static str, minutes: Minutes },
    #[error("the base salary is negative ({0} h): give the monthly base hours, e.g. 20.00")]
    NegativeBaseHours(Minutes),
    #[error("member {0} appears twice in the month: give each member once, with all their hours")]
    DuplicateMember(i64),
    #[error(
        "{0:?} is not a pay ratio: write the top-to-bottom limit as two numbers such as \"2:1\" or \"6:1\" \
         (at most two decimals each), the first at least the second and neither zero"
    )]
    BadRatio(String),
    #[error("the kind of work {kind:?} is given two different rates ({} and {}): give each kind one rate", first.to_decimal(), second.to_decimal())]
    ConflictingKindRate { kind: String, first: Money, second: Money },
    #[error("the pay system is not valid: {0}")]
    BadJson(String),
    #[error("the pay for {0} is too large to compute exactly: check the rates and hours")]
    TooLarge(String),
}

/// `Result` with a [`PayError`].
pub type Result<T> = std::result::Result<T, PayError>;

// ---------------------------------------------------------------------------------------------
// The pay system
// ---------------------------------------------------------------------------------------------

/// A co-op's pay system; stored as JSON:
/// `{"basis":{...}, "bonus_pool":{...}|null, "max_ratio":"2:1"|null}`.
///
/// Unknown keys are refused, so that a misspelt key in a stored system is an error rather than
/// a silently ignored rule. Build one from text with [`PaySystem::from_json`], which also
/// [validates](PaySystem::validate) it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaySystem {
    pub basis: PayBasis,
    #[serde(default)]
    pub bonus_pool: Option<BonusPool>,
    #[serde(default)]
    pub max_ratio: Option<PayRatio>,
}

impl PaySystem {
    /// Parses and validates a stored pay system.
    pub fn from_json(text: &str) -> Result<PaySystem> {
        let system: PaySystem = serde_json::from_str(text).map_err(|e| PayError::BadJson(e.to_string()))?;
        system.validate()?;
        Ok(system)
    }

    /// The JSON form stored for the system; [`PaySystem::from_json`] reads it back unchanged.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a pay system always serializes")
    }

    /// Refuses negative rates, a negative base and a negative bonus pool. (A ratio that exists
    /// is already valid.)
    pub fn validate(&self) -> Result<()> {
        let rate = |what: &str, rate: Money| {
            if rate.cents() < 0 {
                Err(PayError::NegativeRate { what: what.to_string(), rate })
            } else {
                Ok(())
            }
        };
        match &self.basis {
            PayBasis::EqualHourly { rate: r, .. } => rate("hourly rate", *r)?,
            PayBasis::ByKind { general_rate, .. } => rate("general hourly rate", *general_rate)?,
            PayBasis::BasePlusHourly { base_hours, rate: r } => {
                rate("hourly rate", *r)?;
                if base_hours.is_negative() {
                    return Err(PayError::NegativeBaseHours(*base_hours));
                }
            }
            PayBasis::DeclaredSalary { rate: r } => rate("hourly rate of the declared salary", *r)?,
        }
        if let Some(pool) = &self.bonus_pool {
            if pool.amount.cents() < 0 {
                return Err(PayError::NegativePool(pool.amount));
            }
        }
        Ok(())
    }
}

/// How a member's month is paid, before any bonus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum PayBasis {
    /// Equal pay: one hourly rate for every hour. `internal_paid`: whether hours on non-billable
    /// (internal) projects are paid too (Web Collective step 2 pays only paid projects). Paid
    /// leave at the rate.
    EqualHourly {
        #[serde(with = "money_text")]
        rate: Money,
        internal_paid: bool,
    },
    /// Rates by kind of work (TechCollective): hours of a kind with a rate in `kind_rates` (given
    /// to [`pay_month`], because kinds' rates are effective-dated on the kinds themselves) are
    /// paid at that rate, only for those hours; other hours and paid leave at `general_rate`.
    /// Internal hours, when not paid, are not paid at any rate.
    ByKind {
        #[serde(with = "money_text")]
        general_rate: Money,
        internal_paid: bool,
    },
    /// Web Collective step 3: a base salary of `base_hours` (per month) at `rate`, plus `rate` for
    /// every hour worked on every project including internal ones; paid leave at the rate.
    ///
    /// The base is a salary, so it is pro-rated like a declared salary for a member in the co-op
    /// for only part of the month (`days_in_coop / working_days`).
    BasePlusHourly {
        #[serde(with = "hours_text")]
        base_hours: Minutes,
        #[serde(with = "money_text")]
        rate: Money,
    },
    /// Web Collective step 4: a fixed monthly salary from the member's declared hours for the
    /// year: yearly salary = declared hours x rate (declared hours include paid leave), paid in
    /// 12 equal monthly parts split with [`split_largest_remainder`] (so the 12 months sum
    /// exactly to the yearly salary; earlier months take the extra cents), pro-rated for a month
    /// the member was only partly in the co-op by working days in the co-op / working days in
    /// the month. Hours worked do not change the salary (the balance against the declaration is
    /// settled at year end, in [`crate::hours`]).
    DeclaredSalary {
        #[serde(with = "money_text")]
        rate: Money,
    },
}

/// A monthly pool shared among members in proportion to their minutes on the co-op's current
/// priority projects (by name, case-insensitive, surrounding spaces ignored), with
/// [`split_largest_remainder`], ties to the lowest member id. Billable or internal does not
/// matter: the pool rewards work on the priorities. If no one worked on a priority, nothing is
/// paid and the run says so ([`MonthPay::bonus_note`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BonusPool {
    #[serde(with = "money_text")]
    pub amount: Money,
    pub priorities: Vec<String>,
}

/// A top-to-bottom limit on effective hourly pay, such as "2:1" (common in US co-ops) or "6:1"
/// (Mondragon). Parsed from and written as that text; both sides may carry up to two decimals
/// ("2.5:1"). A ratio that exists is valid: neither side is zero and the top is at least the
/// bottom (1:1 is equal pay). Kept reduced, so "4:2" is the same limit as "2:1" and prints so.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PayRatio {
    num: u64,
    den: u64,
}

impl PayRatio {
    /// Parses "2:1", "6:1", "2.5:1", " 3 : 2 ".
    pub fn parse(s: &str) -> Result<PayRatio> {
        let err = || PayError::BadRatio(s.to_string());
        let (top, bottom) = s.trim().split_once(':').ok_or_else(err)?;
        let (top, bottom) = (hundredths(top.trim()).ok_or_else(err)?, hundredths(bottom.trim()).ok_or_else(err)?);
        PayRatio::new(top, bottom).ok_or_else(err)
    }

    /// `num:den`, reduced. `None` for a zero side, a top below the bottom, or a reduced side
    /// above [`PayRatio::MAX_SIDE`] (which keeps the exact comparison far from overflow).
    pub fn new(num: u64, den: u64) -> Option<PayRatio> {
        if num == 0 || den == 0 || num < den {
            return None;
        }
        let g = gcd(num, den);
        let (num, den) = (num / g, den / g);
        (num <= PayRatio::MAX_SIDE).then_some(PayRatio { num, den })
    }

    /// The largest side of a reduced ratio: one billion.
    pub const MAX_SIDE: u64 = 1_000_000_000;

    /// The top of the reduced ratio ("6" of "6:1").
    pub fn num(self) -> u64 {
        self.num
    }

    /// The bottom of the reduced ratio ("1" of "6:1").
    pub fn den(self) -> u64 {
        self.den
    }
}

/// A non-negative decimal with at most two decimals, as hundredths; at most 10 whole digits.
fn hundredths(s: &str) -> Option<u64> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() || whole.len() > 10 || frac.len() > 2 || (s.contains('.') && frac.is_empty()) {
        return None;
    }
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u64 = whole.parse().ok()?;
    let frac: u64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().ok()? };
    Some(whole * 100 + frac)
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl fmt::Display for PayRatio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.num, self.den)
    }
}

impl FromStr for PayRatio {
    type Err = PayError;
    fn from_str(s: &str) -> Result<PayRatio> {
        PayRatio::parse(s)
    }
}

impl Serialize for PayRatio {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PayRatio {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<PayRatio, D::Error> {
        let text = String::deserialize(d)?;
        PayRatio::parse(&text).map_err(serde::de::Error::custom)
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/// Time worked, aggregated or entry by entry (lines add up the same either way).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkedMinutes {
    /// The project's name, matched against the bonus pool's priorities.
    pub project: Option<String>,
    /// Billable (a paid project) or internal (non-billable). Time on no project is internal
    /// unless marked billable.
    pub billable: bool,
    /// The kind of work, matched case-insensitively against `kind_rates`.
    pub kind: Option<String>,
    #[serde(with = "hours_text")]
    pub minutes: Minutes,
}

/// Everything about one member's month that pay depends on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberMonth {
    pub member_id: i64,
    pub name: String,
    pub worked: Vec<WorkedMinutes>,
    /// Paid leave taken in the month.
    #[serde(with = "hours_text")]
    pub leave: Minutes,
    /// Declared hours for the year (needed by [`PayBasis::DeclaredSalary`]; a member without
    /// one is an error naming them). Paid leave is part of the declaration.
    #[serde(default, with = "opt_hours_text")]
    pub declared_year: Option<Minutes>,
    /// Working days the member was in the co-op in this month, and working days in the month.
    pub days_in_coop: u32,
    pub working_days: u32,
}

// ---------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------

/// One line of a member's pay, in words, with the hours and rate it comes from when it has
/// them. A line with `amount` 0 and no rate explains time that is not paid by the hour.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PayLine {
    /// Plain English, e.g. "Programming: 12.50 h at 50.00".
    pub label: String,
    #[serde(serialize_with = "opt_hours_text::serialize")]
    pub minutes: Option<Minutes>,
    #[serde(serialize_with = "opt_money_text::serialize")]
    pub rate: Option<Money>,
    #[serde(serialize_with = "money_text::serialize")]
    pub amount: Money,
}

/// One member's gross pay for the month: `gross` is exactly the sum of `lines`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MemberPay {
    pub member_id: i64,
    pub name: String,
    pub lines: Vec<PayLine>,
    #[serde(serialize_with = "money_text::serialize")]
    pub gross: Money,
    /// The paid time the ratio check divides by: paid minutes worked plus paid leave, or for a
    /// declared salary the salary's hours (declared / 12, pro-rated), to the nearest minute.
    #[serde(serialize_with = "serialize_hours")]
    pub paid_minutes: Minutes,
}

/// The top-to-bottom check of effective hourly pay among members with paid time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RatioCheck {
    /// The member with the highest effective hourly pay (lowest id on a tie), and that pay
    /// rounded to the cent; serialized as `{"member_id", "hourly"}`.
    #[serde(serialize_with = "member_hourly")]
    pub highest: Option<(i64, Money)>,
    /// The member with the lowest effective hourly pay (lowest id on a tie).
    #[serde(serialize_with = "member_hourly")]
    pub lowest: Option<(i64, Money)>,
    /// highest / lowest to two decimals, "2.00:1"; `None` when nobody has paid time, or when
    /// the lowest is paid nothing and the highest something (no finite ratio).
    pub ratio: Option<String>,
    pub limit: Option<PayRatio>,
    /// `highest <= limit x lowest`, exactly; true when there is no limit.
    pub within_limit: bool,
}

/// One month's pay run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MonthPay {
    pub month: u8,
    /// Ordered by member id.
    pub members: Vec<MemberPay>,
    #[serde(serialize_with = "money_text::serialize")]
    pub total: Money,
    /// What happened to the bonus pool, when the system has one.
    pub bonus_note: Option<String>,
    pub ratio: RatioCheck,
}

// ---------------------------------------------------------------------------------------------
// The computation
// ---------------------------------------------------------------------------------------------

/// Computes the gross pay of every member for `month` (1 to 12) under `system`.
///
/// `kind_rates` holds the rate in force for each kind of work that has one, keyed by the kind's
/// name in lower case (keys are lower-cased again here, so either case works); it is used only by
/// [`PayBasis::ByKind`]. Members come back ordered by member id.
pub fn pay_month(system: &PaySystem, month: u8, kind_rates: &BTreeMap<String, Money>, members: &[MemberMonth]) -> Result<MonthPay> {
    if !(1..=12).contains(&month) {
        return Err(PayError::MonthOutOfRange(month));
    }
    system.validate()?;
    let kind_rates = normalise_kind_rates(&system.basis, kind_rates)?;

    let mut order: Vec<&MemberMonth> = members.iter().collect();
    order.sort_by_key(|m| m.member_id);
    for pair in order.windows(2) {
        if pair[0].member_id == pair[1].member_id {
            return Err(PayError::DuplicateMember(pair[0].member_id));
        }
    }

    let mut pays = Vec::with_capacity(order.len());
    let mut paid_time = Vec::with_capacity(order.len());
    for m in &order {
        check_member(m)?;
        let (lines, time) = basis_lines(&system.basis, month, &kind_rates, m)?;
        pays.push(MemberPay { member_id: m.member_id, name: m.name.clone(), lines, gross: Money(0), paid_minutes: time.rounded() });
        paid_time.push(time);
    }

    let bonus_note = match &system.bonus_pool {
        Some(pool) => Some(share_bonus(pool, &order, &mut pays)?),
        None => None,
    };

    let mut total: i64 = 0;
    for pay in &mut pays {
        let gross = pay.lines.iter().try_fold(0i64, |sum, line| sum.checked_add(line.amount.cents()));
        pay.gross = Money(gross.ok_or_else(|| PayError::TooLarge(pay.name.clone()))?);
        total = total.checked_add(pay.gross.cents()).ok_or_else(|| PayError::TooLarge("the month's total".to_string()))?;
    }

    let ratio = ratio_check(system.max_ratio, &pays, &paid_time)?;
    Ok(MonthPay { month, members: pays, total: Money(total), bonus_note, ratio })
}

/// The 12 monthly parts of a declared salary: `declared x rate / 60` for the year, rounded half
/// away from zero to the cent, split equally by [`split_largest_remainder`] (earlier months take
/// the extra cents). They sum exactly to the yearly salary.
pub fn declared_salary_months(declared: Minutes, rate: Money) -> Option<(Money, [Money; 12])> {
    let yearly = i64::try_from(round_div(i128::from(rate.cents()) * i128::from(declared.get()), 60)).ok()?;
    let parts = split_largest_remainder(yearly, &[1; 12]).expect("twelve equal weights");
    let mut months = [Money(0); 12];
    for (slot, part) in months.iter_mut().zip(parts) {
        *slot = Money(part);
    }
    Some((Money(yearly), months))
}

fn normalise_kind_rates(basis: &PayBasis, kind_rates: &BTreeMap<String, Money>) -> Result<BTreeMap<String, Money>> {
    let mut out = BTreeMap::new();
    if !matches!(basis, PayBasis::ByKind { .. }) {
        return Ok(out);
    }
    for (kind, &rate) in kind_rates {
        if rate.cents() < 0 {
            return Err(PayError::NegativeRate { what: format!("rate of {kind:?} work"), rate });
        }
        let key = normalise(kind);
        if let Some(&first) = out.get(&key) {
            if first != rate {
                return Err(PayError::ConflictingKindRate { kind: kind.clone(), first, second: rate });
            }
        }
        out.insert(key, rate);
    }
    Ok(out)
}

fn normalise(name: &str) -> String {
    name.trim().to_lowercase()
}

fn check_member(m: &MemberMonth) -> Result<()> {
    if m.days_in_coop > m.working_days {
        return Err(PayError::DaysOverWorkingDays {
            member_id: m.member_id,
            name: m.name.clone(),
            days_in_coop: m.days_in_coop,
            working_days: m.working_days,
        });
    }
    let negative = |what: &'static str, minutes: Minutes| PayError::NegativeMinutes { member_id: m.member_id, name: m.name.clone(), what, minutes };
    if let Some(w) = m.worked.iter().find(|w| w.minutes.is_negative()) {
        return Err(negative("hours worked", w.minutes));
    }
    if m.leave.is_negative() {
        return Err(negative("paid leave", m.leave));
    }
    if let Some(d) = m.declared_year.filter(|d| d.is_negative()) {
        return Err(negative("declared hours", d));
    }
    Ok(())
}

/// Paid time as an exact fraction of minutes, `num / den` (den > 0).
#[derive(Clone, Copy, Debug)]
struct PaidTime {
    num: i128,
    den: i128,
}

impl PaidTime {
    fn whole(minutes: Minutes) -> PaidTime {
        PaidTime { num: i128::from(minutes.get()), den: 1 }
    }

    fn rounded(self) -> Minutes {
        Minutes(i64::try_from(round_div(self.num, self.den)).unwrap_or(i64::MAX))
    }
}

/// `num / den` rounded to the nearest integer, halves away from zero. `den > 0`.
fn round_div(num: i128, den: i128) -> i128 {
    let (q, r) = (num / den, num % den);
    if 2 * r.abs() >= den {
        q + num.signum()
    } else {
        q
    }
}

/// `rate x minutes / 60 x days / working`, rounded once.
fn prorated_amount(rate: Money, minutes: Minutes, days: u32, working: u32, name: &str) -> Result<Money> {
    let num = i128::from(rate.cents()) * i128::from(minutes.get()) * i128::from(days);
    let cents = round_div(num, 60 * i128::from(working));
    i64::try_from(cents).map(Money).map_err(|_| PayError::TooLarge(name.to_string()))
}

fn hourly_line(label: &str, minutes: Minutes, rate: Money, name: &str) -> Result<PayLine> {
    Ok(PayLine {
        label: format!("{label}: {minutes} h at {}", rate.to_decimal()),
        minutes: Some(minutes),
        rate: Some(rate),
        amount: prorated_amount(rate, minutes, 1, 1, name)?,
    })
}

fn unpaid_line(label: String, minutes: Minutes) -> PayLine {
    PayLine { label, minutes: Some(minutes), rate: None, amount: Money(0) }
}

fn check_working_days(m: &MemberMonth) -> Result<()> {
    if m.working_days == 0 || m.working_days > 31 {
        return Err(PayError::BadWorkingDays { member_id: m.member_id, name: m.name.clone(), working_days: m.working_days });
    }
    Ok(())
}

/// The member's lines under the basis (no bonus yet) and their paid time.
fn basis_lines(basis: &PayBasis, month: u8, kind_rates: &BTreeMap<String, Money>, m: &MemberMonth) -> Result<(Vec<PayLine>, PaidTime)> {
    let name = m.name.as_str();
    let billable: Minutes = m.worked.iter().filter(|w| w.billable).map(|w| w.minutes).sum();
    let internal: Minutes = m.worked.iter().filter(|w| !w.billable).map(|w| w.minutes).sum();
    let mut lines = Vec::new();
    let unpaid_internal = || unpaid_line(format!("Work on internal projects: {internal} h, not paid under this pay system"), internal);
    match *basis {
        PayBasis::EqualHourly { rate, internal_paid } => {
            if billable.get() > 0 {
                lines.push(hourly_line("Work on paid projects", billable, rate, name)?);
            }
            if internal.get() > 0 {
                lines.push(if internal_paid { hourly_line("Work on internal projects", internal, rate, name)? } else { unpaid_internal() });
            }
            if m.leave.get() > 0 {
                lines.push(hourly_line("Paid leave", m.leave, rate, name)?);
            }
            let paid = billable + if internal_paid { internal } else { Minutes::ZERO } + m.leave;
            Ok((lines, PaidTime::whole(paid)))
        }
        PayBasis::ByKind { general_rate, internal_paid } => {
            // kind key -> (the kind as first written, minutes, rate)
            let mut by_kind: BTreeMap<String, (String, Minutes, Money)> = BTreeMap::new();
            let mut other = Minutes::ZERO;
            for w in m.worked.iter().filter(|w| w.billable || internal_paid) {
                let rated = w.kind.as_deref().and_then(|k| kind_rates.get(&normalise(k)).map(|&r| (k, r)));
                match rated {
                    Some((kind, rate)) => by_kind.entry(normalise(kind)).or_insert_with(|| (kind.trim().to_string(), Minutes::ZERO, rate)).1 += w.minutes,
                    None => other += w.minutes,
                }
            }
            for (kind, minutes, rate) in by_kind.into_values() {
                if minutes.get() > 0 {
                    lines.push(hourly_line(&kind, minutes, rate, name)?);
                }
            }
            if other.get() > 0 {
                lines.push(hourly_line("Other work", other, general_rate, name)?);
            }
            if !internal_paid && internal.get() > 0 {
                lines.push(unpaid_internal());
            }
            if m.leave.get() > 0 {
                lines.push(hourly_line("Paid leave", m.leave, general_rate, name)?);
            }
            let paid = billable + if internal_paid { internal } else { Minutes::ZERO } + m.leave;
            Ok((lines, PaidTime::whole(paid)))
        }
        PayBasis::BasePlusHourly { base_hours, rate } => {
            check_working_days(m)?;
            if base_hours.get() > 0 {
                let amount = prorated_amount(rate, base_hours, m.days_in_coop, m.working_days, name)?;
                let minutes = PaidTime { num: i128::from(base_hours.get()) * i128::from(m.days_in_coop), den: i128::from(m.working_days) }.rounded();
                let label = if m.days_in_coop == m.working_days {
                    format!("Base salary: {base_hours} h at {}", rate.to_decimal())
                } else {
                    format!(
                        "Base salary: {minutes} h at {} ({base_hours} h a month, for {} of {} working days in the co-op)",
                        rate.to_decimal(),
                        m.days_in_coop,
                        m.working_days
                    )
                };
                lines.push(PayLine { label, minutes: Some(minutes), rate: Some(rate), amount });
            }
            if billable.get() > 0 {
                lines.push(hourly_line("Work on paid projects", billable, rate, name)?);
            }
            if internal.get() > 0 {
                lines.push(hourly_line("Work on internal projects", internal, rate, name)?);
            }
            if m.leave.get() > 0 {
                lines.push(hourly_line("Paid leave", m.leave, rate, name)?);
            }
            Ok((lines, PaidTime::whole(billable + internal + m.leave)))
        }
        PayBasis::DeclaredSalary { rate } => {
            let declared = m.declared_year.ok_or_else(|| PayError::NoDeclaration { member_id: m.member_id, name: m.name.clone() })?;
            check_working_days(m)?;
            let (yearly, months) = declared_salary_months(declared, rate).ok_or_else(|| PayError::TooLarge(m.name.clone()))?;
            let part = months[usize::from(month - 1)];
            let amount = round_div(i128::from(part.cents()) * i128::from(m.days_in_coop), i128::from(m.working_days));
            let amount = Money(i64::try_from(amount).map_err(|_| PayError::TooLarge(m.name.clone()))?);
            let time = PaidTime { num: i128::from(declared.get()) * i128::from(m.days_in_coop), den: 12 * i128::from(m.working_days) };
            let mut label = format!(
                "Salary: 1/12 of {} a year ({declared} declared h at {})",
                yearly.to_decimal(),
                rate.to_decimal()
            );
            if m.days_in_coop != m.working_days {
                label.push_str(&format!(", {} for {} of {} working days in the co-op", part.to_decimal(), m.days_in_coop, m.working_days));
            }
            lines.push(PayLine { label, minutes: Some(time.rounded()), rate: Some(rate), amount });
            let worked = billable + internal;
            if worked.get() > 0 {
                lines.push(unpaid_line(
                    format!("Hours worked: {worked} h (the salary does not change with them; the balance against the declaration is settled at year end)"),
                    worked,
                ));
            }
            if m.leave.get() > 0 {
                lines.push(unpaid_line(format!("Paid leave: {} h (part of the declared hours, paid in the salary)", m.leave), m.leave));
            }
            Ok((lines, time))
        }
    }
}

/// Adds each member's share of the bonus pool as a line; returns what the run says about it.
fn share_bonus(pool: &BonusPool, order: &[&MemberMonth], pays: &mut [MemberPay]) -> Result<String> {
    let priorities: BTreeSet<String> = pool.priorities.iter().map(|p| normalise(p)).filter(|p| !p.is_empty()).collect();
    let listed = if pool.priorities.is_empty() { "none set".to_string() } else { pool.priorities.iter().map(|p| p.trim()).collect::<Vec<_>>().join(", ") };
    let weights: Vec<u64> = order
        .iter()
        .map(|m| {
            m.worked
                .iter()
                .filter(|w| w.project.as_deref().is_some_and(|p| priorities.contains(&normalise(p))))
                .map(|w| w.minutes.get().unsigned_abs())
                .sum()
        })
        .collect();
    let all = Minutes(weights.iter().sum::<u64>() as i64);
    let Some(shares) = split_largest_remainder(pool.amount.cents(), &weights) else {
        return Ok(format!(
            "Nobody worked on the current priorities ({listed}) this month, so the bonus pool of {} is not paid.",
            pool.amount.to_decimal()
        ));
    };
    let mut sharing = 0;
    for ((pay, &w), share) in pays.iter_mut().zip(&weights).zip(shares) {
        if w > 0 {
            sharing += 1;
            let minutes = Minutes(w as i64);
            pay.lines.push(PayLine {
                label: format!("Bonus pool: {minutes} h of the {all} h worked on the priorities"),
                minutes: Some(minutes),
                rate: None,
                amount: Money(share),
            });
        }
    }
    Ok(format!(
        "The bonus pool of {} is shared among {sharing} member{} in proportion to their {all} h on the current priorities ({listed}).",
        pool.amount.to_decimal(),
        if sharing == 1 { "" } else { "s" }
    ))
}

/// Effective hourly pay as an exact fraction of cents per hour, `num / den` (den > 0).
#[derive(Clone, Copy, Debug)]
struct Hourly {
    num: i128,
    den: i128,
}

fn ratio_check(limit: Option<PayRatio>, pays: &[MemberPay], times: &[PaidTime]) -> Result<RatioCheck> {
    let too_large = || PayError::TooLarge("the pay ratio".to_string());
    // a < b as fractions, by cross-multiplication.
    let less = |a: Hourly, b: Hourly| -> Result<bool> {
        Ok(a.num.checked_mul(b.den).ok_or_else(too_large)? < b.num.checked_mul(a.den).ok_or_else(too_large)?)
    };
    let mut highest: Option<(i64, Hourly)> = None;
    let mut lowest: Option<(i64, Hourly)> = None;
    for (pay, time) in pays.iter().zip(times) {
        if time.num <= 0 {
            continue;
        }
        // gross / (num / den minutes) x 60 minutes = gross x 60 x den / num cents an hour.
        let num = i128::from(pay.gross.cents()).checked_mul(60 * time.den).ok_or_else(too_large)?;
        let hourly = Hourly { num, den: time.num };
        if highest.map_or(Ok(true), |(_, h)| less(h, hourly))? {
            highest = Some((pay.member_id, hourly));
        }
        if lowest.map_or(Ok(true), |(_, l)| less(hourly, l))? {
            lowest = Some((pay.member_id, hourly));
        }
    }
    let shown = |h: Hourly| Money(i64::try_from(round_div(h.num, h.den)).unwrap_or(i64::MAX));
    let (ratio, within_limit) = match (highest, lowest) {
        (Some((_, h)), Some((_, l))) => {
            // highest / lowest = (h.num x l.den) / (h.den x l.num).
            let top = h.num.checked_mul(l.den).ok_or_else(too_large)?;
            let bottom = h.den.checked_mul(l.num).ok_or_else(too_large)?;
            let ratio = if bottom > 0 {
                let hundredths = round_div(top.checked_mul(100).ok_or_else(too_large)?, bottom);
                Some(format!("{}.{:02}:1", hundredths / 100, hundredths % 100))
            } else if top == 0 {
                Some("1.00:1".to_string())
            } else {
                None
            };
            let within = match limit {
                None => true,
                Some(r) => {
                    top.checked_mul(i128::from(r.den)).ok_or_else(too_large)? <= bottom.checked_mul(i128::from(r.num)).ok_or_else(too_large)?
                }
            };
            (ratio, within)
        }
        _ => (None, true),
    };
    Ok(RatioCheck {
        highest: highest.map(|(id, h)| (id, shown(h))),
        lowest: lowest.map(|(id, l)| (id, shown(l))),
        ratio,
        limit,
        within_limit,
    })
}

// ---------------------------------------------------------------------------------------------
// JSON forms: money as "25.00", hours as "7.50"
// ---------------------------------------------------------------------------------------------

/// [`Money`] as its decimal string ("25.00") both ways.
mod money_text {
    use super::*;

    pub fn serialize<S: Serializer>(m: &Money, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&m.to_decimal())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Money, D::Error> {
        let text = String::deserialize(d)?;
        Money::parse(&text).map_err(serde::de::Error::custom)
    }
}

mod opt_money_text {
    use super::*;

    pub fn serialize<S: Serializer>(m: &Option<Money>, s: S) -> std::result::Result<S::Ok, S::Error> {
        match m {
            Some(m) => s.serialize_str(&m.to_decimal()),
            None => s.serialize_none(),
        }
    }
}

/// [`Minutes`] as the contract's hours string ("20.00") both ways; reading accepts every shape
/// [`parse_total_hours`] does.
mod hours_text {
    use super::*;

    pub fn serialize<S: Serializer>(m: &Minutes, s: S) -> std::result::Result<S::Ok, S::Error> {
        serialize_hours(m, s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Minutes, D::Error> {
        let text = String::deserialize(d)?;
        parse_total_hours(&text).map_err(serde::de::Error::custom)
    }
}

mod opt_hours_text {
    use super::*;

    pub fn serialize<S: Serializer>(m: &Option<Minutes>, s: S) -> std::result::Result<S::Ok, S::Error> {
        match m {
            Some(m) => serialize_hours(m, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Minutes>, D::Error> {
        match Option::<String>::deserialize(d)? {
            Some(text) => parse_total_hours(&text).map(Some).map_err(serde::de::Error::custom),
            None => Ok(None),
        }
    }
}

fn member_hourly<S: Serializer>(v: &Option<(i64, Money)>, s: S) -> std::result::Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct MemberHourly {
        member_id: i64,
        #[serde(serialize_with = "money_text::serialize")]
        hourly: Money,
    }
    match v {
        Some((member_id, hourly)) => MemberHourly { member_id: *member_id, hourly: *hourly }.serialize(s),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    fn h(hours: i64) -> Minutes {
        Minutes::from_hours(hours)
    }

    fn work(project: &str, billable: bool, kind: Option<&str>, minutes: Minutes) -> WorkedMinutes {
        WorkedMinutes { project: Some(project.to_string()), billable, kind: kind.map(str::to_string), minutes }
    }

    fn member(id: i64, name: &str, worked: Vec<WorkedMinutes>, leave: Minutes) -> MemberMonth {
        MemberMonth { member_id: id, name: name.to_string(), worked, leave, declared_year: None, days_in_coop: 21, working_days: 21 }
    }

    fn system(basis: PayBasis) -> PaySystem {
        PaySystem { basis, bonus_pool: None, max_ratio: None }
    }

    fn no_kinds() -> BTreeMap<String, Money> {
        BTreeMap::new()
    }

    fn amounts(pay: &MemberPay) -> Vec<(String, i64)> {
        pay.lines.iter().map(|l| (l.label.clone(), l.amount.cents())).collect()
    }

    /// Ana: 12.50 h on a paid project, 3 h internal, 8 h leave. Ben: 7 minutes on a paid project.
    fn ana_and_ben() -> Vec<MemberMonth> {
        vec![
            member(2, "Ben", vec![work("Client site", true, None, Minutes(7))], Minutes::ZERO),
            member(
                1,
                "Ana",
                vec![work("Client site", true, None, Minutes(450)), work("Client site", true, None, Minutes(300)), work("Bookkeeping", false, None, h(3))],
                h(8),
            ),
        ]
    }

    #[test]
    fn equal_hourly_without_internal_projects() {
        let sys = system(PayBasis::EqualHourly { rate: money("25.00"), internal_paid: false });
        let run = pay_month(&sys, 3, &no_kinds(), &ana_and_ben()).unwrap();
        // Members come back by id: Ana (1) first.
        let ana = &run.members[0];
        assert_eq!(ana.member_id, 1);
        // Paid projects: 450 + 300 = 750 minutes; 2,500 x 750 / 60 = 1,875,000 / 60 = 31,250 -> 312.50.
        // Internal: 3 h, not paid. Leave: 2,500 x 480 / 60 = 20,000 -> 200.00. Gross 512.50.
        assert_eq!(
            amounts(ana),
            vec![
                ("Work on paid projects: 12.50 h at 25.00".to_string(), 31_250),
                ("Work on internal projects: 3.00 h, not paid under this pay system".to_string(), 0),
                ("Paid leave: 8.00 h at 25.00".to_string(), 20_000),
            ]
        );
        assert_eq!(ana.gross, money("512.50"));
        assert_eq!(ana.paid_minutes, Minutes(750 + 480));
        // Ben: 2,500 x 7 / 60 = 17,500 / 60 = 291.67 -> 292 cents (2.92).
        assert_eq!(run.members[1].gross, Money(292));
        assert_eq!(run.total, Money(51_250 + 292));
        assert_eq!(run.bonus_note, None);
    }

    #[test]
    fn equal_hourly_with_internal_projects() {
        let sys = system(PayBasis::EqualHourly { rate: money("25.00"), internal_paid: true });
        let run = pay_month(&sys, 3, &no_kinds(), &ana_and_ben()).unwrap();
        // As above plus internal 2,500 x 180 / 60 = 7,500 -> 75.00: 312.50 + 75.00 + 200.00 = 587.50.
        let ana = &run.members[0];
        assert_eq!(ana.lines[1].label, "Work on internal projects: 3.00 h at 25.00");
        assert_eq!(ana.lines[1].amount, money("75.00"));
        assert_eq!(ana.gross, money("587.50"));
        assert_eq!(ana.paid_minutes, Minutes(750 + 180 + 480));
    }

    #[test]
    fn a_half_cent_rounds_away_from_zero() {
        // 0.30 an hour for 1 minute: 30 x 1 / 60 = 0.5 cent -> 1 cent; for 3 minutes 90 / 60 = 1.5 -> 2.
        let sys = system(PayBasis::EqualHourly { rate: money("0.30"), internal_paid: true });
        let one = pay_month(&sys, 1, &no_kinds(), &[member(1, "A", vec![work("p", true, None, Minutes(1))], Minutes::ZERO)]).unwrap();
        assert_eq!(one.members[0].gross, Money(1));
        let three = pay_month(&sys, 1, &no_kinds(), &[member(1, "A", vec![work("p", true, None, Minutes(3))], Minutes::ZERO)]).unwrap();
        assert_eq!(three.members[0].gross, Money(2));
        // Lines add minutes first and round once: three 1-minute entries are 2 cents, not 3.
        let split = vec![work("p", true, None, Minutes(1)), work("p", true, None, Minutes(1)), work("q", true, None, Minutes(1))];
        assert_eq!(pay_month(&sys, 1, &no_kinds(), &[member(1, "A", split, Minutes::ZERO)]).unwrap().members[0].gross, Money(2));
    }

    fn technician_month() -> MemberMonth {
        member(
            1,
            "Cal",
            vec![
                work("Shop", true, Some("Programming"), h(6)),
                work("Shop", true, Some("programming "), h(4)),
                work("Shop", true, Some("Repair"), h(6)),
                work("Own website", false, Some("PROGRAMMING"), h(2)),
            ],
            h(4),
        )
    }

    #[test]
    fn by_kind_pays_the_kind_rate_only_for_those_hours() {
        let kinds = BTreeMap::from([("programming".to_string(), money("50.00"))]);
        let sys = system(PayBasis::ByKind { general_rate: money("25.00"), internal_paid: false });
        let run = pay_month(&sys, 5, &kinds, &[technician_month()]).unwrap();
        // Programming (any case): 6 + 4 = 10 h billable: 5,000 x 600 / 60 = 50,000 -> 500.00.
        // Repair has no rate of its own: 6 h at the general rate: 2,500 x 360 / 60 = 15,000 -> 150.00.
        // 2 h of internal programming are not paid at all. Leave: 2,500 x 240 / 60 = 10,000 -> 100.00.
        // Gross 500.00 + 150.00 + 100.00 = 750.00 over 10 + 6 + 4 = 20 paid hours.
        let cal = &run.members[0];
        assert_eq!(
            amounts(cal),
            vec![
                ("Programming: 10.00 h at 50.00".to_string(), 50_000),
                ("Other work: 6.00 h at 25.00".to_string(), 15_000),
                ("Work on internal projects: 2.00 h, not paid under this pay system".to_string(), 0),
                ("Paid leave: 4.00 h at 25.00".to_string(), 10_000),
            ]
        );
        assert_eq!(cal.gross, money("750.00"));
        assert_eq!(cal.paid_minutes, h(20));

        // Paying internal hours too: programming is 12 h: 5,000 x 720 / 60 = 60,000 -> 600.00; gross 850.00.
        let sys = system(PayBasis::ByKind { general_rate: money("25.00"), internal_paid: true });
        let run = pay_month(&sys, 5, &kinds, &[technician_month()]).unwrap();
        assert_eq!(run.members[0].lines[0].amount, money("600.00"));
        assert_eq!(run.members[0].gross, money("850.00"));
    }

    #[test]
    fn base_plus_hourly_pays_the_base_and_every_project() {
        let sys = system(PayBasis::BasePlusHourly { base_hours: h(20), rate: money("25.00") });
        let dee = member(4, "Dee", vec![work("Client", true, None, h(30)), work("Co-op admin", false, None, h(10))], Minutes::ZERO);
        let run = pay_month(&sys, 6, &no_kinds(), std::slice::from_ref(&dee)).unwrap();
        // Base: 2,500 x 1,200 / 60 = 50,000 -> 500.00. Paid projects 2,500 x 1,800 / 60 = 75,000 -> 750.00.
        // Internal projects are paid too: 2,500 x 600 / 60 = 25,000 -> 250.00. Gross 1,500.00.
        assert_eq!(
            amounts(&run.members[0]),
            vec![
                ("Base salary: 20.00 h at 25.00".to_string(), 50_000),
                ("Work on paid projects: 30.00 h at 25.00".to_string(), 75_000),
                ("Work on internal projects: 10.00 h at 25.00".to_string(), 25_000),
            ]
        );
        assert_eq!(run.members[0].gross, money("1500.00"));
        // The effective hourly pay is 1,500.00 / 40 h = 37.50: the base is not time worked.
        assert_eq!(run.members[0].paid_minutes, h(40));
        assert_eq!(run.ratio.highest, Some((4, money("37.50"))));

        // In the co-op for 10 of 21 working days: 2,500 x 1,200 x 10 / (60 x 21) = 30,000,000 / 1,260
        // = 23,809.52 -> 238.10; shown as 1,200 x 10 / 21 = 571.43 -> 571 minutes (9.52 h).
        let partial = MemberMonth { days_in_coop: 10, ..dee };
        let base = &pay_month(&sys, 6, &no_kinds(), &[partial]).unwrap().members[0].lines[0];
        assert_eq!(base.amount, money("238.10"));
        assert_eq!(base.minutes, Some(Minutes(571)));
        assert_eq!(base.label, "Base salary: 9.52 h at 25.00 (20.00 h a month, for 10 of 21 working days in the co-op)");
    }

    fn declared(id: i64, name: &str, hours: i64, worked: Minutes, days_in_coop: u32, working_days: u32) -> MemberMonth {
        MemberMonth {
            member_id: id,
            name: name.to_string(),
            worked: vec![work("Client", true, None, worked)],
            leave: h(8),
            declared_year: Some(h(hours)),
            days_in_coop,
            working_days,
        }
    }

    #[test]
    fn declared_salary_is_a_twelfth_of_the_year_whatever_the_hours() {
        let sys = system(PayBasis::DeclaredSalary { rate: money("22.50") });
        // 1,500 declared h at 22.50 = 2,250 x 90,000 / 60 = 3,375,000 cents = 33,750.00 a year,
        // 281,250 cents = 2,812.50 a month. Hours worked (100 h or 200 h) change nothing.
        let run = pay_month(&sys, 2, &no_kinds(), &[declared(1, "Eve", 1500, h(100), 20, 20), declared(2, "Fay", 1500, h(200), 20, 20)]).unwrap();
        for pay in &run.members {
            assert_eq!(pay.gross, money("2812.50"));
            assert_eq!(pay.lines[0].label, "Salary: 1/12 of 33750.00 a year (1500.00 declared h at 22.50)");
            // The salary's hours: 90,000 / 12 = 7,500 minutes = 125 h.
            assert_eq!(pay.paid_minutes, h(125));
            assert!(pay.lines[1..].iter().all(|l| l.amount == Money(0) && l.rate.is_none()));
        }
        assert_eq!(run.total, money("5625.00"));
        // Same hourly pay (2,812.50 / 125 h = 22.50) for both: 1.00:1.
        assert_eq!(run.ratio.ratio.as_deref(), Some("1.00:1"));
        assert_eq!(run.ratio.highest, Some((1, money("22.50"))));
    }

    #[test]
    fn declared_salary_months_sum_exactly_to_the_year() {
        // 1,561 h at 22.50: 2,250 x 93,660 / 60 = 3,512,250 cents (35,122.50) a year.
        // / 12 = 292,687.5: floors of 292,687 sum to 3,512,244, so the 6 cents left go to
        // January to June (all remainders tie; the earliest months take them).
        let sys = system(PayBasis::DeclaredSalary { rate: money("22.50") });
        let mut sum = 0;
        for month in 1..=12u8 {
            let run = pay_month(&sys, month, &no_kinds(), &[declared(1, "Gus", 1561, h(150), 21, 21)]).unwrap();
            let expected = if month <= 6 { 292_688 } else { 292_687 };
            assert_eq!(run.members[0].gross, Money(expected), "month {month}");
            sum += run.members[0].gross.cents();
        }
        assert_eq!(sum, 3_512_250);
    }

    #[test]
    fn declared_salary_is_prorated_for_part_of_a_month() {
        let sys = system(PayBasis::DeclaredSalary { rate: money("22.50") });
        // In the co-op 11 of 22 working days: 281,250 x 11 / 22 = 140,625 -> 1,406.25, for
        // 90,000 x 11 / (12 x 22) = 3,750 minutes (62.50 h): still 22.50 an hour.
        let run = pay_month(&sys, 9, &no_kinds(), &[declared(3, "Hal", 1500, h(70), 11, 22)]).unwrap();
        let hal = &run.members[0];
        assert_eq!(hal.gross, money("1406.25"));
        assert_eq!(hal.paid_minutes, Minutes(3_750));
        assert_eq!(hal.lines[0].label, "Salary: 1/12 of 33750.00 a year (1500.00 declared h at 22.50), 2812.50 for 11 of 22 working days in the co-op");
        assert_eq!(run.ratio.lowest, Some((3, money("22.50"))));
        // 10 of 21 days: 281,250 x 10 / 21 = 2,812,500 / 21 = 133,928.57 -> 133,929.
        let run = pay_month(&sys, 9, &no_kinds(), &[declared(3, "Hal", 1500, h(70), 10, 21)]).unwrap();
        assert_eq!(run.members[0].gross, Money(133_929));
    }

    #[test]
    fn declared_salary_needs_a_declaration() {
        let sys = system(PayBasis::DeclaredSalary { rate: money("22.50") });
        let mut ivy = declared(5, "Ivy", 1500, h(10), 21, 21);
        ivy.declared_year = None;
        let err = pay_month(&sys, 1, &no_kinds(), &[declared(1, "Eve", 1500, h(10), 21, 21), ivy]).unwrap_err();
        assert_eq!(err, PayError::NoDeclaration { member_id: 5, name: "Ivy".to_string() });
        assert!(err.to_string().starts_with("Ivy has no declared hours"), "{err}");
    }

    #[test]
    fn bonus_pool_tie_on_the_remainder_goes_to_the_lower_member_id() {
        let sys = PaySystem {
            basis: PayBasis::EqualHourly { rate: money("20.00"), internal_paid: false },
            bonus_pool: Some(BonusPool { amount: money("1000.01"), priorities: vec!["Website relaunch".to_string(), "Grant".to_string()] }),
            max_ratio: None,
        };
        // Minutes on the priorities: member 9 two hours, member 4 two hours (in two spellings),
        // member 2 one hour; member 6 only on other work. 100,001 cents x 120 / 300 = 40,000.4
        // for 4 and 9, x 60 / 300 = 20,000.2 for 2. Floors: 40,000 + 40,000 + 20,000 = 100,000;
        // the one cent left goes to the largest remainder, .4, tied between 4 and 9: to 4.
        let members = vec![
            member(9, "Nia", vec![work("Website relaunch", false, None, h(2))], Minutes::ZERO),
            member(6, "Ola", vec![work("Client", true, None, h(5))], Minutes::ZERO),
            member(4, "Pat", vec![work(" website RELAUNCH", true, None, h(1)), work("grant", false, None, h(1))], Minutes::ZERO),
            member(2, "Quin", vec![work("Grant", true, None, h(1))], Minutes::ZERO),
        ];
        let run = pay_month(&sys, 4, &no_kinds(), &members).unwrap();
        let bonus = |id: i64| {
            let pay = run.members.iter().find(|p| p.member_id == id).unwrap();
            pay.lines.iter().filter(|l| l.label.starts_with("Bonus pool")).map(|l| l.amount.cents()).sum::<i64>()
        };
        assert_eq!((bonus(2), bonus(4), bonus(6), bonus(9)), (20_000, 40_001, 0, 40_000));
        let pat = &run.members[1];
        assert_eq!(pat.lines.last().unwrap().label, "Bonus pool: 2.00 h of the 5.00 h worked on the priorities");
        // Pat's gross: 1 h billable at 20.00 = 2,000; the internal hour is unpaid; + 40,001.
        assert_eq!(pat.gross, Money(42_001));
        assert_eq!(
            run.bonus_note.as_deref(),
            Some("The bonus pool of 1000.01 is shared among 3 members in proportion to their 5.00 h on the current priorities (Website relaunch, Grant).")
        );
    }

    #[test]
    fn nobody_on_a_priority_pays_no_bonus_and_says_so() {
        let sys = PaySystem {
            basis: PayBasis::EqualHourly { rate: money("20.00"), internal_paid: true },
            bonus_pool: Some(BonusPool { amount: money("500.00"), priorities: vec!["Grant".to_string()] }),
            max_ratio: None,
        };
        let run = pay_month(&sys, 4, &no_kinds(), &[member(1, "Ola", vec![work("Client", true, None, h(5))], Minutes::ZERO)]).unwrap();
        // 5 h at 20.00 = 100.00 and nothing else.
        assert_eq!(run.total, money("100.00"));
        assert_eq!(run.members[0].lines.len(), 1);
        assert_eq!(run.bonus_note.as_deref(), Some("Nobody worked on the current priorities (Grant) this month, so the bonus pool of 500.00 is not paid."));
    }

    fn two_kinds(programming: &str, limit: &str) -> MonthPay {
        let kinds = BTreeMap::from([("programming".to_string(), money(programming))]);
        let sys = PaySystem {
            basis: PayBasis::ByKind { general_rate: money("25.00"), internal_paid: true },
            bonus_pool: None,
            max_ratio: Some(PayRatio::parse(limit).unwrap()),
        };
        let members = [
            member(1, "Tech", vec![work("Shop", true, Some("repair"), h(30))], Minutes::ZERO),
            member(2, "Dev", vec![work("Shop", true, Some("programming"), h(29))], h(1)),
        ];
        pay_month(&sys, 7, &kinds, &members).unwrap()
    }

    #[test]
    fn ratio_exactly_at_two_to_one_passes() {
        // Tech: 30 h x 25.00 = 750.00 -> 25.00 an hour. Dev: 29 h x 50.00 = 1,450.00 plus 1 h of
        // leave at the general 25.00 = 1,475.00 over 30 h = 49.1666 an hour: 1.97:1 of 2:1.
        let run = two_kinds("50.00", "2:1");
        assert_eq!(run.ratio.highest, Some((2, money("49.17"))));
        assert_eq!(run.ratio.lowest, Some((1, money("25.00"))));
        assert_eq!(run.ratio.ratio.as_deref(), Some("1.97:1"));
        assert!(run.ratio.within_limit);
        // Dev at 50.86: 29 x 50.86 = 1,474.94 + 25.00 = 1,499.94 over 30 h = 49.998 < 50.00: passes;
        // at 50.87: 1,475.23 + 25.00 = 1,500.23 > 1,500.00 = 2 x 750.00: fails, though both
        // ratios print as "2.00:1" -- the comparison is exact, not on the rounded text.
        let under = two_kinds("50.86", "2:1");
        assert!(under.ratio.within_limit);
        assert_eq!(under.ratio.ratio.as_deref(), Some("2.00:1"));
        let over = two_kinds("50.87", "2:1");
        assert!(!over.ratio.within_limit);
        assert_eq!(over.ratio.ratio.as_deref(), Some("2.00:1"));
        // Exactly at the limit: 30 h at 50.00 (1,500.00) against 30 h at 25.00 (750.00) is
        // 1,500.00 <= 2 x 750.00, exactly 2:1, and passes.
        let kinds = BTreeMap::from([("programming".to_string(), money("50.00"))]);
        let sys = PaySystem {
            basis: PayBasis::ByKind { general_rate: money("25.00"), internal_paid: true },
            bonus_pool: None,
            max_ratio: Some(PayRatio::parse("2:1").unwrap()),
        };
        let exact = pay_month(
            &sys,
            7,
            &kinds,
            &[member(1, "Tech", vec![work("Shop", true, None, h(30))], Minutes::ZERO), member(2, "Dev", vec![work("Shop", true, Some("Programming"), h(30))], Minutes::ZERO)],
        )
        .unwrap();
        assert_eq!(exact.ratio.ratio.as_deref(), Some("2.00:1"));
        assert!(exact.ratio.within_limit);
    }

    #[test]
    fn ratio_above_six_to_one_fails() {
        // Dev: 29 h x 160.00 = 4,640.00 + 25.00 leave = 4,665.00 over 30 h = 155.50 an hour;
        // Tech 25.00: 155.50 / 25.00 = 6.22:1 > 6:1 (4,665.00 > 6 x 750.00 = 4,500.00).
        let run = two_kinds("160.00", "6:1");
        assert_eq!(run.ratio.highest, Some((2, money("155.50"))));
        assert_eq!(run.ratio.ratio.as_deref(), Some("6.22:1"));
        assert_eq!(run.ratio.limit, Some(PayRatio::new(6, 1).unwrap()));
        assert!(!run.ratio.within_limit);
        // Without a limit the same pay is not judged.
        let kinds = BTreeMap::from([("programming".to_string(), money("160.00"))]);
        let sys = system(PayBasis::ByKind { general_rate: money("25.00"), internal_paid: true });
        let free = pay_month(&sys, 7, &kinds, &[member(1, "Tech", vec![work("Shop", true, None, h(30))], Minutes::ZERO)]).unwrap();
        assert!(free.ratio.within_limit && free.ratio.limit.is_none());
    }

    #[test]
    fn members_without_paid_time_are_left_out_of_the_ratio() {
        // Internal hours only, not paid: no paid time, so nobody to compare.
        let sys = PaySystem { max_ratio: Some(PayRatio::new(1, 1).unwrap()), ..system(PayBasis::EqualHourly { rate: money("25.00"), internal_paid: false }) };
        let run = pay_month(&sys, 1, &no_kinds(), &[member(1, "A", vec![work("Admin", false, None, h(3))], Minutes::ZERO)]).unwrap();
        assert_eq!(run.members[0].gross, Money(0));
        assert_eq!((run.ratio.highest, run.ratio.lowest, run.ratio.ratio.clone()), (None, None, None));
        assert!(run.ratio.within_limit);
        // Paid at rate 0: paid time but no pay; against someone paid, there is no finite ratio.
        let kinds = BTreeMap::from([("volunteer".to_string(), Money(0))]);
        let sys = PaySystem { max_ratio: Some(PayRatio::new(6, 1).unwrap()), ..system(PayBasis::ByKind { general_rate: money("25.00"), internal_paid: true }) };
        let members = [member(1, "A", vec![work("x", true, Some("volunteer"), h(3))], Minutes::ZERO), member(2, "B", vec![work("x", true, None, h(3))], Minutes::ZERO)];
        let run = pay_month(&sys, 1, &kinds, &members).unwrap();
        assert_eq!(run.ratio.lowest, Some((1, Money(0))));
        assert_eq!(run.ratio.ratio, None);
        assert!(!run.ratio.within_limit);
    }

    #[test]
    fn pay_ratio_text() {
        assert_eq!(PayRatio::parse("2:1").unwrap(), PayRatio::new(2, 1).unwrap());
        assert_eq!(PayRatio::parse(" 6 : 1 ").unwrap().to_string(), "6:1");
        assert_eq!(PayRatio::parse("4:2").unwrap().to_string(), "2:1");
        assert_eq!(PayRatio::parse("2.5:1").unwrap().to_string(), "5:2");
        assert_eq!(PayRatio::parse("1:1").unwrap().to_string(), "1:1");
        // Sides up to a billion once reduced; "2000000000:2" is 1000000000:1.
        assert_eq!(PayRatio::parse("2000000000:2").unwrap().to_string(), "1000000000:1");
        assert_eq!(PayRatio::new(1_000_000_001, 1), None);
        for bad in ["0:1", "1:0", "1:2", "0.5:1", "2", "2:1:1", "a:1", "-2:1", "2.:1", "1.234:1", "", "1000000001:1", "99999999999:1"] {
            assert_eq!(PayRatio::parse(bad), Err(PayError::BadRatio(bad.to_string())), "{bad:?}");
        }
    }

    #[test]
    fn pay_system_json() {
        let text = r#"{"basis":{"kind":"base_plus_hourly","base_hours":"20.00","rate":"25.00"},
                       "bonus_pool":{"amount":"1000.00","priorities":["Website relaunch"]},"max_ratio":"2:1"}"#;
        let sys = PaySystem::from_json(text).unwrap();
        assert_eq!(sys.basis, PayBasis::BasePlusHourly { base_hours: h(20), rate: money("25.00") });
        assert_eq!(sys.max_ratio, PayRatio::new(2, 1));
        assert_eq!(
            sys.to_json(),
            r#"{"basis":{"kind":"base_plus_hourly","base_hours":"20.00","rate":"25.00"},"bonus_pool":{"amount":"1000.00","priorities":["Website relaunch"]},"max_ratio":"2:1"}"#
        );
        assert_eq!(PaySystem::from_json(&sys.to_json()).unwrap(), sys);
        // Bonus pool and ratio are optional.
        let plain = PaySystem::from_json(r#"{"basis":{"kind":"declared_salary","rate":"22.50"}}"#).unwrap();
        assert_eq!(plain, system(PayBasis::DeclaredSalary { rate: money("22.50") }));
        assert_eq!(plain.to_json(), r#"{"basis":{"kind":"declared_salary","rate":"22.50"},"bonus_pool":null,"max_ratio":null}"#);
        // Refused: a negative rate, a misspelt key, a bad ratio, an unknown kind, a number for money.
        assert_eq!(
            PaySystem::from_json(r#"{"basis":{"kind":"equal_hourly","rate":"-1.00","internal_paid":true}}"#),
            Err(PayError::NegativeRate { what: "hourly rate".to_string(), rate: money("-1.00") })
        );
        for bad in [
            r#"{"basis":{"kind":"equal_hourly","rate":"25.00","internal_paid":true,"intrenal":1}}"#,
            r#"{"basis":{"kind":"equal_hourly","rate":"25.00","internal_paid":true},"max_ratio":"1:2"}"#,
            r#"{"basis":{"kind":"piece_rate","rate":"25.00"}}"#,
            r#"{"basis":{"kind":"declared_salary","rate":25}}"#,
            r#"{"basis":{"kind":"base_plus_hourly","base_hours":"-20","rate":"25.00"}}"#,
            r#"{"basis":{"kind":"declared_salary","rate":"22.50"},"bonus":null}"#,
        ] {
            assert!(matches!(PaySystem::from_json(bad), Err(PayError::BadJson(_))), "{bad}");
        }
        assert_eq!(
            PaySystem::from_json(r#"{"basis":{"kind":"equal_hourly","rate":"1.00","internal_paid":true},"bonus_pool":{"amount":"-5","priorities":[]}}"#),
            Err(PayError::NegativePool(money("-5.00")))
        );
    }

    #[test]
    fn the_month_serializes_with_money_and_hours_as_text() {
        let sys = PaySystem { max_ratio: PayRatio::new(2, 1), ..system(PayBasis::EqualHourly { rate: money("25.00"), internal_paid: false }) };
        let run = pay_month(&sys, 3, &no_kinds(), &ana_and_ben()).unwrap();
        let json = serde_json::to_value(&run).unwrap();
        assert_eq!(json["month"], 3);
        assert_eq!(json["total"], "515.42");
        assert_eq!(json["members"][0]["gross"], "512.50");
        assert_eq!(json["members"][0]["paid_minutes"], "20.50");
        assert_eq!(json["members"][0]["lines"][1]["rate"], serde_json::Value::Null);
        assert_eq!(json["members"][0]["lines"][2], serde_json::json!({"label":"Paid leave: 8.00 h at 25.00","minutes":"8.00","rate":"25.00","amount":"200.00"}));
        // Ana 512.50 / 20.50 h = 25.00; Ben 2.92 / (7/60 h) = 25.03: 1.00:1.
        assert_eq!(json["ratio"]["highest"], serde_json::json!({"member_id":2,"hourly":"25.03"}));
        assert_eq!(json["ratio"]["lowest"], serde_json::json!({"member_id":1,"hourly":"25.00"}));
        assert_eq!(json["ratio"]["ratio"], "1.00:1");
        assert_eq!(json["ratio"]["limit"], "2:1");
        assert_eq!(json["ratio"]["within_limit"], true);
        assert_eq!(json["bonus_note"], serde_json::Value::Null);
    }

    #[test]
    fn bad_months_and_members_are_refused() {
        let sys = system(PayBasis::EqualHourly { rate: money("25.00"), internal_paid: true });
        for month in [0, 13] {
            let err = pay_month(&sys, month, &no_kinds(), &[]).unwrap_err();
            assert_eq!(err, PayError::MonthOutOfRange(month));
            assert!(err.to_string().contains("from 1 (January) to 12"));
        }
        let mut over = member(1, "Ana", vec![], Minutes::ZERO);
        over.days_in_coop = 22;
        let err = pay_month(&sys, 1, &no_kinds(), &[over]).unwrap_err();
        assert!(matches!(err, PayError::DaysOverWorkingDays { member_id: 1, days_in_coop: 22, working_days: 21, .. }));
        assert!(err.to_string().starts_with("Ana is recorded as in the co-op for 22 working days"), "{err}");
        let twice = [member(3, "A", vec![], Minutes::ZERO), member(3, "B", vec![], Minutes::ZERO)];
        assert_eq!(pay_month(&sys, 1, &no_kinds(), &twice), Err(PayError::DuplicateMember(3)));
        let negative = member(1, "Ana", vec![work("p", true, None, Minutes(-5))], Minutes::ZERO);
        assert!(matches!(pay_month(&sys, 1, &no_kinds(), &[negative]), Err(PayError::NegativeMinutes { what: "hours worked", .. })));
        // A negative kind rate, and one kind given two rates, under rates by kind.
        let by_kind = system(PayBasis::ByKind { general_rate: money("25.00"), internal_paid: true });
        let negative_kind = BTreeMap::from([("design".to_string(), money("-1.00"))]);
        assert!(matches!(pay_month(&by_kind, 1, &negative_kind, &[]), Err(PayError::NegativeRate { .. })));
        let twice = BTreeMap::from([("Design".to_string(), money("30.00")), ("design".to_string(), money("40.00"))]);
        assert!(matches!(pay_month(&by_kind, 1, &twice, &[]), Err(PayError::ConflictingKindRate { .. })));
        // A salary cannot be pro-rated over a month with no working days.
        let salary = system(PayBasis::DeclaredSalary { rate: money("20.00") });
        let none = MemberMonth { declared_year: Some(h(1500)), days_in_coop: 0, working_days: 0, ..member(1, "Ana", vec![], Minutes::ZERO) };
        assert!(matches!(pay_month(&salary, 1, &no_kinds(), &[none]), Err(PayError::BadWorkingDays { working_days: 0, .. })));
    }
}
