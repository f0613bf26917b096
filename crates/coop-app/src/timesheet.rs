//! The weekly timesheet and the Work reports.
//!
//! A timesheet is a grid: one row per project, one column per day of a week (Monday first),
//! each cell the member's total minutes on that project and day. Saving a week sets cell
//! totals rather than adding entries, because that is what a person typing into a grid means:
//! "I worked 6 hours on the bakery on Tuesday", not "6 more".
//!
//! Why saving works the way it does:
//! - Only the member's **manual** entries change. Imported entries came from a time tracker and
//!   must still match it (a second import flags them as duplicates), so a cell whose imported
//!   minutes already exceed the new total is refused rather than silently cut.
//! - A cell going up grows its latest manual entry (or gains a new one); a cell going down
//!   shrinks the latest manual entries first and deletes those that reach zero. Notes and kinds
//!   of work of older entries are kept as long as possible.
//! - The whole week is one write transaction with one journal entry: a refused cell (a day over
//!   24 hours, a locked month, an unknown project) leaves every cell as it was.
//! - A month with an approved pay run is locked ([`App::ensure_month_open`]); its days show
//!   read-only and a change to them is refused.

use crate::{policy, Actor, App, AppError, Result};
use coop_core::hours::{BalanceOn, DayLimit, Minutes};
use coop_store::timesheet as store;
use jiff::civil::{Date, Weekday};
use jiff::ToSpan;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

/// Up to this many projects, the grid shows every project the co-op has, not just the
/// member's recent ones.
pub const ALL_PROJECTS_UP_TO: usize = 8;
/// The grid's rows are the projects the member logged in the week shown or this many weeks before.
pub const RECENT_WEEKS: i64 = 8;

/// One day (column) of a week.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetDay {
    pub date: Date,
    /// Its month's pay run is approved: the day is read-only.
    pub locked: bool,
    /// The member's minutes that day, on every project.
    pub total: Minutes,
}

/// One cell: a project on a day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SheetCell {
    pub minutes: Minutes,
    /// The part that came from an import (the cell cannot go below it here).
    pub imported: Minutes,
}

/// One row: a project (`None` for time logged without one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetRow {
    pub project: Option<String>,
    /// Seven cells, Monday first.
    pub cells: Vec<SheetCell>,
    pub total: Minutes,
}

/// A member's week.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeekSheet {
    pub member_id: i64,
    pub monday: Date,
    /// Seven days, Monday first.
    pub days: Vec<SheetDay>,
    pub rows: Vec<SheetRow>,
    pub total: Minutes,
    /// Every project of the co-op, by name (for adding a row).
    pub projects: Vec<String>,
}

/// A cell's new total, as a timesheet form sends it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellInput {
    /// `None` (or an empty name) for time without a project.
    pub project: Option<String>,
    pub date: Date,
    pub minutes: Minutes,
}

/// What saving a week changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedWeek {
    /// Cells whose total changed.
    pub changed: usize,
    /// The week's new total.
    pub total: Minutes,
}

/// Hours per member per month of a year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberMonths {
    pub member_id: i64,
    pub name: String,
    /// Twelve months, January first.
    pub months: Vec<Minutes>,
    pub total: Minutes,
}

/// A total under a name (a project or a kind of work; `None`: entries without one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedTotal {
    pub name: Option<String>,
    pub minutes: Minutes,
}

/// A member's balance against their commitment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberBalance {
    pub member_id: i64,
    pub name: String,
    pub balance: BalanceOn,
}

/// The Monday of the week holding `d`.
pub fn monday_of(d: Date) -> Date {
    let back = i64::from(d.weekday().to_monday_zero_offset());
    d.checked_sub(back.days()).unwrap_or(d)
}

fn day(monday: Date, i: i64) -> Result<Date> {
    monday.checked_add(i.days()).map_err(|_| AppError::invalid("week", "the week is outside the calendar"))
}

fn parse_stored_date(s: &str) -> Result<Date> {
    coop_core::time::parse_date(s).map_err(|e| AppError::Store(coop_store::StoreError::Corrupt(e)))
}

fn year_bounds(year: i16) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{year:04}-12-31"))
}

/// The cell key of a project name: case-folded, `None` for no project.
fn key_of(project: Option<&str>) -> Option<String> {
    project.map(str::trim).filter(|p| !p.is_empty()).map(str::to_lowercase)
}

fn show_project(project: &Option<String>) -> String {
    match project {
        Some(p) => format!("{p:?}"),
        None => "(no project)".to_string(),
    }
}

