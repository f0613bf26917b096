//! Year-end surplus, patronage allocations and internal capital accounts, to the cent.
//!
//! A worker co-op's net surplus is split first between the **collective reserve**, an
//! optional **community fund** and the **member pool**; the pool is then shared among the
//! members in proportion to their **patronage** (hours worked, wages paid, hours weighted by
//! kind of work, or a mix). Of each member's allocation a share is paid in **cash** and the
//! rest is **retained** in the member's internal capital account. A loss runs the same way in
//! reverse: the reserve absorbs a set share and the rest is charged to members by patronage.
//!
//! # Exactness
//!
//! Every amount is `i64` cents and every share is an exact [`Percent`]; no float is used.
//! Both splits (surplus into reserve / community / pool, and pool into members) go through the
//! one split function, [`crate::money::split_largest_remainder`]: largest remainder, ties to
//! the lowest index. Parts are ordered reserve, community, pool in the first split and by
//! member id in the second, so a tied leftover cent goes to the reserve before the pool and to
//! the lowest member id among members. Consequently:
//!
//! * `reserve + community + pool == surplus`, exactly;
//! * the member allocations sum to the pool, exactly;
//! * each member's cash is the cash share **rounded up** to the cent, so it is never below the
//!   policy share and less than one cent above it; `retained = allocation - cash`.
//!
//! # The rules in force
//!
//! The US rule that a *qualified* written notice of allocation needs at least 20% in cash,
//! paid by the 15th day of the ninth month after year end ([`payment_deadline`]), is applied
//! here; cash below 20% yields a non-qualified notice and a warning.
//!
//! Which hours count (for example only hours worked while in state member, unless
//! [`AllocationPolicy::counts_candidates`]) is decided by the application when it aggregates
//! [`MemberPatronage`]; this module works on the aggregates.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::money::{split_largest_remainder, Money};

/// Everything that can be wrong with a patronage computation, in words a treasurer can act on.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum PatronageError {
    #[error("{0:?} is not a percentage: write a number from 0 to 100 with at most 6 decimals, e.g. \"25\", \"25%\" or \"12.5\"")]
    BadPercent(String),
    #[error("the reserve ({reserve}%) and the community fund ({community}%) add up to more than 100% of the surplus: lower one of them")]
    SharesOverWhole { reserve: Percent, community: Percent },
    #[error("a mixed basis must add up to 100%: hours {hours}% + wages {wages}% does not; e.g. use hours 50% and wages 50%")]
    MixNotWhole { hours: Percent, wages: Percent },
    #[error("member {0} appears twice in the patronage list: aggregate each member's patronage into one row")]
    DuplicateMember(i64),
    #[error("member {member_id} has negative patronage ({what} = {value}): hours, weighted hours and wages cannot be below zero")]
    NegativePatronage { member_id: i64, what: &'static str, value: i64 },
    #[error("there is {} to share but no member has any patronage on this basis: record hours or wages for the year, or choose another basis", pool.to_decimal())]
    NoPatronage { pool: Money },
    #[error("the mixed basis gives weights too large to split exactly ({0} members): use the hours, wages or weighted basis, or a simpler mix such as 50/50")]
    MixTooLarge(usize),
    #[error("no instalment dates were given: give at least one date on which cash is paid")]
    NoInstalmentDates,
    #[error("instalment date {date} is after the payment deadline {deadline} (the 15th day of the ninth month after the year end): move it earlier")]
    InstalmentAfterDeadline { date: Date, deadline: Date },
    #[error("instalment date {date} is not after the fiscal year end {year_end}: cash is paid after the year closes")]
    InstalmentBeforeYearEnd { date: Date, year_end: Date },
}

/// `Result` with a [`PatronageError`].
pub type Result<T> = std::result::Result<T, PatronageError>;

// ---------------------------------------------------------------------------------------------
// Percent
// ---------------------------------------------------------------------------------------------

/// An exact share from 0% to 100%, kept in millionths of a percent (100% = 100,000,000 units).
///
/// Parsed from `"25"`, `"25%"`, `"12.5"` or `" 7.25 % "`; at most six decimals, never a float.
/// Basis points are the special case of two decimals ([`Percent::from_basis_points`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Percent(u64);

/// Units of a [`Percent`] in the whole (100%).
pub const PERCENT_UNITS: u64 = 100_000_000;
const UNITS_PER_PERCENT: u64 = 1_000_000;

impl Percent {
    pub const ZERO: Percent = Percent(0);
    pub const HUNDRED: Percent = Percent(PERCENT_UNITS);
    /// The US threshold for a qualified notice of allocation: 20% in cash.
    pub const QUALIFIED_CASH: Percent = Percent(20 * UNITS_PER_PERCENT);

    /// Parses `"25"`, `"25%"` or `"12.5"`: 0 to 100, at most six decimals.
    pub fn parse(s: &str) -> Result<Percent> {
        let err = || PatronageError::BadPercent(s.to_string());
        let t = s.trim();
        let t = t.strip_suffix('%').unwrap_or(t).trim_end();
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        if whole.is_empty()
            || whole.len() > 3
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || frac.len() > 6
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || (t.contains('.') && frac.is_empty())
        {
            return Err(err());
        }
        let whole: u64 = whole.parse().map_err(|_| err())?;
        let mut frac_units: u64 = 0;
        for (i, b) in frac.bytes().enumerate() {
            frac_units += u64::from(b - b'0') * 10u64.pow(5 - i as u32);
        }
        let units = whole * UNITS_PER_PERCENT + frac_units;
        if units > PERCENT_UNITS {
            return Err(err());
        }
        Ok(Percent(units))
    }

    /// A whole percent, e.g. `Percent::whole(25)` is 25%. `None` above 100.
    pub fn whole(pct: u32) -> Option<Percent> {
        Percent::from_units(u64::from(pct) * UNITS_PER_PERCENT)
    }

    /// Basis points: `Percent::from_basis_points(1250)` is 12.5%. `None` above 10,000.
    pub fn from_basis_points(bp: u32) -> Option<Percent> {
        Percent::from_units(u64::from(bp) * 10_000)
    }

    /// Millionths of a percent (see [`PERCENT_UNITS`]). `None` above 100%.
    pub fn from_units(units: u64) -> Option<Percent> {
        (units <= PERCENT_UNITS).then_some(Percent(units))
    }

    /// Millionths of a percent: the share is exactly `units() / PERCENT_UNITS` of the whole.
    pub fn units(self) -> u64 {
        self.0
    }

    /// What is left of the whole: `100% - self`.
    pub fn complement(self) -> Percent {
        Percent(PERCENT_UNITS - self.0)
    }

    /// This share of `cents`, rounded up (towards plus infinity) to the cent.
    pub fn of_ceil(self, cents: i64) -> i64 {
        let n = i128::from(cents) * i128::from(self.0);
        let d = i128::from(PERCENT_UNITS);
        // Floor division, then up by one when anything is left over.
        let q = n.div_euclid(d);
        let q = if n.rem_euclid(d) != 0 { q + 1 } else { q };
        q as i64 // |q| <= |cents|, so it fits.
    }
}

