//! Hours as integer minutes, the working-day calendar, and each member's yearly commitment.
//!
//! Hours decide pay and each member's share of the surplus, so they are never floats: a
//! duration is a whole number of [`Minutes`]. Durations come in from people and from Toggl,
//! Kimai and Harvest exports in many shapes; [`parse_hours`] (one time entry, at most 24 hours)
//! and [`parse_total_hours`] (a yearly declaration or a sum of leave) take them all and turn
//! them into minutes exactly, with one documented rounding. They go out as the contract's hours
//! string, two decimals ("7.50"), through [`Minutes::to_hours_string`].
//!
//! The commitment model follows the Web Collective's fourth pay system: a fixed monthly salary from
//! each member's declared hours for the year, up to six weeks of paid leave, and at year end a
//! member who was paid for more hours than they worked owes the co-op that time. The declared
//! hours are the member's **paid hours for the year, leave included**: paid leave is paid time,
//! not extra time on top of the declaration. So one working day is worth
//!
//! ```text
//! per day = declared / (working days in the year)        working days = Monday to Friday minus holidays
//! ```
//!
//! whatever the leave entitlement, and on any date
//!
//! ```text
//! expected to date = per day x working days the member was in the co-op, from 1 January to the date
//! balance          = worked + leave taken - expected to date
//! ```
//!
//! where a day of leave taken is worth one working day of the declaration, `declared / working
//! days` ([`leave_value`]). The leave weeks are the entitlement: the most leave that counts as
//! paid time in the year. [`leave_value`] refuses leave beyond it with an error.
//!
//! For a member in the co-op all year the expected total is exactly the declaration. Working the
//! declaration and taking no leave ends the year at zero; taking all the leave and working the
//! declaration minus the leave's worth also ends at zero; working less than that owes the
//! difference, working more is over. The entitlement is the same for a member who is in the co-op
//! only part of the year (it is not prorated here).
//!
//! Working days are Monday to Friday, minus the co-op's [`Holidays`]. Which membership states
//! count as "in the co-op" is the co-op's choice, passed as `counts_states`
//! ([`COUNTS_MEMBERS_AND_CANDIDATES`] is the usual one: candidates work and are paid; a member
//! on leave of absence owes no hours while away).

use crate::member::{MemberState, StateHistory};
use jiff::civil::Date;
use serde::{Serialize, Serializer};
use std::collections::BTreeSet;
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

// ---------------------------------------------------------------------------------------------
// Minutes
// ---------------------------------------------------------------------------------------------

/// A duration in whole minutes. Never a float. Negative values appear only in balances.
///
/// Printed (`Display`) as the contract's hours string, the same as [`Minutes::to_hours_string`].
/// `Minutes` deliberately does not implement `Serialize`, so that nobody emits raw minutes where
/// the contract expects hours: use [`serialize_hours`] on such fields.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Minutes(pub i64);

impl Minutes {
    pub const ZERO: Minutes = Minutes(0);

    /// Whole hours as minutes.
    pub const fn from_hours(hours: i64) -> Minutes {
        Minutes(hours * 60)
    }

    pub const fn get(self) -> i64 {
        self.0
    }

    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Hours with exactly two decimals, "7.50": the form the contract, the CLI and the API use.
    ///
    /// The exact value `minutes / 60` is rounded to the nearest hundredth of an hour, halves away
    /// from zero (so a balance of -20 minutes is "-0.33", the mirror of "0.33"). For whole minutes
    /// an exact half never occurs (`100 x minutes` modulo 60 is 0, 20 or 40), so "half up", "half
    /// even" and "half away from zero" all give the same text. Examples: 20 minutes -> "0.33"
    /// (0.3333), 50 -> "0.83" (0.8333), 1 -> "0.02" (0.0167), 450 -> "7.50".
    ///
    /// Because a hundredth of an hour is 0.6 minute, the text parses back ([`parse_hours`]) to
    /// exactly the same number of minutes.
    pub fn to_hours_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let hundredths = div_round_half_up(self.0.unsigned_abs() as u128 * 100, 60);
        format!("{sign}{}.{:02}", hundredths / 100, hundredths % 100)
    }
}

impl fmt::Display for Minutes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hours_string())
    }
}

impl Add for Minutes {
    type Output = Minutes;
    fn add(self, rhs: Minutes) -> Minutes {
        Minutes(self.0 + rhs.0)
    }
}

impl AddAssign for Minutes {
    fn add_assign(&mut self, rhs: Minutes) {
        self.0 += rhs.0;
    }
}

impl Sub for Minutes {
    type Output = Minutes;
    fn sub(self, rhs: Minutes) -> Minutes {
        Minutes(self.0 - rhs.0)
    }
}

impl SubAssign for Minutes {
    fn sub_assign(&mut self, rhs: Minutes) {
        self.0 -= rhs.0;
    }
}

impl Neg for Minutes {
    type Output = Minutes;
    fn neg(self) -> Minutes {
        Minutes(-self.0)
    }
}

impl Sum for Minutes {
    fn sum<I: Iterator<Item = Minutes>>(iter: I) -> Minutes {
        Minutes(iter.map(|m| m.0).sum())
    }
}

/// Serializes a [`Minutes`] as the contract's hours string ("7.50"), for
/// `#[serde(serialize_with = "coop_core::hours::serialize_hours")]`.
pub fn serialize_hours<S: Serializer>(minutes: &Minutes, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&minutes.to_hours_string())
}

/// `num / den` rounded to the nearest integer, halves up. `den` must be positive.
fn div_round_half_up(num: u128, den: u128) -> u128 {
    (2 * num + den) / (2 * den)
}

// ---------------------------------------------------------------------------------------------
// Parsing durations
// ---------------------------------------------------------------------------------------------

/// Why a text is not a duration. Every message says what was wrong and what to write instead.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum HoursError {
    #[error("no hours given: write the time worked, e.g. 7.50, 7,5, 7:30, 07:30:00 or 7h30m")]
    Empty,
    #[error("{0:?} is negative: hours cannot be below zero; write the time worked (e.g. 1.5), and correct a wrong entry by editing it")]
    Negative(String),
    #[error("{0:?} is not a duration: write hours as 7.50 or 7,5, a clock duration as 7:30 or 07:30:00, or units as 7h30m, 7h or 450m")]
    Junk(String),
    #[error("{0:?} is not a clock duration: minutes and seconds take two digits from 00 to 59, e.g. 1:05 or 01:30:00")]
    BadClock(String),
    #[error("{0:?} has more than 9 decimals: round it first, e.g. to 1.33")]
    TooManyDecimals(String),
    #[error(
        "{0:?} is ambiguous: a point or comma followed by three digits may separate thousands; \
         write hours without a thousands separator (1560 or 1560.00) and at most two decimals (1.56)"
    )]
    Ambiguous(String),
    #[error("{0:?} is too large: a duration is at most 9999999 hours")]
    TooLarge(String),
    #[error(
        "{input:?} is {minutes} hours, more than the 24 hours one entry can hold: \
         split longer work across days, and write minutes with an m (e.g. 90m)"
    )]
    OverDay { input: String, minutes: Minutes },
}

/// The most one time entry (and one member's day) can hold: 24 hours.
pub const MAX_ENTRY: Minutes = Minutes(24 * 60);

/// Parses the duration of one time entry, in any of the shapes people and time trackers write:
///
/// | shape | examples | meaning |
/// |---|---|---|
/// | decimal hours, point or comma | `1.5`, `1,5`, `7.50`, `.25`, `8` | hours |
/// | clock duration `H:MM` or `H:MM:SS` | `1:30`, `0:45`, `01:30:00` | hours, minutes, seconds |
/// | units | `90m`, `1h30m`, `1h`, `2.25h`, `1h 30m`, `1h30`, `45 min`, `1.5 hours` | as written |
///
/// Units are `h`/`hr`/`hrs`/`hour`/`hours` and `m`/`min`/`mins`/`minute`/`minutes`, case-insensitive,
/// hours before minutes, each at most once; a bare two-digit number after hours (`1h30`) is minutes.
/// Minutes and seconds in a clock duration take two digits, 00 to 59.
///
/// **Rounding.** The text is read exactly (up to 9 decimals) and then rounded once to the nearest
/// whole minute, an exact half minute rounding up: `0:00:29` is 0 minutes, `0:00:30` is 1,
/// `1.33` (79.8 minutes) is 80, `0.01` (0.6 minute) is 1. Only this one rounding happens.
///
/// **Refused:** empty text, negatives, anything else ("junk"), and more than 24 hours (judged on
/// the rounded minutes, so `24:00:29` passes as 24:00). Zero is accepted: whether a zero entry is
/// worth keeping is the caller's call (Toggl writes entries of a few seconds, which round to 0).
///
/// A point or comma is always a decimal separator here, since an entry cannot hold thousands of
/// hours: `1,500` is one and a half hours.
pub fn parse_hours(s: &str) -> Result<Minutes, HoursError> {
    let minutes = parse_minutes(s, Scope::Entry)?;
    if minutes > MAX_ENTRY {
        return Err(HoursError::OverDay { input: s.trim().to_string(), minutes });
    }
    Ok(minutes)
}