impl App {
    /// A member's week as a grid. Rows: the projects the member logged that week or in the
    /// [`RECENT_WEEKS`] before it, or every project when the co-op has at most
    /// [`ALL_PROJECTS_UP_TO`]; and last, always, a row for time without a project.
    pub async fn week_sheet(&self, actor: &Actor, member_id: i64, monday: Date) -> Result<WeekSheet> {
        policy::log_time(actor, member_id)?;
        let monday = monday_of(monday);
        let sunday = day(monday, 6)?;
        let since = monday.checked_sub((RECENT_WEEKS * 7).days()).unwrap_or(monday);
        let today = self.today().await?.to_string();
        let mut c = self.store.read().await?;
        self.member_row_in(&mut c, &today, member_id).await?;
        let entries = store::member_entries(&mut c, member_id, &monday.to_string(), &sunday.to_string()).await?;
        let (recent, _) = store::member_projects(&mut c, member_id, &since.to_string(), &sunday.to_string()).await?;
        let projects = coop_store::work::project_names(&mut c).await?;
        let mut days = Vec::with_capacity(7);
        for i in 0..7 {
            let date = day(monday, i)?;
            let locked = coop_store::pay::month_locked(&mut c, &date.to_string()).await?;
            days.push(SheetDay { date, locked, total: Minutes::ZERO });
        }

        // Row names: recent projects, or all; in the co-op's spelling, by name.
        let mut names: Vec<String> = if projects.len() <= ALL_PROJECTS_UP_TO { projects.clone() } else { recent };
        names.sort_by_key(|n| n.to_lowercase());
        names.dedup_by_key(|n| n.to_lowercase());
        let mut rows: Vec<SheetRow> =
            names.into_iter().map(|p| SheetRow { project: Some(p), cells: vec![SheetCell::default(); 7], total: Minutes::ZERO }).collect();
        for e in &entries {
            let date = parse_stored_date(&e.date)?;
            let i = usize::try_from((date - monday).get_days()).unwrap_or(0).min(6);
            let key = key_of(e.project.as_deref());
            let at = match rows.iter().position(|r| key_of(r.project.as_deref()) == key) {
                Some(at) => at,
                None => {
                    rows.push(SheetRow { project: e.project.clone(), cells: vec![SheetCell::default(); 7], total: Minutes::ZERO });
                    rows.len() - 1
                }
            };
            let row = &mut rows[at];
            row.cells[i].minutes += Minutes(e.minutes);
            if e.source != "manual" {
                row.cells[i].imported += Minutes(e.minutes);
            }
            row.total += Minutes(e.minutes);
            days[i].total += Minutes(e.minutes);
        }
        // Time without a project always has a row, so a co-op without projects can still log.
        if !rows.iter().any(|r| r.project.is_none()) {
            rows.push(SheetRow { project: None, cells: vec![SheetCell::default(); 7], total: Minutes::ZERO });
        }
        // Projects by name, time without a project last.
        rows.sort_by_key(|r| (r.project.is_none(), r.project.as_deref().map(str::to_lowercase)));
        let total = days.iter().map(|d| d.total).sum();
        Ok(WeekSheet { member_id, monday, days, rows, total, projects })
    }