impl fmt::Display for Percent {
    /// The shortest exact decimal, without the `%` sign: `25`, `12.5`, `0.000001`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / UNITS_PER_PERCENT;
        let frac = self.0 % UNITS_PER_PERCENT;
        if frac == 0 {
            write!(f, "{whole}")
        } else {
            let digits = format!("{frac:06}");
            write!(f, "{whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

impl FromStr for Percent {
    type Err = PatronageError;
    fn from_str(s: &str) -> Result<Percent> {
        Percent::parse(s)
    }
}

impl Serialize for Percent {
    /// As the decimal string of [`Display`](fmt::Display) (`"12.5"`), so that it round-trips exactly.
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Percent {
    /// From a string (`"12.5"`, `"25%"`) or a whole number (`25`).
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Percent, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Whole(u64),
        }
        let text = match Raw::deserialize(d)? {
            Raw::Text(t) => t,
            Raw::Whole(n) => n.to_string(),
        };
        Percent::parse(&text).map_err(serde::de::Error::custom)
    }
}

// ---------------------------------------------------------------------------------------------
// Policy and inputs
// ---------------------------------------------------------------------------------------------

/// What a member's share of the pool is proportional to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Minutes worked.
    Hours,
    /// Wages paid, in cents.
    Wages,
    /// Minutes weighted by the patronage weight of each kind of work.
    Weighted,
    /// `hours` of the pool by minutes and `wages` of it by wages, combined exactly per member:
    /// `share_i = hours × minutes_i / Σminutes + wages × wages_i / Σwages`. The two must add
    /// up to 100%. If nobody has minutes (or nobody has wages) that half falls away and the
    /// other decides alone, with a warning.
    Mix { hours: Percent, wages: Percent },
}

/// The rules of one year's allocation, adopted before the year they govern.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationPolicy {
    /// Share of a surplus kept by the co-op, unallocated, in the collective reserve.
    pub reserve: Percent,
    /// Share of a surplus given to a community fund; 0% unless set.
    #[serde(default)]
    pub community: Percent,
    /// Share of each member's allocation paid in cash; the rest is retained.
    pub cash: Percent,
    pub basis: Basis,
    /// Whether hours worked as a candidate count. Applied by the application when it
    /// aggregates [`MemberPatronage`]; recorded here so the policy says it in one place.
    #[serde(default)]
    pub counts_candidates: bool,
    /// Share of a loss absorbed by the collective reserve; the rest is charged to members.
    pub loss_reserve_share: Percent,
}

impl AllocationPolicy {
    /// A policy with no community fund, candidates' hours not counted, and a loss absorbed by
    /// the reserve in the same share as a surplus is kept (as `coop patronage run --reserve`
    /// means for a negative surplus).
    pub fn new(reserve: Percent, cash: Percent, basis: Basis) -> AllocationPolicy {
        AllocationPolicy {
            reserve,
            community: Percent::ZERO,
            cash,
            basis,
            counts_candidates: false,
            loss_reserve_share: reserve,
        }
    }

    /// Refuses shares that do not fit in the whole.
    pub fn validate(&self) -> Result<()> {
        if self.reserve.units() + self.community.units() > PERCENT_UNITS {
            return Err(PatronageError::SharesOverWhole { reserve: self.reserve, community: self.community });
        }
        if let Basis::Mix { hours, wages } = self.basis {
            if hours.units() + wages.units() != PERCENT_UNITS {
                return Err(PatronageError::MixNotWhole { hours, wages });
            }
        }
        Ok(())
    }

    /// Qualified when at least 20% of each allocation is paid in cash.
    pub fn notice(&self) -> Notice {
        if self.cash >= Percent::QUALIFIED_CASH {
            Notice::Qualified
        } else {
            Notice::NonQualified
        }
    }
}

/// One member's patronage for the year, aggregated by the application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberPatronage {
    pub member_id: i64,
    pub email: String,
    /// Minutes worked (that count under the policy).
    pub minutes: i64,
    /// Minutes × the patronage weight of each kind of work, already summed.
    pub weighted_minutes: i64,
    /// Wages paid, in cents.
    pub wages_cents: i64,
}

// ---------------------------------------------------------------------------------------------
// The allocation
// ---------------------------------------------------------------------------------------------

/// The kind of written notice of allocation the year's notices are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Notice {
    /// At least 20% paid in cash.
    Qualified,
    /// Less than 20% in cash, or a loss year (nothing is paid).
    NonQualified,
}

/// One member's result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberAllocation {
    pub member_id: i64,
    pub email: String,
    /// The patronage the allocation is based on, for people: hours as `"1234.50"` (hours and
    /// weighted bases), wages as `"52000.00"`, a mix as `"1234.50 h + 52000.00"`.
    pub patronage: String,
    /// Share of the pool; negative in a loss year.
    pub allocation_cents: i64,
    /// Paid in cash (0 in a loss year).
    pub cash_cents: i64,
    /// Credited (or, negative, charged) to the member's capital account.
    pub retained_cents: i64,
}

/// A year's allocation; serialises to the keys of `coop patronage run --json` (the
/// application adds `"year"`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    pub surplus_cents: i64,
    pub reserve_cents: i64,
    pub community_cents: i64,
    pub pool_cents: i64,
    pub notice: Notice,
    pub warnings: Vec<String>,
    /// Ordered by member id.
    pub members: Vec<MemberAllocation>,
}

impl Allocation {
    /// Total cash to pay out (to be split into instalments).
    pub fn cash_total(&self) -> i64 {
        self.members.iter().map(|m| m.cash_cents).sum()
    }

    /// Total credited (or charged) to member capital accounts.
    pub fn retained_total(&self) -> i64 {
        self.members.iter().map(|m| m.retained_cents).sum()
    }
}