/// Parses a total such as a yearly declaration (`1560`, `1560.00`, `1560h`) or leave taken: the
/// same shapes and rounding as [`parse_hours`], without the 24-hour limit.
///
/// Because totals can run into thousands, a point or comma followed by exactly three digits
/// (`1,560`, `1.560`) could be a thousands separator and is refused as ambiguous, as is a text
/// with both a point and a comma (`1,560.00`).
pub fn parse_total_hours(s: &str) -> Result<Minutes, HoursError> {
    parse_minutes(s, Scope::Total)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    Entry,
    Total,
}

const NANOS_PER_MINUTE: u128 = 60_000_000_000;
const NANOS_PER_HOUR: u128 = 60 * NANOS_PER_MINUTE;
const MAX_DECIMALS: usize = 9;
const MAX_WHOLE_DIGITS: usize = 7;

/// Minutes in 10,000,000 hours: every value read must stay below it, so that it is written
/// back with at most seven whole digits of hours and reads the same.
const MINUTES_LIMIT: u128 = 10_000_000 * 60;

fn parse_minutes(input: &str, scope: Scope) -> Result<Minutes, HoursError> {
    let nanos = parse_nanos(input, scope)?;
    let minutes = div_round_half_up(nanos, NANOS_PER_MINUTE);
    // The digit limits hold each part to 9,999,999, but hours and minutes added ("9999990 h
    // 999990 m", found by fuzzing) or a rounding up (9999999.9999 h) can pass 10,000,000 hours.
    if minutes >= MINUTES_LIMIT {
        return Err(HoursError::TooLarge(input.trim().to_string()));
    }
    Ok(Minutes(minutes as i64))
}

/// Reads the text exactly, in nanoseconds (exact for up to 9 decimals of an hour or a minute).
fn parse_nanos(input: &str, scope: Scope) -> Result<u128, HoursError> {
    let t = input.trim();
    if t.is_empty() {
        return Err(HoursError::Empty);
    }
    let original = || t.to_string();
    if t.starts_with('-') || t.starts_with('\u{2212}') {
        return Err(HoursError::Negative(original()));
    }
    let lower = t.to_ascii_lowercase();
    if lower.contains(':') {
        parse_clock(&lower, t)
    } else if lower.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') {
        Ok(parse_decimal(&lower, t, scope)?.nanos(NANOS_PER_HOUR))
    } else {
        parse_units(&lower, t, scope)
    }
}

/// A non-negative decimal read exactly: `whole + frac / 10^digits`.
struct Decimal {
    whole: u128,
    frac: u128,
    digits: u32,
}

impl Decimal {
    /// The value in nanoseconds, given the nanoseconds in one unit (an hour or a minute). Exact:
    /// both units are multiples of 10^9 nanoseconds and there are at most 9 decimals.
    fn nanos(&self, unit: u128) -> u128 {
        self.whole * unit + self.frac * (unit / 10u128.pow(self.digits))
    }
}

fn significant_len(digits: &str) -> usize {
    digits.trim_start_matches('0').len()
}

fn parse_decimal(num: &str, original: &str, scope: Scope) -> Result<Decimal, HoursError> {
    let junk = || HoursError::Junk(original.to_string());
    let has_point = num.contains('.');
    let has_comma = num.contains(',');
    if has_point && has_comma {
        return Err(HoursError::Ambiguous(original.to_string()));
    }
    let seps = num.bytes().filter(|&b| b == b'.' || b == b',').count();
    if seps > 1 {
        return Err(if has_comma || scope == Scope::Total { HoursError::Ambiguous(original.to_string()) } else { junk() });
    }
    let (whole, frac) = match num.find(['.', ',']) {
        Some(i) => (&num[..i], Some(&num[i + 1..])),
        None => (num, None),
    };
    if !whole.bytes().all(|b| b.is_ascii_digit()) {
        return Err(junk());
    }
    let frac = match frac {
        None => "",
        Some(f) if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) => return Err(junk()),
        Some(f) => f,
    };
    if whole.is_empty() && frac.is_empty() {
        return Err(junk());
    }
    if scope == Scope::Total && frac.len() == 3 && !whole.is_empty() {
        return Err(HoursError::Ambiguous(original.to_string()));
    }
    if frac.len() > MAX_DECIMALS {
        return Err(HoursError::TooManyDecimals(original.to_string()));
    }
    if significant_len(whole) > MAX_WHOLE_DIGITS {
        return Err(HoursError::TooLarge(original.to_string()));
    }
    let whole: u128 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| junk())? };
    let frac_value: u128 = if frac.is_empty() { 0 } else { frac.parse().map_err(|_| junk())? };
    Ok(Decimal { whole, frac: frac_value, digits: frac.len() as u32 })
}

/// `H:MM` or `H:MM:SS`.
fn parse_clock(lower: &str, original: &str) -> Result<u128, HoursError> {
    let parts: Vec<&str> = lower.split(':').collect();
    if parts.iter().any(|p| !p.bytes().all(|b| b.is_ascii_digit())) || parts.len() > 3 || parts[0].is_empty() {
        return Err(HoursError::Junk(original.to_string()));
    }
    if parts.len() < 2 {
        return Err(HoursError::BadClock(original.to_string()));
    }
    let two_digits_below_60 = |p: &str| p.len() == 2 && p.parse::<u8>().is_ok_and(|v| v < 60);
    if !parts[1..].iter().all(|p| two_digits_below_60(p)) {
        return Err(HoursError::BadClock(original.to_string()));
    }
    if significant_len(parts[0]) > MAX_WHOLE_DIGITS {
        return Err(HoursError::TooLarge(original.to_string()));
    }
    let hours: u128 = parts[0].parse().map_err(|_| HoursError::Junk(original.to_string()))?;
    let minutes: u128 = parts[1].parse().map_err(|_| HoursError::Junk(original.to_string()))?;
    let seconds: u128 = match parts.get(2) {
        Some(p) => p.parse().map_err(|_| HoursError::Junk(original.to_string()))?,
        None => 0,
    };
    Ok(hours * NANOS_PER_HOUR + minutes * NANOS_PER_MINUTE + seconds * 1_000_000_000)
}

/// `1h30m`, `90m`, `2.25h`, `1h 30m`, `1h30`, `45 min`, `1.5 hours`.
fn parse_units(lower: &str, original: &str, scope: Scope) -> Result<u128, HoursError> {
    let junk = || HoursError::Junk(original.to_string());
    let mut rest = lower;
    let mut total: u128 = 0;
    let mut seen_hours = false;
    let mut seen_minutes = false;
    let mut any = false;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let num_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',')).unwrap_or(rest.len());
        let num = &rest[..num_end];
        if num.is_empty() {
            return Err(junk());
        }
        rest = rest[num_end..].trim_start();
        let unit_end = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
        let unit = &rest[..unit_end];
        rest = &rest[unit_end..];
        match unit {
            "h" | "hr" | "hrs" | "hour" | "hours" if !seen_hours && !seen_minutes => {
                total += parse_decimal(num, original, scope)?.nanos(NANOS_PER_HOUR);
                seen_hours = true;
            }
            "m" | "min" | "mins" | "minute" | "minutes" if !seen_minutes => {
                total += parse_decimal(num, original, scope)?.nanos(NANOS_PER_MINUTE);
                seen_minutes = true;
            }
            // `1h30`: a bare two-digit minute count closing an hours-first text.
            "" if seen_hours && !seen_minutes && rest.trim().is_empty() => {
                if num.len() != 2 || !num.bytes().all(|b| b.is_ascii_digit()) || num > "59" {
                    return Err(junk());
                }
                let minutes: u128 = num.parse().map_err(|_| junk())?;
                total += minutes * NANOS_PER_MINUTE;
                seen_minutes = true;
            }
            _ => return Err(junk()),
        }
        any = true;
    }
    if !any {
        return Err(junk());
    }
    Ok(total)
}