    /// Sets the totals of a member's cells in the week starting `monday`, all or nothing, with
    /// one journal entry (`hours.week`). Cells whose total does not change are ignored (so a
    /// form may send every cell). See the module documentation for how entries change.
    pub async fn save_week(&self, actor: &Actor, member_id: i64, monday: Date, cells: Vec<CellInput>) -> Result<SavedWeek> {
        policy::log_time(actor, member_id)?;
        if monday.weekday() != Weekday::Monday {
            return Err(AppError::invalid("week", format!("{monday} is not a Monday: a week starts on Monday")));
        }
        let sunday = day(monday, 6)?;
        for cell in &cells {
            if cell.date < monday || cell.date > sunday {
                return Err(AppError::invalid("date", format!("{} is not in the week of {monday}", cell.date)));
            }
            if cell.minutes.is_negative() || cell.minutes > DayLimit::MAX {
                return Err(AppError::invalid("hours", format!("{} hours on {}: a cell holds from 0 to 24 hours", cell.minutes, cell.date)));
            }
        }
        let now = self.now_text();
        let mut tx = self.store.begin_write().await?;
        let today = self.clock.now().to_zoned(jiff::tz::TimeZone::UTC).date().to_string();
        self.member_row_in(&mut tx, &today, member_id).await?;
        let entries = store::member_entries(&mut tx, member_id, &monday.to_string(), &sunday.to_string()).await?;

        // The current cells: (project key, date) -> entries.
        let mut current: BTreeMap<(Option<String>, Date), Vec<store::SheetEntry>> = BTreeMap::new();
        let mut day_totals: BTreeMap<Date, Minutes> = BTreeMap::new();
        for e in entries {
            let date = parse_stored_date(&e.date)?;
            *day_totals.entry(date).or_insert(Minutes::ZERO) += Minutes(e.minutes);
            current.entry((key_of(e.project.as_deref()), date)).or_default().push(e);
        }

        // The cells that change, with their project resolved; a cell named twice takes its last value.
        let mut wanted: BTreeMap<(Option<String>, Date), (Option<String>, Minutes)> = BTreeMap::new();
        for cell in cells {
            let project = cell.project.map(|p| p.trim().to_string()).filter(|p| !p.is_empty());
            wanted.insert((key_of(project.as_deref()), cell.date), (project, cell.minutes));
        }
        let mut changes = Vec::new();
        for ((key, date), (project, minutes)) in wanted {
            let here = current.get(&(key.clone(), date)).map(Vec::as_slice).unwrap_or_default();
            let before: Minutes = here.iter().map(|e| Minutes(e.minutes)).sum();
            if before == minutes {
                continue;
            }
            let imported: Minutes = here.iter().filter(|e| e.source != "manual").map(|e| Minutes(e.minutes)).sum();
            if imported > minutes {
                return Err(AppError::invalid(
                    "hours",
                    format!(
                        "{} on {date}: {imported} hours came from an import and stay as they are, so the cell cannot go down to {minutes} hours; \
                         correct the time tracker and import again, or ask an admin",
                        show_project(&project)
                    ),
                ));
            }
            let project_id = match &project {
                None => None,
                Some(p) => match here.iter().find_map(|e| e.project_id) {
                    Some(id) => Some(id),
                    None => Some(
                        coop_store::work::project_id(&mut tx, p)
                            .await?
                            .ok_or_else(|| AppError::invalid("project", format!("the co-op has no project {p:?}: an admin adds it first")))?,
                    ),
                },
            };
            *day_totals.entry(date).or_insert(Minutes::ZERO) += minutes - before;
            changes.push((project, project_id, date, before, minutes, here.to_vec()));
        }
        if changes.is_empty() {
            let total = day_totals.values().copied().sum();
            return Ok(SavedWeek { changed: 0, total });
        }

        // Every changed day: open month, at most 24 hours.
        let changed_days: BTreeSet<Date> = changes.iter().map(|c| c.2).collect();
        for date in &changed_days {
            self.ensure_month_open(&mut tx, &date.to_string()).await?;
            let total = day_totals.get(date).copied().unwrap_or(Minutes::ZERO);
            DayLimit::check(Minutes::ZERO, total).map_err(|_| {
                AppError::invalid("hours", format!("{date} would hold {total} hours, more than the 24 hours of a day: lower that day's cells"))
            })?;
        }

        let mut journaled = Vec::with_capacity(changes.len());
        for (project, project_id, date, before, after, here) in &changes {
            let mut manual: Vec<&store::SheetEntry> = here.iter().filter(|e| e.source == "manual").collect();
            if after > before {
                let add = *after - *before;
                match manual.last() {
                    Some(e) => store::set_entry_minutes(&mut tx, e.id, e.minutes + add.get()).await?,
                    None => {
                        let d = date.to_string();
                        let new = coop_store::work::NewEntry {
                            member_id,
                            date: &d,
                            minutes: add.get(),
                            project_id: *project_id,
                            category_id: None,
                            note: "",
                            source: "manual",
                        };
                        coop_store::work::insert_entry(&mut tx, &new, &now).await?;
                    }
                }
            } else {
                let mut cut = (*before - *after).get();
                while cut > 0 {
                    let Some(e) = manual.pop() else { break };
                    if e.minutes <= cut {
                        store::delete_entry(&mut tx, e.id).await?;
                        cut -= e.minutes;
                    } else {
                        store::set_entry_minutes(&mut tx, e.id, e.minutes - cut).await?;
                        cut = 0;
                    }
                }
            }
            journaled.push(json!({"project": project, "date": date.to_string(), "minutes_before": before.get(), "minutes": after.get()}));
        }
        self.journal(&mut tx, actor, "hours.week", &format!("member:{member_id}"), json!({"week": monday.to_string(), "cells": journaled})).await?;
        tx.commit().await?;
        Ok(SavedWeek { changed: changes.len(), total: day_totals.values().copied().sum() })
    }