/// Splits a year's surplus (or loss) by `policy` among `members`.
///
/// *Surplus* (`surplus_cents >= 0`): `[reserve, community, pool]` =
/// `split_largest_remainder(surplus, [reserve%, community%, 100% - both])`; the pool is split
/// by patronage with members in member-id order; each member's cash is
/// [`Percent::of_ceil`] of the allocation; retained is the rest.
///
/// *Loss* (`surplus_cents < 0`): `[reserve, 0, pool]` = `split_largest_remainder(loss,
/// [loss_reserve_share, 0, rest])`; the (negative) pool is charged to members by patronage
/// (a leftover cent of loss goes by the same rule: largest remainder, lowest id); no cash is
/// paid and the whole charge is retained (debited to the capital account); the notice is
/// [`Notice::NonQualified`].
///
/// Members with no patronage get 0. A non-zero pool with nobody to share it is an error.
pub fn allocate(surplus_cents: i64, policy: &AllocationPolicy, members: &[MemberPatronage]) -> Result<Allocation> {
    policy.validate()?;
    let mut order: Vec<&MemberPatronage> = members.iter().collect();
    order.sort_by_key(|m| m.member_id);
    for pair in order.windows(2) {
        if pair[0].member_id == pair[1].member_id {
            return Err(PatronageError::DuplicateMember(pair[0].member_id));
        }
    }
    for m in &order {
        for (what, value) in [("minutes", m.minutes), ("weighted minutes", m.weighted_minutes), ("wages", m.wages_cents)] {
            if value < 0 {
                return Err(PatronageError::NegativePatronage { member_id: m.member_id, what, value });
            }
        }
    }

    let loss = surplus_cents < 0;
    let mut warnings = Vec::new();
    let first_weights: [u64; 3] = if loss {
        [policy.loss_reserve_share.units(), 0, policy.loss_reserve_share.complement().units()]
    } else {
        let kept = policy.reserve.units() + policy.community.units();
        [policy.reserve.units(), policy.community.units(), PERCENT_UNITS - kept]
    };
    // The weights sum to 100% > 0, so the split always exists.
    let first = split_largest_remainder(surplus_cents, &first_weights).expect("the shares sum to 100%");
    let (reserve_cents, community_cents, pool_cents) = (first[0], first[1], first[2]);

    let weights = patronage_weights(policy.basis, &order, &mut warnings)?;
    let shares = if pool_cents == 0 {
        vec![0; order.len()]
    } else {
        split_largest_remainder(pool_cents, &weights).ok_or(PatronageError::NoPatronage { pool: Money(pool_cents) })?
    };

    let notice = if loss { Notice::NonQualified } else { policy.notice() };
    if loss {
        warnings.push(format!(
            "a loss year: the reserve absorbs {} and {} is charged to member accounts by patronage; no cash is paid",
            Money(reserve_cents).to_decimal(),
            Money(pool_cents).to_decimal()
        ));
    } else if notice == Notice::NonQualified {
        warnings.push(format!(
            "the cash share is {}%, below the 20% a qualified notice of allocation needs: the notices are non-qualified",
            policy.cash
        ));
    }

    let members = order
        .iter()
        .zip(shares)
        .map(|(m, allocation_cents)| {
            let cash_cents = if loss { 0 } else { policy.cash.of_ceil(allocation_cents) };
            MemberAllocation {
                member_id: m.member_id,
                email: m.email.clone(),
                patronage: patronage_text(policy.basis, m),
                allocation_cents,
                cash_cents,
                retained_cents: allocation_cents - cash_cents,
            }
        })
        .collect();

    Ok(Allocation { surplus_cents, reserve_cents, community_cents, pool_cents, notice, warnings, members })
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Each member's weight, in member-id order. For a mix the exact rational shares are brought to
/// the common denominator `Σminutes × Σwages × 100%` in u128, reduced by their gcd, and must
/// then fit the u64 weights of the split (an error says so otherwise: never silently inexact).
fn patronage_weights(basis: Basis, order: &[&MemberPatronage], warnings: &mut Vec<String>) -> Result<Vec<u64>> {
    // Inputs were checked non-negative, so the casts are exact.
    let plain = |f: fn(&MemberPatronage) -> i64| order.iter().map(|m| f(m) as u64).collect::<Vec<u64>>();
    match basis {
        Basis::Hours => Ok(plain(|m| m.minutes)),
        Basis::Wages => Ok(plain(|m| m.wages_cents)),
        Basis::Weighted => Ok(plain(|m| m.weighted_minutes)),
        Basis::Mix { hours, wages } => {
            let total_minutes: u128 = order.iter().map(|m| m.minutes as u128).sum();
            let total_wages: u128 = order.iter().map(|m| m.wages_cents as u128).sum();
            if total_minutes == 0 || total_wages == 0 {
                let (used, dropped) = if total_minutes == 0 { ("wages", "hours") } else { ("hours", "wages") };
                if total_minutes != 0 || total_wages != 0 {
                    warnings.push(format!("nobody has any {dropped} this year: the pool is shared by {used} alone"));
                }
                return Ok(if total_minutes == 0 { plain(|m| m.wages_cents) } else { plain(|m| m.minutes) });
            }
            // share_i × (M × G × 100%) = h × G × m_i + w × M × g_i
            let a = u128::from(hours.units()) * total_wages;
            let b = u128::from(wages.units()) * total_minutes;
            let g = gcd(a, b);
            let (a, b) = (a / g, b / g);
            let too_large = || PatronageError::MixTooLarge(order.len());
            let mut wide = Vec::with_capacity(order.len());
            for m in order {
                let x = a.checked_mul(m.minutes as u128).ok_or_else(too_large)?;
                let y = b.checked_mul(m.wages_cents as u128).ok_or_else(too_large)?;
                wide.push(x.checked_add(y).ok_or_else(too_large)?);
            }
            let common = wide.iter().fold(0u128, |acc, &w| gcd(acc, w));
            let common = common.max(1);
            wide.iter().map(|&w| u64::try_from(w / common).map_err(|_| too_large())).collect()
        }
    }
}

/// Minutes as hours with two decimals, rounded to the nearest hundredth (`74070` -> `"1234.50"`).
pub fn hours_text(minutes: i64) -> String {
    // hundredths = minutes × 100 / 60 = minutes × 5 / 3; the remainder is a third or two, never a tie.
    let sign = if minutes < 0 { "-" } else { "" };
    let m = minutes.unsigned_abs() as u128;
    let hundredths = (m * 5 + 1) / 3;
    format!("{sign}{}.{:02}", hundredths / 100, hundredths % 100)
}

fn patronage_text(basis: Basis, m: &MemberPatronage) -> String {
    match basis {
        Basis::Hours => hours_text(m.minutes),
        Basis::Weighted => hours_text(m.weighted_minutes),
        Basis::Wages => Money(m.wages_cents).to_decimal(),
        Basis::Mix { .. } => format!("{} h + {}", hours_text(m.minutes), Money(m.wages_cents).to_decimal()),
    }
}

// ---------------------------------------------------------------------------------------------
// Cash instalments
// ---------------------------------------------------------------------------------------------

/// Splits `total_cents` into equal instalments on `dates` (largest remainder: the odd cents go
/// to the earliest-listed dates). Empty `dates` give an empty plan; see [`plan_instalments`]
/// for the checked version.
pub fn instalments(total_cents: i64, dates: &[Date]) -> Vec<(Date, i64)> {
    match split_largest_remainder(total_cents, &vec![1; dates.len()]) {
        Some(parts) => dates.iter().copied().zip(parts).collect(),
        None => Vec::new(),
    }
}

/// The last day on which a qualified allocation's cash may be paid: the 15th day of the ninth
/// month after the fiscal year end (8½ months after a year ending on the last of a month).
/// A year ending 2024-12-31 gives 2025-09-15; one ending 2025-06-30 gives 2026-03-15.
pub fn payment_deadline(fiscal_year_end: Date) -> Date {
    let months = i32::from(fiscal_year_end.year()) * 12 + i32::from(fiscal_year_end.month()) - 1 + 9;
    let (year, month) = (months.div_euclid(12), months.rem_euclid(12) + 1);
    i16::try_from(year)
        .ok()
        .and_then(|y| Date::new(y, month as i8, 15).ok())
        .unwrap_or(Date::MAX)
}

/// [`instalments`] after checking the dates: at least one, each after the year end and none
/// after the [`payment_deadline`]. The plan is returned in date order.
pub fn plan_instalments(total_cents: i64, dates: &[Date], fiscal_year_end: Date) -> Result<Vec<(Date, i64)>> {
    if dates.is_empty() {
        return Err(PatronageError::NoInstalmentDates);
    }
    let deadline = payment_deadline(fiscal_year_end);
    let mut sorted = dates.to_vec();
    sorted.sort();
    for &date in &sorted {
        if date <= fiscal_year_end {
            return Err(PatronageError::InstalmentBeforeYearEnd { date, year_end: fiscal_year_end });
        }
        if date > deadline {
            return Err(PatronageError::InstalmentAfterDeadline { date, deadline });
        }
    }
    Ok(instalments(total_cents, &sorted))
}

// ---------------------------------------------------------------------------------------------
// Internal capital accounts
// ---------------------------------------------------------------------------------------------

/// Simple interest on `balance_cents` at the yearly `rate` for `days` of a `year_days`-day year:
/// `balance × rate × days / year_days`, **rounded half to even** to the cent (a half cent goes to
/// the even neighbour, so neither the co-op nor the members gain on ties over many accounts).
/// Symmetric for a negative balance. `year_days == 0` gives 0.
pub fn interest(balance_cents: i64, rate: Percent, days: u32, year_days: u32) -> i64 {
    if year_days == 0 {
        return 0;
    }
    let n = i128::from(balance_cents).unsigned_abs() * u128::from(rate.units()) * u128::from(days);
    let d = u128::from(PERCENT_UNITS) * u128::from(year_days);
    let (q, r) = (n / d, n % d);
    let q = match (2 * r).cmp(&d) {
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal if q % 2 == 1 => q + 1,
        _ => q,
    };
    let q = i64::try_from(q).unwrap_or(i64::MAX);
    if balance_cents < 0 { -q } else { q }
}

/// One instalment of a departing member's repayment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepaymentRow {
    pub principal_cents: i64,
    pub interest_cents: i64,
    pub payment_cents: i64,
    /// Still owed after this payment.
    pub balance_after_cents: i64,
}