// ---------------------------------------------------------------------------------------------
// The day limit
// ---------------------------------------------------------------------------------------------

/// Why an entry does not fit in its day.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum DayLimitError {
    #[error(
        "this entry of {new} hours would bring the day to {total} hours, more than 24: \
         the day already holds {existing} hours, so at most {left} more fit; check the date or split the work across days"
    )]
    Exceeded { existing: Minutes, new: Minutes, total: Minutes, left: Minutes },
    #[error("an entry of {0} hours is negative: write the time worked, and correct a wrong entry by editing it")]
    Negative(Minutes),
}

/// The rule that one member's entries on one day total at most 24 hours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayLimit;

impl DayLimit {
    /// 24 hours.
    pub const MAX: Minutes = MAX_ENTRY;

    /// Checks that `new` minutes fit beside the `existing` minutes the member already has on that
    /// day (when an entry is edited, `existing` leaves the edited entry out). Returns the day's new
    /// total. Exactly 24:00 fits.
    pub fn check(existing: Minutes, new: Minutes) -> Result<Minutes, DayLimitError> {
        if new.is_negative() {
            return Err(DayLimitError::Negative(new));
        }
        let total = existing + new;
        if total > Self::MAX {
            let left = Minutes((Self::MAX - existing).0.max(0));
            return Err(DayLimitError::Exceeded { existing, new, total, left });
        }
        Ok(total)
    }
}

// ---------------------------------------------------------------------------------------------
// Working days
// ---------------------------------------------------------------------------------------------

/// Days since 1970-01-01 (proleptic Gregorian), for counting without fallible date arithmetic.
fn day_number(d: Date) -> i64 {
    let (m, day) = (i64::from(d.month()), i64::from(d.day()));
    let y = i64::from(d.year()) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Monday to Friday.
pub fn is_weekday(d: Date) -> bool {
    d.weekday().to_monday_zero_offset() < 5
}

/// Monday-to-Friday days from `from` to `to`, both included; 0 when `to` is before `from`.
pub fn working_days_between(from: Date, to: Date) -> u32 {
    if to < from {
        return 0;
    }
    let n = day_number(to) - day_number(from) + 1;
    let start = i64::from(from.weekday().to_monday_zero_offset());
    let tail = (0..n % 7).filter(|k| (start + k) % 7 < 5).count() as i64;
    (n / 7 * 5 + tail) as u32
}

/// Why a list of holidays is refused.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum HolidaysError {
    #[error("{count} weekday holidays in {year} is more than {max}: check the list (a holiday is a weekday the co-op does not work)")]
    TooMany { year: i16, count: usize, max: usize },
}

/// The co-op's holidays: weekdays nobody is expected to work. Weekend dates are dropped, since
/// they are not working days anyway. At most [`Holidays::MAX_PER_YEAR`] weekday holidays a year,
/// which keeps the working days a declaration is spread over positive (a year has at least 260
/// weekdays; minus 100 holidays that leaves at least 160).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Holidays(BTreeSet<Date>);

impl Holidays {
    pub const MAX_PER_YEAR: usize = 100;

    /// No holidays: every Monday to Friday is a working day.
    pub fn none() -> Holidays {
        Holidays(BTreeSet::new())
    }

    pub fn new(dates: impl IntoIterator<Item = Date>) -> Result<Holidays, HolidaysError> {
        let set: BTreeSet<Date> = dates.into_iter().filter(|&d| is_weekday(d)).collect();
        let mut per_year: std::collections::BTreeMap<i16, usize> = Default::default();
        for d in &set {
            *per_year.entry(d.year()).or_default() += 1;
        }
        if let Some((&year, &count)) = per_year.iter().find(|(_, c)| **c > Self::MAX_PER_YEAR) {
            return Err(HolidaysError::TooMany { year, count, max: Self::MAX_PER_YEAR });
        }
        Ok(Holidays(set))
    }

    /// The weekday holidays, in date order.
    pub fn dates(&self) -> impl Iterator<Item = Date> + '_ {
        self.0.iter().copied()
    }

    pub fn is_working_day(&self, d: Date) -> bool {
        is_weekday(d) && !self.0.contains(&d)
    }

    /// Working days (Monday to Friday, not a holiday) from `from` to `to`, both included.
    pub fn working_days_between(&self, from: Date, to: Date) -> u32 {
        if to < from {
            return 0;
        }
        working_days_between(from, to) - self.0.range(from..=to).count() as u32
    }
}

// ---------------------------------------------------------------------------------------------
// Time in the co-op
// ---------------------------------------------------------------------------------------------

/// Members and candidates are "in the co-op"; on leave, applicants and departed are not. The
/// usual choice: candidates work on probation and are paid, so their hours are expected too.
pub const COUNTS_MEMBERS_AND_CANDIDATES: &[MemberState] = &[MemberState::Candidate, MemberState::Member];
/// Only full members are "in the co-op": for co-ops whose candidates are not on the declaration.
pub const COUNTS_MEMBERS_ONLY: &[MemberState] = &[MemberState::Member];

/// The days of one year a member was "in the co-op": sorted, disjoint, non-adjacent inclusive
/// periods inside the year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearInCoop {
    year: i16,
    periods: Vec<(Date, Date)>,
}

/// 1 January of `year`, the year clamped to the dates jiff can represent (-9999 to 9999).
fn first_day(year: i16) -> Date {
    Date::constant(year.clamp(-9999, 9999), 1, 1)
}

/// 31 December of `year`, clamped like [`first_day`].
fn last_day(year: i16) -> Date {
    Date::constant(year.clamp(-9999, 9999), 12, 31)
}

impl YearInCoop {
    /// The days of `year` on which the member's state ([`StateHistory::state_on`]) is one of
    /// `counts_states`. Which states count is the co-op's choice: see
    /// [`COUNTS_MEMBERS_AND_CANDIDATES`] and [`COUNTS_MEMBERS_ONLY`]. Leaving
    /// [`MemberState::OnLeave`] out stops expected hours while a member is on leave of absence.
    pub fn from_history(history: &StateHistory, year: i16, counts_states: &[MemberState]) -> YearInCoop {
        let mut periods: Vec<(Date, Date)> = Vec::new();
        let mut open: Option<Date> = None;
        let mut day = first_day(year);
        let last = last_day(year);
        loop {
            let counted = history.state_on(day).is_some_and(|s| counts_states.contains(&s));
            match (counted, open) {
                (true, None) => open = Some(day),
                (false, Some(start)) => {
                    periods.push((start, day.yesterday().unwrap_or(day)));
                    open = None;
                }
                _ => {}
            }
            if day == last {
                break;
            }
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        if let Some(start) = open {
            periods.push((start, last));
        }
        YearInCoop { year, periods }
    }

    /// In the co-op the whole year.
    pub fn full_year(year: i16) -> YearInCoop {
        YearInCoop { year, periods: vec![(first_day(year), last_day(year))] }
    }

    /// From inclusive periods as stored elsewhere: clipped to the year, sorted, and overlapping or
    /// adjacent periods merged. Periods that end before they start are ignored.
    pub fn from_periods(year: i16, periods: impl IntoIterator<Item = (Date, Date)>) -> YearInCoop {
        let (first, last) = (first_day(year), last_day(year));
        let mut clipped: Vec<(Date, Date)> = periods.into_iter().map(|(a, b)| (a.max(first), b.min(last))).filter(|(a, b)| a <= b).collect();
        clipped.sort();
        let mut merged: Vec<(Date, Date)> = Vec::with_capacity(clipped.len());
        for (a, b) in clipped {
            match merged.last_mut() {
                Some((_, end)) if day_number(a) <= day_number(*end) + 1 => *end = (*end).max(b),
                _ => merged.push((a, b)),
            }
        }
        YearInCoop { year, periods: merged }
    }

    pub fn year(&self) -> i16 {
        self.year
    }

    /// Sorted, disjoint, inclusive periods inside the year.
    pub fn periods(&self) -> &[(Date, Date)] {
        &self.periods
    }

    pub fn contains(&self, d: Date) -> bool {
        self.periods.iter().any(|&(a, b)| a <= d && d <= b)
    }

    /// The first day in the co-op this year, if any.
    pub fn first_day(&self) -> Option<Date> {
        self.periods.first().map(|p| p.0)
    }

    /// Working days in the co-op from `from` to `to`, both included.
    pub fn working_days_in(&self, from: Date, to: Date, holidays: &Holidays) -> u32 {
        self.periods.iter().map(|&(a, b)| holidays.working_days_between(a.max(from), b.min(to))).sum()
    }
}

// ---------------------------------------------------------------------------------------------
// Commitments and balances
// ---------------------------------------------------------------------------------------------

/// The most leave the co-ops we serve grant: six weeks a year.
pub const MAX_LEAVE_WEEKS: u8 = 6;

/// Why a commitment is refused.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum CommitmentError {
    #[error("{0} is not a year for a commitment (use a year from 1 to 9999, e.g. 2026)")]
    BadYear(i16),
    #[error("declared hours cannot be negative ({0}): declare your paid hours for the year, leave included, e.g. 1560")]
    NegativeDeclared(Minutes),
    #[error("{declared} declared hours do not fit in {year}, which has {max} hours: declare the hours for one year, e.g. 1560")]
    DeclaredTooLarge { year: i16, declared: Minutes, max: Minutes },
    #[error("{0} weeks of leave is more than the {max} weeks allowed: use 0 to {max}", max = MAX_LEAVE_WEEKS)]
    TooMuchLeave(u8),
}