    /// Each member's hours per month of `year` (members without hours left out), by name.
    pub async fn hours_by_member_month(&self, actor: &Actor, year: i16) -> Result<Vec<MemberMonths>> {
        policy::view_hours(actor)?;
        let (from, to) = year_bounds(year);
        let mut c = self.store.read().await?;
        let rows = store::minutes_by_member_month(&mut c, &from, &to).await?;
        let mut out: Vec<MemberMonths> = Vec::new();
        for (member_id, name, month, minutes) in rows {
            if out.last().is_none_or(|m| m.member_id != member_id) {
                out.push(MemberMonths { member_id, name, months: vec![Minutes::ZERO; 12], total: Minutes::ZERO });
            }
            let m = out.last_mut().expect("pushed above");
            let i: usize = month.get(5..7).and_then(|n| n.parse::<usize>().ok()).filter(|n| (1..=12).contains(n)).map(|n| n - 1).ok_or_else(|| {
                AppError::Store(coop_store::StoreError::Corrupt(format!("a time entry's month {month:?}")))
            })?;
            m.months[i] += Minutes(minutes);
            m.total += Minutes(minutes);
        }
        Ok(out)
    }

    /// Hours per project in `year`, most first.
    pub async fn hours_by_project(&self, actor: &Actor, year: i16) -> Result<Vec<NamedTotal>> {
        policy::view_hours(actor)?;
        let (from, to) = year_bounds(year);
        let mut c = self.store.read().await?;
        Ok(store::minutes_by_project(&mut c, &from, &to).await?.into_iter().map(|(name, m)| NamedTotal { name, minutes: Minutes(m) }).collect())
    }

    /// Hours per kind of work in `year`, most first.
    pub async fn hours_by_kind(&self, actor: &Actor, year: i16) -> Result<Vec<NamedTotal>> {
        policy::view_hours(actor)?;
        let (from, to) = year_bounds(year);
        let mut c = self.store.read().await?;
        Ok(store::minutes_by_category(&mut c, &from, &to).await?.into_iter().map(|(name, m)| NamedTotal { name, minutes: Minutes(m) }).collect())
    }

    /// The co-op's hours in each month of `year`, January first (twelve values).
    pub async fn hours_by_month(&self, actor: &Actor, year: i16) -> Result<Vec<Minutes>> {
        policy::view_hours(actor)?;
        let (from, to) = year_bounds(year);
        let mut c = self.store.read().await?;
        let mut months = vec![Minutes::ZERO; 12];
        for (month, minutes) in store::minutes_by_month(&mut c, &from, &to).await? {
            if let Some(i) = month.get(5..7).and_then(|n| n.parse::<usize>().ok()).filter(|n| (1..=12).contains(n)) {
                months[i - 1] += Minutes(minutes);
            }
        }
        Ok(months)
    }

    /// The balance of every member with a commitment for `year`, by name: on today for the
    /// current year, on 31 December for a past one, on 1 January for a future one.
    pub async fn hours_balances(&self, actor: &Actor, year: i16) -> Result<Vec<MemberBalance>> {
        policy::view_hours(actor)?;
        let today = self.today().await?;
        let on = if today.year() == year {
            today
        } else if today.year() > year {
            Date::new(year, 12, 31).map_err(|e| AppError::invalid("year", e.to_string()))?
        } else {
            Date::new(year, 1, 1).map_err(|e| AppError::invalid("year", e.to_string()))?
        };
        let members = {
            let mut c = self.store.read().await?;
            store::committed_members(&mut c, year.into()).await?
        };
        let mut out = Vec::with_capacity(members.len());
        for (member_id, name) in members {
            let balance = self.hours_balance(actor, member_id, year, on).await?;
            out.push(MemberBalance { member_id, name, balance });
        }
        Ok(out)
    }

    /// The years that have hours or commitments, newest first, always with the current year.
    pub async fn hours_years(&self, actor: &Actor) -> Result<Vec<i16>> {
        policy::view_hours(actor)?;
        let this = self.today().await?.year();
        let mut c = self.store.read().await?;
        let mut years: Vec<i16> = store::years_with_hours(&mut c).await?.into_iter().filter_map(|y| i16::try_from(y).ok()).collect();
        years.push(this);
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        Ok(years)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn monday_of_every_day_of_a_week_is_its_monday() {
        for d in 23..=29 {
            assert_eq!(monday_of(date(2026, 11, d)), date(2026, 11, 23), "2026-11-{d}");
        }
        assert_eq!(monday_of(date(2026, 11, 30)), date(2026, 11, 30));
        // Across a year's end.
        assert_eq!(monday_of(date(2027, 1, 1)), date(2026, 12, 28));
    }

    #[test]
    fn project_keys_ignore_case_and_blank_names() {
        assert_eq!(key_of(Some(" Bakery ")), Some("bakery".to_string()));
        assert_eq!(key_of(Some("  ")), None);
        assert_eq!(key_of(None), None);
    }
}