/// A balance repaid over `years` in `instalments_per_year` instalments a year: equal principal
/// (split by largest remainder, odd cents first) plus interest on the outstanding balance for
/// the period, `interest(outstanding, rate, 1, instalments_per_year)`. The payments sum exactly
/// to the balance plus the sum of the interest rows. No instalments (0 years or 0 a year)
/// gives an empty plan.
pub fn repayment_plan(balance_cents: i64, years: u32, instalments_per_year: u32, rate: Percent) -> Vec<RepaymentRow> {
    let n = years as usize * instalments_per_year as usize;
    let Some(principal) = split_largest_remainder(balance_cents, &vec![1; n]) else {
        return Vec::new();
    };
    let mut outstanding = balance_cents;
    principal
        .into_iter()
        .map(|principal_cents| {
            let interest_cents = interest(outstanding, rate, 1, instalments_per_year);
            outstanding -= principal_cents;
            RepaymentRow {
                principal_cents,
                interest_cents,
                payment_cents: principal_cents + interest_cents,
                balance_after_cents: outstanding,
            }
        })
        .collect()
}

/// The payments of [`repayment_plan`].
pub fn repayment_schedule(balance_cents: i64, years: u32, instalments_per_year: u32, rate: Percent) -> Vec<i64> {
    repayment_plan(balance_cents, years, instalments_per_year, rate).into_iter().map(|r| r.payment_cents).collect()
}

/// What the revolving fund may redeem in `current_year`: the sum of the retained amounts of
/// every year at least `after_years` old (`year + after_years <= current_year`), net of losses
/// charged in those years, never below zero. `allocations` are (fiscal year, cents still held
/// for that year), i.e. already net of earlier redemptions.
pub fn redeemable(allocations: &[(i32, i64)], current_year: i32, after_years: u32) -> i64 {
    let total: i128 = allocations
        .iter()
        .filter(|(year, _)| i64::from(*year) + i64::from(after_years) <= i64::from(current_year))
        .map(|&(_, cents)| i128::from(cents))
        .sum();
    total.clamp(0, i128::from(i64::MAX)) as i64
}

/// The solvency guard: a redemption is allowed only if the reserve left after it is still at
/// least `min_reserve_cents`.
pub fn solvency_ok(reserve_cents: i64, redemption_cents: i64, min_reserve_cents: i64) -> bool {
    i128::from(reserve_cents) - i128::from(redemption_cents) >= i128::from(min_reserve_cents)
}

// ---------------------------------------------------------------------------------------------
// Year-end rules used by the application
// ---------------------------------------------------------------------------------------------

/// Weighted patronage as the application aggregates it: minutes × weight in hundredths
/// (`category_rates.weight_hundredths`), so that a weight of 1.5 on one minute stays exact.
/// Shown as weighted hours to the hundredth: `9_000_000` (1500 h × 1.00) -> `"1500.00"`.
pub fn weighted_hours_text(minute_hundredths: i64) -> String {
    // hundredths of an hour = minute_hundredths / 60, rounded half up (the rest is never negative here).
    let sign = if minute_hundredths < 0 { "-" } else { "" };
    let m = minute_hundredths.unsigned_abs() as u128;
    let hundredths = (m + 30) / 60;
    format!("{sign}{}.{:02}", hundredths / 100, hundredths % 100)
}