/// A member's declaration for one year: their paid hours for the year, paid leave included, and
/// their leave entitlement in weeks (0 to [`MAX_LEAVE_WEEKS`]), the most leave that counts as paid
/// time. One that exists is valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Commitment {
    year: i16,
    declared_minutes: Minutes,
    leave_weeks: u8,
}

impl Commitment {
    pub fn new(year: i16, declared_minutes: Minutes, leave_weeks: u8) -> Result<Commitment, CommitmentError> {
        if !(1..=9999).contains(&year) {
            return Err(CommitmentError::BadYear(year));
        }
        if declared_minutes.is_negative() {
            return Err(CommitmentError::NegativeDeclared(declared_minutes));
        }
        let max = Minutes::from_hours(i64::from(first_day(year).days_in_year()) * 24);
        if declared_minutes > max {
            return Err(CommitmentError::DeclaredTooLarge { year, declared: declared_minutes, max });
        }
        if leave_weeks > MAX_LEAVE_WEEKS {
            return Err(CommitmentError::TooMuchLeave(leave_weeks));
        }
        Ok(Commitment { year, declared_minutes, leave_weeks })
    }

    pub fn year(&self) -> i16 {
        self.year
    }

    pub fn declared_minutes(&self) -> Minutes {
        self.declared_minutes
    }

    pub fn leave_weeks(&self) -> u8 {
        self.leave_weeks
    }

    /// Leave entitlement in working days: 5 per week.
    pub fn leave_days(&self) -> u32 {
        u32::from(self.leave_weeks) * 5
    }

    /// The working days the declaration is spread over: every working day of the year (Monday to
    /// Friday minus holidays), leave days included. The leave entitlement does not change it.
    /// Always positive (at least 160, see [`Holidays`]).
    pub fn year_working_days(&self, holidays: &Holidays) -> u32 {
        holidays.working_days_between(first_day(self.year), last_day(self.year))
    }

    /// `declared x days / year working days`, rounded once to the nearest minute (halves up).
    fn days_worth(&self, days: u32, holidays: &Holidays) -> Minutes {
        let num = self.declared_minutes.0 as u128 * u128::from(days);
        let den = u128::from(self.year_working_days(holidays).max(1));
        Minutes(div_round_half_up(num, den) as i64)
    }
}

/// Why leave taken cannot be valued.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum LeaveError {
    #[error(
        "{days} days of leave in {year} is more than the entitlement of {entitlement_days} days \
         ({weeks} weeks): only leave within the entitlement is paid time; record at most \
         {entitlement_days} days for the year, or change the member's leave weeks"
    )]
    BeyondEntitlement { year: i16, days: u32, entitlement_days: u32, weeks: u8 },
}

/// The value of `days` days of leave taken in the commitment's year (the total so far, not one
/// absence): each is worth one working day of the declaration, `declared / year working days`.
/// The product is rounded once, to the nearest minute (halves up), not day by day.
///
/// Leave beyond the entitlement (`5 x leave weeks` days) is refused with
/// [`LeaveError::BeyondEntitlement`]: it is not paid time, so it cannot stand in for work.
pub fn leave_value(commitment: &Commitment, days: u32, holidays: &Holidays) -> Result<Minutes, LeaveError> {
    if days > commitment.leave_days() {
        return Err(LeaveError::BeyondEntitlement {
            year: commitment.year,
            days,
            entitlement_days: commitment.leave_days(),
            weeks: commitment.leave_weeks,
        });
    }
    Ok(commitment.days_worth(days, holidays))
}

/// The full leave entitlement in minutes: [`leave_value`] of `5 x leave weeks` days.
pub fn leave_entitlement(commitment: &Commitment, holidays: &Holidays) -> Minutes {
    commitment.days_worth(commitment.leave_days(), holidays)
}

/// The hours expected of the member from 1 January to `on`, inclusive:
///
/// ```text
/// declared x (working days in the co-op from 1 January to on) / (working days in the year)
/// ```
///
/// rounded once to the nearest minute, halves up. Only days in `in_coop` count (so nothing is
/// expected before joining, after leaving, or in states the co-op does not count); days outside
/// the commitment's year never count, so `on` after 31 December gives the year's total. Leave
/// days are working days like any other here: the leave taken is credited in [`balance`]. The
/// leave entitlement does not change the expected hours.
///
/// For a member in the co-op all year the total at 31 December is exactly `declared`.
pub fn expected_to_date(commitment: &Commitment, in_coop: &YearInCoop, on: Date, holidays: &Holidays) -> Minutes {
    let start = first_day(commitment.year);
    let end = last_day(commitment.year).min(on);
    commitment.days_worth(in_coop.working_days_in(start, end, holidays), holidays)
}

/// `worked + leave taken - expected`: positive when the member is ahead of the commitment,
/// negative when behind. `leave_taken` is the value of paid leave from [`leave_value`], which
/// keeps it within the entitlement.
pub fn balance(worked: Minutes, leave_taken: Minutes, expected: Minutes) -> Minutes {
    worked + leave_taken - expected
}

/// The settlement of a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct YearEnd {
    pub expected: Minutes,
    pub worked: Minutes,
    pub leave_taken: Minutes,
    /// Worked + leave taken - expected: negative when hours are owed to the co-op.
    pub balance: Minutes,
}

impl YearEnd {
    /// Hours the member owes the co-op (paid for but not worked), zero if none.
    pub fn owed(&self) -> Minutes {
        Minutes((-self.balance.0).max(0))
    }

    /// Hours the member worked over the commitment, zero if none.
    pub fn worked_over(&self) -> Minutes {
        Minutes(self.balance.0.max(0))
    }
}

/// The year's settlement: expected hours for the whole year (up to 31 December) against the hours
/// worked and the leave taken in it. A negative balance is owed to the co-op; a positive one was
/// worked over.
pub fn year_end(commitment: &Commitment, in_coop: &YearInCoop, worked: Minutes, leave_taken: Minutes, holidays: &Holidays) -> YearEnd {
    let expected = expected_to_date(commitment, in_coop, last_day(commitment.year), holidays);
    YearEnd { expected, worked, leave_taken, balance: balance(worked, leave_taken, expected) }
}

/// A member's position on a date, shaped as the contract's `coop hours balance --json`:
/// `{"declared","expected_to_date","worked","balance"}`, each an hours string ("7.50").
/// `leave_taken` is kept for callers but not serialized, to keep the contract's shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct BalanceOn {
    #[serde(serialize_with = "serialize_hours")]
    pub declared: Minutes,
    #[serde(serialize_with = "serialize_hours")]
    pub expected_to_date: Minutes,
    #[serde(serialize_with = "serialize_hours")]
    pub worked: Minutes,
    #[serde(skip)]
    pub leave_taken: Minutes,
    #[serde(serialize_with = "serialize_hours")]
    pub balance: Minutes,
}