/// The dates a policy's instalments fall on for a year ending `year_end`: each `(month, day)`
/// is its first occurrence after the year end, returned in date order. `None` names the first
/// pair that is not a real day of the year (29 February is refused: it is not in every year).
pub fn instalment_dates(year_end: Date, month_days: &[(i8, i8)]) -> std::result::Result<Vec<Date>, (i8, i8)> {
    let mut out = Vec::with_capacity(month_days.len());
    for &(month, day) in month_days {
        if month == 2 && day == 29 {
            return Err((month, day));
        }
        let this_year = Date::new(year_end.year(), month, day).map_err(|_| (month, day))?;
        let date = if this_year > year_end { this_year } else { Date::new(year_end.year() + 1, month, day).map_err(|_| (month, day))? };
        out.push(date);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Interest for the period `from..=to` on an account whose balance is `opening` on `from` and
/// then moves by `movements` (date, cents): each balance earns for the days it is held, a
/// movement dated `d` counting from the day after `d` (so one dated on `to` earns nothing),
/// and the exact sum of balance × days is rounded once, half to even ([`interest`]), over a
/// year of `year_days` days. Movements outside the period are ignored.
pub fn interest_on_balances(opening: i64, movements: &[(Date, i64)], from: Date, to: Date, rate: Percent, year_days: u32) -> i64 {
    if to < from {
        return 0;
    }
    let day = |d: Date| i64::from(d.since(from).map(|s| s.get_days()).unwrap_or(0));
    // Σ balance × days, as balance-days: the opening balance for every day of the period
    // (from the day after `from - 1`, i.e. all `to - from + 1` days), each movement for the
    // days after it.
    let total_days = day(to) + 1;
    let mut balance_days: i128 = i128::from(opening) * i128::from(total_days);
    for &(date, cents) in movements {
        if date < from || date > to {
            continue;
        }
        balance_days += i128::from(cents) * i128::from(day(to) - day(date));
    }
    let clamped = balance_days.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
    interest(clamped, rate, 1, year_days)
}

/// The figure for box 1 of form 1099-PATR ("patronage dividends") on a member's notice: the
/// whole allocation when the notice is qualified (cash plus the stated amount of the qualified
/// written notice), only the cash when it is not (a non-qualified notice is reported when it is
/// redeemed), and nothing for a loss.
pub fn form_1099_patr_box1(notice: Notice, allocation_cents: i64, cash_cents: i64) -> i64 {
    if allocation_cents <= 0 {
        return 0;
    }
    match notice {
        Notice::Qualified => allocation_cents,
        Notice::NonQualified => cash_cents.max(0),
    }
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn pct(s: &str) -> Percent {
        Percent::parse(s).unwrap()
    }

    fn member(id: i64, minutes: i64, weighted: i64, wages: i64) -> MemberPatronage {
        MemberPatronage { member_id: id, email: format!("m{id}@coop.test"), minutes, weighted_minutes: weighted, wages_cents: wages }
    }

    /// (id, allocation, cash, retained) of each member.
    fn rows(a: &Allocation) -> Vec<(i64, i64, i64, i64)> {
        a.members.iter().map(|m| (m.member_id, m.allocation_cents, m.cash_cents, m.retained_cents)).collect()
    }

    #[test]
    fn percent_parses_exactly() {
        assert_eq!(pct("25"), Percent::whole(25).unwrap());
        assert_eq!(pct("25%"), Percent::whole(25).unwrap());
        assert_eq!(pct(" 12.5 % "), Percent::from_basis_points(1250).unwrap());
        assert_eq!(pct("0.000001").units(), 1);
        assert_eq!(pct("100"), Percent::HUNDRED);
        assert_eq!(pct("12.5").to_string(), "12.5");
        assert_eq!(pct("7.250").to_string(), "7.25");
        for bad in ["", "%", "-5", "100.01", "101", "1.2345678", "12.", ".5", "1,5", "abc", "0x10"] {
            assert!(Percent::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert_eq!(serde_json::to_string(&pct("12.5")).unwrap(), "\"12.5\"");
        assert_eq!(serde_json::from_str::<Percent>("\"25%\"").unwrap(), pct("25"));
        assert_eq!(serde_json::from_str::<Percent>("30").unwrap(), pct("30"));
    }

    #[test]
    fn seventy_five_to_members_by_hours_paid_in_three_instalments() {
        // Design Action: 25% kept, 75% to members by hours, all of it paid in cash by instalments.
        let policy = AllocationPolicy::new(pct("25"), pct("100"), Basis::Hours);
        // 1000 h, 800 h, 600 h.
        let members = [member(1, 60_000, 0, 0), member(2, 48_000, 0, 0), member(3, 36_000, 0, 0)];
        let a = allocate(1_000_001, &policy, &members).unwrap();
        // 10,000.01 x 25% = 2,500.0025 -> 250000 (rem .25); x 75% = 7,500.0075 -> 750000 (rem .75);
        // one cent left -> the pool (larger remainder): reserve 250000, pool 750001.
        assert_eq!((a.reserve_cents, a.community_cents, a.pool_cents), (250_000, 0, 750_001));
        // 750001 x 60000/144000 = 312500.4166 -> 312500 r .4167
        // 750001 x 48000/144000 = 250000.3333 -> 250000 r .3333
        // 750001 x 36000/144000 = 187500.25   -> 187500 r .25
        // floors 750000, one cent left -> member 1 (largest remainder).
        assert_eq!(rows(&a), vec![(1, 312_501, 312_501, 0), (2, 250_000, 250_000, 0), (3, 187_500, 187_500, 0)]);
        assert_eq!(a.notice, Notice::Qualified);
        assert!(a.warnings.is_empty());
        assert_eq!(a.members[0].patronage, "1000.00");

        // Paid in three instalments, all within 8½ months of 2024-12-31 (deadline 2025-09-15).
        let year_end = date(2024, 12, 31);
        let dates = [date(2025, 3, 15), date(2025, 6, 15), date(2025, 9, 15)];
        // Total cash 750001 / 3 = 250000.33 each -> floors 750000, the odd cent to the first date.
        assert_eq!(
            plan_instalments(a.cash_total(), &dates, year_end).unwrap(),
            vec![(dates[0], 250_001), (dates[1], 250_000), (dates[2], 250_000)]
        );
        // Member 1: 312501 / 3 = 104167 exactly; member 2: 250000 / 3 = 83333.33 -> 83334, 83333, 83333.
        assert_eq!(instalments(312_501, &dates).iter().map(|p| p.1).collect::<Vec<_>>(), vec![104_167; 3]);
        assert_eq!(instalments(250_000, &dates).iter().map(|p| p.1).collect::<Vec<_>>(), vec![83_334, 83_333, 83_333]);
        // A date past the deadline is refused; so is one inside the year.
        assert_eq!(
            plan_instalments(a.cash_total(), &[date(2025, 3, 15), date(2025, 9, 16)], year_end),
            Err(PatronageError::InstalmentAfterDeadline { date: date(2025, 9, 16), deadline: date(2025, 9, 15) })
        );
        assert!(matches!(
            plan_instalments(1, &[date(2024, 12, 31)], year_end),
            Err(PatronageError::InstalmentBeforeYearEnd { .. })
        ));
        assert_eq!(plan_instalments(1, &[], year_end), Err(PatronageError::NoInstalmentDates));
    }

    #[test]
    fn payment_deadline_is_the_fifteenth_of_the_ninth_month_after() {
        assert_eq!(payment_deadline(date(2024, 12, 31)), date(2025, 9, 15));
        assert_eq!(payment_deadline(date(2025, 6, 30)), date(2026, 3, 15));
        assert_eq!(payment_deadline(date(2025, 3, 31)), date(2025, 12, 15));
        assert_eq!(payment_deadline(date(2025, 4, 30)), date(2026, 1, 15));
    }

    #[test]
    fn fifty_fifty_by_wages_with_twenty_percent_cash_and_losses_to_the_reserve() {
        let mut policy = AllocationPolicy::new(pct("50"), pct("20"), Basis::Wages);
        policy.loss_reserve_share = pct("100");
        // Wages 40,000 / 30,000 / 10,000: shares 1/2, 3/8, 1/8.
        let members = [member(10, 0, 0, 4_000_000), member(20, 0, 0, 3_000_000), member(30, 0, 0, 1_000_000)];
        let a = allocate(1_234_567, &policy, &members).unwrap();
        // 1234567 / 2 = 617283.5 each: the tied cent goes to the lowest index, the reserve.
        assert_eq!((a.reserve_cents, a.pool_cents), (617_284, 617_283));
        // 617283 x 1/2 = 308641.5   -> 308641 r .5
        // 617283 x 3/8 = 231481.125 -> 231481 r .125
        // 617283 x 1/8 = 77160.375  -> 77160  r .375   floors 617282, one cent -> member 10.
        // cash 20%: 308642 x .2 = 61728.4 -> 61729 (up); 231481 x .2 = 46296.2 -> 46297; 77160 x .2 = 15432.
        assert_eq!(
            rows(&a),
            vec![(10, 308_642, 61_729, 246_913), (20, 231_481, 46_297, 185_184), (30, 77_160, 15_432, 61_728)]
        );
        assert_eq!(a.notice, Notice::Qualified);
        assert_eq!(a.members[0].patronage, "40000.00");

        // The next year a loss of 5,000.00, absorbed entirely by the reserve: nobody is charged.
        let l = allocate(-500_000, &policy, &members).unwrap();
        assert_eq!((l.reserve_cents, l.community_cents, l.pool_cents), (-500_000, 0, 0));
        assert_eq!(rows(&l), vec![(10, 0, 0, 0), (20, 0, 0, 0), (30, 0, 0, 0)]);
        assert_eq!(l.notice, Notice::NonQualified);
    }

    #[test]
    fn mondragon_45_45_10_with_seven_percent_interest() {
        let mut policy = AllocationPolicy::new(pct("45"), pct("30"), Basis::Weighted);
        policy.community = pct("10");
        // Weighted minutes 90000 (1500 h) and 60000 (1000 h): shares 3/5 and 2/5.
        let members = [member(1, 80_000, 90_000, 0), member(2, 60_000, 60_000, 0)];
        let a = allocate(1_000_003, &policy, &members).unwrap();
        // 1000003 x 45% = 450001.35 -> 450001 r .35; x 10% = 100000.3 -> 100000 r .3;
        // x 45% = 450001.35 -> 450001 r .35; one cent left, tie .35 between reserve and pool -> reserve.
        assert_eq!((a.reserve_cents, a.community_cents, a.pool_cents), (450_002, 100_000, 450_001));
        // 450001 x 3/5 = 270000.6 -> 270000 r .6; x 2/5 = 180000.4 -> 180000 r .4; cent -> member 1.
        // cash 30%: 270001 x .3 = 81000.3 -> 81001, retained 189000; 180000 x .3 = 54000, retained 126000.
        assert_eq!(rows(&a), vec![(1, 270_001, 81_001, 189_000), (2, 180_000, 54_000, 126_000)]);
        assert_eq!(a.members[0].patronage, "1500.00");
        // 7% a year on the retained balances: 189000 x .07 = 13230; 126000 x .07 = 8820.
        assert_eq!(interest(189_000, pct("7"), 365, 365), 13_230);
        assert_eq!(interest(126_000, pct("7"), 365, 365), 8_820);
        // Part of a year: 189000 x .07 x 181/365 = 2394630/365 = 6560.63 -> 6561.
        assert_eq!(interest(189_000, pct("7"), 181, 365), 6_561);
        // Half to even: 10 x 5% = 0.5 -> 0; 30 x 5% = 1.5 -> 2; -30 x 5% = -1.5 -> -2.
        assert_eq!(interest(10, pct("5"), 1, 1), 0);
        assert_eq!(interest(30, pct("5"), 1, 1), 2);
        assert_eq!(interest(-30, pct("5"), 1, 1), -2);
    }

    #[test]
    fn a_loss_year_charged_to_members_with_thirty_percent_absorbed() {
        let mut policy = AllocationPolicy::new(pct("25"), pct("50"), Basis::Hours);
        policy.loss_reserve_share = pct("30");
        // 1000 h, 500 h, and a member with no hours.
        let members = [member(1, 60_000, 0, 0), member(2, 30_000, 0, 0), member(3, 0, 0, 0)];
        let a = allocate(-1_000_001, &policy, &members).unwrap();
        // |loss| 1000001 x 30% = 300000.3 -> 300000 r .3; x 70% = 700000.7 -> 700000 r .7 -> the cent to the pool.
        assert_eq!((a.reserve_cents, a.community_cents, a.pool_cents), (-300_000, 0, -700_001));
        // 700001 x 2/3 = 466667.33 -> 466667 r .33; x 1/3 = 233333.67 -> 233333 r .67 -> the cent to member 2.
        // No cash in a loss year: the whole charge is retained (debited).
        assert_eq!(rows(&a), vec![(1, -466_667, 0, -466_667), (2, -233_334, 0, -233_334), (3, 0, 0, 0)]);
        assert_eq!(a.notice, Notice::NonQualified);
        assert_eq!(a.warnings.len(), 1);
        assert_eq!(a.reserve_cents + a.pool_cents, -1_000_001);
    }

    #[test]
    fn a_member_who_joined_mid_year() {
        let policy = AllocationPolicy::new(pct("20"), pct("25"), Basis::Hours);
        // Member 2 joined on 1 July: 1000 h against 2000 h and 1500 h for the full year.
        let members = [member(1, 120_000, 0, 0), member(2, 60_000, 0, 0), member(3, 90_000, 0, 0)];
        let a = allocate(500_000, &policy, &members).unwrap();
        assert_eq!((a.reserve_cents, a.pool_cents), (100_000, 400_000));
        // 400000 x 4/9 = 177777.78 -> 177777 r .78
        // 400000 x 2/9 =  88888.89 ->  88888 r .89
        // 400000 x 3/9 = 133333.33 -> 133333 r .33   floors 399998: cents to member 2, then member 1.
        // cash 25%: 177778 x .25 = 44444.5 -> 44445; 88889 x .25 = 22222.25 -> 22223; 133333 x .25 = 33333.25 -> 33334.
        assert_eq!(
            rows(&a),
            vec![(1, 177_778, 44_445, 133_333), (2, 88_889, 22_223, 66_666), (3, 133_333, 33_334, 99_999)]
        );
    }

    #[test]
    fn an_exact_tie_on_the_remainder_goes_to_the_lowest_member_id() {
        let policy = AllocationPolicy::new(pct("0"), pct("20"), Basis::Hours);
        // Given out of order; equal hours: 100 / 3 = 33.33 each, the odd cent to member 3.
        let members = [member(7, 100, 0, 0), member(3, 100, 0, 0), member(5, 100, 0, 0)];
        let a = allocate(100, &policy, &members).unwrap();
        // cash 20%: 34 x .2 = 6.8 -> 7; 33 x .2 = 6.6 -> 7.
        assert_eq!(rows(&a), vec![(3, 34, 7, 27), (5, 33, 7, 26), (7, 33, 7, 26)]);
        // Unequal weights, equal remainders: 2 cents by 1:3 = 0.5 and 1.5 -> both r .5 -> member 4.
        let b = allocate(2, &policy, &[member(9, 3, 0, 0), member(4, 1, 0, 0)]).unwrap();
        assert_eq!(b.members.iter().map(|m| (m.member_id, m.allocation_cents)).collect::<Vec<_>>(), vec![(4, 1), (9, 1)]);
    }

    #[test]
    fn a_mixed_basis_is_exact() {
        // A: 60 of 80 minutes, 10.00 of 40.00 wages; B: 20 minutes, 30.00 wages.
        let members = [member(1, 60, 0, 1_000), member(2, 20, 0, 3_000)];
        // 50/50: A = .5 x 3/4 + .5 x 1/4 = 1/2, B = 1/2; 101 cents -> 50.5 each, tie -> member 1.
        let half = AllocationPolicy::new(pct("0"), pct("100"), Basis::Mix { hours: pct("50"), wages: pct("50") });
        let a = allocate(101, &half, &members).unwrap();
        assert_eq!(rows(&a), vec![(1, 51, 51, 0), (2, 50, 50, 0)]);
        assert_eq!(a.members[0].patronage, "1.00 h + 10.00");
        // 25/75: A = .25 x 3/4 + .75 x 1/4 = 3/8, B = 5/8; 1001 -> 375.375 and 625.625 -> B gets the cent.
        let quarter = AllocationPolicy::new(pct("0"), pct("100"), Basis::Mix { hours: pct("25"), wages: pct("75") });
        let b = allocate(1_001, &quarter, &members).unwrap();
        assert_eq!(rows(&b), vec![(1, 375, 375, 0), (2, 626, 626, 0)]);
        // Nobody has wages: hours alone, with a warning. 60:20 of 100 = 75, 25.
        let c = allocate(100, &half, &[member(1, 60, 0, 0), member(2, 20, 0, 0)]).unwrap();
        assert_eq!(rows(&c), vec![(1, 75, 75, 0), (2, 25, 25, 0)]);
        assert_eq!(c.warnings.len(), 1);
    }

    #[test]
    fn below_twenty_percent_cash_is_non_qualified_with_a_warning() {
        let policy = AllocationPolicy::new(pct("25"), pct("10"), Basis::Hours);
        let a = allocate(10_000, &policy, &[member(1, 60, 0, 0)]).unwrap();
        assert_eq!(a.notice, Notice::NonQualified);
        assert_eq!(a.warnings.len(), 1);
        // 7500 x 10% = 750.
        assert_eq!(rows(&a), vec![(1, 7_500, 750, 6_750)]);
    }

    #[test]
    fn bad_input_is_refused() {
        let policy = AllocationPolicy::new(pct("25"), pct("20"), Basis::Hours);
        assert_eq!(
            allocate(100, &policy, &[member(1, 0, 0, 0)]),
            Err(PatronageError::NoPatronage { pool: Money(75) })
        );
        assert_eq!(allocate(100, &policy, &[]), Err(PatronageError::NoPatronage { pool: Money(75) }));
        // Nothing to share: no error.
        assert_eq!(allocate(0, &policy, &[]).unwrap().members.len(), 0);
        assert_eq!(
            allocate(100, &policy, &[member(1, 1, 0, 0), member(1, 2, 0, 0)]),
            Err(PatronageError::DuplicateMember(1))
        );
        assert!(matches!(allocate(100, &policy, &[member(1, -1, 0, 0)]), Err(PatronageError::NegativePatronage { .. })));
        let mut over = policy.clone();
        over.reserve = pct("95");
        over.community = pct("10");
        assert!(matches!(allocate(100, &over, &[member(1, 1, 0, 0)]), Err(PatronageError::SharesOverWhole { .. })));
        let mix = AllocationPolicy::new(pct("25"), pct("20"), Basis::Mix { hours: pct("50"), wages: pct("40") });
        assert!(matches!(allocate(100, &mix, &[member(1, 1, 0, 1)]), Err(PatronageError::MixNotWhole { .. })));
        // A mix whose exact weights cannot fit the split is refused, never rounded silently.
        let odd = AllocationPolicy::new(pct("0"), pct("20"), Basis::Mix { hours: pct("33.333333"), wages: pct("66.666667") });
        let huge = [member(1, 100_001, 0, 4_000_000_000_000_000_001), member(2, 99_999, 0, 3)];
        assert_eq!(allocate(100, &odd, &huge), Err(PatronageError::MixTooLarge(2)));
    }

    #[test]
    fn json_has_the_contract_keys() {
        let policy = AllocationPolicy::new(pct("25"), pct("20"), Basis::Hours);
        let a = allocate(10_000, &policy, &[member(1, 74_070, 0, 0)]).unwrap();
        let v = serde_json::to_value(&a).unwrap();
        for key in ["surplus_cents", "reserve_cents", "pool_cents", "notice", "members"] {
            assert!(v.get(key).is_some(), "missing {key}");
        }
        assert_eq!(v["notice"], "qualified");
        let m = &v["members"][0];
        assert_eq!(m["email"], "m1@coop.test");
        assert_eq!(m["patronage"], "1234.50");
        assert_eq!(m["allocation_cents"], 7_500);
        assert_eq!(m["cash_cents"], 1_500);
        assert_eq!(m["retained_cents"], 6_000);
        assert_eq!(serde_json::to_value(Notice::NonQualified).unwrap(), "non_qualified");
        // The policy round-trips.
        let p = AllocationPolicy::new(pct("12.5"), pct("20"), Basis::Mix { hours: pct("50"), wages: pct("50") });
        let text = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<AllocationPolicy>(&text).unwrap(), p);
    }

    #[test]
    fn year_end_helpers() {
        // 1500 h at weight 1.00 = 90000 minutes x 100.
        assert_eq!(weighted_hours_text(9_000_000), "1500.00");
        // 1 minute at 1.5 = 150 minute-hundredths = 0.025 h -> 0.03 (half up).
        assert_eq!(weighted_hours_text(150), "0.03");
        let end = date(2025, 6, 30);
        assert_eq!(instalment_dates(end, &[(9, 15), (3, 15)]).unwrap(), vec![date(2025, 9, 15), date(2026, 3, 15)]);
        assert_eq!(instalment_dates(end, &[(2, 30)]), Err((2, 30)));
        assert_eq!(instalment_dates(end, &[(2, 29)]), Err((2, 29)));
        // 1000.00 held all of a 365-day year at 7%: 70.00. A deposit of 365.00 on day 1 of
        // 365 (2025-01-01 -> earns 364 days): 36500 x 0.07 x 364/365 = 2548.
        let (from, to) = (date(2025, 1, 1), date(2025, 12, 31));
        assert_eq!(interest_on_balances(100_000, &[], from, to, Percent::whole(7).unwrap(), 365), 7_000);
        assert_eq!(interest_on_balances(0, &[(from, 36_500)], from, to, Percent::whole(7).unwrap(), 365), 2_548);
        // A movement on the last day earns nothing; one outside the period is ignored.
        assert_eq!(interest_on_balances(0, &[(to, 36_500), (date(2026, 1, 1), 99)], from, to, Percent::whole(7).unwrap(), 365), 0);
        assert_eq!(form_1099_patr_box1(Notice::Qualified, 308_642, 61_729), 308_642);
        assert_eq!(form_1099_patr_box1(Notice::NonQualified, 7_500, 750), 750);
        assert_eq!(form_1099_patr_box1(Notice::NonQualified, -466_667, 0), 0);
    }

    #[test]
    fn hours_are_shown_to_the_hundredth() {
        assert_eq!(hours_text(74_070), "1234.50");
        assert_eq!(hours_text(61), "1.02"); // 1.01666
        assert_eq!(hours_text(1), "0.02"); // 0.01666
        assert_eq!(hours_text(0), "0.00");
    }

    #[test]
    fn repayment_over_a_year_in_three_instalments_with_interest() {
        // 1,000.01 over 1 year in 3 instalments at 7%: principal 100001 / 3 -> 33334, 33334, 33333.
        // Interest per third of a year on the outstanding balance:
        //   100001 x .07 / 3 = 2333.357 -> 2333
        //    66667 x .07 / 3 = 1555.563 -> 1556
        //    33333 x .07 / 3 =  777.77  ->  778      total 4667
        let plan = repayment_plan(100_001, 1, 3, pct("7"));
        assert_eq!(
            plan,
            vec![
                RepaymentRow { principal_cents: 33_334, interest_cents: 2_333, payment_cents: 35_667, balance_after_cents: 66_667 },
                RepaymentRow { principal_cents: 33_334, interest_cents: 1_556, payment_cents: 34_890, balance_after_cents: 33_333 },
                RepaymentRow { principal_cents: 33_333, interest_cents: 778, payment_cents: 34_111, balance_after_cents: 0 },
            ]
        );
        let schedule = repayment_schedule(100_001, 1, 3, pct("7"));
        assert_eq!(schedule.iter().sum::<i64>(), 100_001 + 4_667);
        assert!(repayment_schedule(100, 0, 12, pct("7")).is_empty());
    }

    #[test]
    fn revolving_fund_and_solvency() {
        let held = [(2019, 10_000), (2020, -2_000), (2021, 5_000), (2024, 7_000)];
        // After 5 years, in 2025: 2019 and 2020 -> 10000 - 2000 = 8000.
        assert_eq!(redeemable(&held, 2025, 5), 8_000);
        // In 2026: 2019..2021 -> 13000.
        assert_eq!(redeemable(&held, 2026, 5), 13_000);
        assert_eq!(redeemable(&[(2020, -100)], 2030, 5), 0);
        assert_eq!(redeemable(&held, 2018, 0), 0);
        assert!(solvency_ok(100_000, 30_000, 70_000));
        assert!(!solvency_ok(100_000, 30_001, 70_000));
    }

    fn arb_members() -> impl Strategy<Value = Vec<MemberPatronage>> {
        prop::collection::vec((0i64..200_000, 0i64..400_000, 0i64..20_000_000), 1..30).prop_map(|v| {
            v.into_iter().enumerate().map(|(i, (m, w, g))| member((i as i64 * 7919) % 1000, m, w, g)).collect()
        })
        .prop_filter("distinct ids", |v: &Vec<MemberPatronage>| {
            let mut ids: Vec<i64> = v.iter().map(|m| m.member_id).collect();
            ids.sort();
            ids.windows(2).all(|p| p[0] != p[1])
        })
    }

    fn arb_basis() -> impl Strategy<Value = Basis> {
        prop_oneof![
            Just(Basis::Hours),
            Just(Basis::Wages),
            Just(Basis::Weighted),
            (0u64..=100).prop_map(|h| Basis::Mix {
                hours: Percent::whole(h as u32).unwrap(),
                wages: Percent::whole(100 - h as u32).unwrap()
            }),
        ]
    }

    proptest! {
        #[test]
        fn allocations_add_up_and_cash_is_at_least_the_share(
            surplus in -1_000_000_000_000i64..1_000_000_000_000,
            reserve in 0u64..=PERCENT_UNITS,
            community in 0u64..=PERCENT_UNITS,
            cash in 0u64..=PERCENT_UNITS,
            loss_share in 0u64..=PERCENT_UNITS,
            basis in arb_basis(),
            members in arb_members(),
        ) {
            prop_assume!(reserve + community <= PERCENT_UNITS);
            let mut policy = AllocationPolicy::new(Percent(reserve), Percent(cash), basis);
            policy.community = Percent(community);
            policy.loss_reserve_share = Percent(loss_share);
            let a = match allocate(surplus, &policy, &members) {
                Ok(a) => a,
                Err(PatronageError::NoPatronage { .. }) => return Ok(()),
                Err(e) => return Err(TestCaseError::fail(e.to_string())),
            };
            prop_assert_eq!(a.reserve_cents + a.community_cents + a.pool_cents, surplus);
            prop_assert_eq!(a.members.iter().map(|m| m.allocation_cents).sum::<i64>(), a.pool_cents);
            prop_assert!(a.members.windows(2).all(|p| p[0].member_id < p[1].member_id));
            for m in &a.members {
                prop_assert_eq!(m.cash_cents + m.retained_cents, m.allocation_cents);
                if surplus < 0 {
                    prop_assert_eq!(m.cash_cents, 0);
                    prop_assert!(m.allocation_cents <= 0);
                } else {
                    // cash >= allocation x cash% and cash - 1 cent < allocation x cash%, exactly.
                    let share = i128::from(m.allocation_cents) * i128::from(cash);
                    let c = i128::from(m.cash_cents) * i128::from(PERCENT_UNITS);
                    prop_assert!(c >= share);
                    prop_assert!(c - i128::from(PERCENT_UNITS) < share);
                    prop_assert!(m.allocation_cents >= 0);
                }
            }
        }

        #[test]
        fn instalments_sum_to_the_total(total in -1_000_000_000i64..1_000_000_000, n in 1usize..24) {
            let dates: Vec<Date> = (0..n).map(|i| date(2025, 1, 1 + i as i8)).collect();
            let plan = instalments(total, &dates);
            prop_assert_eq!(plan.len(), n);
            prop_assert_eq!(plan.iter().map(|p| p.1).sum::<i64>(), total);
            prop_assert!(plan.iter().all(|p| (p.1 - total / n as i64).abs() <= 1));
        }

        #[test]
        fn repayments_sum_to_balance_plus_interest(balance in 0i64..100_000_000, years in 1u32..10, per_year in 1u32..13, rate in 0u64..=20_000_000) {
            let plan = repayment_plan(balance, years, per_year, Percent(rate));
            let interest: i64 = plan.iter().map(|r| r.interest_cents).sum();
            prop_assert_eq!(plan.iter().map(|r| r.payment_cents).sum::<i64>(), balance + interest);
            prop_assert_eq!(plan.last().unwrap().balance_after_cents, 0);
        }
    }
}