/// The balance on `on`: `worked` and `leave_taken` are the member's totals from 1 January to `on`.
pub fn balance_on(commitment: &Commitment, in_coop: &YearInCoop, on: Date, worked: Minutes, leave_taken: Minutes, holidays: &Holidays) -> BalanceOn {
    let expected = expected_to_date(commitment, in_coop, on, holidays);
    BalanceOn { declared: commitment.declared_minutes, expected_to_date: expected, worked, leave_taken, balance: balance(worked, leave_taken, expected) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::member::StateChange;
    use jiff::civil::date;
    use jiff::ToSpan;
    use proptest::prelude::*;

    fn m(n: i64) -> Minutes {
        Minutes(n)
    }

    fn change(state: MemberState, since: Date) -> StateChange {
        StateChange { state, since, planned_end: None, note: String::new() }
    }

    fn history(changes: &[(MemberState, Date)]) -> StateHistory {
        let mut h = StateHistory::default();
        for &(s, d) in changes {
            h.apply(change(s, d)).unwrap();
        }
        h
    }

    const NONE: &Holidays = &Holidays(BTreeSet::new());

    // ---- parsing and printing -----------------------------------------------------------------

    #[test]
    fn parses_every_shape() {
        let cases: &[(&str, i64)] = &[
            ("1.5", 90),
            ("1,5", 90),
            ("7.50", 450),
            ("7,50", 450),
            ("8", 480),
            (".25", 15),
            ("0", 0),
            ("01:30:00", 90),
            ("1:30", 90),
            ("0:45", 45),
            ("00:00:00", 0),
            ("24:00", 1440),
            ("24:00:00", 1440),
            ("90m", 90),
            ("1h30m", 90),
            ("1h", 60),
            ("2.25h", 135),
            ("2,25h", 135),
            ("1h 30m", 90),
            ("1 h 30 m", 90),
            ("1h30", 90),
            ("1h05", 65),
            ("45 min", 45),
            ("45mins", 45),
            ("1.5 hours", 90),
            ("2 hrs 15 minutes", 135),
            ("1H30M", 90),
            ("  7.5  ", 450),
            ("1,500", 90),
        ];
        for &(text, want) in cases {
            assert_eq!(parse_hours(text), Ok(m(want)), "{text:?}");
        }
    }

    #[test]
    fn sub_minute_remainders_round_to_the_nearest_minute_half_up() {
        assert_eq!(parse_hours("0:00:29"), Ok(m(0)));
        assert_eq!(parse_hours("0:00:30"), Ok(m(1)), "an exact half minute rounds up");
        assert_eq!(parse_hours("01:30:31"), Ok(m(91)));
        assert_eq!(parse_hours("1.33"), Ok(m(80)), "79.8 minutes");
        assert_eq!(parse_hours("0.01"), Ok(m(1)), "0.6 minute");
        assert_eq!(parse_hours("0.005"), Ok(m(0)), "0.3 minute");
        assert_eq!(parse_hours("0.125"), Ok(m(8)), "7.5 minutes: exactly half, up");
        assert_eq!(parse_hours("1.333333333"), Ok(m(80)));
        assert_eq!(parse_hours("7.5m"), Ok(m(8)));
        assert_eq!(parse_hours("24:00:29"), Ok(m(1440)), "the 24-hour limit is judged on rounded minutes");
    }

    #[test]
    fn refuses_what_is_not_an_entry() {
        assert_eq!(parse_hours(""), Err(HoursError::Empty));
        assert_eq!(parse_hours("   "), Err(HoursError::Empty));
        assert_eq!(parse_hours("-1.5"), Err(HoursError::Negative("-1.5".into())));
        assert_eq!(parse_hours("-0:30"), Err(HoursError::Negative("-0:30".into())));
        for junk in ["abc", "1.5.2", "1h1h", "30m1h", "1e3", "+2", "1.", ".", "h", "1x", "1h 30 m 5", "1h3", "1h75", "NaN", "١٢"] {
            assert!(matches!(parse_hours(junk), Err(HoursError::Junk(_)) | Err(HoursError::Ambiguous(_))), "{junk:?} -> {:?}", parse_hours(junk));
        }
        for bad in ["1:5", "1:60", "1:30:5", "1:30:60", "1:", ":30", "1:2:3:4"] {
            let got = parse_hours(bad);
            assert!(got.is_err(), "{bad:?} -> {got:?}");
        }
        assert_eq!(parse_hours("1:60"), Err(HoursError::BadClock("1:60".into())));
        assert_eq!(parse_hours("1.0000000001"), Err(HoursError::TooManyDecimals("1.0000000001".into())));
        assert_eq!(parse_hours("1,5.0"), Err(HoursError::Ambiguous("1,5.0".into())));
        assert_eq!(parse_hours("24:01"), Err(HoursError::OverDay { input: "24:01".into(), minutes: m(1441) }));
        assert_eq!(parse_hours("90"), Err(HoursError::OverDay { input: "90".into(), minutes: m(5400) }));
        assert!(matches!(parse_hours("25h"), Err(HoursError::OverDay { .. })));
        assert!(matches!(parse_hours("99999999"), Err(HoursError::TooLarge(_))));
        // Found by fuzzing: parts within the digit limits that add up past them.
        assert!(matches!(parse_total_hours("9999990 hours 999990 m"), Err(HoursError::TooLarge(_))));
        assert!(matches!(parse_total_hours("9999999.9999"), Err(HoursError::TooLarge(_))));
        let largest = parse_total_hours("9999999.99").unwrap();
        assert_eq!(parse_total_hours(&largest.to_hours_string()), Ok(largest));
    }

    #[test]
    fn errors_say_what_to_write() {
        let e = parse_hours("90").unwrap_err().to_string();
        assert!(e.contains("90.00 hours") && e.contains("24 hours") && e.contains("90m"), "{e}");
        let e = parse_hours("soon").unwrap_err().to_string();
        assert!(e.contains("\"soon\"") && e.contains("7:30") && e.contains("7h30m"), "{e}");
        let e = parse_total_hours("1,560").unwrap_err().to_string();
        assert!(e.contains("1560.00"), "{e}");
    }

    #[test]
    fn totals_have_no_day_limit_but_refuse_ambiguous_separators() {
        assert_eq!(parse_total_hours("1560"), Ok(Minutes::from_hours(1560)));
        assert_eq!(parse_total_hours("1560.00"), Ok(Minutes::from_hours(1560)));
        assert_eq!(parse_total_hours("1560,5"), Ok(m(1560 * 60 + 30)));
        assert_eq!(parse_total_hours("1560h"), Ok(Minutes::from_hours(1560)));
        assert_eq!(parse_total_hours("90"), Ok(m(5400)));
        assert_eq!(parse_total_hours("1,560"), Err(HoursError::Ambiguous("1,560".into())));
        assert_eq!(parse_total_hours("1.560"), Err(HoursError::Ambiguous("1.560".into())));
        assert_eq!(parse_total_hours("1,560.00"), Err(HoursError::Ambiguous("1,560.00".into())));
        assert_eq!(parse_total_hours("1.560.000"), Err(HoursError::Ambiguous("1.560.000".into())));
        assert_eq!(parse_total_hours("-3"), Err(HoursError::Negative("-3".into())));
    }

    #[test]
    fn hours_strings_have_two_decimals() {
        assert_eq!(m(20).to_hours_string(), "0.33");
        assert_eq!(m(50).to_hours_string(), "0.83");
        assert_eq!(m(450).to_hours_string(), "7.50");
        assert_eq!(m(0).to_hours_string(), "0.00");
        assert_eq!(m(1).to_hours_string(), "0.02");
        assert_eq!(m(3).to_hours_string(), "0.05");
        assert_eq!(m(1440).to_hours_string(), "24.00");
        assert_eq!(m(-20).to_hours_string(), "-0.33");
        assert_eq!(m(-1).to_hours_string(), "-0.02");
        assert_eq!(Minutes::from_hours(1560).to_string(), "1560.00");
        assert_eq!(m(i64::MIN).to_hours_string(), "-153722867280912930.13");
    }

    // ---- the day limit ------------------------------------------------------------------------

    #[test]
    fn a_day_holds_at_most_24_hours() {
        assert_eq!(DayLimit::check(m(0), m(1440)), Ok(m(1440)));
        assert_eq!(DayLimit::check(m(1000), m(440)), Ok(m(1440)));
        assert_eq!(DayLimit::check(m(1000), m(441)), Err(DayLimitError::Exceeded { existing: m(1000), new: m(441), total: m(1441), left: m(440) }));
        assert_eq!(DayLimit::check(m(0), m(-5)), Err(DayLimitError::Negative(m(-5))));
        let e = DayLimit::check(m(600), m(900)).unwrap_err().to_string();
        assert!(e.contains("15.00") && e.contains("25.00") && e.contains("10.00") && e.contains("14.00"), "{e}");
    }

    // ---- working days -------------------------------------------------------------------------

    #[test]
    fn working_days_hand_cases() {
        // 2026 starts on a Thursday: 52 whole weeks (260 weekdays) plus Thursday 31 December.
        assert_eq!(working_days_between(date(2026, 1, 1), date(2026, 12, 31)), 261);
        // 1 January to 1 July 2026 is 182 days, exactly 26 weeks.
        assert_eq!(working_days_between(date(2026, 1, 1), date(2026, 7, 1)), 130);
        assert_eq!(working_days_between(date(2026, 1, 3), date(2026, 1, 4)), 0, "a weekend");
        assert_eq!(working_days_between(date(2026, 1, 5), date(2026, 1, 5)), 1);
        assert_eq!(working_days_between(date(2026, 1, 5), date(2026, 1, 4)), 0, "backwards");
        // 2028 is a leap year starting on a Saturday: 260 weekdays.
        assert_eq!(working_days_between(date(2028, 1, 1), date(2028, 12, 31)), 260);
        let hol = Holidays::new([date(2026, 1, 1), date(2026, 12, 25), date(2026, 12, 26)]).unwrap();
        // 26 December 2026 is a Saturday: dropped.
        assert_eq!(hol.dates().count(), 2);
        assert_eq!(hol.working_days_between(date(2026, 1, 1), date(2026, 12, 31)), 259);
        assert!(!hol.is_working_day(date(2026, 12, 25)));
        assert!(hol.is_working_day(date(2026, 12, 24)));
    }

    #[test]
    fn too_many_holidays_are_refused() {
        let many = (0..200).map(|i| date(2026, 1, 1).saturating_add(i.days()));
        assert!(matches!(Holidays::new(many), Err(HolidaysError::TooMany { year: 2026, .. })));
    }

    // ---- commitments --------------------------------------------------------------------------

    #[test]
    fn commitment_is_valid_when_it_exists() {
        assert!(Commitment::new(2026, Minutes::from_hours(1560), 6).is_ok());
        assert_eq!(Commitment::new(2026, Minutes::from_hours(1560), 7), Err(CommitmentError::TooMuchLeave(7)));
        assert_eq!(Commitment::new(2026, m(-1), 0), Err(CommitmentError::NegativeDeclared(m(-1))));
        assert!(matches!(Commitment::new(2026, Minutes::from_hours(9000), 0), Err(CommitmentError::DeclaredTooLarge { .. })));
        assert_eq!(Commitment::new(0, m(0), 0), Err(CommitmentError::BadYear(0)));
        let e = Commitment::new(2026, m(0), 8).unwrap_err().to_string();
        assert!(e.contains("0 to 6"), "{e}");
    }

    fn c1560(leave_weeks: u8) -> Commitment {
        Commitment::new(2026, Minutes::from_hours(1560), leave_weeks).unwrap()
    }

    #[test]
    fn full_year_member_on_1_july() {
        // 1,560 declared hours = 93,600 minutes, leave included; 6 leave weeks = 30 days.
        // 2026 has 261 working days and the declaration spreads over all of them (leave weeks do
        // not shrink the divisor): 93,600 / 261 = 358.62 minutes (5.98 hours) a working day.
        // 1 January to 1 July inclusive holds 130 working days:
        // 93,600 x 130 / 261 = 12,168,000 / 261 = 46,620.69 -> 46,621 minutes = 777.02 hours.
        let c = c1560(6);
        let all = YearInCoop::full_year(2026);
        assert_eq!(c.year_working_days(NONE), 261);
        let expected = expected_to_date(&c, &all, date(2026, 7, 1), NONE);
        assert_eq!(expected, m(46_621));
        assert_eq!(expected.to_hours_string(), "777.02");

        // Two weeks of leave taken: 93,600 x 10 / 261 = 936,000 / 261 = 3,586.21 -> 3,586 minutes.
        let leave = leave_value(&c, 10, NONE).unwrap();
        assert_eq!(leave, m(3_586));
        // Under: 700 hours worked -> 42,000 + 3,586 - 46,621 = -1,035 minutes (-17.25 hours).
        let under = balance_on(&c, &all, date(2026, 7, 1), Minutes::from_hours(700), leave, NONE);
        assert_eq!(under.balance, m(-1_035));
        assert_eq!(under.balance.to_hours_string(), "-17.25");
        // Over: 750 hours worked -> 45,000 + 3,586 - 46,621 = 1,965 minutes (32.75 hours).
        let over = balance(Minutes::from_hours(750), leave, expected);
        assert_eq!(over, m(1_965));
        assert_eq!(over.to_hours_string(), "32.75");

        let json = serde_json::to_value(under).unwrap();
        assert_eq!(json, serde_json::json!({"declared": "1560.00", "expected_to_date": "777.02", "worked": "700.00", "balance": "-17.25"}));
    }

    #[test]
    fn leave_weeks_do_not_change_the_expected_hours() {
        // 93,600 x 130 / 261 = 12,168,000 / 261 = 46,620.69 -> 46,621 minutes, with or without leave.
        let all = YearInCoop::full_year(2026);
        for weeks in [0, 3, 6] {
            let c = c1560(weeks);
            assert_eq!(expected_to_date(&c, &all, date(2026, 7, 1), NONE), m(46_621), "{weeks} weeks");
            // And the year's total is exactly the declaration: 93,600 x 261 / 261.
            assert_eq!(expected_to_date(&c, &all, date(2026, 12, 31), NONE), m(93_600), "{weeks} weeks");
        }
    }

    #[test]
    fn leave_beyond_the_entitlement_is_refused() {
        let c = c1560(6);
        // Exactly the entitlement, 30 days: 93,600 x 30 / 261 = 2,808,000 / 261 = 10,758.62 -> 10,759.
        assert_eq!(leave_value(&c, 30, NONE), Ok(m(10_759)));
        assert_eq!(leave_value(&c, 0, NONE), Ok(m(0)));
        // One day more is refused.
        assert_eq!(leave_value(&c, 31, NONE), Err(LeaveError::BeyondEntitlement { year: 2026, days: 31, entitlement_days: 30, weeks: 6 }));
        let e = leave_value(&c, 31, NONE).unwrap_err().to_string();
        assert!(e.contains("31 days") && e.contains("30 days") && e.contains("6 weeks") && e.contains("2026"), "{e}");
        // Without leave weeks, any leave is beyond the entitlement; none is worth nothing.
        let none = c1560(0);
        assert_eq!(leave_value(&none, 0, NONE), Ok(m(0)));
        assert!(matches!(leave_value(&none, 1, NONE), Err(LeaveError::BeyondEntitlement { entitlement_days: 0, .. })));
    }

    #[test]
    fn member_joining_on_1_september() {
        // Joins as a candidate on Tuesday 1 September 2026, admitted on Monday 2 November.
        let h = history(&[(MemberState::Candidate, date(2026, 9, 1)), (MemberState::Member, date(2026, 11, 2))]);
        let c = c1560(6);
        let with_candidates = YearInCoop::from_history(&h, 2026, COUNTS_MEMBERS_AND_CANDIDATES);
        assert_eq!(with_candidates.periods(), &[(date(2026, 9, 1), date(2026, 12, 31))]);
        // Nothing before joining.
        assert_eq!(expected_to_date(&c, &with_candidates, date(2026, 8, 31), NONE), m(0));
        // September: Tue 1 to Wed 30 = 4 weeks + 2 days = 22 working days:
        // 93,600 x 22 / 261 = 2,059,200 / 261 = 7,889.66 -> 7,890.
        assert_eq!(expected_to_date(&c, &with_candidates, date(2026, 9, 30), NONE), m(7_890));
        // 1 September to 31 December: 122 days = 17 weeks + Tue, Wed, Thu = 88 working days:
        // 93,600 x 88 / 261 = 8,236,800 / 261 = 31,558.62 -> 31,559.
        assert_eq!(expected_to_date(&c, &with_candidates, date(2026, 12, 31), NONE), m(31_559));
        // Members only: Mon 2 November to Thu 31 December = 8 weeks + 4 days = 44 working days:
        // 93,600 x 44 / 261 = 4,118,400 / 261 = 15,779.31 -> 15,779.
        let members_only = YearInCoop::from_history(&h, 2026, COUNTS_MEMBERS_ONLY);
        assert_eq!(members_only.periods(), &[(date(2026, 11, 2), date(2026, 12, 31))]);
        assert_eq!(expected_to_date(&c, &members_only, date(2026, 12, 31), NONE), m(15_779));
        assert_eq!(expected_to_date(&c, &members_only, date(2026, 10, 30), NONE), m(0));
        // Year end with candidates counted: 600 hours worked, no leave -> 36,000 - 31,559 = 4,441
        // minutes over (74.02 hours).
        let end = year_end(&c, &with_candidates, Minutes::from_hours(600), m(0), NONE);
        assert_eq!(end.balance, m(4_441));
        assert_eq!(end.worked_over().to_hours_string(), "74.02");
        assert_eq!(end.owed(), m(0));
        // 520 hours worked, no leave -> 31,200 - 31,559 = -359 minutes: owes 5.98 hours.
        let short = year_end(&c, &with_candidates, Minutes::from_hours(520), m(0), NONE);
        assert_eq!(short.owed().to_hours_string(), "5.98");
    }

    #[test]
    fn expected_hours_stop_during_leave_of_absence() {
        // A member all year, on leave of absence from Sunday 1 March to Thursday 30 April 2026.
        let h = history(&[(MemberState::Member, date(2025, 6, 1)), (MemberState::OnLeave, date(2026, 3, 1)), (MemberState::Member, date(2026, 5, 1))]);
        let c = c1560(6);
        let away = YearInCoop::from_history(&h, 2026, COUNTS_MEMBERS_AND_CANDIDATES);
        assert_eq!(away.periods(), &[(date(2026, 1, 1), date(2026, 2, 28)), (date(2026, 5, 1), date(2026, 12, 31))]);
        // 1 January to 28 February: 59 days = 8 weeks + Thu, Fri, Sat = 42 working days:
        // 93,600 x 42 / 261 = 3,931,200 / 261 = 15,062.07 -> 15,062, and it stays there until
        // the member is back.
        assert_eq!(expected_to_date(&c, &away, date(2026, 2, 28), NONE), m(15_062));
        assert_eq!(expected_to_date(&c, &away, date(2026, 4, 30), NONE), m(15_062));
        // Friday 1 May is the 43rd counted day: 93,600 x 43 / 261 = 4,024,800 / 261 = 15,420.69 -> 15,421.
        assert_eq!(expected_to_date(&c, &away, date(2026, 5, 1), NONE), m(15_421));
        // The leave of absence holds 44 working days (Sun 1 March + 8 weeks, then Sun 26 to
        // Thu 30 April: 40 + 4), so the year counts 261 - 44 = 217:
        // 93,600 x 217 / 261 = 20,311,200 / 261 = 77,820.69 -> 77,821.
        assert_eq!(expected_to_date(&c, &away, date(2026, 12, 31), NONE), m(77_821));
        // A co-op that counts leave of absence as time in the co-op expects the full year:
        // 93,600 x 261 / 261 = 93,600, exactly the declaration.
        let counts_leave = [MemberState::Candidate, MemberState::Member, MemberState::OnLeave];
        let present = YearInCoop::from_history(&h, 2026, &counts_leave);
        assert_eq!(present, YearInCoop::full_year(2026));
        assert_eq!(expected_to_date(&c, &present, date(2026, 12, 31), NONE), m(93_600));
    }

    #[test]
    fn year_end_owed_and_worked_over() {
        // Full year, 1,560 hours (93,600 minutes, leave included), 6 leave weeks.
        // Expected for the year: 93,600 x 261 / 261 = 93,600, exactly the declaration.
        // All 30 leave days taken: 93,600 x 30 / 261 = 2,808,000 / 261 = 10,758.62 -> 10,759
        // (= the entitlement).
        let c = c1560(6);
        let all = YearInCoop::full_year(2026);
        let leave = leave_value(&c, 30, NONE).unwrap();
        assert_eq!(leave, m(10_759));
        assert_eq!(leave_entitlement(&c, NONE), leave);
        // Worked the declaration and took no leave: 93,600 + 0 - 93,600 = 0, owes nothing.
        let no_leave = year_end(&c, &all, Minutes::from_hours(1560), m(0), NONE);
        assert_eq!(no_leave.expected, m(93_600));
        assert_eq!(no_leave.balance, m(0));
        assert_eq!(no_leave.owed(), m(0));
        // Took all six weeks and worked the declaration minus their worth, 93,600 - 10,759 =
        // 82,841 minutes (1,380.68 hours): 82,841 + 10,759 - 93,600 = 0.
        assert_eq!(year_end(&c, &all, m(82_841), leave, NONE).balance, m(0));
        // All leave taken, worked 1,300 hours: 78,000 + 10,759 - 93,600 = -4,841: owes 80.68 hours.
        let owed = year_end(&c, &all, Minutes::from_hours(1300), leave, NONE);
        assert_eq!(owed.balance, m(-4_841));
        assert_eq!(owed.owed().to_hours_string(), "80.68");
        assert_eq!(owed.worked_over(), m(0));
        // All leave taken, worked 1,400 hours: 84,000 + 10,759 - 93,600 = 1,159: 19.32 hours over.
        let over = year_end(&c, &all, Minutes::from_hours(1400), leave, NONE);
        assert_eq!(over.balance, m(1_159));
        assert_eq!(over.worked_over().to_hours_string(), "19.32");
        assert_eq!(over.owed(), m(0));
        // No leave, worked 1,500 hours: 90,000 - 93,600 = -3,600: owes 60 hours.
        assert_eq!(year_end(&c, &all, Minutes::from_hours(1500), m(0), NONE).owed().to_hours_string(), "60.00");
    }

    #[test]
    fn holidays_shrink_the_year_and_do_not_count() {
        // Christmas Friday 25 December and New Year Thursday 1 January 2026: 259 working days,
        // all of them for the declaration.
        let hol = Holidays::new([date(2026, 1, 1), date(2026, 12, 25)]).unwrap();
        let c = c1560(6);
        assert_eq!(c.year_working_days(&hol), 259);
        // 1 January to 1 July: 130 - 1 = 129 days: 93,600 x 129 / 259 = 12,074,400 / 259 = 46,619.31 -> 46,619.
        assert_eq!(expected_to_date(&c, &YearInCoop::full_year(2026), date(2026, 7, 1), &hol), m(46_619));
        // On 1 January (a holiday) nothing is expected yet.
        assert_eq!(expected_to_date(&c, &YearInCoop::full_year(2026), date(2026, 1, 1), &hol), m(0));
        // The whole year: 93,600 x 259 / 259 = 93,600.
        assert_eq!(expected_to_date(&c, &YearInCoop::full_year(2026), date(2026, 12, 31), &hol), m(93_600));
        // A leave day is worth a bit more: 30 days = 93,600 x 30 / 259 = 2,808,000 / 259 = 10,841.70 -> 10,842.
        assert_eq!(leave_value(&c, 30, &hol), Ok(m(10_842)));
    }

    #[test]
    fn periods_from_other_years_do_not_leak_into_the_commitment_year() {
        let c = c1560(0);
        let other = YearInCoop::full_year(2025);
        assert_eq!(expected_to_date(&c, &other, date(2026, 12, 31), NONE), m(0));
        let merged = YearInCoop::from_periods(
            2026,
            [(date(2026, 3, 1), date(2026, 3, 31)), (date(2025, 6, 1), date(2026, 1, 10)), (date(2026, 1, 11), date(2026, 1, 20))],
        );
        assert_eq!(merged.periods(), &[(date(2026, 1, 1), date(2026, 1, 20)), (date(2026, 3, 1), date(2026, 3, 31))]);
    }

    // ---- properties ---------------------------------------------------------------------------

    fn any_state() -> impl Strategy<Value = MemberState> {
        prop::sample::select(MemberState::ALL.to_vec())
    }

    fn any_history() -> impl Strategy<Value = StateHistory> {
        prop::collection::vec((any_state(), 0i64..900), 0..12).prop_map(|attempts| {
            let base = date(2025, 6, 1);
            let mut h = StateHistory::default();
            let mut sorted = attempts;
            sorted.sort_by_key(|a| a.1);
            for (state, offset) in sorted {
                let _ = h.apply(change(state, base.saturating_add(offset.days())));
            }
            h
        })
    }

    fn any_counts() -> impl Strategy<Value = Vec<MemberState>> {
        prop::sample::subsequence(MemberState::ALL.to_vec(), 0..=5)
    }

    fn any_holidays() -> impl Strategy<Value = Holidays> {
        prop::collection::vec(0i64..366, 0..15).prop_map(|offs| Holidays::new(offs.into_iter().map(|o| date(2026, 1, 1).saturating_add(o.days()))).unwrap())
    }

    fn day_of_2026(offset: i64) -> Date {
        date(2025, 12, 20).saturating_add(offset.days())
    }

    proptest! {
        #[test]
        fn expected_is_monotone_in_the_date(
            h in any_history(), counts in any_counts(), hol in any_holidays(),
            declared in 0i64..=3000 * 60, leave in 0u8..=6, a in 0i64..400, b in 0i64..400,
        ) {
            let c = Commitment::new(2026, Minutes(declared), leave).unwrap();
            let in_coop = YearInCoop::from_history(&h, 2026, &counts);
            let (early, late) = (day_of_2026(a.min(b)), day_of_2026(a.max(b)));
            prop_assert!(expected_to_date(&c, &in_coop, early, &hol) <= expected_to_date(&c, &in_coop, late, &hol));
        }

        #[test]
        fn a_full_year_member_is_expected_exactly_the_declaration(
            hol in any_holidays(), declared in 0i64..=3000 * 60, leave in 0u8..=6, taken in 0u32..=30, short in 0i64..=600,
        ) {
            let c = Commitment::new(2026, Minutes(declared), leave).unwrap();
            let all = YearInCoop::full_year(2026);
            let total = expected_to_date(&c, &all, date(2026, 12, 31), &hol);
            prop_assert_eq!(total, Minutes(declared));
            prop_assert_eq!(expected_to_date(&c, &all, date(2027, 3, 1), &hol), total);
            // Working the declaration and taking no leave settles the year exactly.
            prop_assert_eq!(year_end(&c, &all, Minutes(declared), Minutes::ZERO, &hol).balance, Minutes::ZERO);
            // So does working the declaration minus the leave taken, within the entitlement;
            // working less owes the difference. Leave beyond the entitlement is refused.
            match leave_value(&c, taken, &hol) {
                Ok(value) => {
                    prop_assert!(taken <= c.leave_days());
                    prop_assert!(value <= leave_entitlement(&c, &hol));
                    let worked = Minutes(declared) - value;
                    prop_assert_eq!(year_end(&c, &all, worked, value, &hol).balance, Minutes::ZERO);
                    let end = year_end(&c, &all, worked - Minutes(short), value, &hol);
                    prop_assert_eq!(end.owed(), Minutes(short));
                }
                Err(LeaveError::BeyondEntitlement { days, entitlement_days, .. }) => {
                    prop_assert!(taken > c.leave_days());
                    prop_assert_eq!((days, entitlement_days), (taken, c.leave_days()));
                }
            }
            prop_assert_eq!(leave_value(&c, c.leave_days(), &hol), Ok(leave_entitlement(&c, &hol)));
        }

        #[test]
        fn nothing_is_expected_before_joining(
            join in 0i64..365, probe in 0i64..365, declared in 0i64..=3000 * 60, leave in 0u8..=6,
        ) {
            let joined = date(2026, 1, 1).saturating_add(join.days());
            let h = history(&[(MemberState::Candidate, joined)]);
            let c = Commitment::new(2026, Minutes(declared), leave).unwrap();
            let in_coop = YearInCoop::from_history(&h, 2026, COUNTS_MEMBERS_AND_CANDIDATES);
            let on = date(2026, 1, 1).saturating_add(probe.days());
            if on < joined {
                prop_assert_eq!(expected_to_date(&c, &in_coop, on, NONE), Minutes::ZERO);
            }
            prop_assert_eq!(expected_to_date(&c, &in_coop, joined.yesterday().unwrap(), NONE), Minutes::ZERO);
        }

        #[test]
        fn periods_agree_with_state_on(h in any_history(), counts in any_counts()) {
            let in_coop = YearInCoop::from_history(&h, 2026, &counts);
            let mut d = date(2026, 1, 1);
            while d.year() == 2026 {
                let counted = h.state_on(d).is_some_and(|s| counts.contains(&s));
                prop_assert_eq!(in_coop.contains(d), counted, "{}", d);
                d = d.tomorrow().unwrap();
            }
            prop_assert_eq!(YearInCoop::from_periods(2026, in_coop.periods().iter().copied()), in_coop);
        }

        #[test]
        fn working_days_match_a_day_by_day_count(a in 0i64..800, len in -5i64..800, hol in any_holidays()) {
            let from = date(2025, 6, 1).saturating_add(a.days());
            let to = from.saturating_add(len.days());
            let mut naive = (0u32, 0u32);
            let mut d = from;
            while d <= to {
                if is_weekday(d) { naive.0 += 1; }
                if hol.is_working_day(d) { naive.1 += 1; }
                d = d.tomorrow().unwrap();
            }
            prop_assert_eq!(working_days_between(from, to), naive.0);
            prop_assert_eq!(hol.working_days_between(from, to), naive.1);
        }

        #[test]
        fn whole_minutes_round_trip_through_the_hours_string(minutes in 0i64..=1440, big in 0i64..=10_000_000 * 60) {
            prop_assert_eq!(parse_hours(&Minutes(minutes).to_hours_string()), Ok(Minutes(minutes)));
            prop_assert_eq!(parse_total_hours(&Minutes(big).to_hours_string()), Ok(Minutes(big)));
            // Negative balances print as the mirror of positive ones.
            let negative = Minutes(-minutes).to_hours_string();
            prop_assert_eq!(negative.trim_start_matches('-'), Minutes(minutes).to_hours_string());
        }

        #[test]
        fn hours_strings_round_trip_within_a_hundredth(hundredths in 0u32..=2400) {
            let text = format!("{}.{:02}", hundredths / 100, hundredths % 100);
            let back = parse_hours(&text).unwrap().to_hours_string();
            let back_hundredths: i64 = back.replace('.', "").parse().unwrap();
            prop_assert!((back_hundredths - i64::from(hundredths)).abs() <= 1, "{} -> {}", text, back);
        }

        #[test]
        fn every_shape_of_the_same_duration_agrees(minutes in 0i64..=1440) {
            let (h, mm) = (minutes / 60, minutes % 60);
            let want = Ok(Minutes(minutes));
            prop_assert_eq!(parse_hours(&format!("{h}:{mm:02}")), want.clone());
            prop_assert_eq!(parse_hours(&format!("{h:02}:{mm:02}:00")), want.clone());
            prop_assert_eq!(parse_hours(&format!("{minutes}m")), want.clone());
            prop_assert_eq!(parse_hours(&format!("{h}h{mm}m")), want.clone());
            prop_assert_eq!(parse_hours(&format!("{h}h {mm:02}")), want.clone());
            // Exact decimal hours: minutes / 60 has at most 9 decimals when written to 9 places,
            // and rounding back to the minute recovers it.
            let nanohours = minutes as u128 * 1_000_000_000 / 60;
            let dec = format!("{}.{:09}", nanohours / 1_000_000_000, nanohours % 1_000_000_000);
            prop_assert_eq!(parse_hours(&dec), want.clone());
            prop_assert_eq!(parse_hours(&dec.replace('.', ",")), want);
        }

        #[test]
        fn parsing_never_panics(s in "\\PC{0,24}") {
            let _ = parse_hours(&s);
            let _ = parse_total_hours(&s);
        }

        #[test]
        fn the_day_limit_accepts_exactly_what_fits(existing in 0i64..=1440, new in 0i64..=1440) {
            let got = DayLimit::check(Minutes(existing), Minutes(new));
            prop_assert_eq!(got.is_ok(), existing + new <= 1440);
            if let Ok(total) = got { prop_assert_eq!(total, Minutes(existing + new)); }
        }
    }
}
